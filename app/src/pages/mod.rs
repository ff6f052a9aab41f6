//! The pages, one folder per feature, each with its server functions (`api`) and what it needs
//! from the server (`backend`, implemented by the server crate).

pub mod admin;
pub mod comunicazioni;
pub mod fascicolo;
pub mod home;
pub mod identity;
pub mod not_found;
pub mod presto;
pub mod richieste;
pub mod smart_task;
