//! Handshake steps, on the caller's thread or, for a config with an async
//! pkey callback, on a thread of their own that may park while the
//! application's private-key operation is pending (`async_pkey::park`).

use super::engine::{Fed, Tls};
use crate::async_pkey::park::{self, Paused, Ran};
use crate::notes::{self, Context, Notes};
use crate::record::Records;

/// What a step needs: the protocol state and the records to give it.
pub(crate) struct Step {
    pub tls: Box<Tls>,
    pub input: Records,
    pub eof: bool,
    pub context: Context,
    pub ticket_context: Vec<u8>,
}

/// What a finished step gives back.
pub(crate) struct Outcome {
    pub tls: Box<Tls>,
    /// Records rustls did not take.
    pub input: Records,
    pub processed: Result<Fed, rustls::Error>,
    pub notes: Notes,
}

/// Runs `f` (a call into rustls) with what our hooks inside it need to
/// know; what it returned, and what the hooks noted.
fn hooked<T>(context: Context, ticket_context: &[u8], f: impl FnOnce() -> T) -> (T, Notes) {
    let result = notes::with_context(context, || {
        crate::early_data::with_ticket_context(ticket_context, f)
    });
    (result, notes::take())
}

/// Gives `input` to rustls; what it did, and what the hooks noted.
pub(crate) fn process(
    tls: &mut Tls,
    input: &mut Records,
    eof: bool,
    context: Context,
    ticket_context: &[u8],
) -> (Result<Fed, rustls::Error>, Notes) {
    hooked(context, ticket_context, || tls.feed(input, eof))
}

/// Gives the NewSessionTickets a step read to rustls (its session store
/// takes them); what the hooks noted.
pub(crate) fn tickets(
    tls: &mut Tls,
    context: Context,
    ticket_context: &[u8],
) -> (Result<(), rustls::Error>, Notes) {
    hooked(context, ticket_context, || tls.take_tickets())
}

/// Runs `step` on this thread.
pub(crate) fn run_here(step: Step) -> Outcome {
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
pub(crate) fn run(step: Step) -> Ran<Box<Outcome>> {
    park::run(move || Box::new(run_here(step)))
}

/// What a step needs to know of its input once it ran.
#[derive(Clone, Copy)]
pub struct AfterStep {
    pub(crate) unprotected_close: bool,
    pub(crate) eof: bool,
}

/// A handshake step waiting for the application's private-key operation.
pub struct PausedStep {
    pub(crate) step: Paused<Box<Outcome>>,
    pub(crate) after: AfterStep,
}
