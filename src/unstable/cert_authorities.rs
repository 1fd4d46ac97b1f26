#![allow(unused_variables, unused_imports)]
use crate::ffi;
use crate::ffi::c_enum_arg;
use crate::types::*;
use std::ffi::{c_char, c_int, c_ulong, c_void};

/// Opaque handle: `struct s2n_certificate_request` in C.
#[repr(C)]
pub struct s2n_certificate_request {
    _private: [u8; 0],
}

/// Opaque handle: `struct s2n_certificate_authority_list` in C.
#[repr(C)]
pub struct s2n_certificate_authority_list {
    _private: [u8; 0],
}

pub type s2n_cert_request_callback = Option<
    unsafe extern "C" fn(
        conn: *mut s2n_connection,
        ctx: *mut c_void,
        request: *mut s2n_certificate_request,
    ) -> c_int,
>;

#[unsafe(no_mangle)]
pub extern "C" fn s2n_certificate_request_get_ca_list(
    request: *mut s2n_certificate_request,
) -> *mut s2n_certificate_authority_list {
    ffi::not_yet()
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_certificate_request_set_certificate(
    request: *mut s2n_certificate_request,
    chain: *mut s2n_cert_chain_and_key,
) -> c_int {
    ffi::not_yet()
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_certificate_authority_list_has_next(
    list: *mut s2n_certificate_authority_list,
) -> bool {
    ffi::not_yet()
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_certificate_authority_list_next(
    list: *mut s2n_certificate_authority_list,
    name: *mut *mut u8,
    length: *mut u16,
) -> c_int {
    ffi::not_yet()
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_certificate_authority_list_reread(
    list: *mut s2n_certificate_authority_list,
) -> c_int {
    ffi::not_yet()
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_config_set_cert_request_callback(
    config: *mut s2n_config,
    cert_req_callback: s2n_cert_request_callback,
    ctx: *mut c_void,
) -> c_int {
    ffi::not_yet()
}
