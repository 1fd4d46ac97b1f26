//! What every target shares: s2n_init once, the check that a failure is
//! a real s2n error, and a connection fed from a pipe. The library turns a
//! panic into S2N_ERR_SAFETY ("internal panic caught at the C boundary")
//! instead of crashing, so the fuzzer would not see it; this turns it back
//! into a crash.

use std::ffi::{CStr, c_int, c_void};
use std::sync::Once;

unsafe extern "C" {
    fn s2n_init() -> c_int;
    fn s2n_errno_location() -> *mut c_int;
    fn s2n_connection_new(mode: c_int) -> *mut c_void;
    fn s2n_connection_free(conn: *mut c_void) -> c_int;
    fn s2n_connection_set_config(conn: *mut c_void, config: *mut c_void) -> c_int;
    fn s2n_connection_set_read_fd(conn: *mut c_void, fd: c_int) -> c_int;
    fn s2n_connection_set_write_fd(conn: *mut c_void, fd: c_int) -> c_int;
}

/// A connection of `mode` (0 server, 1 client) with `config` that reads
/// `input`, then the end of the stream, from a pipe and writes to
/// /dev/null; `drive` uses it, then it is freed.
#[allow(dead_code)] // (the targets that only parse drive no connection)
pub fn with_connection(
    mode: c_int,
    config: *mut c_void,
    input: &[u8],
    drive: impl FnOnce(*mut c_void),
) {
    // A pipe holds 64 KiB: longer inputs would block the write.
    let input = &input[..input.len().min(60 * 1024)];
    let mut fds = [0 as c_int; 2];
    // SAFETY: plain libc calls on descriptors this function owns; the
    // connection is the library's and freed before the descriptors close.
    unsafe {
        assert_eq!(libc::pipe(fds.as_mut_ptr()), 0);
        let written = libc::write(fds[1], input.as_ptr().cast(), input.len());
        assert_eq!(written, input.len() as isize);
        libc::close(fds[1]);
        let null = libc::open(c"/dev/null".as_ptr(), libc::O_WRONLY);
        let conn = s2n_connection_new(mode);
        assert_eq!(s2n_connection_set_config(conn, config), 0);
        assert_eq!(s2n_connection_set_read_fd(conn, fds[0]), 0);
        assert_eq!(s2n_connection_set_write_fd(conn, null), 0);
        drive(conn);
        assert_eq!(s2n_connection_free(conn), 0);
        libc::close(fds[0]);
        libc::close(null);
    }
}

pub fn setup() {
    static INIT: Once = Once::new();
    // SAFETY: s2n_init takes no arguments; called once.
    INIT.call_once(|| assert_eq!(unsafe { s2n_init() }, 0));
}

/// Crashes when the last failure was a panic caught at the C boundary.
pub fn check(rc: c_int) {
    if rc == 0 {
        return;
    }
    // SAFETY: the library's pointer to this thread's s2n_errno.
    let code = unsafe { *s2n_errno_location() };
    let p = s2nrs::api::error::s2n_strerror_debug(code, c"EN".as_ptr());
    if !p.is_null() {
        // SAFETY: NUL-terminated, owned by the library for this thread.
        let text = unsafe { CStr::from_ptr(p) }.to_string_lossy();
        assert!(
            !text.contains("panic"),
            "a panic reached the C boundary: {text}"
        );
    }
}
