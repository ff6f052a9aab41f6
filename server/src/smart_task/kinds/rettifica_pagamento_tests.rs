//! Unit tests of Smart-Task 3's rules.

use super::*;
use crate::smart_task::contributi::Pagamento;
use crate::smart_task::engine::{Decision, Outcome};
use crate::smart_task::kind::decide;
use shared::smart_task::Kind;

fn day(y: i32, m: u32, dd: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, dd).unwrap()
}
fn per(a: i32, m: u32) -> Periodo {
    Periodo::new(a, m).unwrap()
}

fn facts() -> Facts {
    Facts {
        contribuente_id: 7,
        pagamento: Some(Pagamento {
            id: 21,
            contribuente_versante_id: Some(7),
            matricola_indicata: "1000000012".into(),
            contribuente_matricola_id: Some(7),
            data_versamento: day(2026, 9, 16),
            importo_cents: 150_000,
            causale: "DM10".into(),
            periodo_attribuito: per(2026, 7),
            utilizzo: None,
        }),
        saldo_attuale: Saldo { denunciato: true, dovuto_cents: 150_000, versato_cents: 300_000 },
        saldo_corretto: Saldo { denunciato: true, dovuto_cents: 500_000, versato_cents: 400_000 },
    }
}

fn params(anni: &str) -> BTreeMap<String, String> {
    [(PARAM_PRESCRIZIONE_ANNI.to_string(), anni.to_string()), (PARAM_CAUSALI_DM10.to_string(), "DM10".to_string())]
        .into()
}

fn run_with(f: Facts, periodo: Periodo, importo: i64, p: BTreeMap<String, String>) -> Decision {
    let common = CommonFacts {
        data_riferimento: day(2026, 11, 22),
        titolo_richiedente: Some("titolare".into()),
        richieste_aperte_stesso_oggetto: 0,
    };
    let r = Richiesta { pagamento_id: 21, periodo_corretto: periodo, importo: Euro::from_cents(importo) };
    decide(&RettificaPeriodoPagamento, Kind::RettificaPeriodoPagamento, &r, &f, &common, &p)
}
fn run(f: Facts) -> Decision {
    run_with(f, per(2026, 3), 100_000, params("5"))
}
fn failed(d: &Decision) -> Vec<&str> {
    d.checks.iter().filter(|c| c.esito == Esito::Ko).map(|c| c.codice.as_str()).collect()
}

#[test]
fn moved_in_part_with_both_balances() {
    let d = run(facts());
    assert_eq!(d.outcome, Outcome::Accolta, "{:?}", d.motivi());
    assert_eq!(
        d.effects,
        vec![
            serde_json::to_value(Effect::SpostaPagamento {
                pagamento_id: 21,
                da: per(2026, 7),
                a: per(2026, 3),
                importo_cents: 100_000,
                importo_pagamento_cents: 150_000
            })
            .unwrap()
        ]
    );
    let last = &d.checks.last().unwrap().motivo;
    assert!(last.contains("periodo 07/2026 dovuti 1.500,00 €, versati 2.000,00 €"), "{last}");
    assert!(last.contains("periodo 03/2026 dovuti 5.000,00 €, versati 5.000,00 €"), "{last}");
    // The whole amount is allowed, a cent more is not.
    assert_eq!(run_with(facts(), per(2026, 3), 150_000, params("5")).outcome, Outcome::Accolta);
    assert_eq!(failed(&run_with(facts(), per(2026, 3), 150_001, params("5"))), ["ST03.IMPORTO_NON_SUPERIORE"]);
}

#[test]
fn ownership_by_matricola_by_code_or_neither() {
    // Paid by someone else (a consultant's code) for the contributor's matricola: fine.
    let mut f = facts();
    f.pagamento.as_mut().unwrap().contribuente_versante_id = None;
    assert_eq!(run(f).outcome, Outcome::Accolta);
    // The contributor's code, someone else's matricola: a person decides.
    let mut f = facts();
    f.pagamento.as_mut().unwrap().contribuente_matricola_id = None;
    let d = run(f);
    assert_eq!(d.outcome, Outcome::InCaricoSede);
    assert!(d.effects.is_empty());
    assert_eq!(d.checks.last().map(|c| c.esito), Some(Esito::Verifica));
    // Neither: refused.
    let mut f = facts();
    f.pagamento.as_mut().unwrap().contribuente_matricola_id = Some(8);
    f.pagamento.as_mut().unwrap().contribuente_versante_id = Some(8);
    assert_eq!(failed(&run(f)), ["ST03.PAGAMENTO_DEL_CONTRIBUENTE"]);
    let mut f = facts();
    f.pagamento = None;
    assert_eq!(failed(&run(f)), ["ST03.PAGAMENTO_DEL_CONTRIBUENTE"]);
}

#[test]
fn each_check_fails_on_its_own_case() {
    let mut f = facts();
    f.pagamento.as_mut().unwrap().causale = "CP".into();
    assert_eq!(failed(&run(f)), ["ST03.CAUSALE_DM10"]);
    // A dated list of causali can admit more.
    let mut f = facts();
    f.pagamento.as_mut().unwrap().causale = "CP".into();
    let mut p = params("5");
    p.insert(PARAM_CAUSALI_DM10.into(), "DM10, CP".into());
    assert_eq!(run_with(f, per(2026, 3), 100_000, p).outcome, Outcome::Accolta);
    for uso in ["nota_rettifica", "avviso_addebito", "rettifica"] {
        let mut f = facts();
        f.pagamento.as_mut().unwrap().utilizzo = Some(uso.into());
        assert_eq!(failed(&run(f)), ["ST03.PAGAMENTO_NON_UTILIZZATO"], "{uso}");
    }
    assert_eq!(failed(&run_with(facts(), per(2026, 7), 100_000, params("5"))), ["ST03.PERIODO_DIVERSO"]);
    let mut f = facts();
    f.saldo_corretto.versato_cents = 500_000;
    assert_eq!(failed(&run(f)), ["ST03.PERIODO_CON_DEBITO"]);
    let mut f = facts();
    f.saldo_corretto = Saldo::default();
    let d = run(f);
    assert_eq!(failed(&d), ["ST03.PERIODO_CON_DEBITO"]);
    assert!(d.motivi()[0].contains("non risulta una denuncia"));
}

#[test]
fn prescription_boundary_and_parameter() {
    // 10/2021 fell due on 16/11/2021: claimable until 15/11/2026, barred from 16/11/2026.
    assert_eq!(fine_prescrizione(per(2021, 10), 5), day(2026, 11, 16));
    assert_eq!(failed(&run_with(facts(), per(2021, 10), 100_000, params("5"))), ["ST03.PERIODO_NON_PRESCRITTO"]);
    // 11/2021 fell due on 16/12/2021: still claimable on 22/11/2026.
    assert_eq!(run_with(facts(), per(2021, 11), 100_000, params("5")).outcome, Outcome::Accolta);
    // Under the ten-year regime the same period would not be barred.
    assert_eq!(run_with(facts(), per(2021, 10), 100_000, params("10")).outcome, Outcome::Accolta);
}
