//! "What if": the head office re-runs stored Smart-Task decisions under a parameter change
//! (a new value from a date) without changing anything, and sees which outcomes would change
//! and which check made the difference.

use crate::problem::FieldError;
use crate::time::parse_date_it;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The question: which decisions (kind, reference dates) and which change.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RichiestaSimulazione {
    /// A kind's code; empty: every kind.
    #[serde(default)]
    pub tipo: Option<String>,
    /// Decisions with reference date from … to … (gg/mm/aaaa).
    pub dal: String,
    pub al: String,
    /// The parameter that changes (e.g. ST.TESORERIA.SOGLIA_DIPENDENTI) …
    pub parametro: String,
    /// … its new value …
    pub valore: String,
    /// … in force from this day (gg/mm/aaaa).
    pub valido_dal: String,
}

/// The question, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Simulazione {
    pub tipo: Option<super::Kind>,
    pub dal: NaiveDate,
    pub al: NaiveDate,
    pub parametro: String,
    pub valore: String,
    pub valido_dal: NaiveDate,
}

fn field(field: &str, code: &str, message: &str) -> FieldError {
    FieldError { field: field.into(), code: code.into(), message: message.into() }
}

impl RichiestaSimulazione {
    /// Every field checked; the parameter's existence is the server's to check.
    pub fn parse(&self) -> Result<Simulazione, Vec<FieldError>> {
        let mut e = vec![];
        let tipo = match self.tipo.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            None => None,
            Some(t) => {
                let k = super::Kind::from_code(t);
                if k.is_none() {
                    e.push(field("tipo", "unknown", "Tipo di Smart-Task sconosciuto."));
                }
                k
            }
        };
        let mut day = |name: &str, v: &str, what: &str| {
            let d = parse_date_it(v);
            if d.is_none() {
                let code = if v.trim().is_empty() { "empty" } else { "format" };
                e.push(field(name, code, &format!("Indicare {what} nel formato gg/mm/aaaa.")));
            }
            d
        };
        let dal = day("dal", &self.dal, "la prima data di riferimento");
        let al = day("al", &self.al, "l'ultima data di riferimento");
        let valido_dal = day("valido_dal", &self.valido_dal, "da quando vale il nuovo valore");
        if let (Some(d), Some(a)) = (dal, al)
            && a < d
        {
            e.push(field("al", "range", "L'ultima data non può precedere la prima."));
        }
        let parametro = self.parametro.trim().to_string();
        if parametro.is_empty() {
            e.push(field("parametro", "empty", "Scegliere il parametro da cambiare."));
        }
        let valore = self.valore.trim().to_string();
        if valore.is_empty() || valore.chars().count() > 200 {
            e.push(field("valore", "length", "Indicare il nuovo valore (al più 200 caratteri)."));
        }
        match (dal, al, valido_dal) {
            (Some(dal), Some(al), Some(valido_dal)) if e.is_empty() => {
                Ok(Simulazione { tipo, dal, al, parametro, valore, valido_dal })
            }
            _ => Err(e),
        }
    }
}

/// A decision whose outcome would change.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecisioneCambiata {
    pub protocollo: String,
    pub tipo: String,
    pub data_riferimento: String,
    pub esito_prima: String,
    pub esito_dopo: String,
    /// The checks whose result changes, by code.
    pub controlli: Vec<String>,
}

/// The answer: how many decisions were re-run, how many change, which, and by which check.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EsitoSimulazione {
    pub esaminate: u64,
    pub cambiate: u64,
    /// Accolta today, non accolta under the change.
    pub non_piu_accolte: u64,
    /// Non accolta today, accolta under the change.
    pub ora_accolte: u64,
    /// For each check that makes a difference, how many decisions it changes.
    pub per_controllo: Vec<(String, u64)>,
    /// The first changed decisions (all of them in the CSV).
    pub cambiate_elenco: Vec<DecisioneCambiata>,
    pub durata_ms: u64,
}

/// A parameter with its dated values, to choose from.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParametroView {
    pub nome: String,
    /// (valid from AAAA-MM-GG, value, source), oldest first.
    pub valori: Vec<(String, String, String)>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_is_checked() {
        let ok = RichiestaSimulazione {
            tipo: Some("fondo_tesoreria".into()),
            dal: "01/01/2026".into(),
            al: "31/12/2026".into(),
            parametro: "ST.TESORERIA.SOGLIA_DIPENDENTI".into(),
            valore: "55".into(),
            valido_dal: "01/01/2026".into(),
        };
        assert!(ok.parse().is_ok());
        let bad = RichiestaSimulazione { tipo: Some("x".into()), al: "31/12/2025".into(), valore: " ".into(), ..ok };
        let fields: Vec<String> = bad.parse().unwrap_err().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["tipo", "al", "valore"]);
    }
}
