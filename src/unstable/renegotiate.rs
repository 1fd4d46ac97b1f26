//! `s2n/unstable/renegotiate.h`: TLS1.2 renegotiation. A client asked to
//! renegotiate (a server's HelloRequest, read by `record::kernel`) asks the
//! application's callback, and ignores or rejects the request as it says,
//! as s2n does; renegotiating itself is a new handshake on the same
//! connection, which rustls cannot do.

use crate::ffi::c_enum_arg;
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
