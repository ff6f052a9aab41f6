//! Personal API tokens for intermediaries' software: created from a logged-in browser session,
//! shown once, stored as a SHA-256 hash (they are 256-bit random, so a slow hash adds nothing),
//! revocable, every step audited. A token acts with its owner's rights, checked on every call.

use crate::error::{AppError, AppResult};
use crate::identity::Caller;
use crate::identity::auth::{self, API_TOKEN_PREFIX};
use crate::infra::audit::{self, Entry};
use crate::infra::clock;
use crate::services::Services;
use shared::dto::{ApiTokenView, NewApiToken};
use sqlx::Row;

const MAX_TOKENS: i64 = 20;

fn view(r: &sqlx::any::AnyRow) -> AppResult<ApiTokenView> {
    Ok(ApiTokenView {
        id: r.try_get("id")?,
        nome: r.try_get("nome")?,
        prefisso: r.try_get("prefisso")?,
        creato_il: r.try_get("created_at")?,
        ultimo_uso: r.try_get("ultimo_uso")?,
        revocato_il: r.try_get("revocato_il")?,
        scade_il: r.try_get("scade_il")?,
        sola_lettura: r.try_get::<i64, _>("sola_lettura")? != 0,
    })
}

const COLUMNS: &str = "id, nome, prefisso, created_at, ultimo_uso, revocato_il, scade_il, sola_lettura";

/// What a new token may do and for how long.
#[derive(Debug, Clone, Copy, Default)]
pub struct TokenOptions {
    /// Days of validity, 1–365; absent: until revoked.
    pub scadenza_giorni: Option<u32>,
    pub sola_lettura: bool,
}

impl Services {
    fn require_browser_session<'a>(&self, caller: &'a Caller) -> AppResult<&'a crate::identity::auth::Session> {
        let s = caller.require()?;
        if s.via_api_token() {
            return Err(AppError::Forbidden(
                "I token API si gestiscono solo dal sito, dopo l'accesso con le proprie credenziali.".into(),
            ));
        }
        Ok(s)
    }

    pub async fn api_tokens(&self, caller: &Caller) -> AppResult<Vec<ApiTokenView>> {
        let s = self.require_browser_session(caller)?;
        let rows = sqlx::query(&format!("SELECT {COLUMNS} FROM api_tokens WHERE user_id = $1 ORDER BY id DESC"))
            .bind(s.user.id)
            .fetch_all(&self.db.read)
            .await?;
        rows.iter().map(view).collect()
    }

    pub async fn create_api_token(&self, caller: &Caller, nome: &str, opt: TokenOptions) -> AppResult<NewApiToken> {
        let s = self.require_browser_session(caller)?;
        crate::identity::access::require_company_role(&s.user)?;
        let nome = nome.trim();
        if nome.is_empty() || nome.chars().count() > 80 {
            return Err(AppError::field(
                "nome",
                "Dare al token un nome di al massimo 80 caratteri (ad esempio il programma che lo userà).",
                if nome.is_empty() { "empty" } else { "too_long" },
            ));
        }
        if opt.scadenza_giorni.is_some_and(|d| !(1..=365).contains(&d)) {
            return Err(AppError::field(
                "scadenza_giorni",
                "La validità va da 1 a 365 giorni (senza indicarla il token vale fino alla revoca).",
                "out_of_range",
            ));
        }
        let scade_il =
            opt.scadenza_giorni.map(|d| clock::ts(chrono::Utc::now() + chrono::Duration::days(i64::from(d))));
        let token = format!("{API_TOKEN_PREFIX}{}", auth::new_token());
        let prefisso: String = token.chars().take(API_TOKEN_PREFIX.len() + 6).collect();
        let now = clock::now_ts();
        let mut tx = self.db.write.begin().await?;
        let attivi: i64 = sqlx::query("SELECT COUNT(*) FROM api_tokens WHERE user_id = $1 AND revocato_il IS NULL")
            .bind(s.user.id)
            .fetch_one(&mut *tx)
            .await?
            .try_get(0)?;
        if attivi >= MAX_TOKENS {
            return Err(AppError::Conflict(format!(
                "Ha già {MAX_TOKENS} token attivi: ne revochi uno prima di crearne un altro."
            )));
        }
        let id: i64 = sqlx::query(
            "INSERT INTO api_tokens (user_id, nome, prefisso, token_hash, created_at, scade_il, sola_lettura)
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(s.user.id)
        .bind(nome)
        .bind(&prefisso)
        .bind(auth::token_hash(&token))
        .bind(&now)
        .bind(scade_il.clone())
        .bind(i64::from(opt.sola_lettura))
        .fetch_one(&mut *tx)
        .await?
        .try_get(0)?;
        audit::append(
            &mut tx,
            &caller.actor(s),
            Entry {
                entity: "api_token",
                entity_id: id.to_string(),
                action: "creazione",
                before: None,
                after: Some(serde_json::json!({ "nome": nome, "prefisso": prefisso, "scade_il": scade_il, "sola_lettura": opt.sola_lettura })),
                note: None,
            },
        )
        .await?;
        tx.commit().await?;
        Ok(NewApiToken {
            token,
            dettagli: ApiTokenView {
                id,
                nome: nome.into(),
                prefisso,
                creato_il: now,
                ultimo_uso: None,
                revocato_il: None,
                scade_il,
                sola_lettura: opt.sola_lettura,
            },
        })
    }

    /// Revokes one of the caller's tokens; from then on it authenticates nothing.
    pub async fn revoke_api_token(&self, caller: &Caller, id: i64) -> AppResult<ApiTokenView> {
        let s = self.require_browser_session(caller)?;
        self.revoke_token(caller, s, id, None).await
    }

    /// "Logging out" with a token ends that token: it is revoked, like from the site.
    pub(crate) async fn revoke_own_token(&self, caller: &Caller) -> AppResult<()> {
        let s = caller.require()?;
        let id = s.api_token_id().ok_or_else(|| AppError::Internal("token senza identificativo".into()))?;
        self.revoke_token(caller, s, id, Some("uscita con il token (DELETE /api/v1/sessione)")).await.map(drop)
    }

    async fn revoke_token(
        &self,
        caller: &Caller,
        s: &crate::identity::auth::Session,
        id: i64,
        note: Option<&str>,
    ) -> AppResult<ApiTokenView> {
        let now = clock::now_ts();
        let mut tx = self.db.write.begin().await?;
        let n = sqlx::query(
            "UPDATE api_tokens SET revocato_il = $1 WHERE id = $2 AND user_id = $3 AND revocato_il IS NULL",
        )
        .bind(&now)
        .bind(id)
        .bind(s.user.id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        let row = sqlx::query(&format!("SELECT {COLUMNS} FROM api_tokens WHERE id = $1 AND user_id = $2"))
            .bind(id)
            .bind(s.user.id)
            .fetch_optional(&mut *tx)
            .await?
            // Someone else's token is "not found", not "forbidden": its existence is not disclosed.
            .ok_or_else(|| AppError::NotFound("Token non trovato.".into()))?;
        if n == 1 {
            audit::append(
                &mut tx,
                &caller.actor(s),
                Entry {
                    entity: "api_token",
                    entity_id: id.to_string(),
                    action: "revoca",
                    before: Some(serde_json::json!({ "revocato_il": null })),
                    after: Some(serde_json::json!({ "revocato_il": now })),
                    note: note.map(str::to_string),
                },
            )
            .await?;
        }
        let v = view(&row)?;
        tx.commit().await?;
        Ok(v)
    }
}
