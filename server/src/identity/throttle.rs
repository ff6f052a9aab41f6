//! Login throttling: every attempt is counted before its password is checked.

use crate::config::Config;
use crate::error::{AppError, AppResult};
use crate::infra::clock;
use crate::infra::db::Db;
use chrono::{Duration, Utc};
use sqlx::Row;

/// Records the attempt as failed *before* the password is checked, under a per-user and a
/// per-address lock row, so parallel attempts are counted one after the other and cannot all
/// pass the limit together; a successful check turns it into a success afterwards.
pub(super) async fn reserve_attempt(db: &Db, config: &Config, username: &str, ip: &str) -> AppResult<i64> {
    let since = clock::ts(Utc::now() - Duration::from_std(config.login_window).unwrap_or(Duration::minutes(15)));
    let mut tx = db.write.begin().await?;
    // Always the user's row first, then the address's: no two attempts wait on each other in a
    // cycle. The first statement writes, so SQLite takes its writer lock at once too.
    for key in [format!("u:{username}"), format!("ip:{ip}")] {
        sqlx::query(
            "INSERT INTO login_locks (chiave, n) VALUES ($1, 1) ON CONFLICT (chiave) DO UPDATE SET n = login_locks.n + 1",
        )
        .bind(&key)
        .execute(&mut *tx)
        .await?;
    }
    let mut counts = [0i64; 2];
    for (n, (column, value)) in counts.iter_mut().zip([("username", username), ("ip", ip)]) {
        *n = sqlx::query(&format!(
            "SELECT COUNT(*) FROM login_attempts WHERE {column} = $1 AND at >= $2 AND success = 0"
        ))
        .bind(value)
        .bind(&since)
        .fetch_one(&mut *tx)
        .await?
        .try_get(0)?;
    }
    let [user_failures, ip_failures] = counts;
    if user_failures >= config.login_max_failures || ip_failures >= config.login_max_failures_ip {
        tx.rollback().await?;
        let minutes = config.login_window.as_secs() / 60;
        return Err(AppError::RateLimited(
            format!(
                "Troppi tentativi di accesso non riusciti. Per sicurezza l'accesso è sospeso: riprovare tra {minutes} minuti."
            ),
            config.login_window.as_secs(),
        ));
    }
    let id: i64 =
        sqlx::query("INSERT INTO login_attempts (username, ip, at, success) VALUES ($1, $2, $3, 0) RETURNING id")
            .bind(username)
            .bind(ip)
            .bind(clock::now_ts())
            .fetch_one(&mut *tx)
            .await?
            .try_get(0)?;
    tx.commit().await?;
    Ok(id)
}
