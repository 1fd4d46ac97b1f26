//! The session a connection hands out (`s2n_connection_get_session`): a
//! client's blob naming its session in this process's registry, or a
//! server's resumed TLS1.2 state in s2n's layout.

use super::{Connection, State};
use crate::session::tickets;
use crate::types::*;

/// The connection's session as `s2n_connection_get_session` gives it.
pub(crate) fn session_blob(conn: &Connection, state: &State) -> Vec<u8> {
    if conn.is_client() {
        state
            .resumption
            .session_blob
            .map(|b| b.to_vec())
            .unwrap_or_default()
    } else {
        server_session(state).unwrap_or_default()
    }
}

/// A server's session after resuming a TLS1.2 session from a ticket, laid
/// out as s2n lays it out: S2N_STATE_WITH_SESSION_TICKET (1), the ticket's
/// length and the ticket the client presented, then the TLS1.2 state:
/// S2N_SERIALIZED_FORMAT_TLS12_V3 (4), the version (s2n's number), the
/// suite, the time (wall clock, nanoseconds), the master secret, and
/// whether the extended master secret was used.
pub(crate) fn server_session(state: &State) -> Option<Vec<u8>> {
    const SESSION_TICKET_EXTENSION: u16 = 35;
    const EXTENDED_MASTER_SECRET_EXTENSION: u16 = 23;
    let tls = state.tls.as_deref()?;
    if tls.handshake_kind() != Some(rustls::HandshakeKind::Resumed)
        || tls.protocol_version() != Some(rustls::ProtocolVersion::TLSv1_2)
    {
        return None;
    }
    let hello = &state.hello.client_hello.as_ref()?.hello;
    let ticket = hello
        .extension(SESSION_TICKET_EXTENSION)
        .filter(|t| !t.is_empty())?;
    let master = state
        .facts
        .master_secret
        .as_deref()
        .filter(|m| m.len() == 48)?;
    let suite = u16::from(tls.negotiated_cipher_suite()?.suite());
    let ems = hello.extension(EXTENDED_MASTER_SECRET_EXTENSION).is_some();
    let now = tickets::now_secs(state.config.read().wall_clock).saturating_mul(1_000_000_000);
    let mut blob = Vec::with_capacity(3 + ticket.len() + 61);
    blob.push(1);
    blob.extend_from_slice(&u16::try_from(ticket.len()).ok()?.to_be_bytes());
    blob.extend_from_slice(ticket);
    blob.push(4);
    blob.push(S2N_TLS12 as u8);
    blob.extend_from_slice(&suite.to_be_bytes());
    blob.extend_from_slice(&now.to_be_bytes());
    blob.extend_from_slice(master);
    blob.push(u8::from(ems));
    Some(blob)
}
