//! What the pages need from the server, as a trait the server implements: server functions stay
//! thin adapters and the same services back the REST API. Errors arrive already mapped to
//! [`UiError`] (problem details with an Italian message).

use crate::api::UiError;
use http::request::Parts;
use shared::dto::{
    AllegatoBytes, ApiTokenView, AssignOperator, ContributorHit, FascicoloView, HomeData, KindView, MailView,
    NewApiToken, NotificationsView, NuovaComunicazione, OperatorRequestView, OperatorView, QueueItem, ReplayView,
    RequestFilter, RequestPage, RequestView, SedeView, SessionView, SubjectSummary, SubmitRequest, TargetView,
};
use std::sync::Arc;

pub struct LoggedIn {
    pub set_cookie: String,
    pub session: SessionView,
}

#[async_trait::async_trait]
pub trait Backend: Send + Sync + 'static {
    async fn login(&self, req: &Parts, username: String, password: String) -> Result<LoggedIn, UiError>;
    /// Returns the Set-Cookie value that clears the session cookie.
    async fn logout(&self, req: &Parts) -> Result<String, UiError>;
    async fn session(&self, req: &Parts) -> Result<Option<SessionView>, UiError>;
    async fn home(&self, req: &Parts) -> Result<HomeData, UiError>;
    async fn subjects(&self, req: &Parts) -> Result<Vec<SubjectSummary>, UiError>;
    async fn act_for(&self, req: &Parts, subject_id: i64) -> Result<SubjectSummary, UiError>;
    async fn operators(&self, req: &Parts) -> Result<Vec<OperatorView>, UiError>;
    async fn sedi(&self, req: &Parts) -> Result<Vec<SedeView>, UiError>;
    async fn assign_operator(&self, req: &Parts, user_id: i64, assign: AssignOperator)
    -> Result<OperatorView, UiError>;
    async fn smart_task_kinds(&self, req: &Parts) -> Result<Vec<KindView>, UiError>;
    async fn smart_task_targets(&self, req: &Parts, kind: String) -> Result<Vec<TargetView>, UiError>;
    async fn submit_smart_task(&self, req: &Parts, body: SubmitRequest, key: String) -> Result<RequestView, UiError>;
    async fn requests(&self, req: &Parts, filter: RequestFilter) -> Result<RequestPage, UiError>;
    async fn request(&self, req: &Parts, protocollo: String) -> Result<RequestView, UiError>;
    async fn notifications(&self, req: &Parts) -> Result<NotificationsView, UiError>;
    async fn mark_notifications_read(&self, req: &Parts) -> Result<u64, UiError>;
    async fn dev_mailbox(&self, req: &Parts) -> Result<Vec<MailView>, UiError>;
    async fn api_tokens(&self, req: &Parts) -> Result<Vec<ApiTokenView>, UiError>;
    async fn create_api_token(&self, req: &Parts, nome: String) -> Result<NewApiToken, UiError>;
    async fn revoke_api_token(&self, req: &Parts, id: i64) -> Result<ApiTokenView, UiError>;
    /// A two-way request from the page: the fields and the uploaded files as read.
    async fn submit_two_way(
        &self,
        req: &Parts,
        body: NuovaComunicazione,
        files: Vec<AllegatoBytes>,
    ) -> Result<RequestView, UiError>;
    async fn add_message(&self, req: &Parts, protocollo: String, testo: String) -> Result<RequestView, UiError>;
    async fn search_contributors(&self, req: &Parts, q: String) -> Result<Vec<ContributorHit>, UiError>;
    async fn fascicolo(&self, req: &Parts, id: i64, filter: RequestFilter) -> Result<FascicoloView, UiError>;
    async fn operator_request(&self, req: &Parts, protocollo: String) -> Result<OperatorRequestView, UiError>;
    async fn replay(&self, req: &Parts, protocollo: String) -> Result<ReplayView, UiError>;
    async fn branch_queue(&self, req: &Parts) -> Result<Vec<QueueItem>, UiError>;
    /// `azione`: prendi_in_carico, nota_interna, risposta, accogli, respingi, chiudi.
    async fn branch_action(
        &self,
        req: &Parts,
        protocollo: String,
        azione: String,
        testo: String,
        version: Option<i64>,
    ) -> Result<OperatorRequestView, UiError>;
}

pub type SharedBackend = Arc<dyn Backend>;
