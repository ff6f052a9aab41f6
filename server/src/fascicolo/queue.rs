//! The branch's queue: the requests the automation sent to it and the two-way requests, and
//! the steps an operator takes on them.

use crate::error::{AppError, AppResult};
use crate::identity::Caller;
use crate::identity::scope::{Scope, scope};
use crate::infra::audit::{self, Entry};
use crate::infra::clock;
use crate::richieste::conversation;
use crate::richieste::view::{REQUEST_COLUMNS, stato_of, to_view};
use crate::services::Services;
use shared::dto::{BranchAction, OperatorRequestView, QueueItem, Stato};
use shared::smart_task::Kind;
use sqlx::Row;

impl Services {
    pub async fn branch_queue(&self, caller: &Caller) -> AppResult<Vec<QueueItem>> {
        let s = caller.require()?;
        let sc = scope(&s.user)?;
        let (cond, val): (&str, String) = match &sc {
            Scope::Sede { sede_id, .. } => ("s.id = CAST($1 AS BIGINT)", sede_id.to_string()),
            Scope::Regione(r) => ("s.regione = $1", r.clone()),
            Scope::Nazionale => ("$1 = $1", String::new()),
        };
        let cols = REQUEST_COLUMNS.split(", ").map(|c| format!("r.{}", c.trim())).collect::<Vec<_>>().join(", ");
        let rows = sqlx::query(&format!(
            "SELECT {cols}, COALESCE(c.ragione_sociale, p.cognome || ' ' || p.nome) AS ragione_sociale,
                    u.display_name AS in_carico,
                    (SELECT n.dal_contribuente FROM richieste_note n WHERE n.richiesta_id = r.id AND n.interna = 0
                     ORDER BY n.id DESC LIMIT 1) AS ultimo_dal_contribuente
             FROM richieste r
             LEFT JOIN contribuenti c ON c.id = r.contribuente_id LEFT JOIN persone p ON p.id = r.persona_id
             JOIN sedi s ON s.id = COALESCE(c.sede_id, r.sede_id)
             LEFT JOIN users u ON u.id = r.operatore_id
             WHERE r.stato IN ({stati}) AND {cond} ORDER BY r.created_at, r.id LIMIT 200",
            stati = Stato::sql_list(Stato::lavorabile_dalla_sede)
        ))
        .bind(val)
        .fetch_all(&self.db.read)
        .await?;
        let ids = rows.iter().map(|r| r.try_get("id")).collect::<Result<Vec<i64>, _>>()?;
        let mut events = self.events_for(&ids).await?;
        rows.iter()
            .map(|r| {
                Ok(QueueItem {
                    richiesta: to_view(r, &mut events)?,
                    ragione_sociale: r.try_get("ragione_sociale")?,
                    operatore_in_carico: r.try_get("in_carico")?,
                    attende_sede: r.try_get::<Option<i64>, _>("ultimo_dal_contribuente")?.unwrap_or(0) != 0,
                })
            })
            .collect()
    }

    /// Take in charge, add a note or a reply, or close a request sent to the branch. Every step
    /// is audited; the contributor is notified of what concerns them (not of internal notes).
    pub async fn branch_action(
        &self,
        caller: &Caller,
        protocollo: &str,
        action: BranchAction,
        expected_version: Option<i64>,
    ) -> AppResult<OperatorRequestView> {
        let s = caller.require()?;
        let row = self.request_row(&s.user, protocollo).await?;
        let ambito = self.request_in_scope(&s.user, &row, "Richiesta non trovata.").await?;
        if !ambito.puo_agire {
            return Err(AppError::Forbidden(
                "Può consultare questa richiesta ma non lavorarla: il richiedente è di un'altra sede.".into(),
            ));
        }
        let stato = stato_of(&row)?;
        let tipo: String = row.try_get("tipo")?;
        // Two-way requests are worked from Aperta to Chiusa; a Smart-Task only once the
        // automation has sent it to the branch.
        let due_vie = tipo == shared::comunicazioni::TIPO;
        if !stato.lavorabile_dalla_sede() {
            return Err(AppError::Conflict(if due_vie || stato.is_final() {
                "La richiesta è già chiusa: non si possono aggiungere passi.".into()
            } else {
                "La richiesta è esaminata dalla procedura automatica: la sede può lavorarla solo se le viene inviata."
                    .into()
            }));
        }
        let id: i64 = row.try_get("id")?;
        let version: i64 = row.try_get("version")?;
        if expected_version.is_some_and(|v| v != version) {
            return Err(AppError::Conflict(
                "Nel frattempo un altro operatore ha lavorato la richiesta: ricarichi la pagina.".into(),
            ));
        }
        let label = if due_vie {
            shared::dto::oggetto_bidirezionale_label(&row.try_get::<String, _>("oggetto")?).unwrap_or_default()
        } else {
            Kind::from_code(&tipo).map(|k| k.label()).unwrap_or("").to_string()
        };
        // What was written is checked before anything is: the text, and a Smart-Task's outcome
        // (a two-way request is answered and closed without one).
        let checked = match &action {
            BranchAction::PrendiInCarico => None,
            BranchAction::Nota { testo, .. } => Some((conversation::testo(testo, "testo", 1)?, None)),
            BranchAction::Chiudi { accolta, motivo } => {
                let chiusa = match (due_vie, accolta) {
                    (true, _) => Stato::Chiusa,
                    (false, Some(true)) => Stato::Accolta,
                    (false, Some(false)) => Stato::NonAccolta,
                    (false, None) => {
                        return Err(AppError::field(
                            "accolta",
                            "Indicare se la richiesta è accolta o non accolta.",
                            "empty",
                        ));
                    }
                };
                Some((conversation::testo(motivo, "motivo", 1)?, Some(chiusa)))
            }
        };
        let (t, chiusa) = checked.unwrap_or_default();
        let now = clock::now_ts();
        let mut tx = self.db.write.begin().await?;
        let letta = conversation::Letta { id, version, stato };
        let conflict = "Nel frattempo un altro operatore ha lavorato la richiesta: ricarichi la pagina.";
        conversation::bump_version(&mut tx, &letta, &now, conflict).await?;
        let (audit_action, after, notify): (&str, serde_json::Value, Option<String>) = match &action {
            BranchAction::PrendiInCarico => {
                // A two-way request changes state (Aperta → In carico); a Smart-Task already is
                // with the branch and only gets its operator.
                sqlx::query("UPDATE richieste SET operatore_id = $1, stato = $2 WHERE id = $3")
                    .bind(s.user.id)
                    .bind(if due_vie { Stato::InCarico } else { stato }.code())
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                crate::richieste::timeline::add_event(
                    &mut tx,
                    id,
                    if due_vie { Stato::InCarico.code() } else { "presa_in_carico" },
                    Some(&s.user.display_name),
                )
                .await?;
                (
                    "presa_in_carico",
                    serde_json::json!({ "operatore": s.user.username }),
                    Some(format!(
                        "La richiesta {protocollo} ({label}) è stata presa in carico da un operatore della sede."
                    )),
                )
            }
            BranchAction::Nota { interna, .. } => {
                let autore = conversation::Autore::Sede { interna: *interna };
                conversation::add_message(&mut tx, id, s.user.id, &t, autore, &now).await?;
                (
                    if *interna { "nota_interna" } else { "risposta" },
                    serde_json::json!({ "testo": t, "interna": interna }),
                    (!*interna).then(|| format!("La sede ha risposto sulla richiesta {protocollo} ({label}): {t}")),
                )
            }
            BranchAction::Chiudi { .. } => {
                let (m, stato) = (t.as_str(), chiusa.unwrap_or(Stato::Chiusa));
                sqlx::query("UPDATE richieste SET stato = $1, esito_motivo = $2, operatore_id = COALESCE(operatore_id, $3) WHERE id = $4")
                    .bind(stato.code())
                    .bind(m)
                    .bind(s.user.id)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                crate::richieste::timeline::add_event(&mut tx, id, stato.code(), Some(m)).await?;
                (
                    "chiusura_sede",
                    serde_json::json!({ "stato": stato, "motivo": m }),
                    Some(if due_vie {
                        format!("La richiesta {protocollo} ({label}) è stata chiusa dalla sede: {m}")
                    } else {
                        format!(
                            "La richiesta {protocollo} ({label}) è stata {} dalla sede: {m}",
                            if stato == Stato::Accolta { "accolta" } else { "non accolta" }
                        )
                    }),
                )
            }
        };
        audit::append(
            &mut tx,
            &caller.actor(s),
            Entry {
                before: Some(serde_json::json!({ "stato": stato, "version": version })),
                after: Some(after),
                ..Entry::richiesta(protocollo, audit_action)
            },
        )
        .await?;
        if let Some(testo) = notify {
            crate::richieste::notifications::queue_notification(
                &mut tx,
                ambito.soggetto,
                id,
                &testo,
                &format!("INPS {protocollo}: aggiornamento dalla sede"),
                &testo,
            )
            .await?;
        }
        tx.commit().await?;
        self.operator_request(caller, protocollo).await
    }
}
