//! `s2n/unstable/crl.h`: the exported functions of `crate::unstable::crl`
//! (C arguments in, the core called, s2n's result out).

use crate::error::Error;
use crate::error::S2N_ERR_CRL_EXPIRED;
use crate::error::S2N_ERR_CRL_INVALID_NEXT_UPDATE;
use crate::error::S2N_ERR_CRL_INVALID_THIS_UPDATE;
use crate::error::S2N_ERR_CRL_NOT_YET_VALID;
use crate::error::S2N_ERR_INTERNAL_LIBCRYPTO_ERROR;
use crate::error::S2N_ERR_INVALID_ARGUMENT;
use crate::error::S2N_ERR_INVALID_PEM;
use crate::ffi;
use crate::ffi::BoxHandle;
use crate::ffi::CPtr;
use crate::ffi::RefHandle;
use crate::types::*;
use crate::unstable::crl::*;
use rustls_pki_types::pem::PemObject;
use std::ffi::c_int;
use std::ffi::c_void;
use std::sync::atomic::Ordering;

/// Partial: the callback runs synchronously inside the handshake; a callback
/// that returns without `s2n_crl_lookup_set`/`s2n_crl_lookup_ignore` fails the
/// handshake with `S2N_ERR_UNIMPLEMENTED` (rustls's verifier cannot block).
#[unsafe(no_mangle)]
pub extern "C" fn s2n_config_set_crl_lookup_cb(
    config: *mut s2n_config,
    callback: s2n_crl_lookup_callback,
    context: *mut c_void,
) -> c_int {
    set_crl_cb(config, |state| {
        state.crl_lookup_cb = callback.map(|f| (Some(f), CPtr(context)));
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_crl_new() -> *mut s2n_crl {
    ffi::entry(|| Ok(s2n_crl::into_handle(Crl::default())))
}

/// Partial: webpki takes only v2 CRLs with a nextUpdate field and
/// extensions; others fail with `S2N_ERR_INVALID_PEM`.
#[unsafe(no_mangle)]
pub extern "C" fn s2n_crl_load_pem(crl: *mut s2n_crl, pem: *mut u8, len: usize) -> c_int {
    ffi::entry(|| {
        let crl = s2n_crl::get(crl)?;
        if crl.loaded.borrow().is_some() {
            return Err(Error::new(S2N_ERR_INVALID_ARGUMENT));
        }
        let pem = ffi::slice(pem, len)?;
        let der = rustls_pki_types::CertificateRevocationListDer::from_pem_slice(pem)
            .map_err(|_| Error::new(S2N_ERR_INVALID_PEM))?;
        *crl.loaded.borrow_mut() = Some(load(der.as_ref())?);
        Ok(S2N_SUCCESS)
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_crl_free(crl: *mut *mut s2n_crl) -> c_int {
    ffi::entry(|| {
        s2n_crl::free_slot(crl)?;
        Ok(S2N_SUCCESS)
    })
}

/// OpenSSL's `X509_NAME_hash` of the CRL's issuer.
#[unsafe(no_mangle)]
pub extern "C" fn s2n_crl_get_issuer_hash(crl: *mut s2n_crl, hash: *mut u64) -> c_int {
    ffi::entry(|| {
        let value = Crl::with(crl, |loaded| {
            loaded
                .issuer_hash
                .filter(|&h| h != 0)
                .ok_or_else(|| Error::new(S2N_ERR_INTERNAL_LIBCRYPTO_ERROR))
        })?;
        *ffi::out(hash)? = value;
        Ok(S2N_SUCCESS)
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_crl_validate_active(crl: *mut s2n_crl) -> c_int {
    ffi::entry(|| {
        Crl::with(crl, |loaded| {
            let this_update = loaded
                .this_update
                .ok_or_else(|| Error::new(S2N_ERR_CRL_INVALID_THIS_UPDATE))?;
            if this_update >= now_secs() {
                return Err(Error::new(S2N_ERR_CRL_NOT_YET_VALID));
            }
            Ok(S2N_SUCCESS)
        })
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_crl_validate_not_expired(crl: *mut s2n_crl) -> c_int {
    ffi::entry(|| {
        Crl::with(crl, |loaded| match loaded.next_update {
            None => Ok(S2N_SUCCESS),
            Some(None) => Err(Error::new(S2N_ERR_CRL_INVALID_NEXT_UPDATE)),
            Some(Some(t)) if t <= now_secs() => Err(Error::new(S2N_ERR_CRL_EXPIRED)),
            Some(Some(_)) => Ok(S2N_SUCCESS),
        })
    })
}

/// OpenSSL's `X509_issuer_name_hash` of the certificate being looked up.
#[unsafe(no_mangle)]
pub extern "C" fn s2n_crl_lookup_get_cert_issuer_hash(
    lookup: *mut s2n_crl_lookup,
    hash: *mut u64,
) -> c_int {
    ffi::entry(|| {
        let lookup = s2n_crl_lookup::get(lookup)?;
        let value = lookup
            .issuer_hash
            .filter(|&h| h != 0)
            .ok_or_else(|| Error::new(S2N_ERR_INTERNAL_LIBCRYPTO_ERROR))?;
        *ffi::out(hash)? = value;
        Ok(S2N_SUCCESS)
    })
}

/// The CRL is copied: the application may free it after the callback.
#[unsafe(no_mangle)]
pub extern "C" fn s2n_crl_lookup_set(lookup: *mut s2n_crl_lookup, crl: *mut s2n_crl) -> c_int {
    ffi::entry(|| {
        let lookup = s2n_crl_lookup::get(lookup)?;
        let owned = Crl::with(crl, |loaded| Ok(loaded.owned.clone()))?;
        *lookup.crl.lock().unwrap_or_else(|e| e.into_inner()) = Some(owned);
        lookup.finished.store(true, Ordering::SeqCst);
        Ok(S2N_SUCCESS)
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_crl_lookup_ignore(lookup: *mut s2n_crl_lookup) -> c_int {
    ffi::entry(|| {
        let lookup = s2n_crl_lookup::get(lookup)?;
        *lookup.crl.lock().unwrap_or_else(|e| e.into_inner()) = None;
        lookup.finished.store(true, Ordering::SeqCst);
        Ok(S2N_SUCCESS)
    })
}

/// Partial: the callback must accept or reject before it returns; the
/// asynchronous form (deciding later) fails the handshake with
/// `S2N_ERR_UNIMPLEMENTED`, as rustls's verifier cannot pause.
#[unsafe(no_mangle)]
pub extern "C" fn s2n_config_set_cert_validation_cb(
    config: *mut s2n_config,
    callback: s2n_cert_validation_callback,
    context: *mut c_void,
) -> c_int {
    set_crl_cb(config, |state| {
        state.cert_validation_cb = callback.map(|f| (Some(f), CPtr(context)));
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_cert_validation_accept(info: *mut s2n_cert_validation_info) -> c_int {
    decide(info, true)
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_cert_validation_reject(info: *mut s2n_cert_validation_info) -> c_int {
    decide(info, false)
}

fn set_crl_cb(config: *mut s2n_config, f: impl FnOnce(&mut crate::config::ConfigState)) -> c_int {
    crate::config::Config::set(config, |state| {
        f(state);
        Ok(())
    })
}

fn decide(info: *mut s2n_cert_validation_info, accepted: bool) -> c_int {
    ffi::entry(|| {
        s2n_cert_validation_info::get(info)?.decide(accepted)?;
        Ok(S2N_SUCCESS)
    })
}
