//! s2n's error for a failure rustls reports.

use std::ffi::c_int;

use crate::connection::{Connection, State};
use crate::error::*;
use crate::types::S2N_TLS13;

/// s2n's error for a rustls failure.
pub fn map_tls_error(err: &rustls::Error) -> c_int {
    use rustls::{CertificateError as C, Error as E, PeerIncompatible as P};
    match err {
        E::InvalidCertificate(C::Other(other)) => other
            .0
            .downcast_ref::<S2nCode>()
            .map_or(S2N_ERR_CERT_UNTRUSTED, |e| e.0),
        E::Other(other) => other
            .0
            .downcast_ref::<S2nCode>()
            .map_or(S2N_ERR_BAD_MESSAGE, |e| e.0),
        E::InvalidCertificate(C::Expired | C::ExpiredContext { .. }) => S2N_ERR_CERT_EXPIRED,
        E::InvalidCertificate(C::NotValidYet | C::NotValidYetContext { .. }) => {
            S2N_ERR_CERT_NOT_YET_VALID
        }
        E::InvalidCertificate(C::NotValidForName | C::NotValidForNameContext { .. }) => {
            S2N_ERR_CERT_INVALID_HOSTNAME
        }
        E::InvalidCertificate(C::Revoked) => S2N_ERR_CERT_REVOKED,
        E::InvalidCertificate(_) => S2N_ERR_CERT_UNTRUSTED,
        E::NoCertificatesPresented => S2N_ERR_MISSING_CLIENT_CERT,
        E::AlertReceived(_) => S2N_ERR_ALERT,
        E::NoApplicationProtocol => S2N_ERR_NO_APPLICATION_PROTOCOL,
        E::DecryptError => S2N_ERR_DECRYPT,
        E::EncryptError => S2N_ERR_ENCRYPT,
        E::PeerSentOversizedRecord => S2N_ERR_BAD_MESSAGE,
        E::PeerIncompatible(p) => match p {
            P::NoCipherSuitesInCommon => S2N_ERR_CIPHER_NOT_SUPPORTED,
            P::NoKxGroupsInCommon | P::NoEcPointFormatsInCommon => S2N_ERR_ECDHE_UNSUPPORTED_CURVE,
            P::NoSignatureSchemesInCommon | P::SignatureAlgorithmsExtensionRequired => {
                S2N_ERR_NO_VALID_SIGNATURE_SCHEME
            }
            P::Tls12NotOffered
            | P::Tls12NotOfferedOrEnabled
            | P::Tls13RequiredForQuic
            | P::ServerDoesNotSupportTls12Or13
            | P::SupportedVersionsExtensionRequired
            | P::ServerTlsVersionIsDisabledByOurConfig => S2N_ERR_PROTOCOL_VERSION_UNSUPPORTED,
            _ => S2N_ERR_BAD_MESSAGE,
        },
        _ => S2N_ERR_BAD_MESSAGE,
    }
}

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
