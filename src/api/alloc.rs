//! The exported functions of `crate::alloc` (C arguments in, the core
//! called, s2n's result out).

use crate::error::Error;
use crate::error::S2N_ERR_INITIALIZED;
use crate::error::S2N_ERR_NULL;
use crate::ffi;
use crate::ffi::alloc;
use crate::init;
use crate::types::*;
use std::ffi::c_int;

/// Everything s2nrs allocates goes through the callbacks, AWS-LC's
/// allocations included (s2n-tls cannot route its libcrypto's), except what
/// lives for the rest of the process (the security-policy table, the
/// default config), which uses the system allocator: after
/// `s2n_cleanup_final` nothing is held through the callbacks, and they may be
/// set again before the next `s2n_init`.
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
                "s2nrs has already switched allocators as often as it can",
            ),
            alloc::SetError::MemoryHeld => Error::with_reason(
                S2N_ERR_INITIALIZED,
                "s2nrs still holds memory from the allocator in use; set the callbacks first or after s2n_cleanup_final",
            ),
        })?;
        Ok(S2N_SUCCESS)
    })
}
