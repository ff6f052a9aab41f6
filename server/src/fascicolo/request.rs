//! A request as the operator sees it: what each check read, the parameters, the audit trail,
//! and the replay of its decision under today's rules.

use crate::error::{AppError, AppResult};
use crate::identity::Caller;
use crate::identity::access::User;
use crate::infra::audit::{self};
use crate::richieste::decision::{Check, Trace};
use crate::richieste::view::{REQUEST_COLUMNS, to_view};
use crate::services::Services;
use crate::smart_task::engine;
use crate::smart_task::kinds::examiner;
use shared::dto::{OperatorRequestView, ReplayView};
use shared::smart_task::{Answers, Kind};
use sqlx::Row;
use sqlx::any::AnyRow;

impl Services {
    /// A request as an operator reads it. Not an operator: refused before looking, so not even
    /// a protocol's existence shows.
    pub(crate) async fn request_row(&self, user: &User, protocollo: &str) -> AppResult<AnyRow> {
        crate::identity::scope::scope(user)?;
        sqlx::query(&format!("SELECT {REQUEST_COLUMNS}, version, operatore_id FROM richieste WHERE protocollo = $1"))
            .bind(protocollo)
            .fetch_optional(&self.db.read)
            .await?
            .ok_or_else(|| AppError::NotFound("Richiesta non trovata.".into()))
    }

    pub async fn operator_request(&self, caller: &Caller, protocollo: &str) -> AppResult<OperatorRequestView> {
        let s = caller.require()?;
        let row = self.request_row(&s.user, protocollo).await?;
        let ambito = self.request_in_scope(&s.user, &row, "Richiesta non trovata.").await?;
        let id: i64 = row.try_get("id")?;
        let mut events = self.events_for(&[id]).await?;
        let mut richiesta = to_view(&row, &mut events)?;
        richiesta.allegati = self.attachments(id).await?;
        let (letti, effetti, fatti) = match Trace::of(&row)? {
            Some(t) => (
                t.decisione.checks.iter().map(|c| (c.codice.clone(), pretty(&c.letti))).collect(),
                t.decisione.effects.iter().map(pretty).collect(),
                Some(pretty(&t.fatti)),
            ),
            None => (vec![], vec![], None),
        };
        let audit = sqlx::query(&format!(
            "SELECT {} FROM audit_log WHERE request_id = $1 OR (entity = 'richiesta' AND entity_id = $1) ORDER BY seq",
            audit::RECORD_COLUMNS
        ))
        .bind(protocollo)
        .fetch_all(&self.db.read)
        .await?
        .iter()
        .map(audit::record_view)
        .collect::<AppResult<Vec<_>>>()?;
        let operatore_in_carico = match row.try_get::<Option<i64>, _>("operatore_id")? {
            Some(uid) => Some(
                sqlx::query("SELECT display_name FROM users WHERE id = $1")
                    .bind(uid)
                    .fetch_one(&self.db.read)
                    .await?
                    .try_get(0)?,
            ),
            None => None,
        };
        Ok(OperatorRequestView {
            richiesta,
            schede_presto: self.schede_presto(ambito.soggetto).await?,
            ragione_sociale: ambito.denominazione,
            letti,
            effetti,
            fatti,
            audit,
            note: self.request_notes(id, false).await?,
            operatore_in_carico,
            puo_agire: ambito.puo_agire,
            version: row.try_get("version")?,
        })
    }

    /// Re-runs the decision on the stored snapshot with today's rules and compares.
    pub async fn replay(&self, caller: &Caller, protocollo: &str) -> AppResult<ReplayView> {
        let s = caller.require()?;
        let row = self.request_row(&s.user, protocollo).await?;
        self.request_in_scope(&s.user, &row, "Richiesta non trovata.").await?;
        let Trace { decisione: stored, fatti: snapshot } = Trace::of(&row)?.ok_or_else(|| {
            AppError::Conflict("La richiesta non è ancora stata decisa: non c'è nulla da rieseguire.".into())
        })?;
        let tipo: String = row.try_get("tipo")?;
        let kind = Kind::from_code(&tipo).ok_or_else(|| AppError::Internal(format!("tipo {tipo}")))?;
        let answers: Answers = serde_json::from_str(&row.try_get::<String, _>("risposte_json")?)
            .map_err(|e| AppError::Internal(format!("risposte: {e}")))?;
        let oggetto: String = row.try_get("oggetto")?;
        let again = examiner(kind).decide(kind, &oggetto, &answers, &snapshot)?;
        // A concurrency refusal is added at commit time, outside the pure decision.
        let mut stored_checks = stored.checks.clone();
        let concurrency = stored_checks.iter().any(|c| c.codice == "ST00.EFFETTO_APPLICABILE");
        stored_checks.retain(|c| c.codice != "ST00.EFFETTO_APPLICABILE");
        let mut differenze = vec![];
        if stored.ruleset != engine::RULESET {
            differenze.push(format!(
                "Le regole sono cambiate: la decisione è stata presa con la versione {}, oggi è in vigore la {}.",
                stored.ruleset,
                engine::RULESET
            ));
        }
        if stored_checks != again.checks {
            for (a, b) in stored_checks.iter().zip(again.checks.iter()) {
                if a != b {
                    differenze.push(format!("Il controllo {} dà ora un esito diverso: {}", b.codice, b.motivo));
                }
            }
            if stored_checks.len() != again.checks.len() {
                differenze.push(format!(
                    "Controlli eseguiti: {} allora, {} oggi.",
                    stored_checks.len(),
                    again.checks.len()
                ));
            }
        }
        if !concurrency && stored.effects != again.effects {
            differenze.push("Gli effetti calcolati sono diversi.".into());
        }
        let label = |o: engine::Outcome| match o {
            engine::Outcome::Accolta => "accolta",
            engine::Outcome::NonAccolta => "non accolta",
            engine::Outcome::InCaricoSede => "in carico alla sede",
        };
        let esito_memorizzato = if concurrency {
            format!("{} (effetto non applicabile al momento del salvataggio)", label(stored.outcome))
        } else {
            label(stored.outcome).to_string()
        };
        Ok(ReplayView {
            identica: differenze.is_empty(),
            ruleset_memorizzato: stored.ruleset.clone(),
            ruleset_attuale: engine::RULESET.into(),
            esito_memorizzato,
            esito_ricalcolato: label(again.outcome).into(),
            controlli_ricalcolati: again.checks.iter().map(Check::view).collect(),
            differenze,
        })
    }
}

/// Stored data as JSON text, for the operator's label–value lists.
fn pretty<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string_pretty(v).unwrap_or_default()
}
