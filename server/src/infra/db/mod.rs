//! Database access for SQLite (embedded default) and PostgreSQL (scale), through sqlx's Any
//! driver so one SQL text serves both. What differs between the engines lives in [`dialect`].

pub mod dialect;
pub mod direct;
pub mod exec;
pub mod locks;
pub mod readers;
pub mod tail;
pub mod writer;

use readers::Readers;
use writer::Writer;

use crate::error::{AppError, AppResult};
use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::{AnyConnection, AnyPool, Connection, Executor};
use std::sync::Arc;
use std::time::Duration;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

/// Three pools: on SQLite all writes go through one connection (SQLite allows one writer; queueing
/// in the pool avoids "database is locked"), the pages' reads through one WAL reader per core,
/// and reads that last as long as a download or a run (exports, "what if" runs) through readers
/// of their own, so that two operators downloading on slow lines cannot hold the readers every
/// page needs. On PostgreSQL all three are the same pool.
#[derive(Clone, Debug)]
pub struct Db {
    pub write: AnyPool,
    pub read: Readers,
    pub long_read: Readers,
    pub engine: Engine,
    /// The group commit every hot write goes through ([`writer`]), on the write pool.
    pub writer: Writer,
}

static SQLITE_MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

/// WAL with synchronous=NORMAL is durable across application crashes (a power cut may lose the
/// last transactions, never corrupt the file).
///
/// Memory (the bench's load, 1 M-row data set and 30 s soak, A/B runs): readers see the file
/// through a 64 MiB memory map each, which matters because every commit discards a WAL reader's
/// own page cache (without the map decisions fell from ≈ 700/s to 470/s and the request list's
/// SSR halved). The map is per connection, and the process' resident size counts each
/// connection's mapped pages again: a 256 MiB map and a 32 MiB cache on every connection had the
/// server at 326–384 MiB after the soak, 552–611 MiB at peak; with these settings 134–140 MiB
/// and 262–317 MiB.
/// SQLite's own memory is bounded by each connection's page cache (there is no soft heap limit:
/// it needs the memory statistics the server turns off, see `direct::without_memory_statistics`).
pub const SQLITE_PRAGMAS: &str = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; \
     PRAGMA busy_timeout=10000; PRAGMA mmap_size=67108864; PRAGMA temp_store=MEMORY;";
/// The writing connections' settings.
/// - A 32 MiB page cache: with SQLite's default 2 MiB, bulk loads (the seed, F24 files) were
///   bound by system calls. Readers keep 4 MiB (see above).
/// - The WAL is copied back into the file by a task of its own ([`writer::checkpoint`]), not by
///   the commit that finds it over SQLite's default 1,000 pages: a writer checkpoints by itself
///   only if that task falls 20,000 pages (80 MiB) behind.
/// - After a burst the WAL file is cut back to 64 MiB when it starts over.
pub(crate) const WRITER_SETTINGS: &str =
    "PRAGMA cache_size=-32768; PRAGMA wal_autocheckpoint=20000; PRAGMA journal_size_limit=67108864;";
const READER_CACHE: &str = "PRAGMA cache_size=-4096;";

/// A connection with the settings of every connection of its kind.
async fn sqlite_settings(conn: &mut AnyConnection, cache: &'static str) -> Result<(), sqlx::Error> {
    conn.execute(sqlx::raw_sql(SQLITE_PRAGMAS)).await?;
    conn.execute(sqlx::raw_sql(cache)).await?;
    Ok(())
}

/// A native connection of the SQLite writer's own (its direct calls, the WAL's checkpoints), with
/// the settings every connection gets and then `extra`.
pub(crate) async fn native_connection(
    url: &str,
    extra: Option<&'static str>,
) -> Result<sqlx::sqlite::SqliteConnection, sqlx::Error> {
    let mut c = sqlx::sqlite::SqliteConnection::connect(url).await?;
    c.execute(sqlx::raw_sql(SQLITE_PRAGMAS)).await?;
    if let Some(extra) = extra {
        c.execute(sqlx::raw_sql(extra)).await?;
    }
    Ok(c)
}

/// The longest a query waits for an SQLite connection before it is refused (503, try again).
const SQLITE_WAIT: Duration = Duration::from_secs(30);

fn sqlite_pool(max: u32, cache: &'static str) -> AnyPoolOptions {
    AnyPoolOptions::new()
        .max_connections(max)
        .min_connections(if max == 1 { 1 } else { 0 })
        .acquire_timeout(SQLITE_WAIT)
        // An embedded connection cannot have dropped: the ping sqlx sends on every acquire by
        // default is one more round trip to the connection's thread for each query (without
        // it, at 64 connections: submissions +8 %, request list +5 %, p99 −15 %, A/B runs).
        .test_before_acquire(false)
        .after_connect(move |conn, _meta| Box::pin(sqlite_settings(conn, cache)))
}

/// The pages' readers on SQLite ([`readers`]): by direct calls on a file, through sqlx for
/// what holds a connection.
fn sqlite_readers(url: &str) -> Readers {
    let held = {
        let url: Arc<str> = url.into();
        Readers::own(
            readers() as usize,
            SQLITE_WAIT,
            Arc::new(move || {
                let url = url.clone();
                Box::pin(async move {
                    let mut conn = AnyConnection::connect(&url).await?;
                    sqlite_settings(&mut conn, READER_CACHE).await?;
                    Ok(conn)
                })
            }),
        )
    };
    let Some(path) = sqlite_file_path(url) else { return held };
    let settings = format!("{SQLITE_PRAGMAS} {READER_CACHE}");
    Readers::direct(readers() as usize, SQLITE_WAIT, Arc::new(move || direct::Direct::open(&path, &settings)), held)
}

/// One reader per core for the pages: a read of cached pages keeps a core busy, so more readers
/// mostly wait, each with its own thread, page cache and memory map of the file, and the process'
/// resident size counts every connection's mapped pages again. On 2 cores, 4 readers → 2 (the
/// bench's load, A/B runs): peak resident 259–273 → 178–206 MiB; decisions on a backlog and
/// submissions at 64 connections unchanged within the noise; the request list at 64 connections
/// 3–10 % fewer pages a second (README, "Memory on SQLite").
fn readers() -> u32 {
    super::cores().clamp(2, 8) as u32
}

/// Readers for the long reads: two, closed after a minute unused, so their cache and map are
/// given back once the download is over.
fn long_readers() -> AnyPoolOptions {
    sqlite_pool(2, READER_CACHE).idle_timeout(Some(Duration::from_secs(60)))
}

impl Db {
    pub async fn connect(url: &str) -> AppResult<Db> {
        install_default_drivers();
        if url.starts_with("sqlite:") {
            if let Some(path) = sqlite_file_path(url)
                && let Some(dir) = std::path::Path::new(&path).parent()
                && !dir.as_os_str().is_empty()
            {
                std::fs::create_dir_all(dir)
                    .map_err(|e| AppError::Internal(format!("creating {}: {e}", dir.display())))?;
            }
            let url_rwc = if url.contains('?') { url.to_string() } else { format!("{url}?mode=rwc") };
            let write = sqlite_pool(1, WRITER_SETTINGS).connect(&url_rwc).await?;
            let memory = url.contains(":memory:");
            let (read, long_read) = if memory {
                (Readers::pool(write.clone()), Readers::pool(write.clone()))
            } else {
                (sqlite_readers(&url_rwc), Readers::pool(long_readers().connect_lazy(&url_rwc)?))
            };
            let writer = Writer::spawn(write.clone(), Engine::Sqlite, (!memory).then(|| url_rwc.clone()));
            Ok(Db { write, read, long_read, engine: Engine::Sqlite, writer })
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            // While the database is unreachable a request waits at most 5 s for a connection,
            // then answers 503 with Retry-After instead of hanging; a dead connection is
            // noticed before use (sqlx tests it), so service resumes as soon as it is back.
            let pool =
                AnyPoolOptions::new().max_connections(16).acquire_timeout(Duration::from_secs(5)).connect(url).await?;
            let writer = Writer::spawn(pool.clone(), Engine::Postgres, None);
            let read = Readers::pool(pool.clone());
            Ok(Db { write: pool, read: read.clone(), long_read: read, engine: Engine::Postgres, writer })
        } else {
            Err(AppError::Internal(format!(
                "DATABASE_URL non supportato: {url} (usare sqlite://… oppure postgres://…)"
            )))
        }
    }

    pub async fn migrate(&self) -> AppResult<()> {
        match self.engine {
            Engine::Sqlite => SQLITE_MIGRATOR.run(&self.write).await?,
            Engine::Postgres => POSTGRES_MIGRATOR.run(&self.write).await?,
        }
        Ok(())
    }

    /// A write transaction that takes SQLite's write lock at once (`BEGIN IMMEDIATE`), for the
    /// bulk loads that may run in another process beside the server (`server seed`): a deferred
    /// transaction that reads before writing fails at once with SQLITE_BUSY, without waiting,
    /// when the server commits in between.
    pub async fn begin_write(&self) -> AppResult<sqlx::Transaction<'static, sqlx::Any>> {
        Ok(match self.engine {
            Engine::Sqlite => self.write.begin_with("BEGIN IMMEDIATE").await?,
            Engine::Postgres => self.write.begin().await?,
        })
    }

    pub async fn close(&self) {
        self.long_read.close().await;
        self.read.close().await;
        self.write.close().await;
    }
}

fn sqlite_file_path(url: &str) -> Option<String> {
    let rest = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next()?;
    if path.is_empty() || path.contains(":memory:") { None } else { Some(path.to_string()) }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The two migration sets must say the same thing: identical file names and, once the identity
    /// column is normalised, identical text.
    #[test]
    fn migrations_are_in_lockstep() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/migrations");
        let list = |engine: &str| {
            let mut v: Vec<String> = std::fs::read_dir(format!("{dir}/{engine}"))
                .expect("migrations dir")
                .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
                .collect();
            v.sort();
            v
        };
        let sqlite = list("sqlite");
        assert_eq!(sqlite, list("postgres"));
        assert!(!sqlite.is_empty());
        // Indexes that each engine reads differently (the name-prefix search), triggers (each
        // engine's own syntax) and a NOT NULL dropped (SQLite rebuilds the table): the same
        // names, different definitions.
        const ENGINE_SPECIFIC: &[&str] = &[
            "20261123000007_indice_nomi.sql",
            "20261203000010_audit_immutabile.sql",
            "20261205000014_assistenza_presto.sql",
            "20261211000025_richieste_per_soggetto.sql",
            "20261212000026_notifiche_non_lette.sql",
        ];
        for name in sqlite.into_iter().filter(|n| !ENGINE_SPECIFIC.contains(&n.as_str())) {
            let s = std::fs::read_to_string(format!("{dir}/sqlite/{name}")).expect("read");
            let p = std::fs::read_to_string(format!("{dir}/postgres/{name}")).expect("read");
            assert_eq!(
                s.replace("INTEGER PRIMARY KEY AUTOINCREMENT", "BIGSERIAL PRIMARY KEY"),
                p,
                "{name} differs beyond the identity column"
            );
        }
    }

    async fn pragma<'a>(on: impl Executor<'a, Database = sqlx::Any>, name: &str) -> i64 {
        use sqlx::Row;
        let row = sqlx::query(&format!("PRAGMA {name}")).fetch_one(on).await.expect("pragma");
        row.try_get::<i64, _>(0).expect("value")
    }

    /// The writer and the readers get their own cache and the writer its checkpoint settings; the
    /// map is the same.
    #[tokio::test]
    async fn sqlite_memory_settings() {
        let dir = std::env::temp_dir().join(format!("sportello-pragmi-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let db = Db::connect(&format!("sqlite://{}/p.db", dir.display())).await.expect("connect");
        assert_eq!(pragma(&db.write, "cache_size").await, -32768);
        assert_eq!(pragma(&db.write, "wal_autocheckpoint").await, 20000);
        assert_eq!(pragma(&db.write, "journal_size_limit").await, 64 << 20);
        assert_eq!(pragma(&db.read, "cache_size").await, -4096);
        assert_eq!(pragma(&db.long_read, "cache_size").await, -4096);
        assert_eq!(pragma(&db.write, "mmap_size").await, 64 << 20);
        assert_eq!(pragma(&db.read, "mmap_size").await, 64 << 20);
        assert_eq!(pragma(&db.long_read, "mmap_size").await, 64 << 20);
        db.close().await;
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// Two downloads hold both long readers and the pages hold all their readers but one: the
    /// next page's read still gets the last one at once.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn downloads_never_take_the_pages_readers() {
        let dir = std::env::temp_dir().join(format!("sportello-lunghe-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let db = Db::connect(&format!("sqlite://{}/l.db", dir.display())).await.expect("connect");
        let mut held = vec![];
        for _ in 0..2 {
            held.push(db.long_read.acquire().await.expect("a download's reader"));
        }
        for _ in 1..readers() {
            held.push(db.read.acquire().await.expect("a page's reader"));
        }
        let page = tokio::time::timeout(Duration::from_secs(2), sqlx::query("SELECT 1").fetch_one(&db.read)).await;
        assert!(matches!(page, Ok(Ok(_))), "the last reader went to the downloads");
        drop(held);
        db.close().await;
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// Another process commits while a bulk load holds its transaction: the load waits for
    /// nobody and the other commit waits its turn (a deferred transaction failed with BUSY).
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_write_transaction_from_another_process_waits_instead_of_failing() {
        let dir = std::env::temp_dir().join(format!("sportello-immediate-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let url = format!("sqlite://{}/i.db", dir.display());
        let (a, b) = (Db::connect(&url).await.expect("a"), Db::connect(&url).await.expect("b"));
        sqlx::query("CREATE TABLE t (n INTEGER)").execute(&a.write).await.expect("table");
        let mut tx = b.begin_write().await.expect("begin");
        let _: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM t").fetch_one(&mut *tx).await.expect("read");
        let other = tokio::spawn(async move { sqlx::query("INSERT INTO t VALUES (1)").execute(&a.write).await });
        tokio::time::sleep(Duration::from_millis(200)).await;
        sqlx::query("INSERT INTO t VALUES (2)").execute(&mut *tx).await.expect("the load's write");
        tx.commit().await.expect("commit");
        other.await.expect("join").expect("the other commit, after");
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM t").fetch_one(&b.read).await.expect("n");
        assert_eq!(n, 2);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn sqlite_paths() {
        assert_eq!(sqlite_file_path("sqlite://data/s.db"), Some("data/s.db".into()));
        assert_eq!(sqlite_file_path("sqlite:///tmp/x.db?mode=rwc"), Some("/tmp/x.db".into()));
        assert_eq!(sqlite_file_path("sqlite::memory:"), None);
    }
}
