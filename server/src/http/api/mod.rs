//! REST API under /api/v1 for intermediaries' software and tests. Same services as the pages;
//! every error is problem+json.

pub mod admin;
pub mod comunicazioni;
pub mod document;
pub mod fascicolo;
pub mod identity;
pub mod presto;
pub mod richieste;
pub mod routes;
pub mod smart_task;

use super::AppState;
use crate::error::AppError;
use crate::identity::Caller;
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, MatchedPath, Request};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::{Json, Router};
use serde::de::DeserializeOwned;

/// `Json<T>` whose rejections (bad syntax, wrong types, wrong content type) are problem+json.
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = AppError;
    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match Json::<T>::from_request(req, state).await {
            Ok(Json(v)) => Ok(ApiJson(v)),
            Err(JsonRejection::MissingJsonContentType(_)) => Err(AppError::BadRequest(
                "Il corpo della richiesta deve essere JSON (Content-Type: application/json).".into(),
            )),
            Err(e) => Err(AppError::BadRequest(format!("Il corpo JSON non è valido: {}", e.body_text()))),
        }
    }
}

type Feature = (fn() -> Router<AppState>, &'static [routes::Route]);

/// The features under /api/v1: one list builds the router and the list of its routes.
const FEATURES: &[Feature] = &[
    (identity::router, identity::ROUTES),
    (admin::router, admin::ROUTES),
    (smart_task::router, smart_task::ROUTES),
    (richieste::router, richieste::ROUTES),
    (comunicazioni::router, comunicazioni::ROUTES),
    (fascicolo::router, fascicolo::ROUTES),
    (presto::router, presto::ROUTES),
    (document::router, document::ROUTES),
];

/// Every feature's routes under /api/v1, merged in one place. Without a session every route
/// but the public ones answers 401 before reading its input.
pub fn router() -> Router<AppState> {
    FEATURES
        .iter()
        .fold(Router::new(), |r, (feature, _)| r.merge(feature()))
        .route_layer(axum::middleware::from_fn(require_session))
        .fallback(|| async { AppError::NotFound("Risorsa API inesistente.".into()) })
}

/// What anyone may call: the description, logging in, checking an identifier's syntax, and
/// closing a session that may already have expired.
pub const PUBLIC: &[routes::Route] = &[
    routes::Route { method: "get", path: "/openapi.json" },
    routes::Route { method: "post", path: "/sessione" },
    routes::Route { method: "delete", path: "/sessione" },
    routes::Route { method: "post", path: "/identificativi/verifica" },
];

async fn require_session(matched: Option<MatchedPath>, req: Request, next: Next) -> Response {
    let path = matched.as_ref().map(|m| m.as_str()).unwrap_or_default();
    let path = path.strip_prefix("/api/v1").unwrap_or(path);
    let method = req.method().as_str().to_ascii_lowercase();
    let public = PUBLIC.iter().any(|r| r.path == path && r.method == method);
    let signed_in = req.extensions().get::<Caller>().is_some_and(|c| c.session.is_some());
    if public || signed_in { next.run(req).await } else { AppError::Unauthenticated.into_response() }
}

/// Every /api/v1 route the router serves, sorted (paths relative to /api/v1).
pub fn routes() -> Vec<routes::Route> {
    let mut all: Vec<routes::Route> = FEATURES.iter().flat_map(|(_, r)| r.iter().copied()).collect();
    all.sort();
    all
}
