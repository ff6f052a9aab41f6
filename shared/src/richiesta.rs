//! What every request shares, Smart-Task or two-way: its view, checks, timeline, list filter
//! and page, and the notifications it produces.

use serde::{Deserialize, Serialize};

/// The state of a request. A Smart-Task goes Inviata → In istruttoria → Accolta / Non accolta,
/// or In carico alla sede when the automation cannot decide (then the branch closes it Accolta
/// or Non accolta); a two-way request goes Aperta → In carico → Chiusa.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stato {
    Inviata,
    InIstruttoria,
    InCaricoSede,
    Accolta,
    NonAccolta,
    Aperta,
    InCarico,
    Chiusa,
}

impl Stato {
    pub const ALL: [Stato; 8] = [
        Stato::Inviata,
        Stato::InIstruttoria,
        Stato::InCaricoSede,
        Stato::Accolta,
        Stato::NonAccolta,
        Stato::Aperta,
        Stato::InCarico,
        Stato::Chiusa,
    ];

    /// As stored and as the API writes it.
    pub fn code(self) -> &'static str {
        match self {
            Stato::Inviata => "inviata",
            Stato::InIstruttoria => "in_istruttoria",
            Stato::InCaricoSede => "in_carico_sede",
            Stato::Accolta => "accolta",
            Stato::NonAccolta => "non_accolta",
            Stato::Aperta => "aperta",
            Stato::InCarico => "in_carico",
            Stato::Chiusa => "chiusa",
        }
    }

    pub fn from_code(code: &str) -> Option<Stato> {
        Stato::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Stato::Inviata => "Inviata",
            Stato::InIstruttoria => "In istruttoria",
            Stato::InCaricoSede => "In carico alla sede",
            Stato::Accolta => "Accolta",
            Stato::NonAccolta => "Non accolta",
            Stato::Aperta => "Aperta",
            Stato::InCarico => "In carico",
            Stato::Chiusa => "Chiusa",
        }
    }

    /// The automated examination has not answered yet (the page keeps looking).
    pub fn in_esame(self) -> bool {
        matches!(self, Stato::Inviata | Stato::InIstruttoria)
    }

    /// Nothing more happens to it: its outcome is known.
    pub fn is_final(self) -> bool {
        matches!(self, Stato::Accolta | Stato::NonAccolta | Stato::Chiusa)
    }

    /// The branch can work it: a Smart-Task the automation sent to it, or a two-way request not
    /// yet closed.
    pub fn lavorabile_dalla_sede(self) -> bool {
        matches!(self, Stato::InCaricoSede | Stato::Aperta | Stato::InCarico)
    }

    /// The states that satisfy `pred`, as an SQL list (`'inviata', 'in_istruttoria'`): the
    /// queries use the same definitions as the code.
    pub fn sql_list(pred: impl Fn(Stato) -> bool) -> String {
        Stato::ALL.into_iter().filter(|s| pred(*s)).map(|s| format!("'{}'", s.code())).collect::<Vec<_>>().join(", ")
    }
}

impl std::fmt::Display for Stato {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod stato_tests {
    use super::*;

    #[test]
    fn codes_roundtrip_and_agree_with_serde() {
        for s in Stato::ALL {
            assert_eq!(Stato::from_code(s.code()), Some(s));
            assert_eq!(serde_json::to_value(s).unwrap(), serde_json::Value::String(s.code().into()));
        }
        assert_eq!(Stato::from_code("presa_in_carico"), None);
        assert_eq!(stato_richiesta_label("presa_in_carico"), "Presa in carico da un operatore");
        assert_eq!(stato_richiesta_label("non_accolta"), "Non accolta");
    }

    #[test]
    fn each_state_is_in_exactly_one_phase() {
        for s in Stato::ALL {
            let phases = [s.in_esame(), s.is_final(), s.lavorabile_dalla_sede()];
            assert_eq!(phases.iter().filter(|p| **p).count(), 1, "{s:?}");
        }
        assert_eq!(Stato::sql_list(Stato::in_esame), "'inviata', 'in_istruttoria'");
    }
}

/// The outcome of one check.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Esito {
    Ok,
    Ko,
    /// The automation cannot tell: a person at the branch decides.
    Verifica,
}

impl Esito {
    pub fn label(self) -> &'static str {
        match self {
            Esito::Ok => "Superato",
            Esito::Ko => "Non superato",
            Esito::Verifica => "Da verificare in sede",
        }
    }
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckView {
    pub codice: String,
    pub descrizione: String,
    pub esito: Esito,
    pub motivo: String,
    pub riferimento: String,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventView {
    pub stato: String,
    pub at: String,
    pub nota: Option<String>,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestView {
    pub protocollo: String,
    pub tipo: String,
    pub descrizione: String,
    pub smart_task: bool,
    /// The company the request belongs to; none for a prestazioni occasionali user's own
    /// support request (a person, who writes to the sede of its registration).
    pub soggetto_id: Option<i64>,
    pub oggetto: String,
    pub stato: Stato,
    pub stato_label: String,
    pub data_riferimento: String,
    pub inviata_il: String,
    pub risposte: std::collections::BTreeMap<String, String>,
    pub motivo: Option<String>,
    pub ruleset: Option<String>,
    pub controlli: Vec<CheckView>,
    pub eventi: Vec<EventView>,
    /// The conversation: the branch's replies (never its internal notes) and, on two-way
    /// requests, the contributor's follow-up messages.
    #[serde(default)]
    pub messaggi_sede: Vec<OperatorNote>,
    /// Attachments (two-way requests).
    #[serde(default)]
    pub allegati: Vec<AllegatoView>,
}

/// The label of a timeline event: a state, or the taking in charge by an operator.
pub fn stato_richiesta_label(stato: &str) -> &'static str {
    match (stato, Stato::from_code(stato)) {
        (_, Some(s)) => s.label(),
        ("presa_in_carico", None) => "Presa in carico da un operatore",
        _ => "Sconosciuto",
    }
}

/// Filters of the request list; every field optional, as typed in the page or the API query.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestFilter {
    #[serde(default)]
    pub stato: Option<String>,
    /// Kind code.
    #[serde(default)]
    pub tipo: Option<String>,
    #[serde(default)]
    pub matricola: Option<String>,
    /// Sent from (gg/mm/aaaa or aaaa-mm-gg), Italian date.
    #[serde(default)]
    pub dal: Option<String>,
    /// Sent up to and including.
    #[serde(default)]
    pub al: Option<String>,
    /// 1-based page number.
    #[serde(default)]
    pub pagina: Option<u32>,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestPage {
    pub richieste: Vec<RequestView>,
    pub pagina: u32,
    pub pagine: u32,
    pub per_pagina: u32,
    pub totale: i64,
}

/// A request as a list shows it: what it is, its state and when it was sent (the list page
/// reads no more than this: not the checks, the answers or the timeline of each request).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestSummary {
    pub protocollo: String,
    pub descrizione: String,
    pub smart_task: bool,
    pub stato: Stato,
    pub stato_label: String,
    pub inviata_il: String,
}

impl From<RequestView> for RequestSummary {
    fn from(r: RequestView) -> RequestSummary {
        RequestSummary {
            protocollo: r.protocollo,
            descrizione: r.descrizione,
            smart_task: r.smart_task,
            stato: r.stato,
            stato_label: r.stato_label,
            inviata_il: r.inviata_il,
        }
    }
}

/// A page of a subject's requests as the list page shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SummaryPage {
    pub richieste: Vec<RequestSummary>,
    pub pagina: u32,
    pub pagine: u32,
    pub per_pagina: u32,
    pub totale: i64,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotificationView {
    pub id: i64,
    pub testo: String,
    pub protocollo: Option<String>,
    pub creata_il: String,
    pub letta: bool,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotificationsView {
    pub non_lette: i64,
    pub notifiche: Vec<NotificationView>,
}

/// An e-mail as queued for sending (development mailbox).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailView {
    pub id: i64,
    pub destinatario: String,
    pub oggetto: String,
    pub corpo: String,
    pub stato: String,
    pub tentativi: i64,
    pub errore: Option<String>,
    pub creata_il: String,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OperatorNote {
    pub autore: String,
    pub testo: String,
    /// Internal notes are never shown to the contributor.
    pub interna: bool,
    /// Written by the contributor (a follow-up on a two-way request), not by the branch.
    #[serde(default)]
    pub dal_contribuente: bool,
    pub at: String,
}

/// A message the contributor adds to an open two-way request.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NuovoMessaggio {
    pub testo: String,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AllegatoView {
    pub id: i64,
    pub nome: String,
    pub tipo: String,
    pub dimensione: i64,
}
