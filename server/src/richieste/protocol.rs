//! Protocol numbers: one counter per year for every request, Smart-Task or two-way.

use crate::error::AppResult;
use sqlx::Row;

/// The next protocol number of the year, `PREFIX-AAAA-NNNNNNN` (one counter for all requests).
/// One statement: the year's row is created at its first number; the upsert's row lock also
/// serialises concurrent writers on PostgreSQL.
pub(crate) async fn next_protocol(conn: &mut sqlx::AnyConnection, prefix: &str, year: i32) -> AppResult<String> {
    let year = year as i64;
    let n: i64 = sqlx::query(
        "INSERT INTO protocolli (anno, ultimo) VALUES ($1, 1)
         ON CONFLICT (anno) DO UPDATE SET ultimo = protocolli.ultimo + 1 RETURNING ultimo",
    )
    .bind(year)
    .fetch_one(&mut *conn)
    .await?
    .try_get(0)?;
    Ok(format!("{prefix}-{year}-{n:07}"))
}
