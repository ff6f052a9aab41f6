//! Money in euro, held as integer cents; arithmetic that needs fractions goes through
//! `rust_decimal` with explicit rounding to the cent.

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};
use std::fmt;

/// An amount in euro cents (JSON: an integer number of cents).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Euro(i64);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum MoneyError {
    #[error("Il campo è obbligatorio.")]
    Empty,
    #[error("Importo non valido: usare il formato 1.234,56.")]
    Format,
    #[error("Sono ammessi al massimo due decimali.")]
    TooManyDecimals,
    #[error("L'importo è troppo grande.")]
    Overflow,
    #[error("L'importo non può essere negativo.")]
    Negative,
}

impl Euro {
    pub const ZERO: Euro = Euro(0);

    pub const fn from_cents(cents: i64) -> Self {
        Euro(cents)
    }
    pub const fn cents(self) -> i64 {
        self.0
    }
    pub fn to_decimal(self) -> Decimal {
        Decimal::new(self.0, 2)
    }
    /// Rounds half away from zero to the cent (the usual "arrotondamento al centesimo").
    pub fn from_decimal(d: Decimal) -> Result<Self, MoneyError> {
        let r = d.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
        let cents = (r * Decimal::ONE_HUNDRED).trunc();
        i64::try_from(cents).map(Euro).map_err(|_| MoneyError::Overflow)
    }
    pub fn checked_add(self, other: Euro) -> Option<Euro> {
        self.0.checked_add(other.0).map(Euro)
    }
    pub fn checked_sub(self, other: Euro) -> Option<Euro> {
        self.0.checked_sub(other.0).map(Euro)
    }

    /// Parses an amount as Italians type it: `1.234,56`, `1234,5`, `1234` (and, leniently,
    /// `1234.56` when the only dot is followed by one or two digits). Negative amounts refused.
    pub fn parse_it(input: &str) -> Result<Self, MoneyError> {
        let s: String = input.trim().trim_end_matches('€').trim().chars().filter(|c| *c != ' ').collect();
        if s.is_empty() {
            return Err(MoneyError::Empty);
        }
        if s.starts_with('-') {
            return Err(MoneyError::Negative);
        }
        let (int_part, frac_part) = if let Some((i, f)) = s.split_once(',') {
            (i.to_string(), f.to_string())
        } else if s.matches('.').count() == 1 && s.rsplit_once('.').is_some_and(|(_, f)| f.len() <= 2) {
            let (i, f) = s.rsplit_once('.').ok_or(MoneyError::Format)?;
            (i.to_string(), f.to_string())
        } else {
            (s.clone(), String::new())
        };
        // Thousands separators must group by three.
        let groups: Vec<&str> = int_part.split('.').collect();
        if groups.len() > 1 && (groups[0].is_empty() || groups[0].len() > 3 || groups[1..].iter().any(|g| g.len() != 3))
        {
            return Err(MoneyError::Format);
        }
        let digits: String = groups.concat();
        if digits.is_empty() || !digits.bytes().all(|c| c.is_ascii_digit()) {
            return Err(MoneyError::Format);
        }
        if !frac_part.bytes().all(|c| c.is_ascii_digit()) {
            return Err(MoneyError::Format);
        }
        if frac_part.len() > 2 {
            return Err(MoneyError::TooManyDecimals);
        }
        let units: i64 = digits.parse().map_err(|_| MoneyError::Overflow)?;
        let frac: i64 = format!("{frac_part:0<2}").parse().map_err(|_| MoneyError::Format)?;
        units.checked_mul(100).and_then(|c| c.checked_add(frac)).map(Euro).ok_or(MoneyError::Overflow)
    }
}

impl Euro {
    /// The amount in Italian format without the sign of the currency: `1.234,56` (a cell of an
    /// export, where the column says the currency).
    pub fn importo_it(self) -> String {
        let neg = self.0 < 0;
        let abs = self.0.unsigned_abs();
        format!("{}{},{:02}", if neg { "-" } else { "" }, migliaia_it(abs / 100), abs % 100)
    }
}

/// A whole number with Italian thousands separators: `1.234.567`.
pub fn migliaia_it(n: u64) -> String {
    let digits = n.to_string();
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push('.');
        }
        grouped.push(c);
    }
    grouped
}

impl fmt::Display for Euro {
    /// Italian format: `1.234,56 €`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} €", self.importo_it())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::str::FromStr;

    #[test]
    fn format_italian() {
        assert_eq!(Euro::from_cents(123456).to_string(), "1.234,56 €");
        assert_eq!(Euro::from_cents(-123456).importo_it(), "-1.234,56");
        assert_eq!(Euro::from_cents(5).to_string(), "0,05 €");
        assert_eq!(Euro::from_cents(100000000).to_string(), "1.000.000,00 €");
        assert_eq!(Euro::from_cents(-1241).to_string(), "-12,41 €");
    }

    #[test]
    fn parse_italian() {
        assert_eq!(Euro::parse_it("1.234,56"), Ok(Euro::from_cents(123456)));
        assert_eq!(Euro::parse_it("1234,5 €"), Ok(Euro::from_cents(123450)));
        assert_eq!(Euro::parse_it("12.41"), Ok(Euro::from_cents(1241)));
        assert_eq!(Euro::parse_it("10"), Ok(Euro::from_cents(1000)));
        assert_eq!(Euro::parse_it("1.000"), Ok(Euro::from_cents(100000)), "a dot with three digits groups thousands");
        assert_eq!(Euro::parse_it("1,234"), Err(MoneyError::TooManyDecimals));
        assert_eq!(Euro::parse_it("12.34.5"), Err(MoneyError::Format));
        assert_eq!(Euro::parse_it("abc"), Err(MoneyError::Format));
        assert_eq!(Euro::parse_it("-5"), Err(MoneyError::Negative));
        assert_eq!(Euro::parse_it(""), Err(MoneyError::Empty));
        assert_eq!(Euro::parse_it("99999999999999999999"), Err(MoneyError::Overflow));
    }

    #[test]
    fn cpo_cost_rounding() {
        // 9 €/h → cost to the user 9 × 1.365 / 0.99 = 12.409… → 12,41 € (domain.md §1.3).
        let pay = Euro::from_cents(900).to_decimal();
        let cost = pay * Decimal::from_str("1.365").unwrap() / Decimal::from_str("0.99").unwrap();
        assert_eq!(Euro::from_decimal(cost), Ok(Euro::from_cents(1241)));
        assert_eq!(Euro::from_decimal(Decimal::from_str("0.005").unwrap()), Ok(Euro::from_cents(1)));
    }

    proptest! {
        #[test]
        fn prop_format_parse_roundtrip(cents in 0i64..1_000_000_000_000) {
            let e = Euro::from_cents(cents);
            prop_assert_eq!(Euro::parse_it(&e.to_string()), Ok(e));
            prop_assert_eq!(Euro::from_decimal(e.to_decimal()), Ok(e));
        }
        #[test]
        fn prop_parse_never_panics(s in ".{0,30}") {
            let _ = Euro::parse_it(&s);
        }
    }
}
