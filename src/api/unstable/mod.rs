//! `s2n/unstable/*.h`, one module per header.

pub mod allow_ip_in_cn;
pub mod async_offload;
pub mod cert_authorities;
pub mod cleanup;
pub mod crl;
pub mod custom_x509_extensions;
pub mod events;
pub mod fingerprint;
pub mod ktls;
pub mod npn;
pub mod renegotiate;
