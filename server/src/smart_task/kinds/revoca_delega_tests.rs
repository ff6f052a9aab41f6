//! Unit tests of the rules of revoca_delega.rs.

use super::*;
use crate::smart_task::engine::{Decision, Esito, Outcome};
use crate::smart_task::kind::decide;

struct Snapshot {
    common: CommonFacts,
    kind: Facts,
    parametri: BTreeMap<String, String>,
}

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
        kind: f,
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

fn run(f: Facts, data: NaiveDate, kind: Kind) -> Decision {
    let s = snapshot(f);
    let r = Richiesta { delega_id: 3, data_effetto: data };
    decide(&INTERMEDIARIO, kind, &r, &s.kind, &s.common, &s.parametri)
}

fn failed(dec: &Decision) -> Vec<String> {
    dec.checks.iter().filter(|c| c.esito == Esito::Ko).map(|c| c.codice.clone()).collect()
}

#[test]
fn accepted_with_effect() {
    let dec = run(facts(), day(2026, 11, 22), Kind::RevocaDelegaIntermediario);
    assert_eq!(dec.outcome, Outcome::Accolta, "{:?}", dec.motivi());
    let effect = Effect::RevocaDelega { delega_id: 3, dal: day(2026, 11, 22) };
    assert_eq!(dec.effects, vec![serde_json::to_value(effect).unwrap()]);
    assert!(dec.checks.len() >= 7);
}

#[test]
fn each_check_fails_on_its_own_case() {
    let mut f = facts();
    f.delega.as_mut().unwrap().contribuente_id = 8;
    assert_eq!(failed(&run(f, day(2026, 11, 22), Kind::RevocaDelegaIntermediario)), ["ST04.DELEGA_DEL_CONTRIBUENTE"]);

    assert_eq!(failed(&run(facts(), day(2026, 11, 22), Kind::RevocaDelegaDipendente)), ["ST04.RUOLO_DELEGA"]);

    let mut f = facts();
    f.richiedente_rappresentante_legale = false;
    assert_eq!(
        failed(&run(f.clone(), day(2026, 11, 22), Kind::RevocaDelegaIntermediario)),
        ["ST04.RICHIEDENTE_TITOLATO_ALLA_REVOCA"]
    );
    f.richiedente_persona_id = Some(40);
    assert!(failed(&run(f, day(2026, 11, 22), Kind::RevocaDelegaIntermediario)).is_empty(), "the delegato may revoke");

    let mut f = facts();
    f.delega.as_mut().unwrap().revocata_dal = Some(day(2026, 11, 1));
    let dec = run(f, day(2026, 11, 22), Kind::RevocaDelegaIntermediario);
    assert_eq!(failed(&dec), ["ST04.DELEGA_ATTIVA"]);
    assert!(dec.motivi()[0].contains("già revocata dal 01/11/2026"));
    assert!(dec.effects.is_empty(), "no effect when not accepted");

    let mut f = facts();
    f.delega.as_mut().unwrap().data_fine = Some(day(2026, 11, 21));
    assert!(run(f, day(2026, 11, 22), Kind::RevocaDelegaIntermediario).motivi()[0].contains("scaduta il 21/11/2026"));
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
    let r = Richiesta { delega_id: 3, data_effetto: day(2026, 11, 22) };
    let dec = decide(&INTERMEDIARIO, Kind::RevocaDelegaIntermediario, &r, &s.kind, &s.common, &s.parametri);
    assert_eq!(failed(&dec), ["ST00.RICHIEDENTE_LEGITTIMATO", "ST00.NESSUNA_RICHIESTA_APERTA"]);
}

#[test]
fn decisions_are_deterministic() {
    let a = run(facts(), day(2026, 12, 1), Kind::RevocaDelegaIntermediario);
    let b = run(facts(), day(2026, 12, 1), Kind::RevocaDelegaIntermediario);
    assert_eq!(serde_json::to_string(&a).unwrap(), serde_json::to_string(&b).unwrap());
}
