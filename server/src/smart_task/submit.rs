//! Smart-Task submission: the kinds a user may ask for, and the idempotent submission that
//! stores the request and its examination job together.

use crate::error::{AppError, AppResult};
use crate::identity::Caller;
use crate::identity::access;
use crate::infra::audit::{self, Actor, Entry};
use crate::infra::clock;
use crate::infra::db::exec::Exec;
use crate::infra::db::tail::Tail;
use crate::infra::jobs;
use crate::richieste::limiti::{Allowance, Flusso};
use crate::richieste::protocol::next_protocol;
use crate::richieste::soggetto::Soggetto;
use crate::richieste::view::{Submitted, submitted_view};
use crate::richieste::{notifications, timeline};
use crate::services::Services;
use crate::smart_task::kind::TargetCx;
use crate::smart_task::kinds::examiner;
use crate::smart_task::worker::QUEUE;
use crate::vals;
use chrono::Datelike;
use shared::dto::{KindView, RequestView, Stato, SubmitRequest, TargetView};
use shared::smart_task::{self, Kind};
use sqlx::Row;

pub(crate) fn kind_of(code: &str) -> AppResult<Kind> {
    Kind::from_code(code)
        .ok_or_else(|| AppError::field("tipo", format!("Tipo di richiesta sconosciuto: {code}."), "unknown"))
}

impl Services {
    pub async fn smart_task_kinds(&self, caller: &Caller) -> AppResult<Vec<KindView>> {
        access::require_company_role(&caller.require()?.user)?;
        let attivazioni = self.attivazioni_oggi().await?;
        Ok(Kind::ALL
            .iter()
            .map(|&k| {
                let a = attivazioni.get(&k);
                KindView {
                    codice: k.code().into(),
                    numero: k.number(),
                    descrizione: k.label().into(),
                    disponibile: k.implemented() && a.is_some_and(|a| a.attivo),
                    stato: a.map(|a| a.stato.clone()).unwrap_or_default(),
                }
            })
            .collect())
    }

    /// Stores the request and its examination job in one transaction and answers at once
    /// (state *Inviata*). The same `Idempotency-Key` from the same user returns the same request.
    pub async fn submit_smart_task(
        &self,
        caller: &Caller,
        body: SubmitRequest,
        idempotency_key: Option<String>,
    ) -> AppResult<RequestView> {
        let s = caller.require()?;
        let key = idempotency_key.map(|k| k.trim().to_string()).filter(|k| !k.is_empty());
        if let Some(k) = &key {
            if k.len() > 200 {
                return Err(AppError::BadRequest("Idempotency-Key troppo lunga (massimo 200 caratteri).".into()));
            }
            if let Some(existing) = self.request_by_key(s.user.id, k).await? {
                return self.request_view(caller, &existing).await;
            }
        }
        self.within_submission_rate(s.user.id, Flusso::SmartTask).await?;
        let kind = kind_of(&body.tipo)?;
        let subject = self.subject(caller, body.soggetto_id).await?;
        if !kind.implemented() {
            return Err(AppError::field(
                "tipo",
                format!(
                    "La richiesta \"{}\" non è ancora disponibile in Smart-Task: usare una comunicazione bidirezionale.",
                    kind.label()
                ),
                "not_available",
            ));
        }
        self.require_active(kind).await?;
        // Same parser as the browser form; a company-wide kind always targets the subject itself.
        let oggetto = if kind.targets_subject() { subject.id.to_string() } else { body.oggetto.trim().to_string() };
        // Only the form's own questions are stored (and printed on the official receipt).
        let extraneous = smart_task::extraneous_answers(kind, &body.risposte);
        if !extraneous.is_empty() {
            return Err(AppError::Validation(extraneous));
        }
        smart_task::parse(kind, &oggetto, &body.risposte).map_err(AppError::Validation)?;
        // The matricola the target belongs to, for the list filter (None for company-wide targets).
        let matricola = examiner(kind).matricola(&self.db.read, subject.id, &oggetto, &body.risposte).await?;
        let stored = Stored {
            kind,
            subject_id: subject.id,
            user_id: s.user.id,
            oggetto,
            risposte: body.risposte,
            today: self.clock.today(),
            key: key.clone(),
            matricola,
            allowance: self.allowance(Flusso::SmartTask),
            actor: Actor {
                user_id: Some(s.user.id),
                name: s.user.username.clone(),
                acting_for_id: Some(subject.id),
                request_id: Some(caller.request_id.clone()),
            },
        };
        let view = match self.db.writer.write_exec_with_tail(move |c| Box::pin(stored.write(c))).await {
            Ok(view) => view,
            // A concurrent retry with the same key won the race: answer with its request.
            Err(AppError::Database(sqlx::Error::Database(e))) if e.is_unique_violation() && key.is_some() => {
                let k = key.unwrap_or_default();
                let protocollo = self
                    .request_by_key(s.user.id, &k)
                    .await?
                    .ok_or_else(|| AppError::Internal("idempotency race".into()))?;
                return self.request_view(caller, &protocollo).await;
            }
            Err(e) => return Err(e),
        };
        self.wake.notify_one();
        Ok(view)
    }

    async fn request_by_key(&self, user_id: i64, key: &str) -> AppResult<Option<String>> {
        // Committed rows are visible to the WAL readers: no need to take the single writer.
        Ok(sqlx::query("SELECT protocollo FROM richieste WHERE richiedente_user_id = $1 AND idempotency_key = $2")
            .bind(user_id)
            .bind(key)
            .fetch_optional(&self.db.read)
            .await?
            .map(|r| r.try_get(0))
            .transpose()?)
    }
}

/// A submission as the group commit writes it: the request, its first event, the receipt
/// notification, the examination job and the audit record, together or not at all.
struct Stored {
    kind: Kind,
    subject_id: i64,
    user_id: i64,
    oggetto: String,
    risposte: smart_task::Answers,
    today: chrono::NaiveDate,
    key: Option<String>,
    matricola: Option<String>,
    allowance: Allowance,
    actor: Actor,
}

impl Stored {
    /// Returns the request as stored, and what the batch writes for it at its end.
    async fn write(self, conn: &mut dyn Exec) -> AppResult<(RequestView, Tail)> {
        let Stored { kind, subject_id, user_id, oggetto, risposte, today, key, matricola, allowance, actor } = self;
        allowance.take(conn, user_id).await?;
        let now = clock::now_ts();
        let protocollo = next_protocol(conn, "ST", today.year()).await?;
        let testo_risposte = serde_json::to_string(&risposte).map_err(|e| AppError::Internal(e.to_string()))?;
        let data_riferimento = today.format("%Y-%m-%d").to_string();
        let id = conn
            .fetch_one(
                "INSERT INTO richieste (protocollo, tipo, contribuente_id, richiedente_user_id, oggetto, risposte_json, stato,
                                        data_riferimento, idempotency_key, created_at, updated_at, matricola)
                 VALUES ($1, $2, $3, $4, $5, $6, $11, $7, $8, $9, $9, $10) RETURNING id",
                vals![
                    &protocollo,
                    kind.code(),
                    subject_id,
                    user_id,
                    &oggetto,
                    &testo_risposte,
                    &data_riferimento,
                    key,
                    &now,
                    matricola,
                    Stato::Inviata.code()
                ],
            )
            .await?
            .int(0)?;
        // The request as it is stored: a new request has only its first event, so reading it
        // back would only cost the readers four queries for each submission.
        let view = submitted_view(Submitted {
            protocollo: protocollo.clone(),
            kind,
            soggetto_id: subject_id,
            oggetto: oggetto.clone(),
            risposte: risposte.clone(),
            data_riferimento,
            at: now.clone(),
        });
        // What every submission writes alike is written once for the whole batch.
        let mut tail = Tail::default();
        tail.push(timeline::Later { richiesta_id: id, stato: Stato::Inviata.code(), nota: None, at: now });
        let testo = format!("La richiesta {protocollo} ({}) è stata ricevuta ed è in esame.", kind.label());
        tail.push(notifications::Later {
            soggetto: Soggetto::Contribuente(subject_id),
            richiesta_id: id,
            oggetto_email: format!("INPS Smart-Task {protocollo}: richiesta ricevuta"),
            corpo: format!("{testo}\n\nRiceverà un messaggio con l'esito e i controlli eseguiti."),
            testo,
        });
        tail.push(jobs::Later { queue: QUEUE, payload: id.to_string() });
        tail.push(audit::Later(
            actor,
            Entry {
                after: Some(serde_json::json!({ "tipo": kind.code(), "oggetto": oggetto, "risposte": risposte })),
                ..Entry::richiesta(&protocollo, "invio")
            },
        ));
        Ok((view, tail))
    }
}

impl Services {
    /// What a request of that kind can act on, for the subject (each kind lists its own).
    pub async fn smart_task_targets(
        &self,
        caller: &Caller,
        kind: &str,
        soggetto_id: Option<i64>,
    ) -> AppResult<Vec<TargetView>> {
        let kind = kind_of(kind)?;
        let subject = self.subject(caller, soggetto_id).await?;
        let user = &caller.require()?.user;
        let cx = TargetCx { pool: &self.db.read, kind, subject: &subject, user, today: self.clock.today() };
        examiner(kind).targets(&cx).await
    }
}
