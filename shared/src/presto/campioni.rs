//! Samples for checking self-declarations (Msg. 1099/2018 §5): drawn from a list with a recorded
//! seed, stored as a named check list, worked through row by row with an outcome and a note.

use super::elenchi::RichiestaElenco;
use crate::money::Euro;
use serde::{Deserialize, Serialize};

/// A new sample: the list's filters, the size (a percentage or a number of rows), the seed
/// (empty: drawn by the server and recorded) and whether to stratify by instrument and category
/// (utilizzatori) or by special category (prestatori).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct NuovoCampione {
    pub nome: String,
    pub elenco: RichiestaElenco,
    pub percentuale: String,
    pub numero: String,
    pub seme: String,
    pub stratificato: bool,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RigaCampione {
    pub id: i64,
    pub posizione: i64,
    /// `utilizzatore` or `prestatore`.
    pub soggetto_tipo: String,
    pub soggetto_id: i64,
    pub denominazione: String,
    pub codice_fiscale: String,
    pub strato: String,
    pub prestazioni: i64,
    pub compenso: Euro,
    /// `conforme`, `non_conforme`, `non_verificabile`; none while to be checked.
    pub esito: Option<String>,
    pub nota: Option<String>,
    pub verificato_da: Option<String>,
    pub verificato_at: Option<String>,
    pub version: i64,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CampioneView {
    pub id: i64,
    pub nome: String,
    pub tipo: String,
    pub elenco: RichiestaElenco,
    /// The seed, as decimal text (a 64-bit number: JavaScript would round it).
    pub seme: String,
    pub percentuale: Option<i64>,
    pub numero: Option<i64>,
    pub stratificato: bool,
    /// Rows of the list it was drawn from.
    pub righe_elenco: i64,
    pub creato_da: String,
    pub created_at: String,
    pub verificate: i64,
    pub righe: Vec<RigaCampione>,
}

/// A sample in the list of the sede's samples.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CampioneSintesi {
    pub id: i64,
    pub nome: String,
    pub tipo: String,
    pub righe: i64,
    pub verificate: i64,
    pub creato_da: String,
    pub created_at: String,
}

/// The outcome of checking one row; `version` as read (optimistic lock).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EsitoVerifica {
    /// `conforme`, `non_conforme` or `non_verificabile`.
    pub esito: String,
    pub nota: String,
    #[serde(deserialize_with = "crate::intero::whole")]
    pub version: i64,
}

pub const ESITI: &[(&str, &str)] = &[
    ("conforme", "Autocertificazione confermata"),
    ("non_conforme", "Autocertificazione non veritiera"),
    ("non_verificabile", "Non verificabile"),
];
