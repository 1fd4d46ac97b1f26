//! `s2n_client_hello_*`: the ClientHello a server received (owned by its
//! connection) or one the application parsed with
//! `s2n_client_hello_parse_message` (owned by the application), with s2n's
//! getters over it. The parsing itself is in `parse`.

#![forbid(unsafe_code)]

use std::ffi::c_int;

use crate::error::{
    self, Error, S2N_ERR_EXTENSION_NOT_RECEIVED, S2N_ERR_INVALID_PARSED_EXTENSIONS, S2N_ERR_NULL,
    S2N_ERR_UNRECOGNIZED_EXTENSION,
};
use crate::ffi::{self, BoxHandle};
use crate::types::*;

pub mod parse;
#[cfg(test)]
pub(crate) mod tests;

pub use parse::ClientHello;

/// What an `s2n_client_hello *` points at.
pub struct ClientHelloHandle {
    pub hello: ClientHello,
    /// Made by `s2n_client_hello_parse_message`, so `s2n_client_hello_free`
    /// may free it; a connection's own ClientHello is freed with the
    /// connection.
    pub owned_by_app: bool,
}

impl BoxHandle for s2n_client_hello {
    type Rust = ClientHelloHandle;
}

impl ClientHelloHandle {
    /// A connection's ClientHello (not freeable by the application): the
    /// handshake message (4-byte header included) and the version of the
    /// first record that carried it.
    pub fn received(message: &[u8], record_version: [u8; 2]) -> Result<Self, Error> {
        let mut hello = ClientHello::parse(message)?;
        hello.set_record_version(record_version);
        Ok(Self {
            hello,
            owned_by_app: false,
        })
    }

    /// The C handle for this object, valid while it is not moved or dropped
    /// (keep it boxed).
    pub fn as_handle(&self) -> *mut s2n_client_hello {
        (self as *const Self).cast_mut().cast()
    }
}

/// The ClientHello behind a handle; NULL is `S2N_ERR_NULL`.
#[track_caller]
pub(crate) fn hello<'a>(ch: *mut s2n_client_hello) -> Result<&'a ClientHello, Error> {
    Ok(&<s2n_client_hello as BoxHandle>::get(ch)?.hello)
}

/// Fails with `S2N_ERR_NULL` on a NULL pointer argument.
#[track_caller]
pub(crate) fn non_null<T>(ptr: *const T) -> Result<(), Error> {
    if ptr.is_null() {
        Err(Error::new(S2N_ERR_NULL))
    } else {
        Ok(())
    }
}

/// Copies as much of `src` as fits in `max` bytes at `out` (checked non-NULL
/// by the caller) and returns the count, as s2n's truncating getters do.
pub(crate) fn copy_truncated(src: &[u8], out: *mut u8, max: u32) -> Result<usize, Error> {
    let len = src.len().min(usize::try_from(max).unwrap_or(usize::MAX));
    ffi::slice_mut(out, len)?.copy_from_slice(&src[..len]);
    Ok(len)
}

/// The extension s2n's parsed-extension table holds for an
/// `s2n_tls_extension_type`: C converts the enum to the `uint16_t` IANA value;
/// types s2n does not implement are `S2N_ERR_UNRECOGNIZED_EXTENSION`, absent
/// ones `S2N_ERR_EXTENSION_NOT_RECEIVED`, and a value that only matched after
/// that conversion `S2N_ERR_INVALID_PARSED_EXTENSIONS`.
pub(crate) fn parsed_extension(
    hello: &ClientHello,
    ty: TlsExtensionTypeArg,
) -> Result<&[u8], Error> {
    let iana = ty.0 as u16;
    if !parse::is_s2n_extension(iana) {
        return Err(Error::new(S2N_ERR_UNRECOGNIZED_EXTENSION));
    }
    let data = hello
        .extension(iana)
        .ok_or_else(|| Error::new(S2N_ERR_EXTENSION_NOT_RECEIVED))?;
    if c_int::from(iana) != ty.0 {
        return Err(Error::new(S2N_ERR_INVALID_PARSED_EXTENSIONS));
    }
    Ok(data)
}

/// s2n's extension getters answer 0 (not -1) when the extension is not
/// there, leaving the reason in `s2n_errno`.
pub(crate) fn zero_with_errno(err: Error) -> libc::ssize_t {
    error::record(&err);
    0
}

pub(crate) fn len_u32(bytes: &[u8]) -> u32 {
    u32::try_from(bytes.len()).unwrap_or(u32::MAX)
}
