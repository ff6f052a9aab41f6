//! Append-only, hash-chained audit trail.
//!
//! Each record's hash covers its own fields and the previous record's hash, so editing or
//! deleting any record breaks every hash after it. [`verify`] names the first broken record.

use crate::error::AppResult;
use crate::infra::clock;
use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::{AnyConnection, Row};

/// Columns read by [`record_view`].
pub const RECORD_COLUMNS: &str = "seq, at, actor, entity, entity_id, action, note, before_json, after_json";

/// One audit row (selected with [`RECORD_COLUMNS`]) as pages and the API show it.
pub fn record_view(r: &sqlx::any::AnyRow) -> AppResult<shared::dto::AuditRecordView> {
    Ok(shared::dto::AuditRecordView {
        seq: r.try_get("seq")?,
        at: r.try_get("at")?,
        actor: r.try_get("actor")?,
        entity: r.try_get("entity")?,
        entity_id: r.try_get("entity_id")?,
        action: r.try_get("action")?,
        note: r.try_get("note")?,
        before: r.try_get("before_json")?,
        after: r.try_get("after_json")?,
    })
}

/// Who did it, for whom, within which request.
#[derive(Debug, Clone, Default)]
pub struct Actor {
    pub user_id: Option<i64>,
    /// User name, or `sistema` for automated work.
    pub name: String,
    pub acting_for_id: Option<i64>,
    pub request_id: Option<String>,
}

impl Actor {
    pub fn system(what: &str) -> Actor {
        Actor { name: format!("sistema:{what}"), ..Default::default() }
    }
}

#[derive(Debug, Clone)]
pub struct Entry<'a> {
    pub entity: &'a str,
    pub entity_id: String,
    pub action: &'a str,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
    pub note: Option<String>,
}

impl<'a> Entry<'a> {
    /// A record about request `protocollo`; before, after and note are filled in by the caller.
    pub fn richiesta(protocollo: &str, action: &'a str) -> Entry<'a> {
        Entry { entity: "richiesta", entity_id: protocollo.to_string(), action, before: None, after: None, note: None }
    }
}

#[derive(Serialize)]
struct Hashed<'a> {
    seq: i64,
    at: &'a str,
    actor_user_id: Option<i64>,
    actor: &'a str,
    acting_for_id: Option<i64>,
    entity: &'a str,
    entity_id: &'a str,
    action: &'a str,
    before_json: Option<&'a str>,
    after_json: Option<&'a str>,
    note: Option<&'a str>,
    request_id: Option<&'a str>,
    prev_hash: &'a str,
}

fn compute_hash(h: &Hashed<'_>) -> String {
    // serde_json writes struct fields in declaration order: a stable canonical form.
    let bytes = serde_json::to_vec(h).unwrap_or_default();
    hex::encode(Sha256::digest(&bytes))
}

/// Appends a record inside the caller's transaction, so the audit row commits or rolls back with
/// the change it describes.
pub async fn append(conn: &mut AnyConnection, actor: &Actor, e: Entry<'_>) -> AppResult<i64> {
    let row = sqlx::query("UPDATE audit_head SET last_seq = last_seq + 1 WHERE id = 1 RETURNING last_seq, last_hash")
        .fetch_one(&mut *conn)
        .await?;
    let seq: i64 = row.try_get("last_seq")?;
    let prev: String = row.try_get("last_hash")?;
    let at = clock::now_ts();
    let before = e.before.as_ref().map(|v| v.to_string());
    let after = e.after.as_ref().map(|v| v.to_string());
    let hash = compute_hash(&Hashed {
        seq,
        at: &at,
        actor_user_id: actor.user_id,
        actor: &actor.name,
        acting_for_id: actor.acting_for_id,
        entity: e.entity,
        entity_id: &e.entity_id,
        action: e.action,
        before_json: before.as_deref(),
        after_json: after.as_deref(),
        note: e.note.as_deref(),
        request_id: actor.request_id.as_deref(),
        prev_hash: &prev,
    });
    sqlx::query(
        "INSERT INTO audit_log (seq, at, actor_user_id, actor, acting_for_id, entity, entity_id, action,
                                before_json, after_json, note, request_id, prev_hash, hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
    )
    .bind(seq)
    .bind(&at)
    .bind(actor.user_id)
    .bind(&actor.name)
    .bind(actor.acting_for_id)
    .bind(e.entity)
    .bind(&e.entity_id)
    .bind(e.action)
    .bind(before)
    .bind(after)
    .bind(e.note)
    .bind(actor.request_id.clone())
    .bind(&prev)
    .bind(&hash)
    .execute(&mut *conn)
    .await?;
    sqlx::query("UPDATE audit_head SET last_hash = $1 WHERE id = 1").bind(&hash).execute(&mut *conn).await?;
    Ok(seq)
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Verification {
    Intact { records: i64 },
    Broken { seq: i64, reason: String },
}

/// Walks the chain in order and reports the first record that does not match.
pub async fn verify(pool: &sqlx::AnyPool) -> AppResult<Verification> {
    use futures_util::TryStreamExt;
    let mut rows = sqlx::query(
        "SELECT seq, at, actor_user_id, actor, acting_for_id, entity, entity_id, action, before_json, after_json,
                note, request_id, prev_hash, hash FROM audit_log ORDER BY seq",
    )
    .fetch(pool);
    let mut expected_prev = "0".repeat(64);
    let mut expected_seq = 1i64;
    let mut count = 0i64;
    while let Some(row) = rows.try_next().await? {
        let seq: i64 = row.try_get("seq")?;
        if seq != expected_seq {
            return Ok(Verification::Broken {
                seq: expected_seq,
                reason: format!("record mancante: dopo {} segue {}", expected_seq - 1, seq),
            });
        }
        let at: String = row.try_get("at")?;
        let actor: String = row.try_get("actor")?;
        let entity: String = row.try_get("entity")?;
        let entity_id: String = row.try_get("entity_id")?;
        let action: String = row.try_get("action")?;
        let before: Option<String> = row.try_get("before_json")?;
        let after: Option<String> = row.try_get("after_json")?;
        let note: Option<String> = row.try_get("note")?;
        let request_id: Option<String> = row.try_get("request_id")?;
        let prev: String = row.try_get("prev_hash")?;
        let hash: String = row.try_get("hash")?;
        if prev != expected_prev {
            return Ok(Verification::Broken { seq, reason: "l'hash precedente non corrisponde".into() });
        }
        let recomputed = compute_hash(&Hashed {
            seq,
            at: &at,
            actor_user_id: row.try_get("actor_user_id")?,
            actor: &actor,
            acting_for_id: row.try_get("acting_for_id")?,
            entity: &entity,
            entity_id: &entity_id,
            action: &action,
            before_json: before.as_deref(),
            after_json: after.as_deref(),
            note: note.as_deref(),
            request_id: request_id.as_deref(),
            prev_hash: &prev,
        });
        if recomputed != hash {
            return Ok(Verification::Broken { seq, reason: "il contenuto del record è stato alterato".into() });
        }
        expected_prev = hash;
        expected_seq += 1;
        count += 1;
    }
    drop(rows);
    // A deleted tail is caught by the head, which remembers the last sequence number.
    let head: i64 = sqlx::query("SELECT last_seq FROM audit_head WHERE id = 1").fetch_one(pool).await?.try_get(0)?;
    if head != count {
        return Ok(Verification::Broken {
            seq: count + 1,
            reason: format!("la catena termina a {count} ma l'ultimo record registrato è {head}"),
        });
    }
    Ok(Verification::Intact { records: count })
}
