//! `s2n_client_hello_*` through their extern "C" functions, on ClientHellos
//! captured from OpenSSL and GnuTLS (tests/data/client_hello), with the
//! return values and `s2n_errno` s2n-tls gives.

use std::ffi::{CStr, c_int};
use std::ptr::{null, null_mut};

use s2nrs::api::client_hello::*;
use s2nrs::client_hello::*;
use s2nrs::types::{S2N_SUCCESS, TlsExtensionTypeArg, s2n_client_hello, s2n_tls_extension_type};

fn errno() -> c_int {
    // SAFETY: the shim's pointer to this thread's s2n_errno.
    unsafe { *errno_location() }
}

unsafe extern "C" {
    #[link_name = "s2n_errno_location"]
    fn errno_location() -> *mut c_int;
}

fn name(code: c_int) -> String {
    let name = s2nrs::api::error::s2n_strerror_name(code);
    // SAFETY: the library returns NUL-terminated static strings.
    unsafe { CStr::from_ptr(name) }
        .to_str()
        .unwrap()
        .to_string()
}

/// The name of the error a call that returned `rc` (-1) set.
fn failure(rc: impl TryInto<i64>) -> String {
    assert_eq!(rc.try_into().ok(), Some(-1));
    name(errno())
}

mod common;
use common::unhex;

const ALPN: &str = include_str!("data/client_hello/openssl_alpn.hex");
const TLS12: &str = include_str!("data/client_hello/gnutls_tls12_sni.hex");
const OPENSSL_TLS12: &str = include_str!("data/client_hello/openssl_tls12.hex");

/// An application-owned ClientHello, freed on drop.
struct Parsed(*mut s2n_client_hello);

impl Parsed {
    fn new(msg: &[u8]) -> Self {
        let ch = s2n_client_hello_parse_message(msg.as_ptr(), msg.len() as u32);
        assert!(!ch.is_null(), "{}", name(errno()));
        Self(ch)
    }
}

impl Drop for Parsed {
    fn drop(&mut self) {
        assert_eq!(s2n_client_hello_free(&mut self.0), S2N_SUCCESS);
    }
}

fn ext(ty: s2n_tls_extension_type) -> TlsExtensionTypeArg {
    ty.into()
}

/// Named so that `cargo test client_hello` runs them.
mod client_hello {
    use super::*;

    #[test]
    fn parse_message_failures() {
        let parse = |msg: &[u8]| s2n_client_hello_parse_message(msg.as_ptr(), msg.len() as u32);
        assert!(s2n_client_hello_parse_message(null(), 0).is_null());
        assert_eq!(name(errno()), "S2N_ERR_SIZE_MISMATCH");
        assert!(s2n_client_hello_parse_message(null(), 10).is_null());
        assert_eq!(name(errno()), "S2N_ERR_SAFETY");
        assert!(parse(&[1, 0, 0]).is_null());
        assert_eq!(name(errno()), "S2N_ERR_SIZE_MISMATCH");
        assert!(parse(&[2, 0, 0, 1, 0]).is_null());
        assert_eq!(name(errno()), "S2N_ERR_BAD_MESSAGE");
        assert!(parse(&[1, 0, 0, 1, 3]).is_null());
        assert_eq!(name(errno()), "S2N_ERR_STUFFER_OUT_OF_DATA");
        let mut msg = unhex(ALPN);
        msg.push(0);
        assert!(parse(&msg).is_null());
        assert_eq!(name(errno()), "S2N_ERR_BAD_MESSAGE");
    }

    #[test]
    fn free_rules() {
        assert_eq!(failure(s2n_client_hello_free(null_mut())), "S2N_ERR_NULL");
        let mut ch: *mut s2n_client_hello = null_mut();
        for _ in 0..3 {
            assert_eq!(s2n_client_hello_free(&mut ch), S2N_SUCCESS);
            assert!(ch.is_null());
        }
        let msg = unhex(ALPN);
        let mut ch = s2n_client_hello_parse_message(msg.as_ptr(), msg.len() as u32);
        assert!(!ch.is_null());
        for _ in 0..3 {
            assert_eq!(s2n_client_hello_free(&mut ch), S2N_SUCCESS);
            assert!(ch.is_null());
        }

        // A connection's ClientHello is not the application's to free.
        let owned = Box::new(ClientHelloHandle::received(&msg, [3, 1]).unwrap());
        let mut ch = owned.as_handle();
        let before = ch;
        assert_eq!(
            failure(s2n_client_hello_free(&mut ch)),
            "S2N_ERR_INVALID_ARGUMENT"
        );
        assert_eq!(ch, before);
        assert_eq!(s2n_client_hello_get_raw_message_length(ch), 330);
    }

    #[test]
    fn raw_message() {
        let msg = unhex(ALPN);
        let ch = Parsed::new(&msg);
        let mut expected = msg[4..].to_vec();
        expected[2..34].fill(0);
        assert_eq!(s2n_client_hello_get_raw_message_length(ch.0), 330);

        let mut out = vec![0xee; 400];
        assert_eq!(
            s2n_client_hello_get_raw_message(ch.0, out.as_mut_ptr(), 400),
            330
        );
        assert_eq!(&out[..330], &expected[..]);
        assert_eq!(out[330], 0xee);
        // A smaller buffer gets what fits.
        let mut out = vec![0xee; 400];
        assert_eq!(
            s2n_client_hello_get_raw_message(ch.0, out.as_mut_ptr(), 329),
            329
        );
        assert_eq!(&out[..329], &expected[..329]);
        assert_eq!(out[329], 0xee);
        assert_eq!(
            s2n_client_hello_get_raw_message(ch.0, out.as_mut_ptr(), 0),
            0
        );

        assert_eq!(
            failure(s2n_client_hello_get_raw_message_length(null_mut())),
            "S2N_ERR_NULL"
        );
        let rc = s2n_client_hello_get_raw_message(null_mut(), out.as_mut_ptr(), 10);
        assert_eq!(failure(rc), "S2N_ERR_NULL");
        let rc = s2n_client_hello_get_raw_message(ch.0, null_mut(), 0);
        assert_eq!(failure(rc), "S2N_ERR_NULL");
    }

    #[test]
    fn cipher_suites_and_extensions() {
        let msg = unhex(ALPN);
        let ch = Parsed::new(&msg);
        // Header, version, random, a 32-byte session id, the suites' length, 62 bytes of suites.
        let suites = &msg[4 + 2 + 32 + 33 + 2..][..62];
        let block = &msg[msg.len() - 195..];
        assert_eq!(s2n_client_hello_get_cipher_suites_length(ch.0), 62);
        let mut out = [0u8; 512];
        assert_eq!(
            s2n_client_hello_get_cipher_suites(ch.0, out.as_mut_ptr(), 512),
            62
        );
        assert_eq!(&out[..62], suites);
        assert_eq!(
            s2n_client_hello_get_cipher_suites(ch.0, out.as_mut_ptr(), 3),
            3
        );
        assert_eq!(s2n_client_hello_get_extensions_length(ch.0), 195);
        assert_eq!(
            s2n_client_hello_get_extensions(ch.0, out.as_mut_ptr(), 512),
            195
        );
        assert_eq!(&out[..195], block);
        assert_eq!(
            s2n_client_hello_get_extensions(ch.0, out.as_mut_ptr(), 100),
            100
        );

        for rc in [
            s2n_client_hello_get_cipher_suites_length(null_mut()),
            s2n_client_hello_get_cipher_suites(null_mut(), out.as_mut_ptr(), 10),
            s2n_client_hello_get_cipher_suites(ch.0, null_mut(), 10),
            s2n_client_hello_get_extensions_length(null_mut()),
            s2n_client_hello_get_extensions(null_mut(), out.as_mut_ptr(), 10),
            s2n_client_hello_get_extensions(ch.0, null_mut(), 10),
        ] {
            assert_eq!(failure(rc), "S2N_ERR_NULL");
        }
    }

    #[test]
    fn extensions_by_type() {
        use s2n_tls_extension_type::*;
        let ch = Parsed::new(&unhex(ALPN));
        let sni = b"\x00\x12\x00\x00\x0fwww.example.org";
        assert_eq!(
            s2n_client_hello_get_extension_length(ch.0, ext(S2N_EXTENSION_SERVER_NAME)),
            20
        );
        let mut out = [0u8; 64];
        let rc = s2n_client_hello_get_extension_by_id(
            ch.0,
            ext(S2N_EXTENSION_SERVER_NAME),
            out.as_mut_ptr(),
            64,
        );
        assert_eq!(rc, 20);
        assert_eq!(&out[..20], sni);
        let rc = s2n_client_hello_get_extension_by_id(
            ch.0,
            ext(S2N_EXTENSION_SERVER_NAME),
            out.as_mut_ptr(),
            19,
        );
        assert_eq!(rc, 19);
        let alpn = ext(S2N_EXTENSION_ALPN);
        assert_eq!(s2n_client_hello_get_extension_length(ch.0, alpn), 14);
        // Not received: 0, with the reason in s2n_errno.
        let sct = ext(S2N_EXTENSION_CERTIFICATE_TRANSPARENCY);
        assert_eq!(s2n_client_hello_get_extension_length(ch.0, sct), 0);
        assert_eq!(name(errno()), "S2N_ERR_EXTENSION_NOT_RECEIVED");
        assert_eq!(
            s2n_client_hello_get_extension_by_id(ch.0, sct, out.as_mut_ptr(), 64),
            0
        );
        assert_eq!(name(errno()), "S2N_ERR_EXTENSION_NOT_RECEIVED");
        // Any type s2n implements can be asked for: key_share (51).
        assert_eq!(
            s2n_client_hello_get_extension_length(ch.0, TlsExtensionTypeArg(51)),
            38
        );
        // Received but of a type s2n does not implement (encrypt_then_mac): 0.
        assert_eq!(
            s2n_client_hello_get_extension_length(ch.0, TlsExtensionTypeArg(22)),
            0
        );
        assert_eq!(name(errno()), "S2N_ERR_UNRECOGNIZED_EXTENSION");
        // C converts the enum to uint16_t: 0x10000 finds server_name, then fails the type check.
        assert_eq!(
            s2n_client_hello_get_extension_length(ch.0, TlsExtensionTypeArg(0x10000)),
            0
        );
        assert_eq!(name(errno()), "S2N_ERR_INVALID_PARSED_EXTENSIONS");

        let null_ch =
            s2n_client_hello_get_extension_length(null_mut(), ext(S2N_EXTENSION_SERVER_NAME));
        assert_eq!(failure(null_ch), "S2N_ERR_NULL");
        let rc = s2n_client_hello_get_extension_by_id(null_mut(), alpn, out.as_mut_ptr(), 64);
        assert_eq!(failure(rc), "S2N_ERR_NULL");
        let rc = s2n_client_hello_get_extension_by_id(ch.0, sct, null_mut(), 64);
        assert_eq!(failure(rc), "S2N_ERR_NULL");

        // has_extension takes any IANA value.
        let mut exists = false;
        for (iana, expected) in [
            (0, true),
            (22, true),
            (51, true),
            (18, false),
            (0xffff, false),
        ] {
            assert_eq!(
                s2n_client_hello_has_extension(ch.0, iana, &mut exists),
                S2N_SUCCESS
            );
            assert_eq!(exists, expected, "{iana}");
        }
        exists = false;
        assert_eq!(
            failure(s2n_client_hello_has_extension(null_mut(), 0, &mut exists)),
            "S2N_ERR_NULL"
        );
        assert!(!exists);
        assert_eq!(
            failure(s2n_client_hello_has_extension(ch.0, 0, null_mut())),
            "S2N_ERR_NULL"
        );
    }

    #[test]
    fn session_id_and_compression() {
        let msg = unhex(ALPN);
        let ch = Parsed::new(&msg);
        let mut len = 0u32;
        assert_eq!(
            s2n_client_hello_get_session_id_length(ch.0, &mut len),
            S2N_SUCCESS
        );
        assert_eq!(len, 32);
        let mut out = [0u8; 40];
        let rc = s2n_client_hello_get_session_id(ch.0, out.as_mut_ptr(), &mut len, 40);
        assert_eq!(rc, S2N_SUCCESS);
        assert_eq!(len, 32);
        assert_eq!(&out[..32], &msg[39..71]);
        let rc = s2n_client_hello_get_session_id(ch.0, out.as_mut_ptr(), &mut len, 5);
        assert_eq!((rc, len), (S2N_SUCCESS, 5));
        let no_id = Parsed::new(&unhex(OPENSSL_TLS12));
        assert_eq!(
            s2n_client_hello_get_session_id_length(no_id.0, &mut len),
            S2N_SUCCESS
        );
        assert_eq!(len, 0);
        assert_eq!(
            failure(s2n_client_hello_get_session_id_length(null_mut(), &mut len)),
            "S2N_ERR_NULL"
        );
        assert_eq!(
            failure(s2n_client_hello_get_session_id_length(ch.0, null_mut())),
            "S2N_ERR_NULL"
        );
        let rc = s2n_client_hello_get_session_id(ch.0, null_mut(), &mut len, 40);
        assert_eq!(failure(rc), "S2N_ERR_NULL");
        let rc = s2n_client_hello_get_session_id(ch.0, out.as_mut_ptr(), null_mut(), 40);
        assert_eq!(failure(rc), "S2N_ERR_NULL");

        assert_eq!(
            s2n_client_hello_get_compression_methods_length(ch.0, &mut len),
            S2N_SUCCESS
        );
        assert_eq!(len, 1);
        let mut list = [0xeeu8; 4];
        let mut out_len = 99u32;
        let rc = s2n_client_hello_get_compression_methods(ch.0, list.as_mut_ptr(), 4, &mut out_len);
        assert_eq!((rc, out_len, list[0], list[1]), (S2N_SUCCESS, 1, 0, 0xee));
        out_len = 99;
        let rc = s2n_client_hello_get_compression_methods(ch.0, list.as_mut_ptr(), 0, &mut out_len);
        assert_eq!(failure(rc), "S2N_ERR_INSUFFICIENT_MEM_SIZE");
        assert_eq!(out_len, 99);
        let rc = s2n_client_hello_get_compression_methods(ch.0, null_mut(), 4, &mut out_len);
        assert_eq!(failure(rc), "S2N_ERR_NULL");
        let rc = s2n_client_hello_get_compression_methods(ch.0, list.as_mut_ptr(), 4, null_mut());
        assert_eq!(failure(rc), "S2N_ERR_NULL");
        let rc = s2n_client_hello_get_compression_methods_length(null_mut(), &mut len);
        assert_eq!(failure(rc), "S2N_ERR_NULL");
    }

    #[test]
    fn versions_and_random() {
        let msg = unhex(ALPN);
        let ch = Parsed::new(&msg);
        let mut version = 0u8;
        assert_eq!(
            s2n_client_hello_get_legacy_protocol_version(ch.0, &mut version),
            S2N_SUCCESS
        );
        assert_eq!(version, 33);
        // No record seen for a parsed message.
        version = 7;
        let rc = s2n_client_hello_get_legacy_record_version(ch.0, &mut version);
        assert_eq!(failure(rc), "S2N_ERR_INVALID_ARGUMENT");
        assert_eq!(version, 7);
        let received = Box::new(ClientHelloHandle::received(&unhex(TLS12), [3, 3]).unwrap());
        let rc = s2n_client_hello_get_legacy_record_version(received.as_handle(), &mut version);
        assert_eq!((rc, version), (S2N_SUCCESS, 33));
        let received = Box::new(ClientHelloHandle::received(&msg, [3, 1]).unwrap());
        let rc = s2n_client_hello_get_legacy_record_version(received.as_handle(), &mut version);
        assert_eq!((rc, version), (S2N_SUCCESS, 31));
        for rc in [
            s2n_client_hello_get_legacy_protocol_version(null_mut(), &mut version),
            s2n_client_hello_get_legacy_protocol_version(ch.0, null_mut()),
            s2n_client_hello_get_legacy_record_version(null_mut(), &mut version),
            s2n_client_hello_get_legacy_record_version(ch.0, null_mut()),
        ] {
            assert_eq!(failure(rc), "S2N_ERR_NULL");
        }

        let mut out = [0u8; 42];
        assert_eq!(
            s2n_client_hello_get_random(ch.0, out.as_mut_ptr(), 42),
            S2N_SUCCESS
        );
        assert_eq!(&out[..32], &msg[6..38]);
        assert_eq!(out[32..], [0; 10]);
        let rc = s2n_client_hello_get_random(ch.0, out.as_mut_ptr(), 31);
        assert_eq!(failure(rc), "S2N_ERR_INSUFFICIENT_MEM_SIZE");
        assert_eq!(
            failure(s2n_client_hello_get_random(ch.0, null_mut(), 32)),
            "S2N_ERR_NULL"
        );
        let rc = s2n_client_hello_get_random(null_mut(), out.as_mut_ptr(), 32);
        assert_eq!(failure(rc), "S2N_ERR_NULL");
    }

    #[test]
    fn supported_groups() {
        let ch = Parsed::new(&unhex(ALPN));
        let mut groups = [0u16; 12];
        let mut count = 99u16;
        let rc = s2n_client_hello_get_supported_groups(ch.0, groups.as_mut_ptr(), 12, &mut count);
        assert_eq!(rc, S2N_SUCCESS);
        assert_eq!(count, 10);
        assert_eq!(groups[..10], [29, 23, 30, 25, 24, 256, 257, 258, 259, 260]);
        assert_eq!(groups[10..], [0, 0]);
        count = 99;
        let rc = s2n_client_hello_get_supported_groups(ch.0, groups.as_mut_ptr(), 10, &mut count);
        assert_eq!((rc, count), (S2N_SUCCESS, 10));
        count = 99;
        let rc = s2n_client_hello_get_supported_groups(ch.0, groups.as_mut_ptr(), 9, &mut count);
        assert_eq!(failure(rc), "S2N_ERR_INSUFFICIENT_MEM_SIZE");
        assert_eq!(count, 0);

        count = 99;
        let rc =
            s2n_client_hello_get_supported_groups(null_mut(), groups.as_mut_ptr(), 12, &mut count);
        assert_eq!((failure(rc), count), ("S2N_ERR_NULL".to_string(), 0));
        count = 99;
        let rc = s2n_client_hello_get_supported_groups(ch.0, null_mut(), 12, &mut count);
        assert_eq!((failure(rc), count), ("S2N_ERR_NULL".to_string(), 0));
        let rc = s2n_client_hello_get_supported_groups(ch.0, groups.as_mut_ptr(), 12, null_mut());
        assert_eq!(failure(rc), "S2N_ERR_NULL");

        // A ClientHello without the extension.
        let mut body = vec![3, 3];
        body.extend([0; 32]);
        body.extend([0, 0, 2, 0xc0, 0x2f, 1, 0, 0, 0]);
        let mut msg = vec![1, 0, 0, body.len() as u8];
        msg.extend(body);
        let bare = Parsed::new(&msg);
        count = 99;
        let rc = s2n_client_hello_get_supported_groups(bare.0, groups.as_mut_ptr(), 12, &mut count);
        assert_eq!(
            (failure(rc), count),
            ("S2N_ERR_EXTENSION_NOT_RECEIVED".to_string(), 0)
        );
        let mut len = 5u16;
        let rc = s2n_client_hello_get_server_name_length(bare.0, &mut len);
        assert_eq!(
            (failure(rc), len),
            ("S2N_ERR_EXTENSION_NOT_RECEIVED".to_string(), 0)
        );
        let mut exists = true;
        assert_eq!(
            s2n_client_hello_has_extension(bare.0, 10, &mut exists),
            S2N_SUCCESS
        );
        assert!(!exists);
        assert_eq!(s2n_client_hello_get_extensions_length(bare.0), 0);
        let mut out = [0u8; 4];
        assert_eq!(
            s2n_client_hello_get_extensions(bare.0, out.as_mut_ptr(), 4),
            0
        );
    }

    #[test]
    fn server_name() {
        let ch = Parsed::new(&unhex(TLS12));
        let mut len = 0u16;
        assert_eq!(
            s2n_client_hello_get_server_name_length(ch.0, &mut len),
            S2N_SUCCESS
        );
        assert_eq!(len, 14);
        let mut buf = [0xeeu8; 20];
        let mut out_len = 99u16;
        let rc = s2n_client_hello_get_server_name(ch.0, buf.as_mut_ptr(), 20, &mut out_len);
        assert_eq!((rc, out_len), (S2N_SUCCESS, 14));
        assert_eq!(&buf[..14], b"gnutls.example");
        assert_eq!(buf[14], 0xee);
        let rc = s2n_client_hello_get_server_name(ch.0, buf.as_mut_ptr(), 14, &mut out_len);
        assert_eq!((rc, out_len), (S2N_SUCCESS, 14));
        out_len = 99;
        let rc = s2n_client_hello_get_server_name(ch.0, buf.as_mut_ptr(), 13, &mut out_len);
        assert_eq!(failure(rc), "S2N_ERR_SAFETY");
        assert_eq!(out_len, 0);

        let no_sni = Parsed::new(&unhex(OPENSSL_TLS12));
        out_len = 99;
        let rc = s2n_client_hello_get_server_name(no_sni.0, buf.as_mut_ptr(), 20, &mut out_len);
        assert_eq!(
            (failure(rc), out_len),
            ("S2N_ERR_EXTENSION_NOT_RECEIVED".to_string(), 0)
        );

        for rc in [
            s2n_client_hello_get_server_name_length(null_mut(), &mut len),
            s2n_client_hello_get_server_name_length(ch.0, null_mut()),
            s2n_client_hello_get_server_name(null_mut(), buf.as_mut_ptr(), 20, &mut out_len),
            s2n_client_hello_get_server_name(ch.0, null_mut(), 20, &mut out_len),
            s2n_client_hello_get_server_name(ch.0, buf.as_mut_ptr(), 20, null_mut()),
        ] {
            assert_eq!(failure(rc), "S2N_ERR_NULL");
        }
    }
}
