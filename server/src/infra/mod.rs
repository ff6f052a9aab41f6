//! What every feature stands on: database (with its group commit), clock, job queue, mail
//! sender, audit trail.

pub mod audit;
pub mod clock;
pub mod db;
pub mod export;
pub mod jobs;
pub mod mail;
