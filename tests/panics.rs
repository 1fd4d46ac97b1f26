//! A panic inside an exported function working on a connection leaves that
//! connection refusing further use (as after a fatal error), while the
//! connections it did not work on go on. In a process of its own: nothing
//! else here calls s2n_init or s2n_cleanup.

use std::ffi::c_int;

use s2nrs::api::connection::{s2n_connection_free, s2n_connection_new, s2n_connection_wipe};
use s2nrs::api::io::s2n_negotiate;
use s2nrs::connection::{Connection, Phase};
use s2nrs::ffi;
use s2nrs::types::{BlockedStatusArg, ModeArg, s2n_blocked_status, s2n_mode};

fn phase(conn: *mut s2nrs::types::s2n_connection) -> Phase {
    Connection::from_handle(conn).unwrap().state().phase
}

#[test]
fn a_panic_fails_the_connection_it_worked_on() {
    let client = s2n_connection_new(ModeArg::from(s2n_mode::S2N_CLIENT));
    let other = s2n_connection_new(ModeArg::from(s2n_mode::S2N_CLIENT));
    assert!(!client.is_null() && !other.is_null());

    let rc: c_int = ffi::entry(|| {
        let _conn = Connection::from_handle(client)?;
        panic!("half-way through an update");
    });
    assert_eq!(rc, -1);
    assert_eq!(phase(client), Phase::Failed);
    assert_eq!(phase(other), Phase::New);

    // It refuses the handshake with an error, as after any fatal error.
    let mut blocked = BlockedStatusArg::from(s2n_blocked_status::S2N_NOT_BLOCKED);
    assert_eq!(s2n_negotiate(client, &mut blocked), -1);
    assert_eq!(ffi::errno(), s2nrs::error::S2N_ERR_CLOSED);

    // A nested function's panic fails its own connection, not the outer one's.
    let rc: c_int = ffi::entry(|| {
        let _outer = Connection::from_handle(other)?;
        let inner: c_int = ffi::entry(|| {
            let _conn = Connection::from_handle(client)?;
            panic!("inside a callback");
        });
        assert_eq!(inner, -1);
        Ok(0)
    });
    assert_eq!(rc, 0);
    assert_eq!(phase(other), Phase::New);

    // Wiping makes it usable again.
    assert_eq!(s2n_connection_wipe(client), 0);
    assert_eq!(phase(client), Phase::New);
    assert_eq!(s2n_connection_free(client), 0);
    assert_eq!(s2n_connection_free(other), 0);
}
