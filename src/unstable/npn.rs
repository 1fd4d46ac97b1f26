#![allow(unused_variables, unused_imports)]
use crate::ffi;
use crate::ffi::c_enum_arg;
use crate::types::*;
use std::ffi::{c_char, c_int, c_ulong, c_void};

#[unsafe(no_mangle)]
pub extern "C" fn s2n_config_set_npn(config: *mut s2n_config, enable: bool) -> c_int {
    ffi::not_yet()
}
