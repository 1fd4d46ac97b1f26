//! The library's global allocator. Until the application installs its own
//! callbacks with `s2n_mem_set_callbacks`, it is the system allocator; after,
//! every allocation s2nrs makes goes through the application's malloc/free,
//! so it can count what s2nrs holds.
//!
//! The switch is safe only while s2nrs holds no system memory: allocations
//! are counted until the callbacks are set or `s2n_init` runs, and the error
//! path records its debug strings in fixed buffers so failing calls made
//! before `s2n_mem_set_callbacks` leave nothing behind.

use std::alloc::{GlobalAlloc, Layout, System};
use std::ffi::{c_int, c_void};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, AtomicIsize, Ordering};

/// The application's allocator, as `s2n_mem_set_callbacks` received it.
#[derive(Clone, Copy)]
pub struct MemCallbacks {
    pub init: unsafe extern "C" fn() -> c_int,
    pub cleanup: unsafe extern "C" fn() -> c_int,
    pub malloc: unsafe extern "C" fn(*mut *mut c_void, u32, *mut u32) -> c_int,
    pub free: unsafe extern "C" fn(*mut c_void, u32) -> c_int,
}

static CALLBACKS: OnceLock<MemCallbacks> = OnceLock::new();
/// Live system allocations, counted while the callbacks may still be set.
static LIVE_SYSTEM: AtomicIsize = AtomicIsize::new(0);
static COUNTING: AtomicBool = AtomicBool::new(true);

/// Alignment every malloc gives; larger alignments stay with the system allocator.
const MALLOC_ALIGN: usize = 16;

/// Why the callbacks could not be installed.
pub enum SetError {
    AlreadySet,
    MemoryHeld,
}

/// Installs the application's callbacks; later allocations go through them.
pub fn set_callbacks(callbacks: MemCallbacks) -> Result<(), SetError> {
    if LIVE_SYSTEM.load(Ordering::SeqCst) > 0 {
        return Err(SetError::MemoryHeld);
    }
    CALLBACKS.set(callbacks).map_err(|_| SetError::AlreadySet)?;
    stop_counting();
    Ok(())
}

/// Called by `s2n_init`: the callbacks can no longer change, so stop counting.
pub fn stop_counting() {
    COUNTING.store(false, Ordering::Relaxed);
}

/// Runs the application's init or cleanup callback, if any: true on success.
pub fn run_hook(pick: fn(&MemCallbacks) -> unsafe extern "C" fn() -> c_int) -> bool {
    match CALLBACKS.get() {
        // SAFETY: a callback the application registered for exactly this call.
        Some(cb) => unsafe { pick(cb)() == 0 },
        None => true,
    }
}

fn through_callbacks(layout: Layout) -> Option<&'static MemCallbacks> {
    if layout.align() > MALLOC_ALIGN {
        return None;
    }
    CALLBACKS.get()
}

pub struct Forwarding;

// SAFETY: each block is freed by the allocator that made it: the choice
// depends only on the layout (known again at dealloc) and on whether the
// callbacks are set, which happens once, while no system block is live.
unsafe impl GlobalAlloc for Forwarding {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let Some(cb) = through_callbacks(layout) else {
            // SAFETY: forwarded as received.
            let ptr = unsafe { System.alloc(layout) };
            if COUNTING.load(Ordering::Relaxed) && !ptr.is_null() {
                LIVE_SYSTEM.fetch_add(1, Ordering::Relaxed);
            }
            return ptr;
        };
        let Ok(requested) = u32::try_from(layout.size()) else {
            return std::ptr::null_mut();
        };
        let mut ptr: *mut c_void = std::ptr::null_mut();
        let mut allocated: u32 = 0;
        // SAFETY: the application's malloc callback, with valid out-pointers.
        let rc = unsafe { (cb.malloc)(&mut ptr, requested, &mut allocated) };
        if rc != 0 || allocated < requested || ptr.align_offset(layout.align()) != 0 {
            return std::ptr::null_mut();
        }
        ptr.cast()
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        match through_callbacks(layout) {
            // SAFETY: `ptr` came from this callback's malloc (see `alloc`).
            Some(cb) => unsafe {
                (cb.free)(ptr.cast(), layout.size() as u32);
            },
            None => {
                if COUNTING.load(Ordering::Relaxed) {
                    LIVE_SYSTEM.fetch_sub(1, Ordering::Relaxed);
                }
                // SAFETY: `ptr` came from `System.alloc` with this layout.
                unsafe { System.dealloc(ptr, layout) }
            }
        }
    }
}

#[global_allocator]
static GLOBAL: Forwarding = Forwarding;

/// AWS-LC's allocation hooks (csrc/crypto_hooks.c) call these once they are
/// installed, so AWS-LC's memory goes through the global allocator too.
mod crypto_hooks {
    use std::alloc::{GlobalAlloc, Layout};
    use std::ffi::c_void;

    unsafe extern "C" {
        fn s2nrs_install_crypto_hooks(
            alloc: extern "C" fn(usize) -> *mut c_void,
            free: extern "C" fn(*mut c_void, usize),
        );
    }

    /// AWS-LC's blocks are 16-aligned, as malloc's.
    fn layout(size: usize) -> Option<Layout> {
        Layout::from_size_align(size, 16).ok()
    }

    extern "C" fn alloc(size: usize) -> *mut c_void {
        match layout(size) {
            // SAFETY: a valid, non-zero (size includes a header) layout.
            Some(layout) => unsafe { super::GLOBAL.alloc(layout).cast() },
            None => std::ptr::null_mut(),
        }
    }

    extern "C" fn free(ptr: *mut c_void, size: usize) {
        if let Some(layout) = layout(size) {
            // SAFETY: `ptr` was returned by `alloc` with this same size.
            unsafe { super::GLOBAL.dealloc(ptr.cast(), layout) }
        }
    }

    pub fn install() {
        // SAFETY: the C side only stores the two function pointers.
        unsafe { s2nrs_install_crypto_hooks(alloc, free) }
    }
}

/// Routes AWS-LC's allocations through the global allocator from now on.
pub fn install_crypto_hooks() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(crypto_hooks::install);
}
