//! A static archive of real s2n-tls (the C library bundled by `s2n-tls-sys`,
//! with aws-lc's libcrypto), for `reference/CMakeLists.txt` to link into a
//! `libs2n.so` that exports only the public s2n-tls API.
//!
//! The archive already holds every object of s2n-tls and aws-lc (cargo bundles
//! native static libraries into a staticlib); referencing a few `s2n_*`
//! functions here keeps the dependency from being dropped.

use s2n_tls_sys as s2n;

/// Addresses of a few s2n-tls functions. Hidden again by the version script
/// of libs2n.so.
#[no_mangle]
pub extern "C" fn s2nrs_reference_keep() -> usize {
    (s2n::s2n_init as *const () as usize)
        ^ (s2n::s2n_cleanup as *const () as usize)
        ^ (s2n::s2n_errno_location as *const () as usize)
        ^ (s2n::s2n_config_new as *const () as usize)
        ^ (s2n::s2n_connection_new as *const () as usize)
        ^ (s2n::s2n_negotiate as *const () as usize)
}
