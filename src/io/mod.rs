//! Connection I/O: where records go (a file descriptor or the application's
//! callbacks), the handshake driver (`s2n_negotiate`) and application data
//! (`s2n_send`, `s2n_recv`, ...), with s2n's blocked statuses.
//!
//! Locks: `send`, then `recv`, then the connection state. The state lock is
//! never held while the application's I/O callbacks run: records move
//! between rustls and our buffers under it, and between the buffers and the
//! callbacks outside it (a file descriptor takes rustls's records directly;
//! see `transport`).

#![forbid(unsafe_code)]

use std::ffi::c_int;

pub(crate) mod early_data;
pub(crate) mod errors;
pub(crate) mod hello;
pub(crate) mod quic;
pub mod serialize;
pub(crate) mod step;
mod tickets;
pub(crate) mod transport;

use crate::error::map_tls_error;
use crate::record::engine::Engine;
use crate::record::header;
pub use crate::record::{Records, RecvBuf, SendBuf, Tls, Transport, WriteIo};
pub use early_data::{recv_early_data, send_early_data};
use errors::nothing_to_offer;
use hello::*;
use std::io::ErrorKind;
use std::sync::MutexGuard;
use step::{feed, resume_step};
use transport::{fill, flush};

use rustls::client::UnbufferedClientConnection;
use rustls::pki_types::ServerName;
use rustls::server::UnbufferedServerConnection;
use rustls::{ClientConnection, ServerConnection};

use crate::connection::hello::CallbackStatus;
use crate::connection::{self, Connection, Phase, State};
use crate::error::*;
use crate::ffi::{self, callbacks};
use crate::record::{engine, kernel};
use crate::trust::no_server_name;
use crate::types::*;

/// Plaintext encrypted before the records are written out (bounds the
/// output buffer of a large `s2n_send`).
const SEND_STEP: usize = 4 * 16384;

/// Creates the protocol state when the handshake starts.
fn start(conn: &Connection, state: &mut State) -> Result<(), Error> {
    if state.tls.is_some() {
        return Ok(());
    }
    let engine = if conn.is_client() {
        let config = state.config.client_config(&state.settings.overrides)?;
        let name = state
            .settings
            .server_name
            .as_deref()
            .and_then(|n| ServerName::try_from(n.to_string()).ok())
            .unwrap_or_else(no_server_name);
        let offer = state
            .resumption
            .offer_session
            .and_then(|id| crate::session::client::take(&id));
        // Early data needs rustls's buffered connection.
        let early = config.enable_early_data
            && offer
                .as_ref()
                .is_some_and(crate::session::client::allows_early_data);
        let alpn = state.settings.overrides.alpn.clone();
        let engine = crate::session::client::with_offer(offer, || match (early, alpn) {
            (true, Some(alpn)) => ClientConnection::new_with_alpn(config, name, alpn)
                .map(|c| Engine::Buffered(Box::new(c.into()))),
            (true, None) => {
                ClientConnection::new(config, name).map(|c| Engine::Buffered(Box::new(c.into())))
            }
            (false, Some(alpn)) => UnbufferedClientConnection::new_with_alpn(config, name, alpn)
                .map(|c| Engine::Client(Box::new(c))),
            (false, None) => {
                UnbufferedClientConnection::new(config, name).map(|c| Engine::Client(Box::new(c)))
            }
        });
        let mut engine = engine.map_err(|e| {
            Error::with_reason(map_tls_error(&e), "rustls refused the client configuration")
        })?;
        let allowed = match &mut engine {
            Engine::Buffered(b) => match &mut **b {
                rustls::Connection::Client(c) => c.early_data().map(|e| e.bytes_left()),
                rustls::Connection::Server(_) => None,
            },
            _ => None,
        };
        state.early.offered = allowed.is_some();
        state.early.client_max = allowed.map_or(0, |n| u32::try_from(n).unwrap_or(u32::MAX));
        engine
    } else {
        let group = server_group(state);
        let ticket = tls12_ticket(state);
        state.settings.overrides.resumes_tls12_ticket = ticket == Tls12Ticket::Fresh;
        state.settings.overrides.stale_tls12_ticket = ticket == Tls12Ticket::Stale;
        state.settings.overrides.tls12_without_tickets = ticket == Tls12Ticket::Ignored;
        let config = state
            .config
            .server_config(&state.settings.overrides, group)?;
        let refused = |e: rustls::Error| {
            Error::with_reason(map_tls_error(&e), "rustls refused the server configuration")
        };
        if config.max_early_data_size > 0 {
            // Early data needs rustls's buffered connection.
            let mut server = ServerConnection::new(config).map_err(refused)?;
            if state.early.decision == crate::early_data::Decision::Reject {
                server.reject_early_data();
            }
            Engine::Buffered(Box::new(server.into()))
        } else {
            Engine::Server(Box::new(
                UnbufferedServerConnection::new(config).map_err(refused)?,
            ))
        }
    };
    state.tls = Some(Box::new(Tls::new(engine)));
    state.phase = Phase::Handshaking;
    // TLS1.2's randoms go into a serialized connection (see serialize).
    if state.config.read().serializable {
        state.facts.randoms = Some(Box::default());
    }
    Ok(())
}

fn tls_mut(state: &mut State) -> Result<&mut Tls, Error> {
    state
        .tls
        .as_deref_mut()
        .ok_or_else(|| Error::with_reason(S2N_ERR_INVALID_STATE, "the handshake has not started"))
}

/// Reads a record and gives it to rustls (or, for a server still waiting for
/// its ClientHello, to the capture). The peer closing the transport during
/// the handshake is `S2N_ERR_CLOSED`.
fn read_record(
    conn: &Connection,
    recv: &mut RecvBuf,
    blocked: &mut BlockedStatusArg,
) -> Result<(), Error> {
    let eof = fill(conn, recv, blocked)?;
    let mut state = conn.state();
    if state.tls.is_none() {
        if eof {
            state.phase = Phase::Failed;
            return Err(Error::new(S2N_ERR_CLOSED));
        }
        let capture = state.hello.capture.get_or_insert_with(Default::default);
        match capture.take_records(recv.buf.filled()) {
            Ok(used) => {
                recv.buf.consume(used);
                // Records after the ClientHello go to rustls once it starts.
                recv.ready = capture.message().is_some() && !recv.buf.is_empty();
            }
            Err(e) => {
                let peer_alert = capture.peer_alert;
                if let Some(offered) = capture.sslv2_offered {
                    state.hello.client_versions = Some((offered, S2N_SSLv2));
                }
                state.shutdown.peer_alert = state.shutdown.peer_alert.or(peer_alert);
                state.phase = Phase::Failed;
                return Err(e);
            }
        }
        return capture.check_type();
    }
    let result = feed(conn, state, &mut recv.buf, eof, blocked);
    // What is left in the buffer is records not looked at yet (or, after
    // the handshake, one opened and not read to its end).
    recv.ready = header::record_complete(recv.buf.filled());
    if recv.buf.is_empty() && conn.state().settings.dynamic_buffers {
        recv.buf.release();
    }
    result
}

/// After a failure: as in s2n, no alert goes out now (a specific one could
/// tell an attacker why it failed). `s2n_shutdown` later sends close_notify,
/// or for the few failures s2n names, their alert. During a TLS1.3
/// handshake close_notify goes out unprotected; after a handshake, s2nrs
/// seals it with the traffic keys (only where rustls still protects the
/// records, early data's connection, an alert it already protected is what
/// goes out). Blinding applies to protocol failures as in s2n.
fn failed(conn: &Connection, send: &mut SendBuf, err: Error) -> Error {
    let kind = err.kind();
    if kind == s2n_error_type::S2N_ERR_T_BLOCKED as c_int {
        return err;
    }
    let protocol = kind == s2n_error_type::S2N_ERR_T_PROTO as c_int
        || kind == s2n_error_type::S2N_ERR_T_ALERT as c_int;
    {
        let mut state = conn.state();
        if protocol {
            state.phase = Phase::Failed;
        }
        // Only a connection that is dead holds its output back (an I/O
        // error leaves records rustls numbered that must still go first).
        if state.phase == Phase::Failed {
            let mut queued = Vec::new();
            let mut tls13_handshake = false;
            if let Some(tls) = state.tls.as_mut().filter(|t| !t.protects_records()) {
                tls.collect();
                queued = tls.out.filled().to_vec();
                tls.out.release();
                tls13_handshake = tls.is_handshaking()
                    && tls.protocol_version() == Some(rustls::ProtocolVersion::TLSv1_3);
            }
            // Only the first failure decides (later calls fail again with CLOSED).
            // A TLS1.3 handshake's failure goes out as s2n's close_notify,
            // unprotected (peers take plaintext alerts until the handshake
            // ends), not as the protected alert rustls made, which would
            // tell the peer why it failed.
            let plaintext_alert = queued.len() == 7 && queued[0] == 21 && queued[3..5] == [0, 2];
            if !queued.is_empty() && !plaintext_alert && !tls13_handshake {
                state.shutdown.record = Some(queued);
            }
            if state.shutdown.alert.is_none() {
                state.shutdown.alert = shutdown_alert(conn, &state, &err);
            }
        }
    }
    let mut ignored = BlockedStatusArg(0);
    let _ = flush(conn, send, &mut ignored);
    // s2n does not blind errors that reveal nothing an attacker could time.
    const NOT_BLINDED: [c_int; 5] = [
        S2N_ERR_CANCELLED,
        S2N_ERR_CIPHER_NOT_SUPPORTED,
        S2N_ERR_PROTOCOL_VERSION_UNSUPPORTED,
        S2N_ERR_CONFIG_NULL_BEFORE_CH_CALLBACK,
        // Found after the record opened (its type and length inside).
        S2N_ERR_MAX_INNER_PLAINTEXT_SIZE,
    ];
    if protocol && !NOT_BLINDED.contains(&err.code) {
        connection::blind(conn);
    }
    err
}

/// `s2n_negotiate`, with the events.h subscriber told when it starts and
/// when the handshake is over (done, or failed for good).
pub fn negotiate(conn: &Connection, blocked: &mut BlockedStatusArg) -> Result<(), Error> {
    if quic::is_enabled(conn) {
        return quic::negotiate(conn, blocked);
    }
    use crate::unstable::events;
    let (hooks, call_start, first, was_established) = {
        let mut state = conn.state();
        let (call_start, first) = state.events.begin();
        (
            state.config.read().events,
            call_start,
            first,
            state.phase == Phase::Established,
        )
    };
    if first {
        events::emit_checkpoint(conn.handle(), conn.mode, &hooks, c"NEGOTIATE_START");
    }
    let result = drive_handshake(conn, blocked);
    let event = {
        let mut state = conn.state();
        state.events.end_call(call_start);
        let code = match &result {
            Ok(()) => Some(0),
            Err(e) if e.kind() != s2n_error_type::S2N_ERR_T_BLOCKED as c_int => Some(e.code),
            Err(_) => None,
        };
        let policy = state.policy();
        let state = &mut *state;
        code.and_then(|code| {
            events::handshake_event(
                &hooks,
                &mut state.events,
                || {
                    state
                        .tls
                        .as_deref()
                        .map(Tls::negotiated)
                        .unwrap_or_default()
                },
                policy,
                code,
            )
        })
    };
    if let Some(mut event) = event {
        // The callback must not see (or change) this call's error.
        let saved = ffi::errno();
        events::emit_handshake(conn.handle(), &hooks, &mut event);
        ffi::set_errno(saved);
    }
    if result.is_ok() && !was_established {
        events::emit_checkpoint(conn.handle(), conn.mode, &hooks, c"NEGOTIATE_END");
    }
    result
}

fn drive_handshake(conn: &Connection, blocked: &mut BlockedStatusArg) -> Result<(), Error> {
    drive(conn, blocked, |_, _| Ok(false))
}

/// Runs the handshake until it is complete or `stop` (asked whenever rustls
/// has taken what arrived) says to return.
fn drive(
    conn: &Connection,
    blocked: &mut BlockedStatusArg,
    mut stop: impl FnMut(&mut State, &mut BlockedStatusArg) -> Result<bool, Error>,
) -> Result<(), Error> {
    let mut send = conn.send.lock().unwrap_or_else(|e| e.into_inner());
    let mut recv = conn.recv.lock().unwrap_or_else(|e| e.into_inner());
    let cork = {
        let mut state = conn.state();
        match state.phase {
            Phase::Failed => return Err(Error::new(S2N_ERR_CLOSED)),
            // A server starts rustls once the ClientHello is in (see client_hello_arrived).
            Phase::New if conn.is_client() => start(conn, &mut state)?,
            Phase::New | Phase::Handshaking | Phase::Established => {}
        }
        match (state.settings.corked, state.settings.transport.write) {
            (true, WriteIo::Fd(fd)) => Some(fd),
            _ => None,
        }
    };
    if let Some(fd) = cork {
        callbacks::set_cork(fd, true);
    }
    let result = (|| loop {
        flush(conn, &mut send, blocked)?;
        if resume_step(conn, &mut recv.buf, blocked)? {
            continue;
        }
        {
            let mut state = conn.state();
            if state.tls.is_none() {
                let arrived = state
                    .hello
                    .capture
                    .as_ref()
                    .is_some_and(|c| c.message().is_some());
                drop(state);
                if arrived {
                    client_hello_arrived(conn, blocked)?;
                } else {
                    read_record(conn, &mut recv, blocked)?;
                }
                continue;
            }
            if stop(&mut state, blocked)? {
                return Ok(());
            }
            let handshaking = tls_mut(&mut state)?.is_handshaking();
            if !handshaking {
                if let Some(code) = client_auth_unmet(conn, &state) {
                    state.phase = Phase::Failed;
                    return Err(Error::new(code));
                }
                let alerts = state.config.read().alert_behavior;
                let settings = kernel::Settings {
                    ignore_warnings: alerts == s2n_alert_behavior::S2N_ALERT_IGNORE_WARNINGS,
                    traffic_secrets: state.facts.traffic_secrets.take(),
                };
                tls_mut(&mut state)?.hand_over_later(settings);
                state.phase = Phase::Established;
                connection::info::record_negotiated(&mut state);
                return Ok(());
            }
        }
        read_record(conn, &mut recv, blocked)?;
    })();
    if let Some(fd) = cork {
        callbacks::set_cork(fd, false);
    }
    result.map_err(|e| failed(conn, &mut send, e))
}

fn ensure_established(state: &State) -> Result<(), Error> {
    match state.phase {
        Phase::Established => Ok(()),
        Phase::Failed => Err(Error::new(S2N_ERR_CLOSED)),
        _ => Err(Error::new(S2N_ERR_HANDSHAKE_NOT_COMPLETE)),
    }
}

/// Encrypts and writes the caller's data (`slices` from `offset` on), as
/// s2n does: after a block, the call is repeated with the same data and
/// resumes; data already on the wire is reported as a partial write.
pub fn send(
    conn: &Connection,
    slices: &[&[u8]],
    blocked: &mut BlockedStatusArg,
) -> Result<usize, Error> {
    let mut send = conn.send.lock().unwrap_or_else(|e| e.into_inner());
    {
        let mut state = conn.state();
        ensure_established(&state)?;
        // Before TLS1.3 there is no half-close: s2n stops writing once the
        // peer's close_notify arrived, as it does after sending its own.
        let half_close = state.tls.as_ref().and_then(|t| t.protocol_version())
            == Some(rustls::ProtocolVersion::TLSv1_3);
        if state.shutdown.close_notify_sent || (state.shutdown.close_notify_received && !half_close)
        {
            return Err(Error::new(S2N_ERR_CLOSED));
        }
        state.records.start_send();
    }
    flush(conn, &mut send, blocked).map_err(|e| failed(conn, &mut send, e))?;
    let total: usize = slices.iter().map(|s| s.len()).sum();
    if send.consumed > total {
        return Err(Error::new(S2N_ERR_SEND_SIZE));
    }
    let mut flushed = send.consumed;
    *blocked = s2n_blocked_status::S2N_BLOCKED_ON_WRITE.into();
    while send.consumed < total {
        {
            let mut state = conn.state();
            if std::mem::take(&mut state.settings.key_update_pending) {
                // Only TLS1.3 has key updates; s2n ignores the request otherwise.
                if state.tls.as_ref().and_then(|t| t.protocol_version())
                    == Some(rustls::ProtocolVersion::TLSv1_3)
                {
                    tls_mut(&mut state)?
                        .key_update()
                        .map_err(|_| Error::new(S2N_ERR_KEY_INIT))?;
                }
            }
            let state = &mut *state;
            let tls = state
                .tls
                .as_deref_mut()
                .ok_or_else(|| Error::new(S2N_ERR_INVALID_STATE))?;
            // Encrypt a few records' worth, then write them out.
            let step = SEND_STEP.min(total - send.consumed);
            let mut done = 0;
            let mut scratch = Vec::new();
            while done < step {
                let n = state.records.next(tls).min(step - done);
                let record = gather(slices, send.consumed + done, n, &mut scratch);
                tls.write(record)
                    .map_err(|e| Error::new(map_tls_error(&e)))?;
                state.records.sent(n);
                done += n;
            }
            send.consumed += done;
        }
        if let Err(e) = flush(conn, &mut send, blocked) {
            if e.code == S2N_ERR_IO_BLOCKED && flushed > 0 {
                // Report what reached the wire; the rest waits in our buffer.
                let sent = flushed;
                send.consumed -= sent;
                return Ok(sent);
            }
            return Err(failed(conn, &mut send, e));
        }
        flushed = send.consumed;
    }
    send.consumed = 0;
    *blocked = s2n_blocked_status::S2N_NOT_BLOCKED.into();
    Ok(total)
}

/// `n` bytes of the caller's data from `offset` on: borrowed when one
/// slice holds them, else gathered into `scratch` (a record may span slices).
fn gather<'a>(
    slices: &[&'a [u8]],
    mut offset: usize,
    n: usize,
    scratch: &'a mut Vec<u8>,
) -> &'a [u8] {
    let mut rest = slices.iter();
    let first = loop {
        match rest.next() {
            Some(s) if offset >= s.len() => offset -= s.len(),
            Some(s) => break s,
            None => return &[],
        }
    };
    if first.len() - offset >= n {
        return &first[offset..offset + n];
    }
    scratch.clear();
    scratch.extend_from_slice(&first[offset..]);
    for slice in rest {
        let take = (n - scratch.len()).min(slice.len());
        scratch.extend_from_slice(&slice[..take]);
        if scratch.len() == n {
            break;
        }
    }
    scratch
}

/// Decrypted data for the caller: 0 once the peer's close_notify arrived.
pub fn recv(
    conn: &Connection,
    buf: &mut [u8],
    blocked: &mut BlockedStatusArg,
) -> Result<usize, Error> {
    *blocked = s2n_blocked_status::S2N_BLOCKED_ON_READ.into();
    let mut recv = conn.recv.lock().unwrap_or_else(|e| e.into_inner());
    let mut total = 0;
    loop {
        {
            let mut state = conn.state();
            // TLS1.2 has no half-close: once our close_notify is out, nothing
            // more is read; end of data only if the peer's close_notify is in.
            // (Checked under the lock the read takes anyway: it only holds
            // before anything was read, as nothing is sent meanwhile.)
            if total == 0 && state.shutdown.close_notify_sent && state.phase == Phase::Established {
                let tls12 = state.tls.as_ref().is_some_and(|t| {
                    t.protocol_version() == Some(rustls::ProtocolVersion::TLSv1_2)
                });
                if tls12 {
                    if !state.shutdown.close_notify_received {
                        return Err(Error::new(S2N_ERR_CLOSED));
                    }
                    *blocked = s2n_blocked_status::S2N_NOT_BLOCKED.into();
                    return Ok(0);
                }
            }
            if state.phase != Phase::Established || buf.is_empty() {
                if state.shutdown.close_notify_received {
                    *blocked = s2n_blocked_status::S2N_NOT_BLOCKED.into();
                    return Ok(0);
                }
                ensure_established(&state)?;
                *blocked = s2n_blocked_status::S2N_NOT_BLOCKED.into();
                return Ok(0);
            }
            let multi = state.config.read().recv_multi_record;
            let tls = tls_mut(&mut state)?;
            match tls.read(&mut buf[total..], &mut recv.buf) {
                Ok(0) => {
                    state.shutdown.close_notify_received = true;
                    *blocked = s2n_blocked_status::S2N_NOT_BLOCKED.into();
                    return Ok(total);
                }
                Ok(n) => {
                    total += n;
                    state.plaintext_pending = state.plaintext_pending.saturating_sub(n);
                    if total == buf.len() || !multi {
                        *blocked = s2n_blocked_status::S2N_NOT_BLOCKED.into();
                        return Ok(total);
                    }
                }
                Err(e) if e.kind() == ErrorKind::WouldBlock => {}
                Err(_) => {
                    if total > 0 {
                        *blocked = s2n_blocked_status::S2N_NOT_BLOCKED.into();
                        return Ok(total);
                    }
                    return Err(Error::new(S2N_ERR_CLOSED));
                }
            }
        }
        if let Err(e) = read_record(conn, &mut recv, blocked) {
            if total > 0 && (e.code == S2N_ERR_IO_BLOCKED || e.code == S2N_ERR_CLOSED) {
                *blocked = s2n_blocked_status::S2N_NOT_BLOCKED.into();
                return Ok(total);
            }
            drop(recv);
            let mut send = conn.send.lock().unwrap_or_else(|e| e.into_inner());
            return Err(failed(conn, &mut send, e));
        }
    }
}

/// `s2n_peek_buffered`: the bytes read off the wire beyond the record being
/// read (only receive buffering reads past a record).
pub fn peek_buffered(conn: &Connection) -> u32 {
    let recv = conn.recv.lock().unwrap_or_else(|e| e.into_inner());
    let current = conn
        .state()
        .tls
        .as_ref()
        .map_or(0, |t| t.current_record_len());
    u32::try_from(recv.buf.len().saturating_sub(current)).unwrap_or(u32::MAX)
}

/// Sends close_notify (unless an alert already ended the connection).
pub fn shutdown_send(conn: &Connection, blocked: &mut BlockedStatusArg) -> Result<(), Error> {
    let mut send = conn.send.lock().unwrap_or_else(|e| e.into_inner());
    {
        let mut state = conn.state();
        if state.phase == Phase::New {
            return Ok(());
        }
        if state.remaining_delay() > 0 {
            return Err(Error::new(S2N_ERR_SHUTDOWN_PAUSED));
        }
        if !state.shutdown.close_notify_sent && state.phase != Phase::Failed {
            if let Some(tls) = state.tls.as_mut() {
                if !tls.close_notify() {
                    // Before rustls can protect one (mid-handshake): as plaintext.
                    tls.out.extend_from_slice(&plaintext_alert(1, 0));
                }
            }
            state.shutdown.close_notify_sent = true;
        }
        // After a failure: nothing if the peer's alert ended it, else the
        // failure's alert or close_notify.
        let peer_alerted = state.shutdown.peer_alert.is_some_and(|a| a != 0);
        if !state.shutdown.close_notify_sent && state.phase == Phase::Failed && !peer_alerted {
            if let Some(record) = state.shutdown.record.take() {
                send.out.extend_from_slice(&record);
            } else {
                // Under the traffic keys once s2nrs holds them, else as
                // plaintext (before the handshake reached them).
                let (level, code) = state.shutdown.alert.map_or((1, 0), |code| (2, code));
                if !state.tls.as_mut().is_some_and(|t| t.alert(level, code)) {
                    send.out.extend_from_slice(&plaintext_alert(level, code));
                }
            }
            state.shutdown.close_notify_sent = true;
        }
    }
    flush(conn, &mut send, blocked)
}

/// Sends close_notify and waits for the peer's, discarding data that arrives first.
pub fn shutdown(conn: &Connection, blocked: &mut BlockedStatusArg) -> Result<(), Error> {
    shutdown_send(conn, blocked)?;
    let mut recv = conn.recv.lock().unwrap_or_else(|e| e.into_inner());
    loop {
        {
            let mut state = conn.state();
            if state.phase != Phase::Established || state.shutdown.close_notify_received {
                return Ok(());
            }
            // Application data is dropped while shutting down, as s2n does.
            let tls = tls_mut(&mut state)?;
            let mut sink = [0u8; 1024];
            loop {
                match tls.read(&mut sink, &mut recv.buf) {
                    Ok(0) => {
                        state.shutdown.close_notify_received = true;
                        return Ok(());
                    }
                    Ok(_) => {}
                    Err(e) if e.kind() == ErrorKind::WouldBlock => break,
                    // The peer closed without its close_notify.
                    Err(_) => return Err(Error::new(S2N_ERR_CLOSED)),
                }
            }
        }
        *blocked = s2n_blocked_status::S2N_BLOCKED_ON_READ.into();
        read_record(conn, &mut recv, blocked)?;
        *blocked = s2n_blocked_status::S2N_NOT_BLOCKED.into();
    }
}

/// Frees the I/O buffers when nothing is waiting in them.
pub fn release_buffers(conn: &Connection) -> Result<(), Error> {
    let mut send = conn.send.lock().unwrap_or_else(|e| e.into_inner());
    let mut recv = conn.recv.lock().unwrap_or_else(|e| e.into_inner());
    let mut state = conn.state();
    let held = state.tls.as_ref().is_some_and(|tls| tls.holds_data());
    if send.pending() || held || !recv.is_empty() || state.plaintext_pending > 0 {
        return Err(Error::new(S2N_ERR_STUFFER_HAS_UNPROCESSED_DATA));
    }
    if let Some(tls) = state.tls.as_mut() {
        // An idle connection keeps only what s2nrs's record protection needs.
        tls.take_over().map_err(|e| Error::new(map_tls_error(&e)))?;
        tls.release();
    }
    send.out.release();
    send.pos = 0;
    recv.buf.release();
    Ok(())
}
