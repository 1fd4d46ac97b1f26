//! The error table, the entry helper and the library-lifecycle functions,
//! called through their extern "C" functions.

use std::ffi::{CStr, c_char, c_int};

use s2nrs::error::{self, ERRORS, Error};
use s2nrs::ffi;

fn text(p: *const c_char) -> String {
    assert!(!p.is_null());
    // SAFETY: the library returns NUL-terminated static or thread-local strings.
    unsafe { CStr::from_ptr(p) }.to_str().unwrap().to_string()
}

fn errno() -> c_int {
    // SAFETY: the shim's pointer to this thread's s2n_errno.
    unsafe { *errno_location() }
}

unsafe extern "C" {
    #[link_name = "s2n_errno_location"]
    fn errno_location() -> *mut c_int;
}

fn name_of(code: c_int) -> String {
    text(s2nrs::api::error::s2n_strerror_name(code))
}

#[test]
fn table_matches_the_inventory() {
    let tsv = include_str!("../data/errors.tsv");
    let rows: Vec<Vec<&str>> = tsv
        .lines()
        .skip(1)
        .map(|l| l.split('\t').collect())
        .collect();
    assert_eq!(rows.len(), ERRORS.len());
    for row in rows {
        let code: c_int = row[3].parse().unwrap();
        assert_eq!(name_of(code), row[0]);
        assert_eq!(
            text(s2nrs::api::error::s2n_strerror(code, c"EN".as_ptr())),
            row[5]
        );
        assert_eq!(
            text(s2nrs::api::error::s2n_strerror(code, std::ptr::null())),
            row[5]
        );
        assert_eq!(
            text(s2nrs::api::error::s2n_strerror(code, c"en".as_ptr())),
            row[5]
        );
        assert_eq!(s2nrs::api::error::s2n_error_get_type(code), code >> 26);
    }
}

#[test]
fn unknown_codes_and_languages() {
    assert_eq!(
        text(s2nrs::api::error::s2n_strerror(12345, c"EN".as_ptr())),
        "Internal s2n error"
    );
    assert_eq!(name_of(-7), "Internal s2n error");
    assert_eq!(
        text(s2nrs::api::error::s2n_strerror(
            error::S2N_ERR_NULL,
            c"FR".as_ptr()
        )),
        "Language is not supported for error translation"
    );
    assert_eq!(
        text(s2nrs::api::error::s2n_strerror_debug(0, std::ptr::null())),
        "no error"
    );
    assert_eq!(text(s2nrs::api::error::s2n_strerror_source(0)), "no error");
}

#[test]
fn entry_records_errors_and_catches_panics() {
    let rc: c_int = ffi::entry(|| Err(Error::new(error::S2N_ERR_INVALID_ARGUMENT)));
    assert_eq!(rc, -1);
    assert_eq!(name_of(errno()), "S2N_ERR_INVALID_ARGUMENT");
    let source = text(s2nrs::api::error::s2n_strerror_source(errno()));
    assert!(source.starts_with("tests/errors.rs:"), "{source}");
    assert!(
        text(s2nrs::api::error::s2n_strerror_debug(
            errno(),
            std::ptr::null()
        ))
        .contains("tests/errors.rs:")
    );

    let ptr: *mut u8 = ffi::entry(|| panic!("boom"));
    assert!(ptr.is_null());
    assert_eq!(name_of(errno()), "S2N_ERR_SAFETY");
    assert!(
        text(s2nrs::api::error::s2n_strerror_debug(
            errno(),
            std::ptr::null()
        ))
        .contains("panic")
    );

    // Success leaves s2n_errno alone.
    let ok: c_int = ffi::entry(|| Ok(0));
    assert_eq!(ok, 0);
    assert_eq!(name_of(errno()), "S2N_ERR_SAFETY");
}

#[test]
fn not_yet_and_unsupported_say_so() {
    let rc: c_int = ffi::not_yet();
    assert_eq!(rc, -1);
    assert_eq!(name_of(errno()), "S2N_ERR_UNIMPLEMENTED");
    let rc: c_int = ffi::unsupported("because");
    assert_eq!(rc, -1);
    assert!(
        text(s2nrs::api::error::s2n_strerror_debug(
            errno(),
            std::ptr::null()
        ))
        .ends_with(": because")
    );
}

#[test]
fn long_reasons_are_cut_not_overflowed() {
    let reason: &'static str = Box::leak("x".repeat(1000).into_boxed_str());
    let _: c_int = ffi::unsupported(reason);
    assert!(
        text(s2nrs::api::error::s2n_strerror_debug(
            errno(),
            std::ptr::null()
        ))
        .len()
            < 256
    );
}

#[test]
fn null_arguments() {
    assert_eq!(
        s2nrs::api::init::s2n_get_fips_mode(std::ptr::null_mut()),
        -1
    );
    assert_eq!(name_of(errno()), "S2N_ERR_NULL");
    assert_eq!(
        s2nrs::api::alloc::s2n_mem_set_callbacks(None, None, None, None),
        -1
    );
    assert!(["S2N_ERR_NULL", "S2N_ERR_INITIALIZED"].contains(&name_of(errno()).as_str()));
    assert!(!s2nrs::api::error::s2n_strerror(0, std::ptr::null()).is_null());
}

/// Lifecycle order, in one test since it is process-wide state.
#[test]
fn init_and_cleanup_order() {
    assert_eq!(s2nrs::api::init::s2n_cleanup_final(), -1);
    assert_eq!(name_of(errno()), "S2N_ERR_NOT_INITIALIZED");
    assert_eq!(s2nrs::api::init::s2n_disable_atexit(), 0);
    assert_eq!(s2nrs::api::init::s2n_crypto_disable_init(), 0);
    assert_eq!(s2nrs::api::init::s2n_init(), 0);
    assert_eq!(s2nrs::api::init::s2n_init(), -1);
    assert_eq!(name_of(errno()), "S2N_ERR_INITIALIZED");
    assert_eq!(s2nrs::api::init::s2n_disable_atexit(), -1);
    assert_eq!(s2nrs::api::init::s2n_crypto_disable_init(), -1);
    let mut mode = s2nrs::types::FipsModeArg(7);
    assert_eq!(s2nrs::api::init::s2n_get_fips_mode(&mut mode), 0);
    assert_eq!(mode.0, 0);
    assert_eq!(s2nrs::api::init::s2n_cleanup(), 0);
    assert_eq!(s2nrs::api::init::s2n_cleanup_final(), 0);
    assert_eq!(s2nrs::api::init::s2n_get_fips_mode(&mut mode), -1);
    assert_eq!(name_of(errno()), "S2N_ERR_NOT_INITIALIZED");
    assert_eq!(s2nrs::api::init::s2n_init(), 0);
    assert_eq!(s2nrs::api::init::s2n_cleanup_final(), 0);
}
