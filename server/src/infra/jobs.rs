//! Durable job queue in the database. A job is claimed with a lease (`locked_until`): a worker that
//! crashes between claim and commit leaves the job to be claimed again when the lease expires.

use crate::error::AppResult;
use crate::infra::clock;
use crate::infra::db::{Db, dialect};
use chrono::{Duration, Utc};
use sqlx::{AnyConnection, Row};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimedJob {
    pub id: i64,
    pub payload: String,
    pub attempts: i64,
}

/// Enqueues inside the caller's transaction, so the job exists iff the work that needs it committed.
pub async fn enqueue(conn: &mut AnyConnection, queue: &str, payload: &str) -> AppResult<i64> {
    let now = clock::now_ts();
    let id: i64 = sqlx::query(
        "INSERT INTO jobs (queue, payload, state, run_after, created_at, updated_at)
         VALUES ($1, $2, 'queued', $3, $3, $3) RETURNING id",
    )
    .bind(queue)
    .bind(payload)
    .bind(&now)
    .fetch_one(&mut *conn)
    .await?
    .try_get(0)?;
    Ok(id)
}

pub async fn claim(db: &Db, queue: &str, worker: &str, lease: Duration) -> AppResult<Option<ClaimedJob>> {
    let now = Utc::now();
    let row = sqlx::query(dialect::claim_job(db.engine))
        .bind(queue)
        .bind(clock::ts(now))
        .bind(clock::ts(now + lease))
        .bind(worker)
        .fetch_optional(&db.write)
        .await?;
    Ok(match row {
        Some(r) => {
            Some(ClaimedJob { id: r.try_get("id")?, payload: r.try_get("payload")?, attempts: r.try_get("attempts")? })
        }
        None => None,
    })
}

/// Marks a job done, only if this worker still holds it (a lease that expired and was re-claimed
/// by another worker is not overwritten). Returns whether the completion was recorded.
pub async fn complete(conn: &mut AnyConnection, job_id: i64, worker: &str) -> AppResult<bool> {
    let r = sqlx::query(
        "UPDATE jobs SET state = 'done', locked_until = NULL, updated_at = $3 WHERE id = $1 AND locked_by = $2 AND state = 'running'",
    )
    .bind(job_id)
    .bind(worker)
    .bind(clock::now_ts())
    .execute(&mut *conn)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// Records a failure and schedules a retry with exponential backoff (capped at one hour);
/// after `max_attempts` the job stays `failed` for an operator to look at. Returns whether it
/// has just failed for good.
pub async fn fail(db: &Db, job_id: i64, worker: &str, attempts: i64, error: &str) -> AppResult<bool> {
    let backoff = Duration::seconds((2i64.pow(attempts.clamp(0, 12) as u32)).min(3600));
    let now = Utc::now();
    let row = sqlx::query(
        "UPDATE jobs SET state = CASE WHEN attempts >= max_attempts THEN 'failed' ELSE 'queued' END,
                locked_until = NULL, last_error = $3, run_after = $4, updated_at = $5
         WHERE id = $1 AND locked_by = $2 RETURNING state",
    )
    .bind(job_id)
    .bind(worker)
    .bind(error)
    .bind(clock::ts(now + backoff))
    .bind(clock::ts(now))
    .fetch_optional(&db.write)
    .await?;
    Ok(match row {
        Some(r) => r.try_get::<String, _>(0)? == "failed",
        None => false,
    })
}
