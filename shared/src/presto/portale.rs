//! What the branch tools of the intranet portal exchange (Msg. 1099/2018 §3–§4): the unmatched
//! F24 lines with who they may be attached to, the manual matching and its undo, and the changes
//! of a CPO user's category with the requests forwarded to the head office.

use super::tipi::{CategoriaCpo, Strumento};
use super::views::{UtilizzatoreView, VersamentoView};
use crate::richiesta::CheckView;
use serde::{Deserialize, Serialize};

/// A user an unmatched line may be attached to, and why it is proposed.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CandidatoAbbinamento {
    pub utilizzatore_id: i64,
    pub denominazione: String,
    pub codice_fiscale: String,
    pub strumento: Strumento,
    pub sede: String,
    /// Why the line may belong to it ("legale rappresentante dal …", "codice fiscale
    /// dell'utilizzatore").
    pub titolo: String,
    /// Whether this operator may attach the line (the user is in its sede, the rules hold).
    pub puo_abbinare: bool,
    /// Why not, when it may not.
    pub impedimento: Option<String>,
}

/// An unmatched line of the F24 flow, with the reason it was not credited.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VersamentoDaAbbinare {
    pub versamento: VersamentoView,
    pub candidati: Vec<CandidatoAbbinamento>,
}

/// The operator attaches an unmatched line to a user; the note is mandatory.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AbbinamentoManuale {
    #[serde(deserialize_with = "crate::intero::whole")]
    pub utilizzatore_id: i64,
    pub nota: String,
}

/// A note, mandatory: DG's undo of a matching, a refusal, a forwarding.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Nota {
    pub nota: String,
}

/// A change of category: by the branch while the user has no prestazione, by DG after its check.
/// `version` is the registry's as read (optimistic lock).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CambioCategoria {
    /// Code of the new category (`generale`, `alberghiero_ricettivo`, …).
    pub categoria: String,
    pub nota: String,
    #[serde(deserialize_with = "crate::intero::whole")]
    pub version: i64,
}

/// DG's decision on a forwarded request: `applica` (only if every prestazione fits) or
/// `rifiuta` (with the reason in the note).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecisioneCategoria {
    pub esito: String,
    pub nota: String,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StatoCambio {
    /// Applied (by the branch, or by DG after its check).
    Applicato,
    /// Forwarded to DG through the regional directorate, waiting.
    InoltratoDg,
    Rifiutato,
}

impl StatoCambio {
    pub fn code(self) -> &'static str {
        match self {
            StatoCambio::Applicato => "applicato",
            StatoCambio::InoltratoDg => "inoltrato_dg",
            StatoCambio::Rifiutato => "rifiutato",
        }
    }
    pub fn from_code(s: &str) -> Option<StatoCambio> {
        [StatoCambio::Applicato, StatoCambio::InoltratoDg, StatoCambio::Rifiutato].into_iter().find(|x| x.code() == s)
    }
    pub fn label(self) -> &'static str {
        match self {
            StatoCambio::Applicato => "Applicato",
            StatoCambio::InoltratoDg => "Inoltrato alla Direzione Generale",
            StatoCambio::Rifiutato => "Respinto",
        }
    }
}

/// One change of category, applied or requested.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CambioCategoriaView {
    pub id: i64,
    pub utilizzatore_id: i64,
    pub denominazione: String,
    pub sede: String,
    pub da: Option<CategoriaCpo>,
    pub a: CategoriaCpo,
    pub stato: StatoCambio,
    pub motivo: String,
    pub richiesto_da: String,
    /// AAAA-MM-GG HH:MM:SS (UTC).
    pub richiesto_at: String,
    pub deciso_da: Option<String>,
    pub deciso_at: Option<String>,
    pub nota_decisione: Option<String>,
    /// The checks of the existing prestazioni: as run at the decision, or (waiting requests, for
    /// DG) as they would run now. Only the prestazioni that do not fit are listed.
    pub verifica: Vec<CheckView>,
    /// Whether this operator may decide it now (DG, waiting request).
    pub puo_decidere: bool,
}

/// The category page of one CPO user: who may change it now and the history of changes.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoriaUtilizzatore {
    pub utilizzatore: UtilizzatoreView,
    /// Prestazioni ever entered (revoked included: they were entered).
    pub prestazioni: i64,
    /// `sede` (no prestazione yet: the branch decides), `dg` (only the head office).
    pub competenza: String,
    /// Whether this operator may change it directly now.
    pub puo_modificare: bool,
    /// Whether this operator may forward a request to DG (branch, prestazioni exist, none
    /// waiting).
    pub puo_inoltrare: bool,
    pub cambi: Vec<CambioCategoriaView>,
}

/// The check of a delega (Msg. 1099/2018 §6): delegato, delegante and role, all three.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RicercaDelega {
    /// Codice fiscale of the delegato (a person).
    pub delegato: String,
    /// Codice fiscale of the delegante (the company).
    pub delegante: String,
    /// `intermediario` or `dipendente`.
    pub ruolo: String,
}

/// A delega as the portal shows it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DelegaView {
    pub id: i64,
    pub delegato: String,
    pub delegato_cf: String,
    pub delegante: String,
    pub delegante_cf: String,
    pub ruolo: String,
    /// AAAA-MM-GG.
    pub data_inizio: String,
    pub data_fine: Option<String>,
    pub revocata_dal: Option<String>,
    /// Reference of the signed document.
    pub documento: Option<String>,
}

/// The outcome: whether the delega gives access today, why not, and — only when it does — where
/// the delegante's position opens.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EsitoDelega {
    /// `valida`, `scaduta`, `revocata`, `futura` or `assente`.
    pub stato: String,
    pub messaggio: String,
    /// The latest delega for the three (absent: none in the operator's scope).
    pub delega: Option<DelegaView>,
    /// Valid today: the delegante in the Fascicolo.
    pub contribuente_id: Option<i64>,
    /// Valid today and a CPO user: its page in the portal.
    pub utilizzatore_id: Option<i64>,
}
