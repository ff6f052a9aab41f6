//! Smart-Task 17: Richiesta DPA (Dichiarazione preventiva di agevolazione).

use crate::error::AppResult;
use crate::infra::audit::{Deferred, Entry};
use crate::infra::clock;
use crate::infra::db::exec::Exec;
use crate::infra::db::readers::Readers;
use crate::smart_task::engine::{Check, Rule};
use crate::smart_task::kind::{FactsCx, RuleCx, SmartTaskKind, TargetCx};
use crate::smart_task::posizione::{self, Posizione};
use crate::vals;
use serde::{Deserialize, Serialize};
use shared::dto::{FieldError, TargetView};
use shared::periodo::Periodo;
use shared::smart_task::Answers;
use shared::smart_task::kinds::dpa::{self as form, Richiesta};
use sqlx::Row;

pub struct RichiestaDpa;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Facts {
    pub posizione: Option<Posizione>,
    /// DPA already registered for the same benefit on months overlapping the request's.
    pub sovrapposte: i64,
}

pub const POSIZIONE_DEL_CONTRIBUENTE: Rule = Rule {
    codice: "ST17.POSIZIONE_DEL_CONTRIBUENTE",
    descrizione: "La matricola è del contribuente",
    riferimento: "Msg. INPS 2648/2018 (DPA)",
};
pub const MATRICOLA_ATTIVA: Rule = Rule {
    codice: "ST17.MATRICOLA_ATTIVA",
    descrizione: "La matricola è attiva o riattivata",
    riferimento: "Msg. INPS 2648/2018: la DPA riguarda una matricola con lavoratori",
};
pub const NON_SOVRAPPOSTA: Rule = Rule {
    codice: "ST17.NESSUNA_DPA_SOVRAPPOSTA",
    descrizione: "Nessuna DPA copre già la stessa agevolazione negli stessi mesi",
    riferimento: "Msg. INPS 2648/2018",
};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "tipo", rename_all = "snake_case")]
pub enum Effect {
    RegistraDpa { posizione_id: i64, agevolazione: String, dal: Periodo, al: Periodo },
}

pub fn rules(r: &Richiesta, f: &Facts) -> (Vec<Check>, Vec<Effect>) {
    let mut checks = vec![posizione::del_contribuente(&POSIZIONE_DEL_CONTRIBUENTE, f.posizione.as_ref())];
    let Some(p) = &f.posizione else { return (checks, vec![]) };
    checks.push(MATRICOLA_ATTIVA.check(
        p.stato.operativa(),
        format!("La matricola {} è {}.", p.matricola, p.stato.label().to_lowercase()),
        format!(
            "La matricola {} è {}: la DPA si presenta per una matricola attiva.",
            p.matricola,
            p.stato.label().to_lowercase()
        ),
        serde_json::json!({ "stato": p.stato }),
    ));
    checks.push(NON_SOVRAPPOSTA.check(
        f.sovrapposte == 0,
        format!("Nessuna DPA per questa agevolazione tra {} e {}.", r.dal, r.al),
        format!("Una DPA per questa agevolazione copre già alcuni mesi tra {} e {}.", r.dal, r.al),
        serde_json::json!({ "dpa_sovrapposte": f.sovrapposte }),
    ));
    let effect = Effect::RegistraDpa {
        posizione_id: p.posizione_id,
        agevolazione: r.agevolazione.clone(),
        dal: r.dal,
        al: r.al,
    };
    (checks, vec![effect])
}

/// DPA of the same benefit over some of the same months. Binds: position, benefit, last month, first month.
const SOVRAPPOSTE: &str =
    "SELECT COUNT(*) FROM dpa WHERE posizione_id = $1 AND agevolazione = $2 AND mese_dal <= $3 AND mese_al >= $4";

async fn sovrapposte<'e, E: sqlx::Executor<'e, Database = sqlx::Any>>(
    ex: E,
    pos: i64,
    agevolazione: &str,
    dal: Periodo,
    al: Periodo,
) -> AppResult<i64> {
    Ok(sqlx::query(SOVRAPPOSTE)
        .bind(pos)
        .bind(agevolazione)
        .bind(al.key())
        .bind(dal.key())
        .fetch_one(ex)
        .await?
        .try_get(0)?)
}

impl SmartTaskKind for RichiestaDpa {
    type Request = Richiesta;
    type Facts = Facts;
    type Effect = Effect;
    const FACTS: &'static str = "richiesta_dpa";
    const CHECKS_BEFORE_WRITING: bool = true;

    fn parse(&self, oggetto: &str, a: &Answers) -> Result<Richiesta, Vec<FieldError>> {
        form::parse(oggetto, a)
    }

    async fn targets(&self, cx: &TargetCx<'_>) -> AppResult<Vec<TargetView>> {
        posizione::targets(cx).await
    }

    async fn load(&self, cx: &FactsCx<'_>, r: &Richiesta) -> AppResult<Facts> {
        let p = posizione::load(cx.pool, cx.req.contribuente_id, r.posizione_id).await?;
        let n = match &p {
            Some(p) => sovrapposte(cx.pool, p.posizione_id, &r.agevolazione, r.dal, r.al).await?,
            None => 0,
        };
        Ok(Facts { posizione: p, sovrapposte: n })
    }

    fn rules(&self, r: &Richiesta, f: &Facts, _cx: &RuleCx<'_>) -> (Vec<Check>, Vec<Effect>) {
        rules(r, f)
    }

    async fn apply(&self, conn: &mut dyn Exec, trail: &mut Deferred, e: &Effect) -> AppResult<Result<(), String>> {
        let Effect::RegistraDpa { posizione_id, agevolazione, dal, al } = e;
        if conn.fetch_one(SOVRAPPOSTE, vals![*posizione_id, agevolazione, al.key(), dal.key()]).await?.int(0)? > 0 {
            return Ok(Err("Nel frattempo è stata registrata una DPA per gli stessi mesi.".into()));
        }
        let origine = trail.actor().request_id.clone().unwrap_or_else(|| trail.actor().name.clone());
        let id = conn
            .fetch_one(
                "INSERT INTO dpa (posizione_id, agevolazione, mese_dal, mese_al, origine, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                vals![*posizione_id, agevolazione, dal.key(), al.key(), &origine, clock::now_ts()],
            )
            .await?
            .int(0)?;
        let entry = Entry {
            entity: "dpa",
            entity_id: id.to_string(),
            action: "registrazione",
            before: None,
            after: Some(
                serde_json::json!({ "posizione_id": posizione_id, "agevolazione": agevolazione, "dal": dal, "al": al }),
            ),
            note: None,
        };
        trail.record(entry);
        Ok(Ok(()))
    }

    async fn matricola(&self, pool: &Readers, contribuente_id: i64, r: &Richiesta) -> AppResult<Option<String>> {
        posizione::matricola(pool, contribuente_id, r.posizione_id).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::smart_task::engine::Esito;
    use crate::smart_task::posizione::tests::posizione;
    use shared::posizione::StatoPosizione;

    fn failed(p: Option<Posizione>, sovrapposte: i64) -> Vec<String> {
        let r = Richiesta {
            posizione_id: 7,
            agevolazione: "esonero_giovani".into(),
            dal: Periodo::parse("01/2026").unwrap(),
            al: Periodo::parse("06/2026").unwrap(),
        };
        rules(&r, &Facts { posizione: p, sovrapposte })
            .0
            .into_iter()
            .filter(|c| c.esito == Esito::Ko)
            .map(|c| c.codice)
            .collect()
    }

    #[test]
    fn passes_and_each_failure() {
        assert!(failed(Some(posizione(StatoPosizione::Attiva, "2020-01-01", None)), 0).is_empty());
        assert_eq!(failed(None, 0), ["ST17.POSIZIONE_DEL_CONTRIBUENTE"]);
        let sospesa = Some(posizione(StatoPosizione::Sospesa, "2025-01-01", None));
        assert_eq!(failed(sospesa, 0), ["ST17.MATRICOLA_ATTIVA"]);
        assert_eq!(
            failed(Some(posizione(StatoPosizione::Attiva, "2020-01-01", None)), 1),
            ["ST17.NESSUNA_DPA_SOVRAPPOSTA"]
        );
    }
}
