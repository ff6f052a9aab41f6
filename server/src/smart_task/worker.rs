//! The worker that decides queued requests. Several workers and replicas may run: a job is
//! claimed with a lease, and the decision, its effects, the job completion, audit and
//! notifications commit in one transaction, so a crash repeats the job but never an effect.

use super::engine::{Check, Decision, Esito, Outcome};
use super::facts;
use super::kind::RequestRow;
use super::kinds::examiner;
use crate::error::{AppError, AppResult};
use crate::identity::auth;
use crate::infra::audit::{self, Actor, Entry};
use crate::infra::clock;
use crate::infra::db::Db;
use crate::infra::jobs;
use crate::richieste::decision::Trace;
use crate::richieste::notifications::queue_notification;
use crate::richieste::soggetto::Soggetto;
use crate::richieste::timeline::{add_event, add_event_at};
use crate::richieste::view::stato_of;
use shared::dto::Stato;
use shared::smart_task::{Answers, Kind};
use sqlx::{AnyConnection, Row};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;

pub const QUEUE: &str = "istruttoria";

/// Runs a worker until the process ends: takes jobs as they come (woken by `wake`), and polls
/// every half second for jobs enqueued by other replicas or left by a crashed worker.
pub fn spawn(db: Db, wake: Arc<Notify>) {
    let worker_id = format!("w-{}-{}", std::process::id(), auth::new_token().get(..8).unwrap_or("x"));
    tokio::spawn(async move {
        loop {
            match process_one(&db, &worker_id).await {
                Ok(true) => continue,
                Ok(false) => {
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
    let Some(job) = jobs::claim(db, QUEUE, worker, chrono::Duration::seconds(60)).await? else { return Ok(false) };
    // Its own task: a panic in one examination (a bug) fails that job, never the worker.
    let task = tokio::spawn({
        let (db, worker, job) = (db.clone(), worker.to_string(), job.clone());
        async move { decide_job(&db, &worker, &job).await }
    });
    let error = match task.await {
        Ok(Ok(())) => return Ok(true),
        Ok(Err(e)) => e.to_string(),
        Err(join) => format!("errore interno durante l'esame: {join}"),
    };
    tracing::warn!(job = job.id, error = %error, "istruttoria non completata, sarà ritentata");
    if jobs::fail(db, job.id, worker, job.attempts, &error).await? {
        to_branch(db, &job.payload, &error).await?;
    }
    Ok(true)
}

/// After the last attempt the request must not stay "in esame" with no one told: it goes to
/// the branch (the queue shows it), the contributor is notified, the audit says why.
async fn to_branch(db: &Db, payload: &str, error: &str) -> AppResult<()> {
    let Ok(id) = payload.parse::<i64>() else { return Ok(()) };
    let mut tx = db.write.begin().await?;
    let row = sqlx::query("SELECT protocollo, contribuente_id, stato FROM richieste WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?;
    let Some(r) = row else { return Ok(()) };
    let (protocollo, contribuente_id): (String, i64) = (r.try_get("protocollo")?, r.try_get("contribuente_id")?);
    if !stato_of(&r)?.in_esame() {
        return Ok(());
    }
    let nota =
        "L'esame automatico non è riuscito dopo ripetuti tentativi: la richiesta passa alla sede, che la esaminerà.";
    sqlx::query(
        "UPDATE richieste SET stato = $1, esito_motivo = $2, updated_at = $3, version = version + 1 WHERE id = $4",
    )
    .bind(Stato::InCaricoSede.code())
    .bind(nota)
    .bind(clock::now_ts())
    .bind(id)
    .execute(&mut *tx)
    .await?;
    add_event(&mut tx, id, Stato::InCaricoSede.code(), Some(nota)).await?;
    let testo = format!("La richiesta {protocollo} è passata alla sede, che la esaminerà.");
    let oggetto = format!("INPS Smart-Task {protocollo}: richiesta in carico alla sede");
    queue_notification(
        &mut tx,
        Soggetto::Contribuente(contribuente_id),
        id,
        &testo,
        &oggetto,
        &format!("{testo}\n\n{nota}"),
    )
    .await?;
    let actor = Actor {
        user_id: None,
        name: "sistema:istruttoria".into(),
        acting_for_id: Some(contribuente_id),
        request_id: Some(protocollo.clone()),
    };
    let entry = Entry {
        after: Some(
            serde_json::json!({ "stato": Stato::InCaricoSede, "errore": error.chars().take(500).collect::<String>() }),
        ),
        note: Some(nota.into()),
        ..Entry::richiesta(&protocollo, "esame_non_riuscito")
    };
    audit::append(&mut tx, &actor, entry).await?;
    tx.commit().await?;
    Ok(())
}

async fn decide_job(db: &Db, worker: &str, job: &jobs::ClaimedJob) -> AppResult<()> {
    let id: i64 =
        job.payload.parse().map_err(|_| AppError::Internal(format!("payload non valido: {}", job.payload)))?;
    let r = sqlx::query(
        "SELECT id, tipo, contribuente_id, richiedente_user_id, oggetto, risposte_json, stato, data_riferimento, protocollo
         FROM richieste WHERE id = $1",
    )
    .bind(id)
    .fetch_one(&db.read)
    .await?;
    let stato = stato_of(&r)?;
    if !stato.in_esame() {
        // Decided already (a previous attempt committed): just close the job.
        let mut tx = db.write.begin().await?;
        jobs::complete(&mut tx, job.id, worker).await?;
        tx.commit().await?;
        return Ok(());
    }
    let tipo: String = r.try_get("tipo")?;
    let kind = Kind::from_code(&tipo).ok_or_else(|| AppError::Internal(format!("tipo sconosciuto {tipo}")))?;
    let req = RequestRow {
        id,
        kind,
        contribuente_id: r.try_get("contribuente_id")?,
        oggetto: r.try_get("oggetto")?,
        data_riferimento: clock::parse_date(&r.try_get::<String, _>("data_riferimento")?)
            .ok_or_else(|| AppError::Internal("data di riferimento non valida".into()))?,
    };
    let protocollo: String = r.try_get("protocollo")?;
    let answers: Answers = serde_json::from_str(&r.try_get::<String, _>("risposte_json")?)
        .map_err(|e| AppError::Internal(format!("risposte: {e}")))?;
    let requester = auth::load_user(&db.read, r.try_get("richiedente_user_id")?)
        .await?
        .ok_or_else(|| AppError::Internal("richiedente inesistente".into()))?;
    // The examination's start is recorded with its outcome, in the same transaction: one write
    // transaction fewer per request (the single SQLite writer is the bottleneck), and the
    // timeline still shows when the examination began.
    let started = clock::now_ts();
    let snapshot = facts::load(&db.read, &req, &requester, &answers).await?;
    let examiner = examiner(kind);
    let mut decision = examiner.decide(kind, &req.oggetto, &answers, &snapshot)?;

    let mut tx = db.write.begin().await?;
    let actor = Actor {
        user_id: None,
        name: "sistema:istruttoria".into(),
        acting_for_id: Some(req.contribuente_id),
        request_id: Some(protocollo.clone()),
    };
    if decision.outcome == Outcome::Accolta {
        for effect in decision.effects.clone() {
            if let Err(reason) = examiner.apply(&mut tx, &actor, &effect).await? {
                // The data changed after the facts were read: refuse, never apply twice.
                decision.checks.push(Check {
                    codice: "ST00.EFFETTO_APPLICABILE".into(),
                    descrizione: "I dati su cui la richiesta agisce non sono cambiati durante l'esame".into(),
                    esito: Esito::Ko,
                    motivo: reason,
                    riferimento: "Controllo di concorrenza".into(),
                    letti: effect,
                });
                decision.outcome = Outcome::NonAccolta;
                decision.effects.clear();
                tx.rollback().await?;
                tx = db.write.begin().await?;
                break;
            }
        }
    }
    let final_state = decision.outcome.stato();
    let motivo = (decision.outcome != Outcome::Accolta).then(|| decision.motivi().join(" "));
    let trace = Trace { decisione: decision, fatti: snapshot };
    let decision = &trace.decisione;
    sqlx::query(
        "UPDATE richieste SET stato = $1, esito_motivo = $2, ruleset = $3, decisione_json = $4, updated_at = $5, version = version + 1
         WHERE id = $6",
    )
    .bind(final_state.code())
    .bind(motivo.clone())
    .bind(&decision.ruleset)
    .bind(trace.to_json())
    .bind(clock::now_ts())
    .bind(id)
    .execute(&mut *tx)
    .await?;
    if stato == Stato::Inviata {
        add_event_at(&mut tx, id, Stato::InIstruttoria.code(), None, &started).await?;
    }
    add_event(&mut tx, id, final_state.code(), motivo.as_deref()).await?;
    notify(&mut tx, req.contribuente_id, id, &protocollo, kind, decision).await?;
    audit::append(
        &mut tx,
        &actor,
        Entry {
            before: Some(serde_json::json!({ "stato": stato })),
            after: Some(serde_json::json!({ "stato": final_state, "ruleset": decision.ruleset })),
            note: motivo,
            ..Entry::richiesta(&protocollo, "esito_istruttoria")
        },
    )
    .await?;
    if !jobs::complete(&mut tx, job.id, worker).await? {
        // The lease expired and another worker owns the job now: let it decide.
        tx.rollback().await?;
        return Ok(());
    }
    tx.commit().await?;
    Ok(())
}

async fn notify(
    conn: &mut AnyConnection,
    contribuente_id: i64,
    id: i64,
    protocollo: &str,
    kind: Kind,
    d: &Decision,
) -> AppResult<()> {
    let testo = match d.outcome {
        Outcome::Accolta => format!("La richiesta {protocollo} ({}) è stata accolta.", kind.label()),
        Outcome::NonAccolta => format!("La richiesta {protocollo} ({}) non è stata accolta.", kind.label()),
        Outcome::InCaricoSede => {
            format!("La richiesta {protocollo} ({}) è passata alla sede per una verifica.", kind.label())
        }
    };
    let esito = match d.outcome {
        Outcome::Accolta => "accolta",
        Outcome::NonAccolta => "non accolta",
        Outcome::InCaricoSede => "in carico alla sede",
    };
    let mut corpo = format!("{testo}\n\nControlli eseguiti:\n");
    for c in &d.checks {
        corpo.push_str(&format!(
            "- {} [{}]: {}\n",
            c.descrizione,
            match c.esito {
                Esito::Ok => "OK",
                Esito::Ko => "KO",
                Esito::Verifica => "DA VERIFICARE",
            },
            c.motivo
        ));
    }
    queue_notification(
        conn,
        Soggetto::Contribuente(contribuente_id),
        id,
        &testo,
        &format!("INPS Smart-Task {protocollo}: richiesta {esito}"),
        &corpo,
    )
    .await
}
