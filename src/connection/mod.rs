//! `s2n_connection_*`: one TLS connection, its settings and its lifecycle.
//! The protocol state (a rustls connection) is created when the handshake
//! starts and dropped by `s2n_connection_wipe`; the I/O buffers live in
//! `io` and are released by `s2n_connection_release_buffers`.

#![forbid(unsafe_code)]

pub(crate) mod blinding;
pub mod hello;
pub mod info;
pub mod records;
pub mod session;
pub mod signatures;

use std::ffi::{c_int, c_void};
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex, MutexGuard};

use crate::config::{Config, Overrides};
use crate::error::{Error, S2N_ERR_NULL, S2N_ERR_REENTRANCY};
use crate::ffi::{self, BoxHandle};
use crate::notes;
use crate::record::{RecvBuf, Secret, SendBuf, Transport};
use crate::types::*;
pub use blinding::blind;

/// Where a connection is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// Created or wiped: no protocol state yet.
    New,
    Handshaking,
    Established,
    /// A fatal error ended it; only getters and free/wipe remain.
    Failed,
}

/// Settings and protocol state, behind the connection's lock, in parts:
/// what the application set, what the handshake established, the
/// ClientHello, resumption, shutdown, QUIC and early data.
pub struct State {
    pub config: Arc<Config>,
    pub settings: Settings,
    /// Boxed: a rustls connection is over a kilobyte, and a new connection holds none.
    pub tls: Option<Box<crate::record::Tls>>,
    pub phase: Phase,
    pub facts: Facts,
    pub hello: Hello,
    pub resumption: Resumption,
    pub shutdown: Shutdown,
    /// TLS1.3 early data settings and progress.
    pub early: crate::early_data::EarlyData,
    pub quic: Quic,
    /// Bytes of plaintext rustls holds for `s2n_recv`, as of the last read.
    pub plaintext_pending: usize,
    /// How big the records `s2n_send` writes are.
    pub records: records::RecordSizing,
    /// Handshake timings for the events.h subscriber.
    pub events: crate::unstable::events::HandshakeTiming,
    /// Objects the application may still answer through (see notes).
    pub keep_alive: Vec<Box<dyn std::any::Any + Send + Sync>>,
    /// A handshake step waiting for an async private-key operation; it holds
    /// the protocol state (`tls` is None meanwhile).
    pub paused: Option<Box<crate::record::step::PausedStep>>,
}

/// What the application set on the connection itself.
pub struct Settings {
    pub server_name: Option<String>,
    pub overrides: Overrides,
    pub transport: Transport,
    pub blinding: s2n_blinding,
    pub corked: bool,
    pub recv_buffering: bool,
    pub dynamic_buffers: bool,
    /// A key update the application asked for, sent before the next data.
    pub key_update_pending: bool,
}

/// What the handshake established, for the getters.
#[derive(Default)]
pub struct Facts {
    /// The certificate a server chose (or a client sent).
    pub selection: Option<crate::cert_chain::Selected>,
    /// The server name was used to choose a certificate.
    pub server_name_used: bool,
    /// The server asked this client for a certificate.
    pub cert_requested: bool,
    /// The session tickets a server sent.
    pub tickets_sent: u32,
    /// NUL-terminated copies handed to C by the getters: the server name
    /// (ours as a client, the client's SNI as a server) and the ALPN protocol.
    pub server_name_c: Option<std::ffi::CString>,
    pub alpn_c: Option<std::ffi::CString>,
    /// Signature schemes of the server's and the client's handshake signatures.
    pub server_scheme: Option<rustls::SignatureScheme>,
    pub client_scheme: Option<rustls::SignatureScheme>,
    pub ocsp_response: Option<Vec<u8>>,
    /// The TLS1.2 master secret, for `s2n_connection_get_master_secret`,
    /// or the TLS1.3 exporter secret, for `s2n_connection_tls_exporter`.
    pub master_secret: Option<Secret>,
    /// TLS1.3's first application traffic secrets (client's, server's),
    /// until the records are handed over to s2nrs (`record::kernel`).
    pub traffic_secrets: Option<Box<[Option<Secret>; 2]>>,
    /// A TLS1.2 handshake's randoms, while the config serializes connections.
    pub randoms: Option<Box<crate::record::Randoms>>,
    /// The client's chain in s2n's wire form, made on first request.
    pub client_chain_wire: Option<Vec<u8>>,
    /// The peer's certificate chain as validated (s2n hands out only this).
    pub validated_path: Option<notes::ValidatedPath>,
}

/// A server's ClientHello: its records while they arrive, then the parsed
/// message for `s2n_connection_get_client_hello` and the callback's progress.
pub struct Hello {
    pub capture: Option<Box<hello::HelloCapture>>,
    pub client_hello: Option<Box<crate::client_hello::ClientHelloHandle>>,
    pub callback: hello::CallbackStatus,
    /// What it offered, kept after the hello is freed: the client's highest
    /// version and its legacy version (s2n numbers).
    pub client_versions: Option<(c_int, c_int)>,
    /// It asked for a stapled OCSP response (status_request).
    pub ocsp_requested: bool,
    /// `s2n_connection_free_handshake` freed it (and the handshake's state).
    pub handshake_freed: bool,
}

/// Resumption: the session a client offers, and the newest one it
/// received (as its blob).
#[derive(Default)]
pub struct Resumption {
    pub offer_session: Option<[u8; 16]>,
    pub session_blob: Option<[u8; crate::session::client::BLOB_LEN]>,
}

/// How the connection ends.
#[derive(Default)]
pub struct Shutdown {
    /// The last alert the peer sent, for `s2n_connection_get_alert`.
    pub peer_alert: Option<u8>,
    pub close_notify_received: bool,
    pub close_notify_sent: bool,
    /// What `s2n_shutdown` sends after a failure instead of close_notify:
    /// the fatal alert of the few failures s2n names, or the alert record
    /// rustls protected (which only rustls could have replaced).
    pub alert: Option<u8>,
    pub record: Option<Vec<u8>>,
    /// Self-service blinding: when the delay began (the config's monotonic
    /// clock, in nanoseconds) and how long it is.
    /// ([0, 0] when there is none: a plain pair, no Option payload left
    /// uninitialized for memcheck to trip on).
    pub delay: [u64; 2],
}

/// QUIC settings (boxed: most connections never use QUIC) and the QUIC
/// handshake engine.
#[derive(Default)]
pub struct Quic {
    pub settings: Option<Box<crate::quic::Settings>>,
    pub engine: Option<Box<crate::quic::Engine>>,
}

impl State {
    /// s2n's client auth type for this connection (see `Overrides::client_auth`).
    pub fn client_auth(&self, is_client: bool) -> s2n_cert_auth_type {
        self.settings
            .overrides
            .client_auth(&self.config.read(), is_client)
    }

    /// The connection's security policy: its own, else its config's.
    pub fn policy(&self) -> &'static crate::policy::Policy {
        self.settings
            .overrides
            .policy
            .unwrap_or(self.config.read().policy)
    }

    pub(crate) fn new(config: Arc<Config>) -> Self {
        Self {
            config,
            settings: Settings {
                server_name: None,
                overrides: Overrides::default(),
                transport: Transport::default(),
                blinding: s2n_blinding::S2N_BUILT_IN_BLINDING,
                corked: false,
                recv_buffering: false,
                dynamic_buffers: false,
                key_update_pending: false,
            },
            tls: None,
            phase: Phase::New,
            facts: Facts::default(),
            hello: Hello {
                capture: None,
                client_hello: None,
                callback: hello::CallbackStatus::NotInvoked,
                client_versions: None,
                ocsp_requested: false,
                handshake_freed: false,
            },
            resumption: Resumption::default(),
            shutdown: Shutdown::default(),
            early: Default::default(),
            quic: Quic::default(),
            plaintext_pending: 0,
            records: records::RecordSizing::default(),
            events: Default::default(),
            keep_alive: Vec::new(),
            paused: None,
        }
    }
}

pub struct Connection {
    pub mode: s2n_mode,
    pub(crate) state: Mutex<State>,
    pub send: Mutex<SendBuf>,
    pub recv: Mutex<RecvBuf>,
    /// `s2n_connection_set_ctx`: outside the lock, so callbacks can read it.
    pub(crate) ctx: std::sync::atomic::AtomicPtr<c_void>,
    /// The application's config (`s2n_connection_set_config`), readable
    /// without the lock so callbacks can ask for it; NULL while the
    /// connection runs on the library's default config, which, as in s2n,
    /// `s2n_connection_get_config` does not hand out. The connection's state
    /// holds a reference, so the config outlives the pointer.
    pub(crate) app_config: std::sync::atomic::AtomicPtr<Config>,
    /// Bytes read from and written to the transport (counted without the lock).
    pub wire_in: AtomicU64,
    pub wire_out: AtomicU64,
}

impl BoxHandle for s2n_connection {
    type Rust = Connection;
}

/// The config a connection has before `s2n_connection_set_config`, shared.
pub(crate) fn default_config() -> Arc<Config> {
    static DEFAULT: std::sync::OnceLock<Arc<Config>> = std::sync::OnceLock::new();
    DEFAULT
        .get_or_init(|| ffi::alloc::permanent(|| Arc::new(Config::new(true))))
        .clone()
}

impl Connection {
    /// The connection behind a handle. Handshake steps run without the
    /// connection's lock (see `io::feed`), so callbacks inside them can call
    /// getters; a callback run while this thread holds the lock (none does
    /// today) would get `S2N_ERR_REENTRANCY` rather than a deadlock.
    pub fn from_handle<'a>(conn: *mut s2n_connection) -> Result<&'a Self, Error> {
        let connection = s2n_connection::get(conn)?;
        ffi::entered(conn.cast_const().cast(), Self::end_after_panic);
        if notes::driving(conn) && connection.state.try_lock().is_err() {
            return Err(Error::with_reason(
                S2N_ERR_REENTRANCY,
                "called from a callback while this thread holds the connection's lock",
            ));
        }
        Ok(connection)
    }

    /// After a panic inside an exported function working on this connection
    /// (`handle`): it fails from then on, as after a fatal error.
    fn end_after_panic(handle: *const ()) {
        if let Ok(conn) = s2n_connection::get(handle.cast::<s2n_connection>()) {
            conn.state().phase = Phase::Failed;
        }
    }

    /// What our hooks inside a rustls step need to know of this connection.
    pub fn step_context(&self, state: &State) -> notes::Context {
        if state.phase == Phase::Established {
            // Only post-handshake messages (tickets, key updates) are left:
            // no certificate is chosen, signed or verified any more.
            return notes::Context {
                conn: self.handle(),
                ..Default::default()
            };
        }
        notes::Context {
            conn: self.handle(),
            server_name: if self.is_client() {
                state.settings.server_name.clone()
            } else {
                state
                    .facts
                    .server_name_c
                    .as_ref()
                    .map(|n| n.to_string_lossy().into_owned())
            },
            verify_host: state.settings.overrides.verify_host,
            signing: state.config.read().signing,
            schemes: state.policy().signature_schemes(),
            selection: state.facts.selection.as_ref().map(|s| s.to_notes()),
            signed: if self.is_client() {
                state.facts.client_scheme
            } else {
                state.facts.server_scheme
            },
            verified: if self.is_client() {
                state.facts.server_scheme
            } else {
                state.facts.client_scheme
            },
        }
    }

    /// The connection behind a handle, for what needs no lock (its mode, its
    /// ctx): usable from every callback.
    pub fn unlocked<'a>(conn: *mut s2n_connection) -> Result<&'a Self, Error> {
        s2n_connection::get(conn)
    }

    pub fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Runs a change of settings, which must come before the handshake.
    /// Runs a change of settings. As in s2n, settings may change at any
    /// time; once the handshake has started they no longer affect it.
    pub fn configure(&self, f: impl FnOnce(&mut State) -> Result<(), Error>) -> Result<(), Error> {
        f(&mut self.state())
    }

    pub fn is_client(&self) -> bool {
        self.mode == s2n_mode::S2N_CLIENT
    }

    /// The C handle of this connection (the address `s2n_connection_new` returned).
    pub fn handle(&self) -> *mut s2n_connection {
        (self as *const Self).cast_mut().cast()
    }

    /// Applies what the last handshake step noted; returns the key log
    /// lines for the application's callback, to be called without our lock.
    pub fn apply_notes(&self, state: &mut State, notes: notes::Notes) -> Deferred {
        if let Some(selection) = notes.selection {
            state.facts.selection = crate::cert_chain::Selected::from_notes(selection);
        }
        let (ours, theirs) = if self.is_client() {
            (
                &mut state.facts.client_scheme,
                &mut state.facts.server_scheme,
            )
        } else {
            (
                &mut state.facts.server_scheme,
                &mut state.facts.client_scheme,
            )
        };
        if notes.signed.is_some() {
            *ours = notes.signed;
        }
        if notes.verified.is_some() {
            *theirs = notes.verified;
        }
        if notes.ocsp.is_some() {
            state.facts.ocsp_response = notes.ocsp;
        }
        state.facts.tickets_sent += notes.tickets_sent;
        state.facts.cert_requested |= notes.cert_requested;
        if notes.validated.is_some() {
            state.facts.validated_path = notes.validated;
        }
        state.keep_alive.extend(notes.keep_alive);
        let mut deferred = Deferred::default();
        let logging = !notes.secrets.is_empty() && state.config.read().key_log.is_some();
        for secret in notes.secrets {
            if secret.label == "CLIENT_RANDOM" || secret.label == "EXPORTER_SECRET" {
                state.facts.master_secret = Secret::new(&secret.secret);
            }
            if let (Some(randoms), "CLIENT_RANDOM") = (state.facts.randoms.as_mut(), &*secret.label)
            {
                randoms.client = secret.client_random.as_slice().try_into().ok();
            }
            let traffic = ["CLIENT_TRAFFIC_SECRET_0", "SERVER_TRAFFIC_SECRET_0"]
                .iter()
                .position(|label| *label == secret.label);
            if let Some(side) = traffic {
                state.facts.traffic_secrets.get_or_insert_default()[side] =
                    Secret::new(&secret.secret);
            }
            if logging {
                deferred.key_log.push(secret);
            }
        }
        for (session, lifetime) in notes.sessions {
            let blob = crate::session::client::register(session);
            state.resumption.session_blob = Some(blob);
            deferred.tickets.push((blob, lifetime));
        }
        deferred
    }

    /// Runs the application callbacks a handshake step owes, without our lock.
    pub fn run_deferred(&self, deferred: Deferred) {
        if !deferred.key_log.is_empty() {
            self.log_keys(deferred.key_log);
        }
        let (callback, lifetime) = {
            let state = self.state();
            let config = state.config.read();
            (
                config.resumption.session_ticket_cb,
                config.resumption.session_state_lifetime_secs,
            )
        };
        if let Some((cb, ctx)) = callback {
            for (data, ticket_lifetime) in deferred.tickets {
                // The server's lifetime for the ticket where s2nrs read it
                // (TLS1.3), else the config's session state lifetime.
                let lifetime =
                    ticket_lifetime.unwrap_or(u32::try_from(lifetime).unwrap_or(u32::MAX));
                let mut ticket = crate::session::SessionTicket { data, lifetime };
                ffi::callbacks::session_ticket(cb, ctx, self.handle(), &mut ticket);
            }
        }
    }

    /// Hands key log lines to the application's callback, NSS format.
    pub fn log_keys(&self, lines: Vec<notes::Secret>) {
        let Some((cb, ctx)) = self.state().config.read().key_log else {
            return;
        };
        for secret in lines {
            let hex = |b: &[u8]| b.iter().map(|x| format!("{x:02x}")).collect::<String>();
            let secret_hex = zeroize::Zeroizing::new(hex(&secret.secret));
            let line = zeroize::Zeroizing::new(format!(
                "{} {} {}",
                secret.label,
                hex(&secret.client_random),
                &*secret_hex
            ));
            ffi::callbacks::key_log(cb, ctx, self.handle(), line.as_bytes());
        }
    }
}

pub(crate) fn configure(
    conn: *mut s2n_connection,
    f: impl FnOnce(&mut State) -> Result<(), Error>,
) -> c_int {
    ffi::entry(|| {
        Connection::from_handle(conn)?.configure(f)?;
        Ok(S2N_SUCCESS)
    })
}

/// Application callbacks owed after a handshake step, run without our lock.
#[derive(Default)]
pub struct Deferred {
    pub key_log: Vec<notes::Secret>,
    pub tickets: Vec<([u8; crate::session::client::BLOB_LEN], Option<u32>)>,
}

impl Deferred {
    pub fn is_empty(&self) -> bool {
        self.key_log.is_empty() && self.tickets.is_empty()
    }
}

impl Connection {
    /// The negotiated rustls connection, after the handshake started.
    pub fn with_tls<T>(
        &self,
        f: impl FnOnce(&State, &crate::record::Tls) -> Result<T, Error>,
    ) -> Result<T, Error> {
        let state = self.state();
        let tls = state.tls.as_ref().ok_or_else(|| Error::new(S2N_ERR_NULL))?;
        f(&state, tls)
    }
}
