//! `s2n/unstable/async_offload.h`: handing the handshake's signature
//! verification to the application, which rustls cannot do.

use crate::ffi::c_enum_arg;
use crate::types::*;
use std::ffi::{c_int, c_void};

/// Opaque handle: `struct s2n_async_offload_op` in C.
#[repr(C)]
pub struct s2n_async_offload_op {
    _private: [u8; 0],
}

#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum s2n_async_offload_op_type {
    S2N_ASYNC_OFFLOAD_PKEY_VERIFY = 1,
    S2N_ASYNC_OFFLOAD_ALLOW_ALL = 2147483647,
}
c_enum_arg!(AsyncOffloadOpTypeArg => s2n_async_offload_op_type { S2N_ASYNC_OFFLOAD_PKEY_VERIFY, S2N_ASYNC_OFFLOAD_ALLOW_ALL });

pub type s2n_async_offload_cb = Option<
    unsafe extern "C" fn(
        conn: *mut s2n_connection,
        op: *mut s2n_async_offload_op,
        ctx: *mut c_void,
    ) -> c_int,
>;
