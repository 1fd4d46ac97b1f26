//! s2nrs: the public C API of s2n-tls on rustls and aws-lc-rs.
//!
//! Every exported `s2n_*` function is in `api`, named after s2n's areas
//! (`s2n_config_*` in `api::config`, each `s2n/unstable/<name>.h` in
//! `api::unstable::<name>`): C arguments in through `ffi`, the core called,
//! s2n's result out. The core modules (`config`, `connection`, `io`, ...)
//! never import `api`. All `unsafe` code is in `ffi`.

pub mod ffi;

pub mod api;

pub mod alloc;
pub mod async_pkey;
pub mod cert_chain;
pub mod client_hello;
pub mod config;
pub mod connection;
pub mod early_data;
pub mod error;
pub mod init;
pub mod io;
pub mod notes;
pub mod policy;
pub mod psk;
pub mod quic;
pub mod record;
pub mod session;
pub mod trust;
pub mod types;
pub mod unstable;
pub mod x509;
