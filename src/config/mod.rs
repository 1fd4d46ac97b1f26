//! `s2n_config_*`: the settings shared by many connections. A config is
//! mutable until connections use it; the rustls configurations built from it
//! are cached and rebuilt after any change (see `build`).

#![forbid(unsafe_code)]

pub(crate) mod build;
pub(crate) mod dhparams;

use std::ffi::{c_char, c_int, c_void};
use std::sync::{Arc, Mutex, RwLock, RwLockReadGuard};

use crate::cert_chain::CertChainAndKey;
use crate::error::{
    Error, S2N_ERR_INVALID_APPLICATION_PROTOCOL, S2N_ERR_INVALID_ARGUMENT, S2N_ERR_NULL,
};
use crate::ffi::{self, ArcHandle, CPtr};
use crate::policy::{self, Policy};
use crate::trust::TrustSettings;
use crate::types::*;

pub use build::{Built, Overrides};

use crate::ffi::callbacks::Clock;

/// Who frees the chains of a config: s2n forbids mixing the two ways of adding them.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Ownership {
    None,
    /// `s2n_config_add_cert_chain_and_key`: the config made and frees them.
    Config,
    /// `s2n_config_add_cert_chain_and_key_to_store`: the application frees them.
    Application,
}

/// Everything a config holds.
#[derive(Clone)]
pub struct ConfigState {
    pub policy: &'static Policy,
    pub chains: Vec<Arc<CertChainAndKey>>,
    /// Set by `s2n_config_set_cert_chain_and_key_defaults`; otherwise the
    /// first chain of each key type is a default, as in s2n.
    pub defaults: Option<Vec<Arc<CertChainAndKey>>>,
    pub ownership: Ownership,
    pub trust: TrustSettings,
    /// None until set: clients then answer certificate requests, servers send none.
    pub client_auth: Option<s2n_cert_auth_type>,
    pub alpn: Vec<Vec<u8>>,
    pub alert_behavior: s2n_alert_behavior,
    pub wall_clock: Clock,
    pub monotonic_clock: Clock,
    pub max_blinding_delay_secs: u32,
    pub send_buffer_size: Option<u32>,
    pub recv_multi_record: bool,
    pub status_request: bool,
    /// Async private keys and verify-after-sign.
    pub signing: crate::notes::Signing,
    pub ctx: CPtr,
    pub key_log: Option<(s2n_key_log_fn, CPtr)>,
    pub client_hello_cb: Option<(s2n_client_hello_fn, CPtr)>,
    pub client_hello_cb_mode: s2n_client_hello_cb_mode,
    pub resumption: Resumption,
    /// `s2n_config_add_dhparams`: the checked PKCS#3 DER, never used (rustls has no DHE).
    pub dhparams: Option<Vec<u8>>,
    /// `s2n/unstable/events.h`: the subscriber and its callbacks.
    pub events: crate::unstable::events::EventHooks,
    /// Chooses between two chains of the same key type for the same name.
    pub cert_tiebreak: s2n_cert_tiebreak_callback,
    /// `s2n_config_allow_ip_in_cn`: a Common Name that is an IP address may
    /// stand for the host name when there is no subjectAltName.
    pub allow_ip_in_cn: bool,
    /// `s2n_config_set_cert_validation_cb` (crl.h).
    pub cert_validation_cb: Option<(crate::unstable::crl::s2n_cert_validation_callback, CPtr)>,
    /// `s2n_config_set_crl_lookup_cb` (crl.h).
    pub crl_lookup_cb: Option<(crate::unstable::crl::s2n_crl_lookup_callback, CPtr)>,
    /// `s2n_config_set_serialization_version`: connections can be serialized.
    pub serializable: bool,
    /// `s2n_config_set_renegotiate_request_cb` (renegotiate.h).
    pub renegotiate_cb: Option<(
        crate::unstable::renegotiate::s2n_renegotiate_request_cb,
        CPtr,
    )>,
    /// `s2n_config_set_cert_request_callback` (cert_authorities.h).
    pub cert_request_cb: Option<(
        crate::unstable::cert_authorities::s2n_cert_request_callback,
        CPtr,
    )>,
    /// `s2n_config_set_cert_authorities_from_trust_store`: the subjects a
    /// server sends in its CertificateRequest.
    pub cert_authorities: Vec<rustls::DistinguishedName>,
    pub early_data: EarlyDataSettings,
    /// `s2n_config_enable_quic`: every connection of this config is QUIC.
    pub quic: bool,
}

/// Resumption: session tickets (on/off, the server's keys, lifetimes, the
/// client's callback) and the TLS1.2 session-ID cache.
#[derive(Clone)]
pub struct Resumption {
    pub tickets: bool,
    /// `s2n_config_require_ticket_forward_secrecy`: no TLS1.2 tickets.
    pub ticket_forward_secrecy: bool,
    pub ticket_keys: Arc<crate::session::tickets::TicketKeys>,
    pub session_state_lifetime_secs: u64,
    pub initial_ticket_count: u8,
    pub session_ticket_cb: Option<(s2n_session_ticket_fn, CPtr)>,
    /// The TLS1.2 session-ID cache: on/off and the application's callbacks.
    pub session_cache: bool,
    pub cache_callbacks: crate::session::cache::CacheCallbacks,
}

/// TLS1.3 early data on a server.
#[derive(Clone, Default)]
pub struct EarlyDataSettings {
    /// `s2n_config_set_server_max_early_data_size` (0: no early data).
    pub max_size: u32,
    /// `s2n_config_set_early_data_cb`.
    pub cb: s2n_early_data_cb,
    /// The sessions early data tickets name (shared by the config's snapshots).
    pub sessions: Arc<crate::early_data::Sessions>,
}

/// Seconds s2n's built-in blinding waits at most after a failure.
pub(crate) const DEFAULT_MAX_BLINDING_DELAY_SECS: u32 = 30;

impl ConfigState {
    fn new(load_system_certs: bool) -> Self {
        let policy = if crate::init::TLS13_DEFAULT_POLICY.load(std::sync::atomic::Ordering::Relaxed)
        {
            policy::by_name("default_tls13").unwrap_or_else(|_| policy::default_policy())
        } else {
            policy::default_policy()
        };
        Self {
            policy,
            chains: Vec::new(),
            defaults: None,
            ownership: Ownership::None,
            trust: TrustSettings {
                system_pending: load_system_certs,
                ..TrustSettings::default()
            },
            client_auth: None,
            alpn: Vec::new(),
            alert_behavior: s2n_alert_behavior::S2N_ALERT_FAIL_ON_WARNINGS,
            wall_clock: None,
            monotonic_clock: None,
            max_blinding_delay_secs: DEFAULT_MAX_BLINDING_DELAY_SECS,
            send_buffer_size: None,
            recv_multi_record: false,
            status_request: false,
            signing: Default::default(),
            ctx: CPtr::default(),
            key_log: None,
            client_hello_cb: None,
            client_hello_cb_mode: s2n_client_hello_cb_mode::S2N_CLIENT_HELLO_CB_BLOCKING,
            resumption: Resumption {
                tickets: false,
                ticket_forward_secrecy: false,
                ticket_keys: Arc::default(),
                session_state_lifetime_secs: crate::session::tickets::DEFAULT_STATE_LIFETIME_SECS,
                initial_ticket_count: 1,
                session_ticket_cb: None,
                session_cache: false,
                cache_callbacks: Default::default(),
            },
            dhparams: None,
            events: Default::default(),
            cert_tiebreak: None,
            allow_ip_in_cn: false,
            cert_validation_cb: None,
            crl_lookup_cb: None,
            cert_request_cb: None,
            renegotiate_cb: None,
            serializable: false,
            cert_authorities: Vec::new(),
            early_data: EarlyDataSettings::default(),
            quic: false,
        }
    }

    /// The chains a server falls back to when no name matches.
    pub fn default_chains(&self) -> Vec<Arc<CertChainAndKey>> {
        if let Some(defaults) = &self.defaults {
            return defaults.clone();
        }
        let mut seen = Vec::new();
        let mut out = Vec::new();
        for chain in &self.chains {
            let Ok(certified) = chain.certified() else {
                continue;
            };
            let alg = certified.key.algorithm();
            if !seen.contains(&alg) {
                seen.push(alg);
                out.push(chain.clone());
            }
        }
        out
    }
}

pub struct Config {
    pub(crate) state: RwLock<ConfigState>,
    built: Mutex<Built>,
}

impl ArcHandle for s2n_config {
    type Rust = Config;
}

impl Config {
    pub fn new(load_system_certs: bool) -> Self {
        Self {
            state: RwLock::new(ConfigState::new(load_system_certs)),
            built: Mutex::new(Built::default()),
        }
    }

    pub fn read(&self) -> RwLockReadGuard<'_, ConfigState> {
        self.state.read().unwrap_or_else(|e| e.into_inner())
    }

    /// Changes the config; the rustls configurations are rebuilt on next use.
    pub fn update<T>(
        &self,
        f: impl FnOnce(&mut ConfigState) -> Result<T, Error>,
    ) -> Result<T, Error> {
        let mut state = self.state.write().unwrap_or_else(|e| e.into_inner());
        let value = f(&mut state)?;
        *self.built.lock().unwrap_or_else(|e| e.into_inner()) = Built::default();
        Ok(value)
    }

    /// Runs a setter for an extern function: `S2N_SUCCESS` or the error.
    pub(crate) fn set(
        config: *mut s2n_config,
        f: impl FnOnce(&mut ConfigState) -> Result<(), Error>,
    ) -> c_int {
        ffi::entry(|| {
            s2n_config::get(config)?.update(f)?;
            Ok(S2N_SUCCESS)
        })
    }
}

/// A clock callback as configs keep it; NULL is refused.
pub(crate) fn clock(
    clock_fn: s2n_clock_time_nanoseconds,
    ctx: *mut c_void,
) -> Result<Clock, Error> {
    clock_fn.ok_or_else(|| Error::new(S2N_ERR_NULL))?;
    Ok(Some((clock_fn, CPtr(ctx))))
}

/// Replaces an ALPN list with C strings, checking every name first.
pub fn set_protocols(
    list: &mut Vec<Vec<u8>>,
    protocols: *const *const c_char,
    count: c_int,
) -> Result<(), Error> {
    let count = usize::try_from(count).map_err(|_| Error::new(S2N_ERR_INVALID_ARGUMENT))?;
    let names = ffi::c_str_array(protocols, count)?;
    let mut new = Vec::with_capacity(names.len());
    for name in names {
        check_protocol(name)?;
        new.push(name.to_vec());
    }
    *list = new;
    Ok(())
}

/// Appends one ALPN name given as bytes.
pub fn append_protocol(list: &mut Vec<Vec<u8>>, protocol: *const u8, len: u8) -> Result<(), Error> {
    if protocol.is_null() {
        return Err(Error::new(S2N_ERR_NULL));
    }
    let name = ffi::slice(protocol, usize::from(len))?;
    check_protocol(name)?;
    list.push(name.to_vec());
    Ok(())
}

pub(crate) fn check_protocol(name: &[u8]) -> Result<(), Error> {
    if name.is_empty() || name.len() > 255 {
        return Err(Error::new(S2N_ERR_INVALID_APPLICATION_PROTOCOL));
    }
    Ok(())
}
