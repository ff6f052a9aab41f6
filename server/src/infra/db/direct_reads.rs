//! Direct calls for the pages' reads on SQLite (README, "Reads by direct calls"): connections
//! of their own, and rows as sqlx's Any driver gives them, so that the same `sqlx::query(…)`
//! reads the same values either way. Part of the server's `unsafe`, with `direct`.

use super::{Direct, Prepared, Val, column_bytes, column_names, column_text};
use libsqlite3_sys as ffi;
use sqlx::any::{AnyRow, AnyTypeInfo, AnyTypeInfoKind, AnyValue};
use sqlx_core::any::{AnyColumn, AnyValueKind};
use sqlx_core::ext::ustr::UStr;
use std::borrow::Cow;
use std::ffi::{CString, c_int};
use std::ptr::NonNull;
use std::sync::Arc;

impl Direct {
    /// Whether an error says the connection itself failed (I/O, a damaged or vanished file): it
    /// is then closed rather than used again.
    pub fn broken(e: &sqlx::Error) -> bool {
        match e {
            sqlx::Error::Database(d) => d.code().and_then(|c| c.parse::<c_int>().ok()).is_some_and(|c| {
                matches!(c & 0xff, ffi::SQLITE_IOERR | ffi::SQLITE_CORRUPT | ffi::SQLITE_NOTADB | ffi::SQLITE_CANTOPEN)
            }),
            sqlx::Error::Io(_) => true,
            _ => false,
        }
    }

    /// A connection of its own for the pages' reads (README, "Reads by direct calls"), with the
    /// settings `pragmas`; closed when dropped.
    pub fn open(path: &str, pragmas: &str) -> Result<Direct, sqlx::Error> {
        let c_path = CString::new(path).map_err(|e| sqlx::Error::Configuration(e.into()))?;
        let c_pragmas = CString::new(pragmas).map_err(|e| sqlx::Error::Configuration(e.into()))?;
        let mut raw = std::ptr::null_mut();
        // Safety: a NUL-terminated path; the handle SQLite gives back, even on failure, is ours
        // to close (the `Direct` below closes it when dropped).
        let rc = unsafe {
            ffi::sqlite3_open_v2(
                c_path.as_ptr(),
                &mut raw,
                ffi::SQLITE_OPEN_READWRITE | ffi::SQLITE_OPEN_NOMUTEX,
                std::ptr::null(),
            )
        };
        let db = NonNull::new(raw).ok_or_else(|| sqlx::Error::Protocol("SQLite: memoria esaurita".into()))?;
        let conn = Direct { db, prepared: Prepared::default(), owned: true };
        if rc != ffi::SQLITE_OK {
            return Err(conn.error());
        }
        // Safety: a live handle and a NUL-terminated text; no callback, so no rows are handed out.
        let rc = unsafe {
            ffi::sqlite3_extended_result_codes(db.as_ptr(), 1);
            ffi::sqlite3_exec(db.as_ptr(), c_pragmas.as_ptr(), None, std::ptr::null_mut(), std::ptr::null_mut())
        };
        if rc != ffi::SQLITE_OK {
            return Err(conn.error());
        }
        Ok(conn)
    }

    /// Runs one statement as sqlx's Any driver runs it on SQLite: its rows, each value with the
    /// type it has (not its column's), and how many rows it changed.
    pub fn fetch_any(&mut self, sql: &str, args: &[Val]) -> Result<(Vec<AnyRow>, u64), sqlx::Error> {
        // Safety (both closures): as in `run`.
        let shape = |s| unsafe { any_shape(s) };
        let row = |(names, cols): &AnyShape, s| AnyRow {
            column_names: names.clone(),
            columns: cols.clone(),
            values: unsafe { any_values(s) },
        };
        let (rows, read_only) = self.each_row(sql, args, shape, row)?;
        Ok((rows, if read_only { 0 } else { self.changes() }))
    }
}

/// A row's column names as sqlx maps them (of equal names the last wins) and its columns.
type AnyShape = (Arc<sqlx_core::HashMap<UStr, usize>>, Vec<AnyColumn>);

/// The shape of the statement's rows, typed as its first row's values are. Safety: `stmt` has
/// just stepped to its first row.
unsafe fn any_shape(stmt: *mut ffi::sqlite3_stmt) -> AnyShape {
    // Safety: as the function's.
    let (names, values) = unsafe { (column_names(stmt), any_values(stmt)) };
    let columns: Vec<AnyColumn> = names
        .iter()
        .zip(&values)
        .enumerate()
        .map(|(ordinal, (name, v))| AnyColumn {
            ordinal,
            name: UStr::new(name),
            type_info: AnyTypeInfo { kind: kind_of(&v.kind) },
        })
        .collect();
    let by_name = columns.iter().map(|c| (c.name.clone(), c.ordinal)).collect();
    (Arc::new(by_name), columns)
}

fn kind_of(v: &AnyValueKind<'_>) -> AnyTypeInfoKind {
    match v {
        AnyValueKind::BigInt(_) => AnyTypeInfoKind::BigInt,
        AnyValueKind::Double(_) => AnyTypeInfoKind::Double,
        AnyValueKind::Text(_) => AnyTypeInfoKind::Text,
        AnyValueKind::Blob(_) => AnyTypeInfoKind::Blob,
        _ => AnyTypeInfoKind::Null,
    }
}

/// The current row's values, copied, each with its own type as sqlx's SQLite driver gives it
/// to the Any driver. Safety: `stmt` has just stepped to a row.
unsafe fn any_values(stmt: *mut ffi::sqlite3_stmt) -> Vec<AnyValue> {
    // Safety: as the function's; a text or blob is read with its length before any other call.
    unsafe {
        (0..ffi::sqlite3_column_count(stmt))
            .map(|i| {
                let kind = match ffi::sqlite3_column_type(stmt, i) {
                    ffi::SQLITE_INTEGER => AnyValueKind::BigInt(ffi::sqlite3_column_int64(stmt, i)),
                    ffi::SQLITE_FLOAT => AnyValueKind::Double(ffi::sqlite3_column_double(stmt, i)),
                    ffi::SQLITE_NULL => AnyValueKind::Null(AnyTypeInfoKind::Null),
                    ffi::SQLITE_BLOB => AnyValueKind::Blob(Cow::Owned(column_bytes(stmt, i, true).to_vec())),
                    _ => AnyValueKind::Text(Cow::Owned(column_text(stmt, i))),
                };
                AnyValue { kind }
            })
            .collect()
    }
}
