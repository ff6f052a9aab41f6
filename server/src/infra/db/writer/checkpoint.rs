//! The WAL's checkpoints on SQLite, off the writer's path. By default the commit that finds the
//! WAL over 1,000 pages copies it back into the database file itself, with two `fsync`s, while
//! every caller of its batch waits; under a burst that was every few milliseconds. Here a
//! connection of its own does it every [`EVERY`] in PASSIVE mode, which never waits for nor
//! blocks the readers and the writer: the writer only appends to the WAL. At 64 connections,
//! submissions +17 % against the same build checkpointing on commit (A/B runs, README).
//!
//! The task runs on the writer's thread's runtime and ends with it.

use super::super::native_connection;
use sqlx::Executor;
use sqlx::sqlite::SqliteConnection;
use std::time::Duration;
use tokio::time::MissedTickBehavior;

/// How often the WAL is copied back: at the bench's load about 4,000 pages are appended in that
/// time, well under the writers' own threshold (`WRITER_SETTINGS`).
pub(super) const EVERY: Duration = Duration::from_millis(50);

pub(super) async fn run(url: String) {
    let mut conn: Option<SqliteConnection> = None;
    let mut failing = false;
    let mut tick = tokio::time::interval(EVERY);
    tick.set_missed_tick_behavior(MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        let result = match &mut conn {
            Some(c) => once(c).await,
            None => match native_connection(&url, None).await {
                Ok(c) => once(conn.insert(c)).await,
                Err(e) => Err(e),
            },
        };
        match result {
            Ok(()) => failing = false,
            Err(e) => {
                // Opened again on the next tick; meanwhile the writers checkpoint by themselves.
                conn = None;
                if !failing {
                    tracing::warn!("checkpoint del WAL non riuscito: {e}");
                }
                failing = true;
            }
        }
    }
}

/// Copies into the file what the WAL holds beyond the oldest snapshot still read.
pub(super) async fn once(c: &mut SqliteConnection) -> Result<(), sqlx::Error> {
    c.execute(sqlx::raw_sql("PRAGMA wal_checkpoint(PASSIVE)")).await.map(drop)
}

#[cfg(test)]
mod tests {
    use crate::infra::db::Db;

    /// What the writer commits reaches the database file without any writer reaching its own
    /// threshold: about 600 pages, far under 20,000.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_wal_is_copied_back_by_the_task() {
        let dir = std::env::temp_dir().join(format!("sportello-checkpoint-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let file = dir.join("c.db");
        let db = Db::connect(&format!("sqlite://{}", file.display())).await.expect("db");
        sqlx::query("CREATE TABLE big (b TEXT NOT NULL)").execute(&db.write).await.expect("table");
        let before = std::fs::metadata(&file).expect("file").len();
        for _ in 0..10 {
            db.writer
                .write(|c| {
                    Box::pin(async move {
                        for _ in 0..100 {
                            sqlx::query("INSERT INTO big (b) VALUES (hex(randomblob(1200)))").execute(&mut *c).await?;
                        }
                        Ok(())
                    })
                })
                .await
                .expect("write");
        }
        let wanted = before + 2_000_000;
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        let mut size = before;
        while std::time::Instant::now() < deadline {
            size = std::fs::metadata(&file).expect("file").len();
            if size >= wanted {
                break;
            }
            tokio::time::sleep(super::EVERY).await;
        }
        assert!(size >= wanted, "the file is still {size} bytes: the WAL was not copied back");
        db.close().await;
        let _ = std::fs::remove_dir_all(&dir);
    }
}
