//! What a worker's batch of decisions writes, as one write of the group commit: the jobs'
//! completion, each request's effects (in their own savepoint: an effect whose precondition no
//! longer holds rolls back and that request is refused with the reason), the states, the
//! timeline, the notifications and the audit. What every decision writes alike goes in one
//! statement for the whole batch (set writes), and the effects' audit records join the batch's
//! (`audit::Deferred`), so a batch costs a few round trips to the database plus one per request
//! and its effects' own reads and writes, not a dozen per request.

use super::engine::{Check, Decision, Esito, Outcome, Snapshot};
use super::kinds::examiner;
use crate::error::AppResult;
use crate::infra::audit::{self, Actor, Deferred, Entry};
use crate::infra::clock;
use crate::infra::db::dialect;
use crate::infra::db::exec::Exec;
use crate::infra::db::locks::{LockKey, Locks};
use crate::infra::jobs;
use crate::richieste::decision::Trace;
use crate::richieste::notifications::{Notice, queue_notification, queue_notifications};
use crate::richieste::soggetto::Soggetto;
use crate::richieste::timeline::{Event, add_event, add_events};
use crate::richieste::view::stato_of;
use crate::smart_task::kind::Examiner;
use crate::vals;
use futures_util::future::BoxFuture;
use shared::dto::Stato;
use shared::smart_task::Kind;
use sqlx::{AnyConnection, Row};

/// What the worker writes for one claimed job.
#[derive(Clone)]
pub(crate) enum Write {
    /// Decided by an earlier attempt that committed: only the job is closed.
    Close {
        job_id: i64,
    },
    Decide(Box<Record>),
}

impl Write {
    fn job_id(&self) -> i64 {
        match self {
            Write::Close { job_id } => *job_id,
            Write::Decide(r) => r.job_id,
        }
    }
}

/// A worker's writes, in one write of the group commit.
#[derive(Clone)]
pub(crate) struct Batch {
    pub worker: String,
    pub writes: Vec<Write>,
}

impl Batch {
    /// The batch as the group commit runs it: for each write, whether it was recorded (`false`
    /// when the lease expired and another worker owns the job: nothing is written for it).
    pub fn into_work(self) -> impl for<'c> FnOnce(&'c mut dyn Exec) -> BoxFuture<'c, AppResult<Vec<bool>>> + Send {
        move |c| Box::pin(self.write(c))
    }

    /// The keys of every effect the batch may apply; [`Locks::Chain`] if one kind has none.
    pub fn locks(&self) -> Locks {
        let keys = self.writes.iter().map(|w| match w {
            Write::Decide(r) if r.decision.outcome == Outcome::Accolta => {
                let kind = examiner(r.kind);
                let keys: Option<Vec<Vec<LockKey>>> = r.decision.effects.iter().map(|e| kind.lock_keys(e)).collect();
                keys.map_or(Locks::Chain, |k| Locks::Keys(k.concat()))
            }
            _ => Locks::Keys(vec![]),
        });
        Locks::of_batch(&keys.collect::<Vec<_>>())
    }

    async fn write(self, conn: &mut dyn Exec) -> AppResult<Vec<bool>> {
        let ids: Vec<i64> = self.writes.iter().map(Write::job_id).collect();
        let held = jobs::complete_many(conn, &ids, &self.worker).await?;
        let recorded: Vec<bool> = ids.iter().map(|id| held.contains(id)).collect();
        let mut decided = vec![];
        for (write, held) in self.writes.into_iter().zip(&recorded) {
            if let (Write::Decide(r), true) = (write, held) {
                decided.push(Decided::new(conn, *r).await?);
            }
        }
        store_states(conn, &decided).await?;
        let events: Vec<Event> = decided.iter().flat_map(Decided::events).collect();
        add_events(conn, &events).await?;
        let texts: Vec<(String, String, String)> = decided.iter().map(Decided::notice_texts).collect();
        let notices: Vec<Notice> = decided
            .iter()
            .zip(&texts)
            .map(|(d, (testo, oggetto, corpo))| Notice {
                soggetto: Soggetto::Contribuente(d.record.contribuente_id),
                richiesta_id: d.record.id,
                testo,
                oggetto_email: oggetto,
                corpo,
            })
            .collect();
        queue_notifications(conn, &notices).await?;
        // The chain in order: each request's effects, then its outcome.
        let mut entries = vec![];
        for d in &mut decided {
            entries.append(&mut d.effects_audit);
            entries.push(d.audit_entry());
        }
        audit::append_many(conn, entries).await?;
        Ok(recorded)
    }
}

#[derive(Clone)]
pub(crate) struct Record {
    pub job_id: i64,
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

/// A record whose effects were applied (or refused), ready for the batch's set writes.
struct Decided {
    actor: Actor,
    /// The audit records of the effects applied (none if they were rolled back).
    effects_audit: Vec<(Actor, Entry<'static>)>,
    motivo: Option<String>,
    trace: Trace,
    record: RecordHead,
}

/// What is left of a record once its decision and snapshot went into the trace.
struct RecordHead {
    id: i64,
    kind: Kind,
    stato: Stato,
    protocollo: String,
    contribuente_id: i64,
    started: String,
}

impl Decided {
    /// Applies the effects of an accepted decision, all or none, in their own savepoint.
    async fn new(conn: &mut dyn Exec, r: Record) -> AppResult<Decided> {
        let Record { id, kind, stato, protocollo, contribuente_id, mut decision, snapshot, started, .. } = r;
        let actor = Actor {
            user_id: None,
            name: "sistema:istruttoria".into(),
            acting_for_id: Some(contribuente_id),
            request_id: Some(protocollo.clone()),
        };
        let mut effects_audit = vec![];
        if decision.outcome == Outcome::Accolta {
            match apply_effects(conn, examiner(kind), Deferred::new(actor.clone()), &decision.effects).await? {
                Ok(trail) => effects_audit = trail.into_entries(),
                // The data changed after the facts were read: refuse, never apply twice.
                Err((reason, effect)) => refused(&mut decision, stale_effect(reason, effect)),
            }
        }
        let motivo = (decision.outcome != Outcome::Accolta).then(|| decision.motivi().join(" "));
        Ok(Decided {
            actor,
            effects_audit,
            motivo,
            trace: Trace { decisione: decision, fatti: snapshot },
            record: RecordHead { id, kind, stato, protocollo, contribuente_id, started },
        })
    }

    fn final_state(&self) -> Stato {
        self.trace.decisione.outcome.stato()
    }

    /// The examination's start (when the request had not been taken up yet) and its outcome.
    fn events(&self) -> Vec<Event<'_>> {
        let r = &self.record;
        let mut events = vec![];
        if r.stato == Stato::Inviata {
            let at = r.started.clone();
            events.push(Event { richiesta_id: r.id, stato: Stato::InIstruttoria.code(), nota: None, at });
        }
        let nota = self.motivo.as_deref();
        events.push(Event { richiesta_id: r.id, stato: self.final_state().code(), nota, at: clock::now_ts() });
        events
    }

    fn notice_texts(&self) -> (String, String, String) {
        notice(&self.record.protocollo, self.record.kind, &self.trace.decisione)
    }

    fn audit_entry(&self) -> (Actor, Entry<'static>) {
        let d = &self.trace.decisione;
        let entry = Entry {
            before: Some(serde_json::json!({ "stato": self.record.stato })),
            after: Some(serde_json::json!({ "stato": self.final_state(), "ruleset": d.ruleset })),
            note: self.motivo.clone(),
            ..Entry::richiesta(&self.record.protocollo, "esito_istruttoria")
        };
        (self.actor.clone(), entry)
    }
}

/// Each request's outcome and trace, one statement per 64 requests (`UPDATE … FROM (VALUES …)`:
/// the columns of a VALUES list are `column1`, `column2`… on both engines).
async fn store_states(conn: &mut dyn Exec, decided: &[Decided]) -> AppResult<()> {
    let now = clock::now_ts();
    let engine = conn.engine();
    for chunk in decided.chunks(64) {
        let mut p = dialect::Params::new(engine);
        let updated_at = p.one();
        let values = p.rows(chunk.len(), 5);
        let sql = format!(
            "UPDATE richieste SET stato = v.column2, esito_motivo = v.column3, ruleset = v.column4, decisione_json = v.column5,
                    updated_at = {updated_at}, version = version + 1
             FROM (VALUES {values}) AS v WHERE richieste.id = v.column1"
        );
        let mut args = vals![&now];
        for d in chunk {
            args.extend(vals![
                d.record.id,
                d.final_state().code(),
                d.motivo.clone(),
                d.trace.decisione.ruleset.clone(),
                d.trace.to_json()
            ]);
        }
        conn.run(&sql, args).await?;
    }
    Ok(())
}

/// All the effects or none: their audit records when applied, `Ok(Err((reason, effect)))`
/// naming the first that no longer applies (its records are dropped with the savepoint). A
/// single effect of a kind that checks before writing has nothing to undo: no savepoint.
async fn apply_effects(
    conn: &mut dyn Exec,
    examiner: &dyn Examiner,
    mut trail: Deferred,
    effects: &[serde_json::Value],
) -> AppResult<Result<Deferred, (String, serde_json::Value)>> {
    if let [effect] = effects
        && examiner.checks_before_writing()
    {
        return Ok(match examiner.apply(conn, &mut trail, effect).await? {
            Ok(()) => Ok(trail),
            Err(reason) => Err((reason, effect.clone())),
        });
    }
    // If an effect fails outright, the write's own savepoint takes this one back with it.
    conn.run("SAVEPOINT effetti", vec![]).await?;
    for effect in effects {
        if let Err(reason) = examiner.apply(conn, &mut trail, effect).await? {
            conn.run("ROLLBACK TO SAVEPOINT effetti", vec![]).await?;
            conn.run("RELEASE SAVEPOINT effetti", vec![]).await?;
            return Ok(Err((reason, effect.clone())));
        }
    }
    conn.run("RELEASE SAVEPOINT effetti", vec![]).await?;
    Ok(Ok(trail))
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

/// The notification of a decision: its text, the e-mail's subject and body (every check run).
fn notice(protocollo: &str, kind: Kind, d: &Decision) -> (String, String, String) {
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
    (testo, format!("INPS Smart-Task {protocollo}: richiesta {esito}"), corpo)
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
