//! Smart-Task 3: Rettifica periodo di riferimento di un pagamento.
//!
//! A DM10 payment made for the wrong month is moved (wholly or in part) to the month it was
//! meant for, provided it has not been used already, the right month has a report with a debt
//! and is not time-barred. Both months' balances follow from the move; the new one may allow a
//! recomputation of its nota di rettifica (Smart-Task 2).

use super::{Check, CommonFacts, Effect, Esito, Rule};
use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};
use shared::money::Euro;
use shared::periodo::Periodo;
use std::collections::BTreeMap;

pub const PARAM_PRESCRIZIONE_ANNI: &str = "ST.PRESCRIZIONE_CONTRIBUTI.ANNI";
pub const PARAM_CAUSALI_DM10: &str = "ST.RETTIFICA_PAGAMENTO.CAUSALI_DM10";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pagamento {
    pub id: i64,
    /// The contributor whose codice fiscale paid (None: not a known contributor).
    pub contribuente_versante_id: Option<i64>,
    pub matricola_indicata: String,
    /// The contributor owning the stated matricola (None: no such position).
    pub contribuente_matricola_id: Option<i64>,
    pub data_versamento: NaiveDate,
    pub importo_cents: i64,
    pub causale: String,
    pub periodo_attribuito: Periodo,
    pub utilizzo: Option<String>,
}

/// A period's balance on the payment's position.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Saldo {
    /// Whether any report (UniEmens) exists for the period.
    pub denunciato: bool,
    pub dovuto_cents: i64,
    pub versato_cents: i64,
}

impl Saldo {
    pub fn debito(self) -> i64 {
        self.dovuto_cents - self.versato_cents
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Facts {
    pub contribuente_id: i64,
    pub pagamento: Option<Pagamento>,
    pub saldo_attuale: Saldo,
    pub saldo_corretto: Saldo,
}

pub const PAGAMENTO_DEL_CONTRIBUENTE: Rule = Rule {
    codice: "ST03.PAGAMENTO_DEL_CONTRIBUENTE",
    descrizione: "Il pagamento è stato fatto per una matricola o con il codice fiscale del contribuente",
    riferimento: "Msg. INPS 4583/2023, Rettifica periodo di riferimento di un pagamento",
};
pub const CAUSALE_DM10: Rule = Rule {
    codice: "ST03.CAUSALE_DM10",
    descrizione: "Il pagamento ha una causale di contributi DM10",
    riferimento: "Modello F24, sezione INPS; parametro ST.RETTIFICA_PAGAMENTO.CAUSALI_DM10",
};
pub const NON_UTILIZZATO: Rule = Rule {
    codice: "ST03.PAGAMENTO_NON_UTILIZZATO",
    descrizione: "Il pagamento non è già stato usato (nota di rettifica, avviso di addebito, rettifica precedente)",
    riferimento: "Msg. INPS 4583/2023",
};
pub const PERIODO_DIVERSO: Rule = Rule {
    codice: "ST03.PERIODO_DIVERSO",
    descrizione: "Il periodo corretto è diverso da quello a cui il pagamento è attribuito",
    riferimento: "Controllo di coerenza",
};
pub const PERIODO_CON_DEBITO: Rule = Rule {
    codice: "ST03.PERIODO_CON_DEBITO",
    descrizione: "Per il periodo corretto esiste una denuncia con un importo ancora dovuto",
    riferimento: "Msg. INPS 4583/2023",
};
pub const NON_PRESCRITTO: Rule = Rule {
    codice: "ST03.PERIODO_NON_PRESCRITTO",
    descrizione: "I contributi del periodo corretto non sono prescritti",
    riferimento: "L. 335/1995, art. 3, commi 9 e 10 (prescrizione quinquennale); parametro ST.PRESCRIZIONE_CONTRIBUTI.ANNI",
};
pub const IMPORTO_CAPIENTE: Rule = Rule {
    codice: "ST03.IMPORTO_NON_SUPERIORE",
    descrizione: "L'importo da spostare non supera quello del pagamento",
    riferimento: "Controllo di coerenza",
};

fn d(x: NaiveDate) -> String {
    x.format("%d/%m/%Y").to_string()
}
fn e(c: i64) -> String {
    Euro::from_cents(c).to_string()
}

/// The last day on which contributions of `periodo` can still be claimed, under a limit of
/// `anni` years running from their due date.
pub fn fine_prescrizione(periodo: Periodo, anni: u32) -> NaiveDate {
    periodo.scadenza().checked_add_months(Months::new(12 * anni)).unwrap_or(NaiveDate::MAX)
}

pub fn rules(
    pagamento_id: i64,
    periodo_corretto: Periodo,
    importo: Euro,
    f: &Facts,
    common: &CommonFacts,
    params: &BTreeMap<String, String>,
) -> (Vec<Check>, Vec<Effect>) {
    let mut checks = vec![];
    let Some(p) = f.pagamento.as_ref() else {
        checks.push(PAGAMENTO_DEL_CONTRIBUENTE.check(
            false,
            "",
            "Il pagamento indicato non esiste.",
            serde_json::json!({ "pagamento_id": pagamento_id, "trovato": false }),
        ));
        return (checks, vec![]);
    };
    let letti = serde_json::json!({
        "matricola_indicata": p.matricola_indicata,
        "contribuente_matricola": p.contribuente_matricola_id,
        "contribuente_versante": p.contribuente_versante_id,
        "contribuente_richiesta": f.contribuente_id,
    });
    let per_matricola = p.contribuente_matricola_id == Some(f.contribuente_id);
    let per_cf = p.contribuente_versante_id == Some(f.contribuente_id);
    if !per_matricola && per_cf {
        // Paid with the contributor's code but for a matricola that is not its own: only a
        // person can tell whether it was a typo or a payment for someone else.
        let mut c = PAGAMENTO_DEL_CONTRIBUENTE.check(true, "", "", letti);
        c.esito = Esito::Verifica;
        c.motivo = format!(
            "Il pagamento è stato fatto con il codice fiscale del contribuente ma per la matricola {}, che non è sua: la verifica passa alla sede, che le risponderà.",
            p.matricola_indicata
        );
        checks.push(c);
        return (checks, vec![]);
    }
    checks.push(PAGAMENTO_DEL_CONTRIBUENTE.check(
        per_matricola,
        format!("Pagamento del {} per la matricola {}.", d(p.data_versamento), p.matricola_indicata),
        "Il pagamento indicato non è stato fatto per una matricola né con il codice fiscale di questo contribuente.",
        letti,
    ));
    if !per_matricola {
        return (checks, vec![]);
    }

    let causali: Vec<String> = params
        .get(PARAM_CAUSALI_DM10)
        .map(|v| v.split(',').map(|s| s.trim().to_uppercase()).filter(|s| !s.is_empty()).collect())
        .unwrap_or_else(|| vec!["DM10".into()]);
    checks.push(CAUSALE_DM10.check(
        causali.contains(&p.causale.to_uppercase()),
        format!("Causale {}.", p.causale),
        format!(
            "Il pagamento ha causale {}: non sono contributi DM10. Per le altre causali si rivolga alla sede con una comunicazione bidirezionale.",
            p.causale
        ),
        serde_json::json!({ "causale": p.causale, PARAM_CAUSALI_DM10: causali }),
    ));
    checks.push(NON_UTILIZZATO.check(
        p.utilizzo.is_none(),
        "Il pagamento non è stato usato per altro.",
        match p.utilizzo.as_deref() {
            Some("nota_rettifica") => "Il pagamento è già stato usato per saldare una nota di rettifica.",
            Some("avviso_addebito") => "Il pagamento è già stato usato per un avviso di addebito.",
            Some("rettifica") => "Il periodo di questo pagamento è già stato rettificato una volta: per un'altra modifica si rivolga alla sede.",
            _ => "Il pagamento è già stato usato.",
        },
        serde_json::json!({ "utilizzo": p.utilizzo }),
    ));
    checks.push(PERIODO_DIVERSO.check(
        periodo_corretto != p.periodo_attribuito,
        format!("Dal periodo {} al periodo {periodo_corretto}.", p.periodo_attribuito),
        format!("Il pagamento è già attribuito al periodo {periodo_corretto}."),
        serde_json::json!({ "periodo_attribuito": p.periodo_attribuito, "periodo_corretto": periodo_corretto }),
    ));
    let s = f.saldo_corretto;
    checks.push(PERIODO_CON_DEBITO.check(
        s.denunciato && s.debito() > 0,
        format!("Per il periodo {periodo_corretto} risultano dovuti {} e versati {}.", e(s.dovuto_cents), e(s.versato_cents)),
        if s.denunciato {
            format!("Per il periodo {periodo_corretto} non c'è nulla da pagare (dovuti {}, versati {}): controlli il periodo indicato.", e(s.dovuto_cents), e(s.versato_cents))
        } else {
            format!("Per il periodo {periodo_corretto} non risulta una denuncia UniEmens: la invii prima di chiedere la rettifica.")
        },
        serde_json::json!({ "periodo_corretto": periodo_corretto, "saldo": s }),
    ));
    let anni: u32 = params.get(PARAM_PRESCRIZIONE_ANNI).and_then(|v| v.parse().ok()).unwrap_or(5);
    let fine = fine_prescrizione(periodo_corretto, anni);
    checks.push(NON_PRESCRITTO.check(
        common.data_riferimento < fine,
        format!("I contributi di {periodo_corretto} si prescrivono il {}.", d(fine)),
        format!("I contributi di {periodo_corretto} sono prescritti dal {}: il pagamento non può esservi attribuito.", d(fine)),
        serde_json::json!({ "periodo_corretto": periodo_corretto, "scadenza": periodo_corretto.scadenza(), PARAM_PRESCRIZIONE_ANNI: anni, "data_riferimento": common.data_riferimento }),
    ));
    let capiente = importo.cents() <= p.importo_cents;
    let a = f.saldo_attuale;
    checks.push(IMPORTO_CAPIENTE.check(
        capiente,
        format!(
            "Si spostano {} su {}. Dopo la rettifica: periodo {} dovuti {}, versati {}; periodo {periodo_corretto} dovuti {}, versati {}.",
            importo,
            e(p.importo_cents),
            p.periodo_attribuito,
            e(a.dovuto_cents),
            e(a.versato_cents - importo.cents()),
            e(s.dovuto_cents),
            e(s.versato_cents + importo.cents()),
        ),
        format!("L'importo indicato ({importo}) supera quello del pagamento ({}).", e(p.importo_cents)),
        serde_json::json!({ "importo": importo, "importo_pagamento": p.importo_cents, "saldo_attuale": a }),
    ));
    (
        checks,
        vec![Effect::SpostaPagamento {
            pagamento_id: p.id,
            da: p.periodo_attribuito,
            a: periodo_corretto,
            importo_cents: importo.cents(),
            importo_pagamento_cents: p.importo_cents,
        }],
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::istruttoria::{KindFacts, Outcome, Snapshot, decide};
    use shared::smart_task::{Kind, Parsed};

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

    fn run_with(f: Facts, periodo: Periodo, importo: i64, p: BTreeMap<String, String>) -> crate::istruttoria::Decision {
        let s = Snapshot {
            common: CommonFacts {
                data_riferimento: day(2026, 11, 22),
                titolo_richiedente: Some("titolare".into()),
                richieste_aperte_stesso_oggetto: 0,
            },
            kind: KindFacts::RettificaPagamento(f),
            parametri: p,
        };
        decide(
            Kind::RettificaPeriodoPagamento,
            &Parsed::RettificaPagamento {
                pagamento_id: 21,
                periodo_corretto: periodo,
                importo: Euro::from_cents(importo),
            },
            &s,
        )
    }
    fn run(f: Facts) -> crate::istruttoria::Decision {
        run_with(f, per(2026, 3), 100_000, params("5"))
    }
    fn failed(d: &crate::istruttoria::Decision) -> Vec<&str> {
        d.checks.iter().filter(|c| c.esito == Esito::Ko).map(|c| c.codice.as_str()).collect()
    }

    #[test]
    fn moved_in_part_with_both_balances() {
        let d = run(facts());
        assert_eq!(d.outcome, Outcome::Accolta, "{:?}", d.motivi());
        assert_eq!(
            d.effects,
            vec![Effect::SpostaPagamento {
                pagamento_id: 21,
                da: per(2026, 7),
                a: per(2026, 3),
                importo_cents: 100_000,
                importo_pagamento_cents: 150_000
            }]
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
}
