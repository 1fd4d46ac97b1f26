//! `s2n_mem_set_callbacks`: the application's allocator for everything s2nrs
//! allocates (the allocator itself is `ffi::alloc`).

use std::ffi::c_int;

use crate::error::{Error, S2N_ERR_INITIALIZED, S2N_ERR_NULL};
use crate::ffi::{self, alloc};
use crate::init;
use crate::types::*;

/// Partial: everything s2nrs allocates goes through the callbacks, AWS-LC's
/// allocations included (s2n-tls cannot route its libcrypto's), but the
/// parsed security-policy table and AWS-LC's process-wide state stay
/// allocated after `s2n_cleanup_final` (built once per process; s2n-tls frees
/// everything of its own).
#[unsafe(no_mangle)]
pub extern "C" fn s2n_mem_set_callbacks(
    mem_init_callback: s2n_mem_init_callback,
    mem_cleanup_callback: s2n_mem_cleanup_callback,
    mem_malloc_callback: s2n_mem_malloc_callback,
    mem_free_callback: s2n_mem_free_callback,
) -> c_int {
    ffi::entry(|| {
        init::ensure_not_initialized()?;
        let (Some(init), Some(cleanup), Some(malloc), Some(free)) = (
            mem_init_callback,
            mem_cleanup_callback,
            mem_malloc_callback,
            mem_free_callback,
        ) else {
            return Err(Error::new(S2N_ERR_NULL));
        };
        alloc::set_callbacks(alloc::MemCallbacks {
            init,
            cleanup,
            malloc,
            free,
        })
        .map_err(|e| match e {
            alloc::SetError::AlreadySet => Error::with_reason(
                S2N_ERR_INITIALIZED,
                "s2nrs cannot change allocators once callbacks are set",
            ),
            alloc::SetError::MemoryHeld => Error::with_reason(
                S2N_ERR_INITIALIZED,
                "s2nrs already holds memory from the system allocator; set the callbacks first",
            ),
        })?;
        Ok(S2N_SUCCESS)
    })
}
