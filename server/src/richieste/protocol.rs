//! Protocol numbers: one counter per year for every request, Smart-Task or two-way.

use crate::error::AppResult;
use crate::infra::db::exec::Exec;
use crate::vals;

/// The next protocol number of the year, `PREFIX-AAAA-NNNNNNN` (one counter for all requests).
/// One statement: the year's row is created at its first number; the upsert's row lock also
/// serialises concurrent writers on PostgreSQL.
pub(crate) async fn next_protocol(conn: &mut dyn Exec, prefix: &str, year: i32) -> AppResult<String> {
    let year = year as i64;
    let n = conn
        .fetch_one(
            "INSERT INTO protocolli (anno, ultimo) VALUES ($1, 1)
             ON CONFLICT (anno) DO UPDATE SET ultimo = protocolli.ultimo + 1 RETURNING ultimo",
            vals![year],
        )
        .await?
        .int(0)?;
    Ok(format!("{prefix}-{year}-{n:07}"))
}
