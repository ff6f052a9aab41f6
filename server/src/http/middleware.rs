//! Cross-cutting request handling.

use crate::config::Config;
use crate::error::AppError;
use crate::identity::Caller;
use crate::identity::auth;
use crate::services::Services;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::net::SocketAddr;

#[derive(Clone, Debug)]
pub struct RequestId(pub String);

pub async fn request_id(mut req: Request, next: Next) -> Response {
    let id = auth::new_token()[..16].to_string();
    req.extensions_mut().insert(RequestId(id.clone()));
    let mut res = next.run(req).await;
    if let Ok(v) = HeaderValue::from_str(&id) {
        res.headers_mut().insert("x-request-id", v);
    }
    res
}

pub fn cookie_value(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
        .filter(|v| !v.is_empty())
}

/// The credential the request presents, and whether it came in an `Authorization` header. The
/// header wins over the cookie and must be valid itself: a wrong token is refused (401), never
/// silently replaced by the cookie's session.
fn session_token(headers: &HeaderMap, config: &Config) -> Result<Option<(String, bool)>, AppError> {
    match headers.get(header::AUTHORIZATION) {
        Some(v) => v
            .to_str()
            .ok()
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(|t| Some((t.to_string(), true)))
            .ok_or(AppError::Unauthenticated),
        None => Ok(cookie_value(headers, config.session_cookie_name()).map(|t| (t, false))),
    }
}

/// Resolves the session cookie (or an `Authorization: Bearer` session token for API clients)
/// into a [`Caller`] stored in the request extensions, for handlers and server functions.
pub async fn load_caller(State(services): State<Services>, mut req: Request, next: Next) -> Response {
    let config = &services.config;
    // Built assets need no identity: spare the session lookup (several per page load).
    let presented = if is_public_asset(req.uri().path()) {
        None
    } else {
        match session_token(req.headers(), config) {
            Ok(t) => t,
            Err(e) => return e.into_response(),
        }
    };
    let session = match &presented {
        None => None,
        Some((t, from_header)) => {
            let api_token = t.starts_with(auth::API_TOKEN_PREFIX);
            let found = if api_token {
                auth::load_api_token(&services.db, t).await
            } else {
                auth::load_session(&services.db, config, t).await
            };
            match found {
                // An expired cookie is just a visitor again; a token presented must be valid.
                Ok(None) if api_token || *from_header => return AppError::Unauthenticated.into_response(),
                Ok(s) => s,
                Err(e) => return e.into_response(),
            }
        }
    };
    let token = presented.map(|(t, _)| t);
    // A read-only token may still end itself (DELETE /api/v1/sessione revokes it).
    let own_logout = req.method() == Method::DELETE && req.uri().path() == "/api/v1/sessione";
    if session.as_ref().is_some_and(|s| s.read_only) && !is_safe(req.method()) && !own_logout {
        return AppError::Forbidden(
            "Il token usato è di sola lettura: per inviare o modificare dati serve un token con tutti i permessi."
                .into(),
        )
        .into_response();
    }
    let peer = req.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip());
    let ip = config.client_ip(peer, req.headers());
    let request_id = req.extensions().get::<RequestId>().map(|r| r.0.clone()).unwrap_or_default();
    req.extensions_mut().insert(Caller::new(session, token, ip, request_id));
    next.run(req).await
}

fn is_safe(m: &Method) -> bool {
    matches!(*m, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// Cross-site request forgery defence for every state-changing request, server functions
/// included: a browser always sends `Origin` (or at least `Sec-Fetch-Site`) on such requests, and
/// it must be this site. Clients that send neither (API software) carry no ambient cookie risk.
pub async fn origin_check(State(config): State<std::sync::Arc<Config>>, req: Request, next: Next) -> Response {
    if is_safe(req.method()) {
        return next.run(req).await;
    }
    let headers = req.headers();
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or("");
    let allowed = |origin: &str| {
        origin.strip_prefix("http://").or_else(|| origin.strip_prefix("https://")).is_some_and(|h| h == host)
            || config.public_origin.as_deref() == Some(origin)
    };
    let ok = match headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        Some(origin) => allowed(origin),
        None => match headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
            Some(site) => site == "same-origin" || site == "none",
            None => true,
        },
    };
    if !ok {
        return AppError::Forbidden(
            "Richiesta rifiutata: proviene da un sito diverso da Sportello. Se ha seguito un collegamento esterno, apra Sportello direttamente."
                .into(),
        )
        .into_response();
    }
    next.run(req).await
}

/// Paths of the two-way request upload: the page's multipart server function, and the page
/// itself for the plain form post made without its script.
pub const UPLOAD_PATHS: [&str; 2] = [
    <app::pages::comunicazioni::api::CbInvio as leptos::server_fn::ServerFn>::PATH,
    app::pages::comunicazioni::PAGE_PATH,
];

/// The page's upload: only a well-formed multipart body, and never more than three files at
/// the limit plus the text fields. A declared length over the bound is refused before reading
/// (for the page's plain post, by its handler, in the page); an undeclared one is cut while
/// streaming (the form then reports an incomplete upload).
pub async fn upload_guard(req: Request, next: Next) -> Response {
    if req.method() != Method::POST || !UPLOAD_PATHS.contains(&req.uri().path()) {
        return next.run(req).await;
    }
    let max = UPLOAD_MAX_BYTES;
    let multipart = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("multipart/form-data") && multer::parse_boundary(ct).is_ok());
    if !multipart {
        return AppError::BadRequest("Il modulo deve essere inviato come multipart/form-data.".into()).into_response();
    }
    // The page's plain post shows this in the page itself (`pages::two_way`).
    if declared_length(req.headers()).is_some_and(|n| n > max)
        && req.uri().path() != app::pages::comunicazioni::PAGE_PATH
    {
        return AppError::field("allegati", shared::comunicazioni::allegati_troppo_grandi(), "too_large")
            .into_response();
    }
    let req = req.map(|b| axum::body::Body::new(http_body_util::Limited::new(b, max)));
    next.run(req).await
}

pub use shared::comunicazioni::UPLOAD_MULTIPART_MAX_BYTES as UPLOAD_MAX_BYTES;

/// The body length the request declares, if any.
pub fn declared_length(headers: &HeaderMap) -> Option<usize> {
    headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse().ok())
}

/// Headers for every response. HTML pages set their own CSP with the script nonce; everything
/// else gets a CSP that allows nothing.
pub async fn security_headers(State(config): State<std::sync::Arc<Config>>, req: Request, next: Next) -> Response {
    let public_asset = is_public_asset(req.uri().path());
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    // Everything but the built assets may carry personal data (pages, API JSON, server
    // functions, attachments, receipts, errors): no copy in any cache, shared or private.
    if !public_asset {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    h.insert("permissions-policy", HeaderValue::from_static("camera=(), microphone=(), geolocation=(), payment=()"));
    h.insert("cross-origin-opener-policy", HeaderValue::from_static("same-origin"));
    if !h.contains_key(header::CONTENT_SECURITY_POLICY) {
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("default-src 'none'; style-src 'self'; img-src 'self'; frame-ancestors 'none'"),
        );
    }
    if config.secure_cookies {
        h.insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static("max-age=31536000; includeSubDomains"));
    }
    res
}

/// A request still running after `limit` is abandoned (dropping it rolls back its open
/// transaction) and answered 503, so no client holds the server indefinitely.
pub async fn deadline(State(limit): State<std::time::Duration>, req: Request, next: Next) -> Response {
    match tokio::time::timeout(limit, next.run(req)).await {
        Ok(r) => r,
        Err(_) => AppError::Unavailable(
            "La richiesta ha richiesto troppo tempo ed è stata interrotta senza effetti: riprovare tra poco.".into(),
            5,
        )
        .into_response(),
    }
}

pub fn panic_response(panic: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let what = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or("panic");
    AppError::Internal(format!("panic: {what}")).into_response()
}

/// The site's built files (script, styles, icon): the same for everyone.
fn is_public_asset(path: &str) -> bool {
    path.starts_with("/pkg/") || path == "/favicon.svg"
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn cookie_parsing() {
        let mut h = HeaderMap::new();
        h.insert(header::COOKIE, HeaderValue::from_static("a=1; sportello=abc; b=2"));
        assert_eq!(cookie_value(&h, "sportello"), Some("abc".into()));
        assert_eq!(cookie_value(&h, "sport"), None);
        h.insert(header::COOKIE, HeaderValue::from_static("sportello="));
        assert_eq!(cookie_value(&h, "sportello"), None);
    }
}
