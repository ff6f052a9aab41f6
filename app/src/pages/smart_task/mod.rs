//! Crea Smart-Task: the wizard and its server functions.

pub mod answers;
pub mod api;
pub mod attivazioni;
#[cfg(feature = "ssr")]
pub mod backend;
pub mod simulazione;
pub mod wizard;
