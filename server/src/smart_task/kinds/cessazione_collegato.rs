//! Smart-Task 14: Cessazione relazione soggetto collegato.

use crate::error::AppResult;
use crate::infra::audit::{Deferred, Entry};
use crate::infra::clock;
use crate::infra::db::exec::Exec;
use crate::smart_task::collegati::{self, Relazione};
use crate::smart_task::engine::{Check, CommonFacts, Rule};
use crate::smart_task::kind::{FactsCx, RuleCx, SmartTaskKind, TargetCx};
use crate::vals;
use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};
use shared::dto::{FieldError, TargetView};
use shared::smart_task::Answers;
use shared::smart_task::kinds::cessazione_collegato::{self as form, Richiesta};
use shared::time::format_date_it;
use sqlx::Row;

pub struct CessazioneCollegato;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Facts {
    pub relazione: Option<Relazione>,
    /// Other legal representatives in office the day after the end.
    pub altri_rappresentanti: i64,
}

pub const RELAZIONE: Rule = Rule {
    codice: "ST14.RELAZIONE_DELL_AZIENDA",
    descrizione: "Il soggetto è collegato all'azienda",
    riferimento: "Msg. INPS 4583/2023, Cessazione relazione soggetto collegato",
};
pub const ATTIVA: Rule = Rule {
    codice: "ST14.RELAZIONE_ATTIVA",
    descrizione: "La relazione è in corso",
    riferimento: "Anagrafica dei soggetti collegati",
};
pub const DATA_FINE: Rule = Rule {
    codice: "ST14.DATA_FINE_NON_ANTERIORE_INIZIO",
    descrizione: "La fine non precede l'inizio della relazione",
    riferimento: "Controllo di coerenza",
};
pub const NON_CERTIFICATA: Rule = Rule {
    codice: "ST14.RELAZIONE_NON_CERTIFICATA",
    descrizione: "La relazione non è certificata dalla Camera di Commercio",
    riferimento: "[D] Le cariche certificate (InfoCamere) si variano al Registro delle Imprese e arrivano a INPS da lì",
};
pub const NON_ULTIMO: Rule = Rule {
    codice: "ST14.NON_ULTIMO_RAPPRESENTANTE",
    descrizione: "L'azienda resta con un legale rappresentante",
    riferimento: "[D] Un datore di lavoro ha sempre un legale rappresentante: si inserisce prima il nuovo (Smart-Task 13)",
};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "tipo", rename_all = "snake_case")]
pub enum Effect {
    CessaRelazione { relazione_id: i64, al: NaiveDate },
}

pub fn rules(r: &Richiesta, f: &Facts, common: &CommonFacts) -> (Vec<Check>, Vec<Effect>) {
    let mut checks = vec![collegati::check_relazione(&RELAZIONE, f.relazione.as_ref())];
    let Some(rel) = &f.relazione else { return (checks, vec![]) };
    checks.push(collegati::check_attiva(&ATTIVA, rel, common.data_riferimento));
    checks.push(DATA_FINE.check(
        r.al >= rel.dal,
        format!("La carica termina il {}.", format_date_it(r.al)),
        format!("La relazione è iniziata il {}: la fine non può precederla.", format_date_it(rel.dal)),
        serde_json::json!({ "dal": rel.dal, "al": r.al }),
    ));
    checks.push(NON_CERTIFICATA.check(
        !rel.certificata,
        "La relazione non è certificata dalla Camera di Commercio.",
        "La carica è certificata dalla Camera di Commercio: la cessazione va comunicata al Registro delle Imprese, da cui INPS la riceve.",
        serde_json::json!({ "certificata": rel.certificata }),
    ));
    checks.push(NON_ULTIMO.check(
        !rel.rappresentante_legale || f.altri_rappresentanti > 0,
        "Dopo la cessazione l'azienda ha un legale rappresentante.",
        "È l'unico legale rappresentante in carica: inserire prima il nuovo legale rappresentante, poi cessare questa carica.",
        serde_json::json!({ "rappresentante_legale": rel.rappresentante_legale, "altri_rappresentanti": f.altri_rappresentanti }),
    ));
    (checks, vec![Effect::CessaRelazione { relazione_id: rel.relazione_id, al: r.al }])
}

impl SmartTaskKind for CessazioneCollegato {
    type Request = Richiesta;
    type Facts = Facts;
    type Effect = Effect;
    const FACTS: &'static str = "cessazione_collegato";
    const CHECKS_BEFORE_WRITING: bool = true;

    fn parse(&self, oggetto: &str, a: &Answers) -> Result<Richiesta, Vec<FieldError>> {
        form::parse(oggetto, a)
    }

    async fn targets(&self, cx: &TargetCx<'_>) -> AppResult<Vec<TargetView>> {
        collegati::targets(cx).await
    }

    async fn load(&self, cx: &FactsCx<'_>, r: &Richiesta) -> AppResult<Facts> {
        let id = cx.req.contribuente_id;
        let dopo = (r.al + Duration::days(1)).format("%Y-%m-%d").to_string();
        let altri: i64 = sqlx::query(
            "SELECT COUNT(*) FROM soggetti_collegati WHERE contribuente_id = $1 AND id <> $2 AND rappresentante_legale = 1
             AND dal <= $3 AND (al IS NULL OR al >= $3)",
        )
        .bind(id)
        .bind(r.relazione_id)
        .bind(&dopo)
        .fetch_one(cx.pool)
        .await?
        .try_get(0)?;
        Ok(Facts { relazione: collegati::load(cx.pool, id, r.relazione_id).await?, altri_rappresentanti: altri })
    }

    fn rules(&self, r: &Richiesta, f: &Facts, cx: &RuleCx<'_>) -> (Vec<Check>, Vec<Effect>) {
        rules(r, f, cx.common)
    }

    async fn apply(&self, conn: &mut dyn Exec, trail: &mut Deferred, e: &Effect) -> AppResult<Result<(), String>> {
        let Effect::CessaRelazione { relazione_id, al } = e;
        let n = conn
            .execute(
                "UPDATE soggetti_collegati SET al = $1, updated_at = $2, version = version + 1 WHERE id = $3 AND al IS NULL",
                vals![al.format("%Y-%m-%d").to_string(), clock::now_ts(), *relazione_id],
            )
            .await?;
        if n != 1 {
            return Ok(Err("Nel frattempo la relazione è già stata cessata.".into()));
        }
        let entry = Entry {
            entity: "soggetto_collegato",
            entity_id: relazione_id.to_string(),
            action: "cessazione",
            before: Some(serde_json::json!({ "al": null })),
            after: Some(serde_json::json!({ "al": al })),
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

    fn d(s: &str) -> NaiveDate {
        clock::parse_date(s).unwrap()
    }

    fn rel(lr: bool, certificata: bool) -> Relazione {
        Relazione {
            relazione_id: 5,
            persona_id: 9,
            ruolo: "legale_rappresentante".into(),
            rappresentante_legale: lr,
            certificata,
            dal: d("2020-01-01"),
            al: None,
            email: None,
            pec: None,
            telefono: None,
        }
    }

    fn failed(al: &str, rel: Option<Relazione>, altri: i64) -> Vec<String> {
        let common = CommonFacts {
            data_riferimento: d("2026-06-01"),
            titolo_richiedente: None,
            richieste_aperte_stesso_oggetto: 0,
        };
        let (checks, _) = rules(
            &Richiesta { relazione_id: 5, al: d(al) },
            &Facts { relazione: rel, altri_rappresentanti: altri },
            &common,
        );
        checks.into_iter().filter(|c| c.esito == Esito::Ko).map(|c| c.codice).collect()
    }

    #[test]
    fn passes_and_each_failure() {
        assert!(failed("2026-06-30", Some(rel(true, false)), 1).is_empty());
        assert!(failed("2026-06-30", Some(rel(false, false)), 0).is_empty());
        assert_eq!(failed("2026-06-30", None, 1), ["ST14.RELAZIONE_DELL_AZIENDA"]);
        assert_eq!(failed("2019-12-31", Some(rel(false, false)), 0), ["ST14.DATA_FINE_NON_ANTERIORE_INIZIO"]);
        assert_eq!(failed("2026-06-30", Some(rel(false, true)), 0), ["ST14.RELAZIONE_NON_CERTIFICATA"]);
        assert_eq!(failed("2026-06-30", Some(rel(true, false)), 0), ["ST14.NON_ULTIMO_RAPPRESENTANTE"]);
        let mut finita = rel(false, false);
        finita.al = Some(d("2025-12-31"));
        assert_eq!(failed("2026-06-30", Some(finita), 0), ["ST14.RELAZIONE_ATTIVA"]);
    }
}
