//! Smart-Task 10: Riattivazione posizione contributiva.

use super::super::KindSpec;
use super::super::form::{Answers, Errors, FieldSpec};
use crate::problem::FieldError;
use chrono::NaiveDate;

pub const SPEC: KindSpec =
    KindSpec { code: "riattivazione_posizione", label: "Riattivazione posizione contributiva", fields: FIELDS, check };

const FIELDS: &[FieldSpec] = &[FieldSpec::input(
    "data_riattivazione",
    "Data di ripresa dell'attività",
    "Ad esempio 01/09/2026: non prima dell'inizio della sospensione e non oltre la data della richiesta.",
    "text",
)];

/// The suspended position and the day activity resumed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Richiesta {
    pub posizione_id: i64,
    pub dal: NaiveDate,
}

pub fn parse(oggetto: &str, a: &Answers) -> Result<Richiesta, Vec<FieldError>> {
    let mut e = Errors::default();
    let posizione_id = e.target(oggetto, "Scegliere la posizione (matricola) da riattivare.");
    let dal = e.date(a, "data_riattivazione", "Indicare la data di ripresa dell'attività.");
    e.finish(posizione_id.zip(dal).map(|(posizione_id, dal)| Richiesta { posizione_id, dal }))
}

fn check(oggetto: &str, a: &Answers) -> Result<(), Vec<FieldError>> {
    parse(oggetto, a).map(drop)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::smart_task::tests::answers;

    #[test]
    fn riattivazione_answers() {
        assert!(parse("3", &answers(&[("data_riattivazione", "2026-09-01")])).is_ok());
        let e = parse("", &answers(&[])).unwrap_err();
        let fields: Vec<_> = e.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["oggetto", "data_riattivazione"]);
    }
}
