//! `s2n/unstable/cert_authorities.h`: the server names the CAs it trusts in
//! its CertificateRequest (`s2n_config_set_cert_authorities_from_trust_store`,
//! in trust.rs), and the client chooses its certificate from that list in a
//! callback that rustls's client certificate resolver runs.

use std::cell::{Cell, RefCell};
use std::ffi::{c_int, c_void};
use std::sync::Arc;

use crate::cert_chain::CertChainAndKey;
use crate::ffi::{self, CPtr, RefHandle};
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
    pub(crate) read: Cell<usize>,
}

/// A CertificateRequest as the callback sees it.
pub struct CertificateRequest {
    pub(crate) list: CaList,
    pub(crate) chain: RefCell<Option<Arc<CertChainAndKey>>>,
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
        Self {
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
    pub(crate) fn has_next(&self) -> bool {
        self.read.get() < self.bytes.len()
    }

    /// The next name, or None if the list is malformed there.
    pub(crate) fn next(&self) -> Option<&[u8]> {
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
