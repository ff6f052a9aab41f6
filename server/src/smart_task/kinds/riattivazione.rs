//! Smart-Task 10: Riattivazione posizione contributiva.

use crate::smart_task::engine::{Check, CommonFacts, Rule};
use crate::smart_task::kind::RuleCx;
use crate::smart_task::posizione::{self, CambioStato, Effect, Facts};
use chrono::Months;
use shared::dto::FieldError;
use shared::posizione::StatoPosizione;
use shared::smart_task::Answers;
use shared::smart_task::kinds::riattivazione::{self as form, Richiesta};
use shared::time::format_date_it;
use std::collections::BTreeMap;

pub struct RiattivazionePosizione;

/// Months a position may stay suspended and still be reactivated (dated, in `parametri`).
pub const PARAM_MAX_MESI: &str = "ST.RIATTIVAZIONE.MAX_MESI_SOSPENSIONE";

pub const POSIZIONE_DEL_CONTRIBUENTE: Rule = Rule {
    codice: "ST10.POSIZIONE_DEL_CONTRIBUENTE",
    descrizione: "La posizione contributiva è del contribuente",
    riferimento: "Msg. INPS 4583/2023, Riattivazione posizione",
};
pub const POSIZIONE_SOSPESA: Rule = Rule {
    codice: "ST10.POSIZIONE_SOSPESA",
    descrizione: "La posizione è sospesa",
    riferimento: "Stati della posizione: si riattiva solo una posizione sospesa",
};
pub const DATA_DOPO_SOSPENSIONE: Rule = Rule {
    codice: "ST10.DATA_NON_ANTERIORE_SOSPENSIONE",
    descrizione: "La riattivazione non precede l'inizio della sospensione",
    riferimento: "Controllo di coerenza della storia della posizione",
};
pub const DATA_NON_FUTURA: Rule = Rule {
    codice: "ST10.DATA_NON_FUTURA",
    descrizione: "L'attività è già ripresa alla data della richiesta",
    riferimento: "Regola di progetto [D]: la ripresa si comunica quando avviene (entro 30 giorni)",
};
pub const ENTRO_LIMITE: Rule = Rule {
    codice: "ST10.SOSPENSIONE_ENTRO_18_MESI",
    descrizione: "Alla data di riattivazione la posizione è sospesa da non oltre 18 mesi",
    riferimento: "Msg. INPS 3462/2020: oltre 18 mesi di sospensione la posizione va cessata; parametro ST.RIATTIVAZIONE.MAX_MESI_SOSPENSIONE",
};

pub fn rules(
    r: &Richiesta,
    f: &Facts,
    common: &CommonFacts,
    params: &BTreeMap<String, String>,
) -> (Vec<Check>, Vec<Effect>) {
    let mut checks = vec![posizione::del_contribuente(&POSIZIONE_DEL_CONTRIBUENTE, f.posizione.as_ref())];
    let Some(p) = &f.posizione else { return (checks, vec![]) };
    checks.push(posizione::in_stato(&POSIZIONE_SOSPESA, p, &[StatoPosizione::Sospesa], "si riattiva"));
    // The dates below are measured from a suspension: without one they mean nothing.
    if p.stato != StatoPosizione::Sospesa {
        return (checks, vec![]);
    }
    let sospesa = format_date_it(p.stato_dal);
    checks.push(DATA_DOPO_SOSPENSIONE.check(
        r.dal >= p.stato_dal,
        format!("La ripresa ({}) non precede la sospensione ({sospesa}).", format_date_it(r.dal)),
        format!("La posizione è sospesa dal {sospesa}: la data di ripresa non può precederla."),
        serde_json::json!({ "data_riattivazione": r.dal, "sospesa_dal": p.stato_dal }),
    ));
    let oggi = common.data_riferimento;
    checks.push(DATA_NON_FUTURA.check(
        r.dal <= oggi,
        "La ripresa dell'attività è già avvenuta.",
        format!(
            "La data di ripresa ({}) è successiva alla richiesta: presentarla quando l'attività riprende.",
            format_date_it(r.dal)
        ),
        serde_json::json!({ "data_riattivazione": r.dal, "data_riferimento": oggi }),
    ));
    let mesi: u32 = params.get(PARAM_MAX_MESI).and_then(|v| v.parse().ok()).unwrap_or(18);
    let limite = p.stato_dal.checked_add_months(Months::new(mesi));
    checks.push(ENTRO_LIMITE.check(
        limite.is_some_and(|l| r.dal <= l),
        format!(
            "Alla ripresa la posizione è sospesa da non oltre {mesi} mesi (limite: {}).",
            limite.map(format_date_it).unwrap_or_default()
        ),
        format!(
            "Alla ripresa la posizione sarebbe sospesa da oltre {mesi} mesi (dal {sospesa}; limite {}): non si può riattivare, va presentata la cessazione provvisoria e poi una nuova iscrizione.",
            limite.map(format_date_it).unwrap_or_default()
        ),
        serde_json::json!({ "sospesa_dal": p.stato_dal, "data_riattivazione": r.dal, PARAM_MAX_MESI: mesi, "limite": limite }),
    ));
    (checks, vec![posizione::cambia(p, StatoPosizione::Riattivata, r.dal)])
}

impl CambioStato for RiattivazionePosizione {
    type Request = Richiesta;
    const FACTS: &'static str = "riattivazione_posizione";

    fn parse(oggetto: &str, a: &Answers) -> Result<Richiesta, Vec<FieldError>> {
        form::parse(oggetto, a)
    }

    fn posizione_id(r: &Richiesta) -> i64 {
        r.posizione_id
    }

    fn rules(r: &Richiesta, f: &Facts, cx: &RuleCx<'_>) -> (Vec<Check>, Vec<Effect>) {
        rules(r, f, cx.common, cx.params)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::smart_task::engine::Esito;
    use crate::smart_task::posizione::Posizione;
    use crate::smart_task::posizione::tests::{d, posizione};

    fn failed(dal: &str, oggi: &str, p: Option<Posizione>) -> Vec<String> {
        let common =
            CommonFacts { data_riferimento: d(oggi), titolo_richiedente: None, richieste_aperte_stesso_oggetto: 0 };
        let params = [(PARAM_MAX_MESI.to_string(), "18".to_string())].into();
        let (checks, _) = rules(&Richiesta { posizione_id: 7, dal: d(dal) }, &Facts { posizione: p }, &common, &params);
        checks.into_iter().filter(|c| c.esito == Esito::Ko).map(|c| c.codice).collect()
    }

    fn sospesa() -> Option<Posizione> {
        Some(posizione(StatoPosizione::Sospesa, "2024-08-31", None))
    }

    #[test]
    fn eighteen_months_minus_and_plus_one_day() {
        // 18 months from 31/08/2024 is 28/02/2026 (the month has no 31st).
        assert!(failed("2026-02-27", "2026-12-01", sospesa()).is_empty());
        assert!(failed("2026-02-28", "2026-12-01", sospesa()).is_empty());
        assert_eq!(failed("2026-03-01", "2026-12-01", sospesa()), ["ST10.SOSPENSIONE_ENTRO_18_MESI"]);
    }

    #[test]
    fn each_failure() {
        assert_eq!(failed("2025-01-01", "2026-12-01", None), ["ST10.POSIZIONE_DEL_CONTRIBUENTE"]);
        let attiva = Some(posizione(StatoPosizione::Attiva, "2020-01-01", None));
        assert_eq!(failed("2025-01-01", "2026-12-01", attiva), ["ST10.POSIZIONE_SOSPESA"]);
        assert_eq!(failed("2024-08-30", "2026-12-01", sospesa()), ["ST10.DATA_NON_ANTERIORE_SOSPENSIONE"]);
        assert!(failed("2024-08-31", "2026-12-01", sospesa()).is_empty());
        assert_eq!(failed("2025-01-02", "2025-01-01", sospesa()), ["ST10.DATA_NON_FUTURA"]);
    }
}
