//! Smart-Task 17: Richiesta DPA (Dichiarazione preventiva di agevolazione, Msg. INPS 2648/2018).

use super::super::KindSpec;
use super::super::form::{Answers, Errors, FieldSpec};
use crate::periodo::Periodo;
use crate::problem::FieldError;
use serde::{Deserialize, Serialize};

pub const SPEC: KindSpec = KindSpec {
    code: "richiesta_dpa",
    label: "Richiesta DPA (dichiarazione preventiva di agevolazione)",
    fields: FIELDS,
    check,
};

/// The benefits a DPA can declare [D: the most used; the list is the rules', not the law's].
pub const AGEVOLAZIONI: &[(&str, &str)] = &[
    ("esonero_giovani", "Esonero assunzione giovani under 36 (L. 178/2020)"),
    ("incentivo_donne", "Incentivo assunzione donne (L. 92/2012, art. 4)"),
    ("decontribuzione_sud", "Decontribuzione Sud (D.L. 104/2020, art. 27)"),
    ("sostituzione_maternita", "Sgravio sostituzione in congedo (d.lgs. 151/2001, art. 4)"),
];

const FIELDS: &[FieldSpec] = &[
    FieldSpec::select("agevolazione", "Agevolazione", "", AGEVOLAZIONI),
    FieldSpec::input("mese_dal", "Dal mese", "Ad esempio 01/2026.", "text"),
    FieldSpec::input("mese_al", "Al mese", "Ad esempio 12/2026.", "text"),
];

/// The matricola (target), the benefit and the months.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Richiesta {
    pub posizione_id: i64,
    pub agevolazione: String,
    pub dal: Periodo,
    pub al: Periodo,
}

pub fn parse(oggetto: &str, a: &Answers) -> Result<Richiesta, Vec<FieldError>> {
    let mut e = Errors::default();
    let posizione_id = e.target(oggetto, "Scegliere la matricola.");
    let agevolazione = e.choice(
        a,
        "agevolazione",
        |v| AGEVOLAZIONI.iter().find(|(c, _)| *c == v).map(|(c, _)| c.to_string()),
        "Scegliere l'agevolazione.",
    );
    let dal = e.periodo(a, "mese_dal", "Mese iniziale non valido.");
    let al = e.periodo(a, "mese_al", "Mese finale non valido.");
    if let (Some(d), Some(f)) = (dal, al)
        && f < d
    {
        e.push("mese_al", "range", "Il mese finale non può precedere quello iniziale.");
    }
    e.finish(match (posizione_id, agevolazione, dal, al) {
        (Some(posizione_id), Some(agevolazione), Some(dal), Some(al)) => {
            Some(Richiesta { posizione_id, agevolazione, dal, al })
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

    #[test]
    fn dpa_answers() {
        let ok = answers(&[("agevolazione", "esonero_giovani"), ("mese_dal", "01/2026"), ("mese_al", "06/2026")]);
        assert!(parse("3", &ok).is_ok());
        let rovescio = answers(&[("agevolazione", "esonero_giovani"), ("mese_dal", "07/2026"), ("mese_al", "06/2026")]);
        assert_eq!(parse("3", &rovescio).unwrap_err()[0].code, "range");
        let ignota = answers(&[("agevolazione", "altro"), ("mese_dal", "01/2026"), ("mese_al", "06/2026")]);
        assert_eq!(parse("3", &ignota).unwrap_err()[0].field, "agevolazione");
    }
}
