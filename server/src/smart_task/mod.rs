//! Smart-Task: the kinds' gradual activation, submission, the automated examination (engine, facts, worker), the contract
//! every kind implements ([`kind`]) and the kinds themselves ([`kinds`], one file each).

pub mod attivazione;
pub mod contributi;
pub mod engine;
pub mod facts;
pub mod kind;
pub mod kinds;
pub mod submit;
pub mod targets;
pub mod worker;
