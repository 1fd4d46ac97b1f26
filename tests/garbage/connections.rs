//! Connections fed garbage through their recv/send callbacks: a server
//! and a client must fail with an error, never panic or hang.

use super::*;

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
