//! Smart-Task 11: Cessazione provvisoria della posizione contributiva.

use super::super::KindSpec;
use super::super::form::{Answers, Errors, FieldSpec};
use crate::problem::FieldError;
use chrono::NaiveDate;

pub const SPEC: KindSpec = KindSpec {
    code: "cessazione_provvisoria",
    label: "Cessazione provvisoria posizione contributiva",
    fields: FIELDS,
    check,
};

const FIELDS: &[FieldSpec] = &[FieldSpec::input(
    "data_cessazione",
    "Data di cessazione dell'attività",
    "Ad esempio 30/06/2026. Dopo il mese indicato non devono risultare lavoratori nelle denunce UniEmens.",
    "text",
)];

/// The position and the day its activity ceased.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Richiesta {
    pub posizione_id: i64,
    pub dal: NaiveDate,
}

pub fn parse(oggetto: &str, a: &Answers) -> Result<Richiesta, Vec<FieldError>> {
    let mut e = Errors::default();
    let posizione_id = e.target(oggetto, "Scegliere la posizione (matricola) da cessare.");
    let dal = e.date(a, "data_cessazione", "Indicare la data di cessazione dell'attività.");
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
    fn cessazione_answers() {
        assert!(parse("3", &answers(&[("data_cessazione", "30/06/2026")])).is_ok());
        let e = parse("3", &answers(&[("data_cessazione", "giugno")])).unwrap_err();
        assert_eq!((e[0].field.as_str(), e[0].code.as_str()), ("data_cessazione", "format"));
    }
}
