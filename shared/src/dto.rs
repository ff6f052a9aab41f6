//! What the server sends to the pages and to API clients.

use crate::roles::Role;
use serde::{Deserialize, Serialize};

/// RFC 9457 problem details, the body of every API error (`application/problem+json`).
/// `detail` is the Italian message for the person; `code` is stable for programs.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    pub code: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub code: String,
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.detail)
    }
}

impl std::error::Error for Problem {}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SedeView {
    pub codice: String,
    pub nome: String,
    pub regione: String,
}

/// How the current user may act for a subject.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "tipo", rename_all = "snake_case")]
pub enum AccessBasis {
    /// Titolare or legal representative (soggetto collegato with an active relation).
    RappresentanteLegale { ruolo: String },
    /// A delega valid today; `fine` is its last valid day, if any.
    Delega { ruolo: String, inizio: String, fine: Option<String> },
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubjectSummary {
    pub id: i64,
    pub ragione_sociale: String,
    pub codice_fiscale: String,
    pub partita_iva: Option<String>,
    pub basis: AccessBasis,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionView {
    pub user_id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub sede: Option<SedeView>,
    pub regione: Option<String>,
    pub acting_for: Option<SubjectSummary>,
    /// Unread notifications of the subject acted for (shown in the header).
    #[serde(default)]
    pub notifiche_non_lette: i64,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PosizioneView {
    pub matricola: String,
    pub stato: i64,
    pub stato_label: String,
    pub stato_dal: String,
}

/// The Cassetto home of the subject acted for.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompanyHome {
    pub subject: SubjectSummary,
    pub pec: Option<String>,
    pub sede: SedeView,
    pub posizioni: Vec<PosizioneView>,
    pub deleghe_attive: i64,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OperatorView {
    pub user_id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub sede_codice: Option<String>,
    pub regione: Option<String>,
    /// Optimistic version of the profile: send it back to update only what you have read.
    pub version: i64,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssignOperator {
    pub role: Role,
    pub sede_codice: Option<String>,
    pub regione: Option<String>,
    pub note: String,
    /// When given, the update applies only if the profile still has this version (else 409).
    #[serde(default)]
    pub expected_version: Option<i64>,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRecordView {
    pub seq: i64,
    pub at: String,
    pub actor: String,
    pub entity: String,
    pub entity_id: String,
    pub action: String,
    pub note: Option<String>,
    /// The record's before/after JSON (shown to operators with a request's audit trail).
    #[serde(default)]
    pub before: Option<String>,
    #[serde(default)]
    pub after: Option<String>,
}

/// Position states (domain.md §4.2).
pub fn stato_posizione_label(stato: i64) -> &'static str {
    match stato {
        1 => "Attiva",
        2 => "Cessata provvisoria",
        3 => "Cessata definitiva",
        4 => "Sospesa",
        5 => "Riattivata",
        6 => "Fallita",
        _ => "Sconosciuto",
    }
}

/// The home page of the signed-in user, by role.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum HomeData {
    /// A Cassetto user who has not chosen whom to act for yet.
    ChooseSubject {
        subjects: Vec<SubjectSummary>,
    },
    Cassetto {
        company: CompanyHome,
    },
    Presto {
        descrizione: String,
        sede: Option<SedeView>,
        dettagli: Vec<(String, String)>,
    },
    Operatore {
        ambito: String,
        contribuenti_in_ambito: i64,
        posizioni_in_ambito: i64,
    },
    Amministratore {
        operatori: i64,
    },
}

/// A Smart-Task kind as offered to the user.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KindView {
    pub codice: String,
    pub numero: u8,
    pub descrizione: String,
    /// False for kinds whose automated examination is not available yet.
    pub disponibile: bool,
}

/// Something a request can act on, chosen from the subject's own data.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TargetView {
    pub id: String,
    pub descrizione: String,
    /// What INPS already knows about the target, shown above the form (label, value).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<Vec<String>>))]
    pub dati: Vec<(String, String)>,
    /// Answers pre-filled from the target (the user may change them).
    #[serde(default)]
    pub predefiniti: std::collections::BTreeMap<String, String>,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubmitRequest {
    pub tipo: String,
    /// The company; defaults to the one the session acts for.
    #[serde(default)]
    pub soggetto_id: Option<i64>,
    pub oggetto: String,
    #[serde(default)]
    pub risposte: std::collections::BTreeMap<String, String>,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckView {
    pub codice: String,
    pub descrizione: String,
    pub esito: String,
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
    pub soggetto_id: i64,
    pub oggetto: String,
    pub stato: String,
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

pub fn stato_richiesta_label(stato: &str) -> &'static str {
    match stato {
        "inviata" => "Inviata",
        "in_istruttoria" => "In istruttoria",
        "accolta" => "Accolta",
        "non_accolta" => "Non accolta",
        "in_carico_sede" => "In carico alla sede",
        "presa_in_carico" => "Presa in carico da un operatore",
        "aperta" => "Aperta",
        "in_carico" => "In carico",
        "chiusa" => "Chiusa",
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

/// States a request can be in, with their labels (for filters).
pub const STATI_RICHIESTA: [&str; 8] =
    ["inviata", "in_istruttoria", "in_carico_sede", "accolta", "non_accolta", "aperta", "in_carico", "chiusa"];

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

/// A personal API token as listed (the secret is never shown again).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiTokenView {
    pub id: i64,
    pub nome: String,
    /// First characters, to tell tokens apart.
    pub prefisso: String,
    pub creato_il: String,
    pub ultimo_uso: Option<String>,
    pub revocato_il: Option<String>,
}

/// A token just created: `token` is shown this once.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewApiToken {
    pub token: String,
    pub dettagli: ApiTokenView,
}

// ---- Fascicolo elettronico (branch operators) ----

/// A contributor found by an operator's search.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContributorHit {
    pub id: i64,
    pub ragione_sociale: String,
    pub codice_fiscale: String,
    pub partita_iva: Option<String>,
    pub sede: String,
    /// Whether the operator may act (not only read) on this contributor.
    pub puo_agire: bool,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatoStorico {
    pub stato: i64,
    pub stato_label: String,
    pub dal: String,
    pub al: Option<String>,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PosizioneFascicolo {
    pub matricola: String,
    pub stato: i64,
    pub stato_label: String,
    pub sede: String,
    pub storia: Vec<StatoStorico>,
}

/// One row of a table in the Fascicolo: labelled cells, already formatted in Italian.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Riga {
    pub celle: Vec<String>,
    /// For rows that stand out (ended, cancelled, anomalous).
    pub attenuata: bool,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tabella {
    pub titolo: String,
    pub colonne: Vec<String>,
    pub righe: Vec<Riga>,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FascicoloView {
    pub id: i64,
    pub ragione_sociale: String,
    pub codice_fiscale: String,
    pub partita_iva: Option<String>,
    pub natura_giuridica: String,
    pub pec: Option<String>,
    pub sede: SedeView,
    pub puo_agire: bool,
    pub posizioni: Vec<PosizioneFascicolo>,
    /// Soggetti collegati, deleghe, notes di rettifica, payments, notification contacts.
    pub tabelle: Vec<Tabella>,
    pub richieste: RequestPage,
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

/// A request as the operator sees it: everything the contributor sees plus what each check
/// read, the effects applied and the audit records they produced.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OperatorRequestView {
    pub richiesta: RequestView,
    pub ragione_sociale: String,
    /// Per check code, the facts and parameter values it read (pretty JSON).
    pub letti: Vec<(String, String)>,
    /// The effects applied (pretty JSON), empty when none.
    pub effetti: Vec<String>,
    pub fatti: Option<String>,
    pub audit: Vec<AuditRecordView>,
    pub note: Vec<OperatorNote>,
    pub operatore_in_carico: Option<String>,
    pub puo_agire: bool,
    pub version: i64,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReplayView {
    pub identica: bool,
    pub ruleset_memorizzato: String,
    pub ruleset_attuale: String,
    pub esito_memorizzato: String,
    pub esito_ricalcolato: String,
    pub controlli_ricalcolati: Vec<CheckView>,
    /// What differs, in words (empty when identical).
    pub differenze: Vec<String>,
}

/// A request in the branch queue.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueItem {
    pub richiesta: RequestView,
    pub ragione_sociale: String,
    pub operatore_in_carico: Option<String>,
    /// The contributor wrote last and is waiting for the branch.
    #[serde(default)]
    pub attende_sede: bool,
}

// ---- Comunicazioni bidirezionali (standard two-way requests) ----

/// The two-level object tree of a two-way request (Msg. INPS 16719/2009): (code, label, children).
/// (code, label) of a second-level object.
pub type Sottoggetto = (&'static str, &'static str);
pub const OGGETTI_BIDIREZIONALI: &[(&str, &str, &[Sottoggetto])] = &[
    (
        "regolarita",
        "Regolarità contributiva",
        &[("durc", "DURC on line"), ("irregolarita", "Segnalazione di irregolarità"), ("altro", "Altro")],
    ),
    (
        "dm",
        "Denunce contributive (UniEmens/DM10)",
        &[("variazione", "Variazione di una denuncia"), ("note_rettifica", "Note di rettifica"), ("altro", "Altro")],
    ),
    (
        "f24",
        "Versamenti F24",
        &[("attribuzione", "Attribuzione di un versamento"), ("rimborso", "Rimborso"), ("altro", "Altro")],
    ),
    (
        "anagrafica",
        "Anagrafica e posizione contributiva",
        &[("variazione", "Variazione dati"), ("sospensione", "Sospensione o cessazione"), ("altro", "Altro")],
    ),
    ("generica", "Richiesta generica", &[("altro", "Altro")]),
];

/// Label "Livello 1 – Livello 2" of an object code `livello1/livello2`, if it exists.
pub fn oggetto_bidirezionale_label(code: &str) -> Option<String> {
    let (a, b) = code.split_once('/')?;
    let (_, l1, children) = OGGETTI_BIDIREZIONALI.iter().find(|(c, _, _)| *c == a)?;
    let (_, l2) = children.iter().find(|(c, _)| *c == b)?;
    Some(format!("{l1} – {l2}"))
}

/// An attachment as sent through the API (content in standard base64).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AllegatoIn {
    pub nome: String,
    pub contenuto_base64: String,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NuovaComunicazione {
    #[serde(default)]
    pub soggetto_id: Option<i64>,
    /// `livello1/livello2`, from [`OGGETTI_BIDIREZIONALI`].
    pub oggetto: String,
    pub testo: String,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub telefono: Option<String>,
    #[serde(default)]
    pub allegati: Vec<AllegatoIn>,
}

/// At most this many attachments per two-way request, each at most this size.
pub const ALLEGATI_MAX: usize = 3;
pub const ALLEGATO_MAX_BYTES: usize = 3 * 1024 * 1024;

/// An attachment as the page uploads it (multipart), before any check. `bytes` may stop one
/// byte past the limit: the upload is not read further than needed to refuse it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AllegatoBytes {
    pub nome: String,
    pub bytes: Vec<u8>,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AllegatoView {
    pub id: i64,
    pub nome: String,
    pub tipo: String,
    pub dimensione: i64,
}

#[cfg(test)]
mod oggetti_tests {
    use super::*;
    #[test]
    fn every_object_has_a_label_and_unknown_ones_none() {
        for (a, _, children) in OGGETTI_BIDIREZIONALI {
            assert!(!children.is_empty());
            for (b, _) in *children {
                assert!(oggetto_bidirezionale_label(&format!("{a}/{b}")).is_some());
            }
        }
        assert_eq!(oggetto_bidirezionale_label("f24/inventato"), None);
        assert_eq!(oggetto_bidirezionale_label("f24"), None);
        assert_eq!(
            oggetto_bidirezionale_label("dm/variazione").as_deref(),
            Some("Denunce contributive (UniEmens/DM10) – Variazione di una denuncia")
        );
    }
}
