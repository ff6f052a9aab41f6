//! Append-only, hash-chained audit trail.
//!
//! Each record's hash covers its own fields and the previous record's hash, so editing or
//! deleting any record breaks every hash after it. [`verify`] names the first broken record.
//! The hash is an HMAC-SHA256 under a key kept outside the database (`SPORTELLO_CHIAVI_AUDIT`),
//! so whoever can write the database still cannot rewrite the chain consistently; the
//! database itself refuses UPDATE and DELETE on the table (triggers).

mod deferred;
pub use deferred::{Deferred, Later};

use crate::error::AppResult;
use crate::infra::clock;
use crate::infra::db::dialect;
use crate::infra::db::exec::Exec;
use crate::infra::db::readers::Readers;
use crate::vals;
use hmac::{Hmac, Mac};
use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::{AnyConnection, Row};
use std::sync::OnceLock;

/// The audit keys: `SPORTELLO_CHIAVI_AUDIT=id1:HEX,id2:HEX` (each at least 32 bytes, in hex).
/// New records use the last; older keys stay listed so the records they signed still verify
/// (rotation: append a new `id:key`, restart; never remove a key while records use it).
pub struct AuditKeys {
    keys: Vec<(String, Vec<u8>)>,
}

/// The key used when none is configured: public, so only for development and tests (the
/// server logs a warning at start).
pub const DEV_KEY_ID: &str = "sviluppo";

impl AuditKeys {
    pub fn parse(spec: &str) -> Result<AuditKeys, String> {
        let mut keys = vec![];
        for item in spec.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            let (id, hex_key) = item.split_once(':').ok_or(format!("«{item}»: atteso id:chiave_esadecimale"))?;
            let key = hex::decode(hex_key.trim()).map_err(|e| format!("chiave {id}: {e}"))?;
            if key.len() < 32 || id.trim().is_empty() || id.trim() == DEV_KEY_ID {
                return Err(format!("chiave {id}: servono un nome diverso da «{DEV_KEY_ID}» e almeno 32 byte"));
            }
            keys.push((id.trim().to_string(), key));
        }
        if keys.is_empty() {
            return Err("nessuna chiave".into());
        }
        Ok(AuditKeys { keys })
    }

    fn development() -> AuditKeys {
        AuditKeys { keys: vec![(DEV_KEY_ID.into(), Sha256::digest(b"sportello-audit-sviluppo").to_vec())] }
    }

    fn current(&self) -> (&str, &[u8]) {
        self.keys.last().map(|(id, k)| (id.as_str(), k.as_slice())).unwrap_or(("", &[]))
    }

    fn get(&self, id: &str) -> Option<&[u8]> {
        self.keys.iter().find(|(k, _)| k == id).map(|(_, key)| key.as_slice())
    }
}

/// The process's keys, read once from the environment (validated earlier by `Config::from_env`).
pub fn keys() -> &'static AuditKeys {
    static KEYS: OnceLock<AuditKeys> = OnceLock::new();
    KEYS.get_or_init(|| match std::env::var("SPORTELLO_CHIAVI_AUDIT") {
        Ok(spec) if !spec.trim().is_empty() => AuditKeys::parse(&spec).unwrap_or_else(|e| {
            tracing::error!(error = %e, "SPORTELLO_CHIAVI_AUDIT non valida: uso la chiave di sviluppo");
            AuditKeys::development()
        }),
        _ => AuditKeys::development(),
    })
}

/// Whether records are being signed with the public development key.
pub fn development_key_in_use() -> bool {
    keys().current().0 == DEV_KEY_ID
}

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

fn compute_hash(key: &[u8], h: &Hashed<'_>) -> String {
    // serde_json writes struct fields in declaration order: a stable canonical form.
    let bytes = serde_json::to_vec(h).unwrap_or_default();
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(key) else { return String::new() };
    mac.update(&bytes);
    hex::encode(mac.finalize().into_bytes())
}

/// Appends a record inside the caller's transaction, so the audit row commits or rolls back with
/// the change it describes.
pub async fn append(conn: &mut AnyConnection, actor: &Actor, e: Entry<'_>) -> AppResult<i64> {
    let seqs = append_many(conn, vec![(actor.clone(), e)]).await?;
    seqs.first().copied().ok_or_else(|| crate::error::AppError::Internal("audit: nessun record".into()))
}

/// Rows per INSERT of [`append_many`] (15 parameters each).
const ROWS_PER_INSERT: usize = 32;

/// Appends several records in order, chained one to the next, with three statements whatever
/// their number (a worker's batch of decisions): the head is advanced once, the rows inserted
/// together, the head's hash set once. Returns their sequence numbers.
pub async fn append_many(conn: &mut dyn Exec, entries: Vec<(Actor, Entry<'_>)>) -> AppResult<Vec<i64>> {
    let n = entries.len() as i64;
    if n == 0 {
        return Ok(vec![]);
    }
    let row = conn
        .fetch_one(
            "UPDATE audit_head SET last_seq = last_seq + $1 WHERE id = 1 RETURNING last_seq, last_hash",
            vals![n],
        )
        .await?;
    let first: i64 = row.int(0)? - n + 1;
    let mut prev: String = row.text(1)?;
    let at = clock::now_ts();
    let (key_id, key) = keys().current();
    let mut rows = Vec::with_capacity(entries.len());
    for (seq, (actor, e)) in (first..).zip(entries) {
        let before = e.before.as_ref().map(|v| v.to_string());
        let after = e.after.as_ref().map(|v| v.to_string());
        let hash = compute_hash(
            key,
            &Hashed {
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
            },
        );
        let prev_hash = std::mem::replace(&mut prev, hash.clone());
        rows.push(Prepared {
            seq,
            actor,
            entity: e.entity.to_string(),
            entity_id: e.entity_id,
            action: e.action.to_string(),
            before,
            after,
            note: e.note,
            prev_hash,
            hash,
        });
    }
    let engine = conn.engine();
    for chunk in rows.chunks(ROWS_PER_INSERT) {
        let values = dialect::Params::new(engine).rows(chunk.len(), 15);
        let sql = format!(
            "INSERT INTO audit_log (seq, at, actor_user_id, actor, acting_for_id, entity, entity_id, action,
                                    before_json, after_json, note, request_id, prev_hash, hash, key_id) VALUES {values}"
        );
        let mut args = Vec::with_capacity(chunk.len() * 15);
        for r in chunk {
            args.extend(vals![
                r.seq,
                &at,
                r.actor.user_id,
                &r.actor.name,
                r.actor.acting_for_id,
                &r.entity,
                &r.entity_id,
                &r.action,
                &r.before,
                &r.after,
                &r.note,
                &r.actor.request_id,
                &r.prev_hash,
                &r.hash,
                key_id,
            ]);
        }
        conn.run(&sql, args).await?;
    }
    conn.run("UPDATE audit_head SET last_hash = $1 WHERE id = 1", vals![&prev]).await?;
    Ok(rows.iter().map(|r| r.seq).collect())
}

/// A record ready to insert, its hash computed.
struct Prepared {
    seq: i64,
    actor: Actor,
    entity: String,
    entity_id: String,
    action: String,
    before: Option<String>,
    after: Option<String>,
    note: Option<String>,
    prev_hash: String,
    hash: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Verification {
    Intact { records: i64 },
    Broken { seq: i64, reason: String },
}

/// Walks the chain in order and reports the first record that does not match.
pub async fn verify(pool: &Readers) -> AppResult<Verification> {
    use futures_util::TryStreamExt;
    let mut rows = sqlx::query(
        "SELECT seq, at, actor_user_id, actor, acting_for_id, entity, entity_id, action, before_json, after_json,
                note, request_id, prev_hash, hash, key_id FROM audit_log ORDER BY seq",
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
        let key_id: Option<String> = row.try_get("key_id")?;
        let Some(key) = key_id.as_deref().and_then(|id| keys().get(id)) else {
            return Ok(Verification::Broken {
                seq,
                reason: format!("firmato con una chiave non configurata ({})", key_id.as_deref().unwrap_or("nessuna")),
            });
        };
        let recomputed = compute_hash(
            key,
            &Hashed {
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
            },
        );
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_parse_and_rotate() {
        let k1 = "11".repeat(32);
        let k2 = "22".repeat(32);
        let keys = AuditKeys::parse(&format!("2026a:{k1}, 2027a:{k2}")).expect("keys");
        assert_eq!(keys.current().0, "2027a", "new records use the last key");
        assert!(keys.get("2026a").is_some(), "older records still verify");
        assert!(AuditKeys::parse("corta:abcd").is_err(), "at least 32 bytes");
        assert!(AuditKeys::parse(&format!("{DEV_KEY_ID}:{k1}")).is_err(), "the public name is reserved");
        assert!(AuditKeys::parse("senza-due-punti").is_err());
        assert!(AuditKeys::parse("").is_err());
    }

    #[test]
    fn the_hash_depends_on_the_key() {
        let h = Hashed {
            seq: 1,
            at: "t",
            actor_user_id: None,
            actor: "a",
            acting_for_id: None,
            entity: "e",
            entity_id: "1",
            action: "x",
            before_json: None,
            after_json: None,
            note: None,
            request_id: None,
            prev_hash: "0",
        };
        assert_ne!(
            compute_hash(b"chiave-uno-chiave-uno-chiave-uno", &h),
            compute_hash(b"chiave-due-chiave-due-chiave-due", &h)
        );
    }
}
