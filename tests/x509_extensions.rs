//! `s2n_cert_get_x509_extension_value*` and
//! `s2n_cert_get_utf8_string_from_extension_data*` through their extern "C"
//! functions, with the `s2n_errno` each failure sets.

use std::ffi::{CStr, c_int};
use std::ptr::{null, null_mut};

use s2nrs::api::cert_chain::*;
use s2nrs::types::{S2N_FAILURE, S2N_SUCCESS, s2n_cert, s2n_cert_chain_and_key};

fn errno() -> c_int {
    // SAFETY: the shim's pointer to this thread's s2n_errno.
    unsafe { *errno_location() }
}

unsafe extern "C" {
    #[link_name = "s2n_errno_location"]
    fn errno_location() -> *mut c_int;
}

/// The name of the error a call that returned `rc` set.
fn failure(rc: c_int) -> String {
    assert_eq!(rc, S2N_FAILURE);
    let name = s2nrs::api::error::s2n_strerror_name(errno());
    // SAFETY: the library returns NUL-terminated static strings.
    unsafe { CStr::from_ptr(name) }
        .to_str()
        .unwrap()
        .to_string()
}

fn oid(text: &CStr) -> *const u8 {
    text.as_ptr().cast()
}

/// The leaf of tests/data/x509/extensions.pem, loaded as a public chain.
fn with_cert(f: impl FnOnce(*mut s2n_cert)) {
    let mut pem = include_bytes!("data/x509/extensions.pem").to_vec();
    let chain: *mut s2n_cert_chain_and_key = s2n_cert_chain_and_key_new();
    assert!(!chain.is_null());
    assert_eq!(
        s2n_cert_chain_and_key_load_public_pem_bytes(chain, pem.as_mut_ptr(), pem.len() as u32),
        S2N_SUCCESS
    );
    let mut cert = null_mut();
    assert_eq!(s2n_cert_chain_get_cert(chain, &mut cert, 0), S2N_SUCCESS);
    f(cert);
    assert_eq!(s2n_cert_chain_and_key_free(chain), S2N_SUCCESS);
}

#[test]
fn extension_value_length() {
    with_cert(|cert| {
        let mut len = 0;
        assert_eq!(
            s2n_cert_get_x509_extension_value_length(cert, oid(c"1.3.187.1.1.1"), &mut len),
            S2N_SUCCESS
        );
        assert_eq!(len, 7);
        assert_eq!(
            s2n_cert_get_x509_extension_value_length(cert, oid(c"subjectAltName"), &mut len),
            S2N_SUCCESS
        );
        assert_eq!(len, 32);

        let rc = s2n_cert_get_x509_extension_value_length(null_mut(), oid(c"2.5.29.17"), &mut len);
        assert_eq!(failure(rc), "S2N_ERR_NULL");
        assert_eq!(
            failure(s2n_cert_get_x509_extension_value_length(
                cert,
                null(),
                &mut len
            )),
            "S2N_ERR_NULL"
        );
        let rc = s2n_cert_get_x509_extension_value_length(cert, oid(c"2.5.29.17"), null_mut());
        assert_eq!(failure(rc), "S2N_ERR_NULL");
        let rc = s2n_cert_get_x509_extension_value_length(cert, oid(c"1.3.187.1.1.99"), &mut len);
        assert_eq!(failure(rc), "S2N_ERR_X509_EXTENSION_VALUE_NOT_FOUND");
        let rc = s2n_cert_get_x509_extension_value_length(
            cert,
            oid(c"Example X509 extension OID"),
            &mut len,
        );
        assert_eq!(failure(rc), "S2N_ERR_INVALID_ARGUMENT");
        assert_eq!(len, 32);
    });
}

#[test]
fn extension_value() {
    with_cert(|cert| {
        let mut buf = [0u8; 64];
        let (mut len, mut critical) = (buf.len() as u32, false);
        let rc = s2n_cert_get_x509_extension_value(
            cert,
            oid(c"X509v3 Basic Constraints"),
            buf.as_mut_ptr(),
            &mut len,
            &mut critical,
        );
        assert_eq!(
            (rc, len, critical, &buf[..2]),
            (S2N_SUCCESS, 2, true, &[0x30, 0x00][..])
        );

        let (mut len, mut critical) = (7, true);
        let rc = s2n_cert_get_x509_extension_value(
            cert,
            oid(c"1.3.187.1.1.1"),
            buf.as_mut_ptr(),
            &mut len,
            &mut critical,
        );
        assert_eq!(
            (rc, len, critical, &buf[..7]),
            (S2N_SUCCESS, 7, false, &b"\x0c\x05hello"[..])
        );

        let mut len = 6;
        let rc = s2n_cert_get_x509_extension_value(
            cert,
            oid(c"1.3.187.1.1.1"),
            buf.as_mut_ptr(),
            &mut len,
            &mut critical,
        );
        assert_eq!(failure(rc), "S2N_ERR_INSUFFICIENT_MEM_SIZE");
        assert_eq!(len, 6);

        let rc = s2n_cert_get_x509_extension_value(
            cert,
            oid(c"2.5.29.35"),
            buf.as_mut_ptr(),
            &mut len,
            &mut critical,
        );
        assert_eq!(failure(rc), "S2N_ERR_X509_EXTENSION_VALUE_NOT_FOUND");

        let o = oid(c"1.3.187.1.1.1");
        let p = buf.as_mut_ptr();
        for rc in [
            s2n_cert_get_x509_extension_value(null_mut(), o, p, &mut len, &mut critical),
            s2n_cert_get_x509_extension_value(cert, null(), p, &mut len, &mut critical),
            s2n_cert_get_x509_extension_value(cert, o, null_mut(), &mut len, &mut critical),
            s2n_cert_get_x509_extension_value(cert, o, p, null_mut(), &mut critical),
            s2n_cert_get_x509_extension_value(cert, o, p, &mut len, null_mut()),
        ] {
            assert_eq!(failure(rc), "S2N_ERR_NULL");
        }
    });
}

#[test]
fn utf8_string_from_extension_data() {
    let data = b"\x0c\x05hello";
    let mut n = 0;
    assert_eq!(
        s2n_cert_get_utf8_string_from_extension_data_length(data.as_ptr(), 7, &mut n),
        S2N_SUCCESS
    );
    assert_eq!(n, 5);
    let mut out = [0u8; 5];
    assert_eq!(
        s2n_cert_get_utf8_string_from_extension_data(data.as_ptr(), 7, out.as_mut_ptr(), &mut n),
        S2N_SUCCESS
    );
    assert_eq!((n, &out), (5, b"hello"));

    let mut n = 4;
    let rc =
        s2n_cert_get_utf8_string_from_extension_data(data.as_ptr(), 7, out.as_mut_ptr(), &mut n);
    assert_eq!(failure(rc), "S2N_ERR_INSUFFICIENT_MEM_SIZE");
    assert_eq!(n, 4);

    let octets = b"\x04\x05hello";
    let rc = s2n_cert_get_utf8_string_from_extension_data_length(octets.as_ptr(), 7, &mut n);
    assert_eq!(failure(rc), "S2N_ERR_INVALID_X509_EXTENSION_TYPE");
    let rc =
        s2n_cert_get_utf8_string_from_extension_data(octets.as_ptr(), 7, out.as_mut_ptr(), &mut n);
    assert_eq!(failure(rc), "S2N_ERR_INVALID_X509_EXTENSION_TYPE");

    // s2n's order of checks: data, length, then the outputs.
    let any = b"DER encoded X509 extension value";
    let rc = s2n_cert_get_utf8_string_from_extension_data_length(null(), 32, &mut n);
    assert_eq!(failure(rc), "S2N_ERR_NULL");
    assert_eq!(
        failure(s2n_cert_get_utf8_string_from_extension_data_length(
            any.as_ptr(),
            0,
            &mut n
        )),
        "S2N_ERR_SAFETY"
    );
    let rc = s2n_cert_get_utf8_string_from_extension_data_length(any.as_ptr(), 32, null_mut());
    assert_eq!(failure(rc), "S2N_ERR_NULL");
    let rc = s2n_cert_get_utf8_string_from_extension_data(null(), 32, out.as_mut_ptr(), &mut n);
    assert_eq!(failure(rc), "S2N_ERR_NULL");
    let rc = s2n_cert_get_utf8_string_from_extension_data(any.as_ptr(), 0, null_mut(), &mut n);
    assert_eq!(failure(rc), "S2N_ERR_SAFETY");
    let rc = s2n_cert_get_utf8_string_from_extension_data(any.as_ptr(), 32, null_mut(), &mut n);
    assert_eq!(failure(rc), "S2N_ERR_NULL");
    let rc = s2n_cert_get_utf8_string_from_extension_data(
        any.as_ptr(),
        32,
        out.as_mut_ptr(),
        null_mut(),
    );
    assert_eq!(failure(rc), "S2N_ERR_NULL");
}
