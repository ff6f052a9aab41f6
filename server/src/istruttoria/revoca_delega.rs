//! Smart-Task 4 (Revoca delega intermediario) and 5 (Revoca delega dipendente).

use super::{Check, CommonFacts, Effect, Rule};
use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};
use shared::smart_task::Kind;
use std::collections::BTreeMap;

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

fn d(x: NaiveDate) -> String {
    x.format("%d/%m/%Y").to_string()
}

pub fn rules(
    kind: Kind,
    delega_id: i64,
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
        serde_json::json!({ "delega_id": delega_id, "trovata": f.delega.is_some(), "contribuente_id": f.contribuente_id }),
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
        (Some(r), _) => format!("La delega risulta già revocata dal {}: non serve revocarla di nuovo.", d(r)),
        (None, Some(f)) if f < oggi => format!("La delega è scaduta il {}: non serve revocarla.", d(f)),
        _ => format!("La delega non è ancora in vigore (dal {}).", d(g.data_inizio)),
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
        format!("La revoca avrà effetto dal {}.", d(data_effetto)),
        if data_effetto < oggi {
            format!("La revoca non può essere retroattiva: indicare una data dal {} in poi.", d(oggi))
        } else {
            format!("La revoca può avere effetto al più tardi il {}.", d(limite))
        },
        serde_json::json!({ "data_effetto": data_effetto, "data_riferimento": oggi, PARAM_MAX_GIORNI_FUTURO: max_giorni }),
    ));
    (checks, vec![Effect::RevocaDelega { delega_id: g.id, dal: data_effetto }])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::istruttoria::{Esito, KindFacts, Outcome, Snapshot, decide};
    use shared::smart_task::Parsed;

    fn day(y: i32, m: u32, dd: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, dd).unwrap()
    }

    fn snapshot(f: Facts) -> Snapshot {
        Snapshot {
            common: CommonFacts {
                data_riferimento: day(2026, 11, 22),
                titolo_richiedente: Some("rappresentante legale".into()),
                richieste_aperte_stesso_oggetto: 0,
            },
            kind: KindFacts::RevocaDelega(f),
            parametri: [(PARAM_MAX_GIORNI_FUTURO.to_string(), "365".to_string())].into(),
        }
    }

    fn facts() -> Facts {
        Facts {
            contribuente_id: 7,
            delega: Some(Delega {
                id: 3,
                contribuente_id: 7,
                ruolo: "intermediario".into(),
                delegato_persona_id: 40,
                data_inizio: day(2024, 1, 1),
                data_fine: None,
                revocata_dal: None,
            }),
            richiedente_persona_id: Some(10),
            richiedente_rappresentante_legale: true,
        }
    }

    fn run(f: Facts, data: NaiveDate, kind: Kind) -> crate::istruttoria::Decision {
        decide(kind, &Parsed::RevocaDelega { delega_id: 3, data_effetto: data }, &snapshot(f))
    }

    fn failed(dec: &crate::istruttoria::Decision) -> Vec<String> {
        dec.checks.iter().filter(|c| c.esito == Esito::Ko).map(|c| c.codice.clone()).collect()
    }

    #[test]
    fn accepted_with_effect() {
        let dec = run(facts(), day(2026, 11, 22), Kind::RevocaDelegaIntermediario);
        assert_eq!(dec.outcome, Outcome::Accolta, "{:?}", dec.motivi());
        assert_eq!(dec.effects, vec![Effect::RevocaDelega { delega_id: 3, dal: day(2026, 11, 22) }]);
        assert!(dec.checks.len() >= 7);
    }

    #[test]
    fn each_check_fails_on_its_own_case() {
        let mut f = facts();
        f.delega.as_mut().unwrap().contribuente_id = 8;
        assert_eq!(
            failed(&run(f, day(2026, 11, 22), Kind::RevocaDelegaIntermediario)),
            ["ST04.DELEGA_DEL_CONTRIBUENTE"]
        );

        assert_eq!(failed(&run(facts(), day(2026, 11, 22), Kind::RevocaDelegaDipendente)), ["ST04.RUOLO_DELEGA"]);

        let mut f = facts();
        f.richiedente_rappresentante_legale = false;
        assert_eq!(
            failed(&run(f.clone(), day(2026, 11, 22), Kind::RevocaDelegaIntermediario)),
            ["ST04.RICHIEDENTE_TITOLATO_ALLA_REVOCA"]
        );
        f.richiedente_persona_id = Some(40);
        assert!(
            failed(&run(f, day(2026, 11, 22), Kind::RevocaDelegaIntermediario)).is_empty(),
            "the delegato may revoke"
        );

        let mut f = facts();
        f.delega.as_mut().unwrap().revocata_dal = Some(day(2026, 11, 1));
        let dec = run(f, day(2026, 11, 22), Kind::RevocaDelegaIntermediario);
        assert_eq!(failed(&dec), ["ST04.DELEGA_ATTIVA"]);
        assert!(dec.motivi()[0].contains("già revocata dal 01/11/2026"));
        assert!(dec.effects.is_empty(), "no effect when not accepted");

        let mut f = facts();
        f.delega.as_mut().unwrap().data_fine = Some(day(2026, 11, 21));
        assert!(
            run(f, day(2026, 11, 22), Kind::RevocaDelegaIntermediario).motivi()[0].contains("scaduta il 21/11/2026")
        );
    }

    #[test]
    fn effect_date_boundaries() {
        let past = run(facts(), day(2026, 11, 21), Kind::RevocaDelegaIntermediario);
        assert_eq!(failed(&past), ["ST04.DATA_EFFETTO_AMMESSA"]);
        assert!(past.motivi()[0].contains("retroattiva"));
        assert_eq!(
            run(facts(), day(2027, 11, 22), Kind::RevocaDelegaIntermediario).outcome,
            Outcome::Accolta,
            "last allowed day"
        );
        assert_eq!(
            failed(&run(facts(), day(2027, 11, 23), Kind::RevocaDelegaIntermediario)),
            ["ST04.DATA_EFFETTO_AMMESSA"]
        );
    }

    #[test]
    fn common_checks_fail_too() {
        let mut s = snapshot(facts());
        s.common.richieste_aperte_stesso_oggetto = 1;
        s.common.titolo_richiedente = None;
        let dec = decide(
            Kind::RevocaDelegaIntermediario,
            &Parsed::RevocaDelega { delega_id: 3, data_effetto: day(2026, 11, 22) },
            &s,
        );
        assert_eq!(failed(&dec), ["ST00.RICHIEDENTE_LEGITTIMATO", "ST00.NESSUNA_RICHIESTA_APERTA"]);
    }

    #[test]
    fn decisions_are_deterministic() {
        let a = run(facts(), day(2026, 12, 1), Kind::RevocaDelegaIntermediario);
        let b = run(facts(), day(2026, 12, 1), Kind::RevocaDelegaIntermediario);
        assert_eq!(serde_json::to_string(&a).unwrap(), serde_json::to_string(&b).unwrap());
    }
}
