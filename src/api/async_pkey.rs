//! The exported functions of `crate::async_pkey` (C arguments in, the core
//! called, s2n's result out).

use crate::async_pkey::*;
use crate::cert_chain::PrivateKey;
use crate::cert_chain::sign::verify;
use crate::config::Config;
use crate::error::*;
use crate::ffi;
use crate::ffi::BoxHandle;
use crate::ffi::RefHandle;
use crate::types::*;
use std::ffi::c_int;

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
