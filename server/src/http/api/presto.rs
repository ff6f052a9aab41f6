//! Prestazioni occasionali: registrations, the wallet and its funding, prestazioni and their
//! revocation, the prestatore's page, the F24 flow, the payment run and the operators' registry.

use super::{ApiJson, AppState};
use crate::error::{AppError, AppResult};
use crate::identity::Caller;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use serde::Deserialize;
use shared::dto::Problem;
use shared::presto::Strumento;
use shared::presto::views::*;

super::routes::api_routes! {
    post "/presto/utilizzatori" => registra_utilizzatore;
    post "/presto/prestatori" => registra_prestatore;
    get "/presto/portafoglio" => portafoglio;
    post "/presto/portafoglio/pagopa" => pagopa;
    post "/presto/prestazioni" => nuova_prestazione;
    post "/presto/prestazioni/{id}/revoca" => revoca;
    get "/presto/prestatore" => pagina_prestatore;
    post "/presto/f24" => import_f24, layer DefaultBodyLimit::max(64 * 1024 * 1024);
    post "/presto/pagamenti/{mese}" => pay_run;
    get "/presto/operatore/soggetti" => cerca;
    get "/presto/operatore/{tipo}/{id}" => scheda;
    put "/presto/operatore/{tipo}/{id}" => modifica;
}

/// Whose wallet: the company (company roles; default the session's) and, for a person with
/// both instruments, which one.
#[derive(Deserialize, Default)]
pub struct WalletQuery {
    pub(super) soggetto_id: Option<i64>,
    strumento: Option<String>,
    anno: Option<i32>,
}

impl WalletQuery {
    pub(super) fn strumento(&self) -> AppResult<Option<Strumento>> {
        match self.strumento.as_deref().filter(|s| !s.is_empty()) {
            None => Ok(None),
            Some(s) => Strumento::from_code(s)
                .map(Some)
                .ok_or_else(|| AppError::field("strumento", "Strumento non valido: lf oppure cpo.", "unknown")),
        }
    }
}

#[utoipa::path(post, path = "/api/v1/presto/utilizzatori", tag = "prestazioni-occasionali", request_body = RegistrazioneUtilizzatore,
    params(("soggetto_id" = Option<i64>, Query, description = "L'azienda (ruoli aziendali; predefinita: quella della sessione)")),
    responses((status = 201, description = "Utilizzatore registrato", body = UtilizzatoreView),
        (status = 422, description = "Dati non validi o registrazione non consentita (settore escluso, dipendenti oltre il limite)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Già registrato", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Profilo non abilitato", body = Problem, content_type = "application/problem+json"),))]
async fn registra_utilizzatore(
    State(s): State<AppState>,
    Extension(c): Extension<Caller>,
    Query(q): Query<WalletQuery>,
    ApiJson(b): ApiJson<RegistrazioneUtilizzatore>,
) -> AppResult<Response> {
    Ok((StatusCode::CREATED, Json(s.services.registra_utilizzatore(&c, q.soggetto_id, b).await?)).into_response())
}

#[utoipa::path(post, path = "/api/v1/presto/prestatori", tag = "prestazioni-occasionali", request_body = RegistrazionePrestatore,
    responses((status = 201, description = "Prestatore registrato", body = PrestatoreView),
        (status = 422, description = "Dati non validi", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Già registrato", body = Problem, content_type = "application/problem+json"),))]
async fn registra_prestatore(
    State(s): State<AppState>,
    Extension(c): Extension<Caller>,
    ApiJson(b): ApiJson<RegistrazionePrestatore>,
) -> AppResult<Response> {
    Ok((StatusCode::CREATED, Json(s.services.registra_prestatore(&c, b).await?)).into_response())
}

#[utoipa::path(get, path = "/api/v1/presto/portafoglio", tag = "prestazioni-occasionali",
    params(("soggetto_id" = Option<i64>, Query, description = "L'azienda (ruoli aziendali)"),
        ("strumento" = Option<String>, Query, pattern = "^(lf|cpo)?$", description = "lf o cpo (per chi li usa entrambi; vuoto: non indicato)"),
        ("anno" = Option<i32>, Query, description = "Anno dei limiti e delle prestazioni (predefinito: quello in corso)")),
    responses((status = 200, description = "Saldo, versamenti, prestazioni e limiti (usato / residuo)", body = PortafoglioView),
        (status = 404, description = "Non registrato", body = Problem, content_type = "application/problem+json"),))]
async fn portafoglio(
    State(s): State<AppState>,
    Extension(c): Extension<Caller>,
    Query(q): Query<WalletQuery>,
) -> AppResult<Response> {
    Ok(Json(s.services.portafoglio(&c, q.soggetto_id, q.strumento()?, q.anno).await?).into_response())
}

#[utoipa::path(post, path = "/api/v1/presto/portafoglio/pagopa", tag = "prestazioni-occasionali", request_body = PagamentoPagoPa,
    params(("soggetto_id" = Option<i64>, Query, description = "L'azienda (ruoli aziendali; predefinita: quella della sessione)"),
        ("strumento" = Option<String>, Query, pattern = "^(lf|cpo)?$", description = "lf o cpo (per chi li usa entrambi; vuoto: non indicato)")),
    responses((status = 201, description = "Versamento accreditato subito (ricevuta pagoPA simulata)", body = VersamentoView),
        (status = 422, description = "Importo non valido (Libretto Famiglia: multipli di 10 €)", body = Problem, content_type = "application/problem+json"),))]
async fn pagopa(
    State(s): State<AppState>,
    Extension(c): Extension<Caller>,
    Query(q): Query<WalletQuery>,
    ApiJson(b): ApiJson<PagamentoPagoPa>,
) -> AppResult<Response> {
    Ok((StatusCode::CREATED, Json(s.services.pagopa(&c, q.soggetto_id, q.strumento()?, b).await?)).into_response())
}

#[utoipa::path(post, path = "/api/v1/presto/prestazioni", tag = "prestazioni-occasionali", request_body = NuovaPrestazione,
    params(("soggetto_id" = Option<i64>, Query, description = "L'azienda (ruoli aziendali; predefinita: quella della sessione)"),
        ("strumento" = Option<String>, Query, pattern = "^(lf|cpo)?$", description = "lf o cpo (per chi li usa entrambi; vuoto: non indicato)")),
    responses((status = 201, description = "Prestazione accettata, con i controlli eseguiti", body = PrestazioneView),
        (status = 422, description = "Dati non validi (errori per campo) o controlli non superati (campo `controlli`, codice del controllo e motivo): nulla è registrato", body = Problem, content_type = "application/problem+json"),))]
async fn nuova_prestazione(
    State(s): State<AppState>,
    Extension(c): Extension<Caller>,
    Query(q): Query<WalletQuery>,
    ApiJson(b): ApiJson<NuovaPrestazione>,
) -> AppResult<Response> {
    let v = s.services.nuova_prestazione(&c, q.soggetto_id, q.strumento()?, b).await?;
    Ok((StatusCode::CREATED, [(header::LOCATION, format!("/api/v1/presto/prestazioni/{}", v.id))], Json(v))
        .into_response())
}

#[utoipa::path(post, path = "/api/v1/presto/prestazioni/{id}/revoca", tag = "prestazioni-occasionali",
    params(("id" = i64, Path, description = "La prestazione"),
        ("soggetto_id" = Option<i64>, Query, description = "L'azienda (ruoli aziendali; predefinita: quella della sessione)"),
        ("strumento" = Option<String>, Query, pattern = "^(lf|cpo)?$", description = "lf o cpo (per chi li usa entrambi; vuoto: non indicato)")),
    responses((status = 200, description = "Prestazione revocata: il costo torna nel portafoglio", body = PrestazioneView),
        (status = 409, description = "Fuori termine, già revocata o pagata", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Non tra le prestazioni del portafoglio", body = Problem, content_type = "application/problem+json"),))]
async fn revoca(
    State(s): State<AppState>,
    Extension(c): Extension<Caller>,
    Path(id): Path<i64>,
    Query(q): Query<WalletQuery>,
) -> AppResult<Response> {
    Ok(Json(s.services.revoca_prestazione(&c, q.soggetto_id, q.strumento()?, id).await?).into_response())
}

#[utoipa::path(get, path = "/api/v1/presto/prestatore", tag = "prestazioni-occasionali",
    params(("anno" = Option<i32>, Query, description = "Anno (predefinito: quello in corso)")),
    responses((status = 200, description = "Prestazioni ricevute, pagamenti e limiti del prestatore", body = PaginaPrestatore),))]
async fn pagina_prestatore(
    State(s): State<AppState>,
    Extension(c): Extension<Caller>,
    Query(q): Query<WalletQuery>,
) -> AppResult<Response> {
    Ok(Json(s.services.pagina_prestatore(&c, q.anno).await?).into_response())
}

#[utoipa::path(post, path = "/api/v1/presto/f24", tag = "prestazioni-occasionali", request_body(content = String, content_type = "text/csv", description = "Flusso F24: id_riga,modello,codice_fiscale,sezione,causale,riferimento_a,riferimento_b,importo_centesimi,data_versamento"),
    responses((status = 200, description = "Esito per riga (accreditata, non abbinata con il motivo, già presente, scartata con gli errori)", body = ReportImportF24),
        (status = 400, description = "Intestazione non valida", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Riservato agli operatori di Direzione Generale del portale", body = Problem, content_type = "application/problem+json"),))]
async fn import_f24(State(s): State<AppState>, Extension(c): Extension<Caller>, body: Bytes) -> AppResult<Response> {
    Ok(Json(s.services.import_f24_operatore(&c, &body).await?).into_response())
}

#[utoipa::path(post, path = "/api/v1/presto/pagamenti/{mese}", tag = "prestazioni-occasionali",
    params(("mese" = String, Path, description = "AAAA-MM")),
    responses((status = 200, description = "Pagamenti disposti (una sola volta per prestatore e mese)", body = EsitoPayRun),
        (status = 409, description = "Mese non ancora chiuso (comunicazioni o revoche ancora possibili)", body = Problem, content_type = "application/problem+json"),))]
async fn pay_run(
    State(s): State<AppState>,
    Extension(c): Extension<Caller>,
    Path(mese): Path<String>,
) -> AppResult<Response> {
    Ok(Json(s.services.pay_run_operatore(&c, &mese).await?).into_response())
}

#[derive(Deserialize)]
struct SearchQuery {
    q: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/presto/operatore/soggetti", tag = "prestazioni-occasionali",
    params(("q" = String, Query, description = "Codice fiscale, cognome o denominazione")),
    responses((status = 200, description = "Utilizzatori e prestatori nell'ambito dell'operatore", body = Vec<SoggettoPresto>),))]
async fn cerca(
    State(s): State<AppState>,
    Extension(c): Extension<Caller>,
    Query(q): Query<SearchQuery>,
) -> AppResult<Response> {
    Ok(Json(s.services.cerca_presto(&c, q.q.as_deref().unwrap_or("")).await?).into_response())
}

#[utoipa::path(get, path = "/api/v1/presto/operatore/{tipo}/{id}", tag = "prestazioni-occasionali",
    params(("tipo" = String, Path, description = "utilizzatore o prestatore"), ("id" = i64, Path, description = "Identificativo"),
        ("anno" = Option<i32>, Query, description = "Anno")),
    responses((status = 200, description = "Anagrafica, portafoglio o pagamenti, prestazioni e limiti", body = SchedaPresto),
        (status = 404, description = "Non trovato nell'ambito dell'operatore", body = Problem, content_type = "application/problem+json"),))]
async fn scheda(
    State(s): State<AppState>,
    Extension(c): Extension<Caller>,
    Path((tipo, id)): Path<(String, i64)>,
    Query(q): Query<WalletQuery>,
) -> AppResult<Response> {
    Ok(Json(s.services.scheda_presto(&c, &tipo, id, q.anno).await?).into_response())
}

#[utoipa::path(put, path = "/api/v1/presto/operatore/{tipo}/{id}", tag = "prestazioni-occasionali", request_body = ModificaAnagrafica,
    params(("tipo" = String, Path, description = "utilizzatore o prestatore"), ("id" = i64, Path, description = "Identificativo")),
    responses((status = 200, description = "Anagrafica modificata (nota obbligatoria, tracciata)", body = SchedaPresto),
        (status = 409, description = "Modificata da altri dopo la lettura (version)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Dati non validi o nota mancante", body = Problem, content_type = "application/problem+json"),))]
async fn modifica(
    State(s): State<AppState>,
    Extension(c): Extension<Caller>,
    Path((tipo, id)): Path<(String, i64)>,
    ApiJson(b): ApiJson<ModificaAnagrafica>,
) -> AppResult<Response> {
    Ok(Json(s.services.modifica_anagrafica(&c, &tipo, id, b).await?).into_response())
}
