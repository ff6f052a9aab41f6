//! The subject a call works on: the one given (API) or the one the session acts for.

use super::access;
use crate::error::{AppError, AppResult};
use crate::identity::Caller;
use crate::services::Services;
use shared::dto::SubjectSummary;

impl Services {
    /// The subject a call works on: the one given (API) or the one the session acts for; checked
    /// against the caller's rights today on every request.
    pub(crate) async fn subject(&self, caller: &Caller, soggetto_id: Option<i64>) -> AppResult<SubjectSummary> {
        let s = caller.require()?;
        access::require_company_role(&s.user)?;
        let id = soggetto_id.or(s.acting_for_id).ok_or_else(|| {
            AppError::field("soggetto_id", "Scegliere prima il soggetto per cui operare.", "required")
        })?;
        self.authorized_subject(caller, id).await
    }

    /// The company `id`, if the caller may act for it today; checked once for each request.
    pub(crate) async fn authorized_subject(&self, caller: &Caller, id: i64) -> AppResult<SubjectSummary> {
        if let Some(subject) = caller.authorized(id) {
            return Ok(subject);
        }
        let s = caller.require()?;
        let subject = access::authorize_subject(&self.db.read, &s.user, id, self.clock.today()).await?;
        caller.remember_authorized(&subject);
        Ok(subject)
    }
}
