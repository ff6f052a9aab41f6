//! Smart-Task 14: Cessazione relazione soggetto collegato.

use super::super::KindSpec;
use super::super::form::{Answers, Errors, FieldSpec};
use crate::problem::FieldError;
use chrono::NaiveDate;

pub const SPEC: KindSpec =
    KindSpec { code: "cessazione_collegato", label: "Cessazione relazione soggetto collegato", fields: FIELDS, check };

const FIELDS: &[FieldSpec] = &[FieldSpec::input(
    "data_fine_relazione",
    "Data di fine della carica",
    "Ad esempio 30/06/2026: l'ultimo giorno in cui il soggetto ha ricoperto la carica.",
    "text",
)];

/// The relation (target) and its last day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Richiesta {
    pub relazione_id: i64,
    pub al: NaiveDate,
}

pub fn parse(oggetto: &str, a: &Answers) -> Result<Richiesta, Vec<FieldError>> {
    let mut e = Errors::default();
    let id = e.target(oggetto, "Scegliere la relazione da cessare.");
    let al = e.date(a, "data_fine_relazione", "Indicare la data di fine della carica.");
    e.finish(id.zip(al).map(|(relazione_id, al)| Richiesta { relazione_id, al }))
}

fn check(oggetto: &str, a: &Answers) -> Result<(), Vec<FieldError>> {
    parse(oggetto, a).map(drop)
}
