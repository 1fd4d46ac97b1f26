//! The exported functions of `crate::early_data` (C arguments in, the core
//! called, s2n's result out).

use crate::config::Config;
use crate::connection::Connection;
use crate::early_data::*;
use crate::error::*;
use crate::ffi;
use crate::io::early_data::{max_size, remaining};
use crate::types::*;
use std::ffi::c_int;

/// Partial: a connection set to 0 still offers its config's tickets (rustls
/// decides per config).
#[unsafe(no_mangle)]
pub extern "C" fn s2n_config_set_server_max_early_data_size(
    config: *mut s2n_config,
    max_early_data_size: u32,
) -> c_int {
    Config::set(config, |state| {
        state.early_data.max_size = max_early_data_size;
        Ok(())
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_connection_set_server_max_early_data_size(
    conn: *mut s2n_connection,
    max_early_data_size: u32,
) -> c_int {
    ffi::entry(|| {
        Connection::from_handle(conn)?.configure(|state| {
            state.settings.overrides.early_data_max = Some(max_early_data_size);
            Ok(())
        })?;
        Ok(S2N_SUCCESS)
    })
}

/// The context new tickets of this connection carry, for the early data
/// callback of the connection that resumes with them.
#[unsafe(no_mangle)]
pub extern "C" fn s2n_connection_set_server_early_data_context(
    conn: *mut s2n_connection,
    context: *const u8,
    context_size: u16,
) -> c_int {
    ffi::entry(|| {
        let conn = Connection::from_handle(conn)?;
        let context = ffi::slice(context, usize::from(context_size))?;
        if context.len() > MAX_CONTEXT_LEN {
            return Err(Error::new(S2N_ERR_INVALID_ARGUMENT));
        }
        conn.state().early.context = Some(context.to_vec());
        Ok(S2N_SUCCESS)
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_connection_get_early_data_status(
    conn: *mut s2n_connection,
    status: *mut EarlyDataStatusArg,
) -> c_int {
    ffi::entry(|| {
        let conn = Connection::from_handle(conn)?;
        let out = ffi::out(status)?;
        let value = match crate::io::early_data::status(conn.is_client(), &mut conn.state()) {
            Status::Unknown | Status::Requested | Status::Accepted => {
                s2n_early_data_status_t::S2N_EARLY_DATA_STATUS_OK
            }
            Status::NotRequested => s2n_early_data_status_t::S2N_EARLY_DATA_STATUS_NOT_REQUESTED,
            Status::Rejected => s2n_early_data_status_t::S2N_EARLY_DATA_STATUS_REJECTED,
            Status::End => s2n_early_data_status_t::S2N_EARLY_DATA_STATUS_END,
        };
        *out = value.into();
        Ok(S2N_SUCCESS)
    })
}

/// Partial: a server counts the early data the application has read.
#[unsafe(no_mangle)]
pub extern "C" fn s2n_connection_get_remaining_early_data_size(
    conn: *mut s2n_connection,
    allowed_early_data_size: *mut u32,
) -> c_int {
    ffi::entry(|| {
        let conn = Connection::from_handle(conn)?;
        let out = ffi::out(allowed_early_data_size)?;
        *out = remaining(conn.is_client(), &mut conn.state());
        Ok(S2N_SUCCESS)
    })
}

/// Partial: a server reports its configured limit (not the lower of it and
/// the ticket's).
#[unsafe(no_mangle)]
pub extern "C" fn s2n_connection_get_max_early_data_size(
    conn: *mut s2n_connection,
    max_early_data_size: *mut u32,
) -> c_int {
    ffi::entry(|| {
        let conn = Connection::from_handle(conn)?;
        let out = ffi::out(max_early_data_size)?;
        *out = max_size(conn.is_client(), &conn.state());
        Ok(S2N_SUCCESS)
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_send_early_data(
    conn: *mut s2n_connection,
    data: *const u8,
    data_len: libc::ssize_t,
    data_sent: *mut libc::ssize_t,
    blocked: *mut BlockedStatusArg,
) -> c_int {
    ffi::entry(|| {
        let conn = Connection::from_handle(conn)?;
        let blocked = ffi::out(blocked)?;
        *blocked = s2n_blocked_status::S2N_NOT_BLOCKED.into();
        let sent = ffi::out(data_sent)?;
        *sent = 0;
        let len = usize::try_from(data_len).map_err(|_| Error::new(S2N_ERR_INVALID_ARGUMENT))?;
        let data = ffi::slice(data, len)?;
        if !conn.is_client() {
            return Err(Error::new(S2N_ERR_SERVER_MODE));
        }
        let mut count = 0;
        let result = crate::io::send_early_data(conn, data, &mut count, blocked);
        *sent = libc::ssize_t::try_from(count).unwrap_or(libc::ssize_t::MAX);
        result?;
        Ok(S2N_SUCCESS)
    })
}

/// Partial: returns once the client's handshake is complete (which rustls
/// reaches right after EndOfEarlyData), not at EndOfEarlyData itself; early
/// data rejected under a ticket the server cannot open is skipped without
/// error (s2n fails with `S2N_ERR_MAX_EARLY_DATA_SIZE`, then goes on).
#[unsafe(no_mangle)]
pub extern "C" fn s2n_recv_early_data(
    conn: *mut s2n_connection,
    data: *mut u8,
    max_data_len: libc::ssize_t,
    data_received: *mut libc::ssize_t,
    blocked: *mut BlockedStatusArg,
) -> c_int {
    ffi::entry(|| {
        let conn = Connection::from_handle(conn)?;
        let blocked = ffi::out(blocked)?;
        *blocked = s2n_blocked_status::S2N_NOT_BLOCKED.into();
        let received = ffi::out(data_received)?;
        *received = 0;
        let len =
            usize::try_from(max_data_len).map_err(|_| Error::new(S2N_ERR_INVALID_ARGUMENT))?;
        let buf = ffi::slice_mut(data, len)?;
        if conn.is_client() {
            return Err(Error::new(S2N_ERR_CLIENT_MODE));
        }
        let mut count = 0;
        let result = crate::io::recv_early_data(conn, buf, &mut count, blocked);
        *received = libc::ssize_t::try_from(count).unwrap_or(libc::ssize_t::MAX);
        result?;
        Ok(S2N_SUCCESS)
    })
}

/// Partial: the callback runs whenever the client requests early data and
/// the server allows some, before rustls checks the ticket (s2n runs it only
/// for a ticket that allows early data).
#[unsafe(no_mangle)]
pub extern "C" fn s2n_config_set_early_data_cb(
    config: *mut s2n_config,
    cb: s2n_early_data_cb,
) -> c_int {
    Config::set(config, |state| {
        state.early_data.cb = cb;
        Ok(())
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_offered_early_data_get_context_length(
    early_data: *mut s2n_offered_early_data,
    context_len: *mut u16,
) -> c_int {
    ffi::entry(|| {
        let conn = offered_conn(early_data)?;
        let out = ffi::out(context_len)?;
        *out = u16::try_from(conn.state().early.offered_context.len()).unwrap_or(u16::MAX);
        Ok(S2N_SUCCESS)
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_offered_early_data_get_context(
    early_data: *mut s2n_offered_early_data,
    context: *mut u8,
    max_len: u16,
) -> c_int {
    ffi::entry(|| {
        let conn = offered_conn(early_data)?;
        let state = conn.state();
        let ctx = &state.early.offered_context;
        if ctx.len() > usize::from(max_len) {
            return Err(Error::new(S2N_ERR_INSUFFICIENT_MEM_SIZE));
        }
        ffi::slice_mut(context, ctx.len())?.copy_from_slice(ctx);
        Ok(S2N_SUCCESS)
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_offered_early_data_reject(early_data: *mut s2n_offered_early_data) -> c_int {
    decide(early_data, Decision::Reject)
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_offered_early_data_accept(early_data: *mut s2n_offered_early_data) -> c_int {
    decide(early_data, Decision::Accept)
}

fn offered_conn<'a>(early_data: *mut s2n_offered_early_data) -> Result<&'a Connection, Error> {
    Connection::from_handle(early_data.cast())
}

fn decide(early_data: *mut s2n_offered_early_data, decision: Decision) -> c_int {
    ffi::entry(|| {
        let conn = offered_conn(early_data)?;
        let mut state = conn.state();
        if state.tls.is_some() || !state.early.cb_called {
            return Err(Error::new(S2N_ERR_INVALID_STATE));
        }
        state.early.decision = decision;
        Ok(S2N_SUCCESS)
    })
}
