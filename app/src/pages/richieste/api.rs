//! Server functions of what every request shares: list, detail, notifications.

use crate::error::UiError;
use leptos::prelude::*;
use shared::dto::*;
#[cfg(feature = "ssr")]
use {super::backend::RichiesteBackend, crate::ctx};

/// Flat arguments: the URL-encoded codec carries plain optional fields reliably, not nested ones.
#[server(prefix = "/sf", endpoint = "st_list")]
pub async fn st_list(
    stato: Option<String>,
    tipo: Option<String>,
    matricola: Option<String>,
    dal: Option<String>,
    al: Option<String>,
    pagina: Option<u32>,
) -> Result<SummaryPage, UiError> {
    let (b, req) = ctx::backend::<dyn RichiesteBackend>()?;
    b.requests(&req, shared::dto::RequestFilter { stato, tipo, matricola, dal, al, pagina }).await
}

#[server(prefix = "/sf", endpoint = "st_get")]
pub async fn st_get(protocollo: String) -> Result<RequestView, UiError> {
    let (b, req) = ctx::backend::<dyn RichiesteBackend>()?;
    b.request(&req, protocollo).await
}

/// Only the request's state: what its page asks every second while the examination runs, so
/// that the browser's WASM does not carry the reading of the whole detail.
#[server(prefix = "/sf", endpoint = "st_stato")]
pub async fn st_stato(protocollo: String) -> Result<shared::richiesta::Stato, UiError> {
    let (b, req) = ctx::backend::<dyn RichiesteBackend>()?;
    b.request(&req, protocollo).await.map(|r| r.stato)
}

#[server(prefix = "/sf", endpoint = "notifiche")]
pub async fn notifiche() -> Result<NotificationsView, UiError> {
    let (b, req) = ctx::backend::<dyn RichiesteBackend>()?;
    b.notifications(&req).await
}

#[server(prefix = "/sf", endpoint = "notifiche_lette")]
pub async fn notifiche_lette() -> Result<u64, UiError> {
    let (b, req) = ctx::backend::<dyn RichiesteBackend>()?;
    let n = b.mark_notifications_read(&req).await?;
    ctx::redirect_form_post("/notifiche");
    Ok(n)
}

#[server(prefix = "/sf", endpoint = "posta")]
pub async fn posta() -> Result<Vec<MailView>, UiError> {
    let (b, req) = ctx::backend::<dyn RichiesteBackend>()?;
    b.dev_mailbox(&req).await
}
