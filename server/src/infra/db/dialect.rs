//! The only SQL that differs between SQLite and PostgreSQL.

use super::Engine;

macro_rules! claim_job_sql {
    () => {
        "UPDATE jobs SET state = 'running', attempts = attempts + 1, locked_until = $3, locked_by = $4, updated_at = $2
         WHERE id IN (SELECT id FROM jobs
                     WHERE queue = $1 AND run_after <= $2
                       AND (state = 'queued' OR (state = 'running' AND locked_until < $2))
                       AND attempts < max_attempts
                     ORDER BY run_after, id LIMIT $5"
    };
}

/// Claims the oldest ready jobs of a queue (at most $5). On PostgreSQL `FOR UPDATE SKIP LOCKED` lets several
/// replicas claim concurrently without blocking or double-claiming; on SQLite the single writer
/// connection serialises claims, so the plain sub-select is already exclusive.
/// Binds: $1 queue, $2 now, $3 locked_until, $4 worker id, $5 how many.
pub fn claim_job(engine: Engine) -> &'static str {
    match engine {
        Engine::Postgres => concat!(claim_job_sql!(), " FOR UPDATE SKIP LOCKED) RETURNING id, payload, attempts"),
        Engine::Sqlite => concat!(claim_job_sql!(), ") RETURNING id, payload, attempts"),
    }
}

/// After rows were inserted with explicit ids (bulk seeding), PostgreSQL's sequence must be moved
/// past them; SQLite's AUTOINCREMENT keeps track by itself.
pub fn reset_sequence(engine: Engine, table: &str) -> Option<String> {
    match engine {
        Engine::Postgres => Some(format!(
            "SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
        )),
        Engine::Sqlite => None,
    }
}

/// Placeholder for the n-th parameter of a bulk insert. Everywhere else the code uses `$N`, which
/// both engines accept; but SQLite resolves a numbered parameter by walking the list of named
/// ones, which makes a statement with thousands of them quadratic. Plain `?` is not in that list.
pub fn bulk_placeholder(engine: Engine, n: usize) -> String {
    match engine {
        Engine::Sqlite => "?".to_string(),
        Engine::Postgres => format!("${n}"),
    }
}

/// Condition for "the lower-cased name starts with" through the index on
/// `LOWER(ragione_sociale)`. SQLite reads the index as a range in byte order ($3 ≤ name < $4,
/// the LIKE only confirms); PostgreSQL reads it for the LIKE itself (`text_pattern_ops`), since
/// its collation need not follow byte order, and gets no range. Binds: $1 the LIKE pattern, and
/// on SQLite $3 the prefix and $4 its upper bound. Returns whether $3/$4 are used.
pub fn name_prefix(engine: Engine, column: &str) -> (String, bool) {
    match engine {
        Engine::Sqlite => {
            (format!("LOWER({column}) >= $3 AND LOWER({column}) < $4 AND LOWER({column}) LIKE $1 ESCAPE '\\'"), true)
        }
        Engine::Postgres => (format!("LOWER({column}) LIKE $1 ESCAPE '\\'"), false),
    }
}

/// Run first in each group-commit batch that may write audit. On PostgreSQL several processes
/// write at once, and a batch holds the locks of many writes until its commit: taking the audit
/// chain's head first (every audited write takes it anyway) makes batches queue for it before
/// they hold any other lock, so two batches never wait for each other in a cycle. A batch of
/// claims alone skips it: claims skip locked rows and never wait. SQLite has one writer already.
pub fn batch_lock(engine: Engine) -> Option<&'static str> {
    match engine {
        Engine::Postgres => Some("SELECT last_seq FROM audit_head WHERE id = 1 FOR UPDATE"),
        Engine::Sqlite => None,
    }
}
