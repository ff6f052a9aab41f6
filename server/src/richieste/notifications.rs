//! In-app notifications of a subject (read per user) and the development mailbox.

use super::soggetto::Soggetto;
use crate::error::AppResult;
use crate::identity::Caller;
use crate::identity::access::User;
use crate::infra::clock;
use crate::infra::db::dialect;
use crate::infra::db::exec::Exec;
use crate::infra::db::tail::SetWrite;
use crate::services::Services;
use crate::vals;
use futures_util::future::BoxFuture;
use shared::account::NON_LETTE_IN_INTESTAZIONE;
use shared::dto::{MailView, NotificationView, NotificationsView};
use sqlx::{AnyConnection, Row};
use std::sync::LazyLock;

impl Services {
    /// The subject's notifications the user has not read, up to `fino_a`: the subject's total less
    /// the user's reads of them, both kept by triggers (a count of the rows grew with every
    /// notification already read).
    pub(crate) async fn unread_count(&self, user_id: i64, soggetto: Soggetto, fino_a: i64) -> AppResult<i64> {
        static UNREAD: LazyLock<String> = LazyLock::new(|| format!("SELECT {}", unread_sql("$1", "$2", "$3")));
        let n: i64 = sqlx::query(&UNREAD)
            .bind(soggetto.colonna())
            .bind(soggetto.id())
            .bind(user_id)
            .fetch_one(&self.db.read)
            .await?
            .try_get(0)?;
        Ok(n.clamp(0, fino_a.max(0)))
    }

    /// The unread count of the page header: the company acted for, or a prestazioni occasionali
    /// user's own person (support requests); none otherwise. Counted up to
    /// [`NON_LETTE_IN_INTESTAZIONE`] ("99+").
    pub(crate) async fn unread_in_header(&self, user: &User, acting_for: Option<i64>) -> AppResult<i64> {
        let max = NON_LETTE_IN_INTESTAZIONE;
        match (acting_for, user.persona_id) {
            (Some(c), _) => self.unread_count(user.id, Soggetto::Contribuente(c), max).await,
            (None, Some(p)) if user.role.writes_as_person() => {
                self.unread_count(user.id, Soggetto::Persona(p), max).await
            }
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
        Ok(NotificationsView { non_lette: self.unread_count(s.user.id, subject, i64::MAX).await?, notifiche })
    }

    /// Marks every notification of the subject as read by the caller. Returns how many changed.
    /// Nothing to mark takes no write; otherwise the unread ones are looked for newest first and
    /// the search stops at the kept count of them, instead of going through every notification
    /// ever read (30 ms of the single writer for 50,000).
    pub async fn mark_notifications_read(&self, caller: &Caller, soggetto_id: Option<i64>) -> AppResult<u64> {
        let s = caller.require()?;
        let subject = self.request_subject(caller, soggetto_id).await?;
        if self.unread_count(s.user.id, subject, 1).await? == 0 {
            return Ok(0);
        }
        let mut tx = self.db.write.begin().await?;
        let n = sqlx::query(&format!(
            "INSERT INTO notifiche_lette (notifica_id, user_id, letta_il)
             SELECT da_leggere.id, $1, $2 FROM (
                 SELECT n.id FROM notifiche n WHERE n.{} = $3
                 AND NOT EXISTS (SELECT 1 FROM notifiche_lette l WHERE l.notifica_id = n.id AND l.user_id = $1)
                 ORDER BY n.id DESC
                 LIMIT ({})
             ) AS da_leggere",
            subject.colonna(),
            unread_sql("$4", "$3", "$1")
        ))
        .bind(s.user.id)
        .bind(clock::now_ts())
        .bind(subject.id())
        .bind(subject.colonna())
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

/// A user's unread notifications of a subject, from the numbers the triggers keep: the subject's
/// total less the user's reads of them. The arguments are the placeholders of the subject's column
/// name, its id and the user.
fn unread_sql(colonna: &str, soggetto: &str, user: &str) -> String {
    format!(
        "COALESCE((SELECT totale FROM notifiche_per_soggetto WHERE colonna = {colonna} AND soggetto_id = {soggetto}), 0)
         - COALESCE((SELECT lette FROM notifiche_lette_per_soggetto
                     WHERE user_id = {user} AND colonna = {colonna} AND soggetto_id = {soggetto}), 0)"
    )
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
    queue_notifications(conn, &[Notice { soggetto, richiesta_id, testo, oggetto_email, corpo }]).await
}

/// One notification of [`queue_notifications`].
pub struct Notice<'a> {
    pub soggetto: Soggetto,
    pub richiesta_id: i64,
    pub testo: &'a str,
    pub oggetto_email: &'a str,
    pub corpo: &'a str,
}

/// Rows per statement (5 parameters each).
const ROWS_PER_STATEMENT: usize = 64;

/// [`queue_notification`] for several at once (a worker's batch of decisions): two statements
/// per 64, the notifications, and the e-mails to the subjects that have an address.
pub async fn queue_notifications(conn: &mut dyn Exec, notices: &[Notice<'_>]) -> AppResult<()> {
    let now = clock::now_ts();
    let engine = conn.engine();
    for chunk in notices.chunks(ROWS_PER_STATEMENT) {
        // Parameters in the text's order (`dialect::Params`): the time is bound on every row.
        let values = dialect::Params::new(engine).rows(chunk.len(), 5);
        let sql = format!(
            "INSERT INTO notifiche (contribuente_id, persona_id, richiesta_id, testo, created_at) VALUES {values}"
        );
        let mut args = Vec::with_capacity(chunk.len() * 5);
        for n in chunk {
            args.extend(vals![n.soggetto.contribuente(), persona(n.soggetto), n.richiesta_id, n.testo, &now]);
        }
        conn.run(&sql, args).await?;
        // Each subject's address read where it is stored; one without an address gets no e-mail.
        let mut p = dialect::Params::new(engine);
        let selects = chunk
            .iter()
            .map(|n| {
                let (oggetto, corpo, at, updated, id) = (p.one(), p.one(), p.one(), p.one(), p.one());
                match n.soggetto {
                    Soggetto::Persona(_) => format!(
                        "SELECT email, {oggetto}, {corpo}, 'da_inviare', 0, {at}, {updated}, CAST(NULL AS BIGINT), id FROM persone WHERE id = {id} AND email IS NOT NULL"
                    ),
                    _ => format!(
                        "SELECT pec, {oggetto}, {corpo}, 'da_inviare', 0, {at}, {updated}, id, CAST(NULL AS BIGINT) FROM contribuenti WHERE id = {id} AND pec IS NOT NULL"
                    ),
                }
            })
            .collect::<Vec<_>>()
            .join(" UNION ALL ");
        let sql = format!(
            "INSERT INTO email_outbox (destinatario, oggetto, corpo, stato, tentativi, created_at, updated_at, contribuente_id, persona_id) {selects}"
        );
        let mut args = Vec::with_capacity(chunk.len() * 5);
        for n in chunk {
            args.extend(vals![n.oggetto_email, n.corpo, &now, &now, n.soggetto.id()]);
        }
        conn.run(&sql, args).await?;
    }
    Ok(())
}

/// A notification a write leaves for its batch's end (`infra::db::tail`).
pub struct Later {
    pub soggetto: Soggetto,
    pub richiesta_id: i64,
    pub testo: String,
    pub oggetto_email: String,
    pub corpo: String,
}

impl SetWrite for Later {
    fn write_all(conn: &mut dyn Exec, items: Vec<Later>) -> BoxFuture<'_, AppResult<()>> {
        Box::pin(async move {
            let notices: Vec<Notice> = items
                .iter()
                .map(|n| Notice {
                    soggetto: n.soggetto,
                    richiesta_id: n.richiesta_id,
                    testo: &n.testo,
                    oggetto_email: &n.oggetto_email,
                    corpo: &n.corpo,
                })
                .collect();
            queue_notifications(conn, &notices).await
        })
    }
}

fn persona(s: Soggetto) -> Option<i64> {
    match s {
        Soggetto::Persona(id) => Some(id),
        Soggetto::Contribuente(_) => None,
    }
}
