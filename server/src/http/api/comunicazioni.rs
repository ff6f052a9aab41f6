//! Two-way requests: submission with attachments, follow-up messages, attachment download.

use super::{ApiJson, AppState};
use crate::error::AppResult;
use crate::identity::Caller;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use shared::dto::*;

// Three attachments of 3 MB travel as about 12 MB of base64: above axum's 2 MB default.
super::routes::api_routes! {
    get "/richieste/{protocollo}/allegati/{id}" => attachment;
    post "/richieste/{protocollo}/messaggi" => add_message;
    post "/comunicazioni" => submit_two_way,
        layer axum::extract::DefaultBodyLimit::max(shared::comunicazioni::UPLOAD_JSON_MAX_BYTES);
}

#[utoipa::path(post, path = "/api/v1/comunicazioni", tag = "comunicazioni", request_body = NuovaComunicazione,
    responses((status = 201, description = "Richiesta registrata (stato aperta)", body = RequestView),
        (status = 422, description = "Dati o allegati non validi, con gli errori per campo", body = Problem, content_type = "application/problem+json")))]
async fn submit_two_way(
    State(s): State<AppState>,
    Extension(c): Extension<Caller>,
    ApiJson(b): ApiJson<NuovaComunicazione>,
) -> AppResult<Response> {
    let v = s.services.submit_two_way(&c, b).await?;
    Ok((StatusCode::CREATED, [(header::LOCATION, format!("/api/v1/richieste/{}", v.protocollo))], Json(v))
        .into_response())
}

#[utoipa::path(post, path = "/api/v1/richieste/{protocollo}/messaggi", tag = "comunicazioni", request_body = NuovoMessaggio,
    params(("protocollo" = String, Path, description = "Protocollo della comunicazione bidirezionale")),
    responses((status = 201, description = "Messaggio aggiunto; la richiesta aggiornata", body = RequestView),
        (status = 404, description = "Richiesta inesistente o non visibile", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Richiesta chiusa o non bidirezionale", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Testo vuoto o troppo lungo", body = Problem, content_type = "application/problem+json")))]
async fn add_message(
    State(s): State<AppState>,
    Extension(c): Extension<Caller>,
    Path(p): Path<String>,
    ApiJson(b): ApiJson<NuovoMessaggio>,
) -> AppResult<Response> {
    Ok((StatusCode::CREATED, Json(s.services.add_message(&c, &p, &b.testo).await?)).into_response())
}

#[utoipa::path(get, path = "/api/v1/richieste/{protocollo}/allegati/{id}", tag = "comunicazioni",
    params(("protocollo" = String, Path), ("id" = i64, Path)),
    responses((status = 200, description = "L'allegato, sempre come download", content_type = "application/octet-stream"),
        (status = 404, description = "Richiesta o allegato inesistente o non visibile", body = Problem, content_type = "application/problem+json")))]
async fn attachment(
    State(s): State<AppState>,
    Extension(c): Extension<Caller>,
    Path((p, id)): Path<(String, i64)>,
) -> AppResult<Response> {
    let (nome, ct, bytes) = s.services.attachment(&c, &p, id).await?;
    // Always a download; the name is reduced to safe ASCII for the header.
    let ascii: String =
        nome.chars().map(|c| if c.is_ascii_alphanumeric() || ".-_ ".contains(c) { c } else { '_' }).collect();
    Ok((
        [
            (header::CONTENT_TYPE, ct.to_string()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{ascii}\"")),
        ],
        bytes,
    )
        .into_response())
}
