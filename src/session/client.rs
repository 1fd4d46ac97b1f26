//! Client sessions. rustls keeps its client sessions as Rust values and does
//! not turn them into bytes, so the blob s2nrs hands out
//! (`s2n_connection_get_session`, the session ticket callback) names a
//! session kept in this process's registry: a blob resumes in this process
//! while the session is remembered, and is refused elsewhere with
//! `S2N_ERR_INVALID_SERIALIZED_SESSION_STATE`. A TLS1.3 session is offered
//! once (its ticket is single-use); a TLS1.2 session can be offered again.

use std::cell::RefCell;
use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

use rustls::NamedGroup;
use rustls::client::{ClientSessionStore, Tls12ClientSessionValue, Tls13ClientSessionValue};
use rustls::pki_types::ServerName;

use crate::error::{Error, S2N_ERR_INVALID_SERIALIZED_SESSION_STATE};
use crate::notes::{self, Session};

/// "s2rs", a format version, then the session's id.
const MAGIC: &[u8; 4] = b"s2rs";
const VERSION: u8 = 1;
pub const BLOB_LEN: usize = 4 + 1 + 16;
/// Sessions remembered at once; the oldest are forgotten first.
const CAPACITY: usize = 16 * 1024;

/// Offered TLS1.3 sessions remembered, so that a blob offered again is
/// refused with what happened to it.
const SPENT_CAPACITY: usize = 1024;

#[derive(Default)]
struct Registry {
    sessions: HashMap<[u8; 16], Session>,
    order: VecDeque<[u8; 16]>,
    spent: VecDeque<[u8; 16]>,
}

static REGISTRY: Mutex<Option<Registry>> = Mutex::new(None);

/// Forgets every session (`s2n_cleanup_final`: nothing stays allocated).
pub fn forget_all() {
    *REGISTRY.lock().unwrap_or_else(|e| e.into_inner()) = None;
}

/// Remembers a session and returns its blob.
pub fn register(session: Session) -> [u8; BLOB_LEN] {
    let mut id = [0u8; 16];
    let _ = aws_lc_rs::rand::fill(&mut id);
    let mut guard = REGISTRY.lock().unwrap_or_else(|e| e.into_inner());
    let registry = guard.get_or_insert_with(Registry::default);
    if registry.order.len() >= CAPACITY {
        if let Some(old) = registry.order.pop_front() {
            registry.sessions.remove(&old);
        }
    }
    registry.sessions.insert(id, session);
    registry.order.push_back(id);
    let mut blob = [0u8; BLOB_LEN];
    blob[..4].copy_from_slice(MAGIC);
    blob[4] = VERSION;
    blob[5..].copy_from_slice(&id);
    blob
}

/// Checks a blob's form (the session itself is taken when the handshake starts).
pub fn parse_blob(blob: &[u8]) -> Result<[u8; 16], Error> {
    let invalid = |why| Error::with_reason(S2N_ERR_INVALID_SERIALIZED_SESSION_STATE, why);
    if blob.len() != BLOB_LEN || &blob[..4] != MAGIC || blob[4] != VERSION {
        return Err(invalid(
            "not a session of this process (rustls client sessions cannot be serialized)",
        ));
    }
    let id: [u8; 16] = blob[5..]
        .try_into()
        .map_err(|_| invalid("not a session blob"))?;
    let guard = REGISTRY.lock().unwrap_or_else(|e| e.into_inner());
    match guard.as_ref() {
        Some(r) if r.sessions.contains_key(&id) => Ok(id),
        Some(r) if r.spent.contains(&id) => Err(invalid(
            "a TLS1.3 session already offered (rustls gives its ticket up when offering it)",
        )),
        _ => Err(invalid(
            "not a session of this process, or one forgotten (rustls client sessions cannot be serialized)",
        )),
    }
}

/// The session to offer: a TLS1.3 one leaves the registry, a TLS1.2 one is copied.
pub fn take(id: &[u8; 16]) -> Option<Session> {
    let mut guard = REGISTRY.lock().unwrap_or_else(|e| e.into_inner());
    let registry = guard.as_mut()?;
    match registry.sessions.get(id)? {
        Session::Tls12(s) => Some(Session::Tls12(s.clone())),
        Session::Tls13(_) => {
            registry.order.retain(|o| o != id);
            if registry.spent.len() >= SPENT_CAPACITY {
                registry.spent.pop_front();
            }
            registry.spent.push_back(*id);
            registry.sessions.remove(id)
        }
    }
}

/// How much early data a remembered TLS1.3 session allows (0 for others).
pub fn max_early_data(id: &[u8; 16]) -> u32 {
    let guard = REGISTRY.lock().unwrap_or_else(|e| e.into_inner());
    match guard.as_ref().and_then(|r| r.sessions.get(id)) {
        Some(Session::Tls13(s)) => s.max_early_data_size(),
        _ => 0,
    }
}

/// Whether a session lets its client send early data.
pub fn allows_early_data(session: &Session) -> bool {
    matches!(session, Session::Tls13(s) if s.max_early_data_size() > 0)
}

thread_local! {
    /// The session the connection being started offers (set around ClientConnection::new).
    static OFFER: RefCell<Option<Session>> = const { RefCell::new(None) };
}

/// Runs `f` (which creates the rustls client) offering `session`.
pub fn with_offer<T>(session: Option<Session>, f: impl FnOnce() -> T) -> T {
    OFFER.with(|o| *o.borrow_mut() = session);
    let value = f();
    OFFER.with(|o| o.borrow_mut().take());
    value
}

/// The client session store of a config: it offers the connection's session
/// and notes new ones for the connection; it remembers nothing itself.
#[derive(Debug)]
pub struct Store;

impl ClientSessionStore for Store {
    fn set_kx_hint(&self, _: ServerName<'static>, _: NamedGroup) {}

    fn kx_hint(&self, _: &ServerName<'_>) -> Option<NamedGroup> {
        None
    }

    fn set_tls12_session(&self, _: ServerName<'static>, value: Tls12ClientSessionValue) {
        notes::note(|n| n.sessions.push((Session::Tls12(value), None)));
    }

    fn tls12_session(&self, _: &ServerName<'_>) -> Option<Tls12ClientSessionValue> {
        OFFER.with(|o| match &*o.borrow() {
            Some(Session::Tls12(s)) => Some(s.clone()),
            _ => None,
        })
    }

    fn remove_tls12_session(&self, _: &ServerName<'static>) {}

    fn insert_tls13_ticket(&self, _: ServerName<'static>, value: Tls13ClientSessionValue) {
        notes::note(|n| n.sessions.push((Session::Tls13(value), None)));
    }

    fn take_tls13_ticket(&self, _: &ServerName<'static>) -> Option<Tls13ClientSessionValue> {
        OFFER.with(|o| {
            let mut offer = o.borrow_mut();
            match offer.take() {
                Some(Session::Tls13(s)) => Some(s),
                other => {
                    *offer = other;
                    None
                }
            }
        })
    }
}
