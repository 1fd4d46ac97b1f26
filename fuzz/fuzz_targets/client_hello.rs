//! s2n_client_hello_parse_message on arbitrary bytes, then getters and both
//! fingerprints (JA3, JA4) of what parsed.
#![no_main]

#[path = "common.rs"]
mod common;

use std::ffi::{c_int, c_void};

use libfuzzer_sys::fuzz_target;

unsafe extern "C" {
    fn s2n_client_hello_parse_message(raw: *const u8, len: u32) -> *mut c_void;
    fn s2n_client_hello_free(ch: *mut *mut c_void) -> c_int;
    fn s2n_client_hello_get_cipher_suites(ch: *mut c_void, out: *mut u8, max: u32) -> isize;
    fn s2n_client_hello_get_extensions(ch: *mut c_void, out: *mut u8, max: u32) -> isize;
    fn s2n_client_hello_get_raw_message(ch: *mut c_void, out: *mut u8, max: u32) -> isize;
    fn s2n_client_hello_get_server_name(
        ch: *mut c_void,
        out: *mut u8,
        max: u16,
        len: *mut u16,
    ) -> c_int;
    fn s2n_fingerprint_new(kind: c_int) -> *mut c_void;
    fn s2n_fingerprint_free(fp: *mut *mut c_void) -> c_int;
    fn s2n_fingerprint_set_client_hello(fp: *mut c_void, ch: *mut c_void) -> c_int;
    fn s2n_fingerprint_get_hash(fp: *mut c_void, max: u32, out: *mut u8, size: *mut u32) -> c_int;
    fn s2n_fingerprint_get_raw(fp: *mut c_void, max: u32, out: *mut u8, size: *mut u32) -> c_int;
}

fuzz_target!(|data: &[u8]| {
    common::setup();
    let mut buf = vec![0u8; 4096];
    let cap = buf.len() as u32;
    let out = buf.as_mut_ptr();
    // SAFETY: `data` is readable for its length; `out` has `cap` writable
    // bytes; the handles are the library's, used before they are freed.
    unsafe {
        let mut ch = s2n_client_hello_parse_message(data.as_ptr(), data.len() as u32);
        if ch.is_null() {
            common::check(-1);
            return;
        }
        common::check(s2n_client_hello_get_cipher_suites(ch, out, cap).min(0) as c_int);
        common::check(s2n_client_hello_get_extensions(ch, out, cap).min(0) as c_int);
        common::check(s2n_client_hello_get_raw_message(ch, out, cap).min(0) as c_int);
        let mut n16 = 0u16;
        common::check(s2n_client_hello_get_server_name(ch, out, 1024, &mut n16));
        for kind in [0, 1] {
            let mut fp = s2n_fingerprint_new(kind);
            let mut size = 0u32;
            common::check(s2n_fingerprint_set_client_hello(fp, ch));
            common::check(s2n_fingerprint_get_hash(fp, cap, out, &mut size));
            common::check(s2n_fingerprint_get_raw(fp, cap, out, &mut size));
            assert_eq!(s2n_fingerprint_free(&mut fp), 0);
        }
        assert_eq!(s2n_client_hello_free(&mut ch), 0);
    }
});
