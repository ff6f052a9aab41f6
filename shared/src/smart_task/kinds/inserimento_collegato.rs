//! Smart-Task 13: Inserimento soggetto collegato.

use super::super::KindSpec;
use super::super::form::{Answers, Errors, FieldSpec, text};
use crate::codice_fiscale::coerente;
use crate::ids::{CodiceFiscale, Email};
use crate::problem::FieldError;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

pub const SPEC: KindSpec =
    KindSpec { code: "inserimento_collegato", label: "Inserimento soggetto collegato", fields: FIELDS, check };

const SESSI: &[(&str, &str)] = &[("F", "Femminile"), ("M", "Maschile")];
const RUOLI: &[(&str, &str)] = &[
    ("legale_rappresentante", "Legale rappresentante"),
    ("titolare", "Titolare"),
    ("socio", "Socio"),
    ("amministratore", "Amministratore"),
    ("altro_responsabile", "Altro responsabile"),
];

const FIELDS: &[FieldSpec] = &[
    FieldSpec::input("cf_collegato", "Codice fiscale", "16 caratteri, come sulla tessera sanitaria.", "text"),
    FieldSpec::input("cognome", "Cognome", "", "text"),
    FieldSpec::input("nome", "Nome", "", "text"),
    FieldSpec::input("data_nascita", "Data di nascita", "Ad esempio 14/05/1980.", "text"),
    FieldSpec::select("sesso", "Sesso", "Come indicato nel codice fiscale.", SESSI),
    FieldSpec::input(
        "luogo_nascita",
        "Comune o Stato estero di nascita",
        "Il nome del comune (o dello Stato estero) alla data di nascita, ad esempio Roma.",
        "text",
    ),
    FieldSpec::select("ruolo", "Ruolo nell'azienda", "", RUOLI),
    FieldSpec::input("data_inizio", "Data di inizio della carica", "Ad esempio 01/03/2026.", "text"),
    FieldSpec::input("email", "E-mail (facoltativa)", "Per le comunicazioni INPS al soggetto.", "email"),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Ruolo {
    LegaleRappresentante,
    Titolare,
    Socio,
    Amministratore,
    AltroResponsabile,
}

impl Ruolo {
    pub fn from_code(s: &str) -> Option<Ruolo> {
        Some(match s {
            "legale_rappresentante" => Ruolo::LegaleRappresentante,
            "titolare" => Ruolo::Titolare,
            "socio" => Ruolo::Socio,
            "amministratore" => Ruolo::Amministratore,
            "altro_responsabile" => Ruolo::AltroResponsabile,
            _ => return None,
        })
    }
    /// As stored in `soggetti_collegati.ruolo`.
    pub fn code(self) -> &'static str {
        match self {
            Ruolo::LegaleRappresentante => "legale_rappresentante",
            Ruolo::Titolare => "titolare",
            Ruolo::Socio => "socio",
            Ruolo::Amministratore => "amministratore",
            Ruolo::AltroResponsabile => "altro_responsabile",
        }
    }
    /// The roles that represent the company (and give access to its Cassetto).
    pub fn rappresenta(self) -> bool {
        matches!(self, Ruolo::LegaleRappresentante | Ruolo::Titolare)
    }
}

/// The person, the role and from when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Richiesta {
    pub cf: CodiceFiscale,
    pub cognome: String,
    pub nome: String,
    pub nascita: NaiveDate,
    pub femmina: bool,
    pub luogo_nascita: String,
    pub ruolo: Ruolo,
    pub dal: NaiveDate,
    pub email: Option<Email>,
}

fn nome_proprio(e: &mut Errors, a: &Answers, name: &str, what: &str) -> Option<String> {
    let v = text(a, name);
    let ok = !v.is_empty() && v.chars().count() <= 80 && v.chars().all(|c| c.is_alphabetic() || " '-.".contains(c));
    if !ok {
        e.push(
            name,
            if v.is_empty() { "empty" } else { "format" },
            format!("Indicare {what} (solo lettere, spazi, apostrofi)."),
        );
    }
    ok.then(|| v.to_string())
}

pub fn parse(_oggetto: &str, a: &Answers) -> Result<Richiesta, Vec<FieldError>> {
    let mut e = Errors::default();
    let cf = e.codice_fiscale(a, "cf_collegato", "Codice fiscale non valido.");
    if cf.as_ref().is_some_and(|cf| !cf.is_person()) {
        e.push("cf_collegato", "person", "Indicare il codice fiscale di una persona (16 caratteri).");
    }
    let cognome = nome_proprio(&mut e, a, "cognome", "il cognome");
    let nome = nome_proprio(&mut e, a, "nome", "il nome");
    let nascita = e.date(a, "data_nascita", "Indicare la data di nascita.");
    let femmina = e.choice(a, "sesso", |s| ["F", "M"].contains(&s).then_some(s == "F"), "Indicare il sesso.");
    let luogo = text(a, "luogo_nascita").to_string();
    if luogo.is_empty() || luogo.chars().count() > 80 {
        e.push("luogo_nascita", "empty", "Indicare il comune o lo Stato estero di nascita.");
    }
    let ruolo = e.choice(a, "ruolo", Ruolo::from_code, "Scegliere il ruolo.");
    let dal = e.date(a, "data_inizio", "Indicare la data di inizio della carica.");
    let email = (!text(a, "email").is_empty()).then(|| e.email(a, "email", "E-mail non valida.")).flatten();
    // The code must encode the data typed with it: said at the field, before sending.
    if let (Some(cf), Some(c), Some(n), Some(d), Some(f)) = (&cf, &cognome, &nome, nascita, femmina)
        && cf.is_person()
        && !coerente(cf, c, n, d, f)
    {
        e.push(
            "cf_collegato",
            "incoerente",
            "Il codice fiscale non corrisponde a cognome, nome, data di nascita e sesso indicati: controlli i dati.",
        );
    }
    if let (Some(n), Some(d)) = (nascita, dal)
        && d < n
    {
        e.push("data_inizio", "range", "La carica non può iniziare prima della nascita.");
    }
    e.finish(match (cf, cognome, nome, nascita, femmina, ruolo, dal) {
        (Some(cf), Some(cognome), Some(nome), Some(nascita), Some(femmina), Some(ruolo), Some(dal)) => {
            Some(Richiesta { cf, cognome, nome, nascita, femmina, luogo_nascita: luogo, ruolo, dal, email })
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

    fn base() -> Answers {
        answers(&[
            ("cf_collegato", "RSSMRA85T10A562S"),
            ("cognome", "Rossi"),
            ("nome", "Mario"),
            ("data_nascita", "10/12/1985"),
            ("sesso", "M"),
            ("luogo_nascita", "San Giuliano Terme"),
            ("ruolo", "socio"),
            ("data_inizio", "01/03/2026"),
        ])
    }

    #[test]
    fn the_code_must_match_the_personal_data() {
        assert!(parse("1", &base()).is_ok());
        let mut a = base();
        a.insert("data_nascita".into(), "11/12/1985".into());
        let e = parse("1", &a).unwrap_err();
        assert_eq!((e[0].field.as_str(), e[0].code.as_str()), ("cf_collegato", "incoerente"));
        let mut a = base();
        a.insert("nome".into(), "Marco".into());
        assert_eq!(parse("1", &a).unwrap_err()[0].code, "incoerente");
        let mut a = base();
        a.insert("cf_collegato".into(), "12345678903".into());
        assert_eq!(parse("1", &a).unwrap_err()[0].code, "person");
    }
}
