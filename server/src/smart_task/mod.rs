//! Smart-Task: the kinds' gradual activation, submission, the automated examination (engine, facts, worker,
//! what a decision writes: [`record`]), the contract
//! every kind implements ([`kind`]), the kinds themselves ([`kinds`], one file each) and what the
//! position-state kinds 9–11 share ([`posizione`]), the linked-person kinds 12–14 ([`collegati`],
//! with the cadastral registry [`catasto`]) and the kinds granting an authorisation code 15–16
//! ([`codici`]).

pub mod attivazione;
pub mod catasto;
pub mod codici;
pub mod collegati;
pub mod contributi;
pub mod engine;
pub mod facts;
pub mod kind;
pub mod kinds;
pub mod posizione;
pub mod record;
pub mod simulazione;
pub mod submit;
pub mod targets;
pub mod worker;
