#![allow(unused_variables, unused_imports)]
use crate::ffi;
use crate::ffi::c_enum_arg;
use crate::types::*;
use std::ffi::{c_char, c_int, c_ulong, c_void};

#[unsafe(no_mangle)]
pub extern "C" fn s2n_config_add_custom_x509_extension(
    config: *mut s2n_config,
    extension_oid: *mut u8,
    extension_oid_len: u32,
) -> c_int {
    ffi::not_yet()
}
