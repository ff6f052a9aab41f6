//! What every feature stands on: database (with its group commit), clock, job queue, mail
//! sender, audit trail.

pub mod audit;
pub mod clock;
pub mod db;
pub mod export;
pub mod jobs;
pub mod mail;

/// The cores this process may use (2 if the system cannot tell): the default of the work that
/// keeps a core busy (password checks, SQLite readers).
pub fn cores() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get())
}
