//! Handshake steps that wait for the application's private-key operation.
//!
//! s2n lets an async pkey callback return before its operation is applied:
//! `s2n_negotiate` then reports `S2N_BLOCKED_ON_APPLICATION_INPUT`, and a
//! later call, once the application applied the operation, goes on. rustls
//! signs inside its state machine, synchronously, so a step of a connection
//! whose config has the callback runs on a thread of its own: when the
//! callback returns without applying, the signer parks that thread (holding
//! the protocol state, taken out of the connection) and the caller returns
//! blocked. The next `s2n_negotiate` that finds the operation applied lets
//! the step go on and waits for it. Only one of the two threads runs at a
//! time, and the application's callbacks run on the step's thread.

use std::cell::RefCell;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;

use super::Records;
use super::engine::{Fed, Tls};
use crate::connection::notes::{self, Context, Notes};
use crate::ffi::Handover;

/// What a step needs: the protocol state and the records to give it.
pub(super) struct Step {
    pub tls: Box<Tls>,
    pub input: Records,
    pub eof: bool,
    pub context: Context,
    pub ticket_context: Vec<u8>,
}

/// What a finished step gives back.
pub(super) struct Outcome {
    pub tls: Box<Tls>,
    /// Records rustls did not take.
    pub input: Records,
    pub processed: Result<Fed, rustls::Error>,
    pub notes: Notes,
}

pub(super) enum Ran {
    Done(Box<Outcome>),
    /// Waiting for the application to apply an operation.
    Paused(Paused),
    /// The step's thread ended without an outcome (it panicked).
    Lost,
}

enum Message {
    Done(Handover<Box<Outcome>>),
    Paused(Box<dyn Fn() -> bool + Send>),
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Signal {
    Go,
    Cancel,
}

/// How the caller lets a parked step go on (or end).
#[derive(Default)]
struct Gate {
    signal: Mutex<Option<Signal>>,
    changed: Condvar,
}

impl Gate {
    fn set(&self, signal: Signal) {
        *self.signal.lock().unwrap_or_else(|e| e.into_inner()) = Some(signal);
        self.changed.notify_all();
    }

    /// Parks until the caller says go (true) or cancel (false).
    fn wait(&self) -> bool {
        let mut signal = self.signal.lock().unwrap_or_else(|e| e.into_inner());
        loop {
            match signal.take() {
                Some(Signal::Go) => return true,
                Some(Signal::Cancel) => return false,
                None => {
                    signal = self.changed.wait(signal).unwrap_or_else(|e| e.into_inner());
                }
            }
        }
    }
}

/// The step's end of the link, for the signer.
struct Link {
    tx: Sender<Message>,
    gate: Arc<Gate>,
}

thread_local! {
    static LINK: RefCell<Option<Link>> = const { RefCell::new(None) };
}

/// Called by the signer when the callback returned without applying the
/// operation: on a step's thread, parks until the caller lets the step go
/// on (true: `applied` said yes) or ends it (false); elsewhere false at once.
pub(crate) fn wait_for_application(applied: Box<dyn Fn() -> bool + Send>) -> bool {
    LINK.with(|link| {
        let link = link.borrow();
        let Some(link) = link.as_ref() else {
            return false;
        };
        if link.tx.send(Message::Paused(applied)).is_err() {
            return false;
        }
        link.gate.wait()
    })
}

/// A step parked in the signer.
pub(crate) struct Paused {
    rx: Receiver<Message>,
    thread: Option<JoinHandle<()>>,
    gate: Arc<Gate>,
    applied: Box<dyn Fn() -> bool + Send>,
}

impl Paused {
    /// The application applied the operation.
    pub(super) fn ready(&self) -> bool {
        (self.applied)()
    }

    /// Lets the step go on; waits for it to end or park again.
    pub(super) fn resume(mut self) -> Ran {
        self.gate.set(Signal::Go);
        // Taken, so that dropping `self` joins nothing.
        let thread = self.thread.take();
        let rx = std::mem::replace(&mut self.rx, channel().1);
        wait(rx, thread, self.gate.clone())
    }
}

impl Drop for Paused {
    /// A connection freed or wiped while its step waits: the signer fails,
    /// the step ends, and its thread is joined before the state goes.
    fn drop(&mut self) {
        if let Some(thread) = self.thread.take() {
            self.gate.set(Signal::Cancel);
            let _ = thread.join();
        }
    }
}

/// Gives `input` to rustls with what our hooks inside it need to know; what
/// it did, and what the hooks noted.
pub(super) fn process(
    tls: &mut Tls,
    input: &mut Records,
    eof: bool,
    context: Context,
    ticket_context: &[u8],
) -> (Result<Fed, rustls::Error>, Notes) {
    let processed = notes::with_context(context, || {
        crate::early_data::with_ticket_context(ticket_context, || tls.feed(input, eof))
    });
    (processed, notes::take())
}

/// Gives the NewSessionTickets a step read to rustls, with what our
/// hooks (the session store) need to know; what they noted.
pub(super) fn tickets(
    tls: &mut Tls,
    context: Context,
    ticket_context: &[u8],
) -> (Result<(), rustls::Error>, Notes) {
    let taken = notes::with_context(context, || {
        crate::early_data::with_ticket_context(ticket_context, || tls.take_tickets())
    });
    (taken, notes::take())
}

/// Runs `step` on this thread.
pub(super) fn run_here(step: Step) -> Outcome {
    let Step {
        mut tls,
        mut input,
        eof,
        context,
        ticket_context,
    } = step;
    let (processed, notes) = process(&mut tls, &mut input, eof, context, &ticket_context);
    Outcome {
        tls,
        input,
        processed,
        notes,
    }
}

/// Runs `step` on a thread of its own; returns when it ends or parks.
pub(super) fn run(step: Step) -> Ran {
    let (tx, rx) = channel();
    let gate = Arc::new(Gate::default());
    let link = Link {
        tx: tx.clone(),
        gate: gate.clone(),
    };
    let step = Handover::new(step);
    let thread = std::thread::Builder::new()
        .name("s2nrs-handshake".into())
        .spawn(move || {
            LINK.with(|l| *l.borrow_mut() = Some(link));
            let outcome = Box::new(run_here(step.into_inner()));
            let _ = tx.send(Message::Done(Handover::new(outcome)));
        });
    match thread {
        Ok(thread) => wait(rx, Some(thread), gate),
        Err(_) => Ran::Lost,
    }
}

fn wait(rx: Receiver<Message>, thread: Option<JoinHandle<()>>, gate: Arc<Gate>) -> Ran {
    match rx.recv() {
        Ok(Message::Done(outcome)) => {
            if let Some(thread) = thread {
                let _ = thread.join();
            }
            Ran::Done(outcome.into_inner())
        }
        Ok(Message::Paused(applied)) => Ran::Paused(Paused {
            rx,
            thread,
            gate,
            applied,
        }),
        Err(_) => {
            if let Some(thread) = thread {
                let _ = thread.join();
            }
            Ran::Lost
        }
    }
}
