//! s2n's errors: one table of (name, category, index, message) gives the
//! numeric codes exactly as s2n-tls numbers them (`category << 26 | index`),
//! their names and messages; `s2n_errno` and the debug location are recorded
//! here for every failure. The `s2n_strerror*` family and the stack-trace
//! functions are the C view of it.

#![forbid(unsafe_code)]

use std::cell::RefCell;
use std::ffi::{CStr, c_char, c_int};
use std::panic::Location;

use crate::ffi::{self, c_bytes_str};

/// Bits of an error code that hold the index within its category.
pub(crate) const S2N_ERR_NUM_VALUE_BITS: u32 = 26;

/// One row of the table.
pub struct ErrorInfo {
    pub code: c_int,
    /// The `S2N_ERR_*` name, NUL-terminated.
    pub name: &'static str,
    /// s2n's English message, NUL-terminated.
    pub message: &'static str,
}

impl ErrorInfo {
    pub fn name(&self) -> &'static str {
        self.name.trim_end_matches('\0')
    }
}

macro_rules! errors {
    ($($name:ident = $cat:ident $idx:literal $msg:literal;)*) => {
        $(pub const $name: c_int =
            ((s2n_error_type::$cat as c_int) << S2N_ERR_NUM_VALUE_BITS) | $idx;)*

        /// Every error, sorted by code.
        pub static ERRORS: &[ErrorInfo] = &[
            $(ErrorInfo {
                code: $name,
                name: concat!(stringify!($name), "\0"),
                message: concat!($msg, "\0"),
            },)*
        ];
    };
}

/// `s2n_error_type` members by their short name, for the table below.
#[allow(non_upper_case_globals, dead_code)]
mod s2n_error_type {
    pub use crate::types::s2n_error_type::{
        S2N_ERR_T_ALERT as ALERT, S2N_ERR_T_BLOCKED as BLOCKED, S2N_ERR_T_CLOSED as CLOSED,
        S2N_ERR_T_INTERNAL as INTERNAL, S2N_ERR_T_IO as IO, S2N_ERR_T_OK as OK,
        S2N_ERR_T_PROTO as PROTO, S2N_ERR_T_USAGE as USAGE,
    };
}

errors! {
    S2N_ERR_OK = OK 0 "no error";
    S2N_ERR_IO = IO 0 "underlying I/O operation failed, check system errno";
    S2N_ERR_CLOSED = CLOSED 0 "connection is closed";
    S2N_ERR_IO_BLOCKED = BLOCKED 0 "underlying I/O operation would block";
    S2N_ERR_ASYNC_BLOCKED = BLOCKED 1 "blocked on external async function invocation";
    S2N_ERR_EARLY_DATA_BLOCKED = BLOCKED 2 "Blocked on early data";
    S2N_ERR_APP_DATA_BLOCKED = BLOCKED 3 "Blocked on application data during handshake";
    S2N_ERR_ALERT = ALERT 0 "TLS alert received";
    S2N_ERR_ENCRYPT = PROTO 0 "error encrypting data";
    S2N_ERR_DECRYPT = PROTO 1 "error decrypting data";
    S2N_ERR_BAD_MESSAGE = PROTO 2 "Bad message encountered";
    S2N_ERR_UNEXPECTED_CERT_REQUEST = PROTO 3 "Client forbids mutual authentication, but server requested a cert";
    S2N_ERR_MISSING_CERT_REQUEST = PROTO 4 "Client requires mutual authentication, but server did not request a cert";
    S2N_ERR_MISSING_CLIENT_CERT = PROTO 5 "Server requires client certificate";
    S2N_ERR_KEY_INIT = PROTO 6 "error initializing encryption key";
    S2N_ERR_KEY_DESTROY = PROTO 7 "error destroying encryption key";
    S2N_ERR_DH_SERIALIZING = PROTO 8 "error serializing Diffie-Hellman parameters";
    S2N_ERR_DH_SHARED_SECRET = PROTO 9 "error computing Diffie-Hellman shared secret";
    S2N_ERR_DH_WRITING_PUBLIC_KEY = PROTO 10 "error writing Diffie-Hellman public key";
    S2N_ERR_DH_FAILED_SIGNING = PROTO 11 "error signing Diffie-Hellman values";
    S2N_ERR_DH_COPYING_PARAMETERS = PROTO 12 "error copying Diffie-Hellman parameters";
    S2N_ERR_DH_GENERATING_PARAMETERS = PROTO 13 "error generating Diffie-Hellman parameters";
    S2N_ERR_CIPHER_NOT_SUPPORTED = PROTO 14 "Cipher is not supported";
    S2N_ERR_NO_APPLICATION_PROTOCOL = PROTO 15 "No supported application protocol to negotiate";
    S2N_ERR_FALLBACK_DETECTED = PROTO 16 "TLS fallback detected";
    S2N_ERR_HASH_DIGEST_FAILED = PROTO 17 "failed to create hash digest";
    S2N_ERR_HASH_INIT_FAILED = PROTO 18 "error initializing hash";
    S2N_ERR_HASH_UPDATE_FAILED = PROTO 19 "error updating hash";
    S2N_ERR_HASH_COPY_FAILED = PROTO 20 "error copying hash";
    S2N_ERR_HASH_WIPE_FAILED = PROTO 21 "error wiping hash";
    S2N_ERR_HASH_NOT_READY = PROTO 22 "hash not in a valid state for the attempted operation";
    S2N_ERR_ALLOW_MD5_FOR_FIPS_FAILED = PROTO 23 "error allowing MD5 to be used when in FIPS mode";
    S2N_ERR_DECODE_CERTIFICATE = PROTO 24 "error decoding certificate";
    S2N_ERR_DECODE_PRIVATE_KEY = PROTO 25 "error decoding private key";
    S2N_ERR_INVALID_HELLO_RETRY = PROTO 26 "Invalid hello retry request";
    S2N_ERR_INVALID_SIGNATURE_ALGORITHM = PROTO 27 "Invalid signature algorithm";
    S2N_ERR_INVALID_SIGNATURE_SCHEME = PROTO 28 "Invalid signature scheme";
    S2N_ERR_NO_VALID_SIGNATURE_SCHEME = PROTO 29 "Unable to negotiate a supported signature scheme";
    S2N_ERR_CBC_VERIFY = PROTO 30 "Failed CBC verification";
    S2N_ERR_DH_COPYING_PUBLIC_KEY = PROTO 31 "error copying Diffie-Hellman public key";
    S2N_ERR_SIGN = PROTO 32 "error signing data";
    S2N_ERR_VERIFY_SIGNATURE = PROTO 33 "error verifying signature";
    S2N_ERR_ECDHE_GEN_KEY = PROTO 34 "Failed to generate an ECDHE key";
    S2N_ERR_ECDHE_SHARED_SECRET = PROTO 35 "Error computing ECDHE shared secret";
    S2N_ERR_ECDHE_UNSUPPORTED_CURVE = PROTO 36 "Unsupported EC curve was presented during an ECDHE handshake";
    S2N_ERR_ECDHE_INVALID_PUBLIC_KEY = PROTO 37 "Failed to validate the peer's point on the elliptic curve";
    S2N_ERR_ECDHE_INVALID_PUBLIC_KEY_FIPS = PROTO 38 "Failed to validate the peer's point on the elliptic curve, per FIPS requirements";
    S2N_ERR_ECDSA_UNSUPPORTED_CURVE = PROTO 39 "Unsupported EC curve was presented during an ECDSA SignatureScheme handshake";
    S2N_ERR_ECDHE_SERIALIZING = PROTO 40 "Error serializing ECDHE public";
    S2N_ERR_KEM_UNSUPPORTED_PARAMS = PROTO 41 "Unsupported KEM params was presented during a handshake that uses a KEM";
    S2N_ERR_SHUTDOWN_RECORD_TYPE = PROTO 42 "Non alert record received during s2n_shutdown()";
    S2N_ERR_SHUTDOWN_CLOSED = PROTO 43 "Peer closed before sending their close_notify";
    S2N_ERR_NON_EMPTY_RENEGOTIATION_INFO = PROTO 44 "renegotiation_info should be empty";
    S2N_ERR_RECORD_LIMIT = PROTO 45 "TLS record limit reached";
    S2N_ERR_CERT_UNTRUSTED = PROTO 46 "Certificate is untrusted";
    S2N_ERR_CERT_INVALID_HOSTNAME = PROTO 47 "Certificate is not valid for the supplied hostname";
    S2N_ERR_CERT_REVOKED = PROTO 48 "Certificate has been revoked by the CA";
    S2N_ERR_CERT_NOT_YET_VALID = PROTO 49 "Certificate is not yet valid";
    S2N_ERR_CERT_EXPIRED = PROTO 50 "Certificate has expired";
    S2N_ERR_CERT_TYPE_UNSUPPORTED = PROTO 51 "Certificate Type is unsupported";
    S2N_ERR_CERT_INVALID = PROTO 52 "Certificate is invalid";
    S2N_ERR_CERT_MAX_CHAIN_DEPTH_EXCEEDED = PROTO 53 "The maximum certificate chain depth has been exceeded";
    S2N_ERR_CERT_REJECTED = PROTO 54 "Certificate failed custom application validation";
    S2N_ERR_CERT_UNHANDLED_CRITICAL_EXTENSION = PROTO 55 "Unhandled critical certificate extension";
    S2N_ERR_CRL_LOOKUP_FAILED = PROTO 56 "No CRL could be found for the corresponding certificate";
    S2N_ERR_CRL_SIGNATURE = PROTO 57 "The signature of the CRL is invalid";
    S2N_ERR_CRL_ISSUER = PROTO 58 "Unable to get the CRL issuer certificate";
    S2N_ERR_CRL_UNHANDLED_CRITICAL_EXTENSION = PROTO 59 "Unhandled critical CRL extension";
    S2N_ERR_CRL_INVALID_THIS_UPDATE = PROTO 60 "The CRL contains an invalid thisUpdate field";
    S2N_ERR_CRL_INVALID_NEXT_UPDATE = PROTO 61 "The CRL contains an invalid nextUpdate field";
    S2N_ERR_CRL_NOT_YET_VALID = PROTO 62 "The CRL is not yet valid";
    S2N_ERR_CRL_EXPIRED = PROTO 63 "The CRL has expired";
    S2N_ERR_INVALID_MAX_FRAG_LEN = PROTO 64 "invalid Maximum Fragmentation Length encountered";
    S2N_ERR_MAX_FRAG_LEN_MISMATCH = PROTO 65 "Negotiated Maximum Fragmentation Length from server does not match the requested length by client";
    S2N_ERR_PROTOCOL_VERSION_UNSUPPORTED = PROTO 66 "TLS protocol version is not supported by configuration";
    S2N_ERR_BAD_KEY_SHARE = PROTO 67 "Bad key share received";
    S2N_ERR_CANCELLED = PROTO 68 "handshake was cancelled";
    S2N_ERR_PROTOCOL_DOWNGRADE_DETECTED = PROTO 69 "Protocol downgrade detected by client";
    S2N_ERR_MAX_INNER_PLAINTEXT_SIZE = PROTO 70 "Inner plaintext size exceeds limit";
    S2N_ERR_RECORD_STUFFER_SIZE = PROTO 71 "Record stuffer out of space";
    S2N_ERR_FRAGMENT_LENGTH_TOO_LARGE = PROTO 72 "Fragment length is too large";
    S2N_ERR_FRAGMENT_LENGTH_TOO_SMALL = PROTO 73 "Fragment length is too small";
    S2N_ERR_RECORD_STUFFER_NEEDS_DRAINING = PROTO 74 "Record stuffer needs to be drained first";
    S2N_ERR_MISSING_EXTENSION = PROTO 75 "Mandatory extension not received";
    S2N_ERR_UNSUPPORTED_EXTENSION = PROTO 76 "Illegal use of a known, supported extension";
    S2N_ERR_DUPLICATE_EXTENSION = PROTO 77 "Extension block contains two or more extensions of the same type";
    S2N_ERR_MAX_EARLY_DATA_SIZE = PROTO 78 "Maximum early data bytes exceeded";
    S2N_ERR_EARLY_DATA_TRIAL_DECRYPT = PROTO 79 "Unable to decrypt rejected early data";
    S2N_ERR_NO_RENEGOTIATION = PROTO 80 "Only secure, server-initiated renegotiation is supported";
    S2N_ERR_KTLS_KEYUPDATE = PROTO 81 "Received KeyUpdate from peer, but kernel does not support updating tls keys";
    S2N_ERR_CERT_INTENT_INVALID = PROTO 82 "Certificate intent is invalid for the current context.";
    S2N_ERR_MADVISE = INTERNAL 0 "error calling madvise";
    S2N_ERR_ALLOC = INTERNAL 1 "error allocating memory";
    S2N_ERR_MLOCK = INTERNAL 2 "error calling mlock (Did you run prlimit?)";
    S2N_ERR_MUNLOCK = INTERNAL 3 "error calling munlock";
    S2N_ERR_FSTAT = INTERNAL 4 "error calling fstat";
    S2N_ERR_OPEN = INTERNAL 5 "error calling open";
    S2N_ERR_MMAP = INTERNAL 6 "error calling mmap";
    S2N_ERR_ATEXIT = INTERNAL 7 "error calling atexit";
    S2N_ERR_NOMEM = INTERNAL 8 "no memory";
    S2N_ERR_NULL = INTERNAL 9 "NULL pointer encountered";
    S2N_ERR_SAFETY = INTERNAL 10 "a safety check failed";
    S2N_ERR_INITIALIZED = INTERNAL 11 "s2n is initialized";
    S2N_ERR_NOT_INITIALIZED = INTERNAL 12 "s2n not initialized";
    S2N_ERR_RANDOM_UNINITIALIZED = INTERNAL 13 "s2n entropy not initialized";
    S2N_ERR_OPEN_RANDOM = INTERNAL 14 "error opening urandom";
    S2N_ERR_RESIZE_STATIC_STUFFER = INTERNAL 15 "cannot resize a static stuffer";
    S2N_ERR_RESIZE_TAINTED_STUFFER = INTERNAL 16 "cannot resize a tainted stuffer";
    S2N_ERR_STUFFER_OUT_OF_DATA = INTERNAL 17 "stuffer is out of data";
    S2N_ERR_STUFFER_IS_FULL = INTERNAL 18 "stuffer is full";
    S2N_ERR_STUFFER_NOT_FOUND = INTERNAL 19 "stuffer expected bytes were not found";
    S2N_ERR_STUFFER_HAS_UNPROCESSED_DATA = INTERNAL 20 "stuffer has unprocessed data";
    S2N_ERR_HASH_INVALID_ALGORITHM = INTERNAL 21 "invalid hash algorithm";
    S2N_ERR_PRF_INVALID_ALGORITHM = INTERNAL 22 "invalid prf hash algorithm";
    S2N_ERR_PRF_INVALID_SEED = INTERNAL 23 "invalid prf seeds provided";
    S2N_ERR_PRF_DERIVE = INTERNAL 24 "error deriving a secret from the PRF";
    S2N_ERR_P_HASH_INVALID_ALGORITHM = INTERNAL 25 "invalid p_hash algorithm";
    S2N_ERR_P_HASH_INIT_FAILED = INTERNAL 26 "error initializing p_hash";
    S2N_ERR_P_HASH_UPDATE_FAILED = INTERNAL 27 "error updating p_hash";
    S2N_ERR_P_HASH_FINAL_FAILED = INTERNAL 28 "error creating p_hash digest";
    S2N_ERR_P_HASH_WIPE_FAILED = INTERNAL 29 "error wiping p_hash";
    S2N_ERR_HMAC_INVALID_ALGORITHM = INTERNAL 30 "invalid HMAC algorithm";
    S2N_ERR_HKDF_OUTPUT_SIZE = INTERNAL 31 "invalid HKDF output size";
    S2N_ERR_HKDF = INTERNAL 32 "error generating HKDF output";
    S2N_ERR_ALERT_PRESENT = INTERNAL 33 "TLS alert is already pending";
    S2N_ERR_HANDSHAKE_STATE = INTERNAL 34 "Invalid handshake state encountered";
    S2N_ERR_SHUTDOWN_PAUSED = INTERNAL 35 "s2n_shutdown() called while paused";
    S2N_ERR_SIZE_MISMATCH = INTERNAL 36 "size mismatch";
    S2N_ERR_RANDOM = INTERNAL 37 "Error generating random data";
    S2N_ERR_KEY_CHECK = INTERNAL 38 "Invalid key";
    S2N_ERR_CIPHER_TYPE = INTERNAL 39 "Unknown cipher type used";
    S2N_ERR_MAP_DUPLICATE = INTERNAL 40 "Duplicate map key inserted";
    S2N_ERR_MAP_IMMUTABLE = INTERNAL 41 "Attempt to update an immutable map";
    S2N_ERR_MAP_MUTABLE = INTERNAL 42 "Attempt to lookup a mutable map";
    S2N_ERR_MAP_INVALID_MAP_SIZE = INTERNAL 43 "Attempt to create a map with 0 capacity";
    S2N_ERR_INITIAL_HMAC = INTERNAL 44 "error calling EVP_CIPHER_CTX_ctrl for composite cbc cipher";
    S2N_ERR_INVALID_NONCE_TYPE = INTERNAL 45 "Invalid AEAD nonce type";
    S2N_ERR_UNIMPLEMENTED = INTERNAL 46 "Unimplemented feature";
    S2N_ERR_HANDSHAKE_UNREACHABLE = INTERNAL 47 "Unreachable handshake state machine handler invoked";
    S2N_ERR_READ = INTERNAL 48 "error calling read";
    S2N_ERR_WRITE = INTERNAL 49 "error calling write";
    S2N_ERR_BAD_FD = INTERNAL 50 "Invalid file descriptor";
    S2N_ERR_RDRAND_FAILED = INTERNAL 51 "Error executing rdrand instruction";
    S2N_ERR_FAILED_CACHE_RETRIEVAL = INTERNAL 52 "Failed cache retrieval";
    S2N_ERR_X509_TRUST_STORE = INTERNAL 53 "Error initializing trust store";
    S2N_ERR_UNKNOWN_PROTOCOL_VERSION = INTERNAL 54 "Error determining client protocol version";
    S2N_ERR_NULL_CN_NAME = INTERNAL 55 "Error parsing CN names";
    S2N_ERR_NULL_SANS = INTERNAL 56 "Error parsing SANS";
    S2N_ERR_CLIENT_HELLO_VERSION = INTERNAL 57 "Could not get client hello version";
    S2N_ERR_CLIENT_PROTOCOL_VERSION = INTERNAL 58 "Could not get client protocol version";
    S2N_ERR_SERVER_PROTOCOL_VERSION = INTERNAL 59 "Could not get server protocol version";
    S2N_ERR_ACTUAL_PROTOCOL_VERSION = INTERNAL 60 "Could not get actual protocol version";
    S2N_ERR_POLLING_FROM_SOCKET = INTERNAL 61 "Error polling from socket";
    S2N_ERR_RECV_STUFFER_FROM_CONN = INTERNAL 62 "Error receiving stuffer from connection";
    S2N_ERR_SEND_STUFFER_TO_CONN = INTERNAL 63 "Error sending stuffer to connection";
    S2N_ERR_PRECONDITION_VIOLATION = INTERNAL 64 "Precondition violation";
    S2N_ERR_POSTCONDITION_VIOLATION = INTERNAL 65 "Postcondition violation";
    S2N_ERR_INTEGER_OVERFLOW = INTERNAL 66 "Integer overflow violation";
    S2N_ERR_ARRAY_INDEX_OOB = INTERNAL 67 "Array index out of bounds";
    S2N_ERR_FREE_STATIC_BLOB = INTERNAL 68 "Cannot free a static blob";
    S2N_ERR_RESIZE_STATIC_BLOB = INTERNAL 69 "Cannot resize a static blob";
    S2N_ERR_RECORD_LENGTH_TOO_LARGE = INTERNAL 70 "Record length exceeds protocol version maximum";
    S2N_ERR_SET_DUPLICATE_VALUE = INTERNAL 71 "Set already contains the provided value";
    S2N_ERR_INVALID_PARSED_EXTENSIONS = INTERNAL 72 "Invalid parsed extension data";
    S2N_ERR_ASYNC_CALLBACK_FAILED = INTERNAL 73 "Callback associated with async private keys function has failed";
    S2N_ERR_ASYNC_MORE_THAN_ONE = INTERNAL 74 "Only one asynchronous operation can be in-progress at the same time";
    S2N_ERR_PQ_CRYPTO = INTERNAL 75 "An error occurred in a post-quantum crypto function";
    S2N_ERR_INVALID_CERT_STATE = INTERNAL 76 "Certificate validation entered an invalid state and is not able to continue";
    S2N_ERR_INVALID_SUPPORTED_GROUP_STATE = INTERNAL 77 "SupportedGroup preference decision entered invalid state and selected both KEM and EC Curve";
    S2N_ERR_INVALID_EARLY_DATA_STATE = INTERNAL 78 "Early data in invalid state";
    S2N_ERR_PKEY_CTX_INIT = INTERNAL 79 "Unable to initialize the libcrypto pkey context";
    S2N_ERR_LIBCRYPTO_VERSION_NUMBER_MISMATCH = INTERNAL 80 "The libcrypto major version number seen at compile-time is different from the major version number seen at run-time";
    S2N_ERR_LIBCRYPTO_VERSION_NAME_MISMATCH = INTERNAL 81 "The libcrypto major version name seen at compile-time is different from the major version name seen at run-time";
    S2N_ERR_INTERNAL_LIBCRYPTO_ERROR = INTERNAL 82 "An internal error has occurred in the libcrypto API";
    S2N_ERR_OSSL_PROVIDER = INTERNAL 83 "Failed to load or unload an openssl provider";
    S2N_ERR_BAD_HEX = INTERNAL 84 "Could not parse malformed hex string";
    S2N_ERR_TEST_ASSERTION = INTERNAL 85 "Test assertion failed";
    S2N_ERR_CONFIG_NULL_BEFORE_CH_CALLBACK = INTERNAL 86 "Config set to NULL before client hello callback. This should not be possible outside of tests.";
    S2N_ERR_ZERO_LIFETIME_TICKET = INTERNAL 87 "Calculated session lifetime is zero";
    S2N_ERR_NO_ALERT = USAGE 0 "No Alert present";
    S2N_ERR_SERVER_MODE = USAGE 1 "Operation not allowed in server mode";
    S2N_ERR_CLIENT_MODE = USAGE 2 "Operation not allowed in client mode";
    S2N_ERR_CLIENT_MODE_DISABLED = USAGE 3 "client connections not allowed";
    S2N_ERR_TOO_MANY_CERTIFICATES = USAGE 4 "only 1 certificate is supported in client mode";
    S2N_ERR_TOO_MANY_SIGNATURE_SCHEMES = USAGE 5 "Max supported length of SignatureAlgorithms/SignatureSchemes list is 128";
    S2N_ERR_CLIENT_AUTH_NOT_SUPPORTED_IN_FIPS_MODE = USAGE 6 "Client Auth is not supported when in FIPS mode";
    S2N_ERR_INVALID_BASE64 = USAGE 7 "invalid base64 encountered";
    S2N_ERR_INVALID_HEX = USAGE 8 "invalid HEX encountered";
    S2N_ERR_INVALID_PEM = USAGE 9 "invalid PEM encountered";
    S2N_ERR_DH_PARAMS_CREATE = USAGE 10 "error creating Diffie-Hellman parameters";
    S2N_ERR_DH_TOO_SMALL = USAGE 11 "Diffie-Hellman parameters are too small";
    S2N_ERR_DH_PARAMETER_CHECK = USAGE 12 "Diffie-Hellman parameter check failed";
    S2N_ERR_INVALID_PKCS3 = USAGE 13 "invalid PKCS3 encountered";
    S2N_ERR_NO_CERTIFICATE_IN_PEM = USAGE 14 "No certificate in PEM";
    S2N_ERR_SERVER_NAME_TOO_LONG = USAGE 15 "server name is too long";
    S2N_ERR_NUM_DEFAULT_CERTIFICATES = USAGE 16 "exceeded max default certificates or provided no default";
    S2N_ERR_MULTIPLE_DEFAULT_CERTIFICATES_PER_AUTH_TYPE = USAGE 17 "setting multiple default certificates per auth type is not allowed";
    S2N_ERR_INVALID_CIPHER_PREFERENCES = USAGE 18 "Invalid Cipher Preferences version";
    S2N_ERR_INVALID_APPLICATION_PROTOCOL = USAGE 19 "The supplied application protocol name is invalid";
    S2N_ERR_KEY_MISMATCH = USAGE 20 "public and private key do not match";
    S2N_ERR_SEND_SIZE = USAGE 21 "Retried s2n_send() size is invalid";
    S2N_ERR_CORK_SET_ON_UNMANAGED = USAGE 22 "Attempt to set connection cork management on unmanaged IO";
    S2N_ERR_UNRECOGNIZED_EXTENSION = USAGE 23 "TLS extension not recognized";
    S2N_ERR_EXTENSION_NOT_RECEIVED = USAGE 24 "The TLS extension was not received";
    S2N_ERR_INVALID_SCT_LIST = USAGE 25 "SCT list is invalid";
    S2N_ERR_INVALID_OCSP_RESPONSE = USAGE 26 "OCSP response is invalid";
    S2N_ERR_UPDATING_EXTENSION = USAGE 27 "Updating extension data failed";
    S2N_ERR_INVALID_SERIALIZED_SESSION_STATE = USAGE 28 "Serialized session state is not in valid format";
    S2N_ERR_SERIALIZED_SESSION_STATE_TOO_LONG = USAGE 29 "Serialized session state is too long";
    S2N_ERR_SESSION_ID_TOO_LONG = USAGE 30 "Session id is too long";
    S2N_ERR_CLIENT_AUTH_NOT_SUPPORTED_IN_SESSION_RESUMPTION_MODE = USAGE 31 "Client Auth is not supported in session resumption mode";
    S2N_ERR_INVALID_TICKET_KEY_LENGTH = USAGE 32 "Session ticket key length cannot be zero";
    S2N_ERR_INVALID_TICKET_KEY_NAME_OR_NAME_LENGTH = USAGE 33 "Session ticket key name should be unique and the name length cannot be zero";
    S2N_ERR_TICKET_KEY_NOT_UNIQUE = USAGE 34 "Cannot add session ticket key because it was added before";
    S2N_ERR_TICKET_KEY_LIMIT = USAGE 35 "Limit reached for unexpired session ticket keys";
    S2N_ERR_NO_TICKET_ENCRYPT_DECRYPT_KEY = USAGE 36 "No key in encrypt-decrypt state is available to encrypt session ticket";
    S2N_ERR_ENCRYPT_DECRYPT_KEY_SELECTION_FAILED = USAGE 37 "Failed to select a key from keys in encrypt-decrypt state";
    S2N_ERR_KEY_USED_IN_SESSION_TICKET_NOT_FOUND = USAGE 38 "Key used in already assigned session ticket not found for decryption";
    S2N_ERR_SENDING_NST = USAGE 39 "Error in session ticket status encountered before sending NST";
    S2N_ERR_INVALID_DYNAMIC_THRESHOLD = USAGE 40 "invalid dynamic record threshold";
    S2N_ERR_INVALID_ARGUMENT = USAGE 41 "invalid argument provided into a function call";
    S2N_ERR_NOT_IN_UNIT_TEST = USAGE 42 "Illegal configuration, can only be used during unit tests";
    S2N_ERR_NOT_IN_TEST = USAGE 43 "Illegal configuration, can only be used during unit or integration tests";
    S2N_ERR_UNSUPPORTED_CPU = USAGE 44 "Unsupported CPU architecture";
    S2N_ERR_SESSION_ID_TOO_SHORT = USAGE 45 "Session id is too short";
    S2N_ERR_CONNECTION_CACHING_DISALLOWED = USAGE 46 "This connection is not allowed to be cached";
    S2N_ERR_SESSION_TICKET_NOT_SUPPORTED = USAGE 47 "Session ticket not supported for this connection";
    S2N_ERR_OCSP_NOT_SUPPORTED = USAGE 48 "OCSP stapling was requested, but is not supported";
    S2N_ERR_INVALID_SIGNATURE_ALGORITHMS_PREFERENCES = USAGE 49 "Invalid signature algorithms preferences version";
    S2N_ERR_RSA_PSS_NOT_SUPPORTED = USAGE 50 "RSA-PSS signing not supported by underlying libcrypto implementation";
    S2N_ERR_INVALID_ECC_PREFERENCES = USAGE 51 "Invalid ecc curves preferences version";
    S2N_ERR_DEPRECATED_SECURITY_POLICY = USAGE 52 "Deprecated security policy. Please choose a different security policy.";
    S2N_ERR_INVALID_SECURITY_POLICY = USAGE 53 "Invalid security policy";
    S2N_ERR_INVALID_KEM_PREFERENCES = USAGE 54 "Invalid kem preferences version";
    S2N_ERR_ASYNC_ALREADY_PERFORMED = USAGE 55 "Async operation was already performed, cannot perform it again";
    S2N_ERR_ASYNC_NOT_PERFORMED = USAGE 56 "Async operation is not performed, cannot apply its result";
    S2N_ERR_ASYNC_WRONG_CONNECTION = USAGE 57 "Async private key operation can only be consumed by connection which initiated it";
    S2N_ERR_ASYNC_ALREADY_APPLIED = USAGE 58 "Async operation was already applied to connection, cannot apply it again";
    S2N_ERR_UNSUPPORTED_WITH_QUIC = USAGE 59 "Functionality not supported when running with QUIC support enabled";
    S2N_ERR_DUPLICATE_PSK_IDENTITIES = USAGE 60 "The list of pre-shared keys provided contains duplicate psk identities";
    S2N_ERR_OFFERED_PSKS_TOO_LONG = USAGE 61 "The total pre-shared key data is too long to send over the wire";
    S2N_ERR_INVALID_SESSION_TICKET = USAGE 62 "Session ticket data is not valid";
    S2N_ERR_REENTRANCY = USAGE 63 "Original execution must complete before method can be called again";
    S2N_ERR_INVALID_STATE = USAGE 64 "Invalid state, this is the result of invalid use of an API. Check the API documentation for the function that raised this error for more info";
    S2N_ERR_EARLY_DATA_NOT_ALLOWED = USAGE 65 "Early data is not allowed by the connection";
    S2N_ERR_NO_CERT_FOUND = USAGE 66 "Certificate not found";
    S2N_ERR_CERT_NOT_VALIDATED = USAGE 67 "Certificate not validated";
    S2N_ERR_NO_PRIVATE_KEY = USAGE 68 "Certificate found, but no corresponding private key";
    S2N_ERR_PSK_MODE = USAGE 69 "Mixing resumption and external PSKs is not supported";
    S2N_ERR_X509_EXTENSION_VALUE_NOT_FOUND = USAGE 70 "X509 extension value not found";
    S2N_ERR_INVALID_X509_EXTENSION_TYPE = USAGE 71 "Invalid X509 extension type";
    S2N_ERR_INSUFFICIENT_MEM_SIZE = USAGE 72 "The provided buffer size is not large enough to contain the output data. Try increasing the allocation size.";
    S2N_ERR_KEYING_MATERIAL_EXPIRED = USAGE 73 "The lifetime of the connection keying material has exceeded the limit. Perform a new full handshake.";
    S2N_ERR_SECRET_SCHEDULE_STATE = USAGE 74 "Correct inputs to secret calculation not available";
    S2N_ERR_CERT_OWNERSHIP = USAGE 75 "The ownership of the certificate chain is incompatible with the operation";
    S2N_ERR_HANDSHAKE_NOT_COMPLETE = USAGE 76 "Operation is only allowed after the handshake is complete";
    S2N_ERR_KTLS_MANAGED_IO = USAGE 77 "kTLS cannot be enabled while custom I/O is configured for the connection";
    S2N_ERR_KTLS_UNSUPPORTED_PLATFORM = USAGE 78 "kTLS is unsupported on this platform";
    S2N_ERR_KTLS_UNSUPPORTED_CONN = USAGE 79 "kTLS is unsupported for this connection";
    S2N_ERR_KTLS_ENABLE = USAGE 80 "An error occurred when attempting to enable kTLS on socket. Ensure the 'tls' kernel module is enabled.";
    S2N_ERR_KTLS_BAD_CMSG = USAGE 81 "Error handling cmsghdr.";
    S2N_ERR_KTLS_RENEG = USAGE 82 "kTLS does not support secure renegotiation";
    S2N_ERR_KTLS_SOCKOPT = USAGE 83 "A call to sockopt failed when attempting to update the keys in the kernel";
    S2N_ERR_ATOMIC = USAGE 84 "Atomic operations in this environment would require locking";
    S2N_ERR_KTLS_KEY_LIMIT = USAGE 85 "Reached key encryption limit, but kernel does not support updating tls keys";
    S2N_ERR_SECURITY_POLICY_INCOMPATIBLE_CERT = USAGE 86 "The certificate key or signature is not allowed by the security policy";
    S2N_ERR_INVALID_SERIALIZED_CONNECTION = USAGE 87 "Serialized connection is invalid";
    S2N_ERR_TOO_MANY_CAS = USAGE 88 "Too many certificate authorities in trust store";
    S2N_ERR_API_UNSUPPORTED_BY_LIBCRYPTO = USAGE 89 "The invoked s2n-tls API is not supported by the libcrypto";
    S2N_ERR_FIPS_MODE_UNSUPPORTED = USAGE 90 "FIPS mode is not supported for the libcrypto";
}

/// The table row for a code.
pub fn lookup(code: c_int) -> Option<&'static ErrorInfo> {
    ERRORS
        .binary_search_by_key(&code, |e| e.code)
        .ok()
        .map(|i| &ERRORS[i])
}

pub(crate) const NO_SUCH_ERROR: &CStr = c"Internal s2n error";
pub(crate) const NO_SUCH_LANGUAGE: &CStr = c"Language is not supported for error translation";

/// A failure on its way to C: the s2n error code, where it was raised, and
/// for unsupported features why.
#[derive(Debug, Clone)]
pub struct Error {
    pub code: c_int,
    location: &'static Location<'static>,
    reason: Option<&'static str>,
}

impl Error {
    #[track_caller]
    pub fn new(code: c_int) -> Self {
        Self {
            code,
            location: Location::caller(),
            reason: None,
        }
    }

    /// An error whose debug string also says why.
    #[track_caller]
    pub fn with_reason(code: c_int, reason: &'static str) -> Self {
        Self {
            code,
            location: Location::caller(),
            reason: Some(reason),
        }
    }

    #[track_caller]
    pub fn unimplemented(why: &'static str) -> Self {
        Self::with_reason(S2N_ERR_UNIMPLEMENTED, why)
    }

    /// A panic caught at the boundary.
    #[track_caller]
    pub fn panicked() -> Self {
        Self::with_reason(S2N_ERR_SAFETY, "internal panic caught at the C boundary")
    }

    /// The `s2n_error_type` category.
    pub fn kind(&self) -> c_int {
        self.code >> S2N_ERR_NUM_VALUE_BITS
    }
}

/// A NUL-terminated text buffer of fixed size: recording an error never
/// allocates, so failures before `s2n_mem_set_callbacks` leave no memory behind.
pub(crate) struct TextBuf {
    bytes: [u8; 256],
    len: usize,
}

impl TextBuf {
    const fn new() -> Self {
        Self {
            bytes: [0; 256],
            len: 0,
        }
    }

    fn set(&mut self, args: std::fmt::Arguments<'_>) {
        self.len = 0;
        // Overlong text is cut; the buffer always ends in NUL.
        let _ = std::fmt::Write::write_fmt(self, args);
        self.bytes[self.len] = 0;
    }

    pub(crate) fn as_ptr(&self) -> *const c_char {
        self.bytes.as_ptr().cast()
    }
}

impl std::fmt::Write for TextBuf {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        let room = self.bytes.len() - 1 - self.len;
        let take = s.len().min(room);
        self.bytes[self.len..self.len + take].copy_from_slice(&s.as_bytes()[..take]);
        self.len += take;
        if take < s.len() {
            Err(std::fmt::Error)
        } else {
            Ok(())
        }
    }
}

/// What `s2n_strerror_debug`/`s2n_strerror_source` return for this thread's last error.
pub(crate) struct DebugInfo {
    pub(crate) debug: TextBuf,
    pub(crate) source: TextBuf,
}

thread_local! {
    pub(crate) static DEBUG: RefCell<DebugInfo> = const { RefCell::new(DebugInfo { debug: TextBuf::new(), source: TextBuf::new() }) };
}

/// Records a failure as s2n does: `s2n_errno` and the debug location of this thread.
pub fn record(err: &Error) {
    ffi::set_errno(err.code);
    let (file, line) = (err.location.file(), err.location.line());
    DEBUG.with(|d| {
        let mut d = d.borrow_mut();
        d.source.set(format_args!("{file}:{line}"));
        match err.reason {
            Some(reason) => d
                .debug
                .set(format_args!("Error encountered in {file}:{line}: {reason}")),
            None => d
                .debug
                .set(format_args!("Error encountered in {file}:{line}")),
        }
    });
}

/// Applies s2n's language rule: NULL or "EN" (any case); `None` for any other.
pub(crate) fn english(lang: *const c_char) -> Result<bool, Error> {
    if lang.is_null() {
        return Ok(true);
    }
    Ok(c_bytes_str(lang)?.to_bytes().eq_ignore_ascii_case(b"EN"))
}

pub(crate) fn static_str(s: &'static str) -> *const c_char {
    s.as_ptr().cast()
}

pub(crate) static STACK_TRACES: std::sync::atomic::AtomicBool =
    std::sync::atomic::AtomicBool::new(false);

/// An s2n error code carried through rustls (a certificate verifier's
/// verdict, a record s2nrs refused), for `io::map_tls_error`.
#[derive(Debug)]
pub struct S2nCode(pub c_int);

impl std::fmt::Display for S2nCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(lookup(self.0).map_or("s2n error", |e| e.name()))
    }
}

impl std::error::Error for S2nCode {}

impl S2nCode {
    pub fn into_tls(code: c_int) -> rustls::Error {
        rustls::Error::Other(rustls::OtherError(std::sync::Arc::new(Self(code))))
    }

    /// A certificate verifier's verdict (a bad_certificate alert), mapped
    /// back by `map_tls_error`.
    pub fn into_cert_error(code: c_int) -> rustls::Error {
        rustls::Error::InvalidCertificate(rustls::CertificateError::Other(rustls::OtherError(
            std::sync::Arc::new(Self(code)),
        )))
    }
}

/// s2n's error for a rustls failure.
pub fn map_tls_error(err: &rustls::Error) -> c_int {
    use rustls::{CertificateError as C, Error as E, PeerIncompatible as P};
    match err {
        E::InvalidCertificate(C::Other(other)) => other
            .0
            .downcast_ref::<S2nCode>()
            .map_or(S2N_ERR_CERT_UNTRUSTED, |e| e.0),
        E::Other(other) => other
            .0
            .downcast_ref::<S2nCode>()
            .map_or(S2N_ERR_BAD_MESSAGE, |e| e.0),
        E::InvalidCertificate(C::Expired | C::ExpiredContext { .. }) => S2N_ERR_CERT_EXPIRED,
        E::InvalidCertificate(C::NotValidYet | C::NotValidYetContext { .. }) => {
            S2N_ERR_CERT_NOT_YET_VALID
        }
        E::InvalidCertificate(C::NotValidForName | C::NotValidForNameContext { .. }) => {
            S2N_ERR_CERT_INVALID_HOSTNAME
        }
        E::InvalidCertificate(C::Revoked) => S2N_ERR_CERT_REVOKED,
        E::InvalidCertificate(_) => S2N_ERR_CERT_UNTRUSTED,
        E::NoCertificatesPresented => S2N_ERR_MISSING_CLIENT_CERT,
        E::AlertReceived(_) => S2N_ERR_ALERT,
        E::NoApplicationProtocol => S2N_ERR_NO_APPLICATION_PROTOCOL,
        E::DecryptError => S2N_ERR_DECRYPT,
        E::EncryptError => S2N_ERR_ENCRYPT,
        E::PeerSentOversizedRecord => S2N_ERR_BAD_MESSAGE,
        E::PeerIncompatible(p) => match p {
            P::NoCipherSuitesInCommon => S2N_ERR_CIPHER_NOT_SUPPORTED,
            P::NoKxGroupsInCommon | P::NoEcPointFormatsInCommon => S2N_ERR_ECDHE_UNSUPPORTED_CURVE,
            P::NoSignatureSchemesInCommon | P::SignatureAlgorithmsExtensionRequired => {
                S2N_ERR_NO_VALID_SIGNATURE_SCHEME
            }
            P::Tls12NotOffered
            | P::Tls12NotOfferedOrEnabled
            | P::Tls13RequiredForQuic
            | P::ServerDoesNotSupportTls12Or13
            | P::SupportedVersionsExtensionRequired
            | P::ServerTlsVersionIsDisabledByOurConfig => S2N_ERR_PROTOCOL_VERSION_UNSUPPORTED,
            _ => S2N_ERR_BAD_MESSAGE,
        },
        _ => S2N_ERR_BAD_MESSAGE,
    }
}
