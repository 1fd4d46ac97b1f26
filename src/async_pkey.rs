//! Async private-key operations (`s2n_async_pkey_*`). When a config has an
//! async pkey callback, each handshake signature becomes an operation handed
//! to the application: it reads the digest, signs it (or lets s2n sign with
//! `s2n_async_pkey_op_perform`), and applies the result.
//!
//! An operation may also be left for later: the callback returns without
//! applying it, `s2n_negotiate` blocks on application input, and once the
//! application applied it the next `s2n_negotiate` goes on (the handshake
//! step waits on a thread of its own, see `park`). Only signatures
//! exist: rustls has no RSA key exchange, so there are never decrypt
//! operations.

#![forbid(unsafe_code)]

pub mod park;

use std::sync::{Arc, Mutex, MutexGuard};

use rustls::SignatureScheme;
use rustls_pki_types::CertificateDer;

use crate::error::*;
use crate::ffi::{self, BoxHandle};
use crate::types::*;

/// What a handshake asks to have signed.
pub struct SignRequest {
    pub scheme: SignatureScheme,
    /// The whole content to sign; the operation's input is its digest.
    pub message: Vec<u8>,
    /// Check the application's signature against the leaf before using it.
    pub strict: bool,
    pub leaf: Arc<CertificateDer<'static>>,
}

pub(crate) struct Op {
    /// The connection's handle, as an address: only compared, never used.
    pub(crate) conn: usize,
    pub(crate) request: SignRequest,
    pub(crate) output: Option<Vec<u8>>,
    /// Performed, or given its output.
    pub(crate) complete: bool,
    pub(crate) applied: bool,
    /// The callback is still running.
    pub(crate) waiting: bool,
    /// The callback returned without applying: a paused step waits for it.
    pub(crate) pending: bool,
}

/// What an `s2n_async_pkey_op *` points at; the signer keeps its own reference.
pub struct OpHandle(Arc<Mutex<Op>>);

impl BoxHandle for s2n_async_pkey_op {
    type Rust = OpHandle;
}

impl OpHandle {
    pub(crate) fn lock(&self) -> MutexGuard<'_, Op> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The step ended without the operation: the connection was freed or wiped
/// while it waited, or the operation is applied after its handshake ended.
pub(crate) fn not_applied() -> Error {
    Error::with_reason(
        S2N_ERR_INVALID_STATE,
        "the async private-key operation was not applied while its handshake waited for it",
    )
}

/// Runs the application's callback for one signature and returns the
/// signature it applied.
pub fn sign(
    cb: s2n_async_pkey_fn,
    conn: *mut s2n_connection,
    request: SignRequest,
) -> Result<Vec<u8>, Error> {
    let op = Arc::new(Mutex::new(Op {
        conn: conn as usize,
        request,
        output: None,
        complete: false,
        applied: false,
        waiting: true,
        pending: false,
    }));
    let handle = s2n_async_pkey_op::into_handle(OpHandle(op.clone()));
    let rc = ffi::callbacks::async_pkey(cb, conn, handle);
    {
        let mut op = op.lock().unwrap_or_else(|e| e.into_inner());
        op.waiting = false;
        if rc != S2N_SUCCESS {
            return Err(Error::new(S2N_ERR_ASYNC_CALLBACK_FAILED));
        }
        // Left for later: the handshake step waits for it (see `park`).
        op.pending = !op.applied;
    }
    let ready = is_applied(&op) || {
        let watched = op.clone();
        park::wait_for_application(Box::new(move || is_applied(&watched)))
    };
    let mut op = op.lock().unwrap_or_else(|e| e.into_inner());
    op.pending = false;
    if !(ready && op.applied) {
        return Err(not_applied());
    }
    op.output.take().ok_or_else(|| Error::new(S2N_ERR_SAFETY))
}

pub(crate) fn is_applied(op: &Mutex<Op>) -> bool {
    op.lock().unwrap_or_else(|e| e.into_inner()).applied
}

/// The operation's input: the digest s2n would sign (the content itself for
/// schemes that sign without a separate hash).
pub(crate) fn input(request: &SignRequest) -> Vec<u8> {
    use aws_lc_rs::digest;
    use rustls::SignatureScheme as S;
    let algorithm = match request.scheme {
        S::RSA_PKCS1_SHA1 | S::ECDSA_SHA1_Legacy => &digest::SHA1_FOR_LEGACY_USE_ONLY,
        S::RSA_PKCS1_SHA256 | S::ECDSA_NISTP256_SHA256 | S::RSA_PSS_SHA256 => &digest::SHA256,
        S::RSA_PKCS1_SHA384 | S::ECDSA_NISTP384_SHA384 | S::RSA_PSS_SHA384 => &digest::SHA384,
        S::RSA_PKCS1_SHA512 | S::ECDSA_NISTP521_SHA512 | S::RSA_PSS_SHA512 => &digest::SHA512,
        _ => return request.message.clone(),
    };
    digest::digest(algorithm, &request.message)
        .as_ref()
        .to_vec()
}
