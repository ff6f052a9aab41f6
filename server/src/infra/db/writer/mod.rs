//! Group commit: a writer takes every write that is waiting, runs each in its own savepoint of
//! one transaction and commits them together. On SQLite (one writer connection) the cost of a
//! commit is shared by the whole batch instead of paid by each request; on PostgreSQL two
//! writers per process batch the same way, each on its connection, and their batches and other
//! processes' run side by side as far as what they lock lets them ([`Locks`]). A write that
//! fails rolls back to its savepoint alone; the others commit.
//! A caller gets its answer only after the commit that holds their write, never before; if that
//! commit fails, every write of the batch gets the error and nothing of it is stored.
//!
//! Two lanes: what a person waits for (a submission) goes first; background work (the
//! examination workers' claims and decisions) takes the writer when no request is waiting, or
//! once it has waited [`BACKGROUND_WAIT`] — a burst of submissions is answered first and
//! examined right after, and background work never stops for good.

use super::exec::Exec;
use super::locks::Locks;
use super::tail::Tail;
use super::{Engine, dialect};
use crate::error::{AppError, AppResult};
use futures_util::future::BoxFuture;
use sqlx::{AnyConnection, AnyPool, Connection};
use std::sync::Arc;
use std::time::Duration;

pub(super) mod checkpoint;
mod direct_batch;
mod lanes;
mod work;
use lanes::{Lanes, on_own_thread};
use tokio::sync::{Mutex, mpsc, oneshot};
use work::{Conn, OnAny, OnExec, Work, exec_tailless, without_tail};

/// At most this many callers' writes in one transaction: a batch's commit must not keep the
/// first caller waiting while hundreds of later ones run.
const BATCH: usize = 128;
/// Writes waiting beyond this make callers wait to enqueue (back-pressure, not unbounded memory).
const QUEUE: usize = 4096;
/// Writers of a PostgreSQL process, each with its connection and its batches: batches run side
/// by side only as far as their locks let them ([`Locks`]). On two cores, one process decided a
/// backlog at 1,122 a second with one writer, 2,377–2,620 with two, 1,859–2,901 with four; but
/// with four, submissions arriving while it decided went 14 % slower (they take the chain's turn
/// alone, so they wait for more keyed batches), with two as fast as with one.
const POSTGRES_WRITERS: usize = 2;
/// The longest a background write waits while requests keep the writer busy.
pub const BACKGROUND_WAIT: Duration = Duration::from_millis(50);

/// A write's answer and the rows it leaves for the batch's end.
type Done<T> = AppResult<(T, Tail)>;

/// What the writer runs and then answers; the type of the answer is the caller's.
trait Job: Send {
    /// Whether its writes run on any [`Exec`] (then by direct calls on SQLite).
    fn portable(&self) -> bool;
    /// Runs the writes, each in its own savepoint. `Err` when a savepoint could not be released
    /// or rolled back: the transaction can no longer be trusted and the whole batch fails.
    fn run<'c>(&'c mut self, conn: Conn<'c>) -> BoxFuture<'c, AppResult<()>>;
    /// `None` if the write appends nothing to the audit chain; else how its batch keeps its
    /// checks apart from other batches' on PostgreSQL ([`Locks`]).
    fn locks(&self) -> Option<&Locks>;
    /// The rows its writes that succeeded left for the batch's end, in order.
    fn take_tail(&mut self) -> Tail;
    /// After the commit (`Ok`) or its failure (`Err`, a copy for each write).
    fn deliver(self: Box<Self>, commit: Result<(), AppError>);
}

/// Writes sent together: each in its own savepoint, all in the same transaction.
struct Typed<T, F> {
    count: usize,
    locks: Option<Locks>,
    works: Vec<F>,
    results: Vec<AppResult<T>>,
    tail: Tail,
    answer: oneshot::Sender<Vec<AppResult<T>>>,
}

impl<T, W> Job for Typed<T, W>
where
    T: Send + 'static,
    W: Work<T>,
{
    fn portable(&self) -> bool {
        W::PORTABLE
    }

    fn run<'c>(&'c mut self, mut conn: Conn<'c>) -> BoxFuture<'c, AppResult<()>> {
        Box::pin(async move {
            for work in std::mem::take(&mut self.works) {
                let r = match work.run(conn.reborrow()).await? {
                    Ok((v, tail)) => {
                        self.tail.append(tail);
                        Ok(v)
                    }
                    Err(e) => Err(e),
                };
                self.results.push(r);
            }
            Ok(())
        })
    }

    fn locks(&self) -> Option<&Locks> {
        self.locks.as_ref()
    }

    fn take_tail(&mut self) -> Tail {
        std::mem::take(&mut self.tail)
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

/// The handle every feature writes through.
#[derive(Clone, Debug)]
pub struct Writer {
    requests: mpsc::Sender<Box<dyn Job>>,
    background: mpsc::Sender<Box<dyn Job>>,
    /// Whether this handle's writes are background work.
    in_background: bool,
}

impl Writer {
    /// Starts the writer on `pool` (the engine's write pool). On SQLite, `direct` is the file's
    /// URL: the writes against [`Exec`] then run by direct calls on a connection of their own
    /// ([`direct_batch`]); without it (an in-memory database) they go through `pool`.
    pub fn spawn(pool: AnyPool, engine: Engine, direct: Option<String>) -> Writer {
        let (requests, rx) = mpsc::channel(QUEUE);
        let (background, bg) = mpsc::channel(QUEUE);
        let lanes = Lanes::new(rx, bg);
        match engine {
            Engine::Sqlite => on_own_thread(pool, direct, lanes),
            Engine::Postgres => {
                let lanes = Arc::new(Mutex::new(lanes));
                for _ in 0..POSTGRES_WRITERS {
                    drop(tokio::spawn(run(pool.clone(), engine, lanes.clone())));
                }
            }
        }
        Writer { requests, background, in_background: false }
    }

    /// The same writer for background work: its writes give way to the requests' (see the module).
    pub fn background(&self) -> Writer {
        Writer { in_background: true, ..self.clone() }
    }

    /// Runs `work` inside the next group transaction and answers after its commit. `work` must
    /// write only through the connection it is given (taking another connection from the write
    /// pool would wait for the writer itself).
    pub async fn write<T, F>(&self, work: F) -> AppResult<T>
    where
        T: Send + 'static,
        F: for<'c> FnOnce(&'c mut AnyConnection) -> BoxFuture<'c, AppResult<T>> + Send + 'static,
    {
        self.one(without_tail(work), true).await
    }

    /// Like [`Writer::write`] for a write that also leaves rows for the batch's end ([`Tail`]):
    /// they are written with the other writes' after the last of them, before the commit.
    pub async fn write_with_tail<T, F>(&self, work: F) -> AppResult<T>
    where
        T: Send + 'static,
        F: for<'c> FnOnce(&'c mut AnyConnection) -> BoxFuture<'c, Done<T>> + Send + 'static,
    {
        self.one(OnAny(work), true).await
    }

    /// Like [`Writer::write_with_tail`] for a write against [`Exec`]: on SQLite it runs with its
    /// batch by direct calls on the writer's thread, without a round trip to the connection's
    /// thread for each statement (README, "the driver decision record").
    pub async fn write_exec_with_tail<T, F>(&self, work: F) -> AppResult<T>
    where
        T: Send + 'static,
        F: for<'c> FnOnce(&'c mut dyn Exec) -> BoxFuture<'c, Done<T>> + Send + 'static,
    {
        self.one(OnExec(work), true).await
    }

    /// [`Writer::write`] for a write against [`Exec`] (see [`Writer::write_exec_with_tail`]).
    pub async fn write_exec<T, F>(&self, work: F) -> AppResult<T>
    where
        T: Send + 'static,
        F: for<'c> FnOnce(&'c mut dyn Exec) -> BoxFuture<'c, AppResult<T>> + Send + 'static,
    {
        self.one(OnExec(exec_tailless(work)), true).await
    }

    /// [`Writer::write_exec`] for a write that says how its batch keeps its checks apart from
    /// other batches' ([`Locks::Keys`]: on PostgreSQL beside the batches without a key in common).
    pub async fn write_exec_locked<T, F>(&self, locks: Locks, work: F) -> AppResult<T>
    where
        T: Send + 'static,
        F: for<'c> FnOnce(&'c mut dyn Exec) -> BoxFuture<'c, AppResult<T>> + Send + 'static,
    {
        self.send(vec![OnExec(exec_tailless(work))], Some(locks)).await?.pop().unwrap_or_else(|| Err(stopped()))
    }

    /// [`Writer::write_unaudited`] for a write against [`Exec`] (see [`Writer::write_exec_with_tail`]).
    pub async fn write_exec_unaudited<T, F>(&self, work: F) -> AppResult<T>
    where
        T: Send + 'static,
        F: for<'c> FnOnce(&'c mut dyn Exec) -> BoxFuture<'c, AppResult<T>> + Send + 'static,
    {
        self.one(OnExec(exec_tailless(work)), false).await
    }

    /// [`Writer::write_each`] for writes against [`Exec`] (see [`Writer::write_exec_with_tail`]).
    pub async fn write_exec_each<T, F>(&self, works: Vec<F>) -> AppResult<Vec<AppResult<T>>>
    where
        T: Send + 'static,
        F: for<'c> FnOnce(&'c mut dyn Exec) -> BoxFuture<'c, AppResult<T>> + Send + 'static,
    {
        self.send(works.into_iter().map(|w| OnExec(exec_tailless(w))).collect(), Some(Locks::Chain)).await
    }

    /// Like [`Writer::write`] for a write that appends nothing to the audit chain (a worker
    /// claiming jobs): on PostgreSQL a batch of such writes alone does not queue for the chain's
    /// head behind the other processes' batches.
    pub async fn write_unaudited<T, F>(&self, work: F) -> AppResult<T>
    where
        T: Send + 'static,
        F: for<'c> FnOnce(&'c mut AnyConnection) -> BoxFuture<'c, AppResult<T>> + Send + 'static,
    {
        self.one(without_tail(work), false).await
    }

    /// Like [`Writer::write`] for several writes that must share one transaction (a worker's
    /// batch of decisions), each in its own savepoint: one answer per write, in order. `Err`
    /// only when none of them could be sent.
    pub async fn write_each<T, F>(&self, works: Vec<F>) -> AppResult<Vec<AppResult<T>>>
    where
        T: Send + 'static,
        F: for<'c> FnOnce(&'c mut AnyConnection) -> BoxFuture<'c, AppResult<T>> + Send + 'static,
    {
        self.send(works.into_iter().map(without_tail).collect(), Some(Locks::Chain)).await
    }

    async fn one<T, W>(&self, work: W, audited: bool) -> AppResult<T>
    where
        T: Send + 'static,
        W: Work<T>,
    {
        self.send(vec![work], audited.then_some(Locks::Chain)).await?.pop().unwrap_or_else(|| Err(stopped()))
    }

    async fn send<T, W>(&self, works: Vec<W>, locks: Option<Locks>) -> AppResult<Vec<AppResult<T>>>
    where
        T: Send + 'static,
        W: Work<T>,
    {
        let (answer, rx) = oneshot::channel();
        let results = Vec::with_capacity(works.len());
        let job: Box<dyn Job> =
            Box::new(Typed { count: works.len(), locks, works, results, tail: Tail::default(), answer });
        let lane = if self.in_background { &self.background } else { &self.requests };
        lane.send(job).await.map_err(|_| stopped())?;
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

/// One of a PostgreSQL process's writers: it takes the next batch from the lanes they share and
/// commits it while the others take theirs.
async fn run(pool: AnyPool, engine: Engine, lanes: Arc<Mutex<Lanes>>) {
    let mut batch: Vec<Box<dyn Job>> = Vec::with_capacity(BATCH + 1);
    while lanes.lock().await.next(&mut batch).await {
        let outcome = commit_batch(&pool, engine, &mut batch).await;
        deliver_all(batch.drain(..), outcome);
    }
}

fn deliver_all(batch: impl IntoIterator<Item = Box<dyn Job>>, outcome: AppResult<()>) {
    for job in batch {
        job.deliver(outcome.as_ref().map(|_| ()).map_err(copy));
    }
}

/// The batch's writes, then the rows they left for the end, then the commit. If those rows
/// cannot be written the whole batch fails (they are plain inserts of what the writes just
/// stored, so that is a bug or a broken database, not a refusal).
async fn commit_batch(pool: &AnyPool, engine: Engine, batch: &mut [Box<dyn Job>]) -> AppResult<()> {
    commit_batch_on(&mut *pool.acquire().await?, engine, batch).await
}

/// [`commit_batch`] on a connection already taken from the pool.
async fn commit_batch_on(conn: &mut AnyConnection, engine: Engine, batch: &mut [Box<dyn Job>]) -> AppResult<()> {
    let mut tx = conn.begin().await?;
    let audited: Vec<&Locks> = batch.iter().filter_map(|job| job.locks()).collect();
    if !audited.is_empty()
        && let Some(lock) = dialect::batch_lock(engine, &Locks::of_batch(audited))
    {
        // Without arguments: PostgreSQL's simple protocol, both statements in one round trip.
        sqlx::Executor::execute(&mut *tx, lock.as_str()).await?;
    }
    run_jobs(Conn::Any(&mut tx), batch).await?;
    tx.commit().await?;
    Ok(())
}

/// A batch's writes, each in its savepoint, then the rows they left for its end; the same on
/// sqlx's connection and by direct calls. The caller commits.
async fn run_jobs(mut conn: Conn<'_>, batch: &mut [Box<dyn Job>]) -> AppResult<()> {
    let mut tail = Tail::default();
    for job in batch.iter_mut() {
        job.run(conn.reborrow()).await?;
        tail.append(job.take_tail());
    }
    if !tail.is_empty() {
        tail.write(conn.exec()).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests;
