//! What every target shares: s2n_init once, and the check that a failure is
//! a real s2n error. The library turns a panic into S2N_ERR_SAFETY ("internal
//! panic caught at the C boundary") instead of crashing, so the fuzzer would
//! not see it; this turns it back into a crash.

use std::ffi::{CStr, c_int};
use std::sync::Once;

use s2nrs::error;
use s2nrs::api::init::*;

unsafe extern "C" {
    fn s2n_init() -> c_int;
    fn s2n_errno_location() -> *mut c_int;
}

pub fn setup() {
    static INIT: Once = Once::new();
    // SAFETY: s2n_init takes no arguments; called once.
    INIT.call_once(|| assert_eq!(unsafe { s2n_init() }, 0));
}

/// Crashes when the last failure was a panic caught at the C boundary.
pub fn check(rc: c_int) {
    if rc == 0 {
        return;
    }
    // SAFETY: the library's pointer to this thread's s2n_errno.
    let code = unsafe { *s2n_errno_location() };
    let p = s2nrs::api::error::s2n_strerror_debug(code, c"EN".as_ptr());
    if !p.is_null() {
        // SAFETY: NUL-terminated, owned by the library for this thread.
        let text = unsafe { CStr::from_ptr(p) }.to_string_lossy();
        assert!(
            !text.contains("panic"),
            "a panic reached the C boundary: {text}"
        );
    }
}
