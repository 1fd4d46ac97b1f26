#![allow(unused_variables, unused_imports)]
use crate::ffi;
use crate::ffi::c_enum_arg;
use crate::types::*;
use std::ffi::{c_char, c_int, c_ulong, c_void};

/// Opaque handle: `struct s2n_crl_lookup` in C.
#[repr(C)]
pub struct s2n_crl_lookup {
    _private: [u8; 0],
}

/// Opaque handle: `struct s2n_crl` in C.
#[repr(C)]
pub struct s2n_crl {
    _private: [u8; 0],
}

/// Opaque handle: `struct s2n_cert_validation_info` in C.
#[repr(C)]
pub struct s2n_cert_validation_info {
    _private: [u8; 0],
}

pub type s2n_crl_lookup_callback =
    Option<unsafe extern "C" fn(lookup: *mut s2n_crl_lookup, context: *mut c_void) -> c_int>;

pub type s2n_cert_validation_callback = Option<
    unsafe extern "C" fn(
        conn: *mut s2n_connection,
        info: *mut s2n_cert_validation_info,
        context: *mut c_void,
    ) -> c_int,
>;

#[unsafe(no_mangle)]
pub extern "C" fn s2n_config_set_crl_lookup_cb(
    config: *mut s2n_config,
    callback: s2n_crl_lookup_callback,
    context: *mut c_void,
) -> c_int {
    ffi::not_yet()
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_crl_new() -> *mut s2n_crl {
    ffi::not_yet()
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_crl_load_pem(crl: *mut s2n_crl, pem: *mut u8, len: usize) -> c_int {
    ffi::not_yet()
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_crl_free(crl: *mut *mut s2n_crl) -> c_int {
    ffi::not_yet()
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_crl_get_issuer_hash(crl: *mut s2n_crl, hash: *mut u64) -> c_int {
    ffi::not_yet()
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_crl_validate_active(crl: *mut s2n_crl) -> c_int {
    ffi::not_yet()
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_crl_validate_not_expired(crl: *mut s2n_crl) -> c_int {
    ffi::not_yet()
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_crl_lookup_get_cert_issuer_hash(
    lookup: *mut s2n_crl_lookup,
    hash: *mut u64,
) -> c_int {
    ffi::not_yet()
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_crl_lookup_set(lookup: *mut s2n_crl_lookup, crl: *mut s2n_crl) -> c_int {
    ffi::not_yet()
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_crl_lookup_ignore(lookup: *mut s2n_crl_lookup) -> c_int {
    ffi::not_yet()
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_config_set_cert_validation_cb(
    config: *mut s2n_config,
    callback: s2n_cert_validation_callback,
    context: *mut c_void,
) -> c_int {
    ffi::not_yet()
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_cert_validation_accept(info: *mut s2n_cert_validation_info) -> c_int {
    ffi::not_yet()
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_cert_validation_reject(info: *mut s2n_cert_validation_info) -> c_int {
    ffi::not_yet()
}
