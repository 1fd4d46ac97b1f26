//! `s2n_config_*`: the settings shared by many connections. A config is
//! mutable until connections use it; the rustls configurations built from it
//! are cached and rebuilt after any change (see `build`).

mod build;
mod dhparams;

use std::ffi::{c_char, c_int, c_void};
use std::sync::{Arc, Mutex, RwLock, RwLockReadGuard};

use crate::cert_chain::CertChainAndKey;
use crate::error::{
    Error, S2N_ERR_CERT_OWNERSHIP, S2N_ERR_INVALID_APPLICATION_PROTOCOL, S2N_ERR_INVALID_ARGUMENT,
    S2N_ERR_NULL,
};
use crate::ffi::{self, ArcHandle, CPtr};
use crate::policy::{self, Policy};
use crate::trust::TrustSettings;
use crate::types::*;

pub use build::{Built, Overrides};

/// A clock callback with its context.
pub type Clock = Option<(s2n_clock_time_nanoseconds, CPtr)>;

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
    pub signing: crate::cert_chain::sign::Signing,
    pub ctx: CPtr,
    pub key_log: Option<(s2n_key_log_fn, CPtr)>,
    pub client_hello_cb: Option<(s2n_client_hello_fn, CPtr)>,
    pub client_hello_cb_mode: s2n_client_hello_cb_mode,
    /// Session tickets: on/off, the server's keys, lifetimes, the client's callback.
    pub tickets: bool,
    pub ticket_keys: Arc<crate::session::tickets::TicketKeys>,
    pub session_state_lifetime_secs: u64,
    pub initial_ticket_count: u8,
    pub session_ticket_cb: Option<(s2n_session_ticket_fn, CPtr)>,
    /// The TLS1.2 session-ID cache: on/off and the application's callbacks.
    pub session_cache: bool,
    pub cache_callbacks: crate::session::cache::CacheCallbacks,
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
    /// `s2n_config_set_server_max_early_data_size` (0: no early data).
    pub max_early_data_size: u32,
    /// `s2n_config_set_early_data_cb`.
    pub early_data_cb: s2n_early_data_cb,
    /// The sessions early data tickets name (shared by the config's snapshots).
    pub early_data_sessions: Arc<crate::early_data::Sessions>,
    /// `s2n_config_enable_quic`: every connection of this config is QUIC.
    pub quic: bool,
}

/// Seconds s2n's built-in blinding waits at most after a failure.
const DEFAULT_MAX_BLINDING_DELAY_SECS: u32 = 30;

impl ConfigState {
    fn new(load_system_certs: bool) -> Self {
        let policy = if crate::init::TLS13_DEFAULT_POLICY.load(std::sync::atomic::Ordering::Relaxed)
        {
            policy::by_name("default_tls13").unwrap_or_else(|_| policy::default_policy())
        } else {
            policy::default_policy()
        };
        ConfigState {
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
            tickets: false,
            ticket_keys: Arc::default(),
            session_state_lifetime_secs: crate::session::tickets::DEFAULT_STATE_LIFETIME_SECS,
            initial_ticket_count: 1,
            session_ticket_cb: None,
            session_cache: false,
            cache_callbacks: Default::default(),
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
            max_early_data_size: 0,
            early_data_cb: None,
            early_data_sessions: Arc::default(),
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
    state: RwLock<ConfigState>,
    built: Mutex<Built>,
}

impl ArcHandle for s2n_config {
    type Rust = Config;
}

impl Config {
    pub fn new(load_system_certs: bool) -> Self {
        Config {
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
fn clock(clock_fn: s2n_clock_time_nanoseconds, ctx: *mut c_void) -> Result<Clock, Error> {
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

fn check_protocol(name: &[u8]) -> Result<(), Error> {
    if name.is_empty() || name.len() > 255 {
        return Err(Error::new(S2N_ERR_INVALID_APPLICATION_PROTOCOL));
    }
    Ok(())
}

/// A config with the default policy that trusts the system's CA store (loaded on first use).
#[unsafe(no_mangle)]
pub extern "C" fn s2n_config_new() -> *mut s2n_config {
    ffi::entry(|| Ok(s2n_config::into_handle(Arc::new(Config::new(true)))))
}

/// A config that trusts nothing until told.
#[unsafe(no_mangle)]
pub extern "C" fn s2n_config_new_minimal() -> *mut s2n_config {
    ffi::entry(|| Ok(s2n_config::into_handle(Arc::new(Config::new(false)))))
}

/// Releases the application's reference; connections still using the config keep it alive.
#[unsafe(no_mangle)]
pub extern "C" fn s2n_config_free(config: *mut s2n_config) -> c_int {
    ffi::entry(|| {
        s2n_config::release(config)?;
        Ok(S2N_SUCCESS)
    })
}

/// Drops the chains the config owns (those added with `s2n_config_add_cert_chain_and_key`).
#[unsafe(no_mangle)]
pub extern "C" fn s2n_config_free_cert_chain_and_key(config: *mut s2n_config) -> c_int {
    Config::set(config, |state| {
        if state.ownership == Ownership::Config {
            state.chains.clear();
            state.defaults = None;
            state.ownership = Ownership::None;
        }
        Ok(())
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_config_set_wall_clock(
    config: *mut s2n_config,
    clock_fn: s2n_clock_time_nanoseconds,
    ctx: *mut c_void,
) -> c_int {
    Config::set(config, |state| {
        state.wall_clock = clock(clock_fn, ctx)?;
        Ok(())
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_config_set_monotonic_clock(
    config: *mut s2n_config,
    clock_fn: s2n_clock_time_nanoseconds,
    ctx: *mut c_void,
) -> c_int {
    Config::set(config, |state| {
        state.monotonic_clock = clock(clock_fn, ctx)?;
        Ok(())
    })
}

/// Partial: the callback chooses between chains of one key type matching the
/// client's server name during each handshake; s2n-tls asks once per name of
/// each chain while the chains are added.
#[unsafe(no_mangle)]
pub extern "C" fn s2n_config_set_cert_tiebreak_callback(
    config: *mut s2n_config,
    cert_tiebreak_cb: s2n_cert_tiebreak_callback,
) -> c_int {
    Config::set(config, |state| {
        state.cert_tiebreak = cert_tiebreak_cb;
        Ok(())
    })
}

/// Deprecated form: the config makes the chain and owns it.
#[unsafe(no_mangle)]
pub extern "C" fn s2n_config_add_cert_chain_and_key(
    config: *mut s2n_config,
    cert_chain_pem: *const c_char,
    private_key_pem: *const c_char,
) -> c_int {
    Config::set(config, |state| {
        if state.ownership == Ownership::Application {
            return Err(Error::new(S2N_ERR_CERT_OWNERSHIP));
        }
        let chain = CertChainAndKey::default();
        let certs = ffi::c_bytes_str(cert_chain_pem)?.to_bytes();
        let key = ffi::c_bytes_str(private_key_pem)?.to_bytes();
        chain.load(certs, Some(key), &state.policy.provider())?;
        state.policy.check_local_chain(&chain)?;
        state.chains.push(Arc::new(chain));
        state.ownership = Ownership::Config;
        Ok(())
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_config_add_cert_chain_and_key_to_store(
    config: *mut s2n_config,
    cert_key_pair: *mut s2n_cert_chain_and_key,
) -> c_int {
    Config::set(config, |state| {
        if state.ownership == Ownership::Config {
            return Err(Error::new(S2N_ERR_CERT_OWNERSHIP));
        }
        let chain = s2n_cert_chain_and_key::share(cert_key_pair)?;
        chain.certified()?;
        state.policy.check_local_chain(&chain)?;
        state.chains.push(chain);
        state.ownership = Ownership::Application;
        Ok(())
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_config_set_cert_chain_and_key_defaults(
    config: *mut s2n_config,
    cert_key_pairs: *mut *mut s2n_cert_chain_and_key,
    num_cert_key_pairs: u32,
) -> c_int {
    Config::set(config, |state| {
        if state.ownership == Ownership::Config {
            return Err(Error::new(S2N_ERR_CERT_OWNERSHIP));
        }
        let handles = ffi::c_ptr_array(cert_key_pairs.cast_const(), num_cert_key_pairs as usize)?;
        if handles.is_empty() {
            return Err(Error::new(S2N_ERR_INVALID_ARGUMENT));
        }
        let mut defaults = Vec::with_capacity(handles.len());
        let mut algorithms = Vec::new();
        for handle in handles {
            let chain = s2n_cert_chain_and_key::share(*handle)?;
            let algorithm = chain.certified()?.key.algorithm();
            // One default per key type, as s2n requires.
            if algorithms.contains(&algorithm) {
                return Err(Error::new(
                    crate::error::S2N_ERR_MULTIPLE_DEFAULT_CERTIFICATES_PER_AUTH_TYPE,
                ));
            }
            algorithms.push(algorithm);
            defaults.push(chain);
        }
        for chain in &defaults {
            if !state.chains.iter().any(|c| Arc::ptr_eq(c, chain)) {
                state.chains.push(chain.clone());
            }
        }
        state.defaults = Some(defaults);
        state.ownership = Ownership::Application;
        Ok(())
    })
}

/// Enabled: each handshake signature is checked against the certificate
/// before it is sent (an async operation's output too), failing with
/// `S2N_ERR_VERIFY_SIGNATURE`.
#[unsafe(no_mangle)]
pub extern "C" fn s2n_config_set_verify_after_sign(
    config: *mut s2n_config,
    mode: VerifyAfterSignArg,
) -> c_int {
    Config::set(config, |state| {
        state.signing.verify_after_sign = match mode.get()? {
            s2n_verify_after_sign::S2N_VERIFY_AFTER_SIGN_DISABLED => false,
            s2n_verify_after_sign::S2N_VERIFY_AFTER_SIGN_ENABLED => true,
        };
        Ok(())
    })
}

/// Partial: the size is checked and kept, but s2nrs writes each call's
/// records out at once rather than gathering them up to this size.
#[unsafe(no_mangle)]
pub extern "C" fn s2n_config_set_send_buffer_size(config: *mut s2n_config, size: u32) -> c_int {
    Config::set(config, |state| {
        if size == 0 {
            return Err(Error::new(S2N_ERR_INVALID_ARGUMENT));
        }
        state.send_buffer_size = Some(size);
        Ok(())
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_config_set_recv_multi_record(
    config: *mut s2n_config,
    enabled: bool,
) -> c_int {
    Config::set(config, |state| {
        state.recv_multi_record = enabled;
        Ok(())
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_config_append_protocol_preference(
    config: *mut s2n_config,
    protocol: *const u8,
    protocol_len: u8,
) -> c_int {
    Config::set(config, |state| {
        append_protocol(&mut state.alpn, protocol, protocol_len)
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_config_set_protocol_preferences(
    config: *mut s2n_config,
    protocols: *const *const c_char,
    protocol_count: c_int,
) -> c_int {
    Config::set(config, |state| {
        set_protocols(&mut state.alpn, protocols, protocol_count)
    })
}

/// Partial: servers staple what their chain carries when asked; rustls clients
/// always ask for a stapled response, so `S2N_STATUS_REQUEST_NONE` does not stop them.
#[unsafe(no_mangle)]
pub extern "C" fn s2n_config_set_status_request_type(
    config: *mut s2n_config,
    r#type: StatusRequestTypeArg,
) -> c_int {
    Config::set(config, |state| {
        state.status_request = r#type.get()? == s2n_status_request_type::S2N_STATUS_REQUEST_OCSP;
        Ok(())
    })
}

/// Partial: `S2N_CT_SUPPORT_NONE` (the default) succeeds;
/// `S2N_CT_SUPPORT_REQUEST` fails with `S2N_ERR_UNIMPLEMENTED`.
#[unsafe(no_mangle)]
pub extern "C" fn s2n_config_set_ct_support_level(
    config: *mut s2n_config,
    level: CtSupportLevelArg,
) -> c_int {
    Config::set(config, |_| match level.get()? {
        s2n_ct_support_level::S2N_CT_SUPPORT_NONE => Ok(()),
        s2n_ct_support_level::S2N_CT_SUPPORT_REQUEST => Err(Error::unimplemented(
            "rustls 0.23 neither requests nor sends signed certificate timestamps",
        )),
    })
}

/// Partial: rustls always treats warning alerts other than close_notify as
/// it does (ignores them, failing only on too many); the setting is kept.
#[unsafe(no_mangle)]
pub extern "C" fn s2n_config_set_alert_behavior(
    config: *mut s2n_config,
    alert_behavior: AlertBehaviorArg,
) -> c_int {
    Config::set(config, |state| {
        state.alert_behavior = alert_behavior.get()?;
        Ok(())
    })
}

/// Partial: `S2N_EXTENSION_OCSP_STAPLING` sets the OCSP response of the
/// config's default chain, as in s2n; `S2N_EXTENSION_CERTIFICATE_TRANSPARENCY`
/// fails with `S2N_ERR_UNIMPLEMENTED` (rustls cannot send an SCT list).
#[unsafe(no_mangle)]
pub extern "C" fn s2n_config_set_extension_data(
    config: *mut s2n_config,
    r#type: TlsExtensionTypeArg,
    data: *const u8,
    length: u32,
) -> c_int {
    Config::set(config, |state| {
        // As s2n: the config's single default chain (RSA first), which the config must own.
        let defaults = state.default_chains();
        let rsa = defaults.iter().find(|c| {
            c.certified()
                .is_ok_and(|k| k.key.algorithm() == rustls::SignatureAlgorithm::RSA)
        });
        let chain = rsa
            .or(defaults.first())
            .ok_or_else(|| Error::new(crate::error::S2N_ERR_UPDATING_EXTENSION))?;
        if state.ownership != Ownership::Config {
            return Err(Error::new(S2N_ERR_CERT_OWNERSHIP));
        }
        let bytes = ffi::slice(data, length as usize)?;
        let slot = match r#type.get()? {
            s2n_tls_extension_type::S2N_EXTENSION_OCSP_STAPLING => &chain.ocsp,
            s2n_tls_extension_type::S2N_EXTENSION_CERTIFICATE_TRANSPARENCY => {
                return Err(Error::unimplemented(
                    "rustls 0.23 cannot send signed certificate timestamps",
                ));
            }
            _ => return Err(Error::new(crate::error::S2N_ERR_UNRECOGNIZED_EXTENSION)),
        };
        *slot.lock().unwrap_or_else(|e| e.into_inner()) =
            (!bytes.is_empty()).then(|| bytes.to_vec());
        Ok(())
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_config_send_max_fragment_length(
    config: *mut s2n_config,
    mfl_code: MaxFragLenArg,
) -> c_int {
    let _ = (config, mfl_code);
    ffi::unsupported("rustls has no max_fragment_length extension (RFC 6066)")
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_config_accept_max_fragment_length(config: *mut s2n_config) -> c_int {
    let _ = config;
    ffi::unsupported("rustls has no max_fragment_length extension (RFC 6066)")
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_config_set_ctx(config: *mut s2n_config, ctx: *mut c_void) -> c_int {
    ffi::entry(|| {
        // The context is not part of what rustls is built from: no rebuild.
        s2n_config::get(config)?
            .state
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .ctx = CPtr(ctx);
        Ok(S2N_SUCCESS)
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_config_get_ctx(config: *mut s2n_config, ctx: *mut *mut c_void) -> c_int {
    ffi::entry(|| {
        let config = s2n_config::get(config)?;
        *ffi::out(ctx)? = config.read().ctx.0;
        Ok(S2N_SUCCESS)
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_config_set_max_blinding_delay(
    config: *mut s2n_config,
    seconds: u32,
) -> c_int {
    Config::set(config, |state| {
        state.max_blinding_delay_secs = seconds;
        Ok(())
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_config_get_client_auth_type(
    config: *mut s2n_config,
    client_auth_type: *mut CertAuthTypeArg,
) -> c_int {
    ffi::entry(|| {
        let config = s2n_config::get(config)?;
        *ffi::out(client_auth_type)? = config
            .read()
            .client_auth
            .unwrap_or(s2n_cert_auth_type::S2N_CERT_AUTH_NONE)
            .into();
        Ok(S2N_SUCCESS)
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_config_set_client_auth_type(
    config: *mut s2n_config,
    client_auth_type: CertAuthTypeArg,
) -> c_int {
    Config::set(config, |state| {
        state.client_auth = Some(client_auth_type.get()?);
        Ok(())
    })
}

/// The application receives every secret of its connections as an NSS key
/// log line (for debugging with tools such as Wireshark).
#[unsafe(no_mangle)]
pub extern "C" fn s2n_config_set_key_log_cb(
    config: *mut s2n_config,
    callback: s2n_key_log_fn,
    ctx: *mut c_void,
) -> c_int {
    Config::set(config, |state| {
        state.key_log = callback.map(|f| (Some(f), CPtr(ctx)));
        Ok(())
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_config_enable_cert_req_dss_legacy_compat(config: *mut s2n_config) -> c_int {
    let _ = config;
    ffi::unsupported(
        "rustls fixes the certificate types of its TLS1.2 CertificateRequest and cannot add the DSS ones",
    )
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_config_set_serialization_version(
    config: *mut s2n_config,
    version: SerializationVersionArg,
) -> c_int {
    Config::set(config, |state| {
        // s2n takes only version 1 (not even NONE), and not beside renegotiation.
        if version.0 != s2n_serialization_version::S2N_SERIALIZED_CONN_V1 as c_int {
            return Err(Error::new(crate::error::S2N_ERR_SAFETY));
        }
        if state.renegotiate_cb.is_some() {
            return Err(Error::with_reason(
                crate::error::S2N_ERR_INVALID_STATE,
                "a config cannot both renegotiate and serialize connections",
            ));
        }
        state.serializable = true;
        Ok(())
    })
}

/// A chain without its private key, which the config makes and owns: its
/// signatures come from the async pkey callback.
#[unsafe(no_mangle)]
pub extern "C" fn s2n_config_add_cert_chain(
    config: *mut s2n_config,
    cert_chain_pem: *mut u8,
    cert_chain_pem_size: u32,
) -> c_int {
    Config::set(config, |state| {
        // Deprecated form, allowed once per config.
        if state.ownership != Ownership::None {
            return Err(Error::new(S2N_ERR_CERT_OWNERSHIP));
        }
        let chain = CertChainAndKey::default();
        let pem = ffi::slice(cert_chain_pem, cert_chain_pem_size as usize)?;
        chain.load(pem, None, &state.policy.provider())?;
        state.policy.check_local_chain(&chain)?;
        state.chains.push(Arc::new(chain));
        state.ownership = Ownership::Config;
        Ok(())
    })
}
