//! Smart-Task 16: Sostituzione di lavoratrice o lavoratore in congedo (codice 9R).

use super::super::KindSpec;
use super::super::form::{Answers, Errors, FieldSpec};
use crate::ids::CodiceFiscale;
use crate::problem::FieldError;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

pub const SPEC: KindSpec = KindSpec {
    code: "sostituzione_maternita",
    label: "Sgravio per sostituzione di lavoratori in congedo (codice 9R)",
    fields: FIELDS,
    check,
};

const CONTRATTI: &[(&str, &str)] = &[
    ("tempo_determinato", "Assunzione a tempo determinato"),
    ("somministrazione", "Lavoro in somministrazione (tramite agenzia)"),
];
const TD: &[&str] = &["tempo_determinato"];
const SOMM: &[&str] = &["somministrazione"];

const FIELDS: &[FieldSpec] = &[
    FieldSpec::input(
        "cf_sostituto",
        "Codice fiscale del lavoratore sostituto",
        "Chi è stato assunto o inviato in missione per la sostituzione.",
        "text",
    ),
    FieldSpec::select("tipo_contratto", "Tipo di contratto del sostituto", "", CONTRATTI),
    FieldSpec::input("data_assunzione", "Data di assunzione", "Ad esempio 01/02/2026.", "text")
        .only_when("tipo_contratto", TD),
    FieldSpec::input("data_scadenza", "Data di scadenza del contratto", "Ad esempio 31/12/2026.", "text")
        .only_when("tipo_contratto", TD),
    FieldSpec::input("data_inizio_missione", "Data di inizio della missione", "Ad esempio 01/02/2026.", "text")
        .only_when("tipo_contratto", SOMM),
    FieldSpec::input("data_fine_missione", "Data di fine della missione", "Ad esempio 31/12/2026.", "text")
        .only_when("tipo_contratto", SOMM),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Contratto {
    TempoDeterminato,
    Somministrazione,
}

/// The leave (target), the replacement and the period of the replacement's contract.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Richiesta {
    pub congedo_id: i64,
    pub sostituto: CodiceFiscale,
    pub contratto: Contratto,
    pub dal: NaiveDate,
    pub al: NaiveDate,
}

pub fn parse(oggetto: &str, a: &Answers) -> Result<Richiesta, Vec<FieldError>> {
    let mut e = Errors::default();
    let congedo_id = e.target(oggetto, "Scegliere il congedo per cui è avvenuta la sostituzione.");
    let sostituto = e.codice_fiscale(a, "cf_sostituto", "Codice fiscale del sostituto non valido.");
    let contratto = e.choice(
        a,
        "tipo_contratto",
        |v| match v {
            "tempo_determinato" => Some(Contratto::TempoDeterminato),
            "somministrazione" => Some(Contratto::Somministrazione),
            _ => None,
        },
        "Scegliere il tipo di contratto del sostituto.",
    );
    let (inizio, fine) = match contratto {
        Some(Contratto::TempoDeterminato) => ("data_assunzione", "data_scadenza"),
        Some(Contratto::Somministrazione) => ("data_inizio_missione", "data_fine_missione"),
        None => return Err(e.0),
    };
    let dal = e.date(a, inizio, "Indicare la data di inizio del rapporto.");
    let al = e.date(a, fine, "Indicare la data di fine del rapporto.");
    if let (Some(d), Some(f)) = (dal, al)
        && f < d
    {
        e.push(fine, "range", "La data di fine non può precedere quella di inizio.");
    }
    if sostituto.as_ref().is_some_and(|cf| !cf.is_person()) {
        e.push("cf_sostituto", "person", "Indicare il codice fiscale di una persona (16 caratteri).");
    }
    e.finish(match (congedo_id, sostituto, contratto, dal, al) {
        (Some(congedo_id), Some(sostituto), Some(contratto), Some(dal), Some(al)) => {
            Some(Richiesta { congedo_id, sostituto, contratto, dal, al })
        }
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

    const CF: &str = "RSSMRA85T10A562S";

    #[test]
    fn the_dates_asked_depend_on_the_contract() {
        let td = answers(&[
            ("cf_sostituto", CF),
            ("tipo_contratto", "tempo_determinato"),
            ("data_assunzione", "01/02/2026"),
            ("data_scadenza", "31/12/2026"),
        ]);
        assert_eq!(parse("4", &td).map(|r| r.contratto), Ok(Contratto::TempoDeterminato));
        // The agency contract's dates, not the fixed-term ones.
        let mut s = td.clone();
        s.insert("tipo_contratto".into(), "somministrazione".into());
        let e = parse("4", &s).unwrap_err();
        let fields: Vec<_> = e.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["data_inizio_missione", "data_fine_missione"]);
        let mut inverse = td.clone();
        inverse.insert("data_scadenza".into(), "31/01/2026".into());
        assert_eq!(parse("4", &inverse).unwrap_err()[0].code, "range");
        let mut ditta = td;
        ditta.insert("cf_sostituto".into(), "12345678903".into());
        assert_eq!(parse("4", &ditta).unwrap_err()[0].code, "person");
    }
}
