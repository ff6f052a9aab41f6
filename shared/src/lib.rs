//! Domain types shared by the browser (WASM) and the server.
//!
//! Nothing here may depend on tokio, sqlx or anything that cannot compile to wasm32:
//! the same parsing code validates a field as the user types and again on the server.

pub mod account;
pub mod codice_fiscale;
pub mod comunicazioni;
pub mod dto;
pub mod fascicolo;
pub mod ids;
pub mod intero;
pub mod money;
pub mod periodo;
pub mod posizione;
pub mod presto;
pub mod problem;
pub mod richiesta;
pub mod roles;
pub mod smart_task;
pub mod time;
pub mod voci;

pub use ids::{CodiceFiscale, Email, Iban, Matricola, ParseError, PartitaIva, Telefono};
pub use money::Euro;
pub use periodo::Periodo;
pub use roles::Role;
