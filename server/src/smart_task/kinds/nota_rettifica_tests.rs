//! Unit tests of the rules of nota_rettifica.rs.

use super::*;
use crate::smart_task::engine::{Decision, Esito, Outcome};
use crate::smart_task::kind::decide;
use shared::smart_task::Kind;

fn day(y: i32, m: u32, dd: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, dd).unwrap()
}

fn facts() -> Facts {
    Facts {
        contribuente_id: 7,
        nota: Some(Nota {
            id: 4,
            numero: "NR-2026-0000004".into(),
            contribuente_id: 7,
            matricola: "1000000012".into(),
            periodo: Periodo::new(2026, 5).unwrap(),
            importo_cents: 200_000,
            stato: "attiva".into(),
            emessa_il: day(2026, 8, 20),
            riesame_in_corso: false,
            versione: 1,
        }),
        eventi: vec![
            Evento { tipo: "pagamento".into(), data: day(2026, 6, 16), importo_cents: 800_000 },
            Evento { tipo: "variazione_uniemens".into(), data: day(2026, 10, 2), importo_cents: 900_000 },
        ],
        dovuto_cents: 900_000,
        versato_cents: 800_000,
    }
}

fn run(f: Facts) -> Decision {
    let common = CommonFacts {
        data_riferimento: day(2026, 11, 22),
        titolo_richiedente: Some("titolare".into()),
        richieste_aperte_stesso_oggetto: 0,
    };
    let r = Richiesta { nota_id: 4, motivo: MotivoRicalcolo::VariazioneUniemens };
    decide(&RicalcoloNotaRettifica, Kind::RicalcoloNotaRettifica, &r, &f, &common, &Default::default())
}

fn failed(d: &Decision) -> Vec<&str> {
    d.checks.iter().filter(|c| c.esito == Esito::Ko).map(|c| c.codice.as_str()).collect()
}

#[test]
fn recomputed_after_a_variation() {
    let d = run(facts());
    assert_eq!(d.outcome, Outcome::Accolta, "{:?}", d.motivi());
    assert_eq!(
        d.effects,
        vec![
            serde_json::to_value(Effect::RicalcolaNota {
                nota_id: 4,
                versione: 1,
                importo_prima_cents: 200_000,
                importo_dopo_cents: 100_000,
                esito: "ridotta".into()
            })
            .unwrap()
        ]
    );
    assert!(d.checks.iter().any(|c| c.motivo.contains("ridotta a 1.000,00")), "{:?}", d.checks);
}

#[test]
fn recomputation_outcomes() {
    assert_eq!(ricalcolo(200_000, 900_000, 900_000), (0, "annullata"));
    assert_eq!(ricalcolo(200_000, 900_000, 950_000), (0, "annullata"));
    assert_eq!(ricalcolo(200_000, 900_000, 800_001), (99_999, "ridotta"));
    assert_eq!(ricalcolo(200_000, 900_000, 700_000), (200_000, "confermata"));
    assert_eq!(ricalcolo(200_000, 1_000_000, 700_000), (200_000, "confermata"), "never raised");
}

#[test]
fn each_check_fails_on_its_own_case() {
    let mut f = facts();
    f.nota.as_mut().unwrap().contribuente_id = 9;
    assert_eq!(failed(&run(f)), ["ST02.NOTA_DELLA_MATRICOLA"]);
    for stato in ["annullata", "saldata", "avviso_addebito"] {
        let mut f = facts();
        f.nota.as_mut().unwrap().stato = stato.into();
        assert_eq!(failed(&run(f)), ["ST02.NOTA_ATTIVA"], "{stato}");
    }
    let mut f = facts();
    f.eventi.retain(|e| e.data <= day(2026, 8, 20));
    let d = run(f);
    assert_eq!(failed(&d), ["ST02.EVENTO_SUCCESSIVO"]);
    assert!(d.motivi()[0].contains("05/2026"));
    // An event on the day of issue was known when the note was computed.
    let mut f = facts();
    f.eventi = vec![Evento { tipo: "pagamento".into(), data: day(2026, 8, 20), importo_cents: 1 }];
    assert_eq!(failed(&run(f)), ["ST02.EVENTO_SUCCESSIVO"]);
    let mut f = facts();
    f.nota.as_mut().unwrap().riesame_in_corso = true;
    assert_eq!(failed(&run(f)), ["ST02.NESSUN_RIESAME_IN_CORSO"]);
}
