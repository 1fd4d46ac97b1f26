//! `s2n_config_add_dhparams` and `s2n_config_free_dhparams`: Diffie-Hellman
//! parameters, checked and kept as s2n does, though rustls has no DHE suites.

use std::ffi::{c_char, c_int};

use super::Config;
use crate::error::Error;
use crate::ffi;
use crate::types::*;

/// Partial: the PEM is parsed and checked as s2n does (PKCS#3 structure, a
/// prime of at least 2048 bits, non-zero prime and generator) except for
/// libcrypto's `DH_check` primality tests, and kept; rustls has no DHE cipher
/// suites, so the parameters are never used.
#[unsafe(no_mangle)]
pub extern "C" fn s2n_config_add_dhparams(
    config: *mut s2n_config,
    dhparams_pem: *const c_char,
) -> c_int {
    use crate::error::{
        S2N_ERR_DH_PARAMETER_CHECK, S2N_ERR_DH_PARAMS_CREATE, S2N_ERR_INVALID_PEM,
        S2N_ERR_INVALID_PKCS3,
    };

    /// The base64 body of the first "DH PARAMETERS" PEM block.
    fn pem_body(pem: &[u8]) -> Result<Vec<u8>, Error> {
        const BEGIN: &str = "-----BEGIN DH PARAMETERS-----";
        const END: &str = "-----END DH PARAMETERS-----";
        let text = std::str::from_utf8(pem).map_err(|_| Error::new(S2N_ERR_INVALID_PEM))?;
        let start = text
            .find(BEGIN)
            .ok_or_else(|| Error::new(S2N_ERR_INVALID_PEM))?
            + BEGIN.len();
        let len = text[start..]
            .find(END)
            .ok_or_else(|| Error::new(S2N_ERR_INVALID_PEM))?;
        let mut out = Vec::new();
        let (mut acc, mut bits) = (0u32, 0u32);
        for c in text[start..start + len].bytes() {
            let v = match c {
                b'A'..=b'Z' => c - b'A',
                b'a'..=b'z' => c - b'a' + 26,
                b'0'..=b'9' => c - b'0' + 52,
                b'+' => 62,
                b'/' => 63,
                b'=' => break,
                c if c.is_ascii_whitespace() => continue,
                _ => return Err(Error::new(S2N_ERR_INVALID_PEM)),
            };
            acc = (acc << 6) | u32::from(v);
            bits += 6;
            if bits >= 8 {
                bits -= 8;
                out.push((acc >> bits) as u8);
                acc &= (1 << bits) - 1;
            }
        }
        if out.is_empty() {
            return Err(Error::new(S2N_ERR_INVALID_PEM));
        }
        Ok(out)
    }

    /// One DER element with `tag`: its contents and what follows.
    fn der(input: &[u8], tag: u8) -> Option<(&[u8], &[u8])> {
        let (&t, rest) = input.split_first()?;
        let (&first, rest) = rest.split_first()?;
        if t != tag {
            return None;
        }
        let (len, rest) = if first < 0x80 {
            (usize::from(first), rest)
        } else {
            let n = usize::from(first & 0x7f);
            if n == 0 || n > 4 || rest.len() < n {
                return None;
            }
            let len = rest[..n]
                .iter()
                .fold(0usize, |acc, &b| (acc << 8) | usize::from(b));
            (len, &rest[n..])
        };
        (rest.len() >= len).then(|| rest.split_at(len))
    }

    /// DHParameter ::= SEQUENCE { prime INTEGER, base INTEGER, privateValueLength INTEGER OPTIONAL }
    fn check(der_bytes: &[u8]) -> Result<(), Error> {
        let pkcs3 = || Error::new(S2N_ERR_INVALID_PKCS3);
        let (seq, trailing) = der(der_bytes, 0x30).ok_or_else(pkcs3)?;
        if !trailing.is_empty() {
            return Err(pkcs3());
        }
        let (p, rest) = der(seq, 0x02).ok_or_else(pkcs3)?;
        let (g, rest) = der(rest, 0x02).ok_or_else(pkcs3)?;
        if !rest.is_empty() && der(rest, 0x02).is_none_or(|(_, more)| !more.is_empty()) {
            return Err(pkcs3());
        }
        let magnitude =
            |n: &'_ [u8]| -> Vec<u8> { n.iter().copied().skip_while(|&b| b == 0).collect() };
        let (p, g) = (magnitude(p), magnitude(g));
        if p.is_empty() || g.is_empty() {
            return Err(Error::new(S2N_ERR_DH_PARAMS_CREATE));
        }
        // s2n requires DH_size (the prime's size in bytes) of at least 256,
        // checked (with S2N_ERR_DH_PARAMS_CREATE) before S2N_ERR_DH_TOO_SMALL could be.
        if p.len() < 256 {
            return Err(Error::new(S2N_ERR_DH_PARAMS_CREATE));
        }
        // What DH_check can be done without a bignum library: an odd prime
        // and a generator other than 1.
        if p[p.len() - 1] & 1 == 0 || g == [1] {
            return Err(Error::new(S2N_ERR_DH_PARAMETER_CHECK));
        }
        Ok(())
    }

    Config::set(config, |state| {
        let pem = ffi::c_bytes_str(dhparams_pem)?.to_bytes();
        let der_bytes = pem_body(pem)?;
        check(&der_bytes)?;
        state.dhparams = Some(der_bytes);
        Ok(())
    })
}

/// Drops the parameters `s2n_config_add_dhparams` kept.
#[unsafe(no_mangle)]
pub extern "C" fn s2n_config_free_dhparams(config: *mut s2n_config) -> c_int {
    Config::set(config, |state| {
        state.dhparams = None;
        Ok(())
    })
}
