//! What a Smart-Task can act on, from the subject's own data (never typed blind), with what
//! INPS already knows about it (shown above the form) and the answers it pre-fills: each kind
//! lists its own targets; the helpers here shape them alike.

use crate::error::AppResult;
use shared::dto::TargetView;
use shared::periodo::Periodo;
use sqlx::Row;
use sqlx::any::AnyRow;

pub(crate) fn target(id: i64, descrizione: String, dati: Vec<(&str, String)>) -> TargetView {
    TargetView {
        id: id.to_string(),
        descrizione,
        dati: dati.into_iter().map(|(k, v)| (k.to_string(), v)).collect(),
        predefiniti: Default::default(),
    }
}

pub(crate) fn it(s: &str) -> String {
    shared::time::format_date_text_it(s)
}

pub(crate) fn per(s: &str) -> String {
    Periodo::parse(s).map(|p| p.to_string()).unwrap_or_else(|_| s.to_string())
}

pub(crate) fn opt(r: &AnyRow, col: &str) -> AppResult<String> {
    Ok(r.try_get::<Option<String>, _>(col)?.unwrap_or_else(|| "non indicato".into()))
}
