//! QUIC support (s2n's tls/s2n_quic_support.h): the handshake runs on
//! rustls's QUIC engine, and the connection's I/O carries bare TLS
//! handshake messages (no record layer), one message per send as s2n
//! writes them; traffic secrets go to the secret callback as the keys change.

#![forbid(unsafe_code)]

use std::collections::VecDeque;
use std::ffi::{c_int, c_void};

use rustls::quic::{self as rq, KeyChange};
use zeroize::Zeroizing;

use crate::error::*;
use crate::ffi::{CPtr, c_enum_arg};
use crate::types::*;

#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum s2n_secret_type_t {
    S2N_CLIENT_EARLY_TRAFFIC_SECRET = 0,
    S2N_CLIENT_HANDSHAKE_TRAFFIC_SECRET = 1,
    S2N_SERVER_HANDSHAKE_TRAFFIC_SECRET = 2,
    S2N_CLIENT_APPLICATION_TRAFFIC_SECRET = 3,
    S2N_SERVER_APPLICATION_TRAFFIC_SECRET = 4,
    S2N_EXPORTER_SECRET = 5,
}
c_enum_arg!(SecretTypeArg => s2n_secret_type_t { S2N_CLIENT_EARLY_TRAFFIC_SECRET, S2N_CLIENT_HANDSHAKE_TRAFFIC_SECRET, S2N_SERVER_HANDSHAKE_TRAFFIC_SECRET, S2N_CLIENT_APPLICATION_TRAFFIC_SECRET, S2N_SERVER_APPLICATION_TRAFFIC_SECRET, S2N_EXPORTER_SECRET });

pub type s2n_secret_cb = Option<
    unsafe extern "C" fn(
        context: *mut c_void,
        conn: *mut s2n_connection,
        secret_type: SecretTypeArg,
        secret: *mut u8,
        secret_size: u8,
    ) -> c_int,
>;

/// TLS alert descriptions (RFC 8446 section 6).
mod alert {
    pub const UNEXPECTED_MESSAGE: u8 = 10;
    pub const HANDSHAKE_FAILURE: u8 = 40;
    pub const BAD_CERTIFICATE: u8 = 42;
    pub const UNSUPPORTED_CERTIFICATE: u8 = 43;
    pub const CERTIFICATE_REVOKED: u8 = 44;
    pub const CERTIFICATE_EXPIRED: u8 = 45;
    pub const CERTIFICATE_UNKNOWN: u8 = 46;
    pub const ACCESS_DENIED: u8 = 49;
    pub const INTERNAL_ERROR: u8 = 80;
    pub const MISSING_EXTENSION: u8 = 109;
    pub const CERTIFICATE_REQUIRED: u8 = 116;
}

/// s2n's mapping from an error code to the alert it sends.
pub(crate) fn alert_for(error: c_int) -> Result<u8, Error> {
    use crate::error::*;
    use crate::types::s2n_error_type::*;
    let kind = error >> 26;
    if kind == S2N_ERR_T_IO as c_int || kind == S2N_ERR_T_INTERNAL as c_int {
        return Ok(alert::INTERNAL_ERROR);
    }
    if kind != S2N_ERR_T_PROTO as c_int {
        return Err(Error::new(S2N_ERR_NO_ALERT));
    }
    let mapped = match error {
        S2N_ERR_MISSING_EXTENSION => alert::MISSING_EXTENSION,
        S2N_ERR_NO_VALID_SIGNATURE_SCHEME | S2N_ERR_NO_RENEGOTIATION => alert::HANDSHAKE_FAILURE,
        S2N_ERR_MISSING_CLIENT_CERT => alert::CERTIFICATE_REQUIRED,
        S2N_ERR_BAD_MESSAGE
        | S2N_ERR_UNEXPECTED_CERT_REQUEST
        | S2N_ERR_MISSING_CERT_REQUEST
        | S2N_ERR_KTLS_KEYUPDATE => alert::UNEXPECTED_MESSAGE,
        S2N_ERR_CERT_UNTRUSTED
        | S2N_ERR_CERT_UNHANDLED_CRITICAL_EXTENSION
        | S2N_ERR_CERT_INVALID_HOSTNAME => alert::CERTIFICATE_UNKNOWN,
        S2N_ERR_CERT_REVOKED => alert::CERTIFICATE_REVOKED,
        S2N_ERR_CERT_NOT_YET_VALID | S2N_ERR_CERT_EXPIRED => alert::CERTIFICATE_EXPIRED,
        S2N_ERR_CERT_TYPE_UNSUPPORTED => alert::UNSUPPORTED_CERTIFICATE,
        S2N_ERR_CERT_REJECTED => alert::ACCESS_DENIED,
        S2N_ERR_CERT_MAX_CHAIN_DEPTH_EXCEEDED
        | S2N_ERR_CERT_INVALID
        | S2N_ERR_DECODE_CERTIFICATE => alert::BAD_CERTIFICATE,
        // Protocol errors s2n knows but sends no alert for.
        S2N_ERR_ENCRYPT..=S2N_ERR_CERT_INTENT_INVALID => {
            return Err(Error::new(S2N_ERR_NO_ALERT));
        }
        // A protocol error s2n does not know.
        _ => return Err(Error::new(S2N_ERR_UNIMPLEMENTED)),
    };
    Ok(mapped)
}

pub(crate) const NEW_SESSION_TICKET: u8 = 4;
/// A handshake message header: type and 24-bit length.
pub(crate) const HEADER_LEN: usize = 4;
/// s2n's limit on a handshake message (S2N_MAXIMUM_HANDSHAKE_MESSAGE_LENGTH).
pub(crate) const MAX_MESSAGE_LEN: usize = 64 * 1024;

/// A connection's QUIC settings: `s2n_connection_enable_quic`, our
/// transport parameters, the peer's, and the secret callback.
#[derive(Default)]
pub struct Settings {
    pub enabled: bool,
    pub params: Vec<u8>,
    pub peer_params: Vec<u8>,
    pub secret_cb: Option<(s2n_secret_cb, CPtr)>,
}

/// What a QUIC handshake has in flight.
pub struct Engine {
    pub(crate) tls: rq::Connection,
    /// The message being read: its header, then its body.
    pub(crate) inbox: Vec<u8>,
    /// What goes out, in order, and how much of the front message went.
    pub(crate) outbox: VecDeque<Out>,
    pub(crate) sent: usize,
    /// Secrets rustls derived whose keys are not in use yet.
    pub(crate) derived: Vec<(s2n_secret_type_t, Zeroizing<Vec<u8>>)>,
}

pub(crate) enum Out {
    Message(Vec<u8>),
    Secret(s2n_secret_type_t, Zeroizing<Vec<u8>>),
}

pub(crate) fn secret_type(label: &str) -> Option<s2n_secret_type_t> {
    use s2n_secret_type_t::*;
    Some(match label {
        "CLIENT_EARLY_TRAFFIC_SECRET" => S2N_CLIENT_EARLY_TRAFFIC_SECRET,
        "CLIENT_HANDSHAKE_TRAFFIC_SECRET" => S2N_CLIENT_HANDSHAKE_TRAFFIC_SECRET,
        "SERVER_HANDSHAKE_TRAFFIC_SECRET" => S2N_SERVER_HANDSHAKE_TRAFFIC_SECRET,
        "CLIENT_TRAFFIC_SECRET_0" => S2N_CLIENT_APPLICATION_TRAFFIC_SECRET,
        "SERVER_TRAFFIC_SECRET_0" => S2N_SERVER_APPLICATION_TRAFFIC_SECRET,
        "EXPORTER_SECRET" => S2N_EXPORTER_SECRET,
        _ => return None,
    })
}

/// Queues what rustls has to send: each handshake message, and at each key
/// change the secrets of the new keys. True if there was anything.
pub(crate) fn produce(engine: &mut Engine) -> bool {
    use s2n_secret_type_t::*;
    let mut any = false;
    loop {
        let mut buf = Vec::new();
        let change = engine.tls.write_hs(&mut buf);
        if buf.is_empty() && change.is_none() {
            return any;
        }
        any = true;
        let mut messages = Vec::new();
        let mut rest = &buf[..];
        while !rest.is_empty() {
            let len = match rest {
                [_, a, b, c, ..] => HEADER_LEN + usize::from_be_bytes([0, 0, 0, 0, 0, *a, *b, *c]),
                _ => rest.len(),
            };
            let (message, tail) = rest.split_at(len.min(rest.len()));
            messages.push(Out::Message(message.to_vec()));
            rest = tail;
        }
        let wanted: &[s2n_secret_type_t] = match change {
            None => &[],
            // s2n's order, on both sides.
            Some(KeyChange::Handshake { .. }) => &[
                S2N_CLIENT_HANDSHAKE_TRAFFIC_SECRET,
                S2N_SERVER_HANDSHAKE_TRAFFIC_SECRET,
            ],
            Some(KeyChange::OneRtt { .. }) => &[
                S2N_CLIENT_APPLICATION_TRAFFIC_SECRET,
                S2N_SERVER_APPLICATION_TRAFFIC_SECRET,
                S2N_EXPORTER_SECRET,
            ],
        };
        let mut secrets = Vec::new();
        for kind in wanted {
            if let Some(at) = engine.derived.iter().position(|(k, _)| k == kind) {
                let (kind, secret) = engine.derived.remove(at);
                secrets.push(Out::Secret(kind, secret));
            }
        }
        // As in s2n: a server's new keys follow what it wrote with the old
        // ones (ServerHello, its Finished); a client has its application
        // secrets before it sends its Finished.
        if matches!(engine.tls, rq::Connection::Client(_)) {
            engine.outbox.extend(secrets);
            engine.outbox.extend(messages);
        } else {
            engine.outbox.extend(messages);
            engine.outbox.extend(secrets);
        }
    }
}
