//! The worker that decides queued requests. Several workers and replicas may run: jobs are
//! claimed in batches with a lease; the requests of a batch are read with one query and decided
//! concurrently; each decision, its effects, the job completion, audit and notifications are one
//! write of the group commit (`infra::db::writer`), so a batch's decisions commit together, one
//! whose effect no longer applies is refused alone, and a crash repeats the job but never an
//! effect.

use super::engine::Decision;
use super::facts;
use super::kind::RequestRow;
use super::kinds::examiner;
use super::record::{Batch, Failure, Record, Write};
use crate::error::{AppError, AppResult};
use crate::identity::access::User;
use crate::identity::auth;
use crate::infra::clock;
use crate::infra::db::{Db, dialect};
use crate::infra::jobs::{self, ClaimedJob};
use shared::dto::Stato;
use shared::smart_task::{Answers, Kind};
use sqlx::Row;
use sqlx::any::AnyRow;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;

pub const QUEUE: &str = "istruttoria";

/// Jobs claimed at once: enough to share a commit and the set reads and writes, few enough that
/// a batch's decisions do not wait long for the slowest one. A worker takes what is ready, so
/// this bounds a backlog's batches only (5,000 queued, A/B: 32 → 64, 6,061–6,121 → 7,032–7,079
/// decisions/s, examination to written outcome p50 7 → 13 ms).
const BATCH: usize = 64;

/// Runs a worker until the process ends: takes jobs as they come (woken by `wake`), and polls
/// every half second for jobs enqueued by other replicas or left by a crashed worker.
pub fn spawn(db: Db, wake: Arc<Notify>) {
    let worker_id = format!("w-{}-{}", std::process::id(), auth::new_token().get(..8).unwrap_or("x"));
    tokio::spawn(async move {
        loop {
            match process(&db, &worker_id, BATCH).await {
                Ok(n) if n > 0 => continue,
                Ok(_) => {
                    tokio::select! {
                        _ = wake.notified() => {}
                        _ = tokio::time::sleep(Duration::from_millis(500)) => {}
                    }
                }
                Err(e) => {
                    tracing::error!(error = %e, "istruttoria: errore del worker");
                    tokio::time::sleep(Duration::from_secs(1)).await;
                }
            }
        }
    });
}

/// Claims and decides one job. Returns whether there was one.
pub async fn process_one(db: &Db, worker: &str) -> AppResult<bool> {
    Ok(process(db, worker, 1).await? > 0)
}

/// Claims up to `max` jobs and decides them: first every decision (concurrently, on the read
/// pool), then all their writes in one write of the group commit (set writes, each request's
/// effects in their own savepoint). Returns how many were claimed.
pub async fn process(db: &Db, worker: &str, max: usize) -> AppResult<usize> {
    let claimed = jobs::claim_many(db, QUEUE, worker, chrono::Duration::seconds(60), max).await?;
    if claimed.is_empty() {
        return Ok(0);
    }
    let pending = load_batch(db, &claimed).await?;
    let items: Vec<facts::Item> = pending
        .values()
        .filter_map(|p| p.as_ref().ok())
        .map(|p| facts::Item { req: &p.req, requester: &p.requester, answers: &p.answers })
        .collect();
    let shared = Arc::new(facts::Shared::load(db, &items).await?);
    drop(items);
    let mut failed: Vec<(&ClaimedJob, String)> = vec![];
    let mut writes = vec![];
    let mut written: Vec<&ClaimedJob> = vec![];
    for (job, result) in claimed.iter().zip(examine(db, &claimed, Arc::new(pending), shared).await) {
        match result {
            Ok(w) => {
                writes.push(w);
                written.push(job);
            }
            Err(e) => failed.push((job, e)),
        }
    }
    // `false` is a lease that expired: another worker owns that job now and decides it.
    for (job, result) in written.into_iter().zip(write_batch(db, worker, writes).await?) {
        if let Err(e) = result {
            failed.push((job, e.to_string()));
        }
    }
    // The failures of the batch in one write: each retry scheduled, and after the last attempt
    // the request handed to the branch in the same savepoint.
    let failures: Vec<_> = failed
        .into_iter()
        .map(|(job, error)| {
            tracing::warn!(job = job.id, error = %error, "istruttoria non completata, sarà ritentata");
            Failure { job: job.clone(), worker: worker.to_string(), error }.into_work()
        })
        .collect();
    if !failures.is_empty() {
        for result in db.writer.background().write_each(failures).await? {
            result?;
        }
    }
    Ok(claimed.len())
}

/// The batch's writes in one write of the group commit. If that write fails (a database error
/// in one request's write rolls back the whole batch), each is written again alone, so that
/// only the request that causes it fails and is retried; the others are recorded.
async fn write_batch(db: &Db, worker: &str, writes: Vec<Write>) -> AppResult<Vec<AppResult<bool>>> {
    if writes.is_empty() {
        return Ok(vec![]);
    }
    let batch = Batch { worker: worker.to_string(), writes };
    let count = batch.writes.len();
    let alone: Vec<_> = if count > 1 { batch.writes.clone() } else { vec![] };
    let locks = batch.locks();
    match db.writer.background().write_exec_locked(locks, batch.into_work()).await {
        Ok(recorded) => Ok(recorded.into_iter().map(Ok).collect()),
        Err(e) if count > 1 => {
            tracing::warn!(error = %e, "istruttoria: scrittura del gruppo non riuscita, ogni richiesta da sola");
            let works = alone.into_iter().map(|w| Batch { worker: worker.to_string(), writes: vec![w] }.into_work());
            let results = db.writer.background().write_exec_each(works.collect()).await?;
            Ok(results
                .into_iter()
                .map(|r| r.and_then(|v| v.first().copied().ok_or_else(|| AppError::Internal("esito mancante".into()))))
                .collect())
        }
        Err(e) => Ok(vec![Err(e)]),
    }
}

/// A claimed request as read from the database, with who asked for it.
pub(crate) struct Pending {
    pub req: RequestRow,
    pub stato: Stato,
    pub protocollo: String,
    pub answers: Answers,
    pub requester: User,
}

/// The batch's requests in one query, their requesters once each.
async fn load_batch(db: &Db, claimed: &[ClaimedJob]) -> AppResult<HashMap<i64, AppResult<Pending>>> {
    let ids: Vec<i64> = claimed.iter().filter_map(|j| j.payload.parse().ok()).collect();
    let mut out = HashMap::new();
    if ids.is_empty() {
        return Ok(out);
    }
    let list = dialect::Params::new(db.engine).list(ids.len());
    let sql = format!(
        "SELECT id, tipo, contribuente_id, richiedente_user_id, oggetto, risposte_json, stato, data_riferimento, protocollo
         FROM richieste WHERE id IN ({list})"
    );
    let mut q = sqlx::query(&sql);
    for id in &ids {
        q = q.bind(*id);
    }
    let rows = q.fetch_all(&db.read).await?;
    let mut users: HashMap<i64, Option<User>> = HashMap::new();
    for r in &rows {
        let id: i64 = r.try_get("id")?;
        let user_id: i64 = r.try_get("richiedente_user_id")?;
        let requester = match users.get(&user_id) {
            Some(u) => u.clone(),
            None => {
                let u = auth::load_user(&db.read, user_id).await?;
                users.insert(user_id, u.clone());
                u
            }
        };
        out.insert(id, pending(r, requester));
    }
    Ok(out)
}

fn pending(r: &AnyRow, requester: Option<User>) -> AppResult<Pending> {
    let tipo: String = r.try_get("tipo")?;
    let kind = Kind::from_code(&tipo).ok_or_else(|| AppError::Internal(format!("tipo sconosciuto {tipo}")))?;
    Ok(Pending {
        req: RequestRow {
            id: r.try_get("id")?,
            kind,
            contribuente_id: r.try_get("contribuente_id")?,
            oggetto: r.try_get("oggetto")?,
            data_riferimento: clock::parse_date(&r.try_get::<String, _>("data_riferimento")?)
                .ok_or_else(|| AppError::Internal("data di riferimento non valida".into()))?,
        },
        stato: crate::richieste::view::stato_of(r)?,
        protocollo: r.try_get("protocollo")?,
        answers: serde_json::from_str(&r.try_get::<String, _>("risposte_json")?)
            .map_err(|e| AppError::Internal(format!("risposte: {e}")))?,
        requester: requester.ok_or_else(|| AppError::Internal("richiedente inesistente".into()))?,
    })
}

/// What each claimed job becomes, in the order claimed (an error: why its examination did not
/// complete). The requests still under examination are examined kind by kind, each kind's facts
/// read together, in a task of its own: a panic in an examination (a bug) fails that kind's jobs,
/// never the worker.
async fn examine(
    db: &Db,
    claimed: &[ClaimedJob],
    pending: Arc<HashMap<i64, AppResult<Pending>>>,
    shared: Arc<facts::Shared>,
) -> Vec<Result<Write, String>> {
    let mut out: Vec<Result<Write, String>> =
        claimed.iter().map(|_| Err("esame non eseguito: richiesta non trovata nel lotto".to_string())).collect();
    let mut kinds: HashMap<Kind, Vec<(usize, i64, i64)>> = HashMap::new();
    for (i, job) in claimed.iter().enumerate() {
        let Ok(id) = job.payload.parse::<i64>() else {
            out[i] = Err(format!("payload non valido: {}", job.payload));
            continue;
        };
        match pending.get(&id) {
            None => out[i] = Err(format!("richiesta {id} inesistente")),
            Some(Err(e)) => out[i] = Err(e.to_string()),
            // Decided already (a previous attempt committed): just close the job.
            Some(Ok(p)) if !p.stato.in_esame() => out[i] = Ok(Write::Close { job_id: job.id }),
            Some(Ok(p)) => kinds.entry(p.req.kind).or_default().push((i, job.id, id)),
        }
    }
    let tasks: Vec<_> = kinds
        .into_iter()
        .map(|(kind, jobs)| {
            let (db, pending, shared) = (db.clone(), pending.clone(), shared.clone());
            let slots: Vec<usize> = jobs.iter().map(|(i, _, _)| *i).collect();
            (slots, tokio::spawn(async move { examine_kind(&db, kind, &jobs, &pending, &shared).await }))
        })
        .collect();
    for (slots, task) in tasks {
        match task.await {
            Ok(results) => {
                for (i, r) in slots.into_iter().zip(results) {
                    out[i] = r.map_err(|e| e.to_string());
                }
            }
            Err(join) => {
                for i in slots {
                    out[i] = Err(format!("errore interno durante l'esame: {join}"));
                }
            }
        }
    }
    out
}

/// The decisions on a batch's requests of one kind (`jobs`: slot, job id, request id, each of
/// them pending): their facts read together, then each decided.
async fn examine_kind(
    db: &Db,
    kind: Kind,
    jobs: &[(usize, i64, i64)],
    pending: &HashMap<i64, AppResult<Pending>>,
    shared: &facts::Shared,
) -> Vec<AppResult<Write>> {
    let ps: Vec<(i64, i64, &Pending)> = jobs
        .iter()
        .filter_map(|(_, job_id, id)| pending.get(id).and_then(|p| p.as_ref().ok()).map(|p| (*job_id, *id, p)))
        .collect();
    // The examination's start is recorded with its outcome, in the same write.
    let started = clock::now_ts();
    let items: Vec<facts::Item> =
        ps.iter().map(|(_, _, p)| facts::Item { req: &p.req, requester: &p.requester, answers: &p.answers }).collect();
    let snapshots = facts::load_kind(db, kind, &items, shared).await;
    ps.iter()
        .zip(snapshots)
        .map(|(&(job_id, id, p), snapshot)| {
            let snapshot = snapshot?;
            let decision: Decision = examiner(kind).decide(kind, &p.req.oggetto, &p.answers, &snapshot)?;
            Ok(Write::Decide(Box::new(Record {
                job_id,
                id,
                kind,
                stato: p.stato,
                protocollo: p.protocollo.clone(),
                contribuente_id: p.req.contribuente_id,
                decision,
                snapshot,
                started: started.clone(),
            })))
        })
        .collect()
}
