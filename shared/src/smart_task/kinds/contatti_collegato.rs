//! Smart-Task 12: Variazione contatti soggetto collegato (the same contacts as kind 7).

use super::super::KindSpec;
use super::super::form::{Answers, FieldSpec};
use super::contatti::{EMAIL, PEC, TELEFONO, parse_dipendente};
use crate::problem::FieldError;

pub use super::contatti::{Contatti, Richiesta};

pub const SPEC: KindSpec = KindSpec {
    code: "variazione_contatti_collegato",
    label: "Variazione contatti soggetto collegato",
    fields: FIELDS,
    check,
};

const FIELDS: &[FieldSpec] = &[EMAIL, PEC, TELEFONO];

/// The relation (target) whose person's contacts change, and the new contacts.
pub fn parse(oggetto: &str, a: &Answers) -> Result<Richiesta, Vec<FieldError>> {
    parse_dipendente(oggetto, a)
}

fn check(oggetto: &str, a: &Answers) -> Result<(), Vec<FieldError>> {
    parse(oggetto, a).map(drop)
}
