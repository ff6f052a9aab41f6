//! The decision stored with a request (its trace): the checks run with what each read, the
//! outcome, the effects, and the facts snapshot it was taken on. The engine writes it; the
//! request's detail, the operator's view and the replay read it through [`Trace::of`].

use crate::error::{AppError, AppResult};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use shared::dto::{CheckView, Esito, Stato};
use sqlx::Row;
use sqlx::any::AnyRow;

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
    pub fn from_checks(checks: Vec<Check>, effects: Vec<serde_json::Value>, ruleset: &str) -> Decision {
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
            ruleset: ruleset.into(),
        }
    }

    /// The reasons shown when the request is not accepted (or why it went to the branch).
    pub fn motivi(&self) -> Vec<String> {
        let wanted = if self.outcome == Outcome::InCaricoSede { Esito::Verifica } else { Esito::Ko };
        self.checks.iter().filter(|c| c.esito == wanted).map(|c| c.motivo.clone()).collect()
    }
}

/// Facts common to every kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommonFacts {
    pub data_riferimento: NaiveDate,
    /// How the requester may act for the contributor today (None: not at all).
    pub titolo_richiedente: Option<String>,
    pub richieste_aperte_stesso_oggetto: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snapshot {
    pub common: CommonFacts,
    /// The kind's own facts, as stored in the trace (`{"tipo": …, …}`).
    pub kind: serde_json::Value,
    /// Parameter values in force on the reference date, by name.
    pub parametri: std::collections::BTreeMap<String, String>,
    /// The day the parameters were read as of, when the kind takes it from an answer (None: the
    /// request's date; decisions stored before kinds could choose read None).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data_parametri: Option<chrono::NaiveDate>,
}

/// What is stored in `decisione_json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Trace {
    pub decisione: Decision,
    pub fatti: Snapshot,
}

impl Trace {
    /// The trace of a stored request row (None while it is undecided or was decided by hand).
    pub fn of(row: &AnyRow) -> AppResult<Option<Trace>> {
        match row.try_get::<Option<String>, _>("decisione_json")? {
            None => Ok(None),
            Some(text) => serde_json::from_str(&text)
                .map(Some)
                .map_err(|e| AppError::Internal(format!("decisione memorizzata illeggibile: {e}"))),
        }
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

impl Check {
    /// As the contributor sees it: without the facts it read.
    pub fn view(&self) -> CheckView {
        CheckView {
            codice: self.codice.clone(),
            descrizione: self.descrizione.clone(),
            esito: self.esito,
            motivo: self.motivo.clone(),
            riferimento: self.riferimento.clone(),
        }
    }
}
