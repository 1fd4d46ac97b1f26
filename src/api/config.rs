//! The exported functions of `crate::config` (C arguments in, the core
//! called, s2n's result out).

use crate::cert_chain::CertChainAndKey;
use crate::config::Config;
use crate::config::*;
use crate::error::Error;
use crate::error::S2N_ERR_CERT_OWNERSHIP;
use crate::error::S2N_ERR_INVALID_ARGUMENT;
use crate::ffi;
use crate::ffi::ArcHandle;
use crate::ffi::CPtr;
use crate::types::*;
use std::ffi::c_char;
use std::ffi::c_int;
use std::ffi::c_void;
use std::sync::Arc;

/// A config with the default policy that trusts the system's CA store (loaded on first use).
#[unsafe(no_mangle)]
pub extern "C" fn s2n_config_new() -> *mut s2n_config {
    ffi::entry(|| Ok(s2n_config::into_handle(Arc::new(Config::new(true)))))
}

/// A config that trusts nothing until told.
#[unsafe(no_mangle)]
pub extern "C" fn s2n_config_new_minimal() -> *mut s2n_config {
    ffi::entry(|| Ok(s2n_config::into_handle(Arc::new(Config::new(false)))))
}

/// Releases the application's reference; connections still using the config keep it alive.
#[unsafe(no_mangle)]
pub extern "C" fn s2n_config_free(config: *mut s2n_config) -> c_int {
    ffi::entry(|| {
        s2n_config::release(config)?;
        Ok(S2N_SUCCESS)
    })
}

/// Drops the chains the config owns (those added with `s2n_config_add_cert_chain_and_key`).
#[unsafe(no_mangle)]
pub extern "C" fn s2n_config_free_cert_chain_and_key(config: *mut s2n_config) -> c_int {
    Config::set(config, |state| {
        if state.ownership == Ownership::Config {
            state.chains.clear();
            state.defaults = None;
            state.ownership = Ownership::None;
        }
        Ok(())
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_config_set_wall_clock(
    config: *mut s2n_config,
    clock_fn: s2n_clock_time_nanoseconds,
    ctx: *mut c_void,
) -> c_int {
    Config::set(config, |state| {
        state.wall_clock = clock(clock_fn, ctx)?;
        Ok(())
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_config_set_monotonic_clock(
    config: *mut s2n_config,
    clock_fn: s2n_clock_time_nanoseconds,
    ctx: *mut c_void,
) -> c_int {
    Config::set(config, |state| {
        state.monotonic_clock = clock(clock_fn, ctx)?;
        Ok(())
    })
}

/// Partial: the callback chooses between chains of one key type matching the
/// client's server name during each handshake; s2n-tls asks once per name of
/// each chain while the chains are added.
#[unsafe(no_mangle)]
pub extern "C" fn s2n_config_set_cert_tiebreak_callback(
    config: *mut s2n_config,
    cert_tiebreak_cb: s2n_cert_tiebreak_callback,
) -> c_int {
    Config::set(config, |state| {
        state.cert_tiebreak = cert_tiebreak_cb;
        Ok(())
    })
}

/// Deprecated form: the config makes the chain and owns it.
#[unsafe(no_mangle)]
pub extern "C" fn s2n_config_add_cert_chain_and_key(
    config: *mut s2n_config,
    cert_chain_pem: *const c_char,
    private_key_pem: *const c_char,
) -> c_int {
    Config::set(config, |state| {
        if state.ownership == Ownership::Application {
            return Err(Error::new(S2N_ERR_CERT_OWNERSHIP));
        }
        let chain = CertChainAndKey::default();
        let certs = ffi::c_bytes_str(cert_chain_pem)?.to_bytes();
        let key = ffi::c_bytes_str(private_key_pem)?.to_bytes();
        chain.load(certs, Some(key), &state.policy.provider())?;
        chain.check_policy(state.policy)?;
        state.chains.push(Arc::new(chain));
        state.ownership = Ownership::Config;
        Ok(())
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_config_add_cert_chain_and_key_to_store(
    config: *mut s2n_config,
    cert_key_pair: *mut s2n_cert_chain_and_key,
) -> c_int {
    Config::set(config, |state| {
        if state.ownership == Ownership::Config {
            return Err(Error::new(S2N_ERR_CERT_OWNERSHIP));
        }
        let chain = s2n_cert_chain_and_key::share(cert_key_pair)?;
        chain.certified()?;
        chain.check_policy(state.policy)?;
        state.chains.push(chain);
        state.ownership = Ownership::Application;
        Ok(())
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_config_set_cert_chain_and_key_defaults(
    config: *mut s2n_config,
    cert_key_pairs: *mut *mut s2n_cert_chain_and_key,
    num_cert_key_pairs: u32,
) -> c_int {
    Config::set(config, |state| {
        if state.ownership == Ownership::Config {
            return Err(Error::new(S2N_ERR_CERT_OWNERSHIP));
        }
        // One to s2n's number of key types (RSA, RSA-PSS, ECDSA, ML-DSA).
        if cert_key_pairs.is_null() {
            return Err(Error::new(crate::error::S2N_ERR_NULL));
        }
        if !(1..=4).contains(&num_cert_key_pairs) {
            return Err(Error::new(crate::error::S2N_ERR_NUM_DEFAULT_CERTIFICATES));
        }
        let handles = ffi::c_ptr_array(cert_key_pairs.cast_const(), num_cert_key_pairs as usize)?;
        let mut defaults = Vec::with_capacity(handles.len());
        let mut algorithms = Vec::new();
        for handle in handles {
            let chain = s2n_cert_chain_and_key::share(*handle)?;
            let algorithm = chain.certified()?.key.algorithm();
            // One default per key type, as s2n requires.
            if algorithms.contains(&algorithm) {
                return Err(Error::new(
                    crate::error::S2N_ERR_MULTIPLE_DEFAULT_CERTIFICATES_PER_AUTH_TYPE,
                ));
            }
            algorithms.push(algorithm);
            defaults.push(chain);
        }
        for chain in &defaults {
            if !state.chains.iter().any(|c| Arc::ptr_eq(c, chain)) {
                state.chains.push(chain.clone());
            }
        }
        state.defaults = Some(defaults);
        state.ownership = Ownership::Application;
        Ok(())
    })
}

/// Enabled: each handshake signature is checked against the certificate
/// before it is sent (an async operation's output too), failing with
/// `S2N_ERR_VERIFY_SIGNATURE`.
#[unsafe(no_mangle)]
pub extern "C" fn s2n_config_set_verify_after_sign(
    config: *mut s2n_config,
    mode: VerifyAfterSignArg,
) -> c_int {
    Config::set(config, |state| {
        state.signing.verify_after_sign = match mode.get()? {
            s2n_verify_after_sign::S2N_VERIFY_AFTER_SIGN_DISABLED => false,
            s2n_verify_after_sign::S2N_VERIFY_AFTER_SIGN_ENABLED => true,
        };
        Ok(())
    })
}

/// Partial: the size is checked and kept, but s2nrs writes each call's
/// records out at once rather than gathering them up to this size.
#[unsafe(no_mangle)]
pub extern "C" fn s2n_config_set_send_buffer_size(config: *mut s2n_config, size: u32) -> c_int {
    Config::set(config, |state| {
        if size == 0 {
            return Err(Error::new(S2N_ERR_INVALID_ARGUMENT));
        }
        state.send_buffer_size = Some(size);
        Ok(())
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_config_set_recv_multi_record(
    config: *mut s2n_config,
    enabled: bool,
) -> c_int {
    Config::set(config, |state| {
        state.recv_multi_record = enabled;
        Ok(())
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_config_append_protocol_preference(
    config: *mut s2n_config,
    protocol: *const u8,
    protocol_len: u8,
) -> c_int {
    Config::set(config, |state| {
        append_protocol(&mut state.alpn, protocol, protocol_len)
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_config_set_protocol_preferences(
    config: *mut s2n_config,
    protocols: *const *const c_char,
    protocol_count: c_int,
) -> c_int {
    Config::set(config, |state| {
        set_protocols(&mut state.alpn, protocols, protocol_count)
    })
}

/// Partial: servers staple what their chain carries when asked; rustls clients
/// always ask for a stapled response, so `S2N_STATUS_REQUEST_NONE` does not stop them.
#[unsafe(no_mangle)]
pub extern "C" fn s2n_config_set_status_request_type(
    config: *mut s2n_config,
    r#type: StatusRequestTypeArg,
) -> c_int {
    Config::set(config, |state| {
        state.status_request = r#type.get()? == s2n_status_request_type::S2N_STATUS_REQUEST_OCSP;
        Ok(())
    })
}

/// Partial: `S2N_CT_SUPPORT_NONE` (the default) succeeds;
/// `S2N_CT_SUPPORT_REQUEST` fails with `S2N_ERR_UNIMPLEMENTED`.
#[unsafe(no_mangle)]
pub extern "C" fn s2n_config_set_ct_support_level(
    config: *mut s2n_config,
    level: CtSupportLevelArg,
) -> c_int {
    Config::set(config, |_| match level.get()? {
        s2n_ct_support_level::S2N_CT_SUPPORT_NONE => Ok(()),
        s2n_ct_support_level::S2N_CT_SUPPORT_REQUEST => Err(Error::unimplemented(
            "rustls 0.23 neither requests nor sends signed certificate timestamps",
        )),
    })
}

/// Partial: rustls always treats warning alerts other than close_notify as
/// it does (ignores them, failing only on too many); the setting is kept.
#[unsafe(no_mangle)]
pub extern "C" fn s2n_config_set_alert_behavior(
    config: *mut s2n_config,
    alert_behavior: AlertBehaviorArg,
) -> c_int {
    Config::set(config, |state| {
        state.alert_behavior = alert_behavior.get()?;
        Ok(())
    })
}

/// Partial: `S2N_EXTENSION_OCSP_STAPLING` sets the OCSP response of the
/// config's default chain, as in s2n; `S2N_EXTENSION_CERTIFICATE_TRANSPARENCY`
/// fails with `S2N_ERR_UNIMPLEMENTED` (rustls cannot send an SCT list).
#[unsafe(no_mangle)]
pub extern "C" fn s2n_config_set_extension_data(
    config: *mut s2n_config,
    r#type: TlsExtensionTypeArg,
    data: *const u8,
    length: u32,
) -> c_int {
    Config::set(config, |state| {
        // As s2n: the config's single default chain (RSA first), which the config must own.
        let defaults = state.default_chains();
        let rsa = defaults.iter().find(|c| {
            c.certified()
                .is_ok_and(|k| k.key.algorithm() == rustls::SignatureAlgorithm::RSA)
        });
        let chain = rsa
            .or(defaults.first())
            .ok_or_else(|| Error::new(crate::error::S2N_ERR_UPDATING_EXTENSION))?;
        if state.ownership != Ownership::Config {
            return Err(Error::new(S2N_ERR_CERT_OWNERSHIP));
        }
        let bytes = ffi::slice(data, length as usize)?;
        let slot = match r#type.get()? {
            s2n_tls_extension_type::S2N_EXTENSION_OCSP_STAPLING => &chain.ocsp,
            s2n_tls_extension_type::S2N_EXTENSION_CERTIFICATE_TRANSPARENCY => {
                return Err(Error::unimplemented(
                    "rustls 0.23 cannot send signed certificate timestamps",
                ));
            }
            _ => return Err(Error::new(crate::error::S2N_ERR_UNRECOGNIZED_EXTENSION)),
        };
        *slot.lock().unwrap_or_else(|e| e.into_inner()) =
            (!bytes.is_empty()).then(|| bytes.to_vec());
        Ok(())
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_config_send_max_fragment_length(
    config: *mut s2n_config,
    mfl_code: MaxFragLenArg,
) -> c_int {
    let _ = (config, mfl_code);
    ffi::unsupported("rustls has no max_fragment_length extension (RFC 6066)")
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_config_accept_max_fragment_length(config: *mut s2n_config) -> c_int {
    let _ = config;
    ffi::unsupported("rustls has no max_fragment_length extension (RFC 6066)")
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_config_set_ctx(config: *mut s2n_config, ctx: *mut c_void) -> c_int {
    ffi::entry(|| {
        // The context is not part of what rustls is built from: no rebuild.
        s2n_config::get(config)?
            .state
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .ctx = CPtr(ctx);
        Ok(S2N_SUCCESS)
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_config_get_ctx(config: *mut s2n_config, ctx: *mut *mut c_void) -> c_int {
    ffi::entry(|| {
        let config = s2n_config::get(config)?;
        *ffi::out(ctx)? = config.read().ctx.0;
        Ok(S2N_SUCCESS)
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_config_set_max_blinding_delay(
    config: *mut s2n_config,
    seconds: u32,
) -> c_int {
    Config::set(config, |state| {
        state.max_blinding_delay_secs = seconds;
        Ok(())
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_config_get_client_auth_type(
    config: *mut s2n_config,
    client_auth_type: *mut CertAuthTypeArg,
) -> c_int {
    ffi::entry(|| {
        let config = s2n_config::get(config)?;
        *ffi::out(client_auth_type)? = config
            .read()
            .client_auth
            .unwrap_or(s2n_cert_auth_type::S2N_CERT_AUTH_NONE)
            .into();
        Ok(S2N_SUCCESS)
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_config_set_client_auth_type(
    config: *mut s2n_config,
    client_auth_type: CertAuthTypeArg,
) -> c_int {
    Config::set(config, |state| {
        state.client_auth = Some(client_auth_type.get()?);
        Ok(())
    })
}

/// The application receives every secret of its connections as an NSS key
/// log line (for debugging with tools such as Wireshark).
#[unsafe(no_mangle)]
pub extern "C" fn s2n_config_set_key_log_cb(
    config: *mut s2n_config,
    callback: s2n_key_log_fn,
    ctx: *mut c_void,
) -> c_int {
    Config::set(config, |state| {
        state.key_log = callback.map(|f| (Some(f), CPtr(ctx)));
        Ok(())
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_config_enable_cert_req_dss_legacy_compat(config: *mut s2n_config) -> c_int {
    let _ = config;
    ffi::unsupported(
        "rustls fixes the certificate types of its TLS1.2 CertificateRequest and cannot add the DSS ones",
    )
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_config_set_serialization_version(
    config: *mut s2n_config,
    version: SerializationVersionArg,
) -> c_int {
    Config::set(config, |state| {
        // s2n takes only version 1 (not even NONE), and not beside renegotiation.
        if version.0 != s2n_serialization_version::S2N_SERIALIZED_CONN_V1 as c_int {
            return Err(Error::new(crate::error::S2N_ERR_SAFETY));
        }
        if state.renegotiate_cb.is_some() {
            return Err(Error::with_reason(
                crate::error::S2N_ERR_INVALID_STATE,
                "a config cannot both renegotiate and serialize connections",
            ));
        }
        state.serializable = true;
        Ok(())
    })
}

/// A chain without its private key, which the config makes and owns: its
/// signatures come from the async pkey callback.
#[unsafe(no_mangle)]
pub extern "C" fn s2n_config_add_cert_chain(
    config: *mut s2n_config,
    cert_chain_pem: *mut u8,
    cert_chain_pem_size: u32,
) -> c_int {
    Config::set(config, |state| {
        // Deprecated form, allowed once per config.
        if state.ownership != Ownership::None {
            return Err(Error::new(S2N_ERR_CERT_OWNERSHIP));
        }
        let chain = CertChainAndKey::default();
        let pem = ffi::slice(cert_chain_pem, cert_chain_pem_size as usize)?;
        chain.load(pem, None, &state.policy.provider())?;
        chain.check_policy(state.policy)?;
        state.chains.push(Arc::new(chain));
        state.ownership = Ownership::Config;
        Ok(())
    })
}

/// Partial: the PEM is parsed and checked as s2n does (PKCS#3 structure, a
/// prime of at least 2048 bits, non-zero prime and generator) except for
/// libcrypto's `DH_check` primality tests, and kept; rustls has no DHE cipher
/// suites, so the parameters are never used.
#[unsafe(no_mangle)]
pub extern "C" fn s2n_config_add_dhparams(
    config: *mut s2n_config,
    dhparams_pem: *const c_char,
) -> c_int {
    use crate::error::{
        S2N_ERR_DH_PARAMETER_CHECK, S2N_ERR_DH_PARAMS_CREATE, S2N_ERR_INVALID_PEM,
        S2N_ERR_INVALID_PKCS3,
    };

    /// The base64 body of the first "DH PARAMETERS" PEM block.
    fn pem_body(pem: &[u8]) -> Result<Vec<u8>, Error> {
        const BEGIN: &str = "-----BEGIN DH PARAMETERS-----";
        const END: &str = "-----END DH PARAMETERS-----";
        let text = std::str::from_utf8(pem).map_err(|_| Error::new(S2N_ERR_INVALID_PEM))?;
        let start = text
            .find(BEGIN)
            .ok_or_else(|| Error::new(S2N_ERR_INVALID_PEM))?
            + BEGIN.len();
        let len = text[start..]
            .find(END)
            .ok_or_else(|| Error::new(S2N_ERR_INVALID_PEM))?;
        let mut out = Vec::new();
        let (mut acc, mut bits) = (0u32, 0u32);
        for c in text[start..start + len].bytes() {
            let v = match c {
                b'A'..=b'Z' => c - b'A',
                b'a'..=b'z' => c - b'a' + 26,
                b'0'..=b'9' => c - b'0' + 52,
                b'+' => 62,
                b'/' => 63,
                b'=' => break,
                c if c.is_ascii_whitespace() => continue,
                _ => return Err(Error::new(S2N_ERR_INVALID_PEM)),
            };
            acc = (acc << 6) | u32::from(v);
            bits += 6;
            if bits >= 8 {
                bits -= 8;
                out.push((acc >> bits) as u8);
                acc &= (1 << bits) - 1;
            }
        }
        if out.is_empty() {
            return Err(Error::new(S2N_ERR_INVALID_PEM));
        }
        Ok(out)
    }

    /// One DER element with `tag`: its contents and what follows.
    fn der(input: &[u8], tag: u8) -> Option<(&[u8], &[u8])> {
        let (&t, rest) = input.split_first()?;
        let (&first, rest) = rest.split_first()?;
        if t != tag {
            return None;
        }
        let (len, rest) = if first < 0x80 {
            (usize::from(first), rest)
        } else {
            let n = usize::from(first & 0x7f);
            if n == 0 || n > 4 || rest.len() < n {
                return None;
            }
            let len = rest[..n]
                .iter()
                .fold(0usize, |acc, &b| (acc << 8) | usize::from(b));
            (len, &rest[n..])
        };
        (rest.len() >= len).then(|| rest.split_at(len))
    }

    /// DHParameter ::= SEQUENCE { prime INTEGER, base INTEGER, privateValueLength INTEGER OPTIONAL }
    fn check(der_bytes: &[u8]) -> Result<(), Error> {
        let pkcs3 = || Error::new(S2N_ERR_INVALID_PKCS3);
        let (seq, trailing) = der(der_bytes, 0x30).ok_or_else(pkcs3)?;
        if !trailing.is_empty() {
            return Err(pkcs3());
        }
        let (p, rest) = der(seq, 0x02).ok_or_else(pkcs3)?;
        let (g, rest) = der(rest, 0x02).ok_or_else(pkcs3)?;
        if !rest.is_empty() && der(rest, 0x02).is_none_or(|(_, more)| !more.is_empty()) {
            return Err(pkcs3());
        }
        let magnitude =
            |n: &'_ [u8]| -> Vec<u8> { n.iter().copied().skip_while(|&b| b == 0).collect() };
        let (p, g) = (magnitude(p), magnitude(g));
        if p.is_empty() || g.is_empty() {
            return Err(Error::new(S2N_ERR_DH_PARAMS_CREATE));
        }
        // s2n requires DH_size (the prime's size in bytes) of at least 256,
        // checked (with S2N_ERR_DH_PARAMS_CREATE) before S2N_ERR_DH_TOO_SMALL could be.
        if p.len() < 256 {
            return Err(Error::new(S2N_ERR_DH_PARAMS_CREATE));
        }
        // What DH_check can be done without a bignum library: an odd prime
        // and a generator other than 1.
        if p[p.len() - 1] & 1 == 0 || g == [1] {
            return Err(Error::new(S2N_ERR_DH_PARAMETER_CHECK));
        }
        Ok(())
    }

    Config::set(config, |state| {
        let pem = ffi::c_bytes_str(dhparams_pem)?.to_bytes();
        let der_bytes = pem_body(pem)?;
        check(&der_bytes)?;
        state.dhparams = Some(der_bytes);
        Ok(())
    })
}

/// Drops the parameters `s2n_config_add_dhparams` kept.
#[unsafe(no_mangle)]
pub extern "C" fn s2n_config_free_dhparams(config: *mut s2n_config) -> c_int {
    Config::set(config, |state| {
        state.dhparams = None;
        Ok(())
    })
}
