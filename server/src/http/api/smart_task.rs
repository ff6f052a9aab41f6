//! Smart-Task: the kinds, their targets and the submission.

use super::richieste::SubjectQuery;
use super::{ApiJson, AppState};
use crate::error::AppResult;
use crate::identity::Caller;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use shared::dto::*;

super::routes::api_routes! {
    get "/smart-task/tipi" => st_kinds;
    get "/smart-task/tipi/{tipo}/oggetti" => st_targets;
    post "/richieste" => st_submit;
    get "/smart-task/attivazioni" => st_attivazioni;
    put "/smart-task/attivazioni/{tipo}" => st_imposta_attivazione;
}

#[utoipa::path(get, path = "/api/v1/smart-task/tipi", tag = "smart-task",
    responses((status = 200, description = "I tipi di Smart-Task", body = Vec<KindView>),
        (status = 401, description = "Non autenticato", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Non autorizzato per questo soggetto", body = Problem, content_type = "application/problem+json"),))]
async fn st_kinds(State(s): State<AppState>, Extension(c): Extension<Caller>) -> AppResult<Response> {
    Ok(Json(s.services.smart_task_kinds(&c).await?).into_response())
}

#[utoipa::path(get, path = "/api/v1/smart-task/tipi/{tipo}/oggetti", tag = "smart-task",
    params(("tipo" = String, Path, description = "Codice del tipo, ad esempio revoca_delega_intermediario"),
        ("soggetto_id" = Option<i64>, Query, description = "L'azienda (predefinita: quella della sessione)")),
    responses((status = 200, description = "Su che cosa può agire una richiesta, con i dati già noti e le risposte suggerite", body = Vec<TargetView>),
        (status = 401, description = "Non autenticato", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Non autorizzato per questo soggetto", body = Problem, content_type = "application/problem+json"),))]
async fn st_targets(
    State(s): State<AppState>,
    Extension(c): Extension<Caller>,
    Path(tipo): Path<String>,
    Query(q): Query<SubjectQuery>,
) -> AppResult<Response> {
    Ok(Json(s.services.smart_task_targets(&c, &tipo, q.soggetto_id).await?).into_response())
}

#[utoipa::path(post, path = "/api/v1/richieste", tag = "smart-task", request_body = SubmitRequest,
    params(("Idempotency-Key" = Option<String>, Header, description = "La stessa chiave dallo stesso utente restituisce la stessa richiesta")),
    responses((status = 202, description = "Richiesta registrata (stato inviata): l'esito arriva dall'istruttoria automatica", body = RequestView),
        (status = 422, description = "Risposte non valide, con gli errori per campo; tipo non ancora attivo (campo tipo, codice not_active)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Non autenticato", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Non autorizzato per questo soggetto", body = Problem, content_type = "application/problem+json"),))]
async fn st_submit(
    State(s): State<AppState>,
    Extension(c): Extension<Caller>,
    headers: axum::http::HeaderMap,
    ApiJson(b): ApiJson<SubmitRequest>,
) -> AppResult<Response> {
    let key = headers.get("idempotency-key").and_then(|v| v.to_str().ok()).map(str::to_string);
    let view = s.services.submit_smart_task(&c, b, key).await?;
    Ok((StatusCode::ACCEPTED, [(header::LOCATION, format!("/api/v1/richieste/{}", view.protocollo))], Json(view))
        .into_response())
}

#[utoipa::path(get, path = "/api/v1/smart-task/attivazioni", tag = "smart-task",
    responses((status = 200, description = "Lo stato di attivazione di ogni tipo (amministrazione centrale)", body = Vec<AttivazioneView>),
        (status = 401, description = "Non autenticato", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Solo l'amministrazione centrale", body = Problem, content_type = "application/problem+json"),))]
async fn st_attivazioni(State(s): State<AppState>, Extension(c): Extension<Caller>) -> AppResult<Response> {
    Ok(Json(s.services.attivazioni(&c).await?).into_response())
}

#[utoipa::path(put, path = "/api/v1/smart-task/attivazioni/{tipo}", tag = "smart-task", request_body = ImpostaAttivazione,
    params(("tipo" = String, Path, description = "Codice del tipo, ad esempio revoca_delega_intermediario")),
    responses((status = 200, description = "L'attivazione dopo la modifica (registrata nell'audit)", body = AttivazioneView),
        (status = 401, description = "Non autenticato", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Solo l'amministrazione centrale", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Tipo sconosciuto", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Modificata da altri dopo la lettura (versione)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Data o nota non valide", body = Problem, content_type = "application/problem+json"),))]
async fn st_imposta_attivazione(
    State(s): State<AppState>,
    Extension(c): Extension<Caller>,
    Path(tipo): Path<String>,
    ApiJson(b): ApiJson<ImpostaAttivazione>,
) -> AppResult<Response> {
    Ok(Json(s.services.imposta_attivazione(&c, &tipo, b).await?).into_response())
}
