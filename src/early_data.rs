//! TLS1.3 early data (0-RTT) with session tickets.
//!
//! rustls accepts early data only with stateful resumption (RFC 8446 §8.1):
//! a server whose max early data size is not 0 issues TLS1.3 tickets that
//! name a session kept in its config's memory (single-use, which is also
//! anti-replay), not tickets encrypted with the ticket keys. Those tickets
//! resume only against the same config in this process.
//!
//! A client always requests early data when its session allows it (as s2n
//! does); the application decides whether to send any.

use std::cell::RefCell;
use std::collections::{HashMap, VecDeque};
use std::ffi::c_int;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rustls::server::StoresServerSessions;

use crate::connection::{Connection, State};
use crate::error::*;
use crate::ffi;
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
    TICKET_CONTEXT.with(|c| *c.borrow_mut() = context.to_vec());
    let value = f();
    // Freed, not kept: nothing stays allocated between steps.
    TICKET_CONTEXT.with(|c| drop(std::mem::take(&mut *c.borrow_mut())));
    value
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
    /// The early data context of the session a ticket names.
    pub fn context_of(&self, ticket: &[u8], lifetime: Duration) -> Option<Vec<u8>> {
        let guard = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        guard
            .0
            .get(ticket)
            .filter(|e| e.stored.elapsed() <= lifetime)
            .map(|e| e.context.clone())
    }
}

/// A config's sessions as rustls's server session storage, with their lifetime.
pub struct Store {
    pub sessions: Arc<Sessions>,
    pub lifetime: Duration,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("early_data::Store").finish()
    }
}

impl StoresServerSessions for Store {
    fn put(&self, key: Vec<u8>, value: Vec<u8>) -> bool {
        let context = TICKET_CONTEXT.with(|c| c.borrow().clone());
        let mut guard = self
            .sessions
            .inner
            .lock()
            .unwrap_or_else(|e| e.into_inner());
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
        let guard = self
            .sessions
            .inner
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        guard
            .0
            .get(key)
            .filter(|e| e.stored.elapsed() <= self.lifetime)
            .map(|e| e.value.clone())
    }

    fn take(&self, key: &[u8]) -> Option<Vec<u8>> {
        let mut guard = self
            .sessions
            .inner
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        let (map, order) = &mut *guard;
        let entry = map.remove(key)?;
        order.retain(|k| k != key);
        (entry.stored.elapsed() <= self.lifetime).then_some(entry.value)
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
        let lifetime = Duration::from_secs(state.config.read().session_state_lifetime_secs);
        let context = state
            .client_hello
            .as_ref()
            .and_then(|h| h.hello.extension(41))
            .and_then(first_psk_identity)
            .and_then(|id| {
                state
                    .config
                    .read()
                    .early_data_sessions
                    .context_of(id, lifetime)
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
