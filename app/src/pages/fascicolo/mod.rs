//! Fascicolo elettronico for INPS operators: search, the file, a request, the branch queue.

pub mod api;
#[cfg(feature = "ssr")]
pub mod backend;
pub mod file;
pub mod queue;
pub mod request;
pub mod search;
