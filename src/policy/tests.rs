use std::sync::{Arc, LazyLock};

use ::aws_lc_rs::encoding::AsDer;
use ::aws_lc_rs::rand::SystemRandom;
use ::aws_lc_rs::signature::{ECDSA_P256_SHA256_ASN1_SIGNING, EcdsaKeyPair};
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::aws_lc_rs::{ALL_CIPHER_SUITES, ALL_KX_GROUPS};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName, UnixTime};
use rustls::sign::{CertifiedKey, SingleCertAndKey};
use rustls::{ClientConfig, Connection, DigitallySignedStruct, ProtocolVersion, ServerConfig};

use super::*;

const ACCEPTED: usize = 169;
const DEPRECATED: usize = 30;

/// Accepted by s2n, but with only RSA-key-exchange, DHE, CBC, 3DES, RC4 or
/// NULL suites, none of which rustls has.
const NO_RUSTLS: &[&str] = &[
    "20140601",
    "20141001",
    "20150202",
    "20150214",
    "test_all_rsa_kex",
    "null",
];

fn accepted_names() -> Vec<&'static str> {
    table::parse(TABLE)
        .into_iter()
        .filter(|r| !r.deprecated)
        .map(|r| r.name)
        .collect()
}

fn usable() -> impl Iterator<Item = &'static Policy> {
    accepted_names()
        .into_iter()
        .filter(|n| !NO_RUSTLS.contains(n))
        .map(|n| by_name(n).expect(n))
}

#[test]
fn table_counts() {
    let rows = table::parse(TABLE);
    assert_eq!(rows.iter().filter(|r| !r.deprecated).count(), ACCEPTED);
    assert_eq!(rows.iter().filter(|r| r.deprecated).count(), DEPRECATED);
    // Deprecated names come last and carry nothing else.
    let first_deprecated = rows.iter().position(|r| r.deprecated).unwrap();
    assert!(
        rows[first_deprecated..]
            .iter()
            .all(|r| r.deprecated && r.cipher_suites.is_empty())
    );
    for (i, a) in rows.iter().enumerate() {
        for b in &rows[i + 1..] {
            assert!(!a.name.eq_ignore_ascii_case(b.name), "duplicate {}", a.name);
        }
    }
}

#[test]
fn every_accepted_name_resolves() {
    let mut usable = 0;
    for name in accepted_names() {
        let p = by_name(name).expect(name);
        assert_eq!(p.name(), name);
        match p.usable() {
            Ok(()) => {
                assert!(!NO_RUSTLS.contains(&name), "{name} usable");
                assert!(!p.suite_names().is_empty(), "{name}");
                assert!(!p.groups().is_empty(), "{name}");
                usable += 1;
            }
            Err(e) => {
                // Accepted as in s2n; no handshake can use it.
                assert!(NO_RUSTLS.contains(&name), "{name}: {e:?}");
                assert_eq!(e.code, crate::error::S2N_ERR_CIPHER_NOT_SUPPORTED);
                assert!(format!("{e:?}").contains(NO_RUSTLS_SUITE), "{e:?}");
            }
        }
    }
    assert_eq!(usable, ACCEPTED - NO_RUSTLS.len());
}

#[test]
fn deprecated_names_fail_as_deprecated() {
    let deprecated: Vec<_> = table::parse(TABLE)
        .into_iter()
        .filter(|r| r.deprecated)
        .collect();
    for r in deprecated {
        let e = by_name(r.name).expect_err(r.name);
        assert_eq!(e.code, S2N_ERR_DEPRECATED_SECURITY_POLICY, "{}", r.name);
    }
    for name in ["PQ-TLS-1-0-2020-12", "kms-pq-tls-1-0-2019-06", "20240730"] {
        let e = by_name(name).expect_err(name);
        assert_eq!(e.code, S2N_ERR_DEPRECATED_SECURITY_POLICY, "{name}");
    }
}

#[test]
fn unknown_names_are_invalid() {
    for name in [
        "",
        "nope",
        "default ",
        " default",
        "default\0",
        "defaul",
        "TLS1.3",
        "20240731",
    ] {
        let e = by_name(name).expect_err(name);
        assert_eq!(e.code, S2N_ERR_INVALID_SECURITY_POLICY, "{name:?}");
    }
}

#[test]
fn lookup_is_case_insensitive() {
    for (asked, canonical) in [
        ("DEFAULT", "default"),
        ("Default_TLS13", "default_tls13"),
        ("elbsecuritypolicy-2016-08", "ELBSecurityPolicy-2016-08"),
        ("CLOUDFRONT-TLS-1-2-2021", "CloudFront-TLS-1-2-2021"),
        ("AWS-crt-sdk-tlsv1.3", "AWS-CRT-SDK-TLSv1.3"),
    ] {
        let p = by_name(asked).expect(asked);
        assert_eq!(p.name(), canonical);
        assert!(std::ptr::eq(p, by_name(canonical).unwrap()));
    }
}

#[test]
fn default_policy() {
    let p = super::default_policy();
    assert_eq!(p.name(), "default");
    assert_eq!(p.min_version(), S2N_TLS12);
    assert_eq!(p.versions(), TLS12_AND_TLS13);
    assert_eq!(
        p.suite_names(),
        [
            "TLS_AES_128_GCM_SHA256",
            "TLS_AES_256_GCM_SHA384",
            "TLS_CHACHA20_POLY1305_SHA256",
            "ECDHE-ECDSA-AES128-GCM-SHA256",
            "ECDHE-ECDSA-AES256-GCM-SHA384",
            "ECDHE-RSA-AES128-GCM-SHA256",
            "ECDHE-RSA-AES256-GCM-SHA384",
        ]
    );
    assert_eq!(
        p.groups(),
        [
            NamedGroup::X25519MLKEM768,
            NamedGroup::secp256r1MLKEM768,
            NamedGroup::Unknown(0x11ed), // SecP384r1MLKEM1024 (policy/groups.rs)
            NamedGroup::secp256r1,
            NamedGroup::X25519,
            NamedGroup::secp384r1,
            NamedGroup::secp521r1, // policy/groups.rs
        ]
    );
    use SignatureScheme as S;
    assert_eq!(
        p.signature_schemes(),
        [
            S::ECDSA_NISTP256_SHA256,
            S::ECDSA_NISTP384_SHA384,
            S::ECDSA_NISTP521_SHA512,
            S::RSA_PSS_SHA256,
            S::RSA_PSS_SHA384,
            S::RSA_PSS_SHA512,
            S::RSA_PKCS1_SHA256,
            S::RSA_PKCS1_SHA384,
            S::RSA_PKCS1_SHA512,
        ]
    );
    assert_eq!(p.cert_signature_schemes(), None);
    let names: Vec<_> = p
        .provider()
        .cipher_suites
        .iter()
        .map(|s| s2n_cipher_name(s.suite()))
        .collect();
    assert_eq!(names, p.suite_names());
}

#[test]
fn tls13_only_and_tls12_only_policies() {
    for name in [
        "CloudFront-TLS-1-3-2025",
        "AWS-CRT-SDK-TLSv1.3",
        "test_pq_only",
        "cnsa_2",
    ] {
        let p = by_name(name).unwrap();
        assert_eq!(p.min_version(), S2N_TLS13);
        assert_eq!(p.versions(), TLS13_ONLY, "{name}");
        assert!(
            p.provider()
                .cipher_suites
                .iter()
                .all(|s| matches!(s, SupportedCipherSuite::Tls13(_)))
        );
    }
    let cnsa2 = by_name("cnsa_2").unwrap();
    assert_eq!(cnsa2.suite_names(), ["TLS_AES_256_GCM_SHA384"]);
    assert_eq!(cnsa2.groups(), [NamedGroup::MLKEM1024]);
    assert_eq!(cnsa2.signature_schemes(), [SignatureScheme::ML_DSA_87]);
    assert_eq!(
        cnsa2.cert_signature_schemes(),
        Some(&[SignatureScheme::ML_DSA_87][..])
    );

    let p = by_name("ELBSecurityPolicy-TLS-1-2-2017-01").unwrap();
    assert_eq!(p.versions(), TLS12_ONLY);
    assert_eq!(
        p.suite_names(),
        [
            "ECDHE-ECDSA-AES128-GCM-SHA256",
            "ECDHE-RSA-AES128-GCM-SHA256",
            "ECDHE-ECDSA-AES256-GCM-SHA384",
            "ECDHE-RSA-AES256-GCM-SHA384",
        ]
    );
    assert_eq!(p.all_suite_names().len(), 12);
    assert_eq!(p.groups(), [NamedGroup::secp256r1, NamedGroup::secp384r1]);

    // TLS1.0 policies still resolve, to TLS1.2.
    let p = by_name("CloudFront-Upstream").unwrap();
    assert_eq!(p.min_version(), S2N_SSLv3);
    assert_eq!(p.versions(), TLS12_ONLY);
}

/// The versions follow the table's tls13 and min_version columns for every policy.
#[test]
fn versions_follow_the_table() {
    for row in table::parse(TABLE).into_iter().filter(|r| !r.deprecated) {
        let Ok(p) = by_name(row.name) else { continue };
        let has13 = p.versions().contains(&&TLS13);
        let has12 = p.versions().contains(&&TLS12);
        // A version is offered iff the table allows it and rustls has a suite for it.
        let rustls_has = |tls13: bool| {
            row.cipher_suites
                .iter()
                .any(|&(n, c)| n.starts_with("TLS_") == tls13 && rustls_suite(c).is_some())
        };
        assert_eq!(has13, row.tls13 && rustls_has(true), "{}", row.name);
        assert_eq!(
            has12,
            row.min_version <= S2N_TLS12 && rustls_has(false),
            "{}",
            row.name
        );
        let kem_first = p.groups().first().is_some_and(|g| name_is_kem(*g));
        assert_eq!(
            kem_first,
            has13 && !row.kem_groups.is_empty(),
            "{}",
            row.name
        );
        assert_eq!(p.chacha20_boosting(), row.chacha20_boosting);
    }
}

fn name_is_kem(g: NamedGroup) -> bool {
    table::name_of(table::KEM_GROUPS, u16::from(g)).is_some()
}

#[test]
fn every_provider_builds_configs() {
    for p in usable() {
        let provider = p.provider();
        assert!(
            Arc::ptr_eq(&provider, &p.provider()),
            "{} not cached",
            p.name()
        );
        let names: Vec<_> = provider
            .cipher_suites
            .iter()
            .map(|s| s2n_cipher_name(s.suite()))
            .collect();
        assert_eq!(names, p.suite_names(), "{}", p.name());
        let groups: Vec<_> = provider.kx_groups.iter().map(|g| g.name()).collect();
        assert_eq!(groups, p.groups(), "{}", p.name());
        ClientConfig::builder_with_provider(provider.clone())
            .with_protocol_versions(p.versions())
            .unwrap_or_else(|e| panic!("{}: {e}", p.name()));
        ServerConfig::builder_with_provider(provider)
            .with_protocol_versions(p.versions())
            .unwrap_or_else(|e| panic!("{}: {e}", p.name()));
    }
}

#[test]
fn s2n_names_for_everything_rustls_negotiates() {
    for s in ALL_CIPHER_SUITES {
        let name = s2n_cipher_name(s.suite());
        assert_ne!(name, "TLS_NULL_WITH_NULL_NULL", "{:?}", s.suite());
    }
    assert_eq!(
        s2n_cipher_name(CipherSuite::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256),
        "ECDHE-RSA-AES128-GCM-SHA256"
    );
    assert_eq!(
        s2n_cipher_name(CipherSuite::TLS13_AES_128_GCM_SHA256),
        "TLS_AES_128_GCM_SHA256"
    );
    assert_eq!(
        s2n_cipher_name(CipherSuite::from(0x1234)),
        "TLS_NULL_WITH_NULL_NULL"
    );
    assert_eq!(
        s2n_cipher_iana(CipherSuite::TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256),
        [0xCC, 0xA9]
    );

    for g in ALL_KX_GROUPS
        .iter()
        .filter(|g| g.name() != NamedGroup::MLKEM768)
    {
        assert_ne!(s2n_group_name(g.name()), "NONE", "{:?}", g.name());
    }
    assert_eq!(s2n_group_name(NamedGroup::secp256r1), "secp256r1");
    assert_eq!(s2n_group_name(NamedGroup::X25519), "x25519");
    assert_eq!(s2n_group_name(NamedGroup::X25519MLKEM768), "X25519MLKEM768");
    assert_eq!(
        s2n_group_name(NamedGroup::secp256r1MLKEM768),
        "SecP256r1MLKEM768"
    );
    assert_eq!(s2n_group_name(NamedGroup::MLKEM1024), "MLKEM1024");
    assert_eq!(s2n_group_name(NamedGroup::MLKEM768), "NONE");
}

/// Accepts any certificate and signature: these tests are about what the
/// policies negotiate, not about authentication.
#[derive(Debug)]
struct AcceptAll;

impl ServerCertVerifier for AcceptAll {
    fn verify_server_cert(
        &self,
        _: &CertificateDer<'_>,
        _: &[CertificateDer<'_>],
        _: &ServerName<'_>,
        _: &[u8],
        _: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }
    fn verify_tls12_signature(
        &self,
        _: &[u8],
        _: &CertificateDer<'_>,
        _: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        Ok(HandshakeSignatureValid::assertion())
    }
    fn verify_tls13_signature(
        &self,
        _: &[u8],
        _: &CertificateDer<'_>,
        _: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        Ok(HandshakeSignatureValid::assertion())
    }
    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        aws_lc_rs::default_provider()
            .signature_verification_algorithms
            .supported_schemes()
    }
}

static ECDSA_KEY: LazyLock<Arc<CertifiedKey>> = LazyLock::new(|| {
    let pkcs8 = EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_ASN1_SIGNING, &SystemRandom::new())
        .unwrap();
    certified(pkcs8.as_ref().to_vec())
});

static RSA_KEY: LazyLock<Arc<CertifiedKey>> = LazyLock::new(|| {
    let key = ::aws_lc_rs::rsa::KeyPair::generate(::aws_lc_rs::rsa::KeySize::Rsa2048).unwrap();
    let der: ::aws_lc_rs::encoding::Pkcs8V1Der<'_> = key.as_der().unwrap();
    certified(der.as_ref().to_vec())
});

/// A key with a placeholder certificate (never parsed: the client accepts all).
fn certified(pkcs8: Vec<u8>) -> Arc<CertifiedKey> {
    let key = aws_lc_rs::default_provider()
        .key_provider
        .load_private_key(PrivateKeyDer::Pkcs8(pkcs8.into()))
        .unwrap();
    Arc::new(CertifiedKey::new(
        vec![CertificateDer::from(vec![0x30, 0x00])],
        key,
    ))
}

/// Handshakes a client and a server both on `p` in memory.
fn handshake(p: &Policy, key: Arc<CertifiedKey>) -> Result<Connection, rustls::Error> {
    let client = ClientConfig::builder_with_provider(p.provider())
        .with_protocol_versions(p.versions())?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(AcceptAll))
        .with_no_client_auth();
    let server = ServerConfig::builder_with_provider(p.provider())
        .with_protocol_versions(p.versions())?
        .with_no_client_auth()
        .with_cert_resolver(Arc::new(SingleCertAndKey::from(key)));
    let name = ServerName::try_from("example.com").unwrap();
    let mut c = Connection::from(rustls::ClientConnection::new(Arc::new(client), name)?);
    let mut s = Connection::from(rustls::ServerConnection::new(Arc::new(server))?);
    for _ in 0..10 {
        pump(&mut c, &mut s)?;
        pump(&mut s, &mut c)?;
        if !c.is_handshaking() && !s.is_handshaking() {
            return Ok(c);
        }
    }
    Err(rustls::Error::General("handshake did not finish".into()))
}

fn pump(from: &mut Connection, to: &mut Connection) -> Result<(), rustls::Error> {
    let mut buf = Vec::new();
    while from.wants_write() {
        from.write_tls(&mut buf).unwrap();
    }
    let mut rest = &buf[..];
    while !rest.is_empty() {
        to.read_tls(&mut rest).unwrap();
        to.process_new_packets()?;
    }
    Ok(())
}

/// Every usable policy handshakes with itself, at its highest version, on
/// its first suite for the server's key and its first group.
#[test]
fn every_policy_handshakes_with_itself() {
    for p in usable() {
        let ecdsa =
            p.versions().contains(&&TLS13) || p.suite_names().iter().any(|n| n.contains("ECDSA"));
        let key = if ecdsa {
            ECDSA_KEY.clone()
        } else {
            RSA_KEY.clone()
        };
        let c = handshake(p, key).unwrap_or_else(|e| panic!("{}: {e}", p.name()));
        let tls13 = p.versions().contains(&&TLS13);
        let want = if tls13 {
            ProtocolVersion::TLSv1_3
        } else {
            ProtocolVersion::TLSv1_2
        };
        assert_eq!(c.protocol_version(), Some(want), "{}", p.name());
        let suite = c.negotiated_cipher_suite().unwrap().suite();
        let first = p
            .suite_names()
            .iter()
            .find(|n| n.starts_with("TLS_") == tls13 && (tls13 || n.contains("ECDSA") == ecdsa))
            .unwrap();
        assert_eq!(s2n_cipher_name(suite), *first, "{}", p.name());
        let group = c.negotiated_key_exchange_group().unwrap().name();
        assert_eq!(group, p.groups()[0], "{}", p.name());
    }
}

#[test]
fn server_group_prefers_a_share_the_client_sent_then_our_order() {
    let policy = by_name("default_tls13").unwrap();
    let (p256, x25519, p384) = (23u16, 29u16, 24u16);
    let supported = [x25519, p256, p384];
    // TLS1.3: the first of ours the client sent a share for, whatever the
    // client's order.
    assert_eq!(
        policy.server_group(&supported, &[p384], true),
        Some(NamedGroup::secp384r1)
    );
    // No usable share: our most preferred supported group (a HelloRetryRequest).
    let first = policy.server_group(&supported, &[], true);
    assert_eq!(first, policy.groups().first().copied());
    // TLS1.2 has no shares: our order.
    assert_eq!(policy.server_group(&supported, &[x25519], false), first);
    assert_eq!(policy.server_group(&[1234], &[1234], true), None);
}

fn test_cert(name: &str) -> Vec<u8> {
    use rustls_pki_types::pem::PemObject;
    let path = format!("{}/tests/certs/{name}", env!("CARGO_MANIFEST_DIR"));
    CertificateDer::from_pem_file(path).unwrap().to_vec()
}

#[test]
fn certificate_preferences_as_s2n_checks_them() {
    use crate::x509::{CertKey, KeyKind, cert_policy_info};
    let ecdsa = test_cert("server-ecdsa.pem");
    let rsa = test_cert("server-rsa.pem");
    let ca = test_cert("ca-ecdsa.pem");
    let info = cert_policy_info(&ecdsa).unwrap();
    assert_eq!(info.key, Some(CertKey(KeyKind::Ec, 256)));
    assert_eq!(info.signature, &[0x0403]);
    assert!(!info.self_signed);
    assert_eq!(
        cert_policy_info(&rsa).unwrap().key,
        Some(CertKey(KeyKind::Rsa, 2048))
    );
    assert!(cert_policy_info(&ca).unwrap().self_signed);
    assert!(cert_policy_info(b"not a certificate").is_none());

    // rfc9151 (CNSA): P-384 or RSA-3072+ keys, SHA-384 signatures.
    let rfc9151 = by_name("rfc9151").unwrap();
    for cert in [&ecdsa, &rsa] {
        let err = rfc9151.check_cert(cert, true).unwrap_err();
        assert_eq!(err.code, S2N_ERR_SECURITY_POLICY_INCOMPATIBLE_CERT);
    }
    // Policies without certificate preferences take anything.
    assert!(by_name("default").unwrap().check_cert(&ecdsa, true).is_ok());
    assert!(
        by_name("default_tls13")
            .unwrap()
            .check_cert(&rsa, true)
            .is_ok()
    );
}
