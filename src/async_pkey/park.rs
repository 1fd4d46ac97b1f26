//! Handshake steps that wait for the application's private-key operation.
//!
//! s2n lets an async pkey callback return before its operation is applied:
//! `s2n_negotiate` then reports `S2N_BLOCKED_ON_APPLICATION_INPUT`, and a
//! later call, once the application applied the operation, goes on. rustls
//! signs inside its state machine, synchronously, so a step of a connection
//! whose config has the callback runs on a thread of its own (`run`): when
//! the callback returns without applying, the signer parks that thread
//! (`wait_for_application`, holding the protocol state) and the caller
//! returns blocked. The next `s2n_negotiate` that finds the operation
//! applied lets the step go on and waits for it. Only one of the two
//! threads runs at a time, and the application's callbacks run on the
//! step's thread. `record::step` runs the steps this way.

use std::cell::RefCell;
use std::sync::mpsc::{Receiver, channel};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;

use crate::ffi::Handover;

/// Asks whether the application applied the operation.
type Applied = Box<dyn Fn() -> bool + Send>;

/// How a job run by `run` ended, or that it waits.
pub(crate) enum Ran<T> {
    Done(T),
    /// Waiting for the application to apply an operation.
    Paused(Paused<T>),
    /// The job's thread ended without an outcome (it panicked).
    Lost,
}

enum Message<T> {
    Done(Handover<T>),
    Paused(Applied),
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Signal {
    Go,
    Cancel,
}

/// How the caller lets a parked job go on (or end).
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

/// The job's end of the link, for the signer: tells the caller the job
/// parked (false if the caller is gone), and the gate to wait at.
struct Link {
    parked: Box<dyn Fn(Applied) -> bool + Send>,
    gate: Arc<Gate>,
}

thread_local! {
    static LINK: RefCell<Option<Link>> = const { RefCell::new(None) };
}

/// Called by the signer when the callback returned without applying the
/// operation: on a job's thread, parks until the caller lets the job go
/// on (true: `applied` said yes) or ends it (false); elsewhere false at once.
pub(crate) fn wait_for_application(applied: Applied) -> bool {
    LINK.with(|link| {
        let link = link.borrow();
        let Some(link) = link.as_ref() else {
            return false;
        };
        (link.parked)(applied) && link.gate.wait()
    })
}

/// A job parked in the signer.
pub(crate) struct Paused<T> {
    rx: Receiver<Message<T>>,
    thread: Option<JoinHandle<()>>,
    gate: Arc<Gate>,
    applied: Applied,
}

impl<T> Paused<T> {
    /// The application applied the operation.
    pub(crate) fn ready(&self) -> bool {
        (self.applied)()
    }

    /// Lets the job go on; waits for it to end or park again.
    pub(crate) fn resume(mut self) -> Ran<T> {
        self.gate.set(Signal::Go);
        // Taken, so that dropping `self` joins nothing.
        let thread = self.thread.take();
        let rx = std::mem::replace(&mut self.rx, channel().1);
        wait(rx, thread, self.gate.clone())
    }
}

impl<T> Drop for Paused<T> {
    /// A connection freed or wiped while its step waits: the signer fails,
    /// the job ends, and its thread is joined before the state goes.
    fn drop(&mut self) {
        if let Some(thread) = self.thread.take() {
            self.gate.set(Signal::Cancel);
            let _ = thread.join();
        }
    }
}

/// Runs `job` on a thread of its own; returns when it ends or parks.
pub(crate) fn run<T: 'static>(job: impl FnOnce() -> T + 'static) -> Ran<T> {
    let (tx, rx) = channel::<Message<T>>();
    let gate = Arc::new(Gate::default());
    let link = Link {
        parked: {
            let tx = tx.clone();
            Box::new(move |applied| tx.send(Message::Paused(applied)).is_ok())
        },
        gate: gate.clone(),
    };
    let job = Handover::new((job, tx));
    let thread = std::thread::Builder::new()
        .name("s2nrs-handshake".into())
        .spawn(move || {
            let (job, tx) = job.into_inner();
            LINK.with(|l| *l.borrow_mut() = Some(link));
            let outcome = job();
            let _ = tx.send(Message::Done(Handover::new(outcome)));
        });
    match thread {
        Ok(thread) => wait(rx, Some(thread), gate),
        Err(_) => Ran::Lost,
    }
}

fn wait<T>(rx: Receiver<Message<T>>, thread: Option<JoinHandle<()>>, gate: Arc<Gate>) -> Ran<T> {
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
