//! `s2n/unstable/allow_ip_in_cn.h`. The exported functions: C arguments in, s2n's result out.

use crate::config::Config;
use crate::error::Error;
use crate::error::S2N_ERR_INVALID_ARGUMENT;
use crate::ffi;
use crate::types::*;
use std::ffi::c_int;

/// Lets hostname checks fall back to a Common Name that is an IP address
/// (when the certificate has no subjectAltName), as s2n does with this set.
/// A NULL config is `S2N_ERR_INVALID_ARGUMENT`, as in s2n.
#[unsafe(no_mangle)]
pub extern "C" fn s2n_config_allow_ip_in_cn(config: *mut s2n_config) -> c_int {
    if config.is_null() {
        return ffi::entry(|| Err(Error::new(S2N_ERR_INVALID_ARGUMENT)));
    }
    Config::set(config, |state| {
        state.allow_ip_in_cn = true;
        Ok(())
    })
}
