//! The form vocabulary of the Smart-Task kinds: a question, and the small parsers each kind's
//! `parse` is built from (they collect field errors instead of stopping at the first).

use crate::ids::{CodiceFiscale, Email};
use crate::money::Euro;
use crate::periodo::Periodo;
use crate::problem::FieldError;
use crate::time::parse_date_it;
use chrono::NaiveDate;

/// The answers of a form, field name → typed text, as a browser posts them.
pub type Answers = std::collections::BTreeMap<String, String>;

/// One question of a Smart-Task form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldSpec {
    pub name: &'static str,
    pub label: &'static str,
    pub hint: &'static str,
    /// HTML input type, or "select" for a choice among `options`.
    pub input: &'static str,
    /// (value, label) of each choice when `input` is "select".
    pub options: &'static [(&'static str, &'static str)],
    /// Asked only when another answer has one of some values (None: always asked).
    pub when: Option<When>,
}

/// The condition of a conditional question: the answer `field` is one of `values`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct When {
    pub field: &'static str,
    pub values: &'static [&'static str],
}

impl FieldSpec {
    pub const fn input(name: &'static str, label: &'static str, hint: &'static str, input: &'static str) -> Self {
        FieldSpec { name, label, hint, input, options: &[], when: None }
    }
    pub const fn select(
        name: &'static str,
        label: &'static str,
        hint: &'static str,
        options: &'static [(&'static str, &'static str)],
    ) -> Self {
        FieldSpec { name, label, hint, input: "select", options, when: None }
    }
    /// The same question, asked only when the answer `field` is one of `values`.
    pub const fn only_when(self, field: &'static str, values: &'static [&'static str]) -> Self {
        FieldSpec { when: Some(When { field, values }), ..self }
    }
    /// Whether the question applies, given the other answers.
    pub fn applies(&self, a: &Answers) -> bool {
        self.when.is_none_or(|w| w.values.contains(&text(a, w.field)))
    }
}

/// Collects the field errors of one form.
#[derive(Debug, Default)]
pub struct Errors(pub Vec<FieldError>);

impl Errors {
    pub fn push(&mut self, name: &str, code: &str, message: impl Into<String>) {
        self.0.push(FieldError { field: name.into(), code: code.into(), message: message.into() });
    }

    /// `Ok(value)` when every field parsed, else all the errors.
    pub fn finish<T>(self, value: Option<T>) -> Result<T, Vec<FieldError>> {
        match value {
            Some(v) if self.0.is_empty() => Ok(v),
            _ => Err(self.0),
        }
    }

    /// The chosen target's id (from the previous step, never typed).
    pub fn target(&mut self, oggetto: &str, message: &str) -> Option<i64> {
        let id = oggetto.trim().parse::<i64>().ok().filter(|n| *n > 0);
        if id.is_none() {
            self.push("oggetto", "invalid", message);
        }
        id
    }

    /// One of a fixed list of answers.
    pub fn choice<T>(&mut self, a: &Answers, name: &str, from: impl Fn(&str) -> Option<T>, message: &str) -> Option<T> {
        let v = text(a, name);
        let parsed = from(v);
        if parsed.is_none() {
            self.push(name, if v.is_empty() { "empty" } else { "invalid" }, message);
        }
        parsed
    }

    /// A required day, typed 31/12/2026 or sent as 2026-12-31.
    pub fn date(&mut self, a: &Answers, name: &str, missing: &str) -> Option<NaiveDate> {
        match text(a, name) {
            "" => {
                self.push(name, "empty", missing);
                None
            }
            s => {
                let d = parse_date_it(s);
                if d.is_none() {
                    self.push(name, "format", "La data deve essere nel formato gg/mm/aaaa, ad esempio 31/12/2026.");
                }
                d
            }
        }
    }

    /// An e-mail or PEC address; `invalid` opens the message, the reason follows.
    pub fn email(&mut self, a: &Answers, name: &str, invalid: &str) -> Option<Email> {
        match Email::parse(text(a, name)) {
            Ok(e) => Some(e),
            Err(e) => {
                self.push(name, e.code(), format!("{invalid} {e}"));
                None
            }
        }
    }

    /// A codice fiscale (16 characters for a person, 11 digits for a company).
    pub fn codice_fiscale(&mut self, a: &Answers, name: &str, invalid: &str) -> Option<CodiceFiscale> {
        match CodiceFiscale::parse(text(a, name)) {
            Ok(cf) => Some(cf),
            Err(e) => {
                self.push(name, e.code(), format!("{invalid} {e}"));
                None
            }
        }
    }

    /// A month and year, e.g. 03/2026.
    pub fn periodo(&mut self, a: &Answers, name: &str, invalid: &str) -> Option<Periodo> {
        match Periodo::parse(text(a, name)) {
            Ok(p) => Some(p),
            Err(e) => {
                self.push(name, e.code(), format!("{invalid} {e}"));
                None
            }
        }
    }

    /// A positive amount in euro, typed as Italians do (1.500,00).
    pub fn importo_positivo(&mut self, a: &Answers, name: &str, zero: &str) -> Option<Euro> {
        match Euro::parse_it(text(a, name)) {
            Ok(e) if e.cents() > 0 => Some(e),
            Ok(_) => {
                self.push(name, "range", zero);
                None
            }
            Err(e) => {
                self.push(name, "format", format!("Importo non valido. {e}"));
                None
            }
        }
    }
}

/// The trimmed answer, empty when not given.
pub fn text<'a>(a: &'a Answers, name: &str) -> &'a str {
    a.get(name).map(|s| s.trim()).unwrap_or("")
}
