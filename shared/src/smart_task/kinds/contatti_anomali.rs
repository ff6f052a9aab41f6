//! Smart-Task 1: Cancellazione contatti anomali Note di Rettifica.

use super::super::KindSpec;
use super::super::form::{Answers, Errors, FieldSpec};
use crate::problem::FieldError;
use serde::{Deserialize, Serialize};

pub const SPEC: KindSpec = KindSpec {
    code: "cancellazione_contatti_anomali_ndr",
    label: "Cancellazione contatti anomali Note di Rettifica",
    fields: FIELDS,
    check,
};

const FIELDS: &[FieldSpec] = &[FieldSpec::select(
    "motivo",
    "Perché il contatto va cancellato",
    "Le note di rettifica continueranno ad arrivare agli altri contatti validi.",
    MOTIVI,
)];

/// Why a notification contact should go.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MotivoCancellazione {
    MancataConsegna,
    CasellaPiena,
    IndirizzoNonValido,
    NonPec,
    DelegaCessata,
}

pub const MOTIVI: &[(&str, &str)] = &[
    ("mancata_consegna", "Mancata consegna dei messaggi"),
    ("casella_piena", "Casella piena"),
    ("indirizzo_non_valido", "Indirizzo non valido o inesistente"),
    ("non_pec", "L'indirizzo non è una PEC"),
    ("delega_cessata", "È di un intermediario o dipendente la cui delega è cessata"),
];

impl MotivoCancellazione {
    pub fn from_code(c: &str) -> Option<Self> {
        use MotivoCancellazione::*;
        Some(match c {
            "mancata_consegna" => MancataConsegna,
            "casella_piena" => CasellaPiena,
            "indirizzo_non_valido" => IndirizzoNonValido,
            "non_pec" => NonPec,
            "delega_cessata" => DelegaCessata,
            _ => return None,
        })
    }
}

/// The notification contact to delete, and why the user asks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Richiesta {
    pub contatto_id: i64,
    pub motivo: MotivoCancellazione,
}

pub fn parse(oggetto: &str, a: &Answers) -> Result<Richiesta, Vec<FieldError>> {
    let mut e = Errors::default();
    let contatto_id = e.target(oggetto, "Scegliere il contatto da cancellare.");
    let motivo = e.choice(a, "motivo", MotivoCancellazione::from_code, "Indicare perché il contatto va cancellato.");
    e.finish(contatto_id.zip(motivo).map(|(contatto_id, motivo)| Richiesta { contatto_id, motivo }))
}

fn check(oggetto: &str, a: &Answers) -> Result<(), Vec<FieldError>> {
    parse(oggetto, a).map(drop)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::smart_task::tests::answers;

    #[test]
    fn cancellazione_contatto_answers() {
        assert_eq!(
            parse("5", &answers(&[("motivo", "casella_piena")])),
            Ok(Richiesta { contatto_id: 5, motivo: MotivoCancellazione::CasellaPiena })
        );
        let e = parse("", &answers(&[("motivo", "capriccio")])).unwrap_err();
        let got: Vec<_> = e.iter().map(|e| (e.field.as_str(), e.code.as_str())).collect();
        assert_eq!(got, [("oggetto", "invalid"), ("motivo", "invalid")]);
        let e = parse("5", &answers(&[])).unwrap_err();
        assert_eq!((e[0].field.as_str(), e[0].code.as_str()), ("motivo", "empty"));
        for (code, _) in MOTIVI {
            assert!(MotivoCancellazione::from_code(code).is_some(), "{code}");
        }
    }
}
