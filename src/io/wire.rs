//! The wire side of a connection: its transport (a file descriptor or the
//! application's callbacks), the buffers records pass through, and the
//! moves between them, with s2n's blocked statuses.

use std::ffi::c_int;
use std::io::ErrorKind;

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
        Transport {
            read: ReadIo::None,
            write: WriteIo::None,
            recv_ctx: CPtr::default(),
            send_ctx: CPtr::default(),
        }
    }
}

impl Transport {
    pub(super) fn read(&self, buf: &mut [u8]) -> std::io::Result<usize> {
        match self.read {
            ReadIo::Fd(fd) => callbacks::read_fd(fd, buf),
            ReadIo::Callback(cb) => callbacks::recv(cb, self.recv_ctx, buf),
            ReadIo::None => Err(ErrorKind::NotConnected.into()),
        }
    }

    pub(super) fn write(&self, buf: &[u8]) -> std::io::Result<usize> {
        match self.write {
            WriteIo::Fd(fd) => callbacks::write_fd(fd, buf),
            WriteIo::Callback(cb) => callbacks::send(cb, self.send_ctx, buf),
            WriteIo::None => Err(ErrorKind::NotConnected.into()),
        }
    }
}

/// Records waiting to be written, and how much of the caller's data a
/// blocked `s2n_send` already took (it must be called again with the same data).
#[derive(Default)]
pub struct SendBuf {
    pub(super) buf: Vec<u8>,
    pub(super) pos: usize,
    pub(super) consumed: usize,
}

impl SendBuf {
    pub(super) fn pending(&self) -> bool {
        self.pos < self.buf.len()
    }
}

/// Bytes of the record being read.
#[derive(Default)]
pub struct RecvBuf {
    pub(super) buf: Vec<u8>,
}

impl RecvBuf {
    /// Bytes still missing from the current record (0: a whole record is here).
    fn missing(&self) -> usize {
        if self.buf.len() < HEADER_LEN {
            return HEADER_LEN - self.buf.len();
        }
        let len = usize::from(u16::from_be_bytes([self.buf[3], self.buf[4]]));
        if len > MAX_RECORD_LEN {
            return 0; // rustls rejects it as soon as it sees the header
        }
        (HEADER_LEN + len).saturating_sub(self.buf.len())
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

/// A file descriptor as rustls's writer: records go to it without a copy
/// through our buffer.
struct FdWriter {
    fd: c_int,
    written: u64,
}

impl std::io::Write for FdWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = callbacks::write_fd(self.fd, buf)?;
        self.written += n as u64;
        Ok(n)
    }

    fn write_vectored(&mut self, bufs: &[std::io::IoSlice<'_>]) -> std::io::Result<usize> {
        let n = callbacks::write_vectored_fd(self.fd, bufs)?;
        self.written += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Writes out our own pending bytes, then rustls's records: straight to a
/// file descriptor (no application code runs there), through our buffer
/// for the application's send callback (called without our lock).
pub(super) fn flush(
    conn: &Connection,
    send: &mut SendBuf,
    blocked: &mut BlockedStatusArg,
) -> Result<(), Error> {
    loop {
        if !send.pending() {
            send.buf.clear();
            send.pos = 0;
            let mut state = conn.state();
            if let (WriteIo::Fd(fd), Some(tls)) = (state.transport.write, state.tls.as_mut()) {
                let mut wire = FdWriter { fd, written: 0 };
                let result = loop {
                    if !tls.wants_write() {
                        break Ok(());
                    }
                    match tls.write_tls(&mut wire) {
                        Ok(0) => break Err(Error::new(S2N_ERR_IO)),
                        Ok(_) => {}
                        Err(e) => {
                            if let Err(err) = transport_error(
                                e,
                                blocked,
                                s2n_blocked_status::S2N_BLOCKED_ON_WRITE,
                            ) {
                                break Err(err);
                            }
                        }
                    }
                };
                state.wire_bytes_out += wire.written;
                if state.dynamic_buffers {
                    send.buf = Vec::new();
                }
                return result;
            }
            if let Some(tls) = state.tls.as_mut() {
                while tls.wants_write() {
                    tls.write_tls(&mut send.buf)
                        .map_err(|_| Error::new(S2N_ERR_IO))?;
                }
            }
            if send.buf.is_empty() {
                if state.dynamic_buffers {
                    send.buf = Vec::new();
                }
                return Ok(());
            }
        }
        let transport = conn.state().transport;
        match transport.write(&send.buf[send.pos..]) {
            Ok(0) => return Err(Error::new(S2N_ERR_IO)),
            Ok(n) => {
                send.pos += n;
                conn.state().wire_bytes_out += n as u64;
            }
            Err(e) => transport_error(e, blocked, s2n_blocked_status::S2N_BLOCKED_ON_WRITE)?,
        }
    }
}

/// Reads one record (or, with recv buffering, what the transport has) into
/// `recv`; true at the end of the stream.
pub(super) fn fill(
    conn: &Connection,
    recv: &mut RecvBuf,
    blocked: &mut BlockedStatusArg,
) -> Result<bool, Error> {
    let (transport, buffering) = {
        let state = conn.state();
        (state.transport, state.recv_buffering)
    };
    loop {
        let missing = recv.missing();
        if missing == 0 {
            return Ok(false);
        }
        let want = if buffering {
            missing.max(BUFFERED_READ - recv.buf.len())
        } else {
            missing
        };
        let start = recv.buf.len();
        recv.buf.resize(start + want, 0);
        let result = transport.read(&mut recv.buf[start..]);
        let got = *result.as_ref().unwrap_or(&0);
        recv.buf.truncate(start + got);
        match result {
            Ok(0) => return Ok(true),
            Ok(n) => {
                conn.state().wire_bytes_in += n as u64;
                if buffering {
                    return Ok(false);
                }
            }
            Err(e) => transport_error(e, blocked, s2n_blocked_status::S2N_BLOCKED_ON_READ)?,
        }
    }
}
