//! The same statements give the same answers through sqlx and by direct calls.

use super::*;
use crate::error::AppError;
use crate::infra::db::exec::Val;
use crate::vals;
use sqlx::AnyConnection;
use sqlx::Connection;
use sqlx::sqlite::SqliteConnection;

fn file(name: &str) -> String {
    let dir = std::env::temp_dir().join(format!("sportello-exec-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    format!("sqlite://{}/e.db?mode=rwc", dir.display())
}

/// What a script of statements answered, comparable across the two ways.
async fn script(conn: &mut dyn Exec) -> Vec<String> {
    let mut seen = vec![];
    conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, n INTEGER, s TEXT UNIQUE, r REAL)", vec![])
        .await
        .expect("table");
    // Numbered parameters out of order, and a NULL bound as text.
    let row = conn
        .fetch_one(
            "INSERT INTO t (s, n, r) VALUES ($2, $1, $3) RETURNING id, n, s, r",
            vals![7i64, "sette", Val::Real(Some(0.5))],
        )
        .await
        .expect("insert");
    seen.push(format!("{:?} {:?} {:?}", row.int("id"), row.int(1), row.text("s")));
    let row = conn
        .fetch_one("INSERT INTO t (s, n) VALUES ($1, $2) RETURNING id, s, n", vals![None::<String>, 8i64])
        .await
        .expect("null");
    seen.push(format!("{:?} {:?} {:?}", row.int("ID"), row.opt_text("s"), row.opt_int("n")));
    // Bare parameters, one after the other.
    conn.execute("INSERT INTO t (s, n) VALUES (?, ?), (?, ?)", vals!["a", 1i64, "b", 2i64]).await.expect("positional");
    let changed = conn.execute("UPDATE t SET n = n + 1 WHERE n < $1", vals![5i64]).await.expect("update");
    seen.push(format!("changed {changed}"));
    let rows = conn.run("SELECT s, n FROM t WHERE s IS NOT NULL ORDER BY id", vec![]).await.expect("select");
    seen.extend(rows.iter().map(|r| format!("{:?}={:?}", r.text(0), r.int(1))));
    // A text read as a number, and a missing column, are errors, not guesses.
    assert!(rows[0].int("s").is_err());
    assert!(rows[0].text("nessuna").is_err());
    // The unique violation is recognisable, as the submission's idempotency needs.
    match conn.execute("INSERT INTO t (s) VALUES ($1)", vals!["a"]).await {
        Err(AppError::Database(sqlx::Error::Database(e))) => seen.push(format!("unique {}", e.is_unique_violation())),
        other => panic!("expected a unique violation, got {other:?}"),
    }
    match conn.fetch_one("SELECT id FROM t WHERE n = $1", vals![99i64]).await {
        Err(AppError::Database(sqlx::Error::RowNotFound)) => seen.push("no row".into()),
        other => panic!("expected no row, got {other:?}"),
    }
    assert!(conn.fetch_optional("SELECT id FROM t WHERE n = $1", vals![99i64]).await.expect("optional").is_none());
    seen
}

#[tokio::test]
async fn sqlx_and_direct_calls_answer_alike() {
    sqlx::any::install_default_drivers();
    let mut any = AnyConnection::connect(&file("any")).await.expect("any");
    let through_sqlx = script(&mut any).await;
    let mut native = SqliteConnection::connect(&file("direct")).await.expect("native");
    let mut handle = native.lock_handle().await.expect("lock");
    // Safety: the handle stays locked until `direct` is dropped, just below.
    let mut direct = unsafe { Direct::new(handle.as_raw_handle(), Default::default()) };
    let direct_calls = script(&mut direct).await;
    assert_eq!(through_sqlx, direct_calls);
    assert_eq!(direct_calls[0], "Ok(1) Ok(7) Ok(\"sette\")");
    assert!(direct_calls.contains(&"unique true".to_string()));
    // One statement a call: a second one is refused, not silently skipped.
    assert!(direct.run("SELECT 1; SELECT 2", &[]).is_err());
    assert!(!direct.in_transaction());
    direct.run("BEGIN IMMEDIATE", &[]).expect("begin");
    assert!(direct.in_transaction());
    direct.run("ROLLBACK", &[]).expect("rollback");
    drop(direct);
    drop(handle);
    // The connection is still sqlx's, with every statement of the direct calls finalized.
    native.close().await.expect("close");
}

/// A reader's own connection: the same answers, the settings it is opened with, no file made
/// where there is none (the writer makes and migrates it), and a broken file told apart.
#[tokio::test]
async fn a_connection_of_its_own_answers_alike_and_keeps_its_settings() {
    sqlx::any::install_default_drivers();
    let url = file("propria");
    let path = url.trim_start_matches("sqlite://").trim_end_matches("?mode=rwc").to_string();
    std::fs::write(&path, b"").expect("empty file");
    let mut own = Direct::open(&path, "PRAGMA cache_size=-4096; PRAGMA mmap_size=1048576;").expect("open");
    let pragma = |d: &mut Direct, name: &str| d.run(&format!("PRAGMA {name}"), &[]).expect("pragma")[0].int(0);
    assert_eq!(pragma(&mut own, "cache_size").ok(), Some(-4096));
    assert_eq!(pragma(&mut own, "mmap_size").ok(), Some(1 << 20));
    let mut any = AnyConnection::connect(&file("propria-sqlx")).await.expect("any");
    assert_eq!(script(&mut own).await, script(&mut any).await);
    drop(own);
    let missing = format!("{path}.assente");
    let e = Direct::open(&missing, "").err().expect("no such file");
    assert!(Direct::broken(&e), "{e}");
    assert!(!std::path::Path::new(&missing).exists());
    let refused = Direct::open(&path, "").expect("open").run("SELECT * FROM assente", &[]).expect_err("no table");
    assert!(!Direct::broken(&refused), "{refused}");
}
