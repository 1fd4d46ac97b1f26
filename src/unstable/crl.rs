//! `s2n/unstable/crl.h`: certificate revocation lists supplied by the
//! application per received certificate (checked by webpki), and the
//! application's extra validation callback.
//!
//! Both callbacks run inside rustls's certificate verifier, which cannot
//! pause: their asynchronous forms (returning without deciding) fail the
//! handshake with `S2N_ERR_UNIMPLEMENTED` instead of blocking.

use std::cell::RefCell;
use std::ffi::{c_int, c_void};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use rustls_pki_types::CertificateDer;

use crate::error::{
    Error, S2N_ERR_CANCELLED, S2N_ERR_CERT_REJECTED, S2N_ERR_INVALID_PEM, S2N_ERR_INVALID_STATE,
    S2N_ERR_NULL, S2N_ERR_UNIMPLEMENTED,
};
use crate::ffi::{self, BoxHandle, CPtr, RefHandle, callbacks};
use crate::trust::cert_error;
use crate::types::*;

/// Opaque handle: `struct s2n_crl_lookup` in C.
#[repr(C)]
pub struct s2n_crl_lookup {
    _private: [u8; 0],
}

/// Opaque handle: `struct s2n_crl` in C.
#[repr(C)]
pub struct s2n_crl {
    _private: [u8; 0],
}

/// Opaque handle: `struct s2n_cert_validation_info` in C.
#[repr(C)]
pub struct s2n_cert_validation_info {
    _private: [u8; 0],
}

pub type s2n_crl_lookup_callback =
    Option<unsafe extern "C" fn(lookup: *mut s2n_crl_lookup, context: *mut c_void) -> c_int>;

pub type s2n_cert_validation_callback = Option<
    unsafe extern "C" fn(
        conn: *mut s2n_connection,
        info: *mut s2n_cert_validation_info,
        context: *mut c_void,
    ) -> c_int,
>;

// ---------------------------------------------------------------------------
// DER helpers: names, times and the fields of certificates and CRLs we read.

pub(crate) const SEQUENCE: u8 = 0x30;
pub(crate) const SET: u8 = 0x31;
pub(crate) const UTF8_STRING: u8 = 0x0c;
pub(crate) const UTC_TIME: u8 = 0x17;
pub(crate) const GENERALIZED_TIME: u8 = 0x18;

pub(crate) struct Der<'a>(&'a [u8]);

impl<'a> Der<'a> {
    /// The next element: tag, content, and the whole TLV.
    fn next(&mut self) -> Option<(u8, &'a [u8], &'a [u8])> {
        let all = self.0;
        let (&tag, rest) = all.split_first()?;
        let (&first, rest) = rest.split_first()?;
        let (len, rest) = match first {
            0..=0x7f => (usize::from(first), rest),
            0x81..=0x84 => {
                let (octets, rest) = rest.split_at_checked(usize::from(first & 0x7f))?;
                let len = octets
                    .iter()
                    .fold(0usize, |l, &b| (l << 8) | usize::from(b));
                (len, rest)
            }
            _ => return None,
        };
        let (content, rest) = rest.split_at_checked(len)?;
        let whole = &all[..all.len() - rest.len()];
        self.0 = rest;
        Some((tag, content, whole))
    }

    fn expect(&mut self, tag: u8) -> Option<&'a [u8]> {
        match self.next()? {
            (t, content, _) if t == tag => Some(content),
            _ => None,
        }
    }

    fn peek(&self) -> Option<u8> {
        self.0.first().copied()
    }
}

pub(crate) fn push_tlv(out: &mut Vec<u8>, tag: u8, content: &[u8]) {
    out.push(tag);
    let len = content.len();
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes = len.to_be_bytes();
        let skip = bytes.iter().take_while(|&&b| b == 0).count();
        out.push(0x80 | (bytes.len() - skip) as u8);
        out.extend_from_slice(&bytes[skip..]);
    }
    out.extend_from_slice(content);
}

/// A directory string as text, for the string types OpenSSL canonicalises.
pub(crate) fn string_text(tag: u8, value: &[u8]) -> Option<String> {
    match tag {
        // UTF8String, PrintableString, IA5String, VisibleString
        0x0c | 0x13 | 0x16 | 0x1a => String::from_utf8(value.to_vec()).ok(),
        // T61String, read as Latin-1
        0x14 => Some(value.iter().map(|&b| char::from(b)).collect()),
        // BMPString
        0x1e => {
            let units: Vec<u16> = value
                .chunks(2)
                .map(|c| u16::from_be_bytes([c[0], *c.get(1)?]).into())
                .collect::<Option<Vec<u16>>>()?;
            String::from_utf16(&units).ok()
        }
        // UniversalString
        0x1c => value
            .chunks(4)
            .map(|c| {
                let b: [u8; 4] = c.try_into().ok()?;
                char::from_u32(u32::from_be_bytes(b))
            })
            .collect(),
        _ => None,
    }
}

/// OpenSSL's canonical form of a string: trimmed, inner runs of ASCII
/// whitespace as one space, ASCII letters in lower case.
pub(crate) fn canonical_text(text: &str) -> Vec<u8> {
    let space = |b: u8| matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r');
    let bytes = text.as_bytes();
    let start = bytes.iter().position(|&b| !space(b)).unwrap_or(bytes.len());
    let end = bytes
        .iter()
        .rposition(|&b| !space(b))
        .map_or(start, |i| i + 1);
    let mut out = Vec::with_capacity(end - start);
    let mut in_space = false;
    for &b in &bytes[start..end] {
        if space(b) {
            if !in_space {
                out.push(b' ');
            }
            in_space = true;
        } else {
            out.push(b.to_ascii_lowercase());
            in_space = false;
        }
    }
    out
}

/// OpenSSL's `X509_NAME_hash` of a Name's content (the RDNs): the first
/// four bytes, little-endian, of SHA-1 over the canonical encoding (each
/// RDN's SET with canonical strings as UTF8String, no outer SEQUENCE).
pub fn name_hash(name_content: &[u8]) -> Option<u64> {
    let mut canon = Vec::new();
    let mut rdns = Der(name_content);
    while rdns.peek().is_some() {
        let set = rdns.expect(SET)?;
        let mut atvs = Der(set);
        let mut encoded: Vec<Vec<u8>> = Vec::new();
        while atvs.peek().is_some() {
            let atv = atvs.expect(SEQUENCE)?;
            let mut fields = Der(atv);
            let (_, _, oid) = fields.next()?;
            let (tag, value, whole) = fields.next()?;
            let mut content = oid.to_vec();
            match string_text(tag, value) {
                Some(text) => push_tlv(&mut content, UTF8_STRING, &canonical_text(&text)),
                None => content.extend_from_slice(whole),
            }
            let mut seq = Vec::new();
            push_tlv(&mut seq, SEQUENCE, &content);
            encoded.push(seq);
        }
        // DER orders a SET OF by encoding.
        encoded.sort();
        push_tlv(&mut canon, SET, &encoded.concat());
    }
    let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA1_FOR_LEGACY_USE_ONLY, &canon);
    let first: [u8; 4] = digest.as_ref()[..4].try_into().ok()?;
    Some(u64::from(u32::from_le_bytes(first)))
}

/// The issuer Name content of a DER certificate.
pub(crate) fn cert_issuer(cert_der: &[u8]) -> Option<&[u8]> {
    let mut cert = Der(Der(cert_der).expect(SEQUENCE)?);
    let mut tbs = Der(cert.expect(SEQUENCE)?);
    if tbs.peek() == Some(0xa0) {
        tbs.next()?; // version
    }
    tbs.next()?; // serialNumber
    tbs.expect(SEQUENCE)?; // signature
    tbs.expect(SEQUENCE)
}

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

pub(crate) type CrlFields<'a> = (&'a [u8], Option<i64>, Option<Option<i64>>);

/// The issuer content, thisUpdate and nextUpdate (None when absent) of a DER CRL.
pub(crate) fn crl_fields(der: &[u8]) -> Option<CrlFields<'_>> {
    let mut crl = Der(Der(der).expect(SEQUENCE)?);
    let mut tbs = Der(crl.expect(SEQUENCE)?);
    if tbs.peek() == Some(0x02) {
        tbs.next()?; // version
    }
    tbs.expect(SEQUENCE)?; // signature
    let issuer = tbs.expect(SEQUENCE)?;
    let (tag, value, _) = tbs.next()?;
    let this_update = der_time(tag, value);
    let next_update = match tbs.peek() {
        Some(t @ (UTC_TIME | GENERALIZED_TIME)) => {
            let (_, value, _) = tbs.next()?;
            Some(der_time(t, value))
        }
        _ => None,
    };
    Some((issuer, this_update, next_update))
}

pub(crate) fn now_secs() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

// ---------------------------------------------------------------------------
// CRLs

/// A loaded CRL: webpki's form and the fields s2n's functions read.
#[derive(Clone)]
pub struct LoadedCrl {
    pub owned: webpki::OwnedCertRevocationList,
    pub(crate) issuer_hash: Option<u64>,
    /// None when the field is there but unreadable.
    pub(crate) this_update: Option<i64>,
    /// Some(None) when the field is there but unreadable.
    pub(crate) next_update: Option<Option<i64>>,
}

/// What an `s2n_crl` handle owns.
#[derive(Default)]
pub struct Crl {
    pub(crate) loaded: RefCell<Option<LoadedCrl>>,
}

impl BoxHandle for s2n_crl {
    type Rust = Crl;
}

impl Crl {
    pub(crate) fn with<T>(
        crl: *mut s2n_crl,
        f: impl FnOnce(&LoadedCrl) -> Result<T, Error>,
    ) -> Result<T, Error> {
        let crl = s2n_crl::get(crl)?;
        let loaded = crl.loaded.borrow();
        f(loaded.as_ref().ok_or_else(|| Error::new(S2N_ERR_NULL))?)
    }
}

pub(crate) fn load(der: &[u8]) -> Result<LoadedCrl, Error> {
    let owned = webpki::OwnedCertRevocationList::from_der(der).map_err(|_| {
        Error::with_reason(
            S2N_ERR_INVALID_PEM,
            "not a CRL webpki accepts (it needs a v2 CRL with nextUpdate and extensions)",
        )
    })?;
    let (issuer, this_update, next_update) =
        crl_fields(der).ok_or_else(|| Error::new(S2N_ERR_INVALID_PEM))?;
    Ok(LoadedCrl {
        owned,
        issuer_hash: name_hash(issuer),
        this_update,
        next_update,
    })
}

// ---------------------------------------------------------------------------
// Lookups, run by the verifier for each received certificate.

/// One certificate's lookup: what the callback sees and answers.
pub struct CrlLookup {
    pub(crate) issuer_hash: Option<u64>,
    pub(crate) crl: Mutex<Option<webpki::OwnedCertRevocationList>>,
    pub(crate) finished: AtomicBool,
}

impl RefHandle for s2n_crl_lookup {
    type Rust = CrlLookup;
}

/// Asks the application for the CRL of each received certificate's issuer
/// (in the order received); the CRLs it returned.
pub fn lookup_crls(
    (cb, ctx): (s2n_crl_lookup_callback, CPtr),
    certs: &[&CertificateDer<'_>],
) -> Result<Vec<webpki::OwnedCertRevocationList>, rustls::Error> {
    let mut crls = Vec::new();
    for cert in certs {
        let lookup = Box::new(CrlLookup {
            issuer_hash: cert_issuer(cert).and_then(name_hash),
            crl: Mutex::new(None),
            finished: AtomicBool::new(false),
        });
        let rc = callbacks::crl_lookup(cb, s2n_crl_lookup::from_ref(&lookup), ctx);
        if rc != S2N_SUCCESS {
            return Err(cert_error(S2N_ERR_CANCELLED));
        }
        if !lookup.finished.load(Ordering::SeqCst) {
            // The application may answer later: the connection keeps the lookup alive.
            crate::connection::notes::note(|n| n.keep_alive.push(lookup));
            return Err(cert_error(S2N_ERR_UNIMPLEMENTED));
        }
        if let Some(crl) = lookup.crl.lock().unwrap_or_else(|e| e.into_inner()).take() {
            crls.push(crl);
        }
    }
    Ok(crls)
}

// ---------------------------------------------------------------------------
// The validation callback.

/// What the validation callback decides.
#[derive(Default)]
pub struct ValidationInfo {
    finished: AtomicBool,
    accepted: AtomicBool,
}

impl RefHandle for s2n_cert_validation_info {
    type Rust = ValidationInfo;
}

/// Runs the application's validation callback after our own checks passed.
/// Partial: only the synchronous form (the callback accepts or rejects
/// before returning); an undecided return fails with `S2N_ERR_UNIMPLEMENTED`.
pub fn run_validation(
    (cb, ctx): (s2n_cert_validation_callback, CPtr),
) -> Result<(), rustls::Error> {
    let conn = crate::connection::notes::context().conn;
    let info = Box::new(ValidationInfo::default());
    let rc = callbacks::cert_validation(cb, conn, s2n_cert_validation_info::from_ref(&info), ctx);
    if rc != S2N_SUCCESS {
        return Err(cert_error(S2N_ERR_CANCELLED));
    }
    if !info.finished.load(Ordering::SeqCst) {
        // s2n lets the application decide later; rustls cannot wait. The
        // connection keeps the info valid for the late accept/reject, which
        // then does nothing.
        crate::connection::notes::note(|n| n.keep_alive.push(info));
        return Err(cert_error(S2N_ERR_UNIMPLEMENTED));
    }
    if !info.accepted.load(Ordering::SeqCst) {
        return Err(cert_error(S2N_ERR_CERT_REJECTED));
    }
    Ok(())
}

pub(crate) fn set_crl_cb(
    config: *mut s2n_config,
    f: impl FnOnce(&mut crate::config::ConfigState),
) -> c_int {
    crate::config::Config::set(config, |state| {
        f(state);
        Ok(())
    })
}

pub(crate) fn decide(info: *mut s2n_cert_validation_info, accepted: bool) -> c_int {
    ffi::entry(|| {
        let info = s2n_cert_validation_info::get(info)?;
        if info.finished.load(Ordering::SeqCst) {
            return Err(Error::new(S2N_ERR_INVALID_STATE));
        }
        info.finished.store(true, Ordering::SeqCst);
        info.accepted.store(accepted, Ordering::SeqCst);
        Ok(S2N_SUCCESS)
    })
}
