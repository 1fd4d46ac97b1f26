//! s2n_config_set_cipher_preferences with arbitrary names.
#![no_main]

#[path = "common.rs"]
mod common;

use std::ffi::{CString, c_char, c_int, c_void};

use libfuzzer_sys::fuzz_target;

unsafe extern "C" {
    fn s2n_config_new_minimal() -> *mut c_void;
    fn s2n_config_free(config: *mut c_void) -> c_int;
    fn s2n_config_set_cipher_preferences(config: *mut c_void, name: *const c_char) -> c_int;
}

fuzz_target!(|data: &[u8]| {
    common::setup();
    let name = CString::new(
        data.iter()
            .copied()
            .filter(|&b| b != 0)
            .collect::<Vec<u8>>(),
    )
    .expect("no NUL left");
    // SAFETY: a config of the library's and a NUL-terminated name.
    unsafe {
        let config = s2n_config_new_minimal();
        common::check(s2n_config_set_cipher_preferences(config, name.as_ptr()));
        assert_eq!(s2n_config_free(config), 0);
    }
});
