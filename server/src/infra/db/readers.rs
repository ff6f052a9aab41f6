//! The pages' readers. On SQLite they are a handful of embedded connections handed out by a
//! semaphore: sqlx's pool, on giving a connection back, spawns a task that pings it, one more
//! round trip to the connection's thread for every query, to find a dropped network link that
//! an embedded file cannot have (at 64 connections, without the ping: submissions +4–16 %, A/B
//! runs of the bench's load). PostgreSQL, and the long reads, keep sqlx's pool and its ping.

use futures_util::TryStreamExt;
use futures_util::future::BoxFuture;
use futures_util::stream::BoxStream;
use sqlx::any::{AnyQueryResult, AnyRow, AnyStatement, AnyTypeInfo};
use sqlx::{Any, AnyConnection, AnyPool, Connection, Either, Error, Execute, Executor};
use sqlx_core::describe::Describe;
use sqlx_core::ext::async_stream::TryAsyncStream;
use std::future::Future;
use std::ops::{Deref, DerefMut};
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// A new reader, with the settings every reader gets.
pub type Connect = Arc<dyn Fn() -> Pin<Box<dyn Future<Output = Result<AnyConnection, Error>> + Send>> + Send + Sync>;

#[derive(Clone)]
pub struct Readers(Inner);

#[derive(Clone)]
enum Inner {
    Pool(AnyPool),
    Own(Arc<Own>),
}

struct Own {
    permits: Arc<Semaphore>,
    /// The longest a read waits for a connection before it is refused (503, try again).
    wait: Duration,
    idle: Mutex<Vec<AnyConnection>>,
    connect: Connect,
}

impl std::fmt::Debug for Readers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.0 {
            Inner::Pool(p) => p.fmt(f),
            Inner::Own(o) => f.debug_struct("Readers").field("available", &o.permits.available_permits()).finish(),
        }
    }
}

impl Readers {
    pub fn pool(pool: AnyPool) -> Readers {
        Readers(Inner::Pool(pool))
    }

    /// At most `max` connections, opened when first needed; a read waits at most `wait` for one.
    pub fn own(max: usize, wait: Duration, connect: Connect) -> Readers {
        Readers(Inner::Own(Arc::new(Own {
            permits: Arc::new(Semaphore::new(max)),
            wait,
            idle: Mutex::new(Vec::with_capacity(max)),
            connect,
        })))
    }

    /// A connection of one's own until the guard is dropped (a snapshot over several reads).
    pub async fn acquire(&self) -> Result<Reader, Error> {
        match &self.0 {
            Inner::Pool(p) => Ok(Reader(Held::Pool(p.acquire().await?))),
            Inner::Own(o) => {
                let permit = tokio::time::timeout(o.wait, o.permits.clone().acquire_owned())
                    .await
                    .map_err(|_| Error::PoolTimedOut)?
                    .map_err(|_| Error::PoolClosed)?;
                let idle = o.idle.lock().map_err(|_| Error::PoolClosed)?.pop();
                let conn = match idle {
                    Some(c) => c,
                    None => (o.connect)().await?,
                };
                Ok(Reader(Held::Own { conn: Some(conn), own: o.clone(), _permit: permit }))
            }
        }
    }

    pub async fn close(&self) {
        match &self.0 {
            Inner::Pool(p) => p.close().await,
            Inner::Own(o) => {
                o.permits.close();
                let conns = o.idle.lock().map(|mut v| std::mem::take(&mut *v)).unwrap_or_default();
                for c in conns {
                    let _ = c.close().await;
                }
            }
        }
    }
}

pub struct Reader(Held);

impl Reader {
    /// A connection that failed on its own (its thread gone, an I/O error) is closed rather
    /// than handed to the next request; a new one is opened in its place when needed.
    /// Ends the guard, so nothing can use a connection it has closed.
    fn checked<T>(mut self, r: Result<T, Error>) -> Result<T, Error> {
        if let (Err(Error::WorkerCrashed | Error::Io(_)), Held::Own { conn, .. }) = (&r, &mut self.0) {
            conn.take();
        }
        r
    }
}

enum Held {
    Pool(sqlx::pool::PoolConnection<Any>),
    Own { conn: Option<AnyConnection>, own: Arc<Own>, _permit: OwnedSemaphorePermit },
}

impl Deref for Reader {
    type Target = AnyConnection;
    fn deref(&self) -> &AnyConnection {
        match &self.0 {
            Held::Pool(c) => c,
            // Only `Drop` and `checked`, which ends the guard, take it.
            Held::Own { conn, .. } => conn.as_ref().unwrap_or_else(|| unreachable!("reader taken before drop")),
        }
    }
}

impl DerefMut for Reader {
    fn deref_mut(&mut self) -> &mut AnyConnection {
        match &mut self.0 {
            Held::Pool(c) => c,
            Held::Own { conn, .. } => conn.as_mut().unwrap_or_else(|| unreachable!("reader taken before drop")),
        }
    }
}

impl Drop for Reader {
    /// The connection goes back at once: an embedded connection runs its commands in order, so a
    /// query cut short by a dropped request is finished before the next one starts.
    fn drop(&mut self) {
        if let Held::Own { conn, own, .. } = &mut self.0
            && let Some(c) = conn.take()
            && let Ok(mut idle) = own.idle.lock()
        {
            idle.push(c);
        }
    }
}

/// One call on a reader taken for it, given back (or closed, see [`Reader::checked`]) after.
macro_rules! on_a_reader {
    ($readers:expr, $conn:ident => $call:expr) => {{
        let readers = $readers.clone();
        Box::pin(async move {
            let mut $conn = readers.acquire().await?;
            let r = $call.await;
            $conn.checked(r)
        })
    }};
}

impl<'p> Executor<'p> for &'_ Readers {
    type Database = Any;

    fn fetch_many<'e, 'q: 'e, E>(self, query: E) -> BoxStream<'e, Result<Either<AnyQueryResult, AnyRow>, Error>>
    where
        E: 'q + Execute<'q, Any>,
    {
        let readers = self.clone();
        Box::pin(TryAsyncStream::new(move |yielder| async move {
            let mut conn = readers.acquire().await?;
            let mut s = conn.fetch_many(query);
            let end = loop {
                match s.try_next().await {
                    Ok(Some(v)) => yielder.r#yield(v).await,
                    Ok(None) => break Ok(()),
                    Err(e) => break Err(e),
                }
            };
            drop(s);
            conn.checked(end)
        }))
    }

    /// The rows collected on the connection's own stream, without handing each one through the
    /// stream above.
    fn fetch_all<'e, 'q: 'e, E>(self, query: E) -> BoxFuture<'e, Result<Vec<AnyRow>, Error>>
    where
        E: 'q + Execute<'q, Any>,
    {
        on_a_reader!(self, conn => conn.fetch_all(query))
    }

    fn fetch_optional<'e, 'q: 'e, E>(self, query: E) -> BoxFuture<'e, Result<Option<AnyRow>, Error>>
    where
        E: 'q + Execute<'q, Any>,
    {
        on_a_reader!(self, conn => conn.fetch_optional(query))
    }

    fn prepare_with<'e, 'q: 'e>(
        self,
        sql: &'q str,
        parameters: &'e [AnyTypeInfo],
    ) -> BoxFuture<'e, Result<AnyStatement<'q>, Error>> {
        on_a_reader!(self, conn => conn.prepare_with(sql, parameters))
    }

    fn describe<'e, 'q: 'e>(self, sql: &'q str) -> BoxFuture<'e, Result<Describe<Any>, Error>> {
        on_a_reader!(self, conn => conn.describe(sql))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sqlx::Row;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn counted(max: usize) -> (Readers, Arc<AtomicUsize>) {
        let opened = Arc::new(AtomicUsize::new(0));
        let n = opened.clone();
        let readers = Readers::own(
            max,
            Duration::from_millis(200),
            Arc::new(move || {
                n.fetch_add(1, Ordering::SeqCst);
                Box::pin(AnyConnection::connect("sqlite::memory:"))
            }),
        );
        (readers, opened)
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn many_reads_share_at_most_max_connections() {
        sqlx::any::install_default_drivers();
        let (readers, opened) = counted(2);
        let reads = (0..64i64).map(|i| {
            let r = readers.clone();
            tokio::spawn(async move {
                let row = sqlx::query("SELECT $1 * 2").bind(i).fetch_one(&r).await.expect("read");
                row.try_get::<i64, _>(0).expect("value")
            })
        });
        let got: Vec<i64> = futures_util::future::join_all(reads).await.into_iter().map(|r| r.expect("join")).collect();
        assert_eq!(got, (0..64).map(|i| i * 2).collect::<Vec<_>>());
        let all = sqlx::query("SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3").fetch_all(&readers).await.expect("all");
        assert_eq!(all.iter().map(|r| r.try_get::<i64, _>(0).expect("value")).collect::<Vec<_>>(), [1, 2, 3]);
        let n = opened.load(Ordering::SeqCst);
        assert!((1..=2).contains(&n), "{n} connections opened");
    }

    /// A request dropped halfway through reading (the browser went away) gives its connection
    /// back, and the next read on it gets its own answer, not the rest of the first one.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_read_cut_short_leaves_the_connection_usable() {
        sqlx::any::install_default_drivers();
        let (readers, opened) = counted(1);
        let many = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000) SELECT i FROM n";
        {
            let mut rows = sqlx::query(many).fetch(&readers);
            let first = rows.try_next().await.expect("read").expect("a row");
            assert_eq!(first.try_get::<i64, _>(0).expect("value"), 1);
        }
        let next =
            tokio::time::timeout(std::time::Duration::from_secs(5), sqlx::query("SELECT 'dopo'").fetch_one(&readers))
                .await
                .expect("the connection came back")
                .expect("read");
        assert_eq!(next.try_get::<String, _>(0).expect("value"), "dopo");
        assert_eq!(opened.load(Ordering::SeqCst), 1);
    }

    /// Every reader held (downloads on slow lines): the next read is refused after its wait,
    /// as sqlx's pool refused it, instead of waiting for ever.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_read_waits_for_a_reader_only_so_long() {
        sqlx::any::install_default_drivers();
        let (readers, _) = counted(1);
        let held = readers.acquire().await.expect("the only reader");
        let refused = tokio::time::timeout(Duration::from_secs(5), sqlx::query("SELECT 1").fetch_one(&readers))
            .await
            .expect("refused after its wait, not kept waiting");
        assert!(matches!(refused, Err(Error::PoolTimedOut)), "{:?}", refused.err());
        drop(held);
        sqlx::query("SELECT 1").fetch_one(&readers).await.expect("a reader again");
    }
}
