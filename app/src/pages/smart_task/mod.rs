//! Crea Smart-Task: the wizard and its server functions.

pub mod answers;
pub mod attivazioni;
pub mod api;
#[cfg(feature = "ssr")]
pub mod backend;
pub mod wizard;
