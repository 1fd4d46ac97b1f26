//! `s2n/unstable/cert_authorities.h`: the server names the CAs it trusts in
//! its CertificateRequest (`s2n_config_set_cert_authorities_from_trust_store`,
//! in trust.rs), and the client chooses its certificate from that list in a
//! callback that rustls's client certificate resolver runs.

use std::cell::{Cell, RefCell};
use std::ffi::{c_int, c_void};
use std::sync::Arc;

use crate::cert_chain::CertChainAndKey;
use crate::error::{Error, S2N_ERR_BAD_MESSAGE, S2N_ERR_INVALID_ARGUMENT};
use crate::ffi::{self, ArcHandle, CPtr, RefHandle};
use crate::types::*;

/// Opaque handle: `struct s2n_certificate_request` in C.
#[repr(C)]
pub struct s2n_certificate_request {
    _private: [u8; 0],
}

/// Opaque handle: `struct s2n_certificate_authority_list` in C.
#[repr(C)]
pub struct s2n_certificate_authority_list {
    _private: [u8; 0],
}

pub type s2n_cert_request_callback = Option<
    unsafe extern "C" fn(
        conn: *mut s2n_connection,
        ctx: *mut c_void,
        request: *mut s2n_certificate_request,
    ) -> c_int,
>;

/// The server's list as it came: each name with a two-byte length.
pub struct CaList {
    bytes: Vec<u8>,
    read: Cell<usize>,
}

/// A CertificateRequest as the callback sees it.
pub struct CertificateRequest {
    list: CaList,
    chain: RefCell<Option<Arc<CertChainAndKey>>>,
}

impl RefHandle for s2n_certificate_request {
    type Rust = CertificateRequest;
}

impl RefHandle for s2n_certificate_authority_list {
    type Rust = CaList;
}

impl CertificateRequest {
    /// A request listing `names` (DER Names, as rustls gives them).
    pub fn new(names: &[&[u8]]) -> Self {
        let mut bytes = Vec::new();
        for name in names {
            let len = u16::try_from(name.len()).unwrap_or(u16::MAX);
            bytes.extend_from_slice(&len.to_be_bytes());
            bytes.extend_from_slice(&name[..usize::from(len)]);
        }
        CertificateRequest {
            list: CaList {
                bytes,
                read: Cell::new(0),
            },
            chain: RefCell::new(None),
        }
    }

    /// Runs the application's callback: the chain it chose, or the s2n error.
    pub fn run(
        &self,
        (cb, ctx): (s2n_cert_request_callback, CPtr),
        conn: *mut s2n_connection,
    ) -> Result<Arc<CertChainAndKey>, c_int> {
        let request = s2n_certificate_request::from_ref(self);
        if ffi::callbacks::cert_request(cb, conn, ctx, request) != S2N_SUCCESS {
            return Err(crate::error::S2N_ERR_CANCELLED);
        }
        self.chain
            .borrow_mut()
            .take()
            .ok_or(crate::error::S2N_ERR_NO_CERT_FOUND)
    }
}

impl CaList {
    fn has_next(&self) -> bool {
        self.read.get() < self.bytes.len()
    }

    /// The next name, or None if the list is malformed there.
    fn next(&self) -> Option<&[u8]> {
        let rest = self.bytes.get(self.read.get()..)?;
        let len = usize::from(u16::from_be_bytes([*rest.first()?, *rest.get(1)?]));
        if len == 0 {
            return None;
        }
        let name = rest.get(2..2 + len)?;
        self.read.set(self.read.get() + 2 + len);
        Some(name)
    }
}

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
