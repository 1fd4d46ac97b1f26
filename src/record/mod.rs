//! The record layer of a connection, on plain buffers: the protocol engine
//! (rustls for the handshake, then s2nrs's own record protection in
//! `kernel` and `protection`), record headers, the buffers records pass
//! through and the transport they go to, and a handshake step run with the
//! context our hooks read. `io` drives it for a connection.

#![forbid(unsafe_code)]

pub(crate) mod engine;
pub(crate) mod header;
pub(crate) mod kernel;
pub(crate) mod protection;
pub(crate) mod step;
pub(crate) mod wire;

pub use engine::Tls;
pub use wire::{Records, RecvBuf, SendBuf, Transport, WriteIo};

/// A TLS record header: type, version, length.
pub(crate) const HEADER_LEN: usize = 5;
/// The largest record body TLS allows (2^14 plus expansion).
pub(crate) const MAX_RECORD_LEN: usize = 16384 + 2048;
/// The length of a hello random.
pub(crate) const RANDOM_LEN: usize = 32;

/// A TLS secret kept inline (no allocation per connection), zeroized on drop.
pub struct Secret {
    bytes: [u8; 48],
    len: u8,
}

impl Secret {
    /// None if longer than any TLS1.2 master or TLS1.3 (SHA-384) secret.
    pub(crate) fn new(secret: &[u8]) -> Option<Self> {
        let mut bytes = [0u8; 48];
        bytes.get_mut(..secret.len())?.copy_from_slice(secret);
        Some(Self {
            bytes,
            len: secret.len() as u8,
        })
    }
}

impl std::ops::Deref for Secret {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        &self.bytes[..usize::from(self.len)]
    }
}

impl Drop for Secret {
    fn drop(&mut self) {
        zeroize::Zeroize::zeroize(&mut self.bytes);
    }
}

/// The randoms of a TLS1.2 handshake (client's, server's), kept while the
/// config can serialize connections.
#[derive(Default)]
pub struct Randoms {
    pub client: Option<[u8; RANDOM_LEN]>,
    pub server: Option<[u8; RANDOM_LEN]>,
}
