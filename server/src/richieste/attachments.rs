//! The attachments of a request: their list and the download of one, for whoever may read it.

use crate::error::{AppError, AppResult};
use crate::identity::Caller;
use crate::services::Services;
use shared::dto::AllegatoView;
use sqlx::Row;

use base64::Engine as _;

/// The content's type from its first bytes (never from the name the sender chose). Only
/// documents that cannot run in a browser are accepted.
pub fn sniff(bytes: &[u8]) -> Option<(&'static str, &'static str)> {
    if bytes.starts_with(b"%PDF-") {
        Some(("application/pdf", "PDF"))
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(("image/jpeg", "JPEG"))
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(("image/png", "PNG"))
    } else if bytes.starts_with(b"PK\x03\x04") {
        Some(("application/zip", "ZIP"))
    } else {
        None
    }
}

/// The last path component of the given name, without control characters, at most 100 chars.
pub fn safe_name(nome: &str) -> Option<String> {
    let last = nome.rsplit(['/', '\\']).next().unwrap_or("");
    let clean: String = last.chars().filter(|c| !c.is_control()).take(100).collect();
    let clean = clean.trim().trim_start_matches('.').to_string();
    (!clean.is_empty()).then_some(clean)
}

impl Services {
    /// The attachments of a request (names, types, sizes), for whoever may read it.
    pub async fn attachments(&self, richiesta_id: i64) -> AppResult<Vec<AllegatoView>> {
        let rows =
            sqlx::query("SELECT id, nome, content_type, dimensione FROM allegati WHERE richiesta_id = $1 ORDER BY id")
                .bind(richiesta_id)
                .fetch_all(&self.db.read)
                .await?;
        rows.iter()
            .map(|r| {
                Ok(AllegatoView {
                    id: r.try_get("id")?,
                    nome: r.try_get("nome")?,
                    tipo: r.try_get("content_type")?,
                    dimensione: r.try_get("dimensione")?,
                })
            })
            .collect()
    }

    /// One attachment's bytes, with the same authorization as its request (contributor side or
    /// operator scope).
    pub async fn attachment(
        &self,
        caller: &Caller,
        protocollo: &str,
        id: i64,
    ) -> AppResult<(String, &'static str, Vec<u8>)> {
        let s = caller.require()?;
        if s.user.role.acts_for_company() || s.user.role.writes_as_person() {
            self.request_view(caller, protocollo).await?;
        } else {
            self.operator_request(caller, protocollo).await?;
        }
        let r = sqlx::query(
            "SELECT a.nome, a.content_type, a.contenuto_b64 FROM allegati a JOIN richieste r ON r.id = a.richiesta_id
             WHERE a.id = $1 AND r.protocollo = $2",
        )
        .bind(id)
        .bind(protocollo)
        .fetch_optional(&self.db.read)
        .await?
        .ok_or_else(|| AppError::NotFound("Allegato non trovato.".into()))?;
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(r.try_get::<String, _>("contenuto_b64")?)
            .map_err(|e| AppError::Internal(format!("allegato illeggibile: {e}")))?;
        // Served only as a type we recognised, never as what was stored if it changed.
        let ct = sniff(&bytes).map(|(ct, _)| ct).unwrap_or("application/octet-stream");
        Ok((r.try_get("nome")?, ct, bytes))
    }
}
