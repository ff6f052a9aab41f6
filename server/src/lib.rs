//! The Sportello server: configuration, database, identity and sessions, authorization
//! (role, sede, delega), audit trail, job queue, services and the HTTP surface (REST API + SSR).

// Without `erase_components` (release builds) the pages' nested view types are monomorphised
// here, in the server's SSR; the request list goes past the default depth of 128.
#![recursion_limit = "256"]

pub mod admin;
pub mod comunicazioni;
pub mod config;
pub mod error;
pub mod fascicolo;
pub mod home;
pub mod http;
pub mod identity;
pub mod infra;
pub mod presto;
pub mod richieste;
pub mod seed;
pub mod services;
pub mod smart_task;

pub use config::Config;
pub use error::AppError;
pub use infra::db::Db;

use leptos::prelude::LeptosOptions;
use std::net::SocketAddr;

/// Connects, migrates and builds the whole HTTP application.
pub async fn build(
    config: Config,
    leptos_options: LeptosOptions,
) -> Result<(axum::Router, services::Services), AppError> {
    let db = Db::connect(&config.database_url).await?;
    db.migrate().await?;
    if infra::audit::development_key_in_use() {
        tracing::warn!(
            "registro di audit firmato con la chiave di sviluppo: impostare SPORTELLO_CHIAVI_AUDIT in produzione"
        );
    }
    let sender = match &config.smtp_url {
        Some(url) => Some(infra::mail::Sender::new(url, &config.mail_from)?),
        None => None,
    };
    let services = services::Services::new(db, config);
    for _ in 0..services.config.workers {
        smart_task::worker::spawn(services.db.clone(), services.wake.clone());
    }
    if services.config.pagamenti_automatici {
        presto::pay_run::spawn_scheduler(services.clone());
    }
    if let Some(sender) = sender {
        infra::mail::spawn(services.db.clone(), sender);
    }
    Ok((http::router(services.clone(), leptos_options), services))
}

/// Serves until the future `shutdown` completes.
pub async fn serve(
    listener: tokio::net::TcpListener,
    router: axum::Router,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(shutdown)
        .await
}

/// Leptos options from the environment (LEPTOS_* variables, as set by cargo-leptos).
pub fn leptos_options_from_env() -> Result<LeptosOptions, AppError> {
    leptos::prelude::get_configuration(None)
        .map(|c| c.leptos_options)
        .map_err(|e| AppError::Internal(format!("leptos: {e}")))
}
