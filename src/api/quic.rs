//! The exported functions of `crate::quic` (C arguments in, the core
//! called, s2n's result out).

use crate::connection::Connection;
use crate::error::*;
use crate::ffi;
use crate::ffi::CPtr;
use crate::io::quic::{is_enabled, process, read_message};
use crate::quic::*;
use crate::types::*;
use std::ffi::c_int;
use std::ffi::c_void;

/// Partial: makes every connection of this config a QUIC connection (TLS1.3
/// only; checked when the handshake starts). On QUIC connections s2nrs has no
/// 0-RTT, no ClientHello callback (the handshake fails with
/// `S2N_ERR_UNIMPLEMENTED`), and the getters of negotiated parameters that
/// read rustls's TLS connection (version, cipher, peer certificates)
/// have nothing to report.
#[unsafe(no_mangle)]
pub extern "C" fn s2n_config_enable_quic(config: *mut s2n_config) -> c_int {
    crate::config::Config::set(config, |state| {
        state.quic = true;
        Ok(())
    })
}

/// Partial: makes this connection a QUIC connection (not with recv
/// buffering, as in s2n); the limits of `s2n_config_enable_quic` apply.
#[unsafe(no_mangle)]
pub extern "C" fn s2n_connection_enable_quic(conn: *mut s2n_connection) -> c_int {
    ffi::entry(|| {
        let conn = Connection::from_handle(conn)?;
        let mut state = conn.state();
        if state.settings.recv_buffering {
            return Err(Error::with_reason(
                S2N_ERR_INVALID_STATE,
                "QUIC is not compatible with recv buffering",
            ));
        }
        state.quic.settings.get_or_insert_default().enabled = true;
        Ok(S2N_SUCCESS)
    })
}

/// True when QUIC is enabled on the connection or its config; false for NULL.
#[unsafe(no_mangle)]
pub extern "C" fn s2n_connection_is_quic_enabled(conn: *mut s2n_connection) -> bool {
    if conn.is_null() {
        return false;
    }
    ffi::entry(|| Ok(is_enabled(Connection::from_handle(conn)?)))
}

/// Whether the connection's config has session tickets on; false for NULL
/// (without an error, as in s2n).
#[unsafe(no_mangle)]
pub extern "C" fn s2n_connection_are_session_tickets_enabled(conn: *mut s2n_connection) -> bool {
    if conn.is_null() {
        return false;
    }
    ffi::entry(|| {
        let conn = Connection::from_handle(conn)?;
        let config = conn.state().config.clone();
        let enabled = config.read().resumption.tickets;
        Ok(enabled)
    })
}

/// The bytes our quic_transport_parameters extension carries (copied).
#[unsafe(no_mangle)]
pub extern "C" fn s2n_connection_set_quic_transport_parameters(
    conn: *mut s2n_connection,
    data_buffer: *const u8,
    data_len: u16,
) -> c_int {
    ffi::entry(|| {
        let conn = Connection::from_handle(conn)?;
        let data = if data_len == 0 {
            Vec::new()
        } else {
            ffi::slice(data_buffer, usize::from(data_len))?.to_vec()
        };
        conn.state().quic.settings.get_or_insert_default().params = data;
        Ok(S2N_SUCCESS)
    })
}

/// The peer's quic_transport_parameters bytes, owned by the connection (NULL
/// and 0 before they arrive).
#[unsafe(no_mangle)]
pub extern "C" fn s2n_connection_get_quic_transport_parameters(
    conn: *mut s2n_connection,
    data_buffer: *mut *const u8,
    data_len: *mut u16,
) -> c_int {
    ffi::entry(|| {
        let conn = Connection::from_handle(conn)?;
        let buffer = ffi::out(data_buffer)?;
        let len = ffi::out(data_len)?;
        let state = conn.state();
        let params = state
            .quic
            .settings
            .as_ref()
            .map_or(&[][..], |q| &q.peer_params[..]);
        *buffer = if params.is_empty() {
            std::ptr::null()
        } else {
            params.as_ptr()
        };
        *len = u16::try_from(params.len()).unwrap_or(u16::MAX);
        Ok(S2N_SUCCESS)
    })
}

/// The callback that gets each traffic secret (QUIC connections only, as in s2n).
#[unsafe(no_mangle)]
pub extern "C" fn s2n_connection_set_secret_callback(
    conn: *mut s2n_connection,
    cb_func: s2n_secret_cb,
    ctx: *mut c_void,
) -> c_int {
    ffi::entry(|| {
        let conn = Connection::from_handle(conn)?;
        if cb_func.is_none() {
            return Err(Error::new(S2N_ERR_NULL));
        }
        conn.state().quic.settings.get_or_insert_default().secret_cb = Some((cb_func, CPtr(ctx)));
        Ok(S2N_SUCCESS)
    })
}

/// The TLS alert s2n sends for an error: internal_error for I/O and internal
/// errors, s2n's table for protocol errors, `S2N_ERR_NO_ALERT` for the rest.
#[unsafe(no_mangle)]
pub extern "C" fn s2n_error_get_alert(error: c_int, alert: *mut u8) -> c_int {
    ffi::entry(|| {
        let out = ffi::out(alert)?;
        *out = alert_for(error)?;
        Ok(S2N_SUCCESS)
    })
}

/// Reads one post-handshake message (a NewSessionTicket: s2n allows no
/// other) from the connection's I/O and processes it.
#[unsafe(no_mangle)]
pub extern "C" fn s2n_recv_quic_post_handshake_message(
    conn: *mut s2n_connection,
    blocked: *mut BlockedStatusArg,
) -> c_int {
    ffi::entry(|| {
        let conn = Connection::from_handle(conn)?;
        let blocked = ffi::out(blocked)?;
        *blocked = s2n_blocked_status::S2N_BLOCKED_ON_READ.into();
        let mut engine = conn.state().quic.engine.take().ok_or_else(|| {
            Error::with_reason(
                S2N_ERR_INVALID_STATE,
                "no QUIC handshake on this connection",
            )
        })?;
        let result = (|| {
            let message = read_message(conn, &mut engine, blocked)?;
            if message.first() != Some(&NEW_SESSION_TICKET) {
                return Err(Error::new(S2N_ERR_UNSUPPORTED_WITH_QUIC));
            }
            process(conn, &mut engine, &message)
        })();
        conn.state().quic.engine = Some(engine);
        result?;
        *blocked = s2n_blocked_status::S2N_NOT_BLOCKED.into();
        Ok(S2N_SUCCESS)
    })
}
