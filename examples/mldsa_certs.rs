//! Writes the ML-DSA-87 test certificates into a directory (tests/certs/make.sh
//! runs it: the OpenSSL it uses, 3.0, has no ML-DSA): `mldsa-ca.pem` (and
//! its key) and `mldsa-server.pem` for localhost, signed by that CA, with
//! `mldsa-server-chain.pem` and `mldsa-server-key.pem`. Signatures are
//! pure ML-DSA with an empty context, as RFC 9881 uses them in X.509.
//!
//!     cargo run --example mldsa_certs -- tests/certs

use aws_lc_rs::encoding::AsDer;
use aws_lc_rs::signature::{KeyPair, ML_DSA_87_SIGNING, PqdsaKeyPair};

/// id-ml-dsa-87 (2.16.840.1.101.3.4.3.19).
const ML_DSA_87: &[u8] = &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x03, 0x13];

fn der(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let len = content.len();
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes = len.to_be_bytes();
        let skip = bytes
            .iter()
            .position(|&b| b != 0)
            .unwrap_or(bytes.len() - 1);
        out.push(0x80 | (bytes.len() - skip) as u8);
        out.extend_from_slice(&bytes[skip..]);
    }
    out.extend_from_slice(content);
    out
}

fn seq(parts: &[Vec<u8>]) -> Vec<u8> {
    der(0x30, &parts.concat())
}

fn oid(bytes: &[u8]) -> Vec<u8> {
    der(0x06, bytes)
}

fn bits(bytes: &[u8]) -> Vec<u8> {
    der(0x03, &[&[0][..], bytes].concat())
}

fn name(common_name: &str) -> Vec<u8> {
    let cn = seq(&[oid(&[0x55, 0x04, 0x03]), der(0x0c, common_name.as_bytes())]);
    seq(&[der(0x31, &cn)])
}

fn extension(id: &[u8], critical: bool, value: Vec<u8>) -> Vec<u8> {
    let mut parts = vec![oid(id)];
    if critical {
        parts.push(der(0x01, &[0xff]));
    }
    parts.push(der(0x04, &value));
    seq(&parts)
}

/// A certificate for `subject`'s key, signed by `issuer` (name, key).
fn certificate(
    subject: &str,
    key: &PqdsaKeyPair,
    issuer: (&str, &PqdsaKeyPair),
    serial: u8,
    ca: bool,
) -> Vec<u8> {
    let algorithm = seq(&[oid(ML_DSA_87)]);
    let mut extensions = vec![if ca {
        extension(&[0x55, 0x1d, 0x13], true, seq(&[der(0x01, &[0xff])]))
    } else {
        extension(&[0x55, 0x1d, 0x13], true, seq(&[]))
    }];
    if ca {
        // keyCertSign, cRLSign
        extensions.push(extension(
            &[0x55, 0x1d, 0x0f],
            true,
            der(0x03, &[0x01, 0x06]),
        ));
    } else {
        // digitalSignature
        extensions.push(extension(
            &[0x55, 0x1d, 0x0f],
            true,
            der(0x03, &[0x07, 0x80]),
        ));
        // serverAuth
        let server_auth = oid(&[0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x01]);
        extensions.push(extension(&[0x55, 0x1d, 0x25], false, seq(&[server_auth])));
        extensions.push(extension(
            &[0x55, 0x1d, 0x11],
            false,
            seq(&[der(0x82, b"localhost"), der(0x82, b"s2nrs.test")]),
        ));
    }
    let tbs = seq(&[
        der(0xa0, &der(0x02, &[2])),
        der(0x02, &[serial]),
        algorithm.clone(),
        name(issuer.0),
        seq(&[der(0x17, b"250101000000Z"), der(0x17, b"491231235959Z")]),
        name(subject),
        seq(&[algorithm.clone(), bits(key.public_key().as_ref())]),
        der(0xa3, &seq(&extensions)),
    ]);
    let mut signature = vec![0; ML_DSA_87_SIGNING.signature_len()];
    let len = issuer.1.sign(&tbs, &mut signature).expect("ML-DSA signs");
    seq(&[tbs, algorithm, bits(&signature[..len])])
}

fn base64(data: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in data.chunks(3) {
        let n = chunk.iter().fold(0u32, |n, &b| n << 8 | u32::from(b)) << (8 * (3 - chunk.len()));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn pem(label: &str, der: &[u8]) -> String {
    let text = base64(der);
    let mut out = format!("-----BEGIN {label}-----\n");
    for line in text.as_bytes().chunks(64) {
        out.push_str(std::str::from_utf8(line).expect("base64 is ASCII"));
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out
}

fn main() {
    let dir = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "tests/certs".into());
    let write = |file: &str, text: &str| {
        std::fs::write(format!("{dir}/{file}"), text).expect("the directory is writable")
    };
    let key_pem = |key: &PqdsaKeyPair| {
        let pkcs8 = key.private_key().as_der().expect("ML-DSA key encodes");
        pem("PRIVATE KEY", pkcs8.as_ref())
    };
    let ca_key = PqdsaKeyPair::generate(&ML_DSA_87_SIGNING).expect("ML-DSA key");
    let server_key = PqdsaKeyPair::generate(&ML_DSA_87_SIGNING).expect("ML-DSA key");
    let ca = pem(
        "CERTIFICATE",
        &certificate(
            "s2nrs ML-DSA CA",
            &ca_key,
            ("s2nrs ML-DSA CA", &ca_key),
            1,
            true,
        ),
    );
    let server = pem(
        "CERTIFICATE",
        &certificate(
            "localhost",
            &server_key,
            ("s2nrs ML-DSA CA", &ca_key),
            2,
            false,
        ),
    );
    write("mldsa-ca.pem", &ca);
    write("mldsa-ca-key.pem", &key_pem(&ca_key));
    write("mldsa-server.pem", &server);
    write("mldsa-server-key.pem", &key_pem(&server_key));
    write("mldsa-server-chain.pem", &format!("{server}{ca}"));
}
