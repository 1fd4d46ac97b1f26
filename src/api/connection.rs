//! The exported functions of `crate::connection` (C arguments in, the core
//! called, s2n's result out).

use crate::connection::Connection;
use crate::connection::records::*;
use crate::connection::*;
use crate::error::Error;
use crate::error::S2N_ERR_INVALID_STATE;
use crate::error::S2N_ERR_NO_PRIVATE_KEY;
use crate::error::S2N_ERR_NULL;
use crate::error::S2N_ERR_SERVER_NAME_TOO_LONG;
use crate::error::S2N_ERR_TOO_MANY_CERTIFICATES;
use crate::ffi;
use crate::ffi::ArcHandle;
use crate::ffi::BoxHandle;
use crate::record::RecvBuf;
use crate::record::SendBuf;
use crate::types::*;
use std::ffi::c_char;
use std::ffi::c_int;
use std::ffi::c_void;
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::AtomicU64;
use std::sync::atomic::Ordering;

/// A new connection holds only its settings: no buffers, no protocol state.
#[unsafe(no_mangle)]
pub extern "C" fn s2n_connection_new(mode: ModeArg) -> *mut s2n_connection {
    ffi::entry(|| {
        let mode = mode.get()?;
        Ok(s2n_connection::into_handle(Connection {
            mode,
            state: Mutex::new(State::new(default_config())),
            send: Mutex::new(SendBuf::default()),
            recv: Mutex::new(RecvBuf::default()),
            ctx: Default::default(),
            app_config: Default::default(),
            wire_in: AtomicU64::new(0),
            wire_out: AtomicU64::new(0),
        }))
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_connection_set_config(
    conn: *mut s2n_connection,
    config: *mut s2n_config,
) -> c_int {
    ffi::entry(|| {
        let conn = Connection::from_handle(conn)?;
        let config = s2n_config::share(config)?;
        let mut state = conn.state();
        // As s2n: a chain without its private key needs the async pkey callback.
        let settings = config.read();
        if settings.signing.async_pkey.is_none() && settings.chains.iter().any(|c| c.public_only())
        {
            return Err(Error::new(S2N_ERR_NO_PRIVATE_KEY));
        }
        // A connection's own policy must accept the config's chains, as s2n checks.
        if let Some(policy) = state.settings.overrides.policy {
            for chain in &settings.chains {
                chain.check_policy(policy)?;
            }
        }
        // As s2n: a client sends one certificate, so its config has one default.
        if conn.is_client() && settings.default_chains().len() > 1 {
            return Err(Error::new(S2N_ERR_TOO_MANY_CERTIFICATES));
        }
        drop(settings);
        conn.app_config
            .store(Arc::as_ptr(&config).cast_mut(), Ordering::Release);
        state.config = config;
        Ok(S2N_SUCCESS)
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_connection_set_ctx(conn: *mut s2n_connection, ctx: *mut c_void) -> c_int {
    ffi::entry(|| {
        Connection::unlocked(conn)?
            .ctx
            .store(ctx, Ordering::Relaxed);
        Ok(S2N_SUCCESS)
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_connection_get_ctx(conn: *mut s2n_connection) -> *mut c_void {
    ffi::entry(|| Ok(Connection::unlocked(conn)?.ctx.load(Ordering::Relaxed)))
}

/// Tells the server the ClientHello callback chose by server name, so the
/// name is acknowledged (rustls acknowledges it whenever the client sent one).
#[unsafe(no_mangle)]
pub extern "C" fn s2n_connection_server_name_extension_used(conn: *mut s2n_connection) -> c_int {
    ffi::entry(|| {
        let conn = Connection::from_handle(conn)?;
        let mut state = conn.state();
        // As s2n: servers only, until the ClientHello has been processed.
        if conn.is_client() || state.tls.is_some() {
            return Err(Error::new(S2N_ERR_INVALID_STATE));
        }
        state.facts.server_name_used = true;
        Ok(S2N_SUCCESS)
    })
}

/// I/O buffers are released after each use when set, as s2n's dynamic buffers.
#[unsafe(no_mangle)]
pub extern "C" fn s2n_connection_set_dynamic_buffers(
    conn: *mut s2n_connection,
    enabled: bool,
) -> c_int {
    ffi::entry(|| {
        Connection::from_handle(conn)?
            .state()
            .settings
            .dynamic_buffers = enabled;
        Ok(S2N_SUCCESS)
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_connection_set_blinding(
    conn: *mut s2n_connection,
    blinding: BlindingArg,
) -> c_int {
    ffi::entry(|| {
        let blinding = blinding.get()?;
        Connection::from_handle(conn)?.state().settings.blinding = blinding;
        Ok(S2N_SUCCESS)
    })
}

/// Nanoseconds the application must still wait before closing a failed
/// connection (self-service blinding); 0 when there is nothing to wait for.
#[unsafe(no_mangle)]
pub extern "C" fn s2n_connection_get_delay(conn: *mut s2n_connection) -> u64 {
    // UINT64_MAX with S2N_ERR_NULL for a NULL connection, as s2n.
    let Ok(conn) = Connection::from_handle(conn) else {
        let _: c_int = ffi::entry(|| Err(Error::new(S2N_ERR_NULL)));
        return u64::MAX;
    };
    conn.state().remaining_delay()
}

/// Partial: updates our sending keys (TLS1.3) before the next application
/// data with a KeyUpdate that asks the peer for nothing, as s2n does; only
/// on a connection that offered or took early data (whose records rustls
/// keeps protecting) rustls's KeyUpdate also asks the peer to update. Like
/// s2n, the caller cannot ask for the peer's update explicitly.
#[unsafe(no_mangle)]
pub extern "C" fn s2n_connection_request_key_update(
    conn: *mut s2n_connection,
    peer_request: PeerKeyUpdateArg,
) -> c_int {
    ffi::entry(|| {
        let conn = Connection::from_handle(conn)?;
        if peer_request.get()? != s2n_peer_key_update::S2N_KEY_UPDATE_NOT_REQUESTED {
            return Err(Error::new(crate::error::S2N_ERR_INVALID_ARGUMENT));
        }
        conn.state().settings.key_update_pending = true;
        Ok(S2N_SUCCESS)
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_connection_append_protocol_preference(
    conn: *mut s2n_connection,
    protocol: *const u8,
    protocol_len: u8,
) -> c_int {
    configure(conn, |state| {
        let mut list = state.settings.overrides.alpn.take().unwrap_or_default();
        let result = crate::config::append_protocol(&mut list, protocol, protocol_len);
        state.settings.overrides.alpn = Some(list);
        result
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_connection_set_protocol_preferences(
    conn: *mut s2n_connection,
    protocols: *const *const c_char,
    protocol_count: c_int,
) -> c_int {
    configure(conn, |state| {
        let mut list = Vec::new();
        crate::config::set_protocols(&mut list, protocols, protocol_count)?;
        state.settings.overrides.alpn = Some(list);
        Ok(())
    })
}

/// The name a client sends as SNI and checks the server's certificate against.
///
/// Partial: an IP address is checked against the certificate but not sent
/// as SNI (rustls sends server_name only for DNS names; s2n sends any name).
#[unsafe(no_mangle)]
pub extern "C" fn s2n_set_server_name(
    conn: *mut s2n_connection,
    server_name: *const c_char,
) -> c_int {
    ffi::entry(|| {
        let conn = Connection::from_handle(conn)?;
        // As s2n: a server has no server name of its own to set.
        if !conn.is_client() {
            return Err(Error::new(crate::error::S2N_ERR_CLIENT_MODE));
        }
        let name = ffi::c_str(server_name)?;
        if name.len() > 255 {
            return Err(Error::new(S2N_ERR_SERVER_NAME_TOO_LONG));
        }
        conn.configure(|state| {
            state.settings.server_name = Some(name.to_string());
            state.facts.server_name_c = std::ffi::CString::new(name).ok();
            Ok(())
        })?;
        Ok(S2N_SUCCESS)
    })
}

/// After the handshake, drops what only the handshake needed: the received
/// ClientHello (the server name getter keeps its copy). rustls frees its own
/// handshake state when the handshake ends.
#[unsafe(no_mangle)]
pub extern "C" fn s2n_connection_free_handshake(conn: *mut s2n_connection) -> c_int {
    ffi::entry(|| {
        let conn = Connection::from_handle(conn)?;
        let mut state = conn.state();
        if state.phase == Phase::Established {
            info::record_negotiated(&mut state);
            state.hello.client_hello = None;
            state.hello.capture = None;
            state.facts.ocsp_response = None;
            state.hello.handshake_freed = true;
            // rustls's handshake state goes too (see io::Tls::hand_over_later).
            if let Some(tls) = state.tls.as_mut() {
                tls.take_over()
                    .map_err(|e| Error::new(crate::error::map_tls_error(&e)))?;
            }
        }
        Ok(S2N_SUCCESS)
    })
}

/// Frees the I/O buffers when nothing is waiting in them; they come back on next use.
#[unsafe(no_mangle)]
pub extern "C" fn s2n_connection_release_buffers(conn: *mut s2n_connection) -> c_int {
    ffi::entry(|| {
        let conn = Connection::from_handle(conn)?;
        crate::io::release_buffers(conn)?;
        Ok(S2N_SUCCESS)
    })
}

/// Back to the just-created state, keeping the config and mode; protocol
/// state and its secrets are dropped (rustls zeroizes its keys on drop).
#[unsafe(no_mangle)]
pub extern "C" fn s2n_connection_wipe(conn: *mut s2n_connection) -> c_int {
    ffi::entry(|| {
        let conn = Connection::from_handle(conn)?;
        let mut send = conn.send.lock().unwrap_or_else(|e| e.into_inner());
        let mut recv = conn.recv.lock().unwrap_or_else(|e| e.into_inner());
        let mut state = conn.state();
        let config = state.config.clone();
        *state = State::new(config);
        conn.ctx.store(std::ptr::null_mut(), Ordering::Relaxed);
        conn.wire_in.store(0, Ordering::Relaxed);
        conn.wire_out.store(0, Ordering::Relaxed);
        *send = SendBuf::default();
        *recv = RecvBuf::default();
        Ok(S2N_SUCCESS)
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_connection_free(conn: *mut s2n_connection) -> c_int {
    ffi::entry(|| {
        drop(s2n_connection::take(conn)?);
        Ok(S2N_SUCCESS)
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_connection_get_client_auth_type(
    conn: *mut s2n_connection,
    client_auth_type: *mut CertAuthTypeArg,
) -> c_int {
    ffi::entry(|| {
        let conn = Connection::from_handle(conn)?;
        let out = ffi::out(client_auth_type)?;
        let state = conn.state();
        *out = state.client_auth(conn.is_client()).into();
        Ok(S2N_SUCCESS)
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_connection_set_client_auth_type(
    conn: *mut s2n_connection,
    client_auth_type: CertAuthTypeArg,
) -> c_int {
    configure(conn, |state| {
        state.settings.overrides.client_auth = Some(client_auth_type.get()?);
        Ok(())
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_connection_serialization_length(
    conn: *mut s2n_connection,
    length: *mut u32,
) -> c_int {
    ffi::entry(|| {
        let conn = Connection::from_handle(conn)?;
        *ffi::out(length)? = crate::io::serialize::serialization_length(conn)?;
        Ok(S2N_SUCCESS)
    })
}

/// Partial: s2n's layout; the TLS1.3 resumption master secret, which rustls
/// does not give out, is written as zeros (a peer restoring the blob cannot
/// resume from tickets issued afterwards).
#[unsafe(no_mangle)]
pub extern "C" fn s2n_connection_serialize(
    conn: *mut s2n_connection,
    buffer: *mut u8,
    buffer_length: u32,
) -> c_int {
    ffi::entry(|| {
        let conn = Connection::from_handle(conn)?;
        let buffer = ffi::slice_mut(buffer, buffer_length as usize)?;
        crate::io::serialize::serialize(conn, buffer)?;
        Ok(S2N_SUCCESS)
    })
}

/// Partial: a restored connection has no rustls state, so a restored
/// client takes no more session tickets; SSLv3 to TLS1.1 blobs fail with
/// `S2N_ERR_PROTOCOL_VERSION_UNSUPPORTED` (versions s2nrs lacks).
#[unsafe(no_mangle)]
pub extern "C" fn s2n_connection_deserialize(
    conn: *mut s2n_connection,
    buffer: *mut u8,
    buffer_length: u32,
) -> c_int {
    ffi::entry(|| {
        let conn = Connection::from_handle(conn)?;
        let buffer = ffi::slice(buffer, buffer_length as usize)?;
        crate::io::serialize::deserialize(conn, buffer)?;
        Ok(S2N_SUCCESS)
    })
}

/// As in s2n, a NULL connection reads as `S2N_SERVER` (0) without an error.
#[unsafe(no_mangle)]
pub extern "C" fn s2n_connection_get_mode(conn: *mut s2n_connection) -> ModeArg {
    if conn.is_null() {
        return s2n_mode::S2N_SERVER.into();
    }
    ffi::entry(|| Ok(Connection::unlocked(conn)?.mode.into()))
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_connection_get_config(
    conn: *mut s2n_connection,
    config: *mut *mut s2n_config,
) -> c_int {
    ffi::entry(|| {
        let conn = Connection::unlocked(conn)?;
        let out = ffi::out(config)?;
        let app_config = conn.app_config.load(Ordering::Acquire);
        // As s2n: the library's default config is not the caller's to use.
        if app_config.is_null() {
            return Err(Error::with_reason(
                S2N_ERR_NULL,
                "the connection has no config of the application's",
            ));
        }
        // A borrowed pointer, valid while the connection keeps the config.
        *out = app_config.cast();
        Ok(S2N_SUCCESS)
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_connection_prefer_throughput(conn: *mut s2n_connection) -> c_int {
    ffi::entry(|| {
        Connection::from_handle(conn)?.state().records.max_fragment = LARGE_FRAGMENT;
        Ok(S2N_SUCCESS)
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_connection_prefer_low_latency(conn: *mut s2n_connection) -> c_int {
    ffi::entry(|| {
        Connection::from_handle(conn)?.state().records.max_fragment = SMALL_FRAGMENT;
        Ok(S2N_SUCCESS)
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_connection_set_dynamic_record_threshold(
    conn: *mut s2n_connection,
    resize_threshold: u32,
    timeout_threshold: u16,
) -> c_int {
    ffi::entry(|| {
        let conn = Connection::from_handle(conn)?;
        if resize_threshold > MAX_RESIZE_THRESHOLD {
            return Err(Error::new(crate::error::S2N_ERR_INVALID_DYNAMIC_THRESHOLD));
        }
        let mut state = conn.state();
        state.records.resize_threshold = resize_threshold;
        state.records.timeout_secs = timeout_threshold;
        Ok(S2N_SUCCESS)
    })
}
