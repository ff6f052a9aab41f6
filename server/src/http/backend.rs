//! The app's backend traits (one per feature) implemented over the services: take the caller, call, map errors.

use crate::error::AppError;
use crate::identity::Caller;
use crate::services::Services;
use app::backend::{
    AdminBackend, ComunicazioniBackend, FascicoloBackend, HomeBackend, IdentityBackend, LoggedIn, PrestoBackend,
    RichiesteBackend, SmartTaskBackend,
};
use app::error::UiError;
use http::request::Parts;
use shared::dto::{
    AllegatoBytes, ApiTokenView, AssignOperator, AttivazioneView, BranchAction, ContributorHit, FascicoloView,
    HomeData, ImpostaAttivazione, KindView, MailView, NewApiToken, NotificationsView, NuovaComunicazione,
    OperatorRequestView, OperatorView, QueueItem, ReplayView, RequestFilter, RequestView, SedeView, SessionView,
    SubjectSummary, SubmitRequest, SummaryPage, TargetView,
};
use shared::presto::campioni as pc;
use shared::presto::elenchi as pe;
use shared::presto::portale as po;
use shared::presto::rimborsi as pr;
use shared::presto::views as pv;
use shared::smart_task::simulazione::{EsitoSimulazione, ParametroView, RichiestaSimulazione};

pub struct ServerBackend {
    pub services: Services,
}

fn caller(req: &Parts) -> Result<&Caller, UiError> {
    req.extensions.get::<Caller>().ok_or_else(|| p(AppError::Internal("caller middleware missing".into())))
}

fn p(e: AppError) -> UiError {
    if e.status().is_server_error() {
        tracing::error!(error = %e, "server function failed");
    }
    // A script calling a server function gets the problem's status and media type, as from the
    // API (leptos would answer 500 to every error). Not while rendering a page (its status is
    // the page's), nor for a plain form post, which leptos answers by redirecting to the page.
    use leptos::prelude::use_context;
    let parts = use_context::<Parts>();
    let server_fn_call = parts.as_ref().is_some_and(|p| {
        p.uri.path().starts_with("/sf/")
            && !p
                .headers
                .get(http::header::ACCEPT)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|a| a.contains("text/html"))
    });
    if server_fn_call && let Some(opts) = use_context::<leptos_axum::ResponseOptions>() {
        opts.set_status(e.status());
        opts.insert_header(http::header::CONTENT_TYPE, http::HeaderValue::from_static("application/problem+json"));
    }
    UiError::from(e.to_problem())
}

#[async_trait::async_trait]
impl IdentityBackend for ServerBackend {
    async fn login(&self, req: &Parts, username: String, password: String) -> Result<LoggedIn, UiError> {
        let r = self.services.login(caller(req)?, &username, &password).await.map_err(p)?;
        Ok(LoggedIn { set_cookie: r.set_cookie, session: r.session })
    }
    async fn logout(&self, req: &Parts) -> Result<String, UiError> {
        self.services.logout(caller(req)?).await.map_err(p)
    }
    async fn session(&self, req: &Parts) -> Result<Option<SessionView>, UiError> {
        self.services.session_view(caller(req)?).await.map_err(p)
    }
    async fn subjects(&self, req: &Parts) -> Result<Vec<SubjectSummary>, UiError> {
        self.services.subjects(caller(req)?).await.map_err(p)
    }
    async fn act_for(&self, req: &Parts, subject_id: i64) -> Result<SubjectSummary, UiError> {
        self.services.act_for(caller(req)?, subject_id).await.map_err(p)
    }
    async fn api_tokens(&self, req: &Parts) -> Result<Vec<ApiTokenView>, UiError> {
        self.services.api_tokens(caller(req)?).await.map_err(p)
    }
    async fn create_api_token(&self, req: &Parts, nome: String) -> Result<NewApiToken, UiError> {
        self.services.create_api_token(caller(req)?, &nome, Default::default()).await.map_err(p)
    }
    async fn revoke_api_token(&self, req: &Parts, id: i64) -> Result<ApiTokenView, UiError> {
        self.services.revoke_api_token(caller(req)?, id).await.map_err(p)
    }
}

#[async_trait::async_trait]
impl HomeBackend for ServerBackend {
    async fn home(&self, req: &Parts) -> Result<HomeData, UiError> {
        self.services.home(caller(req)?).await.map_err(p)
    }
}

#[async_trait::async_trait]
impl AdminBackend for ServerBackend {
    async fn operators(&self, req: &Parts) -> Result<Vec<OperatorView>, UiError> {
        self.services.operators(caller(req)?).await.map_err(p)
    }
    async fn sedi(&self, req: &Parts) -> Result<Vec<SedeView>, UiError> {
        self.services.sedi(caller(req)?).await.map_err(p)
    }
    async fn assign_operator(
        &self,
        req: &Parts,
        user_id: i64,
        assign: AssignOperator,
    ) -> Result<OperatorView, UiError> {
        self.services.assign_operator(caller(req)?, user_id, assign).await.map_err(p)
    }
}

#[async_trait::async_trait]
impl RichiesteBackend for ServerBackend {
    async fn requests(&self, req: &Parts, filter: RequestFilter) -> Result<SummaryPage, UiError> {
        self.services.request_summaries(caller(req)?, filter).await.map_err(p)
    }
    async fn request(&self, req: &Parts, protocollo: String) -> Result<RequestView, UiError> {
        self.services.request_view(caller(req)?, &protocollo).await.map_err(p)
    }
    async fn notifications(&self, req: &Parts) -> Result<NotificationsView, UiError> {
        self.services.notifications(caller(req)?, None).await.map_err(p)
    }
    async fn mark_notifications_read(&self, req: &Parts) -> Result<u64, UiError> {
        self.services.mark_notifications_read(caller(req)?, None).await.map_err(p)
    }
    async fn dev_mailbox(&self, req: &Parts) -> Result<Vec<MailView>, UiError> {
        self.services.dev_mailbox(caller(req)?, None).await.map_err(p)
    }
}

#[async_trait::async_trait]
impl SmartTaskBackend for ServerBackend {
    async fn smart_task_kinds(&self, req: &Parts) -> Result<Vec<KindView>, UiError> {
        self.services.smart_task_kinds(caller(req)?).await.map_err(p)
    }
    async fn smart_task_targets(&self, req: &Parts, kind: String) -> Result<Vec<TargetView>, UiError> {
        self.services.smart_task_targets(caller(req)?, &kind, None).await.map_err(p)
    }
    async fn submit_smart_task(&self, req: &Parts, body: SubmitRequest, key: String) -> Result<RequestView, UiError> {
        self.services.submit_smart_task(caller(req)?, body, Some(key)).await.map_err(p)
    }
    async fn attivazioni(&self, req: &Parts) -> Result<Vec<AttivazioneView>, UiError> {
        self.services.attivazioni(caller(req)?).await.map_err(p)
    }
    async fn imposta_attivazione(
        &self,
        req: &Parts,
        tipo: String,
        body: ImpostaAttivazione,
    ) -> Result<AttivazioneView, UiError> {
        self.services.imposta_attivazione(caller(req)?, &tipo, body).await.map_err(p)
    }
    async fn parametri(&self, req: &Parts) -> Result<Vec<ParametroView>, UiError> {
        self.services.parametri_smart_task(caller(req)?).await.map_err(p)
    }
    async fn simula(&self, req: &Parts, r: RichiestaSimulazione) -> Result<EsitoSimulazione, UiError> {
        self.services.simula(caller(req)?, r).await.map_err(p)
    }
}

#[async_trait::async_trait]
impl ComunicazioniBackend for ServerBackend {
    async fn submit_two_way(
        &self,
        req: &Parts,
        body: NuovaComunicazione,
        files: Vec<AllegatoBytes>,
    ) -> Result<RequestView, UiError> {
        self.services.register_two_way(caller(req)?, body, files, vec![]).await.map_err(p)
    }
    async fn add_message(&self, req: &Parts, protocollo: String, testo: String) -> Result<RequestView, UiError> {
        self.services.add_message(caller(req)?, &protocollo, &testo).await.map_err(p)
    }
}

#[async_trait::async_trait]
impl FascicoloBackend for ServerBackend {
    async fn search_contributors(&self, req: &Parts, q: String) -> Result<Vec<ContributorHit>, UiError> {
        self.services.search_contributors(caller(req)?, &q).await.map_err(p)
    }
    async fn fascicolo(&self, req: &Parts, id: i64, filter: RequestFilter) -> Result<FascicoloView, UiError> {
        self.services.fascicolo(caller(req)?, id, filter).await.map_err(p)
    }
    async fn operator_request(&self, req: &Parts, protocollo: String) -> Result<OperatorRequestView, UiError> {
        self.services.operator_request(caller(req)?, &protocollo).await.map_err(p)
    }
    async fn replay(&self, req: &Parts, protocollo: String) -> Result<ReplayView, UiError> {
        self.services.replay(caller(req)?, &protocollo).await.map_err(p)
    }
    async fn branch_queue(&self, req: &Parts) -> Result<Vec<QueueItem>, UiError> {
        self.services.branch_queue(caller(req)?).await.map_err(p)
    }
    async fn branch_action(
        &self,
        req: &Parts,
        protocollo: String,
        action: BranchAction,
        version: Option<i64>,
    ) -> Result<OperatorRequestView, UiError> {
        self.services.branch_action(caller(req)?, &protocollo, action, version).await.map_err(p)
    }
}

#[async_trait::async_trait]
impl PrestoBackend for ServerBackend {
    async fn portafoglio(&self, req: &Parts, anno: Option<i32>) -> Result<pv::PortafoglioView, UiError> {
        self.services.portafoglio(caller(req)?, None, None, anno).await.map_err(p)
    }
    async fn nuova_prestazione(&self, req: &Parts, n: pv::NuovaPrestazione) -> Result<pv::PrestazioneView, UiError> {
        self.services.nuova_prestazione(caller(req)?, None, None, n).await.map_err(p)
    }
    async fn revoca(&self, req: &Parts, id: i64) -> Result<pv::PrestazioneView, UiError> {
        self.services.revoca_prestazione(caller(req)?, None, None, id).await.map_err(p)
    }
    async fn pagopa(&self, req: &Parts, v: pv::PagamentoPagoPa) -> Result<pv::VersamentoView, UiError> {
        self.services.pagopa(caller(req)?, None, None, v).await.map_err(p)
    }
    async fn pagina_prestatore(&self, req: &Parts, anno: Option<i32>) -> Result<pv::PaginaPrestatore, UiError> {
        self.services.pagina_prestatore(caller(req)?, anno).await.map_err(p)
    }
    async fn cerca(&self, req: &Parts, q: String) -> Result<Vec<pv::SoggettoPresto>, UiError> {
        self.services.cerca_presto(caller(req)?, &q).await.map_err(p)
    }
    async fn scheda(&self, req: &Parts, tipo: String, id: i64) -> Result<pv::SchedaPresto, UiError> {
        self.services.scheda_presto(caller(req)?, &tipo, id, None).await.map_err(p)
    }
    async fn sedi(&self, req: &Parts) -> Result<Vec<SedeView>, UiError> {
        self.services.sedi(caller(req)?).await.map_err(p)
    }
    async fn registra_utilizzatore(
        &self,
        req: &Parts,
        r: pv::RegistrazioneUtilizzatore,
    ) -> Result<pv::UtilizzatoreView, UiError> {
        self.services.registra_utilizzatore(caller(req)?, None, r).await.map_err(p)
    }
    async fn registra_prestatore(
        &self,
        req: &Parts,
        r: pv::RegistrazionePrestatore,
    ) -> Result<pv::PrestatoreView, UiError> {
        self.services.registra_prestatore(caller(req)?, r).await.map_err(p)
    }
    async fn import_f24(&self, req: &Parts, flusso: Vec<u8>) -> Result<pv::ReportImportF24, UiError> {
        self.services.import_f24_operatore(caller(req)?, &flusso).await.map_err(p)
    }
    async fn modifica(
        &self,
        req: &Parts,
        tipo: String,
        id: i64,
        m: pv::ModificaAnagrafica,
    ) -> Result<pv::SchedaPresto, UiError> {
        self.services.modifica_anagrafica(caller(req)?, &tipo, id, m).await.map_err(p)
    }
    async fn versamenti(&self, req: &Parts, pagina: u32) -> Result<Vec<po::VersamentoDaAbbinare>, UiError> {
        self.services.versamenti_da_abbinare(caller(req)?, pagina).await.map_err(p)
    }
    async fn abbina(&self, req: &Parts, v: i64, a: po::AbbinamentoManuale) -> Result<pv::VersamentoView, UiError> {
        self.services.abbina_versamento(caller(req)?, v, a).await.map_err(p)
    }
    async fn annulla_abbinamento(&self, req: &Parts, v: i64, n: po::Nota) -> Result<pv::VersamentoView, UiError> {
        self.services.annulla_abbinamento(caller(req)?, v, n).await.map_err(p)
    }
    async fn categoria(&self, req: &Parts, id: i64) -> Result<po::CategoriaUtilizzatore, UiError> {
        self.services.categoria_utilizzatore(caller(req)?, id).await.map_err(p)
    }
    async fn cambia_categoria(
        &self,
        req: &Parts,
        id: i64,
        c: po::CambioCategoria,
    ) -> Result<po::CategoriaUtilizzatore, UiError> {
        self.services.cambia_categoria(caller(req)?, id, c).await.map_err(p)
    }
    async fn inoltra_categoria(
        &self,
        req: &Parts,
        id: i64,
        c: po::CambioCategoria,
    ) -> Result<po::CategoriaUtilizzatore, UiError> {
        self.services.inoltra_cambio_categoria(caller(req)?, id, c).await.map_err(p)
    }
    async fn cambi_categoria(&self, req: &Parts) -> Result<Vec<po::CambioCategoriaView>, UiError> {
        self.services.cambi_categoria(caller(req)?).await.map_err(p)
    }
    async fn decidi_categoria(
        &self,
        req: &Parts,
        id: i64,
        d: po::DecisioneCategoria,
    ) -> Result<po::CambioCategoriaView, UiError> {
        self.services.decidi_cambio_categoria(caller(req)?, id, d).await.map_err(p)
    }
    async fn delega(&self, req: &Parts, q: po::RicercaDelega) -> Result<po::EsitoDelega, UiError> {
        self.services.verifica_delega(caller(req)?, q).await.map_err(p)
    }
    async fn elenco(&self, req: &Parts, r: pe::RichiestaElenco, pagina: u32) -> Result<pe::PaginaElenco, UiError> {
        self.services.elenco(caller(req)?, r, pagina).await.map_err(p)
    }
    async fn crea_campione(&self, req: &Parts, n: pc::NuovoCampione) -> Result<pc::CampioneView, UiError> {
        self.services.crea_campione(caller(req)?, n).await.map_err(p)
    }
    async fn campioni(&self, req: &Parts) -> Result<Vec<pc::CampioneSintesi>, UiError> {
        self.services.campioni(caller(req)?).await.map_err(p)
    }
    async fn campione(&self, req: &Parts, id: i64) -> Result<pc::CampioneView, UiError> {
        self.services.campione(caller(req)?, id).await.map_err(p)
    }
    async fn verifica_riga(
        &self,
        req: &Parts,
        id: i64,
        riga: i64,
        e: pc::EsitoVerifica,
    ) -> Result<pc::CampioneView, UiError> {
        self.services.verifica_riga(caller(req)?, id, riga, e).await.map_err(p)
    }
    async fn rimborsi(&self, req: &Parts) -> Result<Vec<pr::RimborsoView>, UiError> {
        self.services.miei_rimborsi(caller(req)?, None, None).await.map_err(p)
    }
    async fn chiedi_rimborso(&self, req: &Parts, n: pr::NuovoRimborso) -> Result<pr::RimborsoView, UiError> {
        self.services.chiedi_rimborso(caller(req)?, None, None, n).await.map_err(p)
    }
    async fn rimborsi_sede(&self, req: &Parts) -> Result<Vec<pr::RimborsoView>, UiError> {
        self.services.rimborsi_sede(caller(req)?).await.map_err(p)
    }
    async fn decidi_rimborso(
        &self,
        req: &Parts,
        id: i64,
        d: pr::DecisioneRimborso,
    ) -> Result<pr::RimborsoView, UiError> {
        self.services.decidi_rimborso(caller(req)?, id, d).await.map_err(p)
    }
}
