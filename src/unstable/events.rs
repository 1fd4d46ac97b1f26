//! `s2n/unstable/events.h`: the handshake event and the per-message timing
//! checkpoints an application can subscribe to. The setters keep the
//! callbacks in the config; the handshake driver delivers the events through
//! [`HandshakeTiming`], [`handshake_event`] and [`emit_handshake`] /
//! [`emit_checkpoint`].

use crate::ffi::CPtr;
use crate::policy::{self, Policy};
use crate::types::*;
use std::ffi::{CStr, c_char, c_int, c_void};

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

/// The subscriber and its callbacks, as a config keeps them.
#[derive(Clone, Copy, Default, Debug)]
pub struct EventHooks {
    pub subscriber: CPtr,
    pub on_handshake: s2n_event_on_handshake_cb,
    pub on_checkpoint: s2n_event_on_timing_checkpoint_cb,
}

impl EventHooks {
    /// s2n delivers the handshake event only with both a subscriber and a callback.
    pub fn wants_handshake(&self) -> bool {
        !self.subscriber.0.is_null() && self.on_handshake.is_some()
    }
}

/// A monotonic clock in nanoseconds, as events report times: like s2n's,
/// meaningful only relative to other readings (here, since the first one,
/// plus one so that a reading is never 0).
pub fn monotonic_ns() -> u64 {
    static BASE: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
    let base = *BASE.get_or_init(std::time::Instant::now);
    u64::try_from(base.elapsed().as_nanos())
        .unwrap_or(u64::MAX - 1)
        .saturating_add(1)
}

/// A connection's handshake timings, kept across `s2n_negotiate` calls
/// (and reset, with the rest of the connection, by `s2n_connection_wipe`).
#[derive(Clone, Copy, Default, Debug)]
pub struct HandshakeTiming {
    /// When the first `s2n_negotiate` call began; 0 before it.
    pub start_ns: u64,
    /// Time spent inside `s2n_negotiate`, summed over its calls.
    pub time_ns: u64,
    pub end_ns: u64,
    /// The handshake event has been delivered.
    pub sent: bool,
}

impl HandshakeTiming {
    /// At the start of an `s2n_negotiate` call: this call's start time, and
    /// whether it is the first call (then the caller emits "NEGOTIATE_START").
    pub fn begin(&mut self) -> (u64, bool) {
        let now = monotonic_ns();
        let first = self.start_ns == 0;
        if first {
            self.start_ns = now;
        }
        (now, first)
    }

    /// At the end of every `s2n_negotiate` call (blocked, done or failed).
    pub fn end_call(&mut self, call_start: u64) -> u64 {
        let now = monotonic_ns();
        self.time_ns = self.time_ns.saturating_add(now.saturating_sub(call_start));
        self.end_ns = now;
        now
    }
}

/// What the protocol state negotiated so far (None: not yet).
#[derive(Default)]
pub struct Negotiated {
    pub version: Option<rustls::ProtocolVersion>,
    pub suite: Option<rustls::CipherSuite>,
    pub group: Option<rustls::NamedGroup>,
}

/// What the handshake negotiated, as the event reports it: the s2n protocol
/// version, the s2n cipher name (`TLS_NULL_WITH_NULL_NULL` before one is
/// chosen), the key exchange group (NULL if none) and the policy's name.
pub fn handshake_values(
    negotiated: &Negotiated,
    policy: &Policy,
) -> (c_int, *const c_char, *const c_char, *const c_char) {
    let version = match negotiated.version {
        Some(rustls::ProtocolVersion::TLSv1_3) => S2N_TLS13,
        Some(rustls::ProtocolVersion::TLSv1_2) => S2N_TLS12,
        _ => S2N_UNKNOWN_PROTOCOL_VERSION,
    };
    let cipher = match negotiated.suite {
        Some(suite) => policy::c_name(policy::s2n_cipher_name(suite)),
        None => c"TLS_NULL_WITH_NULL_NULL".as_ptr(),
    };
    let group = match negotiated.group {
        Some(group) => policy::c_name(policy::s2n_group_name(group)),
        None => std::ptr::null(),
    };
    (version, cipher, group, policy::c_name(policy.name()))
}

/// The handshake event to deliver once the handshake is done (`error_code`
/// 0) or has failed for good (`error_code` the s2n error; blocked is not a
/// failure). None if it was delivered already or nobody listens; otherwise
/// the timing is marked as delivered.
pub fn handshake_event(
    hooks: &EventHooks,
    timing: &mut HandshakeTiming,
    negotiated: impl FnOnce() -> Negotiated,
    policy: &Policy,
    error_code: c_int,
) -> Option<s2n_event_handshake> {
    if timing.sent || !hooks.wants_handshake() {
        return None;
    }
    timing.sent = true;
    let (protocol_version, cipher, group, security_policy_label) =
        handshake_values(&negotiated(), policy);
    Some(s2n_event_handshake {
        protocol_version,
        cipher,
        group,
        security_policy_label,
        handshake_time_ns: timing.time_ns,
        handshake_start_ns: timing.start_ns,
        handshake_end_ns: timing.end_ns,
        error_code,
    })
}

/// Calls the handshake event callback. The caller must hold no lock of the
/// connection: the callback may call back into s2n.
pub fn emit_handshake(
    conn: *mut s2n_connection,
    hooks: &EventHooks,
    event: &mut s2n_event_handshake,
) {
    crate::ffi::callbacks::handshake_event(hooks.on_handshake, conn, hooks.subscriber, event);
}

/// Calls the timing checkpoint callback, if any, with the current time and
/// the connection's mode as role (0 server, 1 client). Called without locks held.
pub fn emit_checkpoint(
    conn: *mut s2n_connection,
    mode: s2n_mode,
    hooks: &EventHooks,
    name: &'static CStr,
) {
    let role = mode as u8;
    if hooks.on_checkpoint.is_some() {
        let mut checkpoint = s2n_timing_checkpoint {
            name: name.as_ptr(),
            role,
            timestamp_ns: monotonic_ns(),
        };
        crate::ffi::callbacks::timing_checkpoint(
            hooks.on_checkpoint,
            conn,
            hooks.subscriber,
            &mut checkpoint,
        );
    }
}
