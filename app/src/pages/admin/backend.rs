//! What the admin pages need from the server: the profiling administrator.

use crate::error::UiError;
use http::request::Parts;
use shared::dto::*;

#[async_trait::async_trait]
pub trait AdminBackend: Send + Sync + 'static {
    async fn operators(&self, req: &Parts) -> Result<Vec<OperatorView>, UiError>;
    async fn sedi(&self, req: &Parts) -> Result<Vec<SedeView>, UiError>;
    async fn assign_operator(&self, req: &Parts, user_id: i64, assign: AssignOperator)
    -> Result<OperatorView, UiError>;
}
