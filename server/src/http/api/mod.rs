//! REST API under /api/v1 for intermediaries' software and tests. Same services as the pages;
//! every error is problem+json.

pub mod admin;
pub mod comunicazioni;
pub mod fascicolo;
pub mod identity;
pub mod presto;
pub mod richieste;
pub mod smart_task;

use super::AppState;
use crate::error::AppError;
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, Request};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::de::DeserializeOwned;

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

/// Every feature's routes under /api/v1, merged in one place.
pub fn router() -> Router<AppState> {
    Router::new()
        .merge(identity::router())
        .merge(admin::router())
        .merge(smart_task::router())
        .merge(richieste::router())
        .merge(comunicazioni::router())
        .merge(fascicolo::router())
        .merge(presto::router())
        .route("/openapi.json", get(openapi))
        .fallback(|| async { AppError::NotFound("Risorsa API inesistente.".into()) })
}

/// The OpenAPI document, generated from the handlers' annotations and the shared types.
#[derive(utoipa::OpenApi)]
#[openapi(
    info(title = "Sportello – API per i programmi degli intermediari", version = "1",
        description = "Le stesse operazioni del Cassetto previdenziale, con gli stessi controlli. Autenticazione: cookie di sessione oppure `Authorization: Bearer <token API>`. Errori: application/problem+json con errori per campo."),
    paths(identity::login, identity::session, identity::act_for, identity::subjects, smart_task::st_kinds, smart_task::st_targets,
        smart_task::st_submit, richieste::st_list, richieste::st_get, richieste::receipt, comunicazioni::submit_two_way,
        comunicazioni::add_message, richieste::notifications, richieste::notifications_read, identity::api_tokens,
        identity::create_api_token, identity::revoke_api_token, presto::registra_utilizzatore, presto::registra_prestatore,
        presto::portafoglio, presto::pagopa, presto::nuova_prestazione, presto::revoca, presto::pagina_prestatore,
        presto::import_f24, presto::pay_run, presto::cerca, presto::scheda, presto::modifica),
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
