//! Early data through the handshake driver: the client's
//! `s2n_send_early_data` and the server's `s2n_recv_early_data` (the extern
//! functions and s2n's early data rules are in src/early_data.rs).

use super::*;

/// `s2n_send_early_data`: starts the handshake, gives rustls what early
/// data the session still allows (`sent`), and drives the handshake until
/// the server has accepted or rejected it.
pub fn send_early_data(
    conn: &Connection,
    data: &[u8],
    sent: &mut usize,
    blocked: &mut BlockedStatusArg,
) -> Result<(), Error> {
    use crate::early_data::{Status, status};
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
    use crate::early_data::{Status, remaining, status};
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
