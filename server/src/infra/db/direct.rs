//! The writer's statements as direct calls on its SQLite connection (the README's option 2):
//! through sqlx every statement is a round trip to the connection's own thread; here the group
//! commit's whole transaction runs on the writer's thread while the connection is locked
//! (`SqliteConnection::lock_handle`). The server's `unsafe` is kept to this file and to
//! `direct_reads` (the pages' reads).
//!
//! Parameters follow sqlx's SQLite rules, so the same text runs both ways: `$N` (or `?N`) is the
//! N-th value, a bare `?` the next one.

use super::Engine;
use super::exec::{Exec, Val, Vals};
use crate::error::AppResult;
use futures_util::future::BoxFuture;
use libsqlite3_sys as ffi;
use std::borrow::Cow;
use std::ffi::{CStr, CString, c_int};
use std::ptr::NonNull;
use std::sync::Arc;

/// Turns off SQLite's memory statistics for the whole process; to be called before SQLite is
/// used at all, by one thread (the server's `main`, first thing). With them on, every allocation
/// of every connection takes one global mutex: under the bench's load at 64 connections the
/// writer's thread made about 26,000 `futex` calls a second, more than half of them inside
/// SQLite's allocations, and submissions were 18 % slower (A/B runs). The price is the soft heap
/// limit, which needs the statistics: SQLite's memory is bounded by each connection's page cache
/// instead (README, "Memory on SQLite").
/// `false` if SQLite was already in use (the setting then stays as it was).
pub fn without_memory_statistics() -> bool {
    // Safety: `sqlite3_config` must not run beside any other SQLite call; the caller runs it
    // before any connection exists. Once SQLite is initialised it only returns SQLITE_MISUSE.
    unsafe { ffi::sqlite3_config(ffi::SQLITE_CONFIG_MEMSTATUS, 0 as c_int) == ffi::SQLITE_OK }
}

/// A failed call, as sqlx reports SQLite's: the extended code and SQLite's message.
#[derive(Debug)]
pub struct DirectError {
    code: c_int,
    message: String,
}

impl std::fmt::Display for DirectError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "(code: {}) {}", self.code, self.message)
    }
}

impl std::error::Error for DirectError {}

impl sqlx::error::DatabaseError for DirectError {
    fn message(&self) -> &str {
        &self.message
    }

    fn code(&self) -> Option<Cow<'_, str>> {
        Some(Cow::Owned(self.code.to_string()))
    }

    fn as_error(&self) -> &(dyn std::error::Error + Send + Sync + 'static) {
        self
    }

    fn as_error_mut(&mut self) -> &mut (dyn std::error::Error + Send + Sync + 'static) {
        self
    }

    fn into_error(self: Box<Self>) -> Box<dyn std::error::Error + Send + Sync + 'static> {
        self
    }

    fn kind(&self) -> sqlx::error::ErrorKind {
        use sqlx::error::ErrorKind;
        match self.code {
            ffi::SQLITE_CONSTRAINT_UNIQUE | ffi::SQLITE_CONSTRAINT_PRIMARYKEY => ErrorKind::UniqueViolation,
            ffi::SQLITE_CONSTRAINT_FOREIGNKEY => ErrorKind::ForeignKeyViolation,
            ffi::SQLITE_CONSTRAINT_NOTNULL => ErrorKind::NotNullViolation,
            ffi::SQLITE_CONSTRAINT_CHECK => ErrorKind::CheckViolation,
            _ => ErrorKind::Other,
        }
    }
}

/// A prepared statement, finalized on drop.
struct Stmt(NonNull<ffi::sqlite3_stmt>);

impl Drop for Stmt {
    fn drop(&mut self) {
        // Safety: prepared on the handle `Direct` holds, finalized once.
        unsafe { ffi::sqlite3_finalize(self.0.as_ptr()) };
    }
}

/// The statements prepared on one connection, kept from one batch to the next as sqlx keeps its
/// own (preparing a statement of many rows costs more than running it). They are finalized only
/// while that connection is locked ([`Direct`] drops them), since sqlx closes a connection only
/// when none is left.
#[derive(Default)]
pub struct Prepared(Vec<(String, Stmt)>);

/// At most this many statements are kept; the oldest goes first.
const KEPT: usize = 256;

/// An SQLite connection used by direct calls, with its prepared statements: the writer's, locked
/// from sqlx, or a reader's own ([`Direct::open`]).
pub struct Direct {
    db: NonNull<ffi::sqlite3>,
    prepared: Prepared,
    /// Opened here, so closed here.
    owned: bool,
}

impl Drop for Direct {
    fn drop(&mut self) {
        if self.owned {
            self.prepared.0.clear();
            // Safety: the handle was opened by `open` and nothing else holds it; its statements
            // are finalized above.
            unsafe { ffi::sqlite3_close(self.db.as_ptr()) };
        }
    }
}

// Safety: sqlx opens SQLite connections in multi-thread mode (one thread at a time, any thread);
// while the handle is locked sqlx's own thread makes no call on it.
unsafe impl Send for Direct {}
// Safety: as for `Direct`; statements are used only through it.
unsafe impl Send for Prepared {}

impl Direct {
    /// # Safety
    /// `db` is an open connection that nothing else uses until the `Direct` is dropped (it is
    /// the handle of a `LockedSqliteHandle` that outlives it), and `prepared` was prepared on it.
    pub unsafe fn new(db: NonNull<ffi::sqlite3>, prepared: Prepared) -> Direct {
        Direct { db, prepared, owned: false }
    }

    /// The statements, kept for the next time the same connection is locked.
    pub fn into_prepared(mut self) -> Prepared {
        std::mem::take(&mut self.prepared)
    }

    /// Whether a transaction is open (SQLite is not in autocommit mode).
    pub fn in_transaction(&self) -> bool {
        // Safety: a live handle.
        unsafe { ffi::sqlite3_get_autocommit(self.db.as_ptr()) == 0 }
    }

    /// How many rows the last statement changed.
    pub fn changes(&self) -> u64 {
        // Safety: a live handle.
        u64::try_from(unsafe { ffi::sqlite3_changes64(self.db.as_ptr()) }).unwrap_or(0)
    }

    pub(super) fn error(&self) -> sqlx::Error {
        // Safety: a live handle; the message is copied before any other call.
        let (code, message) = unsafe {
            let code = ffi::sqlite3_extended_errcode(self.db.as_ptr());
            let message = CStr::from_ptr(ffi::sqlite3_errmsg(self.db.as_ptr())).to_string_lossy().into_owned();
            (code, message)
        };
        sqlx::Error::Database(Box::new(DirectError { code, message }))
    }

    fn statement(&mut self, sql: &str) -> Result<NonNull<ffi::sqlite3_stmt>, sqlx::Error> {
        if let Some((_, s)) = self.prepared.0.iter().find(|(text, _)| text == sql) {
            return Ok(s.0);
        }
        if self.prepared.0.len() >= KEPT {
            // Finalized here, with the connection locked.
            self.prepared.0.remove(0);
        }
        let text = CString::new(sql).map_err(|e| sqlx::Error::Protocol(e.to_string()))?;
        let mut raw = std::ptr::null_mut();
        let mut rest = std::ptr::null();
        // Safety: a live handle and a NUL-terminated text; `raw` is ours to finalize.
        let rc = unsafe {
            ffi::sqlite3_prepare_v3(
                self.db.as_ptr(),
                text.as_ptr(),
                -1,
                ffi::SQLITE_PREPARE_PERSISTENT,
                &mut raw,
                &mut rest,
            )
        };
        if rc != ffi::SQLITE_OK {
            return Err(self.error());
        }
        let stmt = Stmt(NonNull::new(raw).ok_or_else(|| sqlx::Error::Protocol("istruzione SQL vuota".into()))?);
        // Safety: `rest` points into `text`, still alive.
        let trailing = unsafe { CStr::from_ptr(rest) }.to_string_lossy().trim().to_string();
        if !trailing.is_empty() {
            return Err(sqlx::Error::Protocol(format!("una istruzione per chiamata, non: {trailing}")));
        }
        let ptr = stmt.0;
        self.prepared.0.push((sql.to_string(), stmt));
        Ok(ptr)
    }

    /// Runs one statement with its values; the rows it gives (a `RETURNING`, a `SELECT`).
    pub fn run(&mut self, sql: &str, args: &[Val]) -> Result<Vec<Vals>, sqlx::Error> {
        // Safety (both closures): `each_row` calls them on its statement, just stepped to a row.
        let shape = |s| unsafe { column_names(s) };
        let row = |names: &Arc<[String]>, s| Vals::new(names.clone(), unsafe { columns(s) });
        Ok(self.each_row(sql, args, shape, row)?.0)
    }

    /// Steps one statement through its rows, giving each to `row` with what `shape` made of the
    /// first; and whether the statement only reads.
    pub(super) fn each_row<S, T>(
        &mut self,
        sql: &str,
        args: &[Val],
        shape: impl Fn(*mut ffi::sqlite3_stmt) -> S,
        mut row: impl FnMut(&S, *mut ffi::sqlite3_stmt) -> T,
    ) -> Result<(Vec<T>, bool), sqlx::Error> {
        let stmt = self.statement(sql)?.as_ptr();
        // Safety: `stmt` belongs to this live handle; every text bound is copied by SQLite
        // (SQLITE_TRANSIENT) and every column is copied before the next step.
        unsafe {
            ffi::sqlite3_reset(stmt);
            ffi::sqlite3_clear_bindings(stmt);
            let bound = self.bind(stmt, args);
            if let Err(e) = bound {
                ffi::sqlite3_reset(stmt);
                return Err(e);
            }
            let mut rows = vec![];
            let mut shaped: Option<S> = None;
            loop {
                match ffi::sqlite3_step(stmt) {
                    ffi::SQLITE_ROW => {
                        let s = shaped.get_or_insert_with(|| shape(stmt));
                        rows.push(row(s, stmt))
                    }
                    ffi::SQLITE_DONE => break,
                    _ => {
                        let e = self.error();
                        ffi::sqlite3_reset(stmt);
                        return Err(e);
                    }
                }
            }
            let read_only = ffi::sqlite3_stmt_readonly(stmt) != 0;
            ffi::sqlite3_reset(stmt);
            Ok((rows, read_only))
        }
    }

    /// Safety: `stmt` is a statement of this handle, reset.
    unsafe fn bind(&self, stmt: *mut ffi::sqlite3_stmt, args: &[Val]) -> Result<(), sqlx::Error> {
        let mut next = 0usize;
        // Safety (the block): as the function's.
        unsafe {
            for p in 1..=ffi::sqlite3_bind_parameter_count(stmt) {
                let name = ffi::sqlite3_bind_parameter_name(stmt, p);
                let n = if name.is_null() {
                    next += 1;
                    next
                } else {
                    let name = CStr::from_ptr(name).to_string_lossy();
                    name.get(1..)
                        .and_then(|n| n.parse::<usize>().ok())
                        .ok_or_else(|| sqlx::Error::Protocol(format!("parametro non numerato: {name}")))?
                };
                let v = args.get(n.wrapping_sub(1)).ok_or_else(|| {
                    sqlx::Error::Protocol(format!("parametro {n} senza valore ({} dati)", args.len()))
                })?;
                let rc = match v {
                    Val::Int(Some(i)) => ffi::sqlite3_bind_int64(stmt, p, *i),
                    Val::Real(Some(r)) => ffi::sqlite3_bind_double(stmt, p, *r),
                    Val::Text(Some(t)) => ffi::sqlite3_bind_text(
                        stmt,
                        p,
                        t.as_ptr().cast(),
                        c_int::try_from(t.len()).map_err(|_| sqlx::Error::Protocol("testo troppo lungo".into()))?,
                        ffi::SQLITE_TRANSIENT(),
                    ),
                    Val::Int(None) | Val::Real(None) | Val::Text(None) => ffi::sqlite3_bind_null(stmt, p),
                };
                if rc != ffi::SQLITE_OK {
                    return Err(self.error());
                }
            }
        }
        Ok(())
    }
}

/// The statement's column names. Safety: `stmt` is a live statement.
pub(super) unsafe fn column_names(stmt: *mut ffi::sqlite3_stmt) -> Arc<[String]> {
    // Safety: as the function's; each name is copied at once.
    unsafe {
        (0..ffi::sqlite3_column_count(stmt))
            .map(|i| {
                let p = ffi::sqlite3_column_name(stmt, i);
                if p.is_null() { String::new() } else { CStr::from_ptr(p).to_string_lossy().into_owned() }
            })
            .collect()
    }
}

/// A text (or, with `blob`, a blob) column of the current row, valid until the next call on
/// `stmt`. Safety: `stmt` has just stepped to a row.
pub(super) unsafe fn column_bytes<'s>(stmt: *mut ffi::sqlite3_stmt, i: c_int, blob: bool) -> &'s [u8] {
    // Safety: as the function's; the length is read right after the pointer, as SQLite asks.
    unsafe {
        let p = if blob { ffi::sqlite3_column_blob(stmt, i).cast::<u8>() } else { ffi::sqlite3_column_text(stmt, i) };
        let n = usize::try_from(ffi::sqlite3_column_bytes(stmt, i)).unwrap_or(0);
        if p.is_null() { &[] } else { std::slice::from_raw_parts(p, n) }
    }
}

/// A text column, copied. The server writes UTF-8, so the check is `from_utf8`'s fast one;
/// anything else is read lossily (`from_utf8_lossy` on every value was 1 % of the request list).
/// Safety: as [`column_bytes`].
pub(super) unsafe fn column_text(stmt: *mut ffi::sqlite3_stmt, i: c_int) -> String {
    // Safety: as the function's.
    let bytes = unsafe { column_bytes(stmt, i, false) };
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_owned(),
        Err(_) => String::from_utf8_lossy(bytes).into_owned(),
    }
}

/// The current row's columns, copied. Safety: `stmt` has just stepped to a row.
unsafe fn columns(stmt: *mut ffi::sqlite3_stmt) -> Vec<Val> {
    // Safety: as the function's; a text is read with its length before any other call.
    unsafe {
        (0..ffi::sqlite3_column_count(stmt))
            .map(|i| match ffi::sqlite3_column_type(stmt, i) {
                ffi::SQLITE_INTEGER => Val::Int(Some(ffi::sqlite3_column_int64(stmt, i))),
                ffi::SQLITE_FLOAT => Val::Real(Some(ffi::sqlite3_column_double(stmt, i))),
                ffi::SQLITE_NULL => Val::Int(None),
                _ => Val::Text(Some(column_text(stmt, i))),
            })
            .collect()
    }
}

impl Exec for Direct {
    fn engine(&self) -> Engine {
        Engine::Sqlite
    }

    fn execute<'a>(&'a mut self, sql: &'a str, args: Vec<Val>) -> BoxFuture<'a, AppResult<u64>> {
        let changed = Direct::run(self, sql, &args).map(|_| self.changes());
        Box::pin(async move { Ok(changed?) })
    }

    fn run<'a>(&'a mut self, sql: &'a str, args: Vec<Val>) -> BoxFuture<'a, AppResult<Vec<Vals>>> {
        let rows = Direct::run(self, sql, &args);
        Box::pin(async move { Ok(rows?) })
    }
}

#[path = "direct_reads.rs"]
mod reads;

#[cfg(test)]
#[path = "direct_tests.rs"]
mod tests;
