//! Every exported function of the C API, by s2n's prefixes (`s2n_config_*`
//! in `config`, ...): C arguments in, the core called, s2n's result out.
//! The core modules never import this one.

pub mod alloc;
pub mod async_pkey;
pub mod cert_chain;
pub mod client_hello;
pub mod config;
pub mod connection;
pub mod connection_info;
pub mod early_data;
pub mod error;
pub mod init;
pub mod io;
pub mod policy;
pub mod psk;
pub mod quic;
pub mod session;
pub mod trust;
pub mod unstable;
