//! Smart-Task 8: Variazione indirizzo PEC aziendale.

use super::{Check, Effect, Rule};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Facts {
    pub contribuente_id: i64,
    pub natura_giuridica: String,
    pub obbligo_pec_registro_imprese: bool,
    pub pec_attuale: Option<String>,
    /// The new address is registered as the PEC of an intermediary.
    pub pec_di_intermediario: bool,
}

pub const NON_OBBLIGATO_RI: Rule = Rule {
    codice: "ST08.NON_OBBLIGATO_REGISTRO_IMPRESE",
    descrizione: "Il contribuente non è tenuto a comunicare la PEC al Registro delle Imprese",
    riferimento: "D.L. 185/2008 art. 16 c.6 e D.L. 179/2012 art. 5: società e imprese individuali comunicano la PEC al Registro Imprese (ComUnica)",
};
pub const PEC_NON_DI_INTERMEDIARIO: Rule = Rule {
    codice: "ST08.PEC_NON_DI_INTERMEDIARIO",
    descrizione: "L'indirizzo non è la PEC di un intermediario",
    riferimento: "La PEC aziendale è ad uso esclusivo del contribuente",
};
pub const PEC_DIVERSA: Rule = Rule {
    codice: "ST08.PEC_DIVERSA_DALL_ATTUALE",
    descrizione: "Il nuovo indirizzo è diverso da quello già registrato",
    riferimento: "Controllo di coerenza",
};

pub fn rules(pec: &str, f: &Facts) -> (Vec<Check>, Vec<Effect>) {
    let checks = vec![
        NON_OBBLIGATO_RI.check(
            !f.obbligo_pec_registro_imprese,
            "Il contribuente non è iscritto al Registro delle Imprese con obbligo di PEC: la variazione si fa qui.",
            "Società e imprese individuali comunicano la PEC al Registro delle Imprese tramite ComUnica presso la Camera di Commercio; INPS la riceve da lì.",
            serde_json::json!({ "natura_giuridica": f.natura_giuridica, "obbligo_pec_registro_imprese": f.obbligo_pec_registro_imprese }),
        ),
        PEC_NON_DI_INTERMEDIARIO.check(
            !f.pec_di_intermediario,
            "L'indirizzo non risulta come PEC di un intermediario.",
            "L'indirizzo indicato è la PEC di un intermediario: la PEC aziendale deve essere un indirizzo del contribuente.",
            serde_json::json!({ "pec_nuova": pec, "pec_di_intermediario": f.pec_di_intermediario }),
        ),
        PEC_DIVERSA.check(
            f.pec_attuale.as_deref() != Some(pec),
            "Il nuovo indirizzo è diverso da quello registrato.",
            "L'indirizzo indicato è già quello registrato: non c'è nulla da variare.",
            serde_json::json!({ "pec_attuale": f.pec_attuale, "pec_nuova": pec }),
        ),
    ];
    (checks, vec![Effect::AggiornaPecAzienda { contribuente_id: f.contribuente_id, pec: pec.into() }])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::istruttoria::Esito;

    fn facts() -> Facts {
        Facts {
            contribuente_id: 1,
            natura_giuridica: "ASSOCIAZIONE".into(),
            obbligo_pec_registro_imprese: false,
            pec_attuale: Some("vecchia@pec.it".into()),
            pec_di_intermediario: false,
        }
    }

    fn failed(pec: &str, f: &Facts) -> Vec<String> {
        rules(pec, f).0.into_iter().filter(|c| c.esito == Esito::Ko).map(|c| c.codice).collect()
    }

    #[test]
    fn passes_and_each_failure() {
        assert!(failed("nuova@pec.it", &facts()).is_empty());
        let mut f = facts();
        f.obbligo_pec_registro_imprese = true;
        assert_eq!(failed("nuova@pec.it", &f), ["ST08.NON_OBBLIGATO_REGISTRO_IMPRESE"]);
        let mut f = facts();
        f.pec_di_intermediario = true;
        assert_eq!(failed("nuova@pec.it", &f), ["ST08.PEC_NON_DI_INTERMEDIARIO"]);
        assert_eq!(failed("vecchia@pec.it", &facts()), ["ST08.PEC_DIVERSA_DALL_ATTUALE"]);
    }
}
