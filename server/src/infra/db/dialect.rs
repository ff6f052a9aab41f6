//! The only SQL that differs between SQLite and PostgreSQL.

use super::Engine;
use super::locks::Locks;

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

/// Placeholders of a statement built with many parameters (a batch's rows, an IN list), handed
/// out in the order they appear in the text, which must be the order the values are bound in.
///
/// Everywhere else the code writes `$N`, which both engines accept. But SQLite resolves a
/// numbered parameter by walking the list of the statement's named ones: when it prepares the
/// statement, and again for every value sqlx binds (`sqlite3_bind_parameter_name`). That is
/// quadratic in their number: deciding a backlog, 6.7 % of the deciding process' time went
/// there, a quarter of its time inside SQLite (a batch of 32 decisions' audit is two inserts
/// of 480 parameters). A plain `?` is not in that list, so on SQLite every parameter of such a
/// statement is a `?` (sqlx binds those by position), never mixed with `$N`.
pub struct Params {
    engine: Engine,
    next: usize,
}

impl Params {
    pub fn new(engine: Engine) -> Params {
        Params { engine, next: 1 }
    }

    /// The next parameter.
    pub fn one(&mut self) -> String {
        let n = self.next;
        self.next += 1;
        match self.engine {
            Engine::Sqlite => "?".to_string(),
            Engine::Postgres => format!("${n}"),
        }
    }

    /// The next `count` parameters, separated by commas (an IN list).
    pub fn list(&mut self, count: usize) -> String {
        (0..count).map(|_| self.one()).collect::<Vec<_>>().join(", ")
    }

    /// The next `rows` × `columns` parameters as rows of a VALUES list: `(…, …), (…, …)`.
    pub fn rows(&mut self, rows: usize, columns: usize) -> String {
        (0..rows).map(|_| format!("({})", self.list(columns))).collect::<Vec<_>>().join(", ")
    }
}

/// `$first, $first+1, …`, `count` of them: a short list inside a statement whose other
/// parameters are numbered (a long one goes through [`Params`]).
pub fn numbered(first: usize, count: usize) -> String {
    (first..first + count).map(|n| format!("${n}")).collect::<Vec<_>>().join(", ")
}

/// The engine behind a connection of the Any driver (the group commit's writes get a connection,
/// not the pool's `Db`).
pub fn engine_of(conn: &sqlx::AnyConnection) -> Engine {
    if conn.backend_name() == <sqlx::Postgres as sqlx::Database>::NAME { Engine::Postgres } else { Engine::Sqlite }
}

/// The larger of two values (SQLite's two-argument `MAX` is PostgreSQL's `GREATEST`).
pub fn greatest(engine: Engine) -> &'static str {
    match engine {
        Engine::Sqlite => "MAX",
        Engine::Postgres => "GREATEST",
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

/// Run first in each group-commit batch that may write audit, with what its writes lock
/// ([`Locks`]). On PostgreSQL several writers and processes write at once, and a batch holds the
/// locks of many writes until its commit. A [`Locks::Chain`] batch takes the chain's turn alone
/// and then the audit chain's head, before any other lock: batches queue for them before they
/// hold anything, so two never wait for each other in a cycle, and what they check before
/// writing (a PEC no other company holds, one open request per object) is kept apart, which row
/// locks alone would not do (`two_processes_never_both_pass_a_check_on_postgres`). A
/// [`Locks::Keys`] batch shares the turn, takes its keys in order and the head only when it
/// appends, with its last statements: such batches overlap unless they share a key. A batch of
/// claims alone takes nothing: claims skip locked rows and never wait. SQLite has one writer.
pub fn batch_lock(engine: Engine, locks: &Locks) -> Option<String> {
    match engine {
        Engine::Postgres => Some(locks.postgres_sql()),
        Engine::Sqlite => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_are_numbered_in_text_order_on_postgres_and_anonymous_on_sqlite() {
        let mut pg = Params::new(Engine::Postgres);
        assert_eq!(format!("{} IN ({})", pg.one(), pg.list(2)), "$1 IN ($2, $3)");
        assert_eq!(pg.rows(2, 2), "($4, $5), ($6, $7)");
        let mut lite = Params::new(Engine::Sqlite);
        assert_eq!(format!("{} IN ({})", lite.one(), lite.list(2)), "? IN (?, ?)");
        assert_eq!(lite.rows(2, 2), "(?, ?), (?, ?)");
        assert_eq!(Params::new(Engine::Sqlite).list(0), "");
    }
}
