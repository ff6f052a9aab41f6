//! The SQLite writer's loop. The writes against [`Exec`] (the hot ones: a submission) run with
//! their batch by direct calls ([`Direct`]) on the writer's thread, on a connection of their own
//! locked while batches follow one another: no round trip to that connection's thread for each
//! statement (README, "the driver decision record", option 2). The other writes keep sqlx's
//! write pool, in a transaction of their own.

use super::super::direct::{Direct, Prepared};
use super::super::{Engine, WRITER_SETTINGS, native_connection};
use super::{BATCH, Conn, Job, commit_batch_on, deliver_all, lanes::Lanes, run_jobs};
use crate::error::AppResult;
use sqlx::sqlite::SqliteConnection;
use sqlx::{AnyPool, Connection};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::Mutex;

/// How long the writer keeps the file to itself while batches follow one another without a
/// pause. Taking the write pool's connection and locking its own cost two round trips to
/// connection threads, which under load wait for a core: 0.1–0.45 ms for each batch of about
/// 1.5 ms during the bench's burst; held instead, submissions +5 % (A/B runs). The file's other
/// writers (sign-ins, tokens, bulk loads) wait at most this long, plus a batch.
const HOLD: Duration = Duration::from_millis(10);

/// The loop; `url` is the file's (none for an in-memory database: every write then goes through
/// the pool, whose one connection is the database).
pub(super) async fn run(pool: AnyPool, url: Option<String>, mut lanes: Lanes) {
    let Some(url) = url else { return super::run(pool, Engine::Sqlite, Arc::new(Mutex::new(lanes))).await };
    let mut batch: Vec<Box<dyn Job>> = Vec::with_capacity(BATCH + 1);
    let mut own: Option<SqliteConnection> = None;
    let mut prepared = Prepared::default();
    while lanes.next(&mut batch).await {
        if let Err(Reopen) = hold(&pool, &url, &mut own, &mut prepared, &mut lanes, &mut batch).await
            && let Some(c) = own.take()
        {
            // Opened again for the next batch: the failure may be the connection's.
            close(c, std::mem::take(&mut prepared)).await;
        }
    }
    if let Some(c) = own {
        close(c, prepared).await;
    }
}

/// The writer's own connection is to be closed (and opened again when next needed).
struct Reopen;

/// `batch` and the batches that follow it without a pause (for at most [`HOLD`]), with the
/// write pool's connection held and the writer's own connection locked meanwhile. Every write
/// taken is answered here, whatever happens.
async fn hold(
    pool: &AnyPool,
    url: &str,
    own: &mut Option<SqliteConnection>,
    prepared: &mut Prepared,
    lanes: &mut Lanes,
    batch: &mut Vec<Box<dyn Job>>,
) -> Result<(), Reopen> {
    // Held so that the file's other writers wait for these batches, never write beside them.
    let mut pooled = match pool.acquire().await {
        Ok(c) => c,
        Err(e) => {
            deliver_all(batch.drain(..), Err(e.into()));
            return Ok(());
        }
    };
    let conn = match own {
        Some(c) => c,
        None => match native_connection(url, Some(WRITER_SETTINGS)).await {
            Ok(c) => own.insert(c),
            Err(e) => {
                // Nothing opened, nothing to close.
                deliver_all(batch.drain(..), Err(e.into()));
                return Ok(());
            }
        },
    };
    let mut handle = match conn.lock_handle().await {
        Ok(h) => h,
        Err(e) => {
            deliver_all(batch.drain(..), Err(e.into()));
            return Err(Reopen);
        }
    };
    // Safety: `direct` is declared after `handle`, so it is dropped (its statements finalized)
    // before the lock is given back; nothing else uses the handle meanwhile.
    let mut direct = unsafe { Direct::new(handle.as_raw_handle(), std::mem::take(prepared)) };
    let since = Instant::now();
    loop {
        let (mut portable, mut other): (Vec<_>, Vec<_>) = batch.drain(..).partition(|job| job.portable());
        let mut keep = true;
        if !other.is_empty() {
            let outcome = commit_batch_on(&mut pooled, Engine::Sqlite, &mut other).await;
            // Given back to the pool, which checks it, rather than trusted for the next batch.
            keep = outcome.is_ok();
            deliver_all(other, outcome);
        }
        if !portable.is_empty() {
            let outcome = commit_direct(&mut direct, &mut portable).await;
            let failed = outcome.is_err();
            deliver_all(portable, outcome);
            if failed {
                return Err(Reopen);
            }
        }
        if !keep || since.elapsed() >= HOLD || !lanes.waiting() || !lanes.next(batch).await {
            break;
        }
    }
    *prepared = direct.into_prepared();
    Ok(())
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

/// One batch in one transaction on the writer's own connection.
async fn commit_direct(direct: &mut Direct, batch: &mut [Box<dyn Job>]) -> AppResult<()> {
    direct.run("BEGIN IMMEDIATE", &[])?;
    let result = writes_then_commit(direct, batch).await;
    if result.is_err() && direct.in_transaction() {
        // Nothing of the batch is stored; if even the rollback fails the connection is closed.
        direct.run("ROLLBACK", &[])?;
    }
    result
}

async fn writes_then_commit(direct: &mut Direct, batch: &mut [Box<dyn Job>]) -> AppResult<()> {
    run_jobs(Conn::Direct(&mut *direct), batch).await?;
    direct.run("COMMIT", &[])?;
    Ok(())
}
