//! HTTP surface: middleware, REST API under /api/v1, leptos SSR and server functions.

pub mod api;
pub mod backend;
mod made_pages;
pub mod middleware;
pub mod pages;

use crate::services::Services;
use axum::Router;
use axum::routing::get;
use leptos::prelude::*;
use leptos_axum::{LeptosRoutes, generate_route_list};
use std::sync::Arc;
use tower_http::compression::{CompressionLayer, CompressionLevel};

/// Cloned by each layer a request goes through: one reference count (as [`Services`]).
#[derive(Clone)]
pub struct AppState(Arc<AppStateParts>);

pub struct AppStateParts {
    pub leptos_options: LeptosOptions,
    pub services: Services,
    /// What the pages' server functions call; the pages' own form handlers call it too.
    pub backend: Arc<backend::ServerBackend>,
}

impl std::ops::Deref for AppState {
    type Target = AppStateParts;

    fn deref(&self) -> &AppStateParts {
        &self.0
    }
}

impl axum::extract::FromRef<AppState> for LeptosOptions {
    fn from_ref(s: &AppState) -> LeptosOptions {
        s.leptos_options.clone()
    }
}

pub fn router(services: Services, leptos_options: LeptosOptions) -> Router {
    let backend = Arc::new(backend::ServerBackend { services: services.clone() });
    let routes = generate_route_list(app::App);
    let state = AppState(Arc::new(AppStateParts {
        leptos_options: leptos_options.clone(),
        services: services.clone(),
        backend: backend.clone(),
    }));

    let ctx_backend = backend.clone();
    let pages = Router::new()
        .leptos_routes_with_context(&state, routes, move || app::backend::provide(&ctx_backend), {
            let opts = leptos_options.clone();
            move || app::shell(opts.clone())
        })
        // Without the page's script the two-way form posts to its own page (see `pages`).
        .route(app::pages::comunicazioni::PAGE_PATH, axum::routing::post(pages::two_way))
        .route("/richiesta/{protocollo}", axum::routing::post(pages::message))
        .route("/fascicolo/richiesta/{protocollo}", axum::routing::post(pages::branch_action))
        // Only the pages (made a few at a time, then compressed whole): the API and the assets
        // go straight to tower-http's layer.
        .layer(axum::middleware::from_fn_with_state(
            made_pages::PageTurns::new(services.config.max_concurrent_pages),
            made_pages::made_pages,
        ));

    let fallback_backend = backend.clone();
    let fallback = leptos_axum::file_and_error_handler_with_context::<AppState, _>(
        move || app::backend::provide(&fallback_backend),
        app::shell,
    );
    Router::new()
        .nest("/api/v1", api::router())
        .route("/healthz", get(|| async { "ok" }))
        // The printable receipt, next to the request's page (same authorization as the API).
        .route("/richiesta/{protocollo}/ricevuta.pdf", get(api::richieste::receipt))
        .merge(pages)
        .fallback(fallback)
        .with_state(state)
        // A bug that panics in a handler answers like any internal error (problem+json, 500),
        // logged, instead of dropping the connection.
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(middleware::panic_response))
        .layer(axum::middleware::from_fn_with_state(services.config.request_timeout, middleware::deadline))
        .layer(tower_http::timeout::RequestBodyTimeoutLayer::new(services.config.body_timeout))
        .layer(tower::limit::GlobalConcurrencyLimitLayer::new(services.config.max_concurrent_requests))
        .layer(axum::middleware::from_fn(middleware::upload_guard))
        .layer(axum::middleware::from_fn_with_state(services.clone(), middleware::load_caller))
        .layer(axum::middleware::from_fn_with_state(services.config.clone(), middleware::origin_check))
        .layer(axum::middleware::from_fn_with_state(services.config.clone(), middleware::security_headers))
        // Pages and API answers are compressed as they are made, at the fastest level (brotli 0,
        // gzip 1): at brotli's default 11 (meant for files compressed once) and even at 4, each
        // answer set up large zeroed tables, and the request list at 64 connections fell from
        // ≈ 1,050 pages/s uncompressed to 710–790 (the bench's load, A/B runs); at the fastest
        // level it stays at 790–1,070, as uncompressed, and a page is 2.3 KB instead of 2.1.
        // zstd 1 goes first where the browser takes it (Chromium since 123): the request list
        // compressed at 64 connections went from 2,912–3,030 pages/s (brotli 0) to 3,169–3,207,
        // 4.0 KB a page instead of 4.1 (A/B runs). The pages themselves are compressed whole
        // with zstd before this layer sees them (`made_pages`): 2,989–3,326 → 3,465–3,512
        // pages a second, p99 22.6–26.6 → 20.5–22.5 ms. The built assets are precompressed at 11
        // (brotli, gzip) and served as they are.
        .layer(CompressionLayer::new().quality(CompressionLevel::Fastest))
        .layer(axum::middleware::from_fn(middleware::request_id))
}
