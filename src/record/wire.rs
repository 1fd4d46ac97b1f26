//! The wire side of a connection: its transport (a file descriptor or the
//! application's callbacks) and the buffers records pass through (the
//! moves between them are `io::transport`).

use std::ffi::c_int;
use std::io::ErrorKind;

use crate::ffi::{CPtr, callbacks};
use crate::record::{HEADER_LEN, MAX_RECORD_LEN};
use crate::types::*;

pub(crate) const BUFFERED_READ: usize = HEADER_LEN + MAX_RECORD_LEN;

#[derive(Clone, Copy, Debug)]
pub enum ReadIo {
    None,
    Fd(c_int),
    Callback(s2n_recv_fn),
}

#[derive(Clone, Copy, Debug)]
pub enum WriteIo {
    None,
    Fd(c_int),
    Callback(s2n_send_fn),
}

/// The connection's transport, as the `s2n_connection_set_*` I/O calls set it.
#[derive(Clone, Copy, Debug)]
pub struct Transport {
    pub read: ReadIo,
    pub write: WriteIo,
    pub recv_ctx: CPtr,
    pub send_ctx: CPtr,
}

impl Default for Transport {
    fn default() -> Self {
        Self {
            read: ReadIo::None,
            write: WriteIo::None,
            recv_ctx: CPtr::default(),
            send_ctx: CPtr::default(),
        }
    }
}

impl Transport {
    pub(crate) fn read(&self, buf: &mut [u8]) -> std::io::Result<usize> {
        match self.read {
            ReadIo::Fd(fd) => callbacks::read_fd(fd, buf),
            ReadIo::Callback(cb) => callbacks::recv(cb, self.recv_ctx, buf),
            ReadIo::None => Err(ErrorKind::NotConnected.into()),
        }
    }

    pub(crate) fn write(&self, buf: &[u8]) -> std::io::Result<usize> {
        match self.write {
            WriteIo::Fd(fd) => callbacks::write_fd(fd, buf),
            WriteIo::Callback(cb) => callbacks::send(cb, self.send_ctx, buf),
            WriteIo::None => Err(ErrorKind::NotConnected.into()),
        }
    }
}

/// Bytes of records: `bytes[..len]` holds them, and the rest of `bytes` is
/// room already initialized for the next ones (so filling it clears no
/// memory each time).
#[derive(Default)]
pub struct Records {
    bytes: Vec<u8>,
    len: usize,
}

impl Records {
    pub fn filled_mut(&mut self) -> &mut [u8] {
        &mut self.bytes[..self.len]
    }

    pub fn filled(&self) -> &[u8] {
        &self.bytes[..self.len]
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub fn len(&self) -> usize {
        self.len
    }

    /// Room for at least `n` more bytes; `commit` says how many were used.
    pub fn spare(&mut self, n: usize) -> &mut [u8] {
        if self.bytes.len() < self.len + n {
            self.bytes.resize(self.len + n, 0);
        }
        &mut self.bytes[self.len..]
    }

    pub fn commit(&mut self, n: usize) {
        self.len = (self.len + n).min(self.bytes.len());
    }

    /// Removes the first `n` bytes.
    pub fn consume(&mut self, n: usize) {
        let n = n.min(self.len);
        self.bytes.copy_within(n..self.len, 0);
        self.len -= n;
    }

    pub fn extend_from_slice(&mut self, data: &[u8]) {
        self.spare(data.len())[..data.len()].copy_from_slice(data);
        self.commit(data.len());
    }

    pub fn clear(&mut self) {
        self.len = 0;
    }

    pub fn truncate(&mut self, len: usize) {
        self.len = self.len.min(len);
    }

    /// Frees the memory.
    pub fn release(&mut self) {
        *self = Self::default();
    }
}

impl std::io::Write for Records {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Records waiting to be written, and how much of the caller's data a
/// blocked `s2n_send` already took (it must be called again with the same data).
#[derive(Default)]
pub struct SendBuf {
    pub(crate) out: Records,
    pub(crate) pos: usize,
    pub(crate) consumed: usize,
}

impl SendBuf {
    pub(crate) fn pending(&self) -> bool {
        self.pos < self.out.filled().len()
    }
}

/// Records read and not yet given to rustls, and where the stream is in
/// its current record (followed on the bytes as they arrive: rustls may
/// keep earlier ones, rewritten, so the buffer alone cannot tell).
#[derive(Default)]
pub struct RecvBuf {
    pub(crate) buf: Records,
    pub(crate) stream: Stream,
    /// A complete record may be waiting in `buf`.
    pub(crate) ready: bool,
}

/// Where the incoming stream is in its current record.
#[derive(Default)]
pub(crate) struct Stream {
    header: [u8; HEADER_LEN],
    header_len: usize,
    body_left: usize,
}

impl Stream {
    /// Bytes still missing from the record being read.
    pub(crate) fn missing(&self) -> usize {
        if self.header_len < HEADER_LEN {
            HEADER_LEN - self.header_len
        } else {
            self.body_left
        }
    }

    /// Follows `bytes`, just read; true if a record was completed.
    pub(crate) fn track(&mut self, mut bytes: &[u8]) -> bool {
        let mut completed = false;
        while !bytes.is_empty() {
            if self.header_len < HEADER_LEN {
                let n = (HEADER_LEN - self.header_len).min(bytes.len());
                self.header[self.header_len..self.header_len + n].copy_from_slice(&bytes[..n]);
                self.header_len += n;
                bytes = &bytes[n..];
                if self.header_len < HEADER_LEN {
                    break;
                }
                self.body_left = usize::from(u16::from_be_bytes([self.header[3], self.header[4]]));
                // rustls (or, before it starts, the ClientHello capture)
                // rejects these as soon as it sees the header: waiting for
                // the body they announce would stall. That includes an
                // SSLv2-format ClientHello (its first byte has the high bit
                // set), which s2n recognizes at once; other garbage waits for
                // its "record", as in s2n.
                if self.body_left > MAX_RECORD_LEN || self.header[0] & 0x80 != 0 {
                    self.body_left = 0;
                }
            } else {
                let n = self.body_left.min(bytes.len());
                self.body_left -= n;
                bytes = &bytes[n..];
            }
            if self.body_left == 0 {
                self.header_len = 0;
                completed = true;
            }
        }
        completed
    }
}

impl RecvBuf {
    /// Whether bytes of the stream wait here or half-read.
    pub(crate) fn is_empty(&self) -> bool {
        self.buf.is_empty() && self.stream.header_len == 0
    }
}
