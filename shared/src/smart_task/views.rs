//! What the server says about Smart-Task: the kinds, their targets, a submission.

use serde::{Deserialize, Serialize};

/// A Smart-Task kind as offered to the user.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KindView {
    pub codice: String,
    pub numero: u8,
    pub descrizione: String,
    /// False for kinds not active today (in arrivo, or scheduled for a later day) or whose
    /// automated examination is not available yet.
    pub disponibile: bool,
    /// "Attivo dal …", "In arrivo: attivazione programmata il …", "In arrivo".
    #[serde(default)]
    pub stato: String,
}

/// Something a request can act on, chosen from the subject's own data.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TargetView {
    pub id: String,
    pub descrizione: String,
    /// What INPS already knows about the target, shown above the form (label, value).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<Vec<String>>))]
    pub dati: Vec<(String, String)>,
    /// Answers pre-filled from the target (the user may change them).
    #[serde(default)]
    pub predefiniti: std::collections::BTreeMap<String, String>,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubmitRequest {
    pub tipo: String,
    /// The company; defaults to the one the session acts for.
    #[serde(default, deserialize_with = "crate::intero::optional")]
    pub soggetto_id: Option<i64>,
    pub oggetto: String,
    #[serde(default)]
    pub risposte: std::collections::BTreeMap<String, String>,
}
