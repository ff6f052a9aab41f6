//! Business operations. REST handlers and leptos server functions only parse input, take the
//! caller from the request and call these; authorization for every row happens here.

use crate::config::Config;
use crate::error::{AppError, AppResult};
use crate::identity::auth::Session;
use crate::infra::audit::Actor;
use crate::infra::db::Db;

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

#[derive(Clone)]
pub struct Services {
    pub db: Db,
    pub config: Config,
    /// Wakes the istruttoria worker when a request is submitted.
    pub wake: std::sync::Arc<tokio::sync::Notify>,
}

impl Services {
    pub fn new(db: Db, config: Config) -> Self {
        Services { db, config, wake: Default::default() }
    }
}
