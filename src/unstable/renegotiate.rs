//! `s2n/unstable/renegotiate.h`: TLS1.2 renegotiation, which rustls does not
//! do. A rustls client answers a server's HelloRequest itself with a
//! no_renegotiation warning alert (what `S2N_RENEGOTIATE_REJECT` does in s2n)
//! and fails the connection on a second one; there is no hook through which
//! s2nrs could call the application's callback or honour its answer.

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
    ffi::unsupported(
        "rustls answers every HelloRequest itself (no_renegotiation warning, fatal on a second) and offers no hook to call this callback or to ignore or accept the request",
    )
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_renegotiate_wipe(conn: *mut s2n_connection) -> c_int {
    ffi::unsupported("rustls cannot renegotiate a TLS1.2 connection")
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_renegotiate(
    conn: *mut s2n_connection,
    app_data_buf: *mut u8,
    app_data_buf_size: libc::ssize_t,
    app_data_size: *mut libc::ssize_t,
    blocked: *mut BlockedStatusArg,
) -> c_int {
    ffi::unsupported("rustls cannot renegotiate a TLS1.2 connection")
}
