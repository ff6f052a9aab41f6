//! What the server functions share on the server: the backend and request from the context,
//! the redirect of a plain form post, cookies.

use crate::error::UiError;
use http::request::Parts;
use leptos::prelude::*;
use std::sync::Arc;

fn missing(what: &str) -> UiError {
    UiError::new("internal", "Errore del servizio", 500, format!("Configurazione del servizio incompleta ({what})."))
}

/// The feature's backend `B` (e.g. `dyn IdentityBackend`) the server put in the context, and the
/// request being answered.
pub fn backend<B: ?Sized + Send + Sync + 'static>() -> Result<(Arc<B>, Parts), UiError> {
    let b = use_context::<Arc<B>>().ok_or_else(|| missing("backend"))?;
    let parts = use_context::<Parts>().ok_or_else(|| missing("request"))?;
    Ok((b, parts))
}

/// Sends a plain form post (no JavaScript yet, or none at all) to `path`. Requests made by
/// the WASM are left alone: the page then does a full load itself, so the new identity or
/// subject is rendered once, everywhere.
pub fn redirect_form_post(path: &str) {
    let html = use_context::<Parts>()
        .and_then(|p| {
            p.headers.get(http::header::ACCEPT).and_then(|v| v.to_str().ok()).map(|a| a.contains("text/html"))
        })
        .unwrap_or(false);
    if html {
        leptos_axum::redirect(path);
    }
}

pub fn set_cookie(value: &str) {
    if let (Some(resp), Ok(v)) = (use_context::<leptos_axum::ResponseOptions>(), http::HeaderValue::from_str(value)) {
        resp.append_header(http::header::SET_COOKIE, v);
    }
}
