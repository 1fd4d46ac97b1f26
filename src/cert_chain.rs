//! `s2n_cert_chain_and_key_*`, `s2n_cert_chain_*` and `s2n_cert_*`: a
//! certificate chain with (for our own identity) its private key, as rustls's
//! `CertifiedKey`, plus what s2n attaches to it (ctx, OCSP, SCT).

#![forbid(unsafe_code)]

use std::ffi::c_int;
use std::sync::{Arc, Mutex, OnceLock};

use rustls::crypto::CryptoProvider;
use rustls::sign::CertifiedKey;
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};

use crate::error::{
    Error, S2N_ERR_DECODE_CERTIFICATE, S2N_ERR_DECODE_PRIVATE_KEY, S2N_ERR_INVALID_PEM,
    S2N_ERR_INVALID_STATE, S2N_ERR_KEY_MISMATCH, S2N_ERR_NO_CERT_FOUND,
    S2N_ERR_NO_CERTIFICATE_IN_PEM,
};
use crate::ffi::{self, ArcHandle, CPtr, RefHandle};
use crate::types::*;

pub mod sign;

/// One certificate of a chain: what an `s2n_cert *` points at.
pub struct Cert {
    pub der: CertificateDer<'static>,
}

/// The private key, as `s2n_cert_chain_and_key_get_private_key` hands it
/// out: the key itself, without the hooks of `sign::S2nKey`.
pub struct PrivateKey {
    pub key: Arc<dyn rustls::sign::SigningKey>,
}

/// What loading gave: the chain (leaf first) and, for our own chains, the key.
pub struct Loaded {
    pub certs: Box<[Cert]>,
    pub key: Option<PrivateKey>,
    /// Ready for rustls when a key is present.
    pub certified: Option<Arc<CertifiedKey>>,
    /// DNS names (SAN) of the leaf, lower-cased, for SNI matching.
    pub names: Vec<String>,
}

#[derive(Default)]
pub struct CertChainAndKey {
    loaded: OnceLock<Loaded>,
    pub(crate) ctx: Mutex<CPtr>,
    pub ocsp: Mutex<Option<Vec<u8>>>,
    pub sct: Mutex<Option<Vec<u8>>>,
}

impl ArcHandle for s2n_cert_chain_and_key {
    type Rust = CertChainAndKey;
}
impl RefHandle for s2n_cert {
    type Rust = Cert;
}
impl RefHandle for s2n_pkey {
    type Rust = PrivateKey;
}

/// `notes` holds the chosen chain without naming its type; this types it.
impl crate::notes::Selection {
    pub fn new(chain: Arc<CertChainAndKey>, sni_match: s2n_cert_sni_match) -> Self {
        Self {
            chosen: chain,
            sni_match,
        }
    }

    /// The chosen chain (None only for a selection not made by `new`).
    pub fn chain(&self) -> Option<&CertChainAndKey> {
        self.chosen.downcast_ref()
    }
}

/// The chain a connection chose, as the connection keeps it (a thin
/// pointer: `notes::Selection` carries it out of a handshake step as `Any`).
#[derive(Clone)]
pub struct Selected {
    pub chain: Arc<CertChainAndKey>,
    pub sni_match: s2n_cert_sni_match,
}

impl Selected {
    pub fn from_notes(selection: crate::notes::Selection) -> Option<Self> {
        let chain = Arc::downcast(selection.chosen).ok()?;
        Some(Self {
            chain,
            sni_match: selection.sni_match,
        })
    }

    pub fn to_notes(&self) -> crate::notes::Selection {
        crate::notes::Selection::new(self.chain.clone(), self.sni_match)
    }
}

/// Certificates of a PEM bundle, leaf first.
pub fn parse_certs(pem: &[u8]) -> Result<Vec<CertificateDer<'static>>, Error> {
    let certs = CertificateDer::pem_slice_iter(pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|_| Error::new(S2N_ERR_INVALID_PEM))?;
    if certs.is_empty() {
        return Err(Error::new(S2N_ERR_NO_CERTIFICATE_IN_PEM));
    }
    for cert in &certs {
        crate::x509::extensions(cert).map_err(|_| Error::new(S2N_ERR_DECODE_CERTIFICATE))?;
    }
    Ok(certs)
}

pub(crate) fn leaf_names(leaf: &CertificateDer<'_>) -> Vec<String> {
    webpki::EndEntityCert::try_from(leaf)
        .map(|ee| {
            ee.valid_dns_names()
                .map(|n| n.to_ascii_lowercase())
                .collect()
        })
        .unwrap_or_default()
}

impl CertChainAndKey {
    /// Checks this chain, ours to send, against a policy that applies its
    /// certificate preferences locally
    /// (`S2N_ERR_SECURITY_POLICY_INCOMPATIBLE_CERT`).
    pub fn check_policy(&self, policy: &crate::policy::Policy) -> Result<(), Error> {
        if !policy.checks_local_chains() {
            return Ok(());
        }
        let Ok(loaded) = self.loaded() else {
            return Ok(());
        };
        loaded
            .certs
            .iter()
            .try_for_each(|c| policy.check_cert(&c.der, false))
    }

    pub fn loaded(&self) -> Result<&Loaded, Error> {
        self.loaded
            .get()
            .ok_or_else(|| Error::new(S2N_ERR_NO_CERT_FOUND))
    }

    /// Loads a chain and, if given, its key; fails on a key that does not
    /// belong to the leaf.
    pub fn load(
        &self,
        chain_pem: &[u8],
        key_pem: Option<&[u8]>,
        provider: &CryptoProvider,
    ) -> Result<(), Error> {
        let certs = parse_certs(chain_pem)?;
        let names = leaf_names(&certs[0]);
        let (key, certified) = match key_pem {
            Some(pem) => {
                let der = PrivateKeyDer::from_pem_slice(pem)
                    .map_err(|_| Error::new(S2N_ERR_DECODE_PRIVATE_KEY))?;
                let key = provider
                    .key_provider
                    .load_private_key(der)
                    .map_err(|_| Error::new(S2N_ERR_DECODE_PRIVATE_KEY))?;
                let ours: Arc<dyn rustls::sign::SigningKey> = Arc::new(sign::S2nKey {
                    raw: key.clone(),
                    leaf: Arc::new(certs[0].clone()),
                    public_only: false,
                });
                let certified = CertifiedKey::new(certs.clone(), ours);
                // As s2n, any certificate version: compared by our parser
                // (rustls's keys_match parses with webpki, which takes v3 only).
                let matches = match key.public_key() {
                    Some(spki) => crate::x509::has_public_key(&certs[0], &spki),
                    None => certified.keys_match().is_ok(),
                };
                if !matches {
                    return Err(Error::new(S2N_ERR_KEY_MISMATCH));
                }
                (Some(PrivateKey { key }), Some(Arc::new(certified)))
            }
            None => {
                let public = sign::PublicOnly::from_leaf(&certs[0])
                    .ok_or_else(|| Error::new(S2N_ERR_DECODE_CERTIFICATE))?;
                let ours = Arc::new(sign::S2nKey {
                    raw: Arc::new(public),
                    leaf: Arc::new(certs[0].clone()),
                    public_only: true,
                });
                (None, Some(Arc::new(CertifiedKey::new(certs.clone(), ours))))
            }
        };
        let loaded = Loaded {
            certs: certs.into_iter().map(|der| Cert { der }).collect(),
            key,
            certified,
            names,
        };
        self.loaded
            .set(loaded)
            .map_err(|_| Error::with_reason(S2N_ERR_INVALID_STATE, "this chain is already loaded"))
    }

    /// Loaded without its private key: usable only with an async pkey callback.
    pub fn public_only(&self) -> bool {
        self.loaded
            .get()
            .is_some_and(|l| l.key.is_none() && l.certified.is_some())
    }

    /// A chain received from a peer (no key).
    pub fn from_der(certs: Vec<CertificateDer<'static>>) -> Self {
        let names = certs.first().map(leaf_names).unwrap_or_default();
        let chain = Self::default();
        let _ = chain.loaded.set(Loaded {
            certs: certs.into_iter().map(|der| Cert { der }).collect(),
            key: None,
            certified: None,
            names,
        });
        chain
    }

    /// Fills an empty chain object with certificates from a peer.
    pub fn fill_from_der(&self, certs: &[CertificateDer<'static>]) -> Result<(), Error> {
        let chain = Self::from_der(certs.to_vec());
        let loaded = chain
            .loaded
            .into_inner()
            .ok_or_else(|| Error::new(S2N_ERR_NO_CERT_FOUND))?;
        self.loaded
            .set(loaded)
            .map_err(|_| Error::with_reason(S2N_ERR_INVALID_STATE, "the chain object is not empty"))
    }

    /// The rustls identity: the chain with its key (and the OCSP response to staple).
    pub fn certified(&self) -> Result<Arc<CertifiedKey>, Error> {
        let loaded = self.loaded()?;
        let base = loaded
            .certified
            .clone()
            .ok_or_else(|| Error::new(S2N_ERR_DECODE_PRIVATE_KEY))?;
        let ocsp = self.ocsp.lock().unwrap_or_else(|e| e.into_inner()).clone();
        Ok(match ocsp {
            Some(ocsp) => {
                let mut with_ocsp = (*base).clone();
                with_ocsp.ocsp = Some(ocsp);
                Arc::new(with_ocsp)
            }
            None => base,
        })
    }

    /// How well the leaf matches a server name: exact, wildcard, or not at all.
    pub fn sni_match(&self, server_name: &str) -> s2n_cert_sni_match {
        let Ok(loaded) = self.loaded() else {
            return s2n_cert_sni_match::S2N_SNI_NO_MATCH;
        };
        let name = server_name.to_ascii_lowercase();
        if loaded.names.contains(&name) {
            return s2n_cert_sni_match::S2N_SNI_EXACT_MATCH;
        }
        let parent = name.split_once('.').map(|(_, rest)| rest);
        let wildcard = loaded.names.iter().any(|n| {
            n.strip_prefix("*.")
                .is_some_and(|suffix| Some(suffix) == parent)
        });
        if wildcard {
            s2n_cert_sni_match::S2N_SNI_WILDCARD_MATCH
        } else {
            s2n_cert_sni_match::S2N_SNI_NO_MATCH
        }
    }
}

pub(crate) fn provider() -> Arc<CryptoProvider> {
    crate::policy::default_policy().provider()
}

/// Stores (or, when empty, clears) data a server sends with this chain.
pub(crate) fn set_blob(
    chain_and_key: *mut s2n_cert_chain_and_key,
    data: *const u8,
    length: u32,
    slot: fn(&CertChainAndKey) -> &Mutex<Option<Vec<u8>>>,
) -> c_int {
    ffi::entry(|| {
        let chain = s2n_cert_chain_and_key::get(chain_and_key)?;
        let data = ffi::slice(data, length as usize)?;
        *slot(chain).lock().unwrap_or_else(|e| e.into_inner()) =
            (!data.is_empty()).then(|| data.to_vec());
        Ok(S2N_SUCCESS)
    })
}
