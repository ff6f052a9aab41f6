//! What the API and the pages exchange about the service: registrations, the wallet, the
//! prestazioni, the prestatore's page, the F24 import report and the operator's registry.
//! Inputs are text as typed (the server parses them into the types of this module's siblings
//! and answers with field errors); outputs carry typed money and codes.

use super::costo::Costo;
use super::tipi::{CategoriaCpo, CategoriaSpeciale, ModalitaPagamento, StatoPrestazione, Strumento};
use crate::money::Euro;
use crate::richiesta::CheckView;
use serde::{Deserialize, Serialize};

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistrazioneUtilizzatore {
    /// `lf` or `cpo`.
    pub strumento: String,
    /// CPO only: a [`CategoriaCpo`] code.
    #[serde(default)]
    pub categoria: String,
    /// CPO only: ATECO code of the main activity.
    #[serde(default)]
    pub ateco: String,
    /// CPO only: average open-ended employees in the reference half-year (e.g. `3,5`).
    #[serde(default)]
    pub dipendenti: String,
    /// Persons: the code of the competent sede (a company's is the one of its position).
    #[serde(default)]
    pub sede_codice: String,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoriaDichiarata {
    /// A [`CategoriaSpeciale`] code.
    pub categoria: String,
    /// From (GG/MM/AAAA or AAAA-MM-GG).
    pub dal: String,
    /// Until (empty: still valid).
    #[serde(default)]
    pub al: String,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistrazionePrestatore {
    /// `iban` or `bonifico_domiciliato`.
    pub modalita_pagamento: String,
    #[serde(default)]
    pub iban: String,
    #[serde(default)]
    pub categorie: Vec<CategoriaDichiarata>,
    /// The code of the competent sede.
    pub sede_codice: String,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UtilizzatoreView {
    pub id: i64,
    pub strumento: Strumento,
    pub categoria: Option<CategoriaCpo>,
    pub ateco: Option<String>,
    /// Average employees × 100.
    pub dipendenti_centesimi: Option<i64>,
    pub denominazione: String,
    pub codice_fiscale: String,
    /// A natural person (Libretto Famiglia, professional), not a company.
    pub persona: bool,
    pub email: Option<String>,
    pub telefono: Option<String>,
    pub sede: String,
    pub version: i64,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoriaView {
    pub categoria: CategoriaSpeciale,
    pub dal: String,
    pub al: Option<String>,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrestatoreView {
    pub id: i64,
    pub nome: String,
    pub cognome: String,
    pub codice_fiscale: String,
    pub email: Option<String>,
    pub telefono: Option<String>,
    pub modalita_pagamento: ModalitaPagamento,
    pub iban: Option<String>,
    pub categorie: Vec<CategoriaView>,
    pub sede: String,
    pub version: i64,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NuovaPrestazione {
    /// The prestatore's codice fiscale.
    pub prestatore: String,
    /// The day (GG/MM/AAAA or AAAA-MM-GG).
    pub giorno: String,
    /// CPO: start and end (HH:MM, Italian time, same day).
    #[serde(default)]
    pub ora_inizio: String,
    #[serde(default)]
    pub ora_fine: String,
    /// CPO: agreed net pay (1.234,56).
    #[serde(default)]
    pub compenso: String,
    /// LF: vouchers of 10 € (one per hour at most).
    #[serde(default)]
    pub titoli: String,
    /// LF: hours worked (e.g. `3` or `2:30`).
    #[serde(default)]
    pub ore: String,
    #[serde(default)]
    pub luogo: String,
    #[serde(default)]
    pub oggetto: String,
    /// Public administrations: a [`super::FinalitaPa`] code.
    #[serde(default)]
    pub finalita_pa: String,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrestazioneView {
    pub id: i64,
    pub strumento: Strumento,
    pub utilizzatore: String,
    pub prestatore: String,
    pub prestatore_cf: String,
    /// AAAA-MM-GG.
    pub giorno: String,
    pub ora_inizio: Option<String>,
    pub ora_fine: Option<String>,
    pub minuti: i64,
    pub titoli: Option<i64>,
    pub costo: Costo,
    pub stato: StatoPrestazione,
    /// Last day a revocation is accepted (AAAA-MM-GG).
    pub revocabile_fino: String,
    /// Whether the user may still revoke it today.
    pub revocabile: bool,
    pub luogo: Option<String>,
    pub oggetto: Option<String>,
    pub controlli: Vec<CheckView>,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VersamentoView {
    pub id: i64,
    /// `f24_elide`, `f24_ep` or `pagopa`.
    pub canale: String,
    pub riferimento: String,
    pub codice_fiscale: String,
    pub causale: String,
    pub anno: i64,
    pub importo: Euro,
    pub data: String,
    /// `accreditato`, `abbinato_manuale` (by the branch) or `non_abbinato`.
    pub stato: String,
    pub motivo: Option<String>,
}

/// One limit: how much is used and how much remains, for the bars of the wallet.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LimiteView {
    pub codice: String,
    pub etichetta: String,
    /// `euro` (values in cents) or `minuti`.
    pub unita: String,
    pub usato: i64,
    pub limite: i64,
    pub nota: Option<String>,
}

impl LimiteView {
    pub fn residuo(&self) -> i64 {
        (self.limite - self.usato).max(0)
    }
    /// Share used, 0–100, for the bar.
    pub fn percentuale(&self) -> i64 {
        if self.limite <= 0 { 100 } else { (self.usato.max(0).saturating_mul(100) / self.limite).min(100) }
    }
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortafoglioView {
    pub utilizzatore: UtilizzatoreView,
    pub anno: i32,
    pub saldo: Euro,
    pub versamenti: Vec<VersamentoView>,
    pub prestazioni: Vec<PrestazioneView>,
    /// The user's limit (b), then one pair limit and one hour limit per prestatore of the year.
    pub limiti: Vec<LimiteView>,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PagamentoView {
    pub mese: String,
    pub importo: Euro,
    pub prestazioni: i64,
    pub modalita: ModalitaPagamento,
    pub data: String,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaginaPrestatore {
    pub prestatore: PrestatoreView,
    pub anno: i32,
    pub prestazioni: Vec<PrestazioneView>,
    pub pagamenti: Vec<PagamentoView>,
    /// Limit (a), then the pair limits per user.
    pub limiti: Vec<LimiteView>,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EsitoRigaF24 {
    /// Line number in the file (the header is line 1).
    pub riga: u64,
    pub id_riga: String,
    /// `accreditata`, `non_abbinata`, `gia_presente` or `scartata`.
    pub esito: String,
    pub messaggio: String,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportImportF24 {
    pub accreditate: u64,
    pub non_abbinate: u64,
    pub gia_presenti: u64,
    pub scartate: u64,
    pub righe: Vec<EsitoRigaF24>,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PagamentoPagoPa {
    /// Amount (1.234,56); Libretto Famiglia: multiples of 10 €.
    pub importo: String,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EsitoPayRun {
    pub mese: String,
    pub pagamenti: u64,
    pub prestazioni: u64,
    pub totale: Euro,
}

/// An operator's search hit in the registry of the service.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SoggettoPresto {
    /// `utilizzatore` or `prestatore`.
    pub tipo: String,
    pub id: i64,
    pub denominazione: String,
    pub codice_fiscale: String,
    pub descrizione: String,
    pub sede: String,
}

/// The operator's page of one subject: registry, prestazioni, and the wallet or the payments.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum SchedaPresto {
    Utilizzatore {
        portafoglio: PortafoglioView,
        puo_modificare: bool,
        /// Head office: may undo a manual matching of the wallet's payments.
        #[serde(default)]
        puo_annullare_abbinamenti: bool,
    },
    Prestatore {
        pagina: PaginaPrestatore,
        puo_modificare: bool,
    },
}

/// An operator's correction of a registry: only the fields present change; the note is
/// mandatory; `version` is the one read (optimistic lock).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModificaAnagrafica {
    #[serde(deserialize_with = "crate::intero::whole")]
    pub version: i64,
    pub nota: String,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub telefono: Option<String>,
    /// Prestatore.
    #[serde(default)]
    pub modalita_pagamento: Option<String>,
    #[serde(default)]
    pub iban: Option<String>,
    /// Utilizzatore CPO.
    #[serde(default)]
    pub ateco: Option<String>,
    #[serde(default)]
    pub dipendenti: Option<String>,
}
