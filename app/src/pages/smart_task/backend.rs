//! What the smart_task pages need from the server: smart-Task: kinds, targets, submission.

use crate::error::UiError;
use http::request::Parts;
use shared::dto::*;
use shared::smart_task::simulazione::{EsitoSimulazione, ParametroView, RichiestaSimulazione};

#[async_trait::async_trait]
pub trait SmartTaskBackend: Send + Sync + 'static {
    async fn smart_task_kinds(&self, req: &Parts) -> Result<Vec<KindView>, UiError>;
    async fn smart_task_targets(&self, req: &Parts, kind: String) -> Result<Vec<TargetView>, UiError>;
    async fn submit_smart_task(&self, req: &Parts, body: SubmitRequest, key: String) -> Result<RequestView, UiError>;
    async fn attivazioni(&self, req: &Parts) -> Result<Vec<AttivazioneView>, UiError>;
    async fn imposta_attivazione(
        &self,
        req: &Parts,
        tipo: String,
        body: ImpostaAttivazione,
    ) -> Result<AttivazioneView, UiError>;
    async fn parametri(&self, req: &Parts) -> Result<Vec<ParametroView>, UiError>;
    async fn simula(&self, req: &Parts, r: RichiestaSimulazione) -> Result<EsitoSimulazione, UiError>;
}
