//! Fascicolo elettronico del contribuente, for INPS operators: search, the contributor's file,
//! the detail of a request with what each check read, replay of a decision, and the branch
//! queue of requests the automation could not decide. Who may read and act: see
//! [`crate::identity::scope`].

pub mod contributivo;
pub mod file;
pub mod queue;
pub mod request;
pub mod search;

pub(crate) fn stato_label(s: i64) -> String {
    shared::dto::stato_posizione_label(s).into()
}

pub(crate) fn it(s: &str) -> String {
    shared::time::format_date_text_it(s)
}

pub(crate) fn opt_it(s: Option<String>) -> String {
    s.as_deref().map(it).unwrap_or_else(|| "–".into())
}
