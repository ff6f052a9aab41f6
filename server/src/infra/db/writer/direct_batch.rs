//! The SQLite writer's loop. The writes against [`Exec`] (the hot ones: a submission) run with
//! their batch by direct calls ([`Direct`]) on the writer's thread, on a connection of their own
//! locked for the batch: one round trip to that connection's thread a batch instead of one a
//! statement (README, "the driver decision record", option 2). The other writes keep sqlx's
//! write pool, in a transaction of their own.

use super::super::direct::{Direct, Prepared};
use super::super::{Engine, SQLITE_PRAGMAS, WRITER_CACHE};
use super::{BATCH, Conn, Job, Tail, commit_batch, deliver_all, lanes::Lanes};
use crate::error::AppResult;
use sqlx::sqlite::SqliteConnection;
use sqlx::{AnyPool, Connection, Executor};

/// The loop; `url` is the file's (none for an in-memory database: every write then goes through
/// the pool, whose one connection is the database).
pub(super) async fn run(pool: AnyPool, url: Option<String>, mut lanes: Lanes) {
    let mut own: Option<SqliteConnection> = None;
    let mut prepared = Prepared::default();
    let mut batch: Vec<Box<dyn Job>> = Vec::with_capacity(BATCH + 1);
    while lanes.next(&mut batch).await {
        let (mut direct, mut other): (Vec<_>, Vec<_>) = match &url {
            Some(_) => batch.drain(..).partition(|job| job.portable()),
            None => (vec![], std::mem::take(&mut batch)),
        };
        if !other.is_empty() {
            let outcome = commit_batch(&pool, Engine::Sqlite, &mut other).await;
            deliver_all(other, outcome);
        }
        if let (Some(url), false) = (&url, direct.is_empty()) {
            let outcome = commit_direct(&pool, url, &mut own, &mut prepared, &mut direct).await;
            if outcome.is_err()
                && let Some(c) = own.take()
            {
                // Opened again for the next batch: the failure may be the connection's.
                close(c, std::mem::take(&mut prepared)).await;
            }
            deliver_all(direct, outcome);
        }
    }
    if let Some(c) = own {
        close(c, prepared).await;
    }
}

/// Closes the writer's own connection, its statements first, with the connection locked: sqlx
/// closes a connection only when none is left.
async fn close(mut c: SqliteConnection, prepared: Prepared) {
    let finalized = match c.lock_handle().await {
        Ok(mut handle) => {
            // Safety: locked until `direct` is dropped, on this line.
            drop(unsafe { Direct::new(handle.as_raw_handle(), prepared) });
            true
        }
        // The connection's thread is gone: its statements cannot be touched any more.
        Err(_) => {
            std::mem::forget(prepared);
            false
        }
    };
    if finalized {
        let _ = c.close().await;
    }
}

async fn open(url: &str) -> AppResult<SqliteConnection> {
    let mut c = SqliteConnection::connect(url).await?;
    c.execute(sqlx::raw_sql(SQLITE_PRAGMAS)).await?;
    c.execute(sqlx::raw_sql(WRITER_CACHE)).await?;
    Ok(c)
}

/// One batch in one transaction on the writer's own connection. The file's other writers
/// (sessions, tokens, bulk loads) go through the write pool's one connection, held meanwhile:
/// they wait for this batch as for any other, never beside it.
async fn commit_direct(
    pool: &AnyPool,
    url: &str,
    own: &mut Option<SqliteConnection>,
    prepared: &mut Prepared,
    batch: &mut [Box<dyn Job>],
) -> AppResult<()> {
    let _held = pool.acquire().await?;
    let conn = match own {
        Some(c) => c,
        None => own.insert(open(url).await?),
    };
    let mut handle = conn.lock_handle().await?;
    // Safety: `direct` is declared after `handle`, so it is dropped (its statements finalized)
    // before the lock is given back; nothing else uses the handle meanwhile.
    let mut direct = unsafe { Direct::new(handle.as_raw_handle(), std::mem::take(prepared)) };
    direct.run("BEGIN IMMEDIATE", &[])?;
    let result = writes_then_commit(&mut direct, batch).await;
    if result.is_err() {
        if direct.in_transaction() {
            // Nothing of the batch is stored; if even the rollback fails the connection is closed.
            direct.run("ROLLBACK", &[])?;
        }
        return result;
    }
    *prepared = direct.into_prepared();
    result
}

async fn writes_then_commit(direct: &mut Direct, batch: &mut [Box<dyn Job>]) -> AppResult<()> {
    let mut tail = Tail::default();
    for job in batch.iter_mut() {
        job.run(Conn::Direct(&mut *direct)).await?;
        tail.append(job.take_tail());
    }
    if !tail.is_empty() {
        tail.write(&mut *direct).await?;
    }
    direct.run("COMMIT", &[])?;
    Ok(())
}
