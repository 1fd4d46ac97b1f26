//! `s2n/unstable/fingerprint.h`: the exported functions of `crate::unstable::fingerprint`
//! (C arguments in, the core called, s2n's result out).

use crate::error::Error;
use crate::error::S2N_ERR_INSUFFICIENT_MEM_SIZE;
use crate::error::S2N_ERR_INVALID_ARGUMENT;
use crate::error::S2N_ERR_INVALID_STATE;
use crate::ffi;
use crate::ffi::BoxHandle;
use crate::types::*;
use crate::unstable::fingerprint::ja3;
use crate::unstable::fingerprint::s2n_fingerprint_type::S2N_FINGERPRINT_JA3;
use crate::unstable::fingerprint::*;
use std::ffi::c_int;
use std::sync::Mutex;

/// A reusable fingerprint of the given type; an unknown type is
/// `S2N_ERR_INVALID_ARGUMENT` (and NULL is returned).
#[unsafe(no_mangle)]
pub extern "C" fn s2n_fingerprint_new(r#type: FingerprintTypeArg) -> *mut s2n_fingerprint {
    ffi::entry(|| {
        let kind = r#type.get()?;
        Ok(s2n_fingerprint::into_handle(Fingerprint {
            kind,
            state: Mutex::new(State {
                // Room for the raw string of most ClientHellos: as in s2n,
                // computing fingerprints with a reused object allocates nothing.
                scratch: Vec::with_capacity(SCRATCH_CAPACITY),
                ..State::default()
            }),
        }))
    })
}

/// Frees a fingerprint and sets `*fingerprint` to NULL; NULL (or a NULL
/// `*fingerprint`) is a no-op.
#[unsafe(no_mangle)]
pub extern "C" fn s2n_fingerprint_free(fingerprint: *mut *mut s2n_fingerprint) -> c_int {
    ffi::entry(|| {
        s2n_fingerprint::free_slot(fingerprint)?;
        Ok(S2N_SUCCESS)
    })
}

/// Forgets the ClientHello and the computed raw size, for reuse.
#[unsafe(no_mangle)]
pub extern "C" fn s2n_fingerprint_wipe(fingerprint: *mut s2n_fingerprint) -> c_int {
    ffi::entry(|| {
        let mut state = crate::unstable::fingerprint::fingerprint(fingerprint)?.state();
        state.hello = None;
        state.raw_size = 0;
        Ok(S2N_SUCCESS)
    })
}

/// Sets the ClientHello to fingerprint (not copied), resetting the raw size.
#[unsafe(no_mangle)]
pub extern "C" fn s2n_fingerprint_set_client_hello(
    fingerprint: *mut s2n_fingerprint,
    ch: *mut s2n_client_hello,
) -> c_int {
    ffi::entry(|| {
        let fingerprint = crate::unstable::fingerprint::fingerprint(fingerprint)?;
        client_hello(ch)?;
        // s2n refuses SSLv2 ClientHellos here with
        // S2N_ERR_PROTOCOL_VERSION_UNSUPPORTED; s2nrs never has one.
        let mut state = fingerprint.state();
        state.hello = Some(ClientHelloPtr(ch as usize));
        state.raw_size = 0;
        Ok(S2N_SUCCESS)
    })
}

/// The length of this fingerprint type's hash string: 32 for JA3, 36 for JA4.
#[unsafe(no_mangle)]
pub extern "C" fn s2n_fingerprint_get_hash_size(
    fingerprint: *const s2n_fingerprint,
    size: *mut u32,
) -> c_int {
    ffi::entry(|| {
        let fingerprint = crate::unstable::fingerprint::fingerprint(fingerprint)?;
        non_null(size)?;
        *ffi::out(size)? = to_u32(fingerprint.hash_size());
        Ok(S2N_SUCCESS)
    })
}

/// Writes the hash string (JA3: hex MD5; JA4: "prefix_hash_hash"), not
/// NUL-terminated. A buffer under the hash size is
/// `S2N_ERR_INSUFFICIENT_MEM_SIZE`; no ClientHello set `S2N_ERR_INVALID_STATE`.
#[unsafe(no_mangle)]
pub extern "C" fn s2n_fingerprint_get_hash(
    fingerprint: *mut s2n_fingerprint,
    max_output_size: u32,
    output: *mut u8,
    output_size: *mut u32,
) -> c_int {
    ffi::entry(|| {
        let fingerprint = crate::unstable::fingerprint::fingerprint(fingerprint)?;
        if to_usize(max_output_size) < fingerprint.hash_size() {
            return Err(Error::new(S2N_ERR_INSUFFICIENT_MEM_SIZE));
        }
        non_null(output)?;
        non_null(output_size)?;
        let output_size = ffi::out(output_size)?;
        *output_size = 0;
        *output_size = to_u32(fingerprint.hash(|hash| write_output(output, hash))?);
        Ok(S2N_SUCCESS)
    })
}

/// The length of the raw string, known once `s2n_fingerprint_get_hash` or
/// `s2n_fingerprint_get_raw` succeeded for the current ClientHello
/// (`S2N_ERR_INVALID_STATE` before).
#[unsafe(no_mangle)]
pub extern "C" fn s2n_fingerprint_get_raw_size(
    fingerprint: *const s2n_fingerprint,
    size: *mut u32,
) -> c_int {
    ffi::entry(|| {
        let fingerprint = crate::unstable::fingerprint::fingerprint(fingerprint)?;
        non_null(size)?;
        let raw_size = fingerprint.state().raw_size;
        if raw_size == 0 {
            return Err(Error::new(S2N_ERR_INVALID_STATE));
        }
        *ffi::out(size)? = to_u32(raw_size);
        Ok(S2N_SUCCESS)
    })
}

/// Writes the raw string (JA3: decimal lists; JA4: prefix and hex lists), not
/// NUL-terminated. A buffer too small for it fails as s2n does
/// (`S2N_ERR_INSUFFICIENT_MEM_SIZE`, or `S2N_ERR_STUFFER_IS_FULL` within
/// JA4's prefix and separators); no ClientHello set is `S2N_ERR_INVALID_STATE`.
#[unsafe(no_mangle)]
pub extern "C" fn s2n_fingerprint_get_raw(
    fingerprint: *mut s2n_fingerprint,
    max_output_size: u32,
    output: *mut u8,
    output_size: *mut u32,
) -> c_int {
    ffi::entry(|| {
        let fingerprint = crate::unstable::fingerprint::fingerprint(fingerprint)?;
        if max_output_size == 0 {
            return Err(Error::new(S2N_ERR_INSUFFICIENT_MEM_SIZE));
        }
        non_null(output)?;
        non_null(output_size)?;
        let output_size = ffi::out(output_size)?;
        *output_size = 0;
        let max = to_usize(max_output_size);
        *output_size = to_u32(fingerprint.raw(max, |raw| write_output(output, raw))?);
        Ok(S2N_SUCCESS)
    })
}

/// The older one-shot JA3 API: writes the 16-byte MD5 digest (not hex) and
/// sets `*str_size` to the raw string's length. Only `S2N_FINGERPRINT_JA3`
/// is accepted; a buffer under 16 bytes is `S2N_ERR_INSUFFICIENT_MEM_SIZE`.
#[unsafe(no_mangle)]
pub extern "C" fn s2n_client_hello_get_fingerprint_hash(
    ch: *mut s2n_client_hello,
    r#type: FingerprintTypeArg,
    max_hash_size: u32,
    hash: *mut u8,
    hash_size: *mut u32,
    str_size: *mut u32,
) -> c_int {
    ffi::entry(|| {
        if r#type != FingerprintTypeArg::from(S2N_FINGERPRINT_JA3) {
            return Err(Error::new(S2N_ERR_INVALID_ARGUMENT));
        }
        if to_usize(max_hash_size) < MD5_DIGEST_LENGTH {
            return Err(Error::new(S2N_ERR_INSUFFICIENT_MEM_SIZE));
        }
        non_null(str_size)?;
        non_null(hash_size)?;
        non_null(hash)?;
        let hello = client_hello(ch)?;

        let mut out = Out::md5();
        ja3::write(hello, &mut out)?;
        let str_len = out.len();
        write_output(hash, &out.digest())?;
        *ffi::out(hash_size)? = to_u32(MD5_DIGEST_LENGTH);
        *ffi::out(str_size)? = to_u32(str_len);
        Ok(S2N_SUCCESS)
    })
}

/// The older one-shot JA3 API: writes the raw JA3 string. Only
/// `S2N_FINGERPRINT_JA3` is accepted; a buffer too small is
/// `S2N_ERR_INSUFFICIENT_MEM_SIZE`.
#[unsafe(no_mangle)]
pub extern "C" fn s2n_client_hello_get_fingerprint_string(
    ch: *mut s2n_client_hello,
    r#type: FingerprintTypeArg,
    max_size: u32,
    output: *mut u8,
    output_size: *mut u32,
) -> c_int {
    ffi::entry(|| {
        if r#type != FingerprintTypeArg::from(S2N_FINGERPRINT_JA3) {
            return Err(Error::new(S2N_ERR_INVALID_ARGUMENT));
        }
        let hello = client_hello(ch)?;
        if max_size == 0 {
            return Err(Error::new(S2N_ERR_INSUFFICIENT_MEM_SIZE));
        }
        non_null(output)?;
        non_null(output_size)?;
        let output_size = ffi::out(output_size)?;
        *output_size = 0;
        let raw = raw_string(S2N_FINGERPRINT_JA3, hello, to_usize(max_size))?;
        write_output(output, &raw)?;
        *output_size = to_u32(raw.len());
        Ok(S2N_SUCCESS)
    })
}
