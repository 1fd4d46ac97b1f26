//! The exported functions of `crate::cert_chain` (C arguments in, the core
//! called, s2n's result out).

use crate::cert_chain::*;
use crate::error::Error;
use crate::error::S2N_ERR_INVALID_ARGUMENT;
use crate::error::S2N_ERR_NO_CERT_FOUND;
use crate::ffi;
use crate::ffi::ArcHandle;
use crate::ffi::CPtr;
use crate::ffi::RefHandle;
use crate::types::*;
use crate::x509;
use std::ffi::c_char;
use std::ffi::c_int;
use std::ffi::c_void;
use std::sync::Arc;

#[unsafe(no_mangle)]
pub extern "C" fn s2n_cert_chain_and_key_new() -> *mut s2n_cert_chain_and_key {
    ffi::entry(|| {
        Ok(s2n_cert_chain_and_key::into_handle(Arc::new(
            CertChainAndKey::default(),
        )))
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_cert_chain_and_key_load_pem(
    chain_and_key: *mut s2n_cert_chain_and_key,
    chain_pem: *const c_char,
    private_key_pem: *const c_char,
) -> c_int {
    ffi::entry(|| {
        let chain = s2n_cert_chain_and_key::get(chain_and_key)?;
        let certs = ffi::c_bytes_str(chain_pem)?.to_bytes();
        let key = ffi::c_bytes_str(private_key_pem)?.to_bytes();
        chain.load(certs, Some(key), &provider())?;
        Ok(S2N_SUCCESS)
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_cert_chain_and_key_load_pem_bytes(
    chain_and_key: *mut s2n_cert_chain_and_key,
    chain_pem: *mut u8,
    chain_pem_len: u32,
    private_key_pem: *mut u8,
    private_key_pem_len: u32,
) -> c_int {
    ffi::entry(|| {
        let chain = s2n_cert_chain_and_key::get(chain_and_key)?;
        let certs = ffi::slice(chain_pem, chain_pem_len as usize)?;
        let key = ffi::slice(private_key_pem, private_key_pem_len as usize)?;
        chain.load(certs, Some(key), &provider())?;
        Ok(S2N_SUCCESS)
    })
}

/// A chain without its private key: for peers' chains or async signing.
#[unsafe(no_mangle)]
pub extern "C" fn s2n_cert_chain_and_key_load_public_pem_bytes(
    chain_and_key: *mut s2n_cert_chain_and_key,
    chain_pem: *mut u8,
    chain_pem_len: u32,
) -> c_int {
    ffi::entry(|| {
        let chain = s2n_cert_chain_and_key::get(chain_and_key)?;
        chain.load(
            ffi::slice(chain_pem, chain_pem_len as usize)?,
            None,
            &provider(),
        )?;
        Ok(S2N_SUCCESS)
    })
}

/// Frees the application's reference; configs that hold the chain keep it alive.
#[unsafe(no_mangle)]
pub extern "C" fn s2n_cert_chain_and_key_free(cert_and_key: *mut s2n_cert_chain_and_key) -> c_int {
    ffi::entry(|| {
        // Freeing NULL does nothing, as in s2n.
        if cert_and_key.is_null() {
            return Ok(S2N_SUCCESS);
        }
        s2n_cert_chain_and_key::release(cert_and_key)?;
        Ok(S2N_SUCCESS)
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_cert_chain_and_key_set_ctx(
    cert_and_key: *mut s2n_cert_chain_and_key,
    ctx: *mut c_void,
) -> c_int {
    ffi::entry(|| {
        *s2n_cert_chain_and_key::get(cert_and_key)?
            .ctx
            .lock()
            .unwrap_or_else(|e| e.into_inner()) = CPtr(ctx);
        Ok(S2N_SUCCESS)
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_cert_chain_and_key_get_ctx(
    cert_and_key: *mut s2n_cert_chain_and_key,
) -> *mut c_void {
    ffi::entry(|| {
        Ok(s2n_cert_chain_and_key::get(cert_and_key)?
            .ctx
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .0)
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_cert_chain_and_key_get_private_key(
    cert_and_key: *mut s2n_cert_chain_and_key,
) -> *mut s2n_cert_private_key {
    ffi::entry(|| {
        let loaded = s2n_cert_chain_and_key::get(cert_and_key)?.loaded()?;
        let key = loaded
            .key
            .as_ref()
            .ok_or_else(|| Error::new(S2N_ERR_NO_CERT_FOUND))?;
        Ok(s2n_pkey::from_ref(key))
    })
}

/// The OCSP response stapled when a client asks for it.
#[unsafe(no_mangle)]
pub extern "C" fn s2n_cert_chain_and_key_set_ocsp_data(
    chain_and_key: *mut s2n_cert_chain_and_key,
    data: *const u8,
    length: u32,
) -> c_int {
    set_blob(chain_and_key, data, length, |c| &c.ocsp)
}

/// Partial: the list is kept with the chain, but rustls 0.23 has no way to
/// send signed certificate timestamps, so clients never receive it.
#[unsafe(no_mangle)]
pub extern "C" fn s2n_cert_chain_and_key_set_sct_list(
    chain_and_key: *mut s2n_cert_chain_and_key,
    data: *const u8,
    length: u32,
) -> c_int {
    set_blob(chain_and_key, data, length, |c| &c.sct)
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_cert_chain_get_length(
    chain_and_key: *const s2n_cert_chain_and_key,
    cert_length: *mut u32,
) -> c_int {
    ffi::entry(|| {
        let chain = s2n_cert_chain_and_key::get(chain_and_key)?;
        let out = ffi::out(cert_length)?;
        *out = chain.loaded()?.certs.len() as u32;
        Ok(S2N_SUCCESS)
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_cert_chain_get_cert(
    chain_and_key: *const s2n_cert_chain_and_key,
    out_cert: *mut *mut s2n_cert,
    cert_idx: u32,
) -> c_int {
    ffi::entry(|| {
        let chain = s2n_cert_chain_and_key::get(chain_and_key)?;
        let out = ffi::out(out_cert)?;
        let cert = chain
            .loaded()?
            .certs
            .get(cert_idx as usize)
            .ok_or_else(|| Error::new(S2N_ERR_NO_CERT_FOUND))?;
        *out = s2n_cert::from_ref(cert);
        Ok(S2N_SUCCESS)
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_cert_get_der(
    cert: *const s2n_cert,
    out_cert_der: *mut *const u8,
    cert_length: *mut u32,
) -> c_int {
    ffi::entry(|| {
        let cert = s2n_cert::get(cert)?;
        let (out, len) = (ffi::out(out_cert_der)?, ffi::out(cert_length)?);
        *out = cert.der.as_ptr();
        *len = u32::try_from(cert.der.len()).map_err(|_| Error::new(S2N_ERR_INVALID_ARGUMENT))?;
        Ok(S2N_SUCCESS)
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_cert_get_x509_extension_value_length(
    cert: *mut s2n_cert,
    oid: *const u8,
    ext_value_len: *mut u32,
) -> c_int {
    ffi::entry(|| {
        let cert = s2n_cert::get(cert)?;
        let oid = ffi::c_bytes_str(oid.cast())?;
        let out_len = ffi::out(ext_value_len)?;
        let ext = x509::find_extension(&cert.der, oid.to_bytes())?;
        *out_len = x509::length_u32(ext.value.len())?;
        Ok(S2N_SUCCESS)
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_cert_get_x509_extension_value(
    cert: *mut s2n_cert,
    oid: *const u8,
    ext_value: *mut u8,
    ext_value_len: *mut u32,
    critical: *mut bool,
) -> c_int {
    ffi::entry(|| {
        // Every argument is checked before the certificate is read, as in s2n.
        let cert = s2n_cert::get(cert)?;
        let oid = ffi::c_bytes_str(oid.cast())?;
        if ext_value.is_null() {
            return Err(Error::new(crate::error::S2N_ERR_NULL));
        }
        let capacity = *ffi::out(ext_value_len)?;
        ffi::out(critical)?;
        let ext = x509::find_extension(&cert.der, oid.to_bytes())?;
        // On failure the outputs, `*ext_value_len` included, stay untouched.
        let len = x509::fits(ext.value.len(), capacity)?;
        ffi::slice_mut(ext_value, ext.value.len())?.copy_from_slice(ext.value);
        *ffi::out(critical)? = ext.critical;
        *ffi::out(ext_value_len)? = len;
        Ok(S2N_SUCCESS)
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_cert_get_utf8_string_from_extension_data_length(
    extension_data: *const u8,
    extension_len: u32,
    utf8_str_len: *mut u32,
) -> c_int {
    ffi::entry(|| {
        // s2n: NULL data is S2N_ERR_NULL even with a zero length; a zero length is S2N_ERR_SAFETY.
        if extension_data.is_null() {
            return Err(Error::new(crate::error::S2N_ERR_NULL));
        }
        if extension_len == 0 {
            return Err(Error::new(crate::error::S2N_ERR_SAFETY));
        }
        let data = ffi::slice(extension_data, extension_len as usize)?;
        let out_len = ffi::out(utf8_str_len)?;
        let utf8 = x509::utf8_string_from_extension_data(data)?;
        *out_len = x509::length_u32(utf8.len())?;
        Ok(S2N_SUCCESS)
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_cert_get_utf8_string_from_extension_data(
    extension_data: *const u8,
    extension_len: u32,
    out_data: *mut u8,
    out_len: *mut u32,
) -> c_int {
    ffi::entry(|| {
        // The checks in s2n's order.
        if extension_data.is_null() {
            return Err(Error::new(crate::error::S2N_ERR_NULL));
        }
        if extension_len == 0 {
            return Err(Error::new(crate::error::S2N_ERR_SAFETY));
        }
        if out_data.is_null() {
            return Err(Error::new(crate::error::S2N_ERR_NULL));
        }
        let capacity = *ffi::out(out_len)?;
        let data = ffi::slice(extension_data, extension_len as usize)?;
        // Copied out before the output is borrowed: s2n copies through an
        // ASN1_STRING, so a caller may decode in place (same buffer in and out).
        let utf8 = x509::utf8_string_from_extension_data(data)?.to_vec();
        let len = x509::fits(utf8.len(), capacity)?;
        ffi::slice_mut(out_data, utf8.len())?.copy_from_slice(&utf8);
        *ffi::out(out_len)? = len;
        Ok(S2N_SUCCESS)
    })
}
