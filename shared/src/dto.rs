//! What the server sends to the pages and to API clients: one import point for the wire types,
//! which live in their features' modules.

pub use crate::account::*;
pub use crate::comunicazioni::*;
pub use crate::fascicolo::*;
pub use crate::problem::*;
pub use crate::richiesta::*;
pub use crate::smart_task::attivazione::{AttivazioneView, ImpostaAttivazione};
pub use crate::smart_task::views::*;
