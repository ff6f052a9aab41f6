//! Italian identifiers as newtypes that can only hold valid values (parse, don't validate).
//!
//! Rules and test vectors: `shared/domain.md` §6.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Why a value is not a valid identifier. `Display` is the Italian message shown next to the field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum ParseError {
    #[error("Il campo è obbligatorio.")]
    Empty,
    #[error("Lunghezza non valida: attesi {expected} caratteri, trovati {found}.")]
    Length { expected: String, found: usize },
    #[error("Il valore contiene caratteri non ammessi.")]
    Characters,
    #[error("Il formato non è valido: {0}.")]
    Format(&'static str),
    #[error("Il carattere di controllo non corrisponde: verificare di averlo trascritto correttamente.")]
    CheckDigit,
    #[error("Il codice ufficio (cifre 8-10) non è valido.")]
    OfficeCode,
}

impl ParseError {
    /// Stable machine code, used in problem+json field errors.
    pub fn code(&self) -> &'static str {
        match self {
            ParseError::Empty => "empty",
            ParseError::Length { .. } => "length",
            ParseError::Characters => "characters",
            ParseError::Format(_) => "format",
            ParseError::CheckDigit => "check_digit",
            ParseError::OfficeCode => "office_code",
        }
    }
}

fn normalize_upper(input: &str) -> Result<String, ParseError> {
    let s: String = input.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_uppercase();
    if s.is_empty() {
        return Err(ParseError::Empty);
    }
    Ok(s)
}

fn length(s: &str, expected: usize) -> Result<(), ParseError> {
    let n = s.chars().count();
    if n != expected {
        return Err(ParseError::Length { expected: expected.to_string(), found: n });
    }
    Ok(())
}

// ---------------------------------------------------------------- codice fiscale (persone)

/// Value of a character in an odd (1-based) position of the codice fiscale.
const CF_ODD: [u32; 26] =
    [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23];
const MONTHS: &str = "ABCDEHLMPRST";
/// Letters replacing the digits 0–9 in an omocodia.
const OMOCODE: &str = "LMNPQRSTUV";
/// 0-based positions that hold digits, which omocodia may turn into letters.
const CF_DIGIT_POSITIONS: [usize; 7] = [6, 7, 9, 10, 12, 13, 14];

fn cf_odd_value(c: u8) -> Option<u32> {
    match c {
        b'0'..=b'9' => Some(CF_ODD[(c - b'0') as usize]),
        b'A'..=b'Z' => Some(CF_ODD[(c - b'A') as usize]),
        _ => None,
    }
}

fn cf_even_value(c: u8) -> Option<u32> {
    match c {
        b'0'..=b'9' => Some((c - b'0') as u32),
        b'A'..=b'Z' => Some((c - b'A') as u32),
        _ => None,
    }
}

/// The check character of the first 15 characters of a personal codice fiscale.
pub fn cf_check_char(first15: &[u8]) -> Option<char> {
    let mut sum = 0;
    for (i, &c) in first15.iter().enumerate() {
        sum += if i % 2 == 0 { cf_odd_value(c)? } else { cf_even_value(c)? };
    }
    Some((b'A' + (sum % 26) as u8) as char)
}

fn decode_omocode(c: u8) -> Option<u8> {
    if c.is_ascii_digit() {
        return Some(c - b'0');
    }
    OMOCODE.bytes().position(|o| o == c).map(|p| p as u8)
}

fn parse_cf16(s: &str) -> Result<(), ParseError> {
    let b = s.as_bytes();
    if !b.iter().all(|c| c.is_ascii_alphanumeric()) {
        return Err(ParseError::Characters);
    }
    if !b[..6].iter().all(u8::is_ascii_alphabetic) {
        return Err(ParseError::Format("i primi sei caratteri devono essere lettere"));
    }
    for &p in &CF_DIGIT_POSITIONS {
        if decode_omocode(b[p]).is_none() {
            return Err(ParseError::Format("anno, giorno e comune devono contenere cifre"));
        }
    }
    if !MONTHS.as_bytes().contains(&b[8]) {
        return Err(ParseError::Format("la lettera del mese di nascita non esiste"));
    }
    let day = decode_omocode(b[9]).unwrap_or(0) as u32 * 10 + decode_omocode(b[10]).unwrap_or(0) as u32;
    if !((1..=31).contains(&day) || (41..=71).contains(&day)) {
        return Err(ParseError::Format("il giorno di nascita non è valido"));
    }
    if !b[11].is_ascii_alphabetic() || !b[15].is_ascii_alphabetic() {
        return Err(ParseError::Format("codice del comune o carattere di controllo non validi"));
    }
    match cf_check_char(&b[..15]) {
        Some(c) if c as u8 == b[15] => Ok(()),
        _ => Err(ParseError::CheckDigit),
    }
}

/// Check digit of the Luhn variant used by partita IVA and numeric codici fiscali.
pub fn luhn_it_check_digit(first10: &[u8]) -> Option<u8> {
    let mut sum = 0u32;
    for (i, &c) in first10.iter().enumerate() {
        if !c.is_ascii_digit() {
            return None;
        }
        let d = (c - b'0') as u32;
        sum += if i % 2 == 0 {
            d
        } else {
            let x = d * 2;
            if x > 9 { x - 9 } else { x }
        };
    }
    Some(((10 - sum % 10) % 10) as u8)
}

fn parse_numeric11(s: &str) -> Result<(), ParseError> {
    let b = s.as_bytes();
    if !b.iter().all(u8::is_ascii_digit) {
        return Err(ParseError::Characters);
    }
    match luhn_it_check_digit(&b[..10]) {
        Some(d) if d == b[10] - b'0' => Ok(()),
        _ => Err(ParseError::CheckDigit),
    }
}

/// Codice fiscale: 16 characters for persons (with omocodia), or 11 digits for companies and bodies.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(try_from = "String", into = "String")]
pub struct CodiceFiscale(String);

impl CodiceFiscale {
    pub fn parse(input: &str) -> Result<Self, ParseError> {
        let s = normalize_upper(input)?;
        match s.len() {
            16 => parse_cf16(&s)?,
            11 => parse_numeric11(&s)?,
            n => return Err(ParseError::Length { expected: "16 o 11".into(), found: n }),
        }
        Ok(Self(s))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
    /// True for the 16-character code of a natural person.
    pub fn is_person(&self) -> bool {
        self.0.len() == 16
    }
}

// ---------------------------------------------------------------- partita IVA

/// Partita IVA: 11 digits, Luhn-variant check digit, valid provincial office code.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(try_from = "String", into = "String")]
pub struct PartitaIva(String);

impl PartitaIva {
    pub fn parse(input: &str) -> Result<Self, ParseError> {
        let mut s = normalize_upper(input)?;
        if let Some(rest) = s.strip_prefix("IT") {
            s = rest.to_string();
        }
        length(&s, 11)?;
        parse_numeric11(&s)?;
        let office: u32 = s[7..10].parse().map_err(|_| ParseError::Characters)?;
        if !matches!(office, 1..=100 | 120 | 121 | 888 | 999) {
            return Err(ParseError::OfficeCode);
        }
        Ok(Self(s))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

// ---------------------------------------------------------------- matricola INPS

/// Matricola INPS of a DM position: 10 digits, leading zeros significant.
/// The check-digit algorithm is not public (domain.md §6): the format is validated here and
/// [`Matricola::parse_with`] lets a verified algorithm be plugged in.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(try_from = "String", into = "String")]
pub struct Matricola(String);

impl Matricola {
    pub fn parse(input: &str) -> Result<Self, ParseError> {
        Self::parse_with(input, |_| true)
    }
    pub fn parse_with(input: &str, check: impl Fn(&str) -> bool) -> Result<Self, ParseError> {
        let s = normalize_upper(input)?;
        length(&s, 10)?;
        if !s.bytes().all(|c| c.is_ascii_digit()) {
            return Err(ParseError::Characters);
        }
        if !check(&s) {
            return Err(ParseError::CheckDigit);
        }
        Ok(Self(s))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

// ---------------------------------------------------------------- e-mail / PEC

/// An e-mail address (also used for PEC: syntax cannot prove a mailbox is certified).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(try_from = "String", into = "String")]
pub struct Email(String);

impl Email {
    pub fn parse(input: &str) -> Result<Self, ParseError> {
        let s = input.trim().to_lowercase();
        if s.is_empty() {
            return Err(ParseError::Empty);
        }
        if s.len() > 254 {
            return Err(ParseError::Length { expected: "al massimo 254".into(), found: s.len() });
        }
        let (local, domain) = s.split_once('@').ok_or(ParseError::Format("manca la chiocciola (@)"))?;
        if local.is_empty() || local.len() > 64 {
            return Err(ParseError::Format("la parte prima della @ è vuota o troppo lunga"));
        }
        let local_ok = local.chars().all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+/=?^_`{|}~.-".contains(c))
            && !local.starts_with('.')
            && !local.ends_with('.')
            && !local.contains("..");
        if !local_ok {
            return Err(ParseError::Characters);
        }
        let labels: Vec<&str> = domain.split('.').collect();
        if labels.len() < 2 {
            return Err(ParseError::Format("il dominio deve contenere un punto, es. nome@dominio.it"));
        }
        let labels_ok = labels.iter().all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        });
        let tld_ok = labels.last().is_some_and(|t| t.len() >= 2 && t.chars().all(|c| c.is_ascii_alphabetic()));
        if !labels_ok || !tld_ok {
            return Err(ParseError::Format("il dominio non è valido"));
        }
        Ok(Self(s))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

// ---------------------------------------------------------------- telefono

/// Italian phone number, stored without spaces and without the +39 prefix.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(try_from = "String", into = "String")]
pub struct Telefono(String);

impl Telefono {
    pub fn parse(input: &str) -> Result<Self, ParseError> {
        let s: String = input.chars().filter(|c| !c.is_whitespace() && *c != '-' && *c != '/').collect();
        if s.is_empty() {
            return Err(ParseError::Empty);
        }
        let s = s.strip_prefix("+39").or_else(|| s.strip_prefix("0039")).unwrap_or(&s).to_string();
        if !s.bytes().all(|c| c.is_ascii_digit()) {
            return Err(ParseError::Characters);
        }
        let ok = match s.as_bytes().first() {
            Some(b'3') => (9..=10).contains(&s.len()),
            Some(b'0') => (6..=11).contains(&s.len()),
            _ => false,
        };
        if !ok {
            return Err(ParseError::Format("un cellulare inizia con 3 (9-10 cifre), un fisso con 0 (6-11 cifre)"));
        }
        Ok(Self(s))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
    pub fn is_mobile(&self) -> bool {
        self.0.starts_with('3')
    }
}

// ---------------------------------------------------------------- IBAN

/// Italian IBAN: `IT` + 2 check digits + CIN + ABI (5) + CAB (5) + account (12); ISO 13616 mod-97
/// and the national CIN check.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(try_from = "String", into = "String")]
pub struct Iban(String);

/// ISO 13616 remainder of an IBAN (country and check digits moved to the end).
pub fn iban_mod97(s: &str) -> Option<u32> {
    let rearranged = s.get(4..)?.bytes().chain(s.get(..4)?.bytes());
    let mut rem: u32 = 0;
    for c in rearranged {
        let v = match c {
            b'0'..=b'9' => (c - b'0') as u32,
            b'A'..=b'Z' => (c - b'A') as u32 + 10,
            _ => return None,
        };
        rem = if v >= 10 { (rem * 100 + v) % 97 } else { (rem * 10 + v) % 97 };
    }
    Some(rem)
}

/// The Italian CIN letter over ABI + CAB + account (22 characters).
pub fn iban_it_cin(bban_without_cin: &[u8]) -> Option<char> {
    let mut sum = 0;
    for (i, &c) in bban_without_cin.iter().enumerate() {
        sum += if i % 2 == 0 { cf_odd_value(c)? } else { cf_even_value(c)? };
    }
    Some((b'A' + (sum % 26) as u8) as char)
}

impl Iban {
    pub fn parse(input: &str) -> Result<Self, ParseError> {
        let s = normalize_upper(input)?;
        if !s.starts_with("IT") {
            return Err(ParseError::Format("l'IBAN deve essere italiano e iniziare con IT"));
        }
        length(&s, 27)?;
        let b = s.as_bytes();
        if !b.iter().all(u8::is_ascii_alphanumeric) {
            return Err(ParseError::Characters);
        }
        if !b[2..4].iter().all(u8::is_ascii_digit)
            || !b[4].is_ascii_alphabetic()
            || !b[5..15].iter().all(u8::is_ascii_digit)
        {
            return Err(ParseError::Format("CIN, ABI o CAB non validi"));
        }
        if iban_mod97(&s) != Some(1) {
            return Err(ParseError::CheckDigit);
        }
        if iban_it_cin(&b[5..]) != Some(b[4] as char) {
            return Err(ParseError::CheckDigit);
        }
        Ok(Self(s))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

macro_rules! string_newtype_impls {
    ($($t:ident),*) => {$(
        impl fmt::Display for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result { f.write_str(&self.0) }
        }
        impl TryFrom<String> for $t {
            type Error = ParseError;
            fn try_from(s: String) -> Result<Self, Self::Error> { Self::parse(&s) }
        }
        impl From<$t> for String {
            fn from(v: $t) -> String { v.0 }
        }
        impl std::str::FromStr for $t {
            type Err = ParseError;
            fn from_str(s: &str) -> Result<Self, Self::Err> { Self::parse(s) }
        }
    )*};
}
string_newtype_impls!(CodiceFiscale, PartitaIva, Matricola, Email, Telefono, Iban);

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn cf_known_vectors() {
        assert!(CodiceFiscale::parse("RSSMRA85T10A562S").is_ok());
        assert!(CodiceFiscale::parse(" rssmra85t10a562s ").is_ok(), "trimmed and upper-cased");
        assert_eq!(CodiceFiscale::parse("RSSMRA85T10A562T"), Err(ParseError::CheckDigit));
        assert!(matches!(CodiceFiscale::parse("RSSMRA85T10A562"), Err(ParseError::Length { .. })));
        assert!(matches!(CodiceFiscale::parse("RSSMRA85Z10A562S"), Err(ParseError::Format(_))), "month Z");
        assert!(matches!(CodiceFiscale::parse("RSSMRA85T32A562S"), Err(ParseError::Format(_))), "day 32");
        assert_eq!(CodiceFiscale::parse(""), Err(ParseError::Empty));
        assert_eq!(CodiceFiscale::parse("RSSMRA85T10A56@S"), Err(ParseError::Characters));
        // numeric (company) codes
        assert!(CodiceFiscale::parse("00743110157").is_ok());
        assert_eq!(CodiceFiscale::parse("12345670018"), Err(ParseError::CheckDigit));
    }

    #[test]
    fn cf_omocodia() {
        // The last digit of the place code (2) becomes N; the check char is recomputed.
        let base = b"RSSMRA85T10A56N";
        let check = cf_check_char(base).unwrap();
        let cf = format!("{}{}", std::str::from_utf8(base).unwrap(), check);
        assert!(CodiceFiscale::parse(&cf).is_ok(), "{cf}");
        // A letter that is not an omocode letter in a digit position is refused.
        let bad = b"RSSMRA85T10A56A";
        let cf = format!("{}{}", std::str::from_utf8(bad).unwrap(), cf_check_char(bad).unwrap());
        assert!(matches!(CodiceFiscale::parse(&cf), Err(ParseError::Format(_))));
    }

    #[test]
    fn piva_known_vectors() {
        assert!(PartitaIva::parse("12345670017").is_ok());
        assert!(PartitaIva::parse("00743110157").is_ok());
        assert!(PartitaIva::parse("IT00743110157").is_ok());
        assert_eq!(PartitaIva::parse("12345670018"), Err(ParseError::CheckDigit));
        // office code 000 is not assigned: build a number with a correct check digit around it
        let body = b"1234567000";
        let d = luhn_it_check_digit(body).unwrap();
        let s = format!("{}{}", std::str::from_utf8(body).unwrap(), d);
        assert_eq!(PartitaIva::parse(&s), Err(ParseError::OfficeCode));
        assert_eq!(PartitaIva::parse("1234567001A"), Err(ParseError::Characters));
    }

    #[test]
    fn matricola_format() {
        assert!(Matricola::parse("0123456789").is_ok());
        assert_eq!(Matricola::parse("0123456789").unwrap().as_str(), "0123456789");
        assert!(matches!(Matricola::parse("123456789"), Err(ParseError::Length { .. })));
        assert_eq!(Matricola::parse("12345678A9"), Err(ParseError::Characters));
        assert_eq!(Matricola::parse_with("0123456789", |_| false), Err(ParseError::CheckDigit));
    }

    #[test]
    fn email_vectors() {
        assert_eq!(Email::parse(" Ditta.Rossi@PEC.it ").unwrap().as_str(), "ditta.rossi@pec.it");
        assert!(Email::parse("a+b@legalmail.it").is_ok());
        assert!(Email::parse("nochiocciola.it").is_err());
        assert!(Email::parse("a@b").is_err());
        assert!(Email::parse("a..b@pec.it").is_err());
        assert!(Email::parse("a@-pec.it").is_err());
        assert!(Email::parse("a@pec.i").is_err());
        assert_eq!(Email::parse("   "), Err(ParseError::Empty));
    }

    #[test]
    fn telefono_vectors() {
        assert_eq!(Telefono::parse("+39 333 1234567").unwrap().as_str(), "3331234567");
        assert!(Telefono::parse("06 1234567").is_ok());
        assert!(!Telefono::parse("06 1234567").unwrap().is_mobile());
        assert!(Telefono::parse("12345").is_err());
        assert!(Telefono::parse("33312345678901").is_err());
        assert_eq!(Telefono::parse("333abc4567"), Err(ParseError::Characters));
    }

    #[test]
    fn iban_vectors() {
        assert!(Iban::parse("IT60X0542811101000000123456").is_ok());
        assert!(Iban::parse("it60 x054 2811 1010 0000 0123 456").is_ok());
        assert_eq!(Iban::parse("IT61X0542811101000000123456"), Err(ParseError::CheckDigit));
        assert!(Iban::parse("DE89370400440532013000").is_err());
        assert!(matches!(Iban::parse("IT60X054281110100000012345"), Err(ParseError::Length { .. })));
    }

    #[test]
    fn serde_refuses_invalid() {
        assert!(serde_json::from_str::<CodiceFiscale>("\"RSSMRA85T10A562S\"").is_ok());
        assert!(serde_json::from_str::<CodiceFiscale>("\"RSSMRA85T10A562X\"").is_err());
    }

    fn cf16_strategy() -> impl Strategy<Value = String> {
        (
            "[A-Z]{6}",
            0u32..100,
            0usize..12,
            prop_oneof![1u32..=31, 41u32..=71],
            "[A-Z]",
            0u32..1000,
            proptest::collection::vec(any::<bool>(), 7),
        )
            .prop_map(|(name, year, month, day, place_l, place_n, omo)| {
                let mut raw =
                    format!("{name}{year:02}{}{day:02}{place_l}{place_n:03}", MONTHS.as_bytes()[month] as char)
                        .into_bytes();
                for (k, &p) in CF_DIGIT_POSITIONS.iter().enumerate() {
                    if omo[k] {
                        raw[p] = OMOCODE.as_bytes()[(raw[p] - b'0') as usize];
                    }
                }
                let check = cf_check_char(&raw).unwrap();
                format!("{}{}", String::from_utf8(raw).unwrap(), check)
            })
    }

    proptest! {
        #[test]
        fn prop_cf16_valid_roundtrip(cf in cf16_strategy()) {
            let parsed = CodiceFiscale::parse(&cf.to_lowercase()).unwrap();
            prop_assert_eq!(parsed.as_str(), cf.as_str());
            prop_assert!(parsed.is_person());
        }

        #[test]
        fn prop_cf16_wrong_check_refused(cf in cf16_strategy(), shift in 1u8..26) {
            let mut b = cf.into_bytes();
            b[15] = b'A' + ((b[15] - b'A' + shift) % 26);
            prop_assert_eq!(CodiceFiscale::parse(&String::from_utf8(b).unwrap()), Err(ParseError::CheckDigit));
        }

        #[test]
        fn prop_piva_check_digit(body in "[0-9]{7}", office in 1u32..=100, wrong in 1u8..10) {
            let first10 = format!("{body}{office:03}");
            let d = luhn_it_check_digit(first10.as_bytes()).unwrap();
            let good = format!("{first10}{d}");
            prop_assert!(PartitaIva::parse(&good).is_ok());
            let bad = (d + wrong) % 10;
            prop_assert_eq!(PartitaIva::parse(&format!("{first10}{bad}")), Err(ParseError::CheckDigit));
        }

        #[test]
        fn prop_iban_valid_and_single_digit_errors(abi in "[0-9]{5}", cab in "[0-9]{5}", acct in "[0-9A-Z]{12}", pos in 5usize..27, delta in 1u8..10) {
            let bban = format!("{abi}{cab}{acct}");
            let cin = iban_it_cin(bban.as_bytes()).unwrap();
            let provisional = format!("IT00{cin}{bban}");
            let check = 98 - iban_mod97(&provisional).unwrap();
            let iban = format!("IT{check:02}{cin}{bban}");
            prop_assert!(Iban::parse(&iban).is_ok(), "{}", iban);
            // Changing one digit is always detected by mod-97.
            let mut b = iban.into_bytes();
            if b[pos].is_ascii_digit() {
                b[pos] = b'0' + (b[pos] - b'0' + delta) % 10;
                prop_assert!(Iban::parse(&String::from_utf8(b).unwrap()).is_err());
            }
        }

        #[test]
        fn prop_parsers_never_panic(s in ".{0,40}") {
            let _ = CodiceFiscale::parse(&s);
            let _ = PartitaIva::parse(&s);
            let _ = Matricola::parse(&s);
            let _ = Email::parse(&s);
            let _ = Telefono::parse(&s);
            let _ = Iban::parse(&s);
        }
    }
}
