//! What kinds 2 and 3 share: the balance of a period on a position (owed and paid, DM10).

use crate::error::{AppError, AppResult};
use serde::{Deserialize, Serialize};
use shared::periodo::Periodo;
use sqlx::{AnyPool, Row};

/// A period's balance on the payment's position.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Saldo {
    /// Whether any report (UniEmens) exists for the period.
    pub denunciato: bool,
    pub dovuto_cents: i64,
    pub versato_cents: i64,
}

impl Saldo {
    pub fn debito(self) -> i64 {
        self.dovuto_cents - self.versato_cents
    }
}

pub(crate) fn periodo(s: &str) -> AppResult<Periodo> {
    Periodo::parse(s).map_err(|e| AppError::Internal(format!("periodo memorizzato non valido {s}: {e}")))
}

/// What is owed and paid (DM10) for a period of a position, today.
pub async fn saldo(pool: &AnyPool, posizione_id: i64, p: Periodo) -> AppResult<Saldo> {
    let dovuto: Option<i64> = sqlx::query(
        "SELECT dovuto_cents FROM denunce WHERE posizione_id = $1 AND periodo = $2 ORDER BY trasmessa_il DESC, id DESC LIMIT 1",
    )
    .bind(posizione_id)
    .bind(p.key())
    .fetch_optional(pool)
    .await?
    .map(|r| r.try_get(0))
    .transpose()?;
    let versato: i64 = sqlx::query(
        "SELECT CAST(COALESCE(SUM(importo_cents), 0) AS BIGINT) FROM pagamenti
         WHERE posizione_id = $1 AND periodo_attribuito = $2 AND causale = 'DM10'",
    )
    .bind(posizione_id)
    .bind(p.key())
    .fetch_one(pool)
    .await?
    .try_get(0)?;
    Ok(Saldo { denunciato: dovuto.is_some(), dovuto_cents: dovuto.unwrap_or(0), versato_cents: versato })
}
