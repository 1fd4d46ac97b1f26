//! `s2n/unstable/fingerprint.h`: JA3 and JA4 fingerprints of a ClientHello,
//! as s2n-tls computes them (same strings, same hashes, same errors).
//!
//! Both methods produce a "raw" string and a "hash" string. The raw string is
//! written through the same sequence of writes s2n makes, into an [`Out`] of
//! the caller's buffer size, so that a buffer too small fails with the error
//! s2n gives at the write that overflows it (`S2N_ERR_INSUFFICIENT_MEM_SIZE`
//! for the list text, `S2N_ERR_STUFFER_IS_FULL` for JA4's fixed prefix and
//! separators). The hash string is computed from the unbounded raw string.
//!
//! As in s2n, `s2n_fingerprint_set_client_hello` keeps a pointer to the
//! ClientHello (the caller keeps it alive while it fingerprints it), and a
//! reused fingerprint computes hashes (and, for most ClientHellos, raw
//! strings) without allocating.

use std::ffi::c_int;
use std::sync::{Mutex, MutexGuard};

use aws_lc_rs::digest;

use crate::client_hello::ClientHello;
use crate::error::{
    Error, S2N_ERR_INSUFFICIENT_MEM_SIZE, S2N_ERR_INVALID_ARGUMENT, S2N_ERR_INVALID_STATE,
    S2N_ERR_STUFFER_IS_FULL, S2N_ERR_STUFFER_OUT_OF_DATA,
};
use crate::ffi::{self, BoxHandle, c_enum_arg};
use crate::types::*;

pub(crate) mod ja3;
mod ja4;
mod md5;
#[cfg(test)]
mod tests;

/// Opaque handle: `struct s2n_fingerprint` in C.
#[repr(C)]
pub struct s2n_fingerprint {
    _private: [u8; 0],
}

#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum s2n_fingerprint_type {
    S2N_FINGERPRINT_JA3 = 0,
    S2N_FINGERPRINT_JA4 = 1,
}
c_enum_arg!(FingerprintTypeArg => s2n_fingerprint_type { S2N_FINGERPRINT_JA3, S2N_FINGERPRINT_JA4 });

use s2n_fingerprint_type::{S2N_FINGERPRINT_JA3, S2N_FINGERPRINT_JA4};

/// Length of the JA3 hash string: an MD5 digest in hex.
pub(crate) const JA3_HASH_STR_SIZE: usize = 32;
/// Length of the JA4 hash string: "a_b_c" with a 10-character prefix and two
/// 12-character truncated SHA-256 digests in hex.
pub(crate) const JA4_HASH_STR_SIZE: usize = 36;
/// Length of a raw MD5 digest (`s2n_client_hello_get_fingerprint_hash`).
pub(crate) const MD5_DIGEST_LENGTH: usize = 16;

/// The text of a fingerprint as s2n writes it: into a caller's buffer of
/// `cap` bytes, or unbounded when it is going to be hashed. A JA3 hash is
/// computed as the text is written (`md5`), without keeping the text.
pub(crate) struct Out {
    text: Vec<u8>,
    cap: usize,
    md5: Option<md5::Md5>,
    hashed: usize,
}

impl Out {
    fn new(mut text: Vec<u8>, cap: usize) -> Self {
        text.clear();
        Self {
            text,
            cap,
            md5: None,
            hashed: 0,
        }
    }

    /// An unbounded text that is only hashed with MD5.
    pub(crate) fn md5() -> Self {
        Self {
            md5: Some(md5::Md5::default()),
            ..Self::new(Vec::new(), usize::MAX)
        }
    }

    /// Appends `bytes` whole, or fails with `full` when they do not fit.
    #[track_caller]
    fn put(&mut self, bytes: &[u8], full: c_int) -> Result<(), Error> {
        if let Some(md5) = &mut self.md5 {
            md5.update(bytes);
            self.hashed += bytes.len();
            return Ok(());
        }
        if self.cap - self.text.len() < bytes.len() {
            return Err(Error::new(full));
        }
        self.text.extend_from_slice(bytes);
        Ok(())
    }

    /// A write through s2n's fingerprint-hash helpers (the lists).
    #[track_caller]
    fn text(&mut self, bytes: &[u8]) -> Result<(), Error> {
        self.put(bytes, S2N_ERR_INSUFFICIENT_MEM_SIZE)
    }

    /// A write straight to s2n's output stuffer (JA4's prefix and separators).
    #[track_caller]
    fn direct(&mut self, bytes: &[u8]) -> Result<(), Error> {
        self.put(bytes, S2N_ERR_STUFFER_IS_FULL)
    }

    pub(crate) fn len(&self) -> usize {
        self.text.len() + self.hashed
    }

    /// The MD5 digest of what was written (an `Out::md5()`).
    pub(crate) fn digest(self) -> [u8; MD5_DIGEST_LENGTH] {
        self.md5.unwrap_or_default().finish()
    }
}

/// A big-endian u16 from a two-byte chunk; None for a trailing odd byte.
pub(crate) fn u16_of(pair: &[u8]) -> Option<u16> {
    match pair {
        [hi, lo] => Some(u16::from_be_bytes([*hi, *lo])),
        _ => None,
    }
}

/// A read past the end of an extension, as s2n's stuffer reports it.
#[track_caller]
pub(crate) fn out_of_data() -> Error {
    Error::new(S2N_ERR_STUFFER_OUT_OF_DATA)
}

/// Lowercase hex.
pub(crate) fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// Lowercase hex of an MD5 digest, on the stack.
pub(crate) fn md5_hex(digest: &[u8; MD5_DIGEST_LENGTH]) -> [u8; 2 * MD5_DIGEST_LENGTH] {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut hex = [0; 2 * MD5_DIGEST_LENGTH];
    for (pair, b) in hex.chunks_exact_mut(2).zip(digest) {
        pair[0] = DIGITS[usize::from(b >> 4)];
        pair[1] = DIGITS[usize::from(b & 0xf)];
    }
    hex
}

/// The version s2n fingerprints for the legacy version field: its one-byte
/// form (major * 10 + minor, wrapped) split back into two bytes.
pub(crate) fn legacy_version(hello: &ClientHello) -> u16 {
    let v = hello.legacy_version_s2n();
    u16::from(v / 10) << 8 | u16::from(v % 10)
}

/// Writes the raw fingerprint string of `hello` into `text` (reused storage),
/// failing as s2n does if it is longer than `max` bytes or a field it reads
/// is malformed. Returns the string.
pub(crate) fn raw_into(
    kind: s2n_fingerprint_type,
    hello: &ClientHello,
    max: usize,
    text: Vec<u8>,
) -> Result<Vec<u8>, Error> {
    let mut out = Out::new(text, max);
    match kind {
        S2N_FINGERPRINT_JA3 => ja3::write(hello, &mut out)?,
        S2N_FINGERPRINT_JA4 => {
            ja4::write(hello, &mut out)?;
        }
    }
    Ok(out.text)
}

/// A hash string (JA3's 32 or JA4's 36 characters), kept on the stack.
pub(crate) struct HashText {
    bytes: [u8; JA4_HASH_STR_SIZE],
    pub(crate) len: usize,
}

impl HashText {
    fn new(text: &[u8]) -> Self {
        let mut bytes = [0; JA4_HASH_STR_SIZE];
        let len = text.len().min(JA4_HASH_STR_SIZE);
        bytes[..len].copy_from_slice(&text[..len]);
        Self { bytes, len }
    }

    pub(crate) fn as_bytes(&self) -> &[u8] {
        &self.bytes[..self.len]
    }
}

/// The hash string of `hello` and the length of its raw string, using `text`
/// as scratch space (JA4 only: JA3 is hashed as it is written, so that, as
/// in s2n, computing it allocates nothing). Returns (hash, raw size, scratch).
pub(crate) fn hash_into(
    kind: s2n_fingerprint_type,
    hello: &ClientHello,
    text: Vec<u8>,
) -> Result<(HashText, usize, Vec<u8>), Error> {
    match kind {
        S2N_FINGERPRINT_JA3 => {
            let mut out = Out::md5();
            ja3::write(hello, &mut out)?;
            let raw_size = out.len();
            Ok((HashText::new(&md5_hex(&out.digest())), raw_size, text))
        }
        S2N_FINGERPRINT_JA4 => {
            let mut out = Out::new(text, usize::MAX);
            let parts = ja4::write(hello, &mut out)?;
            let digest12 = |part: &[u8]| {
                if part.is_empty() {
                    // JA4 writes zeros for an empty list rather than hashing it.
                    "000000000000".to_string()
                } else {
                    let full = digest::digest(&digest::SHA256, part);
                    hex(&full.as_ref()[..6])
                }
            };
            let text = &out.text;
            let hash = format!(
                "{}_{}_{}",
                String::from_utf8_lossy(&text[..ja4::PREFIX_LEN]),
                digest12(&text[parts.b.clone()]),
                digest12(&text[parts.c.clone()]),
            );
            let raw_size = out.len();
            Ok((HashText::new(hash.as_bytes()), raw_size, out.text))
        }
    }
}

/// The raw fingerprint string, failing as s2n does if it is longer than `max`.
pub(crate) fn raw_string(
    kind: s2n_fingerprint_type,
    hello: &ClientHello,
    max: usize,
) -> Result<Vec<u8>, Error> {
    raw_into(kind, hello, max, Vec::new())
}

/// The hash string and raw size.
#[cfg(test)]
pub(crate) fn hash_string(
    kind: s2n_fingerprint_type,
    hello: &ClientHello,
) -> Result<(String, usize), Error> {
    hash_into(kind, hello, Vec::new())
        .map(|(hash, size, _)| (String::from_utf8_lossy(hash.as_bytes()).into_owned(), size))
}

/// The address of an `s2n_client_hello` the application keeps alive.
#[derive(Clone, Copy)]
pub(crate) struct ClientHelloPtr(pub(crate) usize);

impl ClientHelloPtr {
    pub(crate) fn get<'a>(self) -> Result<&'a ClientHello, Error> {
        client_hello(self.0 as *mut s2n_client_hello)
    }
}

/// What a fingerprint object reserves for raw strings when it is made.
pub(crate) const SCRATCH_CAPACITY: usize = 2048;

/// What an `s2n_fingerprint *` points at.
pub struct Fingerprint {
    pub(crate) kind: s2n_fingerprint_type,
    pub(crate) state: Mutex<State>,
}

#[derive(Default)]
pub(crate) struct State {
    /// The ClientHello set by `s2n_fingerprint_set_client_hello`: as in s2n,
    /// not copied, so the caller keeps it alive while it fingerprints it.
    pub(crate) hello: Option<ClientHelloPtr>,
    /// The length of the raw string, once a hash or raw string was computed
    /// for this ClientHello; 0 before (no raw string is empty).
    pub(crate) raw_size: usize,
    /// Storage reused from one computation to the next.
    pub(crate) scratch: Vec<u8>,
}

impl State {
    fn client_hello<'a>(&self) -> Result<&'a ClientHello, Error> {
        self.hello
            .ok_or_else(|| Error::new(S2N_ERR_INVALID_STATE))?
            .get()
    }
}

impl BoxHandle for s2n_fingerprint {
    type Rust = Fingerprint;
}

impl Fingerprint {
    pub(crate) fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Hashes the ClientHello set (`S2N_ERR_INVALID_STATE` without one),
    /// hands the hash string to `write` and remembers the raw string's
    /// length. Returns the hash string's length.
    pub(crate) fn hash(
        &self,
        write: impl FnOnce(&[u8]) -> Result<(), Error>,
    ) -> Result<usize, Error> {
        let mut state = self.state();
        let hello = state.client_hello()?;
        let scratch = std::mem::take(&mut state.scratch);
        let (hash, raw_size, scratch) = hash_into(self.kind, hello, scratch)?;
        state.scratch = scratch;
        write(hash.as_bytes())?;
        state.raw_size = raw_size;
        Ok(hash.len)
    }

    /// Writes the raw string of the ClientHello set (at most `max` bytes,
    /// else s2n's error) through `write`, and remembers its length.
    pub(crate) fn raw(
        &self,
        max: usize,
        write: impl FnOnce(&[u8]) -> Result<(), Error>,
    ) -> Result<usize, Error> {
        let mut state = self.state();
        let hello = state.client_hello()?;
        let scratch = std::mem::take(&mut state.scratch);
        let raw = raw_into(self.kind, hello, max, scratch)?;
        write(&raw)?;
        let len = raw.len();
        state.raw_size = len;
        state.scratch = raw;
        Ok(len)
    }

    pub(crate) fn hash_size(&self) -> usize {
        match self.kind {
            S2N_FINGERPRINT_JA3 => JA3_HASH_STR_SIZE,
            S2N_FINGERPRINT_JA4 => JA4_HASH_STR_SIZE,
        }
    }
}

/// The fingerprint behind a handle; NULL is `S2N_ERR_INVALID_ARGUMENT`, as in s2n.
#[track_caller]
pub(crate) fn fingerprint<'a>(ptr: *const s2n_fingerprint) -> Result<&'a Fingerprint, Error> {
    non_null(ptr)?;
    s2n_fingerprint::get(ptr)
}

/// The ClientHello behind a handle; NULL is `S2N_ERR_INVALID_ARGUMENT`.
#[track_caller]
pub(crate) fn client_hello<'a>(ch: *mut s2n_client_hello) -> Result<&'a ClientHello, Error> {
    non_null(ch)?;
    Ok(&s2n_client_hello::get(ch)?.hello)
}

/// s2n's fingerprint functions reject NULL arguments with `S2N_ERR_INVALID_ARGUMENT`.
#[track_caller]
pub(crate) fn non_null<T>(ptr: *const T) -> Result<(), Error> {
    if ptr.is_null() {
        Err(Error::new(S2N_ERR_INVALID_ARGUMENT))
    } else {
        Ok(())
    }
}

pub(crate) fn to_u32(len: usize) -> u32 {
    u32::try_from(len).unwrap_or(u32::MAX)
}

pub(crate) fn to_usize(len: u32) -> usize {
    usize::try_from(len).unwrap_or(usize::MAX)
}

/// Copies `bytes` to the caller's buffer (which s2n's checks made big enough).
pub(crate) fn write_output(output: *mut u8, bytes: &[u8]) -> Result<(), Error> {
    ffi::slice_mut(output, bytes.len())?.copy_from_slice(bytes);
    Ok(())
}
