//! The group commit's guarantees.

use super::*;
use crate::infra::db::Db;
use sqlx::Row;

async fn db() -> Db {
    let dir = std::env::temp_dir().join(format!("sportello-writer-{}-{}", std::process::id(), rand_suffix()));
    let db = Db::connect(&format!("sqlite://{}/w.db", dir.display())).await.expect("db");
    sqlx::query("CREATE TABLE t (v INTEGER NOT NULL UNIQUE)").execute(&db.write).await.expect("table");
    db
}

/// A database of its own for each test of the process.
fn rand_suffix() -> String {
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
    format!("{n}-{nanos}")
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

/// A write that panics is rolled back and answered with an error, through sqlx and by direct
/// calls alike: what it wrote before is gone, and the writer (and its own connection) keeps going.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_panicking_write_does_not_stop_the_writer() {
    let db = db().await;
    let w = db.writer.clone();
    let through_sqlx: AppResult<()> = w
        .write(|c| {
            Box::pin(async move {
                sqlx::query("INSERT INTO t (v) VALUES (7)").execute(&mut *c).await?;
                panics();
                Ok(())
            })
        })
        .await;
    let direct: AppResult<()> = w
        .write_exec(|c| {
            Box::pin(async move {
                c.execute("INSERT INTO t (v) VALUES (9)", vec![]).await?;
                panics();
                Ok(())
            })
        })
        .await;
    assert!(through_sqlx.is_err() && direct.is_err());
    insert(&w, 8).await.expect("the writer still works");
    let n = w
        .write_exec(|c| {
            Box::pin(async move { c.fetch_one("INSERT INTO t (v) VALUES (10) RETURNING v", vec![]).await?.int(0) })
        })
        .await
        .expect("its own connection too");
    assert_eq!(n, 10);
    let mut rows: Vec<i64> =
        sqlx::query("SELECT v FROM t").fetch_all(&db.read).await.expect("rows").iter().map(|r| r.get(0)).collect();
    rows.sort();
    assert_eq!(rows, vec![8, 10]);
}

fn panics() {
    let v: Vec<i64> = vec![];
    #[allow(clippy::indexing_slicing)]
    let _ = v[1];
}

/// A row a write leaves for its batch's end, in table `u`.
struct Logged(i64);

impl crate::infra::db::tail::SetWrite for Logged {
    fn write_all(conn: &mut dyn crate::infra::db::exec::Exec, items: Vec<Logged>) -> BoxFuture<'_, AppResult<()>> {
        Box::pin(async move {
            for Logged(v) in items {
                conn.run("INSERT INTO u (v) VALUES ($1)", crate::vals![v]).await?;
            }
            Ok(())
        })
    }
}

/// The rows a write leaves for its batch's end are written only if the write itself succeeds,
/// and before the answer: one that breaks a constraint leaves nothing, the others' are there
/// as soon as they are answered. Through sqlx, and by direct calls (`write_exec_with_tail`),
/// the two kinds of write interleaved in the same batches.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tail_is_written_with_its_write_or_not_at_all() {
    let db = db().await;
    sqlx::query("CREATE TABLE u (v INTEGER NOT NULL)").execute(&db.write).await.expect("table");
    let mut handles = vec![];
    for v in 0..200i64 {
        let (w, read) = (db.writer.clone(), db.read.clone());
        // 40 and 140 are written twice, once each way: one of each pair fails, and its row in
        // `u` must not appear.
        let v = match v {
            70 => 40,
            170 => 140,
            v => v,
        };
        handles.push(tokio::spawn(async move {
            let r = if v % 2 == 0 {
                w.write_with_tail(move |c| {
                    Box::pin(async move {
                        sqlx::query("INSERT INTO t (v) VALUES ($1)").bind(v).execute(&mut *c).await?;
                        let mut tail = Tail::default();
                        tail.push(Logged(v));
                        Ok((v, tail))
                    })
                })
                .await
            } else {
                w.write_exec_with_tail(move |c| {
                    Box::pin(async move {
                        c.execute("INSERT INTO t (v) VALUES ($1)", crate::vals![v]).await?;
                        let mut tail = Tail::default();
                        tail.push(Logged(v));
                        Ok((v, tail))
                    })
                })
                .await
            };
            if r.is_ok() {
                let seen: i64 = sqlx::query("SELECT COUNT(*) FROM u WHERE v = $1")
                    .bind(v)
                    .fetch_one(&read)
                    .await
                    .expect("n")
                    .get(0);
                assert_eq!(seen, 1, "row {v} answered before its tail was committed");
            }
            r.is_ok()
        }));
    }
    let mut ok = 0;
    for h in handles {
        ok += usize::from(h.await.expect("join"));
    }
    assert_eq!(ok, 198);
    let rows = |table: &'static str| {
        let read = db.read.clone();
        async move {
            let mut v: Vec<i64> = sqlx::query(&format!("SELECT v FROM {table}"))
                .fetch_all(&read)
                .await
                .expect("rows")
                .iter()
                .map(|r| r.get(0))
                .collect();
            v.sort();
            v
        }
    };
    assert_eq!(rows("u").await, rows("t").await);
    assert_eq!(rows("t").await.len(), 198);
}

/// While writes keep the writer busy without a pause, the file's other writers (sign-ins,
/// tokens: through the write pool) still get their turn: the writer keeps the pool's connection
/// for a while between batches, never for the whole burst.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn other_writers_get_their_turn_during_a_burst() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
    let db = db().await;
    let stop = Arc::new(AtomicBool::new(false));
    let next = Arc::new(AtomicI64::new(0));
    // More writers than a batch takes, so that some are always waiting.
    let burst: Vec<_> = (0..300)
        .map(|_| {
            let (w, stop, next) = (db.writer.clone(), stop.clone(), next.clone());
            tokio::spawn(async move {
                while !stop.load(Ordering::Relaxed) {
                    insert(&w, next.fetch_add(1, Ordering::Relaxed)).await.expect("burst");
                }
            })
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(200)).await;
    for v in 1..=5i64 {
        let outside = sqlx::query("INSERT INTO t (v) VALUES ($1)").bind(-v).execute(&db.write);
        let done = tokio::time::timeout(Duration::from_secs(5), outside).await;
        assert!(matches!(done, Ok(Ok(_))), "an outside write waited for the whole burst: {done:?}");
    }
    stop.store(true, Ordering::Relaxed);
    for b in burst {
        b.await.expect("join");
    }
    assert!(next.load(Ordering::Relaxed) > 300, "no burst to wait behind");
}
