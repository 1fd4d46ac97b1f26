#![allow(unused_variables, unused_imports)]
use crate::ffi;
use crate::ffi::c_enum_arg;
use crate::types::*;
use std::ffi::{c_char, c_int, c_ulong, c_void};

/// Opaque handle: `struct s2n_fingerprint` in C.
#[repr(C)]
pub struct s2n_fingerprint {
    _private: [u8; 0],
}

#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum s2n_fingerprint_type {
    S2N_FINGERPRINT_JA3 = 0,
    S2N_FINGERPRINT_JA4 = 1,
}
c_enum_arg!(FingerprintTypeArg => s2n_fingerprint_type { S2N_FINGERPRINT_JA3, S2N_FINGERPRINT_JA4 });

#[unsafe(no_mangle)]
pub extern "C" fn s2n_fingerprint_new(r#type: FingerprintTypeArg) -> *mut s2n_fingerprint {
    ffi::not_yet()
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_fingerprint_free(fingerprint: *mut *mut s2n_fingerprint) -> c_int {
    ffi::not_yet()
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_fingerprint_wipe(fingerprint: *mut s2n_fingerprint) -> c_int {
    ffi::not_yet()
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_fingerprint_set_client_hello(
    fingerprint: *mut s2n_fingerprint,
    ch: *mut s2n_client_hello,
) -> c_int {
    ffi::not_yet()
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_fingerprint_get_hash_size(
    fingerprint: *const s2n_fingerprint,
    size: *mut u32,
) -> c_int {
    ffi::not_yet()
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_fingerprint_get_hash(
    fingerprint: *mut s2n_fingerprint,
    max_output_size: u32,
    output: *mut u8,
    output_size: *mut u32,
) -> c_int {
    ffi::not_yet()
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_fingerprint_get_raw_size(
    fingerprint: *const s2n_fingerprint,
    size: *mut u32,
) -> c_int {
    ffi::not_yet()
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_fingerprint_get_raw(
    fingerprint: *mut s2n_fingerprint,
    max_output_size: u32,
    output: *mut u8,
    output_size: *mut u32,
) -> c_int {
    ffi::not_yet()
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_client_hello_get_fingerprint_hash(
    ch: *mut s2n_client_hello,
    r#type: FingerprintTypeArg,
    max_hash_size: u32,
    hash: *mut u8,
    hash_size: *mut u32,
    str_size: *mut u32,
) -> c_int {
    ffi::not_yet()
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_client_hello_get_fingerprint_string(
    ch: *mut s2n_client_hello,
    r#type: FingerprintTypeArg,
    max_size: u32,
    output: *mut u8,
    output_size: *mut u32,
) -> c_int {
    ffi::not_yet()
}
