//! Smart-Task 4 (Revoca delega intermediario) and 5 (Revoca delega dipendente).

use crate::error::AppResult;
use crate::infra::audit::{Deferred, Entry};
use crate::infra::clock;
use crate::infra::db::exec::Exec;
use crate::infra::db::readers::Readers;
use crate::smart_task::engine::{Check, CommonFacts, Rule};
use crate::smart_task::kind::{FactsCx, RuleCx, SmartTaskKind, TargetCx};
use crate::smart_task::targets::{it, opt, target};
use crate::vals;
use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};
use shared::dto::{FieldError, TargetView};
use shared::smart_task::kinds::revoca_delega::{self as form, Richiesta};
use shared::smart_task::{Answers, Kind};
use shared::time::format_date_it;
use sqlx::Row;
use sqlx::any::AnyRow;
use std::collections::BTreeMap;

/// Kinds 4 and 5: the same rules for the two roles of a delega.
pub struct RevocaDelega {
    pub ruolo: &'static str,
}
pub const INTERMEDIARIO: RevocaDelega = RevocaDelega { ruolo: "intermediario" };
pub const DIPENDENTE: RevocaDelega = RevocaDelega { ruolo: "dipendente" };

pub const PARAM_MAX_GIORNI_FUTURO: &str = "ST.REVOCA_DELEGA.MAX_GIORNI_FUTURO";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Delega {
    pub id: i64,
    pub contribuente_id: i64,
    pub ruolo: String,
    pub delegato_persona_id: i64,
    pub data_inizio: NaiveDate,
    pub data_fine: Option<NaiveDate>,
    pub revocata_dal: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Facts {
    pub contribuente_id: i64,
    pub delega: Option<Delega>,
    pub richiedente_persona_id: Option<i64>,
    pub richiedente_rappresentante_legale: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "tipo", rename_all = "snake_case")]
pub enum Effect {
    /// Set `revocata_dal` on the delega (never retroactive).
    RevocaDelega { delega_id: i64, dal: NaiveDate },
}

pub const DELEGA_DEL_CONTRIBUENTE: Rule = Rule {
    codice: "ST04.DELEGA_DEL_CONTRIBUENTE",
    descrizione: "La delega esiste ed è stata rilasciata dal contribuente",
    riferimento: "Msg. INPS 4583/2023, Revoca delega",
};
pub const RUOLO_DELEGA: Rule = Rule {
    codice: "ST04.RUOLO_DELEGA",
    descrizione: "La delega è del tipo indicato nella richiesta",
    riferimento: "Msg. INPS 18367/2011 (gestione deleghe)",
};
pub const RICHIEDENTE: Rule = Rule {
    codice: "ST04.RICHIEDENTE_TITOLATO_ALLA_REVOCA",
    descrizione: "La revoca è chiesta dal titolare o rappresentante legale, oppure dal delegato stesso",
    riferimento: "Circ. INPS 28/2011 (soggetti abilitati e deleghe)",
};
pub const DELEGA_ATTIVA: Rule = Rule {
    codice: "ST04.DELEGA_ATTIVA",
    descrizione: "La delega è in vigore alla data della richiesta",
    riferimento: "Msg. INPS 18367/2011: delega attiva se inizio ≤ data ≤ fine",
};
pub const DATA_EFFETTO: Rule = Rule {
    codice: "ST04.DATA_EFFETTO_AMMESSA",
    descrizione: "La revoca non è retroattiva e ha effetto entro il limite ammesso",
    riferimento: "Regola di progetto: la revoca non è retroattiva; parametro ST.REVOCA_DELEGA.MAX_GIORNI_FUTURO",
};

/// In force on `day`: started, not ended, not revoked (a revocation is never retroactive).
pub fn attiva(g: &Delega, day: NaiveDate) -> bool {
    g.data_inizio <= day && g.data_fine.is_none_or(|f| day <= f) && g.revocata_dal.is_none_or(|r| day < r)
}

pub fn rules(
    kind: Kind,
    data_effetto: NaiveDate,
    f: &Facts,
    common: &CommonFacts,
    params: &BTreeMap<String, String>,
) -> (Vec<Check>, Vec<Effect>) {
    let oggi = common.data_riferimento;
    let ruolo_atteso = if kind == Kind::RevocaDelegaDipendente { "dipendente" } else { "intermediario" };
    let mut checks = vec![];
    let delega = f.delega.as_ref().filter(|g| g.contribuente_id == f.contribuente_id);
    checks.push(DELEGA_DEL_CONTRIBUENTE.check(
        delega.is_some(),
        "La delega indicata è stata rilasciata dal contribuente.",
        "La delega indicata non esiste o non è stata rilasciata da questo contribuente.",
        // Nothing here may tell a delega of another contributor from one that does not exist.
        serde_json::json!({ "contribuente_id": f.contribuente_id }),
    ));
    let Some(g) = delega else { return (checks, vec![]) };
    checks.push(RUOLO_DELEGA.check(
        g.ruolo == ruolo_atteso,
        format!("È una delega a {ruolo_atteso}."),
        format!(
            "La delega è a {}, non a {ruolo_atteso}: presentare la richiesta \"Revoca delega {}\".",
            g.ruolo,
            if g.ruolo == "dipendente" { "dipendente" } else { "intermediario" }
        ),
        serde_json::json!({ "ruolo_delega": g.ruolo, "ruolo_atteso": ruolo_atteso }),
    ));
    let e_delegato = f.richiedente_persona_id == Some(g.delegato_persona_id);
    checks.push(RICHIEDENTE.check(
        f.richiedente_rappresentante_legale || e_delegato,
        if e_delegato { "La revoca è chiesta dal delegato stesso." } else { "La revoca è chiesta dal titolare o rappresentante legale." },
        "Solo il titolare o rappresentante legale dell'azienda, o il delegato stesso, possono revocare questa delega.",
        serde_json::json!({ "rappresentante_legale": f.richiedente_rappresentante_legale, "delegato_stesso": e_delegato }),
    ));
    let attiva = attiva(g, oggi);
    let perche_non_attiva = match (g.revocata_dal, g.data_fine) {
        (Some(r), _) => {
            format!("La delega risulta già revocata dal {}: non serve revocarla di nuovo.", format_date_it(r))
        }
        (None, Some(f)) if f < oggi => format!("La delega è scaduta il {}: non serve revocarla.", format_date_it(f)),
        _ => format!("La delega non è ancora in vigore (dal {}).", format_date_it(g.data_inizio)),
    };
    checks.push(DELEGA_ATTIVA.check(
        attiva,
        "La delega è in vigore.",
        perche_non_attiva,
        serde_json::json!({ "data_inizio": g.data_inizio, "data_fine": g.data_fine, "revocata_dal": g.revocata_dal, "data_riferimento": oggi }),
    ));
    let max_giorni: i64 = params.get(PARAM_MAX_GIORNI_FUTURO).and_then(|v| v.parse().ok()).unwrap_or(365);
    let limite = oggi + Duration::days(max_giorni);
    let data_ok = data_effetto >= oggi && data_effetto <= limite;
    checks.push(DATA_EFFETTO.check(
        data_ok,
        format!("La revoca avrà effetto dal {}.", format_date_it(data_effetto)),
        if data_effetto < oggi {
            format!("La revoca non può essere retroattiva: indicare una data dal {} in poi.", format_date_it(oggi))
        } else {
            format!("La revoca può avere effetto al più tardi il {}.", format_date_it(limite))
        },
        serde_json::json!({ "data_effetto": data_effetto, "data_riferimento": oggi, PARAM_MAX_GIORNI_FUTURO: max_giorni }),
    ));
    (checks, vec![Effect::RevocaDelega { delega_id: g.id, dal: data_effetto }])
}

impl SmartTaskKind for RevocaDelega {
    type Request = Richiesta;
    type Facts = Facts;
    type Effect = Effect;
    const FACTS: &'static str = "revoca_delega";
    const CHECKS_BEFORE_WRITING: bool = true;

    fn parse(&self, oggetto: &str, a: &Answers) -> Result<Richiesta, Vec<FieldError>> {
        form::parse(oggetto, a)
    }

    async fn targets(&self, cx: &TargetCx<'_>) -> AppResult<Vec<TargetView>> {
        deleghe_in_vigore(cx, self.ruolo).await?.iter().map(|r| delega_target(r, vec![])).collect()
    }

    async fn load(&self, cx: &FactsCx<'_>, r: &Richiesta) -> AppResult<Facts> {
        Ok(Facts {
            contribuente_id: cx.req.contribuente_id,
            delega: delega_of(cx.pool, r.delega_id, cx.req.contribuente_id).await?,
            richiedente_persona_id: cx.requester.persona_id,
            richiedente_rappresentante_legale: cx.rappresentante_legale,
        })
    }

    fn rules(&self, r: &Richiesta, f: &Facts, cx: &RuleCx<'_>) -> (Vec<Check>, Vec<Effect>) {
        rules(cx.kind, r.data_effetto, f, cx.common, cx.params)
    }

    async fn apply(&self, conn: &mut dyn Exec, trail: &mut Deferred, e: &Effect) -> AppResult<Result<(), String>> {
        let Effect::RevocaDelega { delega_id, dal } = e;
        let dal = dal.format("%Y-%m-%d").to_string();
        let n = conn
            .execute(
                "UPDATE deleghe SET revocata_dal = $1, updated_at = $2, version = version + 1
                 WHERE id = $3 AND revocata_dal IS NULL AND (data_fine IS NULL OR data_fine >= $1)",
                vals![&dal, clock::now_ts(), *delega_id],
            )
            .await?;
        if n != 1 {
            return Ok(Err(
                "Nel frattempo la delega è stata revocata o è scaduta: la revoca non è stata applicata di nuovo."
                    .into(),
            ));
        }
        let entry = Entry {
            entity: "delega",
            entity_id: delega_id.to_string(),
            action: "revoca",
            before: Some(serde_json::json!({ "revocata_dal": null })),
            after: Some(serde_json::json!({ "revocata_dal": dal })),
            note: None,
        };
        trail.record(entry);
        Ok(Ok(()))
    }
}

/// The subject's deleghe of `ruolo` in force today, with the delegato's contacts (kinds 4, 5, 7).
pub(crate) async fn deleghe_in_vigore(cx: &TargetCx<'_>, ruolo: &str) -> AppResult<Vec<AnyRow>> {
    Ok(sqlx::query(
        "SELECT g.id, p.nome, p.cognome, p.codice_fiscale, p.email, p.pec, p.telefono, g.data_inizio, g.data_fine
         FROM deleghe g JOIN persone p ON p.id = g.delegato_persona_id
         WHERE g.contribuente_id = $1 AND g.ruolo = $2 AND g.data_inizio <= $3
           AND (g.data_fine IS NULL OR g.data_fine >= $3) AND (g.revocata_dal IS NULL OR g.revocata_dal > $3)
         ORDER BY p.cognome, p.nome, g.id",
    )
    .bind(cx.subject.id)
    .bind(ruolo)
    .bind(cx.today.format("%Y-%m-%d").to_string())
    .fetch_all(cx.pool)
    .await?)
}

/// A delega as a target: who, since when, until when, then `extra` (the contacts for kind 7).
pub(crate) fn delega_target(r: &AnyRow, extra: Vec<(&str, String)>) -> AppResult<TargetView> {
    let inizio: String = r.try_get("data_inizio")?;
    let fine: Option<String> = r.try_get("data_fine")?;
    let (nome, cognome, cf): (String, String, String) =
        (r.try_get("nome")?, r.try_get("cognome")?, r.try_get("codice_fiscale")?);
    let mut dati = vec![
        ("Delegato", format!("{nome} {cognome}")),
        ("Codice fiscale", cf.clone()),
        ("In vigore dal", it(&inizio)),
        ("Scadenza", fine.as_deref().map(it).unwrap_or_else(|| "nessuna".into())),
    ];
    dati.extend(extra);
    Ok(target(r.try_get("id")?, format!("{nome} {cognome} ({cf}), delega dal {}", it(&inizio)), dati))
}

/// The delegato's current contacts, as shown for kind 7.
pub(crate) fn contatti_delegato(r: &AnyRow) -> AppResult<Vec<(&'static str, String)>> {
    Ok(vec![
        ("E-mail attuale", opt(r, "email")?),
        ("PEC attuale", opt(r, "pec")?),
        ("Telefono attuale", opt(r, "telefono")?),
    ])
}

/// The delega only if the contributor gave it: another contributor's is never read into the
/// facts (stored in the trace), so its details cannot reach the submitter.
pub(crate) async fn delega_of(pool: &Readers, id: i64, contribuente_id: i64) -> AppResult<Option<Delega>> {
    Ok(load_delega(pool, id).await?.filter(|g| g.contribuente_id == contribuente_id))
}

pub(crate) async fn load_delega(pool: &Readers, id: i64) -> AppResult<Option<Delega>> {
    let row = sqlx::query(
        "SELECT id, contribuente_id, ruolo, delegato_persona_id, data_inizio, data_fine, revocata_dal FROM deleghe WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(pool)
    .await?;
    let Some(r) = row else { return Ok(None) };
    let date = |s: Option<String>| s.as_deref().and_then(clock::parse_date);
    Ok(Some(Delega {
        id: r.try_get("id")?,
        contribuente_id: r.try_get("contribuente_id")?,
        ruolo: r.try_get("ruolo")?,
        delegato_persona_id: r.try_get("delegato_persona_id")?,
        data_inizio: date(r.try_get("data_inizio")?).unwrap_or(NaiveDate::MAX),
        data_fine: date(r.try_get("data_fine")?),
        revocata_dal: date(r.try_get("revocata_dal")?),
    }))
}

#[cfg(test)]
#[path = "revoca_delega_tests.rs"]
mod tests;
