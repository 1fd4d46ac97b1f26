//! Asynchronous private-key operations (`s2n_async_pkey_*`), which rustls
//! cannot do: it calls its signer synchronously while processing a handshake
//! message and has no way to suspend and resume there.

#![allow(unused_variables, unused_imports)]
use crate::ffi;
use crate::types::*;
use std::ffi::{c_char, c_int, c_ulong, c_void};

#[unsafe(no_mangle)]
pub extern "C" fn s2n_config_set_async_pkey_callback(
    config: *mut s2n_config,
    r#fn: s2n_async_pkey_fn,
) -> c_int {
    ffi::unsupported(
        "rustls signs synchronously inside its handshake state machine and cannot pause a handshake for an asynchronous private-key operation",
    )
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_async_pkey_op_perform(
    op: *mut s2n_async_pkey_op,
    key: *mut s2n_cert_private_key,
) -> c_int {
    ffi::unsupported(
        "rustls signs synchronously inside its handshake state machine and cannot pause a handshake for an asynchronous private-key operation",
    )
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_async_pkey_op_apply(
    op: *mut s2n_async_pkey_op,
    conn: *mut s2n_connection,
) -> c_int {
    ffi::unsupported(
        "rustls signs synchronously inside its handshake state machine and cannot pause a handshake for an asynchronous private-key operation",
    )
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_async_pkey_op_free(op: *mut s2n_async_pkey_op) -> c_int {
    ffi::unsupported(
        "rustls signs synchronously inside its handshake state machine and cannot pause a handshake for an asynchronous private-key operation",
    )
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_config_set_async_pkey_validation_mode(
    config: *mut s2n_config,
    mode: AsyncPkeyValidationModeArg,
) -> c_int {
    ffi::unsupported(
        "rustls signs synchronously inside its handshake state machine and cannot pause a handshake for an asynchronous private-key operation",
    )
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_async_pkey_op_get_op_type(
    op: *mut s2n_async_pkey_op,
    r#type: *mut AsyncPkeyOpTypeArg,
) -> c_int {
    ffi::unsupported(
        "rustls signs synchronously inside its handshake state machine and cannot pause a handshake for an asynchronous private-key operation",
    )
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_async_pkey_op_get_input_size(
    op: *mut s2n_async_pkey_op,
    data_len: *mut u32,
) -> c_int {
    ffi::unsupported(
        "rustls signs synchronously inside its handshake state machine and cannot pause a handshake for an asynchronous private-key operation",
    )
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_async_pkey_op_get_input(
    op: *mut s2n_async_pkey_op,
    data: *mut u8,
    data_len: u32,
) -> c_int {
    ffi::unsupported(
        "rustls signs synchronously inside its handshake state machine and cannot pause a handshake for an asynchronous private-key operation",
    )
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_async_pkey_op_set_output(
    op: *mut s2n_async_pkey_op,
    data: *const u8,
    data_len: u32,
) -> c_int {
    ffi::unsupported(
        "rustls signs synchronously inside its handshake state machine and cannot pause a handshake for an asynchronous private-key operation",
    )
}
