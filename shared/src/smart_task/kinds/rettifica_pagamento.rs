//! Smart-Task 3: Rettifica periodo di riferimento di un pagamento.

use super::super::KindSpec;
use super::super::form::{Answers, Errors, FieldSpec};
use crate::money::Euro;
use crate::periodo::Periodo;
use crate::problem::FieldError;

pub const SPEC: KindSpec = KindSpec {
    code: "rettifica_periodo_pagamento",
    label: "Rettifica periodo di riferimento di un pagamento",
    fields: FIELDS,
    check,
};

const FIELDS: &[FieldSpec] = &[
    FieldSpec::input(
        "periodo_corretto",
        "Periodo a cui il pagamento si riferisce davvero",
        "Mese e anno, ad esempio 03/2026.",
        "text",
    ),
    FieldSpec::input(
        "importo",
        "Importo da attribuire al periodo corretto (euro)",
        "Ad esempio 1.500,00. Non può superare l'importo del pagamento.",
        "text",
    ),
];

/// The F24 payment line, the period it should count for and how much of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Richiesta {
    pub pagamento_id: i64,
    pub periodo_corretto: Periodo,
    pub importo: Euro,
}

pub fn parse(oggetto: &str, a: &Answers) -> Result<Richiesta, Vec<FieldError>> {
    let mut e = Errors::default();
    let pagamento_id = e.target(oggetto, "Scegliere il pagamento da rettificare.");
    let periodo = e.periodo(a, "periodo_corretto", "Periodo corretto non valido.");
    let importo = e.importo_positivo(a, "importo", "L'importo da spostare deve essere maggiore di zero.");
    let parsed = match (pagamento_id, periodo, importo) {
        (Some(pagamento_id), Some(periodo_corretto), Some(importo)) => {
            Some(Richiesta { pagamento_id, periodo_corretto, importo })
        }
        _ => None,
    };
    e.finish(parsed)
}

fn check(oggetto: &str, a: &Answers) -> Result<(), Vec<FieldError>> {
    parse(oggetto, a).map(drop)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::smart_task::tests::answers;

    #[test]
    fn rettifica_pagamento_answers() {
        assert_eq!(
            parse("3", &answers(&[("periodo_corretto", "04/2026"), ("importo", "1.500,00")])),
            Ok(Richiesta {
                pagamento_id: 3,
                periodo_corretto: Periodo::new(2026, 4).unwrap(),
                importo: Euro::from_cents(150_000)
            })
        );
        let e = parse("3", &answers(&[("periodo_corretto", "13/2026"), ("importo", "0")])).unwrap_err();
        let got: Vec<_> = e.iter().map(|e| (e.field.as_str(), e.code.as_str())).collect();
        assert_eq!(got, [("periodo_corretto", "range"), ("importo", "range")]);
        let e = parse("3", &answers(&[("periodo_corretto", "2026"), ("importo", "abc")])).unwrap_err();
        let got: Vec<_> = e.iter().map(|e| (e.field.as_str(), e.code.as_str())).collect();
        assert_eq!(got, [("periodo_corretto", "format"), ("importo", "format")]);
    }
}
