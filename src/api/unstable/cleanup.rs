//! `s2n/unstable/cleanup.h`. The exported functions: C arguments in, s2n's result out.

use crate::types::S2N_SUCCESS;
use std::ffi::c_int;

/// Called by threads that are done with s2n; s2nrs keeps no per-thread state
/// that needs releasing (its error buffers are freed by the thread's exit).
#[unsafe(no_mangle)]
pub extern "C" fn s2n_cleanup_thread() -> c_int {
    S2N_SUCCESS
}
