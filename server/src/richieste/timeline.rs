//! The timeline of a request: one event per change of state, with its note.

use crate::error::AppResult;
use crate::infra::clock;
use sqlx::AnyConnection;

pub async fn add_event(conn: &mut AnyConnection, id: i64, stato: &str, nota: Option<&str>) -> AppResult<()> {
    add_event_at(conn, id, stato, nota, &clock::now_ts()).await
}

pub(crate) async fn add_event_at(
    conn: &mut AnyConnection,
    id: i64,
    stato: &str,
    nota: Option<&str>,
    at: &str,
) -> AppResult<()> {
    sqlx::query("INSERT INTO richieste_eventi (richiesta_id, stato, nota, at) VALUES ($1, $2, $3, $4)")
        .bind(id)
        .bind(stato)
        .bind(nota.map(str::to_string))
        .bind(at)
        .execute(&mut *conn)
        .await?;
    Ok(())
}
