//! A contribution period (periodo di competenza): a month, written MM/AAAA in forms and
//! `AAAA-MM` in storage and APIs.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::fmt;

/// A month between 01/1970 and 12/2199 (UniEmens and DM10 periods; anything else is a typo).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Periodo {
    anno: u16,
    mese: u8,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PeriodoError {
    #[error("Il campo è obbligatorio.")]
    Empty,
    #[error("Il periodo deve essere nel formato mm/aaaa, ad esempio 03/2026.")]
    Format,
    #[error("Il mese deve essere tra 01 e 12.")]
    Month,
    #[error("L'anno deve essere tra 1970 e 2199.")]
    Year,
}

impl PeriodoError {
    pub fn code(self) -> &'static str {
        match self {
            PeriodoError::Empty => "empty",
            PeriodoError::Format => "format",
            PeriodoError::Month | PeriodoError::Year => "range",
        }
    }
}

impl Periodo {
    pub fn new(anno: i32, mese: u32) -> Result<Periodo, PeriodoError> {
        if !(1..=12).contains(&mese) {
            return Err(PeriodoError::Month);
        }
        if !(1970..=2199).contains(&anno) {
            return Err(PeriodoError::Year);
        }
        Ok(Periodo { anno: anno as u16, mese: mese as u8 })
    }

    /// `03/2026`, `3/2026`, `03-2026` (as typed) or `2026-03` (storage, APIs, `<input type=month>`).
    pub fn parse(input: &str) -> Result<Periodo, PeriodoError> {
        let s = input.trim();
        if s.is_empty() {
            return Err(PeriodoError::Empty);
        }
        let parts: Vec<&str> = s.split(['/', '-']).collect();
        let [a, b] = parts.as_slice() else { return Err(PeriodoError::Format) };
        let digits = |x: &str| !x.is_empty() && x.len() <= 4 && x.bytes().all(|c| c.is_ascii_digit());
        if !digits(a) || !digits(b) {
            return Err(PeriodoError::Format);
        }
        let (anno, mese) = match (a.len(), b.len()) {
            (4, 1 | 2) => (a, b),
            (1 | 2, 4) => (b, a),
            _ => return Err(PeriodoError::Format),
        };
        Periodo::new(anno.parse().map_err(|_| PeriodoError::Format)?, mese.parse().map_err(|_| PeriodoError::Format)?)
    }

    pub fn of(d: NaiveDate) -> Periodo {
        Periodo { anno: d.year().clamp(1970, 2199) as u16, mese: d.month() as u8 }
    }
    pub fn anno(self) -> i32 {
        self.anno as i32
    }
    pub fn mese(self) -> u32 {
        self.mese as u32
    }
    /// `AAAA-MM`, the stored form (sorts chronologically as text).
    pub fn key(self) -> String {
        format!("{:04}-{:02}", self.anno, self.mese)
    }
    /// The month `n` months later (or earlier, if negative); None outside the allowed range.
    pub fn plus_months(self, n: i32) -> Option<Periodo> {
        let idx = self.anno as i32 * 12 + self.mese as i32 - 1 + n;
        Periodo::new(idx.div_euclid(12), (idx.rem_euclid(12) + 1) as u32).ok()
    }
    /// Contributions for a month fall due on the 16th of the following month (DM10/UniEmens).
    pub fn scadenza(self) -> NaiveDate {
        let (a, m) = if self.mese == 12 { (self.anno as i32 + 1, 1) } else { (self.anno as i32, self.mese as u32 + 1) };
        NaiveDate::from_ymd_opt(a, m, 16).unwrap_or(NaiveDate::MAX)
    }
}

impl fmt::Display for Periodo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}/{:04}", self.mese, self.anno)
    }
}
impl TryFrom<String> for Periodo {
    type Error = PeriodoError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Periodo::parse(&s)
    }
}
impl From<Periodo> for String {
    fn from(p: Periodo) -> String {
        p.key()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn known_forms() {
        let p = Periodo::new(2026, 3).unwrap();
        for s in ["03/2026", "3/2026", "03-2026", "2026-03", " 2026/3 "] {
            assert_eq!(Periodo::parse(s), Ok(p), "{s}");
        }
        assert_eq!(p.to_string(), "03/2026");
        assert_eq!(p.key(), "2026-03");
        assert_eq!(Periodo::parse(""), Err(PeriodoError::Empty));
        assert_eq!(Periodo::parse("13/2026"), Err(PeriodoError::Month));
        assert_eq!(Periodo::parse("00/2026"), Err(PeriodoError::Month));
        assert_eq!(Periodo::parse("03/1969"), Err(PeriodoError::Year));
        for bad in ["2026", "03/26", "marzo 2026", "03/2026/1", "0a/2026", "/2026"] {
            assert_eq!(Periodo::parse(bad), Err(PeriodoError::Format), "{bad}");
        }
    }

    #[test]
    fn month_arithmetic_and_due_date() {
        let p = Periodo::new(2026, 12).unwrap();
        assert_eq!(p.plus_months(1), Periodo::new(2027, 1).ok());
        assert_eq!(p.plus_months(-12), Periodo::new(2025, 12).ok());
        assert_eq!(p.scadenza(), NaiveDate::from_ymd_opt(2027, 1, 16).unwrap());
        assert_eq!(Periodo::new(2026, 3).unwrap().scadenza(), NaiveDate::from_ymd_opt(2026, 4, 16).unwrap());
        assert_eq!(Periodo::new(1970, 1).unwrap().plus_months(-1), None);
    }

    proptest! {
        #[test]
        fn display_and_key_roundtrip(a in 1970i32..=2199, m in 1u32..=12) {
            let p = Periodo::new(a, m).unwrap();
            prop_assert_eq!(Periodo::parse(&p.to_string()), Ok(p));
            prop_assert_eq!(Periodo::parse(&p.key()), Ok(p));
            let json = serde_json::to_string(&p).unwrap();
            prop_assert_eq!(serde_json::from_str::<Periodo>(&json).unwrap(), p);
        }

        #[test]
        fn plus_months_is_consistent(a in 1980i32..=2100, m in 1u32..=12, n in -60i32..60) {
            let p = Periodo::new(a, m).unwrap();
            let q = p.plus_months(n).unwrap();
            prop_assert_eq!(q.plus_months(-n), Some(p));
            prop_assert_eq!(n > 0, q > p);
        }

        #[test]
        fn parse_never_panics(s in "\\PC{0,12}") {
            let _ = Periodo::parse(&s);
        }
    }
}
