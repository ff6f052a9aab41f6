//! The readers: shared connections, cut-short reads, the wait, and direct reads.

use super::*;
use sqlx::Column;
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

/// Direct readers on a fresh file, with sqlx's readers beside them, and a connection of sqlx's
/// own on the same file to compare with.
async fn direct_file(name: &str) -> (Readers, AnyConnection, std::path::PathBuf) {
    sqlx::any::install_default_drivers();
    let dir = std::env::temp_dir().join(format!("sportello-letture-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    let path = dir.join("d.db").to_string_lossy().into_owned();
    let url = format!("sqlite://{path}?mode=rwc");
    let mut sqlx_conn = AnyConnection::connect(&url).await.expect("sqlx");
    sqlx::raw_sql(
        "PRAGMA journal_mode=WAL;
         CREATE TABLE t (i INTEGER, r REAL, s TEXT, n TEXT, b BLOB);
         INSERT INTO t VALUES (42, 2.5, 'perché', NULL, x'00ff'), (-7, 0.0, '', NULL, NULL);",
    )
    .execute(&mut sqlx_conn)
    .await
    .expect("schema");
    let held_url = url.clone();
    let held = Readers::own(
        1,
        Duration::from_millis(200),
        Arc::new(move || {
            let u = held_url.clone();
            Box::pin(async move { AnyConnection::connect(&u).await })
        }),
    );
    let readers = Readers::direct(2, Duration::from_millis(200), Arc::new(move || Direct::open(&path, "")), held);
    (readers, sqlx_conn, dir)
}

/// The same query gives the same rows by direct calls as through sqlx: names (of equal names
/// the last), values by type, NULLs, and the same refusals of a wrong type.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn direct_reads_give_what_sqlx_gives() {
    let (readers, mut sqlx_conn, dir) = direct_file("uguali").await;
    let q = "SELECT i, r, s, n, b, i * 2 AS i, r + $1 AS somma, $2 AS testo FROM t ORDER BY i DESC";
    let direct = sqlx::query(q).bind(1.5f64).bind("x").fetch_all(&readers).await.expect("direct");
    let through = sqlx::query(q).bind(1.5f64).bind("x").fetch_all(&mut sqlx_conn).await.expect("sqlx");
    assert_eq!(direct.len(), 2);
    for (d, t) in direct.iter().zip(&through) {
        let names = |r: &AnyRow| r.columns().iter().map(|c| c.name().to_string()).collect::<Vec<_>>();
        assert_eq!(names(d), names(t));
        assert_eq!(d.try_get::<i64, _>("i").expect("i"), t.try_get::<i64, _>("i").expect("i"));
        assert_eq!(d.try_get::<i64, _>(0).expect("i"), t.try_get::<i64, _>(0).expect("i"));
        assert_eq!(d.try_get::<f64, _>("r").expect("r"), t.try_get::<f64, _>("r").expect("r"));
        assert_eq!(d.try_get::<f64, _>("somma").expect("+"), t.try_get::<f64, _>("somma").expect("+"));
        assert_eq!(d.try_get::<String, _>("s").expect("s"), t.try_get::<String, _>("s").expect("s"));
        assert_eq!(d.try_get::<String, _>("testo").expect("$2"), "x");
        assert_eq!(d.try_get::<Option<String>, _>("n").expect("n"), None);
        assert_eq!(d.try_get::<Option<Vec<u8>>, _>("b").expect("b"), t.try_get::<Option<Vec<u8>>, _>("b").expect("b"));
        assert!(d.try_get::<String, _>("i").is_err() && t.try_get::<String, _>("i").is_err());
        assert!(d.try_get::<i64, _>("n").is_err() && t.try_get::<i64, _>("n").is_err());
        assert!(d.try_get::<i64, _>("assente").is_err());
    }
    assert_eq!(direct[0].try_get::<String, _>("s").expect("s"), "perché");
    let one = sqlx::query("SELECT s FROM t WHERE i = $1").bind(-7i64).fetch_optional(&readers).await.expect("one");
    assert_eq!(one.map(|r| r.try_get::<String, _>(0).expect("s")), Some(String::new()));
    let none = sqlx::query("SELECT s FROM t WHERE i = 0").fetch_optional(&readers).await.expect("none");
    assert!(none.is_none());
    // Text that is not UTF-8 (written by another program) is read, lossily, not refused.
    let odd: String =
        sqlx::query_scalar("SELECT CAST(x'41ff42' AS TEXT)").fetch_one(&readers).await.expect("not UTF-8");
    assert_eq!(odd, "A\u{FFFD}B");
    // A stream goes through sqlx's readers, on the same file.
    let mut streamed = sqlx::query("SELECT i FROM t ORDER BY i").fetch(&readers);
    let mut seen = vec![];
    while let Some(r) = streamed.try_next().await.expect("stream") {
        seen.push(r.try_get::<i64, _>(0).expect("i"));
    }
    assert_eq!(seen, [-7, 42]);
    // A blob to bind is not a direct call's: sqlx's readers read it.
    let blob = sqlx::query("SELECT COUNT(*) FROM t WHERE b = $1").bind(vec![0u8, 255]).fetch_one(&readers).await;
    assert_eq!(blob.expect("blob").try_get::<i64, _>(0).expect("n"), 1);
    readers.close().await;
    let _ = std::fs::remove_dir_all(&dir);
}

/// A statement SQLite refuses is the caller's error, as sqlx reports it, and the connection
/// stays usable; a read sees what another connection committed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_read_leaves_the_direct_reader_usable() {
    let (readers, mut sqlx_conn, dir) = direct_file("errore").await;
    let e = sqlx::query("SELECT * FROM assente").fetch_all(&readers).await.err().expect("no table");
    assert!(e.as_database_error().is_some_and(|d| d.message().contains("no such table")), "{e}");
    let e = sqlx::query("SELECT $1").fetch_one(&readers).await.err().expect("no value");
    assert!(e.to_string().contains("senza valore"), "{e}");
    sqlx::query("INSERT INTO t (i) VALUES (1)").execute(&mut sqlx_conn).await.expect("insert");
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM t").fetch_one(&readers).await.expect("count");
    assert_eq!(n, 3);
    readers.close().await;
    let _ = std::fs::remove_dir_all(&dir);
}
