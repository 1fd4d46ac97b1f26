//! s2nrs: the public C API of s2n-tls on rustls and aws-lc-rs.
//!
//! Every exported `s2n_*` function is in `api`, named after s2n's areas
//! (`s2n_config_*` in `api::config`, each `s2n/unstable/<name>.h` in
//! `api::unstable::<name>`): C arguments in through `ffi`, the core called,
//! s2n's result out. The core modules (`config`, `connection`, `io`, ...)
//! never import `api`. All `unsafe` code is in `ffi`.

pub mod ffi;

pub mod api;

// Public only where the Rust tests (tests/) reach into them; the rest are
// crate-private, so the compiler reports what nothing uses.
pub(crate) mod alloc;
pub(crate) mod async_pkey;
pub(crate) mod cert_chain;
pub mod client_hello;
pub(crate) mod config;
pub mod connection;
pub(crate) mod early_data;
pub mod error;
pub(crate) mod init;
pub(crate) mod io;
pub(crate) mod notes;
pub mod policy;
pub(crate) mod psk;
pub(crate) mod quic;
pub(crate) mod record;
pub(crate) mod session;
pub(crate) mod trust;
pub mod types;
pub mod unstable;
pub(crate) mod x509;
