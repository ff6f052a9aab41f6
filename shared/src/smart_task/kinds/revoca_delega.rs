//! Smart-Task 4 and 5: Revoca delega intermediario / dipendente.

use super::super::KindSpec;
use super::super::form::{Answers, Errors, FieldSpec};
use crate::problem::FieldError;
use chrono::NaiveDate;

pub const INTERMEDIARIO: KindSpec =
    KindSpec { code: "revoca_delega_intermediario", label: "Revoca delega intermediario", fields: FIELDS, check };
pub const DIPENDENTE: KindSpec =
    KindSpec { code: "revoca_delega_dipendente", label: "Revoca delega dipendente", fields: FIELDS, check };

const FIELDS: &[FieldSpec] = &[FieldSpec::input(
    "data_effetto",
    "Data da cui la revoca ha effetto",
    "Ad esempio 31/12/2026. La revoca non può essere retroattiva.",
    "text",
)];

/// The delega to revoke and the day the revocation takes effect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Richiesta {
    pub delega_id: i64,
    pub data_effetto: NaiveDate,
}

pub fn parse(oggetto: &str, a: &Answers) -> Result<Richiesta, Vec<FieldError>> {
    let mut e = Errors::default();
    let delega_id = e.target(oggetto, "Scegliere la delega da revocare.");
    let data = e.date(a, "data_effetto", "Indicare la data da cui la revoca ha effetto.");
    e.finish(delega_id.zip(data).map(|(delega_id, data_effetto)| Richiesta { delega_id, data_effetto }))
}

fn check(oggetto: &str, a: &Answers) -> Result<(), Vec<FieldError>> {
    parse(oggetto, a).map(drop)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::smart_task::tests::answers;

    #[test]
    fn revoca_delega_answers() {
        assert_eq!(
            parse("12", &answers(&[("data_effetto", "31/12/2026")])),
            Ok(Richiesta { delega_id: 12, data_effetto: NaiveDate::from_ymd_opt(2026, 12, 31).unwrap() })
        );
        assert!(parse("3", &answers(&[("data_effetto", "2026-01-02")])).is_ok());
        let bad = parse("x", &answers(&[("data_effetto", "32/13/2026")])).unwrap_err();
        let fields: Vec<_> = bad.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["oggetto", "data_effetto"]);
        let empty = parse("1", &answers(&[])).unwrap_err();
        assert_eq!(empty[0].code, "empty");
    }
}
