//! The profiling administrator: operators, sedi, the audit trail.

use super::{ApiJson, AppState};
use crate::error::{AppError, AppResult};
use crate::identity::Caller;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use serde::Deserialize;
use shared::dto::*;

super::routes::api_routes! {
    get "/operatori" => operators;
    put "/operatori/{id}" => assign_operator;
    get "/sedi" => sedi;
    get "/audit" => audit;
}

#[utoipa::path(get, path = "/api/v1/operatori", tag = "amministrazione",
    responses((status = 200, description = "Gli operatori con ruolo e sede", body = Vec<OperatorView>)))]
async fn operators(State(s): State<AppState>, Extension(c): Extension<Caller>) -> AppResult<Response> {
    Ok(Json(s.services.operators(&c).await?).into_response())
}

#[utoipa::path(put, path = "/api/v1/operatori/{id}", tag = "amministrazione",
    params(("id" = i64, Path)), request_body = AssignOperator,
    responses((status = 200, description = "L'operatore dopo la modifica (registrata nell'audit)", body = OperatorView),
        (status = 404, description = "Utente inesistente", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Versione non più attuale (expected_version)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Ruolo, sede o nota non validi", body = Problem, content_type = "application/problem+json")))]
async fn assign_operator(
    State(s): State<AppState>,
    Extension(c): Extension<Caller>,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<AssignOperator>,
) -> AppResult<Response> {
    let id: i64 = id.parse().map_err(|_| AppError::BadRequest("Identificativo dell'utente non valido.".into()))?;
    Ok(Json(s.services.assign_operator(&c, id, b).await?).into_response())
}

#[utoipa::path(get, path = "/api/v1/sedi", tag = "amministrazione",
    responses((status = 200, description = "Le sedi INPS", body = Vec<SedeView>)))]
async fn sedi(State(s): State<AppState>, Extension(c): Extension<Caller>) -> AppResult<Response> {
    Ok(Json(s.services.sedi(&c).await?).into_response())
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct AuditQuery {
    /// How many records, newest first (1–500, default 50).
    #[param(minimum = 1, maximum = 500)]
    limit: Option<i64>,
}

#[utoipa::path(get, path = "/api/v1/audit", tag = "amministrazione", params(AuditQuery),
    responses((status = 200, description = "Le ultime registrazioni dell'audit", body = Vec<AuditRecordView>),
        (status = 422, description = "Limite fuori intervallo", body = Problem, content_type = "application/problem+json")))]
async fn audit(
    State(s): State<AppState>,
    Extension(c): Extension<Caller>,
    Query(q): Query<AuditQuery>,
) -> AppResult<Response> {
    Ok(Json(s.services.audit_recent(&c, q.limit.unwrap_or(50)).await?).into_response())
}
