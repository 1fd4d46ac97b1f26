//! The extern functions that move data: `s2n_negotiate`, `s2n_send`,
//! `s2n_sendv*`, `s2n_recv`, `s2n_peek`, `s2n_shutdown*`, `s2n_flush`.

use std::ffi::{c_int, c_void};

use super::*;

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
pub extern "C" fn s2n_negotiate(
    conn: *mut s2n_connection,
    blocked: *mut BlockedStatusArg,
) -> c_int {
    io_entry(conn, blocked, negotiate)
}

fn ssize(n: usize) -> libc::ssize_t {
    libc::ssize_t::try_from(n).unwrap_or(libc::ssize_t::MAX)
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
        Ok(ssize(send(conn, &[data], blocked)?))
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
        Ok(ssize(send(conn, &slices, blocked)?))
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
        Ok(ssize(recv(conn, buf, blocked)?))
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
