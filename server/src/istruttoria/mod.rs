//! Automated examination (istruttoria) of Smart-Task requests.
//!
//! `decide(kind, request, facts, params)` is pure and deterministic: the facts snapshot and the
//! parameters in force on the request's reference date are loaded beforehand ([`facts`]), and
//! stored with the decision, so any past decision can be replayed.

pub mod contatti;
pub mod contatti_anomali;
pub mod facts;
pub mod nota_rettifica;
pub mod pec_aziendale;
pub mod rettifica_pagamento;
pub mod revoca_delega;
pub mod worker;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use shared::smart_task::{Kind, Parsed};

/// Version of the rules. Change it whenever a check or its meaning changes.
pub const RULESET: &str = "2026.11-2";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Esito {
    Ok,
    Ko,
    /// The automation cannot tell: a person at the branch decides.
    Verifica,
}

/// One check as shown to the contributor and to the operator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Check {
    pub codice: String,
    pub descrizione: String,
    pub esito: Esito,
    /// In plain Italian: why it passed or failed, and on failure what to do.
    pub motivo: String,
    pub riferimento: String,
    /// The facts and parameter values this check read.
    pub letti: serde_json::Value,
}

/// A named check: its stable code, description and reference.
pub struct Rule {
    pub codice: &'static str,
    pub descrizione: &'static str,
    pub riferimento: &'static str,
}

impl Rule {
    pub fn check(
        &self,
        ok: bool,
        motivo_ok: impl Into<String>,
        motivo_ko: impl Into<String>,
        letti: serde_json::Value,
    ) -> Check {
        Check {
            codice: self.codice.into(),
            descrizione: self.descrizione.into(),
            esito: if ok { Esito::Ok } else { Esito::Ko },
            motivo: if ok { motivo_ok.into() } else { motivo_ko.into() },
            riferimento: self.riferimento.into(),
            letti,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Accolta,
    NonAccolta,
    /// Sent to the branch with the reason (no effect applied).
    InCaricoSede,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "tipo", rename_all = "snake_case")]
pub enum Effect {
    /// Set `revocata_dal` on the delega (never retroactive).
    RevocaDelega {
        delega_id: i64,
        dal: NaiveDate,
    },
    AggiornaPecAzienda {
        contribuente_id: i64,
        pec: String,
    },
    /// Only the contacts given change.
    AggiornaContattiIntermediario {
        intermediario_id: i64,
        contatti: shared::smart_task::Contatti,
    },
    AggiornaContattiPersona {
        persona_id: i64,
        contatti: shared::smart_task::Contatti,
    },
    /// Logical deletion of a notification contact.
    CancellaContattoNotifica {
        contatto_id: i64,
    },
    /// A new version of the note, computed from version `versione`.
    RicalcolaNota {
        nota_id: i64,
        versione: i64,
        importo_prima_cents: i64,
        importo_dopo_cents: i64,
        esito: String,
    },
    /// Moves `importo_cents` of the payment from period `da` to period `a`.
    SpostaPagamento {
        pagamento_id: i64,
        da: shared::periodo::Periodo,
        a: shared::periodo::Periodo,
        importo_cents: i64,
        importo_pagamento_cents: i64,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decision {
    pub outcome: Outcome,
    pub checks: Vec<Check>,
    pub effects: Vec<Effect>,
    pub ruleset: String,
}

impl Decision {
    fn from_checks(checks: Vec<Check>, effects: Vec<Effect>) -> Decision {
        // A failed check refuses; otherwise a check the automation cannot settle sends it to a person.
        let outcome = if checks.iter().any(|c| c.esito == Esito::Ko) {
            Outcome::NonAccolta
        } else if checks.iter().any(|c| c.esito == Esito::Verifica) {
            Outcome::InCaricoSede
        } else {
            Outcome::Accolta
        };
        Decision {
            outcome,
            effects: if outcome == Outcome::Accolta { effects } else { vec![] },
            checks,
            ruleset: RULESET.into(),
        }
    }

    /// The reasons shown when the request is not accepted (or why it went to the branch).
    pub fn motivi(&self) -> Vec<String> {
        let wanted = if self.outcome == Outcome::InCaricoSede { Esito::Verifica } else { Esito::Ko };
        self.checks.iter().filter(|c| c.esito == wanted).map(|c| c.motivo.clone()).collect()
    }
}

/// Common checks (domain.md §4.1), run for every kind.
pub const C1_LEGITTIMAZIONE: Rule = Rule {
    codice: "ST00.RICHIEDENTE_LEGITTIMATO",
    descrizione: "Chi presenta la richiesta può operare per il contribuente",
    riferimento: "Circ. INPS 28/2011 (deleghe); Msg. INPS 4583/2023",
};
pub const C4_NESSUNA_RICHIESTA_APERTA: Rule = Rule {
    codice: "ST00.NESSUNA_RICHIESTA_APERTA",
    descrizione: "Non ci sono altre richieste in lavorazione per lo stesso oggetto",
    riferimento: "Regola di progetto: una sola richiesta aperta per oggetto",
};

/// Facts common to every kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommonFacts {
    pub data_riferimento: NaiveDate,
    /// How the requester may act for the contributor today (None: not at all).
    pub titolo_richiedente: Option<String>,
    pub richieste_aperte_stesso_oggetto: i64,
}

pub fn common_checks(f: &CommonFacts) -> Vec<Check> {
    vec![
        C1_LEGITTIMAZIONE.check(
            f.titolo_richiedente.is_some(),
            format!("Il richiedente opera come: {}.", f.titolo_richiedente.as_deref().unwrap_or("")),
            "Alla data della richiesta il richiedente non era titolare, rappresentante legale o delegato del contribuente.",
            serde_json::json!({ "titolo_richiedente": f.titolo_richiedente }),
        ),
        C4_NESSUNA_RICHIESTA_APERTA.check(
            f.richieste_aperte_stesso_oggetto == 0,
            "Nessuna altra richiesta aperta per lo stesso oggetto.",
            "Esiste già una richiesta in lavorazione per lo stesso oggetto: attenderne l'esito prima di presentarne un'altra.",
            serde_json::json!({ "richieste_aperte_stesso_oggetto": f.richieste_aperte_stesso_oggetto }),
        ),
    ]
}

/// Everything a kind's rules may read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "tipo", rename_all = "snake_case")]
pub enum KindFacts {
    RevocaDelega(revoca_delega::Facts),
    PecAziendale(pec_aziendale::Facts),
    ContattiIntermediario(contatti::IntermediarioFacts),
    ContattiDipendente(contatti::DipendenteFacts),
    ContattiAnomali(contatti_anomali::Facts),
    NotaRettifica(nota_rettifica::Facts),
    RettificaPagamento(rettifica_pagamento::Facts),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snapshot {
    pub common: CommonFacts,
    pub kind: KindFacts,
    /// Parameter values in force on the reference date, by name.
    pub parametri: std::collections::BTreeMap<String, String>,
}

/// The decision for a request. Pure: same inputs, same decision.
pub fn decide(kind: Kind, request: &Parsed, s: &Snapshot) -> Decision {
    let mut checks = common_checks(&s.common);
    let mut effects = vec![];
    match (request, &s.kind) {
        (Parsed::RevocaDelega { delega_id, data_effetto }, KindFacts::RevocaDelega(f)) => {
            let (c, e) = revoca_delega::rules(kind, *delega_id, *data_effetto, f, &s.common, &s.parametri);
            checks.extend(c);
            effects.extend(e);
        }
        (Parsed::VariazionePec { pec }, KindFacts::PecAziendale(f)) => {
            let (c, e) = pec_aziendale::rules(pec.as_str(), f);
            checks.extend(c);
            effects.extend(e);
        }
        (Parsed::VariazioneContatti { contatti: c, .. }, KindFacts::ContattiIntermediario(f)) => {
            let (c, e) = contatti::rules_intermediario(c, f);
            checks.extend(c);
            effects.extend(e);
        }
        (Parsed::VariazioneContatti { contatti: c, .. }, KindFacts::ContattiDipendente(f)) => {
            let (c, e) = contatti::rules_dipendente(c, f, &s.common);
            checks.extend(c);
            effects.extend(e);
        }
        (Parsed::CancellazioneContatto { contatto_id, motivo }, KindFacts::ContattiAnomali(f)) => {
            let (c, e) = contatti_anomali::rules(*contatto_id, *motivo, f, &s.common);
            checks.extend(c);
            effects.extend(e);
        }
        (Parsed::RicalcoloNota { nota_id, motivo }, KindFacts::NotaRettifica(f)) => {
            let (c, e) = nota_rettifica::rules(*nota_id, *motivo, f, &s.common);
            checks.extend(c);
            effects.extend(e);
        }
        (Parsed::RettificaPagamento { pagamento_id, periodo_corretto, importo }, KindFacts::RettificaPagamento(f)) => {
            let (c, e) =
                rettifica_pagamento::rules(*pagamento_id, *periodo_corretto, *importo, f, &s.common, &s.parametri);
            checks.extend(c);
            effects.extend(e);
        }
        _ => checks.push(Check {
            codice: "ST00.DATI_COERENTI".into(),
            descrizione: "I dati raccolti corrispondono al tipo di richiesta".into(),
            esito: Esito::Ko,
            motivo: "I dati della richiesta non corrispondono al tipo scelto.".into(),
            riferimento: "Controllo tecnico".into(),
            letti: serde_json::Value::Null,
        }),
    }
    Decision::from_checks(checks, effects)
}
