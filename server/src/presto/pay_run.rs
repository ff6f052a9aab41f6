//! The monthly payment to prestatori (by the 15th of the following month): once the month's
//! revocation windows have closed, one payment per prestatore from its prestazioni still
//! standing, exactly once (unique per prestatore and month; a second run finds nothing to pay).

use crate::error::{AppError, AppResult};
use crate::infra::audit::{self, Actor, Entry};
use crate::infra::clock;
use crate::services::Services;
use chrono::{Datelike, Duration, Months, NaiveDate};
use shared::Euro;
use shared::presto::views::EsitoPayRun;
use sqlx::Row;

/// `2026-11` → its first and last day.
pub fn parse_mese(s: &str) -> Option<(NaiveDate, NaiveDate)> {
    let first = NaiveDate::parse_from_str(&format!("{}-01", s.trim()), "%Y-%m-%d").ok()?;
    let last = first.checked_add_months(Months::new(1))?.pred_opt()?;
    Some((first, last))
}

/// The last day on which a prestazione of the month ending `last` may still change: the LF
/// communications arrive by the 3rd of the next month, revocations within `revoca_giorni`.
pub(crate) fn chiusura_mese(last: NaiveDate, revoca_giorni: i64) -> NaiveDate {
    let terzo = last.succ_opt().and_then(|d| d.with_day(3)).unwrap_or(last);
    (last + Duration::days(revoca_giorni)).max(terzo)
}

/// Pays one prestatore for the month `first..=last` in the caller's transaction: its
/// prestazioni still standing become paid, with one payment record. `None` when there is
/// nothing to pay or the month was already paid.
pub(crate) async fn paga_prestatore(
    conn: &mut sqlx::AnyConnection,
    actor: &Actor,
    pid: i64,
    first: NaiveDate,
    last: NaiveDate,
    today: NaiveDate,
) -> AppResult<Option<(i64, i64)>> {
    let (from, to) = (first.to_string(), last.to_string());
    let mese = first.format("%Y-%m").to_string();
    let r = sqlx::query(
        "SELECT CAST(SUM(compenso_cents) AS BIGINT), COUNT(*) FROM prestazioni WHERE prestatore_id = $1 AND stato = 'inserita' AND giorno >= $2 AND giorno <= $3",
    )
    .bind(pid)
    .bind(&from)
    .bind(&to)
    .fetch_one(&mut *conn)
    .await?;
    let (importo, n): (Option<i64>, i64) = (r.try_get(0)?, r.try_get(1)?);
    let Some(importo) = importo.filter(|_| n > 0) else { return Ok(None) };
    let p = sqlx::query("SELECT modalita_pagamento, iban FROM prestatori WHERE id = $1")
        .bind(pid)
        .fetch_one(&mut *conn)
        .await?;
    let modalita: String = p.try_get(0)?;
    let iban: Option<String> = p.try_get(1)?;
    let paid = sqlx::query(
        "INSERT INTO pagamenti_prestatori (prestatore_id, mese, importo_cents, prestazioni, modalita, iban, data_pagamento, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (prestatore_id, mese) DO NOTHING RETURNING id",
    )
    .bind(pid)
    .bind(&mese)
    .bind(importo)
    .bind(n)
    .bind(&modalita)
    .bind(iban)
    .bind(today.to_string())
    .bind(clock::now_ts())
    .fetch_optional(&mut *conn)
    .await?;
    let Some(paid) = paid else { return Ok(None) };
    let pay_id: i64 = paid.try_get(0)?;
    sqlx::query(
        "UPDATE prestazioni SET stato = 'pagata', pagamento_id = $1, version = version + 1
         WHERE prestatore_id = $2 AND stato = 'inserita' AND giorno >= $3 AND giorno <= $4",
    )
    .bind(pay_id)
    .bind(pid)
    .bind(&from)
    .bind(&to)
    .execute(&mut *conn)
    .await?;
    audit::append(
        conn,
        actor,
        Entry {
            entity: "pagamento_prestatore",
            entity_id: pay_id.to_string(),
            action: "pagamento_mensile",
            before: None,
            after: Some(
                serde_json::json!({"prestatore_id": pid, "mese": mese, "importo_cents": importo, "prestazioni": n}),
            ),
            note: None,
        },
    )
    .await?;
    Ok(Some((importo, n)))
}

impl Services {
    pub async fn pay_run(&self, actor: &Actor, mese: &str) -> AppResult<EsitoPayRun> {
        let (first, last) = parse_mese(mese)
            .ok_or_else(|| AppError::field("mese", "Indicare il mese nel formato AAAA-MM.", "format"))?;
        let mese = first.format("%Y-%m").to_string();
        let mut conn = self.db.read.acquire().await?;
        let par = super::parametri(&mut conn, last).await?;
        drop(conn);
        let today = self.clock.today();
        let chiusura = chiusura_mese(last, par.revoca_giorni);
        if today <= chiusura {
            return Err(AppError::Conflict(format!(
                "I pagamenti di {mese} si dispongono dal {}: fino al {} sono ancora possibili comunicazioni e revoche.",
                shared::time::format_date_it(chiusura + Duration::days(1)),
                shared::time::format_date_it(chiusura)
            )));
        }
        let (from, to) = (first.to_string(), last.to_string());
        let ids: Vec<i64> = sqlx::query(
            "SELECT DISTINCT prestatore_id FROM prestazioni WHERE stato = 'inserita' AND giorno >= $1 AND giorno <= $2 ORDER BY prestatore_id",
        )
        .bind(&from)
        .bind(&to)
        .fetch_all(&self.db.read)
        .await?
        .iter()
        .map(|r| r.try_get(0))
        .collect::<Result<_, _>>()?;
        let mut out = EsitoPayRun { mese: mese.clone(), pagamenti: 0, prestazioni: 0, totale: Euro::ZERO };
        for pid in ids {
            let mut tx = self.db.write.begin().await?;
            let Some((importo, n)) = paga_prestatore(&mut tx, actor, pid, first, last, today).await? else { continue };
            tx.commit().await?;
            out.pagamenti += 1;
            out.prestazioni += n as u64;
            out.totale = out
                .totale
                .checked_add(Euro::from_cents(importo))
                .ok_or_else(|| AppError::Internal("totale fuori scala".into()))?;
        }
        Ok(out)
    }
}

/// Runs the payment of the previous month every hour from the 4th (idempotent, so several
/// replicas may run it).
pub fn spawn_scheduler(services: Services) {
    tokio::spawn(async move {
        loop {
            let today = services.clock.today();
            if let Some(prev) = today.with_day(1).and_then(|d| d.pred_opt()) {
                let mese = prev.format("%Y-%m").to_string();
                match services.pay_run(&Actor::system("pagamenti_mensili"), &mese).await {
                    Ok(r) if r.pagamenti > 0 => {
                        tracing::info!(mese, pagamenti = r.pagamenti, "pagamenti ai prestatori disposti")
                    }
                    Ok(_) | Err(AppError::Conflict(_)) => {}
                    Err(e) => tracing::warn!(error = %e, "pagamenti ai prestatori non riusciti"),
                }
            }
            tokio::time::sleep(std::time::Duration::from_secs(3600)).await;
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months() {
        let (a, b) = parse_mese("2026-02").unwrap();
        assert_eq!((a.to_string(), b.to_string()), ("2026-02-01".into(), "2026-02-28".into()));
        assert_eq!(parse_mese("2024-02").unwrap().1.day(), 29);
        assert!(parse_mese("2026-13").is_none());
        assert!(parse_mese("febbraio").is_none());
    }
}
