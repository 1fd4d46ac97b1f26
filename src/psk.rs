//! External pre-shared keys (`s2n_psk_*`, `s2n_offered_psk_*`). A PSK
//! object is built and checked as in s2n, but rustls 0.23 has no external
//! PSKs (its only PSKs are resumption tickets), so none can be used in a
//! handshake: `s2n_connection_append_psk` and the rest fail.

#![forbid(unsafe_code)]

use std::cell::RefCell;

use crate::ffi::BoxHandle;
use crate::types::*;

/// An external PSK as the application set it.
pub struct Psk {
    pub(crate) identity: Vec<u8>,
    pub(crate) secret: zeroize::Zeroizing<Vec<u8>>,
    pub(crate) hmac: s2n_psk_hmac,
}

impl BoxHandle for s2n_psk {
    type Rust = RefCell<Psk>;
}

/// Resumption is the only kind of PSK s2nrs (rustls) has.
pub(crate) fn resumption_only(mode: PskModeArg) -> Result<(), crate::error::Error> {
    match mode.get()? {
        s2n_psk_mode::S2N_PSK_MODE_RESUMPTION => Ok(()),
        s2n_psk_mode::S2N_PSK_MODE_EXTERNAL => Err(crate::error::Error::unimplemented(
            "rustls has no API for external pre-shared keys, only resumption tickets",
        )),
    }
}
