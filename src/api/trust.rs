//! The exported functions of `crate::trust` (C arguments in, the core
//! called, s2n's result out).

use crate::error::Error;
use crate::error::S2N_ERR_INVALID_ARGUMENT;
use crate::error::S2N_ERR_NULL;
use crate::ffi;
use crate::ffi::ArcHandle;
use crate::ffi::CPtr;
use crate::trust::*;
use crate::types::*;
use std::ffi::c_char;
use std::ffi::c_int;
use std::ffi::c_void;
use std::path::Path;

#[unsafe(no_mangle)]
pub extern "C" fn s2n_config_set_verification_ca_location(
    config: *mut s2n_config,
    ca_pem_filename: *const c_char,
    ca_dir: *const c_char,
) -> c_int {
    update_trust(config, |trust| {
        if ca_pem_filename.is_null() && ca_dir.is_null() {
            return Err(Error::new(S2N_ERR_NULL));
        }
        let file = (!ca_pem_filename.is_null())
            .then(|| ffi::c_str(ca_pem_filename))
            .transpose()?;
        let dir = (!ca_dir.is_null())
            .then(|| ffi::c_str(ca_dir))
            .transpose()?;
        trust.add_location(file.map(Path::new), dir.map(Path::new))
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_config_add_pem_to_trust_store(
    config: *mut s2n_config,
    pem: *const c_char,
) -> c_int {
    update_trust(config, |trust| {
        trust.add_pem(ffi::c_bytes_str(pem)?.to_bytes())
    })
}

/// Empties the trust store, including system certificates not loaded yet.
#[unsafe(no_mangle)]
pub extern "C" fn s2n_config_wipe_trust_store(config: *mut s2n_config) -> c_int {
    update_trust(config, |trust| {
        trust.wipe();
        trust.system_pending = false;
        trust.system_loaded = false;
        Ok(())
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_config_load_system_certs(config: *mut s2n_config) -> c_int {
    update_trust(config, |trust| {
        // Once only: s2n_config_new's configs have them already.
        if trust.system_pending || trust.system_loaded {
            return Err(Error::new(crate::error::S2N_ERR_X509_TRUST_STORE));
        }
        trust.system_pending = true;
        trust.load_pending_system();
        Ok(())
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_config_set_verify_host_callback(
    config: *mut s2n_config,
    verify_host_fn: s2n_verify_host_fn,
    data: *mut c_void,
) -> c_int {
    update_trust(config, |trust| {
        trust.verify_host = verify_host_fn.map(|f| (Some(f), CPtr(data)));
        Ok(())
    })
}

/// Partial: 0 (no check) is accepted; asking for the stapled response to be
/// verified fails with S2N_ERR_OCSP_NOT_SUPPORTED, as s2n-tls does on a
/// libcrypto without OCSP (webpki does not verify OCSP responses).
#[unsafe(no_mangle)]
pub extern "C" fn s2n_config_set_check_stapled_ocsp_response(
    config: *mut s2n_config,
    check_ocsp: u8,
) -> c_int {
    ffi::entry(|| {
        s2n_config::get(config)?;
        if check_ocsp != 0 {
            return Err(Error::with_reason(
                crate::error::S2N_ERR_OCSP_NOT_SUPPORTED,
                "s2nrs does not verify stapled OCSP responses",
            ));
        }
        Ok(S2N_SUCCESS)
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_config_disable_x509_time_verification(config: *mut s2n_config) -> c_int {
    update_trust(config, |trust| {
        trust.check_time = false;
        Ok(())
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_config_disable_x509_intent_verification(config: *mut s2n_config) -> c_int {
    if config.is_null() {
        return ffi::entry(|| Err(Error::new(S2N_ERR_INVALID_ARGUMENT)));
    }
    update_trust(config, |trust| {
        trust.check_intent = false;
        Ok(())
    })
}

/// Turns off all checks of the peer's certificate (testing only, as in s2n).
#[unsafe(no_mangle)]
pub extern "C" fn s2n_config_disable_x509_verification(config: *mut s2n_config) -> c_int {
    update_trust(config, |trust| {
        trust.verify = false;
        Ok(())
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_config_set_max_cert_chain_depth(
    config: *mut s2n_config,
    max_depth: u16,
) -> c_int {
    update_trust(config, |trust| {
        if max_depth == 0 {
            return Err(Error::new(S2N_ERR_INVALID_ARGUMENT));
        }
        trust.max_depth = max_depth;
        Ok(())
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_connection_set_verify_host_callback(
    conn: *mut s2n_connection,
    host_fn: s2n_verify_host_fn,
    data: *mut c_void,
) -> c_int {
    ffi::entry(|| {
        crate::connection::Connection::from_handle(conn)?.configure(|state| {
            state.settings.overrides.verify_host = Some((host_fn, CPtr(data)));
            Ok(())
        })?;
        Ok(S2N_SUCCESS)
    })
}

/// Partial: rustls servers send the names in TLS1.2 CertificateRequests
/// too (s2n only in TLS1.3's certificate_authorities extension).
#[unsafe(no_mangle)]
pub extern "C" fn s2n_config_set_cert_authorities_from_trust_store(
    config: *mut s2n_config,
) -> c_int {
    crate::config::Config::set(config, |state| {
        // s2n refuses once the system store is in (too many names to send).
        if state.trust.system_pending || state.trust.system_loaded {
            return Err(Error::new(crate::error::S2N_ERR_INVALID_STATE));
        }
        let names = state.trust.roots.subjects();
        let size: usize = names.iter().map(|n| 2 + n.as_ref().len()).sum();
        if size > CERT_AUTHORITIES_MAX_SIZE {
            return Err(Error::new(crate::error::S2N_ERR_TOO_MANY_CAS));
        }
        state.cert_authorities = names;
        Ok(())
    })
}
