//! Early data through the handshake driver: where a connection is with it
//! (`status`), the server's early data callback, the client's
//! `s2n_send_early_data` and the server's `s2n_recv_early_data` (the
//! tickets and sessions that carry it are in src/early_data.rs).

use std::time::Duration;

use super::*;
use crate::early_data::{Decision, Opener, Status, first_psk_identity};

/// `s2n_send_early_data`: starts the handshake, gives rustls what early
/// data the session still allows (`sent`), and drives the handshake until
/// the server has accepted or rejected it.
pub fn send_early_data(
    conn: &Connection,
    data: &[u8],
    sent: &mut usize,
    blocked: &mut BlockedStatusArg,
) -> Result<(), Error> {
    {
        let mut state = conn.state();
        match state.phase {
            Phase::Failed => return Err(Error::new(S2N_ERR_CLOSED)),
            Phase::New => start(conn, &mut state)?,
            _ => {}
        }
        if !matches!(
            status(true, &mut state),
            Status::Requested | Status::Accepted
        ) {
            return Ok(());
        }
        let tls = state.tls.as_deref_mut();
        if let Some(rustls::Connection::Client(client)) = tls.and_then(|t| t.buffered_mut()) {
            if let Some(mut early) = client.early_data() {
                let n = data.len().min(early.bytes_left());
                if n > 0 {
                    *sent = std::io::Write::write(&mut early, &data[..n])
                        .map_err(|_| Error::new(S2N_ERR_ENCRYPT))?;
                }
            }
        }
    }
    drive(conn, blocked, |state, _| {
        Ok(status(true, state) != Status::Requested)
    })
}

/// `s2n_recv_early_data`: drives the server's handshake, handing the early
/// data rustls accepted to `buf` (`received`), until the client is done
/// with early data (its handshake is complete) or early data is not in play.
pub fn recv_early_data(
    conn: &Connection,
    buf: &mut [u8],
    received: &mut usize,
    blocked: &mut BlockedStatusArg,
) -> Result<(), Error> {
    {
        let mut state = conn.state();
        if state.phase == Phase::Failed {
            return Err(Error::new(S2N_ERR_CLOSED));
        }
        if remaining(false, &mut state) == 0 && status(false, &mut state) != Status::Accepted {
            return Ok(());
        }
    }
    drive(conn, blocked, |state, blocked| {
        let mut got = 0;
        let tls = state.tls.as_deref_mut();
        if let Some(rustls::Connection::Server(server)) = tls.and_then(|t| t.buffered_mut()) {
            if let Some(mut early) = server.early_data() {
                while *received < buf.len() {
                    match std::io::Read::read(&mut early, &mut buf[*received..]) {
                        Ok(0) | Err(_) => break,
                        Ok(n) => {
                            *received += n;
                            got += n;
                        }
                    }
                }
            }
        }
        state.early.received += got as u64;
        let accepted = status(false, state) == Status::Accepted;
        if accepted && *received == buf.len() {
            *blocked = s2n_blocked_status::S2N_BLOCKED_ON_EARLY_DATA.into();
            return Err(Error::new(S2N_ERR_EARLY_DATA_BLOCKED));
        }
        Ok(!accepted)
    })
}

/// Where the connection is with early data.
pub fn status(is_client: bool, state: &mut State) -> Status {
    let offered_by_client = state
        .hello
        .client_hello
        .as_ref()
        .map(|h| h.hello.extension(42).is_some());
    let early_offered = state.early.offered;
    let phase = state.phase;
    let Some(tls) = state.tls.as_deref_mut() else {
        return match (is_client, offered_by_client) {
            (false, Some(false)) => Status::NotRequested,
            (false, Some(true)) => Status::Requested,
            _ => Status::Unknown,
        };
    };
    let handshaking = tls.is_handshaking();
    match tls.buffered_mut() {
        // Without early data in play, the connection is unbuffered.
        None if is_client || offered_by_client != Some(true) => Status::NotRequested,
        None => Status::Rejected,
        Some(rustls::Connection::Client(client)) => {
            if !early_offered {
                Status::NotRequested
            } else if client.is_early_data_accepted() {
                // rustls sends EndOfEarlyData as soon as the server's Finished
                // is in; s2n's client waits for s2n_negotiate.
                if phase == Phase::Established {
                    Status::End
                } else {
                    Status::Accepted
                }
            } else if client.early_data().is_some() {
                Status::Requested
            } else {
                Status::Rejected
            }
        }
        Some(rustls::Connection::Server(server)) => {
            if offered_by_client != Some(true) {
                Status::NotRequested
            } else if server.early_data().is_some() {
                if handshaking {
                    Status::Accepted
                } else {
                    Status::End
                }
            } else {
                Status::Rejected
            }
        }
    }
}

/// The most early data the connection may carry.
pub fn max_size(is_client: bool, state: &State) -> u32 {
    if is_client {
        match (&state.tls, state.resumption.offer_session) {
            (None, Some(id)) => crate::session::client::max_early_data(&id),
            _ => state.early.client_max,
        }
    } else {
        state
            .settings
            .overrides
            .early_data_max
            .unwrap_or_else(|| state.config.read().early_data.max_size)
    }
}

/// What the connection may still send (client) or receive (server).
pub fn remaining(is_client: bool, state: &mut State) -> u32 {
    match status(is_client, state) {
        Status::Unknown | Status::Requested | Status::Accepted => {}
        _ => return 0,
    }
    if is_client {
        match state.tls.as_deref_mut().and_then(|t| t.buffered_mut()) {
            Some(rustls::Connection::Client(client)) => client
                .early_data()
                .map_or(0, |e| u32::try_from(e.bytes_left()).unwrap_or(u32::MAX)),
            _ => max_size(true, state),
        }
    } else {
        let max = u64::from(max_size(false, state));
        u32::try_from(max.saturating_sub(state.early.received)).unwrap_or(u32::MAX)
    }
}

/// Server, when the ClientHello is in: runs the early data callback if the
/// client requested early data. Err(blocked) while an asynchronous callback
/// has not decided.
pub fn run_callback(conn: &Connection) -> Result<(), Error> {
    let (cb, ticket_context) = {
        let mut state = conn.state();
        let requested = state
            .hello
            .client_hello
            .as_ref()
            .is_some_and(|h| h.hello.extension(42).is_some());
        if !requested || max_size(false, &state) == 0 {
            return Ok(());
        }
        if state.early.cb_called {
            return match state.early.decision {
                Decision::Pending => Err(Error::new(S2N_ERR_ASYNC_BLOCKED)),
                _ => Ok(()),
            };
        }
        let Some(cb) = state.config.read().early_data.cb else {
            return Ok(());
        };
        let context = state
            .hello
            .client_hello
            .as_ref()
            .and_then(|h| h.hello.extension(41))
            .and_then(first_psk_identity)
            .and_then(|id| {
                let config = state.config.read();
                let opener = Opener {
                    keys: &config.resumption.ticket_keys,
                    clock: config.wall_clock,
                    lifetime: Duration::from_secs(config.resumption.session_state_lifetime_secs),
                };
                opener.context_of(&config.early_data.sessions, id)
            })
            .unwrap_or_default();
        state.early.cb_called = true;
        (cb, context)
    };
    conn.state().early.offered_context = ticket_context;
    let offered: *mut s2n_offered_early_data = conn.handle().cast();
    let rc = callbacks::early_data(Some(cb), conn.handle(), offered);
    if rc < 0 {
        return Err(Error::new(S2N_ERR_CANCELLED));
    }
    match conn.state().early.decision {
        Decision::Pending => Err(Error::new(S2N_ERR_ASYNC_BLOCKED)),
        _ => Ok(()),
    }
}
