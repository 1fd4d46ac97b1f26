//! Library lifecycle: `s2n_init`, the cleanup calls, and the process-wide
//! switches that must be set before `s2n_init`.

#![forbid(unsafe_code)]

use std::ffi::c_ulong;
use std::sync::Mutex;
use std::sync::atomic::AtomicBool;

use crate::error::{Error, S2N_ERR_INITIALIZED};

/// Whether `s2n_init` has run (and `s2n_cleanup_final` has not since).
pub(crate) static INITIALIZED: Mutex<bool> = Mutex::new(false);
pub(crate) static CRYPTO_INIT_DISABLED: AtomicBool = AtomicBool::new(false);
/// Set by the deprecated `s2n_enable_tls13`: new configs use "default_tls13".
pub static TLS13_DEFAULT_POLICY: AtomicBool = AtomicBool::new(false);

/// `OPENSSL_VERSION_NUMBER` of the AWS-LC that s2nrs is built with (AWS-LC reports 1.1.1).
pub(crate) const AWS_LC_OPENSSL_VERSION_NUMBER: c_ulong = 0x1010107f;

pub fn is_initialized() -> bool {
    *INITIALIZED.lock().unwrap_or_else(|e| e.into_inner())
}

/// Fails with `S2N_ERR_INITIALIZED` once `s2n_init` has run: for the
/// settings s2n only accepts before it.
#[track_caller]
pub fn ensure_not_initialized() -> Result<(), Error> {
    if is_initialized() {
        Err(Error::new(S2N_ERR_INITIALIZED))
    } else {
        Ok(())
    }
}
