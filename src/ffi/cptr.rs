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
        Self(std::ptr::null_mut())
    }
}

/// A value handed from one thread to another that never use it at the same
/// time: a handshake step's state moves to the thread that runs the step
/// while the thread that handed it over waits (see `async_pkey::park`). It holds
/// pointers (the connection's handle) that are not `Send` by themselves.
pub struct Handover<T>(T);

impl<T> Handover<T> {
    pub fn new(value: T) -> Self {
        Self(value)
    }

    pub fn into_inner(self) -> T {
        self.0
    }
}

// SAFETY: the value is used by one thread at a time (the giver waits on a
// channel until the receiver hands it back or parks), and the pointers it
// holds are the connection's handle, valid while the connection exists,
// which outlives the step (dropping a paused step joins its thread).
unsafe impl<T> Send for Handover<T> {}
