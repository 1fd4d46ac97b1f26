//! The s2n security policy table: s2n's names for suites, groups and
//! signature schemes with their IANA values, and the parser for
//! `data/policies.tsv` (one row per policy name).
//!
//! Everything here is s2n facts only; what rustls can do with them is decided
//! in the parent module.

use std::ffi::c_int;

use crate::types::{S2N_SSLv3, S2N_TLS10, S2N_TLS11, S2N_TLS12, S2N_TLS13};
use crate::x509::{CertKey, KeyKind};

/// Every cipher suite any s2n policy lists: s2n's name (what
/// `s2n_connection_get_cipher` returns) and the IANA value.
pub(super) const SUITES: &[(&str, u16)] = &[
    ("TLS_NULL_WITH_NULL_NULL", 0x0000),
    ("RC4-MD5", 0x0004),
    ("RC4-SHA", 0x0005),
    ("DES-CBC3-SHA", 0x000A),
    ("DHE-RSA-DES-CBC3-SHA", 0x0016),
    ("AES128-SHA", 0x002F),
    ("DHE-RSA-AES128-SHA", 0x0033),
    ("AES256-SHA", 0x0035),
    ("DHE-RSA-AES256-SHA", 0x0039),
    ("AES128-SHA256", 0x003C),
    ("AES256-SHA256", 0x003D),
    ("DHE-RSA-AES128-SHA256", 0x0067),
    ("DHE-RSA-AES256-SHA256", 0x006B),
    ("AES128-GCM-SHA256", 0x009C),
    ("AES256-GCM-SHA384", 0x009D),
    ("DHE-RSA-AES128-GCM-SHA256", 0x009E),
    ("DHE-RSA-AES256-GCM-SHA384", 0x009F),
    ("TLS_AES_128_GCM_SHA256", 0x1301),
    ("TLS_AES_256_GCM_SHA384", 0x1302),
    ("TLS_CHACHA20_POLY1305_SHA256", 0x1303),
    ("ECDHE-ECDSA-AES128-SHA", 0xC009),
    ("ECDHE-ECDSA-AES256-SHA", 0xC00A),
    ("ECDHE-RSA-RC4-SHA", 0xC011),
    ("ECDHE-RSA-DES-CBC3-SHA", 0xC012),
    ("ECDHE-RSA-AES128-SHA", 0xC013),
    ("ECDHE-RSA-AES256-SHA", 0xC014),
    ("ECDHE-ECDSA-AES128-SHA256", 0xC023),
    ("ECDHE-ECDSA-AES256-SHA384", 0xC024),
    ("ECDHE-RSA-AES128-SHA256", 0xC027),
    ("ECDHE-RSA-AES256-SHA384", 0xC028),
    ("ECDHE-ECDSA-AES128-GCM-SHA256", 0xC02B),
    ("ECDHE-ECDSA-AES256-GCM-SHA384", 0xC02C),
    ("ECDHE-RSA-AES128-GCM-SHA256", 0xC02F),
    ("ECDHE-RSA-AES256-GCM-SHA384", 0xC030),
    ("ECDHE-RSA-CHACHA20-POLY1305", 0xCCA8),
    ("ECDHE-ECDSA-CHACHA20-POLY1305", 0xCCA9),
    ("DHE-RSA-CHACHA20-POLY1305", 0xCCAA),
];

/// s2n's elliptic curves (s2n's order of definition) and their IANA values.
pub(super) const CURVES: &[(&str, u16)] = &[
    ("secp256r1", 0x0017),
    ("secp384r1", 0x0018),
    ("x25519", 0x001D),
    ("secp521r1", 0x0019),
];

/// s2n's (hybrid) KEM groups and their IANA values.
pub(super) const KEM_GROUPS: &[(&str, u16)] = &[
    ("X25519MLKEM768", 0x11EC),
    ("SecP256r1MLKEM768", 0x11EB),
    ("SecP384r1MLKEM1024", 0x11ED),
    ("MLKEM1024", 0x0202),
];

/// s2n's signature schemes and their IANA values (0xFFFF is s2n's
/// placeholder for the TLS1.0/1.1 MD5+SHA1 signature, not an IANA value).
pub(super) const SIGNATURE_SCHEMES: &[(&str, u16)] = &[
    ("legacy_rsa_md5_sha1", 0xFFFF),
    ("rsa_pkcs1_sha1", 0x0201),
    ("legacy_rsa_sha224", 0x0301),
    ("rsa_pkcs1_sha256", 0x0401),
    ("rsa_pkcs1_sha384", 0x0501),
    ("rsa_pkcs1_sha512", 0x0601),
    ("ecdsa_sha1", 0x0203),
    ("legacy_ecdsa_sha224", 0x0303),
    ("ecdsa_sha256", 0x0403),
    ("ecdsa_sha384", 0x0503),
    ("ecdsa_sha512", 0x0603),
    ("rsa_pss_rsae_sha256", 0x0804),
    ("rsa_pss_rsae_sha384", 0x0805),
    ("rsa_pss_rsae_sha512", 0x0806),
    ("rsa_pss_pss_sha256", 0x0809),
    ("rsa_pss_pss_sha384", 0x080A),
    ("rsa_pss_pss_sha512", 0x080B),
    ("mldsa44", 0x0904),
    ("mldsa65", 0x0905),
    ("mldsa87", 0x0906),
];

/// The s2n name for an IANA value in one of the tables above.
pub(super) fn name_of(table: &[(&'static str, u16)], code: u16) -> Option<&'static str> {
    table.iter().find(|&&(_, c)| c == code).map(|&(n, _)| n)
}

/// One row of `data/policies.tsv`, with every s2n name resolved to
/// `(s2n name, IANA value)`.
pub(super) struct Row {
    pub name: &'static str,
    pub deprecated: bool,
    pub min_version: c_int,
    pub tls13: bool,
    pub chacha20_boosting: bool,
    pub cipher_suites: Vec<(&'static str, u16)>,
    pub curves: Vec<u16>,
    pub kem_groups: Vec<u16>,
    pub signature_schemes: Vec<u16>,
    /// `None`: the policy does not restrict certificate signatures separately.
    pub cert_signature_schemes: Option<Vec<u16>>,
    /// `None`: any certificate key. Otherwise the allowed key types and sizes,
    /// and the policy checks our own chains too.
    pub cert_keys: Option<Vec<CertKey>>,
}

/// s2n's certificate key names.
const CERT_KEYS: &[(&str, CertKey)] = &[
    ("ecdsa_p256", CertKey(KeyKind::Ec, 256)),
    ("ecdsa_p384", CertKey(KeyKind::Ec, 384)),
    ("ecdsa_p521", CertKey(KeyKind::Ec, 521)),
    ("rsa_1024", CertKey(KeyKind::Rsa, 1024)),
    ("rsa_2048", CertKey(KeyKind::Rsa, 2048)),
    ("rsa_3072", CertKey(KeyKind::Rsa, 3072)),
    ("rsa_4096", CertKey(KeyKind::Rsa, 4096)),
    ("rsa_pss_1024", CertKey(KeyKind::RsaPss, 1024)),
    ("rsa_pss_2048", CertKey(KeyKind::RsaPss, 2048)),
    ("rsa_pss_3072", CertKey(KeyKind::RsaPss, 3072)),
    ("rsa_pss_4096", CertKey(KeyKind::RsaPss, 4096)),
    ("mldsa_87", CertKey(KeyKind::MlDsa87, 20736)),
];

const COLUMNS: [&str; 11] = [
    "name",
    "min_version",
    "tls13",
    "chacha20_boosting",
    "cipher_suites",
    "curves",
    "kem_groups",
    "signature_schemes",
    "cert_signature_schemes",
    "cert_keys",
    "deprecated",
];

/// Parses the embedded table. Panics on malformed data: the table is ours and
/// the tests parse all of it.
pub(super) fn parse(text: &'static str) -> Vec<Row> {
    let mut lines = text
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'));
    let header: Vec<&str> = lines
        .next()
        .expect("policies.tsv: no header")
        .split('\t')
        .collect();
    assert_eq!(header, COLUMNS, "policies.tsv: unexpected columns");
    lines.map(parse_row).collect()
}

fn parse_row(line: &'static str) -> Row {
    let f: Vec<&'static str> = line.split('\t').collect();
    assert_eq!(f.len(), COLUMNS.len(), "policies.tsv: bad row {line:?}");
    let name = f[0];
    let flag = |s: &str| match s {
        "yes" => true,
        "" => false,
        _ => panic!("policies.tsv: {name}: bad flag {s:?}"),
    };
    let deprecated = flag(f[10]);
    let min_version = match f[1] {
        "S2N_SSLv3" => S2N_SSLv3,
        "S2N_TLS10" => S2N_TLS10,
        "S2N_TLS11" => S2N_TLS11,
        "S2N_TLS12" => S2N_TLS12,
        "S2N_TLS13" => S2N_TLS13,
        "" if deprecated => 0,
        v => panic!("policies.tsv: {name}: bad min_version {v:?}"),
    };
    let list = |s: &'static str, table: &[(&'static str, u16)]| -> Vec<(&'static str, u16)> {
        s.split(',')
            .filter(|n| !n.is_empty())
            .map(|n| match table.iter().find(|&&(t, _)| t == n) {
                Some(&(_, code)) => (n, code),
                None => panic!("policies.tsv: {name}: unknown name {n:?}"),
            })
            .collect()
    };
    let codes = |s, table| {
        list(s, table)
            .into_iter()
            .map(|(_, c)| c)
            .collect::<Vec<_>>()
    };
    Row {
        name,
        deprecated,
        min_version,
        tls13: flag(f[2]),
        chacha20_boosting: flag(f[3]),
        cipher_suites: list(f[4], SUITES),
        curves: codes(f[5], CURVES),
        kem_groups: codes(f[6], KEM_GROUPS),
        signature_schemes: codes(f[7], SIGNATURE_SCHEMES),
        cert_signature_schemes: (!f[8].is_empty()).then(|| codes(f[8], SIGNATURE_SCHEMES)),
        cert_keys: (!f[9].is_empty()).then(|| {
            f[9].split(',')
                .map(|n| match CERT_KEYS.iter().find(|(k, _)| *k == n) {
                    Some((_, key)) => *key,
                    None => panic!("policies.tsv: {name}: unknown certificate key {n:?}"),
                })
                .collect()
        }),
    }
}
