//! Session, acting for a subject, the subjects and personal API tokens.

use super::{ApiJson, AppState};
use crate::error::{AppError, AppResult};
use crate::identity::Caller;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use serde::Deserialize;
use shared::dto::*;

super::routes::api_routes! {
    post "/sessione" => login;
    get "/sessione" => session;
    delete "/sessione" => logout;
    put "/sessione/soggetto" => act_for;
    get "/home" => home;
    get "/soggetti" => subjects;
    get "/soggetti/{id}" => subject;
    post "/identificativi/verifica" => check_identifier;
    get "/token" => api_tokens;
    post "/token" => create_api_token;
    delete "/token/{id}" => revoke_api_token;
}

#[derive(Deserialize, utoipa::ToSchema)]
struct LoginBody {
    username: String,
    password: String,
}

#[utoipa::path(post, path = "/api/v1/sessione", tag = "sessione", request_body = LoginBody, security(()),
    responses((status = 200, description = "Accesso riuscito: cookie di sessione e profilo", body = SessionView),
        (status = 422, description = "Nome utente o password mancanti", body = Problem, content_type = "application/problem+json"),
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

#[utoipa::path(delete, path = "/api/v1/sessione", tag = "sessione", security((), ("token" = []), ("cookie" = [])),
    responses((status = 204, description = "Sessione chiusa (con un token API: il token è revocato)")))]
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
    #[serde(deserialize_with = "shared::intero::whole")]
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

#[utoipa::path(get, path = "/api/v1/home", tag = "sessione",
    responses((status = 200, description = "La pagina iniziale del chiamante, secondo il ruolo", body = HomeData)))]
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

#[utoipa::path(get, path = "/api/v1/soggetti/{id}", tag = "soggetti", params(("id" = i64, Path)),
    responses((status = 200, description = "Il Cassetto del soggetto: anagrafica, posizioni, deleghe", body = CompanyHome),
        (status = 404, description = "Soggetto inesistente o per cui il chiamante non è mai stato delegato", body = Problem, content_type = "application/problem+json")))]
async fn subject(
    State(s): State<AppState>,
    Extension(c): Extension<Caller>,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let id: i64 = id.parse().map_err(|_| AppError::BadRequest("Identificativo del soggetto non valido.".into()))?;
    Ok(Json(s.services.company_home(&c, Some(id)).await?).into_response())
}

#[derive(Deserialize, utoipa::ToSchema)]
struct IdentifierBody {
    /// codice_fiscale, partita_iva, matricola, email, pec, telefono, iban, importo
    tipo: String,
    valore: String,
}

#[derive(serde::Serialize, utoipa::ToSchema)]
struct IdentifierOk {
    valido: bool,
    normalizzato: String,
}

/// Checks one identifier with the same `shared` parsers the forms use; answers with the
/// normalised value or a problem with the field error.
#[utoipa::path(post, path = "/api/v1/identificativi/verifica", tag = "identificativi", request_body = IdentifierBody, security(()),
    responses((status = 200, description = "Identificativo valido, nella forma normalizzata", body = IdentifierOk),
        (status = 422, description = "Identificativo non valido o tipo sconosciuto, con l'errore per campo", body = Problem, content_type = "application/problem+json")))]
async fn check_identifier(ApiJson(b): ApiJson<IdentifierBody>) -> AppResult<Response> {
    use shared::*;
    fn done<T: std::fmt::Display, E: std::fmt::Display>(
        r: Result<T, E>,
        code: impl Fn(&E) -> String,
    ) -> AppResult<Response> {
        match r {
            Ok(v) => Ok(Json(IdentifierOk { valido: true, normalizzato: v.to_string() }).into_response()),
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

#[derive(Deserialize, utoipa::ToSchema)]
struct TokenBody {
    nome: String,
    /// Days of validity (1–365); absent: until revoked.
    #[serde(default, deserialize_with = "shared::intero::optional")]
    #[schema(minimum = 1, maximum = 365)]
    scadenza_giorni: Option<u32>,
    /// Only GET requests (reading); default false.
    #[serde(default)]
    sola_lettura: bool,
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
        (status = 409, description = "Troppi token attivi: revocarne uno prima", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Non autenticato", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Non autorizzato per questo soggetto", body = Problem, content_type = "application/problem+json"),))]
async fn create_api_token(
    State(s): State<AppState>,
    Extension(c): Extension<Caller>,
    ApiJson(b): ApiJson<TokenBody>,
) -> AppResult<Response> {
    Ok((
        StatusCode::CREATED,
        Json(
            s.services
                .create_api_token(
                    &c,
                    &b.nome,
                    crate::identity::tokens::TokenOptions {
                        scadenza_giorni: b.scadenza_giorni,
                        sola_lettura: b.sola_lettura,
                    },
                )
                .await?,
        ),
    )
        .into_response())
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
