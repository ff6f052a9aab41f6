//! The operator's Fascicolo: search, the file, a request with its trace, replay, the branch queue.

use super::richieste::{ListQuery, list_filter};
use super::{ApiJson, AppState};
use crate::error::AppResult;
use crate::identity::Caller;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Extension, Json, Router};
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/fascicolo", get(fascicolo_search))
        .route("/fascicolo/{id}", get(fascicolo))
        .route("/fascicolo/richieste/{protocollo}", get(operator_request))
        .route("/fascicolo/richieste/{protocollo}/replay", post(replay))
        .route("/fascicolo/richieste/{protocollo}/azioni", post(branch_action))
        .route("/coda", get(branch_queue))
}

#[derive(Deserialize)]
struct SearchQuery {
    q: Option<String>,
}

async fn fascicolo_search(
    State(s): State<AppState>,
    Extension(c): Extension<Caller>,
    Query(q): Query<SearchQuery>,
) -> AppResult<Response> {
    Ok(Json(s.services.search_contributors(&c, q.q.as_deref().unwrap_or("")).await?).into_response())
}

async fn fascicolo(
    State(s): State<AppState>,
    Extension(c): Extension<Caller>,
    Path(id): Path<i64>,
    Query(q): Query<ListQuery>,
) -> AppResult<Response> {
    let filter = list_filter(q)?.1;
    Ok(Json(s.services.fascicolo(&c, id, filter).await?).into_response())
}

async fn operator_request(
    State(s): State<AppState>,
    Extension(c): Extension<Caller>,
    Path(p): Path<String>,
) -> AppResult<Response> {
    Ok(Json(s.services.operator_request(&c, &p).await?).into_response())
}

async fn replay(
    State(s): State<AppState>,
    Extension(c): Extension<Caller>,
    Path(p): Path<String>,
) -> AppResult<Response> {
    Ok(Json(s.services.replay(&c, &p).await?).into_response())
}

#[derive(Deserialize)]
struct ActionBody {
    #[serde(flatten)]
    azione: shared::dto::BranchAction,
    version: Option<i64>,
}

async fn branch_action(
    State(s): State<AppState>,
    Extension(c): Extension<Caller>,
    Path(p): Path<String>,
    ApiJson(b): ApiJson<ActionBody>,
) -> AppResult<Response> {
    Ok(Json(s.services.branch_action(&c, &p, b.azione, b.version).await?).into_response())
}

async fn branch_queue(State(s): State<AppState>, Extension(c): Extension<Caller>) -> AppResult<Response> {
    Ok(Json(s.services.branch_queue(&c).await?).into_response())
}
