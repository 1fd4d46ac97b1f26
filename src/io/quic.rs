//! QUIC through the handshake driver: the connection's I/O carries bare
//! TLS handshake messages (the engine and its queues are in src/quic.rs).

use std::collections::VecDeque;
use std::ffi::c_int;
use std::sync::atomic::Ordering;

use rustls::quic as rq;

use super::transport::transport_error;
use crate::connection::{Connection, Phase, State};
use crate::error::*;
use crate::ffi::callbacks;
use crate::notes;
use crate::quic::*;
use crate::types::*;

/// Whether the connection (or its config) has QUIC on.
pub fn is_enabled(conn: &Connection) -> bool {
    let state = conn.state();
    state.quic.settings.as_ref().is_some_and(|q| q.enabled) || state.config.read().quic
}

/// Creates the QUIC engine when the handshake starts.
pub(crate) fn start(conn: &Connection, state: &mut State) -> Result<(), Error> {
    let mut overrides = state.settings.overrides.clone();
    overrides.quic = true;
    let params = state
        .quic
        .settings
        .as_ref()
        .map(|q| q.params.clone())
        .unwrap_or_default();
    let refused = |e: rustls::Error| {
        let why = "rustls refused the QUIC configuration (QUIC requires TLS1.3)";
        match e {
            rustls::Error::General(_) => {
                Error::with_reason(S2N_ERR_PROTOCOL_VERSION_UNSUPPORTED, why)
            }
            e => Error::with_reason(map_tls_error(&e), why),
        }
    };
    let tls: rq::Connection = if conn.is_client() {
        let config = state.config.client_config(&overrides)?;
        let name = state
            .settings
            .server_name
            .as_deref()
            .and_then(|n| rustls::pki_types::ServerName::try_from(n.to_string()).ok())
            .unwrap_or_else(crate::trust::no_server_name);
        let version = rq::Version::V1;
        match &overrides.alpn {
            Some(alpn) => {
                rq::ClientConnection::new_with_alpn(config, version, name, params, alpn.clone())
            }
            None => rq::ClientConnection::new(config, version, name, params),
        }
        .map_err(refused)?
        .into()
    } else {
        let (hello_cb, early) = {
            let config = state.config.read();
            let early = overrides
                .early_data_max
                .unwrap_or(config.early_data.max_size);
            (config.client_hello_cb.is_some(), early)
        };
        if hello_cb {
            return Err(Error::unimplemented(
                "a QUIC server cannot run the ClientHello callback (the ClientHello is not collected from records)",
            ));
        }
        if early > 0 {
            return Err(Error::unimplemented("QUIC early data (0-RTT)"));
        }
        let config = state.config.server_config(&overrides, None)?;
        rq::ServerConnection::new(config, rq::Version::V1, params)
            .map_err(refused)?
            .into()
    };
    state.quic.engine = Some(Box::new(Engine {
        tls,
        inbox: Vec::new(),
        outbox: VecDeque::new(),
        sent: 0,
        derived: Vec::new(),
    }));
    state.phase = Phase::Handshaking;
    Ok(())
}

/// `s2n_negotiate` on a QUIC connection.
pub fn negotiate(conn: &Connection, blocked: &mut BlockedStatusArg) -> Result<(), Error> {
    let mut engine = {
        let mut state = conn.state();
        match state.phase {
            Phase::Failed => return Err(Error::new(S2N_ERR_CLOSED)),
            Phase::New => start(conn, &mut state)?,
            Phase::Handshaking | Phase::Established => {}
        }
        state.quic.engine.take().ok_or_else(|| {
            Error::with_reason(S2N_ERR_INVALID_STATE, "the QUIC handshake is in use")
        })?
    };
    let result = drive(conn, &mut engine, blocked);
    {
        let mut state = conn.state();
        if result.is_ok() && state.facts.alpn_c.is_none() {
            state.facts.alpn_c = engine
                .tls
                .alpn_protocol()
                .and_then(|p| std::ffi::CString::new(p).ok());
        }
        state.quic.engine = Some(engine);
        match &result {
            Ok(()) => state.phase = Phase::Established,
            Err(e) if e.kind() == s2n_error_type::S2N_ERR_T_BLOCKED as c_int => {}
            Err(_) => state.phase = Phase::Failed,
        }
    }
    if let Err(e) = &result {
        let kind = e.kind();
        if kind == s2n_error_type::S2N_ERR_T_PROTO as c_int
            || kind == s2n_error_type::S2N_ERR_T_ALERT as c_int
        {
            crate::connection::blind(conn);
        }
    }
    result
}

/// Writes what is queued, makes more, reads the next message: until rustls
/// says the handshake is over and everything it made went out.
pub(crate) fn drive(
    conn: &Connection,
    engine: &mut Engine,
    blocked: &mut BlockedStatusArg,
) -> Result<(), Error> {
    loop {
        send_queued(conn, engine, blocked)?;
        if produce(engine) {
            continue;
        }
        if !engine.tls.is_handshaking() {
            return Ok(());
        }
        let message = read_message(conn, engine, blocked)?;
        process(conn, engine, &message)?;
    }
}

/// Sends the queued messages (one send per message, as s2n) and calls the
/// secret callback for the secrets queued between them.
pub(crate) fn send_queued(
    conn: &Connection,
    engine: &mut Engine,
    blocked: &mut BlockedStatusArg,
) -> Result<(), Error> {
    while let Some(front) = engine.outbox.front_mut() {
        match front {
            Out::Message(bytes) => {
                let transport = conn.state().settings.transport;
                while engine.sent < bytes.len() {
                    let rest = &bytes[engine.sent..];
                    match transport.write(rest) {
                        Ok(0) => return Err(Error::new(S2N_ERR_IO)),
                        Ok(n) => {
                            engine.sent += n;
                            conn.wire_out.fetch_add(n as u64, Ordering::Relaxed);
                        }
                        Err(e) => {
                            transport_error(e, blocked, s2n_blocked_status::S2N_BLOCKED_ON_WRITE)?
                        }
                    }
                }
                engine.sent = 0;
            }
            Out::Secret(kind, secret) => {
                let callback = conn
                    .state()
                    .quic
                    .settings
                    .as_ref()
                    .and_then(|q| q.secret_cb);
                if let Some((cb, ctx)) = callback {
                    let rc = callbacks::quic_secret(cb, ctx, conn.handle(), (*kind).into(), secret);
                    if rc < 0 {
                        engine.outbox.pop_front();
                        return Err(Error::with_reason(
                            S2N_ERR_CANCELLED,
                            "the secret callback failed",
                        ));
                    }
                }
            }
        }
        engine.outbox.pop_front();
    }
    Ok(())
}

/// Reads one whole handshake message (header, then body, reading no more
/// than it needs, as s2n does).
pub(crate) fn read_message(
    conn: &Connection,
    engine: &mut Engine,
    blocked: &mut BlockedStatusArg,
) -> Result<Vec<u8>, Error> {
    let transport = conn.state().settings.transport;
    loop {
        let inbox = &mut engine.inbox;
        let total = match inbox[..] {
            [_, a, b, c, ..] => HEADER_LEN + usize::from_be_bytes([0, 0, 0, 0, 0, a, b, c]),
            _ => HEADER_LEN,
        };
        if total - HEADER_LEN >= MAX_MESSAGE_LEN {
            return Err(Error::new(S2N_ERR_BAD_MESSAGE));
        }
        let have = inbox.len();
        if have == total {
            return Ok(std::mem::take(inbox));
        }
        inbox.resize(total, 0);
        let buf = &mut inbox[have..];
        let result = transport.read(buf);
        let got = *result.as_ref().unwrap_or(&0);
        inbox.truncate(have + got);
        match result {
            Ok(0) => return Err(Error::new(S2N_ERR_CLOSED)),
            Ok(n) => {
                conn.wire_in.fetch_add(n as u64, Ordering::Relaxed);
            }
            Err(e) => transport_error(e, blocked, s2n_blocked_status::S2N_BLOCKED_ON_READ)?,
        }
    }
}

/// Gives one handshake message to rustls and takes what it learned.
pub(crate) fn process(conn: &Connection, engine: &mut Engine, message: &[u8]) -> Result<(), Error> {
    let context = conn.step_context(&conn.state());
    let result = notes::with_context(context, || engine.tls.read_hs(message));
    let mut noted = notes::take();
    let failure = noted.failure.take();
    for secret in &noted.secrets {
        if let Some(kind) = secret_type(&secret.label) {
            engine.derived.push((kind, secret.secret.clone()));
        }
    }
    let deferred = {
        let mut state = conn.state();
        if let Some(params) = engine.tls.quic_transport_parameters() {
            state.quic.settings.get_or_insert_default().peer_params = params.to_vec();
        }
        if !conn.is_client() && state.facts.server_name_c.is_none() {
            if let rq::Connection::Server(server) = &engine.tls {
                state.facts.server_name_c = server
                    .server_name()
                    .and_then(|n| std::ffi::CString::new(n).ok());
            }
        }
        conn.apply_notes(&mut state, noted)
    };
    if !deferred.is_empty() {
        conn.run_deferred(deferred);
    }
    result.map_err(|e| {
        if let rustls::Error::AlertReceived(alert) = &e {
            conn.state().shutdown.peer_alert = Some(u8::from(*alert));
        }
        if let Some(failure) = failure {
            return failure;
        }
        let code = match e {
            rustls::Error::PeerMisbehaved(
                rustls::PeerMisbehaved::MissingQuicTransportParameters,
            ) => S2N_ERR_MISSING_EXTENSION,
            e => map_tls_error(&e),
        };
        Error::new(code)
    })
}
