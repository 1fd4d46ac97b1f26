//! The exported functions of `crate::io` (C arguments in, the core
//! called, s2n's result out).

use crate::connection::Connection;
use crate::error::*;
use crate::ffi;
use crate::ffi::CPtr;
use crate::io::transport::flush;
use crate::io::*;
use crate::record::wire::ReadIo;
use crate::record::wire::WriteIo;
use crate::types::*;
use std::ffi::c_int;
use std::ffi::c_void;

fn set_transport(conn: *mut s2n_connection, f: impl FnOnce(&mut Transport)) -> c_int {
    ffi::entry(|| {
        let conn = Connection::from_handle(conn)?;
        f(&mut conn.state().settings.transport);
        Ok(S2N_SUCCESS)
    })
}

fn check_fd(fd: c_int) -> Result<c_int, Error> {
    if fd < 0 {
        Err(Error::new(S2N_ERR_INVALID_ARGUMENT))
    } else {
        Ok(fd)
    }
}

/// Writes the fd the connection reads or writes with; callbacks have none.
fn fd_out(
    conn: *mut s2n_connection,
    out: *mut c_int,
    pick: fn(&Transport) -> Option<c_int>,
) -> c_int {
    ffi::entry(|| {
        let conn = Connection::from_handle(conn)?;
        let out = ffi::out(out)?;
        *out = pick(&conn.state().settings.transport)
            .ok_or_else(|| Error::new(S2N_ERR_INVALID_STATE))?;
        Ok(S2N_SUCCESS)
    })
}

fn io_entry(
    conn: *mut s2n_connection,
    blocked: *mut BlockedStatusArg,
    f: impl FnOnce(&Connection, &mut BlockedStatusArg) -> Result<(), Error>,
) -> c_int {
    ffi::entry(|| {
        let conn = Connection::from_handle(conn)?;
        let blocked = ffi::out(blocked)?;
        *blocked = s2n_blocked_status::S2N_NOT_BLOCKED.into();
        f(conn, blocked)?;
        Ok(S2N_SUCCESS)
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_connection_set_fd(conn: *mut s2n_connection, fd: c_int) -> c_int {
    ffi::entry(|| {
        let fd = check_fd(fd)?;
        let conn = Connection::from_handle(conn)?;
        let mut state = conn.state();
        state.settings.transport.read = ReadIo::Fd(fd);
        state.settings.transport.write = WriteIo::Fd(fd);
        Ok(S2N_SUCCESS)
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_connection_set_read_fd(conn: *mut s2n_connection, readfd: c_int) -> c_int {
    match check_fd(readfd) {
        Ok(fd) => set_transport(conn, |t| t.read = ReadIo::Fd(fd)),
        Err(e) => ffi::entry(|| Err(e)),
    }
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_connection_set_write_fd(conn: *mut s2n_connection, writefd: c_int) -> c_int {
    match check_fd(writefd) {
        Ok(fd) => set_transport(conn, |t| t.write = WriteIo::Fd(fd)),
        Err(e) => ffi::entry(|| Err(e)),
    }
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_connection_get_read_fd(
    conn: *mut s2n_connection,
    readfd: *mut c_int,
) -> c_int {
    fd_out(conn, readfd, |t| match t.read {
        ReadIo::Fd(fd) => Some(fd),
        _ => None,
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_connection_get_write_fd(
    conn: *mut s2n_connection,
    writefd: *mut c_int,
) -> c_int {
    fd_out(conn, writefd, |t| match t.write {
        WriteIo::Fd(fd) => Some(fd),
        _ => None,
    })
}

/// TCP_CORK around each handshake flight, on file-descriptor transports.
#[unsafe(no_mangle)]
pub extern "C" fn s2n_connection_use_corked_io(conn: *mut s2n_connection) -> c_int {
    ffi::entry(|| {
        let conn = Connection::from_handle(conn)?;
        let mut state = conn.state();
        if !matches!(state.settings.transport.write, WriteIo::Fd(_)) {
            return Err(Error::new(S2N_ERR_CORK_SET_ON_UNMANAGED));
        }
        state.settings.corked = true;
        Ok(S2N_SUCCESS)
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_connection_set_recv_ctx(
    conn: *mut s2n_connection,
    ctx: *mut c_void,
) -> c_int {
    set_transport(conn, |t| t.recv_ctx = CPtr(ctx))
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_connection_set_send_ctx(
    conn: *mut s2n_connection,
    ctx: *mut c_void,
) -> c_int {
    set_transport(conn, |t| t.send_ctx = CPtr(ctx))
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_connection_set_recv_cb(
    conn: *mut s2n_connection,
    recv: s2n_recv_fn,
) -> c_int {
    set_transport(conn, |t| t.read = ReadIo::Callback(recv))
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_connection_set_send_cb(
    conn: *mut s2n_connection,
    send: s2n_send_fn,
) -> c_int {
    set_transport(conn, |t| t.write = WriteIo::Callback(send))
}

/// Reads as much as the transport has instead of one record at a time.
#[unsafe(no_mangle)]
pub extern "C" fn s2n_connection_set_recv_buffering(
    conn: *mut s2n_connection,
    enabled: bool,
) -> c_int {
    ffi::entry(|| {
        Connection::from_handle(conn)?
            .state()
            .settings
            .recv_buffering = enabled;
        Ok(S2N_SUCCESS)
    })
}

/// Encrypted bytes read from the transport and not yet decrypted.
#[unsafe(no_mangle)]
pub extern "C" fn s2n_peek_buffered(conn: *mut s2n_connection) -> u32 {
    let Ok(conn) = Connection::from_handle(conn) else {
        return 0;
    };
    peek_buffered(conn)
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_negotiate(
    conn: *mut s2n_connection,
    blocked: *mut BlockedStatusArg,
) -> c_int {
    io_entry(conn, blocked, negotiate)
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_send(
    conn: *mut s2n_connection,
    buf: *const c_void,
    size: libc::ssize_t,
    blocked: *mut BlockedStatusArg,
) -> libc::ssize_t {
    ffi::entry(|| {
        let conn = Connection::from_handle(conn)?;
        let blocked = ffi::out(blocked)?;
        let size = usize::try_from(size).map_err(|_| Error::new(S2N_ERR_INVALID_ARGUMENT))?;
        let data = ffi::slice(buf.cast(), size)?;
        Ok(ffi::ssize(send(conn, &[data], blocked)?))
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_sendv(
    conn: *mut s2n_connection,
    bufs: *const libc::iovec,
    count: libc::ssize_t,
    blocked: *mut BlockedStatusArg,
) -> libc::ssize_t {
    s2n_sendv_with_offset(conn, bufs, count, 0, blocked)
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_sendv_with_offset(
    conn: *mut s2n_connection,
    bufs: *const libc::iovec,
    count: libc::ssize_t,
    offs: libc::ssize_t,
    blocked: *mut BlockedStatusArg,
) -> libc::ssize_t {
    ffi::entry(|| {
        let conn = Connection::from_handle(conn)?;
        let blocked = ffi::out(blocked)?;
        let count = usize::try_from(count).map_err(|_| Error::new(S2N_ERR_INVALID_ARGUMENT))?;
        let mut skip = usize::try_from(offs).map_err(|_| Error::new(S2N_ERR_INVALID_ARGUMENT))?;
        let mut slices = Vec::with_capacity(count);
        for slice in ffi::iovecs(bufs, count)? {
            if skip >= slice.len() {
                skip -= slice.len();
            } else {
                slices.push(&slice[skip..]);
                skip = 0;
            }
        }
        if skip > 0 {
            return Err(Error::new(S2N_ERR_INVALID_ARGUMENT));
        }
        Ok(ffi::ssize(send(conn, &slices, blocked)?))
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_recv(
    conn: *mut s2n_connection,
    buf: *mut c_void,
    size: libc::ssize_t,
    blocked: *mut BlockedStatusArg,
) -> libc::ssize_t {
    ffi::entry(|| {
        let conn = Connection::from_handle(conn)?;
        let blocked = ffi::out(blocked)?;
        let size = usize::try_from(size).map_err(|_| Error::new(S2N_ERR_INVALID_ARGUMENT))?;
        let buf = ffi::slice_mut(buf.cast(), size)?;
        Ok(ffi::ssize(recv(conn, buf, blocked)?))
    })
}

/// Decrypted bytes waiting for `s2n_recv`.
#[unsafe(no_mangle)]
pub extern "C" fn s2n_peek(conn: *mut s2n_connection) -> u32 {
    let Ok(conn) = Connection::from_handle(conn) else {
        return 0;
    };
    conn.state().plaintext_pending as u32
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_shutdown(conn: *mut s2n_connection, blocked: *mut BlockedStatusArg) -> c_int {
    io_entry(conn, blocked, shutdown)
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_shutdown_send(
    conn: *mut s2n_connection,
    blocked: *mut BlockedStatusArg,
) -> c_int {
    io_entry(conn, blocked, shutdown_send)
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_flush(conn: *mut s2n_connection, blocked: *mut BlockedStatusArg) -> c_int {
    io_entry(conn, blocked, |conn, blocked| {
        let mut send = conn.send.lock().unwrap_or_else(|e| e.into_inner());
        flush(conn, &mut send, blocked)
    })
}
