//! The connection after its handshake: rustls hands over the traffic
//! secrets (its kernel-connection API, the hand-off s2n-tls makes to kernel
//! TLS) and records are protected here (`protection`). rustls keeps what only
//! it can do: new traffic secrets on a TLS1.3 KeyUpdate, and a client's
//! NewSessionTickets, which go to its session store.

use std::ops::Range;

use rustls::client::{ClientConnectionData, UnbufferedClientConnection};
use rustls::crypto::SupportedKxGroup;
use rustls::kernel::KernelConnection;
use rustls::pki_types::CertificateDer;
use rustls::server::{ServerConnectionData, UnbufferedServerConnection};
use rustls::{
    AlertDescription, CommonState, Error as TlsError, HandshakeKind, HandshakeType,
    ProtocolVersion, SupportedCipherSuite,
};

use crate::error::*;
use crate::record::HEADER_LEN;
use crate::record::Records;
use crate::record::Secret;
use crate::record::protection::{
    self, ALERT, APPLICATION_DATA, Format, HANDSHAKE, Keys, RecordError, Schedule,
};

const CHANGE_CIPHER_SPEC: u8 = 20;

/// The sequence number at which a TLS1.3 AES-GCM connection updates its
/// key before sealing, as s2n does: with the KeyUpdate, one key seals
/// floor(2^24.5) records (RFC 8446 §5.5). ChaCha20-Poly1305 has no limit.
const AES_GCM_KEY_UPDATE_AT: u64 = 23_726_565;
/// Where a suite's sealing key is updated by itself: TLS1.3 AES-GCM only.
fn key_update_at(suite: SupportedCipherSuite) -> u64 {
    let tls13 = suite.tls13().is_some();
    if tls13 && suite.suite() != rustls::CipherSuite::TLS13_CHACHA20_POLY1305_SHA256 {
        AES_GCM_KEY_UPDATE_AT
    } else {
        u64::MAX
    }
}

/// The largest post-handshake message body s2n takes.
const MAX_MESSAGE: usize = 1 << 16;

/// What the getters read of the handshake, kept from rustls's state.
pub struct Facts {
    pub version: ProtocolVersion,
    pub suite: SupportedCipherSuite,
    pub group: Option<&'static dyn SupportedKxGroup>,
    pub alpn: Option<Vec<u8>>,
    pub peer_certificates: Option<Vec<CertificateDer<'static>>>,
    pub kind: Option<HandshakeKind>,
}

impl Facts {
    fn of(common: &CommonState) -> Option<Self> {
        Some(Self {
            version: common.protocol_version()?,
            suite: common.negotiated_cipher_suite()?,
            group: common.negotiated_key_exchange_group(),
            alpn: common.alpn_protocol().map(<[u8]>::to_vec),
            peer_certificates: common.peer_certificates().map(<[_]>::to_vec),
            kind: common.handshake_kind(),
        })
    }
}

/// What s2nrs still needs rustls for: a TLS1.3 client's NewSessionTickets,
/// and key updates where it could not keep the traffic secrets.
enum Side {
    Client(KernelConnection<ClientConnectionData>),
    Server(KernelConnection<ServerConnectionData>),
}

/// TLS1.3's key updates: by s2nrs's own schedule, else by rustls.
enum Updates {
    Own(Schedule),
    Rustls,
    None,
}

/// The traffic secrets rustls logged (client's, server's).
pub type TrafficSecrets = Option<Box<[Option<Secret>; 2]>>;

/// A connection's record protection as `s2n_connection_serialize` writes it
/// (client's, then server's, in each pair).
pub struct Snapshot {
    pub version: ProtocolVersion,
    pub suite: SupportedCipherSuite,
    /// The sequence numbers of the next records each side sends.
    pub seqs: [u64; 2],
    /// TLS1.3: the current application traffic secrets.
    pub secrets: Option<[Secret; 2]>,
}

/// The engine once the handshake is over.
pub struct Kernel {
    client: bool,
    side: Option<Box<Side>>,
    updates: Updates,
    format: Format,
    tx: Keys,
    rx: Keys,
    pub facts: Facts,
    /// TLS1.2 warning alerts are ignored (`S2N_ALERT_IGNORE_WARNINGS`).
    ignore_warnings: bool,
    /// The record at the front of the input, opened in place: the part of
    /// its plaintext not read yet, and the record's length.
    opened: Option<(Range<usize>, usize)>,
    /// A post-handshake message continued in the next record.
    partial: Vec<u8>,
    /// An alert's first byte, its second in the next record.
    alert_byte: Option<u8>,
    /// The peer asked for a KeyUpdate: it goes out before the next data.
    update_requested: bool,
    /// A TLS1.2 server asked to renegotiate (HelloRequest).
    pub hello_request: bool,
    /// NewSessionTicket bodies for rustls's session store, taken where the
    /// connection's hooks can note them (`io::step`), so that reading data
    /// needs no such context.
    tickets: Vec<Vec<u8>>,
    /// Where the sealing key is updated (u64::MAX: never).
    update_at: u64,
    /// Key updates sent and received.
    pub key_updates: [u8; 2],
}

/// A KeyUpdate message that asks the peer for nothing.
const KEY_UPDATE_NOT_REQUESTED: [u8; 5] = [24, 0, 0, 1, 0];

/// A message s2n does not take at this point of the connection.
fn unexpected() -> TlsError {
    S2nCode::into_tls(S2N_ERR_BAD_MESSAGE)
}

/// s2n's error for a record refused.
fn record_error(e: RecordError) -> TlsError {
    S2nCode::into_tls(match e {
        RecordError::Decrypt => S2N_ERR_DECRYPT,
        // s2n fails a safety check on a record shorter than its tag.
        RecordError::TooShort => S2N_ERR_SAFETY,
        RecordError::Overflow | RecordError::SequenceExhausted => S2N_ERR_RECORD_LIMIT,
        RecordError::InnerOverflow => S2N_ERR_MAX_INNER_PLAINTEXT_SIZE,
        RecordError::NoContentType => S2N_ERR_STUFFER_OUT_OF_DATA,
        RecordError::Encrypt => S2N_ERR_ENCRYPT,
    })
}

macro_rules! hand_over {
    ($conn:expr, $side:path, $client:expr, $settings:expr) => {{
        let facts = Facts::of(&$conn);
        let (secrets, kernel) = $conn.dangerous_into_kernel_connection()?;
        let facts = facts.ok_or(TlsError::HandshakeNotComplete)?;
        Kernel::new($side(kernel), $client, facts, secrets, $settings)
    }};
}

/// What the hand-over takes from the connection besides rustls.
pub struct Settings {
    /// TLS1.2 warning alerts are ignored (`S2N_ALERT_IGNORE_WARNINGS`).
    pub ignore_warnings: bool,
    pub traffic_secrets: TrafficSecrets,
}

impl Kernel {
    /// Takes over from a client whose handshake is done and whose records
    /// were all encoded.
    pub fn from_client(
        conn: UnbufferedClientConnection,
        settings: Settings,
    ) -> Result<Self, TlsError> {
        hand_over!(conn, Side::Client, true, settings)
    }

    pub fn from_server(
        conn: UnbufferedServerConnection,
        settings: Settings,
    ) -> Result<Self, TlsError> {
        hand_over!(conn, Side::Server, false, settings)
    }

    fn new(
        side: Side,
        client: bool,
        facts: Facts,
        secrets: rustls::ExtractedSecrets,
        settings: Settings,
    ) -> Result<Self, TlsError> {
        let tls13 = facts.version == ProtocolVersion::TLSv1_3;
        // Key updates by our own schedule when rustls logged the secrets
        // (it always does for s2nrs's configs); rustls's kernel state is
        // then kept only for a TLS1.3 client's tickets.
        let schedule = facts.suite.tls13().and_then(|suite| {
            let [c, s] = *settings.traffic_secrets?;
            let (tx, rx) = if client { (c?, s?) } else { (s?, c?) };
            Schedule::new(suite, tx, rx)
        });
        let (updates, side) = match (tls13, schedule) {
            (false, _) => (Updates::None, None),
            (true, Some(own)) => (Updates::Own(own), client.then(|| Box::new(side))),
            (true, None) => (Updates::Rustls, Some(Box::new(side))),
        };
        let keys = |(seq, s): &(u64, rustls::ConnectionTrafficSecrets)| {
            Keys::new(*seq, s).map_err(record_error)
        };
        Ok(Self::assemble(
            (client, side, updates),
            [keys(&secrets.tx)?, keys(&secrets.rx)?],
            facts,
            settings.ignore_warnings,
        ))
    }

    /// A kernel with nothing read or pending yet.
    fn assemble(
        (client, side, updates): (bool, Option<Box<Side>>, Updates),
        [tx, rx]: [Keys; 2],
        facts: Facts,
        ignore_warnings: bool,
    ) -> Self {
        let (format, update_at) = (Format::of(facts.suite), key_update_at(facts.suite));
        Self {
            client,
            side,
            updates,
            format,
            tx,
            rx,
            facts,
            ignore_warnings,
            opened: None,
            partial: Vec::new(),
            alert_byte: None,
            update_requested: false,
            hello_request: false,
            tickets: Vec::new(),
            update_at,
            key_updates: [0; 2],
        }
    }

    fn tls13(&self) -> bool {
        self.format == Format::Tls13
    }

    /// Seals one record into `out`.
    fn seal(&mut self, content_type: u8, data: &[u8], out: &mut Records) -> Result<(), TlsError> {
        let n = self.format.overhead() + data.len();
        protection::seal(
            self.format,
            &mut self.tx,
            content_type,
            data,
            &mut out.spare(n)[..n],
        )
        .map_err(record_error)?;
        out.commit(n);
        Ok(())
    }

    /// Seals application data, after the KeyUpdate the peer asked for or
    /// the one due when a TLS1.3 key has sealed as many records as s2n lets
    /// it.
    pub fn write(&mut self, data: &[u8], out: &mut Records) -> Result<(), TlsError> {
        if self.update_requested || self.tx.seq() >= self.update_at {
            self.key_update(out)?;
        }
        self.seal(APPLICATION_DATA, data, out)
    }

    pub fn alert(&mut self, level: u8, code: u8, out: &mut Records) -> Result<(), TlsError> {
        self.seal(ALERT, &[level, code], out)
    }

    /// The next keys of one direction (TLS1.3).
    fn next_keys(&mut self, tx: bool) -> Result<Keys, TlsError> {
        let (seq, secrets) = match (&mut self.updates, self.side.as_deref_mut()) {
            (Updates::Own(schedule), _) => {
                return schedule.update(usize::from(!tx)).map_err(record_error);
            }
            (Updates::Rustls, Some(Side::Client(c))) if tx => c.update_tx_secret()?,
            (Updates::Rustls, Some(Side::Client(c))) => c.update_rx_secret()?,
            (Updates::Rustls, Some(Side::Server(s))) if tx => s.update_tx_secret()?,
            (Updates::Rustls, Some(Side::Server(s))) => s.update_rx_secret()?,
            _ => return Err(unexpected()),
        };
        Keys::new(seq, &secrets).map_err(record_error)
    }

    /// Sends a KeyUpdate under the current key, then changes to the next one.
    pub fn key_update(&mut self, out: &mut Records) -> Result<(), TlsError> {
        if !self.tls13() {
            return Err(TlsError::HandshakeNotComplete);
        }
        self.seal(HANDSHAKE, &KEY_UPDATE_NOT_REQUESTED, out)?;
        self.tx = self.next_keys(true)?;
        self.key_updates[0] = self.key_updates[0].saturating_add(1);
        self.update_requested = false;
        Ok(())
    }

    /// Opens the records at the front of `input` until one holds
    /// application data (left there, opened) or a record is incomplete.
    /// What the peer's messages call for goes to `out`. Returns the
    /// plaintext bytes waiting.
    pub fn feed(&mut self, input: &mut Records, peer_closed: &mut bool) -> Result<usize, TlsError> {
        loop {
            if let Some((range, _)) = &self.opened {
                return Ok(range.len());
            }
            if *peer_closed {
                // Nothing after close_notify is read (RFC 8446 §6.1).
                return Ok(0);
            }
            let filled = input.filled_mut();
            let Some(header) = filled.get(..HEADER_LEN) else {
                return Ok(0);
            };
            let body = usize::from(u16::from_be_bytes([header[3], header[4]]));
            // Refused from its header: its body is not waited for.
            if body > protection::max_ciphertext(self.format) {
                return Err(record_error(RecordError::Overflow));
            }
            let len = HEADER_LEN + body;
            let Some(bytes) = filled.get_mut(..len) else {
                return Ok(0);
            };
            let opened =
                protection::open(self.format, &mut self.rx, bytes).map_err(record_error)?;
            let plaintext = &bytes[opened.plaintext.clone()];
            // Handshake messages and data do not interleave.
            if (!self.partial.is_empty() && opened.content_type != HANDSHAKE)
                || (self.alert_byte.is_some() && opened.content_type != ALERT)
            {
                return Err(unexpected());
            }
            match opened.content_type {
                APPLICATION_DATA if !plaintext.is_empty() => {
                    self.opened = Some((opened.plaintext, len));
                    continue;
                }
                // Empty data and handshake records are skipped, as s2n does.
                APPLICATION_DATA => {}
                HANDSHAKE => self.messages(plaintext)?,
                ALERT => self.alerts(plaintext, peer_closed)?,
                // A TLS1.2 change_cipher_spec that decrypts is dropped, as s2n
                // does; TLS1.3 never protects one (RFC 8446 §5).
                CHANGE_CIPHER_SPEC if !self.tls13() => {}
                _ => return Err(unexpected()),
            }
            input.consume(len);
        }
    }

    /// Copies plaintext of the opened record into `buf`; the record leaves
    /// the input once read to its end. 0: none is opened.
    /// The length of the record whose plaintext is being read (it stays at
    /// the front of the input until read).
    pub fn current_record_len(&self) -> usize {
        self.opened.as_ref().map_or(0, |(_, len)| *len)
    }

    pub fn read(&mut self, buf: &mut [u8], input: &mut Records) -> usize {
        let Some((range, len)) = &mut self.opened else {
            return 0;
        };
        let n = buf.len().min(range.len());
        buf[..n].copy_from_slice(&input.filled()[range.start..range.start + n]);
        range.start += n;
        if range.start == range.end {
            input.consume(*len);
            self.opened = None;
        }
        n
    }

    /// The alerts of one record: two bytes each, the last one possibly
    /// completed by the next record (s2n takes fragmented alerts).
    fn alerts(&mut self, bytes: &[u8], peer_closed: &mut bool) -> Result<(), TlsError> {
        if bytes.is_empty() {
            return Err(unexpected());
        }
        for &byte in bytes {
            let Some(level) = self.alert_byte.take() else {
                self.alert_byte = Some(byte);
                continue;
            };
            self.alert_received(level, byte, peer_closed)?;
            if *peer_closed {
                break;
            }
        }
        Ok(())
    }

    fn alert_received(
        &mut self,
        level: u8,
        code: u8,
        peer_closed: &mut bool,
    ) -> Result<(), TlsError> {
        let description = AlertDescription::from(code);
        if description == AlertDescription::CloseNotify {
            *peer_closed = true;
            return Ok(());
        }
        // TLS1.3 takes user_canceled as a warning (RFC 8446 §6.1); TLS1.2
        // warnings fail the connection unless the config ignores them.
        let warning = if self.tls13() {
            description == AlertDescription::UserCanceled
        } else {
            level == 1 && self.ignore_warnings
        };
        if warning {
            return Ok(());
        }
        Err(TlsError::AlertReceived(description))
    }

    /// Takes the handshake messages of one record (which may begin or end
    /// one continued across records).
    fn messages(&mut self, bytes: &[u8]) -> Result<(), TlsError> {
        if self.partial.is_empty() {
            return self.take_messages(bytes);
        }
        let mut joined = std::mem::take(&mut self.partial);
        joined.extend_from_slice(bytes);
        self.take_messages(&joined)
    }

    fn take_messages(&mut self, mut bytes: &[u8]) -> Result<(), TlsError> {
        while !bytes.is_empty() {
            let complete = bytes.get(..4).and_then(|h| {
                let len = u32::from_be_bytes([0, h[1], h[2], h[3]]) as usize;
                Some((h[0], len, bytes.get(4..4 + len)?))
            });
            let Some((typ, len, body)) = complete else {
                let announced = bytes
                    .get(1..4)
                    .map_or(0, |l| u32::from_be_bytes([0, l[0], l[1], l[2]]) as usize);
                if announced > MAX_MESSAGE {
                    return Err(unexpected());
                }
                self.partial = bytes.to_vec();
                return Ok(());
            };
            bytes = &bytes[4 + len..];
            if len > MAX_MESSAGE {
                return Err(unexpected());
            }
            self.message(HandshakeType::from(typ), body, !bytes.is_empty())?;
        }
        Ok(())
    }

    fn message(
        &mut self,
        typ: HandshakeType,
        body: &[u8],
        more_in_record: bool,
    ) -> Result<(), TlsError> {
        let (tls13, client) = (self.tls13(), self.client);
        match (typ, self.side.as_deref_mut()) {
            (HandshakeType::NewSessionTicket, Some(Side::Client(_))) if tls13 => {
                self.tickets.push(body.to_vec());
                Ok(())
            }
            (HandshakeType::KeyUpdate, _) if tls13 => {
                let requested = match body {
                    [0] => false,
                    [1] => true,
                    _ => return Err(unexpected()),
                };
                // The next record is under the new key: nothing may follow
                // in this one (RFC 8446 §5.1).
                if more_in_record {
                    return Err(unexpected());
                }
                self.rx = self.next_keys(false)?;
                self.key_updates[1] = self.key_updates[1].saturating_add(1);
                // Answered before the next data, as s2n does.
                self.update_requested |= requested;
                Ok(())
            }
            // For the renegotiate callback (`io::step`).
            (HandshakeType::HelloRequest, _) if client && !tls13 => {
                self.hello_request = true;
                Ok(())
            }
            _ => Err(unexpected()),
        }
    }

    /// The state `s2n_connection_serialize` writes; None while a message or
    /// alert is half read, or without the TLS1.3 secrets.
    pub fn snapshot(&self) -> Option<Snapshot> {
        if self.holds_data() || self.update_requested {
            return None;
        }
        let ours = [self.tx.seq(), self.rx.seq()];
        let order = |[a, b]: [usize; 2]| if self.client { [a, b] } else { [b, a] };
        let [c, s] = order([0, 1]);
        let secrets = match &self.updates {
            Updates::Own(schedule) => {
                let all = schedule.secrets();
                Some([Secret::new(&all[c])?, Secret::new(&all[s])?])
            }
            _ if self.tls13() => return None,
            _ => None,
        };
        Some(Snapshot {
            version: self.facts.version,
            suite: self.facts.suite,
            seqs: [ours[c], ours[s]],
            secrets,
        })
    }

    /// A connection restored by `s2n_connection_deserialize`: TLS1.3 keys
    /// from the snapshot's secrets, TLS1.2 ones given (client's, server's).
    /// It has no rustls state: a client takes no more NewSessionTickets.
    pub fn restore(
        client: bool,
        snapshot: Snapshot,
        tls12_keys: Option<[Keys; 2]>,
        ignore_warnings: bool,
    ) -> Result<Self, RecordError> {
        let Snapshot {
            version,
            suite,
            seqs,
            secrets,
        } = snapshot;
        let (ours, theirs) = if client { (0, 1) } else { (1, 0) };
        let (tx, rx, updates) = match (suite.tls13(), secrets, tls12_keys) {
            (Some(tls13), Some(secrets), _) => {
                let [c, s] = secrets;
                let (tx, rx) = if client { (c, s) } else { (s, c) };
                let schedule = Schedule::new(tls13, tx, rx).ok_or(RecordError::Encrypt)?;
                (
                    schedule.keys(0, seqs[ours])?,
                    schedule.keys(1, seqs[theirs])?,
                    Updates::Own(schedule),
                )
            }
            (None, None, Some(keys)) => {
                let [c, s] = keys;
                let (tx, rx) = if client { (c, s) } else { (s, c) };
                (tx, rx, Updates::None)
            }
            _ => return Err(RecordError::Encrypt),
        };
        let facts = Facts {
            version,
            suite,
            group: None,
            alpn: None,
            peer_certificates: None,
            kind: None,
        };
        Ok(Self::assemble(
            (client, None, updates),
            [tx.at(seqs[ours]), rx.at(seqs[theirs])],
            facts,
            ignore_warnings,
        ))
    }

    pub fn tickets_pending(&self) -> bool {
        !self.tickets.is_empty()
    }

    /// Gives the NewSessionTickets read to rustls (its session store).
    pub fn take_tickets(&mut self) -> Result<(), TlsError> {
        use crate::notes;
        for ticket in std::mem::take(&mut self.tickets) {
            if let Some(Side::Client(c)) = self.side.as_deref_mut() {
                let before = notes::peek(|n| n.sessions.len());
                c.handle_new_session_ticket(&ticket)?;
                // The session rustls made of it gets the ticket's lifetime
                // (RFC 8446 §4.6.1: ticket_lifetime comes first).
                let lifetime = ticket.first_chunk::<4>().map(|b| u32::from_be_bytes(*b));
                notes::note(|n| {
                    if n.sessions.len() > before {
                        if let Some(last) = n.sessions.last_mut() {
                            last.1 = lifetime;
                        }
                    }
                });
            }
        }
        Ok(())
    }

    /// Whether anything read waits here (plaintext or part of a message).
    pub fn holds_data(&self) -> bool {
        self.opened.is_some() || !self.partial.is_empty() || self.alert_byte.is_some()
    }
}

#[cfg(test)]
mod tests {
    use std::ffi::c_int;

    use super::*;
    use crate::error::map_tls_error;

    /// A TLS1.3 AES-128-GCM client and server restored from the same
    /// secrets: what one seals, the other opens.
    fn pair() -> (Kernel, Kernel) {
        let suite = rustls::crypto::aws_lc_rs::cipher_suite::TLS13_AES_128_GCM_SHA256;
        let side = |client| {
            let snapshot = Snapshot {
                version: ProtocolVersion::TLSv1_3,
                suite,
                seqs: [0, 0],
                secrets: Some([
                    Secret::new(&[1; 32]).unwrap(),
                    Secret::new(&[2; 32]).unwrap(),
                ]),
            };
            Kernel::restore(client, snapshot, None, false).unwrap()
        };
        (side(true), side(false))
    }

    /// Feeds `wire` to `to` and reads what it opens.
    fn receive(to: &mut Kernel, wire: &mut Records) -> Result<Vec<u8>, c_int> {
        let mut closed = false;
        let mut got = Vec::new();
        loop {
            let n = to.feed(wire, &mut closed).map_err(|e| map_tls_error(&e))?;
            if n == 0 {
                return Ok(got);
            }
            let mut buf = vec![0; n];
            assert_eq!(to.read(&mut buf, wire), n);
            got.extend_from_slice(&buf);
        }
    }

    #[test]
    fn data_both_ways_and_empty_records_skipped() {
        let (mut client, mut server) = pair();
        let mut wire = Records::default();
        client.write(b"hello", &mut wire).unwrap();
        client.seal(APPLICATION_DATA, b"", &mut wire).unwrap();
        client.seal(HANDSHAKE, b"", &mut wire).unwrap();
        client.write(b" world", &mut wire).unwrap();
        assert_eq!(receive(&mut server, &mut wire).unwrap(), b"hello world");
        server.write(b"back", &mut wire).unwrap();
        assert_eq!(receive(&mut client, &mut wire).unwrap(), b"back");
    }

    #[test]
    fn key_update_requested_is_answered_before_the_next_data() {
        let (mut client, mut server) = pair();
        let mut wire = Records::default();
        // The client updates its key and asks for the server's.
        client
            .seal(HANDSHAKE, &[24, 0, 0, 1, 1], &mut wire)
            .unwrap();
        client.tx = client.next_keys(true).unwrap();
        client.write(b"under the new key", &mut wire).unwrap();
        assert_eq!(
            receive(&mut server, &mut wire).unwrap(),
            b"under the new key"
        );
        assert_eq!(server.key_updates, [0, 1]);
        assert!(wire.is_empty());
        server.write(b"reply", &mut wire).unwrap();
        assert_eq!(server.key_updates, [1, 1]);
        assert_eq!(receive(&mut client, &mut wire).unwrap(), b"reply");
        assert_eq!(client.key_updates, [0, 1]);
    }

    #[test]
    fn messages_and_alerts_as_s2n_takes_them() {
        use crate::error::*;
        let cases: [(u8, &[u8], c_int); 5] = [
            // TLS1.3 never protects a change_cipher_spec.
            (20, &[1], S2N_ERR_BAD_MESSAGE),
            // A server's NewSessionTicket reaches no client.
            (HANDSHAKE, &[4, 0, 0, 1, 0], S2N_ERR_BAD_MESSAGE),
            // A KeyUpdate with another message after it in the record.
            (
                HANDSHAKE,
                &[24, 0, 0, 1, 0, 24, 0, 0, 1, 0],
                S2N_ERR_BAD_MESSAGE,
            ),
            (HANDSHAKE, &[24, 0, 0, 1, 2], S2N_ERR_BAD_MESSAGE),
            (ALERT, &[2, 40], S2N_ERR_ALERT),
        ];
        for (content_type, body, code) in cases {
            let (mut client, mut server) = pair();
            let mut wire = Records::default();
            server.seal(content_type, body, &mut wire).unwrap();
            assert_eq!(
                receive(&mut client, &mut wire),
                Err(code),
                "{content_type} {body:?}"
            );
        }
        // An alert split across records, user_canceled ignored, then close_notify.
        let (mut client, mut server) = pair();
        let mut wire = Records::default();
        server.seal(ALERT, &[1], &mut wire).unwrap();
        server.seal(ALERT, &[90, 1], &mut wire).unwrap();
        server.seal(ALERT, &[0], &mut wire).unwrap();
        let mut closed = false;
        while !wire.is_empty() && !closed {
            client.feed(&mut wire, &mut closed).unwrap();
        }
        assert!(closed);
    }
}
