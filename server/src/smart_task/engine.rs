//! Automated examination (istruttoria) of Smart-Task requests.
//!
//! What every kind's examination shares: checks and rules, the decision, the facts snapshot and
//! the common checks. A kind's decision is pure and deterministic: the facts snapshot and the
//! parameters in force on the request's reference date are loaded beforehand, and stored with
//! the decision, so any past decision can be replayed (see [`super::kind`]).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use shared::dto::Stato;

/// Version of the rules. Change it whenever a check or its meaning changes.
pub const RULESET: &str = "2026.11-2";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Esito {
    Ok,
    Ko,
    /// The automation cannot tell: a person at the branch decides.
    Verifica,
}

/// One check as shown to the contributor and to the operator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Check {
    pub codice: String,
    pub descrizione: String,
    pub esito: Esito,
    /// In plain Italian: why it passed or failed, and on failure what to do.
    pub motivo: String,
    pub riferimento: String,
    /// The facts and parameter values this check read.
    pub letti: serde_json::Value,
}

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

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Accolta,
    NonAccolta,
    /// Sent to the branch with the reason (no effect applied).
    InCaricoSede,
}

impl Outcome {
    /// The state a request takes with this outcome.
    pub fn stato(self) -> Stato {
        match self {
            Outcome::Accolta => Stato::Accolta,
            Outcome::NonAccolta => Stato::NonAccolta,
            Outcome::InCaricoSede => Stato::InCaricoSede,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decision {
    pub outcome: Outcome,
    pub checks: Vec<Check>,
    /// Each kind's own effects, as stored in the trace (`{"tipo": …, …}`).
    pub effects: Vec<serde_json::Value>,
    pub ruleset: String,
}

impl Decision {
    pub fn from_checks(checks: Vec<Check>, effects: Vec<serde_json::Value>) -> Decision {
        // A failed check refuses; otherwise a check the automation cannot settle sends it to a person.
        let outcome = if checks.iter().any(|c| c.esito == Esito::Ko) {
            Outcome::NonAccolta
        } else if checks.iter().any(|c| c.esito == Esito::Verifica) {
            Outcome::InCaricoSede
        } else {
            Outcome::Accolta
        };
        Decision {
            outcome,
            effects: if outcome == Outcome::Accolta { effects } else { vec![] },
            checks,
            ruleset: RULESET.into(),
        }
    }

    /// The reasons shown when the request is not accepted (or why it went to the branch).
    pub fn motivi(&self) -> Vec<String> {
        let wanted = if self.outcome == Outcome::InCaricoSede { Esito::Verifica } else { Esito::Ko };
        self.checks.iter().filter(|c| c.esito == wanted).map(|c| c.motivo.clone()).collect()
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

/// Facts common to every kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommonFacts {
    pub data_riferimento: NaiveDate,
    /// How the requester may act for the contributor today (None: not at all).
    pub titolo_richiedente: Option<String>,
    pub richieste_aperte_stesso_oggetto: i64,
}

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

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snapshot {
    pub common: CommonFacts,
    /// The kind's own facts, as stored in the trace (`{"tipo": …, …}`).
    pub kind: serde_json::Value,
    /// Parameter values in force on the reference date, by name.
    pub parametri: std::collections::BTreeMap<String, String>,
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
