//! `s2n/unstable/ktls.h`: kernel TLS offload. The exported functions: C
//! arguments in, s2n's result out.

use crate::ffi;
use crate::types::*;
use std::ffi::c_int;

#[unsafe(no_mangle)]
pub extern "C" fn s2n_connection_ktls_enable_send(conn: *mut s2n_connection) -> c_int {
    let _ = conn;
    ffi::unavailable(
        crate::error::S2N_ERR_KTLS_UNSUPPORTED_PLATFORM,
        "s2nrs protects records in user space after the handshake (record::kernel holds the traffic secrets and sequence numbers a kernel needs through setsockopt(SOL_TLS, TLS_TX/TLS_RX)), and offloads nothing to the kernel, which has no tls module to test it on",
    )
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_connection_ktls_enable_recv(conn: *mut s2n_connection) -> c_int {
    let _ = conn;
    ffi::unavailable(
        crate::error::S2N_ERR_KTLS_UNSUPPORTED_PLATFORM,
        "s2nrs protects records in user space after the handshake (record::kernel holds the traffic secrets and sequence numbers a kernel needs through setsockopt(SOL_TLS, TLS_TX/TLS_RX)), and offloads nothing to the kernel, which has no tls module to test it on",
    )
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_config_ktls_enable_unsafe_tls13(config: *mut s2n_config) -> c_int {
    let _ = config;
    ffi::unavailable(
        crate::error::S2N_ERR_KTLS_UNSUPPORTED_PLATFORM,
        "s2nrs does not offload records to kernel TLS, so there is no TLS1.3 kTLS to allow",
    )
}

/// Key updates sent and received since the handshake (those rustls made
/// for early data's buffered connection are counted sent only).
#[unsafe(no_mangle)]
pub extern "C" fn s2n_connection_get_key_update_counts(
    conn: *mut s2n_connection,
    send_key_updates: *mut u8,
    recv_key_updates: *mut u8,
) -> c_int {
    ffi::entry(|| {
        let conn = crate::connection::Connection::from_handle(conn)?;
        let (send, recv) = (ffi::out(send_key_updates)?, ffi::out(recv_key_updates)?);
        let [sent, received] = conn
            .state()
            .tls
            .as_ref()
            .map_or([0; 2], |t| t.key_updates());
        *send = sent;
        *recv = received;
        Ok(S2N_SUCCESS)
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_sendfile(
    conn: *mut s2n_connection,
    fd: c_int,
    offset: libc::off_t,
    count: usize,
    bytes_written: *mut usize,
    blocked: *mut BlockedStatusArg,
) -> c_int {
    let _ = (conn, fd, offset, count, bytes_written, blocked);
    ffi::unavailable(
        crate::error::S2N_ERR_KTLS_UNSUPPORTED_PLATFORM,
        "s2nrs does not offload records to kernel TLS, which sendfile needs to encrypt file data in the kernel",
    )
}
