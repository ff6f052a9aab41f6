//! The server's one error type, mapped once to HTTP statuses and Italian messages.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use shared::dto::{FieldError, Problem};

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("accesso richiesto")]
    Unauthenticated,
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    NotFound(String),
    #[error("dati non validi")]
    Validation(Vec<FieldError>),
    /// Well-formed input that a rule refuses (e.g. a limit): 422 with the reason and, per
    /// failed check, its code and message.
    #[error("{0}")]
    Refused(String, Vec<FieldError>),
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    Conflict(String),
    /// Too many requests from this caller: 429 with `Retry-After` (seconds).
    #[error("{0}")]
    RateLimited(String, u64),
    /// The service cannot take the request now (overloaded, database unreachable): 503 with
    /// `Retry-After` (seconds); nothing was done.
    #[error("{0}")]
    Unavailable(String, u64),
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("migrazione: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("{0}")]
    Internal(String),
}

pub type AppResult<T> = Result<T, AppError>;

impl AppError {
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::Unauthenticated => StatusCode::UNAUTHORIZED,
            AppError::Forbidden(_) => StatusCode::FORBIDDEN,
            AppError::NotFound(_) => StatusCode::NOT_FOUND,
            AppError::Validation(_) | AppError::Refused(..) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::RateLimited(..) => StatusCode::TOO_MANY_REQUESTS,
            AppError::Unavailable(..) => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Database(_) | AppError::Migrate(_) | AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn field(field: &str, err: impl std::fmt::Display, code: &str) -> AppError {
        AppError::Validation(vec![FieldError { field: field.into(), code: code.into(), message: err.to_string() }])
    }

    pub fn to_problem(&self) -> Problem {
        let status = self.status();
        let (code, title, detail, errors) = match self {
            AppError::Unauthenticated => (
                "unauthenticated",
                "Accesso richiesto",
                "Per continuare occorre accedere con le proprie credenziali.".to_string(),
                vec![],
            ),
            AppError::Forbidden(m) => ("forbidden", "Operazione non consentita", m.clone(), vec![]),
            AppError::NotFound(m) => ("not_found", "Non trovato", m.clone(), vec![]),
            AppError::Validation(errs) => (
                "validation",
                "Dati non validi",
                "Alcuni dati non sono validi: correggere i campi indicati.".to_string(),
                errs.clone(),
            ),
            AppError::Refused(m, errs) => ("refused", "Non accolta", m.clone(), errs.clone()),
            AppError::BadRequest(m) => ("bad_request", "Richiesta non valida", m.clone(), vec![]),
            AppError::Conflict(m) => ("conflict", "Conflitto", m.clone(), vec![]),
            AppError::RateLimited(m, _) => ("rate_limited", "Troppi tentativi", m.clone(), vec![]),
            AppError::Unavailable(m, _) => ("unavailable", "Servizio momentaneamente non disponibile", m.clone(), vec![]),
            AppError::Database(_) | AppError::Migrate(_) | AppError::Internal(_) => (
                "internal",
                "Errore del servizio",
                "Si è verificato un errore inatteso. Riprovare tra qualche minuto; i dati inseriti non sono andati persi.".to_string(),
                vec![],
            ),
        };
        Problem {
            kind: format!("https://sportello.inps.example/problemi/{code}"),
            title: title.into(),
            status: status.as_u16(),
            detail,
            code: code.into(),
            errors,
        }
    }
}

pub fn problem_response(p: &Problem) -> Response {
    let status = StatusCode::from_u16(p.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let body = serde_json::to_string(p).unwrap_or_else(|_| "{}".into());
    (status, [(axum::http::header::CONTENT_TYPE, "application/problem+json")], body).into_response()
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if self.status().is_server_error() {
            tracing::error!(error = %self, "request failed");
        }
        let mut r = problem_response(&self.to_problem());
        if let AppError::RateLimited(_, secs) | AppError::Unavailable(_, secs) = self {
            r.headers_mut().insert(axum::http::header::RETRY_AFTER, axum::http::HeaderValue::from(secs));
        }
        r
    }
}
