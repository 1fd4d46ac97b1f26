//! The garbage tests' harness: the C functions they call, s2n_init with a
//! counting panic hook, error checks, a fixed-seed generator and its
//! mutations, and a watchdog for calls that could hang.

use std::ffi::{CStr, c_char, c_int, c_void};
use std::sync::Once;
use std::sync::atomic::{AtomicUsize, Ordering};

use s2nrs::types::{s2n_client_hello, s2n_config, s2n_connection};

unsafe extern "C" {
    #[link_name = "s2n_errno_location"]
    pub(crate) fn errno_location() -> *mut c_int;
    pub(crate) fn s2n_init() -> c_int;
    pub(crate) fn s2n_config_new_minimal() -> *mut s2n_config;
    pub(crate) fn s2n_config_free(config: *mut s2n_config) -> c_int;
    pub(crate) fn s2n_config_set_max_blinding_delay(config: *mut s2n_config, seconds: u32)
    -> c_int;
    pub(crate) fn s2n_config_add_cert_chain_and_key_to_store(
        config: *mut s2n_config,
        chain: *mut c_void,
    ) -> c_int;
    pub(crate) fn s2n_config_disable_x509_verification(config: *mut s2n_config) -> c_int;
    pub(crate) fn s2n_config_add_pem_to_trust_store(
        config: *mut s2n_config,
        pem: *const c_char,
    ) -> c_int;
    pub(crate) fn s2n_connection_new(mode: c_int) -> *mut s2n_connection;
    pub(crate) fn s2n_connection_free(conn: *mut s2n_connection) -> c_int;
    pub(crate) fn s2n_connection_set_config(
        conn: *mut s2n_connection,
        config: *mut s2n_config,
    ) -> c_int;
    pub(crate) fn s2n_connection_set_recv_cb(conn: *mut s2n_connection, cb: RecvFn) -> c_int;
    pub(crate) fn s2n_connection_set_send_cb(conn: *mut s2n_connection, cb: SendFn) -> c_int;
    pub(crate) fn s2n_connection_set_recv_ctx(conn: *mut s2n_connection, ctx: *mut c_void)
    -> c_int;
    pub(crate) fn s2n_connection_set_send_ctx(conn: *mut s2n_connection, ctx: *mut c_void)
    -> c_int;
    pub(crate) fn s2n_negotiate(conn: *mut s2n_connection, blocked: *mut c_int) -> c_int;
    pub(crate) fn s2n_connection_get_alert(conn: *mut s2n_connection) -> c_int;
    pub(crate) fn s2n_client_hello_get_fingerprint_string(
        ch: *mut s2n_client_hello,
        r#type: c_int,
        max_size: u32,
        output: *mut u8,
        output_size: *mut u32,
    ) -> c_int;
}

pub(crate) type RecvFn = Option<unsafe extern "C" fn(*mut c_void, *mut u8, u32) -> c_int>;
pub(crate) type SendFn = Option<unsafe extern "C" fn(*mut c_void, *const u8, u32) -> c_int>;

pub(crate) const S2N_SERVER: c_int = 0;
pub(crate) const S2N_CLIENT: c_int = 1;
pub(crate) const S2N_ERR_T_BLOCKED: c_int = 3;

// ---------------------------------------------------------------------------
// Harness

pub(crate) static PANICS: AtomicUsize = AtomicUsize::new(0);

/// A test's iteration count times S2NRS_GARBAGE_SCALE (default 1), for
/// longer runs than CI's: `S2NRS_GARBAGE_SCALE=50 cargo test --release --test garbage`.
pub(crate) fn scaled(iterations: usize) -> usize {
    iterations * scale()
}

pub(crate) fn scale() -> usize {
    std::env::var("S2NRS_GARBAGE_SCALE")
        .ok()
        .and_then(|s| s.parse::<usize>().ok())
        .unwrap_or(1)
        .max(1)
}

/// s2n_init once, then a panic hook that counts (the library installs a
/// silent one on its first call; this replaces it).
pub(crate) fn setup() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // SAFETY: plain library initialisation.
        unsafe { s2n_init() };
        std::panic::set_hook(Box::new(move |info| {
            // The test's own assertions (tests/...) are not library panics.
            if info
                .location()
                .is_some_and(|l| l.file().starts_with("tests/"))
            {
                eprintln!("{info}");
                return;
            }
            PANICS.fetch_add(1, Ordering::SeqCst);
            eprintln!("PANIC inside the library: {info}");
        }));
    });
}

pub(crate) fn errno() -> c_int {
    // SAFETY: the library's pointer to this thread's s2n_errno.
    unsafe { *errno_location() }
}

pub(crate) fn debug_text(code: c_int) -> String {
    let p = s2nrs::api::error::s2n_strerror_debug(code, c"EN".as_ptr());
    if p.is_null() {
        return String::new();
    }
    // SAFETY: NUL-terminated, owned by the library for this thread.
    unsafe { CStr::from_ptr(p) }.to_string_lossy().into_owned()
}

pub(crate) fn err_name(code: c_int) -> String {
    let p = s2nrs::api::error::s2n_strerror_name(code);
    // SAFETY: static NUL-terminated string.
    unsafe { CStr::from_ptr(p) }.to_string_lossy().into_owned()
}

/// After a failed call: the error is a real s2n error, not a caught panic.
#[track_caller]
pub(crate) fn check_failure(what: &str, seed: u64, iter: usize) {
    let code = errno();
    let debug = debug_text(code);
    assert!(
        !debug.contains("panic"),
        "{what}: seed {seed:#x} iteration {iter}: a panic was caught at the C boundary ({} {debug})",
        err_name(code)
    );
    assert_ne!(
        code, 0,
        "{what}: seed {seed:#x} iteration {iter}: failure with s2n_errno 0"
    );
}

#[track_caller]
pub(crate) fn check_no_panics(what: &str) {
    assert_eq!(
        PANICS.load(Ordering::SeqCst),
        0,
        "{what}: the library panicked"
    );
}

/// xorshift64* with a fixed seed.
pub(crate) struct Rng(u64);

impl Rng {
    pub(crate) fn new(seed: u64) -> Self {
        Self(seed | 1)
    }
    pub(crate) fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    pub(crate) fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
    pub(crate) fn byte(&mut self) -> u8 {
        self.next() as u8
    }
    /// Up to `max - 1` random bytes.
    pub(crate) fn bytes_upto(&mut self, max: usize) -> Vec<u8> {
        let n = self.below(max);
        self.bytes(n)
    }
    pub(crate) fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.byte()).collect()
    }
    pub(crate) fn chance(&mut self, one_in: usize) -> bool {
        self.below(one_in) == 0
    }
}

/// 1..=4 mutations of `input`: bit flips, random bytes, interesting values,
/// length-ish 16-bit writes, truncation, insertion, deletion, duplication.
pub(crate) fn mutate(rng: &mut Rng, input: &[u8]) -> Vec<u8> {
    let mut v = input.to_vec();
    let rounds = 1 + rng.below(4);
    for _ in 0..rounds {
        let len = v.len();
        match rng.below(9) {
            0 if len > 0 => {
                let i = rng.below(len);
                v[i] ^= 1 << rng.below(8);
            }
            1 if len > 0 => {
                let i = rng.below(len);
                v[i] = rng.byte();
            }
            2 if len > 0 => {
                let i = rng.below(len);
                v[i] = [0x00, 0x01, 0x7f, 0x80, 0xfe, 0xff][rng.below(6)];
            }
            3 if len > 1 => {
                let i = rng.below(len - 1);
                let x: u16 = [0, 1, 0xff, 0x100, 0x7fff, 0xffff, rng.next() as u16][rng.below(7)];
                v[i..i + 2].copy_from_slice(&x.to_be_bytes());
            }
            4 => v.truncate(rng.below(len + 1)),
            5 => {
                let i = rng.below(len + 1);
                let n = 1 + rng.below(16);
                let extra = rng.bytes(n);
                v.splice(i..i, extra);
            }
            6 if len > 0 => {
                let i = rng.below(len);
                let n = 1 + rng.below((len - i).min(32));
                v.drain(i..i + n);
            }
            7 if len > 0 => {
                let i = rng.below(len);
                let n = 1 + rng.below((len - i).min(64));
                let chunk = v[i..i + n].to_vec();
                let at = rng.below(v.len() + 1);
                v.splice(at..at, chunk);
            }
            _ if len > 0 => {
                let i = rng.below(len);
                v[i] = v[i].wrapping_add(1);
            }
            _ => v.push(rng.byte()),
        }
    }
    v
}

/// Runs `body` on its own thread; if it has not finished after `secs`
/// seconds the test fails, naming the iteration it was stuck in (a call
/// spinning inside the library cannot be interrupted; the thread is left
/// behind and the process ends with the test binary).
pub(crate) fn with_watchdog(
    what: &'static str,
    secs: u64,
    body: impl FnOnce(&AtomicUsize) + Send + 'static,
) {
    static PROGRESS: [AtomicUsize; 8] = [const { AtomicUsize::new(0) }; 8];
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let slot = &PROGRESS[NEXT.fetch_add(1, Ordering::SeqCst) % 8];
    let (tx, rx) = std::sync::mpsc::channel();
    let handle = std::thread::spawn(move || {
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| body(slot)));
        let _ = tx.send(());
        if let Err(e) = result {
            std::panic::resume_unwind(e);
        }
    });
    match rx.recv_timeout(std::time::Duration::from_secs(secs * scale() as u64)) {
        Ok(()) => {
            if let Err(e) = handle.join() {
                std::panic::resume_unwind(e);
            }
        }
        Err(_) => panic!(
            "{what}: no progress for {secs} s: hung in iteration {} (see the seed in the test)",
            slot.load(Ordering::SeqCst)
        ),
    }
}
