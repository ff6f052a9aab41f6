//! `server seed --prestazioni N`: grows `prestazioni` to N rows for measuring the limit checks
//! on a large table. The rows are spread over 1,000 utilizzatori and 1,000 prestatori of their
//! own (generated, with valid codici fiscali), so no real or demo subject's counters change.

use super::codice_fiscale;
use crate::error::AppResult;
use crate::infra::clock;
use crate::infra::db::Db;
use chrono::{Datelike, Duration, NaiveDate};
use sqlx::Row;

const SUBJECTS: i64 = 1000;
const MARK: &str = "SCALA";

async fn one(db: &Db, sql: &str) -> AppResult<i64> {
    Ok(sqlx::query(sql).fetch_one(&db.write).await?.try_get(0)?)
}

/// The generated utilizzatori (ATECO marked `SCALA`) and their prestatori, made once.
async fn subjects(db: &Db) -> AppResult<(i64, i64)> {
    let have = one(db, "SELECT COUNT(*) FROM utilizzatori WHERE ateco = 'SCALA'").await?;
    if have == 0 {
        let now = clock::now_ts();
        let sede = one(db, "SELECT MIN(id) FROM sedi").await?;
        let mut tx = db.begin_write().await?;
        let epoch = NaiveDate::from_ymd_opt(1960, 1, 1).unwrap_or_default();
        for k in 0..2 * SUBJECTS {
            // Distinct birth days (and sex for the second thousand) keep every code unique.
            let cf = codice_fiscale("Scala", "Sintetico", epoch + Duration::days(k % SUBJECTS), k >= SUBJECTS, "Z404");
            let pid: i64 = sqlx::query(
                "INSERT INTO persone (codice_fiscale, nome, cognome, created_at, updated_at) VALUES ($1, 'Scala', 'Sintetico', $2, $2) RETURNING id",
            )
            .bind(&cf)
            .bind(&now)
            .fetch_one(&mut *tx)
            .await?
            .try_get(0)?;
            if k < SUBJECTS {
                sqlx::query(
                    "INSERT INTO utilizzatori (persona_id, strumento, categoria, ateco, dipendenti_centesimi, sede_id, created_at, updated_at)
                     VALUES ($1, 'cpo', 'generale', $2, 0, $3, $4, $4)",
                )
                .bind(pid)
                .bind(MARK)
                .bind(sede)
                .bind(&now)
                .execute(&mut *tx)
                .await?;
            } else {
                sqlx::query(
                    "INSERT INTO prestatori (persona_id, modalita_pagamento, sede_id, created_at, updated_at)
                     VALUES ($1, 'bonifico_domiciliato', $2, $3, $3)",
                )
                .bind(pid)
                .bind(sede)
                .bind(&now)
                .execute(&mut *tx)
                .await?;
            }
        }
        tx.commit().await?;
    }
    let u0 = one(db, "SELECT MIN(id) FROM utilizzatori WHERE ateco = 'SCALA'").await?;
    let p0 = one(
        db,
        "SELECT MIN(pr.id) FROM prestatori pr JOIN persone p ON p.id = pr.persona_id
         WHERE p.nome = 'Scala' AND p.cognome = 'Sintetico'",
    )
    .await?;
    Ok((u0, p0))
}

/// Adds synthetic prestazioni of the current year until the table holds `target` rows;
/// returns how many were added.
pub async fn grow_prestazioni(db: &Db, target: i64) -> AppResult<i64> {
    let have = one(db, "SELECT COUNT(*) FROM prestazioni").await?;
    if have >= target {
        return Ok(0);
    }
    let (u0, p0) = subjects(db).await?;
    let anno = clock::today().year();
    let missing = target - have;
    let mut done = 0;
    while done < missing {
        // 200,000 rows per statement: one transaction each keeps the writer responsive.
        let batch = (missing - done).min(200_000);
        sqlx::query(&format!(
            "INSERT INTO prestazioni (utilizzatore_id, prestatore_id, strumento, anno, giorno, minuti, compenso_cents, ivs_cents,
                inail_cents, oneri_cents, costo_cents, peso_limite_cents, stato, controlli_json, revocabile_fino, created_at)
             WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {batch})
             SELECT {u0} + (i % {SUBJECTS}), {p0} + (i % {SUBJECTS}), 'cpo', {anno}, '{anno}-06-15', 240, 3600, 1188, 126, 50,
                    4964, 3600, 'inserita', '[]', '{anno}-06-18', '{anno}-06-14' FROM n"
        ))
        .execute(&db.write)
        .await?;
        done += batch;
    }
    Ok(missing)
}
