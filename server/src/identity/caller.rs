//! Who is calling: the session (if any) and the request, as the HTTP layer resolved them.

use super::auth::Session;
use crate::error::{AppError, AppResult};
use crate::infra::audit::Actor;

/// Who is calling, as resolved by the HTTP layer for one request.
#[derive(Debug, Clone)]
pub struct Caller {
    pub session: Option<Session>,
    /// Raw session token from the cookie (only to delete it at login).
    pub token: Option<String>,
    pub ip: String,
    pub request_id: String,
}

impl Caller {
    pub fn require(&self) -> AppResult<&Session> {
        self.session.as_ref().ok_or(AppError::Unauthenticated)
    }
    pub(crate) fn actor(&self, s: &Session) -> Actor {
        Actor {
            user_id: Some(s.user.id),
            name: s.user.username.clone(),
            acting_for_id: s.acting_for_id,
            request_id: Some(self.request_id.clone()),
        }
    }
}
