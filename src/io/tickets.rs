//! A server's TLS1.3 tickets that carry their session, as s2n's do.
//!
//! With early data, rustls names each session it issues a ticket for by a
//! random id and looks it up there (`early_data::Store`), which ties a
//! ticket to this process. Before its NewSessionTicket records leave, each
//! id is replaced by the session sealed under the ticket keys, so the
//! ticket resumes in any process holding them. The records are opened with
//! the server's first application traffic keys and sealed again as as many
//! records at the same sequence numbers, so rustls's count stays right.

use std::ops::Range;

use crate::connection::State;
use crate::record::HEADER_LEN;
use crate::record::Records;
use crate::record::protection::{self, Format, Keys, MAX_PLAINTEXT};

const HANDSHAKE: u8 = 22;
const NEW_SESSION_TICKET: u8 = 4;

/// After a server's step: puts the sealed sessions in the tickets rustls
/// just issued (`issued`: id, sealed session), and forgets the sessions
/// the tickets now carry. Tickets that cannot be rewritten keep naming a
/// session kept in this process. (A TLS1.2 session ID rustls stored is no
/// ticket: it is neither counted nor rewritten.)
pub fn carry_sessions(state: &mut State, issued: &[(Vec<u8>, Vec<u8>)]) {
    let tls13 = state
        .tls
        .as_ref()
        .is_some_and(|t| t.protocol_version() == Some(rustls::ProtocolVersion::TLSv1_3));
    if !tls13 {
        return;
    }
    state.facts.tickets_sent += u32::try_from(issued.len()).unwrap_or(u32::MAX);
    let (lifetime, sessions) = {
        let config = state.config.read();
        let lifetime = crate::session::tickets::ticket_lifetime(
            &config.resumption.ticket_keys,
            config.wall_clock,
            config.resumption.session_state_lifetime_secs,
        );
        (lifetime, config.early_data.sessions.clone())
    };
    let secret = state
        .facts
        .traffic_secrets
        .as_ref()
        .and_then(|s| s[1].as_ref());
    let (Some(secret), Some(tls)) = (secret, state.tls.as_deref_mut()) else {
        return;
    };
    let Some(suite) = tls.negotiated_cipher_suite().and_then(|s| s.tls13()) else {
        return;
    };
    let keys = || protection::traffic_keys(suite, secret).ok();
    if replace(&mut tls.out, keys, issued, lifetime) {
        sessions.forget(issued.iter().map(|(id, _)| id.as_slice()));
    }
}

/// Replaces the tickets in `issued` in the NewSessionTicket records at the
/// end of `out`, whose keys (from sequence number 0) `keys` gives. False,
/// with `out` unchanged, if they are not there or do not fit.
pub fn replace(
    out: &mut Records,
    keys: impl Fn() -> Option<Keys>,
    issued: &[(Vec<u8>, Vec<u8>)],
    lifetime: u32,
) -> bool {
    let Some(bounds) = records(out.filled()) else {
        return false;
    };
    // The first record that opens with the keys starts the tickets' flight;
    // the ones before it are the handshake's.
    let mut flight = Vec::new();
    let mut first = None;
    let mut opening = None;
    for (i, range) in bounds.iter().enumerate() {
        let Some(mut k) = opening.take().or_else(&keys) else {
            return false;
        };
        let mut copy = out.filled()[range.clone()].to_vec();
        match protection::open(Format::Tls13, &mut k, &mut copy) {
            Ok(opened) if opened.content_type == HANDSHAKE => {
                first.get_or_insert(i);
                flight.extend_from_slice(&copy[opened.plaintext]);
                opening = Some(k);
            }
            _ if first.is_some() => return false,
            _ => {}
        }
    }
    let Some(first) = first else {
        return false;
    };
    let Some(rewritten) = rewrite(&flight, issued, lifetime) else {
        return false;
    };
    let Some(sealed) = seal(&rewritten, bounds.len() - first, keys) else {
        return false;
    };
    out.truncate(bounds[first].start);
    out.extend_from_slice(&sealed);
    true
}

/// The ranges of the whole records in `bytes`; None if it ends inside one.
fn records(bytes: &[u8]) -> Option<Vec<Range<usize>>> {
    let mut bounds = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        let header = bytes.get(at..at + HEADER_LEN)?;
        let end = at + HEADER_LEN + usize::from(u16::from_be_bytes([header[3], header[4]]));
        if end > bytes.len() {
            return None;
        }
        bounds.push(at..end);
        at = end;
    }
    Some(bounds)
}

/// The flight with each ticket of `issued` replaced and its lifetime set;
/// None if a message is malformed or no ticket was replaced.
fn rewrite(flight: &[u8], issued: &[(Vec<u8>, Vec<u8>)], lifetime: u32) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(flight.len() + issued.len() * 128);
    let mut rest = flight;
    let mut replaced = false;
    while !rest.is_empty() {
        let (header, tail) = rest.split_first_chunk::<4>()?;
        let len =
            usize::from(header[1]) << 16 | usize::from(header[2]) << 8 | usize::from(header[3]);
        let (body, tail) = tail.split_at_checked(len)?;
        rest = tail;
        let ticket = (header[0] == NEW_SESSION_TICKET)
            .then(|| ticket_parts(body))
            .flatten();
        let Some((nonce_end, ticket_range)) = ticket else {
            out.extend_from_slice(header);
            out.extend_from_slice(body);
            continue;
        };
        let Some((_, sealed)) = issued
            .iter()
            .find(|(id, _)| **id == body[ticket_range.clone()])
        else {
            out.extend_from_slice(header);
            out.extend_from_slice(body);
            continue;
        };
        let sealed_len = u16::try_from(sealed.len()).ok()?;
        let new_len = len - ticket_range.len() + sealed.len();
        if new_len >= 1 << 24 {
            return None;
        }
        out.push(NEW_SESSION_TICKET);
        out.extend_from_slice(&(new_len as u32).to_be_bytes()[1..]);
        out.extend_from_slice(&lifetime.to_be_bytes());
        out.extend_from_slice(&body[4..nonce_end]);
        out.extend_from_slice(&sealed_len.to_be_bytes());
        out.extend_from_slice(sealed);
        out.extend_from_slice(&body[ticket_range.end..]);
        replaced = true;
    }
    replaced.then_some(out)
}

/// A NewSessionTicket body (RFC 8446 §4.6.1): where its nonce ends and
/// where its ticket lies.
fn ticket_parts(body: &[u8]) -> Option<(usize, Range<usize>)> {
    // ticket_lifetime (4), ticket_age_add (4), ticket_nonce<0..255>
    let nonce_end = 9 + usize::from(*body.get(8)?);
    let len = body.get(nonce_end..nonce_end + 2)?;
    let start = nonce_end + 2;
    let end = start + usize::from(u16::from_be_bytes([len[0], len[1]]));
    // extensions<0..2^16-2> follow, to the end
    let ext = body.get(end..end + 2)?;
    (end + 2 + usize::from(u16::from_be_bytes([ext[0], ext[1]])) == body.len())
        .then_some((nonce_end, start..end))
}

/// `flight` sealed as `count` handshake records from sequence number 0.
fn seal(flight: &[u8], count: usize, keys: impl Fn() -> Option<Keys>) -> Option<Vec<u8>> {
    let chunk = flight.len().div_ceil(count).max(1);
    if chunk > MAX_PLAINTEXT || flight.chunks(chunk).count() != count {
        return None;
    }
    let mut keys = keys()?;
    let mut out = Vec::with_capacity(flight.len() + count * Format::Tls13.overhead());
    for part in flight.chunks(chunk) {
        let at = out.len();
        out.resize(at + Format::Tls13.overhead() + part.len(), 0);
        protection::seal(Format::Tls13, &mut keys, HANDSHAKE, part, &mut out[at..]).ok()?;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys() -> Option<Keys> {
        Keys::from_parts(&aws_lc_rs::aead::AES_128_GCM, &[3; 16], [9; 12], 0).ok()
    }

    fn ticket(ticket: &[u8], ext: &[u8]) -> Vec<u8> {
        let mut body = vec![0, 0, 0, 60, 1, 2, 3, 4, 2, 0xaa, 0xbb];
        body.extend_from_slice(&(ticket.len() as u16).to_be_bytes());
        body.extend_from_slice(ticket);
        body.extend_from_slice(&(ext.len() as u16).to_be_bytes());
        body.extend_from_slice(ext);
        let mut msg = vec![NEW_SESSION_TICKET];
        msg.extend_from_slice(&(body.len() as u32).to_be_bytes()[1..]);
        msg.extend_from_slice(&body);
        msg
    }

    fn sealed_records(flight: &[u8], count: usize) -> Records {
        let mut out = Records::default();
        out.extend_from_slice(&[22, 3, 3, 0, 2, 9, 9]);
        out.extend_from_slice(&seal(flight, count, keys).unwrap());
        out
    }

    fn open_all(out: &Records) -> (Vec<u8>, usize) {
        let bounds = records(out.filled()).unwrap();
        let mut k = keys().unwrap();
        let mut flight = Vec::new();
        for range in &bounds[1..] {
            let mut copy = out.filled()[range.clone()].to_vec();
            let opened = protection::open(Format::Tls13, &mut k, &mut copy).unwrap();
            assert_eq!(opened.content_type, HANDSHAKE);
            flight.extend_from_slice(&copy[opened.plaintext]);
        }
        (flight, bounds.len() - 1)
    }

    #[test]
    fn tickets_are_replaced_in_as_many_records() {
        let early = [0x00, 0x2a, 0x00, 0x04, 0, 0, 4, 0];
        for count in [1, 2, 3] {
            let mut flight = ticket(&[1; 32], &early);
            flight.extend_from_slice(&ticket(&[2; 32], &[]));
            let mut out = sealed_records(&flight, count);
            let issued = vec![
                (vec![1; 32], vec![0x11; 200]),
                (vec![2; 32], vec![0x22; 150]),
            ];
            assert!(replace(&mut out, keys, &issued, 7200));
            assert_eq!(&out.filled()[..7], &[22, 3, 3, 0, 2, 9, 9]);
            let (opened, records) = open_all(&out);
            assert_eq!(records, count);
            let mut expected = ticket(&[0x11; 200], &early);
            let second = expected.len();
            expected.extend_from_slice(&ticket(&[0x22; 150], &[]));
            for at in [4, second + 4] {
                expected[at..at + 4].copy_from_slice(&7200u32.to_be_bytes());
            }
            assert_eq!(opened, expected);
        }
    }

    #[test]
    fn unknown_or_malformed_flights_are_left_alone() {
        let flight = ticket(&[1; 32], &[]);
        let mut out = sealed_records(&flight, 1);
        let before = out.filled().to_vec();
        assert!(!replace(&mut out, keys, &[(vec![7; 32], vec![0; 10])], 60));
        let mut truncated = flight.clone();
        truncated.pop();
        let mut bad = sealed_records(&truncated, 1);
        assert!(!replace(&mut bad, keys, &[(vec![1; 32], vec![0; 10])], 60));
        // Under other keys (a handshake record) nothing opens.
        let other = || Keys::from_parts(&aws_lc_rs::aead::AES_128_GCM, &[4; 16], [9; 12], 0).ok();
        assert!(!replace(&mut out, other, &[(vec![1; 32], vec![0; 10])], 60));
        assert_eq!(out.filled(), &before[..]);
    }
}
