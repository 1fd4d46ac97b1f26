#![allow(unused_variables, unused_imports)]
use crate::ffi;
use crate::types::*;
use std::ffi::{c_char, c_int, c_ulong, c_void};

#[unsafe(no_mangle)]
pub extern "C" fn s2n_config_set_cache_store_callback(
    config: *mut s2n_config,
    cache_store_callback: s2n_cache_store_callback,
    data: *mut c_void,
) -> c_int {
    ffi::not_yet()
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_config_set_cache_retrieve_callback(
    config: *mut s2n_config,
    cache_retrieve_callback: s2n_cache_retrieve_callback,
    data: *mut c_void,
) -> c_int {
    ffi::not_yet()
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_config_set_cache_delete_callback(
    config: *mut s2n_config,
    cache_delete_callback: s2n_cache_delete_callback,
    data: *mut c_void,
) -> c_int {
    ffi::not_yet()
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_config_set_session_state_lifetime(
    config: *mut s2n_config,
    lifetime_in_secs: u64,
) -> c_int {
    ffi::not_yet()
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_config_set_session_tickets_onoff(
    config: *mut s2n_config,
    enabled: u8,
) -> c_int {
    ffi::not_yet()
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_config_set_session_cache_onoff(
    config: *mut s2n_config,
    enabled: u8,
) -> c_int {
    ffi::not_yet()
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_config_set_ticket_encrypt_decrypt_key_lifetime(
    config: *mut s2n_config,
    lifetime_in_secs: u64,
) -> c_int {
    ffi::not_yet()
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_config_set_ticket_decrypt_key_lifetime(
    config: *mut s2n_config,
    lifetime_in_secs: u64,
) -> c_int {
    ffi::not_yet()
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_config_add_ticket_crypto_key(
    config: *mut s2n_config,
    name: *const u8,
    name_len: u32,
    key: *mut u8,
    key_len: u32,
    intro_time_in_seconds_from_epoch: u64,
) -> c_int {
    ffi::not_yet()
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_config_require_ticket_forward_secrecy(
    config: *mut s2n_config,
    enabled: bool,
) -> c_int {
    ffi::not_yet()
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_config_set_initial_ticket_count(config: *mut s2n_config, num: u8) -> c_int {
    ffi::not_yet()
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_connection_add_new_tickets_to_send(
    conn: *mut s2n_connection,
    num: u8,
) -> c_int {
    ffi::not_yet()
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_connection_get_tickets_sent(
    conn: *mut s2n_connection,
    num: *mut u16,
) -> c_int {
    ffi::not_yet()
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_connection_set_server_keying_material_lifetime(
    conn: *mut s2n_connection,
    lifetime_in_secs: u32,
) -> c_int {
    ffi::not_yet()
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_config_set_session_ticket_cb(
    config: *mut s2n_config,
    callback: s2n_session_ticket_fn,
    ctx: *mut c_void,
) -> c_int {
    ffi::not_yet()
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_session_ticket_get_data_len(
    ticket: *mut s2n_session_ticket,
    data_len: *mut usize,
) -> c_int {
    ffi::not_yet()
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_session_ticket_get_data(
    ticket: *mut s2n_session_ticket,
    max_data_len: usize,
    data: *mut u8,
) -> c_int {
    ffi::not_yet()
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_session_ticket_get_lifetime(
    ticket: *mut s2n_session_ticket,
    session_lifetime: *mut u32,
) -> c_int {
    ffi::not_yet()
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_connection_set_session(
    conn: *mut s2n_connection,
    session: *const u8,
    length: usize,
) -> c_int {
    ffi::not_yet()
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_connection_get_session(
    conn: *mut s2n_connection,
    session: *mut u8,
    max_length: usize,
) -> c_int {
    ffi::not_yet()
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_connection_get_session_ticket_lifetime_hint(
    conn: *mut s2n_connection,
) -> c_int {
    ffi::not_yet()
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_connection_get_session_length(conn: *mut s2n_connection) -> c_int {
    ffi::not_yet()
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_connection_get_session_id_length(conn: *mut s2n_connection) -> c_int {
    ffi::not_yet()
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_connection_get_session_id(
    conn: *mut s2n_connection,
    session_id: *mut u8,
    max_length: usize,
) -> c_int {
    ffi::not_yet()
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_connection_is_session_resumed(conn: *mut s2n_connection) -> c_int {
    ffi::not_yet()
}
