//! Comunicazioni bidirezionali: a new two-way request and its conversation.

pub mod api;
#[cfg(feature = "ssr")]
pub mod backend;
pub mod detail;
pub mod new;
#[cfg(feature = "ssr")]
pub mod upload;

pub use new::PAGE_PATH;
