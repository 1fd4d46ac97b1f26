//! The exported functions of `crate::init` (C arguments in, the core
//! called, s2n's result out).

use crate::error::Error;
use crate::error::S2N_ERR_CANCELLED;
use crate::error::S2N_ERR_INITIALIZED;
use crate::error::S2N_ERR_NOT_INITIALIZED;
use crate::ffi;
use crate::ffi::alloc;
use crate::init::*;
use crate::types::*;
use std::ffi::c_int;
use std::ffi::c_ulong;
use std::sync::atomic::Ordering;

#[unsafe(no_mangle)]
pub extern "C" fn s2n_init() -> c_int {
    ffi::entry(|| {
        let mut initialized = INITIALIZED.lock().unwrap_or_else(|e| e.into_inner());
        if *initialized {
            return Err(Error::new(S2N_ERR_INITIALIZED));
        }
        if !alloc::run_hook(|cb| cb.init) {
            return Err(Error::with_reason(
                S2N_ERR_CANCELLED,
                "the mem init callback failed",
            ));
        }
        alloc::stop_counting();
        // AWS-LC makes its entropy state (process-wide, and this thread's)
        // once and keeps it: made now, with the system allocator, so that
        // s2n_cleanup_final leaves nothing allocated through the callbacks.
        alloc::permanent(|| {
            let mut warm = [0u8; 1];
            let _ = aws_lc_rs::rand::fill(&mut warm);
        });
        if std::env::var_os("S2N_PRINT_STACKTRACE").is_some() {
            crate::api::error::s2n_stack_traces_enabled_set(true);
        }
        *initialized = true;
        Ok(S2N_SUCCESS)
    })
}

/// Per-thread cleanup; s2nrs keeps no per-thread state that needs it.
#[unsafe(no_mangle)]
pub extern "C" fn s2n_cleanup() -> c_int {
    S2N_SUCCESS
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_cleanup_final() -> c_int {
    ffi::entry(|| {
        let mut initialized = INITIALIZED.lock().unwrap_or_else(|e| e.into_inner());
        if !*initialized {
            return Err(Error::new(S2N_ERR_NOT_INITIALIZED));
        }
        // As s2n, nothing of the library stays allocated through the
        // application's callbacks (what lives for good uses the system's).
        crate::session::client::forget_all();
        if !alloc::run_hook(|cb| cb.cleanup) {
            return Err(Error::with_reason(
                S2N_ERR_CANCELLED,
                "the mem cleanup callback failed",
            ));
        }
        *initialized = false;
        Ok(S2N_SUCCESS)
    })
}

/// s2nrs leaves AWS-LC's initialization to aws-lc-rs, which does it on first
/// use; the call keeps s2n's rule that it comes before `s2n_init`.
#[unsafe(no_mangle)]
pub extern "C" fn s2n_crypto_disable_init() -> c_int {
    ffi::entry(|| {
        ensure_not_initialized()?;
        CRYPTO_INIT_DISABLED.store(true, Ordering::Relaxed);
        Ok(S2N_SUCCESS)
    })
}

/// s2nrs registers no atexit handler; as in s2n, only allowed before `s2n_init`.
#[unsafe(no_mangle)]
pub extern "C" fn s2n_disable_atexit() -> c_int {
    ffi::entry(|| {
        ensure_not_initialized()?;
        Ok(S2N_SUCCESS)
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_get_openssl_version() -> c_ulong {
    AWS_LC_OPENSSL_VERSION_NUMBER
}

/// s2nrs is not built in FIPS mode.
#[unsafe(no_mangle)]
pub extern "C" fn s2n_get_fips_mode(fips_mode: *mut FipsModeArg) -> c_int {
    ffi::entry(|| {
        let out = ffi::out(fips_mode)?;
        *out = s2n_fips_mode::S2N_FIPS_MODE_DISABLED.into();
        if !is_initialized() {
            return Err(Error::new(S2N_ERR_NOT_INITIALIZED));
        }
        Ok(S2N_SUCCESS)
    })
}

/// Deprecated in s2n and ignored there too: randomness comes from AWS-LC.
#[unsafe(no_mangle)]
pub extern "C" fn s2n_rand_set_callbacks(
    rand_init_callback: s2n_rand_init_callback,
    rand_cleanup_callback: s2n_rand_cleanup_callback,
    rand_seed_callback: s2n_rand_seed_callback,
    rand_mix_callback: s2n_rand_mix_callback,
) -> c_int {
    let _ = (
        rand_init_callback,
        rand_cleanup_callback,
        rand_seed_callback,
        rand_mix_callback,
    );
    S2N_SUCCESS
}

/// Deprecated: new configs then use the "default_tls13" policy.
#[unsafe(no_mangle)]
pub extern "C" fn s2n_enable_tls13() -> c_int {
    TLS13_DEFAULT_POLICY.store(true, Ordering::Relaxed);
    S2N_SUCCESS
}
