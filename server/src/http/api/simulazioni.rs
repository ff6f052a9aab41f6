//! "What if": the head office re-runs stored Smart-Task decisions under a parameter change.

use super::{ApiJson, AppState};
use crate::error::AppResult;
use crate::identity::Caller;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use shared::dto::Problem;
use shared::smart_task::simulazione::*;

super::routes::api_routes! {
    get "/smart-task/parametri" => parametri;
    post "/smart-task/simulazioni" => simula;
    get "/smart-task/simulazioni/export" => esporta;
}

#[utoipa::path(get, path = "/api/v1/smart-task/parametri", tag = "smart-task",
    responses((status = 200, description = "I parametri datati delle regole Smart-Task (Direzione generale)", body = Vec<ParametroView>),))]
async fn parametri(State(s): State<AppState>, Extension(c): Extension<Caller>) -> AppResult<Response> {
    Ok(Json(s.services.parametri_smart_task(&c).await?).into_response())
}

#[utoipa::path(post, path = "/api/v1/smart-task/simulazioni", tag = "smart-task", request_body = RichiestaSimulazione,
    responses((status = 200, description = "Quante decisioni cambierebbero, quali e per quale controllo (nulla viene modificato)", body = EsitoSimulazione),
        (status = 422, description = "Tipo, date, parametro o valore non validi", body = Problem, content_type = "application/problem+json"),))]
async fn simula(
    State(s): State<AppState>,
    Extension(c): Extension<Caller>,
    ApiJson(b): ApiJson<RichiestaSimulazione>,
) -> AppResult<Response> {
    Ok(Json(s.services.simula(&c, b).await?).into_response())
}

#[utoipa::path(get, path = "/api/v1/smart-task/simulazioni/export", tag = "smart-task",
    params(("tipo" = Option<String>, Query), ("dal" = String, Query), ("al" = String, Query), ("parametro" = String, Query),
        ("valore" = String, Query), ("valido_dal" = String, Query),
        ("formato" = Option<String>, Query, pattern = "^(csv)?$", description = "csv (separatore ;)")),
    responses((status = 200, description = "Una riga per decisione rieseguita, in streaming durante l'esecuzione", content((String = "text/csv"))),
        (status = 422, description = "Tipo, date, parametro o valore non validi", body = Problem, content_type = "application/problem+json"),))]
async fn esporta(
    State(s): State<AppState>,
    Extension(c): Extension<Caller>,
    Query(r): Query<RichiestaSimulazione>,
) -> AppResult<Response> {
    Ok(super::download(s.services.esporta_simulazione(&c, r).await?))
}
