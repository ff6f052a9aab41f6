pub mod home;
pub mod login;
pub mod not_found;
pub mod notifications;
pub mod operators;
pub mod requests;
pub mod subjects;
pub mod tokens;
