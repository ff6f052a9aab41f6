//! Log in and out, the session as the header shows it, and choosing whom to act for.

use crate::error::{AppError, AppResult};
use crate::identity::Caller;
use crate::identity::access::{self, User};
use crate::identity::auth;
use crate::infra::audit::{self, Entry};
use crate::services::Services;
use shared::dto::{SedeView, SessionView, SubjectSummary};
use sqlx::Row;

pub struct LoginResult {
    pub set_cookie: String,
    pub session: SessionView,
}
impl Services {
    pub async fn login(&self, caller: &Caller, username: &str, password: &str) -> AppResult<LoginResult> {
        let ok = auth::login(
            &self.db,
            &self.config,
            &self.hashes,
            username,
            password,
            &caller.ip,
            caller.token.as_deref(),
            &caller.request_id,
        )
        .await?;
        let session = self.session_view_for(&ok.user, None).await?;
        Ok(LoginResult { set_cookie: auth::session_cookie(&self.config, &ok.token), session })
    }

    /// Ends the session (if any) and returns the cookie that clears it in the browser.
    pub async fn logout(&self, caller: &Caller) -> AppResult<String> {
        match &caller.session {
            Some(s) if s.via_api_token() => self.revoke_own_token(caller).await?,
            Some(s) => auth::logout(&self.db, s, &caller.request_id).await?,
            None => {}
        }
        Ok(auth::clear_cookie(&self.config))
    }

    pub(crate) async fn sede(&self, sede_id: Option<i64>) -> AppResult<Option<SedeView>> {
        let Some(id) = sede_id else { return Ok(None) };
        let r = sqlx::query("SELECT codice, nome, regione FROM sedi WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.db.read)
            .await?;
        Ok(match r {
            Some(r) => Some(SedeView {
                codice: r.try_get("codice")?,
                nome: r.try_get("nome")?,
                regione: r.try_get("regione")?,
            }),
            None => None,
        })
    }

    async fn session_view_for(&self, user: &User, acting_for: Option<SubjectSummary>) -> AppResult<SessionView> {
        let notifiche_non_lette = self.unread_in_header(user, acting_for.as_ref().map(|s| s.id)).await?;
        Ok(SessionView {
            notifiche_non_lette,
            user_id: user.id,
            username: user.username.clone(),
            display_name: user.display_name.clone(),
            role: user.role,
            sede: self.sede(user.sede_id).await?,
            regione: user.regione.clone(),
            acting_for,
        })
    }

    /// The acting-for subject of the session, re-checked now: a delega that expired or was
    /// revoked since it was chosen yields the refusal, never the company's data.
    pub(crate) async fn current_subject(&self, caller: &Caller) -> AppResult<Option<SubjectSummary>> {
        match caller.require()?.acting_for_id {
            Some(id) => Ok(Some(self.authorized_subject(caller, id).await?)),
            None => Ok(None),
        }
    }

    pub async fn session_view(&self, caller: &Caller) -> AppResult<Option<SessionView>> {
        let Some(s) = &caller.session else { return Ok(None) };
        // The header must still render when the delega has lapsed: show no subject then.
        let acting_for = self.current_subject(caller).await.ok().flatten();
        Ok(Some(self.session_view_for(&s.user, acting_for).await?))
    }

    pub async fn subjects(&self, caller: &Caller) -> AppResult<Vec<SubjectSummary>> {
        let s = caller.require()?;
        access::require_company_role(&s.user)?;
        access::subjects_for(&self.db.read, &s.user, self.clock.today()).await
    }

    pub async fn act_for(&self, caller: &Caller, subject_id: i64) -> AppResult<SubjectSummary> {
        let s = caller.require()?;
        if s.via_api_token() {
            return Err(AppError::BadRequest(
                "Con un token API non c'è una sessione in cui ricordare il soggetto: indicare soggetto_id in ogni chiamata."
                    .into(),
            ));
        }
        let subject = access::authorize_subject(&self.db.read, &s.user, subject_id, self.clock.today()).await?;
        let mut tx = self.db.write.begin().await?;
        sqlx::query("UPDATE sessions SET acting_for_id = $1 WHERE id_hash = $2")
            .bind(subject_id)
            .bind(&s.id_hash)
            .execute(&mut *tx)
            .await?;
        let mut actor = caller.actor(s);
        actor.acting_for_id = Some(subject_id);
        audit::append(
            &mut tx,
            &actor,
            Entry {
                entity: "sessione",
                entity_id: s.user.id.to_string(),
                action: "opera_per_conto_di",
                before: s.acting_for_id.map(|id| serde_json::json!({ "contribuente_id": id })),
                after: Some(
                    serde_json::json!({ "contribuente_id": subject_id, "codice_fiscale": subject.codice_fiscale }),
                ),
                note: None,
            },
        )
        .await?;
        tx.commit().await?;
        Ok(subject)
    }
}
