//! Group commit: one writer task per process takes every write that is waiting, runs each in
//! its own savepoint of one transaction and commits them together. On SQLite (one writer
//! connection) the cost of a commit is shared by the whole batch instead of paid by each
//! request; on PostgreSQL each process's writer batches the same way and concurrency comes
//! from the processes. A write that fails rolls back to its savepoint alone; the others commit.
//! A caller gets its answer only after the commit that holds its write, never before; if that
//! commit fails, every write of the batch gets the error and nothing of it is stored.

use super::{Engine, dialect};
use crate::error::{AppError, AppResult};
use futures_util::FutureExt;
use futures_util::future::BoxFuture;
use sqlx::{AnyConnection, AnyPool, Connection};
use std::panic::AssertUnwindSafe;
use tokio::sync::{mpsc, oneshot};

/// At most this many callers' writes in one transaction: a batch's commit must not keep the
/// first caller waiting while hundreds of later ones run.
const BATCH: usize = 128;
/// Writes waiting beyond this make callers wait to enqueue (back-pressure, not unbounded memory).
const QUEUE: usize = 4096;

/// What the writer runs and then answers; the type of the answer is the caller's.
trait Job: Send {
    fn run<'c>(&'c mut self, conn: &'c mut AnyConnection) -> BoxFuture<'c, ()>;
    /// Whether the write may append to the audit chain (then its batch queues for the chain's head).
    fn audited(&self) -> bool;
    /// After the commit (`Ok`) or its failure (`Err`, a copy for each write).
    fn deliver(self: Box<Self>, commit: Result<(), AppError>);
}

/// Writes sent together: each in its own savepoint, all in the same transaction.
struct Typed<T, F> {
    count: usize,
    audited: bool,
    works: Vec<F>,
    results: Vec<AppResult<T>>,
    answer: oneshot::Sender<Vec<AppResult<T>>>,
}

impl<T, F> Job for Typed<T, F>
where
    T: Send + 'static,
    F: for<'c> FnOnce(&'c mut AnyConnection) -> BoxFuture<'c, AppResult<T>> + Send + 'static,
{
    fn run<'c>(&'c mut self, conn: &'c mut AnyConnection) -> BoxFuture<'c, ()> {
        Box::pin(async move {
            for work in std::mem::take(&mut self.works) {
                let r = in_savepoint(&mut *conn, work).await;
                self.results.push(r);
            }
        })
    }

    fn audited(&self) -> bool {
        self.audited
    }

    fn deliver(self: Box<Self>, commit: Result<(), AppError>) {
        let count = self.count;
        let answer = match commit {
            Ok(()) => {
                let mut results = self.results;
                results.resize_with(count, || Err(AppError::Internal("scrittura non eseguita".into())));
                results
            }
            // Nothing of the batch is stored: every write gets the failure.
            Err(e) => (0..count).map(|_| Err(copy(&e))).collect(),
        };
        // The caller may have gone (a closed connection): the writes stand all the same.
        let _ = self.answer.send(answer);
    }
}

/// Runs one write in a savepoint: released if it succeeds, rolled back if it fails or panics.
async fn in_savepoint<T, F>(conn: &mut AnyConnection, work: F) -> AppResult<T>
where
    F: for<'c> FnOnce(&'c mut AnyConnection) -> BoxFuture<'c, AppResult<T>>,
{
    let mut sp = conn.begin().await?;
    let result = match AssertUnwindSafe(work(&mut sp)).catch_unwind().await {
        Ok(r) => r,
        Err(_) => Err(AppError::Internal("errore interno durante la scrittura".into())),
    };
    match result {
        Ok(v) => {
            sp.commit().await?;
            Ok(v)
        }
        Err(e) => {
            sp.rollback().await?;
            Err(e)
        }
    }
}

/// The handle every feature writes through.
#[derive(Clone, Debug)]
pub struct Writer {
    jobs: mpsc::Sender<Box<dyn Job>>,
}

impl Writer {
    /// Starts the writer task on `pool` (the engine's write pool).
    pub fn spawn(pool: AnyPool, engine: Engine) -> Writer {
        let (jobs, rx) = mpsc::channel(QUEUE);
        tokio::spawn(run(pool, engine, rx));
        Writer { jobs }
    }

    /// Runs `work` inside the next group transaction and answers after its commit. `work` must
    /// write only through the connection it is given (taking another connection from the write
    /// pool would wait for the writer itself).
    pub async fn write<T, F>(&self, work: F) -> AppResult<T>
    where
        T: Send + 'static,
        F: for<'c> FnOnce(&'c mut AnyConnection) -> BoxFuture<'c, AppResult<T>> + Send + 'static,
    {
        self.one(work, true).await
    }

    /// Like [`Writer::write`] for a write that appends nothing to the audit chain (a worker
    /// claiming jobs): on PostgreSQL a batch of such writes alone does not queue for the chain's
    /// head behind the other processes' batches.
    pub async fn write_unaudited<T, F>(&self, work: F) -> AppResult<T>
    where
        T: Send + 'static,
        F: for<'c> FnOnce(&'c mut AnyConnection) -> BoxFuture<'c, AppResult<T>> + Send + 'static,
    {
        self.one(work, false).await
    }

    /// Like [`Writer::write`] for several writes that must share one transaction (a worker's
    /// batch of decisions), each in its own savepoint: one answer per write, in order. `Err`
    /// only when none of them could be sent.
    pub async fn write_each<T, F>(&self, works: Vec<F>) -> AppResult<Vec<AppResult<T>>>
    where
        T: Send + 'static,
        F: for<'c> FnOnce(&'c mut AnyConnection) -> BoxFuture<'c, AppResult<T>> + Send + 'static,
    {
        self.send(works, true).await
    }

    async fn one<T, F>(&self, work: F, audited: bool) -> AppResult<T>
    where
        T: Send + 'static,
        F: for<'c> FnOnce(&'c mut AnyConnection) -> BoxFuture<'c, AppResult<T>> + Send + 'static,
    {
        self.send(vec![work], audited).await?.pop().unwrap_or_else(|| Err(stopped()))
    }

    async fn send<T, F>(&self, works: Vec<F>, audited: bool) -> AppResult<Vec<AppResult<T>>>
    where
        T: Send + 'static,
        F: for<'c> FnOnce(&'c mut AnyConnection) -> BoxFuture<'c, AppResult<T>> + Send + 'static,
    {
        let (answer, rx) = oneshot::channel();
        let results = Vec::with_capacity(works.len());
        let job: Box<dyn Job> = Box::new(Typed { count: works.len(), audited, works, results, answer });
        self.jobs.send(job).await.map_err(|_| stopped())?;
        rx.await.map_err(|_| stopped())
    }
}

fn stopped() -> AppError {
    AppError::Unavailable(
        "Il servizio si sta fermando: nulla è stato registrato. Riprovi tra qualche secondo.".into(),
        5,
    )
}

/// The same failure for each write of a batch (the error itself is not `Clone`).
fn copy(e: &AppError) -> AppError {
    match e {
        AppError::Unavailable(m, s) => AppError::Unavailable(m.clone(), *s),
        other => AppError::Internal(format!("registrazione non riuscita: {other}")),
    }
}

async fn run(pool: AnyPool, engine: Engine, mut rx: mpsc::Receiver<Box<dyn Job>>) {
    let mut batch: Vec<Box<dyn Job>> = Vec::with_capacity(BATCH);
    while rx.recv_many(&mut batch, BATCH).await > 0 {
        let outcome = commit_batch(&pool, engine, &mut batch).await;
        for job in batch.drain(..) {
            job.deliver(outcome.as_ref().map(|_| ()).map_err(copy));
        }
    }
}

async fn commit_batch(pool: &AnyPool, engine: Engine, batch: &mut [Box<dyn Job>]) -> AppResult<()> {
    let mut tx = pool.begin().await?;
    if let Some(lock) = dialect::batch_lock(engine)
        && batch.iter().any(|job| job.audited())
    {
        sqlx::query(lock).execute(&mut *tx).await?;
    }
    for job in batch.iter_mut() {
        job.run(&mut tx).await;
    }
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::infra::db::Db;
    use sqlx::Row;

    async fn db() -> Db {
        let dir = std::env::temp_dir().join(format!("sportello-writer-{}-{}", std::process::id(), rand_suffix()));
        let db = Db::connect(&format!("sqlite://{}/w.db", dir.display())).await.expect("db");
        sqlx::query("CREATE TABLE t (v INTEGER NOT NULL UNIQUE)").execute(&db.write).await.expect("table");
        db
    }

    fn rand_suffix() -> String {
        crate::identity::auth::new_token().chars().take(8).collect()
    }

    async fn insert(w: &Writer, v: i64) -> AppResult<i64> {
        w.write(move |c| {
            Box::pin(async move {
                sqlx::query("INSERT INTO t (v) VALUES ($1)").bind(v).execute(&mut *c).await?;
                Ok(v)
            })
        })
        .await
    }

    /// Many writers at once: one that breaks a constraint is refused alone, every other commits.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_failing_write_rolls_back_alone() {
        let db = db().await;
        let w = db.writer.clone();
        let mut handles = vec![];
        for v in 0..200i64 {
            let w = w.clone();
            // 100 is written twice: exactly one of the two must fail.
            let v = if v == 150 { 100 } else { v };
            handles.push(tokio::spawn(async move { insert(&w, v).await }));
        }
        let mut ok = 0;
        let mut failed = 0;
        for h in handles {
            match h.await.expect("join") {
                Ok(_) => ok += 1,
                Err(_) => failed += 1,
            }
        }
        assert_eq!((ok, failed), (199, 1));
        let n: i64 = sqlx::query("SELECT COUNT(*) FROM t").fetch_one(&db.read).await.expect("n").get(0);
        assert_eq!(n, 199);
    }

    /// An answer means the row is committed: another connection sees it at once.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn answered_means_committed() {
        let db = db().await;
        let w = db.writer.clone();
        for v in 0..50 {
            insert(&w, v).await.expect("insert");
            let seen: i64 =
                sqlx::query("SELECT COUNT(*) FROM t WHERE v = $1").bind(v).fetch_one(&db.read).await.expect("n").get(0);
            assert_eq!(seen, 1, "row {v} answered before its commit");
        }
    }

    /// A write that panics is rolled back and answered with an error; the writer keeps going.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_panicking_write_does_not_stop_the_writer() {
        let db = db().await;
        let w = db.writer.clone();
        let r: AppResult<()> = w
            .write(|c| {
                Box::pin(async move {
                    sqlx::query("INSERT INTO t (v) VALUES (7)").execute(&mut *c).await?;
                    let v: Vec<i64> = vec![];
                    #[allow(clippy::indexing_slicing)]
                    let _ = v[1];
                    Ok(())
                })
            })
            .await;
        assert!(r.is_err());
        insert(&w, 8).await.expect("the writer still works");
        let rows: Vec<i64> =
            sqlx::query("SELECT v FROM t").fetch_all(&db.read).await.expect("rows").iter().map(|r| r.get(0)).collect();
        assert_eq!(rows, vec![8]);
    }
}
