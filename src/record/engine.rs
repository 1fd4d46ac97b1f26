//! The protocol engine under a connection. During the handshake it is
//! rustls's unbuffered connection: records move through buffers s2nrs owns
//! and sizes (see `wire::Records`). Once the handshake is done, rustls hands
//! over the traffic secrets and s2nrs protects the records itself
//! (`kernel`): a record is sealed from the caller's data straight into the
//! output buffer and opened where it was read, and an idle connection holds
//! its keys and no record buffer. While early data is in play it is
//! rustls's buffered connection instead, the only one through which rustls
//! reports and controls early data, and rustls keeps the records.

use std::io::ErrorKind;
use std::ops::Deref;

use rustls::crypto::SupportedKxGroup;
use rustls::pki_types::CertificateDer;
use rustls::{HandshakeKind, ProtocolVersion, SupportedCipherSuite};

use rustls::Connection;
use rustls::client::UnbufferedClientConnection;
use rustls::server::UnbufferedServerConnection;
use rustls::unbuffered::{
    ConnectionState, EncodeError, EncryptError, UnbufferedStatus, WriteTraffic,
};

use crate::record::Records;
use crate::record::kernel::{Kernel, Settings};

/// Each boxed: an idle connection keeps only the small one it ends with.
pub enum Engine {
    Client(Box<UnbufferedClientConnection>),
    Server(Box<UnbufferedServerConnection>),
    Buffered(Box<Connection>),
    /// After the handshake: records are protected by s2nrs (`kernel`).
    Kernel(Box<Kernel>),
    /// Only while the hand-over runs.
    Gone,
}

/// A connection's engine and what it produced that was not taken yet.
pub struct Tls {
    engine: Engine,
    /// Records for the peer, until the transport takes them.
    pub out: Records,
    /// Records rustls took but keeps (a handshake message continues in
    /// the next record); they go back to it with the next input.
    held: Records,
    /// Decrypted data rustls handed over beyond what the caller could take.
    stash: Vec<u8>,
    stash_pos: usize,
    /// The peer's close_notify arrived.
    pub peer_closed: bool,
    /// The transport ended (after what it delivered was processed).
    eof: bool,
    /// rustls failed: it must not process records again (its record
    /// positions no longer match any buffer).
    failed: bool,
    /// Key updates sent while rustls protects the records.
    key_updates_sent: u8,
    /// The hand-over due once the handshake is done (see `hand_over_later`).
    pending: Option<Settings>,
}

/// What the getters ask of the engine: rustls's state during the
/// handshake, what was kept of it after.
macro_rules! common {
    ($tls:expr, $common:ident => $during:expr, $facts:ident => $after:expr, $none:expr) => {
        match &$tls.engine {
            Engine::Client(c) => {
                let $common: &rustls::CommonState = c;
                $during
            }
            Engine::Server(s) => {
                let $common: &rustls::CommonState = s;
                $during
            }
            Engine::Buffered(b) => {
                let $common: &rustls::CommonState = b;
                $during
            }
            Engine::Kernel(k) => {
                let $facts = &k.facts;
                $after
            }
            Engine::Gone => $none,
        }
    };
}

impl Tls {
    pub fn protocol_version(&self) -> Option<ProtocolVersion> {
        common!(self, c => c.protocol_version(), f => Some(f.version), None)
    }

    pub fn negotiated_cipher_suite(&self) -> Option<SupportedCipherSuite> {
        common!(self, c => c.negotiated_cipher_suite(), f => Some(f.suite), None)
    }

    pub fn negotiated_key_exchange_group(&self) -> Option<&'static dyn SupportedKxGroup> {
        common!(self, c => c.negotiated_key_exchange_group(), f => f.group, None)
    }

    /// What the handshake event reports.
    pub fn negotiated(&self) -> crate::unstable::events::Negotiated {
        crate::unstable::events::Negotiated {
            version: self.protocol_version(),
            suite: self.negotiated_cipher_suite().map(|s| s.suite()),
            group: self.negotiated_key_exchange_group().map(|g| g.name()),
        }
    }

    pub fn alpn_protocol(&self) -> Option<&[u8]> {
        common!(self, c => c.alpn_protocol(), f => f.alpn.as_deref(), None)
    }

    pub fn peer_certificates(&self) -> Option<&[CertificateDer<'static>]> {
        common!(self, c => c.peer_certificates(), f => f.peer_certificates.as_deref(), None)
    }

    pub fn handshake_kind(&self) -> Option<HandshakeKind> {
        common!(self, c => c.handshake_kind(), f => f.kind, None)
    }

    pub fn is_handshaking(&self) -> bool {
        common!(self, c => c.is_handshaking(), _f => false, false)
    }

    /// The format of this connection's records (TLS1.2 AES-GCM's until a
    /// suite is known).
    pub fn record_format(&self) -> crate::record::protection::Format {
        use crate::record::protection::Format;
        match self.negotiated_cipher_suite() {
            Some(suite) => Format::of(suite),
            None if self.protocol_version() == Some(ProtocolVersion::TLSv1_3) => Format::Tls13,
            None => Format::Tls12ExplicitNonce,
        }
    }

    /// The bytes at the front of the input that belong to the record being
    /// read (s2nrs opens records in place).
    pub fn current_record_len(&self) -> usize {
        match &self.engine {
            Engine::Kernel(k) => k.current_record_len(),
            _ => 0,
        }
    }

    /// Key updates sent and received, where s2nrs protects the records
    /// (rustls counts none).
    pub fn key_updates(&self) -> [u8; 2] {
        match &self.engine {
            Engine::Kernel(k) => k.key_updates,
            _ => [self.key_updates_sent, 0],
        }
    }
}

/// The result of processing records: how much decrypted data waits.
pub struct Fed {
    pub plaintext: usize,
}

impl Tls {
    pub fn new(engine: Engine) -> Self {
        Self {
            engine,
            out: Records::default(),
            held: Records::default(),
            stash: Vec::new(),
            stash_pos: 0,
            peer_closed: false,
            eof: false,
            failed: false,
            key_updates_sent: 0,
            pending: None,
        }
    }

    /// Once the handshake is done: record protection passes to s2nrs at the
    /// connection's first use after it (data, alerts, key updates,
    /// serialization, releasing its buffers). Taking the secrets from rustls
    /// costs about as much as a few HKDF expansions; a connection closed
    /// right after its handshake (health checks, scanners) never pays it.
    pub fn hand_over_later(&mut self, settings: Settings) {
        if matches!(self.engine, Engine::Client(_) | Engine::Server(_)) {
            self.pending = Some(settings);
        }
    }

    /// Does the hand-over if it is due.
    pub fn take_over(&mut self) -> Result<(), rustls::Error> {
        match self.pending.take().map(|settings| self.hand_over(settings)) {
            Some(false) => Err(crate::error::S2nCode::into_tls(
                crate::error::S2N_ERR_KEY_INIT,
            )),
            _ => Ok(()),
        }
    }

    /// Once the handshake is done, takes record protection over from
    /// rustls (see `kernel`). rustls first gives up any data it decrypted
    /// (to the stash) and encodes what it queued; records it has not looked
    /// at stay in the input for the new keys. Stays with rustls where that
    /// cannot be (early data's buffered connection, a message rustls is
    /// still joining); false if rustls refused, which ends the connection.
    fn hand_over(&mut self, settings: Settings) -> bool {
        if !matches!(self.engine, Engine::Client(_) | Engine::Server(_))
            || self.failed
            || self.is_handshaking()
        {
            return true;
        }
        let mut nothing = |_: &mut dyn Writable, _: &mut Records| true;
        if !matches!(
            self.run(None, Want::Write(&mut nothing)),
            Ok(Stop::Written(true))
        ) || !self.held.is_empty()
        {
            return true;
        }
        self.collect();
        let kernel = match std::mem::replace(&mut self.engine, Engine::Gone) {
            Engine::Client(c) => Kernel::from_client(*c, settings),
            Engine::Server(s) => Kernel::from_server(*s, settings),
            _ => return true,
        };
        match kernel {
            Ok(k) => {
                self.engine = Engine::Kernel(Box::new(k));
                self.held.release();
                true
            }
            Err(_) => {
                self.failed = true;
                false
            }
        }
    }

    /// The buffered connection, while early data is in play.
    pub fn buffered_mut(&mut self) -> Option<&mut Connection> {
        match &mut self.engine {
            Engine::Buffered(b) => Some(b),
            _ => None,
        }
    }

    /// Runs the unbuffered engine toward `want` (the buffered one has none).
    /// `input`: the transport's records, else (None) the held ones.
    fn run(&mut self, input: Option<&mut Records>, want: Want<'_>) -> Result<Stop, rustls::Error> {
        if self.failed {
            return Err(rustls::Error::HandshakeNotComplete);
        }
        let input = input.unwrap_or(&mut self.held);
        let parts = (&mut self.out, &mut self.stash, &mut self.peer_closed);
        let result = match &mut self.engine {
            Engine::Client(c) => pump(&mut **c, input, parts, want),
            Engine::Server(s) => pump(&mut **s, input, parts, want),
            Engine::Buffered(_) | Engine::Kernel(_) | Engine::Gone => Ok(Stop::NeedInput),
        };
        self.failed = result.is_err();
        result
    }

    /// Processes the records at the front of `input` (taken ones are
    /// removed); what rustls answers goes to `out`. `eof`: the transport ended.
    pub fn feed(&mut self, input: &mut Records, eof: bool) -> Result<Fed, rustls::Error> {
        self.take_over()?;
        self.eof |= eof;
        let plaintext = match &mut self.engine {
            Engine::Buffered(b) => {
                let mut rest: &[u8] = input.filled();
                while !rest.is_empty() {
                    if b.read_tls(&mut rest).is_err() {
                        // rustls holds too much unread plaintext: let the caller drain it first.
                        break;
                    }
                }
                let used = input.filled().len() - rest.len();
                input.consume(used);
                if eof {
                    let _ = b.read_tls(&mut &[][..]);
                }
                let processed = b.process_new_packets();
                write_buffered(b, &mut self.out);
                let io = processed?;
                self.peer_closed |= io.peer_has_closed();
                io.plaintext_bytes_to_read()
            }
            Engine::Kernel(k) => k.feed(input, &mut self.peer_closed)?,
            _ => {
                // Held records go first; in the common case there are none
                // and rustls works in the transport's buffer.
                let held = !self.held.is_empty();
                if held {
                    self.held.extend_from_slice(input.filled());
                    input.clear();
                }
                let result = self.run(if held { None } else { Some(&mut *input) }, Want::Process);
                self.rebalance(input, held, matches!(result, Ok(Stop::Plaintext(_))));
                match result? {
                    Stop::Plaintext(n) => n,
                    _ => 0,
                }
            }
        };
        Ok(Fed {
            plaintext: plaintext + self.stash.len() - self.stash_pos,
        })
    }

    /// After processing. Stopped at decrypted data, rustls holds no
    /// record (handshake messages and data do not interleave) and what is
    /// left is records it has not looked at: they go back to the
    /// transport's buffer. Otherwise rustls has taken every complete record
    /// and may keep some, rewritten in place while it joins a handshake
    /// message: what is left stays with it (`held`) until it lets go.
    fn rebalance(&mut self, input: &mut Records, was_held: bool, stopped_at_data: bool) {
        if stopped_at_data {
            if was_held {
                input.extend_from_slice(self.held.filled());
                self.held.clear();
            }
        } else if !was_held && !input.is_empty() {
            self.held.extend_from_slice(input.filled());
            input.clear();
        }
        if self.held.is_empty() {
            self.held.release();
        }
    }

    /// Encodes into `out` what rustls queued outside of processing (the
    /// first flight, early data).
    pub fn collect(&mut self) {
        let out = &mut self.out;
        match &mut self.engine {
            Engine::Buffered(b) => write_buffered(b, out),
            Engine::Client(c) => drain(&mut **c, out),
            Engine::Server(s) => drain(&mut **s, out),
            // Records are sealed straight into `out`.
            Engine::Kernel(_) | Engine::Gone => {}
        }
    }

    /// Decrypted data, as `std::io::Read` reports it: Ok(0) after the
    /// peer's close_notify, WouldBlock when more records are needed,
    /// UnexpectedEof when the transport ended without close_notify.
    /// `input`: the transport's records (the kernel's plaintext is there).
    pub fn read(&mut self, buf: &mut [u8], input: &mut Records) -> std::io::Result<usize> {
        self.take_over()
            .map_err(|_| std::io::Error::from(ErrorKind::Other))?;
        if self.stash_pos < self.stash.len() {
            let n = buf.len().min(self.stash.len() - self.stash_pos);
            buf[..n].copy_from_slice(&self.stash[self.stash_pos..self.stash_pos + n]);
            self.stash_pos += n;
            if self.stash_pos == self.stash.len() {
                self.stash = Vec::new();
                self.stash_pos = 0;
            }
            return Ok(n);
        }
        match &mut self.engine {
            Engine::Buffered(b) => return std::io::Read::read(&mut b.reader(), buf),
            Engine::Kernel(k) => {
                return match k.read(buf, input) {
                    0 if self.peer_closed => Ok(0),
                    0 if self.eof => Err(ErrorKind::UnexpectedEof.into()),
                    0 => Err(ErrorKind::WouldBlock.into()),
                    n => Ok(n),
                };
            }
            _ => {}
        }
        match self.run(None, Want::Read(buf)) {
            Ok(Stop::Read(n)) => Ok(n),
            _ if self.peer_closed => Ok(0),
            _ if self.eof => Err(ErrorKind::UnexpectedEof.into()),
            _ => Err(ErrorKind::WouldBlock.into()),
        }
    }

    /// Encrypts one record's worth of data into `out` (the caller sizes
    /// records).
    pub fn write(&mut self, data: &[u8]) -> Result<(), rustls::Error> {
        self.take_over()?;
        match &mut self.engine {
            Engine::Buffered(b) => {
                let written = std::io::Write::write_all(&mut b.writer(), data);
                write_buffered(b, &mut self.out);
                return written.map_err(|_| rustls::Error::EncryptError);
            }
            Engine::Kernel(k) => return k.write(data, &mut self.out),
            _ => {}
        }
        // Room for the header, content type, tag and a TLS1.2 explicit
        // nonce; rustls says if it needs more.
        let mut encrypt = |w: &mut dyn Writable, out: &mut Records| {
            write_into(out, data.len() + 64, |buf| w.encrypt(data, buf))
        };
        match self.run(None, Want::Write(&mut encrypt)) {
            Ok(Stop::Written(true)) => Ok(()),
            _ => Err(rustls::Error::EncryptError),
        }
    }

    /// Queues close_notify; false when the handshake has not reached the
    /// point where rustls can protect one.
    pub fn close_notify(&mut self) -> bool {
        let _ = self.take_over();
        match &mut self.engine {
            Engine::Buffered(b) => {
                b.send_close_notify();
                write_buffered(b, &mut self.out);
                return true;
            }
            Engine::Kernel(_) => return self.alert(1, 0),
            _ => {}
        }
        let mut close = |w: &mut dyn Writable, out: &mut Records| {
            write_into(out, 64, |buf| w.close_notify(buf))
        };
        matches!(
            self.run(None, Want::Write(&mut close)),
            Ok(Stop::Written(true))
        )
    }

    /// Whether a HelloRequest arrived since the last call.
    pub fn take_hello_request(&mut self) -> bool {
        match &mut self.engine {
            Engine::Kernel(k) => std::mem::take(&mut k.hello_request),
            _ => false,
        }
    }

    /// What `s2n_connection_serialize` writes (see `kernel::Snapshot`).
    pub fn snapshot(&mut self) -> Option<super::kernel::Snapshot> {
        self.take_over().ok()?;
        match &self.engine {
            Engine::Kernel(k) => k.snapshot(),
            _ => None,
        }
    }

    /// Drops the keys (the connection was serialized): what is sent from
    /// now on is unprotected.
    pub fn wipe(&mut self) {
        self.engine = Engine::Gone;
        self.out.release();
    }

    /// Whether NewSessionTickets wait for `take_tickets`.
    pub fn tickets_pending(&self) -> bool {
        matches!(&self.engine, Engine::Kernel(k) if k.tickets_pending())
    }

    pub fn take_tickets(&mut self) -> Result<(), rustls::Error> {
        match &mut self.engine {
            Engine::Kernel(k) => k.take_tickets(),
            _ => Ok(()),
        }
    }

    /// Whether s2nrs protects the records (after the hand-over, or once
    /// the one due is done).
    pub fn protects_records(&self) -> bool {
        matches!(self.engine, Engine::Kernel(_)) || self.pending.is_some()
    }

    /// Seals an alert with the traffic keys; false while rustls protects
    /// the records (it seals only close_notify on request).
    pub fn alert(&mut self, level: u8, code: u8) -> bool {
        let _ = self.take_over();
        match &mut self.engine {
            Engine::Kernel(k) => k.alert(level, code, &mut self.out).is_ok(),
            _ => false,
        }
    }

    /// Sends a TLS1.3 KeyUpdate before the next data.
    pub fn key_update(&mut self) -> Result<(), rustls::Error> {
        self.take_over()?;
        let result = match &mut self.engine {
            Engine::Kernel(k) => return k.key_update(&mut self.out),
            Engine::Buffered(b) => {
                let r = b.refresh_traffic_keys();
                write_buffered(b, &mut self.out);
                r
            }
            _ => match self.run(None, Want::KeyUpdate)? {
                Stop::Written(true) => Ok(()),
                _ => Err(rustls::Error::HandshakeNotComplete),
            },
        };
        if result.is_ok() {
            self.key_updates_sent = self.key_updates_sent.saturating_add(1);
        }
        result
    }

    /// rustls keeps records of a handshake message it is joining: the next
    /// input continues them and may start mid-record.
    pub fn joining(&self) -> bool {
        !self.held.is_empty()
    }

    /// Whether records or decrypted data wait here.
    pub fn holds_data(&self) -> bool {
        let buffered = match &self.engine {
            Engine::Buffered(b) => b.wants_write(),
            Engine::Kernel(k) => k.holds_data(),
            _ => false,
        };
        !self.out.is_empty()
            || !self.held.is_empty()
            || self.stash_pos < self.stash.len()
            || buffered
    }

    /// Frees the output buffer when it holds nothing.
    pub fn release(&mut self) {
        if self.out.is_empty() {
            self.out.release();
        }
    }
}

/// What to run rustls for.
enum Want<'a> {
    /// Take the input's records until rustls needs more or holds decrypted data.
    Process,
    /// Take one decrypted record into this buffer (the rest to the stash).
    Read(&'a mut [u8]),
    /// Use the writable state (decrypted data on the way goes to the stash).
    Write(&'a mut dyn FnMut(&mut dyn Writable, &mut Records) -> bool),
    KeyUpdate,
}

/// Where running stopped.
enum Stop {
    /// rustls needs more records (or the connection is closed).
    NeedInput,
    /// Decrypted data waits; the next record's size.
    Plaintext(usize),
    /// Bytes read (Want::Read).
    Read(usize),
    /// Whether the writable state was reached and its use succeeded
    /// (Want::Write, KeyUpdate).
    Written(bool),
}

/// rustls's writable state, whatever the side.
trait Writable {
    fn encrypt(&mut self, data: &[u8], out: &mut [u8]) -> Result<usize, EncryptError>;
    fn close_notify(&mut self, out: &mut [u8]) -> Result<usize, EncryptError>;
}

impl<D> Writable for WriteTraffic<'_, D> {
    fn encrypt(&mut self, data: &[u8], out: &mut [u8]) -> Result<usize, EncryptError> {
        WriteTraffic::encrypt(self, data, out)
    }
    fn close_notify(&mut self, out: &mut [u8]) -> Result<usize, EncryptError> {
        self.queue_close_notify(out)
    }
}

/// Writes into `out`'s spare room (`need` bytes first, more if rustls
/// says so); false if rustls refused.
fn write_into(
    out: &mut Records,
    mut need: usize,
    mut write: impl FnMut(&mut [u8]) -> Result<usize, EncryptError>,
) -> bool {
    loop {
        match write(out.spare(need)) {
            Ok(n) => {
                out.commit(n);
                return true;
            }
            Err(EncryptError::InsufficientSize(e)) if e.required_size > need => {
                need = e.required_size
            }
            Err(_) => return false,
        }
    }
}

/// The two unbuffered connections, as one.
trait Unbuffered {
    type Data;
    fn process<'c, 'i>(&'c mut self, input: &'i mut [u8]) -> UnbufferedStatus<'c, 'i, Self::Data>;
}

impl Unbuffered for UnbufferedClientConnection {
    type Data = rustls::client::ClientConnectionData;
    fn process<'c, 'i>(&'c mut self, input: &'i mut [u8]) -> UnbufferedStatus<'c, 'i, Self::Data> {
        self.process_tls_records(input)
    }
}

impl Unbuffered for UnbufferedServerConnection {
    type Data = rustls::server::ServerConnectionData;
    fn process<'c, 'i>(&'c mut self, input: &'i mut [u8]) -> UnbufferedStatus<'c, 'i, Self::Data> {
        self.process_tls_records(input)
    }
}

/// Runs rustls over `input` toward `want`: the handshake records it
/// produces are encoded into `out`, consumed input is removed, decrypted
/// data stays in rustls unless it is in the way (then it goes to `stash`).
fn pump<C: Unbuffered>(
    conn: &mut C,
    input: &mut Records,
    (out, stash, peer_closed): (&mut Records, &mut Vec<u8>, &mut bool),
    mut want: Want<'_>,
) -> Result<Stop, rustls::Error> {
    let mut refreshed = false;
    loop {
        let UnbufferedStatus { discard, state } = conn.process(input.filled_mut());
        let mut stop = None;
        match state {
            Err(e) => stop = Some(Err(e)),
            Ok(ConnectionState::EncodeTlsData(mut data)) => encode(&mut data, out),
            // `out` keeps them until the transport takes them.
            Ok(ConnectionState::TransmitTlsData(data)) => data.done(),
            Ok(ConnectionState::ReadTraffic(mut records)) => match &mut want {
                Want::Process => {
                    stop = Some(Ok(Stop::Plaintext(
                        records.peek_len().map_or(0, |n| n.get()),
                    )))
                }
                Want::Read(buf) => {
                    let n = match records.next_record() {
                        Some(Ok(record)) => {
                            let n = buf.len().min(record.payload.len());
                            buf[..n].copy_from_slice(&record.payload[..n]);
                            stash.extend_from_slice(&record.payload[n..]);
                            n
                        }
                        Some(Err(e)) => return Err(e),
                        None => 0,
                    };
                    stop = Some(Ok(Stop::Read(n)));
                }
                Want::Write(_) | Want::KeyUpdate => {
                    while let Some(record) = records.next_record() {
                        stash.extend_from_slice(record?.payload);
                    }
                }
            },
            Ok(ConnectionState::PeerClosed) => *peer_closed = true,
            Ok(ConnectionState::WriteTraffic(mut w)) => match &mut want {
                Want::Write(f) => stop = Some(Ok(Stop::Written(f(&mut w, out)))),
                Want::KeyUpdate if !refreshed => {
                    // The KeyUpdate message comes out of the next round.
                    w.refresh_traffic_keys()?;
                    refreshed = true;
                }
                Want::KeyUpdate => stop = Some(Ok(Stop::Written(true))),
                Want::Process | Want::Read(_) => stop = Some(Ok(Stop::NeedInput)),
            },
            // Closed, BlockedHandshake, and ReadEarlyData (an unbuffered
            // server is configured to accept none).
            Ok(_) => {
                stop = Some(Ok(match want {
                    Want::Write(_) | Want::KeyUpdate => Stop::Written(false),
                    _ => Stop::NeedInput,
                }))
            }
        }
        input.consume(discard);
        if let Some(result) = stop {
            return result;
        }
    }
}

/// Encodes what rustls queued, without letting it look at records (after
/// a failure, its record positions match no buffer).
fn drain<
    C: Unbuffered + Deref<Target = rustls::unbuffered::UnbufferedConnectionCommon<C::Data>>,
>(
    conn: &mut C,
    out: &mut Records,
) {
    while conn.wants_write() {
        let UnbufferedStatus { state, .. } = conn.process(&mut []);
        let Ok(ConnectionState::EncodeTlsData(mut data)) = state else {
            break;
        };
        encode(&mut data, out);
    }
}

/// Encodes one queued handshake or alert message into `out`.
fn encode<D>(data: &mut rustls::unbuffered::EncodeTlsData<'_, D>, out: &mut Records) {
    let mut need = 512;
    loop {
        match data.encode(out.spare(need)) {
            Ok(n) => break out.commit(n),
            Err(EncodeError::InsufficientSize(e)) => need = e.required_size,
            Err(EncodeError::AlreadyEncoded) => break,
        }
    }
}

/// The buffered connection's records, moved to `out`.
fn write_buffered(b: &mut Connection, out: &mut Records) {
    while b.wants_write() {
        if b.write_tls(out).is_err() {
            break;
        }
    }
}
