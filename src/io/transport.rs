//! The moves between a connection's buffers and its transport (a file
//! descriptor or the application's callbacks), with s2n's blocked statuses,
//! made without the connection's lock while the transport runs.

use std::io::ErrorKind;
use std::sync::atomic::Ordering;

use crate::connection::Connection;
use crate::error::*;
use crate::record::wire::*;
use crate::types::*;

/// A transport error as s2n reports it: would-block is blocked (on `on`),
/// an interrupted call is retried (Ok), anything else is S2N_ERR_IO.
pub(crate) fn transport_error(
    e: std::io::Error,
    blocked: &mut BlockedStatusArg,
    on: s2n_blocked_status,
) -> Result<(), Error> {
    match e.kind() {
        ErrorKind::WouldBlock => Err(blocked_error(blocked, on)),
        ErrorKind::Interrupted => Ok(()),
        _ => Err(Error::new(S2N_ERR_IO)),
    }
}

fn blocked_error(blocked: &mut BlockedStatusArg, on: s2n_blocked_status) -> Error {
    *blocked = on.into();
    Error::new(S2N_ERR_IO_BLOCKED)
}

/// Writes out pending records: ours, then what the engine produced since
/// (moved, not copied), without our lock while the transport runs.
pub(crate) fn flush(
    conn: &Connection,
    send: &mut SendBuf,
    blocked: &mut BlockedStatusArg,
) -> Result<(), Error> {
    let mut transport = None;
    loop {
        if !send.pending() {
            send.out.clear();
            send.pos = 0;
            let mut state = conn.state();
            transport = Some(state.settings.transport);
            let dynamic = state.settings.dynamic_buffers;
            if let Some(tls) = state.tls.as_mut() {
                tls.collect();
                std::mem::swap(&mut send.out, &mut tls.out);
                if dynamic {
                    tls.release();
                }
            }
            if send.out.is_empty() {
                if dynamic {
                    send.out.release();
                }
                return Ok(());
            }
        }
        let transport = *transport.get_or_insert_with(|| conn.state().settings.transport);
        match transport.write(&send.out.filled()[send.pos..]) {
            Ok(0) => return Err(Error::new(S2N_ERR_IO)),
            Ok(n) => {
                send.pos += n;
                conn.wire_out.fetch_add(n as u64, Ordering::Relaxed);
            }
            Err(e) => transport_error(e, blocked, s2n_blocked_status::S2N_BLOCKED_ON_WRITE)?,
        }
    }
}

/// Reads until a record is complete (or, with recv buffering, what the
/// transport has) into `recv`; true at the end of the stream.
pub(crate) fn fill(
    conn: &Connection,
    recv: &mut RecvBuf,
    blocked: &mut BlockedStatusArg,
) -> Result<bool, Error> {
    let (transport, buffering) = {
        let state = conn.state();
        (state.settings.transport, state.settings.recv_buffering)
    };
    if recv.ready {
        return Ok(false);
    }
    loop {
        let missing = recv.stream.missing();
        let want = if buffering {
            missing.max(BUFFERED_READ.saturating_sub(recv.buf.filled().len()))
        } else {
            missing
        };
        let start = recv.buf.filled().len();
        let result = transport.read(&mut recv.buf.spare(want)[..want]);
        recv.buf.commit(*result.as_ref().unwrap_or(&0));
        match result {
            Ok(0) => return Ok(true),
            Ok(n) => {
                conn.wire_in.fetch_add(n as u64, Ordering::Relaxed);
                let end = recv.buf.filled().len();
                if recv.stream.track(&recv.buf.filled()[start..end]) {
                    recv.ready = true;
                    return Ok(false);
                }
                if buffering {
                    return Ok(false);
                }
            }
            Err(e) => transport_error(e, blocked, s2n_blocked_status::S2N_BLOCKED_ON_READ)?,
        }
    }
}
