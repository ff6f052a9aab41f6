//! The cadastral (Belfiore) codes of comuni and foreign countries with their validity
//! (`server/data/catasto.csv`, derived from the `python-codicefiscale` package: see
//! `server/data/README.md`), read once: what a personal codice fiscale's birthplace is checked
//! against.

use chrono::NaiveDate;
use std::collections::HashMap;
use std::sync::LazyLock;

/// A code's name and province (EE for a foreign country) over a period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Voce {
    pub nome: String,
    pub provincia: String,
    pub dal: Option<NaiveDate>,
    pub al: Option<NaiveDate>,
}

static CATASTO: LazyLock<HashMap<String, Vec<Voce>>> = LazyLock::new(|| {
    let mut m: HashMap<String, Vec<Voce>> = HashMap::new();
    let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
    for line in include_str!("../../data/catasto.csv").lines().skip(1) {
        let f: Vec<&str> = line.split(';').collect();
        if let [codice, nome, provincia, dal, al] = f.as_slice() {
            let v = Voce { nome: nome.to_string(), provincia: provincia.to_string(), dal: day(dal), al: day(al) };
            m.entry(codice.to_string()).or_default().push(v);
        }
    }
    m
});

/// What `codice` designated on `giorno` (None: no such code on that day).
pub fn voce(codice: &str, giorno: NaiveDate) -> Option<&'static Voce> {
    CATASTO.get(codice)?.iter().find(|v| v.dal.is_none_or(|d| d <= giorno) && v.al.is_none_or(|a| giorno <= a))
}

/// Names compared as people type them: case, accents, apostrophes and spaces aside.
pub fn stesso_nome(a: &str, b: &str) -> bool {
    fn norm(s: &str) -> String {
        s.to_lowercase()
            .chars()
            .map(|c| match c {
                'à' | 'á' => 'a',
                'è' | 'é' => 'e',
                'ì' | 'í' => 'i',
                'ò' | 'ó' => 'o',
                'ù' | 'ú' => 'u',
                c => c,
            })
            .filter(|c| c.is_alphanumeric())
            .collect()
    }
    norm(a) == norm(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn codes_are_read_as_of_the_birth_date() {
        assert_eq!(voce("H501", d("1980-05-14")).map(|v| v.nome.as_str()), Some("Roma"));
        // A562: Bagni San Giuliano until 1935, San Giuliano Terme after.
        assert_eq!(voce("A562", d("1930-01-01")).map(|v| v.nome.as_str()), Some("Bagni San Giuliano"));
        assert_eq!(voce("A562", d("1985-12-10")).map(|v| v.nome.as_str()), Some("San Giuliano Terme"));
        assert_eq!(voce("Z404", d("1990-01-01")).map(|v| v.provincia.as_str()), Some("EE"));
        assert_eq!(voce("Q999", d("1990-01-01")), None);
        assert!(stesso_nome("Stati Uniti D'America", "stati uniti d america"));
        assert!(stesso_nome("Forlì", "FORLI"));
    }
}
