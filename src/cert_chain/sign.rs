//! Our private key as rustls uses it. Every handshake signature passes
//! through here so that s2n's hooks apply: the scheme is noted for
//! `s2n_connection_get_selected_*signature_algorithm`, the application's
//! async private-key callback may make the signature (`s2n_async_pkey_*`),
//! and a signature can be checked against the certificate before it is sent
//! (`s2n_config_set_verify_after_sign`).

use std::sync::Arc;

use rustls::sign::{Signer, SigningKey};
use rustls::{SignatureAlgorithm, SignatureScheme};
use rustls_pki_types::{CertificateDer, SubjectPublicKeyInfoDer};

use crate::error::{Error, S2N_ERR_NO_PRIVATE_KEY, S2N_ERR_SIGN, S2N_ERR_VERIFY_SIGNATURE};
use crate::notes;

/// A chain's key, with the leaf it belongs to (to verify signatures).
#[derive(Debug)]
pub struct S2nKey {
    pub raw: Arc<dyn SigningKey>,
    pub leaf: Arc<CertificateDer<'static>>,
    /// `raw` is a `PublicOnly`: only the async pkey callback can sign.
    pub public_only: bool,
}

impl SigningKey for S2nKey {
    /// As s2n: the first scheme of the policy's preference list that the
    /// peer offered and the key can make (rustls's order if none is).
    fn choose_scheme(&self, offered: &[SignatureScheme]) -> Option<Box<dyn Signer>> {
        let preferred = notes::context()
            .schemes
            .iter()
            .filter(|s| offered.contains(s))
            .find_map(|s| self.raw.choose_scheme(&[*s]));
        let inner = preferred.or_else(|| self.raw.choose_scheme(offered))?;
        Some(Box::new(S2nSigner {
            inner,
            leaf: self.leaf.clone(),
            public_only: self.public_only,
        }))
    }

    fn public_key(&self) -> Option<SubjectPublicKeyInfoDer<'_>> {
        self.raw.public_key()
    }

    fn algorithm(&self) -> SignatureAlgorithm {
        self.raw.algorithm()
    }
}

#[derive(Debug)]
struct S2nSigner {
    inner: Box<dyn Signer>,
    leaf: Arc<CertificateDer<'static>>,
    public_only: bool,
}

impl S2nSigner {
    fn sign_as_configured(&self, message: &[u8]) -> Result<Vec<u8>, Error> {
        let context = notes::context();
        let signing = context.signing;
        let scheme = self.inner.scheme();
        if signing.async_pkey.is_some() && !context.conn.is_null() {
            let strict = signing.strict || signing.verify_after_sign;
            return crate::async_pkey::sign(
                signing.async_pkey,
                context.conn,
                crate::async_pkey::SignRequest {
                    scheme,
                    message: message.to_vec(),
                    strict,
                    leaf: self.leaf.clone(),
                },
            );
        }
        let signature = self.inner.sign(message).map_err(|_| {
            if self.public_only {
                Error::new(S2N_ERR_NO_PRIVATE_KEY)
            } else {
                Error::new(S2N_ERR_SIGN)
            }
        })?;
        if signing.verify_after_sign {
            verify(&self.leaf, scheme, message, &signature)?;
        }
        Ok(signature)
    }
}

impl Signer for S2nSigner {
    fn sign(&self, message: &[u8]) -> Result<Vec<u8>, rustls::Error> {
        // Noted when it signs, not when chosen: a server chooses a scheme
        // before it knows it will resume, and a resumed handshake signs nothing.
        // A TLS1.3 CertificateVerify signs 64 spaces and a context string
        // (RFC 8446 4.4.3); a TLS1.2 signature signs the hello randoms first.
        let version = if message.starts_with(&[0x20; 64]) {
            crate::types::S2N_TLS13
        } else {
            crate::types::S2N_TLS12
        };
        notes::note(|n| {
            n.signed = Some(self.inner.scheme());
            n.version = Some(version);
        });
        self.sign_as_configured(message).map_err(|err| {
            notes::note(|n| n.failure = Some(err));
            rustls::Error::General("the handshake signature failed".into())
        })
    }

    fn scheme(&self) -> SignatureScheme {
        self.inner.scheme()
    }
}

/// Checks `signature` over `message` with the leaf's public key, as s2n does
/// after signing: `S2N_ERR_VERIFY_SIGNATURE` if it does not verify.
pub fn verify(
    leaf: &CertificateDer<'_>,
    scheme: SignatureScheme,
    message: &[u8],
    signature: &[u8],
) -> Result<(), Error> {
    let bad = || Error::new(S2N_ERR_VERIFY_SIGNATURE);
    let cert = webpki::EndEntityCert::try_from(leaf).map_err(|_| bad())?;
    let provider = crate::policy::default_policy().provider();
    let algorithms = provider
        .signature_verification_algorithms
        .mapping
        .iter()
        .find(|(s, _)| *s == scheme)
        .map_or(&[][..], |(_, algs)| *algs);
    if algorithms
        .iter()
        .any(|alg| cert.verify_signature(*alg, message, signature).is_ok())
    {
        Ok(())
    } else {
        Err(bad())
    }
}

/// The key of a chain loaded without its private key
/// (`s2n_cert_chain_and_key_load_public_pem_bytes`): it offers the schemes
/// the leaf's public key can verify, and only the async pkey callback can
/// sign with it.
#[derive(Debug)]
pub struct PublicOnly {
    spki: SubjectPublicKeyInfoDer<'static>,
    schemes: Vec<SignatureScheme>,
    algorithm: SignatureAlgorithm,
}

impl PublicOnly {
    pub fn from_leaf(leaf: &CertificateDer<'_>) -> Option<Self> {
        let cert = webpki::EndEntityCert::try_from(leaf).ok()?;
        let spki = cert.subject_public_key_info();
        let key_type = crate::x509::spki_algorithm(spki.as_ref())?;
        let provider = crate::policy::default_policy().provider();
        // The first verifier of each scheme is the one whose key type (and
        // curve) that scheme stands for.
        let schemes: Vec<SignatureScheme> = provider
            .signature_verification_algorithms
            .mapping
            .iter()
            .filter(|(_, algs)| {
                algs.first()
                    .is_some_and(|alg| alg.public_key_alg_id().as_ref() == key_type)
            })
            .map(|(scheme, _)| *scheme)
            .collect();
        let algorithm = match schemes.first()? {
            SignatureScheme::ED25519 => SignatureAlgorithm::ED25519,
            SignatureScheme::ED448 => SignatureAlgorithm::ED448,
            SignatureScheme::ECDSA_NISTP256_SHA256
            | SignatureScheme::ECDSA_NISTP384_SHA384
            | SignatureScheme::ECDSA_NISTP521_SHA512 => SignatureAlgorithm::ECDSA,
            _ => SignatureAlgorithm::RSA,
        };
        Some(Self {
            spki,
            schemes,
            algorithm,
        })
    }
}

impl SigningKey for PublicOnly {
    fn choose_scheme(&self, offered: &[SignatureScheme]) -> Option<Box<dyn Signer>> {
        let scheme = self.schemes.iter().find(|s| offered.contains(s))?;
        Some(Box::new(NoKey(*scheme)))
    }

    fn public_key(&self) -> Option<SubjectPublicKeyInfoDer<'_>> {
        Some(self.spki.clone())
    }

    fn algorithm(&self) -> SignatureAlgorithm {
        self.algorithm
    }
}

/// A signer without a key: what signing without an async callback gets.
#[derive(Debug)]
struct NoKey(SignatureScheme);

impl Signer for NoKey {
    fn sign(&self, _message: &[u8]) -> Result<Vec<u8>, rustls::Error> {
        Err(rustls::Error::General(
            "this chain has no private key".into(),
        ))
    }

    fn scheme(&self) -> SignatureScheme {
        self.0
    }
}
