//! Smart-Task 8: Variazione indirizzo PEC aziendale.

use super::super::KindSpec;
use super::super::form::{Answers, Errors, FieldSpec};
use crate::ids::Email;
use crate::problem::FieldError;

pub const SPEC: KindSpec =
    KindSpec { code: "variazione_pec_aziendale", label: "Variazione indirizzo PEC aziendale", fields: FIELDS, check };

const FIELDS: &[FieldSpec] = &[FieldSpec::input(
    "pec",
    "Nuovo indirizzo PEC",
    "L'indirizzo di posta elettronica certificata dell'azienda.",
    "email",
)];

/// The company's new PEC address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Richiesta {
    pub pec: Email,
}

pub fn parse(_oggetto: &str, a: &Answers) -> Result<Richiesta, Vec<FieldError>> {
    let mut e = Errors::default();
    let pec = e.email(a, "pec", "Indirizzo PEC non valido.");
    e.finish(pec.map(|pec| Richiesta { pec }))
}

fn check(oggetto: &str, a: &Answers) -> Result<(), Vec<FieldError>> {
    parse(oggetto, a).map(drop)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::smart_task::tests::answers;

    #[test]
    fn pec_answers() {
        assert!(parse("", &answers(&[("pec", "Ditta@PEC.it")])).is_ok());
        let e = parse("", &answers(&[("pec", "ditta.pec.it")])).unwrap_err();
        assert_eq!((e[0].field.as_str(), e[0].code.as_str()), ("pec", "format"));
    }
}
