//! Bounded, deterministic fuzz-style tests, the fixed-seed complement of the
//! coverage-guided targets in fuzz/ that runs with every `cargo test`:
//! random bytes and mutations of valid inputs through the
//! extern "C" functions must only ever return errors -- never panic (a panic
//! is caught at the C boundary and reported as S2N_ERR_SAFETY "internal
//! panic caught at the C boundary", so a counting panic hook and that text are
//! both checked), never abort, never hang.
//!
//! Every generator is a fixed-seed xorshift64*, so a failure names the seed
//! and iteration that reproduce it. Iteration counts are printed (run with
//! `--nocapture` to see them).

use std::ffi::{CStr, CString, c_char, c_int, c_void};
use std::sync::Once;
use std::sync::atomic::{AtomicUsize, Ordering};

use s2nrs::api::policy::s2n_config_set_cipher_preferences;
use s2nrs::types::{TlsExtensionTypeArg, s2n_client_hello, s2n_config, s2n_connection};

unsafe extern "C" {
    #[link_name = "s2n_errno_location"]
    fn errno_location() -> *mut c_int;
    fn s2n_init() -> c_int;
    fn s2n_config_new_minimal() -> *mut s2n_config;
    fn s2n_config_free(config: *mut s2n_config) -> c_int;
    fn s2n_config_set_max_blinding_delay(config: *mut s2n_config, seconds: u32) -> c_int;
    fn s2n_config_add_cert_chain_and_key_to_store(
        config: *mut s2n_config,
        chain: *mut c_void,
    ) -> c_int;
    fn s2n_config_disable_x509_verification(config: *mut s2n_config) -> c_int;
    fn s2n_config_add_pem_to_trust_store(config: *mut s2n_config, pem: *const c_char) -> c_int;
    fn s2n_connection_new(mode: c_int) -> *mut s2n_connection;
    fn s2n_connection_free(conn: *mut s2n_connection) -> c_int;
    fn s2n_connection_set_config(conn: *mut s2n_connection, config: *mut s2n_config) -> c_int;
    fn s2n_connection_set_recv_cb(conn: *mut s2n_connection, cb: RecvFn) -> c_int;
    fn s2n_connection_set_send_cb(conn: *mut s2n_connection, cb: SendFn) -> c_int;
    fn s2n_connection_set_recv_ctx(conn: *mut s2n_connection, ctx: *mut c_void) -> c_int;
    fn s2n_connection_set_send_ctx(conn: *mut s2n_connection, ctx: *mut c_void) -> c_int;
    fn s2n_negotiate(conn: *mut s2n_connection, blocked: *mut c_int) -> c_int;
    fn s2n_connection_get_alert(conn: *mut s2n_connection) -> c_int;
    fn s2n_connection_get_client_hello(conn: *mut s2n_connection) -> *mut s2n_client_hello;
    fn s2n_client_hello_get_fingerprint_string(
        ch: *mut s2n_client_hello,
        r#type: c_int,
        max_size: u32,
        output: *mut u8,
        output_size: *mut u32,
    ) -> c_int;
}

type RecvFn = Option<unsafe extern "C" fn(*mut c_void, *mut u8, u32) -> c_int>;
type SendFn = Option<unsafe extern "C" fn(*mut c_void, *const u8, u32) -> c_int>;

const S2N_SERVER: c_int = 0;
const S2N_CLIENT: c_int = 1;
const S2N_ERR_T_BLOCKED: c_int = 3;

// ---------------------------------------------------------------------------
// Harness

static PANICS: AtomicUsize = AtomicUsize::new(0);

/// A test's iteration count times S2NRS_GARBAGE_SCALE (default 1), for
/// longer runs than CI's: `S2NRS_GARBAGE_SCALE=50 cargo test --release --test garbage`.
fn scaled(iterations: usize) -> usize {
    iterations * scale()
}

fn scale() -> usize {
    std::env::var("S2NRS_GARBAGE_SCALE")
        .ok()
        .and_then(|s| s.parse::<usize>().ok())
        .unwrap_or(1)
        .max(1)
}

/// s2n_init once, then a panic hook that counts (the library installs a
/// silent one on its first call; this replaces it).
fn setup() {
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

fn errno() -> c_int {
    // SAFETY: the library's pointer to this thread's s2n_errno.
    unsafe { *errno_location() }
}

fn debug_text(code: c_int) -> String {
    let p = s2nrs::api::error::s2n_strerror_debug(code, c"EN".as_ptr());
    if p.is_null() {
        return String::new();
    }
    // SAFETY: NUL-terminated, owned by the library for this thread.
    unsafe { CStr::from_ptr(p) }.to_string_lossy().into_owned()
}

fn err_name(code: c_int) -> String {
    let p = s2nrs::api::error::s2n_strerror_name(code);
    // SAFETY: static NUL-terminated string.
    unsafe { CStr::from_ptr(p) }.to_string_lossy().into_owned()
}

/// After a failed call: the error is a real s2n error, not a caught panic.
#[track_caller]
fn check_failure(what: &str, seed: u64, iter: usize) {
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
fn check_no_panics(what: &str) {
    assert_eq!(
        PANICS.load(Ordering::SeqCst),
        0,
        "{what}: the library panicked"
    );
}

/// xorshift64* with a fixed seed.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Self(seed | 1)
    }
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
    fn byte(&mut self) -> u8 {
        self.next() as u8
    }
    /// Up to `max - 1` random bytes.
    fn bytes_upto(&mut self, max: usize) -> Vec<u8> {
        let n = self.below(max);
        self.bytes(n)
    }
    fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.byte()).collect()
    }
    fn chance(&mut self, one_in: usize) -> bool {
        self.below(one_in) == 0
    }
}

/// 1..=4 mutations of `input`: bit flips, random bytes, interesting values,
/// length-ish 16-bit writes, truncation, insertion, deletion, duplication.
fn mutate(rng: &mut Rng, input: &[u8]) -> Vec<u8> {
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

mod common;
use common::unhex;
use s2nrs::api::cert_chain::*;
use s2nrs::api::client_hello::*;

const HELLOS: [&str; 8] = [
    include_str!("data/client_hello/gnutls_default.hex"),
    include_str!("data/client_hello/gnutls_tls12_sni.hex"),
    include_str!("data/client_hello/gnutls_tls13_alpn.hex"),
    include_str!("data/client_hello/openssl_alpn.hex"),
    include_str!("data/client_hello/openssl_default.hex"),
    include_str!("data/client_hello/openssl_groups.hex"),
    include_str!("data/client_hello/openssl_split.hex"),
    include_str!("data/client_hello/openssl_tls12.hex"),
];

fn hellos() -> Vec<Vec<u8>> {
    HELLOS.iter().map(|h| unhex(h)).collect()
}

/// Handshake messages as records (one record, or split at random points).
fn as_records(rng: &mut Rng, msg: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut rest = msg;
    while !rest.is_empty() {
        let n = if rng.chance(4) {
            1 + rng.below(rest.len())
        } else {
            rest.len().min(16384)
        };
        let n = n.min(16384);
        out.extend_from_slice(&[0x16, 0x03, 0x01]);
        out.extend_from_slice(&(n as u16).to_be_bytes());
        out.extend_from_slice(&rest[..n]);
        rest = &rest[n..];
    }
    out
}

/// Runs `body` on its own thread; if it has not finished after `secs`
/// seconds the test fails, naming the iteration it was stuck in (a call
/// spinning inside the library cannot be interrupted; the thread is left
/// behind and the process ends with the test binary).
fn with_watchdog(what: &'static str, secs: u64, body: impl FnOnce(&AtomicUsize) + Send + 'static) {
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

// ---------------------------------------------------------------------------
// s2n_client_hello_parse_message

/// Parses `msg`; on success exercises the getters, then frees.
fn parse_and_probe(msg: &[u8], seed: u64, iter: usize) -> bool {
    let ch = s2n_client_hello_parse_message(msg.as_ptr(), msg.len() as u32);
    if ch.is_null() {
        check_failure("s2n_client_hello_parse_message", seed, iter);
        return false;
    }
    let mut buf = vec![0u8; 70000];
    let cap = buf.len() as u32;
    let _ = s2n_client_hello_get_raw_message_length(ch);
    let _ = s2n_client_hello_get_raw_message(ch, buf.as_mut_ptr(), cap);
    let _ = s2n_client_hello_get_cipher_suites_length(ch);
    let _ = s2n_client_hello_get_cipher_suites(ch, buf.as_mut_ptr(), cap);
    let _ = s2n_client_hello_get_extensions_length(ch);
    let _ = s2n_client_hello_get_extensions(ch, buf.as_mut_ptr(), cap);
    for ext in [0u16, 10, 13, 16, 43, 45, 51, 0xff01] {
        let _ = s2n_client_hello_get_extension_length(ch, TlsExtensionTypeArg(c_int::from(ext)));
        let _ = s2n_client_hello_get_extension_by_id(
            ch,
            TlsExtensionTypeArg(c_int::from(ext)),
            buf.as_mut_ptr(),
            cap,
        );
        let mut exists = false;
        let _ = s2n_client_hello_has_extension(ch, ext, &mut exists);
    }
    let mut n32 = 0u32;
    let _ = s2n_client_hello_get_session_id_length(ch, &mut n32);
    let _ = s2n_client_hello_get_session_id(ch, buf.as_mut_ptr(), &mut n32, cap);
    let _ = s2n_client_hello_get_compression_methods_length(ch, &mut n32);
    let _ = s2n_client_hello_get_compression_methods(ch, buf.as_mut_ptr(), cap, &mut n32);
    let mut v8 = 0u8;
    let _ = s2n_client_hello_get_legacy_protocol_version(ch, &mut v8);
    let _ = s2n_client_hello_get_random(ch, buf.as_mut_ptr(), cap);
    let mut groups = [0u16; 64];
    let mut count = 0u16;
    let _ = s2n_client_hello_get_supported_groups(ch, groups.as_mut_ptr(), 64, &mut count);
    let mut n16 = 0u16;
    let _ = s2n_client_hello_get_server_name_length(ch, &mut n16);
    let _ = s2n_client_hello_get_server_name(ch, buf.as_mut_ptr(), 1024, &mut n16);
    // SAFETY: a live ClientHello, a buffer of `cap` bytes, an out pointer.
    let _ =
        unsafe { s2n_client_hello_get_fingerprint_string(ch, 0, cap, buf.as_mut_ptr(), &mut n32) };
    let code = errno();
    assert!(
        !debug_text(code).contains("panic"),
        "getters: seed {seed:#x} iteration {iter}: panic caught"
    );
    let mut ch = ch;
    assert_eq!(s2n_client_hello_free(&mut ch), 0);
    true
}

#[test]
fn client_hello_parse_garbage() {
    setup();
    let seeds = hellos();
    for h in &seeds {
        assert!(
            parse_and_probe(h, 0, 0),
            "a captured ClientHello must parse"
        );
    }
    let seed = 0x5EED_C11E_4E11_0001;
    let mut rng = Rng::new(seed);
    let iterations = scaled(30_000);
    let mut parsed = 0;
    for iter in 0..iterations {
        let input = match rng.below(10) {
            0 => rng.bytes_upto(600),
            1 => {
                // A plausible header on random bytes.
                let body = rng.bytes_upto(400);
                let mut m = vec![1, 0, (body.len() >> 8) as u8, body.len() as u8];
                m.extend_from_slice(&body);
                m
            }
            _ => {
                let i = rng.below(seeds.len());
                mutate(&mut rng, &seeds[i])
            }
        };
        if parse_and_probe(&input, seed, iter) {
            parsed += 1;
        }
    }
    check_no_panics("s2n_client_hello_parse_message");
    println!("client_hello_parse_garbage: {iterations} iterations, {parsed} parsed");
}

// ---------------------------------------------------------------------------
// PEM loading

const PEMS: [(&str, &str); 4] = [
    (
        include_str!("certs/server-ecdsa-chain.pem"),
        include_str!("certs/server-ecdsa-key.pem"),
    ),
    (
        include_str!("certs/server-rsa-chain.pem"),
        include_str!("certs/server-rsa-key.pem"),
    ),
    (
        include_str!("certs/client-ecdsa.pem"),
        include_str!("certs/client-ecdsa-key.pem"),
    ),
    (
        include_str!("certs/ca-ecdsa.pem"),
        include_str!("certs/ca-ecdsa-key.pem"),
    ),
];

/// PEM-aware mutations: base64 characters, line drops, boundary lines.
fn mutate_pem(rng: &mut Rng, pem: &str) -> Vec<u8> {
    const B64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=";
    match rng.below(5) {
        0 => {
            let mut v = pem.as_bytes().to_vec();
            for _ in 0..1 + rng.below(3) {
                let i = rng.below(v.len());
                if v[i] != b'\n' && v[i] != b'-' {
                    v[i] = B64[rng.below(B64.len())];
                }
            }
            v
        }
        1 => {
            let lines: Vec<&str> = pem.lines().collect();
            let drop = rng.below(lines.len());
            lines
                .iter()
                .enumerate()
                .filter(|(i, _)| *i != drop)
                .map(|(_, l)| format!("{l}\n"))
                .collect::<String>()
                .into_bytes()
        }
        2 => {
            let marker = [
                "-----END CERTIFICATE-----\n",
                "-----BEGIN CERTIFICATE-----\n",
                "-----BEGIN PRIVATE KEY-----\n",
                "-----END EC PRIVATE KEY-----\n",
                "\0",
            ][rng.below(5)];
            let mut v = pem.as_bytes().to_vec();
            let at = rng.below(v.len() + 1);
            v.splice(at..at, marker.bytes());
            v
        }
        _ => mutate(rng, pem.as_bytes()),
    }
}

#[test]
fn pem_garbage() {
    setup();
    let seed = 0x5EED_0000_0000_BE11;
    let mut rng = Rng::new(seed);
    let iterations = scaled(3_000);
    let (mut loaded, mut public_loaded, mut trusted) = (0, 0, 0);
    // SAFETY: config handles from the library, freed at the end.
    let config = unsafe { s2n_config_new_minimal() };
    assert!(!config.is_null());
    for iter in 0..iterations {
        let (chain_pem, key_pem) = PEMS[rng.below(PEMS.len())];
        let (mut chain, mut key) = match rng.below(4) {
            0 => (mutate_pem(&mut rng, chain_pem), key_pem.as_bytes().to_vec()),
            1 => (chain_pem.as_bytes().to_vec(), mutate_pem(&mut rng, key_pem)),
            2 => (
                mutate_pem(&mut rng, chain_pem),
                mutate_pem(&mut rng, key_pem),
            ),
            _ => (rng.bytes_upto(2000), rng.bytes_upto(500)),
        };
        let ck = s2n_cert_chain_and_key_new();
        assert!(!ck.is_null());
        let rc = s2n_cert_chain_and_key_load_pem_bytes(
            ck,
            chain.as_mut_ptr(),
            chain.len() as u32,
            key.as_mut_ptr(),
            key.len() as u32,
        );
        if rc == 0 {
            loaded += 1;
        } else {
            check_failure("s2n_cert_chain_and_key_load_pem_bytes", seed, iter);
        }
        assert_eq!(s2n_cert_chain_and_key_free(ck), 0);

        let ck = s2n_cert_chain_and_key_new();
        let rc = s2n_cert_chain_and_key_load_public_pem_bytes(
            ck,
            chain.as_mut_ptr(),
            chain.len() as u32,
        );
        if rc == 0 {
            public_loaded += 1;
        } else {
            check_failure("s2n_cert_chain_and_key_load_public_pem_bytes", seed, iter);
        }
        assert_eq!(s2n_cert_chain_and_key_free(ck), 0);

        if iter % 4 == 0 {
            let text = CString::new(
                chain
                    .iter()
                    .map(|&b| if b == 0 { b'A' } else { b })
                    .collect::<Vec<u8>>(),
            )
            .unwrap();
            // SAFETY: a live config and a NUL-terminated string.
            let rc = unsafe { s2n_config_add_pem_to_trust_store(config, text.as_ptr()) };
            if rc == 0 {
                trusted += 1;
            } else {
                check_failure("s2n_config_add_pem_to_trust_store", seed, iter);
            }
        }
    }
    // SAFETY: the config from above.
    assert_eq!(unsafe { s2n_config_free(config) }, 0);
    check_no_panics("PEM loading");
    println!(
        "pem_garbage: {iterations} iterations, {loaded} chain+key loaded, {public_loaded} public chains loaded, \
         {trusted} of {} trust-store additions accepted",
        iterations.div_ceil(4)
    );
}

// ---------------------------------------------------------------------------
// Policy names

#[test]
fn policy_name_garbage() {
    setup();
    let names = [
        "default",
        "default_tls13",
        "default_fips",
        "20170210",
        "20190801",
        "20230317",
        "20240501",
        "ELBSecurityPolicy-TLS-1-2-Ext-2018-06",
        "AWS-CRT-SDK-TLSv1.3",
        "CloudFront-TLS-1-2-2021",
        "test_all",
        "rfc9151",
        "null",
    ];
    let seed = 0x5EED_0000_0000_9011;
    let mut rng = Rng::new(seed);
    let iterations = scaled(20_000);
    let mut accepted = 0;
    // SAFETY: a config from the library, freed at the end.
    let config = unsafe { s2n_config_new_minimal() };
    assert!(!config.is_null());
    for iter in 0..iterations {
        let mut bytes = match rng.below(4) {
            0 => rng.bytes_upto(80),
            _ => {
                let i = rng.below(names.len());
                mutate(&mut rng, names[i].as_bytes())
            }
        };
        bytes.retain(|&b| b != 0);
        if rng.chance(50) {
            bytes = vec![b'A'; 100_000];
        }
        let name = CString::new(bytes).unwrap();
        let rc = s2n_config_set_cipher_preferences(config, name.as_ptr());
        if rc == 0 {
            accepted += 1;
        } else {
            check_failure("s2n_config_set_cipher_preferences", seed, iter);
        }
    }
    // SAFETY: the config from above.
    assert_eq!(unsafe { s2n_config_free(config) }, 0);
    check_no_panics("s2n_config_set_cipher_preferences");
    println!("policy_name_garbage: {iterations} iterations, {accepted} accepted");
}

// ---------------------------------------------------------------------------
// Connections fed garbage through recv/send callbacks

/// What the recv callback hands out: `input` in chunks of at most `chunk`
/// bytes, then EAGAIN (`eof` false) or end of stream (0).
struct Feed {
    input: Vec<u8>,
    pos: usize,
    chunk: usize,
    eof: bool,
    sent: usize,
}

unsafe extern "C" fn feed_recv(ctx: *mut c_void, buf: *mut u8, len: u32) -> c_int {
    // SAFETY: ctx is the test's Feed, alive for the connection's life.
    let feed = unsafe { &mut *ctx.cast::<Feed>() };
    let left = feed.input.len() - feed.pos;
    if left == 0 {
        if feed.eof {
            return 0;
        }
        // SAFETY: libc's errno of this thread.
        unsafe { *libc::__errno_location() = libc::EAGAIN };
        return -1;
    }
    let n = left.min(len as usize).min(feed.chunk);
    // SAFETY: the library gives `len` writable bytes at buf.
    unsafe { std::ptr::copy_nonoverlapping(feed.input.as_ptr().add(feed.pos), buf, n) };
    feed.pos += n;
    n as c_int
}

unsafe extern "C" fn feed_send(ctx: *mut c_void, _buf: *const u8, len: u32) -> c_int {
    // SAFETY: ctx is the test's Feed.
    let feed = unsafe { &mut *ctx.cast::<Feed>() };
    feed.sent += len as usize;
    len as c_int
}

/// One connection fed `input`; returns the final s2n_errno (0: finished).
fn run_connection(
    config: *mut s2n_config,
    mode: c_int,
    input: Vec<u8>,
    chunk: usize,
    seed: u64,
    iter: usize,
) -> c_int {
    let mut feed = Box::new(Feed {
        input,
        pos: 0,
        chunk,
        eof: false,
        sent: 0,
    });
    let ctx: *mut c_void = (&mut *feed as *mut Feed).cast();
    // SAFETY: library handles; the callbacks' context outlives the connection.
    unsafe {
        let conn = s2n_connection_new(mode);
        assert!(!conn.is_null());
        assert_eq!(s2n_connection_set_config(conn, config), 0);
        assert_eq!(s2n_connection_set_recv_cb(conn, Some(feed_recv)), 0);
        assert_eq!(s2n_connection_set_send_cb(conn, Some(feed_send)), 0);
        assert_eq!(s2n_connection_set_recv_ctx(conn, ctx), 0);
        assert_eq!(s2n_connection_set_send_ctx(conn, ctx), 0);
        let mut result = -1;
        let mut eof_rounds = 0;
        for _ in 0..10_000 {
            let mut blocked: c_int = 0;
            if s2n_negotiate(conn, &mut blocked) == 0 {
                result = 0;
                break;
            }
            let code = errno();
            if s2nrs::api::error::s2n_error_get_type(code) != S2N_ERR_T_BLOCKED {
                check_failure("s2n_negotiate", seed, iter);
                let _ = s2n_connection_get_alert(conn);
                result = code;
                break;
            }
            if feed.pos == feed.input.len() {
                // All input given: the next reads see the end of the stream.
                feed.eof = true;
                eof_rounds += 1;
                assert!(
                    eof_rounds < 5,
                    "seed {seed:#x} iteration {iter}: still blocked after EOF"
                );
            }
        }
        assert_ne!(
            result, -1,
            "seed {seed:#x} iteration {iter}: s2n_negotiate never ended"
        );
        if mode == S2N_SERVER {
            let ch = s2n_connection_get_client_hello(conn);
            if !ch.is_null() {
                let mut buf = [0u8; 512];
                let _ = s2n_client_hello_get_cipher_suites(ch, buf.as_mut_ptr(), buf.len() as u32);
                let mut n16 = 0u16;
                let _ = s2n_client_hello_get_server_name(
                    ch,
                    buf.as_mut_ptr(),
                    buf.len() as u16,
                    &mut n16,
                );
            }
        }
        assert_eq!(s2n_connection_free(conn), 0);
        result
    }
}

fn server_config() -> (*mut s2n_config, *mut c_void) {
    let (chain_pem, key_pem) = PEMS[0];
    let mut chain = chain_pem.as_bytes().to_vec();
    let mut key = key_pem.as_bytes().to_vec();
    let ck = s2n_cert_chain_and_key_new();
    assert_eq!(
        s2n_cert_chain_and_key_load_pem_bytes(
            ck,
            chain.as_mut_ptr(),
            chain.len() as u32,
            key.as_mut_ptr(),
            key.len() as u32
        ),
        0
    );
    // SAFETY: library handles.
    unsafe {
        let config = s2n_config_new_minimal();
        assert_eq!(s2n_config_set_max_blinding_delay(config, 0), 0);
        assert_eq!(
            s2n_config_add_cert_chain_and_key_to_store(config, ck.cast()),
            0
        );
        assert_eq!(
            s2n_config_set_cipher_preferences(config, c"default_tls13".as_ptr()),
            0
        );
        (config, ck.cast())
    }
}

#[test]
fn server_fed_garbage() {
    setup();
    with_watchdog("server_fed_garbage", 20, server_fed_garbage_body);
}

fn server_fed_garbage_body(progress: &AtomicUsize) {
    let (config, ck) = server_config();
    let seeds = hellos();
    let seed = 0x5EED_0000_5E4E_0001;
    let mut rng = Rng::new(seed);
    let iterations = scaled(3_000);
    let mut outcomes = std::collections::BTreeMap::<String, usize>::new();
    for iter in 0..iterations {
        let input = match rng.below(8) {
            0 => rng.bytes_upto(2000),
            1 => {
                // A handshake record header, then random bytes.
                let mut v = vec![0x16, 0x03, 0x01];
                v.extend_from_slice(&(rng.below(0x10000) as u16).to_be_bytes());
                v.extend(rng.bytes_upto(1000));
                v
            }
            2 => {
                // A valid ClientHello, then garbage records.
                let mut v = {
                    let i = rng.below(seeds.len());
                    as_records(&mut rng, &seeds[i])
                };
                v.extend(rng.bytes_upto(500));
                v
            }
            3 => {
                // Mutated records of a valid ClientHello.
                let v = {
                    let i = rng.below(seeds.len());
                    as_records(&mut rng, &seeds[i])
                };
                mutate(&mut rng, &v)
            }
            _ => {
                // A mutated ClientHello in well-formed records.
                let m = {
                    let i = rng.below(seeds.len());
                    mutate(&mut rng, &seeds[i])
                };
                as_records(&mut rng, &m)
            }
        };
        let chunk = [1, 7, 100, usize::MAX][rng.below(4)];
        progress.store(iter, Ordering::SeqCst);
        let code = run_connection(config, S2N_SERVER, input, chunk, seed, iter);
        *outcomes
            .entry(if code == 0 {
                "success".into()
            } else {
                err_name(code)
            })
            .or_default() += 1;
    }
    // SAFETY: the handles from server_config.
    unsafe {
        assert_eq!(s2n_config_free(config), 0);
    }
    assert_eq!(s2n_cert_chain_and_key_free(ck.cast()), 0);
    check_no_panics("a server fed garbage");
    println!("server_fed_garbage: {iterations} iterations, outcomes {outcomes:?}");
}

#[test]
fn client_fed_garbage() {
    setup();
    with_watchdog("client_fed_garbage", 20, client_fed_garbage_body);
}

fn client_fed_garbage_body(progress: &AtomicUsize) {
    // SAFETY: library handles.
    let config = unsafe {
        let config = s2n_config_new_minimal();
        assert_eq!(s2n_config_set_max_blinding_delay(config, 0), 0);
        assert_eq!(s2n_config_disable_x509_verification(config), 0);
        config
    };
    let seed = 0x5EED_0000_C11E_0001;
    let mut rng = Rng::new(seed);
    let iterations = scaled(3_000);
    // A plausible ServerHello skeleton to mutate: TLS1.2 version, random,
    // empty session id, TLS_AES_128_GCM_SHA256, no compression, supported_versions.
    let mut sh = vec![0x02, 0, 0, 0, 0x03, 0x03];
    sh.extend(std::iter::repeat_n(0x42, 32));
    sh.extend_from_slice(&[
        0x00, 0x13, 0x01, 0x00, 0x00, 0x06, 0x00, 0x2b, 0x00, 0x02, 0x03, 0x04,
    ]);
    let body = sh.len() - 4;
    sh[3] = body as u8;
    let mut outcomes = std::collections::BTreeMap::<String, usize>::new();
    for iter in 0..iterations {
        let input = match rng.below(4) {
            0 => rng.bytes_upto(2000),
            1 => {
                let m = mutate(&mut rng, &sh);
                as_records(&mut rng, &m)
            }
            2 => {
                let mut v = as_records(&mut rng, &sh);
                v = mutate(&mut rng, &v);
                v.extend(rng.bytes_upto(300));
                v
            }
            _ => {
                let mut v = vec![[0x14, 0x15, 0x16, 0x17, 0x18][rng.below(5)], 0x03, 0x03];
                let body = rng.bytes_upto(300);
                v.extend_from_slice(&(body.len() as u16).to_be_bytes());
                v.extend(body);
                v
            }
        };
        let chunk = [1, 5, usize::MAX][rng.below(3)];
        progress.store(iter, Ordering::SeqCst);
        let code = run_connection(config, S2N_CLIENT, input, chunk, seed, iter);
        *outcomes
            .entry(if code == 0 {
                "success".into()
            } else {
                err_name(code)
            })
            .or_default() += 1;
    }
    // SAFETY: the config from above.
    assert_eq!(unsafe { s2n_config_free(config) }, 0);
    check_no_panics("a client fed garbage");
    assert_eq!(
        outcomes.get("success"),
        None,
        "a client finished a handshake with garbage"
    );
    println!("client_fed_garbage: {iterations} iterations, outcomes {outcomes:?}");
}
