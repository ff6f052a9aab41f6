//! Smart-Task 9: Sospensione posizione contributiva.

use super::super::KindSpec;
use super::super::form::{Answers, Errors, FieldSpec};
use crate::problem::FieldError;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

pub const SPEC: KindSpec =
    KindSpec { code: "sospensione_posizione", label: "Sospensione posizione contributiva", fields: FIELDS, check };

const MOTIVI: &[(&str, &str)] = &[
    ("stagionale", "Attività stagionale"),
    ("inattivita", "Temporanea inattività senza lavoratori"),
    ("riorganizzazione", "Lavori di ristrutturazione o riorganizzazione"),
    ("altro", "Altro motivo"),
];

const FIELDS: &[FieldSpec] = &[
    FieldSpec::input(
        "data_sospensione",
        "Data di inizio della sospensione",
        "Ad esempio 01/03/2026. Dal mese indicato non devono risultare lavoratori nelle denunce UniEmens.",
        "text",
    ),
    FieldSpec::select("motivo_sospensione", "Motivo della sospensione", "", MOTIVI),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Motivo {
    Stagionale,
    Inattivita,
    Riorganizzazione,
    Altro,
}

impl Motivo {
    pub fn from_code(s: &str) -> Option<Motivo> {
        Some(match s {
            "stagionale" => Motivo::Stagionale,
            "inattivita" => Motivo::Inattivita,
            "riorganizzazione" => Motivo::Riorganizzazione,
            "altro" => Motivo::Altro,
            _ => return None,
        })
    }
}

/// The position to suspend, from when and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Richiesta {
    pub posizione_id: i64,
    pub dal: NaiveDate,
    pub motivo: Motivo,
}

pub fn parse(oggetto: &str, a: &Answers) -> Result<Richiesta, Vec<FieldError>> {
    let mut e = Errors::default();
    let posizione_id = e.target(oggetto, "Scegliere la posizione (matricola) da sospendere.");
    let dal = e.date(a, "data_sospensione", "Indicare la data di inizio della sospensione.");
    let motivo = e.choice(a, "motivo_sospensione", Motivo::from_code, "Scegliere il motivo della sospensione.");
    e.finish(match (posizione_id, dal, motivo) {
        (Some(posizione_id), Some(dal), Some(motivo)) => Some(Richiesta { posizione_id, dal, motivo }),
        _ => None,
    })
}

fn check(oggetto: &str, a: &Answers) -> Result<(), Vec<FieldError>> {
    parse(oggetto, a).map(drop)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::smart_task::tests::answers;

    #[test]
    fn sospensione_answers() {
        let r = parse("7", &answers(&[("data_sospensione", "01/03/2026"), ("motivo_sospensione", "stagionale")]));
        assert_eq!(r.map(|r| (r.posizione_id, r.motivo)), Ok((7, Motivo::Stagionale)));
        let e = parse("7", &answers(&[("data_sospensione", "31/02/2026")])).unwrap_err();
        let codes: Vec<_> = e.iter().map(|e| (e.field.as_str(), e.code.as_str())).collect();
        assert_eq!(codes, [("data_sospensione", "format"), ("motivo_sospensione", "empty")]);
    }
}
