//! The functions of `s2n/unstable/*.h`, one module per header.

#![forbid(unsafe_code)]

pub mod async_offload;
pub mod cert_authorities;
pub mod crl;
pub mod events;
pub mod fingerprint;
pub mod renegotiate;
