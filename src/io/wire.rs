//! The wire side of a connection: its transport (a file descriptor or the
//! application's callbacks), the buffers records pass through, and the
//! moves between them, with s2n's blocked statuses.

use std::ffi::c_int;
use std::io::ErrorKind;
use std::sync::atomic::Ordering;

use crate::connection::Connection;
use crate::connection::hello::{HEADER_LEN, MAX_RECORD_LEN};
use crate::error::*;
use crate::ffi::{CPtr, callbacks};
use crate::types::*;

const BUFFERED_READ: usize = HEADER_LEN + MAX_RECORD_LEN;

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
    pub(super) out: Records,
    pub(super) pos: usize,
    pub(super) consumed: usize,
}

impl SendBuf {
    pub(super) fn pending(&self) -> bool {
        self.pos < self.out.filled().len()
    }
}

/// Records read and not yet given to rustls, and where the stream is in
/// its current record (followed on the bytes as they arrive: rustls may
/// keep earlier ones, rewritten, so the buffer alone cannot tell).
#[derive(Default)]
pub struct RecvBuf {
    pub(crate) buf: Records,
    stream: Stream,
    /// A complete record may be waiting in `buf`.
    pub(super) ready: bool,
}

/// Where the incoming stream is in its current record.
#[derive(Default)]
struct Stream {
    header: [u8; HEADER_LEN],
    header_len: usize,
    body_left: usize,
}

impl Stream {
    /// Bytes still missing from the record being read.
    fn missing(&self) -> usize {
        if self.header_len < HEADER_LEN {
            HEADER_LEN - self.header_len
        } else {
            self.body_left
        }
    }

    /// Follows `bytes`, just read; true if a record was completed.
    fn track(&mut self, mut bytes: &[u8]) -> bool {
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
    pub(super) fn is_empty(&self) -> bool {
        self.buf.is_empty() && self.stream.header_len == 0
    }
}

/// A transport error as s2n reports it: would-block is blocked (on `on`),
/// an interrupted call is retried (Ok), anything else is S2N_ERR_IO.
fn transport_error(
    e: std::io::Error,
    blocked: &mut BlockedStatusArg,
    on: s2n_blocked_status,
) -> Result<(), Error> {
    match e.kind() {
        ErrorKind::WouldBlock => Err(blocked_error(blocked, on)),
        ErrorKind::Interrupted => Ok(()),
        _ => Err(Error::new(S2N_ERR_IO)),
    }
}

fn blocked_error(blocked: &mut BlockedStatusArg, on: s2n_blocked_status) -> Error {
    *blocked = on.into();
    Error::new(S2N_ERR_IO_BLOCKED)
}

/// Writes out pending records: ours, then what the engine produced since
/// (moved, not copied), without our lock while the transport runs.
pub(crate) fn flush(
    conn: &Connection,
    send: &mut SendBuf,
    blocked: &mut BlockedStatusArg,
) -> Result<(), Error> {
    let mut transport = None;
    loop {
        if !send.pending() {
            send.out.clear();
            send.pos = 0;
            let mut state = conn.state();
            transport = Some(state.transport);
            let dynamic = state.dynamic_buffers;
            if let Some(tls) = state.tls.as_mut() {
                tls.collect();
                std::mem::swap(&mut send.out, &mut tls.out);
                if dynamic {
                    tls.release();
                }
            }
            if send.out.is_empty() {
                if dynamic {
                    send.out.release();
                }
                return Ok(());
            }
        }
        let transport = *transport.get_or_insert_with(|| conn.state().transport);
        match transport.write(&send.out.filled()[send.pos..]) {
            Ok(0) => return Err(Error::new(S2N_ERR_IO)),
            Ok(n) => {
                send.pos += n;
                conn.wire_out.fetch_add(n as u64, Ordering::Relaxed);
            }
            Err(e) => transport_error(e, blocked, s2n_blocked_status::S2N_BLOCKED_ON_WRITE)?,
        }
    }
}

/// Reads until a record is complete (or, with recv buffering, what the
/// transport has) into `recv`; true at the end of the stream.
pub(crate) fn fill(
    conn: &Connection,
    recv: &mut RecvBuf,
    blocked: &mut BlockedStatusArg,
) -> Result<bool, Error> {
    let (transport, buffering) = {
        let state = conn.state();
        (state.transport, state.recv_buffering)
    };
    if recv.ready {
        return Ok(false);
    }
    loop {
        let missing = recv.stream.missing();
        let want = if buffering {
            missing.max(BUFFERED_READ.saturating_sub(recv.buf.filled().len()))
        } else {
            missing
        };
        let start = recv.buf.filled().len();
        let result = transport.read(&mut recv.buf.spare(want)[..want]);
        recv.buf.commit(*result.as_ref().unwrap_or(&0));
        match result {
            Ok(0) => return Ok(true),
            Ok(n) => {
                conn.wire_in.fetch_add(n as u64, Ordering::Relaxed);
                let end = recv.buf.filled().len();
                if recv.stream.track(&recv.buf.filled()[start..end]) {
                    recv.ready = true;
                    return Ok(false);
                }
                if buffering {
                    return Ok(false);
                }
            }
            Err(e) => transport_error(e, blocked, s2n_blocked_status::S2N_BLOCKED_ON_READ)?,
        }
    }
}
