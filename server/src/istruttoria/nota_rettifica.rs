//! Smart-Task 2: Ricalcolo Nota di Rettifica.
//!
//! A note di rettifica is the gap between what the employer reported and what INPS received for
//! a period. It is recomputed when something new reached INPS after it was issued: a UniEmens
//! variation for the period, a DM10 payment, a payment moved to the period (Smart-Task 3).
//! The new amount is what is still owed: the latest report's amount less the payments
//! attributed to the period, never more than the note (a recomputation does not raise a debt).

use super::{Check, CommonFacts, Effect, Rule};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use shared::money::Euro;
use shared::periodo::Periodo;
use shared::smart_task::MotivoRicalcolo;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Nota {
    pub id: i64,
    pub numero: String,
    pub contribuente_id: i64,
    pub matricola: String,
    pub periodo: Periodo,
    pub importo_cents: i64,
    pub stato: String,
    pub emessa_il: NaiveDate,
    pub riesame_in_corso: bool,
    pub versione: i64,
}

/// Something that reached INPS for the note's period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evento {
    /// variazione_uniemens, pagamento or rettifica.
    pub tipo: String,
    pub data: NaiveDate,
    pub importo_cents: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Facts {
    pub contribuente_id: i64,
    pub nota: Option<Nota>,
    /// Every event of the note's period on its position (the rules pick those after issue).
    pub eventi: Vec<Evento>,
    /// Amount of the latest report for the period, and DM10 payments attributed to it, today.
    pub dovuto_cents: i64,
    pub versato_cents: i64,
}

pub const NOTA_DELLA_MATRICOLA: Rule = Rule {
    codice: "ST02.NOTA_DELLA_MATRICOLA",
    descrizione: "La nota di rettifica è intestata a una matricola del contribuente",
    riferimento: "Msg. INPS 4583/2023, Ricalcolo Nota di Rettifica",
};
pub const NOTA_ATTIVA: Rule = Rule {
    codice: "ST02.NOTA_ATTIVA",
    descrizione: "La nota è ancora attiva (non annullata, non saldata, non passata ad avviso di addebito)",
    riferimento: "D.L. 78/2010 art. 30 (avviso di addebito); Msg. INPS 4583/2023",
};
pub const EVENTO_SUCCESSIVO: Rule = Rule {
    codice: "ST02.EVENTO_SUCCESSIVO",
    descrizione: "Dopo l'emissione della nota è arrivato a INPS un fatto nuovo per il periodo",
    riferimento: "Msg. INPS 4583/2023: variazione UniEmens, pagamento DM10 o rettifica del periodo di un pagamento",
};
pub const NESSUN_RIESAME: Rule = Rule {
    codice: "ST02.NESSUN_RIESAME_IN_CORSO",
    descrizione: "Sulla nota non è in corso un riesame da parte della sede",
    riferimento: "Regola di progetto: il riesame manuale prevale sul ricalcolo automatico",
};

fn d(x: NaiveDate) -> String {
    x.format("%d/%m/%Y").to_string()
}

fn evento_label(tipo: &str) -> &str {
    match tipo {
        "variazione_uniemens" => "variazione UniEmens",
        "pagamento" => "pagamento F24",
        "rettifica" => "pagamento attribuito al periodo con rettifica",
        other => other,
    }
}

/// The recomputed amount and its outcome: annullata, ridotta or confermata.
pub fn ricalcolo(importo_cents: i64, dovuto_cents: i64, versato_cents: i64) -> (i64, &'static str) {
    let residuo = (dovuto_cents - versato_cents).max(0);
    if residuo == 0 {
        (0, "annullata")
    } else if residuo < importo_cents {
        (residuo, "ridotta")
    } else {
        (importo_cents, "confermata")
    }
}

pub fn rules(nota_id: i64, motivo: MotivoRicalcolo, f: &Facts, _common: &CommonFacts) -> (Vec<Check>, Vec<Effect>) {
    let mut checks = vec![];
    let nota = f.nota.as_ref().filter(|n| n.contribuente_id == f.contribuente_id);
    checks.push(NOTA_DELLA_MATRICOLA.check(
        nota.is_some(),
        nota.map(|n| format!("La nota {} è intestata alla matricola {}.", n.numero, n.matricola)).unwrap_or_default(),
        "La nota di rettifica indicata non è intestata a una matricola di questo contribuente.",
        serde_json::json!({ "nota_id": nota_id, "trovata": f.nota.is_some(), "contribuente_nota": f.nota.as_ref().map(|n| n.contribuente_id) }),
    ));
    let Some(n) = nota else { return (checks, vec![]) };

    checks.push(NOTA_ATTIVA.check(
        n.stato == "attiva",
        "La nota è attiva.",
        match n.stato.as_str() {
            "annullata" => "La nota è già stata annullata: non c'è nulla da ricalcolare.",
            "saldata" => "La nota risulta già saldata: non c'è nulla da ricalcolare.",
            "avviso_addebito" => {
                "Il debito della nota è passato in un avviso di addebito: per contestarlo si rivolga alla sede o all'agente della riscossione."
            }
            _ => "La nota non è attiva.",
        },
        serde_json::json!({ "stato": n.stato }),
    ));

    let successivi: Vec<&Evento> = f.eventi.iter().filter(|e| e.data > n.emessa_il).collect();
    let dichiarato = match motivo {
        MotivoRicalcolo::VariazioneUniemens => "variazione_uniemens",
        MotivoRicalcolo::Pagamento => "pagamento",
        MotivoRicalcolo::Riallocazione => "rettifica",
    };
    checks.push(EVENTO_SUCCESSIVO.check(
        !successivi.is_empty(),
        successivi
            .iter()
            .map(|e| format!("{} del {}", evento_label(&e.tipo), d(e.data)))
            .collect::<Vec<_>>()
            .join("; ")
            .to_string()
            + ".",
        format!(
            "Dopo l'emissione della nota (il {}) non risulta arrivato nulla di nuovo per il periodo {}: invii prima la variazione UniEmens o il pagamento, poi ripresenti la richiesta.",
            d(n.emessa_il),
            n.periodo
        ),
        serde_json::json!({
            "emessa_il": n.emessa_il,
            "periodo": n.periodo,
            "eventi_successivi": successivi,
            "motivo_dichiarato": dichiarato,
            "motivo_trovato": successivi.iter().any(|e| e.tipo == dichiarato),
        }),
    ));
    checks.push(NESSUN_RIESAME.check(
        !n.riesame_in_corso,
        "Nessun riesame in corso.",
        "La sede sta già riesaminando questa nota: l'esito del riesame le sarà comunicato.",
        serde_json::json!({ "riesame_in_corso": n.riesame_in_corso }),
    ));
    let (dopo, esito) = ricalcolo(n.importo_cents, f.dovuto_cents, f.versato_cents);
    // The outcome of the recomputation is told with the accepted decision.
    if let Some(c) = checks.last_mut().filter(|c| c.esito == super::Esito::Ok) {
        c.motivo = format!(
            "Nessun riesame in corso. Dovuto per {}: {}; versato: {}. La nota sarà {esito}{}.",
            n.periodo,
            Euro::from_cents(f.dovuto_cents),
            Euro::from_cents(f.versato_cents),
            if esito == "ridotta" { format!(" a {}", Euro::from_cents(dopo)) } else { String::new() }
        );
    }
    (
        checks,
        vec![Effect::RicalcolaNota {
            nota_id: n.id,
            versione: n.versione,
            importo_prima_cents: n.importo_cents,
            importo_dopo_cents: dopo,
            esito: esito.into(),
        }],
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::istruttoria::{Esito, KindFacts, Outcome, Snapshot, decide};
    use shared::smart_task::{Kind, Parsed};

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

    fn run(f: Facts) -> crate::istruttoria::Decision {
        let s = Snapshot {
            common: CommonFacts {
                data_riferimento: day(2026, 11, 22),
                titolo_richiedente: Some("titolare".into()),
                richieste_aperte_stesso_oggetto: 0,
            },
            kind: KindFacts::NotaRettifica(f),
            parametri: Default::default(),
        };
        decide(
            Kind::RicalcoloNotaRettifica,
            &Parsed::RicalcoloNota { nota_id: 4, motivo: MotivoRicalcolo::VariazioneUniemens },
            &s,
        )
    }

    fn failed(d: &crate::istruttoria::Decision) -> Vec<&str> {
        d.checks.iter().filter(|c| c.esito == Esito::Ko).map(|c| c.codice.as_str()).collect()
    }

    #[test]
    fn recomputed_after_a_variation() {
        let d = run(facts());
        assert_eq!(d.outcome, Outcome::Accolta, "{:?}", d.motivi());
        assert_eq!(
            d.effects,
            vec![Effect::RicalcolaNota {
                nota_id: 4,
                versione: 1,
                importo_prima_cents: 200_000,
                importo_dopo_cents: 100_000,
                esito: "ridotta".into()
            }]
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
}
