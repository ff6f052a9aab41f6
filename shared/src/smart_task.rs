//! Smart-Task kinds (Msg. INPS 4583/2023) and the typed requests their answers parse into.
//! Parsing runs in the browser (instant feedback) and on the server (authority).

use crate::dto::FieldError;
use crate::ids::{Email, Telefono};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    CancellazioneContattiAnomaliNdr,
    RicalcoloNotaRettifica,
    RettificaPeriodoPagamento,
    RevocaDelegaIntermediario,
    RevocaDelegaDipendente,
    VariazioneContattiIntermediario,
    VariazioneContattiDipendente,
    VariazionePecAziendale,
}

impl Kind {
    pub const ALL: [Kind; 8] = [
        Kind::CancellazioneContattiAnomaliNdr,
        Kind::RicalcoloNotaRettifica,
        Kind::RettificaPeriodoPagamento,
        Kind::RevocaDelegaIntermediario,
        Kind::RevocaDelegaDipendente,
        Kind::VariazioneContattiIntermediario,
        Kind::VariazioneContattiDipendente,
        Kind::VariazionePecAziendale,
    ];

    /// Number in the message's list (domain.md §4.3).
    pub fn number(self) -> u8 {
        Kind::ALL.iter().position(|k| *k == self).map(|p| p as u8 + 1).unwrap_or(0)
    }
    pub fn code(self) -> &'static str {
        match self {
            Kind::CancellazioneContattiAnomaliNdr => "cancellazione_contatti_anomali_ndr",
            Kind::RicalcoloNotaRettifica => "ricalcolo_nota_rettifica",
            Kind::RettificaPeriodoPagamento => "rettifica_periodo_pagamento",
            Kind::RevocaDelegaIntermediario => "revoca_delega_intermediario",
            Kind::RevocaDelegaDipendente => "revoca_delega_dipendente",
            Kind::VariazioneContattiIntermediario => "variazione_contatti_intermediario",
            Kind::VariazioneContattiDipendente => "variazione_contatti_dipendente",
            Kind::VariazionePecAziendale => "variazione_pec_aziendale",
        }
    }
    pub fn from_code(code: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.code() == code)
    }
    pub fn label(self) -> &'static str {
        match self {
            Kind::CancellazioneContattiAnomaliNdr => "Cancellazione contatti anomali Note di Rettifica",
            Kind::RicalcoloNotaRettifica => "Ricalcolo Nota di Rettifica",
            Kind::RettificaPeriodoPagamento => "Rettifica periodo di riferimento di un pagamento",
            Kind::RevocaDelegaIntermediario => "Revoca delega intermediario",
            Kind::RevocaDelegaDipendente => "Revoca delega dipendente",
            Kind::VariazioneContattiIntermediario => "Variazione contatti intermediario",
            Kind::VariazioneContattiDipendente => "Variazione contatti dipendente aziendale",
            Kind::VariazionePecAziendale => "Variazione indirizzo PEC aziendale",
        }
    }
    /// Kinds whose automated examination is implemented. The others are listed but cannot be
    /// submitted yet: the server refuses them with a clear message rather than pretending.
    pub fn implemented(self) -> bool {
        matches!(
            self,
            Kind::RevocaDelegaIntermediario
                | Kind::RevocaDelegaDipendente
                | Kind::VariazioneContattiIntermediario
                | Kind::VariazioneContattiDipendente
                | Kind::VariazionePecAziendale
        )
    }
}

/// The answers of a form, field name → typed text, as a browser posts them.
pub type Answers = BTreeMap<String, String>;

/// A request whose answers are syntactically valid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "tipo", rename_all = "snake_case")]
pub enum Parsed {
    RevocaDelega {
        delega_id: i64,
        data_effetto: NaiveDate,
    },
    VariazionePec {
        pec: Email,
    },
    /// Kinds 6 and 7: `target_id` is the intermediary (6) or the employee's delega (7).
    VariazioneContatti {
        target_id: i64,
        contatti: Contatti,
    },
}

/// New contacts; only the ones given change.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contatti {
    pub email: Option<Email>,
    pub pec: Option<Email>,
    pub telefono: Option<Telefono>,
    pub cellulare: Option<Telefono>,
}

fn field(errors: &mut Vec<FieldError>, name: &str, code: &str, message: impl Into<String>) {
    errors.push(FieldError { field: name.into(), code: code.into(), message: message.into() });
}

fn text<'a>(a: &'a Answers, name: &str) -> &'a str {
    a.get(name).map(|s| s.trim()).unwrap_or("")
}

/// Accepts 31/12/2026 (as typed in Italy) or 2026-12-31 (as sent by a date input or an API).
pub fn parse_date_it(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    NaiveDate::parse_from_str(s, "%d/%m/%Y").or_else(|_| NaiveDate::parse_from_str(s, "%Y-%m-%d")).ok()
}

/// Parses the answers of `kind`; `oggetto` is the target chosen in the previous step.
pub fn parse(kind: Kind, oggetto: &str, a: &Answers) -> Result<Parsed, Vec<FieldError>> {
    let mut errors = vec![];
    let parsed = match kind {
        Kind::RevocaDelegaIntermediario | Kind::RevocaDelegaDipendente => {
            let delega_id = oggetto.parse::<i64>().ok();
            if delega_id.is_none() {
                field(&mut errors, "oggetto", "invalid", "Scegliere la delega da revocare.");
            }
            let data = match text(a, "data_effetto") {
                "" => {
                    field(&mut errors, "data_effetto", "empty", "Indicare la data da cui la revoca ha effetto.");
                    None
                }
                s => {
                    let d = parse_date_it(s);
                    if d.is_none() {
                        field(
                            &mut errors,
                            "data_effetto",
                            "format",
                            "La data deve essere nel formato gg/mm/aaaa, ad esempio 31/12/2026.",
                        );
                    }
                    d
                }
            };
            match (delega_id, data) {
                (Some(delega_id), Some(data_effetto)) => Some(Parsed::RevocaDelega { delega_id, data_effetto }),
                _ => None,
            }
        }
        Kind::VariazionePecAziendale => match Email::parse(text(a, "pec")) {
            Ok(pec) => Some(Parsed::VariazionePec { pec }),
            Err(e) => {
                field(&mut errors, "pec", e.code(), format!("Indirizzo PEC non valido. {e}"));
                None
            }
        },
        Kind::VariazioneContattiIntermediario | Kind::VariazioneContattiDipendente => {
            let target_id = oggetto.parse::<i64>().ok();
            if target_id.is_none() {
                field(&mut errors, "oggetto", "invalid", "Scegliere di chi variare i contatti.");
            }
            let mut c = Contatti::default();
            for (name, label) in [("email", "E-mail"), ("pec", "PEC")] {
                let v = text(a, name);
                if !v.is_empty() {
                    match Email::parse(v) {
                        Ok(e) if name == "email" => c.email = Some(e),
                        Ok(e) => c.pec = Some(e),
                        Err(e) => field(&mut errors, name, e.code(), format!("{label} non valida. {e}")),
                    }
                }
            }
            let phones: &[&str] =
                if kind == Kind::VariazioneContattiIntermediario { &["telefono", "cellulare"] } else { &["telefono"] };
            for &name in phones {
                let v = text(a, name);
                if !v.is_empty() {
                    match Telefono::parse(v) {
                        Ok(t) if name == "telefono" => c.telefono = Some(t),
                        Ok(t) => c.cellulare = Some(t),
                        Err(e) => field(&mut errors, name, e.code(), format!("Numero non valido. {e}")),
                    }
                }
            }
            let any_typed = ["email", "pec"].iter().chain(phones).any(|n| !text(a, n).is_empty());
            if !any_typed {
                field(&mut errors, "email", "empty", "Indicare almeno un contatto da variare.");
            }
            target_id.map(|target_id| Parsed::VariazioneContatti { target_id, contatti: c })
        }
        other => {
            field(
                &mut errors,
                "tipo",
                "not_available",
                format!("La richiesta \"{}\" non è ancora disponibile.", other.label()),
            );
            None
        }
    };
    match parsed {
        Some(p) if errors.is_empty() => Ok(p),
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answers(pairs: &[(&str, &str)]) -> Answers {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn kinds_roundtrip_and_numbers() {
        for k in Kind::ALL {
            assert_eq!(Kind::from_code(k.code()), Some(k));
        }
        assert_eq!(Kind::RevocaDelegaIntermediario.number(), 4);
        assert_eq!(Kind::VariazionePecAziendale.number(), 8);
    }

    #[test]
    fn revoca_delega_answers() {
        let ok = parse(Kind::RevocaDelegaIntermediario, "12", &answers(&[("data_effetto", "31/12/2026")]));
        assert_eq!(
            ok,
            Ok(Parsed::RevocaDelega { delega_id: 12, data_effetto: NaiveDate::from_ymd_opt(2026, 12, 31).unwrap() })
        );
        let iso = parse(Kind::RevocaDelegaDipendente, "3", &answers(&[("data_effetto", "2026-01-02")]));
        assert!(iso.is_ok());
        let bad = parse(Kind::RevocaDelegaIntermediario, "x", &answers(&[("data_effetto", "32/13/2026")])).unwrap_err();
        let fields: Vec<_> = bad.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["oggetto", "data_effetto"]);
        let empty = parse(Kind::RevocaDelegaIntermediario, "1", &answers(&[])).unwrap_err();
        assert_eq!(empty[0].code, "empty");
    }

    #[test]
    fn pec_answers() {
        assert!(matches!(
            parse(Kind::VariazionePecAziendale, "", &answers(&[("pec", "Ditta@PEC.it")])),
            Ok(Parsed::VariazionePec { .. })
        ));
        let e = parse(Kind::VariazionePecAziendale, "", &answers(&[("pec", "ditta.pec.it")])).unwrap_err();
        assert_eq!((e[0].field.as_str(), e[0].code.as_str()), ("pec", "format"));
    }

    #[test]
    fn contatti_answers() {
        let ok = parse(
            Kind::VariazioneContattiIntermediario,
            "4",
            &answers(&[("email", "A@B.it"), ("cellulare", "333 1234567")]),
        )
        .unwrap();
        match ok {
            Parsed::VariazioneContatti { target_id, contatti } => {
                assert_eq!(target_id, 4);
                assert_eq!(contatti.email.map(String::from), Some("a@b.it".to_string()));
                assert_eq!(contatti.cellulare.map(String::from), Some("3331234567".to_string()));
                assert!(contatti.pec.is_none() && contatti.telefono.is_none());
            }
            other => panic!("{other:?}"),
        }
        let none = parse(Kind::VariazioneContattiDipendente, "4", &answers(&[])).unwrap_err();
        assert_eq!((none[0].field.as_str(), none[0].code.as_str()), ("email", "empty"));
        let bad = parse(Kind::VariazioneContattiDipendente, "4", &answers(&[("telefono", "12")])).unwrap_err();
        assert_eq!(bad[0].field, "telefono");
    }

    #[test]
    fn kinds_not_yet_implemented_are_refused_not_faked() {
        let e = parse(Kind::RicalcoloNotaRettifica, "1", &answers(&[])).unwrap_err();
        assert_eq!(e[0].code, "not_available");
    }
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
mod key_tests {
    use super::*;
    #[test]
    fn draft_key_depends_on_every_part() {
        let a: Answers = [("pec".to_string(), "a@pec.it".to_string())].into();
        let b: Answers = [("pec".to_string(), "b@pec.it".to_string())].into();
        assert_eq!(draft_key("t", "1", &a), draft_key("t", "1", &a));
        assert_ne!(draft_key("t", "1", &a), draft_key("t", "1", &b));
        assert_ne!(draft_key("t", "1", &a), draft_key("t", "2", &a));
        assert_ne!(draft_key("t", "1", &a), draft_key("u", "1", &a));
    }
}

/// One question of a Smart-Task form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldSpec {
    pub name: &'static str,
    pub label: &'static str,
    pub hint: &'static str,
    /// HTML input type.
    pub input: &'static str,
}

/// Every answer name any form uses (the wizard keeps them in the address).
pub const ANSWER_NAMES: [&str; 5] = ["data_effetto", "pec", "email", "telefono", "cellulare"];

/// The questions a kind still needs once the target is chosen (the rest is already known).
pub fn form_fields(kind: Kind) -> Vec<FieldSpec> {
    let f = |name, label, hint, input| FieldSpec { name, label, hint, input };
    match kind {
        Kind::RevocaDelegaIntermediario | Kind::RevocaDelegaDipendente => vec![f(
            "data_effetto",
            "Data da cui la revoca ha effetto",
            "Ad esempio 31/12/2026. La revoca non può essere retroattiva.",
            "text",
        )],
        Kind::VariazionePecAziendale => {
            vec![f("pec", "Nuovo indirizzo PEC", "L'indirizzo di posta elettronica certificata dell'azienda.", "email")]
        }
        Kind::VariazioneContattiIntermediario | Kind::VariazioneContattiDipendente => {
            let mut v = vec![
                f("email", "E-mail", "Lasci vuoti i contatti che non cambiano.", "email"),
                f("pec", "PEC", "Posta elettronica certificata.", "email"),
                f("telefono", "Telefono", "Fisso o cellulare, ad esempio 06 1234567.", "tel"),
            ];
            if kind == Kind::VariazioneContattiIntermediario {
                v.push(f("cellulare", "Cellulare", "Ad esempio 333 1234567.", "tel"));
            }
            v
        }
        Kind::CancellazioneContattiAnomaliNdr | Kind::RicalcoloNotaRettifica | Kind::RettificaPeriodoPagamento => {
            vec![]
        }
    }
}

#[cfg(test)]
mod form_tests {
    use super::*;

    fn sample(name: &str) -> &'static str {
        match name {
            "data_effetto" => "31/12/2030",
            "pec" | "email" => "prova@pec.example.it",
            _ => "06 1234567",
        }
    }

    /// Every implemented kind asks something, only names the wizard carries, and its parser
    /// accepts a form where each question is answered.
    #[test]
    fn every_implemented_kind_has_a_form_its_parser_accepts() {
        for kind in Kind::ALL.into_iter().filter(|k| k.implemented()) {
            let fields = form_fields(kind);
            assert!(!fields.is_empty(), "{kind:?} has no form");
            let answers: Answers = fields.iter().map(|f| (f.name.to_string(), sample(f.name).to_string())).collect();
            for f in &fields {
                assert!(ANSWER_NAMES.contains(&f.name), "{} not carried by the wizard", f.name);
            }
            assert!(parse(kind, "1", &answers).is_ok(), "{kind:?}: {:?}", parse(kind, "1", &answers));
        }
    }
}
