//! `s2n/unstable/fingerprint.h` through its extern "C" functions: argument
//! checks, call order, buffer sizes and both fingerprint types, with the
//! return values and `s2n_errno` s2n-tls gives (its s2n_fingerprint_test.c,
//! s2n_fingerprint_ja3_test.c and s2n_fingerprint_ja4_test.c).

use std::ffi::{CStr, c_int};
use std::ptr::{null, null_mut};

use s2nrs::api::client_hello::*;
use s2nrs::api::unstable::fingerprint::*;
use s2nrs::types::{S2N_SUCCESS, s2n_client_hello};
use s2nrs::unstable::fingerprint::s2n_fingerprint_type::{
    S2N_FINGERPRINT_JA3 as JA3, S2N_FINGERPRINT_JA4 as JA4,
};
use s2nrs::unstable::fingerprint::*;

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
fn failure(rc: c_int) -> String {
    assert_eq!(rc, -1);
    name(errno())
}

mod common;
use common::unhex;

const KNOWN_VALUES: &str = include_str!("data/fingerprint/s2n_known_values.txt");

/// (name, message, expected JA3, expected JA3 MD5, expected JA4) of each record.
type Known = (
    String,
    Vec<u8>,
    Option<String>,
    Option<String>,
    Option<String>,
);

fn known_values() -> Vec<Known> {
    KNOWN_VALUES
        .split("\n\n")
        .filter_map(|record| {
            let get = |key: &str| {
                record
                    .lines()
                    .find_map(|l| l.strip_prefix(key).map(|v| v.to_string()))
            };
            Some((
                get("name: ")?,
                unhex(&get("hello: ")?),
                get("ja3: "),
                get("ja3_md5: "),
                get("ja4: "),
            ))
        })
        .collect()
}

/// s2n's minimal TLS1.2 ClientHello: one cipher suite, no extensions. Its
/// JA3 string is "771,49199,,," (12 bytes).
fn minimal(version: [u8; 2]) -> Vec<u8> {
    let mut msg = vec![1, 0, 0, 43, version[0], version[1]];
    msg.extend_from_slice(&[0; 32]);
    msg.extend_from_slice(&[0, 0, 2, 0xc0, 0x2f, 1, 0, 0, 0]);
    msg
}

/// An application-owned ClientHello, freed on drop.
struct Hello(*mut s2n_client_hello);

impl Hello {
    fn new(msg: &[u8]) -> Self {
        let ch = s2n_client_hello_parse_message(msg.as_ptr(), msg.len() as u32);
        assert!(!ch.is_null(), "{}", name(errno()));
        Self(ch)
    }
}

impl Drop for Hello {
    fn drop(&mut self) {
        assert_eq!(s2n_client_hello_free(&mut self.0), S2N_SUCCESS);
    }
}

/// A fingerprint, freed on drop.
struct Fp(*mut s2n_fingerprint);

impl Fp {
    fn new(kind: s2n_fingerprint_type) -> Self {
        let fp = s2n_fingerprint_new(kind.into());
        assert!(!fp.is_null());
        Self(fp)
    }

    fn with(kind: s2n_fingerprint_type, hello: &Hello) -> Self {
        let fp = Self::new(kind);
        assert_eq!(s2n_fingerprint_set_client_hello(fp.0, hello.0), S2N_SUCCESS);
        fp
    }

    fn hash(&self) -> Result<String, String> {
        let mut out = [0u8; 100];
        let mut size = 0;
        match s2n_fingerprint_get_hash(self.0, 100, out.as_mut_ptr(), &mut size) {
            0 => Ok(String::from_utf8(out[..size as usize].to_vec()).unwrap()),
            rc => Err(failure(rc)),
        }
    }

    fn raw(&self, max: u32) -> Result<String, String> {
        let mut out = vec![0u8; max as usize + 1];
        let mut size = 99;
        match s2n_fingerprint_get_raw(self.0, max, out.as_mut_ptr(), &mut size) {
            0 => Ok(String::from_utf8(out[..size as usize].to_vec()).unwrap()),
            rc => {
                // Zeroed once the arguments passed their checks (max 0 does not).
                assert_eq!(size, if max == 0 { 99 } else { 0 });
                Err(failure(rc))
            }
        }
    }

    fn raw_size(&self) -> Result<u32, String> {
        let mut size = 0;
        match s2n_fingerprint_get_raw_size(self.0, &mut size) {
            0 => Ok(size),
            rc => Err(failure(rc)),
        }
    }
}

impl Drop for Fp {
    fn drop(&mut self) {
        assert_eq!(s2n_fingerprint_free(&mut self.0), S2N_SUCCESS);
        assert!(self.0.is_null());
    }
}

/// Named so that `cargo test fingerprint` runs them.
mod fingerprint {
    use super::*;

    #[test]
    fn new_and_free() {
        assert!(s2n_fingerprint_new(FingerprintTypeArg(-1)).is_null());
        assert_eq!(name(errno()), "S2N_ERR_INVALID_ARGUMENT");
        assert!(s2n_fingerprint_new(FingerprintTypeArg(2)).is_null());
        assert_eq!(name(errno()), "S2N_ERR_INVALID_ARGUMENT");

        assert_eq!(s2n_fingerprint_free(null_mut()), S2N_SUCCESS);
        let mut fp = s2n_fingerprint_new(JA4.into());
        assert!(!fp.is_null());
        assert_eq!(s2n_fingerprint_free(&mut fp), S2N_SUCCESS);
        assert!(fp.is_null());
        assert_eq!(s2n_fingerprint_free(&mut fp), S2N_SUCCESS);
    }

    #[test]
    fn null_arguments() {
        let hello = Hello::new(&minimal([3, 3]));
        let fp = Fp::new(JA3);
        let mut out = [0u8; 100];
        let mut size = 0u32;
        let invalid = "S2N_ERR_INVALID_ARGUMENT";

        assert_eq!(failure(s2n_fingerprint_wipe(null_mut())), invalid);
        assert_eq!(
            failure(s2n_fingerprint_set_client_hello(fp.0, null_mut())),
            invalid
        );
        assert_eq!(
            failure(s2n_fingerprint_set_client_hello(null_mut(), hello.0)),
            invalid
        );
        assert_eq!(
            failure(s2n_fingerprint_get_hash_size(fp.0, null_mut())),
            invalid
        );
        assert_eq!(
            failure(s2n_fingerprint_get_hash_size(null(), &mut size)),
            invalid
        );
        assert_eq!(
            failure(s2n_fingerprint_get_raw_size(fp.0, null_mut())),
            invalid
        );
        assert_eq!(
            failure(s2n_fingerprint_get_raw_size(null(), &mut size)),
            invalid
        );

        let o = out.as_mut_ptr();
        for get in [s2n_fingerprint_get_hash, s2n_fingerprint_get_raw] {
            assert_eq!(failure(get(null_mut(), 100, o, &mut size)), invalid);
            assert_eq!(failure(get(fp.0, 100, null_mut(), &mut size)), invalid);
            assert_eq!(failure(get(fp.0, 100, o, null_mut())), invalid);
            // The size is checked before the pointers.
            let rc = get(fp.0, 0, null_mut(), null_mut());
            assert_eq!(failure(rc), "S2N_ERR_INSUFFICIENT_MEM_SIZE");
        }
    }

    #[test]
    fn hash_sizes() {
        for (kind, expected) in [(JA3, 32), (JA4, 36)] {
            let fp = Fp::new(kind);
            let mut size = 0;
            assert_eq!(s2n_fingerprint_get_hash_size(fp.0, &mut size), S2N_SUCCESS);
            assert_eq!(size, expected);
        }
    }

    #[test]
    fn calls_before_set_client_hello() {
        for kind in [JA3, JA4] {
            let fp = Fp::new(kind);
            assert_eq!(fp.hash().unwrap_err(), "S2N_ERR_INVALID_STATE");
            assert_eq!(fp.raw(100).unwrap_err(), "S2N_ERR_INVALID_STATE");
            assert_eq!(fp.raw_size().unwrap_err(), "S2N_ERR_INVALID_STATE");
        }
    }

    /// The raw size is known only once a hash or raw string was computed for
    /// the current ClientHello.
    #[test]
    fn raw_size_lifecycle() {
        let hello = Hello::new(&minimal([3, 3]));
        let fp = Fp::with(JA3, &hello);
        assert_eq!(fp.raw_size().unwrap_err(), "S2N_ERR_INVALID_STATE");
        assert_eq!(fp.hash().unwrap().len(), 32);
        assert_eq!(fp.raw_size(), Ok(12));

        assert_eq!(s2n_fingerprint_set_client_hello(fp.0, hello.0), S2N_SUCCESS);
        assert_eq!(fp.raw_size().unwrap_err(), "S2N_ERR_INVALID_STATE");
        assert_eq!(fp.raw(100).as_deref(), Ok("771,49199,,,"));
        assert_eq!(fp.raw_size(), Ok(12));

        // A failed computation leaves it as it was.
        assert_eq!(fp.raw(5).unwrap_err(), "S2N_ERR_INSUFFICIENT_MEM_SIZE");
        assert_eq!(fp.raw_size(), Ok(12));

        assert_eq!(s2n_fingerprint_wipe(fp.0), S2N_SUCCESS);
        assert_eq!(fp.raw_size().unwrap_err(), "S2N_ERR_INVALID_STATE");
        assert_eq!(fp.hash().unwrap_err(), "S2N_ERR_INVALID_STATE");
    }

    #[test]
    fn small_buffers() {
        let hello = Hello::new(&minimal([3, 3]));
        let ja3 = Fp::with(JA3, &hello);
        let mut out = [0u8; 64];
        let mut size = 0;
        for max in [0, 31] {
            let rc = s2n_fingerprint_get_hash(ja3.0, max, out.as_mut_ptr(), &mut size);
            assert_eq!(failure(rc), "S2N_ERR_INSUFFICIENT_MEM_SIZE");
        }
        let rc = s2n_fingerprint_get_hash(ja3.0, 32, out.as_mut_ptr(), &mut size);
        assert_eq!((rc, size), (S2N_SUCCESS, 32));
        for max in 0..12 {
            assert_eq!(ja3.raw(max).unwrap_err(), "S2N_ERR_INSUFFICIENT_MEM_SIZE");
        }
        assert_eq!(ja3.raw(12).as_deref(), Ok("771,49199,,,"));

        // JA4: "t12i010000_c02f_" (16 bytes); s2n writes the prefix and the
        // separators straight to its output, the lists through its hash helpers.
        let ja4 = Fp::with(JA4, &hello);
        let rc = s2n_fingerprint_get_hash(ja4.0, 35, out.as_mut_ptr(), &mut size);
        assert_eq!(failure(rc), "S2N_ERR_INSUFFICIENT_MEM_SIZE");
        let rc = s2n_fingerprint_get_hash(ja4.0, 36, out.as_mut_ptr(), &mut size);
        assert_eq!((rc, size), (S2N_SUCCESS, 36));
        assert_eq!(ja4.raw(16).as_deref(), Ok("t12i010000_c02f_"));
        for max in 1..16 {
            let expected = match max {
                11..=14 => "S2N_ERR_INSUFFICIENT_MEM_SIZE",
                _ => "S2N_ERR_STUFFER_IS_FULL",
            };
            assert_eq!(ja4.raw(max).unwrap_err(), expected, "{max}");
        }
    }

    /// s2n's reuse test: one fingerprint, two ClientHellos in turn.
    #[test]
    fn reuse() {
        let hellos = [Hello::new(&minimal([3, 3])), Hello::new(&minimal([3, 4]))];
        for kind in [JA3, JA4] {
            let fp = Fp::new(kind);
            let mut first: Vec<Option<(String, String)>> = vec![None, None];
            for i in 0..10 {
                let hello = &hellos[i % 2];
                assert_eq!(s2n_fingerprint_set_client_hello(fp.0, hello.0), S2N_SUCCESS);
                assert_eq!(fp.raw_size().unwrap_err(), "S2N_ERR_INVALID_STATE");
                let got = (fp.hash().unwrap(), fp.raw(100).unwrap());
                let expected = first[i % 2].get_or_insert_with(|| got.clone());
                assert_eq!(&got, expected);
                assert_eq!(s2n_fingerprint_wipe(fp.0), S2N_SUCCESS);
            }
            assert_ne!(first[0], first[1]);
        }
    }

    /// As s2n documents, the ClientHello is not copied (the caller keeps it
    /// alive while it is fingerprinted), so setting one allocates nothing;
    /// a new one set on the same fingerprint replaces it.
    #[test]
    fn client_hello_borrowed() {
        let fp = Fp::new(JA3);
        let first = Hello::new(&minimal([3, 3]));
        let second = Hello::new(&minimal([3, 1]));
        assert_eq!(s2n_fingerprint_set_client_hello(fp.0, first.0), S2N_SUCCESS);
        assert_eq!(fp.raw(100).as_deref(), Ok("771,49199,,,"));
        assert_eq!(
            s2n_fingerprint_set_client_hello(fp.0, second.0),
            S2N_SUCCESS
        );
        assert_eq!(fp.raw(100).as_deref(), Ok("769,49199,,,"));
    }

    #[test]
    fn known_values_both_types() {
        for (name, msg, ja3, ja3_md5, ja4) in known_values() {
            let hello = Hello::new(&msg);
            let fp3 = Fp::with(JA3, &hello);
            let fp4 = Fp::with(JA4, &hello);
            if let Some(ja3) = ja3 {
                assert_eq!(fp3.raw(1000).as_deref(), Ok(ja3.as_str()), "{name}");
                assert_eq!(fp3.raw_size(), Ok(ja3.len() as u32), "{name}");
            }
            if let Some(md5) = ja3_md5 {
                assert_eq!(fp3.hash().as_deref(), Ok(md5.as_str()), "{name}");
            }
            if let Some(ja4) = ja4 {
                assert_eq!(fp4.hash().as_deref(), Ok(ja4.as_str()), "{name}");
                let raw_size = fp4.raw_size().unwrap();
                assert_eq!(fp4.raw(1000).unwrap().len() as u32, raw_size, "{name}");
            }
        }
    }

    /// The older one-shot functions: JA3 only, the digest as 16 raw bytes.
    #[test]
    fn client_hello_get_fingerprint_hash() {
        let hello = Hello::new(&minimal([3, 3]));
        let mut out = [0u8; 64];
        let (mut hash_size, mut str_size) = (0u32, 0u32);
        let o = out.as_mut_ptr();
        let get = |ch, kind: FingerprintTypeArg, max, out, hs, ss| {
            s2n_client_hello_get_fingerprint_hash(ch, kind, max, out, hs, ss)
        };
        let (hs, ss): (*mut u32, *mut u32) = (&mut hash_size, &mut str_size);
        let invalid = "S2N_ERR_INVALID_ARGUMENT";
        assert_eq!(failure(get(hello.0, JA4.into(), 64, o, hs, ss)), invalid);
        assert_eq!(
            failure(get(hello.0, FingerprintTypeArg(7), 64, o, hs, ss)),
            invalid
        );
        assert_eq!(failure(get(null_mut(), JA3.into(), 64, o, hs, ss)), invalid);
        assert_eq!(
            failure(get(hello.0, JA3.into(), 64, null_mut(), hs, ss)),
            invalid
        );
        assert_eq!(
            failure(get(hello.0, JA3.into(), 64, o, null_mut(), ss)),
            invalid
        );
        assert_eq!(
            failure(get(hello.0, JA3.into(), 64, o, hs, null_mut())),
            invalid
        );
        for max in [0, 15] {
            let rc = get(hello.0, JA3.into(), max, o, hs, ss);
            assert_eq!(failure(rc), "S2N_ERR_INSUFFICIENT_MEM_SIZE");
        }
        assert_eq!(get(hello.0, JA3.into(), 16, o, hs, ss), S2N_SUCCESS);
        assert_eq!((hash_size, str_size), (16, 12));

        // The same digest as s2n_fingerprint_get_hash's hex.
        let fp = Fp::with(JA3, &hello);
        let hex: String = out[..16].iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(fp.hash(), Ok(hex));
        assert_eq!(fp.raw_size(), Ok(str_size));

        for (name, msg, _, md5, _) in known_values() {
            let Some(md5) = md5 else { continue };
            let hello = Hello::new(&msg);
            let (hs, ss) = (&mut hash_size, &mut str_size);
            assert_eq!(
                get(hello.0, JA3.into(), 64, out.as_mut_ptr(), hs, ss),
                S2N_SUCCESS
            );
            assert_eq!(&out[..16], &unhex(&md5)[..], "{name}");
        }
    }

    #[test]
    fn client_hello_get_fingerprint_string() {
        let hello = Hello::new(&minimal([3, 3]));
        let mut out = [0u8; 64];
        let mut size = 0u32;
        let o = out.as_mut_ptr();
        let get = s2n_client_hello_get_fingerprint_string;
        let invalid = "S2N_ERR_INVALID_ARGUMENT";
        assert_eq!(failure(get(hello.0, JA4.into(), 64, o, &mut size)), invalid);
        assert_eq!(
            failure(get(null_mut(), JA3.into(), 64, o, &mut size)),
            invalid
        );
        assert_eq!(
            failure(get(hello.0, JA3.into(), 64, null_mut(), &mut size)),
            invalid
        );
        assert_eq!(
            failure(get(hello.0, JA3.into(), 64, o, null_mut())),
            invalid
        );
        let rc = get(hello.0, JA3.into(), 0, null_mut(), &mut size);
        assert_eq!(failure(rc), "S2N_ERR_INSUFFICIENT_MEM_SIZE");
        for max in 1..12 {
            size = 99;
            let rc = get(hello.0, JA3.into(), max, o, &mut size);
            assert_eq!(failure(rc), "S2N_ERR_INSUFFICIENT_MEM_SIZE");
            assert_eq!(size, 0);
        }
        assert_eq!(get(hello.0, JA3.into(), 12, o, &mut size), S2N_SUCCESS);
        assert_eq!(&out[..size as usize], b"771,49199,,,");

        for (name, msg, ja3, _, _) in known_values() {
            let Some(ja3) = ja3 else { continue };
            let hello = Hello::new(&msg);
            let mut buf = vec![0u8; ja3.len()];
            let rc = get(
                hello.0,
                JA3.into(),
                ja3.len() as u32,
                buf.as_mut_ptr(),
                &mut size,
            );
            assert_eq!(rc, S2N_SUCCESS, "{name}");
            assert_eq!(buf, ja3.as_bytes(), "{name}");
        }
    }
}
