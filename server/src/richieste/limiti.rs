//! How many requests one user may send: every submission queues e-mails and stores data (a
//! two-way request up to ~9 MB), so a runaway client is stopped with a clear 429 before it
//! costs anything. Counted from the stored requests, so every server process agrees.

use crate::error::{AppError, AppResult};
use crate::infra::clock;
use crate::services::Services;
use chrono::{Duration, Utc};
use sqlx::Row;

/// A user's requests in the window, counted up to the limit (whether it is reached is all that
/// matters), from the index `richieste_richiedente` alone: an intermediary allowed thousands a
/// minute must not make each submission read thousands of rows.
const COUNT_SMART_TASK: &str = "SELECT COUNT(*) FROM (SELECT 1 FROM richieste
     WHERE richiedente_user_id = $1 AND created_at >= $2 AND tipo <> $3 LIMIT $4) AS finestra";
const COUNT_TWO_WAY: &str = "SELECT COUNT(*) FROM (SELECT 1 FROM richieste
     WHERE richiedente_user_id = $1 AND created_at >= $2 AND tipo = $3 LIMIT $4) AS finestra";

impl Services {
    /// Refuses a new Smart-Task request (or two-way request, `two_way`) beyond the user's limit
    /// in the window: `SPORTELLO_INVII_PER_MINUTO` Smart-Task requests a minute,
    /// `SPORTELLO_COMUNICAZIONI_PER_ORA` two-way requests an hour. A retry with the same
    /// idempotency key is answered before this and never counts.
    pub(crate) async fn within_submission_rate(&self, user_id: i64, two_way: bool) -> AppResult<()> {
        let (limit, window, what) = if two_way {
            (self.config.two_way_per_hour, Duration::hours(1), "comunicazioni bidirezionali nell'ultima ora")
        } else {
            (self.config.submissions_per_minute, Duration::minutes(1), "richieste nell'ultimo minuto")
        };
        let tipo = shared::comunicazioni::TIPO;
        let sql = if two_way { COUNT_TWO_WAY } else { COUNT_SMART_TASK };
        let since = clock::ts(Utc::now() - window);
        let sent: i64 = sqlx::query(sql)
            .bind(user_id)
            .bind(&since)
            .bind(tipo)
            .bind(limit)
            .fetch_one(&self.db.read)
            .await?
            .try_get(0)?;
        if sent >= limit {
            return Err(AppError::RateLimited(
                format!(
                    "Ha inviato {sent} {what}, il massimo consentito: attendere qualche minuto prima di inviarne altre. I dati inseriti non sono andati persi."
                ),
                window.num_seconds().unsigned_abs(),
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::infra::db::Db;

    /// Both counts read the index alone, never the requests' rows.
    #[tokio::test]
    async fn the_counts_read_only_the_index() {
        let dir = std::env::temp_dir().join(format!("sportello-limiti-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let db = Db::connect(&format!("sqlite://{}/l.db", dir.display())).await.expect("connect");
        db.migrate().await.expect("migrate");
        for sql in [COUNT_SMART_TASK, COUNT_TWO_WAY] {
            let plan: Vec<String> = sqlx::query(&format!("EXPLAIN QUERY PLAN {sql}"))
                .bind(1i64)
                .bind("2026-01-01")
                .bind("x")
                .bind(10i64)
                .fetch_all(&db.read)
                .await
                .expect("plan")
                .iter()
                .map(|r| r.try_get::<String, _>("detail").expect("detail"))
                .collect();
            assert!(plan.iter().any(|d| d.contains("USING COVERING INDEX richieste_richiedente")), "{sql}: {plan:?}");
        }
        db.close().await;
        let _ = std::fs::remove_dir_all(&dir);
    }
}
