//! A server's ClientHello, once it has arrived (src/connection/hello.rs
//! collects it): the application's callbacks run, then rustls starts; and
//! s2n's client authentication rules, judged after each step.

use std::ffi::c_int;

use super::*;

/// A client's answer to a CertificateRequest that its auth type forbids, as
/// s2n checks it: NONE must not be asked, REQUIRED must have a certificate.
pub(super) fn client_auth_violation(conn: &Connection, state: &State) -> Option<c_int> {
    if !conn.is_client() || !state.facts.cert_requested {
        return None;
    }
    match state.client_auth(true) {
        s2n_cert_auth_type::S2N_CERT_AUTH_NONE => Some(S2N_ERR_UNEXPECTED_CERT_REQUEST),
        s2n_cert_auth_type::S2N_CERT_AUTH_REQUIRED if state.facts.selection.is_none() => {
            Some(S2N_ERR_MISSING_CLIENT_CERT)
        }
        _ => None,
    }
}

/// A client whose auth type is REQUIRED fails a handshake in which the
/// server never asked for its certificate, as s2n's state machine does.
pub(super) fn client_auth_unmet(conn: &Connection, state: &State) -> Option<c_int> {
    let required = state.client_auth(true) == s2n_cert_auth_type::S2N_CERT_AUTH_REQUIRED;
    (conn.is_client() && required && !state.facts.cert_requested).then_some(S2N_ERR_BAD_MESSAGE)
}

/// The key exchange group an s2n server would use for the ClientHello it
/// received (None: leave the choice to rustls).
pub(super) fn server_group(state: &State) -> Option<rustls::NamedGroup> {
    let hello = &state.hello.client_hello.as_ref()?.hello;
    let tls13 = tls13_possible(state, hello);
    let policy = state.policy();
    policy.server_group(&hello.supported_groups()?, &hello.key_share_groups(), tls13)
}

/// Whether both the policy and the ClientHello allow TLS1.3.
fn tls13_possible(state: &State, hello: &crate::client_hello::parse::ClientHello) -> bool {
    state
        .policy()
        .versions()
        .iter()
        .any(|v| v.version == rustls::ProtocolVersion::TLSv1_3)
        && hello
            .supported_versions()
            .is_some_and(|v| v.contains(&u16::from(rustls::ProtocolVersion::TLSv1_3)))
}

/// What a TLS1.2 ClientHello's ticket extension is to s2n.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Tls12Ticket {
    /// No ticket, or not TLS1.2, or not one the keys open.
    None,
    /// It resumes: s2n-tls issues no new ticket then (only full
    /// handshakes do), so clients and scanners keep the ticket they sent.
    Fresh,
    /// Issued longer ago than the session state lifetime (or in the
    /// future): s2n does not resume it.
    Stale,
    /// The extension is ignored (no resumption from a ticket, no new one):
    /// the config requires forward secret tickets (TLS1.2's are not) or the
    /// server asks for client certificates (s2n keeps no client auth state
    /// in TLS1.2 tickets).
    Ignored,
}

pub(super) fn tls12_ticket(state: &State) -> Tls12Ticket {
    const SESSION_TICKET: u16 = 35;
    let Some(hello) = state.hello.client_hello.as_ref().map(|h| &h.hello) else {
        return Tls12Ticket::None;
    };
    if tls13_possible(state, hello) {
        return Tls12Ticket::None;
    }
    let client_auth = state.client_auth(false) != s2n_cert_auth_type::S2N_CERT_AUTH_NONE;
    let config = state.config.read();
    if config.resumption.ticket_forward_secrecy || client_auth {
        return Tls12Ticket::Ignored;
    }
    let ticket = hello.extension(SESSION_TICKET).unwrap_or_default();
    if ticket.is_empty() || !config.resumption.tickets {
        return Tls12Ticket::None;
    }
    let now = crate::session::tickets::now_secs(config.wall_clock);
    match config.resumption.ticket_keys.issued_at(ticket, now) {
        None => Tls12Ticket::None,
        Some(issued)
            if issued <= now && now - issued <= config.resumption.session_state_lifetime_secs =>
        {
            Tls12Ticket::Fresh
        }
        Some(_) => Tls12Ticket::Stale,
    }
}

/// The alert s2n's `s2n_shutdown` sends after this failure instead of
/// close_notify: protocol_version when the peer's version is refused, and
/// handshake_failure when a server's ClientHello callback failed.
pub(super) fn shutdown_alert(conn: &Connection, state: &State, err: &Error) -> Option<u8> {
    const HANDSHAKE_FAILURE: u8 = 40;
    const PROTOCOL_VERSION: u8 = 70;
    match err.code {
        S2N_ERR_PROTOCOL_VERSION_UNSUPPORTED => Some(PROTOCOL_VERSION),
        S2N_ERR_CANCELLED if !conn.is_client() && state.tls.is_none() => Some(HANDSHAKE_FAILURE),
        _ => None,
    }
}

/// An alert record without protection (level 1 warning, 2 fatal), for the
/// failures that happen before or outside rustls.
pub(super) fn plaintext_alert(level: u8, code: u8) -> [u8; 7] {
    [21, 3, 3, 0, 2, level, code]
}

/// The whole ClientHello is here: parse it, run the application's callback
/// (which may block the handshake or swap the config), then start rustls
/// with the connection's config and give it the ClientHello's records.
pub(super) fn client_hello_arrived(
    conn: &Connection,
    blocked: &mut BlockedStatusArg,
) -> Result<(), Error> {
    let mut state = conn.state();
    if state.hello.client_hello.is_none() {
        let capture = state
            .hello
            .capture
            .as_ref()
            .ok_or_else(|| Error::new(S2N_ERR_INVALID_STATE))?;
        let message = capture
            .message()
            .ok_or_else(|| Error::new(S2N_ERR_INVALID_STATE))?;
        // s2n reads the legacy version before the rest, so it reports it
        // even for a ClientHello that then fails to parse.
        let legacy = message
            .get(4..6)
            .map(|v| connection::info::legacy_version_number([v[0], v[1]]));
        let hello =
            crate::client_hello::ClientHelloHandle::received(message, capture.record_version);
        if let Some(legacy) = legacy {
            state.hello.client_versions = Some((S2N_UNKNOWN_PROTOCOL_VERSION, legacy));
        }
        let hello = hello.inspect_err(|_| state.phase = Phase::Failed)?;
        let versions = connection::info::client_versions(&hello.hello);
        state.hello.client_versions = Some(versions);
        // A client offering only versions before TLS1.2 (which rustls does
        // not speak): s2n's error for versions it will not negotiate, not
        // blinded, decided here rather than by rustls's later failure.
        if versions.0 != S2N_UNKNOWN_PROTOCOL_VERSION && versions.0 < S2N_TLS12 {
            state.phase = Phase::Failed;
            return Err(Error::with_reason(
                S2N_ERR_PROTOCOL_VERSION_UNSUPPORTED,
                "the client offers only versions before TLS1.2",
            ));
        }
        state.hello.ocsp_requested = hello.hello.extension(5).is_some();
        // The name as the client sent it (s2n_get_server_name keeps its case).
        state.facts.server_name_c = hello
            .hello
            .server_name()
            .and_then(|n| std::ffi::CString::new(n).ok());
        state.hello.client_hello = Some(Box::new(hello));
    }
    let (callback, mode) = {
        let config = state.config.read();
        (config.client_hello_cb, config.client_hello_cb_mode)
    };
    match (state.hello.callback, callback) {
        (CallbackStatus::NotInvoked, Some((cb, ctx))) => {
            state.hello.callback = CallbackStatus::Blocked;
            drop(state);
            let rc = callbacks::client_hello(cb, conn.handle(), ctx);
            state = conn.state();
            if rc < 0 {
                state.phase = Phase::Failed;
                return Err(Error::new(S2N_ERR_CANCELLED));
            }
            if mode == s2n_client_hello_cb_mode::S2N_CLIENT_HELLO_CB_BLOCKING {
                state.facts.server_name_used |= rc > 0;
                state.hello.callback = CallbackStatus::Done;
            } else if state.hello.callback != CallbackStatus::Done {
                *blocked = s2n_blocked_status::S2N_BLOCKED_ON_APPLICATION_INPUT.into();
                return Err(Error::new(S2N_ERR_ASYNC_BLOCKED));
            }
        }
        (CallbackStatus::Blocked, _) => {
            *blocked = s2n_blocked_status::S2N_BLOCKED_ON_APPLICATION_INPUT.into();
            return Err(Error::new(S2N_ERR_ASYNC_BLOCKED));
        }
        _ => state.hello.callback = CallbackStatus::Done,
    }
    drop(state);
    if let Err(e) = early_data::run_callback(conn) {
        if e.code == S2N_ERR_ASYNC_BLOCKED {
            *blocked = s2n_blocked_status::S2N_BLOCKED_ON_APPLICATION_INPUT.into();
        } else {
            conn.state().phase = Phase::Failed;
        }
        return Err(e);
    }
    let mut state = conn.state();
    // s2n goes on without ALPN when client and server share no protocol;
    // rustls would fail, so such a connection offers none.
    let offered: Vec<Vec<u8>> = state
        .hello
        .client_hello
        .as_ref()
        .and_then(|h| h.hello.extension(16))
        .map(|data| {
            connection::hello::alpn_protocols(data)
                .into_iter()
                .map(<[u8]>::to_vec)
                .collect()
        })
        .unwrap_or_default();
    let ours = state
        .settings
        .overrides
        .alpn
        .clone()
        .unwrap_or_else(|| state.config.read().alpn.clone());
    if !offered.is_empty() && !ours.is_empty() && !ours.iter().any(|p| offered.contains(p)) {
        state.settings.overrides.alpn = Some(Vec::new());
    }
    start(conn, &mut state)?;
    let mut records = state
        .hello
        .capture
        .take()
        .map(|c| c.records)
        .unwrap_or_default();
    feed(conn, state, &mut records, false, blocked)
}
