//! DER read by s2nrs's one DER reader (src/x509/der.rs): the
//! input as a certificate (loaded as a public chain, then its extensions,
//! key and validity looked up) and as a CRL (its issuer hash and dates).
#![no_main]

#[path = "common.rs"]
mod common;

use std::ffi::{c_int, c_void};

use libfuzzer_sys::fuzz_target;

unsafe extern "C" {
    fn s2n_cert_chain_and_key_new() -> *mut c_void;
    fn s2n_cert_chain_and_key_free(chain: *mut c_void) -> c_int;
    fn s2n_cert_chain_and_key_load_public_pem_bytes(
        chain: *mut c_void,
        pem: *mut u8,
        len: u32,
    ) -> c_int;
    fn s2n_cert_chain_get_cert(chain: *mut c_void, cert: *mut *mut c_void, index: u32) -> c_int;
    fn s2n_cert_get_x509_extension_value_length(
        cert: *mut c_void,
        oid: *const u8,
        len: *mut u32,
    ) -> c_int;
    fn s2n_config_new_minimal() -> *mut c_void;
    fn s2n_config_free(config: *mut c_void) -> c_int;
    fn s2n_config_add_cert_chain_and_key_to_store(config: *mut c_void, chain: *mut c_void)
    -> c_int;
    fn s2n_crl_new() -> *mut c_void;
    fn s2n_crl_load_pem(crl: *mut c_void, pem: *mut u8, len: usize) -> c_int;
    fn s2n_crl_get_issuer_hash(crl: *mut c_void, hash: *mut u64) -> c_int;
    fn s2n_crl_validate_active(crl: *mut c_void) -> c_int;
    fn s2n_crl_validate_not_expired(crl: *mut c_void) -> c_int;
    fn s2n_crl_free(crl: *mut *mut c_void) -> c_int;
}

/// `der` as a PEM block with this label.
fn pem(label: &str, der: &[u8]) -> Vec<u8> {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = format!("-----BEGIN {label}-----\n").into_bytes();
    for (i, chunk) in der.chunks(3).enumerate() {
        let n = chunk.iter().fold(0u32, |n, &b| n << 8 | u32::from(b)) << (8 * (3 - chunk.len()));
        for k in 0..4 {
            out.push(if k <= chunk.len() {
                ALPHABET[(n >> (18 - 6 * k) & 63) as usize]
            } else {
                b'='
            });
        }
        if i % 16 == 15 {
            out.push(b'\n');
        }
    }
    out.extend_from_slice(format!("\n-----END {label}-----\n").as_bytes());
    out
}

fuzz_target!(|data: &[u8]| {
    common::setup();
    let mut cert_pem = pem("CERTIFICATE", data);
    let mut crl_pem = pem("X509 CRL", data);
    // SAFETY: buffers of the given lengths, NUL-terminated OIDs, and handles
    // of the library's used before they are freed.
    unsafe {
        let chain = s2n_cert_chain_and_key_new();
        let loaded = s2n_cert_chain_and_key_load_public_pem_bytes(
            chain,
            cert_pem.as_mut_ptr(),
            cert_pem.len() as u32,
        );
        common::check(loaded);
        if loaded == 0 {
            let mut cert = std::ptr::null_mut();
            if s2n_cert_chain_get_cert(chain, &mut cert, 0) == 0 {
                for oid in [c"2.5.29.17", c"subjectAltName", c"1.3.6.1.5.5.7.1.1"] {
                    let mut len = 0u32;
                    common::check(s2n_cert_get_x509_extension_value_length(
                        cert,
                        oid.as_ptr().cast(),
                        &mut len,
                    ));
                }
            }
            // A store checks the chain against its policy (the key and
            // signature read from the DER).
            let config = s2n_config_new_minimal();
            common::check(s2n_config_add_cert_chain_and_key_to_store(config, chain));
            assert_eq!(s2n_config_free(config), 0);
        }
        assert_eq!(s2n_cert_chain_and_key_free(chain), 0);

        let mut crl = s2n_crl_new();
        let loaded = s2n_crl_load_pem(crl, crl_pem.as_mut_ptr(), crl_pem.len());
        common::check(loaded);
        if loaded == 0 {
            let mut hash = 0u64;
            common::check(s2n_crl_get_issuer_hash(crl, &mut hash));
            common::check(s2n_crl_validate_active(crl));
            common::check(s2n_crl_validate_not_expired(crl));
        }
        assert_eq!(s2n_crl_free(&mut crl), 0);
    }
});
