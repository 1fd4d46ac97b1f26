//! JA4 (FoxIO's JA4.md at df3c067, as s2n-tls implements it): "a_b_c" where
//!
//! - a (10 characters): 't', or 'q' with a quic_transport_parameters
//!   extension; the version ("13", "12", "11", "10", "s3", "s2", else "00"),
//!   the highest non-GREASE entry of supported_versions if that extension can
//!   be read, else the legacy version field; 'd' with an SNI extension, else
//!   'i'; the number of non-GREASE cipher suites and of non-GREASE extensions
//!   (SNI and ALPN included), two digits each, capped at 99; the first and
//!   last characters of the first ALPN protocol ("00" without one), or the
//!   first and last hex digits of it when either character is not ASCII
//!   alphanumeric;
//! - b: the non-GREASE cipher suites as 4-digit lowercase hex, sorted,
//!   ','-joined;
//! - c: the non-GREASE extensions except SNI and ALPN, the same way, then
//!   (when there is at least one non-GREASE signature algorithm) '_' and the
//!   signature algorithms in wire order.
//!
//! That is the raw string; the hash string replaces b and c with the first 12
//! hex digits of their SHA-256, or "000000000000" for an empty one.
//!
//! As in s2n, an unreadable supported_versions or ALPN extension counts as
//! absent, while a signature_algorithms extension with a trailing odd byte
//! fails the fingerprint with `S2N_ERR_STUFFER_OUT_OF_DATA`.

use std::ops::Range;

use super::{Out, legacy_version, out_of_data, u16_of};
use crate::client_hello::ClientHello;
use crate::client_hello::parse::is_grease;
use crate::error::Error;

/// Length of part a.
pub(super) const PREFIX_LEN: usize = 10;

const EXT_SERVER_NAME: u16 = 0;
const EXT_SIGNATURE_ALGORITHMS: u16 = 13;
const EXT_ALPN: u16 = 16;
const EXT_SUPPORTED_VERSIONS: u16 = 43;
const EXT_QUIC_TRANSPORT_PARAMETERS: u16 = 0x39;

const HEX_DIGITS: &[u8; 16] = b"0123456789abcdef";

/// Where parts b and c lie in the raw string (without separators).
pub(super) struct Parts {
    pub b: Range<usize>,
    pub c: Range<usize>,
}

/// Writes the raw JA4 string of `hello`, in the order and with the write
/// sizes s2n uses, and says where its hashed parts are.
pub(super) fn write(hello: &ClientHello, out: &mut Out) -> Result<Parts, Error> {
    let mut ciphers: Vec<u16> = hello
        .cipher_suites()
        .chunks(2)
        .filter_map(u16_of)
        .filter(|&c| !is_grease(c))
        .collect();
    ciphers.sort_unstable();

    let mut extension_count = 0;
    let mut extensions = Vec::new();
    for (ty, _) in hello.extension_list() {
        if is_grease(ty) {
            continue;
        }
        extension_count += 1;
        if ty != EXT_SERVER_NAME && ty != EXT_ALPN {
            extensions.push(ty);
        }
    }
    extensions.sort_unstable();

    // Part a.
    let quic = hello.extension(EXT_QUIC_TRANSPORT_PARAMETERS).is_some();
    out.direct(if quic { b"q" } else { b"t" })?;
    out.direct(version_str(version(hello)))?;
    let sni = hello.extension(EXT_SERVER_NAME).is_some();
    out.direct(if sni { b"d" } else { b"i" })?;
    out.direct(&count(ciphers.len()))?;
    out.direct(&count(extension_count))?;
    let [first, last] = alpn(hello);
    out.direct(&[first])?;
    out.direct(&[last])?;
    out.direct(b"_")?;

    // Part b.
    let b_start = out.len();
    if !ciphers.is_empty() {
        out.text(&hex_list(&ciphers))?;
    }
    let b = b_start..out.len();
    out.direct(b"_")?;

    // Part c.
    let c_start = out.len();
    if !extensions.is_empty() {
        out.text(&hex_list(&extensions))?;
    }
    signature_algorithms(hello, out)?;
    Ok(Parts {
        b,
        c: c_start..out.len(),
    })
}

/// The version part a describes.
fn version(hello: &ClientHello) -> u16 {
    let from_extension = hello.extension(EXT_SUPPORTED_VERSIONS).and_then(|data| {
        // The one-byte list length is skipped, not checked.
        let mut highest = 0;
        for pair in data.get(1..)?.chunks(2) {
            let version = u16_of(pair)?;
            if !is_grease(version) {
                highest = highest.max(version);
            }
        }
        Some(highest)
    });
    from_extension.unwrap_or_else(|| legacy_version(hello))
}

fn version_str(version: u16) -> &'static [u8] {
    match version {
        0x0304 => b"13",
        0x0303 => b"12",
        0x0302 => b"11",
        0x0301 => b"10",
        0x0300 => b"s3",
        0x0002 => b"s2",
        _ => b"00",
    }
}

/// Two decimal digits, capped at 99.
fn count(n: usize) -> [u8; 2] {
    let n = n.min(99) as u8;
    [b'0' + n / 10, b'0' + n % 10]
}

/// The two ALPN characters of part a.
fn alpn(hello: &ClientHello) -> [u8; 2] {
    let protocol = hello
        .extension(EXT_ALPN)
        .and_then(|data| {
            // The two-byte list length is skipped, not checked.
            let (&len, rest) = data.get(2..)?.split_first()?;
            rest.get(..usize::from(len))
        })
        .unwrap_or_default();
    let (first, last) = match protocol {
        [] => (b'0', b'0'),
        [first, .., last] => (*first, *last),
        [only] => (*only, *only),
    };
    if first.is_ascii_alphanumeric() && last.is_ascii_alphanumeric() {
        [first, last]
    } else {
        [
            HEX_DIGITS[usize::from(first >> 4)],
            HEX_DIGITS[usize::from(last & 0x0f)],
        ]
    }
}

/// Four lowercase hex digits.
fn hex4(value: u16) -> [u8; 4] {
    let [hi, lo] = value.to_be_bytes();
    [
        HEX_DIGITS[usize::from(hi >> 4)],
        HEX_DIGITS[usize::from(hi & 0x0f)],
        HEX_DIGITS[usize::from(lo >> 4)],
        HEX_DIGITS[usize::from(lo & 0x0f)],
    ]
}

/// The values as 4-digit hex, ','-joined.
fn hex_list(values: &[u16]) -> Vec<u8> {
    let mut text = Vec::with_capacity(values.len() * 5);
    for (i, &value) in values.iter().enumerate() {
        if i > 0 {
            text.push(b',');
        }
        text.extend_from_slice(&hex4(value));
    }
    text
}

/// Appends '_' and the signature algorithms in wire order, one write per
/// entry as s2n makes them; nothing without a non-GREASE one.
fn signature_algorithms(hello: &ClientHello, out: &mut Out) -> Result<(), Error> {
    let Some(data) = hello.extension(EXT_SIGNATURE_ALGORITHMS) else {
        return Ok(());
    };
    // The two-byte list length is skipped, not checked; without it, no list.
    let Some(list) = data.get(2..) else {
        return Ok(());
    };
    let mut first = true;
    for pair in list.chunks(2) {
        let scheme = u16_of(pair).ok_or_else(out_of_data)?;
        if is_grease(scheme) {
            continue;
        }
        if first {
            out.text(b"_")?;
            out.text(&hex4(scheme))?;
        } else {
            let [a, b, c, d] = hex4(scheme);
            out.text(&[b',', a, b, c, d])?;
        }
        first = false;
    }
    Ok(())
}
