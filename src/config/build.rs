//! Building rustls configurations from a config (plus a connection's
//! overrides), and choosing our certificate for each handshake.

use std::fmt;
use std::sync::Arc;

use rustls::client::ResolvesClientCert;
use rustls::server::{ClientHello, NoServerSessionStorage, ResolvesServerCert};
use rustls::sign::CertifiedKey;
use rustls::{ClientConfig, NamedGroup, ServerConfig, SignatureScheme};

use super::{Config, ConfigState};
use crate::cert_chain::CertChainAndKey;
use crate::error::{Error, S2N_ERR_INVALID_SECURITY_POLICY};
use crate::ffi::{CPtr, callbacks};
use crate::notes::{self, Selection};
use crate::policy::Policy;
use crate::trust::{ChainCheck, ClientVerifier, ServerVerifier};
use crate::types::*;

/// The rustls configurations built from a config without overrides, cached.
#[derive(Default)]
pub struct Built {
    client: Option<Arc<ClientConfig>>,
    server: Option<Arc<ServerConfig>>,
    /// The server configuration narrowed to one key exchange group, per group.
    server_by_group: Vec<(NamedGroup, Arc<ServerConfig>)>,
}

/// What a connection sets for itself instead of its config's value.
#[derive(Default, Clone)]
pub struct Overrides {
    pub policy: Option<&'static Policy>,
    pub client_auth: Option<s2n_cert_auth_type>,
    pub alpn: Option<Vec<Vec<u8>>>,
    pub verify_host: Option<(s2n_verify_host_fn, CPtr)>,
    /// `s2n_connection_set_server_max_early_data_size`.
    pub early_data_max: Option<u32>,
    /// A QUIC connection: its key log notes every secret (for the secret callback).
    pub quic: bool,
    /// A TLS1.2 ClientHello whose ticket the keys open: s2n resumes it
    /// without issuing a new ticket.
    pub resumes_tls12_ticket: bool,
    /// A handshake that will be TLS1.2 on a config that requires forward
    /// secret tickets, or with client auth: s2n ignores the ticket extension
    /// (no resumption from a ticket, no new one).
    pub tls12_without_tickets: bool,
    /// A TLS1.2 ClientHello whose ticket is past the session state
    /// lifetime: s2n does not resume it (and issues a new ticket).
    pub stale_tls12_ticket: bool,
}

impl Overrides {
    /// s2n's client auth type for a connection: its own, else its config's,
    /// else its mode's default (a client's OPTIONAL: it answers a request
    /// with a certificate if it has one; a server's NONE).
    pub fn client_auth(&self, config: &ConfigState, is_client: bool) -> s2n_cert_auth_type {
        self.client_auth
            .or(config.client_auth)
            .unwrap_or(if is_client {
                s2n_cert_auth_type::S2N_CERT_AUTH_OPTIONAL
            } else {
                s2n_cert_auth_type::S2N_CERT_AUTH_NONE
            })
    }

    /// Whether the cached configuration can serve (ALPN reaches clients per
    /// connection; the verify-host callback reaches verifiers through the
    /// handshake context).
    fn affects(&self, server: bool) -> bool {
        self.policy.is_some()
            || self.quic
            || self.client_auth.is_some()
            || self.verify_host.is_some()
            || (server
                && (self.alpn.is_some()
                    || self.early_data_max.is_some()
                    || self.resumes_tls12_ticket
                    || self.tls12_without_tickets
                    || self.stale_tls12_ticket))
    }
}

impl Config {
    /// A snapshot of the state with the system trust store loaded if it was pending.
    fn snapshot(&self) -> ConfigState {
        if self.read().trust.system_pending {
            let mut state = self.state.write().unwrap_or_else(|e| e.into_inner());
            state.trust.load_pending_system();
        }
        self.read().clone()
    }

    pub fn client_config(&self, overrides: &Overrides) -> Result<Arc<ClientConfig>, Error> {
        if !overrides.affects(false) {
            if let Some(cached) = &self.built.lock().unwrap_or_else(|e| e.into_inner()).client {
                return Ok(cached.clone());
            }
        }
        let built = Arc::new(client_config(&self.snapshot(), overrides)?);
        if !overrides.affects(false) {
            self.built.lock().unwrap_or_else(|e| e.into_inner()).client = Some(built.clone());
        }
        Ok(built)
    }

    /// The server configuration, narrowed to `group` when given (the group
    /// s2n would choose for this ClientHello; rustls follows the client's order).
    pub fn server_config(
        &self,
        overrides: &Overrides,
        group: Option<NamedGroup>,
    ) -> Result<Arc<ServerConfig>, Error> {
        let cacheable = !overrides.affects(true);
        if cacheable {
            let built = self.built.lock().unwrap_or_else(|e| e.into_inner());
            let cached = match group {
                None => built.server.clone(),
                Some(group) => built
                    .server_by_group
                    .iter()
                    .find(|(g, _)| *g == group)
                    .map(|(_, c)| c.clone()),
            };
            if let Some(cached) = cached {
                return Ok(cached);
            }
        }
        let config = Arc::new(server_config(&self.snapshot(), overrides, group)?);
        if cacheable {
            let mut built = self.built.lock().unwrap_or_else(|e| e.into_inner());
            match group {
                None => built.server = Some(config.clone()),
                Some(group) => built.server_by_group.push((group, config.clone())),
            }
        }
        Ok(config)
    }
}

fn check(state: &ConfigState, policy: &'static Policy) -> ChainCheck {
    let mut check = ChainCheck::new(state.trust.clone(), state.wall_clock, policy);
    check.allow_ip_in_cn = state.allow_ip_in_cn;
    check.validation_cb = state.cert_validation_cb;
    check.crl_lookup_cb = state.crl_lookup_cb;
    check.cert_authorities = state.cert_authorities.clone();
    check
}

fn policy_error(e: rustls::Error) -> Error {
    let _ = e;
    Error::with_reason(
        S2N_ERR_INVALID_SECURITY_POLICY,
        "rustls rejected the policy's versions and suites",
    )
}

fn client_config(state: &ConfigState, overrides: &Overrides) -> Result<ClientConfig, Error> {
    let policy = overrides.policy.unwrap_or(state.policy);
    policy.usable()?;
    let builder = ClientConfig::builder_with_provider(policy.provider())
        .with_protocol_versions(policy.versions())
        .map_err(policy_error)?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(ServerVerifier {
            check: check(state, policy),
        }));
    let auth = overrides.client_auth(state, true);
    // Our resolver is there even without certificates: it notes the server's
    // CertificateRequest, which s2n's auth type rules judge (io.rs).
    let chains = if auth == s2n_cert_auth_type::S2N_CERT_AUTH_NONE {
        Vec::new()
    } else {
        state.chains.clone()
    };
    let mut config = builder.with_client_cert_resolver(Arc::new(ClientCerts {
        chains,
        request_cb: state.cert_request_cb,
    }));
    config.alpn_protocols = overrides.alpn.clone().unwrap_or_else(|| state.alpn.clone());
    // The store offers only the session the application set on the connection.
    // Forward secrecy required: no TLS1.2 ticket extension, as in s2n.
    let tls12 = if state.resumption.tickets && !state.resumption.ticket_forward_secrecy {
        rustls::client::Tls12Resumption::SessionIdOrTickets
    } else {
        rustls::client::Tls12Resumption::SessionIdOnly
    };
    config.resumption = rustls::client::Resumption::store(Arc::new(crate::session::client::Store))
        .tls12_resumption(tls12);
    config.key_log = key_log(state, overrides);
    // Requested whenever the session allows it, as s2n does.
    config.enable_early_data = true;
    // Records are protected by s2nrs after the handshake (record::kernel).
    config.enable_secret_extraction = true;
    Ok(config)
}

fn server_config(
    state: &ConfigState,
    overrides: &Overrides,
    group: Option<NamedGroup>,
) -> Result<ServerConfig, Error> {
    let policy = overrides.policy.unwrap_or(state.policy);
    policy.usable()?;
    let provider = match group {
        Some(group) => policy.provider_with_group(group),
        None => policy.provider(),
    };
    let builder = ServerConfig::builder_with_provider(provider)
        .with_protocol_versions(policy.versions())
        .map_err(policy_error)?;
    let auth = overrides.client_auth(state, false);
    let builder = match auth {
        s2n_cert_auth_type::S2N_CERT_AUTH_NONE => builder.with_no_client_auth(),
        _ => builder.with_client_cert_verifier(Arc::new(ClientVerifier {
            check: check(state, policy),
            mandatory: auth == s2n_cert_auth_type::S2N_CERT_AUTH_REQUIRED,
        })),
    };
    let mut config = builder.with_cert_resolver(Arc::new(ServerCerts {
        chains: state.chains.clone(),
        defaults: state.default_chains(),
        tiebreak: state.cert_tiebreak,
        policy,
    }));
    config.alpn_protocols = overrides.alpn.clone().unwrap_or_else(|| state.alpn.clone());
    // s2n servers choose by their own preference order.
    config.ignore_client_order = true;
    config.session_storage =
        if state.resumption.session_cache && state.resumption.cache_callbacks.complete() {
            crate::session::cache::CallbackCache::new(
                state.resumption.cache_callbacks,
                state.resumption.session_state_lifetime_secs,
            )
        } else {
            Arc::new(NoServerSessionStorage {})
        };
    config.send_tls13_tickets = 0;
    if state.resumption.tickets
        && !state.resumption.ticket_keys.is_empty()
        && !overrides.tls12_without_tickets
    {
        config.ticketer = Arc::new(crate::session::tickets::Ticketer {
            keys: state.resumption.ticket_keys.clone(),
            clock: state.wall_clock,
            lifetime_secs: u32::try_from(state.resumption.session_state_lifetime_secs)
                .unwrap_or(u32::MAX),
            issue: !overrides.resumes_tls12_ticket,
            opens: !overrides.stale_tls12_ticket,
        });
        config.send_tls13_tickets = usize::from(state.resumption.initial_ticket_count);
        // rustls allows early data only with sessions it looks up (see early_data.rs).
        let max_early = overrides
            .early_data_max
            .unwrap_or(state.early_data.max_size);
        if max_early > 0 || state.early_data.max_size > 0 {
            config.max_early_data_size = max_early;
            config.ticketer = Arc::new(NoTickets);
            config.session_storage = Arc::new(crate::early_data::Store {
                sessions: state.early_data.sessions.clone(),
                keys: state.resumption.ticket_keys.clone(),
                clock: state.wall_clock,
                lifetime: std::time::Duration::from_secs(
                    state.resumption.session_state_lifetime_secs,
                ),
            });
        }
    }
    config.key_log = key_log(state, overrides);
    config.enable_secret_extraction = true;
    Ok(config)
}

/// A server's chains, chosen by SNI (exact, then wildcard) and by what the
/// client can verify, falling back to the defaults, as s2n does.
struct ServerCerts {
    chains: Vec<Arc<CertChainAndKey>>,
    defaults: Vec<Arc<CertChainAndKey>>,
    /// Chooses between chains of one key type matching one name.
    tiebreak: s2n_cert_tiebreak_callback,
    /// Its certificate signature schemes limit the chains; its preference
    /// orders decide between key types.
    policy: &'static Policy,
}

impl fmt::Debug for ServerCerts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServerCerts")
            .field("chains", &self.chains.len())
            .finish()
    }
}

impl ServerCerts {
    /// The first candidate, or, when others of its key type match the same
    /// name, the one the application's tiebreak callback keeps (s2n asks it
    /// for each pair of chains sharing a domain name and key type).
    fn tiebreak(
        &self,
        candidates: Vec<(Arc<CertChainAndKey>, Arc<CertifiedKey>)>,
        server_name: &str,
        wanted: s2n_cert_sni_match,
    ) -> Option<(Arc<CertChainAndKey>, Arc<CertifiedKey>)> {
        let mut rest = candidates.into_iter();
        let mut winner = rest.next()?;
        if self.tiebreak.is_none() {
            return Some(winner);
        }
        // The domain name as the certificates spell it: the name itself, or
        // its wildcard.
        let lower = server_name.to_ascii_lowercase();
        let name = match (wanted, lower.split_once('.')) {
            (s2n_cert_sni_match::S2N_SNI_WILDCARD_MATCH, Some((_, parent))) => {
                format!("*.{parent}")
            }
            _ => lower,
        };
        let handle = |c: &Arc<CertChainAndKey>| Arc::as_ptr(c).cast_mut().cast();
        let algorithm = winner.1.key.algorithm();
        for other in rest.filter(|o| o.1.key.algorithm() == algorithm) {
            let chosen =
                callbacks::cert_tiebreak(self.tiebreak, handle(&winner.0), handle(&other.0), &name);
            if chosen == handle(&other.0) {
                winner = other;
            }
        }
        Some(winner)
    }

    fn usable(
        &self,
        chain: &CertChainAndKey,
        schemes: &[SignatureScheme],
    ) -> Option<Arc<CertifiedKey>> {
        let certified = chain.certified().ok()?;
        let allowed: Vec<SignatureScheme> = match self.policy.cert_signature_schemes() {
            Some(policy) => schemes
                .iter()
                .copied()
                .filter(|s| policy.contains(s))
                .collect(),
            None => schemes.to_vec(),
        };
        certified.key.choose_scheme(&allowed)?;
        Some(certified)
    }

    /// How early in s2n's order a chain comes for this ClientHello (lower is
    /// preferred): in TLS1.3, the first of the policy's signature schemes
    /// the client offered that the key can make; in TLS1.2, the first of the
    /// policy's suites the client offered that works with the key's type.
    fn rank(&self, key: &CertifiedKey, hello: &ClientHello<'_>, tls13: bool) -> usize {
        let offered = hello.signature_schemes();
        if tls13 {
            return self
                .policy
                .signature_schemes()
                .iter()
                .filter(|s| offered.contains(s))
                .position(|s| key.key.choose_scheme(&[*s]).is_some())
                .unwrap_or(usize::MAX);
        }
        let algorithm = key.key.algorithm();
        self.policy
            .provider()
            .cipher_suites
            .iter()
            .filter(|suite| suite.version().version == rustls::ProtocolVersion::TLSv1_2)
            .filter(|suite| hello.cipher_suites().contains(&suite.suite()))
            .position(|suite| suite.usable_for_signature_algorithm(algorithm))
            .unwrap_or(usize::MAX)
    }
}

impl ResolvesServerCert for ServerCerts {
    fn resolve(&self, hello: ClientHello<'_>) -> Option<Arc<CertifiedKey>> {
        let schemes = hello.signature_schemes().to_vec();
        // TLS1.3 if both sides can: the client offers a TLS1.3 suite we have.
        let tls13 = self.policy.provider().cipher_suites.iter().any(|suite| {
            suite.version().version == rustls::ProtocolVersion::TLSv1_3
                && hello.cipher_suites().contains(&suite.suite())
        });
        let mut choice = None;
        if let Some(name) = hello.server_name() {
            for wanted in [
                s2n_cert_sni_match::S2N_SNI_EXACT_MATCH,
                s2n_cert_sni_match::S2N_SNI_WILDCARD_MATCH,
            ] {
                let mut candidates: Vec<_> = self
                    .chains
                    .iter()
                    .filter(|chain| chain.sni_match(name) == wanted)
                    .filter_map(|chain| Some((chain.clone(), self.usable(chain, &schemes)?)))
                    .collect();
                candidates.sort_by_cached_key(|(_, key)| self.rank(key, &hello, tls13));
                choice = self
                    .tiebreak(candidates, name, wanted)
                    .map(|(chain, key)| (chain, key, wanted));
                if choice.is_some() {
                    break;
                }
            }
        }
        let fallback = if hello.server_name().is_some() {
            s2n_cert_sni_match::S2N_SNI_NO_MATCH
        } else {
            s2n_cert_sni_match::S2N_SNI_NONE
        };
        let choice = choice.or_else(|| {
            let usable = |chains: &[Arc<CertChainAndKey>]| {
                chains
                    .iter()
                    .filter_map(|chain| Some((chain.clone(), self.usable(chain, &schemes)?)))
                    .min_by_key(|(_, key)| self.rank(key, &hello, tls13))
            };
            usable(&self.defaults)
                .or_else(|| usable(&self.chains))
                .map(|(chain, key)| (chain, key, fallback))
        });
        let Some((chain, key, sni_match)) = choice else {
            notes::note(|n| n.no_usable_chain = true);
            return None;
        };
        notes::note(|n| n.selection = Some(Selection::new(chain, sni_match)));
        Some(key)
    }
}

/// A client's chains, offered when the server asks for a certificate.
struct ClientCerts {
    chains: Vec<Arc<CertChainAndKey>>,
    /// `s2n_config_set_cert_request_callback`: the application chooses.
    request_cb: Option<(
        crate::unstable::cert_authorities::s2n_cert_request_callback,
        CPtr,
    )>,
}

impl fmt::Debug for ClientCerts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientCerts")
            .field("chains", &self.chains.len())
            .finish()
    }
}

impl ResolvesClientCert for ClientCerts {
    fn resolve(
        &self,
        root_hint_subjects: &[&[u8]],
        sigschemes: &[SignatureScheme],
    ) -> Option<Arc<CertifiedKey>> {
        notes::note(|n| n.cert_requested = true);
        // s2n asks the application only when it has certificates to offer.
        if let (Some(cb), false) = (self.request_cb, self.chains.is_empty()) {
            let request =
                crate::unstable::cert_authorities::CertificateRequest::new(root_hint_subjects);
            return match request.run(cb, notes::context().conn) {
                Ok(chain) => {
                    let certified = chain.certified().ok()?;
                    notes::note(|n| {
                        n.selection = Some(Selection::new(chain, s2n_cert_sni_match::S2N_SNI_NONE))
                    });
                    Some(certified)
                }
                Err(code) => Some(Refusal::certified(code)),
            };
        }
        self.chains.iter().find_map(|chain| {
            let certified = chain.certified().ok()?;
            certified.key.choose_scheme(sigschemes)?;
            notes::note(|n| {
                n.selection = Some(Selection::new(
                    chain.clone(),
                    s2n_cert_sni_match::S2N_SNI_NONE,
                ))
            });
            Some(certified)
        })
    }

    fn has_certs(&self) -> bool {
        !self.chains.is_empty()
    }
}

/// A key that fails the handshake with an s2n error when rustls signs with
/// it: how a client certificate resolver, which cannot return an error,
/// reports the application's certificate request callback failing.
#[derive(Debug)]
struct Refusal(std::ffi::c_int, SignatureScheme);

impl Refusal {
    fn certified(code: std::ffi::c_int) -> Arc<CertifiedKey> {
        Arc::new(CertifiedKey::new(
            Vec::new(),
            Arc::new(Self(code, SignatureScheme::ECDSA_NISTP256_SHA256)),
        ))
    }
}

impl rustls::sign::SigningKey for Refusal {
    fn choose_scheme(&self, offered: &[SignatureScheme]) -> Option<Box<dyn rustls::sign::Signer>> {
        let scheme = offered.first().copied().unwrap_or(self.1);
        Some(Box::new(Self(self.0, scheme)))
    }

    fn algorithm(&self) -> rustls::SignatureAlgorithm {
        rustls::SignatureAlgorithm::ECDSA
    }
}

impl rustls::sign::Signer for Refusal {
    fn sign(&self, _message: &[u8]) -> Result<Vec<u8>, rustls::Error> {
        Err(crate::error::S2nCode::into_cert_error(self.0))
    }

    fn scheme(&self) -> SignatureScheme {
        self.1
    }
}

/// Secrets rustls reports: the TLS1.2 master secret and the TLS1.3
/// exporter secret always (for `s2n_connection_get_master_secret` and
/// `s2n_connection_tls_exporter`), every secret when the application asked
/// for key logging.
#[derive(Debug)]
struct NotedKeyLog {
    all: bool,
}

impl rustls::KeyLog for NotedKeyLog {
    fn log(&self, label: &str, client_random: &[u8], secret: &[u8]) {
        notes::note(|n| {
            n.secrets.push(notes::Secret {
                label: label.to_string(),
                client_random: client_random.to_vec(),
                secret: zeroize::Zeroizing::new(secret.to_vec()),
            })
        });
    }

    fn will_log(&self, label: &str) -> bool {
        self.all
            || matches!(
                label,
                "CLIENT_RANDOM"
                    | "EXPORTER_SECRET"
                    | "CLIENT_TRAFFIC_SECRET_0"
                    | "SERVER_TRAFFIC_SECRET_0"
            )
    }
}

fn key_log(state: &ConfigState, overrides: &Overrides) -> Arc<dyn rustls::KeyLog> {
    Arc::new(NotedKeyLog {
        all: state.key_log.is_some() || overrides.quic,
    })
}

/// No ticket encryption: a server with early data issues session ids instead.
#[derive(Debug)]
struct NoTickets;

impl rustls::server::ProducesTickets for NoTickets {
    fn enabled(&self) -> bool {
        false
    }

    fn lifetime(&self) -> u32 {
        0
    }

    fn encrypt(&self, _: &[u8]) -> Option<Vec<u8>> {
        None
    }

    fn decrypt(&self, _: &[u8]) -> Option<Vec<u8>> {
        None
    }
}
