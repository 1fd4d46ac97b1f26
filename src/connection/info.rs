//! What a connection negotiated: `s2n_connection_get_*` getters (and
//! `s2n_get_server_name`, `s2n_get_application_protocol`), with s2n's values
//! before, during and after the handshake.

use std::ffi::{CStr, CString, c_char, c_int};

use rustls::{NamedGroup, ProtocolVersion};

use super::{Connection, State};
use crate::error::{Error, S2N_ERR_INVALID_STATE};
use crate::ffi::{self};
use crate::policy;
use crate::types::*;

/// Caches the strings C getters return once the handshake is done.
pub fn record_negotiated(state: &mut State) {
    if state.facts.server_name_c.is_none() {
        let sni = state
            .hello
            .client_hello
            .as_ref()
            .and_then(|h| h.hello.server_name());
        state.facts.server_name_c = sni.and_then(|n| CString::new(n).ok());
    }
    let Some(tls) = state.tls.as_deref() else {
        return;
    };
    state.facts.alpn_c = tls.alpn_protocol().and_then(|p| CString::new(p).ok());
}

/// A ClientHello's highest offered version and its legacy version (capped at
/// TLS1.2, as s2n reports it).
pub fn client_versions(hello: &crate::client_hello::parse::ClientHello) -> (c_int, c_int) {
    let highest = version_number(Some(ProtocolVersion::from(hello.highest_version())));
    (highest, legacy_version_number(hello.legacy_version()))
}

/// A ClientHello's legacy version as s2n reports it (at most TLS1.2).
pub fn legacy_version_number(legacy: [u8; 2]) -> c_int {
    version_number(Some(ProtocolVersion::from(u16::from_be_bytes(legacy)))).min(S2N_TLS12)
}

pub(crate) fn version_number(v: Option<ProtocolVersion>) -> c_int {
    match v {
        Some(ProtocolVersion::TLSv1_3) => S2N_TLS13,
        Some(ProtocolVersion::TLSv1_2) => S2N_TLS12,
        Some(ProtocolVersion::TLSv1_1) => S2N_TLS11,
        Some(ProtocolVersion::TLSv1_0) => S2N_TLS10,
        Some(ProtocolVersion::SSLv3) => S2N_SSLv3,
        _ => S2N_UNKNOWN_PROTOCOL_VERSION,
    }
}

/// The highest version a policy allows.
pub(crate) fn highest(state: &State) -> c_int {
    let policy = state.policy();
    let versions = policy.versions();
    if versions
        .iter()
        .any(|v| v.version == ProtocolVersion::TLSv1_3)
    {
        S2N_TLS13
    } else {
        S2N_TLS12
    }
}

pub(crate) fn negotiated_version(state: &State) -> Option<c_int> {
    let Some(tls) = state.tls.as_ref() else {
        // Inside a handshake step (a callback's getter): what it showed.
        return crate::notes::peek(|n| n.version);
    };
    let v = version_number(tls.protocol_version());
    (v != S2N_UNKNOWN_PROTOCOL_VERSION).then_some(v)
}

pub(crate) fn getter(
    conn: *mut s2n_connection,
    f: impl FnOnce(&Connection, &State) -> Result<c_int, Error>,
) -> c_int {
    ffi::entry(|| {
        let conn = Connection::from_handle(conn)?;
        let state = conn.state();
        f(conn, &state)
    })
}

pub(crate) fn static_c(s: &'static CStr) -> *const c_char {
    s.as_ptr()
}

/// s2n's names are NUL-terminated statics; ours come from the policy table.
pub(crate) fn leak_free_c(name: &'static str) -> *const c_char {
    policy::c_name(name)
}

pub(crate) fn cipher_suite(state: &State) -> Option<rustls::CipherSuite> {
    Some(state.tls.as_ref()?.negotiated_cipher_suite()?.suite())
}

/// RFC 8446 section 7.5's exporter over the exporter secret rustls
/// reported (rustls's unbuffered connection exports nothing itself).
pub(crate) fn tls13_export(
    hash: rustls::crypto::hash::HashAlgorithm,
    secret: &[u8],
    label: &[u8],
    context: &[u8],
    output: &mut [u8],
) -> Result<(), Error> {
    use aws_lc_rs::{digest, hkdf};
    let (prf, digest_alg) = match hash {
        rustls::crypto::hash::HashAlgorithm::SHA256 => (hkdf::HKDF_SHA256, &digest::SHA256),
        rustls::crypto::hash::HashAlgorithm::SHA384 => (hkdf::HKDF_SHA384, &digest::SHA384),
        _ => return Err(Error::new(S2N_ERR_INVALID_STATE)),
    };
    let expand_label = |secret: &[u8], label: &[u8], context: &[u8], out: &mut [u8]| {
        crate::record::protection::expand_label(prf, secret, label, context, out)
            .map_err(|_| Error::new(S2N_ERR_INVALID_STATE))
    };
    let mut derived = zeroize::Zeroizing::new(vec![0u8; digest_alg.output_len()]);
    let empty = digest::digest(digest_alg, b"");
    expand_label(secret, label, empty.as_ref(), &mut derived)?;
    let context = digest::digest(digest_alg, context);
    expand_label(&derived, b"exporter", context.as_ref(), output)
}

pub(crate) fn group(state: &State) -> Option<NamedGroup> {
    Some(state.tls.as_ref()?.negotiated_key_exchange_group()?.name())
}

/// The classical part of a hybrid group, as s2n reports the "curve".
pub(crate) fn curve_of(group: NamedGroup) -> &'static str {
    match group {
        NamedGroup::X25519MLKEM768 => "x25519",
        NamedGroup::secp256r1MLKEM768 => "secp256r1",
        NamedGroup::MLKEM768 | NamedGroup::MLKEM1024 => "NONE",
        other => policy::s2n_group_name(other),
    }
}

pub(crate) fn is_hybrid(group: NamedGroup) -> bool {
    matches!(
        group,
        NamedGroup::X25519MLKEM768
            | NamedGroup::secp256r1MLKEM768
            | NamedGroup::MLKEM768
            | NamedGroup::MLKEM1024
    )
}
