//! Who is calling: the session (if any) and the request, as the HTTP layer resolved them.

use super::auth::Session;
use crate::error::{AppError, AppResult};
use crate::infra::audit::Actor;
use shared::dto::SubjectSummary;
use std::sync::{Arc, Mutex};

/// Who is calling, as resolved by the HTTP layer for one request.
#[derive(Debug, Clone)]
pub struct Caller {
    pub session: Option<Session>,
    /// Raw session token from the cookie (only to delete it at login).
    pub token: Option<String>,
    pub ip: String,
    pub request_id: String,
    /// The company this request was found allowed to act for: a page's header and its content
    /// both ask, and the answer cannot change within one request.
    authorized: Arc<Mutex<Option<SubjectSummary>>>,
}

impl Caller {
    pub fn new(session: Option<Session>, token: Option<String>, ip: String, request_id: String) -> Caller {
        Caller { session, token, ip, request_id, authorized: Arc::default() }
    }

    /// The company `id`, if this request already found the caller allowed to act for it.
    pub(crate) fn authorized(&self, id: i64) -> Option<SubjectSummary> {
        self.authorized.lock().ok()?.as_ref().filter(|s| s.id == id).cloned()
    }

    pub(crate) fn remember_authorized(&self, subject: &SubjectSummary) {
        if let Ok(mut a) = self.authorized.lock() {
            *a = Some(subject.clone());
        }
    }

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
