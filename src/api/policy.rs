//! The exported functions of `crate::policy` (C arguments in, the core
//! called, s2n's result out).

use crate::connection::Connection;
use crate::error::Error;
use crate::ffi;
use crate::ffi::ArcHandle;
use crate::policy::*;
use crate::types::*;
use std::ffi::c_char;
use std::ffi::c_int;

/// Partial: every name s2n accepts is accepted, but a policy's suites,
/// versions and groups that rustls lacks are left out (README.md,
/// "Differences"); a handshake with a policy of which nothing is left fails
/// with `S2N_ERR_CIPHER_NOT_SUPPORTED`.
#[unsafe(no_mangle)]
pub extern "C" fn s2n_config_set_cipher_preferences(
    config: *mut s2n_config,
    version: *const c_char,
) -> c_int {
    ffi::entry(|| {
        let config = s2n_config::get(config)?;
        let policy = by_name(ffi::c_str(version)?)?;
        config.update(|state| {
            for chain in &state.chains {
                chain.check_policy(policy)?;
            }
            state.policy = policy;
            Ok(())
        })?;
        Ok(S2N_SUCCESS)
    })
}

/// Partial: every name s2n accepts is accepted, but a policy's suites,
/// versions and groups that rustls lacks are left out (README.md,
/// "Differences"); a handshake with a policy of which nothing is left fails
/// with `S2N_ERR_CIPHER_NOT_SUPPORTED`.
#[unsafe(no_mangle)]
pub extern "C" fn s2n_connection_set_cipher_preferences(
    conn: *mut s2n_connection,
    version: *const c_char,
) -> c_int {
    ffi::entry(|| {
        let conn = Connection::from_handle(conn)?;
        let policy = by_name(ffi::c_str(version)?)?;
        conn.configure(|state| {
            state.settings.overrides.policy = Some(policy);
            Ok(())
        })?;
        Ok(S2N_SUCCESS)
    })
}

/// 1 if what the connection negotiated (version, suite, group) is allowed by
/// the named policy, 0 if not (or not negotiated yet).
#[unsafe(no_mangle)]
pub extern "C" fn s2n_connection_is_valid_for_cipher_preferences(
    conn: *mut s2n_connection,
    version: *const c_char,
) -> c_int {
    ffi::entry(|| {
        let conn = Connection::from_handle(conn)?;
        let policy = by_name(ffi::c_str(version)?)?;
        let state = conn.state();
        // As s2n: 0 until a cipher suite has been negotiated.
        let Some(tls) = state
            .tls
            .as_ref()
            .filter(|t| t.negotiated_cipher_suite().is_some())
        else {
            return Ok(0);
        };
        let version_ok = tls
            .protocol_version()
            .is_some_and(|v| policy.versions().iter().any(|p| p.version == v));
        let suite_ok = tls
            .negotiated_cipher_suite()
            .is_some_and(|s| policy.suite_names().contains(&s2n_cipher_name(s.suite())));
        let group_ok = tls
            .negotiated_key_exchange_group()
            .is_none_or(|g| policy.groups().contains(&g.name()));
        Ok(c_int::from(version_ok && suite_ok && group_ok))
    })
}

/// The IANA values of the groups the config's policy offers, in order.
#[unsafe(no_mangle)]
pub extern "C" fn s2n_config_get_supported_groups(
    config: *mut s2n_config,
    groups: *mut u16,
    groups_count_max: u16,
    groups_count: *mut u16,
) -> c_int {
    ffi::entry(|| {
        let config = s2n_config::get(config)?;
        let count = ffi::out(groups_count)?;
        *count = 0;
        let policy = config.read().policy;
        let list = policy.groups();
        if list.len() > usize::from(groups_count_max) {
            return Err(Error::new(crate::error::S2N_ERR_INSUFFICIENT_MEM_SIZE));
        }
        let out = ffi::slice_mut(groups.cast(), list.len() * 2)?;
        for (chunk, group) in out.chunks_exact_mut(2).zip(list) {
            chunk.copy_from_slice(&u16::from(*group).to_ne_bytes());
        }
        *count = list.len() as u16;
        Ok(S2N_SUCCESS)
    })
}
