#![allow(unused_variables, unused_imports)]
use crate::ffi;
use crate::types::*;
use std::ffi::{c_char, c_int, c_ulong, c_void};

#[unsafe(no_mangle)]
pub extern "C" fn s2n_config_set_client_hello_cb(
    config: *mut s2n_config,
    client_hello_callback: s2n_client_hello_fn,
    ctx: *mut c_void,
) -> c_int {
    ffi::not_yet()
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_config_set_client_hello_cb_mode(
    config: *mut s2n_config,
    cb_mode: ClientHelloCbModeArg,
) -> c_int {
    ffi::not_yet()
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_client_hello_cb_done(conn: *mut s2n_connection) -> c_int {
    ffi::not_yet()
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_connection_get_client_hello(
    conn: *mut s2n_connection,
) -> *mut s2n_client_hello {
    ffi::not_yet()
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_client_hello_parse_message(
    bytes: *const u8,
    size: u32,
) -> *mut s2n_client_hello {
    ffi::not_yet()
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_client_hello_free(ch: *mut *mut s2n_client_hello) -> c_int {
    ffi::not_yet()
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_client_hello_get_raw_message_length(
    ch: *mut s2n_client_hello,
) -> libc::ssize_t {
    ffi::not_yet()
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_client_hello_get_raw_message(
    ch: *mut s2n_client_hello,
    out: *mut u8,
    max_length: u32,
) -> libc::ssize_t {
    ffi::not_yet()
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_client_hello_get_cipher_suites_length(
    ch: *mut s2n_client_hello,
) -> libc::ssize_t {
    ffi::not_yet()
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_client_hello_get_cipher_suites(
    ch: *mut s2n_client_hello,
    out: *mut u8,
    max_length: u32,
) -> libc::ssize_t {
    ffi::not_yet()
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_client_hello_get_extensions_length(
    ch: *mut s2n_client_hello,
) -> libc::ssize_t {
    ffi::not_yet()
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_client_hello_get_extensions(
    ch: *mut s2n_client_hello,
    out: *mut u8,
    max_length: u32,
) -> libc::ssize_t {
    ffi::not_yet()
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_client_hello_get_extension_length(
    ch: *mut s2n_client_hello,
    extension_type: TlsExtensionTypeArg,
) -> libc::ssize_t {
    ffi::not_yet()
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_client_hello_get_extension_by_id(
    ch: *mut s2n_client_hello,
    extension_type: TlsExtensionTypeArg,
    out: *mut u8,
    max_length: u32,
) -> libc::ssize_t {
    ffi::not_yet()
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_client_hello_has_extension(
    ch: *mut s2n_client_hello,
    extension_iana: u16,
    exists: *mut bool,
) -> c_int {
    ffi::not_yet()
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_client_hello_get_session_id_length(
    ch: *mut s2n_client_hello,
    out_length: *mut u32,
) -> c_int {
    ffi::not_yet()
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_client_hello_get_session_id(
    ch: *mut s2n_client_hello,
    out: *mut u8,
    out_length: *mut u32,
    max_length: u32,
) -> c_int {
    ffi::not_yet()
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_client_hello_get_compression_methods_length(
    ch: *mut s2n_client_hello,
    out_length: *mut u32,
) -> c_int {
    ffi::not_yet()
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_client_hello_get_compression_methods(
    ch: *mut s2n_client_hello,
    list: *mut u8,
    list_length: u32,
    out_length: *mut u32,
) -> c_int {
    ffi::not_yet()
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_client_hello_get_legacy_protocol_version(
    ch: *mut s2n_client_hello,
    out: *mut u8,
) -> c_int {
    ffi::not_yet()
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_client_hello_get_random(
    ch: *mut s2n_client_hello,
    out: *mut u8,
    max_length: u32,
) -> c_int {
    ffi::not_yet()
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_client_hello_get_supported_groups(
    ch: *mut s2n_client_hello,
    groups: *mut u16,
    groups_count_max: u16,
    groups_count: *mut u16,
) -> c_int {
    ffi::not_yet()
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_client_hello_get_server_name_length(
    ch: *mut s2n_client_hello,
    length: *mut u16,
) -> c_int {
    ffi::not_yet()
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_client_hello_get_server_name(
    ch: *mut s2n_client_hello,
    server_name: *mut u8,
    length: u16,
    out_length: *mut u16,
) -> c_int {
    ffi::not_yet()
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_client_hello_get_legacy_record_version(
    ch: *mut s2n_client_hello,
    out: *mut u8,
) -> c_int {
    ffi::not_yet()
}
