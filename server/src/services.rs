//! The handle every feature's operations hang on (`impl Services` in each feature folder). REST
//! handlers and leptos server functions only parse input, take the caller from the request and
//! call these; authorization for every row happens in the operations.

use crate::config::Config;
use crate::infra::clock::Clock;
use crate::infra::db::Db;

/// Cloned for every request, and by each layer a request goes through: one reference count, not
/// one for each of its parts (their clones and drops took 2 % of the request list's time, the
/// counts bouncing between the cores).
#[derive(Clone)]
pub struct Services(std::sync::Arc<ServicesParts>);

/// What [`Services`] holds.
pub struct ServicesParts {
    pub db: Db,
    /// Shared: every request's middleware holds it, and a copy of its strings each time showed in
    /// the profile of the request list.
    pub config: std::sync::Arc<Config>,
    /// Wakes the istruttoria worker when a request is submitted.
    pub wake: std::sync::Arc<tokio::sync::Notify>,
    /// Password checks running at once (`Config::login_concurrent_hashes`).
    pub hashes: std::sync::Arc<tokio::sync::Semaphore>,
    /// Where every operation reads today's date from (tests set the day).
    pub clock: Clock,
}

impl std::ops::Deref for Services {
    type Target = ServicesParts;

    fn deref(&self) -> &ServicesParts {
        &self.0
    }
}

impl Services {
    pub fn new(db: Db, config: Config) -> Self {
        let hashes = std::sync::Arc::new(tokio::sync::Semaphore::new(config.login_concurrent_hashes));
        Services(std::sync::Arc::new(ServicesParts {
            db,
            config: std::sync::Arc::new(config),
            wake: Default::default(),
            hashes,
            clock: Clock::default(),
        }))
    }
}
