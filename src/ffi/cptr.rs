//! Application pointers s2nrs stores and hands back (`ctx` arguments).

use std::ffi::c_void;

/// A `void *` from the application, kept only to be returned to it or passed
/// to its callbacks; s2nrs never dereferences it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CPtr(pub *mut c_void);

// SAFETY: s2nrs never reads or writes through the pointer; sharing it between
// threads is the application's decision, as in s2n-tls.
unsafe impl Send for CPtr {}
// SAFETY: as above.
unsafe impl Sync for CPtr {}

impl Default for CPtr {
    fn default() -> Self {
        CPtr(std::ptr::null_mut())
    }
}
