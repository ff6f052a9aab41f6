//! What the pages need from the server, as traits the server implements (one per feature, in
//! `pages/<feature>/backend.rs`): server functions stay thin adapters and the same services back
//! the REST API. Errors arrive already mapped to [`UiError`](crate::error::UiError) (problem
//! details with an Italian message).

pub use crate::pages::admin::backend::AdminBackend;
pub use crate::pages::comunicazioni::backend::ComunicazioniBackend;
pub use crate::pages::fascicolo::backend::FascicoloBackend;
pub use crate::pages::home::backend::HomeBackend;
pub use crate::pages::identity::backend::{IdentityBackend, LoggedIn};
pub use crate::pages::presto::backend::PrestoBackend;
pub use crate::pages::richieste::backend::RichiesteBackend;
pub use crate::pages::smart_task::backend::SmartTaskBackend;
use std::sync::Arc;

/// Puts each feature's backend in the context, where its server functions look for it: `B`
/// implements what every page needs.
pub fn provide<B>(b: &Arc<B>)
where
    B: IdentityBackend
        + HomeBackend
        + AdminBackend
        + RichiesteBackend
        + SmartTaskBackend
        + ComunicazioniBackend
        + FascicoloBackend
        + PrestoBackend,
{
    use leptos::prelude::provide_context;
    provide_context::<Arc<dyn IdentityBackend>>(b.clone());
    provide_context::<Arc<dyn HomeBackend>>(b.clone());
    provide_context::<Arc<dyn AdminBackend>>(b.clone());
    provide_context::<Arc<dyn RichiesteBackend>>(b.clone());
    provide_context::<Arc<dyn SmartTaskBackend>>(b.clone());
    provide_context::<Arc<dyn ComunicazioniBackend>>(b.clone());
    provide_context::<Arc<dyn FascicoloBackend>>(b.clone());
    provide_context::<Arc<dyn PrestoBackend>>(b.clone());
}
