//! Smart-Task 2: Ricalcolo Nota di Rettifica.
//!
//! A note di rettifica is the gap between what the employer reported and what INPS received for
//! a period. It is recomputed when something new reached INPS after it was issued: a UniEmens
//! variation for the period, a DM10 payment, a payment moved to the period (Smart-Task 3).
//! The new amount is what is still owed: the latest report's amount less the payments
//! attributed to the period, never more than the note (a recomputation does not raise a debt).

use crate::error::AppResult;
use crate::infra::audit::{Deferred, Entry};
use crate::infra::clock;
use crate::infra::db::exec::Exec;
use crate::infra::db::readers::Readers;
use crate::smart_task::contributi::{periodo, saldo};
use crate::smart_task::engine::{Check, CommonFacts, Rule};
use crate::smart_task::kind::{FactsCx, RuleCx, SmartTaskKind, TargetCx};
use crate::smart_task::targets::{it, per, target};
use crate::vals;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use shared::dto::{FieldError, TargetView};
use shared::money::Euro;
use shared::periodo::Periodo;
use shared::smart_task::Answers;
use shared::smart_task::kinds::nota_rettifica::{self as form, MotivoRicalcolo, Richiesta};
use shared::time::format_date_it;
use sqlx::Row;

pub struct RicalcoloNotaRettifica;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "tipo", rename_all = "snake_case")]
pub enum Effect {
    /// A new version of the note, computed from version `versione`.
    RicalcolaNota { nota_id: i64, versione: i64, importo_prima_cents: i64, importo_dopo_cents: i64, esito: String },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Nota {
    pub id: i64,
    pub numero: String,
    pub contribuente_id: i64,
    pub matricola: String,
    pub periodo: Periodo,
    pub importo_cents: i64,
    pub stato: String,
    pub emessa_il: NaiveDate,
    pub riesame_in_corso: bool,
    pub versione: i64,
}

/// Something that reached INPS for the note's period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evento {
    /// variazione_uniemens, pagamento or rettifica.
    pub tipo: String,
    pub data: NaiveDate,
    pub importo_cents: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Facts {
    pub contribuente_id: i64,
    pub nota: Option<Nota>,
    /// Every event of the note's period on its position (the rules pick those after issue).
    pub eventi: Vec<Evento>,
    /// Amount of the latest report for the period, and DM10 payments attributed to it, today.
    pub dovuto_cents: i64,
    pub versato_cents: i64,
}

pub const NOTA_DELLA_MATRICOLA: Rule = Rule {
    codice: "ST02.NOTA_DELLA_MATRICOLA",
    descrizione: "La nota di rettifica è intestata a una matricola del contribuente",
    riferimento: "Msg. INPS 4583/2023, Ricalcolo Nota di Rettifica",
};
pub const NOTA_ATTIVA: Rule = Rule {
    codice: "ST02.NOTA_ATTIVA",
    descrizione: "La nota è ancora attiva (non annullata, non saldata, non passata ad avviso di addebito)",
    riferimento: "D.L. 78/2010 art. 30 (avviso di addebito); Msg. INPS 4583/2023",
};
pub const EVENTO_SUCCESSIVO: Rule = Rule {
    codice: "ST02.EVENTO_SUCCESSIVO",
    descrizione: "Dopo l'emissione della nota è arrivato a INPS un fatto nuovo per il periodo",
    riferimento: "Msg. INPS 4583/2023: variazione UniEmens, pagamento DM10 o rettifica del periodo di un pagamento",
};
pub const NESSUN_RIESAME: Rule = Rule {
    codice: "ST02.NESSUN_RIESAME_IN_CORSO",
    descrizione: "Sulla nota non è in corso un riesame da parte della sede",
    riferimento: "Regola di progetto: il riesame manuale prevale sul ricalcolo automatico",
};

fn evento_label(tipo: &str) -> &str {
    match tipo {
        "variazione_uniemens" => "variazione UniEmens",
        "pagamento" => "pagamento F24",
        "rettifica" => "pagamento attribuito al periodo con rettifica",
        other => other,
    }
}

/// The recomputed amount and its outcome: annullata, ridotta or confermata.
pub fn ricalcolo(importo_cents: i64, dovuto_cents: i64, versato_cents: i64) -> (i64, &'static str) {
    let residuo = dovuto_cents.saturating_sub(versato_cents).max(0);
    if residuo == 0 {
        (0, "annullata")
    } else if residuo < importo_cents {
        (residuo, "ridotta")
    } else {
        (importo_cents, "confermata")
    }
}

pub fn rules(nota_id: i64, motivo: MotivoRicalcolo, f: &Facts, _common: &CommonFacts) -> (Vec<Check>, Vec<Effect>) {
    let mut checks = vec![];
    let nota = f.nota.as_ref().filter(|n| n.contribuente_id == f.contribuente_id);
    checks.push(NOTA_DELLA_MATRICOLA.check(
        nota.is_some(),
        nota.map(|n| format!("La nota {} è intestata alla matricola {}.", n.numero, n.matricola)).unwrap_or_default(),
        "La nota di rettifica indicata non è intestata a una matricola di questo contribuente.",
        // Another contributor's note reads as a missing one (facts loaded only for the own).
        serde_json::json!({ "nota_id": nota_id }),
    ));
    let Some(n) = nota else { return (checks, vec![]) };

    checks.push(NOTA_ATTIVA.check(
        n.stato == "attiva",
        "La nota è attiva.",
        match n.stato.as_str() {
            "annullata" => "La nota è già stata annullata: non c'è nulla da ricalcolare.",
            "saldata" => "La nota risulta già saldata: non c'è nulla da ricalcolare.",
            "avviso_addebito" => {
                "Il debito della nota è passato in un avviso di addebito: per contestarlo si rivolga alla sede o all'agente della riscossione."
            }
            _ => "La nota non è attiva.",
        },
        serde_json::json!({ "stato": n.stato }),
    ));

    let successivi: Vec<&Evento> = f.eventi.iter().filter(|e| e.data > n.emessa_il).collect();
    let dichiarato = match motivo {
        MotivoRicalcolo::VariazioneUniemens => "variazione_uniemens",
        MotivoRicalcolo::Pagamento => "pagamento",
        MotivoRicalcolo::Riallocazione => "rettifica",
    };
    checks.push(EVENTO_SUCCESSIVO.check(
        !successivi.is_empty(),
        successivi
            .iter()
            .map(|e| format!("{} del {}", evento_label(&e.tipo), format_date_it(e.data)))
            .collect::<Vec<_>>()
            .join("; ")
            .to_string()
            + ".",
        format!(
            "Dopo l'emissione della nota (il {}) non risulta arrivato nulla di nuovo per il periodo {}: invii prima la variazione UniEmens o il pagamento, poi ripresenti la richiesta.",
            format_date_it(n.emessa_il),
            n.periodo
        ),
        serde_json::json!({
            "emessa_il": n.emessa_il,
            "periodo": n.periodo,
            "eventi_successivi": successivi,
            "motivo_dichiarato": dichiarato,
            "motivo_trovato": successivi.iter().any(|e| e.tipo == dichiarato),
        }),
    ));
    checks.push(NESSUN_RIESAME.check(
        !n.riesame_in_corso,
        "Nessun riesame in corso.",
        "La sede sta già riesaminando questa nota: l'esito del riesame le sarà comunicato.",
        serde_json::json!({ "riesame_in_corso": n.riesame_in_corso }),
    ));
    let (dopo, esito) = ricalcolo(n.importo_cents, f.dovuto_cents, f.versato_cents);
    // The outcome of the recomputation is told with the accepted decision.
    if let Some(c) = checks.last_mut().filter(|c| c.esito == crate::smart_task::engine::Esito::Ok) {
        c.motivo = format!(
            "Nessun riesame in corso. Dovuto per {}: {}; versato: {}. La nota sarà {esito}{}.",
            n.periodo,
            Euro::from_cents(f.dovuto_cents),
            Euro::from_cents(f.versato_cents),
            if esito == "ridotta" { format!(" a {}", Euro::from_cents(dopo)) } else { String::new() }
        );
    }
    (
        checks,
        vec![Effect::RicalcolaNota {
            nota_id: n.id,
            versione: n.versione,
            importo_prima_cents: n.importo_cents,
            importo_dopo_cents: dopo,
            esito: esito.into(),
        }],
    )
}

impl SmartTaskKind for RicalcoloNotaRettifica {
    type Request = Richiesta;
    type Facts = Facts;
    type Effect = Effect;
    const FACTS: &'static str = "nota_rettifica";

    fn parse(&self, oggetto: &str, a: &Answers) -> Result<Richiesta, Vec<FieldError>> {
        form::parse(oggetto, a)
    }

    async fn targets(&self, cx: &TargetCx<'_>) -> AppResult<Vec<TargetView>> {
        let rows = sqlx::query(
            "SELECT n.id, n.numero, n.periodo, n.importo_cents, n.stato, n.emessa_il, p.matricola
             FROM note_rettifica n JOIN posizioni p ON p.id = n.posizione_id
             WHERE p.contribuente_id = $1 ORDER BY n.emessa_il DESC, n.id DESC",
        )
        .bind(cx.subject.id)
        .fetch_all(cx.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let numero: String = r.try_get("numero")?;
                let periodo = per(&r.try_get::<String, _>("periodo")?);
                let importo = Euro::from_cents(r.try_get("importo_cents")?).to_string();
                let stato = stato_nota(&r.try_get::<String, _>("stato")?);
                Ok(target(
                    r.try_get("id")?,
                    format!("Nota {numero} – periodo {periodo} – {importo} – {stato}"),
                    vec![
                        ("Nota di rettifica", numero),
                        ("Matricola", r.try_get("matricola")?),
                        ("Periodo di competenza", periodo),
                        ("Importo", importo),
                        ("Emessa il", it(&r.try_get::<String, _>("emessa_il")?)),
                        ("Stato", stato.to_string()),
                    ],
                ))
            })
            .collect()
    }

    async fn load(&self, cx: &FactsCx<'_>, r: &Richiesta) -> AppResult<Facts> {
        load(cx.pool, cx.req.contribuente_id, r.nota_id).await
    }

    fn rules(&self, r: &Richiesta, f: &Facts, cx: &RuleCx<'_>) -> (Vec<Check>, Vec<Effect>) {
        rules(r.nota_id, r.motivo, f, cx.common)
    }

    async fn apply(&self, conn: &mut dyn Exec, trail: &mut Deferred, e: &Effect) -> AppResult<Result<(), String>> {
        let Effect::RicalcolaNota { nota_id, versione, importo_prima_cents, importo_dopo_cents, esito } = e;
        let now = clock::now_ts();
        let stato = if esito == "annullata" { "annullata" } else { "attiva" };
        // Only from the version the facts were read on: a concurrent recomputation wins.
        let n = conn
            .execute(
                "UPDATE note_rettifica SET importo_cents = $1, stato = $2, versione = versione + 1, updated_at = $3,
                        version = version + 1
                 WHERE id = $4 AND versione = $5 AND stato = 'attiva'",
                vals![*importo_dopo_cents, stato, &now, *nota_id, *versione],
            )
            .await?;
        if n != 1 {
            return Ok(Err(
                "Nel frattempo la nota è stata ricalcolata o chiusa: il ricalcolo non è stato ripetuto.".into()
            ));
        }
        let dettaglio =
            serde_json::json!({ "differenza_cents": importo_dopo_cents.checked_sub(*importo_prima_cents) }).to_string();
        conn.execute(
            "INSERT INTO note_rettifica_versioni (nota_id, versione, esito, importo_prima_cents, importo_dopo_cents,
                                                  dettaglio_json, protocollo, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            vals![
                *nota_id,
                versione + 1,
                esito,
                *importo_prima_cents,
                *importo_dopo_cents,
                dettaglio,
                trail.actor().request_id.clone(),
                &now
            ],
        )
        .await?;
        let entry = Entry {
            entity: "nota_rettifica",
            entity_id: nota_id.to_string(),
            action: "ricalcolo",
            before: Some(serde_json::json!({ "importo_cents": importo_prima_cents, "versione": versione })),
            after: Some(
                serde_json::json!({ "importo_cents": importo_dopo_cents, "versione": versione + 1, "esito": esito, "stato": stato }),
            ),
            note: None,
        };
        trail.record(entry);
        Ok(Ok(()))
    }

    async fn matricola(&self, pool: &Readers, contribuente_id: i64, r: &Richiesta) -> AppResult<Option<String>> {
        let sql = "SELECT p.matricola FROM note_rettifica n JOIN posizioni p ON p.id = n.posizione_id
                   WHERE n.id = $1 AND p.contribuente_id = $2";
        let q = sqlx::query(sql).bind(r.nota_id).bind(contribuente_id);
        Ok(q.fetch_optional(pool).await?.map(|r| r.try_get(0)).transpose()?)
    }
}

fn stato_nota(s: &str) -> &'static str {
    match s {
        "attiva" => "attiva",
        "annullata" => "annullata",
        "saldata" => "saldata",
        "avviso_addebito" => "passata ad avviso di addebito",
        _ => "stato sconosciuto",
    }
}

fn date(s: Option<String>) -> Option<NaiveDate> {
    s.as_deref().and_then(clock::parse_date)
}

async fn load(pool: &Readers, contribuente_id: i64, id: i64) -> AppResult<Facts> {
    let row = sqlx::query(
        "SELECT n.id, n.numero, n.posizione_id, n.periodo, n.importo_cents, n.stato, n.emessa_il,
                n.riesame_in_corso AS riesame, n.versione, p.matricola, p.contribuente_id
         FROM note_rettifica n JOIN posizioni p ON p.id = n.posizione_id WHERE n.id = $1 AND p.contribuente_id = $2",
    )
    .bind(id)
    .bind(contribuente_id)
    .fetch_optional(pool)
    .await?;
    let Some(r) = row else {
        return Ok(Facts { contribuente_id, nota: None, eventi: vec![], dovuto_cents: 0, versato_cents: 0 });
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
        eventi.push(Evento {
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
        eventi.push(Evento {
            tipo: if moved_here { "rettifica" } else { "pagamento" }.into(),
            data: date(if moved_here { rettificato } else { e.try_get("data_versamento")? }).unwrap_or(NaiveDate::MIN),
            importo_cents: e.try_get("importo_cents")?,
        });
    }
    eventi.sort_by_key(|e| e.data);
    let s = saldo(pool, posizione_id, per).await?;
    Ok(Facts {
        contribuente_id,
        nota: Some(Nota {
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

#[cfg(test)]
#[path = "nota_rettifica_tests.rs"]
mod tests;
