//! The exported functions of `crate::psk` (C arguments in, the core
//! called, s2n's result out).

use crate::error::Error;
use crate::error::S2N_ERR_HMAC_INVALID_ALGORITHM;
use crate::error::S2N_ERR_INVALID_ARGUMENT;
use crate::error::S2N_ERR_NULL;
use crate::ffi;
use crate::ffi::BoxHandle;
use crate::psk::*;
use crate::types::*;
use std::cell::RefCell;
use std::ffi::c_int;
use std::ffi::c_void;

/// Partial: makes the PSK object; no handshake can use it (see
/// `s2n_connection_append_psk`).
#[unsafe(no_mangle)]
pub extern "C" fn s2n_external_psk_new() -> *mut s2n_psk {
    ffi::entry(|| {
        Ok(s2n_psk::into_handle(RefCell::new(Psk {
            identity: Vec::new(),
            secret: Default::default(),
            hmac: s2n_psk_hmac::S2N_PSK_HMAC_SHA256,
        })))
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_psk_free(psk: *mut *mut s2n_psk) -> c_int {
    ffi::entry(|| {
        s2n_psk::free_slot(psk)?;
        Ok(S2N_SUCCESS)
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_psk_set_identity(
    psk: *mut s2n_psk,
    identity: *const u8,
    identity_size: u16,
) -> c_int {
    ffi::entry(|| {
        let psk = s2n_psk::get(psk)?;
        if identity.is_null() {
            return Err(Error::new(S2N_ERR_NULL));
        }
        if identity_size == 0 {
            return Err(Error::new(S2N_ERR_INVALID_ARGUMENT));
        }
        psk.borrow_mut().identity = ffi::slice(identity, usize::from(identity_size))?.to_vec();
        Ok(S2N_SUCCESS)
    })
}

/// As s2n, an empty or all-zero secret is refused (an application error
/// that would otherwise go unnoticed).
#[unsafe(no_mangle)]
pub extern "C" fn s2n_psk_set_secret(
    psk: *mut s2n_psk,
    secret: *const u8,
    secret_size: u16,
) -> c_int {
    ffi::entry(|| {
        let psk = s2n_psk::get(psk)?;
        if secret.is_null() {
            return Err(Error::new(S2N_ERR_NULL));
        }
        let secret = ffi::slice(secret, usize::from(secret_size))?;
        if secret.iter().all(|&b| b == 0) {
            return Err(Error::new(S2N_ERR_INVALID_ARGUMENT));
        }
        psk.borrow_mut().secret = zeroize::Zeroizing::new(secret.to_vec());
        Ok(S2N_SUCCESS)
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_psk_set_hmac(psk: *mut s2n_psk, hmac: PskHmacArg) -> c_int {
    ffi::entry(|| {
        let psk = s2n_psk::get(psk)?;
        let hmac = hmac
            .get()
            .map_err(|_| Error::new(S2N_ERR_HMAC_INVALID_ALGORITHM))?;
        psk.borrow_mut().hmac = hmac;
        Ok(S2N_SUCCESS)
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_connection_append_psk(conn: *mut s2n_connection, psk: *mut s2n_psk) -> c_int {
    let _ = (conn, psk);
    ffi::unsupported(
        "rustls has no API for external pre-shared keys, only resumption tickets: a PSK can be built but not used",
    )
}

/// Partial: `S2N_PSK_MODE_RESUMPTION` (the default) succeeds;
/// `S2N_PSK_MODE_EXTERNAL` fails with `S2N_ERR_UNIMPLEMENTED`, as rustls has
/// no external pre-shared keys.
#[unsafe(no_mangle)]
pub extern "C" fn s2n_config_set_psk_mode(config: *mut s2n_config, mode: PskModeArg) -> c_int {
    crate::config::Config::set(config, |_| resumption_only(mode))
}

/// Partial: `S2N_PSK_MODE_RESUMPTION` (the default) succeeds;
/// `S2N_PSK_MODE_EXTERNAL` fails with `S2N_ERR_UNIMPLEMENTED`, as rustls has
/// no external pre-shared keys.
#[unsafe(no_mangle)]
pub extern "C" fn s2n_connection_set_psk_mode(
    conn: *mut s2n_connection,
    mode: PskModeArg,
) -> c_int {
    ffi::entry(|| {
        crate::connection::Connection::from_handle(conn)?;
        resumption_only(mode)?;
        Ok(S2N_SUCCESS)
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_connection_get_negotiated_psk_identity_length(
    conn: *mut s2n_connection,
    identity_length: *mut u16,
) -> c_int {
    let _ = (conn, identity_length);
    ffi::unsupported(
        "rustls has no external PSKs and does not expose the identity (ticket) of a resumed session",
    )
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_connection_get_negotiated_psk_identity(
    conn: *mut s2n_connection,
    identity: *mut u8,
    max_identity_length: u16,
) -> c_int {
    let _ = (conn, identity, max_identity_length);
    ffi::unsupported(
        "rustls has no external PSKs and does not expose the identity (ticket) of a resumed session",
    )
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_offered_psk_new() -> *mut s2n_offered_psk {
    ffi::unsupported(
        "rustls offers no hook for a server to see or choose among the PSKs a client offers",
    )
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_offered_psk_free(psk: *mut *mut s2n_offered_psk) -> c_int {
    let _ = psk;
    ffi::unsupported(
        "rustls offers no hook for a server to see or choose among the PSKs a client offers",
    )
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_offered_psk_get_identity(
    psk: *mut s2n_offered_psk,
    identity: *mut *mut u8,
    size: *mut u16,
) -> c_int {
    let _ = (psk, identity, size);
    ffi::unsupported(
        "rustls offers no hook for a server to see or choose among the PSKs a client offers",
    )
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_offered_psk_list_has_next(psk_list: *mut s2n_offered_psk_list) -> bool {
    let _ = psk_list;
    ffi::unsupported(
        "rustls offers no hook for a server to see or choose among the PSKs a client offers",
    )
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_offered_psk_list_next(
    psk_list: *mut s2n_offered_psk_list,
    psk: *mut s2n_offered_psk,
) -> c_int {
    let _ = (psk_list, psk);
    ffi::unsupported(
        "rustls offers no hook for a server to see or choose among the PSKs a client offers",
    )
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_offered_psk_list_reread(psk_list: *mut s2n_offered_psk_list) -> c_int {
    let _ = psk_list;
    ffi::unsupported(
        "rustls offers no hook for a server to see or choose among the PSKs a client offers",
    )
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_offered_psk_list_choose_psk(
    psk_list: *mut s2n_offered_psk_list,
    psk: *mut s2n_offered_psk,
) -> c_int {
    let _ = (psk_list, psk);
    ffi::unsupported(
        "rustls offers no hook for a server to see or choose among the PSKs a client offers",
    )
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_config_set_psk_selection_callback(
    config: *mut s2n_config,
    cb: s2n_psk_selection_callback,
    context: *mut c_void,
) -> c_int {
    let _ = (config, cb, context);
    ffi::unsupported(
        "rustls offers no hook for a server to see or choose among the PSKs a client offers",
    )
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_psk_configure_early_data(
    psk: *mut s2n_psk,
    max_early_data_size: u32,
    cipher_suite_first_byte: u8,
    cipher_suite_second_byte: u8,
) -> c_int {
    let _ = (
        psk,
        max_early_data_size,
        cipher_suite_first_byte,
        cipher_suite_second_byte,
    );
    ffi::unsupported("rustls has no API for external pre-shared keys, only resumption tickets")
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_psk_set_application_protocol(
    psk: *mut s2n_psk,
    application_protocol: *const u8,
    size: u8,
) -> c_int {
    let _ = (psk, application_protocol, size);
    ffi::unsupported("rustls has no API for external pre-shared keys, only resumption tickets")
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_psk_set_early_data_context(
    psk: *mut s2n_psk,
    context: *const u8,
    size: u16,
) -> c_int {
    let _ = (psk, context, size);
    ffi::unsupported("rustls has no API for external pre-shared keys, only resumption tickets")
}
