//! What the richieste pages need from the server: what every request shares: list, detail, notifications, mailbox.

use crate::error::UiError;
use http::request::Parts;
use shared::dto::*;

#[async_trait::async_trait]
pub trait RichiesteBackend: Send + Sync + 'static {
    async fn requests(&self, req: &Parts, filter: RequestFilter) -> Result<SummaryPage, UiError>;
    async fn request(&self, req: &Parts, protocollo: String) -> Result<RequestView, UiError>;
    async fn notifications(&self, req: &Parts) -> Result<NotificationsView, UiError>;
    async fn mark_notifications_read(&self, req: &Parts) -> Result<u64, UiError>;
    async fn dev_mailbox(&self, req: &Parts) -> Result<Vec<MailView>, UiError>;
}
