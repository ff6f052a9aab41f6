//! What kinds 2 and 3 read from the contributions accounts: an F24 payment line, and the balance
//! of a period on a position (owed and paid, DM10).

use crate::error::{AppError, AppResult};
use crate::infra::clock;
use crate::infra::db::readers::Readers;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use shared::periodo::Periodo;
use sqlx::Row;

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
        // Saturating: sums read from the database never wrap into a false credit or debt.
        self.dovuto_cents.saturating_sub(self.versato_cents)
    }
}

pub(crate) fn periodo(s: &str) -> AppResult<Periodo> {
    Periodo::parse(s).map_err(|e| AppError::Internal(format!("periodo memorizzato non valido {s}: {e}")))
}

/// What is owed and paid (DM10) for a period of a position, today.
pub async fn saldo(pool: &Readers, posizione_id: i64, p: Periodo) -> AppResult<Saldo> {
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

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pagamento {
    pub id: i64,
    /// The contributor whose codice fiscale paid (None: not a known contributor).
    pub contribuente_versante_id: Option<i64>,
    pub matricola_indicata: String,
    /// The contributor owning the stated matricola (None: no such position).
    pub contribuente_matricola_id: Option<i64>,
    pub data_versamento: NaiveDate,
    pub importo_cents: i64,
    pub causale: String,
    pub periodo_attribuito: Periodo,
    pub utilizzo: Option<String>,
}

/// The payment line `id` and the position it was attributed to (None: no such line).
pub async fn pagamento(pool: &Readers, id: i64) -> AppResult<Option<(Pagamento, Option<i64>)>> {
    let row = sqlx::query(
        "SELECT g.id, g.contribuente_id, g.matricola_indicata, g.posizione_id, p.contribuente_id AS contribuente_matricola,
                g.data_versamento, g.importo_cents, g.causale, g.periodo_attribuito, g.utilizzo
         FROM pagamenti g LEFT JOIN posizioni p ON p.id = g.posizione_id WHERE g.id = $1",
    )
    .bind(id)
    .fetch_optional(pool)
    .await?;
    let Some(r) = row else { return Ok(None) };
    let data: Option<String> = r.try_get("data_versamento")?;
    let pagamento = Pagamento {
        id,
        contribuente_versante_id: r.try_get("contribuente_id")?,
        matricola_indicata: r.try_get("matricola_indicata")?,
        contribuente_matricola_id: r.try_get("contribuente_matricola")?,
        data_versamento: data.as_deref().and_then(clock::parse_date).unwrap_or(NaiveDate::MIN),
        importo_cents: r.try_get("importo_cents")?,
        causale: r.try_get("causale")?,
        periodo_attribuito: periodo(&r.try_get::<String, _>("periodo_attribuito")?)?,
        utilizzo: r.try_get("utilizzo")?,
    };
    Ok(Some((pagamento, r.try_get("posizione_id")?)))
}
