#![allow(unused_variables, unused_imports)]
use crate::ffi;
use crate::types::*;
use std::ffi::{c_char, c_int, c_ulong, c_void};

#[unsafe(no_mangle)]
pub extern "C" fn s2n_external_psk_new() -> *mut s2n_psk {
    ffi::not_yet()
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_psk_free(psk: *mut *mut s2n_psk) -> c_int {
    ffi::not_yet()
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_psk_set_identity(
    psk: *mut s2n_psk,
    identity: *const u8,
    identity_size: u16,
) -> c_int {
    ffi::not_yet()
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_psk_set_secret(
    psk: *mut s2n_psk,
    secret: *const u8,
    secret_size: u16,
) -> c_int {
    ffi::not_yet()
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_psk_set_hmac(psk: *mut s2n_psk, hmac: PskHmacArg) -> c_int {
    ffi::not_yet()
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_connection_append_psk(conn: *mut s2n_connection, psk: *mut s2n_psk) -> c_int {
    ffi::not_yet()
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_config_set_psk_mode(config: *mut s2n_config, mode: PskModeArg) -> c_int {
    ffi::not_yet()
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_connection_set_psk_mode(
    conn: *mut s2n_connection,
    mode: PskModeArg,
) -> c_int {
    ffi::not_yet()
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_connection_get_negotiated_psk_identity_length(
    conn: *mut s2n_connection,
    identity_length: *mut u16,
) -> c_int {
    ffi::not_yet()
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_connection_get_negotiated_psk_identity(
    conn: *mut s2n_connection,
    identity: *mut u8,
    max_identity_length: u16,
) -> c_int {
    ffi::not_yet()
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_offered_psk_new() -> *mut s2n_offered_psk {
    ffi::not_yet()
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_offered_psk_free(psk: *mut *mut s2n_offered_psk) -> c_int {
    ffi::not_yet()
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_offered_psk_get_identity(
    psk: *mut s2n_offered_psk,
    identity: *mut *mut u8,
    size: *mut u16,
) -> c_int {
    ffi::not_yet()
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_offered_psk_list_has_next(psk_list: *mut s2n_offered_psk_list) -> bool {
    ffi::not_yet()
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_offered_psk_list_next(
    psk_list: *mut s2n_offered_psk_list,
    psk: *mut s2n_offered_psk,
) -> c_int {
    ffi::not_yet()
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_offered_psk_list_reread(psk_list: *mut s2n_offered_psk_list) -> c_int {
    ffi::not_yet()
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_offered_psk_list_choose_psk(
    psk_list: *mut s2n_offered_psk_list,
    psk: *mut s2n_offered_psk,
) -> c_int {
    ffi::not_yet()
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_config_set_psk_selection_callback(
    config: *mut s2n_config,
    cb: s2n_psk_selection_callback,
    context: *mut c_void,
) -> c_int {
    ffi::not_yet()
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_psk_configure_early_data(
    psk: *mut s2n_psk,
    max_early_data_size: u32,
    cipher_suite_first_byte: u8,
    cipher_suite_second_byte: u8,
) -> c_int {
    ffi::not_yet()
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_psk_set_application_protocol(
    psk: *mut s2n_psk,
    application_protocol: *const u8,
    size: u8,
) -> c_int {
    ffi::not_yet()
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_psk_set_early_data_context(
    psk: *mut s2n_psk,
    context: *const u8,
    size: u16,
) -> c_int {
    ffi::not_yet()
}
