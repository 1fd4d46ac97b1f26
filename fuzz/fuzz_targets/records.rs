//! The record path after the handshake (s2n_recv on a connection restored
//! by s2n_connection_deserialize from a fixed TLS1.3 AES-128-GCM client
//! blob, so the fuzzer knows the server's keys). The input is frames: a
//! header byte, then up to 255 bytes (length byte first). A header below
//! 0x80 is the inner content type of a record sealed here with the next
//! sequence number (its low bit set adds 3 bytes of padding); from 0x80 on,
//! the bytes go to the wire as they are (framing, headers, tags, garbage).
//! The connection may then send (an answer to a KeyUpdate) and shut down.
#![no_main]

#[path = "common.rs"]
mod common;

use std::ffi::{c_int, c_void};
use std::sync::OnceLock;

use aws_lc_rs::aead::{AES_128_GCM, Aad, LessSafeKey, Nonce, UnboundKey};
use aws_lc_rs::hkdf;
use libfuzzer_sys::fuzz_target;

unsafe extern "C" {
    fn s2n_config_new_minimal() -> *mut c_void;
    fn s2n_config_set_max_blinding_delay(config: *mut c_void, seconds: u32) -> c_int;
    fn s2n_connection_deserialize(conn: *mut c_void, buf: *mut u8, len: u32) -> c_int;
    fn s2n_recv(conn: *mut c_void, buf: *mut u8, size: isize, blocked: *mut c_int) -> isize;
    fn s2n_send(conn: *mut c_void, buf: *const u8, size: isize, blocked: *mut c_int) -> isize;
    fn s2n_shutdown_send(conn: *mut c_void, blocked: *mut c_int) -> c_int;
}

const CLIENT_SECRET: [u8; 32] = [1; 32];
const SERVER_SECRET: [u8; 32] = [2; 32];

/// A config without blinding delays (a failed record would sleep 10-30 s).
fn config() -> usize {
    static CONFIG: OnceLock<usize> = OnceLock::new();
    // SAFETY: a config of the library's, kept for the process's life.
    *CONFIG.get_or_init(|| unsafe {
        let config = s2n_config_new_minimal();
        assert_eq!(s2n_config_set_max_blinding_delay(config, 0), 0);
        config as usize
    })
}

/// s2n's version-1 blob of a TLS1.3 TLS_AES_128_GCM_SHA256 client.
fn blob() -> Vec<u8> {
    let mut b = Vec::new();
    b.extend_from_slice(&1u64.to_be_bytes());
    b.extend_from_slice(&[3, 4, 0x13, 0x01]);
    b.extend_from_slice(&[0; 16]);
    b.extend_from_slice(&8087u16.to_be_bytes());
    b.extend_from_slice(&CLIENT_SECRET);
    b.extend_from_slice(&SERVER_SECRET);
    b.extend_from_slice(&[0; 32]);
    b
}

struct Len(usize);
impl hkdf::KeyType for Len {
    fn len(&self) -> usize {
        self.0
    }
}

fn expand_label(secret: &[u8], label: &[u8], out: &mut [u8]) {
    let full = [b"tls13 ", label].concat();
    let info: [&[u8]; 4] = [
        &(out.len() as u16).to_be_bytes(),
        &[full.len() as u8],
        &full,
        &[0],
    ];
    hkdf::Prk::new_less_safe(hkdf::HKDF_SHA256, secret)
        .expand(&info, Len(out.len()))
        .unwrap()
        .fill(out)
        .unwrap();
}

/// The server's sealing key and IV.
fn server_keys() -> (LessSafeKey, [u8; 12]) {
    let mut key = [0u8; 16];
    let mut iv = [0u8; 12];
    expand_label(&SERVER_SECRET, b"key", &mut key);
    expand_label(&SERVER_SECRET, b"iv", &mut iv);
    (
        LessSafeKey::new(UnboundKey::new(&AES_128_GCM, &key).unwrap()),
        iv,
    )
}

/// The wire bytes the frames of `data` stand for.
fn wire(data: &[u8]) -> Vec<u8> {
    let (key, iv) = server_keys();
    let mut out = Vec::new();
    let mut seq = 0u64;
    let mut rest = data;
    while let [header, len, tail @ ..] = rest {
        let n = usize::from(*len).min(tail.len());
        let (body, next) = tail.split_at(n);
        rest = next;
        if *header >= 0x80 {
            out.extend_from_slice(body);
            continue;
        }
        let mut inner = body.to_vec();
        inner.push(*header >> 1);
        if header & 1 == 1 {
            inner.extend_from_slice(&[0; 3]);
        }
        let len = inner.len() + 16;
        let record_header = [23, 3, 3, (len >> 8) as u8, len as u8];
        let mut nonce = iv;
        for (n, s) in nonce[4..].iter_mut().zip(seq.to_be_bytes()) {
            *n ^= s;
        }
        key.seal_in_place_append_tag(
            Nonce::assume_unique_for_key(nonce),
            Aad::from(record_header),
            &mut inner,
        )
        .unwrap();
        seq += 1;
        out.extend_from_slice(&record_header);
        out.extend_from_slice(&inner);
    }
    out
}

fuzz_target!(|data: &[u8]| {
    common::setup();
    let input = wire(data);
    let mut blob = blob();
    common::with_connection(1, config() as *mut c_void, &input, |conn| {
        // SAFETY: the connection common::with_connection made, with valid
        // out-pointers and buffers.
        unsafe {
            assert_eq!(
                s2n_connection_deserialize(conn, blob.as_mut_ptr(), blob.len() as u32),
                0
            );
            let mut blocked = 0;
            let mut buf = [0u8; 4096];
            // Until the input ends, the peer closes or the connection fails.
            for _ in 0..256 {
                let n = s2n_recv(conn, buf.as_mut_ptr(), buf.len() as isize, &mut blocked);
                if n <= 0 {
                    common::check(n as c_int);
                    break;
                }
            }
            let n = s2n_send(conn, b"x".as_ptr(), 1, &mut blocked);
            common::check(n.min(0) as c_int);
            common::check(s2n_shutdown_send(conn, &mut blocked));
        }
    });
});
