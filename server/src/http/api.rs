//! REST API under /api/v1 for intermediaries' software and tests. Same services as the pages;
//! every error is problem+json.

use super::AppState;
use crate::error::{AppError, AppResult};
use crate::services::Caller;
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, Path, Query, Request, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Extension, Json, Router};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use shared::dto::{
    ApiTokenView, AssignOperator, KindView, NewApiToken, NotificationsView, NuovaComunicazione, NuovoMessaggio,
    Problem, RequestPage, RequestView, SessionView, SubjectSummary, SubmitRequest, TargetView,
};

/// `Json<T>` whose rejections (bad syntax, wrong types, wrong content type) are problem+json.
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = AppError;
    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match Json::<T>::from_request(req, state).await {
            Ok(Json(v)) => Ok(ApiJson(v)),
            Err(JsonRejection::MissingJsonContentType(_)) => Err(AppError::BadRequest(
                "Il corpo della richiesta deve essere JSON (Content-Type: application/json).".into(),
            )),
            Err(e) => Err(AppError::BadRequest(format!("Il corpo JSON non è valido: {}", e.body_text()))),
        }
    }
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/sessione", post(login).get(session).delete(logout))
        .route("/sessione/soggetto", put(act_for))
        .route("/home", get(home))
        .route("/soggetti", get(subjects))
        .route("/soggetti/{id}", get(subject))
        .route("/operatori", get(operators))
        .route("/operatori/{id}", put(assign_operator))
        .route("/sedi", get(sedi))
        .route("/audit", get(audit))
        .route("/identificativi/verifica", post(check_identifier))
        .route("/smart-task/tipi", get(st_kinds))
        .route("/smart-task/tipi/{tipo}/oggetti", get(st_targets))
        .route("/richieste", post(st_submit).get(st_list))
        .route("/richieste/{protocollo}", get(st_get))
        .route("/richieste/{protocollo}/ricevuta.pdf", get(receipt))
        .route("/richieste/{protocollo}/allegati/{id}", get(attachment))
        .route("/richieste/{protocollo}/messaggi", post(add_message))
        // Three attachments of 3 MB travel as about 12 MB of base64: above axum's 2 MB default.
        .route(
            "/comunicazioni",
            post(submit_two_way).layer(axum::extract::DefaultBodyLimit::max(
                crate::comunicazioni::MAX_ALLEGATI * crate::comunicazioni::MAX_BYTES / 3 * 4 + 1024 * 1024,
            )),
        )
        .route("/notifiche", get(notifications))
        .route("/notifiche/lette", post(notifications_read))
        .route("/posta", get(dev_mailbox))
        .route("/fascicolo", get(fascicolo_search))
        .route("/fascicolo/{id}", get(fascicolo))
        .route("/fascicolo/richieste/{protocollo}", get(operator_request))
        .route("/fascicolo/richieste/{protocollo}/replay", post(replay))
        .route("/fascicolo/richieste/{protocollo}/azioni", post(branch_action))
        .route("/coda", get(branch_queue))
        .route("/token", get(api_tokens).post(create_api_token))
        .route("/token/{id}", axum::routing::delete(revoke_api_token))
        .route("/openapi.json", get(openapi))
        .fallback(|| async { AppError::NotFound("Risorsa API inesistente.".into()) })
}

#[utoipa::path(get, path = "/api/v1/notifiche", tag = "notifiche", params(("soggetto_id" = Option<i64>, Query)),
    responses((status = 200, description = "Le notifiche dell'azienda, lette o no dal chiamante", body = NotificationsView),
        (status = 401, description = "Non autenticato", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Non autorizzato per questo soggetto", body = Problem, content_type = "application/problem+json"),))]
async fn notifications(
    State(s): State<AppState>,
    Extension(c): Extension<Caller>,
    Query(q): Query<SubjectQuery>,
) -> AppResult<Response> {
    Ok(Json(s.services.notifications(&c, q.soggetto_id).await?).into_response())
}

#[utoipa::path(post, path = "/api/v1/notifiche/lette", tag = "notifiche", params(("soggetto_id" = Option<i64>, Query)),
    responses((status = 200, description = "Quante notifiche sono state segnate come lette"),
        (status = 401, description = "Non autenticato", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Non autorizzato per questo soggetto", body = Problem, content_type = "application/problem+json"),))]
async fn notifications_read(
    State(s): State<AppState>,
    Extension(c): Extension<Caller>,
    Query(q): Query<SubjectQuery>,
) -> AppResult<Response> {
    let n = s.services.mark_notifications_read(&c, q.soggetto_id).await?;
    Ok(Json(serde_json::json!({ "segnate_come_lette": n })).into_response())
}

async fn dev_mailbox(State(s): State<AppState>, Extension(c): Extension<Caller>) -> AppResult<Response> {
    Ok(Json(s.services.dev_mailbox(&c).await?).into_response())
}

#[utoipa::path(get, path = "/api/v1/richieste/{protocollo}/ricevuta.pdf", tag = "smart-task",
    params(("protocollo" = String, Path)),
    responses((status = 200, description = "La ricevuta in PDF", content_type = "application/pdf"),
        (status = 404, description = "Richiesta inesistente", body = Problem, content_type = "application/problem+json")))]
pub async fn receipt(
    State(s): State<AppState>,
    Extension(c): Extension<Caller>,
    Path(p): Path<String>,
) -> AppResult<Response> {
    let (name, pdf) = s.services.receipt(&c, &p).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf".to_string()),
            (header::CONTENT_DISPOSITION, format!("inline; filename=\"{name}\"")),
        ],
        pdf,
    )
        .into_response())
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
    azione: crate::fascicolo::BranchAction,
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

#[derive(Deserialize, utoipa::ToSchema)]
struct TokenBody {
    nome: String,
}

#[utoipa::path(get, path = "/api/v1/token", tag = "token",
    responses((status = 200, description = "I token del chiamante (mai il segreto)", body = Vec<ApiTokenView>),
        (status = 401, description = "Non autenticato", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Non autorizzato per questo soggetto", body = Problem, content_type = "application/problem+json"),))]
async fn api_tokens(State(s): State<AppState>, Extension(c): Extension<Caller>) -> AppResult<Response> {
    Ok(Json(s.services.api_tokens(&c).await?).into_response())
}

#[utoipa::path(post, path = "/api/v1/token", tag = "token", request_body = TokenBody,
    responses((status = 201, description = "Il token, mostrato solo ora", body = NewApiToken),
        (status = 422, description = "Nome mancante o troppo lungo", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Non autenticato", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Non autorizzato per questo soggetto", body = Problem, content_type = "application/problem+json"),))]
async fn create_api_token(
    State(s): State<AppState>,
    Extension(c): Extension<Caller>,
    ApiJson(b): ApiJson<TokenBody>,
) -> AppResult<Response> {
    Ok((StatusCode::CREATED, Json(s.services.create_api_token(&c, &b.nome).await?)).into_response())
}

#[utoipa::path(delete, path = "/api/v1/token/{id}", tag = "token", params(("id" = i64, Path)),
    responses((status = 200, description = "Il token revocato", body = ApiTokenView),
        (status = 404, description = "Token inesistente o di altri", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Non autenticato", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Non autorizzato per questo soggetto", body = Problem, content_type = "application/problem+json"),))]
async fn revoke_api_token(
    State(s): State<AppState>,
    Extension(c): Extension<Caller>,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    Ok(Json(s.services.revoke_api_token(&c, id).await?).into_response())
}

#[derive(Deserialize, utoipa::ToSchema)]
struct LoginBody {
    username: String,
    password: String,
}

#[utoipa::path(post, path = "/api/v1/sessione", tag = "sessione", request_body = LoginBody,
    responses((status = 200, description = "Accesso riuscito: cookie di sessione e profilo", body = SessionView),
        (status = 401, description = "Credenziali errate", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Troppi tentativi", body = Problem, content_type = "application/problem+json")))]
async fn login(
    State(s): State<AppState>,
    Extension(c): Extension<Caller>,
    ApiJson(b): ApiJson<LoginBody>,
) -> AppResult<Response> {
    let r = s.services.login(&c, &b.username, &b.password).await?;
    Ok(([(header::SET_COOKIE, r.set_cookie)], Json(r.session)).into_response())
}

async fn logout(State(s): State<AppState>, Extension(c): Extension<Caller>) -> AppResult<Response> {
    let clear = s.services.logout(&c).await?;
    Ok(([(header::SET_COOKIE, clear)], StatusCode::NO_CONTENT).into_response())
}

#[utoipa::path(get, path = "/api/v1/sessione", tag = "sessione",
    responses((status = 200, description = "Il profilo della sessione (null se non autenticati)", body = Option<SessionView>)))]
async fn session(State(s): State<AppState>, Extension(c): Extension<Caller>) -> AppResult<Response> {
    match s.services.session_view(&c).await? {
        Some(v) => Ok(Json(v).into_response()),
        None => Err(AppError::Unauthenticated),
    }
}

#[derive(Deserialize, utoipa::ToSchema)]
struct ActForBody {
    subject_id: i64,
}

#[utoipa::path(put, path = "/api/v1/sessione/soggetto", tag = "sessione", request_body = ActForBody,
    responses((status = 200, description = "Il soggetto per cui si opera", body = SubjectSummary),
        (status = 401, description = "Non autenticato", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Non autorizzato per questo soggetto", body = Problem, content_type = "application/problem+json"),))]
async fn act_for(
    State(s): State<AppState>,
    Extension(c): Extension<Caller>,
    ApiJson(b): ApiJson<ActForBody>,
) -> AppResult<Response> {
    Ok(Json(s.services.act_for(&c, b.subject_id).await?).into_response())
}

async fn home(State(s): State<AppState>, Extension(c): Extension<Caller>) -> AppResult<Response> {
    Ok(Json(s.services.home(&c).await?).into_response())
}

#[utoipa::path(get, path = "/api/v1/soggetti", tag = "soggetti",
    responses((status = 200, description = "Le aziende per cui il chiamante può operare oggi", body = Vec<SubjectSummary>),
        (status = 401, description = "Non autenticato", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Non autorizzato per questo soggetto", body = Problem, content_type = "application/problem+json"),))]
async fn subjects(State(s): State<AppState>, Extension(c): Extension<Caller>) -> AppResult<Response> {
    Ok(Json(s.services.subjects(&c).await?).into_response())
}

async fn subject(
    State(s): State<AppState>,
    Extension(c): Extension<Caller>,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let id: i64 = id.parse().map_err(|_| AppError::BadRequest("Identificativo del soggetto non valido.".into()))?;
    Ok(Json(s.services.company_home(&c, Some(id)).await?).into_response())
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

#[derive(Deserialize)]
struct IdentifierBody {
    tipo: String,
    valore: String,
}

/// Checks one identifier with the same `shared` parsers the forms use; answers with the
/// normalised value or a problem with the field error.
async fn check_identifier(ApiJson(b): ApiJson<IdentifierBody>) -> AppResult<Response> {
    use shared::*;
    fn done<T: std::fmt::Display, E: std::fmt::Display>(
        r: Result<T, E>,
        code: impl Fn(&E) -> String,
    ) -> AppResult<Response> {
        match r {
            Ok(v) => Ok(Json(serde_json::json!({ "valido": true, "normalizzato": v.to_string() })).into_response()),
            Err(e) => Err(AppError::Validation(vec![shared::dto::FieldError {
                field: "valore".into(),
                code: code(&e),
                message: e.to_string(),
            }])),
        }
    }
    let code = |e: &ParseError| e.code().to_string();
    match b.tipo.as_str() {
        "codice_fiscale" => done(CodiceFiscale::parse(&b.valore), code),
        "partita_iva" => done(PartitaIva::parse(&b.valore), code),
        "matricola" => done(Matricola::parse(&b.valore), code),
        "email" | "pec" => done(Email::parse(&b.valore), code),
        "telefono" => done(Telefono::parse(&b.valore), code),
        "iban" => done(Iban::parse(&b.valore), code),
        "importo" => done(Euro::parse_it(&b.valore), |e: &shared::money::MoneyError| format!("{e:?}").to_lowercase()),
        other => Err(AppError::Validation(vec![shared::dto::FieldError {
            field: "tipo".into(),
            code: "unknown".into(),
            message: format!("Tipo di identificativo sconosciuto: {other}."),
        }])),
    }
}

#[derive(Deserialize)]
struct ListQuery {
    soggetto_id: Option<i64>,
    stato: Option<String>,
    tipo: Option<String>,
    matricola: Option<String>,
    dal: Option<String>,
    al: Option<String>,
    /// Text, so that a bad value is a field error in problem+json, not a bare 400.
    pagina: Option<String>,
}

fn list_filter(q: ListQuery) -> AppResult<(Option<i64>, shared::dto::RequestFilter)> {
    let ListQuery { soggetto_id, stato, tipo, matricola, dal, al, pagina } = q;
    let pagina = match pagina.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
        None => None,
        Some(p) => Some(p.parse::<u32>().map_err(|_| {
            AppError::field("pagina", "Il numero di pagina deve essere un intero positivo.", "invalid")
        })?),
    };
    Ok((soggetto_id, shared::dto::RequestFilter { stato, tipo, matricola, dal, al, pagina }))
}

#[derive(Deserialize)]
struct SubjectQuery {
    soggetto_id: Option<i64>,
}

#[utoipa::path(get, path = "/api/v1/smart-task/tipi", tag = "smart-task",
    responses((status = 200, description = "I tipi di Smart-Task", body = Vec<KindView>),
        (status = 401, description = "Non autenticato", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Non autorizzato per questo soggetto", body = Problem, content_type = "application/problem+json"),))]
async fn st_kinds(State(s): State<AppState>, Extension(c): Extension<Caller>) -> AppResult<Response> {
    Ok(Json(s.services.smart_task_kinds(&c).await?).into_response())
}

#[utoipa::path(get, path = "/api/v1/smart-task/tipi/{tipo}/oggetti", tag = "smart-task",
    params(("tipo" = String, Path, description = "Codice del tipo, ad esempio revoca_delega_intermediario"),
        ("soggetto_id" = Option<i64>, Query, description = "L'azienda (predefinita: quella della sessione)")),
    responses((status = 200, description = "Su che cosa può agire una richiesta, con i dati già noti e le risposte suggerite", body = Vec<TargetView>),
        (status = 401, description = "Non autenticato", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Non autorizzato per questo soggetto", body = Problem, content_type = "application/problem+json"),))]
async fn st_targets(
    State(s): State<AppState>,
    Extension(c): Extension<Caller>,
    Path(tipo): Path<String>,
    Query(q): Query<SubjectQuery>,
) -> AppResult<Response> {
    Ok(Json(s.services.smart_task_targets(&c, &tipo, q.soggetto_id).await?).into_response())
}

#[utoipa::path(post, path = "/api/v1/richieste", tag = "smart-task", request_body = SubmitRequest,
    params(("Idempotency-Key" = Option<String>, Header, description = "La stessa chiave dallo stesso utente restituisce la stessa richiesta")),
    responses((status = 202, description = "Richiesta registrata (stato inviata): l'esito arriva dall'istruttoria automatica", body = RequestView),
        (status = 422, description = "Risposte non valide, con gli errori per campo", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Non autenticato", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Non autorizzato per questo soggetto", body = Problem, content_type = "application/problem+json"),))]
async fn st_submit(
    State(s): State<AppState>,
    Extension(c): Extension<Caller>,
    headers: axum::http::HeaderMap,
    ApiJson(b): ApiJson<SubmitRequest>,
) -> AppResult<Response> {
    let key = headers.get("idempotency-key").and_then(|v| v.to_str().ok()).map(str::to_string);
    let view = s.services.submit_smart_task(&c, b, key).await?;
    Ok((StatusCode::ACCEPTED, [(header::LOCATION, format!("/api/v1/richieste/{}", view.protocollo))], Json(view))
        .into_response())
}

#[utoipa::path(get, path = "/api/v1/richieste", tag = "smart-task",
    params(("soggetto_id" = Option<i64>, Query), ("stato" = Option<String>, Query), ("tipo" = Option<String>, Query),
        ("matricola" = Option<String>, Query), ("dal" = Option<String>, Query, description = "gg/mm/aaaa"),
        ("al" = Option<String>, Query, description = "gg/mm/aaaa"), ("pagina" = Option<u32>, Query)),
    responses((status = 200, description = "Le richieste, dalla più recente, 20 per pagina", body = RequestPage),
        (status = 422, description = "Filtri non validi", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Non autenticato", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Non autorizzato per questo soggetto", body = Problem, content_type = "application/problem+json"),))]
async fn st_list(
    State(s): State<AppState>,
    Extension(c): Extension<Caller>,
    Query(q): Query<ListQuery>,
) -> AppResult<Response> {
    let (soggetto_id, filter) = list_filter(q)?;
    Ok(Json(s.services.list_requests(&c, soggetto_id, filter).await?).into_response())
}

#[utoipa::path(get, path = "/api/v1/richieste/{protocollo}", tag = "smart-task",
    params(("protocollo" = String, Path)),
    responses((status = 200, description = "La richiesta con i controlli eseguiti e la cronologia", body = RequestView),
        (status = 404, description = "Richiesta inesistente", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Non autenticato", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Non autorizzato per questo soggetto", body = Problem, content_type = "application/problem+json"),))]
async fn st_get(
    State(s): State<AppState>,
    Extension(c): Extension<Caller>,
    Path(p): Path<String>,
) -> AppResult<Response> {
    Ok(Json(s.services.request_view(&c, &p).await?).into_response())
}

/// The OpenAPI document, generated from the handlers' annotations and the shared types.
#[derive(utoipa::OpenApi)]
#[openapi(
    info(title = "Sportello – API per i programmi degli intermediari", version = "1",
        description = "Le stesse operazioni del Cassetto previdenziale, con gli stessi controlli. Autenticazione: cookie di sessione oppure `Authorization: Bearer <token API>`. Errori: application/problem+json con errori per campo."),
    paths(login, session, act_for, subjects, st_kinds, st_targets, st_submit, st_list, st_get, receipt, submit_two_way, add_message, notifications,
        notifications_read, api_tokens, create_api_token, revoke_api_token),
    modifiers(&Security),
    security(("token" = []), ("cookie" = []))
)]
pub struct ApiDoc;

struct Security;

impl utoipa::Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
        let c = openapi.components.get_or_insert_with(Default::default);
        c.add_security_scheme("token", SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()));
        c.add_security_scheme("cookie", SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new("sportello"))));
    }
}

async fn openapi() -> Response {
    Json(<ApiDoc as utoipa::OpenApi>::openapi()).into_response()
}
