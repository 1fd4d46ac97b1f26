//! X.509 extension look-up for `s2n_cert_get_x509_extension_value*` and
//! `s2n_cert_get_utf8_string_from_extension_data*`: the strict DER reader of
//! `der` (shared with CRLs) walks Certificate → TBSCertificate → `[3]`
//! extensions → Extension; the certificate facts policies and trust need
//! (key type, signature, identity, issuer) are read the same way. Plus the
//! conversion of an OID's text (dotted decimal, or the short or long OpenSSL
//! name of a certificate extension, as s2n's `OBJ_txt2obj(oid, 0)` takes it)
//! to its DER content octets.
//!
//! Every read is bounds-checked; hostile input yields an error, never a panic.
//!
//! Errors, s2n's where they carry meaning:
//! - no extension with that OID: `S2N_ERR_X509_EXTENSION_VALUE_NOT_FOUND`
//!   (also for a certificate with no extensions, where s2n fails a safety
//!   check with `S2N_ERR_SAFETY`);
//! - output buffer too small: `S2N_ERR_INSUFFICIENT_MEM_SIZE`;
//! - extension data that is not a DER UTF8String:
//!   `S2N_ERR_INVALID_X509_EXTENSION_TYPE`;
//! - OID text that is neither dotted decimal nor a known name:
//!   `S2N_ERR_INVALID_ARGUMENT` (s2n: `S2N_ERR_NULL`, from the NULL object);
//! - a certificate that does not parse: `S2N_ERR_DECODE_CERTIFICATE` (s2n:
//!   `S2N_ERR_NULL`, from the NULL `X509`).

#![forbid(unsafe_code)]

use crate::error::{
    Error, S2N_ERR_DECODE_CERTIFICATE, S2N_ERR_INSUFFICIENT_MEM_SIZE, S2N_ERR_INVALID_ARGUMENT,
    S2N_ERR_INVALID_X509_EXTENSION_TYPE, S2N_ERR_X509_EXTENSION_VALUE_NOT_FOUND,
};

pub(crate) mod der;
use der::*;

/// One certificate extension, borrowed from the certificate's DER.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Extension<'a> {
    /// Content octets of `extnID` (no tag or length).
    pub oid: &'a [u8],
    pub critical: bool,
    /// Content octets of the `extnValue` OCTET STRING: the DER of the value.
    pub value: &'a [u8],
}

/// The extension of `cert_der` whose `extnID` is the OID named by `oid_text`
/// (the first one, should the certificate repeat it).
pub(crate) fn find_extension<'a>(
    cert_der: &'a [u8],
    oid_text: &[u8],
) -> Result<Extension<'a>, Error> {
    let oid = oid_from_text(oid_text).ok_or_else(|| {
        Error::with_reason(
            S2N_ERR_INVALID_ARGUMENT,
            "the OID is neither dotted decimal nor a known extension name",
        )
    })?;
    let extensions =
        extensions(cert_der).map_err(|Malformed| Error::new(S2N_ERR_DECODE_CERTIFICATE))?;
    extensions
        .into_iter()
        .find(|ext| ext.oid == oid.as_slice())
        .ok_or_else(|| Error::new(S2N_ERR_X509_EXTENSION_VALUE_NOT_FOUND))
}

/// The contents of the DER UTF8String at the start of `data`. Bytes after it
/// are ignored, as s2n's `d2i_ASN1_UTF8STRING` does: callers may pass the
/// size of their buffer rather than of the value.
pub(crate) fn utf8_string_from_extension_data(data: &[u8]) -> Result<&[u8], Error> {
    utf8_string(data).map_err(|Malformed| Error::new(S2N_ERR_INVALID_X509_EXTENSION_TYPE))
}

/// A length as the `uint32_t` the API reports.
pub(crate) fn length_u32(len: usize) -> Result<u32, Error> {
    u32::try_from(len).map_err(|_| Error::new(S2N_ERR_INVALID_ARGUMENT))
}

/// `len` as `uint32_t` when it fits an output buffer of `capacity` bytes.
pub(crate) fn fits(len: usize, capacity: u32) -> Result<u32, Error> {
    let len = length_u32(len)?;
    if len > capacity {
        return Err(Error::new(S2N_ERR_INSUFFICIENT_MEM_SIZE));
    }
    Ok(len)
}

/// The content of a SubjectPublicKeyInfo's AlgorithmIdentifier (its OID and
/// parameters), as webpki's `public_key_alg_id` gives them.
pub(crate) fn spki_algorithm(spki_der: &[u8]) -> Option<&[u8]> {
    let mut spki = Reader::new(whole(spki_der, SEQUENCE).ok()?);
    spki.read(SEQUENCE).ok()
}

/// A certificate's subject and SubjectPublicKeyInfo (contents, as webpki's
/// trust anchors hold them) and its validity period (seconds since the Unix
/// epoch): what decides whether a received certificate is itself trusted.
pub(crate) struct Identity<'a> {
    pub subject: &'a [u8],
    pub spki: &'a [u8],
    pub not_before: i64,
    pub not_after: i64,
}

pub(crate) fn identity(cert_der: &[u8]) -> Option<Identity<'_>> {
    let cert = parse(cert_der).ok()?;
    let mut validity = Reader::new(cert.validity);
    let time = |(tag, value)| der_time(tag, value);
    let not_before = time(validity.read_any().ok()?)?;
    let not_after = time(validity.read_any().ok()?)?;
    Some(Identity {
        subject: cert.subject,
        spki: cert.spki,
        not_before,
        not_after,
    })
}

/// keyUsage's bits that matter for TLS (RFC 5280 4.2.1.3, first octet).
pub(crate) const KU_DIGITAL_SIGNATURE: u8 = 0x80;
pub(crate) const KU_KEY_ENCIPHERMENT: u8 = 0x20;
pub(crate) const KU_KEY_AGREEMENT: u8 = 0x08;

/// The first octet of a certificate's keyUsage bits; None when it has no
/// keyUsage extension (any use allowed). A malformed one allows nothing.
pub(crate) fn key_usage(cert_der: &[u8]) -> Option<u8> {
    const KEY_USAGE: &[u8] = &[0x55, 0x1d, 0x0f];
    let ext = extensions(cert_der)
        .ok()?
        .into_iter()
        .find(|ext| ext.oid == KEY_USAGE)?;
    let bits = whole(ext.value, BIT_STRING).unwrap_or_default();
    // The first content octet counts the unused bits of the last one.
    Some(bits.get(1).copied().unwrap_or(0))
}

/// Does the certificate carry this SubjectPublicKeyInfo (DER)? Read with our
/// own parser, so that X.509 v1 certificates (which webpki refuses) compare.
pub(crate) fn has_public_key(cert_der: &[u8], spki_der: &[u8]) -> bool {
    match (parse(cert_der), whole(spki_der, SEQUENCE)) {
        (Ok(cert), Ok(spki)) => cert.spki == spki,
        _ => false,
    }
}

/// The extensions of a DER certificate, in order; empty when it has none.
pub(crate) fn extensions(cert_der: &[u8]) -> Result<Vec<Extension<'_>>, Malformed> {
    parse(cert_der).map(|cert| cert.extensions)
}

/// The parts of a DER certificate we look at (contents, without tag and length).
struct Parsed<'a> {
    /// The OID of the certificate's own signatureAlgorithm.
    signature_oid: &'a [u8],
    issuer: &'a [u8],
    subject: &'a [u8],
    spki: &'a [u8],
    /// Content of the Validity SEQUENCE.
    validity: &'a [u8],
    extensions: Vec<Extension<'a>>,
}

/// The issuer Name content of a DER certificate.
pub(crate) fn issuer(cert_der: &[u8]) -> Option<&[u8]> {
    parse(cert_der).ok().map(|cert| cert.issuer)
}

fn parse(cert_der: &[u8]) -> Result<Parsed<'_>, Malformed> {
    // Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue }
    let mut certificate = Reader::new(whole(cert_der, SEQUENCE)?);
    let tbs = certificate.read(SEQUENCE)?;
    // Only the policy checks look at it: an unreadable one matches nothing.
    let signature_oid = Reader::new(certificate.read(SEQUENCE)?)
        .read(OBJECT_IDENTIFIER)
        .unwrap_or_default();
    certificate.read(BIT_STRING)?;
    certificate.finish()?;

    let mut tbs = Reader::new(tbs);
    let version = match tbs.read_optional(VERSION)? {
        None => 0,
        Some(explicit) => match whole(explicit, INTEGER)? {
            &[v @ 0..=V3] => v,
            _ => return Err(Malformed),
        },
    };
    tbs.read(INTEGER)?; // serialNumber
    tbs.read(SEQUENCE)?; // signature
    let issuer = tbs.read(SEQUENCE)?;
    let validity = tbs.read(SEQUENCE)?;
    let subject = tbs.read(SEQUENCE)?;
    let spki = tbs.read(SEQUENCE)?;
    let mut parsed = Parsed {
        signature_oid,
        issuer,
        subject,
        spki,
        validity,
        extensions: Vec::new(),
    };
    let issuer_uid = tbs.read_optional(ISSUER_UNIQUE_ID)?;
    let subject_uid = tbs.read_optional(SUBJECT_UNIQUE_ID)?;
    if (issuer_uid.is_some() || subject_uid.is_some()) && version == 0 {
        return Err(Malformed);
    }
    let explicit = tbs.read_optional(EXTENSIONS)?;
    tbs.finish()?;
    let Some(explicit) = explicit else {
        return Ok(parsed);
    };
    // RFC 5280 4.1.2.1: only v3 certificates carry extensions.
    if version != V3 {
        return Err(Malformed);
    }
    let mut list = Reader::new(whole(explicit, SEQUENCE)?);
    while !list.is_empty() {
        parsed.extensions.push(extension(list.read(SEQUENCE)?)?);
    }
    Ok(parsed)
}

/// subjectAltName's OID (2.5.29.17) and commonName's (2.5.4.3), DER-encoded.
const SUBJECT_ALT_NAME: &[u8] = &[0x55, 0x1d, 0x11];
const COMMON_NAME: &[u8] = &[0x55, 0x04, 0x03];

/// The names a host check is given, as s2n gives them: the DNS names, URIs
/// and IP addresses (as text) of subjectAltName, or, when it has none of
/// those, the subject's common names (then the flag is true).
pub(crate) fn host_names(cert_der: &[u8]) -> (Vec<String>, bool) {
    let Ok(Parsed {
        subject,
        extensions,
        ..
    }) = parse(cert_der)
    else {
        return (Vec::new(), false);
    };
    let mut names = Vec::new();
    if let Some(san) = extensions.iter().find(|e| e.oid == SUBJECT_ALT_NAME) {
        if let Ok(list) = whole(san.value, SEQUENCE) {
            let mut reader = Reader::new(list);
            while let Ok((tag, value)) = reader.read_any() {
                match tag {
                    // dNSName [2] and uniformResourceIdentifier [6]: IA5String.
                    0x82 | 0x86 => {
                        names.extend(std::str::from_utf8(value).ok().map(str::to_string))
                    }
                    // iPAddress [7]: 4 or 16 octets.
                    0x87 => {
                        if let Ok(v4) = <[u8; 4]>::try_from(value) {
                            names.push(std::net::Ipv4Addr::from(v4).to_string());
                        } else if let Ok(v6) = <[u8; 16]>::try_from(value) {
                            names.push(std::net::Ipv6Addr::from(v6).to_string());
                        }
                    }
                    _ => {}
                }
            }
        }
    }
    if !names.is_empty() {
        return (names, false);
    }
    {
        // Name ::= SEQUENCE OF SET OF SEQUENCE { type OID, value ANY }
        let mut rdns = Reader::new(subject);
        while let Ok(set) = rdns.read(0x31) {
            let mut attrs = Reader::new(set);
            while let Ok(attr) = attrs.read(SEQUENCE) {
                let mut attr = Reader::new(attr);
                if attr.read(OBJECT_IDENTIFIER) == Ok(COMMON_NAME) {
                    if let Ok((_, value)) = attr.read_any() {
                        names.extend(std::str::from_utf8(value).ok().map(str::to_string));
                    }
                }
            }
        }
    }
    (names, true)
}

/// Extension ::= SEQUENCE { extnID OBJECT IDENTIFIER,
///     critical BOOLEAN DEFAULT FALSE, extnValue OCTET STRING }
fn extension(content: &[u8]) -> Result<Extension<'_>, Malformed> {
    let mut reader = Reader::new(content);
    let oid = reader.read(OBJECT_IDENTIFIER)?;
    if !valid_oid(oid) {
        return Err(Malformed);
    }
    // An explicit FALSE breaks DER's DEFAULT rule but is common in the wild
    // and accepted by OpenSSL and webpki alike; other values than 00/FF are not.
    let critical = match reader.read_optional(BOOLEAN)? {
        None | Some(&[0x00]) => false,
        Some(&[0xff]) => true,
        Some(_) => return Err(Malformed),
    };
    let value = reader.read(OCTET_STRING)?;
    reader.finish()?;
    Ok(Extension {
        oid,
        critical,
        value,
    })
}

/// Minimal base-128 subidentifiers: none starts with 0x80, the last ends.
fn valid_oid(content: &[u8]) -> bool {
    let Some(&last) = content.last() else {
        return false;
    };
    let mut at_start = true;
    for &b in content {
        if at_start && b == 0x80 {
            return false;
        }
        at_start = b & 0x80 == 0;
    }
    last & 0x80 == 0
}

/// The contents of the UTF8String that starts `data` (primitive, DER length,
/// valid UTF-8).
fn utf8_string(data: &[u8]) -> Result<&[u8], Malformed> {
    let content = Reader::new(data).read(UTF8_STRING)?;
    std::str::from_utf8(content).map_err(|_| Malformed)?;
    Ok(content)
}

/// DER content octets of the OID `text` names: dotted decimal ("2.5.29.17"),
/// or an extension's OpenSSL short or long name ("subjectAltName",
/// "X509v3 Subject Alternative Name"; case matters, as in OpenSSL).
pub(crate) fn oid_from_text(text: &[u8]) -> Option<Vec<u8>> {
    let dotted = EXTENSION_NAMES
        .iter()
        .find(|(_, short, long)| text == short.as_bytes() || text == long.as_bytes())
        .map_or(text, |(dotted, _, _)| dotted.as_bytes());
    encode_dotted(dotted)
}

/// Dotted decimal to DER content octets: at least two arcs, the first 0 to
/// 2, the second below 40 unless the first is 2, no empty arcs, no signs or
/// spaces, no leading zeros, each arc (and 40 × first + second) within 64 bits.
fn encode_dotted(text: &[u8]) -> Option<Vec<u8>> {
    let mut arcs = text.split(|&b| b == b'.').map(parse_arc);
    let first = arcs.next()??;
    let second = arcs.next()??;
    if first > 2 || (first < 2 && second >= 40) {
        return None;
    }
    let mut out = Vec::new();
    push_base128(&mut out, (40 * first).checked_add(second)?);
    for arc in arcs {
        push_base128(&mut out, arc?);
    }
    Some(out)
}

fn parse_arc(digits: &[u8]) -> Option<u64> {
    if digits.is_empty() || (digits.len() > 1 && digits.starts_with(b"0")) {
        return None;
    }
    digits.iter().try_fold(0u64, |n, &d| {
        if !d.is_ascii_digit() {
            return None;
        }
        n.checked_mul(10)?.checked_add(u64::from(d - b'0'))
    })
}

fn push_base128(out: &mut Vec<u8>, n: u64) {
    let groups = (u64::BITS - n.leading_zeros()).div_ceil(7).max(1);
    for i in (0..groups).rev() {
        let more = if i > 0 { 0x80 } else { 0 };
        out.push(((n >> (7 * i)) & 0x7f) as u8 | more);
    }
}

/// Certificate extensions by OpenSSL short and long name (the long name is
/// the short one where OpenSSL has none), for OID text given by name.
const EXTENSION_NAMES: &[(&str, &str, &str)] = &[
    (
        "2.5.29.9",
        "subjectDirectoryAttributes",
        "X509v3 Subject Directory Attributes",
    ),
    (
        "2.5.29.14",
        "subjectKeyIdentifier",
        "X509v3 Subject Key Identifier",
    ),
    ("2.5.29.15", "keyUsage", "X509v3 Key Usage"),
    (
        "2.5.29.16",
        "privateKeyUsagePeriod",
        "X509v3 Private Key Usage Period",
    ),
    (
        "2.5.29.17",
        "subjectAltName",
        "X509v3 Subject Alternative Name",
    ),
    (
        "2.5.29.18",
        "issuerAltName",
        "X509v3 Issuer Alternative Name",
    ),
    ("2.5.29.19", "basicConstraints", "X509v3 Basic Constraints"),
    ("2.5.29.20", "crlNumber", "X509v3 CRL Number"),
    ("2.5.29.21", "CRLReason", "X509v3 CRL Reason Code"),
    ("2.5.29.23", "holdInstructionCode", "Hold Instruction Code"),
    ("2.5.29.24", "invalidityDate", "Invalidity Date"),
    ("2.5.29.27", "deltaCRL", "X509v3 Delta CRL Indicator"),
    (
        "2.5.29.28",
        "issuingDistributionPoint",
        "X509v3 Issuing Distribution Point",
    ),
    (
        "2.5.29.29",
        "certificateIssuer",
        "X509v3 Certificate Issuer",
    ),
    ("2.5.29.30", "nameConstraints", "X509v3 Name Constraints"),
    (
        "2.5.29.31",
        "crlDistributionPoints",
        "X509v3 CRL Distribution Points",
    ),
    (
        "2.5.29.32",
        "certificatePolicies",
        "X509v3 Certificate Policies",
    ),
    ("2.5.29.33", "policyMappings", "X509v3 Policy Mappings"),
    (
        "2.5.29.35",
        "authorityKeyIdentifier",
        "X509v3 Authority Key Identifier",
    ),
    (
        "2.5.29.36",
        "policyConstraints",
        "X509v3 Policy Constraints",
    ),
    ("2.5.29.37", "extendedKeyUsage", "X509v3 Extended Key Usage"),
    ("2.5.29.46", "freshestCRL", "X509v3 Freshest CRL"),
    ("2.5.29.54", "inhibitAnyPolicy", "X509v3 Inhibit Any Policy"),
    ("2.5.29.55", "targetInformation", "X509v3 AC Targeting"),
    ("2.5.29.56", "noRevAvail", "X509v3 No Revocation Available"),
    (
        "1.3.6.1.5.5.7.1.1",
        "authorityInfoAccess",
        "Authority Information Access",
    ),
    ("1.3.6.1.5.5.7.1.2", "biometricInfo", "Biometric Info"),
    ("1.3.6.1.5.5.7.1.3", "qcStatements", "qcStatements"),
    ("1.3.6.1.5.5.7.1.4", "ac-auditEntity", "ac-auditEntity"),
    ("1.3.6.1.5.5.7.1.5", "ac-targeting", "ac-targeting"),
    ("1.3.6.1.5.5.7.1.6", "aaControls", "aaControls"),
    ("1.3.6.1.5.5.7.1.7", "sbgp-ipAddrBlock", "sbgp-ipAddrBlock"),
    (
        "1.3.6.1.5.5.7.1.8",
        "sbgp-autonomousSysNum",
        "sbgp-autonomousSysNum",
    ),
    (
        "1.3.6.1.5.5.7.1.9",
        "sbgp-routerIdentifier",
        "sbgp-routerIdentifier",
    ),
    ("1.3.6.1.5.5.7.1.10", "ac-proxying", "ac-proxying"),
    (
        "1.3.6.1.5.5.7.1.11",
        "subjectInfoAccess",
        "Subject Information Access",
    ),
    (
        "1.3.6.1.5.5.7.1.14",
        "proxyCertInfo",
        "Proxy Certificate Information",
    ),
    ("1.3.6.1.5.5.7.1.24", "tlsfeature", "TLS Feature"),
    (
        "1.3.6.1.5.5.7.1.28",
        "sbgp-ipAddrBlockv2",
        "sbgp-ipAddrBlockv2",
    ),
    (
        "1.3.6.1.5.5.7.1.29",
        "sbgp-autonomousSysNumv2",
        "sbgp-autonomousSysNumv2",
    ),
    ("1.3.6.1.5.5.7.48.1.5", "noCheck", "OCSP No Check"),
    (
        "1.3.6.1.4.1.11129.2.4.2",
        "ct_precert_scts",
        "CT Precertificate SCTs",
    ),
    (
        "1.3.6.1.4.1.11129.2.4.3",
        "ct_precert_poison",
        "CT Precertificate Poison",
    ),
    (
        "1.3.6.1.4.1.11129.2.4.4",
        "ct_precert_signer",
        "CT Precertificate Signer",
    ),
    (
        "1.3.6.1.4.1.11129.2.4.5",
        "ct_cert_scts",
        "CT Certificate SCTs",
    ),
    ("2.16.840.1.113730.1.1", "nsCertType", "Netscape Cert Type"),
    ("2.16.840.1.113730.1.2", "nsBaseUrl", "Netscape Base Url"),
    (
        "2.16.840.1.113730.1.3",
        "nsRevocationUrl",
        "Netscape Revocation Url",
    ),
    (
        "2.16.840.1.113730.1.4",
        "nsCaRevocationUrl",
        "Netscape CA Revocation Url",
    ),
    (
        "2.16.840.1.113730.1.7",
        "nsRenewalUrl",
        "Netscape Renewal Url",
    ),
    (
        "2.16.840.1.113730.1.8",
        "nsCaPolicyUrl",
        "Netscape CA Policy Url",
    ),
    (
        "2.16.840.1.113730.1.12",
        "nsSslServerName",
        "Netscape SSL Server Name",
    ),
    ("2.16.840.1.113730.1.13", "nsComment", "Netscape Comment"),
];

#[cfg(test)]
mod tests;

// ---------------------------------------------------------------------------
// What a security policy's certificate preferences look at.

/// A certificate key's type, as s2n's certificate key preferences name it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum KeyKind {
    Rsa,
    RsaPss,
    Ec,
    MlDsa87,
}

/// A key type and size (for EC keys, the curve's size).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct CertKey(pub KeyKind, pub u32);

/// One certificate's facts for a policy: the TLS signature scheme codes its
/// own signature counts as (empty if unknown), its key, and whether it is
/// self-signed (issuer and subject are the same name).
pub(crate) struct CertPolicyInfo {
    pub signature: &'static [u16],
    pub key: Option<CertKey>,
    pub self_signed: bool,
}

const RSA_PSS_SCHEMES: &[u16] = &[0x0804, 0x0805, 0x0806, 0x0809, 0x080a, 0x080b];

/// Certificate signature algorithm OIDs (content octets) and the scheme
/// codes s2n matches them with (by libcrypto NID: every RSA-PSS scheme
/// shares one).
const SIGNATURE_OIDS: &[(&[u8], &[u16])] = &[
    (
        &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x05],
        &[0x0201],
    ),
    (
        &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0e],
        &[0x0301],
    ),
    (
        &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b],
        &[0x0401],
    ),
    (
        &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0c],
        &[0x0501],
    ),
    (
        &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0d],
        &[0x0601],
    ),
    (
        &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0a],
        RSA_PSS_SCHEMES,
    ),
    (&[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x01], &[0x0203]),
    (&[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x01], &[0x0303]),
    (&[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02], &[0x0403]),
    (&[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x03], &[0x0503]),
    (&[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x04], &[0x0603]),
    (&[0x2b, 0x65, 0x70], &[0x0807]),
    // id-ml-dsa-44, -65, -87 (RFC 9881)
    (
        &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x03, 0x11],
        &[0x0904],
    ),
    (
        &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x03, 0x12],
        &[0x0905],
    ),
    (ML_DSA_87, &[0x0906]),
];

const RSA_ENCRYPTION: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];
const RSASSA_PSS: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0a];
const EC_PUBLIC_KEY: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01];
const ML_DSA_87: &[u8] = &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x03, 0x13];
const CURVES: &[(&[u8], u32)] = &[
    (&[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07], 256),
    (&[0x2b, 0x81, 0x04, 0x00, 0x22], 384),
    (&[0x2b, 0x81, 0x04, 0x00, 0x23], 521),
];

/// None for a certificate that does not parse.
pub(crate) fn cert_policy_info(cert_der: &[u8]) -> Option<CertPolicyInfo> {
    policy_info(cert_der).ok()
}

fn policy_info(cert_der: &[u8]) -> Result<CertPolicyInfo, Malformed> {
    let cert = parse(cert_der)?;
    let signature = SIGNATURE_OIDS
        .iter()
        .find(|(oid, _)| *oid == cert.signature_oid)
        .map_or(&[][..], |(_, codes)| *codes);
    Ok(CertPolicyInfo {
        signature,
        key: public_key(cert.spki).ok(),
        self_signed: cert.issuer == cert.subject,
    })
}

/// The key type and size of a SubjectPublicKeyInfo's content.
fn public_key(spki: &[u8]) -> Result<CertKey, Malformed> {
    let mut spki = Reader::new(spki);
    let mut algorithm = Reader::new(spki.read(SEQUENCE)?);
    let key = spki.read(BIT_STRING)?;
    let oid = algorithm.read(OBJECT_IDENTIFIER)?;
    let rsa_bits = || -> Result<u32, Malformed> {
        // RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER }
        let (_unused_bits, der) = key.split_first().ok_or(Malformed)?;
        let mut rsa = Reader::new(whole(der, SEQUENCE)?);
        let modulus = rsa.read(INTEGER)?;
        let digits: &[u8] = match modulus.iter().position(|&b| b != 0) {
            Some(first) => &modulus[first..],
            None => &[],
        };
        let top = digits.first().map_or(0, |b| 8 - b.leading_zeros());
        u32::try_from(digits.len().saturating_sub(1) * 8)
            .map(|bits| bits + top)
            .map_err(|_| Malformed)
    };
    match oid {
        RSA_ENCRYPTION => Ok(CertKey(KeyKind::Rsa, rsa_bits()?)),
        RSASSA_PSS => Ok(CertKey(KeyKind::RsaPss, rsa_bits()?)),
        ML_DSA_87 => Ok(CertKey(KeyKind::MlDsa87, 20736)),
        EC_PUBLIC_KEY => {
            let curve = algorithm.read(OBJECT_IDENTIFIER)?;
            CURVES
                .iter()
                .find(|(c, _)| *c == curve)
                .map(|(_, bits)| CertKey(KeyKind::Ec, *bits))
                .ok_or(Malformed)
        }
        _ => Err(Malformed),
    }
}
