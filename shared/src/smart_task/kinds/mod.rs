//! One file per Smart-Task kind (or pair of sibling kinds): its questions and typed request.

pub mod cessazione_collegato;
pub mod cessazione_provvisoria;
pub mod contatti;
pub mod contatti_anomali;
pub mod contatti_collegato;
pub mod dpa;
pub mod fondo_tesoreria;
pub mod inserimento_collegato;
pub mod nota_rettifica;
pub mod pec_aziendale;
pub mod rettifica_pagamento;
pub mod revoca_delega;
pub mod riattivazione;
pub mod sospensione;
pub mod sostituzione_maternita;
