#![allow(unused_variables, unused_imports)]
use crate::error::Error;
use crate::ffi;
use crate::ffi::c_enum_arg;
use crate::types::*;
use std::ffi::{c_char, c_int, c_ulong, c_void};

#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum s2n_secret_type_t {
    S2N_CLIENT_EARLY_TRAFFIC_SECRET = 0,
    S2N_CLIENT_HANDSHAKE_TRAFFIC_SECRET = 1,
    S2N_SERVER_HANDSHAKE_TRAFFIC_SECRET = 2,
    S2N_CLIENT_APPLICATION_TRAFFIC_SECRET = 3,
    S2N_SERVER_APPLICATION_TRAFFIC_SECRET = 4,
    S2N_EXPORTER_SECRET = 5,
}
c_enum_arg!(SecretTypeArg => s2n_secret_type_t { S2N_CLIENT_EARLY_TRAFFIC_SECRET, S2N_CLIENT_HANDSHAKE_TRAFFIC_SECRET, S2N_SERVER_HANDSHAKE_TRAFFIC_SECRET, S2N_CLIENT_APPLICATION_TRAFFIC_SECRET, S2N_SERVER_APPLICATION_TRAFFIC_SECRET, S2N_EXPORTER_SECRET });

pub type s2n_secret_cb = Option<
    unsafe extern "C" fn(
        context: *mut c_void,
        conn: *mut s2n_connection,
        secret_type: SecretTypeArg,
        secret: *mut u8,
        secret_size: u8,
    ) -> c_int,
>;

#[unsafe(no_mangle)]
pub extern "C" fn s2n_config_enable_quic(config: *mut s2n_config) -> c_int {
    ffi::not_yet()
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_connection_enable_quic(conn: *mut s2n_connection) -> c_int {
    ffi::not_yet()
}

/// Always false: QUIC cannot be enabled in s2nrs (see `s2n_config_enable_quic`).
#[unsafe(no_mangle)]
pub extern "C" fn s2n_connection_is_quic_enabled(conn: *mut s2n_connection) -> bool {
    false
}

/// Whether the connection's config has session tickets on; false for NULL
/// (without an error, as in s2n).
#[unsafe(no_mangle)]
pub extern "C" fn s2n_connection_are_session_tickets_enabled(conn: *mut s2n_connection) -> bool {
    if conn.is_null() {
        return false;
    }
    ffi::entry(|| {
        let conn = crate::connection::Connection::from_handle(conn)?;
        let config = conn.state().config.clone();
        let enabled = config.read().tickets;
        Ok(enabled)
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_connection_set_quic_transport_parameters(
    conn: *mut s2n_connection,
    data_buffer: *const u8,
    data_len: u16,
) -> c_int {
    ffi::not_yet()
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_connection_get_quic_transport_parameters(
    conn: *mut s2n_connection,
    data_buffer: *mut *const u8,
    data_len: *mut u16,
) -> c_int {
    ffi::not_yet()
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_connection_set_secret_callback(
    conn: *mut s2n_connection,
    cb_func: s2n_secret_cb,
    ctx: *mut c_void,
) -> c_int {
    ffi::not_yet()
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

/// TLS alert descriptions (RFC 8446 section 6).
mod alert {
    pub const UNEXPECTED_MESSAGE: u8 = 10;
    pub const HANDSHAKE_FAILURE: u8 = 40;
    pub const BAD_CERTIFICATE: u8 = 42;
    pub const UNSUPPORTED_CERTIFICATE: u8 = 43;
    pub const CERTIFICATE_REVOKED: u8 = 44;
    pub const CERTIFICATE_EXPIRED: u8 = 45;
    pub const CERTIFICATE_UNKNOWN: u8 = 46;
    pub const ACCESS_DENIED: u8 = 49;
    pub const INTERNAL_ERROR: u8 = 80;
    pub const MISSING_EXTENSION: u8 = 109;
    pub const CERTIFICATE_REQUIRED: u8 = 116;
}

/// s2n's mapping from an error code to the alert it sends.
fn alert_for(error: c_int) -> Result<u8, Error> {
    use crate::error::*;
    use crate::types::s2n_error_type::*;
    let kind = error >> 26;
    if kind == S2N_ERR_T_IO as c_int || kind == S2N_ERR_T_INTERNAL as c_int {
        return Ok(alert::INTERNAL_ERROR);
    }
    if kind != S2N_ERR_T_PROTO as c_int {
        return Err(Error::new(S2N_ERR_NO_ALERT));
    }
    let mapped = match error {
        S2N_ERR_MISSING_EXTENSION => alert::MISSING_EXTENSION,
        S2N_ERR_NO_VALID_SIGNATURE_SCHEME | S2N_ERR_NO_RENEGOTIATION => alert::HANDSHAKE_FAILURE,
        S2N_ERR_MISSING_CLIENT_CERT => alert::CERTIFICATE_REQUIRED,
        S2N_ERR_BAD_MESSAGE
        | S2N_ERR_UNEXPECTED_CERT_REQUEST
        | S2N_ERR_MISSING_CERT_REQUEST
        | S2N_ERR_KTLS_KEYUPDATE => alert::UNEXPECTED_MESSAGE,
        S2N_ERR_CERT_UNTRUSTED
        | S2N_ERR_CERT_UNHANDLED_CRITICAL_EXTENSION
        | S2N_ERR_CERT_INVALID_HOSTNAME => alert::CERTIFICATE_UNKNOWN,
        S2N_ERR_CERT_REVOKED => alert::CERTIFICATE_REVOKED,
        S2N_ERR_CERT_NOT_YET_VALID | S2N_ERR_CERT_EXPIRED => alert::CERTIFICATE_EXPIRED,
        S2N_ERR_CERT_TYPE_UNSUPPORTED => alert::UNSUPPORTED_CERTIFICATE,
        S2N_ERR_CERT_REJECTED => alert::ACCESS_DENIED,
        S2N_ERR_CERT_MAX_CHAIN_DEPTH_EXCEEDED
        | S2N_ERR_CERT_INVALID
        | S2N_ERR_DECODE_CERTIFICATE => alert::BAD_CERTIFICATE,
        // Protocol errors s2n knows but sends no alert for.
        S2N_ERR_ENCRYPT..=S2N_ERR_CERT_INTENT_INVALID => {
            return Err(Error::new(S2N_ERR_NO_ALERT));
        }
        // A protocol error s2n does not know.
        _ => return Err(Error::new(S2N_ERR_UNIMPLEMENTED)),
    };
    Ok(mapped)
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_recv_quic_post_handshake_message(
    conn: *mut s2n_connection,
    blocked: *mut BlockedStatusArg,
) -> c_int {
    ffi::not_yet()
}
