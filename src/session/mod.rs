//! Resumption: s2n's session tickets (server ticket keys with their
//! lifecycle, client session blobs and the ticket callback) on rustls's
//! ticketer and client session store.

#![forbid(unsafe_code)]

pub mod cache;
pub mod client;
pub mod tickets;

use crate::ffi::RefHandle;
use crate::types::*;

/// What the session ticket callback and its getters see.
pub struct SessionTicket {
    pub data: [u8; client::BLOB_LEN],
    pub lifetime: u32,
}

impl RefHandle for s2n_session_ticket {
    type Rust = SessionTicket;
}
