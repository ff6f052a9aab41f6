//! The operator's Fascicolo: search, the file, a request with its trace, replay, the branch queue.

use super::richieste::{ListQuery, list_filter};
use super::{ApiJson, AppState};
use crate::error::AppResult;
use crate::identity::Caller;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use serde::Deserialize;
use shared::dto::{ContributorHit, FascicoloView, OperatorRequestView, Problem, QueueItem, ReplayView};

super::routes::api_routes! {
    get "/fascicolo" => fascicolo_search;
    get "/fascicolo/{id}" => fascicolo;
    get "/fascicolo/richieste/{protocollo}" => operator_request;
    post "/fascicolo/richieste/{protocollo}/replay" => replay;
    post "/fascicolo/richieste/{protocollo}/azioni" => branch_action;
    get "/coda" => branch_queue;
}

#[derive(Deserialize)]
struct SearchQuery {
    q: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/fascicolo", tag = "fascicolo",
    params(("q" = Option<String>, Query, description = "Codice fiscale, partita IVA, matricola o denominazione (almeno 3 caratteri)")),
    responses((status = 200, description = "I contribuenti trovati nell'ambito dell'operatore", body = Vec<ContributorHit>),
        (status = 422, description = "Ricerca troppo corta o non valida", body = Problem, content_type = "application/problem+json")))]
async fn fascicolo_search(
    State(s): State<AppState>,
    Extension(c): Extension<Caller>,
    Query(q): Query<SearchQuery>,
) -> AppResult<Response> {
    Ok(Json(s.services.search_contributors(&c, q.q.as_deref().unwrap_or("")).await?).into_response())
}

#[utoipa::path(get, path = "/api/v1/fascicolo/{id}", tag = "fascicolo",
    params(("id" = i64, Path), ("stato" = Option<String>, Query), ("tipo" = Option<String>, Query),
        ("matricola" = Option<String>, Query), ("dal" = Option<String>, Query, description = "gg/mm/aaaa"),
        ("al" = Option<String>, Query, description = "gg/mm/aaaa"), ("pagina" = Option<u32>, Query, minimum = 1, maximum = 100000)),
    responses((status = 200, description = "Il fascicolo: anagrafica, posizioni, deleghe, richieste", body = FascicoloView),
        (status = 404, description = "Contribuente inesistente o fuori dall'ambito dell'operatore", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Filtri non validi", body = Problem, content_type = "application/problem+json")))]
async fn fascicolo(
    State(s): State<AppState>,
    Extension(c): Extension<Caller>,
    Path(id): Path<i64>,
    Query(q): Query<ListQuery>,
) -> AppResult<Response> {
    let filter = list_filter(q)?.1;
    Ok(Json(s.services.fascicolo(&c, id, filter).await?).into_response())
}

#[utoipa::path(get, path = "/api/v1/fascicolo/richieste/{protocollo}", tag = "fascicolo",
    params(("protocollo" = String, Path)),
    responses((status = 200, description = "La richiesta con i controlli, i dati letti e l'audit", body = OperatorRequestView),
        (status = 404, description = "Richiesta inesistente o fuori dall'ambito", body = Problem, content_type = "application/problem+json")))]
async fn operator_request(
    State(s): State<AppState>,
    Extension(c): Extension<Caller>,
    Path(p): Path<String>,
) -> AppResult<Response> {
    Ok(Json(s.services.operator_request(&c, &p).await?).into_response())
}

#[utoipa::path(post, path = "/api/v1/fascicolo/richieste/{protocollo}/replay", tag = "fascicolo",
    params(("protocollo" = String, Path)),
    responses((status = 200, description = "La decisione ricalcolata sui fatti registrati, confrontata con quella data", body = ReplayView),
        (status = 404, description = "Richiesta inesistente, fuori ambito o senza decisione automatica", body = Problem, content_type = "application/problem+json")))]
async fn replay(
    State(s): State<AppState>,
    Extension(c): Extension<Caller>,
    Path(p): Path<String>,
) -> AppResult<Response> {
    Ok(Json(s.services.replay(&c, &p).await?).into_response())
}

#[derive(Deserialize, utoipa::ToSchema)]
struct ActionBody {
    #[serde(flatten)]
    azione: shared::dto::BranchAction,
    /// The request's version as read (409 if it changed meanwhile).
    #[serde(default, deserialize_with = "shared::intero::optional")]
    version: Option<i64>,
}

#[utoipa::path(post, path = "/api/v1/fascicolo/richieste/{protocollo}/azioni", tag = "fascicolo",
    params(("protocollo" = String, Path)), request_body = ActionBody,
    responses((status = 200, description = "La richiesta dopo il passo della sede", body = OperatorRequestView),
        (status = 404, description = "Richiesta inesistente o fuori ambito", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "La richiesta è cambiata nel frattempo o il passo non è ammesso nel suo stato", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Testo mancante o troppo lungo", body = Problem, content_type = "application/problem+json")))]
async fn branch_action(
    State(s): State<AppState>,
    Extension(c): Extension<Caller>,
    Path(p): Path<String>,
    ApiJson(b): ApiJson<ActionBody>,
) -> AppResult<Response> {
    Ok(Json(s.services.branch_action(&c, &p, b.azione, b.version).await?).into_response())
}

#[utoipa::path(get, path = "/api/v1/coda", tag = "fascicolo",
    responses((status = 200, description = "Le richieste da lavorare nella sede dell'operatore", body = Vec<QueueItem>)))]
async fn branch_queue(State(s): State<AppState>, Extension(c): Extension<Caller>) -> AppResult<Response> {
    Ok(Json(s.services.branch_queue(&c).await?).into_response())
}
