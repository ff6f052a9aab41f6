//! The timeline of a request: one event per change of state, with its note.

use crate::error::AppResult;
use crate::infra::clock;
use crate::infra::db::dialect;
use crate::infra::db::exec::Exec;
use crate::infra::db::tail::SetWrite;
use crate::vals;
use futures_util::future::BoxFuture;
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
    add_events(conn, &[Event { richiesta_id: id, stato, nota, at: at.to_string() }]).await
}

/// One event of [`add_events`].
pub(crate) struct Event<'a> {
    pub richiesta_id: i64,
    pub stato: &'a str,
    pub nota: Option<&'a str>,
    pub at: String,
}

/// Several events in one statement (a worker's batch of decisions), in order.
pub(crate) async fn add_events(conn: &mut dyn Exec, events: &[Event<'_>]) -> AppResult<()> {
    let engine = conn.engine();
    for chunk in events.chunks(64) {
        let values = dialect::Params::new(engine).rows(chunk.len(), 4);
        let sql = format!("INSERT INTO richieste_eventi (richiesta_id, stato, nota, at) VALUES {values}");
        let mut args = Vec::with_capacity(chunk.len() * 4);
        for e in chunk {
            args.extend(vals![e.richiesta_id, e.stato, e.nota, &e.at]);
        }
        conn.run(&sql, args).await?;
    }
    Ok(())
}

/// An event a write leaves for its batch's end (`infra::db::tail`).
pub(crate) struct Later {
    pub richiesta_id: i64,
    pub stato: &'static str,
    pub nota: Option<String>,
    pub at: String,
}

impl SetWrite for Later {
    fn write_all(conn: &mut dyn Exec, items: Vec<Later>) -> BoxFuture<'_, AppResult<()>> {
        Box::pin(async move {
            let events: Vec<Event> = items
                .iter()
                .map(|e| Event {
                    richiesta_id: e.richiesta_id,
                    stato: e.stato,
                    nota: e.nota.as_deref(),
                    at: e.at.clone(),
                })
                .collect();
            add_events(conn, &events).await
        })
    }
}
