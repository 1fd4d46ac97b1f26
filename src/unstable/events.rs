#![allow(unused_variables, unused_imports)]
use crate::ffi;
use crate::types::*;
use std::ffi::{c_char, c_int, c_ulong, c_void};

/// Marks `handshake_start_ns` once the handshake event has been delivered.
pub const HANDSHAKE_EVENT_SENT: u64 = 1 << 63;

/// What a handshake event reports (layout of `struct s2n_event_handshake`).
#[repr(C)]
pub struct s2n_event_handshake {
    pub protocol_version: c_int,
    pub cipher: *const c_char,
    pub group: *const c_char,
    pub security_policy_label: *const c_char,
    pub handshake_time_ns: u64,
    pub handshake_start_ns: u64,
    pub handshake_end_ns: u64,
    pub error_code: c_int,
}

/// One timing checkpoint (layout of `struct s2n_timing_checkpoint`).
#[repr(C)]
pub struct s2n_timing_checkpoint {
    pub name: *const c_char,
    pub role: u8,
    pub timestamp_ns: u64,
}
use crate::ffi::c_enum_arg;

pub type s2n_event_on_handshake_cb = Option<
    unsafe extern "C" fn(
        conn: *mut s2n_connection,
        subscriber: *mut c_void,
        event: *mut s2n_event_handshake,
    ),
>;

pub type s2n_event_on_timing_checkpoint_cb = Option<
    unsafe extern "C" fn(
        conn: *mut s2n_connection,
        subscriber: *mut c_void,
        checkpoint: *mut s2n_timing_checkpoint,
    ),
>;

#[unsafe(no_mangle)]
pub extern "C" fn s2n_config_set_subscriber(
    config: *mut s2n_config,
    subscriber: *mut c_void,
) -> c_int {
    ffi::not_yet()
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_config_set_handshake_event(
    config: *mut s2n_config,
    callback: s2n_event_on_handshake_cb,
) -> c_int {
    ffi::not_yet()
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_config_set_timing_checkpoint_cb(
    config: *mut s2n_config,
    callback: s2n_event_on_timing_checkpoint_cb,
) -> c_int {
    ffi::not_yet()
}
