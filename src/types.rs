#![forbid(unsafe_code)]

use crate::ffi::c_enum_arg;
use std::ffi::{c_char, c_int, c_void};

pub const S2N_SUCCESS: c_int = 0;
pub const S2N_FAILURE: c_int = -1;
pub const S2N_CALLBACK_BLOCKED: c_int = -2;
pub const S2N_MINIMUM_SUPPORTED_TLS_RECORD_MAJOR_VERSION: c_int = 2;
pub const S2N_MAXIMUM_SUPPORTED_TLS_RECORD_MAJOR_VERSION: c_int = 3;
pub const S2N_SSLv2: c_int = 20;
pub const S2N_SSLv3: c_int = 30;
pub const S2N_TLS10: c_int = 31;
pub const S2N_TLS11: c_int = 32;
pub const S2N_TLS12: c_int = 33;
pub const S2N_TLS13: c_int = 34;
pub const S2N_UNKNOWN_PROTOCOL_VERSION: c_int = 0;

/// Opaque handle: `struct s2n_config` in C.
#[repr(C)]
pub struct s2n_config {
    _private: [u8; 0],
}

/// Opaque handle: `struct s2n_connection` in C.
#[repr(C)]
pub struct s2n_connection {
    _private: [u8; 0],
}

/// Opaque handle: `struct s2n_stacktrace` in C.
#[repr(C)]
pub struct s2n_stacktrace {
    _private: [u8; 0],
}

/// Opaque handle: `struct s2n_cert` in C.
#[repr(C)]
pub struct s2n_cert {
    _private: [u8; 0],
}

/// Opaque handle: `struct s2n_cert_chain_and_key` in C.
#[repr(C)]
pub struct s2n_cert_chain_and_key {
    _private: [u8; 0],
}

/// Opaque handle: `struct s2n_pkey` in C.
#[repr(C)]
pub struct s2n_pkey {
    _private: [u8; 0],
}

/// Opaque handle: `struct s2n_client_hello` in C.
#[repr(C)]
pub struct s2n_client_hello {
    _private: [u8; 0],
}

/// Opaque handle: `struct s2n_session_ticket` in C.
#[repr(C)]
pub struct s2n_session_ticket {
    _private: [u8; 0],
}

/// Opaque handle: `struct s2n_psk` in C.
#[repr(C)]
pub struct s2n_psk {
    _private: [u8; 0],
}

/// Opaque handle: `struct s2n_offered_psk` in C.
#[repr(C)]
pub struct s2n_offered_psk {
    _private: [u8; 0],
}

/// Opaque handle: `struct s2n_offered_psk_list` in C.
#[repr(C)]
pub struct s2n_offered_psk_list {
    _private: [u8; 0],
}

/// Opaque handle: `struct s2n_async_pkey_op` in C.
#[repr(C)]
pub struct s2n_async_pkey_op {
    _private: [u8; 0],
}

/// Opaque handle: `struct s2n_offered_early_data` in C.
#[repr(C)]
pub struct s2n_offered_early_data {
    _private: [u8; 0],
}

#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum s2n_error_type {
    S2N_ERR_T_OK = 0,
    S2N_ERR_T_IO = 1,
    S2N_ERR_T_CLOSED = 2,
    S2N_ERR_T_BLOCKED = 3,
    S2N_ERR_T_ALERT = 4,
    S2N_ERR_T_PROTO = 5,
    S2N_ERR_T_INTERNAL = 6,
    S2N_ERR_T_USAGE = 7,
}
c_enum_arg!(ErrorTypeArg => s2n_error_type { S2N_ERR_T_OK, S2N_ERR_T_IO, S2N_ERR_T_CLOSED, S2N_ERR_T_BLOCKED, S2N_ERR_T_ALERT, S2N_ERR_T_PROTO, S2N_ERR_T_INTERNAL, S2N_ERR_T_USAGE });

#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum s2n_fips_mode {
    S2N_FIPS_MODE_DISABLED = 0,
    S2N_FIPS_MODE_ENABLED = 1,
}
c_enum_arg!(FipsModeArg => s2n_fips_mode { S2N_FIPS_MODE_DISABLED, S2N_FIPS_MODE_ENABLED });

#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum s2n_tls_extension_type {
    S2N_EXTENSION_SERVER_NAME = 0,
    S2N_EXTENSION_MAX_FRAG_LEN = 1,
    S2N_EXTENSION_OCSP_STAPLING = 5,
    S2N_EXTENSION_SUPPORTED_GROUPS = 10,
    S2N_EXTENSION_EC_POINT_FORMATS = 11,
    S2N_EXTENSION_SIGNATURE_ALGORITHMS = 13,
    S2N_EXTENSION_ALPN = 16,
    S2N_EXTENSION_CERTIFICATE_TRANSPARENCY = 18,
    S2N_EXTENSION_SUPPORTED_VERSIONS = 43,
    S2N_EXTENSION_RENEGOTIATION_INFO = 65281,
}
c_enum_arg!(TlsExtensionTypeArg => s2n_tls_extension_type { S2N_EXTENSION_SERVER_NAME, S2N_EXTENSION_MAX_FRAG_LEN, S2N_EXTENSION_OCSP_STAPLING, S2N_EXTENSION_SUPPORTED_GROUPS, S2N_EXTENSION_EC_POINT_FORMATS, S2N_EXTENSION_SIGNATURE_ALGORITHMS, S2N_EXTENSION_ALPN, S2N_EXTENSION_CERTIFICATE_TRANSPARENCY, S2N_EXTENSION_SUPPORTED_VERSIONS, S2N_EXTENSION_RENEGOTIATION_INFO });

#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum s2n_max_frag_len {
    S2N_TLS_MAX_FRAG_LEN_512 = 1,
    S2N_TLS_MAX_FRAG_LEN_1024 = 2,
    S2N_TLS_MAX_FRAG_LEN_2048 = 3,
    S2N_TLS_MAX_FRAG_LEN_4096 = 4,
}
c_enum_arg!(MaxFragLenArg => s2n_max_frag_len { S2N_TLS_MAX_FRAG_LEN_512, S2N_TLS_MAX_FRAG_LEN_1024, S2N_TLS_MAX_FRAG_LEN_2048, S2N_TLS_MAX_FRAG_LEN_4096 });

#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum s2n_verify_after_sign {
    S2N_VERIFY_AFTER_SIGN_DISABLED = 0,
    S2N_VERIFY_AFTER_SIGN_ENABLED = 1,
}
c_enum_arg!(VerifyAfterSignArg => s2n_verify_after_sign { S2N_VERIFY_AFTER_SIGN_DISABLED, S2N_VERIFY_AFTER_SIGN_ENABLED });

#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum s2n_status_request_type {
    S2N_STATUS_REQUEST_NONE = 0,
    S2N_STATUS_REQUEST_OCSP = 1,
}
c_enum_arg!(StatusRequestTypeArg => s2n_status_request_type { S2N_STATUS_REQUEST_NONE, S2N_STATUS_REQUEST_OCSP });

#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum s2n_ct_support_level {
    S2N_CT_SUPPORT_NONE = 0,
    S2N_CT_SUPPORT_REQUEST = 1,
}
c_enum_arg!(CtSupportLevelArg => s2n_ct_support_level { S2N_CT_SUPPORT_NONE, S2N_CT_SUPPORT_REQUEST });

#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum s2n_alert_behavior {
    S2N_ALERT_FAIL_ON_WARNINGS = 0,
    S2N_ALERT_IGNORE_WARNINGS = 1,
}
c_enum_arg!(AlertBehaviorArg => s2n_alert_behavior { S2N_ALERT_FAIL_ON_WARNINGS, S2N_ALERT_IGNORE_WARNINGS });

#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum s2n_mode {
    S2N_SERVER = 0,
    S2N_CLIENT = 1,
}
c_enum_arg!(ModeArg => s2n_mode { S2N_SERVER, S2N_CLIENT });

#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum s2n_client_hello_cb_mode {
    S2N_CLIENT_HELLO_CB_BLOCKING = 0,
    S2N_CLIENT_HELLO_CB_NONBLOCKING = 1,
}
c_enum_arg!(ClientHelloCbModeArg => s2n_client_hello_cb_mode { S2N_CLIENT_HELLO_CB_BLOCKING, S2N_CLIENT_HELLO_CB_NONBLOCKING });

#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum s2n_blinding {
    S2N_BUILT_IN_BLINDING = 0,
    S2N_SELF_SERVICE_BLINDING = 1,
}
c_enum_arg!(BlindingArg => s2n_blinding { S2N_BUILT_IN_BLINDING, S2N_SELF_SERVICE_BLINDING });

#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum s2n_peer_key_update {
    S2N_KEY_UPDATE_NOT_REQUESTED = 0,
    S2N_KEY_UPDATE_REQUESTED = 1,
}
c_enum_arg!(PeerKeyUpdateArg => s2n_peer_key_update { S2N_KEY_UPDATE_NOT_REQUESTED, S2N_KEY_UPDATE_REQUESTED });

#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum s2n_blocked_status {
    S2N_NOT_BLOCKED = 0,
    S2N_BLOCKED_ON_READ = 1,
    S2N_BLOCKED_ON_WRITE = 2,
    S2N_BLOCKED_ON_APPLICATION_INPUT = 3,
    S2N_BLOCKED_ON_EARLY_DATA = 4,
}
c_enum_arg!(BlockedStatusArg => s2n_blocked_status { S2N_NOT_BLOCKED, S2N_BLOCKED_ON_READ, S2N_BLOCKED_ON_WRITE, S2N_BLOCKED_ON_APPLICATION_INPUT, S2N_BLOCKED_ON_EARLY_DATA });

#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum s2n_cert_auth_type {
    S2N_CERT_AUTH_NONE = 0,
    S2N_CERT_AUTH_REQUIRED = 1,
    S2N_CERT_AUTH_OPTIONAL = 2,
}
c_enum_arg!(CertAuthTypeArg => s2n_cert_auth_type { S2N_CERT_AUTH_NONE, S2N_CERT_AUTH_REQUIRED, S2N_CERT_AUTH_OPTIONAL });

#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum s2n_tls_signature_algorithm {
    S2N_TLS_SIGNATURE_ANONYMOUS = 0,
    S2N_TLS_SIGNATURE_RSA = 1,
    S2N_TLS_SIGNATURE_ECDSA = 3,
    S2N_TLS_SIGNATURE_MLDSA = 9,
    S2N_TLS_SIGNATURE_RSA_PSS_RSAE = 224,
    S2N_TLS_SIGNATURE_RSA_PSS_PSS = 225,
}
c_enum_arg!(TlsSignatureAlgorithmArg => s2n_tls_signature_algorithm { S2N_TLS_SIGNATURE_ANONYMOUS, S2N_TLS_SIGNATURE_RSA, S2N_TLS_SIGNATURE_ECDSA, S2N_TLS_SIGNATURE_MLDSA, S2N_TLS_SIGNATURE_RSA_PSS_RSAE, S2N_TLS_SIGNATURE_RSA_PSS_PSS });

#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum s2n_tls_hash_algorithm {
    S2N_TLS_HASH_NONE = 0,
    S2N_TLS_HASH_MD5 = 1,
    S2N_TLS_HASH_SHA1 = 2,
    S2N_TLS_HASH_SHA224 = 3,
    S2N_TLS_HASH_SHA256 = 4,
    S2N_TLS_HASH_SHA384 = 5,
    S2N_TLS_HASH_SHA512 = 6,
    S2N_TLS_HASH_MD5_SHA1 = 224,
}
c_enum_arg!(TlsHashAlgorithmArg => s2n_tls_hash_algorithm { S2N_TLS_HASH_NONE, S2N_TLS_HASH_MD5, S2N_TLS_HASH_SHA1, S2N_TLS_HASH_SHA224, S2N_TLS_HASH_SHA256, S2N_TLS_HASH_SHA384, S2N_TLS_HASH_SHA512, S2N_TLS_HASH_MD5_SHA1 });

#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum s2n_psk_hmac {
    S2N_PSK_HMAC_SHA256 = 0,
    S2N_PSK_HMAC_SHA384 = 1,
}
c_enum_arg!(PskHmacArg => s2n_psk_hmac { S2N_PSK_HMAC_SHA256, S2N_PSK_HMAC_SHA384 });

#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum s2n_psk_mode {
    S2N_PSK_MODE_RESUMPTION = 0,
    S2N_PSK_MODE_EXTERNAL = 1,
}
c_enum_arg!(PskModeArg => s2n_psk_mode { S2N_PSK_MODE_RESUMPTION, S2N_PSK_MODE_EXTERNAL });

#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum s2n_cert_sni_match {
    S2N_SNI_NONE = 1,
    S2N_SNI_EXACT_MATCH = 2,
    S2N_SNI_WILDCARD_MATCH = 3,
    S2N_SNI_NO_MATCH = 4,
}
c_enum_arg!(CertSniMatchArg => s2n_cert_sni_match { S2N_SNI_NONE, S2N_SNI_EXACT_MATCH, S2N_SNI_WILDCARD_MATCH, S2N_SNI_NO_MATCH });

#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum s2n_async_pkey_validation_mode {
    S2N_ASYNC_PKEY_VALIDATION_FAST = 0,
    S2N_ASYNC_PKEY_VALIDATION_STRICT = 1,
}
c_enum_arg!(AsyncPkeyValidationModeArg => s2n_async_pkey_validation_mode { S2N_ASYNC_PKEY_VALIDATION_FAST, S2N_ASYNC_PKEY_VALIDATION_STRICT });

#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum s2n_async_pkey_op_type {
    S2N_ASYNC_DECRYPT = 0,
    S2N_ASYNC_SIGN = 1,
}
c_enum_arg!(AsyncPkeyOpTypeArg => s2n_async_pkey_op_type { S2N_ASYNC_DECRYPT, S2N_ASYNC_SIGN });

#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum s2n_early_data_status_t {
    S2N_EARLY_DATA_STATUS_OK = 0,
    S2N_EARLY_DATA_STATUS_NOT_REQUESTED = 1,
    S2N_EARLY_DATA_STATUS_REJECTED = 2,
    S2N_EARLY_DATA_STATUS_END = 3,
}
c_enum_arg!(EarlyDataStatusArg => s2n_early_data_status_t { S2N_EARLY_DATA_STATUS_OK, S2N_EARLY_DATA_STATUS_NOT_REQUESTED, S2N_EARLY_DATA_STATUS_REJECTED, S2N_EARLY_DATA_STATUS_END });

#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum s2n_serialization_version {
    S2N_SERIALIZED_CONN_NONE = 0,
    S2N_SERIALIZED_CONN_V1 = 1,
}
c_enum_arg!(SerializationVersionArg => s2n_serialization_version { S2N_SERIALIZED_CONN_NONE, S2N_SERIALIZED_CONN_V1 });

pub type s2n_clock_time_nanoseconds = Option<unsafe extern "C" fn(*mut c_void, *mut u64) -> c_int>;

pub type s2n_cache_retrieve_callback = Option<
    unsafe extern "C" fn(
        conn: *mut s2n_connection,
        *mut c_void,
        key: *const c_void,
        key_size: u64,
        value: *mut c_void,
        value_size: *mut u64,
    ) -> c_int,
>;

pub type s2n_cache_store_callback = Option<
    unsafe extern "C" fn(
        conn: *mut s2n_connection,
        *mut c_void,
        ttl_in_seconds: u64,
        key: *const c_void,
        key_size: u64,
        value: *const c_void,
        value_size: u64,
    ) -> c_int,
>;

pub type s2n_cache_delete_callback = Option<
    unsafe extern "C" fn(
        conn: *mut s2n_connection,
        *mut c_void,
        key: *const c_void,
        key_size: u64,
    ) -> c_int,
>;

pub type s2n_mem_init_callback = Option<unsafe extern "C" fn() -> c_int>;

pub type s2n_mem_cleanup_callback = Option<unsafe extern "C" fn() -> c_int>;

pub type s2n_mem_malloc_callback = Option<
    unsafe extern "C" fn(ptr: *mut *mut c_void, requested: u32, allocated: *mut u32) -> c_int,
>;

pub type s2n_mem_free_callback = Option<unsafe extern "C" fn(ptr: *mut c_void, size: u32) -> c_int>;

pub type s2n_rand_init_callback = Option<unsafe extern "C" fn() -> c_int>;

pub type s2n_rand_cleanup_callback = Option<unsafe extern "C" fn() -> c_int>;

pub type s2n_rand_seed_callback =
    Option<unsafe extern "C" fn(data: *mut c_void, size: u32) -> c_int>;

pub type s2n_rand_mix_callback =
    Option<unsafe extern "C" fn(data: *mut c_void, size: u32) -> c_int>;

pub type s2n_cert_tiebreak_callback = Option<
    unsafe extern "C" fn(
        cert1: *mut s2n_cert_chain_and_key,
        cert2: *mut s2n_cert_chain_and_key,
        name: *mut u8,
        name_len: u32,
    ) -> *mut s2n_cert_chain_and_key,
>;

pub type s2n_verify_host_fn = Option<
    unsafe extern "C" fn(host_name: *const c_char, host_name_len: usize, data: *mut c_void) -> u8,
>;

pub type s2n_client_hello_fn =
    Option<unsafe extern "C" fn(conn: *mut s2n_connection, ctx: *mut c_void) -> c_int>;

pub type s2n_recv_fn =
    Option<unsafe extern "C" fn(io_context: *mut c_void, buf: *mut u8, len: u32) -> c_int>;

pub type s2n_send_fn =
    Option<unsafe extern "C" fn(io_context: *mut c_void, buf: *const u8, len: u32) -> c_int>;

pub type s2n_session_ticket_fn = Option<
    unsafe extern "C" fn(
        conn: *mut s2n_connection,
        ctx: *mut c_void,
        ticket: *mut s2n_session_ticket,
    ) -> c_int,
>;

pub type s2n_psk_selection_callback = Option<
    unsafe extern "C" fn(
        conn: *mut s2n_connection,
        context: *mut c_void,
        psk_list: *mut s2n_offered_psk_list,
    ) -> c_int,
>;

pub type s2n_async_pkey_fn =
    Option<unsafe extern "C" fn(conn: *mut s2n_connection, op: *mut s2n_async_pkey_op) -> c_int>;

pub type s2n_key_log_fn = Option<
    unsafe extern "C" fn(
        ctx: *mut c_void,
        conn: *mut s2n_connection,
        logline: *mut u8,
        len: usize,
    ) -> c_int,
>;

pub type s2n_early_data_cb = Option<
    unsafe extern "C" fn(
        conn: *mut s2n_connection,
        early_data: *mut s2n_offered_early_data,
    ) -> c_int,
>;

pub type s2n_cert_public_key = s2n_pkey;
pub type s2n_cert_private_key = s2n_pkey;
