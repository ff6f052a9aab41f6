//! Who the caller is and what it may do: accounts and sessions, acting for a subject, API tokens.

pub mod access;
pub mod auth;
pub mod caller;
pub mod scope;
pub mod session;
pub mod subject;
pub mod throttle;
pub mod tokens;

pub use caller::Caller;
