//! Prestazioni occasionali: the user's wallet (balance, limits, new prestazione, pagoPA,
//! revocation), the prestatore's page, and the intranet portal's registry for operators.

pub mod abbinamenti;
pub mod api;
#[cfg(feature = "ssr")]
pub mod backend;
pub mod campione;
pub mod categoria;
pub mod deleghe;
pub mod elenchi;
pub mod f24;
pub mod limiti;
pub mod liste;
pub mod operatore;
pub mod portafoglio;
pub mod prestatore;
pub mod registrazione;
pub mod rimborsi;
pub mod scheda;
