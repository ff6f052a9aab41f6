//! The pages' readers. On SQLite they are a handful of embedded connections handed out by a
//! semaphore: sqlx's pool, on giving a connection back, spawns a task that pings it, one more
//! round trip to the connection's thread for every query, to find a dropped network link that
//! an embedded file cannot have (at 64 connections, without the ping: submissions +4–16 %, A/B
//! runs of the bench's load). PostgreSQL, and the long reads, keep sqlx's pool and its ping.
//!
//! On an SQLite file a page's single read (`fetch_one`, `fetch_optional`, `fetch_all`) goes
//! further: it runs by direct calls on the task's own thread ([`super::direct`]), with no round
//! trip to a connection's thread at all (README, "Reads by direct calls"). What holds a
//! connection for a while (`acquire`: a snapshot over several reads) and a stream (`fetch`, a
//! whole table read a row at a time) still take one of sqlx's.

use super::direct::Direct;
use super::exec::Val;
use futures_util::TryStreamExt;
use futures_util::future::BoxFuture;
use futures_util::stream::BoxStream;
use sqlx::any::{AnyArguments, AnyQueryResult, AnyRow, AnyStatement, AnyTypeInfo};
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
    Direct(Arc<Directs>),
}

/// A new connection for direct reads, with the settings every reader gets.
pub type Open = Arc<dyn Fn() -> Result<Direct, Error> + Send + Sync>;

struct Directs {
    permits: Arc<Semaphore>,
    wait: Duration,
    idle: Mutex<Vec<Direct>>,
    open: Open,
    /// sqlx's readers, for what holds a connection ([`Readers::acquire`]) and for values a direct
    /// call does not bind (blobs).
    held: Readers,
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
            Inner::Direct(d) => f.debug_struct("Readers").field("direct", &d.permits.available_permits()).finish(),
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

    /// At most `max` connections for direct reads, opened by `open` when first needed; `held`
    /// for the rest.
    pub fn direct(max: usize, wait: Duration, open: Open, held: Readers) -> Readers {
        Readers(Inner::Direct(Arc::new(Directs {
            permits: Arc::new(Semaphore::new(max)),
            wait,
            idle: Mutex::new(Vec::with_capacity(max)),
            open,
            held,
        })))
    }

    /// A connection of one's own until the guard is dropped (a snapshot over several reads).
    pub async fn acquire(&self) -> Result<Reader, Error> {
        match &self.0 {
            Inner::Direct(d) => Box::pin(d.held.acquire()).await,
            Inner::Pool(p) => Ok(Reader(Held::Pool(p.acquire().await?))),
            Inner::Own(o) => {
                let permit = permit(&o.permits, o.wait).await?;
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
            Inner::Direct(d) => {
                d.permits.close();
                drop(d.idle.lock().map(|mut v| std::mem::take(&mut *v)));
                Box::pin(d.held.close()).await;
            }
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

impl Directs {
    /// One statement on an idle connection (opened if none is), on this thread: its rows and how
    /// many rows it changed. A connection that failed on its own is closed, not given back.
    async fn run<'q>(&self, mut query: impl Execute<'q, Any>) -> Result<(Vec<AnyRow>, u64), Error> {
        let sql = query.sql();
        let args = query.take_arguments().map_err(Error::Encode)?.unwrap_or_default();
        let Some(values) = direct_values(&args) else {
            let rows = sqlx::query_with(sql, args).fetch_all(&self.held).await?;
            return Ok((rows, 0));
        };
        let _permit = permit(&self.permits, self.wait).await?;
        let idle = self.idle.lock().map_err(|_| Error::PoolClosed)?.pop();
        let mut conn = match idle {
            Some(c) => c,
            None => (self.open)()?,
        };
        let r = conn.fetch_any(sql, &values);
        if !r.as_ref().is_err_and(Direct::broken) {
            self.idle.lock().map_err(|_| Error::PoolClosed)?.push(conn);
        }
        r
    }
}

/// A reader's turn, waited for at most `wait` (then refused, as sqlx's pool refuses it).
async fn permit(permits: &Arc<Semaphore>, wait: Duration) -> Result<OwnedSemaphorePermit, Error> {
    tokio::time::timeout(wait, permits.clone().acquire_owned())
        .await
        .map_err(|_| Error::PoolTimedOut)?
        .map_err(|_| Error::PoolClosed)
}

/// The values as a direct call binds them; `None` if one is of a type it does not bind.
fn direct_values(args: &AnyArguments<'_>) -> Option<Vec<Val>> {
    use sqlx_core::any::AnyValueKind as K;
    args.values
        .0
        .iter()
        .map(|v| match v {
            K::Null(_) => Some(Val::Int(None)),
            K::Bool(b) => Some(Val::Int(Some(i64::from(*b)))),
            K::SmallInt(i) => Some(Val::Int(Some(i64::from(*i)))),
            K::Integer(i) => Some(Val::Int(Some(i64::from(*i)))),
            K::BigInt(i) => Some(Val::Int(Some(*i))),
            K::Real(r) => Some(Val::Real(Some(f64::from(*r)))),
            K::Double(d) => Some(Val::Real(Some(*d))),
            K::Text(t) => Some(Val::Text(Some(t.to_string()))),
            _ => None,
        })
        .collect()
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
        // A stream (`fetch`, `execute`) is what may be long, such as the audit chain verified
        // at start-up: on direct readers it goes to sqlx's, which hand over a row at a time.
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
        if let Inner::Direct(d) = &self.0 {
            let d = d.clone();
            return Box::pin(async move { Ok(d.run(query).await?.0) });
        }
        on_a_reader!(self, conn => conn.fetch_all(query))
    }

    fn fetch_optional<'e, 'q: 'e, E>(self, query: E) -> BoxFuture<'e, Result<Option<AnyRow>, Error>>
    where
        E: 'q + Execute<'q, Any>,
    {
        if let Inner::Direct(d) = &self.0 {
            let d = d.clone();
            return Box::pin(async move { Ok(d.run(query).await?.0.into_iter().next()) });
        }
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
#[path = "readers_tests.rs"]
mod tests;
