//! `s2n_mem_set_callbacks`: the application's allocator for everything s2nrs
//! allocates (the allocator itself is `ffi::alloc`).

#![forbid(unsafe_code)]
