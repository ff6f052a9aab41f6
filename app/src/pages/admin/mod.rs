//! The profiling administrator's page: operators, their role and sede.

pub mod api;
#[cfg(feature = "ssr")]
pub mod backend;
pub mod operators;
