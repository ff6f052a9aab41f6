//! Durable job queue in the database. A job is claimed with a lease (`locked_until`): a worker that
//! crashes between claim and commit leaves the job to be claimed again when the lease expires.

use crate::error::AppResult;
use crate::infra::clock;
use crate::infra::db::exec::{Exec, Val};
use crate::infra::db::tail::SetWrite;
use crate::infra::db::{Db, dialect};
use crate::vals;
use chrono::{Duration, Utc};
use futures_util::future::BoxFuture;
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

/// A job a write leaves for its batch's end (`infra::db::tail`): the jobs of a batch are
/// inserted together.
pub struct Later {
    pub queue: &'static str,
    pub payload: String,
}

impl SetWrite for Later {
    fn write_all(conn: &mut dyn Exec, items: Vec<Later>) -> BoxFuture<'_, AppResult<()>> {
        Box::pin(async move {
            let now = clock::now_ts();
            let engine = conn.engine();
            // Positional parameters on SQLite (`dialect::Params`): the time is bound on each column.
            for chunk in items.chunks(128) {
                let values = dialect::Params::new(engine).rows(chunk.len(), 6);
                let sql = format!(
                    "INSERT INTO jobs (queue, payload, state, run_after, created_at, updated_at) VALUES {values}"
                );
                let mut args = Vec::with_capacity(chunk.len() * 6);
                for job in chunk {
                    args.extend(vals![job.queue, &job.payload, "queued", &now, &now, &now]);
                }
                conn.run(&sql, args).await?;
            }
            Ok(())
        })
    }
}

/// Claims the oldest ready job of a queue.
pub async fn claim(db: &Db, queue: &str, worker: &str, lease: Duration) -> AppResult<Option<ClaimedJob>> {
    Ok(claim_many(db, queue, worker, lease, 1).await?.pop())
}

/// Claims up to `max` ready jobs, oldest first, through the group commit's background lane
/// (a worker's claim gives way to the requests waiting).
pub async fn claim_many(db: &Db, queue: &str, worker: &str, lease: Duration, max: usize) -> AppResult<Vec<ClaimedJob>> {
    let now = Utc::now();
    let sql = dialect::claim_job(db.engine);
    let (queue, worker) = (queue.to_string(), worker.to_string());
    let rows = db
        .writer
        .background()
        .write_exec_unaudited(move |c| {
            Box::pin(async move {
                let args = vals![
                    queue,
                    clock::ts(now),
                    clock::ts(now + lease),
                    worker,
                    i64::try_from(max).unwrap_or(i64::MAX)
                ];
                c.run(sql, args).await
            })
        })
        .await?;
    let mut jobs = rows
        .iter()
        .map(|r| Ok(ClaimedJob { id: r.int("id")?, payload: r.text("payload")?, attempts: r.int("attempts")? }))
        .collect::<AppResult<Vec<_>>>()?;
    jobs.sort_by_key(|j| j.id);
    Ok(jobs)
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

/// [`complete`] for several jobs of the same worker in one statement. Returns the ids whose
/// completion was recorded (the others' leases expired and another worker holds them).
pub async fn complete_many(conn: &mut dyn Exec, job_ids: &[i64], worker: &str) -> AppResult<Vec<i64>> {
    if job_ids.is_empty() {
        return Ok(vec![]);
    }
    let mut p = dialect::Params::new(conn.engine());
    let (updated_at, locked_by, list) = (p.one(), p.one(), p.list(job_ids.len()));
    let sql = format!(
        "UPDATE jobs SET state = 'done', locked_until = NULL, updated_at = {updated_at}
         WHERE locked_by = {locked_by} AND state = 'running' AND id IN ({list}) RETURNING id"
    );
    let mut args = vals![clock::now_ts(), worker];
    args.extend(job_ids.iter().map(|id| Val::from(*id)));
    conn.run(&sql, args).await?.iter().map(|r| r.int(0)).collect()
}

/// Records a failure and schedules a retry with exponential backoff (capped at one hour), inside
/// the caller's write; after `max_attempts` the job stays `failed` for an operator to look at.
/// Returns whether it has just failed for good.
pub async fn fail(conn: &mut AnyConnection, job_id: i64, worker: &str, attempts: i64, error: &str) -> AppResult<bool> {
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
    .fetch_optional(&mut *conn)
    .await?;
    Ok(match row {
        Some(r) => r.try_get::<String, _>(0)? == "failed",
        None => false,
    })
}
