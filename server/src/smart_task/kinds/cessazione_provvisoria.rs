//! Smart-Task 11: Cessazione provvisoria della posizione contributiva.

use crate::smart_task::engine::{Check, Rule};
use crate::smart_task::kind::RuleCx;
use crate::smart_task::posizione::{self, CambioStato, Effect, Facts};
use shared::dto::FieldError;
use shared::posizione::StatoPosizione;
use shared::smart_task::Answers;
use shared::smart_task::kinds::cessazione_provvisoria::{self as form, Richiesta};

pub struct CessazioneProvvisoria;

pub const POSIZIONE_DEL_CONTRIBUENTE: Rule = Rule {
    codice: "ST11.POSIZIONE_DEL_CONTRIBUENTE",
    descrizione: "La posizione contributiva è del contribuente",
    riferimento: "Msg. INPS 4583/2023, Cessazione provvisoria",
};
pub const STATO_AMMESSO: Rule = Rule {
    codice: "ST11.STATO_AMMESSO",
    descrizione: "La posizione è attiva, sospesa o riattivata",
    riferimento: "Stati della posizione: la cessazione definitiva segue solo una cessazione provvisoria (Msg. INPS 3462/2020)",
};
pub const DATA_SUCCESSIVA: Rule = Rule {
    codice: "ST11.DATA_SUCCESSIVA_STATO_ATTUALE",
    descrizione: "La cessazione è successiva all'inizio dello stato attuale",
    riferimento: "Controllo di coerenza della storia della posizione",
};
pub const NESSUN_LAVORATORE: Rule = Rule {
    codice: "ST11.NESSUN_LAVORATORE_DOPO_CESSAZIONE",
    descrizione: "Dopo il mese di cessazione non risultano lavoratori nelle denunce UniEmens",
    riferimento: "Una posizione cessata non ha lavoratori in forza: le denunce UniEmens devono confermarlo",
};

pub fn rules(r: &Richiesta, f: &Facts) -> (Vec<Check>, Vec<Effect>) {
    let mut checks = vec![posizione::del_contribuente(&POSIZIONE_DEL_CONTRIBUENTE, f.posizione.as_ref())];
    let Some(p) = &f.posizione else { return (checks, vec![]) };
    let ammessi = [StatoPosizione::Attiva, StatoPosizione::Sospesa, StatoPosizione::Riattivata];
    checks.push(posizione::in_stato(&STATO_AMMESSO, p, &ammessi, "si cessa"));
    checks.push(posizione::dopo_stato_attuale(&DATA_SUCCESSIVA, p, r.dal));
    checks.push(posizione::nessun_lavoratore_dopo(&NESSUN_LAVORATORE, p, r.dal));
    (checks, vec![posizione::cambia(p, StatoPosizione::CessataProvvisoria, r.dal)])
}

impl CambioStato for CessazioneProvvisoria {
    type Request = Richiesta;
    const FACTS: &'static str = "cessazione_provvisoria";

    fn parse(oggetto: &str, a: &Answers) -> Result<Richiesta, Vec<FieldError>> {
        form::parse(oggetto, a)
    }

    fn posizione_id(r: &Richiesta) -> i64 {
        r.posizione_id
    }

    fn rules(r: &Richiesta, f: &Facts, _cx: &RuleCx<'_>) -> (Vec<Check>, Vec<Effect>) {
        rules(r, f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::smart_task::engine::Esito;
    use crate::smart_task::posizione::Posizione;
    use crate::smart_task::posizione::tests::{d, posizione};

    fn failed(dal: &str, p: Option<Posizione>) -> Vec<String> {
        let (checks, _) = rules(&Richiesta { posizione_id: 7, dal: d(dal) }, &Facts { posizione: p });
        checks.into_iter().filter(|c| c.esito == Esito::Ko).map(|c| c.codice).collect()
    }

    #[test]
    fn passes_and_each_failure() {
        for stato in [StatoPosizione::Attiva, StatoPosizione::Sospesa, StatoPosizione::Riattivata] {
            assert!(failed("2026-06-30", Some(posizione(stato, "2020-01-01", Some("2026-06")))).is_empty());
        }
        assert_eq!(failed("2026-06-30", None), ["ST11.POSIZIONE_DEL_CONTRIBUENTE"]);
        let cessata = Some(posizione(StatoPosizione::CessataProvvisoria, "2025-01-01", None));
        assert_eq!(failed("2026-06-30", cessata), ["ST11.STATO_AMMESSO"]);
        let dopo = Some(posizione(StatoPosizione::Attiva, "2026-07-01", None));
        assert_eq!(failed("2026-06-30", dopo), ["ST11.DATA_SUCCESSIVA_STATO_ATTUALE"]);
        let lavoratori = Some(posizione(StatoPosizione::Attiva, "2020-01-01", Some("2026-07")));
        assert_eq!(failed("2026-06-30", lavoratori), ["ST11.NESSUN_LAVORATORE_DOPO_CESSAZIONE"]);
    }
}
