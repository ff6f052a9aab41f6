//! Unit tests of the rules of sostituzione_maternita.rs.

use super::*;
use crate::smart_task::engine::Esito;
use shared::ids::CodiceFiscale;
use shared::smart_task::kinds::sostituzione_maternita::Contratto;

fn d(s: &str) -> NaiveDate {
    clock::parse_date(s).unwrap()
}

fn facts(forza: i64) -> Facts {
    Facts {
        congedo: Some(Congedo {
            posizione_id: 3,
            codice_fiscale: "BNCGLI90A41H501E".into(),
            tipo: "maternita".into(),
            dal: d("2026-03-01"),
            al: d("2026-07-31"),
            data_evento: d("2026-04-15"),
        }),
        mese_riferimento: Periodo::parse("2026-01").unwrap(),
        forza_centesimi: forza,
    }
}

fn run(dal: &str, sostituto: &str, f: &Facts) -> (Vec<String>, Vec<Effect>) {
    let r = Richiesta {
        congedo_id: 1,
        sostituto: CodiceFiscale::parse(sostituto).unwrap(),
        contratto: Contratto::TempoDeterminato,
        dal: d(dal),
        al: d("2027-12-31"),
    };
    let params = [(PARAM_SOGLIA.to_string(), "20".to_string())].into();
    let (checks, effects) = rules(&r, f, &params);
    (checks.into_iter().filter(|c| c.esito == Esito::Ko).map(|c| c.codice).collect(), effects)
}

fn failed(dal: &str, f: &Facts) -> Vec<String> {
    run(dal, "RSSMRA85T10A562S", f).0
}

#[test]
fn headcount_19_5_passes_and_20_fails() {
    assert!(failed("2026-02-01", &facts(1950)).is_empty());
    assert_eq!(failed("2026-02-01", &facts(2000)), ["ST16.MENO_DI_20_DIPENDENTI"]);
}

#[test]
fn the_code_runs_to_the_contract_end_at_most_until_the_childs_first_year() {
    let (_, effects) = run("2026-02-01", "RSSMRA85T10A562S", &facts(500));
    let Effect::AssegnaCodice { dal, al, .. } = &effects[0];
    assert_eq!((*dal, *al), (d("2026-02-01"), Some(d("2027-04-14"))));
}

#[test]
fn each_other_failure() {
    let mut none = facts(500);
    none.congedo = None;
    assert_eq!(failed("2026-02-01", &none), ["ST16.CONGEDO_DEL_CONTRIBUENTE"]);
    // One month before the leave is the earliest start; after the leave ended is too late.
    assert!(failed("2026-02-01", &facts(500)).is_empty());
    assert_eq!(failed("2026-01-31", &facts(500)), ["ST16.SOSTITUZIONE_DURANTE_CONGEDO"]);
    assert_eq!(failed("2026-08-01", &facts(500)), ["ST16.SOSTITUZIONE_DURANTE_CONGEDO"]);
    let mut lungo = facts(500);
    if let Some(c) = lungo.congedo.as_mut() {
        c.al = d("2027-06-30");
    }
    assert_eq!(failed("2027-04-15", &lungo), ["ST16.ENTRO_UN_ANNO_DALL_EVENTO"]);
    assert_eq!(run("2026-03-01", "BNCGLI90A41H501E", &facts(500)).0, ["ST16.SOSTITUTO_DIVERSO_DAL_SOSTITUITO"]);
}
