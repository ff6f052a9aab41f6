//! The profiling administrator: operators, sedi, the audit trail.

use super::{ApiJson, AppState};
use crate::error::{AppError, AppResult};
use crate::identity::Caller;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, put};
use axum::{Extension, Json, Router};
use serde::Deserialize;
use shared::dto::*;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/operatori", get(operators))
        .route("/operatori/{id}", put(assign_operator))
        .route("/sedi", get(sedi))
        .route("/audit", get(audit))
}

async fn operators(State(s): State<AppState>, Extension(c): Extension<Caller>) -> AppResult<Response> {
    Ok(Json(s.services.operators(&c).await?).into_response())
}

async fn assign_operator(
    State(s): State<AppState>,
    Extension(c): Extension<Caller>,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<AssignOperator>,
) -> AppResult<Response> {
    let id: i64 = id.parse().map_err(|_| AppError::BadRequest("Identificativo dell'utente non valido.".into()))?;
    Ok(Json(s.services.assign_operator(&c, id, b).await?).into_response())
}

async fn sedi(State(s): State<AppState>, Extension(c): Extension<Caller>) -> AppResult<Response> {
    Ok(Json(s.services.sedi(&c).await?).into_response())
}

#[derive(Deserialize)]
struct AuditQuery {
    limit: Option<i64>,
}

async fn audit(
    State(s): State<AppState>,
    Extension(c): Extension<Caller>,
    Query(q): Query<AuditQuery>,
) -> AppResult<Response> {
    Ok(Json(s.services.audit_recent(&c, q.limit.unwrap_or(50)).await?).into_response())
}
