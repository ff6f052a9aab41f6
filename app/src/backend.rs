//! What the pages need from the server, as a trait the server implements: server functions stay
//! thin adapters and the same services back the REST API.

use http::request::Parts;
use shared::dto::{AssignOperator, HomeData, OperatorView, Problem, SedeView, SessionView, SubjectSummary};
use std::sync::Arc;

pub struct LoggedIn {
    pub set_cookie: String,
    pub session: SessionView,
}

#[async_trait::async_trait]
pub trait Backend: Send + Sync + 'static {
    async fn login(&self, req: &Parts, username: String, password: String) -> Result<LoggedIn, Problem>;
    /// Returns the Set-Cookie value that clears the session cookie.
    async fn logout(&self, req: &Parts) -> Result<String, Problem>;
    async fn session(&self, req: &Parts) -> Result<Option<SessionView>, Problem>;
    async fn home(&self, req: &Parts) -> Result<HomeData, Problem>;
    async fn subjects(&self, req: &Parts) -> Result<Vec<SubjectSummary>, Problem>;
    async fn act_for(&self, req: &Parts, subject_id: i64) -> Result<SubjectSummary, Problem>;
    async fn operators(&self, req: &Parts) -> Result<Vec<OperatorView>, Problem>;
    async fn sedi(&self, req: &Parts) -> Result<Vec<SedeView>, Problem>;
    async fn assign_operator(&self, req: &Parts, user_id: i64, assign: AssignOperator)
    -> Result<OperatorView, Problem>;
}

pub type SharedBackend = Arc<dyn Backend>;
