//! What rustls's callbacks into our code (certificate resolvers, verifiers,
//! signing keys, session stores, key log) learn during a handshake step.
//! They run on the thread that drives rustls, inside `process_new_packets`,
//! so they write here and the connection takes the notes right after.
//!
//! This module sits below every area whose hooks write it (`cert_chain`,
//! `trust`, `session`, `config`, ...), so it names none of their types: the
//! chosen certificate chain is held as `Any` and typed again by
//! `cert_chain` (`Selection::chain`).

#![forbid(unsafe_code)]

use std::any::Any;
use std::cell::RefCell;
use std::sync::Arc;

use rustls::SignatureScheme;
use rustls::client::{Tls12ClientSessionValue, Tls13ClientSessionValue};

use crate::types::{s2n_async_pkey_fn, s2n_cert_sni_match};

/// The certificate a server picked (or a client sent): a
/// `cert_chain::CertChainAndKey`, read through `Selection::chain`.
#[derive(Clone)]
pub struct Selection {
    pub chosen: Arc<dyn Any + Send + Sync>,
    pub sni_match: s2n_cert_sni_match,
}

/// A session a client received, as rustls gives it.
pub enum Session {
    Tls13(Tls13ClientSessionValue),
    Tls12(Tls12ClientSessionValue),
}

/// How a config's connections sign: `s2n_config_set_async_pkey_callback`,
/// `s2n_config_set_async_pkey_validation_mode` (strict: check the
/// application's signature before using it) and `s2n_config_set_verify_after_sign`.
#[derive(Clone, Copy, Default)]
pub struct Signing {
    pub async_pkey: s2n_async_pkey_fn,
    pub strict: bool,
    pub verify_after_sign: bool,
}

/// A verified chain, as indices: the peer's certificates after its leaf, in
/// path order (up to 8, 0xff ends the list), and the trust anchor among
/// the config's roots (`TrustSettings::ders`; None: the leaf itself is
/// trusted). s2n hands out this chain, not the certificates as sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ValidatedPath {
    pub intermediates: [u8; 8],
    pub root: Option<u32>,
}

/// One key log line's parts (the secret is wiped when dropped).
pub struct Secret {
    pub label: String,
    pub client_random: Vec<u8>,
    pub secret: zeroize::Zeroizing<Vec<u8>>,
}

#[derive(Default)]
pub struct Notes {
    pub selection: Option<Selection>,
    /// The scheme our own key signed with.
    pub signed: Option<SignatureScheme>,
    /// The scheme the peer's signature was checked with.
    pub verified: Option<SignatureScheme>,
    /// The protocol version (s2n's number) our signature showed: what the
    /// version getter answers inside the step, before rustls can be asked.
    pub version: Option<std::ffi::c_int>,
    /// The OCSP response stapled by the server.
    pub ocsp: Option<Vec<u8>>,
    pub secrets: Vec<Secret>,
    /// Sessions a client received, each with the lifetime its TLS1.3
    /// NewSessionTicket gave (None where s2nrs did not read it), and
    /// tickets a server issued.
    pub sessions: Vec<(Session, Option<u32>)>,
    pub tickets_sent: u32,
    /// Server: the session names rustls put in its tickets, each with the
    /// ticket that carries the session instead (see `io::tickets`).
    pub issued: Vec<(Vec<u8>, Vec<u8>)>,
    /// A client was asked for a certificate.
    pub cert_requested: bool,
    /// The peer's chain as verified to a trust anchor (not skipped).
    pub validated: Option<ValidatedPath>,
    /// The server had no certificate chain usable with the client's offer.
    pub no_usable_chain: bool,
    /// Objects handed to the application that must outlive this step (an
    /// asynchronous callback may still answer through them).
    pub keep_alive: Vec<Box<dyn Any + Send + Sync>>,
    /// s2n's error for a failure inside one of our hooks (rustls only
    /// carries a generic error back out of a signer).
    pub failure: Option<crate::error::Error>,
}

thread_local! {
    static NOTES: RefCell<Notes> = RefCell::new(Notes::default());
    static CONTEXT: RefCell<Context> = RefCell::new(Context::default());
}

/// What the connection being driven tells our verifiers: the name a
/// certificate is checked against (ours as a client, the client's SNI as a
/// server) and the connection's own verify-host callback.
#[derive(Clone)]
pub struct Context {
    /// The connection's C handle, for callbacks rustls makes us call.
    pub conn: *mut crate::types::s2n_connection,
    pub server_name: Option<String>,
    pub verify_host: Option<(crate::types::s2n_verify_host_fn, crate::ffi::CPtr)>,
    /// How our private key signs (the config's async and verify settings).
    pub signing: Signing,
    /// The policy's signature schemes, in its order of preference.
    pub schemes: &'static [SignatureScheme],
    /// What earlier steps chose, for getters called from inside this one
    /// (this step's notes take precedence): the chain, and the schemes of
    /// our signature and the peer's.
    pub selection: Option<Selection>,
    pub signed: Option<SignatureScheme>,
    pub verified: Option<SignatureScheme>,
}

impl Default for Context {
    fn default() -> Self {
        Self {
            conn: std::ptr::null_mut(),
            server_name: None,
            verify_host: None,
            signing: Default::default(),
            schemes: &[],
            selection: None,
            signed: None,
            verified: None,
        }
    }
}

/// Runs `f` (a rustls step) with `context` visible to our verifiers.
pub fn with_context<T>(context: Context, f: impl FnOnce() -> T) -> T {
    /// Resets the context however the step ends; after a panic, also drops
    /// the notes it left, so no later step on this thread inherits them.
    struct Reset;
    impl Drop for Reset {
        fn drop(&mut self) {
            CONTEXT.with(|c| *c.borrow_mut() = Context::default());
            if std::thread::panicking() {
                NOTES.with(|n| drop(std::mem::take(&mut *n.borrow_mut())));
            }
        }
    }
    CONTEXT.with(|c| *c.borrow_mut() = context);
    let _reset = Reset;
    f()
}

/// Is this thread inside a rustls step of `conn` (so its lock is held)?
pub fn driving(conn: *const crate::types::s2n_connection) -> bool {
    !conn.is_null() && CONTEXT.with(|c| std::ptr::eq(c.borrow().conn, conn))
}

pub fn context() -> Context {
    CONTEXT.with(|c| c.borrow().clone())
}

pub fn note(f: impl FnOnce(&mut Notes)) {
    NOTES.with(|n| f(&mut n.borrow_mut()));
}

pub fn peek<T>(f: impl FnOnce(&Notes) -> T) -> T {
    NOTES.with(|n| f(&n.borrow()))
}

/// Takes (and clears) this thread's notes.
pub fn take() -> Notes {
    NOTES.with(|n| std::mem::take(&mut *n.borrow_mut()))
}
