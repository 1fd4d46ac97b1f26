//! Record protection after the handshake (RFC 8446 §5.2-5.3, RFC 5246
//! §6.2.3.3, RFC 7905): rustls hands over the traffic secrets once the
//! handshake is done (`kernel`), and records are sealed and opened here,
//! on plain buffers: sealed from the caller's data straight into the output
//! buffer, opened where they were read.

use std::ops::Range;

use aws_lc_rs::aead::{self, Aad, LessSafeKey, Nonce, UnboundKey};
use rustls::ConnectionTrafficSecrets;
use zeroize::Zeroize;

use crate::record::HEADER_LEN;
use crate::record::Secret;

pub(crate) const HANDSHAKE: u8 = 22;
pub(crate) const ALERT: u8 = 21;
pub(crate) const APPLICATION_DATA: u8 = 23;

/// The largest plaintext of a record (2^14).
pub(crate) const MAX_PLAINTEXT: usize = 16384;
/// The largest TLS1.3 inner plaintext s2n takes before it strips padding:
/// the plaintext, its type and 16 bytes of slack (some peers pad more).
const MAX_TLS13_INNER: usize = MAX_PLAINTEXT + 1 + 16;
/// The largest TLS1.3 ciphertext: the plaintext, its content type and 255
/// bytes of padding and tag (RFC 8446 §5.2).
const MAX_TLS13_CIPHERTEXT: usize = MAX_PLAINTEXT + 256;
/// The largest TLS1.2 ciphertext s2n takes: any a header can announce (RFC
/// 5246 §6.2.3 allows 2^14 + 2048, but some peers send more, and s2n takes
/// their plaintext too).
const MAX_TLS12_CIPHERTEXT: usize = u16::MAX as usize;
const TAG_LEN: usize = 16;
const EXPLICIT_NONCE_LEN: usize = 8;

/// Why a record could not be sealed or opened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RecordError {
    /// The tag did not verify.
    Decrypt,
    /// The record is too short to hold a tag (and explicit nonce).
    TooShort,
    /// The ciphertext (or, sealing, the plaintext) is longer than the
    /// protocol allows.
    Overflow,
    /// A TLS1.3 inner plaintext longer than the protocol allows.
    InnerOverflow,
    /// A TLS1.3 record whose plaintext is only padding (no content type).
    NoContentType,
    /// The sequence number would wrap.
    SequenceExhausted,
    /// The AEAD refused to seal (a key aws-lc could not use).
    Encrypt,
}

/// One direction's key, IV and sequence number.
pub struct Keys {
    key: LessSafeKey,
    iv: [u8; 12],
    seq: u64,
}

impl Drop for Keys {
    fn drop(&mut self) {
        self.iv.zeroize();
    }
}

impl Keys {
    /// Keys from rustls's traffic secrets, starting at sequence number `seq`.
    pub fn new(seq: u64, secrets: &ConnectionTrafficSecrets) -> Result<Self, RecordError> {
        let (algorithm, key, iv) = match secrets {
            ConnectionTrafficSecrets::Aes128Gcm { key, iv } => (&aead::AES_128_GCM, key, iv),
            ConnectionTrafficSecrets::Aes256Gcm { key, iv } => (&aead::AES_256_GCM, key, iv),
            ConnectionTrafficSecrets::Chacha20Poly1305 { key, iv } => {
                (&aead::CHACHA20_POLY1305, key, iv)
            }
            _ => return Err(RecordError::Encrypt),
        };
        let iv = iv.as_ref().try_into().map_err(|_| RecordError::Encrypt)?;
        Self::from_parts(algorithm, key.as_ref(), iv, seq)
    }

    pub(crate) fn from_parts(
        algorithm: &'static aead::Algorithm,
        key: &[u8],
        iv: [u8; 12],
        seq: u64,
    ) -> Result<Self, RecordError> {
        let key = UnboundKey::new(algorithm, key).map_err(|_| RecordError::Encrypt)?;
        Ok(Self {
            key: LessSafeKey::new(key),
            iv,
            seq,
        })
    }

    pub fn seq(&self) -> u64 {
        self.seq
    }

    /// The same keys at sequence number `seq`.
    pub fn at(mut self, seq: u64) -> Self {
        self.seq = seq;
        self
    }

    /// The IV with the sequence number xored into its last 8 bytes.
    fn nonce(&self) -> [u8; 12] {
        let mut nonce = self.iv;
        for (n, s) in nonce[4..].iter_mut().zip(self.seq.to_be_bytes()) {
            *n ^= s;
        }
        nonce
    }

    fn advance(&mut self) -> Result<(), RecordError> {
        self.seq = self
            .seq
            .checked_add(1)
            .ok_or(RecordError::SequenceExhausted)?;
        Ok(())
    }
}

/// HKDF-Expand-Label (RFC 8446 §7.1) of `secret` into `out`.
pub(crate) fn expand_label(
    prf: aws_lc_rs::hkdf::Algorithm,
    secret: &[u8],
    label: &[u8],
    context: &[u8],
    out: &mut [u8],
) -> Result<(), aws_lc_rs::error::Unspecified> {
    use aws_lc_rs::hkdf;
    struct Len(usize);
    impl hkdf::KeyType for Len {
        fn len(&self) -> usize {
            self.0
        }
    }
    let unspecified = aws_lc_rs::error::Unspecified;
    let length = u16::try_from(out.len()).map_err(|_| unspecified)?;
    let label_len = u8::try_from(6 + label.len()).map_err(|_| unspecified)?;
    let context_len = u8::try_from(context.len()).map_err(|_| unspecified)?;
    let info: [&[u8]; 6] = [
        &length.to_be_bytes(),
        &[label_len],
        b"tls13 ",
        label,
        &[context_len],
        context,
    ];
    hkdf::Prk::new_less_safe(prf, secret)
        .expand(&info, Len(out.len()))
        .and_then(|okm| okm.fill(out))
}

/// A TLS1.3 connection's application traffic secrets, for its key updates
/// (RFC 8446 §7.2): each update derives the next secret of one direction.
pub struct Schedule {
    prf: aws_lc_rs::hkdf::Algorithm,
    aead: &'static aead::Algorithm,
    /// The sending and the receiving secret.
    secrets: [Secret; 2],
}

impl Schedule {
    pub fn new(suite: &rustls::Tls13CipherSuite, tx: Secret, rx: Secret) -> Option<Self> {
        let (prf, aead) = algorithms(suite)?;
        Some(Self {
            prf,
            aead,
            secrets: [tx, rx],
        })
    }

    /// Moves one direction (0: sending, 1: receiving) to its next secret;
    /// its keys, from sequence number 0.
    pub fn update(&mut self, direction: usize) -> Result<Keys, RecordError> {
        let current = &self.secrets[direction];
        let mut next = [0u8; 48];
        let next = &mut next[..current.len()];
        expand_label(self.prf, current, b"traffic upd", &[], next)
            .map_err(|_| RecordError::Encrypt)?;
        let secret = Secret::new(next).ok_or(RecordError::Encrypt);
        next.zeroize();
        self.secrets[direction] = secret?;
        self.keys(direction, 0)
    }

    /// The keys of one direction's current secret (RFC 8446 §7.3).
    pub fn keys(&self, direction: usize, seq: u64) -> Result<Keys, RecordError> {
        derive_keys((self.prf, self.aead), &self.secrets[direction], seq)
    }

    /// The current secrets: sending, receiving.
    pub fn secrets(&self) -> &[Secret; 2] {
        &self.secrets
    }
}

/// The key derivation and AEAD of a TLS1.3 suite s2nrs protects records of.
fn algorithms(
    suite: &rustls::Tls13CipherSuite,
) -> Option<(aws_lc_rs::hkdf::Algorithm, &'static aead::Algorithm)> {
    use rustls::crypto::hash::HashAlgorithm;
    let prf = match suite.common.hash_provider.algorithm() {
        HashAlgorithm::SHA256 => aws_lc_rs::hkdf::HKDF_SHA256,
        HashAlgorithm::SHA384 => aws_lc_rs::hkdf::HKDF_SHA384,
        _ => return None,
    };
    let aead = match suite.common.suite {
        rustls::CipherSuite::TLS13_AES_128_GCM_SHA256 => &aead::AES_128_GCM,
        rustls::CipherSuite::TLS13_AES_256_GCM_SHA384 => &aead::AES_256_GCM,
        rustls::CipherSuite::TLS13_CHACHA20_POLY1305_SHA256 => &aead::CHACHA20_POLY1305,
        _ => return None,
    };
    Some((prf, aead))
}

/// The keys of a TLS1.3 traffic secret (RFC 8446 §7.3), from sequence
/// number `seq`.
fn derive_keys(
    (prf, aead): (aws_lc_rs::hkdf::Algorithm, &'static aead::Algorithm),
    secret: &[u8],
    seq: u64,
) -> Result<Keys, RecordError> {
    let failed = |_| RecordError::Encrypt;
    let mut key = [0u8; 32];
    let key = &mut key[..aead.key_len()];
    let mut iv = [0u8; 12];
    expand_label(prf, secret, b"key", &[], key).map_err(failed)?;
    expand_label(prf, secret, b"iv", &[], &mut iv).map_err(failed)?;
    let keys = Keys::from_parts(aead, key, iv, seq);
    key.zeroize();
    iv.zeroize();
    keys
}

/// The keys of one TLS1.3 traffic secret of `suite`, from sequence number 0.
pub fn traffic_keys(suite: &rustls::Tls13CipherSuite, secret: &[u8]) -> Result<Keys, RecordError> {
    derive_keys(algorithms(suite).ok_or(RecordError::Encrypt)?, secret, 0)
}

/// The record formats this module protects.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Tls13,
    /// TLS1.2 AES-GCM: the nonce's last 8 bytes travel in the record.
    Tls12ExplicitNonce,
    /// TLS1.2 ChaCha20-Poly1305: the nonce is the IV xor the sequence number.
    Tls12,
}

impl Format {
    /// The record format of a negotiated cipher suite.
    pub fn of(suite: rustls::SupportedCipherSuite) -> Self {
        use rustls::CipherSuite as C;
        let chacha = matches!(
            suite.suite(),
            C::TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256
                | C::TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256
        );
        match (suite.tls13().is_some(), chacha) {
            (true, _) => Self::Tls13,
            (false, true) => Self::Tls12,
            (false, false) => Self::Tls12ExplicitNonce,
        }
    }

    /// Bytes a record adds to its plaintext.
    pub fn overhead(self) -> usize {
        HEADER_LEN
            + TAG_LEN
            + match self {
                Self::Tls13 => 1,
                Self::Tls12ExplicitNonce => EXPLICIT_NONCE_LEN,
                Self::Tls12 => 0,
            }
    }

    fn explicit_nonce_len(self) -> usize {
        match self {
            Self::Tls12ExplicitNonce => EXPLICIT_NONCE_LEN,
            _ => 0,
        }
    }
}

/// TLS1.2's additional data: sequence number, type, version, plaintext
/// length.
fn tls12_aad(seq: u64, header: &[u8], len: usize) -> [u8; 13] {
    let mut aad = [0u8; 13];
    aad[..8].copy_from_slice(&seq.to_be_bytes());
    // The type from the header, the version the connection's (as s2n builds
    // it: a header version that reads as TLS1.2 to s2n's check authenticates).
    aad[8] = header[0];
    aad[9..11].copy_from_slice(&[3, 3]);
    aad[11..].copy_from_slice(&(len as u16).to_be_bytes());
    aad
}

/// Seals `data` (at most `MAX_PLAINTEXT` bytes) as one record of
/// `content_type` into `out`, which must be `format.overhead() + data.len()`
/// bytes long.
pub fn seal(
    format: Format,
    keys: &mut Keys,
    content_type: u8,
    data: &[u8],
    out: &mut [u8],
) -> Result<(), RecordError> {
    if data.len() > MAX_PLAINTEXT || out.len() != format.overhead() + data.len() {
        return Err(RecordError::Overflow);
    }
    let nonce = keys.nonce();
    let body_len = out.len() - HEADER_LEN;
    let outer_type = match format {
        Format::Tls13 => APPLICATION_DATA,
        _ => content_type,
    };
    let (header, body) = out.split_at_mut(HEADER_LEN);
    header.copy_from_slice(&[outer_type, 3, 3, (body_len >> 8) as u8, body_len as u8]);
    let explicit = format.explicit_nonce_len();
    body[..explicit].copy_from_slice(&nonce[4..4 + explicit]);
    let (ciphertext, rest) = body[explicit..].split_at_mut(data.len());
    let sealed = match format {
        Format::Tls13 => keys.key.seal_out_of_place_scatter(
            Nonce::assume_unique_for_key(nonce),
            Aad::from(&*header),
            data,
            ciphertext,
            &[content_type],
            rest,
        ),
        _ => keys.key.seal_out_of_place_scatter(
            Nonce::assume_unique_for_key(nonce),
            Aad::from(tls12_aad(keys.seq, header, data.len())),
            data,
            ciphertext,
            &[],
            rest,
        ),
    };
    sealed.map_err(|_| RecordError::Encrypt)?;
    keys.advance()
}

/// An opened record: its content type and where its plaintext lies in it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Opened {
    pub content_type: u8,
    pub plaintext: Range<usize>,
}

/// The largest ciphertext a record of `format` may carry.
pub fn max_ciphertext(format: Format) -> usize {
    match format {
        Format::Tls13 => MAX_TLS13_CIPHERTEXT,
        _ => MAX_TLS12_CIPHERTEXT,
    }
}

/// Opens one whole record (header and body) in place. The header was
/// checked as s2n checks it (`header::check`).
pub fn open(format: Format, keys: &mut Keys, record: &mut [u8]) -> Result<Opened, RecordError> {
    let body_len = record.len().saturating_sub(HEADER_LEN);
    if body_len > max_ciphertext(format) {
        return Err(RecordError::Overflow);
    }
    let explicit = format.explicit_nonce_len();
    if body_len < explicit + TAG_LEN {
        return Err(RecordError::TooShort);
    }
    let mut nonce = keys.nonce();
    let (header, body) = record.split_at_mut(HEADER_LEN);
    let sealed = &mut body[explicit..];
    let plaintext_len = sealed.len() - TAG_LEN;
    let opened = match format {
        Format::Tls13 => keys.key.open_in_place(
            Nonce::assume_unique_for_key(nonce),
            Aad::from(&*header),
            sealed,
        ),
        _ => {
            if explicit > 0 {
                let (_, tail) = nonce.split_at_mut(4);
                tail.copy_from_slice(&body[..explicit]);
            }
            let sealed = &mut body[explicit..];
            keys.key.open_in_place(
                Nonce::assume_unique_for_key(nonce),
                Aad::from(tls12_aad(keys.seq, header, plaintext_len)),
                sealed,
            )
        }
    };
    opened.map_err(|_| RecordError::Decrypt)?;
    keys.advance()?;
    let start = HEADER_LEN + explicit;
    let (content_type, len) = match format {
        Format::Tls13 => {
            if plaintext_len > MAX_TLS13_INNER {
                return Err(RecordError::InnerOverflow);
            }
            let inner = &record[start..start + plaintext_len];
            let Some(last) = inner.iter().rposition(|&b| b != 0) else {
                return Err(RecordError::NoContentType);
            };
            (inner[last], last)
        }
        _ => (record[0], plaintext_len),
    };
    if len > MAX_PLAINTEXT && format == Format::Tls13 {
        return Err(RecordError::InnerOverflow);
    }
    Ok(Opened {
        content_type,
        plaintext: start..start + len,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Keys of AES-128-GCM (0), AES-256-GCM (1) or ChaCha20-Poly1305.
    fn keys(kind: u8, seq: u64) -> Keys {
        let (algorithm, len) = match kind {
            0 => (&aead::AES_128_GCM, 16),
            1 => (&aead::AES_256_GCM, 32),
            _ => (&aead::CHACHA20_POLY1305, 32),
        };
        Keys::from_parts(algorithm, &[kind + 1; 32][..len], [7; 12], seq).unwrap()
    }

    fn cases() -> Vec<(Format, u8)> {
        vec![
            (Format::Tls13, 0),
            (Format::Tls13, 1),
            (Format::Tls13, 2),
            (Format::Tls12ExplicitNonce, 0),
            (Format::Tls12ExplicitNonce, 1),
            (Format::Tls12, 2),
        ]
    }

    fn sealed(format: Format, tx: &mut Keys, content_type: u8, data: &[u8]) -> Vec<u8> {
        let mut out = vec![0; format.overhead() + data.len()];
        seal(format, tx, content_type, data, &mut out).unwrap();
        out
    }

    #[test]
    fn round_trip_every_format_and_size() {
        for (format, kind) in cases() {
            let mut tx = keys(kind, 5);
            let mut rx = keys(kind, 5);
            for len in [0, 1, 17, 1400, MAX_PLAINTEXT] {
                let data: Vec<u8> = (0..len).map(|i| i as u8).collect();
                let mut record = sealed(format, &mut tx, APPLICATION_DATA, &data);
                let opened = open(format, &mut rx, &mut record).unwrap();
                assert_eq!(opened.content_type, APPLICATION_DATA);
                assert_eq!(&record[opened.plaintext], &data[..], "{format:?} {len}");
            }
            assert_eq!((tx.seq(), rx.seq()), (10, 10));
        }
    }

    #[test]
    fn every_bit_flip_fails() {
        for (format, kind) in cases() {
            let mut tx = keys(kind, 0);
            let record = sealed(format, &mut tx, APPLICATION_DATA, b"hello, world");
            for bit in 0..record.len() * 8 {
                // TLS1.2 authenticates the connection's version, not the
                // header's, which `header::check` judges (as s2n does).
                if format != Format::Tls13 && (8..24).contains(&bit) {
                    continue;
                }
                let mut flipped = record.clone();
                flipped[bit / 8] ^= 1 << (bit % 8);
                let mut rx = keys(kind, 0);
                // A flipped length frames another record: a longer one is
                // still incomplete (nothing accepted yet), a shorter one
                // must fail.
                let len = usize::from(u16::from_be_bytes([flipped[3], flipped[4]]));
                if HEADER_LEN + len > flipped.len() {
                    continue;
                }
                assert!(
                    open(format, &mut rx, &mut flipped[..HEADER_LEN + len]).is_err(),
                    "{format:?} bit {bit}"
                );
            }
        }
    }

    #[test]
    fn tls13_padding_and_inner_type() {
        let mut tx = keys(0, 0);
        let mut rx = keys(0, 0);
        // Sealed with no type of its own, the inner plaintext is "hi", the
        // handshake type, then padding: the last nonzero byte is the type.
        let mut record = sealed(Format::Tls13, &mut tx, 0, b"hi\x16\0\0");
        let opened = open(Format::Tls13, &mut rx, &mut record).unwrap();
        assert_eq!(opened.content_type, HANDSHAKE);
        assert_eq!(&record[opened.plaintext], b"hi");
        let mut only_padding = sealed(Format::Tls13, &mut tx, 0, b"\0\0");
        assert_eq!(
            open(Format::Tls13, &mut rx, &mut only_padding),
            Err(RecordError::NoContentType)
        );
    }

    #[test]
    fn tls12_takes_records_past_rfc_5246s_limit() {
        // As s2n: a 20,000-byte TLS1.2 record is opened (this one fails
        // authentication, it is not refused for its size).
        for format in [Format::Tls12ExplicitNonce, Format::Tls12] {
            let mut rx = keys(0, 0);
            let mut record = vec![23, 3, 3, 0x4e, 0x20];
            record.resize(HEADER_LEN + 20_000, 7);
            assert_eq!(
                open(format, &mut rx, &mut record),
                Err(RecordError::Decrypt)
            );
        }
    }

    #[test]
    fn oversized_records_are_refused() {
        for (format, kind) in cases() {
            let mut rx = keys(kind, 0);
            let max = max_ciphertext(format);
            let mut record = vec![23, 3, 3, 0, 0];
            record.resize(HEADER_LEN + max + 1, 0);
            assert_eq!(
                open(format, &mut rx, &mut record),
                Err(RecordError::Overflow)
            );
            let mut tx = keys(kind, 0);
            let mut out = vec![0; format.overhead() + MAX_PLAINTEXT + 1];
            assert_eq!(
                seal(format, &mut tx, 23, &vec![0; MAX_PLAINTEXT + 1], &mut out),
                Err(RecordError::Overflow)
            );
        }
    }

    #[test]
    fn sequence_numbers_never_wrap() {
        let mut tx = keys(0, u64::MAX - 1);
        let mut out = vec![0; Format::Tls13.overhead() + 1];
        seal(Format::Tls13, &mut tx, 23, b"x", &mut out).unwrap();
        assert_eq!(
            seal(Format::Tls13, &mut tx, 23, b"x", &mut out),
            Err(RecordError::SequenceExhausted)
        );
    }

    /// 2^24 records, as a TLS1.3 AES-GCM connection seals before its first
    /// key update, with no sequence fault: the last one opens under the
    /// sequence number the receiver reaches.
    #[test]
    fn many_records_keep_their_sequence() {
        let count = 1 << 24;
        let mut tx = keys(0, 0);
        let mut out = vec![0; Format::Tls13.overhead() + 1];
        for i in 0..count {
            seal(Format::Tls13, &mut tx, 23, &[i as u8], &mut out).unwrap();
        }
        assert_eq!(tx.seq(), count);
        let mut rx = keys(0, count - 1);
        let opened = open(Format::Tls13, &mut rx, &mut out).unwrap();
        assert_eq!(out[opened.plaintext], [(count - 1) as u8]);
        assert!(open(Format::Tls13, &mut keys(0, count - 2), &mut out.clone()).is_err());
    }
}
