//! Passwords, login throttling and server-side sessions.

use crate::config::Config;
use crate::error::{AppError, AppResult};
use crate::identity::access::User;
use crate::infra::audit::{self, Actor, Entry};
use crate::infra::clock;
use crate::infra::db::Db;
use crate::infra::db::readers::Readers;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng};
use argon2::{Algorithm, Argon2, Params, Version};
use base64::Engine as _;
use chrono::{Duration, Utc};
use rand::RngCore;
use sha2::{Digest, Sha256};
use shared::Role;
use sqlx::Row;
use std::sync::OnceLock;

/// OWASP Password Storage Cheat Sheet: Argon2id, m = 19 MiB, t = 2, p = 1.
fn argon2() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

pub fn hash_password(password: &str) -> AppResult<String> {
    let salt = SaltString::generate(&mut OsRng);
    argon2()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| AppError::Internal(format!("argon2: {e}")))
}

fn verify_password(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc).is_ok_and(|h| argon2().verify_password(password.as_bytes(), &h).is_ok())
}

/// A real hash verified when the user name is unknown, so the answer takes as long as for a
/// known user and does not reveal which accounts exist.
fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| hash_password("password-fittizia-per-tempi-costanti").unwrap_or_default())
}

/// Argon2 is CPU-bound (tens of ms): run it off the async workers.
pub async fn verify_password_blocking(password: String, phc: Option<String>) -> bool {
    tokio::task::spawn_blocking(move || match phc {
        Some(h) => verify_password(&password, &h),
        None => {
            let _ = verify_password(&password, dummy_hash());
            false
        }
    })
    .await
    .unwrap_or(false)
}

pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// A session as loaded for a request.
#[derive(Debug, Clone)]
pub struct Session {
    pub id_hash: String,
    pub user: User,
    pub acting_for_id: Option<i64>,
    /// A read-only API token: only safe methods (GET, HEAD) are allowed.
    pub read_only: bool,
}

pub struct LoginSuccess {
    pub token: String,
    pub user: User,
}

const USER_COLUMNS: &str = "u.id, u.username, u.display_name, u.role, u.persona_id, u.sede_id, u.regione";

pub fn user_from_row(r: &sqlx::any::AnyRow) -> AppResult<User> {
    let role: String = r.try_get("role")?;
    Ok(User {
        id: r.try_get("id")?,
        username: r.try_get("username")?,
        display_name: r.try_get("display_name")?,
        role: Role::from_code(&role).ok_or_else(|| AppError::Internal(format!("ruolo sconosciuto: {role}")))?,
        persona_id: r.try_get("persona_id")?,
        sede_id: r.try_get("sede_id")?,
        regione: r.try_get("regione")?,
    })
}

pub async fn load_user(pool: &Readers, id: i64) -> AppResult<Option<User>> {
    let row = sqlx::query(&format!("SELECT {USER_COLUMNS} FROM users u WHERE u.id = $1"))
        .bind(id)
        .fetch_optional(pool)
        .await?;
    row.as_ref().map(user_from_row).transpose()
}

/// Checks the credentials and opens a new session. Any session the client already had is
/// deleted, so a fixated or stolen pre-login id is worthless afterwards.
#[allow(clippy::too_many_arguments)]
pub async fn login(
    db: &Db,
    config: &Config,
    hashes: &tokio::sync::Semaphore,
    username: &str,
    password: &str,
    ip: &str,
    previous_token: Option<&str>,
    request_id: &str,
) -> AppResult<LoginSuccess> {
    let username = username.trim().to_lowercase();
    if username.is_empty() || password.is_empty() {
        let mut errs = vec![];
        if username.is_empty() {
            errs.push(shared::dto::FieldError {
                field: "username".into(),
                code: "empty".into(),
                message: "Inserire il nome utente.".into(),
            });
        }
        if password.is_empty() {
            errs.push(shared::dto::FieldError {
                field: "password".into(),
                code: "empty".into(),
                message: "Inserire la password.".into(),
            });
        }
        return Err(AppError::Validation(errs));
    }
    // A bounded number of password checks at once: each holds 19 MiB. A login waits a moment
    // for a free one, then is refused instead of queueing without limit.
    let Ok(Ok(permit)) = tokio::time::timeout(config.login_hash_wait, hashes.acquire()).await else {
        return Err(AppError::Unavailable(
            "Il servizio di accesso è momentaneamente molto richiesto: riprovare tra qualche secondo.".into(),
            2,
        ));
    };
    let attempt = super::throttle::reserve_attempt(db, config, &username, ip).await?;

    let row = sqlx::query(&format!(
        "SELECT {USER_COLUMNS}, u.password_hash FROM users u WHERE u.username = $1 AND u.active = 1"
    ))
    .bind(&username)
    .fetch_optional(&db.read)
    .await?;
    let phc = row.as_ref().map(|r| r.try_get::<String, _>("password_hash")).transpose()?;
    let ok = verify_password_blocking(password.to_string(), phc).await;
    drop(permit);

    let (true, Some(row)) = (ok, row) else {
        return Err(AppError::Forbidden("Nome utente o password non corretti.".into()));
    };
    let mut tx = db.write.begin().await?;
    sqlx::query("UPDATE login_attempts SET success = 1 WHERE id = $1").bind(attempt).execute(&mut *tx).await?;
    let user = user_from_row(&row)?;
    if let Some(prev) = previous_token {
        sqlx::query("DELETE FROM sessions WHERE id_hash = $1").bind(token_hash(prev)).execute(&mut *tx).await?;
    }
    let token = new_token();
    let now = Utc::now();
    sqlx::query(
        "INSERT INTO sessions (id_hash, user_id, acting_for_id, created_at, last_seen_at, idle_expires_at, absolute_expires_at)
         VALUES ($1, $2, NULL, $3, $3, $4, $5)",
    )
    .bind(token_hash(&token))
    .bind(user.id)
    .bind(clock::ts(now))
    .bind(clock::ts(now + Duration::from_std(config.session_idle).unwrap_or(Duration::minutes(30))))
    .bind(clock::ts(now + Duration::from_std(config.session_absolute).unwrap_or(Duration::hours(12))))
    .execute(&mut *tx)
    .await?;
    let actor = Actor {
        user_id: Some(user.id),
        name: user.username.clone(),
        acting_for_id: None,
        request_id: Some(request_id.into()),
    };
    audit::append(
        &mut tx,
        &actor,
        Entry {
            entity: "sessione",
            entity_id: user.id.to_string(),
            action: "accesso",
            before: None,
            after: None,
            note: Some(format!("da {ip}")),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(LoginSuccess { token, user })
}

/// Loads the session for a token, enforcing idle and absolute timeouts, and slides the idle
/// expiry (written at most once a minute to spare the single SQLite writer).
pub async fn load_session(db: &Db, config: &Config, token: &str) -> AppResult<Option<Session>> {
    let id_hash = token_hash(token);
    let row = sqlx::query(&format!(
        "SELECT {USER_COLUMNS}, s.acting_for_id, s.last_seen_at, s.idle_expires_at, s.absolute_expires_at
         FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id_hash = $1 AND u.active = 1"
    ))
    .bind(&id_hash)
    .fetch_optional(&db.read)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let now = Utc::now();
    let idle: String = row.try_get("idle_expires_at")?;
    let absolute: String = row.try_get("absolute_expires_at")?;
    let expired = |s: &str| clock::parse_ts(s).is_none_or(|t| t <= now);
    if expired(&idle) || expired(&absolute) {
        sqlx::query("DELETE FROM sessions WHERE id_hash = $1").bind(&id_hash).execute(&db.write).await?;
        return Ok(None);
    }
    let last_seen: String = row.try_get("last_seen_at")?;
    if clock::parse_ts(&last_seen).is_none_or(|t| now - t > Duration::seconds(60)) {
        let idle_until = (now + Duration::from_std(config.session_idle).unwrap_or(Duration::minutes(30)))
            .min(clock::parse_ts(&absolute).unwrap_or(now));
        sqlx::query("UPDATE sessions SET last_seen_at = $2, idle_expires_at = $3 WHERE id_hash = $1")
            .bind(&id_hash)
            .bind(clock::ts(now))
            .bind(clock::ts(idle_until))
            .execute(&db.write)
            .await?;
    }
    Ok(Some(Session {
        id_hash,
        user: user_from_row(&row)?,
        acting_for_id: row.try_get("acting_for_id")?,
        read_only: false,
    }))
}

/// Prefix of personal API tokens, so the middleware can tell them from session tokens.
pub const API_TOKEN_PREFIX: &str = "spt_";
/// `id_hash` of a session built from an API token (no session row exists).
pub const API_TOKEN_SESSION: &str = "api-token:";

impl Session {
    /// Whether the caller authenticated with a personal API token rather than a login.
    pub fn via_api_token(&self) -> bool {
        self.id_hash.starts_with(API_TOKEN_SESSION)
    }
    /// The id of the API token the caller authenticated with.
    pub fn api_token_id(&self) -> Option<i64> {
        self.id_hash.strip_prefix(API_TOKEN_SESSION).and_then(|id| id.parse().ok())
    }
}

/// Resolves a personal API token (stored only as a hash) into its owner, if not revoked and the
/// user is active. Records the last use at most once a minute.
pub async fn load_api_token(db: &Db, token: &str) -> AppResult<Option<Session>> {
    let row = sqlx::query(&format!(
        "SELECT {USER_COLUMNS}, t.id AS token_id, t.ultimo_uso, t.sola_lettura FROM api_tokens t JOIN users u ON u.id = t.user_id
         WHERE t.token_hash = $1 AND t.revocato_il IS NULL AND u.active = 1 AND (t.scade_il IS NULL OR t.scade_il > $2)"
    ))
    .bind(token_hash(token))
    .bind(clock::now_ts())
    .fetch_optional(&db.read)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let id: i64 = row.try_get("token_id")?;
    let now = Utc::now();
    let last: Option<String> = row.try_get("ultimo_uso")?;
    if last.as_deref().and_then(clock::parse_ts).is_none_or(|t| now - t > Duration::seconds(60)) {
        sqlx::query("UPDATE api_tokens SET ultimo_uso = $1 WHERE id = $2")
            .bind(clock::ts(now))
            .bind(id)
            .execute(&db.write)
            .await?;
    }
    Ok(Some(Session {
        id_hash: format!("{API_TOKEN_SESSION}{id}"),
        user: user_from_row(&row)?,
        acting_for_id: None,
        read_only: row.try_get::<i64, _>("sola_lettura")? != 0,
    }))
}

pub async fn logout(db: &Db, session: &Session, request_id: &str) -> AppResult<()> {
    let mut tx = db.write.begin().await?;
    sqlx::query("DELETE FROM sessions WHERE id_hash = $1").bind(&session.id_hash).execute(&mut *tx).await?;
    let actor = Actor {
        user_id: Some(session.user.id),
        name: session.user.username.clone(),
        acting_for_id: session.acting_for_id,
        request_id: Some(request_id.into()),
    };
    audit::append(
        &mut tx,
        &actor,
        Entry {
            entity: "sessione",
            entity_id: session.user.id.to_string(),
            action: "uscita",
            before: None,
            after: None,
            note: None,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub fn session_cookie(config: &Config, token: &str) -> String {
    let max_age = config.session_absolute.as_secs();
    let secure = if config.secure_cookies { "; Secure" } else { "" };
    format!("{}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}", config.session_cookie_name())
}

pub fn clear_cookie(config: &Config) -> String {
    let secure = if config.secure_cookies { "; Secure" } else { "" };
    format!("{}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}", config.session_cookie_name())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_hash_roundtrip() {
        let h = hash_password("Sportello2026!").unwrap();
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{h}");
        assert!(verify_password("Sportello2026!", &h));
        assert!(!verify_password("sportello2026!", &h));
        assert!(!verify_password("x", "not a phc string"));
    }

    #[test]
    fn tokens_are_random_and_hashed() {
        let a = new_token();
        let b = new_token();
        assert_ne!(a, b);
        assert_eq!(a.len(), 43);
        assert_eq!(token_hash(&a).len(), 64);
        assert_ne!(token_hash(&a), a);
    }

    #[test]
    fn cookie_flags() {
        let mut c = Config::default();
        let plain = session_cookie(&c, "t");
        assert!(plain.starts_with("sportello=t;") && plain.contains("HttpOnly") && plain.contains("SameSite=Lax"));
        assert!(!plain.contains("Secure"));
        c.secure_cookies = true;
        let secure = session_cookie(&c, "t");
        assert!(secure.starts_with("__Host-sportello=t;") && secure.contains("; Secure") && secure.contains("Path=/"));
    }
}
