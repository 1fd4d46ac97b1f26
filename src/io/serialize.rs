//! Connection serialization (`s2n_connection_serialize`,
//! `s2n_connection_deserialize`): a connection whose handshake is done
//! continues in another process on the same socket. The layout is s2n's
//! version 1, so s2n-tls and s2nrs read each other's:
//!
//! | bytes | field (big-endian) |
//! | 8 | format version (1) |
//! | 2 | protocol version (3, 3 or 3, 4) |
//! | 2 | cipher suite (IANA) |
//! | 8, 8 | sequence numbers of the client's and the server's next records |
//! | 2 | maximum record payload sent |
//! | TLS1.3: 3 x hash length | client and server application traffic secrets, resumption master secret |
//! | TLS1.2: 48 + 32 + 32 | master secret, client random, server random |
//!
//! rustls does not give out the resumption master secret, so s2nrs writes
//! zeros there (a peer deserializing it cannot resume from tickets issued
//! afterwards), and a restored connection has no rustls state: a restored
//! client takes no more session tickets.

use aws_lc_rs::{aead, hmac};
use rustls::{CipherSuite, ProtocolVersion, SupportedCipherSuite};
use zeroize::Zeroize;

use super::{Engine, Tls};
use crate::connection::{Connection, Phase, State};
use crate::error::*;
use crate::record::kernel::{Kernel, Snapshot};
use crate::record::protection::Keys;
use crate::record::{Randoms, Secret};
use crate::types::*;

const FORMAT_VERSION: u64 = 1;
const FIXED_LEN: usize = 30;
const TLS12_LEN: usize = FIXED_LEN + 48 + 32 + 32;
use crate::record::RANDOM_LEN;

/// The server random of a ServerHello at the start of `records` (a record
/// starting with the message: what every server sends first).
pub(super) fn server_random(records: &[u8]) -> Option<[u8; RANDOM_LEN]> {
    const SERVER_HELLO: u8 = 2;
    let random = records.get(11..11 + RANDOM_LEN)?;
    (records[0] == crate::record::protection::HANDSHAKE && records[5] == SERVER_HELLO)
        .then(|| random.try_into().ok())
        .flatten()
}

fn suite_hash_len(suite: SupportedCipherSuite) -> usize {
    let common = match suite {
        SupportedCipherSuite::Tls12(s) => &s.common,
        SupportedCipherSuite::Tls13(s) => &s.common,
    };
    common.hash_provider.output_len()
}

/// The serialized length of a connection with this suite and version.
fn length(suite: SupportedCipherSuite) -> usize {
    match suite {
        SupportedCipherSuite::Tls13(_) => FIXED_LEN + 3 * suite_hash_len(suite),
        SupportedCipherSuite::Tls12(_) => TLS12_LEN,
    }
}

fn require_version(state: &State) -> Result<(), Error> {
    if !state.config.read().serializable {
        return Err(Error::with_reason(
            S2N_ERR_INVALID_STATE,
            "the config has no serialization version (s2n_config_set_serialization_version)",
        ));
    }
    Ok(())
}

pub fn serialization_length(conn: &Connection) -> Result<u32, Error> {
    let state = conn.state();
    require_version(&state)?;
    // Before a suite is negotiated s2n counts the fixed part only (its
    // null suite has no secrets).
    let suite = state.tls.as_ref().and_then(|t| t.negotiated_cipher_suite());
    Ok(suite.map_or(FIXED_LEN, length) as u32)
}

/// Writes the connection into `out`; the connection is then closed and
/// its keys wiped, as in s2n.
pub fn serialize(conn: &Connection, out: &mut [u8]) -> Result<(), Error> {
    let send = conn.send.lock().unwrap_or_else(|e| e.into_inner());
    let recv = conn.recv.lock().unwrap_or_else(|e| e.into_inner());
    let mut state = conn.state();
    require_version(&state)?;
    match state.phase {
        Phase::Established => {}
        Phase::Failed => return Err(Error::new(S2N_ERR_CLOSED)),
        _ => return Err(Error::new(S2N_ERR_HANDSHAKE_NOT_COMPLETE)),
    }
    if state.shutdown.close_notify_sent || state.shutdown.close_notify_received {
        return Err(Error::new(S2N_ERR_CLOSED));
    }
    let tls = state
        .tls
        .as_deref_mut()
        .ok_or_else(|| Error::new(S2N_ERR_INVALID_STATE))?;
    // After the hand-over: data rustls decrypted during the handshake is
    // then in our buffers, and counts as unread.
    tls.take_over().map_err(|e| Error::new(map_tls_error(&e)))?;
    if send.pending() || !recv.is_empty() || tls.holds_data() {
        return Err(Error::with_reason(
            S2N_ERR_INVALID_STATE,
            "records or data wait in the connection's buffers",
        ));
    }
    let snapshot = tls.snapshot().ok_or_else(|| {
        Error::with_reason(
            S2N_ERR_INVALID_STATE,
            "the records are not protected by s2nrs (early data) or a message is half read",
        )
    })?;
    let len = length(snapshot.suite);
    let out = out
        .get_mut(..len)
        .ok_or_else(|| Error::new(S2N_ERR_INSUFFICIENT_MEM_SIZE))?;
    let max_fragment = state.records.max_fragment;
    write(&state, &snapshot, max_fragment, out)?;
    // The keys now live in the blob: this connection must not use them.
    if let Some(tls) = state.tls.as_deref_mut() {
        tls.wipe();
    }
    state.phase = Phase::Failed;
    Ok(())
}

fn write(
    state: &State,
    snapshot: &Snapshot,
    max_fragment: u16,
    out: &mut [u8],
) -> Result<(), Error> {
    let minor = if snapshot.version == ProtocolVersion::TLSv1_3 {
        4
    } else {
        3
    };
    out[..8].copy_from_slice(&FORMAT_VERSION.to_be_bytes());
    out[8..10].copy_from_slice(&[3, minor]);
    out[10..12].copy_from_slice(&u16::from(snapshot.suite.suite()).to_be_bytes());
    out[12..20].copy_from_slice(&snapshot.seqs[0].to_be_bytes());
    out[20..28].copy_from_slice(&snapshot.seqs[1].to_be_bytes());
    out[28..30].copy_from_slice(&max_fragment.to_be_bytes());
    let tail = &mut out[FIXED_LEN..];
    match &snapshot.secrets {
        Some([client, server]) => {
            let h = client.len();
            tail[..h].copy_from_slice(client);
            tail[h..2 * h].copy_from_slice(server);
            tail[2 * h..3 * h].fill(0);
        }
        None => {
            let missing = || {
                Error::with_reason(
                    S2N_ERR_INVALID_STATE,
                    "the TLS1.2 master secret or randoms were not kept (serialization version set after the handshake?)",
                )
            };
            let master = state.facts.master_secret.as_deref().ok_or_else(missing)?;
            let randoms = state.facts.randoms.as_deref().ok_or_else(missing)?;
            let (client, server) = (
                randoms.client.ok_or_else(missing)?,
                randoms.server.ok_or_else(missing)?,
            );
            if master.len() != 48 {
                return Err(missing());
            }
            tail[..48].copy_from_slice(master);
            tail[48..80].copy_from_slice(&client);
            tail[80..112].copy_from_slice(&server);
        }
    }
    Ok(())
}

/// Reads big-endian fields off the blob; a short blob is invalid.
struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], Error> {
        if self.0.len() < n {
            return Err(invalid());
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Ok(head)
    }

    fn u64(&mut self) -> Result<u64, Error> {
        Ok(u64::from_be_bytes(
            self.take(8)?.try_into().map_err(|_| invalid())?,
        ))
    }

    fn u16(&mut self) -> Result<u16, Error> {
        Ok(u16::from_be_bytes(
            self.take(2)?.try_into().map_err(|_| invalid())?,
        ))
    }
}

fn invalid() -> Error {
    Error::new(S2N_ERR_INVALID_SERIALIZED_CONNECTION)
}

/// Restores a serialized connection into a new one of the same mode.
pub fn deserialize(conn: &Connection, blob: &[u8]) -> Result<(), Error> {
    let mut r = Reader(blob);
    if r.u64()? != FORMAT_VERSION {
        return Err(invalid());
    }
    let version = match r.take(2)? {
        [3, 4] => ProtocolVersion::TLSv1_3,
        [3, 3] => ProtocolVersion::TLSv1_2,
        // SSLv3 to TLS1.1 are valid blobs of s2n, but versions s2nrs lacks.
        [3, 0..=2] => return Err(Error::new(S2N_ERR_PROTOCOL_VERSION_UNSUPPORTED)),
        _ => return Err(invalid()),
    };
    let iana = CipherSuite::from(r.u16()?);
    let suite = rustls::crypto::aws_lc_rs::ALL_CIPHER_SUITES
        .iter()
        .copied()
        .find(|s| s.suite() == iana)
        .ok_or_else(invalid)?;
    if (version == ProtocolVersion::TLSv1_3) != suite.tls13().is_some() {
        return Err(invalid());
    }
    let seqs = [r.u64()?, r.u64()?];
    let max_fragment = r.u16()?;
    let mut tls12_state = None;
    let (secrets, tls12_keys) = match suite {
        SupportedCipherSuite::Tls13(_) => {
            let h = suite_hash_len(suite);
            let client = Secret::new(r.take(h)?).ok_or_else(invalid)?;
            let server = Secret::new(r.take(h)?).ok_or_else(invalid)?;
            r.take(h)?;
            (Some([client, server]), None)
        }
        SupportedCipherSuite::Tls12(tls12) => {
            let master = r.take(48)?;
            let client_random = r.take(RANDOM_LEN)?;
            let server_random = r.take(RANDOM_LEN)?;
            let keys = tls12_keys(tls12, master, client_random, server_random)?;
            // Kept to serialize the restored connection again.
            let randoms = Randoms {
                client: client_random.try_into().ok(),
                server: server_random.try_into().ok(),
            };
            tls12_state = Some((Secret::new(master).ok_or_else(invalid)?, randoms));
            (None, Some(keys))
        }
    };
    let snapshot = Snapshot {
        version,
        suite,
        seqs,
        secrets,
    };
    let mut state = conn.state();
    if state.phase != Phase::New || state.tls.is_some() {
        return Err(Error::with_reason(
            S2N_ERR_INVALID_STATE,
            "deserialize into a new connection",
        ));
    }
    let ignore_warnings =
        state.config.read().alert_behavior == s2n_alert_behavior::S2N_ALERT_IGNORE_WARNINGS;
    let kernel = Kernel::restore(conn.is_client(), snapshot, tls12_keys, ignore_warnings)
        .map_err(|_| invalid())?;
    state.tls = Some(Box::new(Tls::new(Engine::Kernel(Box::new(kernel)))));
    if let Some((master, randoms)) = tls12_state {
        state.facts.master_secret = Some(master);
        state.facts.randoms = Some(Box::new(randoms));
    }
    if max_fragment > 0 {
        state.records.max_fragment = max_fragment.min(16384);
    }
    state.phase = Phase::Established;
    Ok(())
}

/// TLS1.2's record keys from its master secret and randoms (RFC 5246 §6.3):
/// client's, server's.
fn tls12_keys(
    suite: &'static rustls::Tls12CipherSuite,
    master: &[u8],
    client_random: &[u8],
    server_random: &[u8],
) -> Result<[Keys; 2], Error> {
    let (algorithm, fixed_iv) = match suite.common.suite {
        CipherSuite::TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256
        | CipherSuite::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 => (&aead::AES_128_GCM, 4),
        CipherSuite::TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384
        | CipherSuite::TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384 => (&aead::AES_256_GCM, 4),
        CipherSuite::TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256
        | CipherSuite::TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256 => {
            (&aead::CHACHA20_POLY1305, 12)
        }
        _ => return Err(invalid()),
    };
    let prf = match suite_hash_len(SupportedCipherSuite::Tls12(suite)) {
        48 => hmac::HMAC_SHA384,
        _ => hmac::HMAC_SHA256,
    };
    let key_len = algorithm.key_len();
    let mut block = [0u8; 2 * 32 + 2 * 12];
    let block = &mut block[..2 * (key_len + fixed_iv)];
    prf_fill(
        prf,
        master,
        b"key expansion",
        &[server_random, client_random],
        block,
    );
    let (keys, ivs) = block.split_at(2 * key_len);
    let keys_of = |i: usize| {
        let mut iv = [0u8; 12];
        iv[..fixed_iv].copy_from_slice(&ivs[i * fixed_iv..(i + 1) * fixed_iv]);
        let keys = Keys::from_parts(algorithm, &keys[i * key_len..(i + 1) * key_len], iv, 0);
        iv.zeroize();
        keys.map_err(|_| invalid())
    };
    let result = [keys_of(0), keys_of(1)];
    block.zeroize();
    let [client, server] = result;
    Ok([client?, server?])
}

/// TLS1.2's PRF (RFC 5246 §5): P_hash(secret, label + seed) into `out`.
fn prf_fill(prf: hmac::Algorithm, secret: &[u8], label: &[u8], seed: &[&[u8]], out: &mut [u8]) {
    let key = hmac::Key::new(prf, secret);
    let with_seed = |ctx: &mut hmac::Context| {
        ctx.update(label);
        for part in seed {
            ctx.update(part);
        }
    };
    // A(1) = HMAC(secret, label + seed)
    let mut a = {
        let mut ctx = hmac::Context::with_key(&key);
        with_seed(&mut ctx);
        ctx.sign()
    };
    for chunk in out.chunks_mut(prf.digest_algorithm().output_len()) {
        let mut ctx = hmac::Context::with_key(&key);
        ctx.update(a.as_ref());
        with_seed(&mut ctx);
        let block = ctx.sign();
        chunk.copy_from_slice(&block.as_ref()[..chunk.len()]);
        a = hmac::sign(&key, a.as_ref());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 5246's PRF with SHA-256, against the widely used test vector
    /// (www.ietf.org/mail-archive/web/tls/current/msg03416.html).
    #[test]
    fn tls12_prf_sha256_vector() {
        let secret = hex("9bbe436ba940f017b17652849a71db35");
        let seed = hex("a0ba9f936cda311827a6f796ffd5198c");
        let mut out = [0u8; 100];
        prf_fill(
            hmac::HMAC_SHA256,
            &secret,
            b"test label",
            &[&seed],
            &mut out,
        );
        let want = hex(
            "e3f229ba727be17b8d122620557cd453c2aab21d07c3d495329b52d4e61edb5a6b301791e90d35c9c9a46b4e14baf9af0fa022f7077def17abfd3797c0564bab4fbc91666e9def9b97fce34f796789baa48082d122ee42c5a72e5a5110fff70187347b66",
        );
        assert_eq!(&out[..], &want[..]);
    }

    fn hex(s: &str) -> Vec<u8> {
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    }
}
