//! Smart-Task kinds (Msg. INPS 4583/2023): the list, and for each kind (one file in `kinds/`)
//! its label, its questions and the typed request its answers parse into. Parsing runs in the
//! browser (instant feedback) and on the server (authority).

pub mod attivazione;
pub mod form;
pub mod kinds;
pub mod views;

pub use form::{Answers, FieldSpec};

use crate::problem::FieldError;
use serde::{Deserialize, Serialize};

/// What the rest of the code needs to know of a kind, from the kind's own file.
#[derive(Debug, Clone, Copy)]
pub struct KindSpec {
    /// Stable code, stored with every request and used by the API.
    pub code: &'static str,
    pub label: &'static str,
    /// The questions still needed once the target is chosen (the rest is already known).
    pub fields: &'static [FieldSpec],
    /// Whether the answers parse into the kind's typed request.
    pub check: fn(&str, &Answers) -> Result<(), Vec<FieldError>>,
}

/// Declares the kinds in the message's order (its number is the position): one line per kind.
macro_rules! kinds {
    ($($kind:ident => $spec:path,)*) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum Kind {
            $($kind,)*
        }

        impl Kind {
            pub const ALL: &'static [Kind] = &[$(Kind::$kind,)*];

            pub fn spec(self) -> &'static KindSpec {
                match self {
                    $(Kind::$kind => &$spec,)*
                }
            }
        }
    };
}

kinds! {
    CancellazioneContattiAnomaliNdr => kinds::contatti_anomali::SPEC,
    RicalcoloNotaRettifica => kinds::nota_rettifica::SPEC,
    RettificaPeriodoPagamento => kinds::rettifica_pagamento::SPEC,
    RevocaDelegaIntermediario => kinds::revoca_delega::INTERMEDIARIO,
    RevocaDelegaDipendente => kinds::revoca_delega::DIPENDENTE,
    VariazioneContattiIntermediario => kinds::contatti::INTERMEDIARIO,
    VariazioneContattiDipendente => kinds::contatti::DIPENDENTE,
    VariazionePecAziendale => kinds::pec_aziendale::SPEC,
    SospensionePosizione => kinds::sospensione::SPEC,
    RiattivazionePosizione => kinds::riattivazione::SPEC,
    CessazioneProvvisoria => kinds::cessazione_provvisoria::SPEC,
}

impl Kind {
    /// Number in the message's list (domain.md §4.3).
    pub fn number(self) -> u8 {
        Kind::ALL.iter().position(|k| *k == self).map(|p| p as u8 + 1).unwrap_or(0)
    }
    pub fn code(self) -> &'static str {
        self.spec().code
    }
    pub fn from_code(code: &str) -> Option<Kind> {
        Kind::ALL.iter().copied().find(|k| k.code() == code)
    }
    pub fn label(self) -> &'static str {
        self.spec().label
    }
    /// Kinds whose automated examination is implemented. Every kind listed is: a kind joins the
    /// list with its rules.
    pub fn implemented(self) -> bool {
        true
    }
}

/// Checks the answers of `kind`; `oggetto` is the target chosen in the previous step.
pub fn parse(kind: Kind, oggetto: &str, a: &Answers) -> Result<(), Vec<FieldError>> {
    (kind.spec().check)(oggetto, a)
}

/// The questions a kind still needs once the target is chosen.
pub fn form_fields(kind: Kind) -> &'static [FieldSpec] {
    kind.spec().fields
}

/// Every answer name any kind asks for, once each, in the kinds' order: what the wizard
/// carries in the address and the server accepts.
pub fn answer_names() -> Vec<&'static str> {
    let mut names: Vec<&'static str> = vec![];
    for f in Kind::ALL.iter().flat_map(|k| k.spec().fields) {
        if !names.contains(&f.name) {
            names.push(f.name);
        }
    }
    names
}

/// Only the answers the kind asks for, trimmed, empty ones left out.
pub fn answers_of(kind: Kind, all: &Answers) -> Answers {
    kind.spec()
        .fields
        .iter()
        .filter_map(|f| all.get(f.name).map(|v| (f.name.to_string(), v.trim().to_string())))
        .filter(|(_, v)| !v.is_empty())
        .collect()
}

/// Idempotency key of a confirmed draft: a hash of what is submitted, the same in the browser and
/// in the server-rendered page. Sending the very same request twice (double tap, retry after a
/// network error, reload of the confirmation page) yields one request.
pub fn draft_key(tipo: &str, oggetto: &str, answers: &Answers) -> String {
    // FNV-1a, 64 bit: stable across platforms and versions, unlike std's hasher.
    let mut h: u64 = 0xcbf29ce484222325;
    let mut eat = |s: &str| {
        for b in s.bytes().chain([0u8]) {
            h ^= b as u64;
            h = h.wrapping_mul(0x100000001b3);
        }
    };
    eat(tipo);
    eat(oggetto);
    for (k, v) in answers {
        eat(k);
        eat(v.trim());
    }
    format!("bozza-{h:016x}")
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn answers(pairs: &[(&str, &str)]) -> Answers {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn kinds_roundtrip_and_numbers() {
        for &k in Kind::ALL {
            assert_eq!(Kind::from_code(k.code()), Some(k));
        }
        assert_eq!(Kind::RevocaDelegaIntermediario.number(), 4);
        assert_eq!(Kind::VariazionePecAziendale.number(), 8);
        let mut codes: Vec<_> = Kind::ALL.iter().map(|k| k.code()).collect();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), Kind::ALL.len(), "two kinds share a code");
    }

    #[test]
    fn draft_key_depends_on_every_part() {
        let a: Answers = [("pec".to_string(), "a@pec.it".to_string())].into();
        let b: Answers = [("pec".to_string(), "b@pec.it".to_string())].into();
        assert_eq!(draft_key("t", "1", &a), draft_key("t", "1", &a));
        assert_ne!(draft_key("t", "1", &a), draft_key("t", "1", &b));
        assert_ne!(draft_key("t", "1", &a), draft_key("t", "2", &a));
        assert_ne!(draft_key("t", "1", &a), draft_key("u", "1", &a));
    }

    fn sample(name: &str) -> &'static str {
        match name {
            n if n.starts_with("data_") => "31/12/2030",
            "periodo_corretto" => "03/2026",
            "importo" => "10,00",
            "pec" | "email" => "prova@pec.example.it",
            _ => "06 1234567",
        }
    }

    /// Every kind asks something, its choices have options, and its parser accepts a form where
    /// each question is answered — and nothing else: `answers_of` keeps exactly its questions.
    #[test]
    fn every_kind_has_a_form_its_parser_accepts() {
        let names = answer_names();
        for &kind in Kind::ALL {
            let fields = form_fields(kind);
            assert!(!fields.is_empty(), "{kind:?} has no form");
            let answers: Answers = fields
                .iter()
                .map(|f| (f.name.to_string(), f.options.first().map(|o| o.0).unwrap_or(sample(f.name)).to_string()))
                .collect();
            for f in fields {
                assert!(f.input != "select" || !f.options.is_empty(), "{} has no options", f.name);
                assert!(names.contains(&f.name), "{} not carried by the wizard", f.name);
            }
            assert!(parse(kind, "1", &answers).is_ok(), "{kind:?}: {:?}", parse(kind, "1", &answers));
            let mut extra = answers.clone();
            extra.insert("estraneo".into(), "x".into());
            assert_eq!(answers_of(kind, &extra), answers);
        }
    }
}
