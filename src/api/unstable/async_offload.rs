//! `s2n/unstable/async_offload.h`: the exported functions of `crate::unstable::async_offload`
//! (C arguments in, the core called, s2n's result out).

use crate::ffi;
use crate::types::*;
use crate::unstable::async_offload::*;
use std::ffi::c_int;
use std::ffi::c_void;

#[unsafe(no_mangle)]
pub extern "C" fn s2n_config_set_async_offload_callback(
    config: *mut s2n_config,
    allow_list: u32,
    r#fn: s2n_async_offload_cb,
    ctx: *mut c_void,
) -> c_int {
    let _ = (config, allow_list, r#fn, ctx);
    ffi::unsupported(
        "rustls verifies handshake signatures synchronously inside its state machine and cannot pause a handshake for an offloaded operation",
    )
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_async_offload_op_perform(op: *mut s2n_async_offload_op) -> c_int {
    let _ = op;
    ffi::unsupported(
        "rustls verifies handshake signatures synchronously inside its state machine and cannot pause a handshake for an offloaded operation",
    )
}
