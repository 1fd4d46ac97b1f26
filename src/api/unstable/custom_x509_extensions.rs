//! `s2n/unstable/custom_x509_extensions.h`. The exported functions: C
//! arguments in, s2n's result out.

use crate::ffi;
use crate::types::*;
use std::ffi::c_int;

#[unsafe(no_mangle)]
pub extern "C" fn s2n_config_add_custom_x509_extension(
    config: *mut s2n_config,
    extension_oid: *mut u8,
    extension_oid_len: u32,
) -> c_int {
    let _ = (config, extension_oid, extension_oid_len);
    ffi::unsupported(
        "webpki rejects every certificate with an unknown critical extension and cannot be told to accept one",
    )
}
