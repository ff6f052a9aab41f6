//! Smart-Task 16: Sgravio per sostituzione di lavoratori in congedo (codice 9R).

use crate::error::AppResult;
use crate::infra::audit::Deferred;
use crate::infra::clock;
use crate::infra::db::exec::Exec;
use crate::infra::db::readers::Readers;
use crate::smart_task::codici::{self, Effect, unita};
use crate::smart_task::engine::{Check, Rule};
use crate::smart_task::kind::{FactsCx, RuleCx, SmartTaskKind, TargetCx};
use crate::smart_task::targets::{it, target};
use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};
use shared::dto::{FieldError, TargetView};
use shared::periodo::Periodo;
use shared::smart_task::Answers;
use shared::smart_task::kinds::sostituzione_maternita::{self as form, Richiesta};
use shared::time::format_date_it;

use sqlx::Row;
use std::collections::BTreeMap;

pub struct SostituzioneMaternita;

pub const CODICE: &str = "9R";
pub const PARAM_SOGLIA: &str = "ST.SOSTITUZIONE_MATERNITA.SOGLIA_DIPENDENTI";

/// A worker's leave, as INPS knows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Congedo {
    pub posizione_id: i64,
    pub codice_fiscale: String,
    pub tipo: String,
    pub dal: NaiveDate,
    pub al: NaiveDate,
    pub data_evento: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Facts {
    pub congedo: Option<Congedo>,
    /// The month before the replacement began, whose headcount is compared.
    pub mese_riferimento: Periodo,
    /// The company's headcount that month, in hundredths (part-time pro rata, no apprentices).
    pub forza_centesimi: i64,
}

pub const CONGEDO_DEL_CONTRIBUENTE: Rule = Rule {
    codice: "ST16.CONGEDO_DEL_CONTRIBUENTE",
    descrizione: "Il congedo è di un dipendente del contribuente",
    riferimento: "D.lgs. 151/2001, art. 4",
};
pub const SOGLIA: Rule = Rule {
    codice: "ST16.MENO_DI_20_DIPENDENTI",
    descrizione: "L'azienda ha meno di 20 dipendenti all'inizio della sostituzione",
    riferimento: "D.lgs. 151/2001, art. 4, c. 3 (part-time pro quota, apprendisti esclusi: d.lgs. 81/2015 artt. 9 e 47); parametro ST.SOSTITUZIONE_MATERNITA.SOGLIA_DIPENDENTI",
};
pub const DURANTE_CONGEDO: Rule = Rule {
    codice: "ST16.SOSTITUZIONE_DURANTE_CONGEDO",
    descrizione: "La sostituzione inizia durante il congedo o al più un mese prima",
    riferimento: "D.lgs. 151/2001, art. 4, c. 2 (anticipo fino a un mese per l'affiancamento)",
};
pub const ENTRO_UN_ANNO: Rule = Rule {
    codice: "ST16.ENTRO_UN_ANNO_DALL_EVENTO",
    descrizione: "La sostituzione inizia entro un anno dalla nascita o dall'ingresso del figlio",
    riferimento: "D.lgs. 151/2001, art. 4, c. 3: sgravio fino al compimento di un anno di età del figlio o dall'accoglienza",
};
pub const SOSTITUTO_DIVERSO: Rule = Rule {
    codice: "ST16.SOSTITUTO_DIVERSO_DAL_SOSTITUITO",
    descrizione: "Il sostituto non è la persona in congedo",
    riferimento: "Controllo di coerenza",
};

pub fn rules(r: &Richiesta, f: &Facts, params: &BTreeMap<String, String>) -> (Vec<Check>, Vec<Effect>) {
    let mut checks = vec![CONGEDO_DEL_CONTRIBUENTE.check(
        f.congedo.is_some(),
        "Il congedo è di un dipendente del contribuente.",
        "Il congedo indicato non esiste o non è di un dipendente di questo contribuente.",
        serde_json::json!({ "trovato": f.congedo.is_some() }),
    )];
    let Some(c) = &f.congedo else { return (checks, vec![]) };
    let soglia: Option<i64> = params.get(PARAM_SOGLIA).and_then(|v| v.parse().ok());
    let (mese, forza) = (f.mese_riferimento, unita(f.forza_centesimi));
    checks.push(SOGLIA.check(
        soglia.is_some_and(|s| f.forza_centesimi < s.saturating_mul(100)),
        format!("A {mese} l'azienda ha {forza} dipendenti: meno di {}.", soglia.unwrap_or(0)),
        format!("A {mese} l'azienda ha {forza} dipendenti: lo sgravio spetta solo sotto i {}.", soglia.unwrap_or(0)),
        serde_json::json!({ "mese": mese, "dipendenti": forza, PARAM_SOGLIA: soglia }),
    ));
    let anticipo = c.dal.checked_sub_months(Months::new(1)).unwrap_or(c.dal);
    checks.push(DURANTE_CONGEDO.check(
        r.dal >= anticipo && r.dal <= c.al,
        format!("La sostituzione inizia il {}, nel periodo ammesso.", format_date_it(r.dal)),
        format!(
            "Il congedo va dal {} al {}: la sostituzione deve iniziare tra il {} e il {}.",
            format_date_it(c.dal),
            format_date_it(c.al),
            format_date_it(anticipo),
            format_date_it(c.al)
        ),
        serde_json::json!({ "inizio_sostituzione": r.dal, "congedo_dal": c.dal, "congedo_al": c.al }),
    ));
    let anno = c.data_evento.checked_add_months(Months::new(12)).unwrap_or(c.data_evento);
    checks.push(ENTRO_UN_ANNO.check(
        r.dal < anno,
        format!("La sostituzione inizia prima del {}.", format_date_it(anno)),
        format!(
            "Lo sgravio spetta fino al {} (un anno dall'evento): la sostituzione inizia dopo.",
            format_date_it(anno)
        ),
        serde_json::json!({ "data_evento": c.data_evento, "inizio_sostituzione": r.dal }),
    ));
    checks.push(SOSTITUTO_DIVERSO.check(
        r.sostituto.as_str() != c.codice_fiscale,
        "Il sostituto è una persona diversa da quella in congedo.",
        "Il codice fiscale del sostituto è quello della persona in congedo.",
        serde_json::json!({}),
    ));
    // From the start to the end of the contract, at most until the child's first year.
    let fine = r.al.min(anno.pred_opt().unwrap_or(anno));
    let effect = Effect::AssegnaCodice {
        codice: CODICE.into(),
        posizioni: vec![c.posizione_id],
        dal: r.dal,
        al: Some(fine),
        unico: false,
    };
    (checks, vec![effect])
}

async fn congedo(pool: &Readers, contribuente_id: i64, id: i64) -> AppResult<Option<Congedo>> {
    let r = sqlx::query(
        "SELECT c.posizione_id, c.codice_fiscale_lavoratore, c.tipo, c.dal, c.al, c.data_evento
         FROM congedi c JOIN posizioni p ON p.id = c.posizione_id WHERE c.id = $1 AND p.contribuente_id = $2",
    )
    .bind(id)
    .bind(contribuente_id)
    .fetch_optional(pool)
    .await?;
    let Some(r) = r else { return Ok(None) };
    Ok(Some(Congedo {
        posizione_id: r.try_get("posizione_id")?,
        codice_fiscale: r.try_get("codice_fiscale_lavoratore")?,
        tipo: r.try_get("tipo")?,
        dal: clock::stored_date(&r.try_get::<String, _>("dal")?)?,
        al: clock::stored_date(&r.try_get::<String, _>("al")?)?,
        data_evento: clock::stored_date(&r.try_get::<String, _>("data_evento")?)?,
    }))
}

impl SmartTaskKind for SostituzioneMaternita {
    type Request = Richiesta;
    type Facts = Facts;
    type Effect = Effect;
    const FACTS: &'static str = "sostituzione_maternita";

    fn parse(&self, oggetto: &str, a: &Answers) -> Result<Richiesta, Vec<FieldError>> {
        form::parse(oggetto, a)
    }

    /// The threshold in force when the replacement began.
    fn parameters_date(&self, r: &Richiesta) -> Option<NaiveDate> {
        Some(r.dal)
    }

    async fn targets(&self, cx: &TargetCx<'_>) -> AppResult<Vec<TargetView>> {
        let rows = sqlx::query(
            "SELECT c.id, c.nominativo, c.tipo, c.dal, c.al, c.data_evento, p.matricola
             FROM congedi c JOIN posizioni p ON p.id = c.posizione_id WHERE p.contribuente_id = $1 ORDER BY c.dal DESC",
        )
        .bind(cx.subject.id)
        .fetch_all(cx.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let tipo = if r.try_get::<String, _>("tipo")? == "paternita" { "paternità" } else { "maternità" };
                let (dal, al) = (it(&r.try_get::<String, _>("dal")?), it(&r.try_get::<String, _>("al")?));
                let nome: String = r.try_get("nominativo")?;
                Ok(target(
                    r.try_get("id")?,
                    format!("{nome} – congedo di {tipo} dal {dal} al {al}"),
                    vec![
                        ("Lavoratore in congedo", nome),
                        ("Congedo", format!("{tipo}, dal {dal} al {al}")),
                        ("Nascita o ingresso del figlio", it(&r.try_get::<String, _>("data_evento")?)),
                        ("Matricola", r.try_get("matricola")?),
                    ],
                ))
            })
            .collect()
    }

    async fn load(&self, cx: &FactsCx<'_>, r: &Richiesta) -> AppResult<Facts> {
        let mese = Periodo::of(r.dal).plus_months(-1).unwrap_or(Periodo::of(r.dal));
        Ok(Facts {
            congedo: congedo(cx.pool, cx.req.contribuente_id, r.congedo_id).await?,
            mese_riferimento: mese,
            forza_centesimi: codici::forza_mese(cx.pool, cx.req.contribuente_id, mese).await?,
        })
    }

    fn rules(&self, r: &Richiesta, f: &Facts, cx: &RuleCx<'_>) -> (Vec<Check>, Vec<Effect>) {
        rules(r, f, cx.params)
    }

    async fn apply(&self, conn: &mut dyn Exec, trail: &mut Deferred, e: &Effect) -> AppResult<Result<(), String>> {
        codici::apply(conn, trail, e).await
    }

    async fn matricola(&self, pool: &Readers, contribuente_id: i64, r: &Richiesta) -> AppResult<Option<String>> {
        let sql = "SELECT p.matricola FROM congedi c JOIN posizioni p ON p.id = c.posizione_id
                   WHERE c.id = $1 AND p.contribuente_id = $2";
        let q = sqlx::query(sql).bind(r.congedo_id).bind(contribuente_id);
        Ok(q.fetch_optional(pool).await?.map(|r| r.try_get(0)).transpose()?)
    }
}

#[cfg(test)]
#[path = "sostituzione_maternita_tests.rs"]
mod tests;
