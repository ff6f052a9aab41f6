//! Smart-Task 6 (Variazione contatti intermediario) and 7 (Variazione contatti dipendente
//! aziendale).

use super::revoca_delega::Delega;
use super::{Check, CommonFacts, Effect, Rule};
use serde::{Deserialize, Serialize};
use shared::smart_task::Contatti;

/// Current contacts of whoever the request changes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Current {
    pub email: Option<String>,
    pub pec: Option<String>,
    pub telefono: Option<String>,
    pub cellulare: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IntermediarioFacts {
    pub intermediario_id: Option<i64>,
    pub intermediario_persona_id: Option<i64>,
    pub richiedente_persona_id: Option<i64>,
    pub deleghe_attive: i64,
    pub attuali: Current,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DipendenteFacts {
    pub contribuente_id: i64,
    pub delega: Option<Delega>,
    pub richiedente_persona_id: Option<i64>,
    pub richiedente_rappresentante_legale: bool,
    pub attuali: Current,
}

pub const RICHIEDENTE_INTERMEDIARIO: Rule = Rule {
    codice: "ST06.RICHIEDENTE_E_L_INTERMEDIARIO",
    descrizione: "La variazione è chiesta dall'intermediario stesso",
    riferimento: "Msg. INPS 4583/2023, Variazione contatti intermediario",
};
pub const DELEGHE_ATTIVE: Rule = Rule {
    codice: "ST06.ALMENO_UNA_DELEGA_ATTIVA",
    descrizione: "L'intermediario ha almeno una delega in vigore",
    riferimento: "L. 12/1979; Msg. INPS 18367/2011 (gestione deleghe)",
};
pub const DELEGA_DIPENDENTE: Rule = Rule {
    codice: "ST07.DELEGA_A_DIPENDENTE_IN_VIGORE",
    descrizione: "Il dipendente ha una delega del contribuente in vigore",
    riferimento: "Msg. INPS 18367/2011 (delega a dipendente)",
};
pub const RICHIEDENTE_DIPENDENTE: Rule = Rule {
    codice: "ST07.RICHIEDENTE_TITOLATO",
    descrizione: "La variazione è chiesta dal dipendente o dal titolare / rappresentante legale",
    riferimento: "Msg. INPS 4583/2023, Variazione contatti dipendente aziendale",
};
pub const CONTATTO_VARIATO: Rule = Rule {
    codice: "ST00.ALMENO_UN_CONTATTO_VARIATO",
    descrizione: "Almeno un contatto indicato è diverso da quello registrato",
    riferimento: "Controllo di coerenza",
};

fn changed(new: &Contatti, cur: &Current) -> bool {
    let differs = |n: Option<&str>, c: &Option<String>| n.is_some_and(|n| c.as_deref() != Some(n));
    differs(new.email.as_ref().map(|e| e.as_str()), &cur.email)
        || differs(new.pec.as_ref().map(|e| e.as_str()), &cur.pec)
        || differs(new.telefono.as_ref().map(|t| t.as_str()), &cur.telefono)
        || differs(new.cellulare.as_ref().map(|t| t.as_str()), &cur.cellulare)
}

fn changed_check(new: &Contatti, cur: &Current) -> Check {
    CONTATTO_VARIATO.check(
        changed(new, cur),
        "Almeno un contatto cambia.",
        "I contatti indicati sono uguali a quelli già registrati: non c'è nulla da variare.",
        serde_json::json!({ "attuali": cur, "nuovi": new }),
    )
}

pub fn rules_intermediario(new: &Contatti, f: &IntermediarioFacts) -> (Vec<Check>, Vec<Effect>) {
    let is_self = f.intermediario_persona_id.is_some() && f.intermediario_persona_id == f.richiedente_persona_id;
    let checks = vec![
        RICHIEDENTE_INTERMEDIARIO.check(
            is_self,
            "La variazione è chiesta dall'intermediario stesso.",
            "Solo l'intermediario può variare i propri contatti.",
            serde_json::json!({ "intermediario_id": f.intermediario_id, "richiedente_e_intermediario": is_self }),
        ),
        DELEGHE_ATTIVE.check(
            f.deleghe_attive > 0,
            format!("Deleghe in vigore: {}.", f.deleghe_attive),
            "L'intermediario non ha deleghe in vigore: i suoi contatti non sono usati da INPS.",
            serde_json::json!({ "deleghe_attive": f.deleghe_attive }),
        ),
        changed_check(new, &f.attuali),
    ];
    let effects = f
        .intermediario_id
        .map(|id| vec![Effect::AggiornaContattiIntermediario { intermediario_id: id, contatti: new.clone() }])
        .unwrap_or_default();
    (checks, effects)
}

pub fn rules_dipendente(new: &Contatti, f: &DipendenteFacts, common: &CommonFacts) -> (Vec<Check>, Vec<Effect>) {
    let oggi = common.data_riferimento;
    let delega = f.delega.as_ref().filter(|g| g.contribuente_id == f.contribuente_id && g.ruolo == "dipendente");
    let attiva = delega.is_some_and(|g| {
        g.data_inizio <= oggi && g.data_fine.is_none_or(|d| oggi <= d) && g.revocata_dal.is_none_or(|r| oggi < r)
    });
    let is_self = delega.is_some_and(|g| f.richiedente_persona_id == Some(g.delegato_persona_id));
    let checks = vec![
        DELEGA_DIPENDENTE.check(
            attiva,
            "La delega a dipendente è in vigore.",
            "Non risulta una delega a dipendente in vigore per questa persona e questo contribuente.",
            serde_json::json!({ "delega": f.delega, "data_riferimento": oggi }),
        ),
        RICHIEDENTE_DIPENDENTE.check(
            is_self || f.richiedente_rappresentante_legale,
            if is_self { "La variazione è chiesta dal dipendente stesso." } else { "La variazione è chiesta dal titolare o rappresentante legale." },
            "Solo il dipendente delegato o il titolare / rappresentante legale possono variare questi contatti.",
            serde_json::json!({ "dipendente_stesso": is_self, "rappresentante_legale": f.richiedente_rappresentante_legale }),
        ),
        changed_check(new, &f.attuali),
    ];
    let effects = delega
        .map(|g| vec![Effect::AggiornaContattiPersona { persona_id: g.delegato_persona_id, contatti: new.clone() }])
        .unwrap_or_default();
    (checks, effects)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::istruttoria::Esito;
    use chrono::NaiveDate;
    use shared::{Email, Telefono};

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }
    fn new() -> Contatti {
        Contatti {
            email: Some(Email::parse("nuova@studio.it").unwrap()),
            pec: None,
            telefono: Some(Telefono::parse("06 123456").unwrap()),
            cellulare: None,
        }
    }
    fn failed(c: &[Check]) -> Vec<&str> {
        c.iter().filter(|c| c.esito == Esito::Ko).map(|c| c.codice.as_str()).collect()
    }
    fn ifacts() -> IntermediarioFacts {
        IntermediarioFacts {
            intermediario_id: Some(1),
            intermediario_persona_id: Some(5),
            richiedente_persona_id: Some(5),
            deleghe_attive: 3,
            attuali: Current { email: Some("vecchia@studio.it".into()), ..Default::default() },
        }
    }

    #[test]
    fn intermediario_checks() {
        let (c, e) = rules_intermediario(&new(), &ifacts());
        assert!(failed(&c).is_empty());
        assert_eq!(e.len(), 1);
        let mut f = ifacts();
        f.richiedente_persona_id = Some(6);
        assert_eq!(failed(&rules_intermediario(&new(), &f).0), ["ST06.RICHIEDENTE_E_L_INTERMEDIARIO"]);
        let mut f = ifacts();
        f.deleghe_attive = 0;
        assert_eq!(failed(&rules_intermediario(&new(), &f).0), ["ST06.ALMENO_UNA_DELEGA_ATTIVA"]);
        let mut f = ifacts();
        f.attuali =
            Current { email: Some("nuova@studio.it".into()), telefono: Some("06123456".into()), ..Default::default() };
        assert_eq!(failed(&rules_intermediario(&new(), &f).0), ["ST00.ALMENO_UN_CONTATTO_VARIATO"]);
    }

    #[test]
    fn dipendente_checks() {
        let common = CommonFacts {
            data_riferimento: day(2026, 11, 22),
            titolo_richiedente: Some("x".into()),
            richieste_aperte_stesso_oggetto: 0,
        };
        let delega = Delega {
            id: 9,
            contribuente_id: 2,
            ruolo: "dipendente".into(),
            delegato_persona_id: 30,
            data_inizio: day(2025, 1, 1),
            data_fine: None,
            revocata_dal: None,
        };
        let f = DipendenteFacts {
            contribuente_id: 2,
            delega: Some(delega.clone()),
            richiedente_persona_id: Some(30),
            richiedente_rappresentante_legale: false,
            attuali: Current::default(),
        };
        assert!(failed(&rules_dipendente(&new(), &f, &common).0).is_empty());
        let mut g = f.clone();
        g.delega = Some(Delega { revocata_dal: Some(day(2026, 1, 1)), ..delega.clone() });
        assert_eq!(failed(&rules_dipendente(&new(), &g, &common).0), ["ST07.DELEGA_A_DIPENDENTE_IN_VIGORE"]);
        let mut g = f.clone();
        g.richiedente_persona_id = Some(31);
        assert_eq!(failed(&rules_dipendente(&new(), &g, &common).0), ["ST07.RICHIEDENTE_TITOLATO"]);
        g.richiedente_rappresentante_legale = true;
        assert!(failed(&rules_dipendente(&new(), &g, &common).0).is_empty(), "the legal representative may");
    }
}
