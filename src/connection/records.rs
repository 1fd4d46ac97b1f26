//! Record sizes as s2n chooses them (`s2n_connection_prefer_throughput`,
//! `s2n_connection_prefer_low_latency`, `s2n_connection_set_dynamic_record_threshold`).

use std::time::{Duration, Instant};

/// s2n's record payload sizes: the default (an 8092-byte record), low
/// latency (a 1440-byte record) and throughput (the TLS maximum).
pub(crate) const DEFAULT_FRAGMENT: u16 = 8092 - 5;
pub(crate) const SMALL_FRAGMENT: u16 = 1440 - 5;
pub(crate) const LARGE_FRAGMENT: u16 = 16384;
pub(crate) const MAX_RESIZE_THRESHOLD: u32 = 8 * 1024 * 1024;

/// Record sizes as s2n chooses them: at most `max_fragment` bytes, and
/// records that fit one TCP segment for the first `resize_threshold`
/// bytes, again after `timeout_secs` without sending.
pub struct RecordSizing {
    pub max_fragment: u16,
    pub timeout_secs: u16,
    pub resize_threshold: u32,
    sent: u32,
    last_send: Option<Instant>,
}

impl Default for RecordSizing {
    fn default() -> Self {
        Self {
            max_fragment: DEFAULT_FRAGMENT,
            timeout_secs: 0,
            resize_threshold: 0,
            sent: 0,
            last_send: None,
        }
    }
}

impl RecordSizing {
    /// A new `s2n_send` call: after the timeout, small records again.
    pub fn start_send(&mut self) {
        if self.timeout_secs == 0 {
            return;
        }
        let now = Instant::now();
        // The first send under a timeout counts as after a long pause, as in s2n.
        let idle = self.last_send.map_or(Duration::MAX, |t| now - t);
        if idle > Duration::from_secs(self.timeout_secs.into()) {
            self.sent = 0;
        }
        self.last_send = Some(now);
    }

    /// The next record's payload size, for the negotiated protocol.
    pub fn next(&self, tls: &crate::record::Tls) -> usize {
        let max = usize::from(self.max_fragment);
        if self.sent >= self.resize_threshold {
            return max;
        }
        // One Ethernet frame less IPv6, TCP and TCP option headers, less what
        // a record adds (header, content type in TLS1.3, AEAD tag, TLS1.2
        // AES-GCM's explicit nonce).
        let small = 1500 - 40 - 20 - 40 - tls.record_format().overhead();
        max.min(small)
    }

    pub fn sent(&mut self, n: usize) {
        self.sent = self
            .sent
            .saturating_add(u32::try_from(n).unwrap_or(u32::MAX));
    }
}
