//! Smart-Task 12: Variazione contatti soggetto collegato.

use crate::error::AppResult;
use crate::infra::audit::{Deferred, Entry};
use crate::infra::clock;
use crate::infra::db::exec::Exec;
use crate::smart_task::collegati::{self, Relazione};
use crate::smart_task::engine::{Check, CommonFacts, Rule};
use crate::smart_task::kind::{FactsCx, RuleCx, SmartTaskKind, TargetCx};
use crate::vals;
use serde::{Deserialize, Serialize};
use shared::dto::{FieldError, TargetView};
use shared::smart_task::Answers;
use shared::smart_task::kinds::contatti_collegato::{self as form, Richiesta};

pub struct VariazioneContattiCollegato;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Facts {
    pub posizione_attiva: bool,
    pub relazione: Option<Relazione>,
}

pub const RELAZIONE: Rule = Rule {
    codice: "ST12.RELAZIONE_DELL_AZIENDA",
    descrizione: "Il soggetto è collegato all'azienda",
    riferimento: "Msg. INPS 4583/2023, Variazione contatti soggetto collegato",
};
pub const POSIZIONE: Rule = Rule {
    codice: "ST12.POSIZIONE_ATTIVA",
    descrizione: "L'azienda ha una posizione contributiva in essere",
    riferimento: "Msg. INPS 4583/2023",
};
pub const ATTIVA: Rule = Rule {
    codice: "ST12.RELAZIONE_ATTIVA",
    descrizione: "La relazione è in corso",
    riferimento: "Anagrafica dei soggetti collegati: si aggiornano solo le relazioni in corso",
};
pub const DIVERSI: Rule = Rule {
    codice: "ST12.CONTATTI_DIVERSI",
    descrizione: "Almeno un contatto cambia",
    riferimento: "Controllo di coerenza",
};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "tipo", rename_all = "snake_case")]
pub enum Effect {
    /// The person's contacts given (the others unchanged).
    AggiornaContattiPersona { persona_id: i64, email: Option<String>, pec: Option<String>, telefono: Option<String> },
}

pub fn rules(r: &Richiesta, f: &Facts, common: &CommonFacts) -> (Vec<Check>, Vec<Effect>) {
    let mut checks = vec![collegati::check_relazione(&RELAZIONE, f.relazione.as_ref())];
    let Some(rel) = &f.relazione else { return (checks, vec![]) };
    checks.push(collegati::check_posizione_attiva(&POSIZIONE, f.posizione_attiva));
    checks.push(collegati::check_attiva(&ATTIVA, rel, common.data_riferimento));
    let c = &r.contatti;
    let (email, pec, tel) = (
        c.email.as_ref().map(|e| e.as_str().to_string()),
        c.pec.as_ref().map(|e| e.as_str().to_string()),
        c.telefono.as_ref().map(|t| t.as_str().to_string()),
    );
    let cambia = |nuovo: &Option<String>, vecchio: &Option<String>| nuovo.is_some() && nuovo != vecchio;
    checks.push(DIVERSI.check(
        cambia(&email, &rel.email) || cambia(&pec, &rel.pec) || cambia(&tel, &rel.telefono),
        "I contatti indicati sono diversi da quelli registrati.",
        "I contatti indicati sono già quelli registrati: non c'è nulla da variare.",
        serde_json::json!({}),
    ));
    (checks, vec![Effect::AggiornaContattiPersona { persona_id: rel.persona_id, email, pec, telefono: tel }])
}

impl SmartTaskKind for VariazioneContattiCollegato {
    type Request = Richiesta;
    type Facts = Facts;
    type Effect = Effect;
    const FACTS: &'static str = "contatti_collegato";

    fn parse(&self, oggetto: &str, a: &Answers) -> Result<Richiesta, Vec<FieldError>> {
        form::parse(oggetto, a)
    }

    async fn targets(&self, cx: &TargetCx<'_>) -> AppResult<Vec<TargetView>> {
        collegati::targets(cx).await
    }

    async fn load(&self, cx: &FactsCx<'_>, r: &Richiesta) -> AppResult<Facts> {
        Ok(Facts {
            posizione_attiva: collegati::posizione_attiva(cx.pool, cx.req.contribuente_id).await?,
            relazione: collegati::load(cx.pool, cx.req.contribuente_id, r.target_id).await?,
        })
    }

    fn rules(&self, r: &Richiesta, f: &Facts, cx: &RuleCx<'_>) -> (Vec<Check>, Vec<Effect>) {
        rules(r, f, cx.common)
    }

    async fn apply(&self, conn: &mut dyn Exec, trail: &mut Deferred, e: &Effect) -> AppResult<Result<(), String>> {
        let Effect::AggiornaContattiPersona { persona_id, email, pec, telefono } = e;
        let prima =
            conn.fetch_one("SELECT email, pec, telefono FROM persone WHERE id = $1", vals![*persona_id]).await?;
        let before = serde_json::json!({
            "email": prima.opt_text("email")?,
            "pec": prima.opt_text("pec")?,
            "telefono": prima.opt_text("telefono")?,
        });
        conn.execute(
            "UPDATE persone SET email = COALESCE($1, email), pec = COALESCE($2, pec), telefono = COALESCE($3, telefono),
                    updated_at = $4, version = version + 1 WHERE id = $5",
            vals![email, pec, telefono, clock::now_ts(), *persona_id],
        )
        .await?;
        let after = serde_json::json!({ "email": email, "pec": pec, "telefono": telefono });
        let entry = Entry {
            entity: "persona",
            entity_id: persona_id.to_string(),
            action: "variazione_contatti",
            before: Some(before),
            after: Some(after),
            note: None,
        };
        trail.record(entry);
        Ok(Ok(()))
    }
}
