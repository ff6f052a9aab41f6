//! What the identity pages need from the server: session, log in and out, acting for a subject, API tokens.

use crate::error::UiError;
use http::request::Parts;
use shared::dto::*;

/// What the login server function gets back: the cookie to set and the session.
pub struct LoggedIn {
    pub set_cookie: String,
    pub session: SessionView,
}

#[async_trait::async_trait]
pub trait IdentityBackend: Send + Sync + 'static {
    async fn login(&self, req: &Parts, username: String, password: String) -> Result<LoggedIn, UiError>;
    /// Returns the Set-Cookie value that clears the session cookie.
    async fn logout(&self, req: &Parts) -> Result<String, UiError>;
    async fn session(&self, req: &Parts) -> Result<Option<SessionView>, UiError>;
    async fn subjects(&self, req: &Parts) -> Result<Vec<SubjectSummary>, UiError>;
    async fn act_for(&self, req: &Parts, subject_id: i64) -> Result<SubjectSummary, UiError>;
    async fn api_tokens(&self, req: &Parts) -> Result<Vec<ApiTokenView>, UiError>;
    async fn create_api_token(&self, req: &Parts, nome: String) -> Result<NewApiToken, UiError>;
    async fn revoke_api_token(&self, req: &Parts, id: i64) -> Result<ApiTokenView, UiError>;
}
