//! s2n-tls security policies ("default", "20240503", "ELBSecurityPolicy-…",
//! …) mapped onto rustls: protocol versions, cipher suites, key exchange
//! groups and signature schemes.
//!
//! The facts come from `data/policies.tsv` (s2n's table, one row per accepted
//! or deprecated name), embedded and parsed once; `table` knows s2n's names for
//! suites, groups and signature schemes. What rustls/aws-lc-rs lacks (CBC,
//! RSA key exchange, DHE, 3DES, RC4, TLS1.0/1.1, secp521r1,
//! SecP384r1MLKEM1024, RSA-PSS-PSS and SHA-1/SHA-224 signatures) is dropped.

#![forbid(unsafe_code)]
use std::ffi::c_int;

use crate::types::*;

pub mod groups;
mod table;

use std::sync::{Arc, LazyLock, OnceLock};

use rustls::crypto::{CryptoProvider, SupportedKxGroup, aws_lc_rs};
use rustls::version::{TLS12, TLS13};
use rustls::{
    CipherSuite, NamedGroup, SignatureScheme, SupportedCipherSuite, SupportedProtocolVersion,
};

use crate::error::{
    Error, S2N_ERR_DEPRECATED_SECURITY_POLICY, S2N_ERR_INVALID_SECURITY_POLICY,
    S2N_ERR_SECURITY_POLICY_INCOMPATIBLE_CERT,
};
use crate::x509::CertKey;

/// s2n's policy table; see the header of the file for its format.
pub(crate) const TABLE: &str = include_str!("../data/policies.tsv");

/// Why a policy none of whose cipher suites rustls implements is refused.
pub(crate) const NO_RUSTLS_SUITE: &str = "none of the security policy's cipher suites is available in rustls \
     (only ECDHE-AEAD TLS1.2 suites and TLS1.3 suites are)";
/// Why a policy whose rustls suites cannot be used with its versions or groups is refused.
pub(crate) const NO_RUSTLS_VERSION: &str = "the security policy's rustls cipher suites have no usable protocol \
     version or key exchange group";

pub(crate) const TLS12_ONLY: &[&SupportedProtocolVersion] = &[&TLS12];
pub(crate) const TLS13_ONLY: &[&SupportedProtocolVersion] = &[&TLS13];
pub(crate) const TLS12_AND_TLS13: &[&SupportedProtocolVersion] = &[&TLS13, &TLS12];

/// One s2n security policy as rustls can honour it.
#[derive(Debug)]
pub struct Policy {
    name: &'static str,
    min_version: c_int,
    chacha20_boosting: bool,
    versions: &'static [&'static SupportedProtocolVersion],
    /// The policy's rustls suites usable with `versions`, in s2n's order.
    suites: Vec<SupportedCipherSuite>,
    /// s2n's names for `suites`.
    suite_names: Vec<&'static str>,
    /// Every suite the s2n policy lists, rustls or not.
    all_suite_names: Vec<&'static str>,
    /// KEM groups (if TLS1.3 is allowed) then curves, in s2n's order.
    kx_groups: Vec<&'static dyn SupportedKxGroup>,
    groups: Vec<NamedGroup>,
    signature_schemes: Vec<SignatureScheme>,
    cert_signature_schemes: Option<Vec<SignatureScheme>>,
    /// The certificate preferences as s2n checks certificates against them:
    /// allowed signature scheme codes (all of the policy's, rustls or not)
    /// and allowed keys (then also for our own chains).
    cert_signature_codes: Option<Vec<u16>>,
    cert_keys: Option<Vec<CertKey>>,
    provider: OnceLock<Arc<CryptoProvider>>,
    /// Why no handshake can use the policy (none of its suites, or of its
    /// suites' versions, is in rustls); s2n accepts such a name all the same.
    unavailable: Option<&'static str>,
}

/// What a name in the table stands for.
pub(crate) enum Entry {
    Usable(Box<Policy>),
    Deprecated,
}

/// aws-lc-rs's randomness, except for the one 2-byte value rustls draws:
/// the seed of its ClientHello extension order. s2n sends its extensions in
/// one order, so one config's ClientHellos have one fingerprint (JA3/JA4),
/// and fingerprinting callers count on that.
#[derive(Debug)]
pub(crate) struct FixedExtensionOrder;

impl rustls::crypto::SecureRandom for FixedExtensionOrder {
    fn fill(&self, buf: &mut [u8]) -> Result<(), rustls::crypto::GetRandomFailed> {
        if buf.len() == 2 {
            buf.fill(0);
            return Ok(());
        }
        ::aws_lc_rs::rand::fill(buf).map_err(|_| rustls::crypto::GetRandomFailed)
    }

    fn fips(&self) -> bool {
        false
    }
}

/// Every name of the table, in table order.
pub(crate) static POLICIES: LazyLock<Vec<(&'static str, Entry)>> =
    LazyLock::new(|| crate::ffi::alloc::permanent(parse_policies));

pub(crate) fn parse_policies() -> Vec<(&'static str, Entry)> {
    let verifiable = aws_lc_rs::default_provider()
        .signature_verification_algorithms
        .supported_schemes();
    table::parse(TABLE)
        .into_iter()
        .map(|row| (row.name, Entry::new(row, &verifiable)))
        .collect()
}

pub(crate) fn rustls_suite(code: u16) -> Option<SupportedCipherSuite> {
    aws_lc_rs::ALL_CIPHER_SUITES
        .iter()
        .copied()
        .find(|s| u16::from(s.suite()) == code)
}

/// A group of s2n's by its code: rustls's, or one of ours (`groups`).
pub(crate) fn rustls_group(code: u16) -> Option<&'static dyn SupportedKxGroup> {
    aws_lc_rs::ALL_KX_GROUPS
        .iter()
        .chain(groups::EXTRA)
        .copied()
        .find(|g| u16::from(g.name()) == code)
}

/// The schemes among `codes` that rustls can verify with aws-lc-rs, in order.
pub(crate) fn rustls_schemes(
    codes: &[u16],
    verifiable: &[SignatureScheme],
) -> Vec<SignatureScheme> {
    codes
        .iter()
        .map(|&c| SignatureScheme::from(c))
        .filter(|s| verifiable.contains(s))
        .collect()
}

impl Entry {
    fn new(row: table::Row, verifiable: &[SignatureScheme]) -> Self {
        if row.deprecated {
            return Self::Deprecated;
        }
        let suites: Vec<(&'static str, SupportedCipherSuite)> = row
            .cipher_suites
            .iter()
            .filter_map(|&(name, code)| rustls_suite(code).map(|s| (name, s)))
            .collect();
        if suites.is_empty() {
            return Self::unavailable(row, verifiable, NO_RUSTLS_SUITE);
        }
        let curves: Vec<_> = row.curves.iter().filter_map(|&c| rustls_group(c)).collect();
        let kems: Vec<_> = row
            .kem_groups
            .iter()
            .filter_map(|&c| rustls_group(c))
            .collect();
        let has = |tls13: bool| {
            suites
                .iter()
                .any(|(_, s)| matches!(s, SupportedCipherSuite::Tls13(_)) == tls13)
        };
        // KEM groups only exist in TLS1.3; TLS1.2 needs a classical curve.
        let tls12 = row.min_version <= S2N_TLS12 && has(false) && !curves.is_empty();
        let tls13 = row.tls13 && has(true) && !(curves.is_empty() && kems.is_empty());
        let versions = match (tls12, tls13) {
            (true, true) => TLS12_AND_TLS13,
            (true, false) => TLS12_ONLY,
            (false, true) => TLS13_ONLY,
            (false, false) => return Self::unavailable(row, verifiable, NO_RUSTLS_VERSION),
        };
        let (suite_names, suites): (Vec<_>, Vec<_>) = suites
            .into_iter()
            .filter(|(_, s)| match s {
                SupportedCipherSuite::Tls13(_) => tls13,
                SupportedCipherSuite::Tls12(_) => tls12,
            })
            .unzip();
        // s2n prefers a mutually supported KEM group over any curve.
        let kx_groups: Vec<_> = if tls13 { kems } else { Vec::new() }
            .into_iter()
            .chain(curves)
            .collect();
        Self::Usable(Box::new(Policy {
            versions,
            suites,
            suite_names,
            groups: kx_groups.iter().map(|g| g.name()).collect(),
            kx_groups,
            ..Policy::from_row(row, verifiable, None)
        }))
    }

    /// A policy s2n accepts of which rustls has nothing: set as s2n allows,
    /// refused when a handshake starts (`Policy::usable`).
    fn unavailable(row: table::Row, verifiable: &[SignatureScheme], why: &'static str) -> Self {
        Self::Usable(Box::new(Policy::from_row(row, verifiable, Some(why))))
    }
}

impl Policy {
    /// What a row says beyond what rustls offers of it: no versions, suites
    /// or groups yet.
    fn from_row(
        row: table::Row,
        verifiable: &[SignatureScheme],
        unavailable: Option<&'static str>,
    ) -> Self {
        Self {
            name: row.name,
            min_version: row.min_version,
            chacha20_boosting: row.chacha20_boosting,
            versions: &[],
            suites: Vec::new(),
            suite_names: Vec::new(),
            all_suite_names: row.cipher_suites.iter().map(|&(n, _)| n).collect(),
            kx_groups: Vec::new(),
            groups: Vec::new(),
            signature_schemes: rustls_schemes(&row.signature_schemes, verifiable),
            cert_signature_schemes: row
                .cert_signature_schemes
                .as_ref()
                .map(|c| rustls_schemes(c, verifiable)),
            cert_signature_codes: row.cert_signature_schemes,
            cert_keys: row.cert_keys,
            provider: OnceLock::new(),
            unavailable,
        }
    }
}

/// Looks up an s2n policy name (ASCII case-insensitive).
///
/// Errors: an unknown name gives `S2N_ERR_INVALID_SECURITY_POLICY`; a
/// deprecated one `S2N_ERR_DEPRECATED_SECURITY_POLICY`. A policy none of
/// whose cipher suites rustls has is found, as s2n finds it; handshakes with
/// it fail (`Policy::usable`).
#[track_caller]
pub fn by_name(name: &str) -> Result<&'static Policy, Error> {
    let found = POLICIES.iter().find(|(n, _)| n.eq_ignore_ascii_case(name));
    match found {
        Some((_, Entry::Usable(policy))) => Ok(policy),
        Some((_, Entry::Deprecated)) => Err(Error::new(S2N_ERR_DEPRECATED_SECURITY_POLICY)),
        None => Err(Error::new(S2N_ERR_INVALID_SECURITY_POLICY)),
    }
}

/// The policy `s2n_config_new` starts with: "default".
pub fn default_policy() -> &'static Policy {
    by_name("default").expect("the policy table has a usable \"default\"")
}

impl Policy {
    /// Fails with `S2N_ERR_CIPHER_NOT_SUPPORTED` (and why) for a policy no
    /// handshake can use on rustls: the error a handshake with it gets.
    #[track_caller]
    pub fn usable(&self) -> Result<(), Error> {
        match self.unavailable {
            Some(why) => Err(Error::with_reason(
                crate::error::S2N_ERR_CIPHER_NOT_SUPPORTED,
                why,
            )),
            None => Ok(()),
        }
    }

    /// The policy's name as the table spells it (the name it was looked up by,
    /// up to case).
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// s2n's minimum protocol version (`S2N_SSLv3` … `S2N_TLS13`), as s2n has
    /// it, even where rustls cannot go below TLS1.2.
    pub fn min_version(&self) -> c_int {
        self.min_version
    }

    /// The rustls protocol versions this policy allows (TLS1.2 and/or TLS1.3).
    pub fn versions(&self) -> &'static [&'static SupportedProtocolVersion] {
        self.versions
    }

    /// Whether an s2n server on this policy prefers ChaCha20-Poly1305 when the
    /// client lists it first.
    pub fn chacha20_boosting(&self) -> bool {
        self.chacha20_boosting
    }

    /// aws-lc-rs's default provider with exactly the policy's rustls cipher
    /// suites and key exchange groups, in the policy's order. Built once.
    pub fn provider(&self) -> Arc<CryptoProvider> {
        self.provider
            .get_or_init(|| {
                crate::ffi::alloc::permanent(|| {
                    Arc::new(CryptoProvider {
                        cipher_suites: self.suites.clone(),
                        kx_groups: self.kx_groups.clone(),
                        secure_random: &FixedExtensionOrder,
                        ..aws_lc_rs::default_provider()
                    })
                })
            })
            .clone()
    }

    /// The provider of `provider()` with only `group` for key exchange: how
    /// a server makes rustls use the group s2n would choose.
    pub fn provider_with_group(&self, group: NamedGroup) -> Arc<CryptoProvider> {
        let mut provider = (*self.provider()).clone();
        provider.kx_groups.retain(|g| g.name() == group);
        Arc::new(provider)
    }

    /// The group an s2n server with this policy uses for a ClientHello's
    /// supported groups and key shares: in TLS1.3 the first of ours (in our
    /// order) the client sent a key share for, else (a HelloRetryRequest,
    /// or TLS1.2) the first of ours the client supports. rustls would take
    /// the client's first supported group instead.
    pub fn server_group(
        &self,
        supported: &[u16],
        shares: &[u16],
        tls13: bool,
    ) -> Option<NamedGroup> {
        let version = if tls13 {
            rustls::ProtocolVersion::TLSv1_3
        } else {
            rustls::ProtocolVersion::TLSv1_2
        };
        let ours = || {
            self.kx_groups
                .iter()
                .filter(move |g| g.usable_for_version(version))
                .map(|g| g.name())
                .filter(|g| supported.contains(&u16::from(*g)))
        };
        let shared = if tls13 {
            ours().find(|g| shares.contains(&u16::from(*g)))
        } else {
            None
        };
        shared.or_else(|| ours().next())
    }

    /// The groups the policy offers on rustls, in preference order (KEM groups
    /// first when TLS1.3 is allowed, then curves): `provider().kx_groups`.
    pub fn groups(&self) -> &[NamedGroup] {
        &self.groups
    }

    /// The policy's signature schemes that rustls with aws-lc-rs supports, in
    /// the policy's order.
    pub fn signature_schemes(&self) -> &[SignatureScheme] {
        &self.signature_schemes
    }

    /// The schemes allowed in certificate chains, if the policy restricts
    /// them separately (`None`: no separate restriction). Only those rustls
    /// supports.
    pub fn cert_signature_schemes(&self) -> Option<&[SignatureScheme]> {
        self.cert_signature_schemes.as_deref()
    }

    /// Whether it checks our own chains against its certificate preferences
    /// (the policies with key preferences, as in s2n).
    pub fn checks_local_chains(&self) -> bool {
        self.cert_keys.is_some()
    }

    /// Checks one certificate against the policy's certificate preferences,
    /// as s2n does: its signature (unless `self_signed_exempt` and it is
    /// self-signed) and its key. `S2N_ERR_SECURITY_POLICY_INCOMPATIBLE_CERT`.
    pub fn check_cert(&self, cert_der: &[u8], self_signed_exempt: bool) -> Result<(), Error> {
        if self.cert_signature_codes.is_none() && self.cert_keys.is_none() {
            return Ok(());
        }
        let incompatible = || Error::new(S2N_ERR_SECURITY_POLICY_INCOMPATIBLE_CERT);
        let info = crate::x509::cert_policy_info(cert_der).ok_or_else(incompatible)?;
        if let Some(allowed) = &self.cert_signature_codes {
            let exempt = self_signed_exempt && info.self_signed;
            if !exempt && !info.signature.iter().any(|c| allowed.contains(c)) {
                return Err(incompatible());
            }
        }
        if let Some(keys) = &self.cert_keys {
            if !info.key.is_some_and(|k| keys.contains(&k)) {
                return Err(incompatible());
            }
        }
        Ok(())
    }

    /// s2n's names of the suites this policy offers on rustls, in order
    /// ("TLS_AES_128_GCM_SHA256", "ECDHE-RSA-AES128-GCM-SHA256", …).
    pub fn suite_names(&self) -> &[&'static str] {
        &self.suite_names
    }

    /// s2n's names of every suite the s2n policy lists, including those
    /// rustls lacks.
    pub fn all_suite_names(&self) -> &[&'static str] {
        &self.all_suite_names
    }
}

/// s2n's name for a cipher suite, as `s2n_connection_get_cipher` returns it
/// ("ECDHE-RSA-AES128-GCM-SHA256", "TLS_AES_128_GCM_SHA256");
/// "TLS_NULL_WITH_NULL_NULL" for one s2n does not know.
pub fn s2n_cipher_name(suite: CipherSuite) -> &'static str {
    table::name_of(table::SUITES, u16::from(suite)).unwrap_or("TLS_NULL_WITH_NULL_NULL")
}

/// A cipher suite's IANA value as the two bytes on the wire
/// (`s2n_connection_get_cipher_iana_value`).
pub fn s2n_cipher_iana(suite: CipherSuite) -> [u8; 2] {
    u16::from(suite).to_be_bytes()
}

/// s2n's name for a group, as `s2n_connection_get_curve` /
/// `s2n_connection_get_key_exchange_group` return it ("secp256r1", "x25519",
/// "X25519MLKEM768", "SecP256r1MLKEM768", "MLKEM1024"); "NONE" for one s2n
/// does not know.
pub fn s2n_group_name(group: NamedGroup) -> &'static str {
    let code = u16::from(group);
    table::name_of(table::CURVES, code)
        .or_else(|| table::name_of(table::KEM_GROUPS, code))
        .unwrap_or("NONE")
}

/// s2n's name for a signature scheme ("ecdsa_sha256", "mldsa87", ...).
pub fn s2n_signature_scheme_name(scheme: SignatureScheme) -> Option<&'static str> {
    table::name_of(table::SIGNATURE_SCHEMES, u16::from(scheme))
}

#[cfg(test)]
mod tests;

/// A NUL-terminated copy of a name the C getters return (the table's names,
/// handshake type names). Made once per name and kept: the set is small and fixed.
pub fn c_name(name: &str) -> *const std::ffi::c_char {
    crate::ffi::alloc::permanent(|| intern(name))
}

pub(crate) fn intern(name: &str) -> *const std::ffi::c_char {
    static NAMES: std::sync::Mutex<Vec<(String, &'static std::ffi::CStr)>> =
        std::sync::Mutex::new(Vec::new());
    let mut names = NAMES.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((_, c)) = names.iter().find(|(n, _)| n == name) {
        return c.as_ptr();
    }
    let c: &'static std::ffi::CStr = Box::leak(
        std::ffi::CString::new(name)
            .unwrap_or_default()
            .into_boxed_c_str(),
    );
    names.push((name.to_string(), c));
    c.as_ptr()
}
