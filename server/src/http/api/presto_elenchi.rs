//! The sede's lists for checks, their samples and the CSV / XLSX exports of both.

use super::download;
use super::{ApiJson, AppState};
use crate::error::AppResult;
use crate::identity::Caller;
use crate::presto::export::Formato;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use serde::Deserialize;
use shared::dto::Problem;
use shared::presto::campioni::*;
use shared::presto::elenchi::{PaginaElenco, RichiestaElenco};

super::routes::api_routes! {
    get "/presto/operatore/elenchi" => elenco;
    get "/presto/operatore/elenchi/export" => esporta_elenco;
    get "/presto/operatore/campioni" => campioni;
    post "/presto/operatore/campioni" => crea_campione;
    get "/presto/operatore/campioni/{id}" => campione;
    put "/presto/operatore/campioni/{id}/righe/{riga}" => verifica_riga;
    get "/presto/operatore/campioni/{id}/export" => esporta_campione;
}

#[derive(Deserialize)]
struct Extra {
    pagina: Option<String>,
    formato: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/presto/operatore/elenchi", tag = "prestazioni-occasionali",
    params(("tipo" = Option<String>, Query, description = "utilizzatori (predefinito) o prestatori"),
        ("dal" = String, Query, description = "Primo giorno delle prestazioni (gg/mm/aaaa)"),
        ("al" = String, Query, description = "Ultimo giorno (gg/mm/aaaa); periodo al massimo di 5 anni"),
        ("strumento" = Option<String>, Query, description = "Utilizzatori: lf o cpo"),
        ("categoria" = Option<String>, Query, description = "Utilizzatori CPO: categoria"),
        ("categoria_speciale" = Option<String>, Query, description = "Prestatori: categoria speciale dichiarata nel periodo"),
        ("importo_min" = Option<String>, Query, description = "Compenso totale nel periodo, da (es. 1.000,00)"),
        ("importo_max" = Option<String>, Query, description = "Compenso totale nel periodo, fino a"),
        ("pagina" = Option<u32>, Query, minimum = 1, maximum = 100000, description = "100 righe per pagina")),
    responses((status = 200, description = "Utilizzatori o prestatori con prestazioni nel periodo, della sede dell'operatore (regione: la regione; Direzione Generale: tutti)", body = PaginaElenco),
        (status = 422, description = "Filtri non validi", body = Problem, content_type = "application/problem+json"),))]
async fn elenco(
    State(s): State<AppState>,
    Extension(c): Extension<Caller>,
    Query(r): Query<RichiestaElenco>,
    Query(x): Query<Extra>,
) -> AppResult<Response> {
    let pagina = super::richieste::pagina_param(x.pagina)?.unwrap_or(1);
    Ok(Json(s.services.elenco(&c, r, pagina).await?).into_response())
}

#[utoipa::path(get, path = "/api/v1/presto/operatore/elenchi/export", tag = "prestazioni-occasionali",
    params(("tipo" = Option<String>, Query), ("dal" = String, Query), ("al" = String, Query), ("strumento" = Option<String>, Query),
        ("categoria" = Option<String>, Query), ("categoria_speciale" = Option<String>, Query),
        ("importo_min" = Option<String>, Query), ("importo_max" = Option<String>, Query),
        ("formato" = Option<String>, Query, pattern = "^(csv|xlsx)?$", description = "csv (predefinito, separatore ;) o xlsx")),
    responses((status = 200, description = "Tutte le righe dell'elenco, in streaming (CSV o XLSX secondo `formato`)",
            content((String = "text/csv"), (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
        (status = 422, description = "Filtri o formato non validi", body = Problem, content_type = "application/problem+json"),))]
async fn esporta_elenco(
    State(s): State<AppState>,
    Extension(c): Extension<Caller>,
    Query(r): Query<RichiestaElenco>,
    Query(x): Query<Extra>,
) -> AppResult<Response> {
    let formato = Formato::parse(x.formato.as_deref())?;
    Ok(download(s.services.esporta_elenco(&c, r, formato).await?))
}

#[utoipa::path(get, path = "/api/v1/presto/operatore/campioni", tag = "prestazioni-occasionali",
    responses((status = 200, description = "I campioni di competenza, dal più recente, con le righe verificate", body = Vec<CampioneSintesi>),))]
async fn campioni(State(s): State<AppState>, Extension(c): Extension<Caller>) -> AppResult<Response> {
    Ok(Json(s.services.campioni(&c).await?).into_response())
}

#[utoipa::path(post, path = "/api/v1/presto/operatore/campioni", tag = "prestazioni-occasionali", request_body = NuovoCampione,
    responses((status = 201, description = "Campione estratto e registrato con il seme (riproducibile)", body = CampioneView),
        (status = 422, description = "Filtri, dimensione, seme o nome non validi; elenco vuoto", body = Problem, content_type = "application/problem+json"),))]
async fn crea_campione(
    State(s): State<AppState>,
    Extension(c): Extension<Caller>,
    ApiJson(b): ApiJson<NuovoCampione>,
) -> AppResult<Response> {
    Ok((StatusCode::CREATED, Json(s.services.crea_campione(&c, b).await?)).into_response())
}

#[utoipa::path(get, path = "/api/v1/presto/operatore/campioni/{id}", tag = "prestazioni-occasionali",
    params(("id" = i64, Path, description = "Il campione")),
    responses((status = 200, description = "Il campione con le sue righe e gli esiti", body = CampioneView),))]
async fn campione(
    State(s): State<AppState>,
    Extension(c): Extension<Caller>,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    Ok(Json(s.services.campione(&c, id).await?).into_response())
}

#[utoipa::path(put, path = "/api/v1/presto/operatore/campioni/{id}/righe/{riga}", tag = "prestazioni-occasionali", request_body = EsitoVerifica,
    params(("id" = i64, Path, description = "Il campione"), ("riga" = i64, Path, description = "La riga")),
    responses((status = 200, description = "Esito registrato", body = CampioneView),
        (status = 409, description = "Riga aggiornata da altri dopo la lettura (version)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Esito mancante o nota mancante per un esito negativo", body = Problem, content_type = "application/problem+json"),))]
async fn verifica_riga(
    State(s): State<AppState>,
    Extension(c): Extension<Caller>,
    Path((id, riga)): Path<(i64, i64)>,
    ApiJson(b): ApiJson<EsitoVerifica>,
) -> AppResult<Response> {
    Ok(Json(s.services.verifica_riga(&c, id, riga, b).await?).into_response())
}

#[utoipa::path(get, path = "/api/v1/presto/operatore/campioni/{id}/export", tag = "prestazioni-occasionali",
    params(("id" = i64, Path, description = "Il campione"),
        ("formato" = Option<String>, Query, pattern = "^(csv|xlsx)?$", description = "csv (predefinito) o xlsx")),
    responses((status = 200, description = "Le righe del campione con gli esiti (CSV o XLSX secondo `formato`)",
            content((String = "text/csv"), (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
        (status = 422, description = "Formato non valido", body = Problem, content_type = "application/problem+json"),))]
async fn esporta_campione(
    State(s): State<AppState>,
    Extension(c): Extension<Caller>,
    Path(id): Path<i64>,
    Query(x): Query<Extra>,
) -> AppResult<Response> {
    let formato = Formato::parse(x.formato.as_deref())?;
    Ok(download(s.services.esporta_campione(&c, id, formato).await?))
}
