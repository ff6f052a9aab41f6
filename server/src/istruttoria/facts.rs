//! Loads the facts snapshot a decision reads (all the I/O of the istruttoria happens here).

use super::{
    CommonFacts, KindFacts, Snapshot, contatti, contatti_anomali, nota_rettifica, pec_aziendale, rettifica_pagamento,
    revoca_delega,
};
use crate::access::{self, User};
use crate::clock;
use crate::error::{AppError, AppResult};
use chrono::NaiveDate;
use shared::dto::AccessBasis;
use shared::periodo::Periodo;
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
         AND stato IN ('inviata', 'in_istruttoria', 'in_carico_sede') AND id < $4",
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
        Parsed::CancellazioneContatto { contatto_id, .. } => {
            KindFacts::ContattiAnomali(load_contatto(pool, req.contribuente_id, *contatto_id).await?)
        }
        Parsed::RicalcoloNota { nota_id, .. } => {
            KindFacts::NotaRettifica(load_nota(pool, req.contribuente_id, *nota_id).await?)
        }
        Parsed::RettificaPagamento { pagamento_id, periodo_corretto, .. } => KindFacts::RettificaPagamento(
            load_pagamento(pool, req.contribuente_id, *pagamento_id, *periodo_corretto).await?,
        ),
    };
    Ok(Snapshot { common, kind, parametri: parameters(pool, req.data_riferimento).await? })
}

async fn load_contatto(pool: &AnyPool, contribuente_id: i64, id: i64) -> AppResult<contatti_anomali::Facts> {
    let row = sqlx::query(
        "SELECT c.id, c.posizione_id, c.canale, c.indirizzo, c.titolare, c.delega_id, c.anomalia, c.cancellato_il,
                p.matricola, p.contribuente_id, k.pec AS pec_registrata
         FROM contatti_notifica c JOIN posizioni p ON p.id = c.posizione_id JOIN contribuenti k ON k.id = p.contribuente_id
         WHERE c.id = $1",
    )
    .bind(id)
    .fetch_optional(pool)
    .await?;
    let Some(r) = row else {
        return Ok(contatti_anomali::Facts {
            contribuente_id,
            contatto: None,
            altri_contatti_validi: vec![],
            pec_registrata: None,
        });
    };
    let delega = match r.try_get::<Option<i64>, _>("delega_id")? {
        Some(d) => load_delega(pool, d).await?,
        None => None,
    };
    let posizione_id: i64 = r.try_get("posizione_id")?;
    let altri = sqlx::query(
        "SELECT indirizzo FROM contatti_notifica WHERE posizione_id = $1 AND id <> $2
         AND anomalia IS NULL AND cancellato_il IS NULL ORDER BY id",
    )
    .bind(posizione_id)
    .bind(id)
    .fetch_all(pool)
    .await?
    .iter()
    .map(|r| r.try_get::<String, _>(0))
    .collect::<Result<Vec<_>, _>>()?;
    Ok(contatti_anomali::Facts {
        contribuente_id,
        contatto: Some(contatti_anomali::Contatto {
            id,
            contribuente_id: r.try_get("contribuente_id")?,
            matricola: r.try_get("matricola")?,
            canale: r.try_get("canale")?,
            indirizzo: r.try_get("indirizzo")?,
            titolare: r.try_get("titolare")?,
            anomalia: r.try_get("anomalia")?,
            cancellato: r.try_get::<Option<String>, _>("cancellato_il")?.is_some(),
            delega,
        }),
        altri_contatti_validi: altri,
        pec_registrata: r.try_get("pec_registrata")?,
    })
}

fn periodo(s: &str) -> AppResult<Periodo> {
    Periodo::parse(s).map_err(|e| AppError::Internal(format!("periodo memorizzato non valido {s}: {e}")))
}

/// What is owed and paid (DM10) for a period of a position, today.
pub async fn saldo(pool: &AnyPool, posizione_id: i64, p: Periodo) -> AppResult<rettifica_pagamento::Saldo> {
    let dovuto: Option<i64> = sqlx::query(
        "SELECT dovuto_cents FROM denunce WHERE posizione_id = $1 AND periodo = $2 ORDER BY trasmessa_il DESC, id DESC LIMIT 1",
    )
    .bind(posizione_id)
    .bind(p.key())
    .fetch_optional(pool)
    .await?
    .map(|r| r.try_get(0))
    .transpose()?;
    let versato: i64 = sqlx::query(
        "SELECT CAST(COALESCE(SUM(importo_cents), 0) AS BIGINT) FROM pagamenti
         WHERE posizione_id = $1 AND periodo_attribuito = $2 AND causale = 'DM10'",
    )
    .bind(posizione_id)
    .bind(p.key())
    .fetch_one(pool)
    .await?
    .try_get(0)?;
    Ok(rettifica_pagamento::Saldo {
        denunciato: dovuto.is_some(),
        dovuto_cents: dovuto.unwrap_or(0),
        versato_cents: versato,
    })
}

async fn load_nota(pool: &AnyPool, contribuente_id: i64, id: i64) -> AppResult<nota_rettifica::Facts> {
    let row = sqlx::query(
        "SELECT n.id, n.numero, n.posizione_id, n.periodo, n.importo_cents, n.stato, n.emessa_il,
                n.riesame_in_corso AS riesame, n.versione, p.matricola, p.contribuente_id
         FROM note_rettifica n JOIN posizioni p ON p.id = n.posizione_id WHERE n.id = $1",
    )
    .bind(id)
    .fetch_optional(pool)
    .await?;
    let Some(r) = row else {
        return Ok(nota_rettifica::Facts {
            contribuente_id,
            nota: None,
            eventi: vec![],
            dovuto_cents: 0,
            versato_cents: 0,
        });
    };
    let posizione_id: i64 = r.try_get("posizione_id")?;
    let per = periodo(&r.try_get::<String, _>("periodo")?)?;
    let mut eventi = vec![];
    for e in sqlx::query(
        "SELECT trasmessa_il AS data, dovuto_cents AS importo FROM denunce
         WHERE posizione_id = $1 AND periodo = $2 AND tipo = 'variazione' ORDER BY trasmessa_il",
    )
    .bind(posizione_id)
    .bind(per.key())
    .fetch_all(pool)
    .await?
    {
        eventi.push(nota_rettifica::Evento {
            tipo: "variazione_uniemens".into(),
            data: date(e.try_get("data")?).unwrap_or(NaiveDate::MIN),
            importo_cents: e.try_get("importo")?,
        });
    }
    for e in sqlx::query(
        "SELECT data_versamento, rettificato_il, importo_cents, periodo_indicato FROM pagamenti
         WHERE posizione_id = $1 AND periodo_attribuito = $2 AND causale = 'DM10' ORDER BY data_versamento, id",
    )
    .bind(posizione_id)
    .bind(per.key())
    .fetch_all(pool)
    .await?
    {
        // A payment moved here by a rettifica counts from the day it was moved.
        let rettificato: Option<String> = e.try_get("rettificato_il")?;
        let moved_here = rettificato.is_some() && e.try_get::<String, _>("periodo_indicato")? != per.key();
        eventi.push(nota_rettifica::Evento {
            tipo: if moved_here { "rettifica" } else { "pagamento" }.into(),
            data: date(if moved_here { rettificato } else { e.try_get("data_versamento")? }).unwrap_or(NaiveDate::MIN),
            importo_cents: e.try_get("importo_cents")?,
        });
    }
    eventi.sort_by_key(|e| e.data);
    let s = saldo(pool, posizione_id, per).await?;
    Ok(nota_rettifica::Facts {
        contribuente_id,
        nota: Some(nota_rettifica::Nota {
            id,
            numero: r.try_get("numero")?,
            contribuente_id: r.try_get("contribuente_id")?,
            matricola: r.try_get("matricola")?,
            periodo: per,
            importo_cents: r.try_get("importo_cents")?,
            stato: r.try_get("stato")?,
            emessa_il: date(r.try_get("emessa_il")?).unwrap_or(NaiveDate::MAX),
            riesame_in_corso: r.try_get::<i64, _>("riesame")? != 0,
            versione: r.try_get("versione")?,
        }),
        eventi,
        dovuto_cents: s.dovuto_cents,
        versato_cents: s.versato_cents,
    })
}

async fn load_pagamento(
    pool: &AnyPool,
    contribuente_id: i64,
    id: i64,
    periodo_corretto: Periodo,
) -> AppResult<rettifica_pagamento::Facts> {
    let row = sqlx::query(
        "SELECT g.id, g.contribuente_id, g.matricola_indicata, g.posizione_id, p.contribuente_id AS contribuente_matricola,
                g.data_versamento, g.importo_cents, g.causale, g.periodo_attribuito, g.utilizzo
         FROM pagamenti g LEFT JOIN posizioni p ON p.id = g.posizione_id WHERE g.id = $1",
    )
    .bind(id)
    .fetch_optional(pool)
    .await?;
    let Some(r) = row else {
        return Ok(rettifica_pagamento::Facts {
            contribuente_id,
            pagamento: None,
            saldo_attuale: Default::default(),
            saldo_corretto: Default::default(),
        });
    };
    let attribuito = periodo(&r.try_get::<String, _>("periodo_attribuito")?)?;
    let (saldo_attuale, saldo_corretto) = match r.try_get::<Option<i64>, _>("posizione_id")? {
        Some(pos) => (saldo(pool, pos, attribuito).await?, saldo(pool, pos, periodo_corretto).await?),
        None => Default::default(),
    };
    Ok(rettifica_pagamento::Facts {
        contribuente_id,
        pagamento: Some(rettifica_pagamento::Pagamento {
            id,
            contribuente_versante_id: r.try_get("contribuente_id")?,
            matricola_indicata: r.try_get("matricola_indicata")?,
            contribuente_matricola_id: r.try_get("contribuente_matricola")?,
            data_versamento: date(r.try_get("data_versamento")?).unwrap_or(NaiveDate::MIN),
            importo_cents: r.try_get("importo_cents")?,
            causale: r.try_get("causale")?,
            periodo_attribuito: attribuito,
            utilizzo: r.try_get("utilizzo")?,
        }),
        saldo_attuale,
        saldo_corretto,
    })
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
