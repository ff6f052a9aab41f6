//! Smart-Task 6 (Variazione contatti intermediario) and 7 (Variazione contatti dipendente
//! aziendale).

use super::revoca_delega::{self, Delega};
use crate::error::AppResult;
use crate::infra::audit::{Deferred, Entry};
use crate::infra::clock;
use crate::infra::db::exec::Exec;
use crate::smart_task::engine::{Check, CommonFacts, Rule};
use crate::smart_task::kind::{FactsCx, RuleCx, SmartTaskKind, TargetCx};
use crate::smart_task::targets::{opt, target};
use crate::vals;
use serde::{Deserialize, Serialize};
use shared::dto::{FieldError, TargetView};
use shared::smart_task::Answers;
use shared::smart_task::kinds::contatti::{self as form, Contatti, Richiesta};
use sqlx::Row;

/// Kind 6: the intermediary changes its own contacts.
pub struct VariazioneContattiIntermediario;
/// Kind 7: an employee's contacts, through the company's delega to that employee.
pub struct VariazioneContattiDipendente;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "tipo", rename_all = "snake_case")]
pub enum Effect {
    /// Only the contacts given change.
    AggiornaContattiIntermediario {
        intermediario_id: i64,
        contatti: Contatti,
    },
    AggiornaContattiPersona {
        persona_id: i64,
        contatti: Contatti,
    },
}

/// Current contacts of whoever the request changes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Current {
    pub email: Option<String>,
    pub pec: Option<String>,
    pub telefono: Option<String>,
    pub cellulare: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IntermediarioFacts {
    pub intermediario_id: Option<i64>,
    pub intermediario_persona_id: Option<i64>,
    pub richiedente_persona_id: Option<i64>,
    pub deleghe_attive: i64,
    pub attuali: Current,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DipendenteFacts {
    pub contribuente_id: i64,
    pub delega: Option<Delega>,
    pub richiedente_persona_id: Option<i64>,
    pub richiedente_rappresentante_legale: bool,
    pub attuali: Current,
}

pub const RICHIEDENTE_INTERMEDIARIO: Rule = Rule {
    codice: "ST06.RICHIEDENTE_E_L_INTERMEDIARIO",
    descrizione: "L'intermediario indicato è il richiedente stesso",
    riferimento: "Msg. INPS 4583/2023, Variazione contatti intermediario",
};
pub const DELEGHE_ATTIVE: Rule = Rule {
    codice: "ST06.ALMENO_UNA_DELEGA_ATTIVA",
    descrizione: "L'intermediario ha almeno una delega in vigore",
    riferimento: "L. 12/1979; Msg. INPS 18367/2011 (gestione deleghe)",
};
pub const DELEGA_DEL_CONTRIBUENTE: Rule = Rule {
    codice: "ST07.DELEGA_DEL_CONTRIBUENTE",
    descrizione: "La delega indicata esiste ed è stata rilasciata dal contribuente",
    riferimento: "Msg. INPS 4583/2023, Variazione contatti dipendente aziendale",
};
pub const DELEGA_DIPENDENTE: Rule = Rule {
    codice: "ST07.DELEGA_A_DIPENDENTE_IN_VIGORE",
    descrizione: "Il dipendente ha una delega del contribuente in vigore",
    riferimento: "Msg. INPS 18367/2011 (delega a dipendente)",
};
pub const RICHIEDENTE_DIPENDENTE: Rule = Rule {
    codice: "ST07.RICHIEDENTE_TITOLATO",
    descrizione: "La variazione è chiesta dal dipendente o dal titolare / rappresentante legale",
    riferimento: "Msg. INPS 4583/2023, Variazione contatti dipendente aziendale",
};
pub const CONTATTO_VARIATO: Rule = Rule {
    codice: "ST00.ALMENO_UN_CONTATTO_VARIATO",
    descrizione: "Almeno un contatto indicato è diverso da quello registrato",
    riferimento: "Controllo di coerenza",
};

fn changed(new: &Contatti, cur: &Current) -> bool {
    let differs = |n: Option<&str>, c: &Option<String>| n.is_some_and(|n| c.as_deref() != Some(n));
    differs(new.email.as_ref().map(|e| e.as_str()), &cur.email)
        || differs(new.pec.as_ref().map(|e| e.as_str()), &cur.pec)
        || differs(new.telefono.as_ref().map(|t| t.as_str()), &cur.telefono)
        || differs(new.cellulare.as_ref().map(|t| t.as_str()), &cur.cellulare)
}

fn changed_check(new: &Contatti, cur: &Current) -> Check {
    CONTATTO_VARIATO.check(
        changed(new, cur),
        "Almeno un contatto cambia.",
        "I contatti indicati sono uguali a quelli già registrati: non c'è nulla da variare.",
        serde_json::json!({ "attuali": cur, "nuovi": new }),
    )
}

/// Someone else's target is refused first and alone, with nothing read from it: the submitter
/// must not learn whether it exists, how many deleghe it holds or what its contacts are.
pub fn rules_intermediario(new: &Contatti, f: &IntermediarioFacts) -> (Vec<Check>, Vec<Effect>) {
    let is_self = f.intermediario_persona_id.is_some() && f.intermediario_persona_id == f.richiedente_persona_id;
    let owner = RICHIEDENTE_INTERMEDIARIO.check(
        is_self,
        "La variazione è chiesta dall'intermediario stesso.",
        "Solo l'intermediario può variare i propri contatti: quello indicato non è il richiedente o non esiste.",
        serde_json::json!({ "richiedente_e_intermediario": is_self }),
    );
    if !is_self {
        return (vec![owner], vec![]);
    }
    let checks = vec![
        owner,
        DELEGHE_ATTIVE.check(
            f.deleghe_attive > 0,
            format!("Deleghe in vigore: {}.", f.deleghe_attive),
            "L'intermediario non ha deleghe in vigore: i suoi contatti non sono usati da INPS.",
            serde_json::json!({ "deleghe_attive": f.deleghe_attive }),
        ),
        changed_check(new, &f.attuali),
    ];
    let effects = f
        .intermediario_id
        .map(|id| vec![Effect::AggiornaContattiIntermediario { intermediario_id: id, contatti: new.clone() }])
        .unwrap_or_default();
    (checks, effects)
}

pub fn rules_dipendente(new: &Contatti, f: &DipendenteFacts, common: &CommonFacts) -> (Vec<Check>, Vec<Effect>) {
    let oggi = common.data_riferimento;
    let del_contribuente = f.delega.as_ref().filter(|g| g.contribuente_id == f.contribuente_id);
    let owner = DELEGA_DEL_CONTRIBUENTE.check(
        del_contribuente.is_some(),
        "La delega indicata è stata rilasciata dal contribuente.",
        "La delega indicata non esiste o non è stata rilasciata da questo contribuente.",
        serde_json::json!({ "contribuente_id": f.contribuente_id }),
    );
    if del_contribuente.is_none() {
        return (vec![owner], vec![]);
    }
    let delega = del_contribuente.filter(|g| g.ruolo == "dipendente");
    let attiva = delega.is_some_and(|g| {
        g.data_inizio <= oggi && g.data_fine.is_none_or(|d| oggi <= d) && g.revocata_dal.is_none_or(|r| oggi < r)
    });
    let is_self = delega.is_some_and(|g| f.richiedente_persona_id == Some(g.delegato_persona_id));
    let checks = vec![
        owner,
        DELEGA_DIPENDENTE.check(
            attiva,
            "La delega a dipendente è in vigore.",
            "Non risulta una delega a dipendente in vigore per questa persona e questo contribuente.",
            serde_json::json!({ "delega": f.delega, "data_riferimento": oggi }),
        ),
        RICHIEDENTE_DIPENDENTE.check(
            is_self || f.richiedente_rappresentante_legale,
            if is_self { "La variazione è chiesta dal dipendente stesso." } else { "La variazione è chiesta dal titolare o rappresentante legale." },
            "Solo il dipendente delegato o il titolare / rappresentante legale possono variare questi contatti.",
            serde_json::json!({ "dipendente_stesso": is_self, "rappresentante_legale": f.richiedente_rappresentante_legale }),
        ),
        changed_check(new, &f.attuali),
    ];
    let effects = delega
        .map(|g| vec![Effect::AggiornaContattiPersona { persona_id: g.delegato_persona_id, contatti: new.clone() }])
        .unwrap_or_default();
    (checks, effects)
}

impl SmartTaskKind for VariazioneContattiIntermediario {
    type Request = Richiesta;
    type Facts = IntermediarioFacts;
    type Effect = Effect;
    const FACTS: &'static str = "contatti_intermediario";

    fn parse(&self, oggetto: &str, a: &Answers) -> Result<Richiesta, Vec<FieldError>> {
        form::parse_intermediario(oggetto, a)
    }

    async fn targets(&self, cx: &TargetCx<'_>) -> AppResult<Vec<TargetView>> {
        let rows = sqlx::query(
            "SELECT id, denominazione, email, pec, telefono, cellulare FROM intermediari WHERE persona_id = $1",
        )
        .bind(cx.user.persona_id.unwrap_or(-1))
        .fetch_all(cx.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(target(
                    r.try_get("id")?,
                    format!("I miei contatti ({})", r.try_get::<String, _>("denominazione")?),
                    vec![
                        ("E-mail attuale", opt(r, "email")?),
                        ("PEC attuale", opt(r, "pec")?),
                        ("Telefono attuale", opt(r, "telefono")?),
                        ("Cellulare attuale", opt(r, "cellulare")?),
                    ],
                ))
            })
            .collect()
    }

    async fn load(&self, cx: &FactsCx<'_>, r: &Richiesta) -> AppResult<IntermediarioFacts> {
        // Only the requester's own record is read.
        let row = sqlx::query(
            "SELECT id, persona_id, email, pec, telefono, cellulare FROM intermediari WHERE id = $1 AND persona_id = $2",
        )
        .bind(r.target_id)
        .bind(cx.requester.persona_id.unwrap_or(-1))
        .fetch_optional(cx.pool)
        .await?;
        let (intermediario_id, persona_id, attuali) = match &row {
            Some(r) => (
                Some(r.try_get::<i64, _>("id")?),
                Some(r.try_get::<i64, _>("persona_id")?),
                Current {
                    email: r.try_get("email")?,
                    pec: r.try_get("pec")?,
                    telefono: r.try_get("telefono")?,
                    cellulare: r.try_get("cellulare")?,
                },
            ),
            None => (None, None, Current::default()),
        };
        let day = cx.req.data_riferimento.format("%Y-%m-%d").to_string();
        let deleghe_attive: i64 = sqlx::query(
            "SELECT COUNT(*) FROM deleghe WHERE delegato_persona_id = $1 AND ruolo = 'intermediario' AND data_inizio <= $2
             AND (data_fine IS NULL OR data_fine >= $2) AND (revocata_dal IS NULL OR revocata_dal > $2)",
        )
        .bind(persona_id.unwrap_or(-1))
        .bind(&day)
        .fetch_one(cx.pool)
        .await?
        .try_get(0)?;
        Ok(IntermediarioFacts {
            intermediario_id,
            intermediario_persona_id: persona_id,
            richiedente_persona_id: cx.requester.persona_id,
            deleghe_attive,
            attuali,
        })
    }

    fn rules(&self, r: &Richiesta, f: &IntermediarioFacts, _cx: &RuleCx<'_>) -> (Vec<Check>, Vec<Effect>) {
        rules_intermediario(&r.contatti, f)
    }

    async fn apply(&self, conn: &mut dyn Exec, trail: &mut Deferred, e: &Effect) -> AppResult<Result<(), String>> {
        apply(conn, trail, e).await
    }
}

impl SmartTaskKind for VariazioneContattiDipendente {
    type Request = Richiesta;
    type Facts = DipendenteFacts;
    type Effect = Effect;
    const FACTS: &'static str = "contatti_dipendente";

    fn parse(&self, oggetto: &str, a: &Answers) -> Result<Richiesta, Vec<FieldError>> {
        form::parse_dipendente(oggetto, a)
    }

    async fn targets(&self, cx: &TargetCx<'_>) -> AppResult<Vec<TargetView>> {
        let rows = revoca_delega::deleghe_in_vigore(cx, "dipendente").await?;
        rows.iter().map(|r| revoca_delega::delega_target(r, revoca_delega::contatti_delegato(r)?)).collect()
    }

    async fn load(&self, cx: &FactsCx<'_>, r: &Richiesta) -> AppResult<DipendenteFacts> {
        let delega = revoca_delega::delega_of(cx.pool, r.target_id, cx.req.contribuente_id).await?;
        let attuali = match &delega {
            // The contacts of the company's own employee only (not of its intermediaries).
            Some(g) if g.ruolo == "dipendente" => {
                let r = sqlx::query("SELECT email, pec, telefono FROM persone WHERE id = $1")
                    .bind(g.delegato_persona_id)
                    .fetch_one(cx.pool)
                    .await?;
                Current {
                    email: r.try_get("email")?,
                    pec: r.try_get("pec")?,
                    telefono: r.try_get("telefono")?,
                    cellulare: None,
                }
            }
            _ => Current::default(),
        };
        Ok(DipendenteFacts {
            contribuente_id: cx.req.contribuente_id,
            delega,
            richiedente_persona_id: cx.requester.persona_id,
            richiedente_rappresentante_legale: cx.rappresentante_legale,
            attuali,
        })
    }

    fn rules(&self, r: &Richiesta, f: &DipendenteFacts, cx: &RuleCx<'_>) -> (Vec<Check>, Vec<Effect>) {
        rules_dipendente(&r.contatti, f, cx.common)
    }

    async fn apply(&self, conn: &mut dyn Exec, trail: &mut Deferred, e: &Effect) -> AppResult<Result<(), String>> {
        apply(conn, trail, e).await
    }
}

async fn apply(conn: &mut dyn Exec, trail: &mut Deferred, e: &Effect) -> AppResult<Result<(), String>> {
    match e {
        Effect::AggiornaContattiIntermediario { intermediario_id, contatti } => {
            update_contacts(conn, trail, "intermediari", "intermediario", *intermediario_id, contatti, true).await?
        }
        Effect::AggiornaContattiPersona { persona_id, contatti } => {
            update_contacts(conn, trail, "persone", "persona", *persona_id, contatti, false).await?
        }
    }
    Ok(Ok(()))
}

/// Sets the contacts given (the others stay), with the before/after in the audit trail.
async fn update_contacts(
    conn: &mut dyn Exec,
    trail: &mut Deferred,
    table: &'static str,
    entity: &'static str,
    id: i64,
    c: &Contatti,
    with_mobile: bool,
) -> AppResult<()> {
    let cols = if with_mobile { "email, pec, telefono, cellulare" } else { "email, pec, telefono" };
    let before_row = conn.fetch_one(&format!("SELECT {cols} FROM {table} WHERE id = $1"), vals![id]).await?;
    let mut before = serde_json::Map::new();
    for col in cols.split(", ") {
        before.insert(col.into(), serde_json::json!(before_row.opt_text(col)?));
    }
    let email = c.email.as_ref().map(|e| e.as_str().to_string());
    let pec = c.pec.as_ref().map(|e| e.as_str().to_string());
    let telefono = c.telefono.as_ref().map(|t| t.as_str().to_string());
    let cellulare = c.cellulare.as_ref().map(|t| t.as_str().to_string());
    let mobile = if with_mobile { ", cellulare = COALESCE($4, cellulare)" } else { "" };
    let sql = format!(
        "UPDATE {table} SET email = COALESCE($1, email), pec = COALESCE($2, pec), telefono = COALESCE($3, telefono){mobile},
                updated_at = $5, version = version + 1 WHERE id = $6"
    );
    conn.execute(&sql, vals![email.clone(), pec.clone(), telefono.clone(), cellulare.clone(), clock::now_ts(), id])
        .await?;
    trail.record(Entry {
        entity,
        entity_id: id.to_string(),
        action: "variazione_contatti",
        before: Some(serde_json::Value::Object(before)),
        after: Some(serde_json::json!({ "email": email, "pec": pec, "telefono": telefono, "cellulare": cellulare })),
        note: None,
    });
    Ok(())
}

#[cfg(test)]
#[path = "contatti_tests.rs"]
mod tests;
