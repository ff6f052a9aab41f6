//! The intranet portal's branch tools for prestazioni occasionali: manual matching of unmatched
//! F24 lines and its undo by DG, the CPO category changes with their requests to DG, and the
//! delega check.

use super::{ApiJson, AppState};
use crate::error::AppResult;
use crate::identity::Caller;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use serde::Deserialize;
use shared::dto::Problem;
use shared::presto::portale::*;
use shared::presto::views::VersamentoView;

super::routes::api_routes! {
    get "/presto/operatore/versamenti" => versamenti;
    post "/presto/operatore/versamenti/{id}/abbinamento" => abbina;
    post "/presto/operatore/versamenti/{id}/annullamento" => annulla;
    get "/presto/operatore/utilizzatore/{id}/categoria" => categoria;
    put "/presto/operatore/utilizzatore/{id}/categoria" => cambia_categoria;
    post "/presto/operatore/utilizzatore/{id}/categoria/inoltro" => inoltra;
    get "/presto/operatore/categorie" => cambi;
    post "/presto/operatore/categorie/{id}/decisione" => decidi;
    get "/presto/operatore/deleghe" => delega;
}

#[derive(Deserialize)]
struct PageQuery {
    /// Text, so that a bad value is a field error in problem+json.
    pagina: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/presto/operatore/versamenti", tag = "prestazioni-occasionali",
    params(("pagina" = Option<u32>, Query, minimum = 1, maximum = 100000, description = "50 per pagina")),
    responses((status = 200, description = "Versamenti F24 non abbinati che possono appartenere a un utilizzatore di competenza (Direzione Generale: tutti), con il motivo e gli utilizzatori a cui si possono abbinare", body = Vec<VersamentoDaAbbinare>),
        (status = 422, description = "Pagina non valida", body = Problem, content_type = "application/problem+json"),))]
async fn versamenti(
    State(s): State<AppState>,
    Extension(c): Extension<Caller>,
    Query(q): Query<PageQuery>,
) -> AppResult<Response> {
    let pagina = super::richieste::pagina_param(q.pagina)?.unwrap_or(1);
    Ok(Json(s.services.versamenti_da_abbinare(&c, pagina).await?).into_response())
}

#[utoipa::path(post, path = "/api/v1/presto/operatore/versamenti/{id}/abbinamento", tag = "prestazioni-occasionali", request_body = AbbinamentoManuale,
    params(("id" = i64, Path, description = "Il versamento")),
    responses((status = 200, description = "Versamento abbinato: l'importo è nel portafoglio dell'utilizzatore", body = VersamentoView),
        (status = 409, description = "Già abbinato o accreditato (anche da un altro operatore nello stesso istante)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Nota mancante o regole non rispettate (codici PO.ABB.*: causale, versante non legale rappresentante alla data, multipli di 10 €)", body = Problem, content_type = "application/problem+json"),))]
async fn abbina(
    State(s): State<AppState>,
    Extension(c): Extension<Caller>,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<AbbinamentoManuale>,
) -> AppResult<Response> {
    Ok(Json(s.services.abbina_versamento(&c, id, b).await?).into_response())
}

#[utoipa::path(post, path = "/api/v1/presto/operatore/versamenti/{id}/annullamento", tag = "prestazioni-occasionali", request_body = Nota,
    params(("id" = i64, Path, description = "Il versamento")),
    responses((status = 200, description = "Abbinamento annullato dalla Direzione Generale: il versamento torna tra i non abbinati", body = VersamentoView),
        (status = 409, description = "Non abbinato manualmente, o somma già utilizzata", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Nota mancante", body = Problem, content_type = "application/problem+json"),))]
async fn annulla(
    State(s): State<AppState>,
    Extension(c): Extension<Caller>,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<Nota>,
) -> AppResult<Response> {
    Ok(Json(s.services.annulla_abbinamento(&c, id, b).await?).into_response())
}

#[utoipa::path(get, path = "/api/v1/presto/operatore/utilizzatore/{id}/categoria", tag = "prestazioni-occasionali",
    params(("id" = i64, Path, description = "L'utilizzatore CPO")),
    responses((status = 200, description = "Categoria, chi può cambiarla ora e storico dei cambi", body = CategoriaUtilizzatore),
        (status = 409, description = "Utilizzatore del Libretto Famiglia: nessuna categoria", body = Problem, content_type = "application/problem+json"),))]
async fn categoria(
    State(s): State<AppState>,
    Extension(c): Extension<Caller>,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    Ok(Json(s.services.categoria_utilizzatore(&c, id).await?).into_response())
}

#[utoipa::path(put, path = "/api/v1/presto/operatore/utilizzatore/{id}/categoria", tag = "prestazioni-occasionali", request_body = CambioCategoria,
    params(("id" = i64, Path, description = "L'utilizzatore CPO")),
    responses((status = 200, description = "Categoria cambiata (sede: nessuna prestazione; Direzione Generale: tutte coerenti)", body = CategoriaUtilizzatore),
        (status = 409, description = "Prestazioni già inserite (la sede inoltra alla Direzione Generale) o anagrafica modificata da altri", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Categoria non ammessa o prestazioni non coerenti, ciascuna con il controllo non superato", body = Problem, content_type = "application/problem+json"),))]
async fn cambia_categoria(
    State(s): State<AppState>,
    Extension(c): Extension<Caller>,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<CambioCategoria>,
) -> AppResult<Response> {
    Ok(Json(s.services.cambia_categoria(&c, id, b).await?).into_response())
}

#[utoipa::path(post, path = "/api/v1/presto/operatore/utilizzatore/{id}/categoria/inoltro", tag = "prestazioni-occasionali", request_body = CambioCategoria,
    params(("id" = i64, Path, description = "L'utilizzatore CPO")),
    responses((status = 200, description = "Richiesta inoltrata alla Direzione Generale", body = CategoriaUtilizzatore),
        (status = 409, description = "Nessuna prestazione (decide la sede) o richiesta già in esame", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Categoria o motivo mancanti", body = Problem, content_type = "application/problem+json"),))]
async fn inoltra(
    State(s): State<AppState>,
    Extension(c): Extension<Caller>,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<CambioCategoria>,
) -> AppResult<Response> {
    Ok(Json(s.services.inoltra_cambio_categoria(&c, id, b).await?).into_response())
}

#[utoipa::path(get, path = "/api/v1/presto/operatore/categorie", tag = "prestazioni-occasionali",
    responses((status = 200, description = "Direzione Generale: richieste in esame, con la verifica delle prestazioni; sede: le sue richieste", body = Vec<CambioCategoriaView>),))]
async fn cambi(State(s): State<AppState>, Extension(c): Extension<Caller>) -> AppResult<Response> {
    Ok(Json(s.services.cambi_categoria(&c).await?).into_response())
}

#[utoipa::path(post, path = "/api/v1/presto/operatore/categorie/{id}/decisione", tag = "prestazioni-occasionali", request_body = DecisioneCategoria,
    params(("id" = i64, Path, description = "La richiesta di cambio")),
    responses((status = 200, description = "Cambio applicato o respinto", body = CambioCategoriaView),
        (status = 409, description = "Già decisa", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Prestazioni non coerenti con la nuova categoria (nulla cambia), esito o nota mancanti", body = Problem, content_type = "application/problem+json"),))]
async fn decidi(
    State(s): State<AppState>,
    Extension(c): Extension<Caller>,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<DecisioneCategoria>,
) -> AppResult<Response> {
    Ok(Json(s.services.decidi_cambio_categoria(&c, id, b).await?).into_response())
}

#[derive(Deserialize)]
struct DelegaQuery {
    delegato: Option<String>,
    delegante: Option<String>,
    ruolo: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/presto/operatore/deleghe", tag = "prestazioni-occasionali",
    params(("delegato" = String, Query, description = "Codice fiscale del delegato"),
        ("delegante" = String, Query, description = "Codice fiscale del delegante"),
        ("ruolo" = String, Query, description = "intermediario o dipendente")),
    responses((status = 200, description = "La delega più recente per i tre e se oggi dà accesso alla posizione del delegante (solo allora i suoi identificativi)", body = EsitoDelega),
        (status = 422, description = "Codici fiscali o ruolo non validi", body = Problem, content_type = "application/problem+json"),))]
async fn delega(
    State(s): State<AppState>,
    Extension(c): Extension<Caller>,
    Query(q): Query<DelegaQuery>,
) -> AppResult<Response> {
    let r = RicercaDelega {
        delegato: q.delegato.unwrap_or_default(),
        delegante: q.delegante.unwrap_or_default(),
        ruolo: q.ruolo.unwrap_or_default(),
    };
    Ok(Json(s.services.verifica_delega(&c, r).await?).into_response())
}
