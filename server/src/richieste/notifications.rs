//! In-app notifications of a subject (read per user) and the development mailbox.

use super::soggetto::Soggetto;
use crate::error::AppResult;
use crate::identity::Caller;
use crate::identity::access::User;
use crate::infra::clock;
use crate::services::Services;
use shared::dto::{MailView, NotificationView, NotificationsView};
use sqlx::{AnyConnection, Row};

impl Services {
    pub(crate) async fn unread_count(&self, user_id: i64, soggetto: Soggetto) -> AppResult<i64> {
        Ok(sqlx::query(&format!(
            "SELECT COUNT(*) FROM notifiche n WHERE n.{} = $1
             AND NOT EXISTS (SELECT 1 FROM notifiche_lette l WHERE l.notifica_id = n.id AND l.user_id = $2)",
            soggetto.colonna()
        ))
        .bind(soggetto.id())
        .bind(user_id)
        .fetch_one(&self.db.read)
        .await?
        .try_get(0)?)
    }

    /// The unread count of the page header: the company acted for, or a prestazioni occasionali
    /// user's own person (support requests); none otherwise.
    pub(crate) async fn unread_in_header(&self, user: &User, acting_for: Option<i64>) -> AppResult<i64> {
        match (acting_for, user.persona_id) {
            (Some(c), _) => self.unread_count(user.id, Soggetto::Contribuente(c)).await,
            (None, Some(p)) if user.role.writes_as_person() => self.unread_count(user.id, Soggetto::Persona(p)).await,
            _ => Ok(0),
        }
    }

    /// The latest 100 notifications of the subject acted for (or `soggetto_id`), newest first.
    pub async fn notifications(&self, caller: &Caller, soggetto_id: Option<i64>) -> AppResult<NotificationsView> {
        let s = caller.require()?;
        let subject = self.request_subject(caller, soggetto_id).await?;
        let rows = sqlx::query(&format!(
            "SELECT n.id, n.testo, n.created_at, r.protocollo,
                    (SELECT COUNT(*) FROM notifiche_lette l WHERE l.notifica_id = n.id AND l.user_id = $2) AS letta
             FROM notifiche n LEFT JOIN richieste r ON r.id = n.richiesta_id
             WHERE n.{} = $1 ORDER BY n.id DESC LIMIT 100",
            subject.colonna()
        ))
        .bind(subject.id())
        .bind(s.user.id)
        .fetch_all(&self.db.read)
        .await?;
        let notifiche = rows
            .iter()
            .map(|r| {
                Ok(NotificationView {
                    id: r.try_get("id")?,
                    testo: r.try_get("testo")?,
                    protocollo: r.try_get("protocollo")?,
                    creata_il: r.try_get("created_at")?,
                    letta: r.try_get::<i64, _>("letta")? > 0,
                })
            })
            .collect::<AppResult<Vec<_>>>()?;
        Ok(NotificationsView { non_lette: self.unread_count(s.user.id, subject).await?, notifiche })
    }

    /// Marks every notification of the subject as read by the caller. Returns how many changed.
    pub async fn mark_notifications_read(&self, caller: &Caller, soggetto_id: Option<i64>) -> AppResult<u64> {
        let s = caller.require()?;
        let subject = self.request_subject(caller, soggetto_id).await?;
        let mut tx = self.db.write.begin().await?;
        let n = sqlx::query(&format!(
            "INSERT INTO notifiche_lette (notifica_id, user_id, letta_il)
             SELECT n.id, $1, $2 FROM notifiche n WHERE n.{} = $3
             AND NOT EXISTS (SELECT 1 FROM notifiche_lette l WHERE l.notifica_id = n.id AND l.user_id = $1)",
            subject.colonna()
        ))
        .bind(s.user.id)
        .bind(clock::now_ts())
        .bind(subject.id())
        .execute(&mut *tx)
        .await?
        .rows_affected();
        tx.commit().await?;
        Ok(n)
    }

    /// The development mailbox: the e-mails queued for the subject (bound to the company that
    /// queued them, never matched by address: a PEC can change hands). Only when no SMTP
    /// server is configured (otherwise they went out for real and the mailbox is the PEC's own).
    pub async fn dev_mailbox(&self, caller: &Caller, soggetto_id: Option<i64>) -> AppResult<Vec<MailView>> {
        if self.config.smtp_url.is_some() {
            return Err(crate::error::AppError::NotFound(
                "La casella di sviluppo non è disponibile: le e-mail sono inviate dal server SMTP configurato.".into(),
            ));
        }
        let subject = self.request_subject(caller, soggetto_id).await?;
        let rows = sqlx::query(&format!(
            "SELECT o.id, o.destinatario, o.oggetto, o.corpo, o.stato, o.tentativi, o.errore, o.created_at
             FROM email_outbox o WHERE o.{} = $1 ORDER BY o.id DESC LIMIT 100",
            subject.colonna()
        ))
        .bind(subject.id())
        .fetch_all(&self.db.read)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(MailView {
                    id: r.try_get("id")?,
                    destinatario: r.try_get("destinatario")?,
                    oggetto: r.try_get("oggetto")?,
                    corpo: r.try_get("corpo")?,
                    stato: r.try_get("stato")?,
                    tentativi: r.try_get("tentativi")?,
                    errore: r.try_get("errore")?,
                    creata_il: r.try_get("created_at")?,
                })
            })
            .collect()
    }
}

/// In-app notification for the subject, and an e-mail in the outbox to the company's PEC or the
/// person's address (sent by a separate sender so a mail failure never blocks a decision).
pub async fn queue_notification(
    conn: &mut AnyConnection,
    soggetto: Soggetto,
    richiesta_id: i64,
    testo: &str,
    oggetto_email: &str,
    corpo: &str,
) -> AppResult<()> {
    let now = clock::now_ts();
    let colonna = soggetto.colonna();
    sqlx::query(&format!(
        "INSERT INTO notifiche ({colonna}, richiesta_id, testo, letta, created_at) VALUES ($1, $2, $3, 0, $4)"
    ))
    .bind(soggetto.id())
    .bind(richiesta_id)
    .bind(testo)
    .bind(&now)
    .execute(&mut *conn)
    .await?;
    let indirizzo = match soggetto {
        Soggetto::Contribuente(_) => "SELECT pec FROM contribuenti WHERE id = $1",
        Soggetto::Persona(_) => "SELECT email FROM persone WHERE id = $1",
    };
    let to: Option<String> = sqlx::query(indirizzo).bind(soggetto.id()).fetch_one(&mut *conn).await?.try_get(0)?;
    if let Some(to) = to {
        sqlx::query(&format!(
            "INSERT INTO email_outbox (destinatario, oggetto, corpo, stato, tentativi, created_at, updated_at, {colonna})
             VALUES ($1, $2, $3, 'da_inviare', 0, $4, $4, $5)"
        ))
        .bind(to)
        .bind(oggetto_email)
        .bind(corpo)
        .bind(&now)
        .bind(soggetto.id())
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}
