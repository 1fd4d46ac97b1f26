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
use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};

use rustls_pki_types::CertificateDer;

use crate::error::{
    Error, S2N_ERR_CANCELLED, S2N_ERR_CERT_REJECTED, S2N_ERR_INVALID_PEM, S2N_ERR_INVALID_STATE,
    S2N_ERR_NULL, S2N_ERR_UNIMPLEMENTED, S2nCode,
};
use crate::ffi::{BoxHandle, CPtr, RefHandle, callbacks};
use crate::types::*;
use crate::x509::der::{GENERALIZED_TIME, Reader, SEQUENCE, SET, UTC_TIME, UTF8_STRING, der_time};

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
    let mut rdns = Reader::new(name_content);
    while rdns.peek().is_some() {
        let set = rdns.read(SET).ok()?;
        let mut atvs = Reader::new(set);
        let mut encoded: Vec<Vec<u8>> = Vec::new();
        while atvs.peek().is_some() {
            let atv = atvs.read(SEQUENCE).ok()?;
            let mut fields = Reader::new(atv);
            let (_, _, oid) = fields.read_tlv().ok()?;
            let (tag, value, whole) = fields.read_tlv().ok()?;
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

pub(crate) type CrlFields<'a> = (&'a [u8], Option<i64>, Option<Option<i64>>);

/// The issuer content, thisUpdate and nextUpdate (None when absent) of a DER CRL.
pub(crate) fn crl_fields(der: &[u8]) -> Option<CrlFields<'_>> {
    let mut crl = Reader::new(Reader::new(der).read(SEQUENCE).ok()?);
    let mut tbs = Reader::new(crl.read(SEQUENCE).ok()?);
    if tbs.peek() == Some(0x02) {
        tbs.read_tlv().ok()?; // version
    }
    tbs.read(SEQUENCE).ok()?; // signature
    let issuer = tbs.read(SEQUENCE).ok()?;
    let (tag, value, _) = tbs.read_tlv().ok()?;
    let this_update = der_time(tag, value);
    let next_update = match tbs.peek() {
        Some(t @ (UTC_TIME | GENERALIZED_TIME)) => {
            let (_, value, _) = tbs.read_tlv().ok()?;
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
            issuer_hash: crate::x509::issuer(cert).and_then(name_hash),
            crl: Mutex::new(None),
            finished: AtomicBool::new(false),
        });
        let rc = callbacks::crl_lookup(cb, s2n_crl_lookup::from_ref(&lookup), ctx);
        if rc != S2N_SUCCESS {
            return Err(S2nCode::into_cert_error(S2N_ERR_CANCELLED));
        }
        if !lookup.finished.load(Ordering::SeqCst) {
            // The application may answer later: the connection keeps the lookup alive.
            crate::notes::note(|n| n.keep_alive.push(lookup));
            return Err(S2nCode::into_cert_error(S2N_ERR_UNIMPLEMENTED));
        }
        if let Some(crl) = lookup.crl.lock().unwrap_or_else(|e| e.into_inner()).take() {
            crls.push(crl);
        }
    }
    Ok(crls)
}

// ---------------------------------------------------------------------------
// The validation callback.

/// What the validation callback decides: undecided, accepted or rejected,
/// in one atomic so that a verdict is never seen half given.
#[derive(Default)]
pub struct ValidationInfo {
    verdict: AtomicU8,
}

const UNDECIDED: u8 = 0;
const ACCEPTED: u8 = 1;
const REJECTED: u8 = 2;

impl RefHandle for s2n_cert_validation_info {
    type Rust = ValidationInfo;
}

impl ValidationInfo {
    /// The application's verdict (`s2n_cert_validation_accept`/`_reject`),
    /// given once.
    pub fn decide(&self, accepted: bool) -> Result<(), Error> {
        let verdict = if accepted { ACCEPTED } else { REJECTED };
        self.verdict
            .compare_exchange(UNDECIDED, verdict, Ordering::SeqCst, Ordering::SeqCst)
            .map(drop)
            .map_err(|_| Error::new(S2N_ERR_INVALID_STATE))
    }
}

/// Runs the application's validation callback after our own checks passed.
/// Partial: only the synchronous form (the callback accepts or rejects
/// before returning); an undecided return fails with `S2N_ERR_UNIMPLEMENTED`.
pub fn run_validation(
    (cb, ctx): (s2n_cert_validation_callback, CPtr),
) -> Result<(), rustls::Error> {
    let conn = crate::notes::context().conn;
    let info = Box::new(ValidationInfo::default());
    let rc = callbacks::cert_validation(cb, conn, s2n_cert_validation_info::from_ref(&info), ctx);
    if rc != S2N_SUCCESS {
        return Err(S2nCode::into_cert_error(S2N_ERR_CANCELLED));
    }
    let verdict = info.verdict.load(Ordering::SeqCst);
    if verdict == UNDECIDED {
        // s2n lets the application decide later; rustls cannot wait. The
        // connection keeps the info valid for the late accept/reject, which
        // then does nothing.
        crate::notes::note(|n| n.keep_alive.push(info));
        return Err(S2nCode::into_cert_error(S2N_ERR_UNIMPLEMENTED));
    }
    if verdict != ACCEPTED {
        return Err(S2nCode::into_cert_error(S2N_ERR_CERT_REJECTED));
    }
    Ok(())
}
