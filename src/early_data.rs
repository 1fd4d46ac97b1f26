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
use std::ffi::c_int;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rustls::server::StoresServerSessions;

use zeroize::Zeroize;

use crate::connection::{Connection, State, notes};
use crate::error::*;
use crate::ffi;
use crate::ffi::callbacks::Clock;
use crate::session::tickets::{TicketKeys, now_secs};
use crate::types::*;

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

/// Where the connection is with early data.
pub fn status(is_client: bool, state: &mut State) -> Status {
    let offered_by_client = state
        .client_hello
        .as_ref()
        .map(|h| h.hello.extension(42).is_some());
    let early_offered = state.early.offered;
    let phase = state.phase;
    let Some(tls) = state.tls.as_deref_mut() else {
        return match (is_client, offered_by_client) {
            (false, Some(false)) => Status::NotRequested,
            (false, Some(true)) => Status::Requested,
            _ => Status::Unknown,
        };
    };
    let handshaking = tls.is_handshaking();
    match tls.buffered_mut() {
        // Without early data in play, the connection is unbuffered.
        None if is_client || offered_by_client != Some(true) => Status::NotRequested,
        None => Status::Rejected,
        Some(rustls::Connection::Client(client)) => {
            if !early_offered {
                Status::NotRequested
            } else if client.is_early_data_accepted() {
                // rustls sends EndOfEarlyData as soon as the server's Finished
                // is in; s2n's client waits for s2n_negotiate.
                if phase == crate::connection::Phase::Established {
                    Status::End
                } else {
                    Status::Accepted
                }
            } else if client.early_data().is_some() {
                Status::Requested
            } else {
                Status::Rejected
            }
        }
        Some(rustls::Connection::Server(server)) => {
            if offered_by_client != Some(true) {
                Status::NotRequested
            } else if server.early_data().is_some() {
                if handshaking {
                    Status::Accepted
                } else {
                    Status::End
                }
            } else {
                Status::Rejected
            }
        }
    }
}

/// The most early data the connection may carry.
pub fn max_size(is_client: bool, state: &State) -> u32 {
    if is_client {
        match (&state.tls, state.offer_session) {
            (None, Some(id)) => crate::session::client::max_early_data(&id),
            _ => state.early.client_max,
        }
    } else {
        state
            .overrides
            .early_data_max
            .unwrap_or_else(|| state.config.read().max_early_data_size)
    }
}

/// What the connection may still send (client) or receive (server).
pub fn remaining(is_client: bool, state: &mut State) -> u32 {
    match status(is_client, state) {
        Status::Unknown | Status::Requested | Status::Accepted => {}
        _ => return 0,
    }
    if is_client {
        match state.tls.as_deref_mut().and_then(|t| t.buffered_mut()) {
            Some(rustls::Connection::Client(client)) => client
                .early_data()
                .map_or(0, |e| u32::try_from(e.bytes_left()).unwrap_or(u32::MAX)),
            _ => max_size(true, state),
        }
    } else {
        let max = u64::from(max_size(false, state));
        u32::try_from(max.saturating_sub(state.early.received)).unwrap_or(u32::MAX)
    }
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

/// Server, when the ClientHello is in: runs the early data callback if the
/// client requested early data. Err(blocked) while an asynchronous callback
/// has not decided.
pub fn run_callback(conn: &Connection) -> Result<(), Error> {
    let (cb, ticket_context) = {
        let mut state = conn.state();
        let requested = state
            .client_hello
            .as_ref()
            .is_some_and(|h| h.hello.extension(42).is_some());
        if !requested || max_size(false, &state) == 0 {
            return Ok(());
        }
        if state.early.cb_called {
            return match state.early.decision {
                Decision::Pending => Err(Error::new(S2N_ERR_ASYNC_BLOCKED)),
                _ => Ok(()),
            };
        }
        let Some(cb) = state.config.read().early_data_cb else {
            return Ok(());
        };
        let context = state
            .client_hello
            .as_ref()
            .and_then(|h| h.hello.extension(41))
            .and_then(first_psk_identity)
            .and_then(|id| {
                let config = state.config.read();
                let opener = Opener {
                    keys: &config.ticket_keys,
                    clock: config.wall_clock,
                    lifetime: Duration::from_secs(config.session_state_lifetime_secs),
                };
                opener.context_of(&config.early_data_sessions, id)
            })
            .unwrap_or_default();
        state.early.cb_called = true;
        (cb, context)
    };
    conn.state().early.offered_context = ticket_context;
    let offered: *mut s2n_offered_early_data = conn.handle().cast();
    let rc = ffi::callbacks::early_data(Some(cb), conn.handle(), offered);
    if rc < 0 {
        return Err(Error::new(S2N_ERR_CANCELLED));
    }
    match conn.state().early.decision {
        Decision::Pending => Err(Error::new(S2N_ERR_ASYNC_BLOCKED)),
        _ => Ok(()),
    }
}

pub(crate) fn offered_conn<'a>(
    early_data: *mut s2n_offered_early_data,
) -> Result<&'a Connection, Error> {
    Connection::from_handle(early_data.cast())
}

pub(crate) fn decide(early_data: *mut s2n_offered_early_data, decision: Decision) -> c_int {
    ffi::entry(|| {
        let conn = offered_conn(early_data)?;
        let mut state = conn.state();
        if state.tls.is_some() || !state.early.cb_called {
            return Err(Error::new(S2N_ERR_INVALID_STATE));
        }
        state.early.decision = decision;
        Ok(S2N_SUCCESS)
    })
}
