//! A server's first step: the ClientHello is collected from its records
//! before rustls sees it, so the application's ClientHello callback can read
//! it (`s2n_client_hello_*`) and change the connection's config, and so the
//! getters that report what the client offered have it. The records are
//! then handed to rustls unchanged.

use crate::record::{HEADER_LEN, MAX_RECORD_LEN};
use std::ffi::c_int;

use crate::error::{
    Error, S2N_ERR_ALERT, S2N_ERR_BAD_MESSAGE, S2N_ERR_CLOSED, S2N_ERR_PROTOCOL_VERSION_UNSUPPORTED,
};

/// TLS record content type of handshake messages, and the ClientHello's handshake type.
const HANDSHAKE: u8 = 22;
const ALERT: u8 = 21;
const CLIENT_HELLO: u8 = 1;
/// A ClientHello larger than this is refused (s2n and rustls bound it likewise).
const MAX_HELLO: usize = 64 * 1024;

/// Records of the ClientHello as they arrive.
#[derive(Default)]
pub struct HelloCapture {
    /// The records, unchanged, for rustls.
    pub records: crate::record::Records,
    /// Handshake bytes gathered from them.
    message: Vec<u8>,
    /// The first record's protocol version.
    pub record_version: [u8; 2],
    /// An alert the peer sent instead of a ClientHello.
    pub peer_alert: Option<u8>,
    /// An SSLv2-format ClientHello arrived: the version it offers (s2n's
    /// number). s2n reports such a hello's version as SSLv2.
    pub sslv2_offered: Option<c_int>,
}

impl HelloCapture {
    /// Copies the complete records at the front of `input` into the capture;
    /// how many bytes it took.
    pub fn take_records(&mut self, input: &[u8]) -> Result<usize, Error> {
        let mut used = 0;
        // An SSLv2-format ClientHello (RFC 5246 appendix E.2: a two-byte
        // length with its high bit set, then msg_type 1 and the version):
        // rustls reads only TLS records, so it is refused at once, without
        // waiting for more, as s2n refuses the versions it cannot speak.
        if self.records.is_empty() {
            if let [first, _, CLIENT_HELLO, major, minor, ..] = *input {
                if first & 0x80 != 0 {
                    self.sslv2_offered = Some(c_int::from(major) * 10 + c_int::from(minor));
                    return Err(Error::with_reason(
                        S2N_ERR_PROTOCOL_VERSION_UNSUPPORTED,
                        "an SSLv2-format ClientHello: s2nrs reads only TLS records",
                    ));
                }
            }
        }
        while input.len() - used >= HEADER_LEN {
            let header = &input[used..used + HEADER_LEN];
            let len = usize::from(u16::from_be_bytes([header[3], header[4]]));
            if header[0] == ALERT && len == 2 && input.len() - used >= HEADER_LEN + 2 {
                // The peer gave up before its ClientHello: report its alert, as s2n does.
                let (level, description) = (input[used + 5], input[used + 6]);
                if level == 1 && description == 0 {
                    return Err(Error::new(S2N_ERR_CLOSED));
                }
                self.peer_alert = Some(description);
                return Err(Error::new(S2N_ERR_ALERT));
            }
            if header[0] != HANDSHAKE || len == 0 {
                // Not a TLS handshake record (an SSLv2 hello included): rustls rejects it as s2n does.
                return Err(Error::with_reason(
                    S2N_ERR_BAD_MESSAGE,
                    "expected a ClientHello record",
                ));
            }
            if len > MAX_RECORD_LEN {
                // Refused at the header: waiting for the body would stall.
                return Err(Error::with_reason(S2N_ERR_BAD_MESSAGE, "record too large"));
            }
            if input.len() - used < HEADER_LEN + len {
                break;
            }
            if self.records.is_empty() {
                self.record_version = [header[1], header[2]];
            }
            let record = &input[used..used + HEADER_LEN + len];
            self.records.extend_from_slice(record);
            self.message.extend_from_slice(&record[HEADER_LEN..]);
            used += HEADER_LEN + len;
            if self.message.len() > MAX_HELLO + 4 {
                return Err(Error::with_reason(
                    S2N_ERR_BAD_MESSAGE,
                    "ClientHello too large",
                ));
            }
            if self.message().is_some() {
                break;
            }
        }
        Ok(used)
    }

    /// The whole ClientHello message (with its 4-byte header) once it has arrived.
    pub fn message(&self) -> Option<&[u8]> {
        let m = &self.message;
        if m.len() < 4 {
            return None;
        }
        let len = usize::from(m[1]) << 16 | usize::from(m[2]) << 8 | usize::from(m[3]);
        (m.len() >= 4 + len).then(|| &m[..4 + len])
    }

    /// The first handshake message must be a ClientHello.
    pub fn check_type(&self) -> Result<(), Error> {
        match self.message.first() {
            Some(&t) if t != CLIENT_HELLO => Err(Error::with_reason(
                S2N_ERR_BAD_MESSAGE,
                "expected a ClientHello",
            )),
            _ => Ok(()),
        }
    }
}

/// Where the application's ClientHello callback is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum CallbackStatus {
    #[default]
    NotInvoked,
    /// Non-blocking mode: the callback returned without `s2n_client_hello_cb_done`.
    Blocked,
    Done,
}

/// The protocol names of an ALPN extension's data (empty if malformed).
pub fn alpn_protocols(data: &[u8]) -> Vec<&[u8]> {
    let mut out = Vec::new();
    let Some((len, mut rest)) = data.split_first_chunk::<2>() else {
        return out;
    };
    if usize::from(u16::from_be_bytes(*len)) != rest.len() {
        return out;
    }
    while let Some((&n, tail)) = rest.split_first() {
        let Some((name, tail)) = tail.split_at_checked(usize::from(n)) else {
            return Vec::new();
        };
        out.push(name);
        rest = tail;
    }
    out
}
