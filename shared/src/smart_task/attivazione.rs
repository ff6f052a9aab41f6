//! The gradual activation of Smart-Task kinds (Msg. INPS 4583/2023): what the head office sees
//! and sets, and the words every page uses for a kind's state.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A kind's activation as the head office manages it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttivazioneView {
    pub tipo: String,
    pub numero: u8,
    pub descrizione: String,
    /// From this day (AAAA-MM-GG) the kind is offered and accepted; none: in arrivo.
    pub attivo_dal: Option<String>,
    /// Active today.
    pub attivo: bool,
    /// "Attivo dal 31/12/2023", "In arrivo: attivazione programmata il 01/02/2027", "In arrivo".
    pub stato: String,
    pub nota: String,
    pub aggiornato_at: Option<String>,
    /// The version read (0: never set), to be sent back with a change.
    pub version: i64,
}

/// A change of a kind's activation: a date (gg/mm/aaaa, today or later schedules it; empty: back
/// to "in arrivo"), the reason, the version read.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImpostaAttivazione {
    #[serde(default)]
    pub attivo_dal: Option<String>,
    pub nota: String,
    #[serde(deserialize_with = "crate::intero::whole")]
    pub version: i64,
}

/// Whether a kind active from `dal` is active on `oggi`.
pub fn attivo(dal: Option<NaiveDate>, oggi: NaiveDate) -> bool {
    dal.is_some_and(|d| d <= oggi)
}

/// A kind's state in words, as of `oggi`.
pub fn stato(dal: Option<NaiveDate>, oggi: NaiveDate) -> String {
    match dal {
        Some(d) if d <= oggi => format!("Attivo dal {}", crate::time::format_date_it(d)),
        Some(d) => format!("In arrivo: attivazione programmata il {}", crate::time::format_date_it(d)),
        None => "In arrivo".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, g: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, g).unwrap_or_default()
    }

    #[test]
    fn active_from_its_day_on() {
        let dal = Some(d(2027, 2, 1));
        assert!(!attivo(dal, d(2027, 1, 31)));
        assert!(attivo(dal, d(2027, 2, 1)));
        assert!(!attivo(None, d(2099, 1, 1)));
        assert_eq!(stato(dal, d(2027, 1, 31)), "In arrivo: attivazione programmata il 01/02/2027");
        assert_eq!(stato(dal, d(2027, 2, 1)), "Attivo dal 01/02/2027");
        assert_eq!(stato(None, d(2027, 2, 1)), "In arrivo");
    }
}
