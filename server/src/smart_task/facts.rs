//! Loads the facts snapshot a decision reads: the facts every kind shares and the parameters
//! in force on the reference date here, the kind's own facts in its file (all the I/O of the
//! examination happens before the pure decision).

use super::engine::{CommonFacts, Snapshot};
use super::kind::{FactsCx, RequestRow};
use super::kinds::examiner;
use crate::error::{AppError, AppResult};
use crate::identity::access::{self, User};
use chrono::NaiveDate;
use shared::dto::{AccessBasis, Stato};
use shared::smart_task::Answers;
use sqlx::{AnyPool, Row};
use std::collections::BTreeMap;

/// Parameters in force on `date`: for each name, the value with the latest `valido_dal <= date`.
pub async fn parameters(pool: &AnyPool, date: NaiveDate) -> AppResult<BTreeMap<String, String>> {
    let day = date.format("%Y-%m-%d").to_string();
    let rows = sqlx::query(
        "SELECT p.nome, p.valore FROM parametri p
         WHERE p.valido_dal = (SELECT MAX(q.valido_dal) FROM parametri q WHERE q.nome = p.nome AND q.valido_dal <= $1)",
    )
    .bind(&day)
    .fetch_all(pool)
    .await?;
    rows.iter().map(|r| Ok((r.try_get("nome")?, r.try_get("valore")?))).collect()
}

/// A parameter's dated values, oldest first.
pub async fn parameters_series(pool: &AnyPool, nome: &str) -> AppResult<Vec<(NaiveDate, String)>> {
    let rows = sqlx::query("SELECT valido_dal, valore FROM parametri WHERE nome = $1 ORDER BY valido_dal")
        .bind(nome)
        .fetch_all(pool)
        .await?;
    rows.iter()
        .map(|r| {
            let dal: String = r.try_get("valido_dal")?;
            let dal = crate::infra::clock::parse_date(&dal)
                .ok_or_else(|| AppError::Internal(format!("parametro {nome}: data {dal}")))?;
            Ok((dal, r.try_get("valore")?))
        })
        .collect()
}

pub async fn load(pool: &AnyPool, req: &RequestRow, requester: &User, answers: &Answers) -> AppResult<Snapshot> {
    let titolo = match access::authorize_subject(pool, requester, req.contribuente_id, req.data_riferimento).await {
        Ok(s) => Some(s.basis),
        Err(AppError::Forbidden(_)) => None,
        Err(e) => return Err(e),
    };
    let sql = format!(
        "SELECT COUNT(*) FROM richieste WHERE tipo = $1 AND oggetto = $2 AND contribuente_id = $3
         AND stato IN ({}) AND id < $4",
        Stato::sql_list(|s| !s.is_final())
    );
    let aperte: i64 = sqlx::query(&sql)
        .bind(req.kind.code())
        .bind(&req.oggetto)
        .bind(req.contribuente_id)
        .bind(req.id)
        .fetch_one(pool)
        .await?
        .try_get(0)?;
    let common = CommonFacts {
        data_riferimento: req.data_riferimento,
        titolo_richiedente: titolo.as_ref().map(|b| match b {
            AccessBasis::RappresentanteLegale { ruolo } if ruolo == "titolare" => "titolare".to_string(),
            AccessBasis::RappresentanteLegale { .. } => "rappresentante legale".to_string(),
            AccessBasis::Delega { ruolo, .. } => format!("delegato ({ruolo})"),
        }),
        richieste_aperte_stesso_oggetto: aperte,
    };
    let rappresentante_legale = matches!(titolo, Some(AccessBasis::RappresentanteLegale { .. }));
    let cx = FactsCx { pool, req, requester, rappresentante_legale };
    let examiner = examiner(req.kind);
    let kind = examiner.load_facts(&cx, answers).await?;
    let data_parametri = examiner.parameters_date(&req.oggetto, answers);
    let parametri = parameters(pool, data_parametri.unwrap_or(req.data_riferimento)).await?;
    Ok(Snapshot { common, kind, parametri, data_parametri })
}
