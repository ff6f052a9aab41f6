//! Loads the facts snapshot a decision reads (all the I/O of the istruttoria happens here).

use super::{CommonFacts, KindFacts, Snapshot, contatti, pec_aziendale, revoca_delega};
use crate::access::{self, User};
use crate::clock;
use crate::error::{AppError, AppResult};
use chrono::NaiveDate;
use shared::dto::AccessBasis;
use shared::smart_task::{Kind, Parsed};
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

fn date(s: Option<String>) -> Option<NaiveDate> {
    s.as_deref().and_then(clock::parse_date)
}

pub struct RequestRow {
    pub id: i64,
    pub kind: Kind,
    pub contribuente_id: i64,
    pub oggetto: String,
    pub data_riferimento: NaiveDate,
}

pub async fn load(pool: &AnyPool, req: &RequestRow, requester: &User, parsed: &Parsed) -> AppResult<Snapshot> {
    let titolo = match access::authorize_subject(pool, requester, req.contribuente_id, req.data_riferimento).await {
        Ok(s) => Some(s.basis),
        Err(AppError::Forbidden(_)) => None,
        Err(e) => return Err(e),
    };
    let aperte: i64 = sqlx::query(
        "SELECT COUNT(*) FROM richieste WHERE tipo = $1 AND oggetto = $2 AND contribuente_id = $3
         AND stato IN ('inviata', 'in_istruttoria') AND id < $4",
    )
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
    let is_lr = matches!(titolo, Some(AccessBasis::RappresentanteLegale { .. }));
    let kind = match parsed {
        Parsed::RevocaDelega { delega_id, .. } => KindFacts::RevocaDelega(revoca_delega::Facts {
            contribuente_id: req.contribuente_id,
            delega: load_delega(pool, *delega_id).await?,
            richiedente_persona_id: requester.persona_id,
            richiedente_rappresentante_legale: is_lr,
        }),
        Parsed::VariazioneContatti { target_id, .. } if req.kind == Kind::VariazioneContattiIntermediario => {
            let row =
                sqlx::query("SELECT id, persona_id, email, pec, telefono, cellulare FROM intermediari WHERE id = $1")
                    .bind(target_id)
                    .fetch_optional(pool)
                    .await?;
            let (intermediario_id, persona_id, attuali) = match &row {
                Some(r) => (
                    Some(r.try_get::<i64, _>("id")?),
                    Some(r.try_get::<i64, _>("persona_id")?),
                    contatti::Current {
                        email: r.try_get("email")?,
                        pec: r.try_get("pec")?,
                        telefono: r.try_get("telefono")?,
                        cellulare: r.try_get("cellulare")?,
                    },
                ),
                None => (None, None, contatti::Current::default()),
            };
            let day = req.data_riferimento.format("%Y-%m-%d").to_string();
            let deleghe_attive: i64 = sqlx::query(
                "SELECT COUNT(*) FROM deleghe WHERE delegato_persona_id = $1 AND ruolo = 'intermediario' AND data_inizio <= $2
                 AND (data_fine IS NULL OR data_fine >= $2) AND (revocata_dal IS NULL OR revocata_dal > $2)",
            )
            .bind(persona_id.unwrap_or(-1))
            .bind(&day)
            .fetch_one(pool)
            .await?
            .try_get(0)?;
            KindFacts::ContattiIntermediario(contatti::IntermediarioFacts {
                intermediario_id,
                intermediario_persona_id: persona_id,
                richiedente_persona_id: requester.persona_id,
                deleghe_attive,
                attuali,
            })
        }
        Parsed::VariazioneContatti { target_id, .. } => {
            let delega = load_delega(pool, *target_id).await?;
            let attuali = match &delega {
                Some(g) => {
                    let r = sqlx::query("SELECT email, pec, telefono FROM persone WHERE id = $1")
                        .bind(g.delegato_persona_id)
                        .fetch_one(pool)
                        .await?;
                    contatti::Current {
                        email: r.try_get("email")?,
                        pec: r.try_get("pec")?,
                        telefono: r.try_get("telefono")?,
                        cellulare: None,
                    }
                }
                None => contatti::Current::default(),
            };
            KindFacts::ContattiDipendente(contatti::DipendenteFacts {
                contribuente_id: req.contribuente_id,
                delega,
                richiedente_persona_id: requester.persona_id,
                richiedente_rappresentante_legale: is_lr,
                attuali,
            })
        }
        Parsed::VariazionePec { pec } => {
            let r = sqlx::query(
                "SELECT natura_giuridica, obbligo_pec_registro_imprese, pec FROM contribuenti WHERE id = $1",
            )
            .bind(req.contribuente_id)
            .fetch_one(pool)
            .await?;
            let di_intermediario: i64 = sqlx::query("SELECT COUNT(*) FROM intermediari WHERE LOWER(pec) = $1")
                .bind(pec.as_str())
                .fetch_one(pool)
                .await?
                .try_get(0)?;
            KindFacts::PecAziendale(pec_aziendale::Facts {
                contribuente_id: req.contribuente_id,
                natura_giuridica: r.try_get("natura_giuridica")?,
                obbligo_pec_registro_imprese: r.try_get::<i64, _>("obbligo_pec_registro_imprese")? != 0,
                pec_attuale: r.try_get("pec")?,
                pec_di_intermediario: di_intermediario > 0,
            })
        }
    };
    Ok(Snapshot { common, kind, parametri: parameters(pool, req.data_riferimento).await? })
}

async fn load_delega(pool: &AnyPool, id: i64) -> AppResult<Option<revoca_delega::Delega>> {
    let row = sqlx::query(
        "SELECT id, contribuente_id, ruolo, delegato_persona_id, data_inizio, data_fine, revocata_dal FROM deleghe WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(pool)
    .await?;
    let Some(r) = row else { return Ok(None) };
    Ok(Some(revoca_delega::Delega {
        id: r.try_get("id")?,
        contribuente_id: r.try_get("contribuente_id")?,
        ruolo: r.try_get("ruolo")?,
        delegato_persona_id: r.try_get("delegato_persona_id")?,
        data_inizio: date(r.try_get("data_inizio")?).unwrap_or(NaiveDate::MAX),
        data_fine: date(r.try_get("data_fine")?),
        revocata_dal: date(r.try_get("revocata_dal")?),
    }))
}
