//! One step of the protocol state: records given to rustls (on a thread of
//! its own when an async private-key operation may make it wait, see
//! `record::step`), then what the connection learns from it.

use super::serialize;
use super::*;
use crate::async_pkey::park::Ran;
use crate::record::step::{self, AfterStep, PausedStep};

/// Gives records to rustls and processes them; what rustls did not take
/// stays in `input`. A connection that may wait for an async private-key
/// operation runs the step on a thread of its own (see `record::step`).
pub(crate) fn feed<'a>(
    conn: &'a Connection,
    mut state: MutexGuard<'a, State>,
    input: &mut Records,
    eof: bool,
    blocked: &mut BlockedStatusArg,
) -> Result<(), Error> {
    let handshaking = state.phase == Phase::Handshaking;
    let pausable = handshaking && state.config.read().signing.async_pkey.is_some();
    let tls = tls_mut(&mut state)?;
    // rustls ignores a close_notify that comes unprotected during the
    // handshake (a warning); in s2n it ends the handshake. (While rustls
    // keeps part of a handshake message, the input continues a record.)
    let at_record_start = !tls.joining();
    if at_record_start {
        if let Err(e) = header::check(tls, input.filled()) {
            state.phase = Phase::Failed;
            return Err(e);
        }
    }
    // A client reads the server random off the ServerHello for a serialized
    // TLS1.2 connection (a server, off what it wrote: see after_step).
    if let Some(randoms) = state.facts.randoms.as_mut().filter(|r| r.server.is_none()) {
        if conn.is_client() && at_record_start {
            randoms.server = serialize::server_random(input.filled());
        }
    }
    let tls = tls_mut(&mut state)?;
    let after = AfterStep {
        unprotected_close: at_record_start && header::plaintext_close_notify(input.filled()),
        eof,
    };
    // After the hand-over, records are opened here without rustls: only
    // NewSessionTickets go on to it, with the context its hooks need.
    if tls.protects_records() {
        let mut processed = tls.feed(input, eof);
        let mut notes = crate::notes::Notes::default();
        if tls.tickets_pending() {
            let context = conn.step_context(&state);
            let ticket_context = state.early.context.clone().unwrap_or_default();
            let tls = tls_mut(&mut state)?;
            let (taken, noted) = step::tickets(tls, context, &ticket_context);
            processed = taken.and(processed);
            notes = noted;
        }
        return after_step(conn, state, processed, notes, after);
    }
    let context = conn.step_context(&state);
    let ticket_context = state.early.context.clone().unwrap_or_default();
    let tls = tls_mut(&mut state)?;
    if handshaking {
        // The step runs without the connection's lock, so the application's
        // callbacks inside it (certificate validation, verify host, private
        // keys) can call the connection's getters, as in s2n.
        let tls = state
            .tls
            .take()
            .ok_or_else(|| Error::new(S2N_ERR_INVALID_STATE))?;
        drop(state);
        let step = step::Step {
            tls,
            input: std::mem::take(input),
            eof,
            context,
            ticket_context,
        };
        if pausable {
            return finish_step(conn, step::run(step), after, input, blocked);
        }
        return take_back(conn, step::run_here(step), after, input);
    }
    let (processed, notes) = step::process(tls, input, eof, context, &ticket_context);
    after_step(conn, state, processed, notes, after)
}

/// Takes back what a step on its own thread gave, or records that it waits.
fn finish_step(
    conn: &Connection,
    ran: Ran<Box<step::Outcome>>,
    after: AfterStep,
    input: &mut Records,
    blocked: &mut BlockedStatusArg,
) -> Result<(), Error> {
    match ran {
        Ran::Done(outcome) => take_back(conn, *outcome, after, input),
        Ran::Paused(step) => {
            let mut state = conn.state();
            state.paused = Some(Box::new(PausedStep { step, after }));
            *blocked = s2n_blocked_status::S2N_BLOCKED_ON_APPLICATION_INPUT.into();
            Err(Error::new(S2N_ERR_ASYNC_BLOCKED))
        }
        Ran::Lost => {
            conn.state().phase = Phase::Failed;
            Err(Error::with_reason(
                S2N_ERR_INTERNAL_LIBCRYPTO_ERROR,
                "the handshake step's thread ended without its state",
            ))
        }
    }
}

/// Puts the protocol state back after a step and learns from it.
fn take_back(
    conn: &Connection,
    outcome: step::Outcome,
    after: AfterStep,
    input: &mut Records,
) -> Result<(), Error> {
    // Records that arrived while a step waited come after its own.
    let mut rest = outcome.input;
    rest.extend_from_slice(input.filled());
    *input = rest;
    let mut state = conn.state();
    state.tls = Some(outcome.tls);
    after_step(conn, state, outcome.processed, outcome.notes, after)
}

/// Resumes a step that waited for the application, once the operation is
/// applied; until then, blocked on application input as in s2n. Ok(false)
/// when no step waits.
pub(crate) fn resume_step(
    conn: &Connection,
    input: &mut Records,
    blocked: &mut BlockedStatusArg,
) -> Result<bool, Error> {
    let paused = conn.state().paused.take();
    let Some(paused) = paused else {
        return Ok(false);
    };
    if !paused.step.ready() {
        conn.state().paused = Some(paused);
        *blocked = s2n_blocked_status::S2N_BLOCKED_ON_APPLICATION_INPUT.into();
        return Err(Error::new(S2N_ERR_ASYNC_BLOCKED));
    }
    let PausedStep { step, after } = *paused;
    finish_step(conn, step.resume(), after, input, blocked)?;
    Ok(true)
}

/// What the connection learns from a step: the hooks' notes, the peer's
/// close_notify, rustls's failure as s2n's error.
fn after_step<'a>(
    conn: &'a Connection,
    mut state: MutexGuard<'a, State>,
    processed: Result<engine::Fed, rustls::Error>,
    mut notes: crate::notes::Notes,
    after: AfterStep,
) -> Result<(), Error> {
    let AfterStep {
        unprotected_close,
        eof,
    } = after;
    let tls = tls_mut(&mut state)?;
    let peer_closed = tls.peer_closed;
    let written_random = serialize::server_random(tls.out.filled());
    if let Some(randoms) = state.facts.randoms.as_mut().filter(|r| r.server.is_none()) {
        if !conn.is_client() {
            randoms.server = written_random;
        }
    }
    let tls = tls_mut(&mut state)?;
    let unprotected_close = unprotected_close && tls.is_handshaking();
    let no_usable_chain = notes.no_usable_chain;
    let failure = notes.failure.take();
    let issued = std::mem::take(&mut notes.issued);
    let deferred = conn.apply_notes(&mut state, notes);
    if !issued.is_empty() {
        tickets::carry_sessions(&mut state, &issued);
    }
    if !deferred.is_empty() {
        drop(state);
        conn.run_deferred(deferred);
        state = conn.state();
    }
    if let Some(code) = client_auth_violation(conn, &state) {
        state.phase = Phase::Failed;
        return Err(Error::new(code));
    }
    match processed {
        Ok(fed) => {
            state.plaintext_pending = fed.plaintext;
            if peer_closed || unprotected_close {
                state.shutdown.close_notify_received = true;
                // s2n reports the close_notify alert (0) as the last alert.
                state.shutdown.peer_alert.get_or_insert(0);
                // A close_notify ends a handshake in s2n.
                if state.phase == Phase::Handshaking {
                    state.phase = Phase::Failed;
                    return Err(Error::new(S2N_ERR_CLOSED));
                }
            }
        }
        Err(e) => {
            if let rustls::Error::AlertReceived(alert) = &e {
                state.shutdown.peer_alert = Some(u8::from(*alert));
            }
            state.phase = Phase::Failed;
            if let Some(failure) = failure {
                return Err(failure);
            }
            let code = if let Some(code) = nothing_to_offer(conn, &state, &e, no_usable_chain) {
                code
            } else if unprotected_close
                || matches!(
                    e,
                    rustls::Error::AlertReceived(rustls::AlertDescription::CloseNotify)
                )
            {
                // A close_notify during the handshake ends it, as in s2n:
                // the peer closed, it did not fail (no blinding).
                state.shutdown.close_notify_received = true;
                S2N_ERR_CLOSED
            } else {
                map_tls_error(&e)
            };
            return Err(Error::new(code));
        }
    }
    if eof && state.phase == Phase::Handshaking {
        state.phase = Phase::Failed;
        return Err(Error::new(S2N_ERR_CLOSED));
    }
    if state.tls.as_mut().is_some_and(|t| t.take_hello_request()) {
        return hello_request(conn, state);
    }
    Ok(())
}

/// A server asked to renegotiate: as s2n, ignored without a renegotiate
/// callback, else the callback decides (a rejection is a no_renegotiation
/// warning, sent with the next records written; a failed callback is
/// `S2N_ERR_CANCELLED`).
fn hello_request(conn: &Connection, state: MutexGuard<'_, State>) -> Result<(), Error> {
    use crate::unstable::renegotiate::{RenegotiateResponseArg, s2n_renegotiate_response};
    let Some((cb, ctx)) = state.config.read().renegotiate_cb else {
        return Ok(());
    };
    drop(state);
    let reject = RenegotiateResponseArg::from(s2n_renegotiate_response::S2N_RENEGOTIATE_REJECT);
    // A callback that answers with no member of the enum fails as one that failed.
    let response =
        callbacks::renegotiate_request(cb, conn.handle(), ctx, reject).and_then(|r| r.get().ok());
    let mut state = conn.state();
    match response {
        None => {
            state.phase = Phase::Failed;
            Err(Error::new(S2N_ERR_CANCELLED))
        }
        Some(s2n_renegotiate_response::S2N_RENEGOTIATE_REJECT) => {
            const NO_RENEGOTIATION: u8 = 100;
            if let Some(tls) = state.tls.as_mut() {
                tls.alert(1, NO_RENEGOTIATION);
            }
            Ok(())
        }
        Some(_) => Ok(()),
    }
}
