//! Smart-Task 6 and 7: Variazione contatti intermediario / dipendente aziendale.

use super::super::KindSpec;
use super::super::form::{Answers, Errors, FieldSpec, text};
use crate::ids::{Email, Telefono};
use crate::problem::FieldError;
use serde::{Deserialize, Serialize};

pub const INTERMEDIARIO: KindSpec = KindSpec {
    code: "variazione_contatti_intermediario",
    label: "Variazione contatti intermediario",
    fields: FIELDS_INTERMEDIARIO,
    check: check_intermediario,
};
pub const DIPENDENTE: KindSpec = KindSpec {
    code: "variazione_contatti_dipendente",
    label: "Variazione contatti dipendente aziendale",
    fields: FIELDS_DIPENDENTE,
    check: check_dipendente,
};

pub(crate) const EMAIL: FieldSpec =
    FieldSpec::input("email", "E-mail", "Lasci vuoti i contatti che non cambiano.", "email");
pub(crate) const PEC: FieldSpec = FieldSpec::input("pec", "PEC", "Posta elettronica certificata.", "email");
pub(crate) const TELEFONO: FieldSpec =
    FieldSpec::input("telefono", "Telefono", "Fisso o cellulare, ad esempio 06 1234567.", "tel");
const CELLULARE: FieldSpec = FieldSpec::input("cellulare", "Cellulare", "Ad esempio 333 1234567.", "tel");
const FIELDS_INTERMEDIARIO: &[FieldSpec] = &[EMAIL, PEC, TELEFONO, CELLULARE];
const FIELDS_DIPENDENTE: &[FieldSpec] = &[EMAIL, PEC, TELEFONO];

/// New contacts; only the ones given change.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contatti {
    pub email: Option<Email>,
    pub pec: Option<Email>,
    pub telefono: Option<Telefono>,
    pub cellulare: Option<Telefono>,
}

/// Whose contacts change (the intermediary for kind 6, the employee's delega for kind 7) and how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Richiesta {
    pub target_id: i64,
    pub contatti: Contatti,
}

pub fn parse_intermediario(oggetto: &str, a: &Answers) -> Result<Richiesta, Vec<FieldError>> {
    parse(oggetto, a, true)
}

pub fn parse_dipendente(oggetto: &str, a: &Answers) -> Result<Richiesta, Vec<FieldError>> {
    parse(oggetto, a, false)
}

fn parse(oggetto: &str, a: &Answers, with_mobile: bool) -> Result<Richiesta, Vec<FieldError>> {
    let mut e = Errors::default();
    let target_id = e.target(oggetto, "Scegliere di chi variare i contatti.");
    let mut c = Contatti::default();
    let email =
        |e: &mut Errors, name, invalid| (!text(a, name).is_empty()).then(|| e.email(a, name, invalid)).flatten();
    c.email = email(&mut e, "email", "E-mail non valida.");
    c.pec = email(&mut e, "pec", "PEC non valida.");
    let phones: &[&str] = if with_mobile { &["telefono", "cellulare"] } else { &["telefono"] };
    for &name in phones {
        let v = text(a, name);
        if !v.is_empty() {
            match Telefono::parse(v) {
                Ok(t) if name == "telefono" => c.telefono = Some(t),
                Ok(t) => c.cellulare = Some(t),
                Err(err) => e.push(name, err.code(), format!("Numero non valido. {err}")),
            }
        }
    }
    if !["email", "pec"].iter().chain(phones).any(|n| !text(a, n).is_empty()) {
        e.push("email", "empty", "Indicare almeno un contatto da variare.");
    }
    e.finish(target_id.map(|target_id| Richiesta { target_id, contatti: c }))
}

fn check_intermediario(oggetto: &str, a: &Answers) -> Result<(), Vec<FieldError>> {
    parse_intermediario(oggetto, a).map(drop)
}

fn check_dipendente(oggetto: &str, a: &Answers) -> Result<(), Vec<FieldError>> {
    parse_dipendente(oggetto, a).map(drop)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::smart_task::tests::answers;

    #[test]
    fn contatti_answers() {
        let ok = parse_intermediario("4", &answers(&[("email", "A@B.it"), ("cellulare", "333 1234567")])).unwrap();
        assert_eq!(ok.target_id, 4);
        assert_eq!(ok.contatti.email.map(String::from), Some("a@b.it".to_string()));
        assert_eq!(ok.contatti.cellulare.map(String::from), Some("3331234567".to_string()));
        assert!(ok.contatti.pec.is_none() && ok.contatti.telefono.is_none());
        let none = parse_dipendente("4", &answers(&[])).unwrap_err();
        assert_eq!((none[0].field.as_str(), none[0].code.as_str()), ("email", "empty"));
        let bad = parse_dipendente("4", &answers(&[("telefono", "12")])).unwrap_err();
        assert_eq!(bad[0].field, "telefono");
        // The employee has no mobile field: a mobile alone is not a contact to change.
        let only_mobile = parse_dipendente("4", &answers(&[("cellulare", "333 1234567")])).unwrap_err();
        assert_eq!(only_mobile[0].field, "email");
    }
}
