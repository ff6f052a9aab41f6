//! What the fascicolo pages need from the server: the operator's Fascicolo and the branch queue.

use crate::error::UiError;
use http::request::Parts;
use shared::dto::*;

#[async_trait::async_trait]
pub trait FascicoloBackend: Send + Sync + 'static {
    async fn search_contributors(&self, req: &Parts, q: String) -> Result<Vec<ContributorHit>, UiError>;
    async fn fascicolo(&self, req: &Parts, id: i64, filter: RequestFilter) -> Result<FascicoloView, UiError>;
    async fn operator_request(&self, req: &Parts, protocollo: String) -> Result<OperatorRequestView, UiError>;
    async fn replay(&self, req: &Parts, protocollo: String) -> Result<ReplayView, UiError>;
    async fn branch_queue(&self, req: &Parts) -> Result<Vec<QueueItem>, UiError>;
    async fn branch_action(
        &self,
        req: &Parts,
        protocollo: String,
        action: BranchAction,
        version: Option<i64>,
    ) -> Result<OperatorRequestView, UiError>;
}
