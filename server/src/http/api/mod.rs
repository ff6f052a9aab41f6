//! REST API under /api/v1 for intermediaries' software and tests. Same services as the pages;
//! every error is problem+json.

pub mod admin;
pub mod comunicazioni;
pub mod document;
pub mod fascicolo;
pub mod identity;
pub mod presto;
pub mod presto_elenchi;
pub mod presto_portale;
pub mod presto_rimborsi;
pub mod richieste;
pub mod routes;
pub mod simulazioni;
pub mod smart_task;

use super::AppState;
use crate::error::AppError;
use crate::identity::Caller;
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, MatchedPath, Request};
use axum::http::header;
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
    (simulazioni::router, simulazioni::ROUTES),
    (richieste::router, richieste::ROUTES),
    (comunicazioni::router, comunicazioni::ROUTES),
    (fascicolo::router, fascicolo::ROUTES),
    (presto::router, presto::ROUTES),
    (presto_portale::router, presto_portale::ROUTES),
    (presto_elenchi::router, presto_elenchi::ROUTES),
    (presto_rimborsi::router, presto_rimborsi::ROUTES),
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
        .layer(axum::middleware::from_fn(problem_json))
}

/// Errors answered outside the handlers (axum's rejections of a path or query, a method the
/// route lacks, the body limit and timeout layers) become problem+json like all the others.
async fn problem_json(req: Request, next: Next) -> Response {
    let r = next.run(req).await;
    let status = r.status();
    let is_problem = r
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|c| c.starts_with("application/problem+json"));
    if is_problem || !(status.is_client_error() || status.is_server_error()) {
        return r;
    }
    let (parts, body) = r.into_parts();
    let text = axum::body::to_bytes(body, 4096).await.map(|b| String::from_utf8_lossy(&b).trim().to_string());
    let tecnico = text.ok().filter(|t| !t.is_empty()).map(|t| format!(" ({t})")).unwrap_or_default();
    let (code, title, detail) = match status.as_u16() {
        400 => ("bad_request", "Richiesta non valida", format!("Un parametro della richiesta non è valido{tecnico}.")),
        405 => ("method_not_allowed", "Metodo non consentito", "Questa risorsa non accetta questo metodo HTTP.".into()),
        408 => ("timeout", "Richiesta troppo lenta", "Il corpo della richiesta è arrivato troppo lentamente.".into()),
        413 => ("too_large", "Richiesta troppo grande", "Il corpo della richiesta supera il limite consentito.".into()),
        415 => {
            ("unsupported_media_type", "Formato non supportato", format!("Formato del corpo non supportato{tecnico}."))
        }
        _ => ("error", "Errore", format!("La richiesta non è andata a buon fine{tecnico}.")),
    };
    let mut out = crate::error::problem_response(&crate::error::problem(status, code, title, detail, vec![]));
    for name in [header::ALLOW, header::RETRY_AFTER] {
        if let Some(v) = parts.headers.get(&name) {
            out.headers_mut().insert(name, v.clone());
        }
    }
    out
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

/// A streamed download as an attachment under its file name.
pub(crate) fn download(e: crate::infra::export::Esportazione) -> Response {
    (
        [
            (axum::http::header::CONTENT_TYPE, e.formato.content_type().to_string()),
            (axum::http::header::CONTENT_DISPOSITION, format!("attachment; filename=\"{}\"", e.nome_file)),
        ],
        axum::body::Body::from_stream(e.corpo),
    )
        .into_response()
}

/// Every /api/v1 route the router serves, sorted (paths relative to /api/v1).
pub fn routes() -> Vec<routes::Route> {
    let mut all: Vec<routes::Route> = FEATURES.iter().flat_map(|(_, r)| r.iter().copied()).collect();
    all.sort();
    all
}
