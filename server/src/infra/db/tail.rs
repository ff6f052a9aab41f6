//! What the writes of one group commit add alike (a timeline event, a notification, a job, an
//! audit record), kept by each write and written once for the whole batch at its end, a few
//! set statements instead of a few statements for each write. A write's tail joins the batch's
//! only if the write succeeds: a write rolled back to its savepoint leaves nothing behind.

use super::exec::Exec;
use crate::error::AppResult;
use futures_util::future::BoxFuture;
use std::any::{Any, TypeId};

/// Rows of one kind that a batch writes together, in the order its writes added them.
pub trait SetWrite: Send + Sized + 'static {
    fn write_all(conn: &mut dyn Exec, items: Vec<Self>) -> BoxFuture<'_, AppResult<()>>;
}

/// One kind's rows, its type forgotten so that a tail can hold several kinds.
trait Group: Send {
    fn into_any(self: Box<Self>) -> Box<dyn Any>;
    fn as_any(&mut self) -> &mut dyn Any;
    /// Takes a later write's rows of the same kind after its own.
    fn absorb(&mut self, later: Box<dyn Group>);
    fn write<'c>(self: Box<Self>, conn: &'c mut dyn Exec) -> BoxFuture<'c, AppResult<()>>;
}

struct Items<T>(Vec<T>);

impl<T: SetWrite> Group for Items<T> {
    fn into_any(self: Box<Self>) -> Box<dyn Any> {
        self
    }

    fn as_any(&mut self) -> &mut dyn Any {
        self
    }

    fn absorb(&mut self, later: Box<dyn Group>) {
        if let Ok(later) = later.into_any().downcast::<Items<T>>() {
            self.0.extend(later.0);
        }
    }

    fn write<'c>(self: Box<Self>, conn: &'c mut dyn Exec) -> BoxFuture<'c, AppResult<()>> {
        T::write_all(conn, self.0)
    }
}

/// The rows a write leaves for its batch's end; kinds are written in the order they first came.
#[derive(Default)]
pub struct Tail {
    groups: Vec<(TypeId, Box<dyn Group>)>,
}

impl Tail {
    pub fn push<T: SetWrite>(&mut self, item: T) {
        let id = TypeId::of::<T>();
        match self.groups.iter_mut().find(|(g, _)| *g == id) {
            Some((_, group)) => {
                if let Some(items) = group.as_any().downcast_mut::<Items<T>>() {
                    items.0.push(item);
                }
            }
            None => self.groups.push((id, Box::new(Items(vec![item])))),
        }
    }

    /// Adds a later write's rows after this one's.
    pub fn append(&mut self, later: Tail) {
        for (id, group) in later.groups {
            match self.groups.iter_mut().find(|(g, _)| *g == id) {
                Some((_, mine)) => mine.absorb(group),
                None => self.groups.push((id, group)),
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }

    pub async fn write(self, conn: &mut dyn Exec) -> AppResult<()> {
        for (_, group) in self.groups {
            group.write(&mut *conn).await?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    /// What the tests' rows were written as: each kind's call, with its rows.
    static WRITTEN: Mutex<Vec<(&'static str, Vec<i64>)>> = Mutex::new(vec![]);

    struct A(i64);
    struct B(i64);

    impl SetWrite for A {
        fn write_all(_: &mut dyn Exec, items: Vec<A>) -> BoxFuture<'_, AppResult<()>> {
            Box::pin(async move {
                WRITTEN
                    .lock()
                    .map_err(|_| crate::error::AppError::Internal("lock".into()))?
                    .push(("A", items.iter().map(|a| a.0).collect()));
                Ok(())
            })
        }
    }

    impl SetWrite for B {
        fn write_all(_: &mut dyn Exec, items: Vec<B>) -> BoxFuture<'_, AppResult<()>> {
            Box::pin(async move {
                WRITTEN
                    .lock()
                    .map_err(|_| crate::error::AppError::Internal("lock".into()))?
                    .push(("B", items.iter().map(|b| b.0).collect()));
                Ok(())
            })
        }
    }

    /// Each kind is one call with every write's rows in the writes' order; kinds in the order
    /// they first came.
    #[tokio::test]
    async fn rows_of_a_kind_go_together_in_order() {
        let mut first = Tail::default();
        first.push(B(1));
        first.push(A(1));
        first.push(B(2));
        let mut second = Tail::default();
        second.push(A(2));
        second.push(B(3));
        let mut batch = Tail::default();
        assert!(batch.is_empty());
        batch.append(first);
        batch.append(Tail::default());
        batch.append(second);
        sqlx::any::install_default_drivers();
        let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect("sqlite::memory:").await.expect("connection");
        batch.write(&mut conn).await.expect("written");
        let written = WRITTEN.lock().expect("lock").clone();
        assert_eq!(written, vec![("B", vec![1, 2, 3]), ("A", vec![1, 2])]);
    }
}
