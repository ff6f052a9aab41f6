//! What the comunicazioni pages need from the server: two-way requests.

use crate::error::UiError;
use http::request::Parts;
use shared::dto::*;

#[async_trait::async_trait]
pub trait ComunicazioniBackend: Send + Sync + 'static {
    /// A two-way request from the page: the fields and the uploaded files as read.
    async fn submit_two_way(
        &self,
        req: &Parts,
        body: NuovaComunicazione,
        files: Vec<AllegatoBytes>,
    ) -> Result<RequestView, UiError>;
    async fn add_message(&self, req: &Parts, protocollo: String, testo: String) -> Result<RequestView, UiError>;
}
