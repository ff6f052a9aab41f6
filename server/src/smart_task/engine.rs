//! Automated examination (istruttoria) of Smart-Task requests.
//!
//! What every kind's examination shares: checks and rules, the decision, the facts snapshot and
//! the common checks. A kind's decision is pure and deterministic: the facts snapshot and the
//! parameters in force on the request's reference date are loaded beforehand, and stored with
//! the decision, so any past decision can be replayed (see [`super::kind`]).

pub use crate::richieste::decision::{Check, CommonFacts, Decision, Outcome, Snapshot};
pub use shared::dto::Esito;

/// Version of the rules. Change it whenever a check or its meaning changes.
pub const RULESET: &str = "2026.12-1";

/// A named check: its stable code, description and reference.
pub struct Rule {
    pub codice: &'static str,
    pub descrizione: &'static str,
    pub riferimento: &'static str,
}

impl Rule {
    pub fn check(
        &self,
        ok: bool,
        motivo_ok: impl Into<String>,
        motivo_ko: impl Into<String>,
        letti: serde_json::Value,
    ) -> Check {
        Check {
            codice: self.codice.into(),
            descrizione: self.descrizione.into(),
            esito: if ok { Esito::Ok } else { Esito::Ko },
            motivo: if ok { motivo_ok.into() } else { motivo_ko.into() },
            riferimento: self.riferimento.into(),
            letti,
        }
    }
}

/// Common checks (domain.md §4.1), run for every kind.
pub const C1_LEGITTIMAZIONE: Rule = Rule {
    codice: "ST00.RICHIEDENTE_LEGITTIMATO",
    descrizione: "Chi presenta la richiesta può operare per il contribuente",
    riferimento: "Circ. INPS 28/2011 (deleghe); Msg. INPS 4583/2023",
};
pub const C4_NESSUNA_RICHIESTA_APERTA: Rule = Rule {
    codice: "ST00.NESSUNA_RICHIESTA_APERTA",
    descrizione: "Non ci sono altre richieste in lavorazione per lo stesso oggetto",
    riferimento: "Regola di progetto: una sola richiesta aperta per oggetto",
};

pub fn common_checks(f: &CommonFacts) -> Vec<Check> {
    vec![
        C1_LEGITTIMAZIONE.check(
            f.titolo_richiedente.is_some(),
            format!("Il richiedente opera come: {}.", f.titolo_richiedente.as_deref().unwrap_or("")),
            "Alla data della richiesta il richiedente non era titolare, rappresentante legale o delegato del contribuente.",
            serde_json::json!({ "titolo_richiedente": f.titolo_richiedente }),
        ),
        C4_NESSUNA_RICHIESTA_APERTA.check(
            f.richieste_aperte_stesso_oggetto == 0,
            "Nessuna altra richiesta aperta per lo stesso oggetto.",
            "Esiste già una richiesta in lavorazione per lo stesso oggetto: attenderne l'esito prima di presentarne un'altra.",
            serde_json::json!({ "richieste_aperte_stesso_oggetto": f.richieste_aperte_stesso_oggetto }),
        ),
    ]
}

/// The check added when the stored facts do not belong to the request's kind.
pub fn incoherent() -> Check {
    Check {
        codice: "ST00.DATI_COERENTI".into(),
        descrizione: "I dati raccolti corrispondono al tipo di richiesta".into(),
        esito: Esito::Ko,
        motivo: "I dati della richiesta non corrispondono al tipo scelto.".into(),
        riferimento: "Controllo tecnico".into(),
        letti: serde_json::Value::Null,
    }
}
