//! The ClientHello parser against real captures (tests/data/client_hello) and
//! against malformed messages, with the error s2n-tls gives for each.

use super::parse::{ClientHello, is_grease};
use crate::error::{
    S2N_ERR_BAD_MESSAGE, S2N_ERR_DUPLICATE_EXTENSION, S2N_ERR_EXTENSION_NOT_RECEIVED,
    S2N_ERR_INVALID_PARSED_EXTENSIONS, S2N_ERR_SAFETY, S2N_ERR_SIZE_MISMATCH,
    S2N_ERR_STUFFER_OUT_OF_DATA,
};

macro_rules! capture {
    ($name:literal) => {
        (
            $name,
            include_str!(concat!("../../tests/data/client_hello/", $name, ".hex")),
        )
    };
}

const CAPTURES: [(&str, &str); 9] = [
    capture!("openssl_default"),
    capture!("openssl_tls12"),
    capture!("openssl_tls13_sni"),
    capture!("openssl_alpn"),
    capture!("openssl_groups"),
    capture!("openssl_split"),
    capture!("gnutls_default"),
    capture!("gnutls_tls12_sni"),
    capture!("gnutls_tls13_alpn"),
];

macro_rules! trace {
    ($name:literal) => {
        (
            $name,
            include_str!(concat!("../../tests/data/client_hello/", $name, ".trace")),
        )
    };
}

const TRACES: [(&str, &str); 6] = [
    trace!("openssl_default"),
    trace!("openssl_tls12"),
    trace!("openssl_tls13_sni"),
    trace!("openssl_alpn"),
    trace!("openssl_groups"),
    trace!("openssl_split"),
];

pub(crate) fn unhex(text: &str) -> Vec<u8> {
    let text = text.trim();
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap())
        .collect()
}

fn message(name: &str) -> Vec<u8> {
    let (_, text) = CAPTURES.iter().find(|(n, _)| *n == name).unwrap();
    unhex(text)
}

fn hello(name: &str) -> ClientHello {
    ClientHello::parse(&message(name)).unwrap()
}

fn err(msg: &[u8]) -> i32 {
    ClientHello::parse(msg).unwrap_err().code
}

/// A handshake header for `body`.
fn with_header(body: &[u8]) -> Vec<u8> {
    let len = body.len() as u32;
    let mut msg = vec![1, (len >> 16) as u8, (len >> 8) as u8, len as u8];
    msg.extend_from_slice(body);
    msg
}

/// A TLS1.2 ClientHello body: random 0..32, the given session id, cipher
/// suites, compression methods, then `rest` (the extensions block and
/// anything after it) verbatim.
fn body(session_id: &[u8], suites: &[u8], compression: &[u8], rest: &[u8]) -> Vec<u8> {
    let mut b = vec![3, 3];
    b.extend(0..32u8);
    b.push(session_id.len() as u8);
    b.extend_from_slice(session_id);
    b.extend_from_slice(&(suites.len() as u16).to_be_bytes());
    b.extend_from_slice(suites);
    b.push(compression.len() as u8);
    b.extend_from_slice(compression);
    b.extend_from_slice(rest);
    b
}

/// An extensions block (with its length) of (type, data) entries.
fn block(exts: &[(u16, &[u8])]) -> Vec<u8> {
    let mut inner = Vec::new();
    for (ty, data) in exts {
        inner.extend_from_slice(&ty.to_be_bytes());
        inner.extend_from_slice(&(data.len() as u16).to_be_bytes());
        inner.extend_from_slice(data);
    }
    let mut out = (inner.len() as u16).to_be_bytes().to_vec();
    out.extend(inner);
    out
}

fn simple(exts: &[(u16, &[u8])]) -> Vec<u8> {
    with_header(&body(&[], &[0xc0, 0x2f], &[0], &block(exts)))
}

/// The value after `key` on a trace line, up to the next space.
fn after<'a>(line: &'a str, key: &str) -> Option<&'a str> {
    let rest = &line[line.find(key)? + key.len()..];
    Some(rest.split_whitespace().next().unwrap_or(""))
}

/// What `openssl s_client -trace` printed for the ClientHello.
struct Trace {
    version: u16,
    random: Vec<u8>,
    session_id: Vec<u8>,
    suites: Vec<u8>,
    compression_len: usize,
    extensions_len: usize,
    extensions: Vec<(u16, usize)>,
}

fn read_trace(text: &str) -> Trace {
    let mut t = Trace {
        version: 0,
        random: Vec::new(),
        session_id: Vec::new(),
        suites: Vec::new(),
        compression_len: 0,
        extensions_len: 0,
        extensions: Vec::new(),
    };
    for line in text.lines() {
        let line = line.trim();
        if let Some(v) = after(line, "client_version=0x") {
            t.version = u16::from_str_radix(v, 16).unwrap();
        } else if let Some(v) = after(line, "gmt_unix_time=0x") {
            t.random.extend(unhex(v));
        } else if line.starts_with("random_bytes") {
            t.random.extend(unhex(line.split(": ").nth(1).unwrap()));
        } else if line.starts_with("session_id") {
            t.session_id = unhex(line.split(':').nth(1).unwrap_or(""));
        } else if line.starts_with("{0x") {
            for part in line[1..line.find('}').unwrap()].split(", ") {
                t.suites.push(u8::from_str_radix(&part[2..], 16).unwrap());
            }
        } else if let Some(v) = after(line, "compression_methods (len=") {
            t.compression_len = v.trim_end_matches(')').parse().unwrap();
        } else if let Some(v) = after(line, "extensions, length = ") {
            t.extensions_len = v.parse().unwrap();
        } else if line.starts_with("extension_type=") {
            let ty = &line[line.find('(').unwrap() + 1..line.find(')').unwrap()];
            let len = after(line, "length=").unwrap();
            t.extensions
                .push((ty.parse().unwrap(), len.parse().unwrap()));
        }
    }
    t
}

#[test]
fn openssl_captures_match_openssl_trace() {
    for (name, text) in TRACES {
        let t = read_trace(text);
        assert_eq!(t.random.len(), 32, "{name}");
        assert!(!t.suites.is_empty() && !t.extensions.is_empty(), "{name}");
        let msg = message(name);
        let h = hello(name);
        assert_eq!(u16::from_be_bytes(h.legacy_version()), t.version, "{name}");
        assert_eq!(h.random(), &t.random[..], "{name}");
        assert_eq!(h.session_id(), &t.session_id[..], "{name}");
        assert_eq!(h.cipher_suites(), &t.suites[..], "{name}");
        assert_eq!(h.compression_methods(), &[0][..t.compression_len], "{name}");
        assert_eq!(h.extensions().len(), t.extensions_len, "{name}");
        let exts: Vec<(u16, usize)> = h.extension_list().map(|(ty, d)| (ty, d.len())).collect();
        assert_eq!(exts, t.extensions, "{name}");
        // The raw message is the body with the random zeroed.
        let mut raw = msg[4..].to_vec();
        raw[2..34].fill(0);
        assert_eq!(h.raw_message(), &raw[..], "{name}");
        assert_eq!(&msg[6..38], h.random(), "{name}");
    }
}

#[test]
fn openssl_fields() {
    let h = hello("openssl_tls13_sni");
    assert_eq!(h.server_name(), Some(&b"example.com"[..]));
    assert_eq!(
        h.supported_groups(),
        Some(vec![29, 23, 30, 25, 24, 256, 257, 258, 259, 260])
    );
    assert_eq!(h.supported_versions(), Some(vec![0x0304]));
    assert_eq!(h.highest_version(), 0x0304);
    assert_eq!(h.legacy_version_s2n(), 33);

    let h = hello("openssl_tls12");
    assert_eq!(h.server_name(), None);
    assert_eq!(h.supported_groups(), Some(vec![29, 23, 30, 25, 24]));
    assert_eq!(h.supported_versions(), None);
    assert_eq!(h.highest_version(), 0x0303);
    assert!(h.session_id().is_empty());
    assert_eq!(h.cipher_suites().len(), 56);

    let h = hello("openssl_default");
    assert_eq!(
        h.supported_versions(),
        Some(vec![0x0304, 0x0303, 0x0302, 0x0301])
    );
    assert_eq!(h.highest_version(), 0x0304);
    assert_eq!(h.extension(0), None);

    let h = hello("openssl_alpn");
    assert_eq!(h.server_name(), Some(&b"www.example.org"[..]));
    assert_eq!(h.extension(16), Some(&b"\x00\x0c\x02h2\x08http/1.1"[..]));

    let h = hello("openssl_groups");
    assert_eq!(h.server_name(), Some(&b"groups.test"[..]));
    assert_eq!(h.supported_groups(), Some(vec![23, 29, 256]));

    // 950 bytes, sent in two records.
    let h = hello("openssl_split");
    assert_eq!(h.raw_message().len(), 946);
    assert_eq!(h.server_name(), Some(&b"split.example"[..]));
    let alpn = h.extension(16).unwrap();
    assert_eq!(alpn.len(), 632);
    assert_eq!(&alpn[..3], b"\x02\x76\x14");
    assert_eq!(&alpn[3..23], b"proto-000-abcdefghij");
}

#[test]
fn gnutls_fields() {
    let all_groups = vec![23, 24, 25, 29, 30, 256, 257, 258, 259, 260];

    let h = hello("gnutls_default");
    assert_eq!(h.raw_message().len(), 364);
    assert_eq!(h.legacy_version(), [3, 3]);
    assert_eq!(h.session_id().len(), 32);
    assert_eq!(h.cipher_suites().len(), 58);
    assert_eq!(&h.cipher_suites()[..4], &[0x13, 0x02, 0x13, 0x03]);
    assert_eq!(h.compression_methods(), &[0]);
    assert_eq!(h.extensions().len(), 233);
    let types: Vec<u16> = h.extension_list().map(|(t, _)| t).collect();
    assert_eq!(types, [5, 10, 11, 13, 22, 23, 35, 51, 43, 65281, 45, 28]);
    assert_eq!(h.server_name(), None);
    assert_eq!(h.supported_groups(), Some(all_groups.clone()));
    assert_eq!(
        h.supported_versions(),
        Some(vec![0x0304, 0x0303, 0x0302, 0x0301])
    );
    assert_eq!(h.highest_version(), 0x0304);
    // record_size_limit (28), which s2n does not implement.
    assert_eq!(h.extension(28), Some(&[0x40, 0x01][..]));
    assert_eq!(h.extension(65281), Some(&[0][..]));

    let h = hello("gnutls_tls12_sni");
    assert_eq!(h.raw_message().len(), 216);
    assert!(h.session_id().is_empty());
    assert_eq!(h.cipher_suites().len(), 50);
    assert_eq!(h.extensions().len(), 125);
    let types: Vec<u16> = h.extension_list().map(|(t, _)| t).collect();
    assert_eq!(types, [5, 10, 11, 13, 22, 23, 35, 65281, 0, 28]);
    assert_eq!(h.server_name(), Some(&b"gnutls.example"[..]));
    assert_eq!(h.supported_groups(), Some(all_groups.clone()));
    assert_eq!(h.supported_versions(), None);
    assert_eq!(h.highest_version(), 0x0303);

    let h = hello("gnutls_tls13_alpn");
    assert_eq!(h.raw_message().len(), 355);
    assert_eq!(h.cipher_suites().len(), 8);
    assert_eq!(h.extensions().len(), 274);
    assert_eq!(h.server_name(), Some(&b"tls13.gnutls.example"[..]));
    assert_eq!(h.supported_groups(), Some(all_groups));
    assert_eq!(h.supported_versions(), Some(vec![0x0304]));
    assert_eq!(h.extension(16), Some(&b"\x00\x0c\x02h2\x08http/1.1"[..]));
}

#[test]
fn header_errors() {
    for len in 0..4 {
        assert_eq!(err(&[1, 0, 0, 0][..len]), S2N_ERR_SIZE_MISMATCH);
    }
    // Header only, announcing nothing.
    assert_eq!(err(&[1, 0, 0, 0]), S2N_ERR_BAD_MESSAGE);
    let mut msg = message("openssl_default");
    msg[0] = 2;
    assert_eq!(err(&msg), S2N_ERR_BAD_MESSAGE);
    msg[0] = 1;
    msg.push(0);
    assert_eq!(err(&msg), S2N_ERR_BAD_MESSAGE);
    msg.truncate(msg.len() - 2);
    assert_eq!(err(&msg), S2N_ERR_BAD_MESSAGE);

    // s2n's own cases: a wrong type, a wrong size, a too-short body, zeros.
    let mut wrong_type = [0u8; 50];
    wrong_type[..4].copy_from_slice(&[2, 0, 0, 1]);
    assert_eq!(err(&wrong_type), S2N_ERR_BAD_MESSAGE);
    let mut wrong_size = [0u8; 50];
    wrong_size[..4].copy_from_slice(&[1, 0, 0, 255]);
    assert_eq!(err(&wrong_size), S2N_ERR_BAD_MESSAGE);
    assert_eq!(err(&[1, 0, 0, 1, 0]), S2N_ERR_STUFFER_OUT_OF_DATA);
    let mut zeros = [0u8; 50];
    zeros[..4].copy_from_slice(&[1, 0, 0, 46]);
    assert_eq!(err(&zeros), S2N_ERR_BAD_MESSAGE);

    // An SSLv2-format ClientHello, from any of its first six bytes.
    let sslv2 = [
        0x80, 0x1d, 0x01, 0x03, 0x03, 0x00, 0x06, 0x00, 0x00, 0x00, 0x10, 0x00, 0x00, 0x2f, 0x00,
        0x00, 0xff, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
    ];
    for skip in 0..=5 {
        assert_eq!(err(&sslv2[skip..]), S2N_ERR_BAD_MESSAGE, "{skip}");
    }
}

#[test]
fn body_errors() {
    let suites = [0xc0, 0x2f];
    let ok = body(&[7; 32], &suites, &[0], &block(&[]));
    assert!(ClientHello::parse(&with_header(&ok)).is_ok());

    // Cut inside a fixed-size field: the stuffer error; inside a vector: bad message.
    let cases = [
        (1, S2N_ERR_STUFFER_OUT_OF_DATA),  // version
        (20, S2N_ERR_STUFFER_OUT_OF_DATA), // random
        (34, S2N_ERR_STUFFER_OUT_OF_DATA), // session id length
        (50, S2N_ERR_BAD_MESSAGE),         // session id
        (66, S2N_ERR_BAD_MESSAGE),         // ... one byte short
        (67, S2N_ERR_STUFFER_OUT_OF_DATA), // cipher suites length
        (68, S2N_ERR_STUFFER_OUT_OF_DATA), // ... one byte of it
        (69, S2N_ERR_BAD_MESSAGE),         // cipher suites
        (70, S2N_ERR_BAD_MESSAGE),         // ... one byte short
        (71, S2N_ERR_STUFFER_OUT_OF_DATA), // compression length
        (72, S2N_ERR_BAD_MESSAGE),         // compression methods
    ];
    for (len, code) in cases {
        assert_eq!(err(&with_header(&ok[..len])), code, "cut at {len}");
    }

    let long_id = body(&[7; 33], &suites, &[0], &block(&[]));
    assert_eq!(err(&with_header(&long_id)), S2N_ERR_BAD_MESSAGE);
    let no_suites = body(&[], &[], &[0], &block(&[]));
    assert_eq!(err(&with_header(&no_suites)), S2N_ERR_BAD_MESSAGE);
    let odd_suites = body(&[], &[0xc0, 0x2f, 0x00], &[0], &block(&[]));
    assert_eq!(err(&with_header(&odd_suites)), S2N_ERR_BAD_MESSAGE);

    // Accepted as s2n accepts them.
    let no_compression = ClientHello::parse(&with_header(&body(&[], &suites, &[], &[]))).unwrap();
    assert!(no_compression.compression_methods().is_empty());
    assert!(no_compression.extensions().is_empty());
    let five = ClientHello::parse(&with_header(&body(&[], &suites, &[0, 1, 2, 3, 4], &[])));
    assert_eq!(five.unwrap().compression_methods(), &[0, 1, 2, 3, 4]);
    let stray = ClientHello::parse(&with_header(&body(&[], &suites, &[0], &[9]))).unwrap();
    assert!(stray.extensions().is_empty());
    assert_eq!(stray.raw_message().last(), Some(&9));
    let mut trailing = block(&[(0xff00, b"ab")]);
    trailing.extend_from_slice(b"garbage");
    let h = ClientHello::parse(&with_header(&body(&[], &suites, &[0], &trailing))).unwrap();
    assert_eq!(h.extensions(), &[0xff, 0x00, 0, 2, b'a', b'b']);
    assert_eq!(h.extension(0xff00), Some(&b"ab"[..]));
    assert!(h.raw_message().ends_with(b"garbage"));
}

#[test]
fn extension_block_errors() {
    let suites = [0xc0, 0x2f];
    let with_rest = |rest: &[u8]| with_header(&body(&[], &suites, &[0], rest));
    // Block longer than what follows.
    assert_eq!(err(&with_rest(&[0, 10, 0, 0, 0, 0])), S2N_ERR_BAD_MESSAGE);
    // An extension header cut short inside the block.
    assert_eq!(err(&with_rest(&[0, 3, 0, 0, 0])), S2N_ERR_BAD_MESSAGE);
    // Extension data running past the block.
    assert_eq!(err(&with_rest(&[0, 5, 0, 0, 0, 2, 1])), S2N_ERR_BAD_MESSAGE);

    // Repeats: an error for types s2n implements, accepted for the others.
    let dup = simple(&[(0, b"\x00\x00"), (10, b""), (0, b"")]);
    assert_eq!(err(&dup), S2N_ERR_DUPLICATE_EXTENSION);
    let dup = simple(&[(65281, b"\x00"), (65281, b"\x00")]);
    assert_eq!(err(&dup), S2N_ERR_DUPLICATE_EXTENSION);
    // The error comes from the walk: a repeat before a malformed entry wins.
    let mut dup_then_bad = block(&[(43, b""), (43, b"")]);
    dup_then_bad[1] += 2;
    dup_then_bad.extend_from_slice(&[0, 0]);
    assert_eq!(err(&with_rest(&dup_then_bad)), S2N_ERR_DUPLICATE_EXTENSION);
    let h = ClientHello::parse(&simple(&[(22, b"1"), (0xff00, b""), (22, b"2")])).unwrap();
    assert_eq!(h.extension(22), Some(&b"1"[..]));
    assert_eq!(h.extension(0xff00), Some(&b""[..]));
    assert_eq!(h.extension(0xff01), None);
}

#[test]
fn server_name_parsing() {
    let sni = |data: &[u8]| ClientHello::parse(&simple(&[(0, data)])).unwrap();
    let code = |data: &[u8]| sni(data).try_server_name().unwrap_err().code;
    assert_eq!(
        sni(b"\x00\x06\x00\x00\x03svr").server_name(),
        Some(&b"svr"[..])
    );
    // The first entry only; what follows it is not checked.
    assert_eq!(
        sni(b"\x00\x07\x00\x00\x03svr\x01").server_name(),
        Some(&b"svr"[..])
    );
    // A name longer than the list but inside the extension, as s2n allows.
    assert_eq!(
        sni(b"\x00\x03\x00\x00\x03svr").server_name(),
        Some(&b"svr"[..])
    );
    assert_eq!(sni(b"\x00\x03\x00\x00\x00").server_name(), Some(&b""[..]));
    assert_eq!(code(b""), S2N_ERR_STUFFER_OUT_OF_DATA);
    assert_eq!(code(b"\x00"), S2N_ERR_STUFFER_OUT_OF_DATA);
    assert_eq!(code(b"\x00\x00"), S2N_ERR_STUFFER_OUT_OF_DATA);
    assert_eq!(code(b"\x00\x09\x00\x00\x03svr"), S2N_ERR_SAFETY);
    assert_eq!(code(b"\x00\x06\x01\x00\x03svr"), S2N_ERR_SAFETY);
    assert_eq!(code(b"\x00\x01\x00\x00"), S2N_ERR_STUFFER_OUT_OF_DATA);
    assert_eq!(code(b"\x00\x06\x00\x00\x04svr"), S2N_ERR_SAFETY);
    let none = ClientHello::parse(&simple(&[])).unwrap();
    assert_eq!(
        none.try_server_name().unwrap_err().code,
        S2N_ERR_EXTENSION_NOT_RECEIVED
    );
    assert_eq!(none.server_name(), None);
}

#[test]
fn supported_groups_parsing() {
    let groups = |data: &[u8]| ClientHello::parse(&simple(&[(10, data)])).unwrap();
    let code = |data: &[u8]| groups(data).try_supported_groups().unwrap_err().code;
    assert_eq!(
        groups(b"\x00\x04\x00\x17\x00\x1d").supported_groups(),
        Some(vec![23, 29])
    );
    assert_eq!(groups(b"\x00\x00").supported_groups(), Some(vec![]));
    // Bytes after the list are ignored.
    assert_eq!(
        groups(b"\x00\x02\x00\x17\xff").supported_groups(),
        Some(vec![23])
    );
    assert_eq!(code(b""), S2N_ERR_STUFFER_OUT_OF_DATA);
    assert_eq!(code(b"\x00"), S2N_ERR_STUFFER_OUT_OF_DATA);
    assert_eq!(
        code(b"\x00\x03\x00\x17\x00"),
        S2N_ERR_INVALID_PARSED_EXTENSIONS
    );
    assert_eq!(code(b"\x00\x04\x00\x17"), S2N_ERR_INVALID_PARSED_EXTENSIONS);
    assert_eq!(groups(b"\x00\x04\x00\x17").supported_groups(), None);
    let none = ClientHello::parse(&simple(&[])).unwrap();
    assert_eq!(
        none.try_supported_groups().unwrap_err().code,
        S2N_ERR_EXTENSION_NOT_RECEIVED
    );
}

#[test]
fn supported_versions_and_highest() {
    let versions = |data: &[u8]| ClientHello::parse(&simple(&[(43, data)])).unwrap();
    let h = versions(b"\x06\x7a\x7a\x03\x04\x03\x03");
    assert_eq!(h.supported_versions(), Some(vec![0x7a7a, 0x0304, 0x0303]));
    assert_eq!(h.highest_version(), 0x0304);
    // Only GREASE, empty or malformed: the legacy version.
    for data in [
        &b"\x02\xfa\xfa"[..],
        b"\x00",
        b"\x03\x03\x04\x03",
        b"\x04\x03\x04",
        b"",
    ] {
        assert_eq!(versions(data).highest_version(), 0x0303, "{data:?}");
    }
    assert_eq!(versions(b"\x02\x03\x04\x00").supported_versions(), None);
    // Values above TLS1.3 count.
    assert_eq!(versions(b"\x02\x7f\x1c").highest_version(), 0x7f1c);

    assert!(is_grease(0x0a0a) && is_grease(0xfafa) && is_grease(0x3a3a));
    assert!(is_grease(0xaaaa) && !is_grease(0x0a1a) && !is_grease(0x0303) && !is_grease(0x0a0b));
}

#[test]
fn versions_in_s2n_form() {
    let mut b = body(&[], &[0xc0, 0x2f], &[0], &[]);
    b[..2].copy_from_slice(&[0xff, 0xff]);
    let mut h = ClientHello::parse(&with_header(&b)).unwrap();
    // 0xff * 10 + 0xff, in a byte.
    assert_eq!(h.legacy_version_s2n(), 245);
    assert_eq!(h.highest_version(), 0xffff);
    assert_eq!(h.record_version(), None);
    assert_eq!(h.record_version_s2n(), None);
    h.set_record_version([3, 1]);
    assert_eq!(h.record_version(), Some([3, 1]));
    assert_eq!(h.record_version_s2n(), Some(31));
}

/// Every accessor, so a bad range or slice would show.
fn exercise(h: &ClientHello) {
    let total = h.session_id().len()
        + h.cipher_suites().len()
        + h.compression_methods().len()
        + h.extensions().len()
        + h.random().len();
    assert!(total <= h.raw_message().len());
    assert!(h.extension_list().count() <= h.extensions().len() / 4);
    let _ = (
        h.legacy_version(),
        h.legacy_version_s2n(),
        h.highest_version(),
    );
    let _ = (
        h.server_name(),
        h.supported_groups(),
        h.supported_versions(),
    );
    let _ = (h.extension(0), h.extension(0xffff), h.record_version_s2n());
}

#[test]
fn truncations_and_mutations_never_panic() {
    let mut parsed = 0usize;
    for (name, text) in CAPTURES {
        let msg = unhex(text);
        exercise(&hello(name));
        for len in 0..msg.len() {
            // As cut, and with the header fixed to the cut length.
            if let Ok(h) = ClientHello::parse(&msg[..len]) {
                exercise(&h);
            }
            if len >= 4 {
                let fixed = with_header(&msg[4..len]);
                if let Ok(h) = ClientHello::parse(&fixed) {
                    parsed += 1;
                    exercise(&h);
                }
            }
        }
        let mut m = msg.clone();
        for i in 0..m.len() {
            let original = m[i];
            for value in 0..=255u8 {
                m[i] = value;
                if let Ok(h) = ClientHello::parse(&m) {
                    parsed += 1;
                    exercise(&h);
                }
            }
            m[i] = original;
        }
    }
    assert!(parsed > 0);
}
