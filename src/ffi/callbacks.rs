//! Calls into the application's callbacks. Each wrapper states what the C
//! side promises; none of them holds a lock of ours while the callback runs
//! (callers make sure of that), since callbacks may call back into s2n.

use std::ffi::{c_char, c_int, c_void};

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

/// A clock callback with its context (a config's wall or monotonic clock).
pub type Clock = Option<(s2n_clock_time_nanoseconds, CPtr)>;

/// A clock callback: nanoseconds, or None if it failed.
pub fn clock(cb: s2n_clock_time_nanoseconds, ctx: CPtr) -> Option<u64> {
    let f = cb?;
    let mut nanos: u64 = 0;
    // SAFETY: the registered clock with a valid out-pointer.
    let rc = unsafe { f(ctx.0, &mut nanos) };
    (rc == 0).then_some(nanos)
}

/// As s2n, the C library's errno is cleared before an I/O callback runs: a
/// callback that fails without setting it is an I/O error, not "blocked"
/// because of an EAGAIN left over from an earlier call.
fn clear_os_errno() {
    // SAFETY: __errno_location returns this thread's errno, always valid.
    unsafe { *libc::__errno_location() = 0 };
}

/// The application's recv callback: bytes read, 0 at end of stream, -1 with errno set.
pub fn recv(cb: s2n_recv_fn, ctx: CPtr, buf: &mut [u8]) -> std::io::Result<usize> {
    let Some(f) = cb else {
        return Err(std::io::ErrorKind::NotConnected.into());
    };
    let len = u32::try_from(buf.len()).unwrap_or(u32::MAX);
    clear_os_errno();
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
    clear_os_errno();
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
    let value: c_int = on.into();
    // SAFETY: setsockopt reads `value` for its size; bad fds just fail.
    unsafe {
        libc::setsockopt(
            fd,
            libc::IPPROTO_TCP,
            libc::TCP_CORK,
            (&value as *const c_int).cast::<c_void>(),
            size_of::<c_int>() as libc::socklen_t,
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
pub fn client_hello(cb: s2n_client_hello_fn, conn: *mut s2n_connection, ctx: CPtr) -> c_int {
    let Some(f) = cb else { return 0 };
    // SAFETY: the registered callback with the connection's own handle; it may
    // call back into s2n functions, and no lock of ours is held.
    unsafe { f(conn, ctx.0) }
}

/// The session ticket callback with a ticket valid for the call (`T`: what
/// s2n_session_ticket handles point at).
pub fn session_ticket<T>(
    cb: s2n_session_ticket_fn,
    ctx: CPtr,
    conn: *mut s2n_connection,
    ticket: &mut T,
) {
    let Some(f) = cb else { return };
    let ticket: *mut s2n_session_ticket = (ticket as *mut T).cast();
    // SAFETY: the registered callback; `ticket` points at a live ticket
    // object (what s2n_session_ticket handles are) for the call.
    unsafe {
        f(conn, ctx.0, ticket);
    }
}

/// The session cache's store callback: true if it kept the entry.
pub fn cache_store(
    cb: s2n_cache_store_callback,
    ctx: CPtr,
    conn: *mut s2n_connection,
    ttl_secs: u64,
    key: &[u8],
    value: &[u8],
) -> bool {
    let Some(f) = cb else { return false };
    // SAFETY: the registered callback; key and value are readable for their
    // lengths during the call.
    unsafe {
        f(
            conn,
            ctx.0,
            ttl_secs,
            key.as_ptr().cast(),
            key.len() as u64,
            value.as_ptr().cast(),
            value.len() as u64,
        ) == 0
    }
}

/// The session cache's retrieve callback: the value, if found (a blocked
/// answer counts as not found).
pub fn cache_retrieve(
    cb: s2n_cache_retrieve_callback,
    ctx: CPtr,
    conn: *mut s2n_connection,
    key: &[u8],
    max: usize,
) -> Option<Vec<u8>> {
    let f = cb?;
    let mut value = vec![0u8; max];
    let mut size = max as u64;
    // SAFETY: the registered callback; `value` is writable for `size` bytes
    // and the callback writes the length it used into `size`.
    let rc = unsafe {
        f(
            conn,
            ctx.0,
            key.as_ptr().cast(),
            key.len() as u64,
            value.as_mut_ptr().cast(),
            &mut size,
        )
    };
    if rc != 0 || size as usize > max {
        return None;
    }
    value.truncate(size as usize);
    Some(value)
}

/// The session cache's delete callback.
pub fn cache_delete(
    cb: s2n_cache_delete_callback,
    ctx: CPtr,
    conn: *mut s2n_connection,
    key: &[u8],
) {
    let Some(f) = cb else { return };
    // SAFETY: the registered callback; `key` is readable for its length.
    unsafe {
        f(conn, ctx.0, key.as_ptr().cast(), key.len() as u64);
    }
}

/// The handshake event callback (events.h) with an event valid for the call.
pub fn handshake_event<E>(
    cb: Option<unsafe extern "C" fn(*mut s2n_connection, *mut c_void, *mut E)>,
    conn: *mut s2n_connection,
    subscriber: CPtr,
    event: &mut E,
) {
    let Some(f) = cb else { return };
    // SAFETY: the registered callback; `event` is valid for the call, as events.h promises.
    unsafe { f(conn, subscriber.0, event) };
}

/// The timing checkpoint callback (events.h) with a checkpoint valid for the call.
pub fn timing_checkpoint<C>(
    cb: Option<unsafe extern "C" fn(*mut s2n_connection, *mut c_void, *mut C)>,
    conn: *mut s2n_connection,
    subscriber: CPtr,
    checkpoint: &mut C,
) {
    let Some(f) = cb else { return };
    // SAFETY: the registered callback; `checkpoint` is valid for the call.
    unsafe { f(conn, subscriber.0, checkpoint) };
}

/// The cert tiebreak callback: which of two chains for one domain name to
/// use (NULL without a callback).
pub fn cert_tiebreak(
    cb: s2n_cert_tiebreak_callback,
    cert1: *mut s2n_cert_chain_and_key,
    cert2: *mut s2n_cert_chain_and_key,
    name: &str,
) -> *mut s2n_cert_chain_and_key {
    let Some(f) = cb else {
        return std::ptr::null_mut();
    };
    let mut name = name.as_bytes().to_vec();
    // SAFETY: the registered callback; both chains are owned by the config
    // being used (alive for the call) and `name` is a buffer of `name_len`
    // bytes the callback may read (its pointer is `*mut` only by signature).
    unsafe { f(cert1, cert2, name.as_mut_ptr(), name.len() as u32) }
}

/// The cert validation callback (crl.h) with an info object valid for the
/// call: its return code (0 for success).
pub fn cert_validation<I>(
    cb: Option<unsafe extern "C" fn(*mut s2n_connection, *mut I, *mut c_void) -> c_int>,
    conn: *mut s2n_connection,
    info: *mut I,
    ctx: CPtr,
) -> c_int {
    let Some(f) = cb else { return 0 };
    // SAFETY: the registered callback; `info` points at a live info object
    // for at least the call (see crl.rs for its lifetime), and no lock of
    // ours is held.
    unsafe { f(conn, info, ctx.0) }
}

/// The CRL lookup callback (crl.h) with a lookup valid for the call.
pub fn crl_lookup<L>(
    cb: Option<unsafe extern "C" fn(*mut L, *mut c_void) -> c_int>,
    lookup: *mut L,
    ctx: CPtr,
) -> c_int {
    let Some(f) = cb else { return 0 };
    // SAFETY: the registered callback; `lookup` points at a live lookup
    // object for at least the call.
    unsafe { f(lookup, ctx.0) }
}

/// The certificate request callback (cert_authorities.h) with a request
/// valid for the call.
pub fn cert_request<R>(
    cb: Option<unsafe extern "C" fn(*mut s2n_connection, *mut c_void, *mut R) -> c_int>,
    conn: *mut s2n_connection,
    ctx: CPtr,
    request: *mut R,
) -> c_int {
    let Some(f) = cb else { return 0 };
    // SAFETY: the registered callback with the connection's handle; `request`
    // points at a live request for the call.
    unsafe { f(conn, ctx.0, request) }
}

/// The early data callback with the offer's handle: its return code.
pub fn early_data(
    cb: s2n_early_data_cb,
    conn: *mut s2n_connection,
    offered: *mut s2n_offered_early_data,
) -> c_int {
    let Some(f) = cb else { return 0 };
    // SAFETY: the registered callback with the connection's own handle and
    // the offer's handle; no lock of ours is held.
    unsafe { f(conn, offered) }
}

/// The QUIC secret callback; its return value (negative fails the handshake).
pub fn quic_secret<T>(
    cb: Option<unsafe extern "C" fn(*mut c_void, *mut s2n_connection, T, *mut u8, u8) -> c_int>,
    ctx: CPtr,
    conn: *mut s2n_connection,
    secret_type: T,
    secret: &mut [u8],
) -> c_int {
    let Some(f) = cb else { return 0 };
    let len = u8::try_from(secret.len()).unwrap_or(u8::MAX);
    // SAFETY: the registered callback; `secret` is readable and writable for
    // `len` bytes during the call (s2n wipes it afterwards; we zeroize it).
    unsafe { f(ctx.0, conn, secret_type, secret.as_mut_ptr(), len) }
}

/// The async private-key callback with an operation it now owns: its return code.
pub fn async_pkey(
    cb: s2n_async_pkey_fn,
    conn: *mut s2n_connection,
    op: *mut s2n_async_pkey_op,
) -> c_int {
    let Some(f) = cb else { return -1 };
    // SAFETY: the registered callback with the connection's handle and a
    // live operation handle, which the application frees with
    // s2n_async_pkey_op_free.
    unsafe { f(conn, op) }
}

/// The renegotiate request callback: the response it wrote into `response`
/// (set beforehand to the default), or None if it failed.
pub fn renegotiate_request<R>(
    cb: Option<unsafe extern "C" fn(*mut s2n_connection, *mut c_void, *mut R) -> c_int>,
    conn: *mut s2n_connection,
    ctx: CPtr,
    mut response: R,
) -> Option<R> {
    let f = cb?;
    // SAFETY: the registered callback with the connection's handle and a
    // valid out-pointer; no lock of ours is held.
    let rc = unsafe { f(conn, ctx.0, &mut response) };
    (rc == 0).then_some(response)
}
