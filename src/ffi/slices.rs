//! C strings, byte buffers and out-parameters.

use std::ffi::{CStr, c_char};

use crate::error::{Error, S2N_ERR_NULL};

/// A NUL-terminated C string as UTF-8 text; NULL is `S2N_ERR_NULL`, invalid
/// UTF-8 is `S2N_ERR_INVALID_ARGUMENT`.
#[track_caller]
pub fn c_str<'a>(ptr: *const c_char) -> Result<&'a str, Error> {
    c_bytes_str(ptr)?
        .to_str()
        .map_err(|_| Error::new(crate::error::S2N_ERR_INVALID_ARGUMENT))
}

/// A NUL-terminated C string as bytes; NULL is `S2N_ERR_NULL`.
#[track_caller]
pub fn c_bytes_str<'a>(ptr: *const c_char) -> Result<&'a CStr, Error> {
    if ptr.is_null() {
        return Err(Error::new(S2N_ERR_NULL));
    }
    // SAFETY: non-NULL, and the API contract makes it a NUL-terminated string
    // that stays valid for the duration of the call.
    Ok(unsafe { CStr::from_ptr(ptr) })
}

/// `len` bytes at `ptr`, borrowed for the call. NULL with a zero length is the empty slice.
#[track_caller]
pub fn slice<'a>(ptr: *const u8, len: usize) -> Result<&'a [u8], Error> {
    if len == 0 {
        return Ok(&[]);
    }
    if ptr.is_null() {
        return Err(Error::new(S2N_ERR_NULL));
    }
    // SAFETY: non-NULL and, per the API contract, `len` readable bytes.
    Ok(unsafe { std::slice::from_raw_parts(ptr, len) })
}

/// `len` writable bytes at `ptr`, borrowed for the call.
#[track_caller]
pub fn slice_mut<'a>(ptr: *mut u8, len: usize) -> Result<&'a mut [u8], Error> {
    if len == 0 {
        return Ok(&mut []);
    }
    if ptr.is_null() {
        return Err(Error::new(S2N_ERR_NULL));
    }
    // SAFETY: non-NULL and, per the API contract, `len` writable bytes that
    // nothing else uses during the call.
    Ok(unsafe { std::slice::from_raw_parts_mut(ptr, len) })
}

/// An out-parameter: a writable `T` or `S2N_ERR_NULL`.
#[track_caller]
pub fn out<'a, T>(ptr: *mut T) -> Result<&'a mut T, Error> {
    // SAFETY: non-NULL out-parameters point at a writable, aligned `T` owned
    // by the caller for the duration of the call.
    unsafe { ptr.as_mut() }.ok_or_else(|| Error::new(S2N_ERR_NULL))
}

/// An array of `count` C strings (as bytes, without their NULs).
#[track_caller]
pub fn c_str_array<'a>(ptr: *const *const c_char, count: usize) -> Result<Vec<&'a [u8]>, Error> {
    let items: &[*const c_char] = if count == 0 {
        &[]
    } else if ptr.is_null() {
        return Err(Error::new(S2N_ERR_NULL));
    } else {
        // SAFETY: non-NULL and, per the API contract, `count` string pointers.
        unsafe { std::slice::from_raw_parts(ptr, count) }
    };
    items
        .iter()
        .map(|&p| Ok(c_bytes_str(p)?.to_bytes()))
        .collect()
}

/// An array of `count` pointers.
#[track_caller]
pub fn c_ptr_array<'a, T>(ptr: *const *mut T, count: usize) -> Result<&'a [*mut T], Error> {
    if count == 0 {
        return Ok(&[]);
    }
    if ptr.is_null() {
        return Err(Error::new(S2N_ERR_NULL));
    }
    // SAFETY: non-NULL and, per the API contract, `count` readable pointers.
    Ok(unsafe { std::slice::from_raw_parts(ptr, count) })
}

/// The buffers of an iovec array, borrowed for the call.
#[track_caller]
pub fn iovecs<'a>(ptr: *const libc::iovec, count: usize) -> Result<Vec<&'a [u8]>, Error> {
    if count == 0 {
        return Ok(Vec::new());
    }
    if ptr.is_null() {
        return Err(Error::new(S2N_ERR_NULL));
    }
    // SAFETY: non-NULL and, per the API contract, `count` iovecs.
    let vecs = unsafe { std::slice::from_raw_parts(ptr, count) };
    vecs.iter()
        .map(|v| slice(v.iov_base.cast_const().cast(), v.iov_len))
        .collect()
}

/// A length as C's `ssize_t` (saturating; no buffer is that large).
pub fn ssize(len: usize) -> libc::ssize_t {
    libc::ssize_t::try_from(len).unwrap_or(libc::ssize_t::MAX)
}
