//! A stored request as the contributor sees it: the row, its checks (from the stored decision)
//! and its timeline.

use super::decision::{Check, Trace};
use super::soggetto::Soggetto;
use crate::error::{AppError, AppResult};
use crate::identity::Caller;
use crate::identity::access;
use crate::infra::db::dialect;
use crate::services::Services;
use shared::dto::{EventView, RequestSummary, RequestView, Stato};
use shared::smart_task::Kind;
use sqlx::Row;
use std::collections::HashMap;

impl Services {
    /// One request, if the caller submitted it or may act today for the subject it belongs to.
    pub async fn request_view(&self, caller: &Caller, protocollo: &str) -> AppResult<RequestView> {
        let s = caller.require()?;
        if !s.user.role.writes_as_person() {
            access::require_company_role(&s.user)?;
        }
        let r = sqlx::query(&format!("SELECT {REQUEST_COLUMNS} FROM richieste WHERE protocollo = $1"))
            .bind(protocollo)
            .fetch_optional(&self.db.read)
            .await?
            .ok_or_else(|| AppError::NotFound("Richiesta non trovata.".into()))?;
        // Whoever submitted a request may always read it, even after losing the delega (e.g. by
        // revoking their own): it is their act. Everyone else needs the right to act for the
        // company today (a person: its own requests).
        if r.try_get::<i64, _>("richiedente_user_id")? != s.user.id {
            self.authorize_request_subject(&s.user, Soggetto::of_row(&r)?, "Richiesta non trovata.").await?;
        }
        let id: i64 = r.try_get("id")?;
        let mut events = self.events_for(&[id]).await?;
        let mut v = to_view(&r, &mut events)?;
        v.messaggi_sede = self.request_notes(id, true).await?;
        v.allegati = self.attachments(id).await?;
        Ok(v)
    }

    /// The timelines of several requests in one query, by request id.
    pub(crate) async fn events_for(&self, ids: &[i64]) -> AppResult<HashMap<i64, Vec<EventView>>> {
        let mut out: HashMap<i64, Vec<EventView>> = HashMap::new();
        if ids.is_empty() {
            return Ok(out);
        }
        let placeholders = dialect::Params::new(self.db.engine).list(ids.len());
        let sql = format!(
            "SELECT richiesta_id, stato, at, nota FROM richieste_eventi WHERE richiesta_id IN ({placeholders}) ORDER BY id"
        );
        let mut q = sqlx::query(&sql);
        for id in ids {
            q = q.bind(*id);
        }
        for e in q.fetch_all(&self.db.read).await? {
            out.entry(e.try_get("richiesta_id")?).or_default().push(EventView {
                stato: e.try_get("stato")?,
                at: e.try_get("at")?,
                nota: e.try_get("nota")?,
            });
        }
        Ok(out)
    }
}

/// The state of a stored request (a value the code does not know is a corrupted row).
pub(crate) fn stato_of(r: &sqlx::any::AnyRow) -> AppResult<Stato> {
    let s: String = r.try_get("stato")?;
    Stato::from_code(&s).ok_or_else(|| AppError::Internal(format!("stato di richiesta sconosciuto: {s}")))
}

pub(crate) const REQUEST_COLUMNS: &str = "id, protocollo, tipo, contribuente_id, persona_id, sede_id, richiedente_user_id, oggetto, risposte_json, stato, \
     data_riferimento, esito_motivo, ruleset, decisione_json, created_at";

pub(crate) const SUMMARY_COLUMNS: &str = "protocollo, tipo, oggetto, stato, created_at";

/// A request as a list shows it (selected with [`SUMMARY_COLUMNS`]).
pub(crate) fn to_summary(r: &sqlx::any::AnyRow) -> AppResult<RequestSummary> {
    let tipo: String = r.try_get("tipo")?;
    let stato = stato_of(r)?;
    Ok(RequestSummary {
        protocollo: r.try_get("protocollo")?,
        descrizione: descrizione(&tipo, &r.try_get::<String, _>("oggetto")?),
        smart_task: tipo != shared::comunicazioni::TIPO,
        stato_label: stato.label().into(),
        stato,
        inviata_il: r.try_get("created_at")?,
    })
}

/// What a request is about: a Smart-Task's kind, a two-way request's object.
fn descrizione(tipo: &str, oggetto: &str) -> String {
    if tipo == shared::comunicazioni::TIPO {
        shared::dto::oggetto_bidirezionale_label(oggetto).unwrap_or_default()
    } else {
        Kind::from_code(tipo).map(|k| k.label().to_string()).unwrap_or_default()
    }
}

/// A Smart-Task request as its submission stored it.
pub(crate) struct Submitted {
    pub protocollo: String,
    pub kind: Kind,
    pub soggetto_id: i64,
    pub oggetto: String,
    pub risposte: std::collections::BTreeMap<String, String>,
    pub data_riferimento: String,
    pub at: String,
}

/// What [`to_view`] reads back of a request just submitted: state *Inviata* with its first
/// event, no decision, notes or attachments yet.
pub(crate) fn submitted_view(s: Submitted) -> RequestView {
    let stato = Stato::Inviata;
    RequestView {
        protocollo: s.protocollo,
        descrizione: s.kind.label().to_string(),
        tipo: s.kind.code().to_string(),
        smart_task: true,
        soggetto_id: Some(s.soggetto_id),
        oggetto: s.oggetto,
        stato_label: stato.label().into(),
        stato,
        data_riferimento: s.data_riferimento,
        inviata_il: s.at.clone(),
        risposte: s.risposte,
        motivo: None,
        ruleset: None,
        controlli: vec![],
        eventi: vec![EventView { stato: stato.code().into(), at: s.at, nota: None }],
        messaggi_sede: vec![],
        allegati: vec![],
    }
}

/// A stored request as the contributor sees it: the checks without the facts they read.
pub(crate) fn to_view(r: &sqlx::any::AnyRow, events: &mut HashMap<i64, Vec<EventView>>) -> AppResult<RequestView> {
    let id: i64 = r.try_get("id")?;
    let tipo: String = r.try_get("tipo")?;
    let stato = stato_of(r)?;
    let controlli = Trace::of(r)?.map(|t| t.decisione.checks.iter().map(Check::view).collect()).unwrap_or_default();
    let two_way = tipo == shared::comunicazioni::TIPO;
    let oggetto: String = r.try_get("oggetto")?;
    Ok(RequestView {
        protocollo: r.try_get("protocollo")?,
        descrizione: descrizione(&tipo, &oggetto),
        tipo,
        smart_task: !two_way,
        soggetto_id: r.try_get("contribuente_id")?,
        oggetto,
        stato_label: stato.label().into(),
        stato,
        data_riferimento: r.try_get("data_riferimento")?,
        inviata_il: r.try_get("created_at")?,
        risposte: serde_json::from_str(&r.try_get::<String, _>("risposte_json")?).unwrap_or_default(),
        motivo: r.try_get("esito_motivo")?,
        ruleset: r.try_get("ruleset")?,
        controlli,
        eventi: events.remove(&id).unwrap_or_default(),
        messaggi_sede: vec![],
        allegati: vec![],
    })
}
