//! Smart-Task 2: Ricalcolo Nota di Rettifica.

use super::super::KindSpec;
use super::super::form::{Answers, Errors, FieldSpec};
use crate::problem::FieldError;
use serde::{Deserialize, Serialize};

pub const SPEC: KindSpec =
    KindSpec { code: "ricalcolo_nota_rettifica", label: "Ricalcolo Nota di Rettifica", fields: FIELDS, check };

const FIELDS: &[FieldSpec] = &[FieldSpec::select(
    "motivo",
    "Fatto nuovo dopo l'emissione della nota",
    "Il ricalcolo tiene conto di quanto è arrivato a INPS dopo l'emissione.",
    MOTIVI,
)];

/// The new event a recomputation relies on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MotivoRicalcolo {
    VariazioneUniemens,
    Pagamento,
    Riallocazione,
}

pub const MOTIVI: &[(&str, &str)] = &[
    ("variazione_uniemens", "Ho inviato una variazione UniEmens per il periodo"),
    ("pagamento", "Ho pagato quanto dovuto con F24"),
    ("riallocazione", "Un pagamento è stato attribuito al periodo (rettifica del periodo di riferimento)"),
];

impl MotivoRicalcolo {
    pub fn from_code(c: &str) -> Option<Self> {
        Some(match c {
            "variazione_uniemens" => MotivoRicalcolo::VariazioneUniemens,
            "pagamento" => MotivoRicalcolo::Pagamento,
            "riallocazione" => MotivoRicalcolo::Riallocazione,
            _ => return None,
        })
    }
}

/// The nota di rettifica to recompute, and the event the user relies on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Richiesta {
    pub nota_id: i64,
    pub motivo: MotivoRicalcolo,
}

pub fn parse(oggetto: &str, a: &Answers) -> Result<Richiesta, Vec<FieldError>> {
    let mut e = Errors::default();
    let nota_id = e.target(oggetto, "Scegliere la nota di rettifica da ricalcolare.");
    let motivo =
        e.choice(a, "motivo", MotivoRicalcolo::from_code, "Indicare il fatto nuovo per cui chiede il ricalcolo.");
    e.finish(nota_id.zip(motivo).map(|(nota_id, motivo)| Richiesta { nota_id, motivo }))
}

fn check(oggetto: &str, a: &Answers) -> Result<(), Vec<FieldError>> {
    parse(oggetto, a).map(drop)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::smart_task::tests::answers;

    #[test]
    fn ricalcolo_answers() {
        assert_eq!(
            parse("9", &answers(&[("motivo", "variazione_uniemens")])),
            Ok(Richiesta { nota_id: 9, motivo: MotivoRicalcolo::VariazioneUniemens })
        );
        assert!(parse("-1", &answers(&[("motivo", "pagamento")])).is_err());
        for (code, _) in MOTIVI {
            assert!(MotivoRicalcolo::from_code(code).is_some(), "{code}");
        }
    }
}
