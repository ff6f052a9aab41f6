//! Smart-Task kinds (Msg. INPS 4583/2023) and the typed requests their answers parse into.
//! Parsing runs in the browser (instant feedback) and on the server (authority).

use crate::dto::FieldError;
use crate::ids::{Email, Telefono};
use crate::money::Euro;
use crate::periodo::Periodo;
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
        // Every kind listed here is examined; kinds 9–17 join the enum when their rules exist.
        match self {
            Kind::CancellazioneContattiAnomaliNdr
            | Kind::RicalcoloNotaRettifica
            | Kind::RettificaPeriodoPagamento
            | Kind::RevocaDelegaIntermediario
            | Kind::RevocaDelegaDipendente
            | Kind::VariazioneContattiIntermediario
            | Kind::VariazioneContattiDipendente
            | Kind::VariazionePecAziendale => true,
        }
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
    /// Kind 1: the notification contact to delete, and why the user asks.
    CancellazioneContatto {
        contatto_id: i64,
        motivo: MotivoCancellazione,
    },
    /// Kind 2: the nota di rettifica to recompute, and the event the user relies on.
    RicalcoloNota {
        nota_id: i64,
        motivo: MotivoRicalcolo,
    },
    /// Kind 3: the F24 payment line, the period it should count for and how much of it.
    RettificaPagamento {
        pagamento_id: i64,
        periodo_corretto: Periodo,
        importo: Euro,
    },
}

/// Why a notification contact should go (kind 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MotivoCancellazione {
    MancataConsegna,
    CasellaPiena,
    IndirizzoNonValido,
    NonPec,
    DelegaCessata,
}

/// The new event a recomputation relies on (kind 2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MotivoRicalcolo {
    VariazioneUniemens,
    Pagamento,
    Riallocazione,
}

pub const MOTIVI_CANCELLAZIONE: &[(&str, &str)] = &[
    ("mancata_consegna", "Mancata consegna dei messaggi"),
    ("casella_piena", "Casella piena"),
    ("indirizzo_non_valido", "Indirizzo non valido o inesistente"),
    ("non_pec", "L'indirizzo non è una PEC"),
    ("delega_cessata", "È di un intermediario o dipendente la cui delega è cessata"),
];

pub const MOTIVI_RICALCOLO: &[(&str, &str)] = &[
    ("variazione_uniemens", "Ho inviato una variazione UniEmens per il periodo"),
    ("pagamento", "Ho pagato quanto dovuto con F24"),
    ("riallocazione", "Un pagamento è stato attribuito al periodo (rettifica del periodo di riferimento)"),
];

impl MotivoCancellazione {
    pub fn from_code(c: &str) -> Option<Self> {
        use MotivoCancellazione::*;
        Some(match c {
            "mancata_consegna" => MancataConsegna,
            "casella_piena" => CasellaPiena,
            "indirizzo_non_valido" => IndirizzoNonValido,
            "non_pec" => NonPec,
            "delega_cessata" => DelegaCessata,
            _ => return None,
        })
    }
}

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

/// The chosen target's id (from the previous step, never typed).
fn target(errors: &mut Vec<FieldError>, oggetto: &str, message: &str) -> Option<i64> {
    let id = oggetto.trim().parse::<i64>().ok().filter(|n| *n > 0);
    if id.is_none() {
        field(errors, "oggetto", "invalid", message);
    }
    id
}

/// One of a fixed list of answers.
fn choice<T>(
    errors: &mut Vec<FieldError>,
    a: &Answers,
    name: &str,
    from: impl Fn(&str) -> Option<T>,
    message: &str,
) -> Option<T> {
    let v = text(a, name);
    let parsed = from(v);
    if parsed.is_none() {
        field(errors, name, if v.is_empty() { "empty" } else { "invalid" }, message);
    }
    parsed
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
        Kind::CancellazioneContattiAnomaliNdr => {
            let contatto_id = target(&mut errors, oggetto, "Scegliere il contatto da cancellare.");
            let motivo = choice(
                &mut errors,
                a,
                "motivo",
                MotivoCancellazione::from_code,
                "Indicare perché il contatto va cancellato.",
            );
            match (contatto_id, motivo) {
                (Some(contatto_id), Some(motivo)) => Some(Parsed::CancellazioneContatto { contatto_id, motivo }),
                _ => None,
            }
        }
        Kind::RicalcoloNotaRettifica => {
            let nota_id = target(&mut errors, oggetto, "Scegliere la nota di rettifica da ricalcolare.");
            let motivo = choice(
                &mut errors,
                a,
                "motivo",
                MotivoRicalcolo::from_code,
                "Indicare il fatto nuovo per cui chiede il ricalcolo.",
            );
            match (nota_id, motivo) {
                (Some(nota_id), Some(motivo)) => Some(Parsed::RicalcoloNota { nota_id, motivo }),
                _ => None,
            }
        }
        Kind::RettificaPeriodoPagamento => {
            let pagamento_id = target(&mut errors, oggetto, "Scegliere il pagamento da rettificare.");
            let periodo = match Periodo::parse(text(a, "periodo_corretto")) {
                Ok(p) => Some(p),
                Err(e) => {
                    field(&mut errors, "periodo_corretto", e.code(), format!("Periodo corretto non valido. {e}"));
                    None
                }
            };
            let importo = match Euro::parse_it(text(a, "importo")) {
                Ok(e) if e.cents() > 0 => Some(e),
                Ok(_) => {
                    field(&mut errors, "importo", "range", "L'importo da spostare deve essere maggiore di zero.");
                    None
                }
                Err(e) => {
                    field(&mut errors, "importo", "format", format!("Importo non valido. {e}"));
                    None
                }
            };
            match (pagamento_id, periodo, importo) {
                (Some(pagamento_id), Some(periodo_corretto), Some(importo)) => {
                    Some(Parsed::RettificaPagamento { pagamento_id, periodo_corretto, importo })
                }
                _ => None,
            }
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
    fn cancellazione_contatto_answers() {
        assert_eq!(
            parse(Kind::CancellazioneContattiAnomaliNdr, "5", &answers(&[("motivo", "casella_piena")])),
            Ok(Parsed::CancellazioneContatto { contatto_id: 5, motivo: MotivoCancellazione::CasellaPiena })
        );
        let e = parse(Kind::CancellazioneContattiAnomaliNdr, "", &answers(&[("motivo", "capriccio")])).unwrap_err();
        let got: Vec<_> = e.iter().map(|e| (e.field.as_str(), e.code.as_str())).collect();
        assert_eq!(got, [("oggetto", "invalid"), ("motivo", "invalid")]);
        let e = parse(Kind::CancellazioneContattiAnomaliNdr, "5", &answers(&[])).unwrap_err();
        assert_eq!((e[0].field.as_str(), e[0].code.as_str()), ("motivo", "empty"));
        for (code, _) in MOTIVI_CANCELLAZIONE {
            assert!(MotivoCancellazione::from_code(code).is_some(), "{code}");
        }
    }

    #[test]
    fn ricalcolo_answers() {
        assert_eq!(
            parse(Kind::RicalcoloNotaRettifica, "9", &answers(&[("motivo", "variazione_uniemens")])),
            Ok(Parsed::RicalcoloNota { nota_id: 9, motivo: MotivoRicalcolo::VariazioneUniemens })
        );
        assert!(parse(Kind::RicalcoloNotaRettifica, "-1", &answers(&[("motivo", "pagamento")])).is_err());
        for (code, _) in MOTIVI_RICALCOLO {
            assert!(MotivoRicalcolo::from_code(code).is_some(), "{code}");
        }
    }

    #[test]
    fn rettifica_pagamento_answers() {
        assert_eq!(
            parse(
                Kind::RettificaPeriodoPagamento,
                "3",
                &answers(&[("periodo_corretto", "04/2026"), ("importo", "1.500,00")])
            ),
            Ok(Parsed::RettificaPagamento {
                pagamento_id: 3,
                periodo_corretto: Periodo::new(2026, 4).unwrap(),
                importo: Euro::from_cents(150_000)
            })
        );
        let e =
            parse(Kind::RettificaPeriodoPagamento, "3", &answers(&[("periodo_corretto", "13/2026"), ("importo", "0")]))
                .unwrap_err();
        let got: Vec<_> = e.iter().map(|e| (e.field.as_str(), e.code.as_str())).collect();
        assert_eq!(got, [("periodo_corretto", "range"), ("importo", "range")]);
        let e =
            parse(Kind::RettificaPeriodoPagamento, "3", &answers(&[("periodo_corretto", "2026"), ("importo", "abc")]))
                .unwrap_err();
        let got: Vec<_> = e.iter().map(|e| (e.field.as_str(), e.code.as_str())).collect();
        assert_eq!(got, [("periodo_corretto", "format"), ("importo", "format")]);
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
    /// HTML input type, or "select" for a choice among `options`.
    pub input: &'static str,
    /// (value, label) of each choice when `input` is "select".
    pub options: &'static [(&'static str, &'static str)],
}

/// Every answer name any form uses (the wizard keeps them in the address).
pub const ANSWER_NAMES: [&str; 8] =
    ["data_effetto", "pec", "email", "telefono", "cellulare", "motivo", "periodo_corretto", "importo"];

/// The questions a kind still needs once the target is chosen (the rest is already known).
pub fn form_fields(kind: Kind) -> Vec<FieldSpec> {
    let f = |name, label, hint, input| FieldSpec { name, label, hint, input, options: &[] };
    let select = |name, label, hint, options| FieldSpec { name, label, hint, input: "select", options };
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
        Kind::CancellazioneContattiAnomaliNdr => vec![select(
            "motivo",
            "Perché il contatto va cancellato",
            "Le note di rettifica continueranno ad arrivare agli altri contatti validi.",
            MOTIVI_CANCELLAZIONE,
        )],
        Kind::RicalcoloNotaRettifica => vec![select(
            "motivo",
            "Fatto nuovo dopo l'emissione della nota",
            "Il ricalcolo tiene conto di quanto è arrivato a INPS dopo l'emissione.",
            MOTIVI_RICALCOLO,
        )],
        Kind::RettificaPeriodoPagamento => vec![
            f(
                "periodo_corretto",
                "Periodo a cui il pagamento si riferisce davvero",
                "Mese e anno, ad esempio 03/2026.",
                "text",
            ),
            f(
                "importo",
                "Importo da attribuire al periodo corretto (euro)",
                "Ad esempio 1.500,00. Non può superare l'importo del pagamento.",
                "text",
            ),
        ],
    }
}

#[cfg(test)]
mod form_tests {
    use super::*;

    fn sample(name: &str) -> &'static str {
        match name {
            "data_effetto" => "31/12/2030",
            "periodo_corretto" => "03/2026",
            "importo" => "10,00",
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
            let answers: Answers = fields
                .iter()
                .map(|f| (f.name.to_string(), f.options.first().map(|o| o.0).unwrap_or(sample(f.name)).to_string()))
                .collect();
            for f in fields.iter().filter(|f| f.input == "select") {
                assert!(!f.options.is_empty(), "{} has no options", f.name);
            }
            for f in &fields {
                assert!(ANSWER_NAMES.contains(&f.name), "{} not carried by the wizard", f.name);
            }
            assert!(parse(kind, "1", &answers).is_ok(), "{kind:?}: {:?}", parse(kind, "1", &answers));
        }
    }
}
