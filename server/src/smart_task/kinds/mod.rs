//! The Smart-Task kinds, one file each (kinds 4–5 and 6–7 are pairs sharing a file), and the
//! registry that maps a kind to its examination: one line per kind.

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

use super::kind::Examiner;
use shared::smart_task::Kind;

pub fn examiner(kind: Kind) -> &'static dyn Examiner {
    match kind {
        Kind::CancellazioneContattiAnomaliNdr => &contatti_anomali::CancellazioneContattiAnomali,
        Kind::RicalcoloNotaRettifica => &nota_rettifica::RicalcoloNotaRettifica,
        Kind::RettificaPeriodoPagamento => &rettifica_pagamento::RettificaPeriodoPagamento,
        Kind::RevocaDelegaIntermediario => &revoca_delega::INTERMEDIARIO,
        Kind::RevocaDelegaDipendente => &revoca_delega::DIPENDENTE,
        Kind::VariazioneContattiIntermediario => &contatti::VariazioneContattiIntermediario,
        Kind::VariazioneContattiDipendente => &contatti::VariazioneContattiDipendente,
        Kind::VariazionePecAziendale => &pec_aziendale::VariazionePecAziendale,
        Kind::SospensionePosizione => &sospensione::SospensionePosizione,
        Kind::RiattivazionePosizione => &riattivazione::RiattivazionePosizione,
        Kind::CessazioneProvvisoria => &cessazione_provvisoria::CessazioneProvvisoria,
        Kind::VariazioneContattiCollegato => &contatti_collegato::VariazioneContattiCollegato,
        Kind::InserimentoCollegato => &inserimento_collegato::InserimentoCollegato,
        Kind::CessazioneCollegato => &cessazione_collegato::CessazioneCollegato,
        Kind::FondoTesoreria => &fondo_tesoreria::FondoTesoreria,
        Kind::SostituzioneMaternita => &sostituzione_maternita::SostituzioneMaternita,
        Kind::RichiestaDpa => &dpa::RichiestaDpa,
    }
}
