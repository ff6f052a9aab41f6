//! Components shared by several features' pages.

pub mod download;
pub mod filters;
pub mod format;
pub mod forms;
pub mod layout;
pub mod request;
