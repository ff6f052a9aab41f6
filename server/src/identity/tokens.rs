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
    })
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
        let rows = sqlx::query(
            "SELECT id, nome, prefisso, created_at, ultimo_uso, revocato_il FROM api_tokens WHERE user_id = $1 ORDER BY id DESC",
        )
        .bind(s.user.id)
        .fetch_all(&self.db.read)
        .await?;
        rows.iter().map(view).collect()
    }

    pub async fn create_api_token(&self, caller: &Caller, nome: &str) -> AppResult<NewApiToken> {
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
            "INSERT INTO api_tokens (user_id, nome, prefisso, token_hash, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(s.user.id)
        .bind(nome)
        .bind(&prefisso)
        .bind(auth::token_hash(&token))
        .bind(&now)
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
                after: Some(serde_json::json!({ "nome": nome, "prefisso": prefisso })),
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
            },
        })
    }

    /// Revokes one of the caller's tokens; from then on it authenticates nothing.
    pub async fn revoke_api_token(&self, caller: &Caller, id: i64) -> AppResult<ApiTokenView> {
        let s = self.require_browser_session(caller)?;
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
        let row = sqlx::query(
            "SELECT id, nome, prefisso, created_at, ultimo_uso, revocato_il FROM api_tokens WHERE id = $1 AND user_id = $2",
        )
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
                    note: None,
                },
            )
            .await?;
        }
        let v = view(&row)?;
        tx.commit().await?;
        Ok(v)
    }
}
