//! How many requests one user may send: every submission queues e-mails and stores data (a
//! two-way request up to ~9 MB), so a runaway client is stopped with a clear 429 before it
//! costs anything. Counted from the stored requests, so every server process agrees.

use crate::error::{AppError, AppResult};
use crate::infra::clock;
use crate::services::Services;
use chrono::{Duration, Utc};
use sqlx::Row;

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
        let sql = if two_way {
            "SELECT COUNT(*) FROM richieste WHERE richiedente_user_id = $1 AND created_at >= $2 AND tipo = $3"
        } else {
            "SELECT COUNT(*) FROM richieste WHERE richiedente_user_id = $1 AND created_at >= $2 AND tipo <> $3"
        };
        let since = clock::ts(Utc::now() - window);
        let sent: i64 =
            sqlx::query(sql).bind(user_id).bind(&since).bind(tipo).fetch_one(&self.db.read).await?.try_get(0)?;
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
