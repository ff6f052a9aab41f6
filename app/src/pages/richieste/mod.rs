//! What every request shares: Lista Richieste, the detail, notifications and the development mailbox.

pub mod api;
#[cfg(feature = "ssr")]
pub mod backend;
pub mod detail;
pub mod list;
pub mod notifications;
