//! What every request shares: the list, the detail, the receipt, the notifications.

use super::AppState;
use crate::error::{AppError, AppResult};
use crate::identity::Caller;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use serde::Deserialize;
use shared::dto::*;

super::routes::api_routes! {
    get "/richieste" => st_list;
    get "/richieste/{protocollo}" => st_get;
    get "/richieste/{protocollo}/ricevuta.pdf" => receipt;
    get "/notifiche" => notifications;
    post "/notifiche/lette" => notifications_read;
    get "/posta" => dev_mailbox;
}

#[derive(Deserialize)]
pub(super) struct ListQuery {
    soggetto_id: Option<i64>,
    stato: Option<String>,
    tipo: Option<String>,
    matricola: Option<String>,
    dal: Option<String>,
    al: Option<String>,
    /// Text, so that a bad value is a field error in problem+json, not a bare 400.
    pagina: Option<String>,
}

/// Beyond any real list (20 per page); the bound keeps the OFFSET arithmetic small.
const PAGINA_MAX: u32 = 100_000;

/// A page number as typed in a query (`pagina`): absent, or 1..=100,000.
pub(super) fn pagina_param(pagina: Option<String>) -> AppResult<Option<u32>> {
    match pagina.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
        None => Ok(None),
        Some(p) => Ok(Some(p.parse::<u32>().ok().filter(|p| (1..=PAGINA_MAX).contains(p)).ok_or_else(|| {
            AppError::field("pagina", "Il numero di pagina deve essere un intero da 1 a 100.000.", "invalid")
        })?)),
    }
}

pub(super) fn list_filter(q: ListQuery) -> AppResult<(Option<i64>, shared::dto::RequestFilter)> {
    let ListQuery { soggetto_id, stato, tipo, matricola, dal, al, pagina } = q;
    let pagina = pagina_param(pagina)?;
    Ok((soggetto_id, shared::dto::RequestFilter { stato, tipo, matricola, dal, al, pagina }))
}

#[derive(Deserialize)]
pub(super) struct SubjectQuery {
    pub(super) soggetto_id: Option<i64>,
}

#[utoipa::path(get, path = "/api/v1/richieste", tag = "smart-task",
    params(("soggetto_id" = Option<i64>, Query), ("stato" = Option<String>, Query), ("tipo" = Option<String>, Query),
        ("matricola" = Option<String>, Query), ("dal" = Option<String>, Query, description = "gg/mm/aaaa"),
        ("al" = Option<String>, Query, description = "gg/mm/aaaa"), ("pagina" = Option<u32>, Query, minimum = 1, maximum = 100000)),
    responses((status = 200, description = "Le richieste, dalla più recente, 20 per pagina", body = RequestPage),
        (status = 422, description = "Filtri non validi", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Non autenticato", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Non autorizzato per questo soggetto", body = Problem, content_type = "application/problem+json"),))]
async fn st_list(
    State(s): State<AppState>,
    Extension(c): Extension<Caller>,
    Query(q): Query<ListQuery>,
) -> AppResult<Response> {
    let (soggetto_id, filter) = list_filter(q)?;
    Ok(Json(s.services.list_requests(&c, soggetto_id, filter).await?).into_response())
}

#[utoipa::path(get, path = "/api/v1/richieste/{protocollo}", tag = "smart-task",
    params(("protocollo" = String, Path)),
    responses((status = 200, description = "La richiesta con i controlli eseguiti e la cronologia", body = RequestView),
        (status = 404, description = "Richiesta inesistente", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Non autenticato", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Non autorizzato per questo soggetto", body = Problem, content_type = "application/problem+json"),))]
async fn st_get(
    State(s): State<AppState>,
    Extension(c): Extension<Caller>,
    Path(p): Path<String>,
) -> AppResult<Response> {
    Ok(Json(s.services.request_view(&c, &p).await?).into_response())
}

#[utoipa::path(get, path = "/api/v1/richieste/{protocollo}/ricevuta.pdf", tag = "smart-task",
    params(("protocollo" = String, Path)),
    responses((status = 200, description = "La ricevuta in PDF", content_type = "application/pdf"),
        (status = 404, description = "Richiesta inesistente", body = Problem, content_type = "application/problem+json")))]
pub async fn receipt(
    State(s): State<AppState>,
    Extension(c): Extension<Caller>,
    Path(p): Path<String>,
) -> AppResult<Response> {
    let (name, pdf) = s.services.receipt(&c, &p).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf".to_string()),
            (header::CONTENT_DISPOSITION, format!("inline; filename=\"{name}\"")),
        ],
        pdf,
    )
        .into_response())
}

#[utoipa::path(get, path = "/api/v1/notifiche", tag = "notifiche", params(("soggetto_id" = Option<i64>, Query)),
    responses((status = 200, description = "Le notifiche dell'azienda, lette o no dal chiamante", body = NotificationsView),
        (status = 401, description = "Non autenticato", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Non autorizzato per questo soggetto", body = Problem, content_type = "application/problem+json"),))]
async fn notifications(
    State(s): State<AppState>,
    Extension(c): Extension<Caller>,
    Query(q): Query<SubjectQuery>,
) -> AppResult<Response> {
    Ok(Json(s.services.notifications(&c, q.soggetto_id).await?).into_response())
}

#[utoipa::path(post, path = "/api/v1/notifiche/lette", tag = "notifiche", params(("soggetto_id" = Option<i64>, Query)),
    responses((status = 200, description = "Quante notifiche sono state segnate come lette"),
        (status = 401, description = "Non autenticato", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Non autorizzato per questo soggetto", body = Problem, content_type = "application/problem+json"),))]
async fn notifications_read(
    State(s): State<AppState>,
    Extension(c): Extension<Caller>,
    Query(q): Query<SubjectQuery>,
) -> AppResult<Response> {
    let n = s.services.mark_notifications_read(&c, q.soggetto_id).await?;
    Ok(Json(serde_json::json!({ "segnate_come_lette": n })).into_response())
}

#[utoipa::path(get, path = "/api/v1/posta", tag = "notifiche", params(("soggetto_id" = Option<i64>, Query)),
    responses((status = 200, description = "Casella di sviluppo: le e-mail accodate per il soggetto, senza server SMTP", body = Vec<MailView>),
        (status = 404, description = "Casella non disponibile (è configurato un server SMTP)", body = Problem, content_type = "application/problem+json")))]
async fn dev_mailbox(
    State(s): State<AppState>,
    Extension(c): Extension<Caller>,
    Query(q): Query<SubjectQuery>,
) -> AppResult<Response> {
    Ok(Json(s.services.dev_mailbox(&c, q.soggetto_id).await?).into_response())
}
