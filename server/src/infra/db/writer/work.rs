//! A write's body and its savepoint: on sqlx's connection, or against [`Exec`] (then by direct
//! calls on SQLite).

use super::super::direct::Direct;
use super::super::exec::Exec;
use super::Done;
use super::Tail;
use crate::error::{AppError, AppResult};
use futures_util::FutureExt;
use futures_util::future::BoxFuture;
use sqlx::{AnyConnection, Connection};
use std::panic::AssertUnwindSafe;

/// The connection a batch runs on: sqlx's, or the SQLite writer's direct calls.
pub(super) enum Conn<'c> {
    Any(&'c mut AnyConnection),
    Direct(&'c mut Direct),
}

impl Conn<'_> {
    pub(super) fn reborrow(&mut self) -> Conn<'_> {
        match self {
            Conn::Any(c) => Conn::Any(c),
            Conn::Direct(d) => Conn::Direct(d),
        }
    }

    /// The same connection for a write against [`Exec`] (the batch's tail).
    pub(super) fn exec(&mut self) -> &mut dyn Exec {
        match self {
            Conn::Any(c) => &mut **c,
            Conn::Direct(d) => &mut **d,
        }
    }
}

/// A write's body: on sqlx's connection ([`OnAny`]), or written against [`Exec`] ([`OnExec`]),
/// which on SQLite runs by direct calls.
pub(super) trait Work<T>: Send + 'static {
    const PORTABLE: bool;
    /// Runs in its own savepoint; the outer `Err` as for [`in_savepoint`].
    fn run<'c>(self, conn: Conn<'c>) -> BoxFuture<'c, AppResult<Done<T>>>;
}

pub(super) struct OnAny<F>(pub(super) F);
pub(super) struct OnExec<F>(pub(super) F);

impl<T, F> Work<T> for OnAny<F>
where
    T: Send + 'static,
    F: for<'c> FnOnce(&'c mut AnyConnection) -> BoxFuture<'c, Done<T>> + Send + 'static,
{
    const PORTABLE: bool = false;
    fn run<'c>(self, conn: Conn<'c>) -> BoxFuture<'c, AppResult<Done<T>>> {
        match conn {
            Conn::Any(c) => Box::pin(in_savepoint(c, self.0)),
            // Never sent there: batches are split by `Job::portable`.
            Conn::Direct(_) => Box::pin(async { Ok(Err(AppError::Internal("scrittura solo tramite sqlx".into()))) }),
        }
    }
}

impl<T, F> Work<T> for OnExec<F>
where
    T: Send + 'static,
    F: for<'c> FnOnce(&'c mut dyn Exec) -> BoxFuture<'c, Done<T>> + Send + 'static,
{
    const PORTABLE: bool = true;
    fn run<'c>(self, conn: Conn<'c>) -> BoxFuture<'c, AppResult<Done<T>>> {
        match conn {
            Conn::Any(c) => Box::pin(in_exec_savepoint(c, self.0)),
            Conn::Direct(d) => Box::pin(in_exec_savepoint(d, self.0)),
        }
    }
}

/// Runs one write in a savepoint: released if it succeeds, rolled back if it fails or panics.
/// The write's own outcome is the inner result; the outer `Err` is a savepoint that could not be
/// released or rolled back (then what the write did may still be in the transaction).
async fn in_savepoint<T, F>(conn: &mut AnyConnection, work: F) -> AppResult<Done<T>>
where
    F: for<'c> FnOnce(&'c mut AnyConnection) -> BoxFuture<'c, Done<T>>,
{
    let mut sp = match conn.begin().await {
        Ok(sp) => sp,
        // Nothing of this write ran: it fails alone.
        Err(e) => return Ok(Err(e.into())),
    };
    let result = match AssertUnwindSafe(work(&mut sp)).catch_unwind().await {
        Ok(r) => r,
        Err(_) => Err(AppError::Internal("errore interno durante la scrittura".into())),
    };
    match result {
        Ok(v) => {
            sp.commit().await?;
            Ok(Ok(v))
        }
        Err(e) => {
            sp.rollback().await?;
            Ok(Err(e))
        }
    }
}

/// [`in_savepoint`] for a write against [`Exec`]: the savepoint is a statement like the others.
async fn in_exec_savepoint<T, F>(conn: &mut dyn Exec, work: F) -> AppResult<Done<T>>
where
    F: for<'c> FnOnce(&'c mut dyn Exec) -> BoxFuture<'c, Done<T>>,
{
    if let Err(e) = conn.run("SAVEPOINT scrittura", vec![]).await {
        return Ok(Err(e));
    }
    let result = match AssertUnwindSafe(work(&mut *conn)).catch_unwind().await {
        Ok(r) => r,
        Err(_) => Err(AppError::Internal("errore interno durante la scrittura".into())),
    };
    if result.is_err() {
        conn.run("ROLLBACK TO SAVEPOINT scrittura", vec![]).await?;
    }
    conn.run("RELEASE SAVEPOINT scrittura", vec![]).await?;
    Ok(result)
}

/// A write that leaves nothing for the batch's end.
pub(super) fn without_tail<T, F>(
    work: F,
) -> OnAny<impl for<'c> FnOnce(&'c mut AnyConnection) -> BoxFuture<'c, Done<T>> + Send + 'static>
where
    T: Send + 'static,
    F: for<'c> FnOnce(&'c mut AnyConnection) -> BoxFuture<'c, AppResult<T>> + Send + 'static,
{
    OnAny(tailless(work))
}

fn tailless<T, F>(work: F) -> impl for<'c> FnOnce(&'c mut AnyConnection) -> BoxFuture<'c, Done<T>> + Send + 'static
where
    T: Send + 'static,
    F: for<'c> FnOnce(&'c mut AnyConnection) -> BoxFuture<'c, AppResult<T>> + Send + 'static,
{
    move |c| Box::pin(work(c).map(|r| r.map(|v| (v, Tail::default()))))
}

pub(super) fn exec_tailless<T, F>(
    work: F,
) -> impl for<'c> FnOnce(&'c mut dyn Exec) -> BoxFuture<'c, Done<T>> + Send + 'static
where
    T: Send + 'static,
    F: for<'c> FnOnce(&'c mut dyn Exec) -> BoxFuture<'c, AppResult<T>> + Send + 'static,
{
    move |c| Box::pin(work(c).map(|r| r.map(|v| (v, Tail::default()))))
}
