//! The exported functions of `crate::session` (C arguments in, the core
//! called, s2n's result out).

use crate::config::Config;
use crate::connection::Connection;
use crate::connection::session::session_blob;
use crate::error::Error;
use crate::error::S2N_ERR_INVALID_ARGUMENT;
use crate::ffi;
use crate::ffi::ArcHandle;
use crate::ffi::CPtr;
use crate::ffi::RefHandle;
use crate::session::*;
use crate::types::*;
use std::ffi::c_int;
use std::ffi::c_void;

#[unsafe(no_mangle)]
pub extern "C" fn s2n_config_set_cache_store_callback(
    config: *mut s2n_config,
    cache_store_callback: s2n_cache_store_callback,
    data: *mut c_void,
) -> c_int {
    Config::set(config, |state| {
        let f = cache_store_callback.ok_or_else(|| Error::new(crate::error::S2N_ERR_NULL))?;
        state.resumption.cache_callbacks.store = Some((Some(f), CPtr(data)));
        Ok(())
    })
}

/// Partial: a callback answering `S2N_CALLBACK_BLOCKED` counts as a miss
/// (rustls cannot pause there), so that handshake is a full one.
#[unsafe(no_mangle)]
pub extern "C" fn s2n_config_set_cache_retrieve_callback(
    config: *mut s2n_config,
    cache_retrieve_callback: s2n_cache_retrieve_callback,
    data: *mut c_void,
) -> c_int {
    Config::set(config, |state| {
        let f = cache_retrieve_callback.ok_or_else(|| Error::new(crate::error::S2N_ERR_NULL))?;
        state.resumption.cache_callbacks.retrieve = Some((Some(f), CPtr(data)));
        Ok(())
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_config_set_cache_delete_callback(
    config: *mut s2n_config,
    cache_delete_callback: s2n_cache_delete_callback,
    data: *mut c_void,
) -> c_int {
    Config::set(config, |state| {
        let f = cache_delete_callback.ok_or_else(|| Error::new(crate::error::S2N_ERR_NULL))?;
        state.resumption.cache_callbacks.delete = Some((Some(f), CPtr(data)));
        Ok(())
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_config_set_session_state_lifetime(
    config: *mut s2n_config,
    lifetime_in_secs: u64,
) -> c_int {
    Config::set(config, |state| {
        state.resumption.session_state_lifetime_secs = lifetime_in_secs;
        Ok(())
    })
}

/// Servers issue tickets (with a ticket key added) and clients accept them.
#[unsafe(no_mangle)]
pub extern "C" fn s2n_config_set_session_tickets_onoff(
    config: *mut s2n_config,
    enabled: u8,
) -> c_int {
    Config::set(config, |state| {
        state.resumption.tickets = enabled != 0;
        Ok(())
    })
}

/// TLS1.2 session-ID resumption through the application's cache callbacks.
#[unsafe(no_mangle)]
pub extern "C" fn s2n_config_set_session_cache_onoff(
    config: *mut s2n_config,
    enabled: u8,
) -> c_int {
    Config::set(config, |state| {
        // As s2n: on only with all three callbacks set, silently off otherwise.
        state.resumption.session_cache =
            enabled != 0 && state.resumption.cache_callbacks.complete();
        Ok(())
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_config_set_ticket_encrypt_decrypt_key_lifetime(
    config: *mut s2n_config,
    lifetime_in_secs: u64,
) -> c_int {
    Config::set(config, |state| {
        if lifetime_in_secs == 0 {
            return Err(Error::new(S2N_ERR_INVALID_ARGUMENT));
        }
        *state
            .resumption
            .ticket_keys
            .encrypt_decrypt_secs
            .lock()
            .unwrap_or_else(|e| e.into_inner()) = lifetime_in_secs;
        Ok(())
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_config_set_ticket_decrypt_key_lifetime(
    config: *mut s2n_config,
    lifetime_in_secs: u64,
) -> c_int {
    Config::set(config, |state| {
        *state
            .resumption
            .ticket_keys
            .decrypt_secs
            .lock()
            .unwrap_or_else(|e| e.into_inner()) = lifetime_in_secs;
        Ok(())
    })
}

/// Partial: of several keys able to encrypt, the newest is used (s2n picks
/// among them at random, weighted toward the middle of their lifetimes).
#[unsafe(no_mangle)]
pub extern "C" fn s2n_config_add_ticket_crypto_key(
    config: *mut s2n_config,
    name: *const u8,
    name_len: u32,
    key: *mut u8,
    key_len: u32,
    intro_time_in_seconds_from_epoch: u64,
) -> c_int {
    Config::set(config, |state| {
        let name = ffi::slice(name, name_len as usize)?;
        let key = ffi::slice(key, key_len as usize)?;
        state.resumption.ticket_keys.add(
            name,
            key,
            intro_time_in_seconds_from_epoch,
            tickets::now_secs(state.wall_clock),
        )
    })
}

/// Resumption from tickets only in TLS1.3: a client sends no TLS1.2 ticket
/// extension, a server ignores it (no resumption from a ticket, no new one).
#[unsafe(no_mangle)]
pub extern "C" fn s2n_config_require_ticket_forward_secrecy(
    config: *mut s2n_config,
    enabled: bool,
) -> c_int {
    ffi::entry(|| {
        s2n_config::get(config)?.update(|state| {
            state.resumption.ticket_forward_secrecy = enabled;
            Ok(())
        })?;
        Ok(S2N_SUCCESS)
    })
}

/// TLS1.3 tickets a server sends after each handshake.
///
/// Partial: a client that offers only the psk_ke mode (resumption without
/// a new key exchange) gets none, as rustls issues tickets only to clients
/// offering psk_dhe_ke; s2n sends them all the same.
#[unsafe(no_mangle)]
pub extern "C" fn s2n_config_set_initial_ticket_count(config: *mut s2n_config, num: u8) -> c_int {
    Config::set(config, |state| {
        state.resumption.initial_ticket_count = num;
        Ok(())
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_connection_add_new_tickets_to_send(
    conn: *mut s2n_connection,
    num: u8,
) -> c_int {
    let _ = (conn, num);
    ffi::unsupported(
        "rustls issues TLS1.3 tickets only with the handshake (see s2n_config_set_initial_ticket_count)",
    )
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_connection_get_tickets_sent(
    conn: *mut s2n_connection,
    num: *mut u16,
) -> c_int {
    ffi::entry(|| {
        let conn = Connection::from_handle(conn)?;
        let out = ffi::out(num)?;
        if conn.is_client() {
            return Err(Error::new(crate::error::S2N_ERR_SERVER_MODE));
        }
        *out = conn.state().facts.tickets_sent.min(u32::from(u16::MAX)) as u16;
        Ok(S2N_SUCCESS)
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_connection_set_server_keying_material_lifetime(
    conn: *mut s2n_connection,
    lifetime_in_secs: u32,
) -> c_int {
    let _ = (conn, lifetime_in_secs);
    ffi::unsupported(
        "rustls does not bound how long a resumed session's keying material may be reused",
    )
}

/// Clients are handed each new session (as a blob for `s2n_connection_set_session`).
#[unsafe(no_mangle)]
pub extern "C" fn s2n_config_set_session_ticket_cb(
    config: *mut s2n_config,
    callback: s2n_session_ticket_fn,
    ctx: *mut c_void,
) -> c_int {
    Config::set(config, |state| {
        state.resumption.session_ticket_cb = callback.map(|f| (Some(f), CPtr(ctx)));
        Ok(())
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_session_ticket_get_data_len(
    ticket: *mut s2n_session_ticket,
    data_len: *mut usize,
) -> c_int {
    ffi::entry(|| {
        let ticket = s2n_session_ticket::get(ticket)?;
        *ffi::out(data_len)? = ticket.data.len();
        Ok(S2N_SUCCESS)
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_session_ticket_get_data(
    ticket: *mut s2n_session_ticket,
    max_data_len: usize,
    data: *mut u8,
) -> c_int {
    ffi::entry(|| {
        let ticket = s2n_session_ticket::get(ticket)?;
        if max_data_len < ticket.data.len() {
            return Err(Error::new(
                crate::error::S2N_ERR_SERIALIZED_SESSION_STATE_TOO_LONG,
            ));
        }
        ffi::slice_mut(data, ticket.data.len())?.copy_from_slice(&ticket.data);
        Ok(S2N_SUCCESS)
    })
}

/// Partial: a TLS1.3 ticket's lifetime is the server's (read off its
/// NewSessionTicket); for a TLS1.2 ticket, whose lifetime hint rustls does
/// not report, it is the client config's session state lifetime.
#[unsafe(no_mangle)]
pub extern "C" fn s2n_session_ticket_get_lifetime(
    ticket: *mut s2n_session_ticket,
    session_lifetime: *mut u32,
) -> c_int {
    ffi::entry(|| {
        *ffi::out(session_lifetime)? = s2n_session_ticket::get(ticket)?.lifetime;
        Ok(S2N_SUCCESS)
    })
}

/// Partial: the blob resumes within this process only (rustls cannot
/// serialize client sessions); a TLS1.3 blob resumes once.
#[unsafe(no_mangle)]
pub extern "C" fn s2n_connection_set_session(
    conn: *mut s2n_connection,
    session: *const u8,
    length: usize,
) -> c_int {
    ffi::entry(|| {
        let conn = Connection::from_handle(conn)?;
        let blob = ffi::slice(session, length)?;
        let id = client::parse_blob(blob)?;
        conn.configure(|state| {
            state.resumption.offer_session = Some(id);
            Ok(())
        })?;
        Ok(S2N_SUCCESS)
    })
}

/// Partial: a client's session, as a handle into this process's session
/// store; a server's, after a TLS1.2 resumption by ticket, in s2n's format
/// (the client's ticket and the resumed state).
#[unsafe(no_mangle)]
pub extern "C" fn s2n_connection_get_session(
    conn: *mut s2n_connection,
    session: *mut u8,
    max_length: usize,
) -> c_int {
    ffi::entry(|| {
        let conn = Connection::from_handle(conn)?;
        let blob = session_blob(conn, &conn.state());
        if blob.is_empty() {
            return Ok(0);
        }
        if max_length < blob.len() {
            return Err(Error::new(
                crate::error::S2N_ERR_SERIALIZED_SESSION_STATE_TOO_LONG,
            ));
        }
        ffi::slice_mut(session, blob.len())?.copy_from_slice(&blob);
        Ok(blob.len() as c_int)
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_connection_get_session_ticket_lifetime_hint(
    conn: *mut s2n_connection,
) -> c_int {
    let _ = conn;
    ffi::unsupported("rustls does not expose the ticket lifetime the server sent")
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_connection_get_session_length(conn: *mut s2n_connection) -> c_int {
    // As s2n: a NULL connection has no session (0), with S2N_ERR_NULL set.
    let length = ffi::entry(|| {
        let conn = Connection::from_handle(conn)?;
        Ok(session_blob(conn, &conn.state()).len() as c_int)
    });
    length.max(0)
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_connection_get_session_id_length(conn: *mut s2n_connection) -> c_int {
    let _ = conn;
    ffi::unsupported("rustls does not expose the connection's session ID")
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_connection_get_session_id(
    conn: *mut s2n_connection,
    session_id: *mut u8,
    max_length: usize,
) -> c_int {
    let _ = (conn, session_id, max_length);
    ffi::unsupported("rustls does not expose the connection's session ID")
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_connection_is_session_resumed(conn: *mut s2n_connection) -> c_int {
    // As s2n: a NULL connection was not resumed (0, no error).
    if conn.is_null() {
        return 0;
    }
    ffi::entry(|| {
        let conn = Connection::from_handle(conn)?;
        let state = conn.state();
        let resumed = state.tls.as_deref().and_then(|t| t.handshake_kind())
            == Some(rustls::HandshakeKind::Resumed);
        Ok(c_int::from(resumed))
    })
}
