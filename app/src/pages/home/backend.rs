//! What the home pages need from the server: the home page.

use crate::error::UiError;
use http::request::Parts;
use shared::dto::*;

#[async_trait::async_trait]
pub trait HomeBackend: Send + Sync + 'static {
    async fn home(&self, req: &Parts) -> Result<HomeData, UiError>;
}
