//! JA3: "version,ciphers,extensions,groups,point_formats", each a '-'-joined
//! list of decimal values in wire order, GREASE values left out.
//!
//! As in s2n: the version is the legacy version field; the extensions are
//! every extension in the block (known to s2n or not); the groups and point
//! formats are read from their extensions without checking the inner list
//! length, and such an extension too short for its length prefix or with a
//! trailing odd byte fails the whole fingerprint with
//! `S2N_ERR_STUFFER_OUT_OF_DATA`.

use super::{Out, legacy_version, out_of_data, u16_of};
use crate::client_hello::ClientHello;
use crate::client_hello::parse::is_grease;
use crate::error::Error;

const EXT_SUPPORTED_GROUPS: u16 = 10;
const EXT_EC_POINT_FORMATS: u16 = 11;

/// Writes the raw JA3 string of `hello`.
pub(crate) fn write(hello: &ClientHello, out: &mut Out) -> Result<(), Error> {
    list(out, [Ok(legacy_version(hello))])?;
    out.text(b",")?;
    list(
        out,
        hello
            .cipher_suites()
            .chunks(2)
            .map(|pair| u16_of(pair).ok_or_else(out_of_data)),
    )?;
    out.text(b",")?;
    list(out, hello.extension_list().map(|(ty, _)| Ok(ty)))?;
    out.text(b",")?;
    if let Some(data) = hello.extension(EXT_SUPPORTED_GROUPS) {
        // The two-byte list length is skipped, not checked.
        let groups = data.get(2..).ok_or_else(out_of_data)?;
        list(
            out,
            groups
                .chunks(2)
                .map(|pair| u16_of(pair).ok_or_else(out_of_data)),
        )?;
    }
    out.text(b",")?;
    if let Some(data) = hello.extension(EXT_EC_POINT_FORMATS) {
        // The one-byte list length is skipped, not checked.
        let formats = data.get(1..).ok_or_else(out_of_data)?;
        list(out, formats.iter().map(|&f| Ok(u16::from(f))))?;
    }
    Ok(())
}

/// Writes the non-GREASE values as decimal, '-' between them, failing at
/// the first value that could not be read.
fn list(out: &mut Out, values: impl IntoIterator<Item = Result<u16, Error>>) -> Result<(), Error> {
    let mut first = true;
    for value in values {
        let value = value?;
        if is_grease(value) {
            continue;
        }
        if !first {
            out.text(b"-")?;
        }
        first = false;
        // Decimal on the stack: the hash path allocates nothing.
        let mut digits = [0u8; 5];
        let mut start = digits.len();
        let mut rest = value;
        loop {
            start -= 1;
            digits[start] = b'0' + (rest % 10) as u8;
            rest /= 10;
            if rest == 0 {
                break;
            }
        }
        out.text(&digits[start..])?;
    }
    Ok(())
}
