//! What the conversation on a request shares between the branch (`fascicolo::branch_action`)
//! and the contributor (`comunicazioni::add_message`): the text rule, the optimistic lock and
//! the message row.

use crate::error::{AppError, AppResult};
use crate::services::Services;
use shared::dto::{OperatorNote, Stato};
use sqlx::AnyConnection;
use sqlx::Row;

/// The longest text of a request, a message, a note or a closing answer.
pub const MAX_TESTO: usize = 4000;
/// [`MAX_TESTO`] as Italian readers write it (the page's help says "4.000" too).
pub const MAX_TESTO_IT: &str = "4.000";

/// A message's text, trimmed, of `min` to [`MAX_TESTO`] characters; `field` names it in the error.
pub(crate) fn testo(t: &str, field: &str, min: usize) -> AppResult<String> {
    let t = t.trim();
    let n = t.chars().count();
    if !(min..=MAX_TESTO).contains(&n) {
        return Err(AppError::field(
            field,
            format!("Scrivere un testo di almeno {min} e al massimo {MAX_TESTO_IT} caratteri (ora {n})."),
            if n < min { "too_short" } else { "too_long" },
        ));
    }
    Ok(t.to_string())
}

/// A request as its writer read it: the key of the optimistic lock.
pub(crate) struct Letta {
    pub id: i64,
    pub version: i64,
    pub stato: Stato,
}

/// Optimistic lock: moves the request to its next version only if it is still at the version
/// and in the state its writer read; otherwise someone changed it meanwhile (`conflict`).
pub(crate) async fn bump_version(conn: &mut AnyConnection, read: &Letta, now: &str, conflict: &str) -> AppResult<()> {
    let Letta { id, version, stato } = read;
    let bumped = sqlx::query(
        "UPDATE richieste SET version = version + 1, updated_at = $1 WHERE id = $2 AND version = $3 AND stato = $4",
    )
    .bind(now)
    .bind(id)
    .bind(version)
    .bind(stato.code())
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if bumped != 1 {
        return Err(AppError::Conflict(conflict.into()));
    }
    Ok(())
}

/// Who writes a message: an operator (a reply the contributor reads, or an internal note) or
/// the contributor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Autore {
    Sede { interna: bool },
    Contribuente,
}

pub(crate) async fn add_message(
    conn: &mut AnyConnection,
    richiesta_id: i64,
    user_id: i64,
    testo: &str,
    autore: Autore,
    now: &str,
) -> AppResult<()> {
    let (interna, dal_contribuente) = match autore {
        Autore::Sede { interna } => (interna, false),
        Autore::Contribuente => (false, true),
    };
    sqlx::query(
        "INSERT INTO richieste_note (richiesta_id, user_id, testo, interna, dal_contribuente, created_at)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(richiesta_id)
    .bind(user_id)
    .bind(testo)
    .bind(interna as i64)
    .bind(dal_contribuente as i64)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

impl Services {
    /// Notes on a request; `only_replies` for the contributor's view.
    pub(crate) async fn request_notes(&self, richiesta_id: i64, only_replies: bool) -> AppResult<Vec<OperatorNote>> {
        let rows = sqlx::query(
            "SELECT u.display_name, n.testo, n.interna, n.dal_contribuente, n.created_at FROM richieste_note n JOIN users u ON u.id = n.user_id
             WHERE n.richiesta_id = $1 AND ($2 = 0 OR n.interna = 0) ORDER BY n.id",
        )
        .bind(richiesta_id)
        .bind(only_replies as i64)
        .fetch_all(&self.db.read)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(OperatorNote {
                    autore: r.try_get("display_name")?,
                    testo: r.try_get("testo")?,
                    interna: r.try_get::<i64, _>("interna")? != 0,
                    dal_contribuente: r.try_get::<i64, _>("dal_contribuente")? != 0,
                    at: r.try_get("created_at")?,
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_bounds() {
        assert_eq!(testo("  ciao  ", "testo", 2).ok().as_deref(), Some("ciao"));
        assert!(testo(" x ", "testo", 2).is_err());
        assert!(testo("", "motivo", 1).is_err());
        assert_eq!(MAX_TESTO_IT.replace('.', ""), MAX_TESTO.to_string());
        assert!(testo(&"a".repeat(MAX_TESTO), "testo", 1).is_ok());
        let err = testo(&"a".repeat(MAX_TESTO + 1), "testo", 1).err();
        assert!(matches!(err, Some(AppError::Validation(e)) if e[0].code == "too_long" && e[0].field == "testo"));
    }
}
