#![allow(unused_variables, unused_imports)]
use crate::ffi;
use crate::ffi::c_enum_arg;
use crate::types::*;
use std::ffi::{c_char, c_int, c_ulong, c_void};

#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum s2n_renegotiate_response {
    S2N_RENEGOTIATE_IGNORE = 0,
    S2N_RENEGOTIATE_REJECT = 1,
    S2N_RENEGOTIATE_ACCEPT = 2,
}
c_enum_arg!(RenegotiateResponseArg => s2n_renegotiate_response { S2N_RENEGOTIATE_IGNORE, S2N_RENEGOTIATE_REJECT, S2N_RENEGOTIATE_ACCEPT });

pub type s2n_renegotiate_request_cb = Option<
    unsafe extern "C" fn(
        conn: *mut s2n_connection,
        context: *mut c_void,
        response: *mut RenegotiateResponseArg,
    ) -> c_int,
>;

#[unsafe(no_mangle)]
pub extern "C" fn s2n_config_set_renegotiate_request_cb(
    config: *mut s2n_config,
    callback: s2n_renegotiate_request_cb,
    context: *mut c_void,
) -> c_int {
    ffi::not_yet()
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_renegotiate_wipe(conn: *mut s2n_connection) -> c_int {
    ffi::not_yet()
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_renegotiate(
    conn: *mut s2n_connection,
    app_data_buf: *mut u8,
    app_data_buf_size: libc::ssize_t,
    app_data_size: *mut libc::ssize_t,
    blocked: *mut BlockedStatusArg,
) -> c_int {
    ffi::not_yet()
}
