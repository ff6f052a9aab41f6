//! Audit records kept until the write they belong to appends them together.

use super::{Actor, Entry};

/// Records of one unit of work inside a larger write, kept until that write appends them all
/// together with [`super::append_many`] in the same transaction: a batch of decisions' effects then
/// costs three statements, not three each. Dropped with a rolled-back savepoint, so a refused
/// effect leaves no record.
pub struct Deferred {
    actor: Actor,
    entries: Vec<(Actor, Entry<'static>)>,
}

impl Deferred {
    pub fn new(actor: Actor) -> Deferred {
        Deferred { actor, entries: vec![] }
    }

    pub fn actor(&self) -> &Actor {
        &self.actor
    }

    pub fn record(&mut self, e: Entry<'static>) {
        self.entries.push((self.actor.clone(), e));
    }

    pub fn into_entries(self) -> Vec<(Actor, Entry<'static>)> {
        self.entries
    }
}
