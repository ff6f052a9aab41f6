//! Who is logged in, whom they act for, what their home shows; operators and their profile;
//! personal API tokens; the audit trail as the administrator reads it.

use crate::roles::Role;
use serde::{Deserialize, Serialize};

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
    /// Unread notifications of the subject acted for (shown in the header), counted up to
    /// [`NON_LETTE_IN_INTESTAZIONE`]: that value means "99+"; the notifications' own page and
    /// `GET /api/v1/notifiche` give the exact number.
    #[serde(default)]
    pub notifiche_non_lette: i64,
}

/// The header counts unread notifications up to this many and then shows "99+": every page
/// shows the count, and counting them all read each notification of a company that has
/// thousands (13,680 after the bench's submissions: 1.8 ms of a reader for every page).
pub const NON_LETTE_IN_INTESTAZIONE: i64 = 100;

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
    /// The profile of the prestazioni occasionali portal (the seed's OperatoreSede), apart
    /// from the Fascicolo's role.
    #[serde(default)]
    pub profilo_presto: bool,
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
    /// Give (true) or take away (false) the prestazioni occasionali portal's profile; absent:
    /// unchanged.
    #[serde(default)]
    pub profilo_presto: Option<bool>,
    /// When given, the update applies only if the profile still has this version (else 409).
    #[serde(default, deserialize_with = "crate::intero::optional")]
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
    crate::posizione::StatoPosizione::from_code(stato).map(|s| s.label()).unwrap_or("Sconosciuto")
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
    /// From this instant the token authenticates nothing (absent: until revoked).
    #[serde(default)]
    pub scade_il: Option<String>,
    /// Read-only: GET requests only.
    #[serde(default)]
    pub sola_lettura: bool,
}

/// A token just created: `token` is shown this once.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewApiToken {
    pub token: String,
    pub dettagli: ApiTokenView,
}
