//! The states of a contribution position (posizione contributiva, domain.md §4.2), as a type:
//! stored as the legacy primary key (1–6), shown by name.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StatoPosizione {
    Attiva,
    CessataProvvisoria,
    CessataDefinitiva,
    Sospesa,
    Riattivata,
    Fallita,
}

impl StatoPosizione {
    pub const ALL: [StatoPosizione; 6] = [
        StatoPosizione::Attiva,
        StatoPosizione::CessataProvvisoria,
        StatoPosizione::CessataDefinitiva,
        StatoPosizione::Sospesa,
        StatoPosizione::Riattivata,
        StatoPosizione::Fallita,
    ];

    /// The stored code (the legacy table's primary key).
    pub fn code(self) -> i64 {
        match self {
            StatoPosizione::Attiva => 1,
            StatoPosizione::CessataProvvisoria => 2,
            StatoPosizione::CessataDefinitiva => 3,
            StatoPosizione::Sospesa => 4,
            StatoPosizione::Riattivata => 5,
            StatoPosizione::Fallita => 6,
        }
    }

    pub fn from_code(code: i64) -> Option<StatoPosizione> {
        StatoPosizione::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            StatoPosizione::Attiva => "Attiva",
            StatoPosizione::CessataProvvisoria => "Cessata provvisoria",
            StatoPosizione::CessataDefinitiva => "Cessata definitiva",
            StatoPosizione::Sospesa => "Sospesa",
            StatoPosizione::Riattivata => "Riattivata",
            StatoPosizione::Fallita => "Fallita",
        }
    }

    /// A position that may have workers and pay contributions (Attiva or Riattivata).
    pub fn operativa(self) -> bool {
        matches!(self, StatoPosizione::Attiva | StatoPosizione::Riattivata)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_roundtrip() {
        for s in StatoPosizione::ALL {
            assert_eq!(StatoPosizione::from_code(s.code()), Some(s));
        }
        assert_eq!(StatoPosizione::from_code(7), None);
        assert_eq!(StatoPosizione::Sospesa.code(), 4);
    }
}
