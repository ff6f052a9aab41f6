//! The e-mail sender: takes queued messages from `email_outbox` and sends them over SMTP
//! (lettre). Decisions only ever insert into the outbox, so a mail server that is down never
//! blocks or undoes a decision; failed sends are retried with exponential backoff and, after
//! `MAX_TENTATIVI`, left as `fallita` for an operator to see.

use crate::error::{AppError, AppResult};
use crate::infra::clock;
use crate::infra::db::Db;
use chrono::Utc;
use lettre::message::{Mailbox, header::ContentType};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use sqlx::Row;
use std::time::Duration;

pub const MAX_TENTATIVI: i64 = 8;
const BATCH: i64 = 20;

pub struct Sender {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl Sender {
    /// `url`: `smtp://host:25` (plain, for a local relay), `smtp://host:587?tls=required`
    /// (STARTTLS) or `smtps://user:password@host:465` (TLS), as lettre reads them.
    pub fn new(url: &str, from: &str) -> AppResult<Sender> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| AppError::Internal(format!("SPORTELLO_SMTP_URL non valido: {e}")))?
            .timeout(Some(Duration::from_secs(20)))
            .build();
        let from = from.parse().map_err(|e| AppError::Internal(format!("SPORTELLO_MAIL_FROM non valido: {e}")))?;
        Ok(Sender { transport, from })
    }

    async fn send(&self, to: &str, subject: &str, body: &str) -> Result<(), String> {
        let to: Mailbox = to.parse().map_err(|e| format!("destinatario non valido: {e}"))?;
        let msg = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(subject)
            .header(ContentType::TEXT_PLAIN)
            .body(body.to_string())
            .map_err(|e| format!("messaggio non valido: {e}"))?;
        self.transport.send(msg).await.map(|_| ()).map_err(|e| e.to_string())
    }
}

/// Delay before attempt `n + 1` after `n` failures: 30 s, 1 min, 2 min … capped at 2 hours.
pub fn backoff(tentativi: i64) -> chrono::Duration {
    let secs = 30i64.saturating_mul(1i64 << tentativi.clamp(0, 20));
    chrono::Duration::seconds(secs.min(7200))
}

/// Sends the messages that are due. Each is claimed by a conditional update first, so several
/// replicas never send one twice; a claim older than 10 minutes (a crashed sender) is taken
/// again. Returns how many were sent.
pub async fn deliver_due(db: &Db, sender: &Sender) -> AppResult<usize> {
    let now = clock::now_ts();
    let stale = clock::ts(Utc::now() - chrono::Duration::minutes(10));
    let due = sqlx::query(
        "SELECT id, destinatario, oggetto, corpo, tentativi FROM email_outbox
         WHERE (stato IN ('da_inviare', 'errore') AND (prossimo_tentativo IS NULL OR prossimo_tentativo <= $1))
            OR (stato = 'in_invio' AND updated_at < $2)
         ORDER BY id LIMIT $3",
    )
    .bind(&now)
    .bind(&stale)
    .bind(BATCH)
    .fetch_all(&db.read)
    .await?;
    let mut sent = 0;
    for r in due {
        let id: i64 = r.try_get("id")?;
        let tentativi: i64 = r.try_get("tentativi")?;
        let claimed = sqlx::query(
            "UPDATE email_outbox SET stato = 'in_invio', updated_at = $1 WHERE id = $2 AND tentativi = $3
             AND (stato IN ('da_inviare', 'errore') OR (stato = 'in_invio' AND updated_at < $4))",
        )
        .bind(clock::now_ts())
        .bind(id)
        .bind(tentativi)
        .bind(&stale)
        .execute(&db.write)
        .await?
        .rows_affected();
        if claimed != 1 {
            continue;
        }
        let result = sender
            .send(
                &r.try_get::<String, _>("destinatario")?,
                &r.try_get::<String, _>("oggetto")?,
                &r.try_get::<String, _>("corpo")?,
            )
            .await;
        let n = tentativi + 1;
        let (stato, errore, prossimo) = match &result {
            Ok(()) => ("inviata", None, None),
            Err(e) if n >= MAX_TENTATIVI => ("fallita", Some(e.clone()), None),
            Err(e) => ("errore", Some(e.clone()), Some(clock::ts(Utc::now() + backoff(n - 1)))),
        };
        if let Err(e) = &result {
            tracing::warn!(id, tentativi = n, error = %e, "invio e-mail non riuscito");
        } else {
            sent += 1;
        }
        sqlx::query(
            "UPDATE email_outbox SET stato = $1, tentativi = $2, errore = $3, prossimo_tentativo = $4, updated_at = $5
             WHERE id = $6",
        )
        .bind(stato)
        .bind(n)
        .bind(errore)
        .bind(prossimo)
        .bind(clock::now_ts())
        .bind(id)
        .execute(&db.write)
        .await?;
    }
    Ok(sent)
}

/// Runs the sender until the process ends (only when SMTP is configured).
pub fn spawn(db: Db, sender: Sender) {
    tokio::spawn(async move {
        loop {
            match deliver_due(&db, &sender).await {
                Ok(n) if n > 0 => continue,
                Ok(_) => {}
                Err(e) => tracing::error!(error = %e, "mittente e-mail: errore"),
            }
            tokio::time::sleep(Duration::from_secs(2)).await;
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_and_is_capped() {
        assert_eq!(backoff(0), chrono::Duration::seconds(30));
        assert_eq!(backoff(1), chrono::Duration::seconds(60));
        assert_eq!(backoff(3), chrono::Duration::seconds(240));
        assert_eq!(backoff(9), chrono::Duration::seconds(7200));
        assert_eq!(backoff(1000), chrono::Duration::seconds(7200));
    }

    #[test]
    fn bad_configuration_is_an_error_not_a_panic() {
        assert!(Sender::new("ftp://nowhere", "a@b.it").is_err());
        assert!(Sender::new("smtp://localhost:2525", "not an address").is_err());
        assert!(Sender::new("smtp://localhost:2525", "Sportello <noreply@sportello.example.it>").is_ok());
    }
}
