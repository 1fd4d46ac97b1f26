//! The one DER reader of certificates and CRLs: strict (definite lengths,
//! minimal length octets, low tag numbers), bounds-checked, never panicking.
//! Certificates (x509) and CRLs (unstable::crl) read their fields with it.

/// Input that is not the DER we expect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Malformed;

pub(crate) const BOOLEAN: u8 = 0x01;
pub(crate) const INTEGER: u8 = 0x02;
pub(crate) const BIT_STRING: u8 = 0x03;
pub(crate) const OCTET_STRING: u8 = 0x04;
pub(crate) const OBJECT_IDENTIFIER: u8 = 0x06;
pub(crate) const UTF8_STRING: u8 = 0x0c;
pub(crate) const SEQUENCE: u8 = 0x30;
/// TBSCertificate's `version [0] EXPLICIT`.
pub(crate) const VERSION: u8 = 0xa0;
/// `issuerUniqueID [1] IMPLICIT BIT STRING` (primitive in DER).
pub(crate) const ISSUER_UNIQUE_ID: u8 = 0x81;
/// `subjectUniqueID [2] IMPLICIT BIT STRING`.
pub(crate) const SUBJECT_UNIQUE_ID: u8 = 0x82;
/// `extensions [3] EXPLICIT`.
pub(crate) const EXTENSIONS: u8 = 0xa3;

pub(crate) const V3: u8 = 2;

pub(crate) const SET: u8 = 0x31;

/// Reads TLVs off the front of a byte string.
pub(crate) struct Reader<'a> {
    rest: &'a [u8],
}

impl<'a> Reader<'a> {
    pub(crate) fn new(input: &'a [u8]) -> Self {
        Reader { rest: input }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.rest.is_empty()
    }

    /// The next element's tag and content octets.
    pub(crate) fn read_any(&mut self) -> Result<(u8, &'a [u8]), Malformed> {
        let (&tag, rest) = self.rest.split_first().ok_or(Malformed)?;
        // High-tag-number form: no field we read uses it.
        if tag & 0x1f == 0x1f {
            return Err(Malformed);
        }
        let (&first, rest) = rest.split_first().ok_or(Malformed)?;
        let (len, rest) = match first {
            0x00..=0x7f => (usize::from(first), rest),
            // Long form with 1 to 4 length octets; 0x80 (indefinite) is BER only.
            0x81..=0x84 => {
                let (octets, rest) = rest
                    .split_at_checked(usize::from(first & 0x7f))
                    .ok_or(Malformed)?;
                let len = octets
                    .iter()
                    .fold(0u32, |len, &b| (len << 8) | u32::from(b));
                // DER: the fewest octets, so no leading zero and no long form below 128.
                if octets.first() == Some(&0) || len < 0x80 {
                    return Err(Malformed);
                }
                (usize::try_from(len).map_err(|_| Malformed)?, rest)
            }
            _ => return Err(Malformed),
        };
        let (content, rest) = rest.split_at_checked(len).ok_or(Malformed)?;
        self.rest = rest;
        Ok((tag, content))
    }

    /// The next element's tag, content octets and whole encoding.
    pub(crate) fn read_tlv(&mut self) -> Result<(u8, &'a [u8], &'a [u8]), Malformed> {
        let all = self.rest;
        let (tag, content) = self.read_any()?;
        Ok((tag, content, &all[..all.len() - self.rest.len()]))
    }

    /// The next element's tag, if any.
    pub(crate) fn peek(&self) -> Option<u8> {
        self.rest.first().copied()
    }

    /// The content of the next element, which must have tag `tag`.
    pub(crate) fn read(&mut self, tag: u8) -> Result<&'a [u8], Malformed> {
        match self.read_any()? {
            (t, content) if t == tag => Ok(content),
            _ => Err(Malformed),
        }
    }

    /// The content of the next element if it has tag `tag`.
    pub(crate) fn read_optional(&mut self, tag: u8) -> Result<Option<&'a [u8]>, Malformed> {
        if self.rest.first() == Some(&tag) {
            self.read(tag).map(Some)
        } else {
            Ok(None)
        }
    }

    /// Nothing may follow.
    pub(crate) fn finish(&self) -> Result<(), Malformed> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(Malformed)
        }
    }
}

/// The content of an element that must be exactly the whole of `input`.
pub(crate) fn whole(input: &[u8], tag: u8) -> Result<&[u8], Malformed> {
    let mut reader = Reader::new(input);
    let content = reader.read(tag)?;
    reader.finish()?;
    Ok(content)
}

pub(crate) const UTC_TIME: u8 = 0x17;
pub(crate) const GENERALIZED_TIME: u8 = 0x18;

/// Seconds since the epoch of a UTCTime or GeneralizedTime (`...Z`).
pub(crate) fn der_time(tag: u8, value: &[u8]) -> Option<i64> {
    let text = std::str::from_utf8(value).ok()?.strip_suffix('Z')?;
    let (year, rest) = match tag {
        UTC_TIME => {
            let yy: i64 = text.get(..2)?.parse().ok()?;
            (if yy >= 50 { 1900 + yy } else { 2000 + yy }, text.get(2..)?)
        }
        GENERALIZED_TIME => (text.get(..4)?.parse().ok()?, text.get(4..)?),
        _ => return None,
    };
    if rest.len() != 10 || !rest.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let field = |i: usize| -> i64 { rest[i..i + 2].parse().unwrap_or(0) };
    let (month, day, hour, min, sec) = (field(0), field(2), field(4), field(6), field(8));
    // Days from civil (Howard Hinnant's algorithm).
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some(days * 86_400 + hour * 3600 + min * 60 + sec)
}
