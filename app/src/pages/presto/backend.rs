//! What the prestazioni occasionali pages need from the server.

use crate::error::UiError;
use http::request::Parts;
use shared::presto::campioni::*;
use shared::presto::elenchi::{PaginaElenco, RichiestaElenco};
use shared::presto::portale::*;
use shared::presto::rimborsi::{DecisioneRimborso, NuovoRimborso, RimborsoView};
use shared::presto::views::*;

#[async_trait::async_trait]
pub trait PrestoBackend: Send + Sync + 'static {
    async fn portafoglio(&self, req: &Parts, anno: Option<i32>) -> Result<PortafoglioView, UiError>;
    async fn nuova_prestazione(&self, req: &Parts, p: NuovaPrestazione) -> Result<PrestazioneView, UiError>;
    async fn revoca(&self, req: &Parts, id: i64) -> Result<PrestazioneView, UiError>;
    async fn pagopa(&self, req: &Parts, p: PagamentoPagoPa) -> Result<VersamentoView, UiError>;
    async fn pagina_prestatore(&self, req: &Parts, anno: Option<i32>) -> Result<PaginaPrestatore, UiError>;
    async fn cerca(&self, req: &Parts, q: String) -> Result<Vec<SoggettoPresto>, UiError>;
    async fn scheda(&self, req: &Parts, tipo: String, id: i64) -> Result<SchedaPresto, UiError>;
    async fn sedi(&self, req: &Parts) -> Result<Vec<shared::dto::SedeView>, UiError>;
    async fn registra_utilizzatore(
        &self,
        req: &Parts,
        r: RegistrazioneUtilizzatore,
    ) -> Result<UtilizzatoreView, UiError>;
    async fn registra_prestatore(&self, req: &Parts, r: RegistrazionePrestatore) -> Result<PrestatoreView, UiError>;
    async fn import_f24(&self, req: &Parts, flusso: Vec<u8>) -> Result<ReportImportF24, UiError>;
    async fn modifica(
        &self,
        req: &Parts,
        tipo: String,
        id: i64,
        m: ModificaAnagrafica,
    ) -> Result<SchedaPresto, UiError>;
    async fn versamenti(&self, req: &Parts, pagina: u32) -> Result<Vec<VersamentoDaAbbinare>, UiError>;
    async fn abbina(&self, req: &Parts, versamento: i64, a: AbbinamentoManuale) -> Result<VersamentoView, UiError>;
    async fn annulla_abbinamento(&self, req: &Parts, versamento: i64, n: Nota) -> Result<VersamentoView, UiError>;
    async fn categoria(&self, req: &Parts, id: i64) -> Result<CategoriaUtilizzatore, UiError>;
    async fn cambia_categoria(
        &self,
        req: &Parts,
        id: i64,
        c: CambioCategoria,
    ) -> Result<CategoriaUtilizzatore, UiError>;
    async fn inoltra_categoria(
        &self,
        req: &Parts,
        id: i64,
        c: CambioCategoria,
    ) -> Result<CategoriaUtilizzatore, UiError>;
    async fn cambi_categoria(&self, req: &Parts) -> Result<Vec<CambioCategoriaView>, UiError>;
    async fn decidi_categoria(
        &self,
        req: &Parts,
        id: i64,
        d: DecisioneCategoria,
    ) -> Result<CambioCategoriaView, UiError>;
    async fn delega(&self, req: &Parts, q: RicercaDelega) -> Result<EsitoDelega, UiError>;
    async fn elenco(&self, req: &Parts, r: RichiestaElenco, pagina: u32) -> Result<PaginaElenco, UiError>;
    async fn crea_campione(&self, req: &Parts, n: NuovoCampione) -> Result<CampioneView, UiError>;
    async fn campioni(&self, req: &Parts) -> Result<Vec<CampioneSintesi>, UiError>;
    async fn campione(&self, req: &Parts, id: i64) -> Result<CampioneView, UiError>;
    async fn verifica_riga(&self, req: &Parts, id: i64, riga: i64, e: EsitoVerifica) -> Result<CampioneView, UiError>;
    async fn rimborsi(&self, req: &Parts) -> Result<Vec<RimborsoView>, UiError>;
    async fn chiedi_rimborso(&self, req: &Parts, n: NuovoRimborso) -> Result<RimborsoView, UiError>;
    async fn rimborsi_sede(&self, req: &Parts) -> Result<Vec<RimborsoView>, UiError>;
    async fn decidi_rimborso(&self, req: &Parts, id: i64, d: DecisioneRimborso) -> Result<RimborsoView, UiError>;
}
