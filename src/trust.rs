//! Trust: the trust store (`s2n_config_*trust_store`, CA locations, system
//! certificates), the certificate checks s2n lets the application relax, and
//! the rustls verifiers that apply them (server certificates on clients,
//! client certificates on servers).

#![forbid(unsafe_code)]

use std::ffi::c_int;
use std::fmt;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::WebPkiSupportedAlgorithms;
use rustls::server::danger::{ClientCertVerified, ClientCertVerifier};
use rustls::{
    CertificateError, DigitallySignedStruct, DistinguishedName, RootCertStore, SignatureScheme,
};
use rustls_pki_types::{CertificateDer, ServerName, UnixTime};

use crate::cert_chain::parse_certs;
use crate::error::{Error, S2nCode};
use crate::ffi::callbacks::Clock;
use crate::ffi::{self, ArcHandle, CPtr, callbacks};
use crate::types::*;

/// Where the system trust store lives when `SSL_CERT_FILE`/`SSL_CERT_DIR` do not say.
pub(crate) const SYSTEM_CA_FILE: &str = "/etc/ssl/certs/ca-certificates.crt";
pub(crate) const SYSTEM_CA_DIR: &str = "/etc/ssl/certs";

/// What s2n's x509 validator does, per config.
#[derive(Clone)]
pub struct TrustSettings {
    pub roots: Arc<RootCertStore>,
    /// The certificate of each anchor of `roots`, in the same order (a
    /// validated chain ends with its anchor's certificate, as in s2n).
    pub ders: Arc<Vec<CertificateDer<'static>>>,
    /// The system store is loaded on first use, not by `s2n_config_new`.
    pub system_pending: bool,
    /// The system store was loaded (until the store is wiped).
    pub system_loaded: bool,
    pub verify: bool,
    pub check_time: bool,
    pub check_intent: bool,
    pub max_depth: u16,
    pub verify_host: Option<(s2n_verify_host_fn, CPtr)>,
}

impl Default for TrustSettings {
    fn default() -> Self {
        Self {
            roots: Arc::new(RootCertStore::empty()),
            ders: Arc::default(),
            system_pending: false,
            system_loaded: false,
            verify: true,
            check_time: true,
            check_intent: true,
            max_depth: 7,
            verify_host: None,
        }
    }
}

impl TrustSettings {
    /// Adds a trust anchor and keeps its certificate beside it.
    fn add_root(&mut self, cert: CertificateDer<'static>) -> Result<(), Error> {
        Arc::make_mut(&mut self.roots)
            .add(cert.clone())
            .map_err(|_| Error::new(crate::error::S2N_ERR_DECODE_CERTIFICATE))?;
        Arc::make_mut(&mut self.ders).push(cert);
        Ok(())
    }

    /// Empties the store.
    pub fn wipe(&mut self) {
        self.roots = Arc::new(RootCertStore::empty());
        self.ders = Arc::default();
    }

    /// Adds every certificate of a PEM bundle as a trust anchor.
    pub fn add_pem(&mut self, pem: &[u8]) -> Result<(), Error> {
        for cert in parse_certs(pem)? {
            self.add_root(cert)?;
        }
        Ok(())
    }

    /// Adds the certificates of a file, and of every file in a directory;
    /// unreadable or non-certificate files in a directory are skipped, as OpenSSL's hashed dirs hold links.
    pub fn add_location(&mut self, file: Option<&Path>, dir: Option<&Path>) -> Result<(), Error> {
        if let Some(file) = file {
            let pem = std::fs::read(file)
                .map_err(|_| Error::new(crate::error::S2N_ERR_X509_TRUST_STORE))?;
            self.add_pem(&pem)?;
        }
        if let Some(dir) = dir {
            let entries = std::fs::read_dir(dir)
                .map_err(|_| Error::new(crate::error::S2N_ERR_X509_TRUST_STORE))?;
            for entry in entries.flatten() {
                if let Ok(pem) = std::fs::read(entry.path()) {
                    if let Ok(certs) = parse_certs(&pem) {
                        for cert in certs {
                            let _ = self.add_root(cert);
                        }
                    }
                }
            }
        }
        Ok(())
    }

    /// Loads the system store now if it is still pending.
    pub fn load_pending_system(&mut self) {
        if !std::mem::take(&mut self.system_pending) {
            return;
        }
        self.system_loaded = true;
        let file: std::path::PathBuf = std::env::var_os("SSL_CERT_FILE")
            .map(Into::into)
            .unwrap_or_else(|| SYSTEM_CA_FILE.into());
        let dir = std::env::var_os("SSL_CERT_DIR").map(std::path::PathBuf::from);
        if self.add_location(Some(&file), None).is_err() {
            let _ = self.add_location(
                None,
                Some(dir.as_deref().unwrap_or(Path::new(SYSTEM_CA_DIR))),
            );
        }
    }
}

/// s2n's default host check: the name equals the expected one (ignoring
/// case), or is `*.` and the expected name's parent domain.
pub(crate) fn default_host_match(expected: &str, name: &str) -> bool {
    if expected.is_empty() {
        return false;
    }
    if expected.eq_ignore_ascii_case(name) {
        return true;
    }
    match (name.strip_prefix('*'), expected.find('.')) {
        (Some(suffix), Some(dot)) if name.len() > 2 && suffix.starts_with('.') => {
            expected[dot..].eq_ignore_ascii_case(suffix)
        }
        _ => false,
    }
}

/// Accepts any extended key usage: `s2n_config_disable_x509_intent_verification`.
pub(crate) struct AnyUsage;

impl webpki::ExtendedKeyUsageValidator for AnyUsage {
    fn validate(&self, _: webpki::KeyPurposeIdIter<'_, '_>) -> Result<(), webpki::Error> {
        Ok(())
    }
}

pub(crate) fn map_webpki(err: &webpki::Error) -> c_int {
    use crate::error::*;
    match err {
        webpki::Error::CertExpired { .. } => S2N_ERR_CERT_EXPIRED,
        webpki::Error::CertNotValidYet { .. } => S2N_ERR_CERT_NOT_YET_VALID,
        webpki::Error::CertRevoked => S2N_ERR_CERT_REVOKED,
        webpki::Error::UnknownRevocationStatus => S2N_ERR_CRL_LOOKUP_FAILED,
        webpki::Error::InvalidCrlSignatureForPublicKey
        | webpki::Error::UnsupportedCrlSignatureAlgorithmContext(_)
        | webpki::Error::UnsupportedCrlSignatureAlgorithmForPublicKeyContext(_) => {
            S2N_ERR_CRL_SIGNATURE
        }
        webpki::Error::IssuerNotCrlSigner => S2N_ERR_CRL_ISSUER,
        webpki::Error::BadDer | webpki::Error::BadDerTime => S2N_ERR_DECODE_CERTIFICATE,
        // s2n checks the TLS purpose (X509_check_purpose) after the chain.
        webpki::Error::RequiredEkuNotFoundContext(_) => S2N_ERR_CERT_INTENT_INVALID,
        #[allow(deprecated)]
        webpki::Error::RequiredEkuNotFound => S2N_ERR_CERT_INTENT_INVALID,
        _ => S2N_ERR_CERT_UNTRUSTED,
    }
}

/// The chain checks both verifiers share.
#[derive(Clone)]
pub struct ChainCheck {
    pub settings: TrustSettings,
    pub wall_clock: Clock,
    pub algorithms: WebPkiSupportedAlgorithms,
    /// The signature schemes the policy allows, in its order.
    pub schemes: Vec<SignatureScheme>,
    /// The policy, for its certificate preferences.
    pub policy: &'static crate::policy::Policy,
    pub allow_ip_in_cn: bool,
    /// `s2n_config_set_cert_validation_cb`: runs after our own checks.
    pub validation_cb: Option<(crate::unstable::crl::s2n_cert_validation_callback, CPtr)>,
    /// `s2n_config_set_crl_lookup_cb`: CRLs for each received certificate.
    pub crl_lookup_cb: Option<(crate::unstable::crl::s2n_crl_lookup_callback, CPtr)>,
    /// The subjects a server names in its CertificateRequest.
    pub cert_authorities: Vec<DistinguishedName>,
}

impl ChainCheck {
    pub fn new(
        settings: TrustSettings,
        wall_clock: Clock,
        policy: &'static crate::policy::Policy,
    ) -> Self {
        let algorithms = policy.provider().signature_verification_algorithms;
        let supported = algorithms.supported_schemes();
        let schemes = policy
            .signature_schemes()
            .iter()
            .copied()
            .filter(|s| supported.contains(s))
            .collect();
        Self {
            settings,
            wall_clock,
            algorithms,
            schemes,
            policy,
            allow_ip_in_cn: false,
            validation_cb: None,
            crl_lookup_cb: None,
            cert_authorities: Vec::new(),
        }
    }

    fn now(&self, rustls_now: UnixTime) -> UnixTime {
        match self.wall_clock {
            Some((cb, ctx)) => callbacks::clock(cb, ctx)
                .map(|ns| UnixTime::since_unix_epoch(Duration::from_nanos(ns)))
                .unwrap_or(rustls_now),
            None => rustls_now,
        }
    }

    /// Verifies the chain to a trust anchor; the peer's name is checked by the caller.
    fn verify_chain(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        now: UnixTime,
        server: bool,
        crls: Option<&[webpki::OwnedCertRevocationList]>,
    ) -> Result<(), rustls::Error> {
        let crls: Option<Vec<webpki::CertRevocationList<'_>>> =
            crls.map(|crls| crls.iter().cloned().map(Into::into).collect());
        let crl_refs: Option<Vec<&webpki::CertRevocationList<'_>>> =
            crls.as_ref().map(|crls| crls.iter().collect());
        let revocation = match &crl_refs {
            None => None,
            // s2n: a certificate without a CRL fails the chain.
            Some(refs) if refs.is_empty() => {
                return Err(S2nCode::into_cert_error(
                    crate::error::S2N_ERR_CRL_LOOKUP_FAILED,
                ));
            }
            Some(refs) => Some(
                webpki::RevocationOptionsBuilder::new(refs)
                    .map_err(|_| S2nCode::into_cert_error(crate::error::S2N_ERR_CRL_LOOKUP_FAILED))?
                    .with_depth(webpki::RevocationCheckDepth::Chain)
                    .with_status_policy(webpki::UnknownStatusPolicy::Deny)
                    .with_expiration_policy(webpki::ExpirationPolicy::Ignore)
                    .build(),
            ),
        };
        let ee = webpki::EndEntityCert::try_from(end_entity)
            .map_err(|_| S2nCode::into_cert_error(crate::error::S2N_ERR_DECODE_CERTIFICATE))?;
        if intermediates.len() + 1 > usize::from(self.settings.max_depth) {
            return Err(S2nCode::into_cert_error(
                crate::error::S2N_ERR_CERT_MAX_CHAIN_DEPTH_EXCEEDED,
            ));
        }
        let usage = if server {
            webpki::KeyUsage::server_auth()
        } else {
            webpki::KeyUsage::client_auth()
        };
        let mut time = self.now(now);
        // With time checks off, retry at a moment the failing certificate was valid.
        for _ in 0..8 {
            let result = if self.settings.check_intent {
                ee.verify_for_usage(
                    self.algorithms.all,
                    &self.settings.roots.roots,
                    intermediates,
                    time,
                    usage,
                    revocation,
                    None,
                )
            } else {
                ee.verify_for_usage(
                    self.algorithms.all,
                    &self.settings.roots.roots,
                    intermediates,
                    time,
                    AnyUsage,
                    revocation,
                    None,
                )
            };
            match result {
                Ok(path) => {
                    self.check_leaf_intent(end_entity, server)?;
                    let validated = self.path_of(&path, intermediates);
                    crate::notes::note(|n| n.validated = Some(validated));
                    return Ok(());
                }
                Err(webpki::Error::CertExpired { not_after, .. }) if !self.settings.check_time => {
                    time = not_after
                }
                Err(webpki::Error::CertNotValidYet { not_before, .. })
                    if !self.settings.check_time =>
                {
                    time = not_before
                }
                Err(e) => {
                    return match self.trusted_as_is(end_entity, self.now(now)) {
                        Some(Ok(())) => {
                            // The leaf is its own anchor: the chain is the leaf.
                            let leaf_only = crate::notes::ValidatedPath {
                                intermediates: [0xff; 8],
                                root: None,
                            };
                            crate::notes::note(|n| n.validated = Some(leaf_only));
                            Ok(())
                        }
                        Some(result) => result,
                        None => Err(S2nCode::into_cert_error(map_webpki(&e))),
                    };
                }
            }
        }
        Err(S2nCode::into_cert_error(
            crate::error::S2N_ERR_CERT_UNTRUSTED,
        ))
    }

    /// s2n checks the TLS purpose of the leaf (OpenSSL's X509_check_purpose)
    /// beside its extended key usage, which webpki checks: a keyUsage
    /// extension must allow a server's key to sign or encipher, a client's to
    /// sign or agree. Skipped with `s2n_config_disable_x509_intent_verification`.
    fn check_leaf_intent(
        &self,
        end_entity: &CertificateDer<'_>,
        server: bool,
    ) -> Result<(), rustls::Error> {
        use crate::x509::{KU_DIGITAL_SIGNATURE, KU_KEY_AGREEMENT, KU_KEY_ENCIPHERMENT, key_usage};
        let wanted = if server {
            KU_DIGITAL_SIGNATURE | KU_KEY_ENCIPHERMENT
        } else {
            KU_DIGITAL_SIGNATURE | KU_KEY_AGREEMENT
        };
        match key_usage(end_entity) {
            Some(bits) if self.settings.check_intent && bits & wanted == 0 => Err(
                S2nCode::into_cert_error(crate::error::S2N_ERR_CERT_INTENT_INVALID),
            ),
            _ => Ok(()),
        }
    }

    /// As s2n (OpenSSL with partial chains): a received certificate that is
    /// itself in the trust store is trusted as it is, whatever its issuer or
    /// basic constraints (a self-signed CA:TRUE certificate presented as a
    /// leaf), within its validity period unless time checks are off. None
    /// when the certificate is not in the store.
    /// The verified path as indices into what the peer sent and into the
    /// roots.
    fn path_of(
        &self,
        path: &webpki::VerifiedPath<'_>,
        intermediates: &[CertificateDer<'_>],
    ) -> crate::notes::ValidatedPath {
        let mut indices = [0xff; 8];
        for (slot, cert) in indices.iter_mut().zip(path.intermediate_certificates()) {
            let der = cert.der();
            if let Some(i) = intermediates
                .iter()
                .position(|c| c.as_ref() == der.as_ref())
            {
                *slot = u8::try_from(i).unwrap_or(0xff);
            }
        }
        let anchor = path.anchor();
        let root = self
            .settings
            .roots
            .roots
            .iter()
            .position(|a| std::ptr::eq(a, anchor))
            .and_then(|i| u32::try_from(i).ok());
        crate::notes::ValidatedPath {
            intermediates: indices,
            root,
        }
    }

    fn trusted_as_is(
        &self,
        end_entity: &CertificateDer<'_>,
        now: UnixTime,
    ) -> Option<Result<(), rustls::Error>> {
        let id = crate::x509::identity(end_entity)?;
        let in_store = self.settings.roots.roots.iter().any(|anchor| {
            anchor.subject.as_ref() == id.subject
                && anchor.subject_public_key_info.as_ref() == id.spki
        });
        if !in_store {
            return None;
        }
        let now = i64::try_from(now.as_secs()).unwrap_or(i64::MAX);
        Some(if !self.settings.check_time {
            Ok(())
        } else if now < id.not_before {
            Err(S2nCode::into_cert_error(
                crate::error::S2N_ERR_CERT_NOT_YET_VALID,
            ))
        } else if now > id.not_after {
            Err(S2nCode::into_cert_error(crate::error::S2N_ERR_CERT_EXPIRED))
        } else {
            Ok(())
        })
    }

    /// s2n's order: with verification on, the host check (the verify-host
    /// callback, or the name the connection expects) comes first, then the
    /// CRL lookups, then the chain; the application's validation callback
    /// last, even with verification off.
    fn verify(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        now: UnixTime,
        server: bool,
    ) -> Result<(), rustls::Error> {
        if self.settings.verify {
            // As s2n, the policy's certificate preferences first, on each
            // received certificate (signatures of self-signed ones exempt).
            for cert in std::iter::once(end_entity).chain(intermediates) {
                self.policy
                    .check_cert(cert, true)
                    .map_err(|e| S2nCode::into_cert_error(e.code))?;
            }
            self.verify_names_and_chain(end_entity, intermediates, now, server)?;
        }
        match self.validation_cb {
            Some(cb) => crate::unstable::crl::run_validation(cb),
            None => Ok(()),
        }
    }

    fn verify_names_and_chain(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        now: UnixTime,
        server: bool,
    ) -> Result<(), rustls::Error> {
        let (names, from_cn) = crate::x509::host_names(end_entity);
        // An IP address in the CN is no host name unless the config allows it (allow_ip_in_cn.h).
        let ip_in_cn = from_cn && names.iter().any(|n| n.parse::<std::net::IpAddr>().is_ok());
        if names.is_empty() || (ip_in_cn && !self.allow_ip_in_cn) {
            return Err(S2nCode::into_cert_error(
                crate::error::S2N_ERR_CERT_UNTRUSTED,
            ));
        }
        let context = crate::notes::context();
        let accepted = match context.verify_host.or(self.settings.verify_host) {
            Some((cb, ctx)) => names
                .iter()
                .any(|name| callbacks::verify_host(cb, ctx, name)),
            None => context.server_name.is_some_and(|expected| {
                names.iter().any(|name| default_host_match(&expected, name))
            }),
        };
        if !accepted {
            return Err(S2nCode::into_cert_error(
                crate::error::S2N_ERR_CERT_INVALID_HOSTNAME,
            ));
        }
        let crls = match self.crl_lookup_cb {
            Some(cb) => {
                let received: Vec<&CertificateDer<'_>> =
                    std::iter::once(end_entity).chain(intermediates).collect();
                Some(crate::unstable::crl::lookup_crls(cb, &received)?)
            }
            None => None,
        };
        self.verify_chain(end_entity, intermediates, now, server, crls.as_deref())
    }

    fn verify_tls12(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        crate::notes::note(|n| n.verified = Some(dss.scheme));
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.algorithms)
            .inspect_err(bad_handshake_signature)
    }

    fn verify_tls13(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        crate::notes::note(|n| n.verified = Some(dss.scheme));
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.algorithms)
            .inspect_err(bad_handshake_signature)
    }
}

/// s2n reports a peer's handshake signature that does not verify as
/// `S2N_ERR_VERIFY_SIGNATURE` (rustls: a bad certificate signature).
pub(crate) fn bad_handshake_signature(err: &rustls::Error) {
    if matches!(
        err,
        rustls::Error::InvalidCertificate(CertificateError::BadSignature)
    ) {
        crate::notes::note(|n| {
            n.failure = Some(Error::new(crate::error::S2N_ERR_VERIFY_SIGNATURE))
        });
    }
}

impl fmt::Debug for ChainCheck {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ChainCheck").finish_non_exhaustive()
    }
}

/// The client's check of the server: chain, then host name (s2n's default
/// check against the server name, or the application's verify-host callback).
#[derive(Debug)]
pub struct ServerVerifier {
    pub check: ChainCheck,
}

/// The name a client connects with when the application set none: an IP
/// address, so rustls sends no SNI; s2n's default host check then fails.
pub fn no_server_name() -> ServerName<'static> {
    ServerName::IpAddress(std::net::Ipv4Addr::UNSPECIFIED.into())
}

impl ServerCertVerifier for ServerVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        if !ocsp_response.is_empty() {
            let ocsp = ocsp_response.to_vec();
            crate::notes::note(|n| n.ocsp = Some(ocsp));
        }
        self.check.verify(end_entity, intermediates, now, true)?;
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.check.verify_tls12(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.check.verify_tls13(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.check.schemes.clone()
    }
}

/// The server's check of client certificates.
#[derive(Debug)]
pub struct ClientVerifier {
    pub check: ChainCheck,
    pub mandatory: bool,
}

impl ClientCertVerifier for ClientVerifier {
    fn client_auth_mandatory(&self) -> bool {
        self.mandatory
    }

    fn root_hint_subjects(&self) -> &[DistinguishedName] {
        &self.check.cert_authorities
    }

    fn verify_client_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        now: UnixTime,
    ) -> Result<ClientCertVerified, rustls::Error> {
        self.check.verify(end_entity, intermediates, now, false)?;
        Ok(ClientCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.check.verify_tls12(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.check.verify_tls13(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.check.schemes.clone()
    }
}

pub(crate) fn update_trust(
    config: *mut s2n_config,
    f: impl FnOnce(&mut TrustSettings) -> Result<(), Error>,
) -> c_int {
    ffi::entry(|| {
        s2n_config::get(config)?.update(|state| f(&mut state.trust))?;
        Ok(S2N_SUCCESS)
    })
}

/// s2n's limit on the certificate_authorities list it sends (bytes).
pub(crate) const CERT_AUTHORITIES_MAX_SIZE: usize = 20000;
