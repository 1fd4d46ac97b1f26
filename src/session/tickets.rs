//! Session ticket keys with s2n's lifecycle, and the rustls ticketer that
//! uses them. A key introduced at time T encrypts and decrypts tickets from
//! T for the encrypt-decrypt lifetime, then only decrypts for the decrypt
//! lifetime, then expires. Tickets are `name (16) || nonce (12) ||
//! AES-256-GCM(state)`, under a key derived from the application's key with
//! HKDF-SHA256.

use std::sync::{Arc, Mutex};

use aws_lc_rs::aead::{AES_256_GCM, Aad, LessSafeKey, NONCE_LEN, Nonce, UnboundKey};
use aws_lc_rs::hkdf::{HKDF_SHA256, KeyType, Salt};
use zeroize::Zeroize;

use crate::error::{
    Error, S2N_ERR_INVALID_TICKET_KEY_LENGTH, S2N_ERR_INVALID_TICKET_KEY_NAME_OR_NAME_LENGTH,
    S2N_ERR_TICKET_KEY_LIMIT, S2N_ERR_TICKET_KEY_NOT_UNIQUE,
};
use crate::ffi::callbacks::{self, Clock};
use crate::notes;

/// s2n's limits and default lifetimes.
pub const KEY_NAME_LEN: usize = 16;
pub const MAX_KEYS: usize = 16;
pub const DEFAULT_ENCRYPT_DECRYPT_SECS: u64 = 2 * 3600;
pub const DEFAULT_DECRYPT_SECS: u64 = 13 * 3600;
pub const DEFAULT_STATE_LIFETIME_SECS: u64 = 15 * 3600;

struct TicketKey {
    name: [u8; KEY_NAME_LEN],
    intro_secs: u64,
    aead: LessSafeKey,
}

/// A config's ticket keys and their lifetimes.
pub struct TicketKeys {
    keys: Mutex<Vec<TicketKey>>,
    pub encrypt_decrypt_secs: Mutex<u64>,
    pub decrypt_secs: Mutex<u64>,
}

impl Default for TicketKeys {
    fn default() -> Self {
        Self {
            keys: Mutex::new(Vec::new()),
            encrypt_decrypt_secs: Mutex::new(DEFAULT_ENCRYPT_DECRYPT_SECS),
            decrypt_secs: Mutex::new(DEFAULT_DECRYPT_SECS),
        }
    }
}

struct Len32;

impl KeyType for Len32 {
    fn len(&self) -> usize {
        32
    }
}

/// Seconds since the epoch by the config's wall clock (or the system's).
pub fn now_secs(clock: Clock) -> u64 {
    let nanos = clock
        .and_then(|(cb, ctx)| callbacks::clock(cb, ctx))
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos() as u64)
        });
    nanos / 1_000_000_000
}

impl TicketKeys {
    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<TicketKey>> {
        self.keys.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn lifetimes(&self) -> (u64, u64) {
        let ed = *self
            .encrypt_decrypt_secs
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        let d = *self.decrypt_secs.lock().unwrap_or_else(|e| e.into_inner());
        (ed, d)
    }

    pub fn is_empty(&self) -> bool {
        self.lock().is_empty()
    }

    /// Adds a key; `intro_secs` 0 means now.
    pub fn add(&self, name: &[u8], key: &[u8], intro_secs: u64, now: u64) -> Result<(), Error> {
        if name.is_empty() || name.len() > KEY_NAME_LEN {
            return Err(Error::new(S2N_ERR_INVALID_TICKET_KEY_NAME_OR_NAME_LENGTH));
        }
        if key.is_empty() {
            return Err(Error::new(S2N_ERR_INVALID_TICKET_KEY_LENGTH));
        }
        let mut padded = [0u8; KEY_NAME_LEN];
        padded[..name.len()].copy_from_slice(name);
        let (ed, d) = self.lifetimes();
        let mut keys = self.lock();
        keys.retain(|k| k.intro_secs + ed + d > now);
        if keys.iter().any(|k| k.name == padded) {
            return Err(Error::new(S2N_ERR_TICKET_KEY_NOT_UNIQUE));
        }
        if keys.len() >= MAX_KEYS {
            return Err(Error::new(S2N_ERR_TICKET_KEY_LIMIT));
        }
        let mut derived = [0u8; 32];
        Salt::new(HKDF_SHA256, &padded)
            .extract(key)
            .expand(&[b"s2nrs session ticket key"], Len32)
            .and_then(|okm| okm.fill(&mut derived))
            .map_err(|_| Error::new(S2N_ERR_INVALID_TICKET_KEY_LENGTH))?;
        let aead = UnboundKey::new(&AES_256_GCM, &derived)
            .map_err(|_| Error::new(S2N_ERR_INVALID_TICKET_KEY_LENGTH))?;
        let intro_secs = if intro_secs == 0 { now } else { intro_secs };
        keys.push(TicketKey {
            name: padded,
            intro_secs,
            aead: LessSafeKey::new(aead),
        });
        Ok(())
    }

    /// The newest key that may encrypt now.
    fn encrypting(keys: &[TicketKey], now: u64, ed: u64) -> Option<&TicketKey> {
        keys.iter()
            .filter(|k| k.intro_secs <= now && now < k.intro_secs + ed)
            .max_by_key(|k| k.intro_secs)
    }

    /// How long a ticket encrypted now can still be decrypted: the rest of
    /// its key's encrypt-decrypt and decrypt lifetimes.
    pub(crate) fn encrypting_key_remaining(&self, now: u64) -> Option<u64> {
        let (ed, d) = self.lifetimes();
        let keys = self.lock();
        Self::encrypting(&keys, now, ed).map(|k| (k.intro_secs + ed + d).saturating_sub(now))
    }

    pub(crate) fn encrypt(&self, plain: &[u8], now: u64) -> Option<Vec<u8>> {
        let (ed, _) = self.lifetimes();
        let keys = self.lock();
        let key = Self::encrypting(&keys, now, ed)?;
        let mut nonce = [0u8; NONCE_LEN];
        aws_lc_rs::rand::fill(&mut nonce).ok()?;
        let mut out = Vec::with_capacity(KEY_NAME_LEN + NONCE_LEN + plain.len() + 16);
        out.extend_from_slice(&key.name);
        out.extend_from_slice(&nonce);
        let mut sealed = plain.to_vec();
        key.aead
            .seal_in_place_append_tag(
                Nonce::assume_unique_for_key(nonce),
                Aad::from(&key.name),
                &mut sealed,
            )
            .ok()?;
        out.extend_from_slice(&sealed);
        Some(out)
    }

    /// When a ticket made by `Ticketer` was issued, if it opens under one
    /// of the keys.
    pub fn issued_at(&self, ticket: &[u8], now: u64) -> Option<u64> {
        let mut plain = self.decrypt(ticket, now)?;
        let issued = plain.first_chunk::<8>().map(|b| u64::from_be_bytes(*b));
        plain.zeroize();
        issued
    }

    pub(crate) fn decrypt(&self, ticket: &[u8], now: u64) -> Option<Vec<u8>> {
        if ticket.len() < KEY_NAME_LEN + NONCE_LEN + 16 {
            return None;
        }
        let (name, rest) = ticket.split_at(KEY_NAME_LEN);
        let (nonce, sealed) = rest.split_at(NONCE_LEN);
        let (ed, d) = self.lifetimes();
        let keys = self.lock();
        let key = keys
            .iter()
            .find(|k| k.name == name && k.intro_secs <= now && now < k.intro_secs + ed + d)?;
        let nonce = Nonce::try_assume_unique_for_key(nonce).ok()?;
        let mut buf = sealed.to_vec();
        let plain = key
            .aead
            .open_in_place(nonce, Aad::from(&key.name), &mut buf)
            .ok()?;
        Some(plain.to_vec())
    }
}

/// s2n's bounds on a TLS1.3 ticket's age: a week (or the session state
/// lifetime if longer), and an issue time at most an hour ahead (clock skew
/// between servers).
pub(crate) fn tls13_ticket_fresh(issued: u64, now: u64, lifetime_secs: u64) -> bool {
    const MAX_TLS13_AGE_SECS: u64 = 7 * 24 * 3600;
    const MAX_CLOCK_SKEW_SECS: u64 = 3600;
    issued <= now.saturating_add(MAX_CLOCK_SKEW_SECS)
        && now.saturating_sub(issued) <= MAX_TLS13_AGE_SECS.max(lifetime_secs)
}

/// A new ticket's lifetime, as s2n sets it: the session state lifetime,
/// cut to what is left of the encrypting key's lifetimes, and at most a
/// week (RFC 8446 §4.6.1).
pub(crate) fn ticket_lifetime(keys: &TicketKeys, clock: Clock, state_lifetime_secs: u64) -> u32 {
    const WEEK_SECS: u64 = 7 * 24 * 3600;
    let key_left = keys
        .encrypting_key_remaining(now_secs(clock))
        .unwrap_or(u64::MAX);
    let secs = state_lifetime_secs.min(key_left).min(WEEK_SECS);
    u32::try_from(secs).unwrap_or(u32::MAX)
}

/// The rustls ticketer of a server config. Its tickets carry their issue
/// time (`issued (u64) || rustls's session`): a TLS1.3 ticket opens for a
/// week as in s2n; a TLS1.2 one only within the session state lifetime,
/// judged per connection (`io::hello`, which then sets `opens`).
pub struct Ticketer {
    pub keys: Arc<TicketKeys>,
    pub clock: Clock,
    pub lifetime_secs: u32,
    /// False for a TLS1.2 resumption s2n issues no ticket on: rustls then
    /// sends none (it still opens the client's ticket with `decrypt`).
    pub issue: bool,
    /// False for a TLS1.2 ticket past the session state lifetime.
    pub opens: bool,
}

impl std::fmt::Debug for Ticketer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Ticketer").finish_non_exhaustive()
    }
}

impl rustls::server::ProducesTickets for Ticketer {
    fn enabled(&self) -> bool {
        self.issue
    }

    fn lifetime(&self) -> u32 {
        ticket_lifetime(&self.keys, self.clock, u64::from(self.lifetime_secs))
    }

    fn encrypt(&self, plain: &[u8]) -> Option<Vec<u8>> {
        let now = now_secs(self.clock);
        let mut stamped = Vec::with_capacity(8 + plain.len());
        stamped.extend_from_slice(&now.to_be_bytes());
        stamped.extend_from_slice(plain);
        let ticket = self.keys.encrypt(&stamped, now);
        stamped.zeroize();
        notes::note(|n| n.tickets_sent += 1);
        ticket
    }

    fn decrypt(&self, cipher: &[u8]) -> Option<Vec<u8>> {
        if !self.opens {
            return None;
        }
        let now = now_secs(self.clock);
        let mut plain = self.keys.decrypt(cipher, now)?;
        let issued = u64::from_be_bytes(*plain.first_chunk::<8>()?);
        let fresh = tls13_ticket_fresh(issued, now, u64::from(self.lifetime_secs));
        let session = fresh.then(|| plain[8..].to_vec());
        plain.zeroize();
        session
    }
}
