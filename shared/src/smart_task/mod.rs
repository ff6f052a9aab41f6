//! Smart-Task kinds (Msg. INPS 4583/2023): the list, and for each kind (one file in `kinds/`)
//! its label, its questions and the typed request its answers parse into. Parsing runs in the
//! browser (instant feedback) and on the server (authority).

pub mod attivazione;
pub mod form;
pub mod kinds;
pub mod simulazione;
pub mod views;

pub use form::{Answers, FieldSpec, When};

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

/// Declares the kinds in the message's order with their number in its list: one line per kind.
macro_rules! kinds {
    ($($n:literal $kind:ident => $spec:path,)*) => {
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

            /// Number in the message's list (domain.md §4.3).
            pub fn number(self) -> u8 {
                match self {
                    $(Kind::$kind => $n,)*
                }
            }
        }
    };
}

kinds! {
    1 CancellazioneContattiAnomaliNdr => kinds::contatti_anomali::SPEC,
    2 RicalcoloNotaRettifica => kinds::nota_rettifica::SPEC,
    3 RettificaPeriodoPagamento => kinds::rettifica_pagamento::SPEC,
    4 RevocaDelegaIntermediario => kinds::revoca_delega::INTERMEDIARIO,
    5 RevocaDelegaDipendente => kinds::revoca_delega::DIPENDENTE,
    6 VariazioneContattiIntermediario => kinds::contatti::INTERMEDIARIO,
    7 VariazioneContattiDipendente => kinds::contatti::DIPENDENTE,
    8 VariazionePecAziendale => kinds::pec_aziendale::SPEC,
    9 SospensionePosizione => kinds::sospensione::SPEC,
    10 RiattivazionePosizione => kinds::riattivazione::SPEC,
    11 CessazioneProvvisoria => kinds::cessazione_provvisoria::SPEC,
    12 VariazioneContattiCollegato => kinds::contatti_collegato::SPEC,
    13 InserimentoCollegato => kinds::inserimento_collegato::SPEC,
    14 CessazioneCollegato => kinds::cessazione_collegato::SPEC,
    15 FondoTesoreria => kinds::fondo_tesoreria::SPEC,
    16 SostituzioneMaternita => kinds::sostituzione_maternita::SPEC,
    17 RichiestaDpa => kinds::dpa::SPEC,
}

impl Kind {
    pub fn code(self) -> &'static str {
        self.spec().code
    }
    pub fn from_code(code: &str) -> Option<Kind> {
        Kind::ALL.iter().copied().find(|k| k.code() == code)
    }
    pub fn label(self) -> &'static str {
        self.spec().label
    }
    /// The kinds about the contributor as a whole: the target is the subject itself.
    pub fn targets_subject(self) -> bool {
        matches!(self, Kind::VariazionePecAziendale | Kind::InserimentoCollegato | Kind::FondoTesoreria)
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

/// Only the answers the kind asks for given the others (a conditional question left behind
/// when its condition changed is dropped), trimmed, empty ones left out.
pub fn answers_of(kind: Kind, all: &Answers) -> Answers {
    kind.spec()
        .fields
        .iter()
        .filter(|f| f.applies(all))
        .filter_map(|f| all.get(f.name).map(|v| (f.name.to_string(), v.trim().to_string())))
        .filter(|(_, v)| !v.is_empty())
        .collect()
}

/// The answers a kind does not take: unknown names (`unknown`) and conditional questions whose
/// condition does not hold (`not_applicable`). What the API refuses instead of storing.
pub fn extraneous_answers(kind: Kind, a: &Answers) -> Vec<FieldError> {
    let fields = form_fields(kind);
    a.keys()
        .filter_map(|k| match fields.iter().find(|f| f.name == k.as_str()) {
            None => Some(FieldError {
                field: k.chars().take(64).collect(),
                code: "unknown".into(),
                message: format!("La richiesta \"{}\" non prevede questo dato.", kind.label()),
            }),
            Some(f) if !f.applies(a) && !form::text(a, k).is_empty() => {
                let w = f.when?;
                let quando = fields.iter().find(|g| g.name == w.field).map(|g| g.label).unwrap_or(w.field);
                Some(FieldError {
                    field: k.clone(),
                    code: "not_applicable".into(),
                    message: format!("Questo dato si indica solo per alcune risposte a \"{quando}\"."),
                })
            }
            Some(_) => None,
        })
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
        assert_eq!(Kind::FondoTesoreria.number(), 15);
        assert!(Kind::ALL.windows(2).all(|w| w[0].number() < w[1].number()), "kinds out of the message's order");
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
            "periodo_corretto" | "mese_dal" | "mese_al" => "03/2026",
            "importo" => "10,00",
            "pec" | "email" => "prova@pec.example.it",
            "cf_sostituto" => "RSSMRA85T10A562S",
            // Rossi Maria, born in Roma on 31/12/2030 (the sample date), female (first option).
            "cf_collegato" => "RSSMRA30T71H501C",
            "cognome" => "Rossi",
            "nome" => "Maria",
            "luogo_nascita" => "Roma",
            n if n.starts_with("cf_") => "12345678903",
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
            // Each question that applies given the answers before it (the first option of a choice).
            let mut answers = Answers::new();
            for f in fields {
                // A condition names an earlier choice of the same form, and values it offers.
                if let Some(w) = f.when {
                    let on = fields.iter().take_while(|g| g.name != f.name).find(|g| g.name == w.field);
                    let on = on.unwrap_or_else(|| panic!("{}: condition on a missing field {}", f.name, w.field));
                    assert!(w.values.iter().all(|v| on.options.iter().any(|o| o.0 == *v)), "{}", f.name);
                }
                if f.applies(&answers) {
                    let v = f.options.first().map(|o| o.0).unwrap_or(sample(f.name));
                    answers.insert(f.name.to_string(), v.to_string());
                }
            }
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
