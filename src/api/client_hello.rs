//! The exported functions of `crate::client_hello` (C arguments in, the core
//! called, s2n's result out).

use crate::client_hello::parse::ClientHello;
use crate::client_hello::*;
use crate::connection::Connection;
use crate::connection::hello::CallbackStatus;
use crate::error::Error;
use crate::error::S2N_ERR_ASYNC_NOT_PERFORMED;
use crate::error::S2N_ERR_INSUFFICIENT_MEM_SIZE;
use crate::error::S2N_ERR_INVALID_ARGUMENT;
use crate::error::S2N_ERR_INVALID_STATE;
use crate::error::S2N_ERR_SAFETY;
use crate::ffi;
use crate::ffi::ArcHandle;
use crate::ffi::BoxHandle;
use crate::ffi::CPtr;
use crate::types::*;
use std::ffi::c_int;
use std::ffi::c_void;

/// The application's callback, run once a server has the whole ClientHello
/// and before it answers: it may read the hello, change the connection's
/// config, or (non-blocking mode) pause the handshake.
#[unsafe(no_mangle)]
pub extern "C" fn s2n_config_set_client_hello_cb(
    config: *mut s2n_config,
    client_hello_callback: s2n_client_hello_fn,
    ctx: *mut c_void,
) -> c_int {
    ffi::entry(|| {
        s2n_config::get(config)?.update(|state| {
            state.client_hello_cb = client_hello_callback.map(|f| (Some(f), CPtr(ctx)));
            Ok(())
        })?;
        Ok(S2N_SUCCESS)
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_config_set_client_hello_cb_mode(
    config: *mut s2n_config,
    cb_mode: ClientHelloCbModeArg,
) -> c_int {
    ffi::entry(|| {
        let mode = cb_mode.get()?;
        s2n_config::get(config)?.update(|state| {
            state.client_hello_cb_mode = mode;
            Ok(())
        })?;
        Ok(S2N_SUCCESS)
    })
}

/// Ends a non-blocking callback's pause: the next `s2n_negotiate` goes on.
#[unsafe(no_mangle)]
pub extern "C" fn s2n_client_hello_cb_done(conn: *mut s2n_connection) -> c_int {
    ffi::entry(|| {
        let conn = Connection::from_handle(conn)?;
        let mut state = conn.state();
        if state.config.read().client_hello_cb_mode
            != s2n_client_hello_cb_mode::S2N_CLIENT_HELLO_CB_NONBLOCKING
        {
            return Err(Error::new(S2N_ERR_INVALID_STATE));
        }
        if state.hello.callback == CallbackStatus::NotInvoked {
            return Err(Error::new(S2N_ERR_ASYNC_NOT_PERFORMED));
        }
        if state.hello.client_hello.is_none() {
            return Err(Error::new(S2N_ERR_INVALID_STATE));
        }
        state.hello.callback = CallbackStatus::Done;
        Ok(S2N_SUCCESS)
    })
}

/// The ClientHello a server received, owned by the connection; NULL (without
/// an error) until it has arrived.
#[unsafe(no_mangle)]
pub extern "C" fn s2n_connection_get_client_hello(
    conn: *mut s2n_connection,
) -> *mut s2n_client_hello {
    ffi::entry(|| {
        let conn = Connection::from_handle(conn)?;
        let state = conn.state();
        Ok(state
            .hello
            .client_hello
            .as_ref()
            .map_or(std::ptr::null_mut(), |h| h.as_handle()))
    })
}

/// Parses a ClientHello handshake message (4-byte header included) into an
/// object the application owns and frees with `s2n_client_hello_free`.
#[unsafe(no_mangle)]
pub extern "C" fn s2n_client_hello_parse_message(
    bytes: *const u8,
    size: u32,
) -> *mut s2n_client_hello {
    ffi::entry(|| {
        let len = usize::try_from(size).map_err(|_| Error::new(S2N_ERR_SAFETY))?;
        // s2n copies the bytes first: NULL with a length is its safety check.
        if bytes.is_null() && len > 0 {
            return Err(Error::new(S2N_ERR_SAFETY));
        }
        let hello = ClientHello::parse(ffi::slice(bytes, len)?)?;
        Ok(<s2n_client_hello as BoxHandle>::into_handle(
            ClientHelloHandle {
                hello,
                owned_by_app: true,
            },
        ))
    })
}

/// Frees a ClientHello from `s2n_client_hello_parse_message` and sets `*ch`
/// to NULL; NULL `*ch` is a no-op, a connection's ClientHello
/// `S2N_ERR_INVALID_ARGUMENT`.
#[unsafe(no_mangle)]
pub extern "C" fn s2n_client_hello_free(ch: *mut *mut s2n_client_hello) -> c_int {
    ffi::entry(|| {
        let slot = ffi::out(ch)?;
        if slot.is_null() {
            return Ok(S2N_SUCCESS);
        }
        if !<s2n_client_hello as BoxHandle>::get(*slot)?.owned_by_app {
            return Err(Error::new(S2N_ERR_INVALID_ARGUMENT));
        }
        drop(<s2n_client_hello as BoxHandle>::take(*slot)?);
        *slot = std::ptr::null_mut();
        Ok(S2N_SUCCESS)
    })
}

/// One part of the ClientHello's length (the `*_length` getters).
fn part_length(ch: *mut s2n_client_hello, part: fn(&ClientHello) -> &[u8]) -> libc::ssize_t {
    ffi::entry(|| Ok(ffi::ssize(part(hello(ch)?).len())))
}

/// Copies at most `max_length` bytes of one part of the ClientHello to
/// `out`; the count.
fn copy_part(
    ch: *mut s2n_client_hello,
    out: *mut u8,
    max_length: u32,
    part: fn(&ClientHello) -> &[u8],
) -> libc::ssize_t {
    ffi::entry(|| {
        let hello = hello(ch)?;
        non_null(out)?;
        Ok(ffi::ssize(copy_truncated(part(hello), out, max_length)?))
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_client_hello_get_raw_message_length(
    ch: *mut s2n_client_hello,
) -> libc::ssize_t {
    part_length(ch, ClientHello::raw_message)
}

/// The message without its handshake header, random zeroed; copies at most
/// `max_length` bytes and returns the count.
#[unsafe(no_mangle)]
pub extern "C" fn s2n_client_hello_get_raw_message(
    ch: *mut s2n_client_hello,
    out: *mut u8,
    max_length: u32,
) -> libc::ssize_t {
    copy_part(ch, out, max_length, ClientHello::raw_message)
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_client_hello_get_cipher_suites_length(
    ch: *mut s2n_client_hello,
) -> libc::ssize_t {
    part_length(ch, ClientHello::cipher_suites)
}

/// The cipher suite list without its length; copies at most `max_length`
/// bytes and returns the count.
#[unsafe(no_mangle)]
pub extern "C" fn s2n_client_hello_get_cipher_suites(
    ch: *mut s2n_client_hello,
    out: *mut u8,
    max_length: u32,
) -> libc::ssize_t {
    copy_part(ch, out, max_length, ClientHello::cipher_suites)
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_client_hello_get_extensions_length(
    ch: *mut s2n_client_hello,
) -> libc::ssize_t {
    part_length(ch, ClientHello::extensions)
}

/// The extensions block without its total length; copies at most
/// `max_length` bytes and returns the count.
#[unsafe(no_mangle)]
pub extern "C" fn s2n_client_hello_get_extensions(
    ch: *mut s2n_client_hello,
    out: *mut u8,
    max_length: u32,
) -> libc::ssize_t {
    copy_part(ch, out, max_length, ClientHello::extensions)
}

/// The extension_data length of an extension type s2n implements; 0 (with
/// `s2n_errno` set) when it was not received or s2n does not track the type.
#[unsafe(no_mangle)]
pub extern "C" fn s2n_client_hello_get_extension_length(
    ch: *mut s2n_client_hello,
    extension_type: TlsExtensionTypeArg,
) -> libc::ssize_t {
    ffi::entry(|| {
        Ok(match parsed_extension(hello(ch)?, extension_type) {
            Ok(data) => ffi::ssize(data.len()),
            Err(err) => zero_with_errno(err),
        })
    })
}

/// Copies at most `max_length` bytes of an extension's data and returns the
/// count; 0 (with `s2n_errno` set) as for `s2n_client_hello_get_extension_length`.
#[unsafe(no_mangle)]
pub extern "C" fn s2n_client_hello_get_extension_by_id(
    ch: *mut s2n_client_hello,
    extension_type: TlsExtensionTypeArg,
    out: *mut u8,
    max_length: u32,
) -> libc::ssize_t {
    ffi::entry(|| {
        let hello = hello(ch)?;
        non_null(out)?;
        Ok(match parsed_extension(hello, extension_type) {
            Ok(data) => ffi::ssize(copy_truncated(data, out, max_length)?),
            Err(err) => zero_with_errno(err),
        })
    })
}

/// Whether an extension of any IANA type was received.
#[unsafe(no_mangle)]
pub extern "C" fn s2n_client_hello_has_extension(
    ch: *mut s2n_client_hello,
    extension_iana: u16,
    exists: *mut bool,
) -> c_int {
    ffi::entry(|| {
        let hello = hello(ch)?;
        let exists = ffi::out(exists)?;
        *exists = hello.extension(extension_iana).is_some();
        Ok(S2N_SUCCESS)
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_client_hello_get_session_id_length(
    ch: *mut s2n_client_hello,
    out_length: *mut u32,
) -> c_int {
    ffi::entry(|| {
        let hello = hello(ch)?;
        *ffi::out(out_length)? = len_u32(hello.session_id());
        Ok(S2N_SUCCESS)
    })
}

/// Copies at most `max_length` bytes of the legacy session id and sets
/// `*out_length` to the count.
#[unsafe(no_mangle)]
pub extern "C" fn s2n_client_hello_get_session_id(
    ch: *mut s2n_client_hello,
    out: *mut u8,
    out_length: *mut u32,
    max_length: u32,
) -> c_int {
    ffi::entry(|| {
        let hello = hello(ch)?;
        non_null(out)?;
        let out_length = ffi::out(out_length)?;
        let copied = copy_truncated(hello.session_id(), out, max_length)?;
        *out_length = u32::try_from(copied).unwrap_or(u32::MAX);
        Ok(S2N_SUCCESS)
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn s2n_client_hello_get_compression_methods_length(
    ch: *mut s2n_client_hello,
    out_length: *mut u32,
) -> c_int {
    ffi::entry(|| {
        let hello = hello(ch)?;
        *ffi::out(out_length)? = len_u32(hello.compression_methods());
        Ok(S2N_SUCCESS)
    })
}

/// Copies the whole compression method list; a `list_length` too small for
/// it is `S2N_ERR_INSUFFICIENT_MEM_SIZE`.
#[unsafe(no_mangle)]
pub extern "C" fn s2n_client_hello_get_compression_methods(
    ch: *mut s2n_client_hello,
    list: *mut u8,
    list_length: u32,
    out_length: *mut u32,
) -> c_int {
    ffi::entry(|| {
        let hello = hello(ch)?;
        non_null(list)?;
        let out_length = ffi::out(out_length)?;
        let methods = hello.compression_methods();
        if u64::from(list_length) < methods.len() as u64 {
            return Err(Error::new(S2N_ERR_INSUFFICIENT_MEM_SIZE));
        }
        ffi::slice_mut(list, methods.len())?.copy_from_slice(methods);
        *out_length = len_u32(methods);
        Ok(S2N_SUCCESS)
    })
}

/// The legacy version in s2n's form: major * 10 + minor (33 for TLS1.2).
#[unsafe(no_mangle)]
pub extern "C" fn s2n_client_hello_get_legacy_protocol_version(
    ch: *mut s2n_client_hello,
    out: *mut u8,
) -> c_int {
    ffi::entry(|| {
        let hello = hello(ch)?;
        *ffi::out(out)? = hello.legacy_version_s2n();
        Ok(S2N_SUCCESS)
    })
}

/// Copies the 32-byte client random; a `max_length` under 32 is
/// `S2N_ERR_INSUFFICIENT_MEM_SIZE`.
#[unsafe(no_mangle)]
pub extern "C" fn s2n_client_hello_get_random(
    ch: *mut s2n_client_hello,
    out: *mut u8,
    max_length: u32,
) -> c_int {
    ffi::entry(|| {
        let hello = hello(ch)?;
        non_null(out)?;
        let random = hello.random();
        if u64::from(max_length) < random.len() as u64 {
            return Err(Error::new(S2N_ERR_INSUFFICIENT_MEM_SIZE));
        }
        ffi::slice_mut(out, random.len())?.copy_from_slice(random);
        Ok(S2N_SUCCESS)
    })
}

/// The named groups of the supported_groups extension, in host byte order;
/// more than `groups_count_max` is `S2N_ERR_INSUFFICIENT_MEM_SIZE`.
#[unsafe(no_mangle)]
pub extern "C" fn s2n_client_hello_get_supported_groups(
    ch: *mut s2n_client_hello,
    groups: *mut u16,
    groups_count_max: u16,
    groups_count: *mut u16,
) -> c_int {
    ffi::entry(|| {
        let count = ffi::out(groups_count)?;
        *count = 0;
        let hello = hello(ch)?;
        non_null(groups)?;
        let received = hello.try_supported_groups()?;
        if received.len() > usize::from(groups_count_max) {
            return Err(Error::new(S2N_ERR_INSUFFICIENT_MEM_SIZE));
        }
        // Written as bytes: the caller's array need not be aligned for us.
        let out = ffi::slice_mut(groups.cast::<u8>(), received.len() * 2)?;
        for (dst, group) in out.chunks_exact_mut(2).zip(&received) {
            dst.copy_from_slice(&group.to_ne_bytes());
        }
        *count = u16::try_from(received.len()).unwrap_or(u16::MAX);
        Ok(S2N_SUCCESS)
    })
}

/// The length of the first host_name in the server_name extension.
#[unsafe(no_mangle)]
pub extern "C" fn s2n_client_hello_get_server_name_length(
    ch: *mut s2n_client_hello,
    length: *mut u16,
) -> c_int {
    ffi::entry(|| {
        let hello = hello(ch)?;
        let length = ffi::out(length)?;
        *length = 0;
        let name = hello.try_server_name()?;
        *length = u16::try_from(name.len()).unwrap_or(u16::MAX);
        Ok(S2N_SUCCESS)
    })
}

/// Copies the first host_name of the server_name extension (not
/// NUL-terminated); a buffer too small for it is `S2N_ERR_SAFETY`.
#[unsafe(no_mangle)]
pub extern "C" fn s2n_client_hello_get_server_name(
    ch: *mut s2n_client_hello,
    server_name: *mut u8,
    length: u16,
    out_length: *mut u16,
) -> c_int {
    ffi::entry(|| {
        let out_length = ffi::out(out_length)?;
        let hello = hello(ch)?;
        non_null(server_name)?;
        *out_length = 0;
        let name = hello.try_server_name()?;
        if name.len() > usize::from(length) {
            return Err(Error::new(S2N_ERR_SAFETY));
        }
        ffi::slice_mut(server_name, name.len())?.copy_from_slice(name);
        *out_length = u16::try_from(name.len()).unwrap_or(u16::MAX);
        Ok(S2N_SUCCESS)
    })
}

/// The version of the first record the server received, in s2n's form
/// (major * 10 + minor); `S2N_ERR_INVALID_ARGUMENT` when none was recorded,
/// as for ClientHellos from `s2n_client_hello_parse_message`.
#[unsafe(no_mangle)]
pub extern "C" fn s2n_client_hello_get_legacy_record_version(
    ch: *mut s2n_client_hello,
    out: *mut u8,
) -> c_int {
    ffi::entry(|| {
        let hello = hello(ch)?;
        let out = ffi::out(out)?;
        *out = hello
            .record_version_s2n()
            .ok_or_else(|| Error::new(S2N_ERR_INVALID_ARGUMENT))?;
        Ok(S2N_SUCCESS)
    })
}
