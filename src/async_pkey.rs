//! Async private-key operations (`s2n_async_pkey_*`). When a config has an
//! async pkey callback, each handshake signature becomes an operation handed
//! to the application: it reads the digest, signs it (or lets s2n sign with
//! `s2n_async_pkey_op_perform`), and applies the result.
//!
//! An operation may also be left for later: the callback returns without
//! applying it, `s2n_negotiate` blocks on application input, and once the
//! application applied it the next `s2n_negotiate` goes on (the handshake
//! step waits on a thread of its own, see `io::pause`). Only signatures
//! exist: rustls has no RSA key exchange, so there are never decrypt
//! operations.

use std::ffi::c_int;
use std::sync::{Arc, Mutex, MutexGuard};

use rustls::SignatureScheme;
use rustls_pki_types::CertificateDer;

use crate::cert_chain::PrivateKey;
use crate::cert_chain::sign::verify;
use crate::config::Config;
use crate::error::*;
use crate::ffi::{self, BoxHandle, RefHandle};
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

struct Op {
    /// The connection's handle, as an address: only compared, never used.
    conn: usize,
    request: SignRequest,
    output: Option<Vec<u8>>,
    /// Performed, or given its output.
    complete: bool,
    applied: bool,
    /// The callback is still running.
    waiting: bool,
    /// The callback returned without applying: a paused step waits for it.
    pending: bool,
}

/// What an `s2n_async_pkey_op *` points at; the signer keeps its own reference.
pub struct OpHandle(Arc<Mutex<Op>>);

impl BoxHandle for s2n_async_pkey_op {
    type Rust = OpHandle;
}

impl OpHandle {
    fn lock(&self) -> MutexGuard<'_, Op> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The step ended without the operation: the connection was freed or wiped
/// while it waited, or the operation is applied after its handshake ended.
fn not_applied() -> Error {
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
        // Left for later: the handshake step waits for it (see io::pause).
        op.pending = !op.applied;
    }
    let ready = is_applied(&op) || {
        let watched = op.clone();
        crate::io::pause::wait_for_application(Box::new(move || is_applied(&watched)))
    };
    let mut op = op.lock().unwrap_or_else(|e| e.into_inner());
    op.pending = false;
    if !(ready && op.applied) {
        return Err(not_applied());
    }
    op.output.take().ok_or_else(|| Error::new(S2N_ERR_SAFETY))
}

fn is_applied(op: &Mutex<Op>) -> bool {
    op.lock().unwrap_or_else(|e| e.into_inner()).applied
}

/// The operation's input: the digest s2n would sign (the content itself for
/// schemes that sign without a separate hash).
fn input(request: &SignRequest) -> Vec<u8> {
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

/// Each handshake signature becomes an operation for the callback, applied
/// in it or later (the handshake then blocks on application input).
#[unsafe(no_mangle)]
pub extern "C" fn s2n_config_set_async_pkey_callback(
    config: *mut s2n_config,
    r#fn: s2n_async_pkey_fn,
) -> c_int {
    Config::set(config, |state| {
        state.signing.async_pkey = r#fn;
        Ok(())
    })
}

/// Signs the operation's content with `key` (the chain's key, from
/// `s2n_cert_chain_and_key_get_private_key`).
#[unsafe(no_mangle)]
pub extern "C" fn s2n_async_pkey_op_perform(
    op: *mut s2n_async_pkey_op,
    key: *mut s2n_cert_private_key,
) -> c_int {
    ffi::entry(|| {
        let op = s2n_async_pkey_op::get(op)?;
        let key: &PrivateKey = s2n_pkey::get(key)?;
        let mut op = op.lock();
        if op.complete {
            return Err(Error::new(S2N_ERR_ASYNC_ALREADY_PERFORMED));
        }
        let signer = key.key.choose_scheme(&[op.request.scheme]).ok_or_else(|| {
            Error::with_reason(
                S2N_ERR_SIGN,
                "this key cannot sign with the handshake's signature scheme",
            )
        })?;
        let signature = signer
            .sign(&op.request.message)
            .map_err(|_| Error::new(S2N_ERR_SIGN))?;
        op.output = Some(signature);
        op.complete = true;
        Ok(S2N_SUCCESS)
    })
}

/// Applies a completed operation, in the callback or while its handshake
/// waits for it; after that handshake ended, `S2N_ERR_INVALID_STATE`.
#[unsafe(no_mangle)]
pub extern "C" fn s2n_async_pkey_op_apply(
    op: *mut s2n_async_pkey_op,
    conn: *mut s2n_connection,
) -> c_int {
    ffi::entry(|| {
        let op = s2n_async_pkey_op::get(op)?;
        if conn.is_null() {
            return Err(Error::new(S2N_ERR_NULL));
        }
        let mut op = op.lock();
        if !op.complete {
            return Err(Error::new(S2N_ERR_ASYNC_NOT_PERFORMED));
        }
        if op.applied {
            return Err(Error::new(S2N_ERR_ASYNC_ALREADY_APPLIED));
        }
        if op.conn != conn as usize {
            return Err(Error::new(S2N_ERR_ASYNC_WRONG_CONNECTION));
        }
        if !op.waiting && !op.pending {
            return Err(not_applied());
        }
        if op.request.strict {
            let signature = op.output.as_deref().unwrap_or_default();
            verify(
                &op.request.leaf,
                op.request.scheme,
                &op.request.message,
                signature,
            )?;
        }
        op.applied = true;
        Ok(S2N_SUCCESS)
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_async_pkey_op_free(op: *mut s2n_async_pkey_op) -> c_int {
    ffi::entry(|| {
        drop(s2n_async_pkey_op::take(op)?);
        Ok(S2N_SUCCESS)
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_config_set_async_pkey_validation_mode(
    config: *mut s2n_config,
    mode: AsyncPkeyValidationModeArg,
) -> c_int {
    Config::set(config, |state| {
        state.signing.strict = match mode.get()? {
            s2n_async_pkey_validation_mode::S2N_ASYNC_PKEY_VALIDATION_FAST => false,
            s2n_async_pkey_validation_mode::S2N_ASYNC_PKEY_VALIDATION_STRICT => true,
        };
        Ok(())
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_async_pkey_op_get_op_type(
    op: *mut s2n_async_pkey_op,
    r#type: *mut AsyncPkeyOpTypeArg,
) -> c_int {
    ffi::entry(|| {
        s2n_async_pkey_op::get(op)?;
        *ffi::out(r#type)? = s2n_async_pkey_op_type::S2N_ASYNC_SIGN.into();
        Ok(S2N_SUCCESS)
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_async_pkey_op_get_input_size(
    op: *mut s2n_async_pkey_op,
    data_len: *mut u32,
) -> c_int {
    ffi::entry(|| {
        let op = s2n_async_pkey_op::get(op)?;
        let out = ffi::out(data_len)?;
        let len = input(&op.lock().request).len();
        *out = u32::try_from(len).map_err(|_| Error::new(S2N_ERR_SAFETY))?;
        Ok(S2N_SUCCESS)
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_async_pkey_op_get_input(
    op: *mut s2n_async_pkey_op,
    data: *mut u8,
    data_len: u32,
) -> c_int {
    ffi::entry(|| {
        let op = s2n_async_pkey_op::get(op)?;
        if data.is_null() {
            return Err(Error::new(S2N_ERR_NULL));
        }
        let input = input(&op.lock().request);
        if input.len() > data_len as usize {
            return Err(Error::new(S2N_ERR_SAFETY));
        }
        ffi::slice_mut(data, input.len())?.copy_from_slice(&input);
        Ok(S2N_SUCCESS)
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_async_pkey_op_set_output(
    op: *mut s2n_async_pkey_op,
    data: *const u8,
    data_len: u32,
) -> c_int {
    ffi::entry(|| {
        let op = s2n_async_pkey_op::get(op)?;
        if data.is_null() {
            return Err(Error::new(S2N_ERR_NULL));
        }
        let output = ffi::slice(data, data_len as usize)?.to_vec();
        let mut op = op.lock();
        op.output = Some(output);
        op.complete = true;
        Ok(S2N_SUCCESS)
    })
}
