//! What the kinds granting an authorisation code (15: 1R, 16: 9R) share: the headcount read
//! from the UniEmens workforce of all the company's matricole (part-time pro rata, apprentices
//! excluded: d.lgs. 81/2015 artt. 9 and 47), the codes already on its matricole, and the code's
//! assignment, applied once with audit.

use crate::error::AppResult;
use crate::infra::audit::{Deferred, Entry};
use crate::infra::clock;
use crate::infra::db::exec::Exec;
use crate::infra::db::readers::Readers;
use crate::vals;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use shared::periodo::Periodo;
use sqlx::Row;

/// Full-time equivalents of a month, in hundredths (19.5 workers = 1950).
/// (PostgreSQL sums BIGINT as NUMERIC: cast back.)
const FTE_MESE: &str = "CAST(SUM(f.tempo_pieno * 100 + f.part_time_centesimi) AS BIGINT)";

/// The company's headcount in `periodo`, in hundredths, over all its matricole.
pub async fn forza_mese(pool: &Readers, contribuente_id: i64, periodo: Periodo) -> AppResult<i64> {
    let sql = format!(
        "SELECT COALESCE({FTE_MESE}, CAST(0 AS BIGINT)) FROM uniemens_forza_lavoro f JOIN posizioni p ON p.id = f.posizione_id
         WHERE p.contribuente_id = $1 AND f.periodo = $2"
    );
    let n: i64 = sqlx::query(&sql).bind(contribuente_id).bind(periodo.key()).fetch_one(pool).await?.try_get(0)?;
    Ok(n)
}

/// The company's average headcount over the calendar year `anno` (months without workers count
/// as zero), in hundredths, and how many months had a declaration.
pub async fn media_annua(pool: &Readers, contribuente_id: i64, anno: i32) -> AppResult<(i64, i64)> {
    let sql = format!(
        "SELECT f.periodo, {FTE_MESE} AS fte FROM uniemens_forza_lavoro f JOIN posizioni p ON p.id = f.posizione_id
         WHERE p.contribuente_id = $1 AND f.periodo >= $2 AND f.periodo <= $3 GROUP BY f.periodo"
    );
    let rows = sqlx::query(&sql)
        .bind(contribuente_id)
        .bind(format!("{anno:04}-01"))
        .bind(format!("{anno:04}-12"))
        .fetch_all(pool)
        .await?;
    let mut totale: i64 = 0;
    for r in &rows {
        totale = totale.saturating_add(r.try_get::<i64, _>("fte")?);
    }
    Ok((totale / 12, rows.len() as i64))
}

/// Hundredths as Italians write a headcount: 19,5 – 52 – 60,25.
pub fn unita(centesimi: i64) -> String {
    let (int, frac) = (centesimi / 100, centesimi % 100);
    match frac {
        0 => int.to_string(),
        f if f % 10 == 0 => format!("{int},{}", f / 10),
        f => format!("{int},{f:02}"),
    }
}

/// The first day from which `codice` is on one of the company's matricole, if it is on any
/// (open, or still in force on `dal`).
pub async fn codice_presente(
    pool: &Readers,
    contribuente_id: i64,
    codice: &str,
    dal: NaiveDate,
) -> AppResult<Option<NaiveDate>> {
    let r = sqlx::query(
        "SELECT MIN(c.dal) FROM posizioni_codici c JOIN posizioni p ON p.id = c.posizione_id
         WHERE p.contribuente_id = $1 AND c.codice = $2 AND (c.al IS NULL OR c.al >= $3)",
    )
    .bind(contribuente_id)
    .bind(codice)
    .bind(dal.format("%Y-%m-%d").to_string())
    .fetch_one(pool)
    .await?;
    let d: Option<String> = r.try_get(0)?;
    Ok(d.as_deref().and_then(clock::parse_date))
}

/// The company's matricole that receive a company-wide code: all but those ceased for good or failed.
pub async fn matricole_in_essere(pool: &Readers, contribuente_id: i64) -> AppResult<Vec<(i64, String)>> {
    let rows = sqlx::query(
        "SELECT id, matricola FROM posizioni WHERE contribuente_id = $1 AND stato NOT IN (3, 6) ORDER BY matricola",
    )
    .bind(contribuente_id)
    .fetch_all(pool)
    .await?;
    rows.iter().map(|r| Ok((r.try_get("id")?, r.try_get("matricola")?))).collect()
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "tipo", rename_all = "snake_case")]
pub enum Effect {
    /// `codice` on each of `posizioni` from `dal` (to `al`, or open). A `unico` code (1R) is
    /// never assigned over a period it already covers; others (9R: one per replacement) may be.
    AssegnaCodice {
        codice: String,
        posizioni: Vec<i64>,
        dal: NaiveDate,
        al: Option<NaiveDate>,
        #[serde(default)]
        unico: bool,
    },
}

/// Assigns the code to every matricola if none of them has it in the meantime (all or none).
pub async fn apply(conn: &mut dyn Exec, trail: &mut Deferred, e: &Effect) -> AppResult<Result<(), String>> {
    let Effect::AssegnaCodice { codice, posizioni, dal, al, unico } = e;
    let day = |d: &NaiveDate| d.format("%Y-%m-%d").to_string();
    let now = clock::now_ts();
    for p in posizioni.iter().filter(|_| *unico) {
        // Overlapping periods: an open one, or one ending on or after `dal` and starting by `al`.
        let gia = conn
            .fetch_one(
                "SELECT COUNT(*) FROM posizioni_codici WHERE posizione_id = $1 AND codice = $2
                 AND (al IS NULL OR al >= $3) AND dal <= $4",
                vals![*p, codice, day(dal), al.as_ref().map(day).unwrap_or_else(|| "9999-12-31".into())],
            )
            .await?
            .int(0)?;
        if gia > 0 {
            return Ok(Err(format!(
                "Nel frattempo il codice {codice} è stato attribuito: non è stato attribuito di nuovo."
            )));
        }
    }
    // The request that assigned it (the actor of an effect carries its protocol).
    let origine = trail.actor().request_id.clone().unwrap_or_else(|| trail.actor().name.clone());
    for p in posizioni {
        conn.execute(
            "INSERT INTO posizioni_codici (posizione_id, codice, dal, al, origine, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
            vals![*p, codice, day(dal), al.as_ref().map(day), &origine, &now],
        )
        .await?;
        let entry = Entry {
            entity: "posizione",
            entity_id: p.to_string(),
            action: "codice_autorizzazione",
            before: None,
            after: Some(serde_json::json!({ "codice": codice, "dal": dal, "al": al })),
            note: None,
        };
        trail.record(entry);
    }
    Ok(Ok(()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headcounts_read_as_italians_write_them() {
        assert_eq!(unita(1950), "19,5");
        assert_eq!(unita(2000), "20");
        assert_eq!(unita(6025), "60,25");
    }
}
