//! The exported functions of `crate::connection::info` and
//! `crate::connection::signatures`: what a connection negotiated (C
//! arguments in, the core called, s2n's result out).

use crate::connection::Connection;
use crate::connection::Phase;
use crate::connection::info::leak_free_c;
use crate::connection::info::negotiated_version;
use crate::connection::info::static_c;
use crate::connection::info::*;
use crate::connection::signatures::*;
use crate::error::Error;
use crate::error::S2N_ERR_INVALID_STATE;
use crate::error::S2N_ERR_NO_ALERT;
use crate::ffi;
use crate::ffi::ArcHandle;
use crate::notes;
use crate::notes::Selection;
use crate::policy;
use crate::types::*;
use rustls::HandshakeKind;
use std::ffi::c_char;
use std::ffi::c_int;
use std::sync::atomic::Ordering;

#[unsafe(no_mangle)]
pub extern "C" fn s2n_get_server_name(conn: *mut s2n_connection) -> *const c_char {
    ffi::entry(|| {
        let conn = Connection::from_handle(conn)?;
        let mut state = conn.state();
        if state.facts.server_name_c.is_none() {
            record_negotiated(&mut state);
        }
        Ok(state
            .facts
            .server_name_c
            .as_ref()
            .map_or(std::ptr::null(), |s| s.as_ptr()))
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_get_application_protocol(conn: *mut s2n_connection) -> *const c_char {
    ffi::entry(|| {
        let conn = Connection::from_handle(conn)?;
        let state = conn.state();
        Ok(state
            .facts
            .alpn_c
            .as_ref()
            .map_or(std::ptr::null(), |s| s.as_ptr()))
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_connection_get_ocsp_response(
    conn: *mut s2n_connection,
    length: *mut u32,
) -> *const u8 {
    ffi::entry(|| {
        let conn = Connection::from_handle(conn)?;
        let length = ffi::out(length)?;
        let state = conn.state();
        // Nothing stapled: NULL and a zero length, without an error (as s2n).
        let Some(ocsp) = state.facts.ocsp_response.as_ref() else {
            *length = 0;
            return Ok(std::ptr::null());
        };
        *length = ocsp.len() as u32;
        Ok(ocsp.as_ptr())
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_connection_get_sct_list(
    conn: *mut s2n_connection,
    length: *mut u32,
) -> *const u8 {
    let _ = (conn, length);
    ffi::unsupported("rustls neither requests nor reports signed certificate timestamps")
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_connection_get_client_cert_chain(
    conn: *mut s2n_connection,
    der_cert_chain_out: *mut *mut u8,
    cert_chain_len: *mut u32,
) -> c_int {
    ffi::entry(|| {
        let conn = Connection::from_handle(conn)?;
        let (out, len) = (ffi::out(der_cert_chain_out)?, ffi::out(cert_chain_len)?);
        let mut state = conn.state();
        if state.facts.client_chain_wire.is_none() {
            // s2n's form: each certificate behind a 3-byte length.
            let certs = state
                .tls
                .as_ref()
                .filter(|_| !conn.is_client())
                .and_then(|t| t.peer_certificates());
            let certs = certs
                .filter(|c| !c.is_empty())
                .ok_or_else(|| Error::new(crate::error::S2N_ERR_NULL))?;
            let mut wire = Vec::new();
            for cert in certs {
                wire.extend_from_slice(&(cert.len() as u32).to_be_bytes()[1..]);
                wire.extend_from_slice(cert);
            }
            state.facts.client_chain_wire = Some(wire);
        }
        let wire = state
            .facts
            .client_chain_wire
            .as_mut()
            .ok_or_else(|| Error::new(crate::error::S2N_ERR_NULL))?;
        *out = wire.as_mut_ptr();
        *len = wire.len() as u32;
        Ok(S2N_SUCCESS)
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_connection_is_ocsp_stapled(conn: *mut s2n_connection) -> c_int {
    getter(conn, |conn, state| {
        Ok(if conn.is_client() {
            state.facts.ocsp_response.is_some().into()
        } else {
            // Stapled only when the client asked and the chosen chain has a response.
            let has_response = state.facts.selection.as_ref().is_some_and(|selected| {
                selected
                    .chain
                    .ocsp
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .is_some()
            });
            (state.hello.ocsp_requested && has_response).into()
        })
    })
}

/// The chain a server chose for this handshake (borrowed: valid while the config holds it).
#[unsafe(no_mangle)]
pub extern "C" fn s2n_connection_get_selected_cert(
    conn: *mut s2n_connection,
) -> *mut s2n_cert_chain_and_key {
    ffi::entry(|| {
        let handle = |s: &Selection| {
            s.chain().map_or(std::ptr::null_mut(), |c| {
                std::ptr::from_ref(c).cast_mut().cast()
            })
        };
        // Inside a handshake step (an async private-key callback): the
        // chain this step chose.
        if notes::driving(conn) {
            let earlier = notes::context().selection;
            let chain = notes::peek(|n| n.selection.as_ref().or(earlier.as_ref()).map(handle));
            return Ok(chain.unwrap_or_default());
        }
        let state = Connection::from_handle(conn)?.state();
        // No certificate chosen (yet): NULL without an error, as s2n.
        Ok(state
            .facts
            .selection
            .as_ref()
            .map_or(std::ptr::null_mut(), |s| {
                std::sync::Arc::as_ptr(&s.chain).cast_mut().cast()
            }))
    })
}

/// Copies the peer's certificates into an empty chain object the caller made.
#[unsafe(no_mangle)]
pub extern "C" fn s2n_connection_get_peer_cert_chain(
    conn: *const s2n_connection,
    cert_chain: *mut s2n_cert_chain_and_key,
) -> c_int {
    ffi::entry(|| {
        let conn = Connection::from_handle(conn.cast_mut())?;
        let chain = s2n_cert_chain_and_key::get(cert_chain)?;
        let state = conn.state();
        // As s2n: only a chain that was verified (not one whose checks the
        // config turned off, nor one from a resumed session), as verified:
        // the leaf, the path's intermediates, the anchor's certificate.
        let path = state
            .facts
            .validated_path
            .ok_or_else(|| Error::new(crate::error::S2N_ERR_CERT_NOT_VALIDATED))?;
        let sent = state
            .tls
            .as_ref()
            .and_then(|t| t.peer_certificates())
            .filter(|c| !c.is_empty())
            .ok_or_else(|| Error::new(crate::error::S2N_ERR_NO_CERT_FOUND))?;
        let config = state.config.read();
        let intermediates = path
            .intermediates
            .iter()
            .take_while(|&&i| i != 0xff)
            .filter_map(|&i| sent.get(1 + usize::from(i)));
        let root = path
            .root
            .and_then(|r| config.trust.ders.get(usize::try_from(r).ok()?));
        let mut certs: Vec<_> = std::iter::once(&sent[0])
            .chain(intermediates)
            .cloned()
            .collect();
        // The chain ends at the anchor: not twice when the last certificate
        // is the anchor itself (a trusted self-signed leaf).
        if let Some(root) = root.filter(|r| certs.last().is_none_or(|last| last != *r)) {
            certs.push(root.clone());
        }
        chain.fill_from_der(&certs)?;
        Ok(S2N_SUCCESS)
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_connection_get_wire_bytes_in(conn: *mut s2n_connection) -> u64 {
    Connection::from_handle(conn).map_or(0, |c| c.wire_in.load(Ordering::Relaxed))
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_connection_get_wire_bytes_out(conn: *mut s2n_connection) -> u64 {
    Connection::from_handle(conn).map_or(0, |c| c.wire_out.load(Ordering::Relaxed))
}

/// A client's highest version: ours as a client, the ClientHello's as a server.
#[unsafe(no_mangle)]
pub extern "C" fn s2n_connection_get_client_protocol_version(conn: *mut s2n_connection) -> c_int {
    getter(conn, |conn, state| {
        Ok(if conn.is_client() {
            highest(state)
        } else {
            state
                .hello
                .client_versions
                .map_or(S2N_UNKNOWN_PROTOCOL_VERSION, |v| v.0)
        })
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_connection_get_server_protocol_version(conn: *mut s2n_connection) -> c_int {
    getter(conn, |conn, state| {
        Ok(if conn.is_client() {
            negotiated_version(state).unwrap_or(S2N_UNKNOWN_PROTOCOL_VERSION)
        } else {
            highest(state)
        })
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_connection_get_actual_protocol_version(conn: *mut s2n_connection) -> c_int {
    getter(conn, |conn, state| {
        Ok(match negotiated_version(state) {
            Some(v) => v,
            None if conn.is_client() => highest(state),
            None => S2N_UNKNOWN_PROTOCOL_VERSION,
        })
    })
}

/// The ClientHello's legacy version, capped at TLS1.2 as s2n reports it: the
/// received one on a server, ours (TLS1.2) once a client sent it.
///
/// Partial: an SSLv2-format ClientHello reads as `S2N_SSLv2`, as in s2n, but
/// the handshake is refused at once with `S2N_ERR_PROTOCOL_VERSION_UNSUPPORTED`
/// (rustls reads only TLS records), where s2n-tls accepts one offering TLS1.2.
#[unsafe(no_mangle)]
pub extern "C" fn s2n_connection_get_client_hello_version(conn: *mut s2n_connection) -> c_int {
    getter(conn, |conn, state| {
        Ok(match state.hello.client_versions {
            Some((_, legacy)) => legacy,
            None if conn.is_client() && state.phase != Phase::New => S2N_TLS12,
            None => S2N_UNKNOWN_PROTOCOL_VERSION,
        })
    })
}

/// 1 when the client authenticated with a certificate.
#[unsafe(no_mangle)]
pub extern "C" fn s2n_connection_client_cert_used(conn: *mut s2n_connection) -> c_int {
    getter(conn, |conn, state| {
        if state.phase != Phase::Established {
            return Ok(0);
        }
        let used = if conn.is_client() {
            state.facts.selection.is_some()
        } else {
            state
                .tls
                .as_ref()
                .and_then(|t| t.peer_certificates())
                .is_some_and(|c| !c.is_empty())
        };
        Ok(used.into())
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_connection_get_cipher(conn: *mut s2n_connection) -> *const c_char {
    ffi::entry(|| {
        let conn = Connection::from_handle(conn)?;
        let state = conn.state();
        Ok(match cipher_suite(&state) {
            Some(suite) => leak_free_c(policy::s2n_cipher_name(suite)),
            None => static_c(c"TLS_NULL_WITH_NULL_NULL"),
        })
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_connection_get_certificate_match(
    conn: *mut s2n_connection,
    match_status: *mut CertSniMatchArg,
) -> c_int {
    ffi::entry(|| {
        if conn.is_null() || match_status.is_null() {
            return Err(Error::new(crate::error::S2N_ERR_INVALID_ARGUMENT));
        }
        let conn = Connection::from_handle(conn)?;
        let out = ffi::out(match_status)?;
        if conn.is_client() {
            return Err(Error::new(crate::error::S2N_ERR_CLIENT_MODE));
        }
        let state = conn.state();
        let selection = state
            .facts
            .selection
            .as_ref()
            .ok_or_else(|| Error::new(crate::error::S2N_ERR_NO_CERT_FOUND))?;
        *out = selection.sni_match.into();
        Ok(S2N_SUCCESS)
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_connection_get_master_secret(
    conn: *const s2n_connection,
    secret_bytes: *mut u8,
    max_size: usize,
) -> c_int {
    ffi::entry(|| {
        let conn = Connection::from_handle(conn.cast_mut())?;
        let state = conn.state();
        if state.phase != Phase::Established {
            return Err(Error::new(crate::error::S2N_ERR_HANDSHAKE_NOT_COMPLETE));
        }
        if negotiated_version(&state) != Some(S2N_TLS12) {
            return Err(Error::new(S2N_ERR_INVALID_STATE));
        }
        let secret = state
            .facts
            .master_secret
            .as_ref()
            .ok_or_else(|| Error::new(S2N_ERR_INVALID_STATE))?;
        if max_size < secret.len() {
            return Err(Error::new(crate::error::S2N_ERR_INSUFFICIENT_MEM_SIZE));
        }
        ffi::slice_mut(secret_bytes, secret.len())?.copy_from_slice(secret);
        Ok(S2N_SUCCESS)
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_connection_tls_exporter(
    conn: *mut s2n_connection,
    label: *const u8,
    label_length: u32,
    context: *const u8,
    context_length: u32,
    output: *mut u8,
    output_length: u32,
) -> c_int {
    ffi::entry(|| {
        let conn = Connection::from_handle(conn)?;
        let label = ffi::slice(label, label_length as usize)?;
        let context = ffi::slice(context, context_length as usize)?;
        let output = ffi::slice_mut(output, output_length as usize)?;
        let state = conn.state();
        if state.phase != Phase::Established {
            return Err(Error::new(crate::error::S2N_ERR_HANDSHAKE_NOT_COMPLETE));
        }
        // s2n exports with TLS1.3's exporter only.
        if negotiated_version(&state) != Some(S2N_TLS13) {
            return Err(Error::new(S2N_ERR_INVALID_STATE));
        }
        let hash = state
            .tls
            .as_ref()
            .and_then(|t| t.negotiated_cipher_suite()?.tls13())
            .map(|suite| suite.common.hash_provider.algorithm());
        let secret = state.facts.master_secret.as_ref();
        match (hash, secret) {
            (Some(hash), Some(secret)) => tls13_export(hash, secret, label, context, output)?,
            _ => return Err(Error::new(S2N_ERR_INVALID_STATE)),
        }
        Ok(S2N_SUCCESS)
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_connection_get_cipher_iana_value(
    conn: *mut s2n_connection,
    first: *mut u8,
    second: *mut u8,
) -> c_int {
    ffi::entry(|| {
        let conn = Connection::from_handle(conn)?;
        let (first, second) = (ffi::out(first)?, ffi::out(second)?);
        let state = conn.state();
        let suite = cipher_suite(&state).ok_or_else(|| Error::new(S2N_ERR_INVALID_STATE))?;
        [*first, *second] = policy::s2n_cipher_iana(suite);
        Ok(S2N_SUCCESS)
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_connection_get_curve(conn: *mut s2n_connection) -> *const c_char {
    ffi::entry(|| {
        let conn = Connection::from_handle(conn)?;
        let state = conn.state();
        Ok(leak_free_c(group(&state).map_or("NONE", curve_of)))
    })
}

/// TLS1.2 KEM key exchange does not exist in rustls (nor in s2n's current policies).
#[unsafe(no_mangle)]
pub extern "C" fn s2n_connection_get_kem_name(conn: *mut s2n_connection) -> *const c_char {
    ffi::entry(|| {
        Connection::from_handle(conn)?;
        Ok(static_c(c"NONE"))
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_connection_get_kem_group_name(conn: *mut s2n_connection) -> *const c_char {
    ffi::entry(|| {
        let conn = Connection::from_handle(conn)?;
        let state = conn.state();
        Ok(match group(&state) {
            Some(g) if is_hybrid(g) => leak_free_c(policy::s2n_group_name(g)),
            _ => static_c(c"NONE"),
        })
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_connection_get_key_exchange_group(
    conn: *mut s2n_connection,
    group_name: *mut *const c_char,
) -> c_int {
    ffi::entry(|| {
        let conn = Connection::from_handle(conn)?;
        let out = ffi::out(group_name)?;
        let state = conn.state();
        let g = group(&state).ok_or_else(|| Error::new(S2N_ERR_INVALID_STATE))?;
        let name = if is_hybrid(g) {
            policy::s2n_group_name(g)
        } else {
            curve_of(g)
        };
        *out = leak_free_c(name);
        Ok(S2N_SUCCESS)
    })
}

/// The alert the peer ended the connection with.
#[unsafe(no_mangle)]
pub extern "C" fn s2n_connection_get_alert(conn: *mut s2n_connection) -> c_int {
    getter(conn, |_, state| {
        state
            .shutdown
            .peer_alert
            .map(c_int::from)
            .ok_or_else(|| Error::new(S2N_ERR_NO_ALERT))
    })
}

/// s2n's handshake type, e.g. "NEGOTIATED|FULL_HANDSHAKE|TLS12_PERFECT_FORWARD_SECRECY".
#[unsafe(no_mangle)]
pub extern "C" fn s2n_connection_get_handshake_type_name(
    conn: *mut s2n_connection,
) -> *const c_char {
    ffi::entry(|| {
        let conn = Connection::from_handle(conn)?;
        let state = conn.state();
        // Known once the ServerHello is out (server) or in (client), as in
        // s2n; complete once the handshake is.
        let Some(tls) = state.tls.as_ref().filter(|tls| {
            state.phase == Phase::Established
                || (state.phase == Phase::Handshaking && tls.handshake_kind().is_some())
        }) else {
            return Ok(static_c(c"INITIAL"));
        };
        // Flags in s2n's order; TLS1.2 and TLS1.3 name some bits differently.
        let tls13 = negotiated_version(&state) == Some(S2N_TLS13);
        let full = tls.handshake_kind() != Some(HandshakeKind::Resumed);
        let (asked, sent) = if conn.is_client() {
            (state.facts.cert_requested, state.facts.selection.is_some())
        } else {
            let asked = state.client_auth(false) != s2n_cert_auth_type::S2N_CERT_AUTH_NONE;
            (
                asked,
                tls.peer_certificates().is_some_and(|c| !c.is_empty()),
            )
        };
        let ticket = state.facts.tickets_sent > 0 || state.resumption.session_blob.is_some();
        let mut flags = vec!["NEGOTIATED"];
        let mut push = |on: bool, flag| {
            if on {
                flags.push(flag);
            }
        };
        push(full, "FULL_HANDSHAKE");
        push(asked, "CLIENT_AUTH");
        push(asked && !sent, "NO_CLIENT_CERT");
        if tls13 {
            push(
                tls.handshake_kind() == Some(HandshakeKind::FullWithHelloRetryRequest),
                "HELLO_RETRY_REQUEST",
            );
            push(true, "MIDDLEBOX_COMPAT");
        } else {
            push(full, "TLS12_PERFECT_FORWARD_SECRECY");
            push(ticket, "WITH_SESSION_TICKET");
        }
        Ok(policy::c_name(&flags.join("|")))
    })
}

/// Partial: "CLIENT_HELLO" until the handshake completes, then "APPLICATION_DATA"; the
/// messages in between are not tracked.
#[unsafe(no_mangle)]
pub extern "C" fn s2n_connection_get_last_message_name(conn: *mut s2n_connection) -> *const c_char {
    ffi::entry(|| {
        let conn = Connection::from_handle(conn)?;
        let state = conn.state();
        Ok(static_c(if state.phase == Phase::Established {
            c"APPLICATION_DATA"
        } else {
            c"CLIENT_HELLO"
        }))
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_connection_get_selected_signature_algorithm(
    conn: *mut s2n_connection,
    chosen_alg: *mut TlsSignatureAlgorithmArg,
) -> c_int {
    scheme_out(conn, chosen_alg, Side::Server, |f| f.0.into())
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_connection_get_selected_digest_algorithm(
    conn: *mut s2n_connection,
    chosen_alg: *mut TlsHashAlgorithmArg,
) -> c_int {
    scheme_out(conn, chosen_alg, Side::Server, |f| f.1.into())
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_connection_get_selected_client_cert_signature_algorithm(
    conn: *mut s2n_connection,
    chosen_alg: *mut TlsSignatureAlgorithmArg,
) -> c_int {
    scheme_out(conn, chosen_alg, Side::Client, |f| f.0.into())
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_connection_get_selected_client_cert_digest_algorithm(
    conn: *mut s2n_connection,
    chosen_alg: *mut TlsHashAlgorithmArg,
) -> c_int {
    scheme_out(conn, chosen_alg, Side::Client, |f| f.1.into())
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_connection_get_signature_scheme(
    conn: *mut s2n_connection,
    scheme_name: *mut *const c_char,
) -> c_int {
    ffi::entry(|| {
        let conn = Connection::from_handle(conn)?;
        let out = ffi::out(scheme_name)?;
        let state = conn.state();
        if state.phase == Phase::New {
            return Err(Error::new(S2N_ERR_INVALID_STATE));
        }
        let tls13 = negotiated_version(&state) == Some(S2N_TLS13);
        *out = state.facts.server_scheme.map_or(static_c(c"none"), |s| {
            leak_free_c(scheme_facts(s).name(tls13))
        });
        Ok(S2N_SUCCESS)
    })
}
