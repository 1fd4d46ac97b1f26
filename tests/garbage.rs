//! Bounded, deterministic fuzz-style tests, the fixed-seed complement of the
//! coverage-guided targets in fuzz/ that runs with every `cargo test`:
//! random bytes and mutations of valid inputs through the
//! extern "C" functions must only ever return errors -- never panic (a panic
//! is caught at the C boundary and reported as S2N_ERR_SAFETY "internal
//! panic caught at the C boundary", so a counting panic hook and that text are
//! both checked), never abort, never hang.
//!
//! Every generator is a fixed-seed xorshift64*, so a failure names the seed
//! and iteration that reproduce it. Iteration counts are printed (run with
//! `--nocapture` to see them).

use std::ffi::{CString, c_int, c_void};
use std::sync::atomic::{AtomicUsize, Ordering};

use s2nrs::api::policy::s2n_config_set_cipher_preferences;
use s2nrs::types::{TlsExtensionTypeArg, s2n_config};

#[path = "garbage/connections.rs"]
mod connections;
#[path = "garbage/harness.rs"]
mod harness;
use harness::*;

mod common;
use common::unhex;
use s2nrs::api::cert_chain::*;
use s2nrs::api::client_hello::*;

const HELLOS: [&str; 8] = [
    include_str!("data/client_hello/gnutls_default.hex"),
    include_str!("data/client_hello/gnutls_tls12_sni.hex"),
    include_str!("data/client_hello/gnutls_tls13_alpn.hex"),
    include_str!("data/client_hello/openssl_alpn.hex"),
    include_str!("data/client_hello/openssl_default.hex"),
    include_str!("data/client_hello/openssl_groups.hex"),
    include_str!("data/client_hello/openssl_split.hex"),
    include_str!("data/client_hello/openssl_tls12.hex"),
];

fn hellos() -> Vec<Vec<u8>> {
    HELLOS.iter().map(|h| unhex(h)).collect()
}

/// Handshake messages as records (one record, or split at random points).
fn as_records(rng: &mut Rng, msg: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut rest = msg;
    while !rest.is_empty() {
        let n = if rng.chance(4) {
            1 + rng.below(rest.len())
        } else {
            rest.len().min(16384)
        };
        let n = n.min(16384);
        out.extend_from_slice(&[0x16, 0x03, 0x01]);
        out.extend_from_slice(&(n as u16).to_be_bytes());
        out.extend_from_slice(&rest[..n]);
        rest = &rest[n..];
    }
    out
}

// ---------------------------------------------------------------------------
// s2n_client_hello_parse_message

/// Parses `msg`; on success exercises the getters, then frees.
fn parse_and_probe(msg: &[u8], seed: u64, iter: usize) -> bool {
    let ch = s2n_client_hello_parse_message(msg.as_ptr(), msg.len() as u32);
    if ch.is_null() {
        check_failure("s2n_client_hello_parse_message", seed, iter);
        return false;
    }
    let mut buf = vec![0u8; 70000];
    let cap = buf.len() as u32;
    let _ = s2n_client_hello_get_raw_message_length(ch);
    let _ = s2n_client_hello_get_raw_message(ch, buf.as_mut_ptr(), cap);
    let _ = s2n_client_hello_get_cipher_suites_length(ch);
    let _ = s2n_client_hello_get_cipher_suites(ch, buf.as_mut_ptr(), cap);
    let _ = s2n_client_hello_get_extensions_length(ch);
    let _ = s2n_client_hello_get_extensions(ch, buf.as_mut_ptr(), cap);
    for ext in [0u16, 10, 13, 16, 43, 45, 51, 0xff01] {
        let _ = s2n_client_hello_get_extension_length(ch, TlsExtensionTypeArg(c_int::from(ext)));
        let _ = s2n_client_hello_get_extension_by_id(
            ch,
            TlsExtensionTypeArg(c_int::from(ext)),
            buf.as_mut_ptr(),
            cap,
        );
        let mut exists = false;
        let _ = s2n_client_hello_has_extension(ch, ext, &mut exists);
    }
    let mut n32 = 0u32;
    let _ = s2n_client_hello_get_session_id_length(ch, &mut n32);
    let _ = s2n_client_hello_get_session_id(ch, buf.as_mut_ptr(), &mut n32, cap);
    let _ = s2n_client_hello_get_compression_methods_length(ch, &mut n32);
    let _ = s2n_client_hello_get_compression_methods(ch, buf.as_mut_ptr(), cap, &mut n32);
    let mut v8 = 0u8;
    let _ = s2n_client_hello_get_legacy_protocol_version(ch, &mut v8);
    let _ = s2n_client_hello_get_random(ch, buf.as_mut_ptr(), cap);
    let mut groups = [0u16; 64];
    let mut count = 0u16;
    let _ = s2n_client_hello_get_supported_groups(ch, groups.as_mut_ptr(), 64, &mut count);
    let mut n16 = 0u16;
    let _ = s2n_client_hello_get_server_name_length(ch, &mut n16);
    let _ = s2n_client_hello_get_server_name(ch, buf.as_mut_ptr(), 1024, &mut n16);
    // SAFETY: a live ClientHello, a buffer of `cap` bytes, an out pointer.
    let _ =
        unsafe { s2n_client_hello_get_fingerprint_string(ch, 0, cap, buf.as_mut_ptr(), &mut n32) };
    let code = errno();
    assert!(
        !debug_text(code).contains("panic"),
        "getters: seed {seed:#x} iteration {iter}: panic caught"
    );
    let mut ch = ch;
    assert_eq!(s2n_client_hello_free(&mut ch), 0);
    true
}

#[test]
fn client_hello_parse_garbage() {
    setup();
    let seeds = hellos();
    for h in &seeds {
        assert!(
            parse_and_probe(h, 0, 0),
            "a captured ClientHello must parse"
        );
    }
    let seed = 0x5EED_C11E_4E11_0001;
    let mut rng = Rng::new(seed);
    let iterations = scaled(30_000);
    let mut parsed = 0;
    for iter in 0..iterations {
        let input = match rng.below(10) {
            0 => rng.bytes_upto(600),
            1 => {
                // A plausible header on random bytes.
                let body = rng.bytes_upto(400);
                let mut m = vec![1, 0, (body.len() >> 8) as u8, body.len() as u8];
                m.extend_from_slice(&body);
                m
            }
            _ => {
                let i = rng.below(seeds.len());
                mutate(&mut rng, &seeds[i])
            }
        };
        if parse_and_probe(&input, seed, iter) {
            parsed += 1;
        }
    }
    check_no_panics("s2n_client_hello_parse_message");
    println!("client_hello_parse_garbage: {iterations} iterations, {parsed} parsed");
}

// ---------------------------------------------------------------------------
// PEM loading

const PEMS: [(&str, &str); 4] = [
    (
        include_str!("certs/server-ecdsa-chain.pem"),
        include_str!("certs/server-ecdsa-key.pem"),
    ),
    (
        include_str!("certs/server-rsa-chain.pem"),
        include_str!("certs/server-rsa-key.pem"),
    ),
    (
        include_str!("certs/client-ecdsa.pem"),
        include_str!("certs/client-ecdsa-key.pem"),
    ),
    (
        include_str!("certs/ca-ecdsa.pem"),
        include_str!("certs/ca-ecdsa-key.pem"),
    ),
];

/// PEM-aware mutations: base64 characters, line drops, boundary lines.
fn mutate_pem(rng: &mut Rng, pem: &str) -> Vec<u8> {
    const B64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=";
    match rng.below(5) {
        0 => {
            let mut v = pem.as_bytes().to_vec();
            for _ in 0..1 + rng.below(3) {
                let i = rng.below(v.len());
                if v[i] != b'\n' && v[i] != b'-' {
                    v[i] = B64[rng.below(B64.len())];
                }
            }
            v
        }
        1 => {
            let lines: Vec<&str> = pem.lines().collect();
            let drop = rng.below(lines.len());
            lines
                .iter()
                .enumerate()
                .filter(|(i, _)| *i != drop)
                .map(|(_, l)| format!("{l}\n"))
                .collect::<String>()
                .into_bytes()
        }
        2 => {
            let marker = [
                "-----END CERTIFICATE-----\n",
                "-----BEGIN CERTIFICATE-----\n",
                "-----BEGIN PRIVATE KEY-----\n",
                "-----END EC PRIVATE KEY-----\n",
                "\0",
            ][rng.below(5)];
            let mut v = pem.as_bytes().to_vec();
            let at = rng.below(v.len() + 1);
            v.splice(at..at, marker.bytes());
            v
        }
        _ => mutate(rng, pem.as_bytes()),
    }
}

#[test]
fn pem_garbage() {
    setup();
    let seed = 0x5EED_0000_0000_BE11;
    let mut rng = Rng::new(seed);
    let iterations = scaled(3_000);
    let (mut loaded, mut public_loaded, mut trusted) = (0, 0, 0);
    // SAFETY: config handles from the library, freed at the end.
    let config = unsafe { s2n_config_new_minimal() };
    assert!(!config.is_null());
    for iter in 0..iterations {
        let (chain_pem, key_pem) = PEMS[rng.below(PEMS.len())];
        let (mut chain, mut key) = match rng.below(4) {
            0 => (mutate_pem(&mut rng, chain_pem), key_pem.as_bytes().to_vec()),
            1 => (chain_pem.as_bytes().to_vec(), mutate_pem(&mut rng, key_pem)),
            2 => (
                mutate_pem(&mut rng, chain_pem),
                mutate_pem(&mut rng, key_pem),
            ),
            _ => (rng.bytes_upto(2000), rng.bytes_upto(500)),
        };
        let ck = s2n_cert_chain_and_key_new();
        assert!(!ck.is_null());
        let rc = s2n_cert_chain_and_key_load_pem_bytes(
            ck,
            chain.as_mut_ptr(),
            chain.len() as u32,
            key.as_mut_ptr(),
            key.len() as u32,
        );
        if rc == 0 {
            loaded += 1;
        } else {
            check_failure("s2n_cert_chain_and_key_load_pem_bytes", seed, iter);
        }
        assert_eq!(s2n_cert_chain_and_key_free(ck), 0);

        let ck = s2n_cert_chain_and_key_new();
        let rc = s2n_cert_chain_and_key_load_public_pem_bytes(
            ck,
            chain.as_mut_ptr(),
            chain.len() as u32,
        );
        if rc == 0 {
            public_loaded += 1;
        } else {
            check_failure("s2n_cert_chain_and_key_load_public_pem_bytes", seed, iter);
        }
        assert_eq!(s2n_cert_chain_and_key_free(ck), 0);

        if iter % 4 == 0 {
            let text = CString::new(
                chain
                    .iter()
                    .map(|&b| if b == 0 { b'A' } else { b })
                    .collect::<Vec<u8>>(),
            )
            .unwrap();
            // SAFETY: a live config and a NUL-terminated string.
            let rc = unsafe { s2n_config_add_pem_to_trust_store(config, text.as_ptr()) };
            if rc == 0 {
                trusted += 1;
            } else {
                check_failure("s2n_config_add_pem_to_trust_store", seed, iter);
            }
        }
    }
    // SAFETY: the config from above.
    assert_eq!(unsafe { s2n_config_free(config) }, 0);
    check_no_panics("PEM loading");
    println!(
        "pem_garbage: {iterations} iterations, {loaded} chain+key loaded, {public_loaded} public chains loaded, \
         {trusted} of {} trust-store additions accepted",
        iterations.div_ceil(4)
    );
}

// ---------------------------------------------------------------------------
// Policy names

#[test]
fn policy_name_garbage() {
    setup();
    let names = [
        "default",
        "default_tls13",
        "default_fips",
        "20170210",
        "20190801",
        "20230317",
        "20240501",
        "ELBSecurityPolicy-TLS-1-2-Ext-2018-06",
        "AWS-CRT-SDK-TLSv1.3",
        "CloudFront-TLS-1-2-2021",
        "test_all",
        "rfc9151",
        "null",
    ];
    let seed = 0x5EED_0000_0000_9011;
    let mut rng = Rng::new(seed);
    let iterations = scaled(20_000);
    let mut accepted = 0;
    // SAFETY: a config from the library, freed at the end.
    let config = unsafe { s2n_config_new_minimal() };
    assert!(!config.is_null());
    for iter in 0..iterations {
        let mut bytes = match rng.below(4) {
            0 => rng.bytes_upto(80),
            _ => {
                let i = rng.below(names.len());
                mutate(&mut rng, names[i].as_bytes())
            }
        };
        bytes.retain(|&b| b != 0);
        if rng.chance(50) {
            bytes = vec![b'A'; 100_000];
        }
        let name = CString::new(bytes).unwrap();
        let rc = s2n_config_set_cipher_preferences(config, name.as_ptr());
        if rc == 0 {
            accepted += 1;
        } else {
            check_failure("s2n_config_set_cipher_preferences", seed, iter);
        }
    }
    // SAFETY: the config from above.
    assert_eq!(unsafe { s2n_config_free(config) }, 0);
    check_no_panics("s2n_config_set_cipher_preferences");
    println!("policy_name_garbage: {iterations} iterations, {accepted} accepted");
}
