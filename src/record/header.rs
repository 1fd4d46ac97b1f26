//! What s2n checks in each record header before it decrypts the record
//! (RFC 8446 §5.1-5.2, RFC 5246 §6.2.1). rustls rebuilds a TLS1.3 record's
//! additional data from the version it expects, not from the header, and
//! reads past records of types it does not know, so these checks are ours:
//!
//! - once the protocol version is known, the content type is one of
//!   change_cipher_spec, alert, handshake, application_data (20-23) and the
//!   record version is TLS1.2's as s2n reads it (one byte, major * 10 +
//!   minor, wrapping; TLS1.2 records authenticate the connection's version,
//!   not the header's), and exactly 0x0303 in TLS1.3;
//! - after a TLS1.3 handshake, every record is application_data (23): an
//!   outer type flipped to alert or handshake is refused, not parsed.
//!
//! Each is `S2N_ERR_BAD_MESSAGE`. Before the version is known (a ClientHello,
//! a ServerHello), any header passes, as in s2n.

use std::ffi::c_int;

use rustls::ProtocolVersion;

use super::engine::Tls;
use crate::error::{Error, S2N_ERR_BAD_MESSAGE};
use crate::record::HEADER_LEN;
use crate::types::S2N_TLS12;

const CHANGE_CIPHER_SPEC: u8 = 20;
const ALERT: u8 = 21;
const APPLICATION_DATA: u8 = 23;

/// The records that start in `input` (which starts at a record boundary),
/// each from its header to as much of its body as `input` holds.
fn records(input: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut rest = input;
    std::iter::from_fn(move || {
        let header = rest.get(..HEADER_LEN)?;
        let length = usize::from(u16::from_be_bytes([header[3], header[4]]));
        let record = rest.get(..HEADER_LEN + length).unwrap_or(rest);
        rest = rest.get(HEADER_LEN + length..).unwrap_or_default();
        Some(record)
    })
}

/// Whether `input` starts with a whole record.
pub(crate) fn record_complete(input: &[u8]) -> bool {
    records(input)
        .next()
        .is_some_and(|r| r.len() == HEADER_LEN + usize::from(u16::from_be_bytes([r[3], r[4]])))
}

/// Whether `input` holds an unprotected close_notify alert record (two
/// bytes: no protected record is that short).
pub(crate) fn plaintext_close_notify(input: &[u8]) -> bool {
    records(input).any(|r| r[0] == ALERT && r[3..5] == [0, 2] && r.get(6) == Some(&0))
}

/// Checks the header of every record that starts in `input` (which starts
/// at a record boundary).
pub(crate) fn check(tls: &Tls, input: &[u8]) -> Result<(), Error> {
    let Some(version) = tls.protocol_version() else {
        return Ok(());
    };
    let tls13_established = version == ProtocolVersion::TLSv1_3 && !tls.is_handshaking();
    for record in records(input) {
        let content_type = record[0];
        // s2n reads the version as one byte, major * 10 + minor, wrapping
        // (so 0x83 0x03 passes as TLS1.2's 33, as in s2n).
        let record_version = crate::client_hello::parse::s2n_version([record[1], record[2]]);
        // A TLS1.3 record's header is its additional data: exactly 0x0303.
        let tls13_version_exact = version != ProtocolVersion::TLSv1_3 || record[1..3] == [3, 3];
        if !(CHANGE_CIPHER_SPEC..=APPLICATION_DATA).contains(&content_type)
            || c_int::from(record_version) != S2N_TLS12
            || !tls13_version_exact
            || (tls13_established && content_type != APPLICATION_DATA)
        {
            return Err(Error::with_reason(
                S2N_ERR_BAD_MESSAGE,
                "a record header s2n refuses before decrypting (content type or version)",
            ));
        }
    }
    Ok(())
}
