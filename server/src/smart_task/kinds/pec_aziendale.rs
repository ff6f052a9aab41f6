//! Smart-Task 8: Variazione indirizzo PEC aziendale.

use crate::error::{AppError, AppResult};
use crate::infra::audit::{Deferred, Entry};
use crate::infra::clock;
use crate::infra::db::dialect;
use crate::infra::db::exec::Exec;
use crate::infra::db::locks::LockKey;
use crate::smart_task::engine::{Check, Rule};
use crate::smart_task::kind::{FactsCx, RuleCx, SmartTaskKind, TargetCx};
use crate::smart_task::targets::{opt, target};
use crate::vals;
use serde::{Deserialize, Serialize};
use shared::dto::{FieldError, TargetView};
use shared::smart_task::Answers;
use shared::smart_task::kinds::pec_aziendale::{self as form, Richiesta};
use sqlx::Row;
use std::collections::HashMap;

pub struct VariazionePecAziendale;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Facts {
    pub contribuente_id: i64,
    pub natura_giuridica: String,
    pub obbligo_pec_registro_imprese: bool,
    pub pec_attuale: Option<String>,
    /// The new address is registered as the PEC of an intermediary.
    pub pec_di_intermediario: bool,
    /// The new address is the PEC of another contributor (decisions stored before this check
    /// read it as false).
    #[serde(default)]
    pub pec_di_altro_contribuente: bool,
}

pub const NON_OBBLIGATO_RI: Rule = Rule {
    codice: "ST08.NON_OBBLIGATO_REGISTRO_IMPRESE",
    descrizione: "Il contribuente non è tenuto a comunicare la PEC al Registro delle Imprese",
    riferimento: "D.L. 185/2008 art. 16 c.6 e D.L. 179/2012 art. 5: società e imprese individuali comunicano la PEC al Registro Imprese (ComUnica)",
};
pub const PEC_NON_DI_INTERMEDIARIO: Rule = Rule {
    codice: "ST08.PEC_NON_DI_INTERMEDIARIO",
    descrizione: "L'indirizzo non è la PEC di un intermediario",
    riferimento: "La PEC aziendale è ad uso esclusivo del contribuente",
};
pub const PEC_NON_DI_ALTRO_CONTRIBUENTE: Rule = Rule {
    codice: "ST08.PEC_NON_DI_ALTRO_CONTRIBUENTE",
    descrizione: "L'indirizzo non è la PEC di un altro contribuente",
    riferimento: "D.L. 185/2008 art. 16 c.6: ogni impresa comunica il proprio indirizzo PEC; le comunicazioni INPS all'azienda vi sono recapitate",
};
pub const PEC_DIVERSA: Rule = Rule {
    codice: "ST08.PEC_DIVERSA_DALL_ATTUALE",
    descrizione: "Il nuovo indirizzo è diverso da quello già registrato",
    riferimento: "Controllo di coerenza",
};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "tipo", rename_all = "snake_case")]
pub enum Effect {
    AggiornaPecAzienda { contribuente_id: i64, pec: String },
}

fn checks(pec: &str, f: &Facts) -> Vec<Check> {
    vec![
        NON_OBBLIGATO_RI.check(
            !f.obbligo_pec_registro_imprese,
            "Il contribuente non è iscritto al Registro delle Imprese con obbligo di PEC: la variazione si fa qui.",
            "Società e imprese individuali comunicano la PEC al Registro delle Imprese tramite ComUnica presso la Camera di Commercio; INPS la riceve da lì.",
            serde_json::json!({ "natura_giuridica": f.natura_giuridica, "obbligo_pec_registro_imprese": f.obbligo_pec_registro_imprese }),
        ),
        PEC_NON_DI_INTERMEDIARIO.check(
            !f.pec_di_intermediario,
            "L'indirizzo non risulta come PEC di un intermediario.",
            "L'indirizzo indicato è la PEC di un intermediario: la PEC aziendale deve essere un indirizzo del contribuente.",
            serde_json::json!({ "pec_nuova": pec, "pec_di_intermediario": f.pec_di_intermediario }),
        ),
        // The reason names no one: the submitter learns only that the address is taken.
        PEC_NON_DI_ALTRO_CONTRIBUENTE.check(
            !f.pec_di_altro_contribuente,
            "L'indirizzo non risulta come PEC di un altro contribuente.",
            "L'indirizzo indicato è già registrato come PEC di un altro contribuente: indicare un indirizzo PEC intestato all'azienda.",
            serde_json::json!({ "pec_nuova": pec, "pec_di_altro_contribuente": f.pec_di_altro_contribuente }),
        ),
        PEC_DIVERSA.check(
            f.pec_attuale.as_deref() != Some(pec),
            "Il nuovo indirizzo è diverso da quello registrato.",
            "L'indirizzo indicato è già quello registrato: non c'è nulla da variare.",
            serde_json::json!({ "pec_attuale": f.pec_attuale, "pec_nuova": pec }),
        ),
    ]
}

/// The facts of `items` by their place in it (a contributor that does not exist has none).
async fn read_many(items: &[(&FactsCx<'_>, &Richiesta)]) -> AppResult<HashMap<usize, Facts>> {
    let Some((first, _)) = items.first() else { return Ok(HashMap::new()) };
    let values = dialect::Params::new(first.engine).rows(items.len(), 3);
    let sql = format!(
        "SELECT v.column3 AS posto, c.id, c.natura_giuridica, c.obbligo_pec_registro_imprese, c.pec,
                (SELECT COUNT(*) FROM intermediari i WHERE LOWER(i.pec) = v.column2) AS di_intermediario,
                (SELECT COUNT(*) FROM contribuenti o WHERE LOWER(o.pec) = v.column2 AND o.id <> c.id) AS di_altro
         FROM (VALUES {values}) AS v JOIN contribuenti c ON c.id = v.column1"
    );
    let mut q = sqlx::query(&sql);
    for (posto, (cx, r)) in items.iter().enumerate() {
        q = q.bind(cx.req.contribuente_id).bind(r.pec.as_str()).bind(posto as i64);
    }
    let mut out = HashMap::new();
    for row in q.fetch_all(first.pool).await? {
        let posto = usize::try_from(row.try_get::<i64, _>("posto")?)
            .map_err(|_| AppError::Internal("posto della richiesta non valido".into()))?;
        let facts = Facts {
            contribuente_id: row.try_get("id")?,
            natura_giuridica: row.try_get("natura_giuridica")?,
            obbligo_pec_registro_imprese: row.try_get::<i64, _>("obbligo_pec_registro_imprese")? != 0,
            pec_attuale: row.try_get("pec")?,
            pec_di_intermediario: row.try_get::<i64, _>("di_intermediario")? > 0,
            pec_di_altro_contribuente: row.try_get::<i64, _>("di_altro")? > 0,
        };
        out.insert(posto, facts);
    }
    Ok(out)
}

impl SmartTaskKind for VariazionePecAziendale {
    type Request = Richiesta;
    type Facts = Facts;
    type Effect = Effect;
    const FACTS: &'static str = "pec_aziendale";
    const CHECKS_BEFORE_WRITING: bool = true;

    fn parse(&self, oggetto: &str, a: &Answers) -> Result<Richiesta, Vec<FieldError>> {
        form::parse(oggetto, a)
    }

    async fn targets(&self, cx: &TargetCx<'_>) -> AppResult<Vec<TargetView>> {
        let r = sqlx::query("SELECT pec, natura_giuridica FROM contribuenti WHERE id = $1")
            .bind(cx.subject.id)
            .fetch_one(cx.pool)
            .await?;
        Ok(vec![target(
            cx.subject.id,
            format!("PEC di {}", cx.subject.ragione_sociale),
            vec![("PEC attuale", opt(&r, "pec")?), ("Natura giuridica", r.try_get("natura_giuridica")?)],
        )])
    }

    async fn load(&self, cx: &FactsCx<'_>, r: &Richiesta) -> AppResult<Facts> {
        self.load_many(&[(cx, r)]).await.pop().unwrap_or_else(|| Err(AppError::Internal("fatti mancanti".into())))
    }

    /// One query for the whole batch: each request's contributor and whether its new address is
    /// already an intermediary's or another contributor's PEC.
    async fn load_many(&self, items: &[(&FactsCx<'_>, &Richiesta)]) -> Vec<AppResult<Facts>> {
        match read_many(items).await {
            Ok(mut by_place) => (0..items.len())
                .map(|i| by_place.remove(&i).ok_or_else(|| AppError::Internal("contribuente inesistente".into())))
                .collect(),
            Err(e) => items.iter().map(|_| Err(AppError::Internal(format!("fatti: {e}")))).collect(),
        }
    }

    fn rules(&self, r: &Richiesta, f: &Facts, _cx: &RuleCx<'_>) -> (Vec<Check>, Vec<Effect>) {
        let pec = r.pec.as_str();
        (checks(pec, f), vec![Effect::AggiornaPecAzienda { contribuente_id: f.contribuente_id, pec: pec.into() }])
    }

    /// `apply` reads and writes the company's row and counts the holders of the new address.
    fn lock_keys(&self, e: &Effect) -> Option<Vec<LockKey>> {
        let Effect::AggiornaPecAzienda { contribuente_id, pec } = e;
        Some(vec![LockKey::contribuente(*contribuente_id), LockKey::pec(pec)])
    }

    async fn apply(&self, conn: &mut dyn Exec, trail: &mut Deferred, e: &Effect) -> AppResult<Result<(), String>> {
        let Effect::AggiornaPecAzienda { contribuente_id, pec } = e;
        // One statement: on SQLite every statement of the single writer is a hand-off to its thread.
        let row = conn
            .fetch_one(
                "SELECT pec, (SELECT COUNT(*) FROM contribuenti o WHERE LOWER(o.pec) = LOWER($2) AND o.id <> $1) AS taken
                 FROM contribuenti WHERE id = $1",
                vals![*contribuente_id, pec],
            )
            .await?;
        let before: Option<String> = row.opt_text("pec")?;
        if before.as_deref() == Some(pec.as_str()) {
            return Ok(Err("Nel frattempo la PEC è già stata aggiornata a questo indirizzo.".into()));
        }
        if row.int("taken")? > 0 {
            return Ok(Err("Nel frattempo l'indirizzo è stato registrato come PEC di un altro contribuente.".into()));
        }
        conn.execute(
            "UPDATE contribuenti SET pec = $1, updated_at = $2, version = version + 1 WHERE id = $3",
            vals![pec, clock::now_ts(), *contribuente_id],
        )
        .await?;
        let entry = Entry {
            entity: "contribuente",
            entity_id: contribuente_id.to_string(),
            action: "variazione_pec",
            before: Some(serde_json::json!({ "pec": before })),
            after: Some(serde_json::json!({ "pec": pec })),
            note: None,
        };
        trail.record(entry);
        Ok(Ok(()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::smart_task::engine::Esito;

    fn facts() -> Facts {
        Facts {
            contribuente_id: 1,
            natura_giuridica: "ASSOCIAZIONE".into(),
            obbligo_pec_registro_imprese: false,
            pec_attuale: Some("vecchia@pec.it".into()),
            pec_di_intermediario: false,
            pec_di_altro_contribuente: false,
        }
    }

    fn failed(pec: &str, f: &Facts) -> Vec<String> {
        checks(pec, f).into_iter().filter(|c| c.esito == Esito::Ko).map(|c| c.codice).collect()
    }

    #[test]
    fn passes_and_each_failure() {
        assert!(failed("nuova@pec.it", &facts()).is_empty());
        let mut f = facts();
        f.obbligo_pec_registro_imprese = true;
        assert_eq!(failed("nuova@pec.it", &f), ["ST08.NON_OBBLIGATO_REGISTRO_IMPRESE"]);
        let mut f = facts();
        f.pec_di_intermediario = true;
        assert_eq!(failed("nuova@pec.it", &f), ["ST08.PEC_NON_DI_INTERMEDIARIO"]);
        let mut f = facts();
        f.pec_di_altro_contribuente = true;
        assert_eq!(failed("nuova@pec.it", &f), ["ST08.PEC_NON_DI_ALTRO_CONTRIBUENTE"]);
        assert_eq!(failed("vecchia@pec.it", &facts()), ["ST08.PEC_DIVERSA_DALL_ATTUALE"]);
    }
}
