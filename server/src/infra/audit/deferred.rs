//! Audit records kept until the write they belong to appends them together.

use super::{Actor, Entry};
use crate::error::AppResult;
use crate::infra::db::exec::Exec;
use crate::infra::db::tail::SetWrite;
use futures_util::future::BoxFuture;

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

/// A record a write leaves for its batch's end (`infra::db::tail`): the batch's records join the
/// chain together, in the order of the writes.
pub struct Later(pub Actor, pub Entry<'static>);

impl SetWrite for Later {
    fn write_all(conn: &mut dyn Exec, items: Vec<Later>) -> BoxFuture<'_, AppResult<()>> {
        Box::pin(async move {
            super::append_many(conn, items.into_iter().map(|Later(actor, entry)| (actor, entry)).collect()).await?;
            Ok(())
        })
    }
}
