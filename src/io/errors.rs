//! s2n's error where a server has nothing to offer.

use std::ffi::c_int;

use crate::connection::{Connection, State};
use crate::error::*;
use crate::types::S2N_TLS13;

/// s2n's error where its server finds nothing to offer, before rustls's
/// own reason. No chain fits the client's offer: for TLS1.3, whose suites do
/// not depend on the certificate, s2n finds no signature scheme for it;
/// for TLS1.2 it finds no cipher suite. A TLS1.2 server given a TLS1.3-only
/// client (rustls reports the version): s2n reads the legacy version and
/// then finds none of the client's suites usable.
pub(crate) fn nothing_to_offer(
    conn: &Connection,
    state: &State,
    err: &rustls::Error,
    no_usable_chain: bool,
) -> Option<c_int> {
    use rustls::{Error as E, PeerIncompatible as P};
    if conn.is_client() {
        return None;
    }
    let tls13 = state
        .policy()
        .versions()
        .iter()
        .any(|v| v.version == rustls::ProtocolVersion::TLSv1_3);
    let client_tls13 = state
        .hello
        .client_versions
        .is_some_and(|(highest, _)| highest == S2N_TLS13);
    if no_usable_chain {
        Some(if tls13 && client_tls13 {
            S2N_ERR_NO_VALID_SIGNATURE_SCHEME
        } else {
            S2N_ERR_CIPHER_NOT_SUPPORTED
        })
    } else if matches!(err, E::PeerIncompatible(P::Tls12NotOfferedOrEnabled)) && !tls13 {
        Some(S2N_ERR_CIPHER_NOT_SUPPORTED)
    } else {
        None
    }
}
