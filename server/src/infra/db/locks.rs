//! What a group-commit batch on PostgreSQL locks before its writes, so that batches of several
//! writers and processes may run side by side without two of them passing the same check.
//!
//! A write that checks something before writing (this PEC belongs to no other company) must not
//! run beside another write that could make the check false. By default a batch takes the audit
//! chain and all its checks alone ([`Locks::Chain`]): one batch at a time. A write whose checks
//! read only what its keys name declares them ([`Locks::Keys`]): its batch takes a shared lock on
//! the chain's turn, then each key, sorted, and appends to the chain only with its last
//! statements; two batches with a key in common run one after the other, the others together. A
//! batch of the first sort waits until no batch of the second is running, and the other way
//! round. Every write that reads or writes what a key names uses the same constructor here, so
//! the keys of one thing are one vocabulary.

use sha2::{Digest, Sha256};

/// A key of PostgreSQL's advisory locks (`pg_advisory_xact_lock(bigint)`). Two different things
/// may share a key (a hash): they then only wait for each other, which is never wrong.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LockKey(i64);

impl LockKey {
    /// A contributor's own row: its contacts, its state.
    pub fn contribuente(id: i64) -> LockKey {
        LockKey::of("contribuente", &id.to_string())
    }

    /// An e-mail address as a PEC of anyone (compared without case, as every check compares it).
    pub fn pec(address: &str) -> LockKey {
        LockKey::of("pec", &address.trim().to_lowercase())
    }

    fn of(domain: &str, value: &str) -> LockKey {
        let digest = Sha256::new().chain_update(domain).chain_update([0]).chain_update(value).finalize();
        let mut first = [0u8; 8];
        first.copy_from_slice(&digest[..8]);
        LockKey(i64::from_be_bytes(first))
    }
}

/// How a write's batch keeps its checks apart from other batches'.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Locks {
    /// Alone: the batch takes the chain's head before anything else.
    Chain,
    /// Beside the other batches but those with one of these keys.
    Keys(Vec<LockKey>),
}

impl Locks {
    /// What a batch of writes with these locks takes: `Keys` only if every one has keys.
    pub fn of_batch<'a>(all: impl IntoIterator<Item = &'a Locks>) -> Locks {
        let mut keys = vec![];
        for locks in all {
            match locks {
                Locks::Chain => return Locks::Chain,
                Locks::Keys(k) => keys.extend_from_slice(k),
            }
        }
        keys.sort_unstable();
        keys.dedup();
        Locks::Keys(keys)
    }

    /// The statements a batch with these locks runs first on PostgreSQL (one round trip). The
    /// chain's turn is a two-integer advisory key, a space apart from the one-integer keys. The
    /// keys are locked in order (PostgreSQL evaluates the lock after the sort), so two batches
    /// never wait for each other in a cycle.
    pub fn postgres_sql(&self) -> String {
        match self {
            Locks::Chain => format!(
                "SELECT COUNT(*) FROM (SELECT pg_advisory_xact_lock({TURN})) AS t;
                 SELECT last_seq FROM audit_head WHERE id = 1 FOR UPDATE"
            ),
            Locks::Keys(keys) if keys.is_empty() => {
                format!("SELECT COUNT(*) FROM (SELECT pg_advisory_xact_lock_shared({TURN})) AS t")
            }
            Locks::Keys(keys) => {
                let values: Vec<String> = keys.iter().map(|k| format!("({}::int8)", k.0)).collect();
                format!(
                    "SELECT COUNT(*) FROM (SELECT pg_advisory_xact_lock_shared({TURN})) AS t;
                     SELECT COUNT(*) FROM (SELECT pg_advisory_xact_lock(v.k) FROM (VALUES {}) AS v(k) ORDER BY v.k) AS l",
                    values.join(", ")
                )
            }
        }
    }
}

/// The chain's turn: taken alone by a [`Locks::Chain`] batch, shared by the keyed ones.
const TURN: &str = "5301, 1";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_name_one_thing_whatever_its_spelling_and_differ_across_things() {
        assert_eq!(LockKey::pec(" Info@PEC.it "), LockKey::pec("info@pec.it"));
        assert_ne!(LockKey::pec("info@pec.it"), LockKey::pec("altro@pec.it"));
        assert_ne!(LockKey::contribuente(7), LockKey::contribuente(8));
        // The domain is part of the key: a contributor's id is not an address "7".
        assert_ne!(LockKey::contribuente(7), LockKey::pec("7"));
    }

    #[test]
    fn a_batch_is_keyed_only_if_every_write_is() {
        let (a, b) = (LockKey::pec("a@pec.it"), LockKey::contribuente(1));
        let keyed = Locks::of_batch(&[Locks::Keys(vec![b, a]), Locks::Keys(vec![a])]);
        let mut expected = vec![a, b];
        expected.sort_unstable();
        assert_eq!(keyed, Locks::Keys(expected));
        assert_eq!(Locks::of_batch(&[Locks::Keys(vec![a]), Locks::Chain]), Locks::Chain);
        assert_eq!(Locks::of_batch(&[]), Locks::Keys(vec![]));
    }

    #[test]
    fn the_keys_are_locked_in_order_after_the_shared_turn() {
        let keys = vec![LockKey(-5), LockKey(3)];
        let sql = Locks::Keys(keys).postgres_sql();
        assert!(sql.starts_with("SELECT COUNT(*) FROM (SELECT pg_advisory_xact_lock_shared(5301, 1))"), "{sql}");
        assert!(sql.contains("VALUES (-5::int8), (3::int8)) AS v(k) ORDER BY v.k"), "{sql}");
        let chain = Locks::Chain.postgres_sql();
        assert!(chain.contains("pg_advisory_xact_lock(5301, 1)") && chain.contains("audit_head"), "{chain}");
    }
}
