//! What the position-state kinds (9 suspension, 10 reactivation, 11 provisional cessation)
//! share: the position as the examination reads it (state, since when, the last month with
//! workers in UniEmens), the positions offered as targets, and the state change they apply,
//! with its dated history and audit.

use crate::error::AppResult;
use crate::infra::audit::{Deferred, Entry};
use crate::infra::clock;
use crate::infra::db::exec::Exec;
use crate::infra::db::readers::Readers;
use crate::smart_task::engine::{Check, Rule};
use crate::smart_task::kind::{FactsCx, RuleCx, SmartTaskKind, TargetCx};
use crate::smart_task::targets::target;
use crate::vals;
use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};
use shared::dto::{FieldError, TargetView};
use shared::periodo::Periodo;
use shared::posizione::StatoPosizione;
use shared::smart_task::Answers;
use shared::time::format_date_it;
use sqlx::Row;

/// A position of the contributor, as the examination reads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Posizione {
    pub posizione_id: i64,
    pub matricola: String,
    pub stato: StatoPosizione,
    pub stato_dal: NaiveDate,
    /// The last month with at least one worker declared in UniEmens (None: never).
    pub ultimo_periodo_con_lavoratori: Option<Periodo>,
}

/// What a position-state kind reads: the position, if it is the contributor's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Facts {
    pub posizione: Option<Posizione>,
}

/// A position-state kind (9, 10, 11): its own request and rules; the facts it reads, the
/// targets it offers and the change it applies are the same for all three.
pub trait CambioStato: Send + Sync + 'static {
    type Request: Send + Sync;
    /// The `tipo` tag of the facts in the stored trace.
    const FACTS: &'static str;
    fn parse(oggetto: &str, a: &Answers) -> Result<Self::Request, Vec<FieldError>>;
    fn posizione_id(r: &Self::Request) -> i64;
    fn rules(r: &Self::Request, f: &Facts, cx: &RuleCx<'_>) -> (Vec<Check>, Vec<Effect>);
}

impl<K: CambioStato> SmartTaskKind for K {
    type Request = K::Request;
    type Facts = Facts;
    type Effect = Effect;
    const FACTS: &'static str = K::FACTS;

    fn parse(&self, oggetto: &str, a: &Answers) -> Result<K::Request, Vec<FieldError>> {
        K::parse(oggetto, a)
    }

    async fn targets(&self, cx: &TargetCx<'_>) -> AppResult<Vec<TargetView>> {
        targets(cx).await
    }

    async fn load(&self, cx: &FactsCx<'_>, r: &K::Request) -> AppResult<Facts> {
        Ok(Facts { posizione: load(cx.pool, cx.req.contribuente_id, K::posizione_id(r)).await? })
    }

    fn rules(&self, r: &K::Request, f: &Facts, cx: &RuleCx<'_>) -> (Vec<Check>, Vec<Effect>) {
        K::rules(r, f, cx)
    }

    async fn apply(&self, conn: &mut dyn Exec, trail: &mut Deferred, e: &Effect) -> AppResult<Result<(), String>> {
        apply(conn, trail, e).await
    }

    async fn matricola(&self, pool: &Readers, contribuente_id: i64, r: &K::Request) -> AppResult<Option<String>> {
        matricola(pool, contribuente_id, K::posizione_id(r)).await
    }
}

fn stato_of(code: i64) -> AppResult<StatoPosizione> {
    StatoPosizione::from_code(code)
        .ok_or_else(|| crate::error::AppError::Internal(format!("stato di posizione sconosciuto: {code}")))
}

/// A position with the last month it declared workers in UniEmens, in one statement.
const POSIZIONE: &str = "SELECT p.id, p.matricola, p.stato, p.stato_dal,
        (SELECT MAX(f.periodo) FROM uniemens_forza_lavoro f
         WHERE f.posizione_id = p.id AND f.tempo_pieno + f.part_time + f.apprendisti > 0) AS ultimo
     FROM posizioni p";

fn posizione(r: &sqlx::any::AnyRow) -> AppResult<Posizione> {
    let ultimo: Option<String> = r.try_get("ultimo")?;
    Ok(Posizione {
        posizione_id: r.try_get("id")?,
        matricola: r.try_get("matricola")?,
        stato: stato_of(r.try_get("stato")?)?,
        stato_dal: clock::stored_date(&r.try_get::<String, _>("stato_dal")?)?,
        ultimo_periodo_con_lavoratori: ultimo.and_then(|p| Periodo::parse(&p).ok()),
    })
}

/// The position `posizione_id` if it is the contributor's (None otherwise: another's position
/// and a missing one read the same).
pub async fn load(pool: &Readers, contribuente_id: i64, posizione_id: i64) -> AppResult<Option<Posizione>> {
    let sql = format!("{POSIZIONE} WHERE p.id = $1 AND p.contribuente_id = $2");
    let r = sqlx::query(&sql).bind(posizione_id).bind(contribuente_id).fetch_optional(pool).await?;
    r.as_ref().map(posizione).transpose()
}

/// The contributor's positions that may still change state (not ceased for good, not failed),
/// with their state and the last month with workers: the examination explains a wrong state.
pub async fn targets(cx: &TargetCx<'_>) -> AppResult<Vec<TargetView>> {
    let sql = format!("{POSIZIONE} WHERE p.contribuente_id = $1 AND p.stato NOT IN (3, 6) ORDER BY p.matricola");
    let rows = sqlx::query(&sql).bind(cx.subject.id).fetch_all(cx.pool).await?;
    rows.iter()
        .map(|r| {
            let p = posizione(r)?;
            let dal = format_date_it(p.stato_dal);
            let ultimo = p.ultimo_periodo_con_lavoratori.map(|u| u.to_string()).unwrap_or_else(|| "nessuno".into());
            Ok(target(
                p.posizione_id,
                format!("Matricola {} – {} dal {dal}", p.matricola, p.stato.label()),
                vec![
                    ("Matricola", p.matricola),
                    ("Stato", p.stato.label().to_string()),
                    ("Dal", dal),
                    ("Ultimo mese con lavoratori (UniEmens)", ultimo),
                ],
            ))
        })
        .collect()
}

pub async fn matricola(pool: &Readers, contribuente_id: i64, posizione_id: i64) -> AppResult<Option<String>> {
    let q = sqlx::query("SELECT matricola FROM posizioni WHERE id = $1 AND contribuente_id = $2")
        .bind(posizione_id)
        .bind(contribuente_id);
    Ok(q.fetch_optional(pool).await?.map(|r| r.try_get(0)).transpose()?)
}

/// The position is the contributor's; nothing tells another's from a missing one.
pub fn del_contribuente(rule: &Rule, p: Option<&Posizione>) -> Check {
    rule.check(
        p.is_some(),
        format!("La matricola {} è del contribuente.", p.map(|p| p.matricola.as_str()).unwrap_or("")),
        "La posizione indicata non esiste o non appartiene a questo contribuente.",
        serde_json::json!({ "trovata": p.is_some() }),
    )
}

/// The position is in one of the states `ammessi`.
pub fn in_stato(rule: &Rule, p: &Posizione, ammessi: &[StatoPosizione], cosa: &str) -> Check {
    let nomi: Vec<String> = ammessi.iter().map(|s| s.label().to_lowercase()).collect();
    rule.check(
        ammessi.contains(&p.stato),
        format!("La posizione è {} dal {}.", p.stato.label().to_lowercase(), format_date_it(p.stato_dal)),
        format!(
            "La posizione è {} dal {}: {cosa} solo una posizione {}.",
            p.stato.label().to_lowercase(),
            format_date_it(p.stato_dal),
            nomi.join(" o ")
        ),
        serde_json::json!({ "stato": p.stato, "stato_dal": p.stato_dal, "stati_ammessi": ammessi }),
    )
}

/// The new state begins after the current one did (the history stays a sequence of periods).
pub fn dopo_stato_attuale(rule: &Rule, p: &Posizione, dal: NaiveDate) -> Check {
    rule.check(
        dal > p.stato_dal,
        format!("La data indicata è successiva all'inizio dello stato attuale ({}).", format_date_it(p.stato_dal)),
        format!(
            "La posizione è {} dal {}: la data indicata deve essere successiva.",
            p.stato.label().to_lowercase(),
            format_date_it(p.stato_dal)
        ),
        serde_json::json!({ "data": dal, "stato_dal": p.stato_dal }),
    )
}

/// No worker declared in UniEmens for a month after the one of `dal`.
pub fn nessun_lavoratore_dopo(rule: &Rule, p: &Posizione, dal: NaiveDate) -> Check {
    let mese = Periodo::of(dal);
    let ok = p.ultimo_periodo_con_lavoratori.is_none_or(|u| u <= mese);
    let ultimo = p.ultimo_periodo_con_lavoratori.map(|u| u.to_string());
    rule.check(
        ok,
        match &ultimo {
            Some(u) => format!("L'ultimo mese con lavoratori dichiarati in UniEmens è {u}, non successivo a {mese}."),
            None => "Non risultano lavoratori dichiarati in UniEmens.".to_string(),
        },
        format!(
            "Nelle denunce UniEmens risultano lavoratori fino a {}: la data non può precedere quel mese. Se le denunce sono errate, inviare prima le variazioni UniEmens.",
            ultimo.as_deref().unwrap_or("")
        ),
        serde_json::json!({ "mese_data": mese, "ultimo_periodo_con_lavoratori": p.ultimo_periodo_con_lavoratori }),
    )
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "tipo", rename_all = "snake_case")]
pub enum Effect {
    /// The position passes from `da` (held since `da_dal`) to `a` from `dal`.
    CambiaStatoPosizione { posizione_id: i64, da: StatoPosizione, da_dal: NaiveDate, a: StatoPosizione, dal: NaiveDate },
}

pub fn cambia(p: &Posizione, a: StatoPosizione, dal: NaiveDate) -> Effect {
    Effect::CambiaStatoPosizione { posizione_id: p.posizione_id, da: p.stato, da_dal: p.stato_dal, a, dal }
}

/// Applies the change if the position is still as read; closes the current period of the
/// history the day before (the same day when the new state starts the day the last did).
pub async fn apply(conn: &mut dyn Exec, trail: &mut Deferred, e: &Effect) -> AppResult<Result<(), String>> {
    let Effect::CambiaStatoPosizione { posizione_id, da, da_dal, a, dal } = e;
    let now = clock::now_ts();
    let day = |d: NaiveDate| d.format("%Y-%m-%d").to_string();
    let n = conn
        .execute(
            "UPDATE posizioni SET stato = $1, stato_dal = $2, updated_at = $3, version = version + 1
             WHERE id = $4 AND stato = $5 AND stato_dal = $6",
            vals![a.code(), day(*dal), &now, *posizione_id, da.code(), day(*da_dal)],
        )
        .await?;
    if n != 1 {
        return Ok(Err(
            "Nel frattempo lo stato della posizione è cambiato: la variazione non è stata applicata.".into()
        ));
    }
    let chiusura = day((*dal - Duration::days(1)).max(*da_dal));
    conn.execute(
        "UPDATE posizioni_stati SET al = $1 WHERE posizione_id = $2 AND al IS NULL",
        vals![&chiusura, *posizione_id],
    )
    .await?;
    conn.execute(
        "INSERT INTO posizioni_stati (posizione_id, stato, dal, created_at) VALUES ($1, $2, $3, $4)",
        vals![*posizione_id, a.code(), day(*dal), &now],
    )
    .await?;
    let entry = Entry {
        entity: "posizione",
        entity_id: posizione_id.to_string(),
        action: "cambio_stato",
        before: Some(serde_json::json!({ "stato": da.label(), "dal": da_dal })),
        after: Some(serde_json::json!({ "stato": a.label(), "dal": dal })),
        note: None,
    };
    trail.record(entry);
    Ok(Ok(()))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn posizione(stato: StatoPosizione, dal: &str, ultimo: Option<&str>) -> Posizione {
        Posizione {
            posizione_id: 7,
            matricola: "1234567890".into(),
            stato,
            stato_dal: clock::parse_date(dal).unwrap(),
            ultimo_periodo_con_lavoratori: ultimo.map(|u| Periodo::parse(u).unwrap()),
        }
    }

    pub(crate) fn d(s: &str) -> NaiveDate {
        clock::parse_date(s).unwrap()
    }
}
