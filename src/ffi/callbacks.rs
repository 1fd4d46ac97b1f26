//! Calls into the application's callbacks. Each wrapper states what the C
//! side promises; none of them holds a lock of ours while the callback runs
//! (callers make sure of that), since callbacks may call back into s2n.

use std::ffi::{c_char, c_void};

use crate::ffi::CPtr;
use crate::types::*;

/// A verify-host callback: does the application accept `name` for this peer?
pub fn verify_host(cb: s2n_verify_host_fn, ctx: CPtr, name: &str) -> bool {
    let Some(f) = cb else { return false };
    // SAFETY: the application registered `f` for this purpose; `name` is
    // valid for `name.len()` bytes during the call (the callback takes a
    // length, not a NUL-terminated string).
    unsafe { f(name.as_ptr().cast::<c_char>(), name.len(), ctx.0) != 0 }
}

/// A clock callback: nanoseconds, or None if it failed.
pub fn clock(cb: s2n_clock_time_nanoseconds, ctx: CPtr) -> Option<u64> {
    let f = cb?;
    let mut nanos: u64 = 0;
    // SAFETY: the registered clock with a valid out-pointer.
    let rc = unsafe { f(ctx.0, &mut nanos) };
    (rc == 0).then_some(nanos)
}

/// The application's recv callback: bytes read, 0 at end of stream, -1 with errno set.
pub fn recv(cb: s2n_recv_fn, ctx: CPtr, buf: &mut [u8]) -> std::io::Result<usize> {
    let Some(f) = cb else {
        return Err(std::io::ErrorKind::NotConnected.into());
    };
    let len = u32::try_from(buf.len()).unwrap_or(u32::MAX);
    // SAFETY: `buf` is writable for `len` bytes during the call.
    let n = unsafe { f(ctx.0, buf.as_mut_ptr(), len) };
    if n < 0 {
        Err(std::io::Error::last_os_error())
    } else {
        Ok((n as usize).min(buf.len()))
    }
}

/// The application's send callback: bytes written or -1 with errno set.
pub fn send(cb: s2n_send_fn, ctx: CPtr, buf: &[u8]) -> std::io::Result<usize> {
    let Some(f) = cb else {
        return Err(std::io::ErrorKind::NotConnected.into());
    };
    let len = u32::try_from(buf.len()).unwrap_or(u32::MAX);
    // SAFETY: `buf` is readable for `len` bytes during the call.
    let n = unsafe { f(ctx.0, buf.as_ptr(), len) };
    if n < 0 {
        Err(std::io::Error::last_os_error())
    } else {
        Ok((n as usize).min(buf.len()))
    }
}

/// read(2) on a file descriptor.
pub fn read_fd(fd: i32, buf: &mut [u8]) -> std::io::Result<usize> {
    // SAFETY: `buf` is writable for its length; an invalid fd is reported by the kernel.
    let n = unsafe { libc::read(fd, buf.as_mut_ptr().cast::<c_void>(), buf.len()) };
    if n < 0 {
        Err(std::io::Error::last_os_error())
    } else {
        Ok(n as usize)
    }
}

/// Writes to a file descriptor without raising SIGPIPE on sockets.
pub fn write_fd(fd: i32, buf: &[u8]) -> std::io::Result<usize> {
    // SAFETY: `buf` is readable for its length; an invalid fd is reported by the kernel.
    let n = unsafe {
        libc::send(
            fd,
            buf.as_ptr().cast::<c_void>(),
            buf.len(),
            libc::MSG_NOSIGNAL,
        )
    };
    if n >= 0 {
        return Ok(n as usize);
    }
    let err = std::io::Error::last_os_error();
    if err.raw_os_error() != Some(libc::ENOTSOCK) {
        return Err(err);
    }
    // SAFETY: as above; pipes and files take write(2).
    let n = unsafe { libc::write(fd, buf.as_ptr().cast::<c_void>(), buf.len()) };
    if n < 0 {
        Err(std::io::Error::last_os_error())
    } else {
        Ok(n as usize)
    }
}

/// Sets or clears TCP_CORK on a socket (errors are ignored: not a socket).
pub fn set_cork(fd: i32, on: bool) {
    let value: libc::c_int = on.into();
    // SAFETY: setsockopt reads `value` for its size; bad fds just fail.
    unsafe {
        libc::setsockopt(
            fd,
            libc::IPPROTO_TCP,
            libc::TCP_CORK,
            (&value as *const libc::c_int).cast::<c_void>(),
            std::mem::size_of::<libc::c_int>() as libc::socklen_t,
        );
    }
}

/// The key log callback with one NSS key log line (not NUL-terminated).
pub fn key_log(cb: s2n_key_log_fn, ctx: CPtr, conn: *mut s2n_connection, line: &[u8]) {
    let Some(f) = cb else { return };
    // SAFETY: the registered callback; `line` is readable for its length and
    // the callback takes it as mutable only by s2n's signature.
    unsafe {
        f(ctx.0, conn, line.as_ptr().cast_mut(), line.len());
    }
}

/// The ClientHello callback: 0 to go on, negative to fail, positive (blocking
/// mode) when the server name was used.
pub fn client_hello(
    cb: s2n_client_hello_fn,
    conn: *mut s2n_connection,
    ctx: CPtr,
) -> std::ffi::c_int {
    let Some(f) = cb else { return 0 };
    // SAFETY: the registered callback with the connection's own handle; it may
    // call back into s2n functions, and no lock of ours is held.
    unsafe { f(conn, ctx.0) }
}

/// The session ticket callback with a ticket valid for the call.
pub fn session_ticket(
    cb: s2n_session_ticket_fn,
    ctx: CPtr,
    conn: *mut s2n_connection,
    ticket: &mut crate::session::SessionTicket,
) {
    let Some(f) = cb else { return };
    let ticket: *mut s2n_session_ticket = (ticket as *mut crate::session::SessionTicket).cast();
    // SAFETY: the registered callback; `ticket` points at a live
    // SessionTicket (what s2n_session_ticket handles are) for the call.
    unsafe {
        f(conn, ctx.0, ticket);
    }
}
