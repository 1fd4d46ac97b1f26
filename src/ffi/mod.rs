//! The C boundary. Every `extern "C"` body runs inside [`entry`], and every raw
//! pointer the C caller hands us is turned into a Rust reference here, so all
//! of the crate's `unsafe` code lives in this module.

pub(crate) mod alloc;
pub(crate) mod callbacks;
mod cptr;
mod enums;
pub(crate) mod handle;
mod slices;

use std::cell::Cell;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Once;

use crate::error::{self, Error};

pub(crate) use cptr::{CPtr, Handover};
pub(crate) use enums::c_enum_arg;
pub(crate) use handle::{ArcHandle, BoxHandle, RefHandle};
pub(crate) use slices::*;

/// The value a function returns to C when it fails: -1 for `int`/`ssize_t`
/// results, NULL for pointers, and what s2n returns for the other types.
pub trait Failure {
    fn failure() -> Self;
}

macro_rules! failure_value {
    ($($t:ty => $v:expr),* $(,)?) => { $(impl Failure for $t { fn failure() -> Self { $v } })* };
}
failure_value!(
    i32 => -1,
    isize => -1,
    bool => false,
    u32 => 0,
    u64 => 0,
);

impl<T> Failure for *mut T {
    fn failure() -> Self {
        std::ptr::null_mut()
    }
}

impl<T> Failure for *const T {
    fn failure() -> Self {
        std::ptr::null()
    }
}

static QUIET_PANICS: Once = Once::new();

/// What a panic must not leave usable: the object the running exported
/// function looked up first, and how to end it.
type Entered = Option<(*const (), fn(*const ()))>;

thread_local! {
    static ENTERED: Cell<Entered> = const { Cell::new(None) };
}

/// Called when an exported function looks up a connection: should it panic,
/// `end(handle)` runs before it returns, so the connection refuses further
/// use instead of running on with half-updated state.
pub fn entered(handle: *const (), end: fn(*const ())) {
    ENTERED.with(|e| {
        if e.get().is_none() {
            e.set(Some((handle, end)));
        }
    });
}

/// Runs the body of an exported function: a returned error, or a panic, is
/// recorded in `s2n_errno` (and the debug location) and becomes `R::failure()`.
/// Nothing unwinds into C.
pub fn entry<R: Failure>(f: impl FnOnce() -> Result<R, Error>) -> R {
    // A panic is reported through s2n_errno; the application's stderr is not ours to print on.
    QUIET_PANICS.call_once(|| {
        std::panic::set_hook(Box::new(|_| {}));
        alloc::install_crypto_hooks();
    });
    // Functions nest (an application callback may call back in): each has
    // its own entered object.
    let outer = ENTERED.with(|e| e.take());
    let result = catch_unwind(AssertUnwindSafe(f));
    let entered = ENTERED.with(|e| e.replace(outer));
    match result {
        Ok(Ok(value)) => value,
        Ok(Err(err)) => {
            error::record(&err);
            R::failure()
        }
        Err(_) => {
            if let Some((handle, end)) = entered {
                let _ = catch_unwind(|| end(handle));
            }
            error::record(&Error::panicked());
            R::failure()
        }
    }
}

/// The whole body of a function of the inventory that s2nrs does not implement
/// yet: fails with `S2N_ERR_UNIMPLEMENTED`. MATRIX.md lists these as "not yet".
#[track_caller]
pub fn not_yet<R: Failure>() -> R {
    let err = Error::unimplemented("not implemented yet in s2nrs");
    entry(|| Err(err))
}

/// The whole body of a function s2nrs cannot honour on its engine: fails with
/// `S2N_ERR_UNIMPLEMENTED` and `why` in the debug string. MATRIX.md shows `why`.
#[track_caller]
pub fn unsupported<R: Failure>(why: &'static str) -> R {
    let err = Error::unimplemented(why);
    entry(|| Err(err))
}

/// The whole body of a function whose feature s2nrs lacks where s2n-tls
/// itself reports it missing on some builds or platforms: fails with s2n's
/// error for that case (`code`, e.g. `S2N_ERR_KTLS_UNSUPPORTED_PLATFORM`),
/// so callers that check it behave as with such an s2n-tls. MATRIX.md shows
/// `why` and the code.
#[track_caller]
pub fn unavailable<R: Failure>(code: std::ffi::c_int, why: &'static str) -> R {
    let err = Error::with_reason(code, why);
    entry(|| Err(err))
}

unsafe extern "C" {
    /// From csrc/errno.c: the address of this thread's `s2n_errno`.
    fn s2n_errno_location() -> *mut std::ffi::c_int;
}

/// This thread's `s2n_errno`.
pub fn errno() -> std::ffi::c_int {
    // SAFETY: as in `set_errno`.
    unsafe { *s2n_errno_location() }
}

/// Sets this thread's `s2n_errno`.
pub fn set_errno(code: std::ffi::c_int) {
    // SAFETY: the C shim returns the address of a thread-local int that lives
    // as long as this thread.
    unsafe { *s2n_errno_location() = code };
}
