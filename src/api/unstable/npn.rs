//! `s2n/unstable/npn.h`: Next Protocol Negotiation, which rustls does not
//! implement. The exported functions: C arguments in, s2n's result out.

use crate::config::Config;
use crate::error::Error;
use crate::types::*;
use std::ffi::c_int;

/// Partial: disabling NPN (the default) succeeds; enabling it fails with
/// `S2N_ERR_UNIMPLEMENTED`, as rustls has no NPN extension.
#[unsafe(no_mangle)]
pub extern "C" fn s2n_config_set_npn(config: *mut s2n_config, enable: bool) -> c_int {
    Config::set(config, |_| {
        if enable {
            return Err(Error::unimplemented(
                "rustls has no Next Protocol Negotiation (NPN) extension",
            ));
        }
        Ok(())
    })
}
