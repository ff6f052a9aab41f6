//! What a decision writes, as one write of the group commit: the job's completion, the effects
//! (in their own savepoint: an effect whose precondition no longer holds rolls back and the
//! request is refused with the reason), the state, the timeline, the notification and the audit.

use super::engine::{Check, Decision, Esito, Outcome, Snapshot};
use super::kinds::examiner;
use crate::error::AppResult;
use crate::infra::audit::{self, Actor, Entry};
use crate::infra::clock;
use crate::infra::jobs;
use crate::richieste::decision::Trace;
use crate::richieste::notifications::queue_notification;
use crate::richieste::soggetto::Soggetto;
use crate::richieste::timeline::{add_event, add_event_at};
use crate::richieste::view::stato_of;
use crate::smart_task::kind::Examiner;
use futures_util::future::BoxFuture;
use shared::dto::Stato;
use shared::smart_task::Kind;
use sqlx::{AnyConnection, Connection, Row};

/// What the worker writes for one claimed job.
pub(crate) enum Write {
    /// Decided by an earlier attempt that committed: only the job is closed.
    Close {
        job_id: i64,
        worker: String,
    },
    Decide(Box<Record>),
}

impl Write {
    /// The write as the group commit runs it; `Ok(false)` when the lease expired and another
    /// worker owns the job (nothing is written then).
    pub fn into_work(self) -> impl for<'c> FnOnce(&'c mut AnyConnection) -> BoxFuture<'c, AppResult<bool>> + Send {
        move |c| {
            Box::pin(async move {
                match self {
                    Write::Close { job_id, worker } => jobs::complete(c, job_id, &worker).await,
                    Write::Decide(r) => r.write(c).await,
                }
            })
        }
    }
}

pub(crate) struct Record {
    pub job_id: i64,
    pub worker: String,
    pub id: i64,
    pub kind: Kind,
    pub stato: Stato,
    pub protocollo: String,
    pub contribuente_id: i64,
    pub decision: Decision,
    pub snapshot: Snapshot,
    /// When the examination began (its timeline event).
    pub started: String,
}

impl Record {
    /// Returns whether it was recorded: not when the lease expired and another worker owns
    /// the job (then nothing is written here).
    pub async fn write(self, conn: &mut AnyConnection) -> AppResult<bool> {
        if !jobs::complete(conn, self.job_id, &self.worker).await? {
            return Ok(false);
        }
        let Record { id, kind, stato, protocollo, contribuente_id, mut decision, snapshot, started, .. } = self;
        let actor = Actor {
            user_id: None,
            name: "sistema:istruttoria".into(),
            acting_for_id: Some(contribuente_id),
            request_id: Some(protocollo.clone()),
        };
        if decision.outcome == Outcome::Accolta
            && let Err((reason, effect)) = apply_effects(conn, examiner(kind), &actor, &decision.effects).await?
        {
            // The data changed after the facts were read: refuse, never apply twice.
            refused(&mut decision, stale_effect(reason, effect));
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
        .execute(&mut *conn)
        .await?;
        if stato == Stato::Inviata {
            add_event_at(conn, id, Stato::InIstruttoria.code(), None, &started).await?;
        }
        add_event(conn, id, final_state.code(), motivo.as_deref()).await?;
        notify(conn, contribuente_id, id, &protocollo, kind, decision).await?;
        audit::append(
            conn,
            &actor,
            Entry {
                before: Some(serde_json::json!({ "stato": stato })),
                after: Some(serde_json::json!({ "stato": final_state, "ruleset": decision.ruleset })),
                note: motivo,
                ..Entry::richiesta(&protocollo, "esito_istruttoria")
            },
        )
        .await?;
        Ok(true)
    }
}

/// All the effects or none: `Ok(Err((reason, effect)))` names the first that no longer applies.
async fn apply_effects(
    conn: &mut AnyConnection,
    examiner: &dyn Examiner,
    actor: &Actor,
    effects: &[serde_json::Value],
) -> AppResult<Result<(), (String, serde_json::Value)>> {
    let mut sp = conn.begin().await?;
    for effect in effects {
        if let Err(reason) = examiner.apply(&mut sp, actor, effect).await? {
            sp.rollback().await?;
            return Ok(Err((reason, effect.clone())));
        }
    }
    sp.commit().await?;
    Ok(Ok(()))
}

/// A job whose examination did not complete.
pub(crate) struct Failure {
    pub job: jobs::ClaimedJob,
    pub worker: String,
    pub error: String,
}

impl Failure {
    /// The retry scheduled, and after the last attempt the request handed to the branch.
    pub fn into_work(self) -> impl for<'c> FnOnce(&'c mut AnyConnection) -> BoxFuture<'c, AppResult<()>> + Send {
        move |c| {
            Box::pin(async move {
                let Failure { job, worker, error } = self;
                if jobs::fail(c, job.id, &worker, job.attempts, &error).await? {
                    to_branch(c, &job.payload, &error).await?;
                }
                Ok(())
            })
        }
    }
}

/// After the last attempt the request must not stay "in esame" with no one told: it goes to
/// the branch (the queue shows it), the contributor is notified, the audit says why.
async fn to_branch(conn: &mut AnyConnection, payload: &str, error: &str) -> AppResult<()> {
    let Ok(id) = payload.parse::<i64>() else { return Ok(()) };
    let row = sqlx::query("SELECT protocollo, contribuente_id, stato FROM richieste WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *conn)
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
    .execute(&mut *conn)
    .await?;
    add_event(conn, id, Stato::InCaricoSede.code(), Some(nota)).await?;
    let testo = format!("La richiesta {protocollo} è passata alla sede, che la esaminerà.");
    let oggetto = format!("INPS Smart-Task {protocollo}: richiesta in carico alla sede");
    queue_notification(
        conn,
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
    audit::append(conn, &actor, entry).await?;
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

/// The check added when an accepted decision's effect no longer applies at commit time.
fn stale_effect(reason: String, effect: serde_json::Value) -> Check {
    Check {
        codice: "ST00.EFFETTO_APPLICABILE".into(),
        descrizione: "I dati su cui la richiesta agisce non sono cambiati durante l'esame".into(),
        esito: Esito::Ko,
        motivo: reason,
        riferimento: "Controllo di concorrenza".into(),
        letti: effect,
    }
}

fn refused(decision: &mut Decision, check: Check) {
    decision.checks.push(check);
    decision.outcome = Outcome::NonAccolta;
    decision.effects.clear();
}
