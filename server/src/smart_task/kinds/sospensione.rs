//! Smart-Task 9: Sospensione posizione contributiva.

use crate::smart_task::engine::{Check, Rule};
use crate::smart_task::kind::RuleCx;
use crate::smart_task::posizione::{self, CambioStato, Effect, Facts};
use shared::dto::FieldError;
use shared::posizione::StatoPosizione;
use shared::smart_task::Answers;
use shared::smart_task::kinds::sospensione::{self as form, Richiesta};

pub struct SospensionePosizione;

pub const POSIZIONE_DEL_CONTRIBUENTE: Rule = Rule {
    codice: "ST09.POSIZIONE_DEL_CONTRIBUENTE",
    descrizione: "La posizione contributiva è del contribuente",
    riferimento: "Msg. INPS 4583/2023, Sospensione posizione contributiva",
};
pub const POSIZIONE_OPERATIVA: Rule = Rule {
    codice: "ST09.POSIZIONE_ATTIVA",
    descrizione: "La posizione è attiva o riattivata",
    riferimento: "Msg. INPS 4583/2023; stati della posizione (Attiva, Riattivata)",
};
pub const DATA_SUCCESSIVA: Rule = Rule {
    codice: "ST09.DATA_SUCCESSIVA_STATO_ATTUALE",
    descrizione: "La sospensione inizia dopo l'inizio dello stato attuale",
    riferimento: "Controllo di coerenza della storia della posizione",
};
pub const NESSUN_LAVORATORE: Rule = Rule {
    codice: "ST09.NESSUN_LAVORATORE_DOPO_INIZIO",
    descrizione: "Dopo il mese di inizio non risultano lavoratori nelle denunce UniEmens",
    riferimento: "Una posizione sospesa non ha lavoratori in forza: le denunce UniEmens devono confermarlo",
};

pub fn rules(r: &Richiesta, f: &Facts) -> (Vec<Check>, Vec<Effect>) {
    let mut checks = vec![posizione::del_contribuente(&POSIZIONE_DEL_CONTRIBUENTE, f.posizione.as_ref())];
    let Some(p) = &f.posizione else { return (checks, vec![]) };
    checks.push(posizione::in_stato(
        &POSIZIONE_OPERATIVA,
        p,
        &[StatoPosizione::Attiva, StatoPosizione::Riattivata],
        "si sospende",
    ));
    checks.push(posizione::dopo_stato_attuale(&DATA_SUCCESSIVA, p, r.dal));
    checks.push(posizione::nessun_lavoratore_dopo(&NESSUN_LAVORATORE, p, r.dal));
    (checks, vec![posizione::cambia(p, StatoPosizione::Sospesa, r.dal)])
}

impl CambioStato for SospensionePosizione {
    type Request = Richiesta;
    const FACTS: &'static str = "sospensione_posizione";

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
    use shared::smart_task::kinds::sospensione::Motivo;

    fn failed(dal: &str, p: Option<Posizione>) -> Vec<String> {
        let r = Richiesta { posizione_id: 7, dal: d(dal), motivo: Motivo::Stagionale };
        let (checks, _) = rules(&r, &Facts { posizione: p });
        checks.into_iter().filter(|c| c.esito == Esito::Ko).map(|c| c.codice).collect()
    }

    #[test]
    fn passes_and_each_failure() {
        let attiva = || Some(posizione(StatoPosizione::Attiva, "2020-01-01", Some("2026-05")));
        assert!(failed("2026-05-20", attiva()).is_empty());
        let riattivata = Some(posizione(StatoPosizione::Riattivata, "2025-01-01", None));
        assert!(failed("2026-05-20", riattivata).is_empty());
        assert_eq!(failed("2026-05-20", None), ["ST09.POSIZIONE_DEL_CONTRIBUENTE"]);
        let sospesa = Some(posizione(StatoPosizione::Sospesa, "2025-01-01", None));
        assert_eq!(failed("2026-05-20", sospesa), ["ST09.POSIZIONE_ATTIVA"]);
        let recente = Some(posizione(StatoPosizione::Riattivata, "2026-05-20", None));
        assert_eq!(failed("2026-05-20", recente), ["ST09.DATA_SUCCESSIVA_STATO_ATTUALE"]);
        // Workers declared in May: a suspension from the last day of April is refused.
        assert_eq!(failed("2026-04-30", attiva()), ["ST09.NESSUN_LAVORATORE_DOPO_INIZIO"]);
    }
}
