//! Refunds of the unused balance and transfers between the two instruments: asked by the user,
//! decided by its sede.

use super::presto::WalletQuery;
use super::{ApiJson, AppState};
use crate::error::AppResult;
use crate::identity::Caller;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use shared::dto::Problem;
use shared::presto::rimborsi::*;

super::routes::api_routes! {
    get "/presto/rimborsi" => miei;
    post "/presto/rimborsi" => chiedi;
    get "/presto/operatore/rimborsi" => coda;
    post "/presto/operatore/rimborsi/{id}/decisione" => decidi;
}

#[utoipa::path(get, path = "/api/v1/presto/rimborsi", tag = "prestazioni-occasionali",
    params(("soggetto_id" = Option<i64>, Query, description = "L'azienda (ruoli aziendali)"),
        ("strumento" = Option<String>, Query, pattern = "^(lf|cpo)?$", description = "lf o cpo (per chi li usa entrambi)")),
    responses((status = 200, description = "Le richieste di rimborso e trasferimento del portafoglio", body = Vec<RimborsoView>),
        (status = 404, description = "Non registrato", body = Problem, content_type = "application/problem+json"),))]
async fn miei(
    State(s): State<AppState>,
    Extension(c): Extension<Caller>,
    Query(q): Query<WalletQuery>,
) -> AppResult<Response> {
    Ok(Json(s.services.miei_rimborsi(&c, q.soggetto_id, q.strumento()?).await?).into_response())
}

#[utoipa::path(post, path = "/api/v1/presto/rimborsi", tag = "prestazioni-occasionali", request_body = NuovoRimborso,
    params(("soggetto_id" = Option<i64>, Query, description = "L'azienda (ruoli aziendali)"),
        ("strumento" = Option<String>, Query, pattern = "^(lf|cpo)?$", description = "lf o cpo (per chi li usa entrambi)")),
    responses((status = 201, description = "Richiesta registrata: l'importo è accantonato fino alla decisione della sede", body = RimborsoView),
        (status = 409, description = "Trasferimento già chiesto per quel versamento", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Dati non validi o saldo insufficiente (PO.RIMB.SALDO)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Non registrato", body = Problem, content_type = "application/problem+json"),))]
async fn chiedi(
    State(s): State<AppState>,
    Extension(c): Extension<Caller>,
    Query(q): Query<WalletQuery>,
    ApiJson(b): ApiJson<NuovoRimborso>,
) -> AppResult<Response> {
    Ok((StatusCode::CREATED, Json(s.services.chiedi_rimborso(&c, q.soggetto_id, q.strumento()?, b).await?))
        .into_response())
}

#[utoipa::path(get, path = "/api/v1/presto/operatore/rimborsi", tag = "prestazioni-occasionali",
    responses((status = 200, description = "Le richieste della regione, prima quelle da decidere (decide la sede competente)", body = Vec<RimborsoView>),))]
async fn coda(State(s): State<AppState>, Extension(c): Extension<Caller>) -> AppResult<Response> {
    Ok(Json(s.services.rimborsi_sede(&c).await?).into_response())
}

#[utoipa::path(post, path = "/api/v1/presto/operatore/rimborsi/{id}/decisione", tag = "prestazioni-occasionali", request_body = DecisioneRimborso,
    params(("id" = i64, Path, description = "La richiesta")),
    responses((status = 200, description = "Approvata o respinta (l'importo torna nel portafoglio)", body = RimborsoView),
        (status = 409, description = "Già decisa", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Esito o motivo del rifiuto mancanti", body = Problem, content_type = "application/problem+json"),))]
async fn decidi(
    State(s): State<AppState>,
    Extension(c): Extension<Caller>,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<DecisioneRimborso>,
) -> AppResult<Response> {
    Ok(Json(s.services.decidi_rimborso(&c, id, b).await?).into_response())
}
