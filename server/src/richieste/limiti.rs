//! How many requests one user may send: every submission queues e-mails and stores data (a
//! two-way request up to ~9 MB), so a runaway client is stopped with a clear 429.
//!
//! Each user's allowance is the generic cell rate algorithm (a token bucket kept as one time):
//! up to `limit` requests at once, then one every `window / limit`, so never more than `limit`
//! in any window. The time lives in `limiti_invio` and is advanced in the transaction that stores
//! the request: every server process agrees, two submissions at once cannot both take the last
//! place, and a refused or failed submission takes none. It costs one row whatever the allowance.
//! (Counting the user's requests in the window instead read the whole window for each
//! submission: with an intermediary's software allowed thousands a minute, thousands of index
//! entries, most of a reader's time during a burst.)

use crate::error::{AppError, AppResult};
use crate::infra::db::dialect;
use crate::infra::db::exec::Exec;
use crate::infra::db::readers::Readers;
use crate::services::Services;
use crate::vals;
use chrono::{Duration, Utc};
use sqlx::{Any, Executor, Row};

/// A user's next free place in a flow. Binds: user, flow.
const NEXT_US: &str = "SELECT prossimo_us FROM limiti_invio WHERE user_id = $1 AND flusso = $2";

/// Which allowance a submission draws on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Flusso {
    /// `SPORTELLO_INVII_PER_MINUTO` Smart-Task requests a minute.
    SmartTask,
    /// `SPORTELLO_COMUNICAZIONI_PER_ORA` two-way requests an hour.
    Comunicazioni,
}

impl Flusso {
    fn code(self) -> &'static str {
        match self {
            Flusso::SmartTask => "smart_task",
            Flusso::Comunicazioni => "comunicazioni",
        }
    }
}

/// A user's allowance on one flow, as the write that stores a request takes a place from it.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Allowance {
    flusso: Flusso,
    limit: i64,
    window: Duration,
}

impl Services {
    pub(crate) fn allowance(&self, flusso: Flusso) -> Allowance {
        let (limit, window) = match flusso {
            Flusso::SmartTask => (self.config.submissions_per_minute, Duration::minutes(1)),
            Flusso::Comunicazioni => (self.config.two_way_per_hour, Duration::hours(1)),
        };
        Allowance { flusso, limit: limit.max(1), window }
    }

    /// Refuses at once, before the request is checked or its attachments decoded, a user who has
    /// no place left now (a read; the place itself is taken by [`Allowance::take`] in the write).
    /// A retry with the same idempotency key is answered before this and never counts.
    pub(crate) async fn within_submission_rate(&self, user_id: i64, flusso: Flusso) -> AppResult<()> {
        self.allowance(flusso).check(&self.db.read, user_id).await
    }
}

impl Allowance {
    fn interval_us(&self) -> i64 {
        (self.window.num_microseconds().unwrap_or(i64::MAX) / self.limit).max(1)
    }

    /// How far ahead of now the next place may be and still be taken now.
    fn tolerance_us(&self) -> i64 {
        self.window.num_microseconds().unwrap_or(i64::MAX).saturating_sub(self.interval_us())
    }

    /// The user's next free place, on a reader (inside the write, `take` reads it with [`NEXT_US`]).
    async fn next_us<'e>(&self, db: impl Executor<'e, Database = Any>, user_id: i64) -> AppResult<Option<i64>> {
        Ok(sqlx::query(NEXT_US)
            .bind(user_id)
            .bind(self.flusso.code())
            .fetch_optional(db)
            .await?
            .map(|r| r.try_get(0))
            .transpose()?)
    }

    async fn check(&self, pool: &Readers, user_id: i64) -> AppResult<()> {
        match self.next_us(pool, user_id).await? {
            Some(next) => match self.wait_us(next, Utc::now().timestamp_micros()) {
                wait if wait > 0 => Err(self.refused(wait)),
                _ => Ok(()),
            },
            None => Ok(()),
        }
    }

    /// Takes one place, inside the write that stores the request: refused (and the write
    /// rolled back) when none is left.
    pub(crate) async fn take(&self, conn: &mut dyn Exec, user_id: i64) -> AppResult<()> {
        let now = Utc::now().timestamp_micros();
        let greatest = dialect::greatest(conn.engine());
        let sql = format!(
            "INSERT INTO limiti_invio (user_id, flusso, prossimo_us) VALUES ($1, $2, $3 + $4)
             ON CONFLICT (user_id, flusso) DO UPDATE SET prossimo_us = {greatest}(limiti_invio.prossimo_us, $3) + $4
             WHERE {greatest}(limiti_invio.prossimo_us, $3) - $3 <= $5
             RETURNING prossimo_us"
        );
        let args = vals![user_id, self.flusso.code(), now, self.interval_us(), self.tolerance_us()];
        if !conn.run(&sql, args).await?.is_empty() {
            return Ok(());
        }
        // Not taken: the row exists and its next place is too far ahead.
        let wait = match conn.fetch_optional(NEXT_US, vals![user_id, self.flusso.code()]).await? {
            Some(row) => self.wait_us(row.int(0)?, now),
            None => 0,
        };
        Err(self.refused(wait.max(1)))
    }

    /// How long until a place is free, given the next one (negative: one is free now).
    fn wait_us(&self, next_us: i64, now_us: i64) -> i64 {
        next_us.saturating_sub(now_us).saturating_sub(self.tolerance_us())
    }

    fn refused(&self, wait_us: i64) -> AppError {
        let secs = u64::try_from(wait_us).unwrap_or(0).div_ceil(1_000_000).max(1);
        let (what, per) = match self.flusso {
            Flusso::SmartTask => ("richieste Smart-Task", "al minuto"),
            Flusso::Comunicazioni => ("comunicazioni bidirezionali", "all'ora"),
        };
        AppError::RateLimited(
            format!(
                "Ha raggiunto il numero massimo di {what} che si possono inviare ({} {per}): potrà inviarne un'altra tra {}. I dati inseriti non sono andati persi.",
                self.limit,
                attesa(secs)
            ),
            secs,
        )
    }
}

/// A wait in words.
fn attesa(secs: u64) -> String {
    match secs {
        1 => "1 secondo".into(),
        s if s < 120 => format!("{s} secondi"),
        s => format!("{} minuti", s.div_ceil(60)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn per_minute(limit: i64) -> Allowance {
        Allowance { flusso: Flusso::SmartTask, limit, window: Duration::minutes(1) }
    }

    /// `limit` at once, then one every `window / limit`: the place after the last is `window`
    /// ahead, and it can be taken after `window / limit`.
    #[test]
    fn a_burst_of_the_limit_passes_and_the_next_waits_one_interval() {
        let a = per_minute(3);
        let now = 1_000_000_000;
        let mut next = now;
        for _ in 0..3 {
            assert!(a.wait_us(next, now) <= 0);
            next = next.max(now) + a.interval_us();
        }
        let wait = a.wait_us(next, now);
        assert_eq!(wait, 20_000_000);
        match a.refused(wait) {
            AppError::RateLimited(m, secs) => {
                assert_eq!(secs, 20, "{m}");
                assert!(m.contains("tra 20 secondi") && m.contains("(3 al minuto)"), "{m}");
            }
            other => panic!("{other:?}"),
        }
        assert!(a.wait_us(next, now + 20_000_000) <= 0, "one interval later");
    }

    #[test]
    fn waits_are_said_in_words() {
        assert_eq!(attesa(1), "1 secondo");
        assert_eq!(attesa(59), "59 secondi");
        assert_eq!(attesa(3600), "60 minuti");
    }
}
