//! `s2n/unstable/renegotiate.h`: TLS1.2 renegotiation. A client asked to
//! renegotiate (a server's HelloRequest, read by `io::kernel`) asks the
//! application's callback, and ignores or rejects the request as it says,
//! as s2n does; renegotiating itself is a new handshake on the same
//! connection, which rustls cannot do.

use crate::ffi::{self, CPtr, c_enum_arg};
use crate::types::*;
use std::ffi::{c_int, c_void};

#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum s2n_renegotiate_response {
    S2N_RENEGOTIATE_IGNORE = 0,
    S2N_RENEGOTIATE_REJECT = 1,
    S2N_RENEGOTIATE_ACCEPT = 2,
}
c_enum_arg!(RenegotiateResponseArg => s2n_renegotiate_response { S2N_RENEGOTIATE_IGNORE, S2N_RENEGOTIATE_REJECT, S2N_RENEGOTIATE_ACCEPT });

pub type s2n_renegotiate_request_cb = Option<
    unsafe extern "C" fn(
        conn: *mut s2n_connection,
        context: *mut c_void,
        response: *mut RenegotiateResponseArg,
    ) -> c_int,
>;

#[unsafe(no_mangle)]
pub extern "C" fn s2n_config_set_renegotiate_request_cb(
    config: *mut s2n_config,
    callback: s2n_renegotiate_request_cb,
    context: *mut c_void,
) -> c_int {
    crate::config::Config::set(config, |state| {
        if state.serializable {
            return Err(crate::error::Error::with_reason(
                crate::error::S2N_ERR_INVALID_STATE,
                "a config cannot both renegotiate and serialize connections",
            ));
        }
        state.renegotiate_cb = callback.map(|f| (Some(f), CPtr(context)));
        Ok(())
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_renegotiate_wipe(_conn: *mut s2n_connection) -> c_int {
    ffi::unsupported("rustls cannot renegotiate a TLS1.2 connection")
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_renegotiate(
    _conn: *mut s2n_connection,
    _app_data_buf: *mut u8,
    _app_data_buf_size: libc::ssize_t,
    _app_data_size: *mut libc::ssize_t,
    _blocked: *mut BlockedStatusArg,
) -> c_int {
    ffi::unsupported("rustls cannot renegotiate a TLS1.2 connection")
}
