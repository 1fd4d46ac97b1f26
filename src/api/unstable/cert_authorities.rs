//! `s2n/unstable/cert_authorities.h`: the exported functions of `crate::unstable::cert_authorities`
//! (C arguments in, the core called, s2n's result out).

use crate::error::Error;
use crate::error::S2N_ERR_BAD_MESSAGE;
use crate::error::S2N_ERR_INVALID_ARGUMENT;
use crate::ffi;
use crate::ffi::ArcHandle;
use crate::ffi::CPtr;
use crate::ffi::RefHandle;
use crate::types::*;
use crate::unstable::cert_authorities::*;
use std::ffi::c_int;
use std::ffi::c_void;

/// The request's list; NULL for a NULL request.
#[unsafe(no_mangle)]
pub extern "C" fn s2n_certificate_request_get_ca_list(
    request: *mut s2n_certificate_request,
) -> *mut s2n_certificate_authority_list {
    // NULL gives NULL without an error, as s2n.
    if request.is_null() {
        return std::ptr::null_mut();
    }
    ffi::entry(|| {
        let request = s2n_certificate_request::get(request)?;
        Ok(s2n_certificate_authority_list::from_ref(&request.list))
    })
}

/// The chain is kept alive by s2nrs for the handshake.
#[unsafe(no_mangle)]
pub extern "C" fn s2n_certificate_request_set_certificate(
    request: *mut s2n_certificate_request,
    chain: *mut s2n_cert_chain_and_key,
) -> c_int {
    ffi::entry(|| {
        if request.is_null() || chain.is_null() {
            return Err(Error::new(S2N_ERR_INVALID_ARGUMENT));
        }
        let request = s2n_certificate_request::get(request)?;
        *request.chain.borrow_mut() = Some(s2n_cert_chain_and_key::share(chain)?);
        Ok(S2N_SUCCESS)
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_certificate_authority_list_has_next(
    list: *mut s2n_certificate_authority_list,
) -> bool {
    ffi::entry(|| Ok(!list.is_null() && s2n_certificate_authority_list::get(list)?.has_next()))
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_certificate_authority_list_next(
    list: *mut s2n_certificate_authority_list,
    name: *mut *mut u8,
    length: *mut u16,
) -> c_int {
    ffi::entry(|| {
        if list.is_null() || name.is_null() || length.is_null() {
            return Err(Error::new(S2N_ERR_INVALID_ARGUMENT));
        }
        let name = ffi::out(name)?;
        let length = ffi::out(length)?;
        *name = std::ptr::null_mut();
        *length = 0;
        let list = s2n_certificate_authority_list::get(list)?;
        if !list.has_next() {
            return Err(Error::new(S2N_ERR_INVALID_ARGUMENT));
        }
        let next = list.next().ok_or_else(|| Error::new(S2N_ERR_BAD_MESSAGE))?;
        *name = next.as_ptr().cast_mut();
        *length = u16::try_from(next.len()).unwrap_or(u16::MAX);
        Ok(S2N_SUCCESS)
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_certificate_authority_list_reread(
    list: *mut s2n_certificate_authority_list,
) -> c_int {
    ffi::entry(|| {
        if list.is_null() {
            return Err(Error::new(S2N_ERR_INVALID_ARGUMENT));
        }
        s2n_certificate_authority_list::get(list)?.read.set(0);
        Ok(S2N_SUCCESS)
    })
}

/// Partial: the callback runs on clients with at least one certificate, as
/// in s2n; rustls passes it the certificate_authorities of TLS1.3 and the
/// CA names of TLS1.2 requests alike.
#[unsafe(no_mangle)]
pub extern "C" fn s2n_config_set_cert_request_callback(
    config: *mut s2n_config,
    cert_req_callback: s2n_cert_request_callback,
    ctx: *mut c_void,
) -> c_int {
    if config.is_null() {
        return ffi::entry(|| Err(Error::new(S2N_ERR_INVALID_ARGUMENT)));
    }
    crate::config::Config::set(config, |state| {
        state.cert_request_cb = cert_req_callback.map(|f| (Some(f), CPtr(ctx)));
        Ok(())
    })
}
