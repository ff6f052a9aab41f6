//! Identity: log in, choose whom to act for, personal API tokens.

pub mod api;
#[cfg(feature = "ssr")]
pub mod backend;
pub mod header;
pub mod login;
pub mod subject;
pub mod subjects;
pub mod tokens;
