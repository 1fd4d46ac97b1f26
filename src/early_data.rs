//! TLS1.3 early data (0-RTT) with session tickets.
//!
//! rustls accepts early data only with sessions it looks up by ticket
//! (RFC 8446 §8.1): a server whose max early data size is not 0 gets rustls
//! to issue tickets that name a session in `Store`. As in s2n, the ticket a
//! client receives is the session itself, sealed under the config's ticket
//! keys (`seal`): `io::tickets` puts it in place of rustls's name before the
//! NewSessionTicket leaves, and `Store::take` opens it, so it resumes in any
//! process holding the keys, as often as the client likes. s2n adds no
//! anti-replay of its own (its early data callback is where an application
//! adds one), and neither does s2nrs. A ticket that could not be replaced
//! (QUIC, a flight too large) names a session kept in this process, once.
//!
//! A client always requests early data when its session allows it (as s2n
//! does); the application decides whether to send any.

#![forbid(unsafe_code)]

use std::cell::RefCell;
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rustls::server::StoresServerSessions;

use zeroize::Zeroize;

use crate::ffi::callbacks::Clock;
use crate::notes;
use crate::session::tickets::{TicketKeys, now_secs};

/// Largest early data context s2n accepts (it fits in the ticket).
pub(crate) const MAX_CONTEXT_LEN: usize = (1 << 15) - 1;
/// Sessions a config remembers at once; the oldest are forgotten first.
pub(crate) const CAPACITY: usize = 16 * 1024;

/// The server callback's answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Decision {
    #[default]
    Pending,
    Accept,
    Reject,
}

/// A connection's early data settings and progress.
#[derive(Default)]
pub struct EarlyData {
    /// Server: `s2n_connection_set_server_early_data_context`.
    pub context: Option<Vec<u8>>,
    /// Client: whether rustls requested early data, and how much the session allows.
    pub offered: bool,
    pub client_max: u32,
    /// Server: early data bytes handed to the application.
    pub received: u64,
    /// Server: the callback ran, what it decided, and the context of the offered ticket.
    pub cb_called: bool,
    pub decision: Decision,
    pub offered_context: Vec<u8>,
}

/// s2n's early data states, as the status getter reports them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    Unknown,
    NotRequested,
    Requested,
    Accepted,
    Rejected,
    End,
}

thread_local! {
    /// The early data context of the server connection being processed, for
    /// the tickets it issues (set around rustls's processing).
    static TICKET_CONTEXT: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// Runs `f` (rustls processing records) with the context new tickets carry.
pub fn with_ticket_context<T>(context: &[u8], f: impl FnOnce() -> T) -> T {
    /// Frees the context however the step ends (nothing stays allocated
    /// between steps, nor passes to another connection's).
    struct Reset;
    impl Drop for Reset {
        fn drop(&mut self) {
            TICKET_CONTEXT.with(|c| drop(std::mem::take(&mut *c.borrow_mut())));
        }
    }
    TICKET_CONTEXT.with(|c| *c.borrow_mut() = context.to_vec());
    let _reset = Reset;
    f()
}

pub(crate) struct Entry {
    value: Vec<u8>,
    context: Vec<u8>,
    stored: Instant,
}

/// Sessions by ticket, and their tickets oldest first.
pub(crate) type Entries = (HashMap<Vec<u8>, Entry>, VecDeque<Vec<u8>>);

/// Sessions a config issued tickets for, by ticket.
#[derive(Default)]
pub struct Sessions {
    inner: Mutex<Entries>,
}

impl Sessions {
    fn lock(&self) -> std::sync::MutexGuard<'_, Entries> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Forgets sessions whose tickets now carry them.
    pub fn forget<'a>(&self, tickets: impl Iterator<Item = &'a [u8]>) {
        let mut guard = self.lock();
        let (map, order) = &mut *guard;
        for ticket in tickets {
            if map.remove(ticket).is_some() {
                order.retain(|k| k != ticket);
            }
        }
    }
}

/// What opens a config's tickets: its ticket keys, its wall clock, and how
/// long a session lives.
pub struct Opener<'a> {
    pub keys: &'a TicketKeys,
    pub clock: Clock,
    pub lifetime: Duration,
}

/// Marks a sealed session (with its early data context) among what the
/// ticket keys may open.
const SEALED: &[u8; 4] = b"s2ed";

impl Opener<'_> {
    /// `SEALED || issued (seconds, u64) || context (u16 length) || rustls's
    /// session`, under the newest ticket key.
    fn seal(&self, context: &[u8], value: &[u8]) -> Option<Vec<u8>> {
        let now = now_secs(self.clock);
        let mut plain = Vec::with_capacity(14 + context.len() + value.len());
        plain.extend_from_slice(SEALED);
        plain.extend_from_slice(&now.to_be_bytes());
        plain.extend_from_slice(&u16::try_from(context.len()).ok()?.to_be_bytes());
        plain.extend_from_slice(context);
        plain.extend_from_slice(value);
        let sealed = self.keys.encrypt(&plain, now);
        plain.zeroize();
        sealed
    }

    /// The context and session a sealed ticket carries, while it lives.
    fn open(&self, ticket: &[u8]) -> Option<(Vec<u8>, Vec<u8>)> {
        let now = now_secs(self.clock);
        let mut plain = self.keys.decrypt(ticket, now)?;
        let opened = (|| {
            let rest = plain.strip_prefix(SEALED)?;
            let (issued, rest) = rest.split_first_chunk::<8>()?;
            let (len, rest) = rest.split_first_chunk::<2>()?;
            let (context, value) = rest.split_at_checked(usize::from(u16::from_be_bytes(*len)))?;
            let issued = u64::from_be_bytes(*issued);
            crate::session::tickets::tls13_ticket_fresh(issued, now, self.lifetime.as_secs())
                .then(|| (context.to_vec(), value.to_vec()))
        })();
        plain.zeroize();
        opened
    }

    /// The early data context of the session a ticket names or carries.
    pub fn context_of(&self, sessions: &Sessions, ticket: &[u8]) -> Option<Vec<u8>> {
        let kept = sessions
            .lock()
            .0
            .get(ticket)
            .filter(|e| e.stored.elapsed() <= self.lifetime)
            .map(|e| e.context.clone());
        kept.or_else(|| self.open(ticket).map(|(context, _)| context))
    }
}

/// A config's sessions as rustls's server session storage, with what
/// seals them into tickets.
pub struct Store {
    pub sessions: Arc<Sessions>,
    pub keys: Arc<TicketKeys>,
    pub clock: Clock,
    pub lifetime: Duration,
}

impl Store {
    fn opener(&self) -> Opener<'_> {
        Opener {
            keys: &self.keys,
            clock: self.clock,
            lifetime: self.lifetime,
        }
    }
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("early_data::Store").finish()
    }
}

impl StoresServerSessions for Store {
    fn put(&self, key: Vec<u8>, value: Vec<u8>) -> bool {
        let context = TICKET_CONTEXT.with(|c| c.borrow().clone());
        if let Some(sealed) = self.opener().seal(&context, &value) {
            let id = key.clone();
            notes::note(|n| n.issued.push((id, sealed)));
        }
        let mut guard = self.sessions.lock();
        let (map, order) = &mut *guard;
        while order.len() >= CAPACITY {
            if let Some(old) = order.pop_front() {
                map.remove(&old);
            }
        }
        order.push_back(key.clone());
        map.insert(
            key,
            Entry {
                value,
                context,
                stored: Instant::now(),
            },
        );
        true
    }

    fn get(&self, key: &[u8]) -> Option<Vec<u8>> {
        let guard = self.sessions.lock();
        guard
            .0
            .get(key)
            .filter(|e| e.stored.elapsed() <= self.lifetime)
            .map(|e| e.value.clone())
    }

    fn take(&self, key: &[u8]) -> Option<Vec<u8>> {
        let kept = {
            let mut guard = self.sessions.lock();
            let (map, order) = &mut *guard;
            map.remove(key).inspect(|_| order.retain(|k| k != key))
        };
        match kept {
            Some(entry) => (entry.stored.elapsed() <= self.lifetime).then_some(entry.value),
            None => self.opener().open(key).map(|(_, value)| value),
        }
    }

    fn can_cache(&self) -> bool {
        true
    }
}

/// The first PSK identity of a ClientHello's pre_shared_key extension.
pub fn first_psk_identity(ext: &[u8]) -> Option<&[u8]> {
    let identities_len = usize::from(u16::from_be_bytes([*ext.first()?, *ext.get(1)?]));
    let identities = ext.get(2..2 + identities_len)?;
    let len = usize::from(u16::from_be_bytes([
        *identities.first()?,
        *identities.get(1)?,
    ]));
    identities.get(2..2 + len)
}
