//! The operator's Fascicolo elettronico: search hits, the file, a request with its trace, replay,
//! the branch queue.

use crate::account::{AuditRecordView, SedeView};
use crate::problem::FieldError;
use crate::richiesta::{CheckView, OperatorNote, RequestPage, RequestView};
use serde::{Deserialize, Serialize};

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

/// A request as the operator sees it: everything the contributor sees plus what each check
/// read, the effects applied and the audit records they produced.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OperatorRequestView {
    pub richiesta: RequestView,
    /// The company's name, or the person's (a prestazioni occasionali user's support request).
    pub ragione_sociale: String,
    /// The subject's prestazioni occasionali records (registry and wallet), one click away.
    #[serde(default)]
    pub schede_presto: Vec<SchedaPrestoRef>,
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

/// A prestazioni occasionali record of a request's subject: a user (LF or CPO) or a prestatore.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SchedaPrestoRef {
    pub prestatore: bool,
    pub id: i64,
    /// "Utilizzatore Libretto Famiglia", "Utilizzatore CPO", "Prestatore".
    pub descrizione: String,
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

/// What an operator does on a request the branch works. The API sends it as JSON
/// (`{"azione": "nota", "testo": …, "interna": false}`); the page's form as the button pressed
/// and the text ([`BranchAction::from_form`]).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "azione", rename_all = "snake_case")]
pub enum BranchAction {
    PrendiInCarico,
    Nota {
        testo: String,
        interna: bool,
    },
    /// `accolta` is the outcome of a Smart-Task; a two-way request is closed without one.
    Chiudi {
        #[serde(default)]
        accolta: Option<bool>,
        motivo: String,
    },
}

impl BranchAction {
    /// The buttons of the operator's page (`azione`), with the text typed beside them.
    pub fn from_form(azione: &str, testo: String) -> Result<BranchAction, FieldError> {
        Ok(match azione {
            "prendi_in_carico" => BranchAction::PrendiInCarico,
            "nota_interna" => BranchAction::Nota { testo, interna: true },
            "risposta" => BranchAction::Nota { testo, interna: false },
            "accogli" => BranchAction::Chiudi { accolta: Some(true), motivo: testo },
            "respingi" => BranchAction::Chiudi { accolta: Some(false), motivo: testo },
            "chiudi" => BranchAction::Chiudi { accolta: None, motivo: testo },
            other => {
                return Err(FieldError {
                    field: "azione".into(),
                    code: "invalid".into(),
                    message: format!("Azione sconosciuta: {other}."),
                });
            }
        })
    }
}

#[cfg(test)]
mod branch_action_tests {
    use super::*;

    #[test]
    fn form_buttons_and_json_agree() {
        let t = || "testo".to_string();
        assert_eq!(BranchAction::from_form("prendi_in_carico", t()), Ok(BranchAction::PrendiInCarico));
        assert_eq!(BranchAction::from_form("risposta", t()), Ok(BranchAction::Nota { testo: t(), interna: false }));
        assert_eq!(
            BranchAction::from_form("respingi", t()),
            Ok(BranchAction::Chiudi { accolta: Some(false), motivo: t() })
        );
        assert_eq!(BranchAction::from_form("demolisci", t()).unwrap_err().field, "azione");
        let json: BranchAction = serde_json::from_str(r#"{"azione":"chiudi","motivo":"fatto"}"#).unwrap();
        assert_eq!(json, BranchAction::Chiudi { accolta: None, motivo: "fatto".into() });
    }
}
