//! The library's global allocator. Until the application installs its own
//! callbacks with `s2n_mem_set_callbacks`, it is the system allocator; after,
//! every allocation s2nrs makes goes through the application's malloc/free,
//! so it can count what s2nrs holds.
//!
//! The switch is safe only while s2nrs holds no memory of the allocator it
//! leaves: system blocks are counted until the callbacks are set or
//! `s2n_init` runs, blocks of the application's callbacks while they are in
//! use, and the error path records its debug strings in fixed buffers so
//! failing calls made before `s2n_mem_set_callbacks` leave nothing behind.
//!
//! What lives for the rest of the process (the security-policy table, the
//! library's default config, interned names) is made inside `permanent`:
//! those blocks come from the system allocator and are remembered, so that
//! after `s2n_cleanup_final` nothing stays allocated through the
//! application's callbacks, and an application can set them again (or set
//! others) and call `s2n_init` again, as with s2n-tls.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::ffi::{c_int, c_void};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, AtomicIsize, AtomicPtr, AtomicUsize, Ordering};

/// The application's allocator, as `s2n_mem_set_callbacks` received it.
#[derive(Clone, Copy)]
pub struct MemCallbacks {
    pub init: unsafe extern "C" fn() -> c_int,
    pub cleanup: unsafe extern "C" fn() -> c_int,
    pub malloc: unsafe extern "C" fn(*mut *mut c_void, u32, *mut u32) -> c_int,
    pub free: unsafe extern "C" fn(*mut c_void, u32) -> c_int,
}

/// The callbacks in use (NULL: the system allocator), pointing into `STORE`:
/// each `s2n_mem_set_callbacks` takes the next slot, so the callbacks an
/// allocation went through stay readable for good.
static CALLBACKS: AtomicPtr<MemCallbacks> = AtomicPtr::new(std::ptr::null_mut());
static STORE: [OnceLock<MemCallbacks>; 16] = [const { OnceLock::new() }; 16];
static STORED: AtomicUsize = AtomicUsize::new(0);
/// Live system allocations, counted while the callbacks may still be set.
static LIVE_SYSTEM: AtomicIsize = AtomicIsize::new(0);
static COUNTING: AtomicBool = AtomicBool::new(true);
/// Live blocks of the application's callbacks.
static LIVE_CALLBACK: AtomicIsize = AtomicIsize::new(0);

fn callbacks() -> Option<&'static MemCallbacks> {
    let ptr = CALLBACKS.load(Ordering::Acquire);
    // SAFETY: CALLBACKS is NULL or points at an initialized slot of STORE,
    // which is never changed or freed once set.
    unsafe { ptr.as_ref() }
}

/// Alignment every malloc gives; larger alignments stay with the system allocator.
const MALLOC_ALIGN: usize = 16;

/// Why the callbacks could not be installed.
pub enum SetError {
    AlreadySet,
    MemoryHeld,
}

/// Installs the application's callbacks; later allocations go through them.
/// Allowed while s2nrs holds nothing of the allocator in use: before any
/// allocation, or after `s2n_cleanup_final` returned every block.
pub fn set_callbacks(new: MemCallbacks) -> Result<(), SetError> {
    let held = match callbacks() {
        None => LIVE_SYSTEM.load(Ordering::SeqCst) > 0,
        Some(_) => LIVE_CALLBACK.load(Ordering::SeqCst) > 0,
    };
    if held {
        return Err(SetError::MemoryHeld);
    }
    let index = STORED.fetch_add(1, Ordering::SeqCst);
    let slot = STORE.get(index).ok_or(SetError::AlreadySet)?;
    let stored = slot.get_or_init(|| new);
    CALLBACKS.store(
        (stored as *const MemCallbacks).cast_mut(),
        Ordering::Release,
    );
    stop_counting();
    Ok(())
}

/// Called by `s2n_init`: the callbacks can no longer change, so stop counting.
pub fn stop_counting() {
    COUNTING.store(false, Ordering::Relaxed);
}

/// Runs the application's init or cleanup callback, if any: true on success.
pub fn run_hook(pick: fn(&MemCallbacks) -> unsafe extern "C" fn() -> c_int) -> bool {
    match callbacks() {
        // SAFETY: a callback the application registered for exactly this call.
        Some(cb) => unsafe { pick(cb)() == 0 },
        None => true,
    }
}

fn through_callbacks(layout: Layout) -> Option<&'static MemCallbacks> {
    if layout.align() > MALLOC_ALIGN {
        return None;
    }
    callbacks()
}

thread_local! {
    /// Inside `permanent` on this thread.
    static PERMANENT: Cell<bool> = const { Cell::new(false) };
}

/// Runs `f`, whose allocations that outlive it live for the rest of the
/// process, with the system allocator (see the module's header).
pub fn permanent<T>(f: impl FnOnce() -> T) -> T {
    PERMANENT_SCOPES.fetch_add(1, Ordering::AcqRel);
    let outer = PERMANENT.try_with(|p| p.replace(true)).unwrap_or(false);
    let value = f();
    let _ = PERMANENT.try_with(|p| p.set(outer));
    PERMANENT_SCOPES.fetch_sub(1, Ordering::AcqRel);
    value
}

/// Threads inside `permanent`: while none is, allocations skip the
/// thread-local look-up (a function call in a shared library).
static PERMANENT_SCOPES: AtomicUsize = AtomicUsize::new(0);

fn in_permanent() -> bool {
    PERMANENT_SCOPES.load(Ordering::Relaxed) != 0 && PERMANENT.try_with(Cell::get).unwrap_or(false)
}

/// The addresses of live blocks made inside `permanent`: an open-addressing
/// table (0 free, 1 a removed entry), so that `dealloc` knows them.
const SLOTS: usize = 1 << 13;
const PROBES: usize = 64;
const REMOVED: usize = 1;
static PERMANENT_BLOCKS: [AtomicUsize; SLOTS] = [const { AtomicUsize::new(0) }; SLOTS];
static PERMANENT_LIVE: AtomicUsize = AtomicUsize::new(0);

fn slots(ptr: usize) -> impl Iterator<Item = &'static AtomicUsize> {
    let start =
        (ptr >> 4).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (usize::BITS - SLOTS.trailing_zeros());
    (0..PROBES).map(move |i| &PERMANENT_BLOCKS[(start + i) % SLOTS])
}

/// Remembers a permanent block; false when the table has no room near it.
fn remember(ptr: usize) -> bool {
    for slot in slots(ptr) {
        let current = slot.load(Ordering::Relaxed);
        if (current == 0 || current == REMOVED)
            && slot
                .compare_exchange(current, ptr, Ordering::AcqRel, Ordering::Relaxed)
                .is_ok()
        {
            PERMANENT_LIVE.fetch_add(1, Ordering::AcqRel);
            return true;
        }
    }
    false
}

/// Forgets a permanent block: true if `ptr` was one.
fn forget(ptr: usize) -> bool {
    if PERMANENT_LIVE.load(Ordering::Acquire) == 0 {
        return false;
    }
    for slot in slots(ptr) {
        match slot.load(Ordering::Acquire) {
            0 => return false,
            found if found == ptr => {
                slot.store(REMOVED, Ordering::Release);
                PERMANENT_LIVE.fetch_sub(1, Ordering::AcqRel);
                return true;
            }
            _ => {}
        }
    }
    false
}

pub struct Forwarding;

// SAFETY: each block is freed by the allocator that made it: the choice
// depends only on the layout (known again at dealloc) and on whether the
// callbacks are set, which happens once, while no system block is live.
unsafe impl GlobalAlloc for Forwarding {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if in_permanent() {
            // SAFETY: forwarded as received.
            let ptr = unsafe { System.alloc(layout) };
            if ptr.is_null() || remember(ptr as usize) {
                return ptr;
            }
            // No room to remember it: an ordinary block after all.
            // SAFETY: just allocated with this layout.
            unsafe { System.dealloc(ptr, layout) };
        }
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
        LIVE_CALLBACK.fetch_add(1, Ordering::Relaxed);
        ptr.cast()
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if forget(ptr as usize) {
            // SAFETY: a permanent block, from `System.alloc` with this layout.
            unsafe { System.dealloc(ptr, layout) };
            return;
        }
        match through_callbacks(layout) {
            // SAFETY: `ptr` came from this callback's malloc (see `alloc`):
            // the callbacks only change while none of their blocks is live.
            Some(cb) => unsafe {
                LIVE_CALLBACK.fetch_sub(1, Ordering::Relaxed);
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
