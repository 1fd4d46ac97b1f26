//! `s2n_mem_set_callbacks`: the application's allocator for everything s2nrs
//! allocates (the allocator itself is `ffi::alloc`).

use std::ffi::c_int;

use crate::error::{Error, S2N_ERR_INITIALIZED, S2N_ERR_NULL};
use crate::ffi::{self, alloc};
use crate::init;
use crate::types::*;

/// Partial: AWS-LC's own allocations do not go through the callbacks yet, and
/// the parsed security-policy table stays allocated after `s2n_cleanup_final`
/// (it is built once per process; s2n-tls frees everything).
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
