//! Prestazioni occasionali (art. 54-bis D.L. 50/2017): the instruments, the user categories,
//! the cost of a prestazione, the legal limits and the views the wallet pages and the API share.
//! Pure code: the server reads the dated parameters and the counters, these functions decide.

pub mod cambio_categoria;
pub mod campioni;
pub mod costo;
pub mod elenchi;
pub mod f24;
pub mod limiti;
pub mod parametri;
pub mod portale;
pub mod rimborsi;
pub mod tipi;
pub mod views;

pub use costo::{Costo, costo_cpo, costo_lf};
pub use limiti::{Contatori, NuovaPrestazioneFatti, controlli_prestazione};
pub use parametri::{ParametriPresto, RigaParametro};
pub use tipi::{Ateco, CategoriaCpo, CategoriaSpeciale, FinalitaPa, ModalitaPagamento, StatoPrestazione, Strumento};
