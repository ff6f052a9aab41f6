//! One statement with its values, run alike through sqlx (any engine) or by direct calls on the
//! writer's SQLite connection (`super::direct`): the writes of the group commit's hot path are
//! written once, against [`Exec`].

use super::Engine;
use super::dialect;
use crate::error::{AppError, AppResult};
use futures_util::future::BoxFuture;
use sqlx::any::AnyTypeInfoKind;
use sqlx::{AnyConnection, Column, Row, ValueRef};
use std::sync::Arc;

/// A value bound to a statement or read from a row; a NULL keeps the type it is bound as
/// (PostgreSQL wants one).
#[derive(Clone, Debug, PartialEq)]
pub enum Val {
    Int(Option<i64>),
    Real(Option<f64>),
    Text(Option<String>),
}

impl From<i64> for Val {
    fn from(v: i64) -> Val {
        Val::Int(Some(v))
    }
}

impl From<Option<i64>> for Val {
    fn from(v: Option<i64>) -> Val {
        Val::Int(v)
    }
}

impl From<&str> for Val {
    fn from(v: &str) -> Val {
        Val::Text(Some(v.to_string()))
    }
}

impl From<String> for Val {
    fn from(v: String) -> Val {
        Val::Text(Some(v))
    }
}

impl From<&String> for Val {
    fn from(v: &String) -> Val {
        Val::Text(Some(v.clone()))
    }
}

impl From<Option<String>> for Val {
    fn from(v: Option<String>) -> Val {
        Val::Text(v)
    }
}

impl From<&Option<String>> for Val {
    fn from(v: &Option<String>) -> Val {
        Val::Text(v.clone())
    }
}

impl From<Option<&str>> for Val {
    fn from(v: Option<&str>) -> Val {
        Val::Text(v.map(str::to_string))
    }
}

/// The values of a statement, in order: `vals![a, b, c]`.
#[macro_export]
macro_rules! vals {
    ($($v:expr),* $(,)?) => { vec![$($crate::infra::db::exec::Val::from($v)),*] };
}

/// A row's columns, in the statement's order, read by position or by name.
#[derive(Debug)]
pub struct Vals {
    names: Arc<[String]>,
    vals: Vec<Val>,
}

/// A column of a row: its position, or its name.
pub trait Col: Copy + std::fmt::Display {
    fn index(self, names: &[String]) -> Option<usize>;
}

impl Col for usize {
    fn index(self, _: &[String]) -> Option<usize> {
        Some(self)
    }
}

impl Col for &str {
    fn index(self, names: &[String]) -> Option<usize> {
        names.iter().position(|n| n.eq_ignore_ascii_case(self))
    }
}

impl Vals {
    pub fn new(names: Arc<[String]>, vals: Vec<Val>) -> Vals {
        Vals { names, vals }
    }

    fn get(&self, c: impl Col) -> Option<&Val> {
        c.index(&self.names).and_then(|i| self.vals.get(i))
    }

    fn wrong(c: impl Col, what: &str) -> AppError {
        AppError::Internal(format!("colonna {c}: atteso {what}"))
    }

    pub fn int(&self, c: impl Col) -> AppResult<i64> {
        self.opt_int(c)?.ok_or_else(|| Vals::wrong(c, "un intero, non NULL"))
    }

    pub fn opt_int(&self, c: impl Col) -> AppResult<Option<i64>> {
        match self.get(c) {
            Some(Val::Int(v)) => Ok(*v),
            Some(Val::Text(None) | Val::Real(None)) => Ok(None),
            _ => Err(Vals::wrong(c, "un intero")),
        }
    }

    pub fn text(&self, c: impl Col) -> AppResult<String> {
        self.opt_text(c)?.ok_or_else(|| Vals::wrong(c, "un testo, non NULL"))
    }

    pub fn opt_text(&self, c: impl Col) -> AppResult<Option<String>> {
        match self.get(c) {
            Some(Val::Text(v)) => Ok(v.clone()),
            Some(Val::Int(None) | Val::Real(None)) => Ok(None),
            _ => Err(Vals::wrong(c, "un testo")),
        }
    }

    /// A flag stored as 0/1 (SQLite) or a boolean (PostgreSQL, read as 0/1).
    pub fn flag(&self, c: impl Col) -> AppResult<bool> {
        Ok(self.int(c)? != 0)
    }
}

/// Where a write's statements run.
pub trait Exec: Send {
    fn engine(&self) -> Engine;
    /// Runs one statement; the rows it gives.
    fn run<'a>(&'a mut self, sql: &'a str, args: Vec<Val>) -> BoxFuture<'a, AppResult<Vec<Vals>>>;

    /// Runs one statement that gives no rows; how many rows it changed.
    fn execute<'a>(&'a mut self, sql: &'a str, args: Vec<Val>) -> BoxFuture<'a, AppResult<u64>>;

    /// The statement's first row, if any.
    fn fetch_optional<'a>(&'a mut self, sql: &'a str, args: Vec<Val>) -> BoxFuture<'a, AppResult<Option<Vals>>> {
        Box::pin(async move { Ok(self.run(sql, args).await?.into_iter().next()) })
    }

    /// The statement's first row; none is an error, as in sqlx.
    fn fetch_one<'a>(&'a mut self, sql: &'a str, args: Vec<Val>) -> BoxFuture<'a, AppResult<Vals>> {
        Box::pin(async move { self.fetch_optional(sql, args).await?.ok_or_else(|| sqlx::Error::RowNotFound.into()) })
    }
}

impl Exec for AnyConnection {
    fn engine(&self) -> Engine {
        dialect::engine_of(self)
    }

    fn execute<'a>(&'a mut self, sql: &'a str, args: Vec<Val>) -> BoxFuture<'a, AppResult<u64>> {
        Box::pin(async move { Ok(bound(sql, args).execute(self).await?.rows_affected()) })
    }

    fn run<'a>(&'a mut self, sql: &'a str, args: Vec<Val>) -> BoxFuture<'a, AppResult<Vec<Vals>>> {
        Box::pin(async move {
            let q = bound(sql, args);
            let rows = q.fetch_all(self).await?;
            let names: Arc<[String]> = match rows.first() {
                Some(r) => r.columns().iter().map(|c| c.name().to_string()).collect(),
                None => Arc::from([]),
            };
            rows.iter().map(|r| row_vals(r, &names)).collect()
        })
    }
}

fn bound(sql: &str, args: Vec<Val>) -> sqlx::query::Query<'_, sqlx::Any, sqlx::any::AnyArguments<'_>> {
    let mut q = sqlx::query(sql);
    for a in args {
        q = match a {
            Val::Int(v) => q.bind(v),
            Val::Real(v) => q.bind(v),
            Val::Text(v) => q.bind(v),
        };
    }
    q
}

fn row_vals(r: &sqlx::any::AnyRow, names: &Arc<[String]>) -> AppResult<Vals> {
    (0..r.len())
        .map(|i| {
            let raw = r.try_get_raw(i)?;
            let (kind, null) = (raw.type_info().kind(), raw.is_null());
            Ok(match kind {
                _ if null => Val::Int(None),
                AnyTypeInfoKind::Real | AnyTypeInfoKind::Double => Val::Real(r.try_get(i)?),
                AnyTypeInfoKind::Text => Val::Text(r.try_get(i)?),
                AnyTypeInfoKind::Bool => Val::Int(r.try_get::<Option<bool>, _>(i)?.map(i64::from)),
                AnyTypeInfoKind::Blob => Err(AppError::Internal(format!("colonna {i}: dati binari")))?,
                _ => Val::Int(r.try_get(i)?),
            })
        })
        .collect::<AppResult<Vec<_>>>()
        .map(|v| Vals::new(names.clone(), v))
}
