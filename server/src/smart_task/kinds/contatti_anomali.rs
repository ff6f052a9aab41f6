//! Smart-Task 1: Cancellazione contatti anomali Note di Rettifica.
//!
//! A contact where notes di rettifica are notified may be deleted when the delivery system
//! flagged it (undelivered, mailbox full, invalid, not a PEC) or when it belongs to a delegato
//! whose delega has ended, provided another valid channel remains: a note must always reach
//! the contributor (domain.md §4.3 row 1).

use super::revoca_delega::{self, Delega};
use crate::error::AppResult;
use crate::infra::audit::{Deferred, Entry};
use crate::infra::clock;
use crate::infra::db::exec::Exec;
use crate::infra::db::readers::Readers;
use crate::smart_task::engine::{Check, CommonFacts, Rule};
use crate::smart_task::kind::{FactsCx, RuleCx, SmartTaskKind, TargetCx};
use crate::smart_task::targets::{it, target};
use crate::vals;
use serde::{Deserialize, Serialize};
use shared::dto::{FieldError, TargetView};
use shared::smart_task::Answers;
use shared::smart_task::kinds::contatti_anomali::{self as form, MotivoCancellazione, Richiesta};
use sqlx::Row;

pub struct CancellazioneContattiAnomali;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "tipo", rename_all = "snake_case")]
pub enum Effect {
    /// Logical deletion of a notification contact.
    CancellaContattoNotifica { contatto_id: i64 },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contatto {
    pub id: i64,
    /// The contributor owning the position the contact is attached to.
    pub contribuente_id: i64,
    pub matricola: String,
    pub canale: String,
    pub indirizzo: String,
    pub titolare: String,
    pub anomalia: Option<String>,
    pub cancellato: bool,
    pub delega: Option<Delega>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Facts {
    pub contribuente_id: i64,
    pub contatto: Option<Contatto>,
    /// The other contacts of the same position that are neither flagged nor deleted.
    pub altri_contatti_validi: Vec<String>,
    /// The company's PEC as registered (INI-PEC / Registro Imprese), a channel of last resort.
    pub pec_registrata: Option<String>,
}

pub const CONTATTO_DELLA_MATRICOLA: Rule = Rule {
    codice: "ST01.CONTATTO_DELLA_MATRICOLA",
    descrizione: "Il contatto è tra quelli a cui sono notificate le note di rettifica del contribuente",
    riferimento: "Msg. INPS 4583/2023, Cancellazione contatti anomali Note di Rettifica",
};
pub const CONTATTO_ANOMALO: Rule = Rule {
    codice: "ST01.CONTATTO_ANOMALO",
    descrizione: "Il contatto risulta anomalo oppure appartiene a un delegato con delega cessata",
    riferimento: "Msg. INPS 4583/2023; esiti di consegna del sistema di notifica",
};
pub const CANALE_RESIDUO: Rule = Rule {
    codice: "ST01.CANALE_RESIDUO",
    descrizione: "Dopo la cancellazione resta almeno un canale valido per le notifiche",
    riferimento: "D.L. 179/2012 art. 5 (INI-PEC); regola di progetto: la nota deve poter essere notificata",
};

fn anomalia_label(a: &str) -> &str {
    match a {
        "mancata_consegna" => "mancata consegna",
        "casella_piena" => "casella piena",
        "indirizzo_non_valido" => "indirizzo non valido",
        "non_pec" => "l'indirizzo non è una PEC",
        other => other,
    }
}

pub fn rules(
    contatto_id: i64,
    motivo: MotivoCancellazione,
    f: &Facts,
    common: &CommonFacts,
) -> (Vec<Check>, Vec<Effect>) {
    let mut checks = vec![];
    let contatto = f.contatto.as_ref().filter(|c| c.contribuente_id == f.contribuente_id && !c.cancellato);
    checks.push(
        CONTATTO_DELLA_MATRICOLA.check(
            contatto.is_some(),
            contatto
                .map(|c| format!("{} è un contatto di notifica della matricola {}.", c.indirizzo, c.matricola))
                .unwrap_or_default(),
            match &f.contatto {
                Some(c) if c.cancellato && c.contribuente_id == f.contribuente_id => "Il contatto risulta già cancellato.".to_string(),
                _ => {
                    "Il contatto indicato non è tra quelli di notifica delle note di rettifica di questo contribuente."
                        .to_string()
                }
            },
            // Another contributor's contact reads as a missing one (facts loaded only for the own).
            serde_json::json!({
                "contatto_id": contatto_id,
                "cancellato": f.contatto.as_ref().filter(|c| c.contribuente_id == f.contribuente_id).map(|c| c.cancellato),
            }),
        ),
    );
    let Some(c) = contatto else { return (checks, vec![]) };

    let delega_cessata = c.delega.as_ref().is_some_and(|g| !revoca_delega::attiva(g, common.data_riferimento));
    let ok = c.anomalia.is_some() || delega_cessata;
    let motivo_ok = match (&c.anomalia, delega_cessata) {
        (Some(a), _) => format!("Il sistema di notifica ha segnalato: {}.", anomalia_label(a)),
        _ => "Il contatto è di un delegato la cui delega è cessata.".to_string(),
    };
    let motivo_ko = if motivo == MotivoCancellazione::DelegaCessata && c.delega.is_some() {
        "La delega del titolare di questo contatto è ancora in vigore: per cancellarlo va prima revocata la delega."
    } else {
        "Il contatto non risulta anomalo: i messaggi vengono consegnati regolarmente. Se non è più corretto, lo aggiorni con una richiesta di variazione contatti."
    };
    checks.push(CONTATTO_ANOMALO.check(
        ok,
        motivo_ok,
        motivo_ko,
        serde_json::json!({
            "anomalia": c.anomalia,
            "titolare": c.titolare,
            "delega": c.delega.as_ref().map(|g| serde_json::json!({ "id": g.id, "data_fine": g.data_fine, "revocata_dal": g.revocata_dal })),
            "delega_cessata": delega_cessata,
            "motivo_dichiarato": motivo,
            "data_riferimento": common.data_riferimento,
        }),
    ));

    // The registered PEC counts unless it is the very address being deleted.
    let pec_alternativa = f.pec_registrata.as_deref().filter(|p| !p.eq_ignore_ascii_case(&c.indirizzo));
    let residuo_ok = !f.altri_contatti_validi.is_empty() || pec_alternativa.is_some();
    checks.push(CANALE_RESIDUO.check(
        residuo_ok,
        match (f.altri_contatti_validi.first(), pec_alternativa) {
            (Some(a), _) => format!("Le note continueranno ad arrivare a {a}."),
            (None, Some(p)) => format!("Le note saranno notificate alla PEC registrata {p}."),
            (None, None) => String::new(),
        },
        "È l'unico recapito valido per le notifiche: prima di cancellarlo comunichi una PEC valida (variazione PEC aziendale o Registro Imprese).",
        serde_json::json!({ "altri_contatti_validi": f.altri_contatti_validi, "pec_registrata": f.pec_registrata }),
    ));
    (checks, vec![Effect::CancellaContattoNotifica { contatto_id: c.id }])
}

impl SmartTaskKind for CancellazioneContattiAnomali {
    type Request = Richiesta;
    type Facts = Facts;
    type Effect = Effect;
    const FACTS: &'static str = "contatti_anomali";
    const CHECKS_BEFORE_WRITING: bool = true;

    fn parse(&self, oggetto: &str, a: &Answers) -> Result<Richiesta, Vec<FieldError>> {
        form::parse(oggetto, a)
    }

    async fn targets(&self, cx: &TargetCx<'_>) -> AppResult<Vec<TargetView>> {
        let rows = sqlx::query(
            "SELECT c.id, c.canale, c.indirizzo, c.titolare, c.anomalia, c.anomalia_dal, p.matricola
             FROM contatti_notifica c JOIN posizioni p ON p.id = c.posizione_id
             WHERE p.contribuente_id = $1 AND c.cancellato_il IS NULL ORDER BY p.matricola, c.id",
        )
        .bind(cx.subject.id)
        .fetch_all(cx.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let canale = if r.try_get::<String, _>("canale")? == "pec" { "PEC" } else { "E-mail" };
                let indirizzo: String = r.try_get("indirizzo")?;
                let a: Option<String> = r.try_get("anomalia")?;
                let matricola: String = r.try_get("matricola")?;
                let esito = match r.try_get::<Option<String>, _>("anomalia_dal")? {
                    Some(d) => format!("{} dal {}", anomalia(a.as_deref()), it(&d)),
                    None => anomalia(a.as_deref()).to_string(),
                };
                Ok(target(
                    r.try_get("id")?,
                    format!("{canale} {indirizzo} – matricola {matricola} – {}", anomalia(a.as_deref())),
                    vec![
                        ("Contatto", format!("{canale} {indirizzo}")),
                        ("Di", r.try_get("titolare")?),
                        ("Matricola", matricola),
                        ("Esito delle consegne", esito),
                    ],
                ))
            })
            .collect()
    }

    async fn load(&self, cx: &FactsCx<'_>, r: &Richiesta) -> AppResult<Facts> {
        load(cx.pool, cx.req.contribuente_id, r.contatto_id).await
    }

    fn rules(&self, r: &Richiesta, f: &Facts, cx: &RuleCx<'_>) -> (Vec<Check>, Vec<Effect>) {
        rules(r.contatto_id, r.motivo, f, cx.common)
    }

    async fn apply(&self, conn: &mut dyn Exec, trail: &mut Deferred, e: &Effect) -> AppResult<Result<(), String>> {
        let Effect::CancellaContattoNotifica { contatto_id } = e;
        let now = clock::now_ts();
        let n = conn
            .execute(
                "UPDATE contatti_notifica SET cancellato_il = $1, updated_at = $1, version = version + 1
                 WHERE id = $2 AND cancellato_il IS NULL",
                vals![&now, *contatto_id],
            )
            .await?;
        if n != 1 {
            return Ok(Err("Nel frattempo il contatto è già stato cancellato.".into()));
        }
        let entry = Entry {
            entity: "contatto_notifica",
            entity_id: contatto_id.to_string(),
            action: "cancellazione",
            before: Some(serde_json::json!({ "cancellato_il": null })),
            after: Some(serde_json::json!({ "cancellato_il": now })),
            note: None,
        };
        trail.record(entry);
        Ok(Ok(()))
    }

    async fn matricola(&self, pool: &Readers, contribuente_id: i64, r: &Richiesta) -> AppResult<Option<String>> {
        let sql = "SELECT p.matricola FROM contatti_notifica c JOIN posizioni p ON p.id = c.posizione_id
                   WHERE c.id = $1 AND p.contribuente_id = $2";
        let q = sqlx::query(sql).bind(r.contatto_id).bind(contribuente_id);
        Ok(q.fetch_optional(pool).await?.map(|r| r.try_get(0)).transpose()?)
    }
}

fn anomalia(a: Option<&str>) -> &'static str {
    match a {
        Some("mancata_consegna") => "mancata consegna",
        Some("casella_piena") => "casella piena",
        Some("indirizzo_non_valido") => "indirizzo non valido",
        Some("non_pec") => "non è una PEC",
        Some(_) => "anomalia segnalata",
        None => "nessuna anomalia segnalata",
    }
}

async fn load(pool: &Readers, contribuente_id: i64, id: i64) -> AppResult<Facts> {
    let row = sqlx::query(
        "SELECT c.id, c.posizione_id, c.canale, c.indirizzo, c.titolare, c.delega_id, c.anomalia, c.cancellato_il,
                p.matricola, p.contribuente_id, k.pec AS pec_registrata
         FROM contatti_notifica c JOIN posizioni p ON p.id = c.posizione_id JOIN contribuenti k ON k.id = p.contribuente_id
         WHERE c.id = $1 AND p.contribuente_id = $2",
    )
    .bind(id)
    .bind(contribuente_id)
    .fetch_optional(pool)
    .await?;
    let Some(r) = row else {
        return Ok(Facts { contribuente_id, contatto: None, altri_contatti_validi: vec![], pec_registrata: None });
    };
    let delega = match r.try_get::<Option<i64>, _>("delega_id")? {
        Some(d) => revoca_delega::load_delega(pool, d).await?,
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
    Ok(Facts {
        contribuente_id,
        contatto: Some(Contatto {
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

#[cfg(test)]
#[path = "contatti_anomali_tests.rs"]
mod tests;
