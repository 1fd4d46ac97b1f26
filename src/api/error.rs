//! The exported functions of `crate::error` (C arguments in, the core
//! called, s2n's result out).

use crate::error::*;
use crate::ffi;
use crate::types::*;
use std::ffi::c_char;
use std::ffi::c_int;

#[unsafe(no_mangle)]
pub extern "C" fn s2n_error_get_type(error: c_int) -> c_int {
    error >> S2N_ERR_NUM_VALUE_BITS
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_strerror(error: c_int, lang: *const c_char) -> *const c_char {
    ffi::entry(|| {
        if !english(lang)? {
            return Ok(NO_SUCH_LANGUAGE.as_ptr());
        }
        Ok(lookup(error).map_or(NO_SUCH_ERROR.as_ptr(), |e| static_str(e.message)))
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_strerror_name(error: c_int) -> *const c_char {
    lookup(error).map_or(NO_SUCH_ERROR.as_ptr(), |e| static_str(e.name))
}

/// The last error's location on this thread; the pointer stays valid until
/// the next failure on this thread.
#[unsafe(no_mangle)]
pub extern "C" fn s2n_strerror_debug(error: c_int, lang: *const c_char) -> *const c_char {
    ffi::entry(|| {
        if !english(lang)? {
            return Ok(NO_SUCH_LANGUAGE.as_ptr());
        }
        if error == S2N_ERR_OK {
            return Ok(static_str(ERRORS[0].message));
        }
        Ok(DEBUG.with(|d| d.borrow().debug.as_ptr()))
    })
}

/// The source location of this thread's last error, as "file:line".
#[unsafe(no_mangle)]
pub extern "C" fn s2n_strerror_source(error: c_int) -> *const c_char {
    if error == S2N_ERR_OK {
        return static_str(ERRORS[0].message);
    }
    DEBUG.with(|d| d.borrow().source.as_ptr())
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_stack_traces_enabled() -> bool {
    STACK_TRACES.load(std::sync::atomic::Ordering::Relaxed)
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_stack_traces_enabled_set(newval: bool) -> c_int {
    STACK_TRACES.store(newval, std::sync::atomic::Ordering::Relaxed);
    S2N_SUCCESS
}

/// Partial: like s2n-tls built without execinfo, succeeds while traces are
/// disabled and cannot capture one when they are enabled.
#[unsafe(no_mangle)]
pub extern "C" fn s2n_calculate_stacktrace() -> c_int {
    if !s2n_stack_traces_enabled() {
        return S2N_SUCCESS;
    }
    ffi::unsupported(
        "s2nrs does not capture stack traces; errors carry their source location instead",
    )
}

/// Nothing is printed: s2nrs captures no stack traces (as s2n-tls without execinfo).
#[unsafe(no_mangle)]
pub extern "C" fn s2n_print_stacktrace(fptr: *mut libc::FILE) -> c_int {
    let _ = fptr;
    S2N_SUCCESS
}

/// No trace is ever held, so there is nothing to free.
#[unsafe(no_mangle)]
pub extern "C" fn s2n_free_stacktrace() -> c_int {
    S2N_SUCCESS
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_get_stacktrace(trace: *mut s2n_stacktrace) -> c_int {
    let _ = trace;
    ffi::unsupported(
        "s2nrs does not capture stack traces; errors carry their source location instead",
    )
}
