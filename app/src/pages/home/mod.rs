//! The home page of each role.

pub mod api;
#[cfg(feature = "ssr")]
pub mod backend;
pub mod page;
