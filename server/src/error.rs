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
    Database(sqlx::Error),
    #[error("migrazione: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("{0}")]
    Internal(String),
}

pub type AppResult<T> = Result<T, AppError>;

const ARCHIVIO_GIU: &str = "Il servizio è momentaneamente non disponibile (archivio non raggiungibile): nulla è stato registrato. Riprovi tra qualche secondo.";
const ARCHIVIO_PIENO: &str = "Il servizio è momentaneamente non disponibile (spazio di archiviazione esaurito): nulla è stato registrato. Riprovi più tardi.";
const ARCHIVIO_SOLA_LETTURA: &str =
    "Il servizio è momentaneamente in sola consultazione: nulla è stato registrato. Riprovi più tardi.";
const ARCHIVIO_OCCUPATO: &str =
    "Il servizio è momentaneamente sovraccarico: nulla è stato registrato. Riprovi tra qualche secondo.";

/// Database failures that are the moment's, not the request's: 503 with `Retry-After` (the
/// transaction rolled back, so nothing was half-written). Everything else stays a 500.
fn transient(e: &sqlx::Error) -> Option<(&'static str, u64)> {
    use sqlx::Error as E;
    match e {
        E::PoolTimedOut | E::PoolClosed | E::Io(_) | E::Tls(_) | E::WorkerCrashed => Some((ARCHIVIO_GIU, 5)),
        E::Database(d) => {
            let code = d.code().map(|c| c.to_string()).unwrap_or_default();
            // PostgreSQL's are SQLSTATEs, always five characters (some all digits); SQLite's
            // are numbers below 10,000 (extended: the primary code in the low byte).
            let sqlite = if code.len() == 5 { Err(()) } else { code.parse::<i64>().map(|n| n & 0xff).map_err(|_| ()) };
            match sqlite {
                Ok(5 | 6) => Some((ARCHIVIO_OCCUPATO, 2)),
                Ok(8) => Some((ARCHIVIO_SOLA_LETTURA, 60)),
                Ok(10 | 14) => Some((ARCHIVIO_GIU, 5)),
                Ok(13) => Some((ARCHIVIO_PIENO, 60)),
                Ok(_) => None,
                Err(()) => match code.as_str() {
                    // connection exceptions, shutdown, cannot connect now, too many connections
                    c if c.starts_with("08") => Some((ARCHIVIO_GIU, 5)),
                    "57P01" | "57P02" | "57P03" | "53300" => Some((ARCHIVIO_GIU, 5)),
                    "53100" => Some((ARCHIVIO_PIENO, 60)),
                    "25006" => Some((ARCHIVIO_SOLA_LETTURA, 60)),
                    // deadlock or serialization failure: the transaction rolled back whole
                    "40P01" | "40001" => Some((ARCHIVIO_OCCUPATO, 1)),
                    _ => None,
                },
            }
        }
        _ => None,
    }
}

impl From<sqlx::Error> for AppError {
    fn from(e: sqlx::Error) -> Self {
        match transient(&e) {
            Some((message, retry_after)) => {
                tracing::warn!(error = %e, "database non disponibile: 503");
                AppError::Unavailable(message.into(), retry_after)
            }
            None => AppError::Database(e),
        }
    }
}

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
        problem(status, code, title, detail, errors)
    }
}

/// A problem+json body; `code` also names its type URL.
pub fn problem(status: StatusCode, code: &str, title: &str, detail: String, errors: Vec<FieldError>) -> Problem {
    Problem {
        kind: format!("https://sportello.inps.example/problemi/{code}"),
        title: title.into(),
        status: status.as_u16(),
        detail,
        code: code.into(),
        errors,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unreachable_database_is_503_with_retry_after() {
        let r = AppError::from(sqlx::Error::PoolTimedOut).into_response();
        assert_eq!(r.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(r.headers().get(axum::http::header::RETRY_AFTER).and_then(|v| v.to_str().ok()), Some("5"));
        let r = AppError::from(sqlx::Error::RowNotFound).into_response();
        assert_eq!(r.status(), StatusCode::INTERNAL_SERVER_ERROR, "a bug stays a 500");
    }
}
