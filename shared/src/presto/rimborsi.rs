//! Refunds of the unused balance to the user's IBAN and transfers of a payment made under the
//! wrong instrument (Libretto Famiglia ↔ CPO of the same person), announced by Msg. 1099/2018:
//! asked by the user, decided by its sede.

use crate::money::Euro;
use serde::{Deserialize, Serialize};

/// What the user asks. Refund: `importo` and `iban` (in the user's own name, declared).
/// Transfer: `versamento_id`, the payment to move to the other instrument.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct NuovoRimborso {
    /// `rimborso` or `trasferimento`.
    pub tipo: String,
    /// Refund: the amount (Italian format, e.g. 150,00).
    pub importo: String,
    pub iban: String,
    /// The user declares that the IBAN is in its own name.
    pub iban_intestato: bool,
    /// Transfer: the payment made under the wrong instrument.
    #[serde(default, deserialize_with = "crate::intero::optional")]
    pub versamento_id: Option<i64>,
    pub motivo: String,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RimborsoView {
    pub id: i64,
    pub tipo: String,
    pub importo: Euro,
    pub iban: Option<String>,
    /// Transfer: the instrument the money moves to.
    pub destinazione: Option<String>,
    pub versamento: Option<String>,
    pub motivo: String,
    /// `richiesto`, `approvato` or `rifiutato`.
    pub stato: String,
    pub utilizzatore_id: i64,
    pub denominazione: String,
    pub codice_fiscale: String,
    pub sede: String,
    pub richiesto_at: String,
    pub deciso_da: Option<String>,
    pub deciso_at: Option<String>,
    pub nota_decisione: Option<String>,
    /// Whether this operator may decide it now.
    pub puo_decidere: bool,
}

/// The branch's decision: `approva` or `rifiuta` (the note is mandatory when refusing).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecisioneRimborso {
    pub esito: String,
    pub nota: String,
}

pub fn stato_label(s: &str) -> &'static str {
    match s {
        "richiesto" => "In attesa della sede",
        "approvato" => "Approvato",
        "rifiutato" => "Respinto",
        _ => "",
    }
}
