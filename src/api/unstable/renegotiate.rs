//! `s2n/unstable/renegotiate.h`: the exported functions of `crate::unstable::renegotiate`
//! (C arguments in, the core called, s2n's result out).

use crate::ffi;
use crate::ffi::CPtr;
use crate::types::*;
use crate::unstable::renegotiate::*;
use std::ffi::c_int;
use std::ffi::c_void;

#[unsafe(no_mangle)]
pub extern "C" fn s2n_config_set_renegotiate_request_cb(
    config: *mut s2n_config,
    callback: s2n_renegotiate_request_cb,
    context: *mut c_void,
) -> c_int {
    crate::config::Config::set(config, |state| {
        if state.serializable {
            return Err(crate::error::Error::with_reason(
                crate::error::S2N_ERR_INVALID_STATE,
                "a config cannot both renegotiate and serialize connections",
            ));
        }
        state.renegotiate_cb = callback.map(|f| (Some(f), CPtr(context)));
        Ok(())
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_renegotiate_wipe(_conn: *mut s2n_connection) -> c_int {
    ffi::unsupported("rustls cannot renegotiate a TLS1.2 connection")
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_renegotiate(
    _conn: *mut s2n_connection,
    _app_data_buf: *mut u8,
    _app_data_buf_size: libc::ssize_t,
    _app_data_size: *mut libc::ssize_t,
    _blocked: *mut BlockedStatusArg,
) -> c_int {
    ffi::unsupported("rustls cannot renegotiate a TLS1.2 connection")
}
