//! `s2n/unstable/events.h`: the exported functions of `crate::unstable::events`
//! (C arguments in, the core called, s2n's result out).

use crate::config::Config;
use crate::error::Error;
use crate::error::S2N_ERR_NULL;
use crate::ffi::CPtr;
use crate::types::*;
use crate::unstable::events::*;
use std::ffi::c_int;
use std::ffi::c_void;

#[unsafe(no_mangle)]
pub extern "C" fn s2n_config_set_subscriber(
    config: *mut s2n_config,
    subscriber: *mut c_void,
) -> c_int {
    Config::set(config, |state| {
        state.events.subscriber = CPtr(subscriber);
        Ok(())
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_config_set_handshake_event(
    config: *mut s2n_config,
    callback: s2n_event_on_handshake_cb,
) -> c_int {
    Config::set(config, |state| {
        state.events.on_handshake = callback;
        Ok(())
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_config_set_timing_checkpoint_cb(
    config: *mut s2n_config,
    callback: s2n_event_on_timing_checkpoint_cb,
) -> c_int {
    Config::set(config, |state| {
        if callback.is_none() {
            return Err(Error::new(S2N_ERR_NULL));
        }
        state.events.on_checkpoint = callback;
        Ok(())
    })
}
