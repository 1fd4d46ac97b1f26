//! PEM loading: a chain and key (the input split at its first NUL), the
//! public chain alone, and the trust store.
#![no_main]

#[path = "common.rs"]
mod common;

use std::ffi::{CString, c_char, c_int, c_void};

use libfuzzer_sys::fuzz_target;

unsafe extern "C" {
    fn s2n_cert_chain_and_key_new() -> *mut c_void;
    fn s2n_cert_chain_and_key_free(chain: *mut c_void) -> c_int;
    fn s2n_cert_chain_and_key_load_pem_bytes(
        chain: *mut c_void,
        chain_pem: *mut u8,
        chain_len: u32,
        key_pem: *mut u8,
        key_len: u32,
    ) -> c_int;
    fn s2n_cert_chain_and_key_load_public_pem_bytes(
        chain: *mut c_void,
        pem: *mut u8,
        len: u32,
    ) -> c_int;
    fn s2n_config_new_minimal() -> *mut c_void;
    fn s2n_config_free(config: *mut c_void) -> c_int;
    fn s2n_config_add_pem_to_trust_store(config: *mut c_void, pem: *const c_char) -> c_int;
}

fuzz_target!(|data: &[u8]| {
    common::setup();
    let split = data.iter().position(|&b| b == 0).unwrap_or(data.len());
    let mut chain_pem = data[..split].to_vec();
    let mut key_pem = data.get(split + 1..).unwrap_or_default().to_vec();
    let text = CString::new(chain_pem.clone()).expect("no NUL before the split");
    // SAFETY: buffers of the given lengths, a NUL-terminated string, and
    // handles of the library's used before they are freed.
    unsafe {
        let chain = s2n_cert_chain_and_key_new();
        common::check(s2n_cert_chain_and_key_load_pem_bytes(
            chain,
            chain_pem.as_mut_ptr(),
            chain_pem.len() as u32,
            key_pem.as_mut_ptr(),
            key_pem.len() as u32,
        ));
        assert_eq!(s2n_cert_chain_and_key_free(chain), 0);
        let chain = s2n_cert_chain_and_key_new();
        common::check(s2n_cert_chain_and_key_load_public_pem_bytes(
            chain,
            chain_pem.as_mut_ptr(),
            chain_pem.len() as u32,
        ));
        assert_eq!(s2n_cert_chain_and_key_free(chain), 0);
        let config = s2n_config_new_minimal();
        common::check(s2n_config_add_pem_to_trust_store(config, text.as_ptr()));
        assert_eq!(s2n_config_free(config), 0);
    }
});
