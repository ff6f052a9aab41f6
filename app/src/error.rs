//! The error of every server function: the server's problem details, with an Italian `detail`.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};
use shared::dto::{FieldError, Problem};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UiError(pub Box<Problem>);

impl FromServerFnError for UiError {
    type Encoder = JsonEncoding;
    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        let (code, detail) = match value {
            ServerFnErrorErr::Request(_) => (
                "network",
                "Il servizio non è raggiungibile: verificare la connessione e riprovare. I dati inseriti sono ancora nel modulo.",
            ),
            ServerFnErrorErr::Args(_) | ServerFnErrorErr::MissingArg(_) => {
                ("bad_request", "I dati inviati non sono completi o non sono validi.")
            }
            _ => ("internal", "Si è verificato un errore inatteso. Riprovare tra qualche minuto."),
        };
        UiError::new(code, "Errore", 500, detail)
    }
}

impl UiError {
    /// A problem without field errors, as the server would describe it.
    pub fn new(code: &str, title: &str, status: u16, detail: impl Into<String>) -> UiError {
        UiError(Box::new(Problem {
            kind: format!("https://sportello.inps.example/problemi/{code}"),
            title: title.into(),
            status,
            detail: detail.into(),
            code: code.into(),
            errors: vec![],
        }))
    }
}

impl UiError {
    /// A field the page sent that the server cannot take, as the server's validation problem.
    pub fn field(e: FieldError) -> UiError {
        UiError(Box::new(Problem {
            kind: "https://sportello.inps.example/problemi/validation".into(),
            title: "Dati non validi".into(),
            status: 422,
            detail: "Alcuni dati non sono validi: correggere i campi indicati.".into(),
            code: "validation".into(),
            errors: vec![e],
        }))
    }
}

impl From<Problem> for UiError {
    fn from(p: Problem) -> Self {
        UiError(Box::new(p))
    }
}

impl std::fmt::Display for UiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0.detail)
    }
}

impl std::error::Error for UiError {}
