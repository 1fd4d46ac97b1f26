//! s2n_negotiate (then s2n_recv) fed arbitrary bytes as the peer's records:
//! the first byte picks the side (even: server, odd: client), the rest is
//! read from a pipe that ends after it. What the connection writes goes to
//! /dev/null.
#![no_main]

#[path = "common.rs"]
mod common;

use std::ffi::{c_char, c_int, c_void};
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

unsafe extern "C" {
    fn s2n_config_new_minimal() -> *mut c_void;
    fn s2n_config_set_max_blinding_delay(config: *mut c_void, seconds: u32) -> c_int;
    fn s2n_config_set_cipher_preferences(config: *mut c_void, name: *const c_char) -> c_int;
    fn s2n_config_add_cert_chain_and_key_to_store(config: *mut c_void, chain: *mut c_void)
    -> c_int;
    fn s2n_config_disable_x509_verification(config: *mut c_void) -> c_int;
    fn s2n_cert_chain_and_key_new() -> *mut c_void;
    fn s2n_cert_chain_and_key_load_pem(
        chain: *mut c_void,
        pem: *const c_char,
        key: *const c_char,
    ) -> c_int;
    fn s2n_negotiate(conn: *mut c_void, blocked: *mut c_int) -> c_int;
    fn s2n_recv(conn: *mut c_void, buf: *mut u8, size: isize, blocked: *mut c_int) -> isize;
}

struct Configs {
    server: usize,
    client: usize,
}

/// One server config (the test ECDSA chain) and one client config (no
/// verification, so that a forged certificate gets further), both TLS1.2
/// and TLS1.3.
fn configs() -> &'static Configs {
    static CONFIGS: OnceLock<Configs> = OnceLock::new();
    CONFIGS.get_or_init(|| {
        let pem = std::ffi::CString::new(include_str!("../../tests/certs/server-ecdsa-chain.pem"))
            .unwrap();
        let key =
            std::ffi::CString::new(include_str!("../../tests/certs/server-ecdsa-key.pem")).unwrap();
        // SAFETY: NUL-terminated PEM strings; handles of the library's,
        // kept for the process's life.
        unsafe {
            let ck = s2n_cert_chain_and_key_new();
            assert_eq!(
                s2n_cert_chain_and_key_load_pem(ck, pem.as_ptr(), key.as_ptr()),
                0
            );
            let server = s2n_config_new_minimal();
            assert_eq!(s2n_config_set_max_blinding_delay(server, 0), 0);
            assert_eq!(s2n_config_add_cert_chain_and_key_to_store(server, ck), 0);
            assert_eq!(
                s2n_config_set_cipher_preferences(server, c"default_tls13".as_ptr()),
                0
            );
            let client = s2n_config_new_minimal();
            assert_eq!(s2n_config_set_max_blinding_delay(client, 0), 0);
            assert_eq!(s2n_config_disable_x509_verification(client), 0);
            assert_eq!(
                s2n_config_set_cipher_preferences(client, c"default_tls13".as_ptr()),
                0
            );
            Configs {
                server: server as usize,
                client: client as usize,
            }
        }
    })
}

fuzz_target!(|data: &[u8]| {
    common::setup();
    let Some((&side, input)) = data.split_first() else {
        return;
    };
    let configs = configs();
    let mode = c_int::from(side & 1);
    let config = if mode == 0 {
        configs.server
    } else {
        configs.client
    };
    common::with_connection(mode, config as *mut c_void, input, |conn| {
        let mut blocked = 0;
        let mut rc = -1;
        // SAFETY: the connection common::with_connection made, with valid
        // out-pointers and buffers.
        unsafe {
            // The input ends: the connection finishes, fails or sees EOF.
            for _ in 0..64 {
                rc = s2n_negotiate(conn, &mut blocked);
                if rc == 0 || blocked == 0 {
                    break;
                }
            }
            common::check(rc);
            if rc == 0 {
                let mut buf = [0u8; 1024];
                let n = s2n_recv(conn, buf.as_mut_ptr(), buf.len() as isize, &mut blocked);
                common::check(n.min(0) as c_int);
            }
        }
    });
});
