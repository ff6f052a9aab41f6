//! Smart-Task 3: Rettifica periodo di riferimento di un pagamento.
//!
//! A DM10 payment made for the wrong month is moved (wholly or in part) to the month it was
//! meant for, provided it has not been used already, the right month has a report with a debt
//! and is not time-barred. Both months' balances follow from the move; the new one may allow a
//! recomputation of its nota di rettifica (Smart-Task 2).

use crate::error::AppResult;
use crate::infra::audit::{Deferred, Entry};
use crate::infra::clock;
use crate::infra::db::exec::Exec;
use crate::infra::db::readers::Readers;
use crate::smart_task::contributi::{Pagamento, Saldo, pagamento, saldo};
use crate::smart_task::engine::{Check, CommonFacts, Esito, Rule};
use crate::smart_task::kind::{FactsCx, RuleCx, SmartTaskKind, TargetCx};
use crate::smart_task::targets::{it, per, target};
use crate::vals;
use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};
use shared::dto::{FieldError, TargetView};
use shared::money::Euro;
use shared::periodo::Periodo;
use shared::smart_task::Answers;
use shared::smart_task::kinds::rettifica_pagamento::{self as form, Richiesta};
use shared::time::format_date_it;
use sqlx::Row;
use std::collections::BTreeMap;

pub struct RettificaPeriodoPagamento;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "tipo", rename_all = "snake_case")]
pub enum Effect {
    /// Moves `importo_cents` of the payment from period `da` to period `a`.
    SpostaPagamento { pagamento_id: i64, da: Periodo, a: Periodo, importo_cents: i64, importo_pagamento_cents: i64 },
}

pub const PARAM_PRESCRIZIONE_ANNI: &str = "ST.PRESCRIZIONE_CONTRIBUTI.ANNI";
pub const PARAM_CAUSALI_DM10: &str = "ST.RETTIFICA_PAGAMENTO.CAUSALI_DM10";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Facts {
    pub contribuente_id: i64,
    pub pagamento: Option<Pagamento>,
    pub saldo_attuale: Saldo,
    pub saldo_corretto: Saldo,
}

pub const PAGAMENTO_DEL_CONTRIBUENTE: Rule = Rule {
    codice: "ST03.PAGAMENTO_DEL_CONTRIBUENTE",
    descrizione: "Il pagamento è stato fatto per una matricola o con il codice fiscale del contribuente",
    riferimento: "Msg. INPS 4583/2023, Rettifica periodo di riferimento di un pagamento",
};
pub const CAUSALE_DM10: Rule = Rule {
    codice: "ST03.CAUSALE_DM10",
    descrizione: "Il pagamento ha una causale di contributi DM10",
    riferimento: "Modello F24, sezione INPS; parametro ST.RETTIFICA_PAGAMENTO.CAUSALI_DM10",
};
pub const NON_UTILIZZATO: Rule = Rule {
    codice: "ST03.PAGAMENTO_NON_UTILIZZATO",
    descrizione: "Il pagamento non è già stato usato (nota di rettifica, avviso di addebito, rettifica precedente)",
    riferimento: "Msg. INPS 4583/2023",
};
pub const PERIODO_DIVERSO: Rule = Rule {
    codice: "ST03.PERIODO_DIVERSO",
    descrizione: "Il periodo corretto è diverso da quello a cui il pagamento è attribuito",
    riferimento: "Controllo di coerenza",
};
pub const PERIODO_CON_DEBITO: Rule = Rule {
    codice: "ST03.PERIODO_CON_DEBITO",
    descrizione: "Per il periodo corretto esiste una denuncia con un importo ancora dovuto",
    riferimento: "Msg. INPS 4583/2023",
};
pub const NON_PRESCRITTO: Rule = Rule {
    codice: "ST03.PERIODO_NON_PRESCRITTO",
    descrizione: "I contributi del periodo corretto non sono prescritti",
    riferimento: "L. 335/1995, art. 3, commi 9 e 10 (prescrizione quinquennale); parametro ST.PRESCRIZIONE_CONTRIBUTI.ANNI",
};
pub const IMPORTO_CAPIENTE: Rule = Rule {
    codice: "ST03.IMPORTO_NON_SUPERIORE",
    descrizione: "L'importo da spostare non supera quello del pagamento",
    riferimento: "Controllo di coerenza",
};

fn e(c: i64) -> String {
    Euro::from_cents(c).to_string()
}

/// A figure of the description, computed with checked arithmetic: an amount too large to add
/// (refused anyway by the capacity check) is shown as such instead of wrapping or panicking.
fn e_opt(c: Option<i64>) -> String {
    c.map(e).unwrap_or_else(|| "importo fuori scala".into())
}

/// The last day on which contributions of `periodo` can still be claimed, under a limit of
/// `anni` years running from their due date.
pub fn fine_prescrizione(periodo: Periodo, anni: u32) -> NaiveDate {
    periodo.scadenza().checked_add_months(Months::new(12 * anni)).unwrap_or(NaiveDate::MAX)
}

pub fn rules(
    pagamento_id: i64,
    periodo_corretto: Periodo,
    importo: Euro,
    f: &Facts,
    common: &CommonFacts,
    params: &BTreeMap<String, String>,
) -> (Vec<Check>, Vec<Effect>) {
    let mut checks = vec![];
    let Some(p) = f.pagamento.as_ref() else {
        checks.push(PAGAMENTO_DEL_CONTRIBUENTE.check(
            false,
            "",
            "Il pagamento indicato non esiste o non è stato fatto per una matricola né con il codice fiscale di questo contribuente.",
            serde_json::json!({ "pagamento_id": pagamento_id }),
        ));
        return (checks, vec![]);
    };
    let letti = serde_json::json!({
        "matricola_indicata": p.matricola_indicata,
        "contribuente_matricola": p.contribuente_matricola_id,
        "contribuente_versante": p.contribuente_versante_id,
        "contribuente_richiesta": f.contribuente_id,
    });
    let per_matricola = p.contribuente_matricola_id == Some(f.contribuente_id);
    let per_cf = p.contribuente_versante_id == Some(f.contribuente_id);
    if !per_matricola && per_cf {
        // Paid with the contributor's code but for a matricola that is not its own: only a
        // person can tell whether it was a typo or a payment for someone else.
        let mut c = PAGAMENTO_DEL_CONTRIBUENTE.check(true, "", "", letti);
        c.esito = Esito::Verifica;
        c.motivo = format!(
            "Il pagamento è stato fatto con il codice fiscale del contribuente ma per la matricola {}, che non è sua: la verifica passa alla sede, che le risponderà.",
            p.matricola_indicata
        );
        checks.push(c);
        return (checks, vec![]);
    }
    checks.push(PAGAMENTO_DEL_CONTRIBUENTE.check(
        per_matricola,
        format!("Pagamento del {} per la matricola {}.", format_date_it(p.data_versamento), p.matricola_indicata),
        "Il pagamento indicato non è stato fatto per una matricola né con il codice fiscale di questo contribuente.",
        letti,
    ));
    if !per_matricola {
        return (checks, vec![]);
    }

    let causali: Vec<String> = params
        .get(PARAM_CAUSALI_DM10)
        .map(|v| v.split(',').map(|s| s.trim().to_uppercase()).filter(|s| !s.is_empty()).collect())
        .unwrap_or_else(|| vec!["DM10".into()]);
    checks.push(CAUSALE_DM10.check(
        causali.contains(&p.causale.to_uppercase()),
        format!("Causale {}.", p.causale),
        format!(
            "Il pagamento ha causale {}: non sono contributi DM10. Per le altre causali si rivolga alla sede con una comunicazione bidirezionale.",
            p.causale
        ),
        serde_json::json!({ "causale": p.causale, PARAM_CAUSALI_DM10: causali }),
    ));
    checks.push(NON_UTILIZZATO.check(
        p.utilizzo.is_none(),
        "Il pagamento non è stato usato per altro.",
        match p.utilizzo.as_deref() {
            Some("nota_rettifica") => "Il pagamento è già stato usato per saldare una nota di rettifica.",
            Some("avviso_addebito") => "Il pagamento è già stato usato per un avviso di addebito.",
            Some("rettifica") => "Il periodo di questo pagamento è già stato rettificato una volta: per un'altra modifica si rivolga alla sede.",
            _ => "Il pagamento è già stato usato.",
        },
        serde_json::json!({ "utilizzo": p.utilizzo }),
    ));
    checks.push(PERIODO_DIVERSO.check(
        periodo_corretto != p.periodo_attribuito,
        format!("Dal periodo {} al periodo {periodo_corretto}.", p.periodo_attribuito),
        format!("Il pagamento è già attribuito al periodo {periodo_corretto}."),
        serde_json::json!({ "periodo_attribuito": p.periodo_attribuito, "periodo_corretto": periodo_corretto }),
    ));
    let s = f.saldo_corretto;
    checks.push(PERIODO_CON_DEBITO.check(
        s.denunciato && s.debito() > 0,
        format!("Per il periodo {periodo_corretto} risultano dovuti {} e versati {}.", e(s.dovuto_cents), e(s.versato_cents)),
        if s.denunciato {
            format!("Per il periodo {periodo_corretto} non c'è nulla da pagare (dovuti {}, versati {}): controlli il periodo indicato.", e(s.dovuto_cents), e(s.versato_cents))
        } else {
            format!("Per il periodo {periodo_corretto} non risulta una denuncia UniEmens: la invii prima di chiedere la rettifica.")
        },
        serde_json::json!({ "periodo_corretto": periodo_corretto, "saldo": s }),
    ));
    let anni: u32 = params.get(PARAM_PRESCRIZIONE_ANNI).and_then(|v| v.parse().ok()).unwrap_or(5);
    let fine = fine_prescrizione(periodo_corretto, anni);
    checks.push(NON_PRESCRITTO.check(
        common.data_riferimento < fine,
        format!("I contributi di {periodo_corretto} si prescrivono il {}.", format_date_it(fine)),
        format!("I contributi di {periodo_corretto} sono prescritti dal {}: il pagamento non può esservi attribuito.", format_date_it(fine)),
        serde_json::json!({ "periodo_corretto": periodo_corretto, "scadenza": periodo_corretto.scadenza(), PARAM_PRESCRIZIONE_ANNI: anni, "data_riferimento": common.data_riferimento }),
    ));
    let capiente = importo.cents() <= p.importo_cents;
    let a = f.saldo_attuale;
    checks.push(IMPORTO_CAPIENTE.check(
        capiente,
        format!(
            "Si spostano {} su {}. Dopo la rettifica: periodo {} dovuti {}, versati {}; periodo {periodo_corretto} dovuti {}, versati {}.",
            importo,
            e(p.importo_cents),
            p.periodo_attribuito,
            e(a.dovuto_cents),
            e_opt(a.versato_cents.checked_sub(importo.cents())),
            e(s.dovuto_cents),
            e_opt(s.versato_cents.checked_add(importo.cents())),
        ),
        format!("L'importo indicato ({importo}) supera quello del pagamento ({}).", e(p.importo_cents)),
        serde_json::json!({ "importo": importo, "importo_pagamento": p.importo_cents, "saldo_attuale": a }),
    ));
    (
        checks,
        vec![Effect::SpostaPagamento {
            pagamento_id: p.id,
            da: p.periodo_attribuito,
            a: periodo_corretto,
            importo_cents: importo.cents(),
            importo_pagamento_cents: p.importo_cents,
        }],
    )
}

impl SmartTaskKind for RettificaPeriodoPagamento {
    type Request = Richiesta;
    type Facts = Facts;
    type Effect = Effect;
    const FACTS: &'static str = "rettifica_pagamento";

    fn parse(&self, oggetto: &str, a: &Answers) -> Result<Richiesta, Vec<FieldError>> {
        form::parse(oggetto, a)
    }

    async fn targets(&self, cx: &TargetCx<'_>) -> AppResult<Vec<TargetView>> {
        let rows = sqlx::query(
            "SELECT g.id, g.data_versamento, g.importo_cents, g.causale, g.sede_codice, g.matricola_indicata,
                    g.periodo_indicato, g.periodo_attribuito, g.utilizzo
             FROM pagamenti g LEFT JOIN posizioni p ON p.id = g.posizione_id
             WHERE g.contribuente_id = $1 OR p.contribuente_id = $1
             ORDER BY g.data_versamento DESC, g.id DESC LIMIT 200",
        )
        .bind(cx.subject.id)
        .fetch_all(cx.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let importo = Euro::from_cents(r.try_get("importo_cents")?);
                let data = it(&r.try_get::<String, _>("data_versamento")?);
                let attribuito = per(&r.try_get::<String, _>("periodo_attribuito")?);
                let causale: String = r.try_get("causale")?;
                let utilizzo = match r.try_get::<Option<String>, _>("utilizzo")?.as_deref() {
                    None => "non utilizzato".to_string(),
                    Some("nota_rettifica") => "usato per una nota di rettifica".to_string(),
                    Some("avviso_addebito") => "usato per un avviso di addebito".to_string(),
                    Some("rettifica") => "già rettificato".to_string(),
                    Some(other) => other.to_string(),
                };
                let mut t = target(
                    r.try_get("id")?,
                    format!("F24 del {data} – {importo} – causale {causale} – periodo {attribuito}"),
                    vec![
                        ("Data del versamento", data),
                        ("Importo", importo.to_string()),
                        ("Causale", causale),
                        ("Sede", r.try_get("sede_codice")?),
                        ("Matricola indicata", r.try_get("matricola_indicata")?),
                        ("Periodo indicato nell'F24", per(&r.try_get::<String, _>("periodo_indicato")?)),
                        ("Periodo a cui è attribuito", attribuito),
                        ("Utilizzo", utilizzo),
                    ],
                );
                // The whole payment by default, written as Italians type it.
                t.predefiniti.insert("importo".into(), importo.to_string().trim_end_matches(" €").to_string());
                Ok(t)
            })
            .collect()
    }

    async fn load(&self, cx: &FactsCx<'_>, r: &Richiesta) -> AppResult<Facts> {
        load(cx.pool, cx.req.contribuente_id, r.pagamento_id, r.periodo_corretto).await
    }

    fn rules(&self, r: &Richiesta, f: &Facts, cx: &RuleCx<'_>) -> (Vec<Check>, Vec<Effect>) {
        rules(r.pagamento_id, r.periodo_corretto, r.importo, f, cx.common, cx.params)
    }

    async fn apply(&self, conn: &mut dyn Exec, trail: &mut Deferred, e: &Effect) -> AppResult<Result<(), String>> {
        let Effect::SpostaPagamento { pagamento_id, da, a, importo_cents, importo_pagamento_cents } = e;
        let now = clock::now_ts();
        let today = clock::today().format("%Y-%m-%d").to_string();
        let whole = importo_cents == importo_pagamento_cents;
        // Precondition: unused, still in `da`, same amount as read.
        let n = conn
            .execute(
                "UPDATE pagamenti SET periodo_attribuito = CASE WHEN $1 = 1 THEN $2 ELSE periodo_attribuito END,
                        importo_cents = importo_cents - CASE WHEN $1 = 1 THEN 0 ELSE $3 END,
                        utilizzo = 'rettifica', rettificato_il = $4, updated_at = $5, version = version + 1
                 WHERE id = $6 AND utilizzo IS NULL AND periodo_attribuito = $7 AND importo_cents = $8",
                vals![
                    whole as i64,
                    a.key(),
                    *importo_cents,
                    &today,
                    &now,
                    *pagamento_id,
                    da.key(),
                    *importo_pagamento_cents
                ],
            )
            .await?;
        if n != 1 {
            return Ok(Err(
                "Nel frattempo il pagamento è stato usato o rettificato: la rettifica non è stata applicata.".into(),
            ));
        }
        let mut nuovo: Option<i64> = None;
        if !whole {
            // The part moved becomes a line of its own, linked to the original.
            nuovo = Some(
                conn.fetch_one(
                    "INSERT INTO pagamenti (contribuente_id, codice_fiscale_versante, matricola_indicata, posizione_id,
                            data_versamento, importo_cents, sede_codice, causale, periodo_indicato, periodo_attribuito,
                            utilizzo, rettificato_il, origine_id, created_at, updated_at)
                     SELECT contribuente_id, codice_fiscale_versante, matricola_indicata, posizione_id, data_versamento,
                            $1, sede_codice, causale, periodo_indicato, $2, 'rettifica', $3, id, $4, $4
                     FROM pagamenti WHERE id = $5 RETURNING id",
                    vals![*importo_cents, a.key(), &today, &now, *pagamento_id],
                )
                .await?
                .int(0)?,
            );
        }
        trail.record(Entry {
                entity: "pagamento",
                entity_id: pagamento_id.to_string(),
                action: "rettifica_periodo",
                before: Some(serde_json::json!({ "periodo_attribuito": da, "importo_cents": importo_pagamento_cents })),
                after: Some(serde_json::json!({
                    "periodo_attribuito": if whole { a } else { da },
                    "importo_cents": if whole { Some(*importo_pagamento_cents) } else { importo_pagamento_cents.checked_sub(*importo_cents) },
                    "spostati_cents": importo_cents,
                    "verso": a,
                    "nuova_riga": nuovo,
                })),
                note: None,
        });
        Ok(Ok(()))
    }

    async fn matricola(&self, pool: &Readers, contribuente_id: i64, r: &Richiesta) -> AppResult<Option<String>> {
        let found = pagamento(pool, r.pagamento_id).await?.filter(|(p, _)| of_contributor(p, contribuente_id));
        Ok(found.map(|(p, _)| p.matricola_indicata))
    }
}

/// Paid for one of its matricole or with its fiscal code: any other payment is never read into
/// the facts, so nothing of it (not even that it exists) reaches the submitter.
fn of_contributor(p: &Pagamento, contribuente_id: i64) -> bool {
    p.contribuente_matricola_id == Some(contribuente_id) || p.contribuente_versante_id == Some(contribuente_id)
}

async fn load(pool: &Readers, contribuente_id: i64, id: i64, periodo_corretto: Periodo) -> AppResult<Facts> {
    let found = pagamento(pool, id).await?.filter(|(p, _)| of_contributor(p, contribuente_id));
    let Some((pagamento, posizione_id)) = found else {
        return Ok(Facts {
            contribuente_id,
            pagamento: None,
            saldo_attuale: Saldo::default(),
            saldo_corretto: Saldo::default(),
        });
    };
    let (saldo_attuale, saldo_corretto) = match posizione_id {
        Some(pos) => (saldo(pool, pos, pagamento.periodo_attribuito).await?, saldo(pool, pos, periodo_corretto).await?),
        None => Default::default(),
    };
    Ok(Facts { contribuente_id, pagamento: Some(pagamento), saldo_attuale, saldo_corretto })
}

#[cfg(test)]
#[path = "rettifica_pagamento_tests.rs"]
mod tests;
