pub mod home;
pub mod login;
pub mod not_found;
pub mod operators;
pub mod requests;
pub mod subjects;
