//! The contribution data of the contributor's file that the Smart-Task kinds 9–17 read: the
//! UniEmens workforce of the last months, authorisation codes, leaves, DPA.

use super::{it, opt_it};
use crate::error::AppResult;
use crate::infra::db::readers::Readers;
use crate::smart_task::codici::unita;
use shared::dto::Riga;
use shared::periodo::Periodo;
use sqlx::Row;

fn riga(celle: Vec<String>) -> Riga {
    Riga { attenuata: false, celle }
}

fn mese(s: &str) -> String {
    Periodo::parse(s).map(|p| p.to_string()).unwrap_or_else(|_| s.to_string())
}

/// The last 12 months declared, per matricola, newest first.
pub async fn forza_lavoro(pool: &Readers, id: i64) -> AppResult<Vec<Riga>> {
    let rows = sqlx::query(
        "SELECT p.matricola, f.periodo, f.tempo_pieno, f.part_time, f.part_time_centesimi, f.apprendisti
         FROM uniemens_forza_lavoro f JOIN posizioni p ON p.id = f.posizione_id WHERE p.contribuente_id = $1
         ORDER BY f.periodo DESC, p.matricola LIMIT 36",
    )
    .bind(id)
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|r| {
            let (pieno, pt, cent): (i64, i64, i64) =
                (r.try_get("tempo_pieno")?, r.try_get("part_time")?, r.try_get("part_time_centesimi")?);
            Ok(riga(vec![
                r.try_get("matricola")?,
                mese(&r.try_get::<String, _>("periodo")?),
                pieno.to_string(),
                format!("{pt} ({})", unita(cent)),
                r.try_get::<i64, _>("apprendisti")?.to_string(),
                unita(pieno.saturating_mul(100).saturating_add(cent)),
            ]))
        })
        .collect()
}

pub async fn codici(pool: &Readers, id: i64) -> AppResult<Vec<Riga>> {
    let rows = sqlx::query(
        "SELECT p.matricola, c.codice, c.dal, c.al, c.origine FROM posizioni_codici c JOIN posizioni p ON p.id = c.posizione_id
         WHERE p.contribuente_id = $1 ORDER BY c.dal DESC, p.matricola",
    )
    .bind(id)
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(riga(vec![
                r.try_get("matricola")?,
                r.try_get("codice")?,
                it(&r.try_get::<String, _>("dal")?),
                opt_it(r.try_get("al")?),
                r.try_get("origine")?,
            ]))
        })
        .collect()
}

pub async fn congedi(pool: &Readers, id: i64) -> AppResult<Vec<Riga>> {
    let rows = sqlx::query(
        "SELECT p.matricola, c.nominativo, c.codice_fiscale_lavoratore, c.tipo, c.dal, c.al, c.data_evento
         FROM congedi c JOIN posizioni p ON p.id = c.posizione_id WHERE p.contribuente_id = $1 ORDER BY c.dal DESC",
    )
    .bind(id)
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(riga(vec![
                r.try_get("nominativo")?,
                r.try_get("codice_fiscale_lavoratore")?,
                if r.try_get::<String, _>("tipo")? == "paternita" { "paternità" } else { "maternità" }.into(),
                it(&r.try_get::<String, _>("dal")?),
                it(&r.try_get::<String, _>("al")?),
                it(&r.try_get::<String, _>("data_evento")?),
                r.try_get("matricola")?,
            ]))
        })
        .collect()
}

pub async fn dpa(pool: &Readers, id: i64) -> AppResult<Vec<Riga>> {
    let rows = sqlx::query(
        "SELECT p.matricola, d.agevolazione, d.mese_dal, d.mese_al, d.origine FROM dpa d JOIN posizioni p ON p.id = d.posizione_id
         WHERE p.contribuente_id = $1 ORDER BY d.mese_dal DESC",
    )
    .bind(id)
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|r| {
            let codice: String = r.try_get("agevolazione")?;
            let nome = shared::smart_task::kinds::dpa::AGEVOLAZIONI
                .iter()
                .find(|(c, _)| *c == codice)
                .map(|(_, l)| l.to_string())
                .unwrap_or(codice);
            Ok(riga(vec![
                r.try_get("matricola")?,
                nome,
                mese(&r.try_get::<String, _>("mese_dal")?),
                mese(&r.try_get::<String, _>("mese_al")?),
                r.try_get("origine")?,
            ]))
        })
        .collect()
}
