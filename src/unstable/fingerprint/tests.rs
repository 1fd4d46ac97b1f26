//! JA3 and JA4 against the cases and known values of s2n-tls's unit tests
//! (tests/data/fingerprint/s2n_known_values.txt), and against independent
//! implementations run on real ClientHellos (tests/data/fingerprint/README.md).

use std::ffi::c_int;

use super::s2n_fingerprint_type::{S2N_FINGERPRINT_JA3 as JA3, S2N_FINGERPRINT_JA4 as JA4};
use super::{hash_string, raw_string};
use crate::client_hello::ClientHello;
use crate::error::{
    S2N_ERR_INSUFFICIENT_MEM_SIZE, S2N_ERR_STUFFER_IS_FULL, S2N_ERR_STUFFER_OUT_OF_DATA,
};

const TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256: u16 = 0xc02f;

/// A ClientHello message: version, zero random, empty session id, the cipher
/// suites, null compression, and the extensions block given whole.
fn message(version: [u8; 2], ciphers: &[u16], extensions: &[u8]) -> Vec<u8> {
    let mut body = version.to_vec();
    body.extend_from_slice(&[0; 32]);
    body.push(0);
    body.extend_from_slice(&(ciphers.len() as u16 * 2).to_be_bytes());
    for c in ciphers {
        body.extend_from_slice(&c.to_be_bytes());
    }
    body.extend_from_slice(&[1, 0]);
    body.extend_from_slice(&(extensions.len() as u16).to_be_bytes());
    body.extend_from_slice(extensions);
    let mut msg = vec![1];
    msg.extend_from_slice(&(body.len() as u32).to_be_bytes()[1..]);
    msg.extend_from_slice(&body);
    msg
}

/// An extensions block of (type, data) entries.
fn block(extensions: &[(u16, &[u8])]) -> Vec<u8> {
    let mut out = Vec::new();
    for (ty, data) in extensions {
        out.extend_from_slice(&ty.to_be_bytes());
        out.extend_from_slice(&(data.len() as u16).to_be_bytes());
        out.extend_from_slice(data);
    }
    out
}

fn hello(version: [u8; 2], ciphers: &[u16], extensions: &[(u16, &[u8])]) -> ClientHello {
    ClientHello::parse(&message(version, ciphers, &block(extensions))).unwrap()
}

/// s2n's JA4 test ClientHello: version 0x0000, one 0x0000 cipher suite.
fn ja4_hello(extensions: &[(u16, &[u8])]) -> ClientHello {
    hello([0, 0], &[0], extensions)
}

fn raw(kind: super::s2n_fingerprint_type, hello: &ClientHello) -> String {
    String::from_utf8(raw_string(kind, hello, usize::MAX).unwrap()).unwrap()
}

fn hash(kind: super::s2n_fingerprint_type, hello: &ClientHello) -> String {
    hash_string(kind, hello).unwrap().0
}

fn error(result: Result<impl std::fmt::Debug, crate::error::Error>) -> c_int {
    result.unwrap_err().code
}

use crate::client_hello::tests::unhex;

/// Records of "key: value" lines separated by blank lines, '#' comments.
fn records(text: &str) -> Vec<Vec<(&str, &str)>> {
    text.split("\n\n")
        .map(|record| {
            record
                .lines()
                .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
                .map(|line| line.split_once(": ").unwrap())
                .collect::<Vec<_>>()
        })
        .filter(|record| !record.is_empty())
        .collect()
}

fn field<'a>(record: &[(&str, &'a str)], key: &str) -> Option<&'a str> {
    record.iter().find(|(k, _)| *k == key).map(|(_, v)| *v)
}

const KNOWN_VALUES: &str = include_str!("../../../tests/data/fingerprint/s2n_known_values.txt");

#[test]
fn fingerprint_ja3_single_entry_lists() {
    let groups: &[u8] = &[0x00, 0x02, 0x00, 23];
    let h = hello(
        [3, 2],
        &[TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256],
        &[(10, groups)],
    );
    assert_eq!(raw(JA3, &h), "770,49199,10,23,");
}

#[test]
fn fingerprint_ja3_missing_fields() {
    let h = hello([3, 1], &[TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256], &[]);
    assert_eq!(raw(JA3, &h), "769,49199,,,");
}

#[test]
fn fingerprint_ja3_grease_ignored() {
    let groups: &[u8] = &[0x00, 0x04, 0x00, 23, 0x0a, 0x0a];
    let h = hello(
        [3, 2],
        &[TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, 0x0a0a],
        &[(0x0a0a, &[]), (10, groups)],
    );
    assert_eq!(raw(JA3, &h), "770,49199,10,23,");
}

/// s2n's fingerprint test: "771,49199,,," is 12 bytes; a buffer of 11 fails.
#[test]
fn fingerprint_ja3_raw_size_and_small_buffers() {
    let h = hello([3, 3], &[TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256], &[]);
    let (hash, raw_size) = hash_string(JA3, &h).unwrap();
    assert_eq!(raw_size, 12);
    assert_eq!(hash.len(), 32);
    for max in 0..12 {
        assert_eq!(
            error(raw_string(JA3, &h, max)),
            S2N_ERR_INSUFFICIENT_MEM_SIZE
        );
    }
    assert_eq!(raw_string(JA3, &h, 12).unwrap(), b"771,49199,,,");
    // A different version, a different fingerprint.
    let h13 = hello([3, 4], &[TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256], &[]);
    assert_eq!(raw(JA3, &h13), "772,49199,,,");
    assert_ne!(hash_string(JA3, &h13).unwrap().0, hash);
}

/// The version is s2n's one-byte form split back: odd versions wrap.
#[test]
fn fingerprint_ja3_odd_versions() {
    let cases: [([u8; 2], &str); 4] = [
        ([3, 0], "768"),
        ([0, 2], "2"),
        ([0xfe, 0xfd], "5891"), // DTLS1.2: (254 * 10 + 253) mod 256 = 233 -> 0x1703
        ([0xff, 0xff], "6149"), // 245 -> 0x1805
    ];
    for (version, expected) in cases {
        let h = hello(version, &[1], &[]);
        assert_eq!(raw(JA3, &h), format!("{expected},1,,,"), "{version:?}");
    }
}

/// Groups and point formats are read without their list lengths; an
/// extension too short for the length, or with an odd trailing byte, fails.
#[test]
fn fingerprint_ja3_malformed_lists() {
    let cases: [(u16, &[u8], Option<&str>); 8] = [
        (10, &[], None),
        (10, &[0], None),
        (10, &[0, 4, 0, 23, 0], None),
        (10, &[0, 0], Some("1,10,,")),
        (10, &[0, 9, 0, 23, 0, 24], Some("1,10,23-24,")), // length ignored
        (11, &[], None),
        (11, &[1], Some("1,11,,")),
        (11, &[7, 0, 1, 2], Some("1,11,,0-1-2")), // length ignored
    ];
    for (ty, data, expected) in cases {
        let h = hello([3, 3], &[1], &[(ty, data)]);
        match expected {
            Some(expected) => assert_eq!(raw(JA3, &h), format!("771,{expected}"), "{data:?}"),
            None => {
                let got = raw_string(JA3, &h, usize::MAX);
                assert_eq!(error(got), S2N_ERR_STUFFER_OUT_OF_DATA, "{data:?}");
                assert_eq!(error(hash_string(JA3, &h)), S2N_ERR_STUFFER_OUT_OF_DATA);
            }
        }
    }
}

/// Every known value of s2n's JA3 and JA4 tests.
#[test]
fn fingerprint_s2n_known_values() {
    let records = records(KNOWN_VALUES);
    assert_eq!(records.len(), 9);
    for record in records {
        let name = field(&record, "name").unwrap();
        let h = ClientHello::parse(&unhex(field(&record, "hello").unwrap())).unwrap();
        if let Some(expected) = field(&record, "ja3") {
            assert_eq!(raw(JA3, &h), expected, "{name}");
            let (_, raw_size) = hash_string(JA3, &h).unwrap();
            assert_eq!(raw_size, expected.len(), "{name}");
        }
        if let Some(expected) = field(&record, "ja3_md5") {
            assert_eq!(hash(JA3, &h), expected, "{name}");
        }
        if let Some(expected) = field(&record, "ja4") {
            assert_eq!(hash(JA4, &h), expected, "{name}");
        }
    }
}

#[test]
fn fingerprint_ja4_protocol_and_destination() {
    let minimal = ja4_hello(&[]);
    let prefix = |h: &ClientHello| hash(JA4, h)[..10].to_string();
    assert_eq!(prefix(&minimal), "t00i010000");
    assert_eq!(&prefix(&ja4_hello(&[(0x39, &[])]))[..1], "q");
    assert_eq!(&prefix(&ja4_hello(&[(0, &[])]))[3..4], "d");
}

#[test]
fn fingerprint_ja4_versions() {
    let cases: [([u8; 2], &str); 10] = [
        ([3, 4], "13"),
        ([3, 3], "12"),
        ([3, 2], "11"),
        ([3, 1], "10"),
        ([3, 0], "s3"),
        ([0, 2], "s2"),
        ([1, 0], "00"),
        ([0, 0], "00"),
        ([0, 0xff], "00"),
        ([0xff, 0xff], "00"),
    ];
    for (bytes, expected) in cases {
        let from_extension = ja4_hello(&[(43, &[2, bytes[0], bytes[1]])]);
        assert_eq!(&hash(JA4, &from_extension)[1..3], expected, "{bytes:?}");
        let from_legacy = hello(bytes, &[0], &[]);
        assert_eq!(&hash(JA4, &from_legacy)[1..3], expected, "{bytes:?}");
    }
    // GREASE versions are ignored even when higher.
    let grease = ja4_hello(&[(43, &[8, 0x0a, 0x0a, 0xaa, 0xaa, 0xfa, 0xfa, 3, 4])]);
    assert_eq!(&hash(JA4, &grease)[1..3], "13");
    // The extension wins over the legacy version, and the highest entry wins.
    let both = hello([3, 3], &[0], &[(43, &[4, 3, 3, 3, 4])]);
    assert_eq!(&hash(JA4, &both)[1..3], "13");
    // An extension that cannot be read falls back to the legacy version;
    // one with only GREASE (or nothing) after its length gives "00".
    for (data, expected) in [
        (&[][..], "12"),
        (&[2, 3][..], "12"),
        (&[2][..], "00"),
        (&[2, 0x1a, 0x1a][..], "00"),
    ] {
        let h = hello([3, 3], &[0], &[(43, data)]);
        assert_eq!(&hash(JA4, &h)[1..3], expected, "{data:?}");
    }
}

#[test]
fn fingerprint_ja4_counts() {
    for (n, expected) in [
        (6, "06"),
        (12, "12"),
        (50, "50"),
        (99, "99"),
        (100, "99"),
        (255, "99"),
    ] {
        let ciphers = vec![0u16; n];
        let h = hello([0, 0], &ciphers, &[]);
        assert_eq!(&hash(JA4, &h)[4..6], expected, "{n} ciphers");

        let types: Vec<u16> = (0..n as u16).map(|i| u16::MAX - i).collect();
        let extensions: Vec<(u16, &[u8])> = types.iter().map(|&t| (t, &[][..])).collect();
        let h = ja4_hello(&extensions);
        assert_eq!(&hash(JA4, &h)[6..8], expected, "{n} extensions");
    }
    let h = hello([0, 0], &[0x0a0a, 0xaaaa, 0xfafa, 0], &[]);
    assert_eq!(&hash(JA4, &h)[4..6], "01");
    let h = ja4_hello(&[(0x0a0a, &[]), (0xaaaa, &[]), (0xfafa, &[]), (0, &[])]);
    assert_eq!(&hash(JA4, &h)[6..8], "01");
    // SNI and ALPN are counted though not listed.
    let h = ja4_hello(&[(0, &[]), (16, &[])]);
    assert_eq!(&hash(JA4, &h)[6..8], "02");
    assert_eq!(raw(JA4, &h), "t00d010200_0000_");
}

#[test]
fn fingerprint_ja4_alpn() {
    let alpn = |data: &[u8]| hash(JA4, &ja4_hello(&[(16, data)]))[8..10].to_string();
    assert_eq!(alpn(&[0, 6, 2, b'h', b'2', 2, b'h', b'3']), "h2");
    assert_eq!(alpn(b"\x00\x0e\x08http/1.1\x04quic"), "h1");
    assert_eq!(alpn(&[0, 2, 1, b'q']), "qq");
    // Not alphanumeric: the first hex digit of the first byte and the last
    // hex digit of the last byte.
    for (protocol, expected) in [
        (&[0xab][..], "ab"),
        (&[0xab, 0xcd][..], "ad"),
        (&[0x30, 0xab][..], "3b"),
        (&[0x30, 0x31, 0xab, 0xcd][..], "3d"),
        (&[0x30, 0xab, 0xcd, 0x31][..], "01"),
    ] {
        let mut data = vec![0, protocol.len() as u8 + 1, protocol.len() as u8];
        data.extend_from_slice(protocol);
        assert_eq!(alpn(&data), expected, "{protocol:?}");
    }
    // No extension, no protocols, an empty or truncated first protocol.
    assert_eq!(&hash(JA4, &ja4_hello(&[]))[8..10], "00");
    assert_eq!(alpn(&[0, 0]), "00");
    assert_eq!(alpn(&[0, 1, 0]), "00");
    assert_eq!(alpn(&[]), "00");
    assert_eq!(alpn(&[0, 5, 4, b'a', b'b']), "00");
}

/// The cipher example of JA4.md.
#[test]
fn fingerprint_ja4_ciphers() {
    let ciphers = [
        0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9, 0xcca8, 0xc013, 0xc014,
        0x009c, 0x009d, 0x002f, 0x0035,
    ];
    let h = hello([0, 0], &ciphers, &[]);
    assert_eq!(
        raw(JA4, &h),
        "t00i150000_002f,0035,009c,009d,1301,1302,1303,c013,c014,c02b,c02c,c02f,c030,cca8,cca9_"
    );
    assert_eq!(hash(JA4, &h), "t00i150000_8daaf6152771_000000000000");

    // Only GREASE: an empty list hashes to zeros.
    let h = hello([0, 0], &[0x0a0a], &[]);
    assert_eq!(raw(JA4, &h), "t00i000000__");
    assert_eq!(hash(JA4, &h), "t00i000000_000000000000_000000000000");

    let sorted = "0001,0002,0003,000a,000b,000c,0100,0200,0300,0a00,0b00,0c00";
    for order in [
        [
            1, 2, 3, 0x100, 0x200, 0x300, 0xa, 0xb, 0xc, 0xa00, 0xb00, 0xc00,
        ],
        [
            0xc00, 0xb00, 0xa00, 0xc, 0xb, 0xa, 0x300, 0x200, 0x100, 3, 2, 1,
        ],
        [
            0xb00, 2, 0xc, 0x300, 0xa00, 0x100, 1, 0xb, 3, 0xc00, 0xa, 0x200,
        ],
    ] {
        let h = hello([0, 0], &order, &[]);
        assert_eq!(raw(JA4, &h), format!("t00i120000_{sorted}_"));
    }
}

/// The extension example of JA4.md.
#[test]
fn fingerprint_ja4_extensions_and_signature_algorithms() {
    let sig_algs: &[u8] = &[0, 16, 4, 3, 8, 4, 4, 1, 5, 3, 8, 5, 5, 1, 8, 6, 6, 1];
    let types = [
        0x001b, 0x0000, 0x0033, 0x0010, 0x4469, 0x0017, 0x002d, 0x000d, 0x0005, 0x0023, 0x0012,
        0x002b, 0xff01, 0x000b, 0x000a, 0x0015,
    ];
    let extensions: Vec<(u16, &[u8])> = types
        .iter()
        .map(|&t| (t, if t == 13 { sig_algs } else { &[][..] }))
        .collect();
    let h = ja4_hello(&extensions);
    let raw_c = "0005,000a,000b,000d,0012,0015,0017,001b,0023,002b,002d,0033,4469,ff01\
                 _0403,0804,0401,0503,0805,0501,0806,0601";
    assert_eq!(raw(JA4, &h), format!("t00d011600_0000_{raw_c}"));
    assert_eq!(&hash(JA4, &h)[24..], "e5627efa2ab1");

    // Without signature algorithms, no trailing '_'.
    let h = ja4_hello(&[(1, &[])]);
    assert_eq!(raw(JA4, &h), "t00i010100_0000_0001");
    // Without extensions, part c is empty: two '_' only, zeros when hashed.
    let h = ja4_hello(&[]);
    assert_eq!(raw(JA4, &h), "t00i010000_0000_");
    assert_eq!(&hash(JA4, &h)[24..], "000000000000");
    // GREASE signature algorithms are left out; only GREASE means no '_'.
    let h = ja4_hello(&[(13, &[0, 4, 0x1a, 0x1a, 4, 3])]);
    assert_eq!(raw(JA4, &h), "t00i010100_0000_000d_0403");
    let h = ja4_hello(&[(13, &[0, 2, 0x1a, 0x1a])]);
    assert_eq!(raw(JA4, &h), "t00i010100_0000_000d");
    // Duplicated unknown extensions are listed twice.
    let h = ja4_hello(&[(0x1234, &[]), (0x1234, &[])]);
    assert_eq!(raw(JA4, &h), "t00i010200_0000_1234,1234");
}

/// Empty extensions where JA4 reads them: s2n succeeds. An odd byte in the
/// signature algorithms fails.
#[test]
fn fingerprint_ja4_malformed_extensions() {
    let h = ja4_hello(&[(13, &[]), (16, &[]), (43, &[])]);
    assert_eq!(raw(JA4, &h), "t00i010300_0000_000d,002b");
    let h = ja4_hello(&[(13, &[0])]);
    assert_eq!(raw(JA4, &h), "t00i010100_0000_000d");
    let h = ja4_hello(&[(13, &[0, 3, 4, 3, 5])]);
    assert_eq!(
        error(raw_string(JA4, &h, usize::MAX)),
        S2N_ERR_STUFFER_OUT_OF_DATA
    );
    assert_eq!(error(hash_string(JA4, &h)), S2N_ERR_STUFFER_OUT_OF_DATA);
}

/// A raw-string buffer too small fails where s2n's write overflows it:
/// `S2N_ERR_STUFFER_IS_FULL` in the prefix and separators, otherwise
/// `S2N_ERR_INSUFFICIENT_MEM_SIZE`.
#[test]
fn fingerprint_ja4_small_buffers() {
    let h = ja4_hello(&[(13, &[0, 4, 4, 3, 8, 4]), (1, &[])]);
    let full = raw(JA4, &h);
    assert_eq!(full, "t00i010200_0000_0001,000d_0403,0804");
    for max in 0..full.len() {
        let expected = match max {
            0..=10 => S2N_ERR_STUFFER_IS_FULL,        // prefix and '_'
            11..=14 => S2N_ERR_INSUFFICIENT_MEM_SIZE, // "0000"
            15 => S2N_ERR_STUFFER_IS_FULL,            // '_'
            _ => S2N_ERR_INSUFFICIENT_MEM_SIZE,       // the rest of part c
        };
        assert_eq!(error(raw_string(JA4, &h, max)), expected, "{max}");
    }
    assert_eq!(raw_string(JA4, &h, full.len()).unwrap(), full.as_bytes());
}

/// The raw size a hash reports is the raw string's length.
#[test]
fn fingerprint_hash_raw_size_matches_raw() {
    for record in records(KNOWN_VALUES) {
        let h = ClientHello::parse(&unhex(field(&record, "hello").unwrap())).unwrap();
        for kind in [JA3, JA4] {
            let (hash, raw_size) = hash_string(kind, &h).unwrap();
            assert_eq!(raw_size, raw(kind, &h).len());
            assert_eq!(hash.len(), if kind == JA3 { 32 } else { 36 });
        }
    }
}

const CROSS_CHECK: &str = include_str!("../../../tests/data/fingerprint/cross_check.txt");

/// The first ALPN protocol, when JA4 prints its two ends as they are (both
/// ASCII alphanumeric, at least two bytes): FoxIO's ja4.py only agrees with
/// JA4.md (and s2n) then.
fn plain_alpn(hello: &ClientHello) -> bool {
    let Some(data) = hello.extension(16) else {
        return true;
    };
    match data.get(2..).and_then(|d| d.split_first()) {
        Some((&len, rest)) => match rest.get(..usize::from(len)) {
            Some(p) if p.len() >= 2 => {
                p[0].is_ascii_alphanumeric() && p[p.len() - 1].is_ascii_alphanumeric()
            }
            Some(p) => p.is_empty(),
            None => true,
        },
        None => true,
    }
}

/// Whether FoxIO's JA4 string is ours with other ALPN characters, and which.
fn alpn_of_other<'a>(ours: &str, foxio: &'a str) -> Option<&'a str> {
    let (head, tail) = (&ours[..8], &ours[10..]);
    if foxio.len() >= head.len() + tail.len() && foxio.starts_with(head) && foxio.ends_with(tail) {
        Some(&foxio[8..foxio.len() - tail.len()])
    } else {
        None
    }
}

/// JA3 against tshark's and JA4 against FoxIO's ja4.py, on real ClientHellos
/// (OpenSSL, GnuTLS, Python, curl and wget captured on loopback, browsers and
/// others from FoxIO's captures). The known differences: FoxIO decides 't'
/// or 'q' by transport (s2n by the quic_transport_parameters extension), and
/// prints non-alphanumeric or one-byte ALPN protocols its own older way.
#[test]
fn fingerprint_cross_check_tshark_and_foxio() {
    let records = records(CROSS_CHECK);
    assert!(records.len() >= 40, "{}", records.len());
    let (mut exact, mut alpn_differs, mut quic) = (0, 0, 0);
    for record in &records {
        let source = field(record, "source").unwrap();
        let h = ClientHello::parse(&unhex(field(record, "hello").unwrap())).unwrap();

        assert_eq!(
            raw(JA3, &h),
            field(record, "tshark_ja3_full").unwrap(),
            "{source}"
        );
        assert_eq!(
            hash(JA3, &h),
            field(record, "tshark_ja3").unwrap(),
            "{source}"
        );

        let mut expected = field(record, "foxio_ja4").unwrap().to_string();
        let mut expected_raw = field(record, "foxio_ja4_r").unwrap().to_string();
        if field(record, "transport") == Some("quic") {
            assert!(h.extension(0x39).is_some(), "{source}");
            expected.replace_range(..1, "q");
            expected_raw.replace_range(..1, "q");
            quic += 1;
        }
        let (ours, ours_raw) = (hash(JA4, &h), raw(JA4, &h));
        if plain_alpn(&h) {
            assert_eq!(ours, expected, "{source}");
            assert_eq!(ours_raw, expected_raw, "{source}");
            exact += 1;
        } else {
            let alpn = alpn_of_other(&ours, &expected);
            assert!(
                alpn.is_some_and(|a| a != &ours[8..10]),
                "{source}: {ours} {expected}"
            );
            let alpn = alpn_of_other(&ours_raw, &expected_raw);
            assert!(
                alpn.is_some_and(|a| a != &ours[8..10]),
                "{source}: {ours_raw}"
            );
            alpn_differs += 1;
        }
    }
    assert_eq!(exact + alpn_differs, records.len());
    assert!(quic >= 1 && alpn_differs >= 2, "{quic} {alpn_differs}");
}
