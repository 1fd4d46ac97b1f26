use rustls_pki_types::CertificateDer;
use rustls_pki_types::pem::PemObject;

use super::*;
use crate::api::cert_chain::*;
use crate::cert_chain::Cert;
use crate::ffi::RefHandle;
use crate::types::{S2N_FAILURE, S2N_SUCCESS, s2n_cert};

const EXTENSIONS_PEM: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/data/x509/extensions.pem"
));
const NO_EXTENSIONS_PEM: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/data/x509/no_extensions.pem"
));

fn pem_der(pem: &[u8]) -> Vec<u8> {
    CertificateDer::from_pem_slice(pem).unwrap().to_vec()
}

fn hex(s: &str) -> Vec<u8> {
    let s: Vec<u8> = s.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    s.chunks(2)
        .map(|p| u8::from_str_radix(std::str::from_utf8(p).unwrap(), 16).unwrap())
        .collect()
}

fn code<T: std::fmt::Debug>(result: Result<T, Error>) -> i32 {
    result.unwrap_err().code
}

fn oid(text: &str) -> Vec<u8> {
    oid_from_text(text.as_bytes()).unwrap()
}

// --- DER building for synthetic certificates ---

fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let len = content.len();
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let octets: Vec<u8> = len
            .to_be_bytes()
            .into_iter()
            .skip_while(|&b| b == 0)
            .collect();
        out.push(0x80 | octets.len() as u8);
        out.extend(octets);
    }
    out.extend_from_slice(content);
    out
}

fn ext(oid_content: &[u8], critical: Option<&[u8]>, value: &[u8]) -> Vec<u8> {
    let mut content = tlv(OBJECT_IDENTIFIER, oid_content);
    if let Some(critical) = critical {
        content.extend(tlv(BOOLEAN, critical));
    }
    content.extend(tlv(OCTET_STRING, value));
    tlv(SEQUENCE, &content)
}

/// A certificate shell: the fields we do not look into are empty SEQUENCEs.
fn cert(version: Option<u8>, unique_ids: bool, extensions: Option<&[Vec<u8>]>) -> Vec<u8> {
    let mut tbs = Vec::new();
    if let Some(v) = version {
        tbs.extend(tlv(VERSION, &tlv(INTEGER, &[v])));
    }
    tbs.extend(tlv(INTEGER, &[1]));
    for _ in 0..5 {
        tbs.extend(tlv(SEQUENCE, &[]));
    }
    if unique_ids {
        tbs.extend(tlv(ISSUER_UNIQUE_ID, &[0]));
        tbs.extend(tlv(SUBJECT_UNIQUE_ID, &[0]));
    }
    if let Some(exts) = extensions {
        tbs.extend(tlv(EXTENSIONS, &tlv(SEQUENCE, &exts.concat())));
    }
    let mut certificate = tlv(SEQUENCE, &tbs);
    certificate.extend(tlv(SEQUENCE, &[]));
    certificate.extend(tlv(BIT_STRING, &[0]));
    tlv(SEQUENCE, &certificate)
}

// --- OID text ---

#[test]
fn x509_oid_dotted_decimal() {
    assert_eq!(oid("2.5.29.17"), [0x55, 0x1d, 0x11]);
    assert_eq!(oid("1.3.187.1.1.1"), [0x2b, 0x81, 0x3b, 0x01, 0x01, 0x01]);
    assert_eq!(
        oid("1.3.187.1.1.200000"),
        [0x2b, 0x81, 0x3b, 0x01, 0x01, 0x8c, 0x9a, 0x40]
    );
    assert_eq!(oid("2.999.1"), [0x88, 0x37, 0x01]);
    assert_eq!(oid("0.0"), [0x00]);
    assert_eq!(oid("1.39"), [0x4f]);
    assert_eq!(oid("1.2.840.113549"), [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d]);
    assert_eq!(
        oid("1.2.18446744073709551615"),
        [
            0x2a, 0x81, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f
        ]
    );
    for bad in [
        "",
        "1",
        "1.",
        ".1",
        "1..2",
        "1.2.",
        "3.1",
        "0.40",
        "1.40",
        "01.2",
        "1.02",
        "1.2.03",
        "1.2a",
        " 1.2",
        "1.2 ",
        "-1.2",
        "+1.2",
        "1,2",
        "1.18446744073709551616",
        "2.18446744073709551536",
        "1.2.99999999999999999999",
    ] {
        assert_eq!(oid_from_text(bad.as_bytes()), None, "{bad:?}");
    }
    // 40 × 2 + second arc may use all 64 bits.
    assert_eq!(oid("2.18446744073709551535")[0], 0x81);
}

#[test]
fn x509_oid_names() {
    for (dotted, short, long) in EXTENSION_NAMES {
        let encoded = encode_dotted(dotted.as_bytes()).unwrap_or_else(|| panic!("{dotted}"));
        assert_eq!(oid(short), encoded);
        assert_eq!(oid(long), encoded);
    }
    assert_eq!(oid("subjectAltName"), oid("2.5.29.17"));
    assert_eq!(oid("X509v3 Subject Alternative Name"), oid("2.5.29.17"));
    assert_eq!(oid("X509v3 Subject Key Identifier"), oid("2.5.29.14"));
    assert_eq!(oid("X509v3 Basic Constraints"), oid("2.5.29.19"));
    // Names are case-sensitive, as in OpenSSL, and must match whole.
    for bad in [
        "subjectaltname",
        "SubjectAltName",
        "subjectAltName ",
        "Example X509 extension OID",
    ] {
        assert_eq!(oid_from_text(bad.as_bytes()), None, "{bad:?}");
    }
}

// --- the real certificates ---

#[test]
fn x509_real_certificate_extensions() {
    let der = pem_der(EXTENSIONS_PEM);
    let exts = extensions(&der).unwrap();
    let expected = [
        ("2.5.29.17", false),
        ("2.5.29.19", true),
        ("2.5.29.15", true),
        ("1.3.187.1.1.1", false),
        ("1.3.187.1.1.2", false),
        ("1.3.187.1.1.4", false),
        ("1.3.187.1.1.5", false),
        ("2.999.1", false),
        ("1.3.187.1.1.200000", false),
        ("2.5.29.14", false),
    ];
    assert_eq!(exts.len(), expected.len());
    for (ext, (dotted, critical)) in exts.iter().zip(expected) {
        assert_eq!(ext.oid, oid(dotted), "{dotted}");
        assert_eq!(ext.critical, critical, "{dotted}");
    }
    assert_eq!(extensions(&pem_der(NO_EXTENSIONS_PEM)).unwrap(), []);
}

#[test]
fn x509_find_extension_values() {
    let der = pem_der(EXTENSIONS_PEM);
    let san = hex("301E820B6578616D706C652E636F6D820F7777772E6578616D706C652E636F6D");
    for name in [
        "2.5.29.17",
        "subjectAltName",
        "X509v3 Subject Alternative Name",
    ] {
        let ext = find_extension(&der, name.as_bytes()).unwrap();
        assert_eq!(ext.value, san);
        assert!(!ext.critical);
    }
    let bc = find_extension(&der, b"basicConstraints").unwrap();
    assert_eq!((bc.value, bc.critical), (&[0x30, 0x00][..], true));
    let ku = find_extension(&der, b"X509v3 Key Usage").unwrap();
    assert_eq!(
        (ku.value, ku.critical),
        (&[0x03, 0x02, 0x07, 0x80][..], true)
    );

    let custom = |text: &str| {
        let ext = find_extension(&der, text.as_bytes()).unwrap();
        assert!(!ext.critical);
        let utf8 = utf8_string_from_extension_data(ext.value).unwrap();
        String::from_utf8(utf8.to_vec()).unwrap()
    };
    assert_eq!(
        find_extension(&der, b"1.3.187.1.1.1").unwrap().value,
        b"\x0c\x05hello"
    );
    assert_eq!(custom("1.3.187.1.1.1"), "hello");
    assert_eq!(custom("1.3.187.1.1.4"), "");
    assert_eq!(custom("1.3.187.1.1.5"), "héllo wörld");
    assert_eq!(custom("2.999.1"), "big first arcs");
    assert_eq!(custom("1.3.187.1.1.200000"), "multi-byte arc");
}

#[test]
fn x509_not_found_and_bad_oid_text() {
    let cert = pem_der(EXTENSIONS_PEM);
    for absent in [
        "1.3.187.1.1.99",
        "1.3.187.1.1",
        "1.3.187.1.1.1.1",
        "2.999",
        "2.5.29.35",
        "authorityKeyIdentifier",
    ] {
        assert_eq!(
            code(find_extension(&cert, absent.as_bytes())),
            S2N_ERR_X509_EXTENSION_VALUE_NOT_FOUND,
            "{absent}"
        );
    }
    let v1 = pem_der(NO_EXTENSIONS_PEM);
    assert_eq!(
        code(find_extension(&v1, b"2.5.29.17")),
        S2N_ERR_X509_EXTENSION_VALUE_NOT_FOUND
    );
    for bad in ["Example X509 extension OID", "", "1.2..3"] {
        assert_eq!(
            code(find_extension(&cert, bad.as_bytes())),
            S2N_ERR_INVALID_ARGUMENT,
            "{bad:?}"
        );
    }
    assert_eq!(
        code(find_extension(b"\x30\x00", b"2.5.29.17")),
        S2N_ERR_DECODE_CERTIFICATE
    );
}

#[test]
fn x509_buffer_size() {
    assert_eq!(fits(7, 7).unwrap(), 7);
    assert_eq!(fits(0, 0).unwrap(), 0);
    assert_eq!(code(fits(7, 6)), S2N_ERR_INSUFFICIENT_MEM_SIZE);
    assert_eq!(code(fits(1, 0)), S2N_ERR_INSUFFICIENT_MEM_SIZE);
}

// --- UTF8String ---

#[test]
fn x509_utf8_string() {
    let ok = |input: &[u8]| utf8_string_from_extension_data(input).map(<[u8]>::to_vec);
    assert_eq!(ok(b"\x0c\x05hello").unwrap(), b"hello");
    assert_eq!(ok(b"\x0c\x00").unwrap(), b"");
    // Bytes after the string are ignored (callers may pass their buffer size).
    assert_eq!(ok(b"\x0c\x02hi\x00\x00\xff").unwrap(), b"hi");
    let long = [&[0x0c, 0x81, 0x80][..], &[b'a'; 128]].concat();
    assert_eq!(ok(&long).unwrap(), [b'a'; 128]);

    for bad in [
        &b""[..],
        b"\x0c",
        b"\x0c\x05hell",                 // truncated
        b"\x04\x05hello",                // OCTET STRING
        b"\x13\x05hello",                // PrintableString
        b"\x16\x05hello",                // IA5String
        b"\x30\x03\x0c\x01a",            // SEQUENCE
        b"\x03\x02\x07\x80",             // BIT STRING
        b"\x2c\x07\x04\x05hello",        // constructed (BER)
        b"\x0c\x80hello\x00\x00",        // indefinite length (BER)
        b"\x0c\x81\x05hello",            // non-minimal long form
        b"\x0c\x82\x00\x05hello",        // leading zero length octet
        b"\x0c\x85\x00\x00\x00\x00\x05", // too many length octets
        b"\x0c\xff",
        b"\x0c\x02\xc3\x28",     // invalid UTF-8
        b"\x0c\x02\xc0\x80",     // overlong UTF-8
        b"\x0c\x03\xed\xa0\x80", // surrogate
        b"\x1f\x0c\x05hello",    // high-tag-number form
    ] {
        assert_eq!(
            code(ok(bad)),
            S2N_ERR_INVALID_X509_EXTENSION_TYPE,
            "{bad:x?}"
        );
    }
    // The extension values that are not UTF8Strings.
    let der = pem_der(EXTENSIONS_PEM);
    for name in [
        "subjectAltName",
        "basicConstraints",
        "keyUsage",
        "subjectKeyIdentifier",
        "1.3.187.1.1.2",
    ] {
        let value = find_extension(&der, name.as_bytes()).unwrap().value;
        assert_eq!(
            code(ok(value)),
            S2N_ERR_INVALID_X509_EXTENSION_TYPE,
            "{name}"
        );
    }
}

// --- structure rules, on synthetic certificates ---

#[test]
fn x509_synthetic_certificates() {
    let custom = oid("1.3.187.1.1.1");
    let value = tlv(UTF8_STRING, b"x");
    let one =
        |critical: Option<&[u8]>| cert(Some(2), false, Some(&[ext(&custom, critical, &value)]));

    let found = |c: &[u8]| {
        extensions(c).map(|e| {
            e.iter()
                .map(|e| (e.critical, e.value.to_vec()))
                .collect::<Vec<_>>()
        })
    };
    assert_eq!(found(&one(None)).unwrap(), [(false, value.clone())]);
    assert_eq!(found(&one(Some(&[0xff]))).unwrap(), [(true, value.clone())]);
    // Explicit FALSE is tolerated; other BOOLEAN encodings are not.
    assert_eq!(
        found(&one(Some(&[0x00]))).unwrap(),
        [(false, value.clone())]
    );
    assert_eq!(found(&one(Some(&[0x01]))), Err(Malformed));
    assert_eq!(found(&one(Some(&[]))), Err(Malformed));
    assert_eq!(found(&one(Some(&[0xff, 0xff]))), Err(Malformed));

    // A critical custom extension is found with its flag.
    let critical = cert(Some(2), false, Some(&[ext(&custom, Some(&[0xff]), &value)]));
    assert!(
        find_extension(&critical, b"1.3.187.1.1.1")
            .unwrap()
            .critical
    );

    // Versions: extensions only in v3; unique IDs from v2 on.
    let e = [ext(&custom, None, &value)];
    assert!(extensions(&cert(Some(2), true, Some(&e))).is_ok());
    assert_eq!(extensions(&cert(Some(1), true, None)).unwrap(), []);
    assert_eq!(extensions(&cert(None, false, None)).unwrap(), []);
    assert_eq!(extensions(&cert(Some(0), false, None)).unwrap(), []);
    assert_eq!(extensions(&cert(None, false, Some(&e))), Err(Malformed));
    assert_eq!(extensions(&cert(Some(1), false, Some(&e))), Err(Malformed));
    assert_eq!(extensions(&cert(None, true, None)), Err(Malformed));
    assert_eq!(extensions(&cert(Some(3), false, None)), Err(Malformed));
    // An empty extension list is no extension.
    assert_eq!(extensions(&cert(Some(2), false, Some(&[]))).unwrap(), []);

    // The first of repeated extensions wins, as in s2n's loop.
    let twice = cert(
        Some(2),
        false,
        Some(&[
            ext(&custom, None, b"\x0c\x01a"),
            ext(&custom, Some(&[0xff]), b"\x0c\x01b"),
        ]),
    );
    let first = find_extension(&twice, b"1.3.187.1.1.1").unwrap();
    assert_eq!((first.critical, first.value), (false, &b"\x0c\x01a"[..]));

    // Malformed extnID encodings.
    for bad_oid in [&[][..], &[0x2b, 0x80, 0x01], &[0x2b, 0x81], &[0x80, 0x01]] {
        assert_eq!(
            extensions(&cert(Some(2), false, Some(&[ext(bad_oid, None, &value)]))),
            Err(Malformed),
            "{bad_oid:x?}"
        );
    }
    // Extra or missing pieces inside an Extension.
    let oid_tlv = tlv(OBJECT_IDENTIFIER, &custom);
    let value_tlv = tlv(OCTET_STRING, &value);
    for content in [
        [oid_tlv.clone(), value_tlv.clone(), tlv(INTEGER, &[0])].concat(),
        oid_tlv.clone(),
        value_tlv.clone(),
        [oid_tlv.clone(), tlv(INTEGER, &[0]), value_tlv.clone()].concat(),
        [oid_tlv.clone(), tlv(0x24, &value_tlv)].concat(), // constructed OCTET STRING
    ] {
        let c = cert(Some(2), false, Some(&[tlv(SEQUENCE, &content)]));
        assert_eq!(extensions(&c), Err(Malformed));
    }
    // Not a SEQUENCE in the list.
    assert_eq!(
        extensions(&cert(Some(2), false, Some(&[tlv(0x31, &[])]))),
        Err(Malformed)
    );

    // Trailing data: after the certificate, inside it, after the TBS fields.
    let good = one(None);
    assert_eq!(extensions(&[&good[..], &[0]].concat()), Err(Malformed));
    let certificate = Reader::new(&good).read(SEQUENCE).unwrap();
    let padded = tlv(SEQUENCE, &[certificate, &tlv(0x05, &[])].concat());
    assert_eq!(extensions(&padded), Err(Malformed));
}

#[test]
fn x509_length_encodings() {
    let read = |input: &[u8]| Reader::new(input).read_any().map(|(t, c)| (t, c.len()));
    assert_eq!(read(b"\x04\x00"), Ok((0x04, 0)));
    assert_eq!(read(b"\x04\x01a"), Ok((0x04, 1)));
    assert_eq!(
        read(&[&[0x04, 0x81, 0x80][..], &[0; 0x80]].concat()),
        Ok((0x04, 0x80))
    );
    assert_eq!(
        read(&[&[0x04, 0x82, 0x01, 0x00][..], &[0; 0x100]].concat()),
        Ok((0x04, 0x100))
    );
    for bad in [
        &b""[..],
        b"\x04",
        b"\x04\x01",
        b"\x04\x80",
        b"\x04\x81",
        b"\x04\x81\x7f",
        b"\x04\x82\x00\x80",
        b"\x04\x84\xff\xff\xff\xff",
        b"\x04\x85\x00\x00\x00\x00\x01",
        b"\x04\xff",
        b"\x1f\x01\x00",
    ] {
        assert_eq!(read(bad), Err(Malformed), "{bad:x?}");
    }
}

// --- hostile input never panics ---

#[test]
fn x509_every_truncation_fails_cleanly() {
    for pem in [EXTENSIONS_PEM, NO_EXTENSIONS_PEM] {
        let der = pem_der(pem);
        for len in 0..der.len() {
            let prefix = &der[..len];
            assert_eq!(extensions(prefix), Err(Malformed), "prefix of {len}");
            assert_eq!(
                code(find_extension(prefix, b"2.5.29.17")),
                S2N_ERR_DECODE_CERTIFICATE
            );
        }
    }
    let der = pem_der(EXTENSIONS_PEM);
    for ext in extensions(&der).unwrap() {
        for len in 0..ext.value.len() {
            assert!(utf8_string(&ext.value[..len]).is_err());
        }
    }
}

#[test]
fn x509_mutations_never_panic() {
    let der = pem_der(EXTENSIONS_PEM);
    let mut parsed = 0;
    let mutations: [fn(u8) -> u8; 8] = [
        |b| b ^ 0x01,
        |b| b ^ 0x80,
        |b| !b,
        |_| 0x00,
        |_| 0x80,
        |_| 0x84,
        |_| 0xff,
        |b| b.wrapping_add(1),
    ];
    for i in 0..der.len() {
        for f in mutations {
            let mut mutated = der.clone();
            mutated[i] = f(mutated[i]);
            if let Ok(exts) = extensions(&mutated) {
                parsed += 1;
                for ext in exts {
                    let _ = utf8_string(ext.value);
                }
            }
            let _ = find_extension(&mutated, b"1.3.187.1.1.1");
        }
    }
    // Content bytes (key, signature, names) may change freely.
    assert!(parsed > 0);
}

// --- the C entry points ---

#[test]
fn x509_c_functions() {
    let cert = Cert {
        der: CertificateDer::from(pem_der(EXTENSIONS_PEM)),
    };
    let handle = s2n_cert::from_ref(&cert);
    let oid = c"1.3.187.1.1.1".as_ptr().cast::<u8>();

    let mut len = 0u32;
    assert_eq!(
        s2n_cert_get_x509_extension_value_length(handle, oid, &mut len),
        S2N_SUCCESS
    );
    assert_eq!(len, 7);
    assert_eq!(
        s2n_cert_get_x509_extension_value_length(std::ptr::null_mut(), oid, &mut len),
        S2N_FAILURE
    );
    assert_eq!(
        s2n_cert_get_x509_extension_value_length(handle, std::ptr::null(), &mut len),
        S2N_FAILURE
    );
    assert_eq!(
        s2n_cert_get_x509_extension_value_length(handle, oid, std::ptr::null_mut()),
        S2N_FAILURE
    );
    let absent = c"1.3.187.1.1.99".as_ptr().cast::<u8>();
    assert_eq!(
        s2n_cert_get_x509_extension_value_length(handle, absent, &mut len),
        S2N_FAILURE
    );

    let mut buf = [0u8; 64];
    let (mut len, mut critical) = (64u32, true);
    let rc =
        s2n_cert_get_x509_extension_value(handle, oid, buf.as_mut_ptr(), &mut len, &mut critical);
    assert_eq!((rc, len, critical), (S2N_SUCCESS, 7, false));
    assert_eq!(&buf[..7], b"\x0c\x05hello");

    let bc = c"basicConstraints".as_ptr().cast::<u8>();
    let (mut len, mut critical) = (2u32, false);
    let rc =
        s2n_cert_get_x509_extension_value(handle, bc, buf.as_mut_ptr(), &mut len, &mut critical);
    assert_eq!((rc, len, critical), (S2N_SUCCESS, 2, true));

    // Too small: failure, outputs untouched.
    let mut small = [0xaau8; 6];
    let (mut len, mut critical) = (6u32, true);
    let rc =
        s2n_cert_get_x509_extension_value(handle, oid, small.as_mut_ptr(), &mut len, &mut critical);
    assert_eq!(
        (rc, len, critical, small),
        (S2N_FAILURE, 6, true, [0xaa; 6])
    );
    for (value, len_ptr, crit_ptr) in [
        (
            std::ptr::null_mut(),
            &mut len as *mut u32,
            &mut critical as *mut bool,
        ),
        (buf.as_mut_ptr(), std::ptr::null_mut(), &mut critical),
        (buf.as_mut_ptr(), &mut len, std::ptr::null_mut()),
    ] {
        assert_eq!(
            s2n_cert_get_x509_extension_value(handle, oid, value, len_ptr, crit_ptr),
            S2N_FAILURE
        );
    }

    // UTF8String from the extension data.
    let data = b"\x0c\x05hello";
    let mut n = 0u32;
    assert_eq!(
        s2n_cert_get_utf8_string_from_extension_data_length(data.as_ptr(), 7, &mut n),
        S2N_SUCCESS
    );
    assert_eq!(n, 5);
    assert_eq!(
        s2n_cert_get_utf8_string_from_extension_data_length(data.as_ptr(), 0, &mut n),
        S2N_FAILURE
    );
    assert_eq!(
        s2n_cert_get_utf8_string_from_extension_data_length(std::ptr::null(), 7, &mut n),
        S2N_FAILURE
    );
    assert_eq!(
        s2n_cert_get_utf8_string_from_extension_data_length(data.as_ptr(), 7, std::ptr::null_mut()),
        S2N_FAILURE
    );
    assert_eq!(
        s2n_cert_get_utf8_string_from_extension_data_length([0x04, 0x00].as_ptr(), 2, &mut n),
        S2N_FAILURE
    );

    let mut out = [0u8; 5];
    let mut n = 5u32;
    let rc =
        s2n_cert_get_utf8_string_from_extension_data(data.as_ptr(), 7, out.as_mut_ptr(), &mut n);
    assert_eq!((rc, n, &out), (S2N_SUCCESS, 5, b"hello"));
    let mut n = 4u32;
    let rc =
        s2n_cert_get_utf8_string_from_extension_data(data.as_ptr(), 7, out.as_mut_ptr(), &mut n);
    assert_eq!((rc, n), (S2N_FAILURE, 4));
    let mut n = 0u32;
    let rc = s2n_cert_get_utf8_string_from_extension_data(
        [0x0c, 0x00].as_ptr(),
        2,
        out.as_mut_ptr(),
        &mut n,
    );
    assert_eq!((rc, n), (S2N_SUCCESS, 0));
    assert_eq!(
        s2n_cert_get_utf8_string_from_extension_data(
            data.as_ptr(),
            7,
            std::ptr::null_mut(),
            &mut n
        ),
        S2N_FAILURE
    );

    // In place: the same buffer in and out.
    let mut in_place = *b"\x0c\x05hello";
    let p = in_place.as_mut_ptr();
    let mut n = 7u32;
    assert_eq!(
        s2n_cert_get_utf8_string_from_extension_data(p.cast_const(), 7, p, &mut n),
        S2N_SUCCESS
    );
    assert_eq!((n, &in_place[..5]), (5, &b"hello"[..]));
}
