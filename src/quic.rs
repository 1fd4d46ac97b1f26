#![allow(unused_variables, unused_imports)]
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

#[unsafe(no_mangle)]
pub extern "C" fn s2n_connection_is_quic_enabled(conn: *mut s2n_connection) -> bool {
    ffi::not_yet()
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_connection_are_session_tickets_enabled(conn: *mut s2n_connection) -> bool {
    ffi::not_yet()
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

#[unsafe(no_mangle)]
pub extern "C" fn s2n_error_get_alert(error: c_int, alert: *mut u8) -> c_int {
    ffi::not_yet()
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_recv_quic_post_handshake_message(
    conn: *mut s2n_connection,
    blocked: *mut BlockedStatusArg,
) -> c_int {
    ffi::not_yet()
}
