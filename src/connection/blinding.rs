//! Blinding (`s2n_connection_set_blinding`): after a protocol failure, a
//! delay before the connection may be closed, so that timing tells an
//! attacker nothing; measured on the config's monotonic clock, as in s2n.

use std::time::Duration;

use super::{Connection, State};
use crate::ffi;
use crate::types::*;

impl State {
    /// Now on the config's monotonic clock (`s2n_config_set_monotonic_clock`),
    /// which, as in s2n, measures the blinding delay.
    pub fn monotonic_ns(&self) -> u64 {
        let clock = self.config.read().monotonic_clock;
        clock
            .and_then(|(cb, ctx)| ffi::callbacks::clock(cb, ctx))
            .unwrap_or_else(crate::unstable::events::monotonic_ns)
    }

    /// Nanoseconds of the self-service blinding delay still to wait.
    pub fn remaining_delay(&self) -> u64 {
        let [start, delay] = self.shutdown.delay;
        if delay == 0 {
            return 0;
        }
        delay.saturating_sub(self.monotonic_ns().saturating_sub(start))
    }
}

/// Built-in blinding: after a failure, wait a random 1/3..1 of the config's
/// maximum delay before returning, so timing reveals nothing (s2n's rule);
/// self-service blinding records the delay for `s2n_connection_get_delay`.
pub fn blind(conn: &Connection) {
    let (blinding, max_secs) = {
        let state = conn.state();
        (
            state.settings.blinding,
            state.config.read().max_blinding_delay_secs,
        )
    };
    if max_secs == 0 {
        return;
    }
    let max = u64::from(max_secs) * 1_000_000_000;
    let mut random = [0u8; 8];
    let _ = aws_lc_rs::rand::fill(&mut random);
    let delay = Duration::from_nanos(max / 3 + u64::from_le_bytes(random) % (max - max / 3));
    match blinding {
        s2n_blinding::S2N_BUILT_IN_BLINDING => std::thread::sleep(delay),
        _ => {
            let mut state = conn.state();
            let now = state.monotonic_ns();
            state.shutdown.delay = [now, u64::try_from(delay.as_nanos()).unwrap_or(u64::MAX)];
        }
    }
}
