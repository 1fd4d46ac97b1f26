//! The signature schemes of a handshake, as s2n's getters report them:
//! `s2n_connection_get_selected_*signature_algorithm`, `_digest_algorithm`
//! and `s2n_connection_get_signature_scheme`.

use std::ffi::c_int;

use super::Connection;
use crate::error::Error;
use crate::ffi;
use crate::notes;
use crate::types::*;

/// s2n's view of a signature scheme: algorithm, hash, and its names.
pub(crate) struct SchemeFacts {
    sig: s2n_tls_signature_algorithm,
    hash: s2n_tls_hash_algorithm,
    name: &'static str,
    /// ECDSA schemes are named by curve in TLS1.3 and as "legacy" in TLS1.2.
    tls13_name: Option<&'static str>,
    legacy_name: Option<&'static str>,
}

impl SchemeFacts {
    pub(crate) fn name(&self, tls13: bool) -> &'static str {
        let by_version = if tls13 {
            self.tls13_name
        } else {
            self.legacy_name
        };
        by_version.unwrap_or(self.name)
    }
}

pub(crate) fn scheme_facts(scheme: rustls::SignatureScheme) -> SchemeFacts {
    use rustls::SignatureScheme as S;
    use s2n_tls_hash_algorithm as H;
    use s2n_tls_signature_algorithm as A;
    let plain = |sig, hash, name| SchemeFacts {
        sig,
        hash,
        name,
        tls13_name: None,
        legacy_name: None,
    };
    let ecdsa = |hash, name, tls13, legacy| SchemeFacts {
        sig: A::S2N_TLS_SIGNATURE_ECDSA,
        hash,
        name,
        tls13_name: Some(tls13),
        legacy_name: Some(legacy),
    };
    match scheme {
        S::RSA_PKCS1_SHA1 => plain(
            A::S2N_TLS_SIGNATURE_RSA,
            H::S2N_TLS_HASH_SHA1,
            "rsa_pkcs1_sha1",
        ),
        S::RSA_PKCS1_SHA256 => plain(
            A::S2N_TLS_SIGNATURE_RSA,
            H::S2N_TLS_HASH_SHA256,
            "rsa_pkcs1_sha256",
        ),
        S::RSA_PKCS1_SHA384 => plain(
            A::S2N_TLS_SIGNATURE_RSA,
            H::S2N_TLS_HASH_SHA384,
            "rsa_pkcs1_sha384",
        ),
        S::RSA_PKCS1_SHA512 => plain(
            A::S2N_TLS_SIGNATURE_RSA,
            H::S2N_TLS_HASH_SHA512,
            "rsa_pkcs1_sha512",
        ),
        S::ECDSA_SHA1_Legacy => plain(
            A::S2N_TLS_SIGNATURE_ECDSA,
            H::S2N_TLS_HASH_SHA1,
            "ecdsa_sha1",
        ),
        S::ECDSA_NISTP256_SHA256 => ecdsa(
            H::S2N_TLS_HASH_SHA256,
            "ecdsa_sha256",
            "ecdsa_secp256r1_sha256",
            "legacy_ecdsa_sha256",
        ),
        S::ECDSA_NISTP384_SHA384 => ecdsa(
            H::S2N_TLS_HASH_SHA384,
            "ecdsa_sha384",
            "ecdsa_secp384r1_sha384",
            "legacy_ecdsa_sha384",
        ),
        S::ECDSA_NISTP521_SHA512 => ecdsa(
            H::S2N_TLS_HASH_SHA512,
            "ecdsa_sha512",
            "ecdsa_secp521r1_sha512",
            "legacy_ecdsa_sha512",
        ),
        S::RSA_PSS_SHA256 => plain(
            A::S2N_TLS_SIGNATURE_RSA_PSS_RSAE,
            H::S2N_TLS_HASH_SHA256,
            "rsa_pss_rsae_sha256",
        ),
        S::RSA_PSS_SHA384 => plain(
            A::S2N_TLS_SIGNATURE_RSA_PSS_RSAE,
            H::S2N_TLS_HASH_SHA384,
            "rsa_pss_rsae_sha384",
        ),
        S::RSA_PSS_SHA512 => plain(
            A::S2N_TLS_SIGNATURE_RSA_PSS_RSAE,
            H::S2N_TLS_HASH_SHA512,
            "rsa_pss_rsae_sha512",
        ),
        S::ML_DSA_44 => plain(A::S2N_TLS_SIGNATURE_MLDSA, H::S2N_TLS_HASH_NONE, "mldsa44"),
        S::ML_DSA_65 => plain(A::S2N_TLS_SIGNATURE_MLDSA, H::S2N_TLS_HASH_NONE, "mldsa65"),
        S::ML_DSA_87 => plain(A::S2N_TLS_SIGNATURE_MLDSA, H::S2N_TLS_HASH_NONE, "mldsa87"),
        _ => plain(A::S2N_TLS_SIGNATURE_ANONYMOUS, H::S2N_TLS_HASH_NONE, "none"),
    }
}

/// Writes the algorithm or hash of a handshake signature; "anonymous"/"none" before there is one.
/// Whose handshake signature a getter asks about.
#[derive(PartialEq)]
pub(crate) enum Side {
    Server,
    Client,
}

/// The scheme of one side's signature. Inside a handshake step (an async
/// private-key callback, where the connection is locked by this thread) it
/// comes from what the step noted so far.
pub(crate) fn side_scheme(
    conn: *mut s2n_connection,
    side: Side,
) -> Result<Option<rustls::SignatureScheme>, Error> {
    if notes::driving(conn) {
        let ours = (side == Side::Client) == Connection::unlocked(conn)?.is_client();
        let context = notes::context();
        return Ok(notes::peek(|n| {
            if ours {
                n.signed.or(context.signed)
            } else {
                n.verified.or(context.verified)
            }
        }));
    }
    let state = Connection::from_handle(conn)?.state();
    Ok(match side {
        Side::Server => state.facts.server_scheme,
        Side::Client => state.facts.client_scheme,
    })
}

pub(crate) fn scheme_out<T>(
    conn: *mut s2n_connection,
    out: *mut T,
    side: Side,
    part: fn(&(s2n_tls_signature_algorithm, s2n_tls_hash_algorithm)) -> T,
) -> c_int {
    ffi::entry(|| {
        let scheme = side_scheme(conn, side)?;
        let out = ffi::out(out)?;
        let facts = scheme.map(scheme_facts).map_or(
            (
                s2n_tls_signature_algorithm::S2N_TLS_SIGNATURE_ANONYMOUS,
                s2n_tls_hash_algorithm::S2N_TLS_HASH_NONE,
            ),
            |f| (f.sig, f.hash),
        );
        *out = part(&facts);
        Ok(S2N_SUCCESS)
    })
}
