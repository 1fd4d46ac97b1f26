//! A ClientHello handshake message, parsed the way s2n-tls parses it: the same
//! checks in the same order, failing with the same error codes. No FFI here.
//!
//! What s2n accepts (and so this parser accepts): an empty compression method
//! list, a missing extensions block (one stray byte where its length would be
//! counts as missing), bytes after the extensions block, repeated extensions
//! of types s2n does not implement. What it rejects: a session id over 32
//! bytes, an empty or odd-length cipher suite list, a field running past the
//! end, an extension running past its block, a repeated extension of a type s2n
//! implements (`S2N_ERR_DUPLICATE_EXTENSION`).
//!
//! As in s2n, the stored message has its random zeroed: `raw_message` returns
//! it that way, and `random` returns the random kept aside.

use std::ops::Range;

use crate::error::{
    Error, S2N_ERR_BAD_MESSAGE, S2N_ERR_DUPLICATE_EXTENSION, S2N_ERR_EXTENSION_NOT_RECEIVED,
    S2N_ERR_INVALID_PARSED_EXTENSIONS, S2N_ERR_NULL, S2N_ERR_SAFETY, S2N_ERR_SIZE_MISMATCH,
    S2N_ERR_STUFFER_OUT_OF_DATA,
};

/// The handshake message type of a ClientHello.
pub(crate) const CLIENT_HELLO: u8 = 1;
/// Length of the client random.
pub(crate) const RANDOM_LEN: usize = 32;
/// The longest legacy session id s2n accepts.
pub(crate) const SESSION_ID_MAX_LEN: usize = 32;

pub(crate) const EXT_SERVER_NAME: u16 = 0;
pub(crate) const EXT_SUPPORTED_GROUPS: u16 = 10;
pub(crate) const EXT_SUPPORTED_VERSIONS: u16 = 43;
pub(crate) const EXT_KEY_SHARE: u16 = 51;

/// The extension types s2n-tls implements (`s2n_supported_extensions`). s2n
/// keeps only these in its parsed table: they may not repeat, and they are the
/// only ones `s2n_client_hello_get_extension_by_id` and
/// `s2n_client_hello_get_extension_length` find.
pub(crate) const S2N_EXTENSIONS: [u16; 21] = [
    65281,  // renegotiation_info
    0xFE01, // pq_kem_parameters
    0,      // server_name
    1,      // max_fragment_length
    5,      // status_request
    10,     // supported_groups
    11,     // ec_point_formats
    13,     // signature_algorithms
    16,     // alpn
    18,     // signed_certificate_timestamp
    35,     // session_ticket
    43,     // supported_versions
    51,     // key_share
    44,     // cookie
    0x39,   // quic_transport_parameters
    45,     // psk_key_exchange_modes
    41,     // pre_shared_key
    42,     // early_data
    23,     // extended_master_secret
    13172,  // next_protocol_negotiation
    47,     // certificate_authorities
];

/// Whether s2n-tls implements (and so tracks) this extension type.
pub fn is_s2n_extension(ty: u16) -> bool {
    S2N_EXTENSIONS.contains(&ty)
}

/// A GREASE value (RFC 8701): 0x?a?a with both bytes equal.
pub fn is_grease(value: u16) -> bool {
    value & 0x0f0f == 0x0a0a && value >> 8 == value & 0xff
}

/// A forward-only reader over a byte slice: every read is bounds-checked.
struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn new(buf: &'a [u8]) -> Self {
        Reader { buf, pos: 0 }
    }

    fn remaining(&self) -> usize {
        self.buf.len().saturating_sub(self.pos)
    }

    /// The next `n` bytes as a range into the buffer.
    fn take(&mut self, n: usize) -> Option<Range<usize>> {
        if n > self.remaining() {
            return None;
        }
        let range = self.pos..self.pos + n;
        self.pos += n;
        Some(range)
    }

    fn bytes(&mut self, n: usize) -> Option<&'a [u8]> {
        let range = self.take(n)?;
        self.buf.get(range)
    }

    fn u8(&mut self) -> Option<u8> {
        self.bytes(1).map(|b| b[0])
    }

    fn u16(&mut self) -> Option<u16> {
        self.bytes(2).map(|b| u16::from_be_bytes([b[0], b[1]]))
    }

    fn u24(&mut self) -> Option<u32> {
        self.bytes(3)
            .map(|b| u32::from_be_bytes([0, b[0], b[1], b[2]]))
    }
}

/// A failed read of a fixed-size field: s2n's stuffer error.
fn out_of_data() -> Error {
    Error::new(S2N_ERR_STUFFER_OUT_OF_DATA)
}

fn bad_message() -> Error {
    Error::new(S2N_ERR_BAD_MESSAGE)
}

/// The extensions of a block, in wire order; stops at the first malformed one
/// (a block that `ClientHello` stores never has one).
pub struct Extensions<'a> {
    reader: Reader<'a>,
}

impl<'a> Iterator for Extensions<'a> {
    type Item = (u16, &'a [u8]);

    fn next(&mut self) -> Option<Self::Item> {
        let ty = self.reader.u16()?;
        let len = self.reader.u16()?;
        let data = self.reader.bytes(usize::from(len))?;
        Some((ty, data))
    }
}

/// One parsed ClientHello. Owns the message; the fields are ranges into it.
#[derive(Clone, Debug)]
pub struct ClientHello {
    /// The message without its handshake header, random zeroed.
    body: Box<[u8]>,
    random: [u8; RANDOM_LEN],
    legacy_version: [u8; 2],
    session_id: Range<usize>,
    cipher_suites: Range<usize>,
    compression_methods: Range<usize>,
    extensions: Range<usize>,
    /// The version of the record header that carried the message, when known.
    record_version: Option<[u8; 2]>,
}

impl ClientHello {
    /// Parses a handshake message including its 4-byte header (type 1, 24-bit
    /// length equal to what follows), as `s2n_client_hello_parse_message`:
    /// fewer than 4 bytes is `S2N_ERR_SIZE_MISMATCH`, another type or a length
    /// mismatch `S2N_ERR_BAD_MESSAGE`, then as [`ClientHello::parse_body`].
    pub fn parse(msg: &[u8]) -> Result<Self, Error> {
        if msg.len() < 4 {
            return Err(Error::new(S2N_ERR_SIZE_MISMATCH));
        }
        let mut reader = Reader::new(msg);
        let msg_type = reader.u8().ok_or_else(out_of_data)?;
        let len = reader.u24().ok_or_else(out_of_data)?;
        if msg_type != CLIENT_HELLO || usize::try_from(len).ok() != Some(reader.remaining()) {
            return Err(bad_message());
        }
        Self::parse_body(msg.get(4..).unwrap_or_default())
    }

    /// Parses the message without its handshake header (what a connection
    /// collects from the records). Empty is `S2N_ERR_BAD_MESSAGE`; a
    /// fixed-size field (version, random, a length) cut short is
    /// `S2N_ERR_STUFFER_OUT_OF_DATA`; any other malformation is
    /// `S2N_ERR_BAD_MESSAGE`, except a repeated extension that s2n implements:
    /// `S2N_ERR_DUPLICATE_EXTENSION`.
    pub fn parse_body(body: &[u8]) -> Result<Self, Error> {
        if body.is_empty() {
            return Err(bad_message());
        }
        let mut r = Reader::new(body);

        let version = r.bytes(2).ok_or_else(out_of_data)?;
        let legacy_version = [version[0], version[1]];

        let random_range = r.take(RANDOM_LEN).ok_or_else(out_of_data)?;
        let mut random = [0; RANDOM_LEN];
        random.copy_from_slice(body.get(random_range.clone()).unwrap_or(&[0; RANDOM_LEN]));

        let session_id_len = usize::from(r.u8().ok_or_else(out_of_data)?);
        if session_id_len > SESSION_ID_MAX_LEN {
            return Err(bad_message());
        }
        let session_id = r.take(session_id_len).ok_or_else(bad_message)?;

        let cipher_suites_len = usize::from(r.u16().ok_or_else(out_of_data)?);
        if cipher_suites_len == 0 || cipher_suites_len % 2 != 0 {
            return Err(bad_message());
        }
        let cipher_suites = r.take(cipher_suites_len).ok_or_else(bad_message)?;

        let compression_len = usize::from(r.u8().ok_or_else(out_of_data)?);
        let compression_methods = r.take(compression_len).ok_or_else(bad_message)?;

        // s2n treats a block length it cannot read as an empty block.
        let extensions_len = usize::from(r.u16().unwrap_or(0));
        let extensions = r.take(extensions_len).ok_or_else(bad_message)?;
        check_extensions(body.get(extensions.clone()).unwrap_or_default())?;

        let mut stored: Box<[u8]> = body.into();
        if let Some(bytes) = stored.get_mut(random_range) {
            bytes.fill(0);
        }
        Ok(Self {
            body: stored,
            random,
            legacy_version,
            session_id,
            cipher_suites,
            compression_methods,
            extensions,
            record_version: None,
        })
    }

    fn field(&self, range: &Range<usize>) -> &[u8] {
        self.body.get(range.clone()).unwrap_or_default()
    }

    /// The message without its handshake header, with the random zeroed (as
    /// `s2n_client_hello_get_raw_message` returns it).
    pub fn raw_message(&self) -> &[u8] {
        &self.body
    }

    pub fn legacy_version(&self) -> [u8; 2] {
        self.legacy_version
    }

    /// The legacy version in s2n's one-byte form (major * 10 + minor, 33 for
    /// TLS1.2), wrapping as s2n's `uint8_t` arithmetic does.
    pub fn legacy_version_s2n(&self) -> u8 {
        s2n_version(self.legacy_version)
    }

    /// The 32-byte client random.
    pub fn random(&self) -> &[u8] {
        &self.random
    }

    pub fn session_id(&self) -> &[u8] {
        self.field(&self.session_id)
    }

    /// The cipher suite list, without its length.
    pub fn cipher_suites(&self) -> &[u8] {
        self.field(&self.cipher_suites)
    }

    /// The compression method list, without its length.
    pub fn compression_methods(&self) -> &[u8] {
        self.field(&self.compression_methods)
    }

    /// The extensions block, without its 2-byte total length (as
    /// `s2n_client_hello_get_extensions` returns it). Empty when absent.
    pub fn extensions(&self) -> &[u8] {
        self.field(&self.extensions)
    }

    /// Every extension as (type, extension_data), in wire order.
    pub fn extension_list(&self) -> Extensions<'_> {
        Extensions {
            reader: Reader::new(self.extensions()),
        }
    }

    /// The extension_data of the first extension of that type.
    pub fn extension(&self, ty: u16) -> Option<&[u8]> {
        self.extension_list()
            .find(|&(t, _)| t == ty)
            .map(|(_, data)| data)
    }

    /// The host_name of the SNI extension, parsed as s2n does (see
    /// [`ClientHello::try_server_name`]).
    pub fn server_name(&self) -> Option<&[u8]> {
        self.try_server_name().ok()
    }

    /// The host_name of the first entry of the SNI extension, with the error
    /// s2n's `s2n_client_hello_get_server_name` gives: no extension is
    /// `S2N_ERR_EXTENSION_NOT_RECEIVED`, a field cut short
    /// `S2N_ERR_STUFFER_OUT_OF_DATA`, a list or name length over what is left
    /// or an entry that is not a host_name `S2N_ERR_SAFETY`.
    pub fn try_server_name(&self) -> Result<&[u8], Error> {
        let data = self
            .extension(EXT_SERVER_NAME)
            .ok_or_else(|| Error::new(S2N_ERR_EXTENSION_NOT_RECEIVED))?;
        let mut r = Reader::new(data);
        let list_len = usize::from(r.u16().ok_or_else(out_of_data)?);
        if list_len > r.remaining() {
            return Err(Error::new(S2N_ERR_SAFETY));
        }
        let name_type = r.u8().ok_or_else(out_of_data)?;
        if name_type != 0 {
            return Err(Error::new(S2N_ERR_SAFETY));
        }
        let name_len = usize::from(r.u16().ok_or_else(out_of_data)?);
        if name_len > r.remaining() {
            return Err(Error::new(S2N_ERR_SAFETY));
        }
        r.bytes(name_len).ok_or_else(|| Error::new(S2N_ERR_NULL))
    }

    /// The named groups of the supported_groups extension; None if absent or
    /// malformed.
    pub fn supported_groups(&self) -> Option<Vec<u16>> {
        self.try_supported_groups().ok()
    }

    /// The named groups, with the error s2n's
    /// `s2n_client_hello_get_supported_groups` gives: no extension is
    /// `S2N_ERR_EXTENSION_NOT_RECEIVED`, no list length
    /// `S2N_ERR_STUFFER_OUT_OF_DATA`, a list length over what is left or odd
    /// `S2N_ERR_INVALID_PARSED_EXTENSIONS`. Bytes after the list are ignored.
    pub fn try_supported_groups(&self) -> Result<Vec<u16>, Error> {
        let data = self
            .extension(EXT_SUPPORTED_GROUPS)
            .ok_or_else(|| Error::new(S2N_ERR_EXTENSION_NOT_RECEIVED))?;
        let mut r = Reader::new(data);
        let list_len = usize::from(r.u16().ok_or_else(out_of_data)?);
        if list_len > r.remaining() || list_len % 2 != 0 {
            return Err(Error::new(S2N_ERR_INVALID_PARSED_EXTENSIONS));
        }
        let mut groups = Vec::with_capacity(list_len / 2);
        for _ in 0..list_len / 2 {
            groups.push(r.u16().ok_or_else(out_of_data)?);
        }
        Ok(groups)
    }

    /// The versions of the supported_versions extension, in order; None if
    /// absent or malformed (as s2n: the one-byte list length must be even and
    /// cover exactly the rest of the extension).
    pub fn supported_versions(&self) -> Option<Vec<u16>> {
        let mut r = Reader::new(self.extension(EXT_SUPPORTED_VERSIONS)?);
        let len = usize::from(r.u8()?);
        if len != r.remaining() || len % 2 != 0 {
            return None;
        }
        (0..len / 2).map(|_| r.u16()).collect()
    }

    /// The groups of the key_share extension's entries, in order (those
    /// before any malformed entry; empty if absent).
    pub fn key_share_groups(&self) -> Vec<u16> {
        let mut groups = Vec::new();
        let Some(data) = self.extension(EXT_KEY_SHARE) else {
            return groups;
        };
        let mut r = Reader::new(data);
        let Some(list_len) = r.u16() else {
            return groups;
        };
        let Some(list) = r.bytes(usize::from(list_len)) else {
            return groups;
        };
        let mut entries = Reader::new(list);
        while let (Some(group), Some(len)) = (entries.u16(), entries.u16()) {
            if entries.bytes(usize::from(len)).is_none() {
                break;
            }
            groups.push(group);
        }
        groups
    }

    /// The highest version the client offers: the largest non-GREASE entry of
    /// supported_versions if it is present, well-formed and has one, else the
    /// legacy version.
    pub fn highest_version(&self) -> u16 {
        self.supported_versions()
            .and_then(|versions| versions.into_iter().filter(|&v| !is_grease(v)).max())
            .unwrap_or_else(|| u16::from_be_bytes(self.legacy_version))
    }

    /// Records the version of the record header that carried the message (the
    /// first record's, as s2n records it).
    pub fn set_record_version(&mut self, version: [u8; 2]) {
        self.record_version = Some(version);
    }

    pub fn record_version(&self) -> Option<[u8; 2]> {
        self.record_version
    }

    /// The record version in s2n's one-byte form, when known.
    pub fn record_version_s2n(&self) -> Option<u8> {
        self.record_version.map(s2n_version)
    }
}

/// s2n's one-byte protocol version: major * 10 + minor, in `uint8_t`.
pub(crate) fn s2n_version(version: [u8; 2]) -> u8 {
    version[0].wrapping_mul(10).wrapping_add(version[1])
}

/// Walks an extensions block as s2n's `s2n_extension_list_parse` does.
fn check_extensions(block: &[u8]) -> Result<(), Error> {
    let mut r = Reader::new(block);
    let mut seen = [false; S2N_EXTENSIONS.len()];
    while r.remaining() > 0 {
        let ty = r.u16().ok_or_else(bad_message)?;
        let len = r.u16().ok_or_else(bad_message)?;
        r.take(usize::from(len)).ok_or_else(bad_message)?;
        if let Some(index) = S2N_EXTENSIONS.iter().position(|&t| t == ty) {
            if std::mem::replace(&mut seen[index], true) {
                return Err(Error::new(S2N_ERR_DUPLICATE_EXTENSION));
            }
        }
    }
    Ok(())
}
