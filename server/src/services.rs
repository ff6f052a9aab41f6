//! Business operations. REST handlers and leptos server functions only parse input, take the
//! caller from the request and call these; authorization for every row happens here.

use crate::access::{self, User};
use crate::audit::{self, Actor, Entry};
use crate::auth::{self, Session};
use crate::clock;
use crate::config::Config;
use crate::db::Db;
use crate::error::{AppError, AppResult};
use shared::Role;
use shared::dto::{
    AssignOperator, AuditRecordView, CompanyHome, HomeData, OperatorView, PosizioneView, SedeView, SessionView,
    SubjectSummary, stato_posizione_label,
};
use sqlx::Row;

/// Who is calling, as resolved by the HTTP layer for one request.
#[derive(Debug, Clone)]
pub struct Caller {
    pub session: Option<Session>,
    /// Raw session token from the cookie (only to delete it at login).
    pub token: Option<String>,
    pub ip: String,
    pub request_id: String,
}

impl Caller {
    pub fn require(&self) -> AppResult<&Session> {
        self.session.as_ref().ok_or(AppError::Unauthenticated)
    }
    pub(crate) fn actor(&self, s: &Session) -> Actor {
        Actor {
            user_id: Some(s.user.id),
            name: s.user.username.clone(),
            acting_for_id: s.acting_for_id,
            request_id: Some(self.request_id.clone()),
        }
    }
}

#[derive(Clone)]
pub struct Services {
    pub db: Db,
    pub config: Config,
    /// Wakes the istruttoria worker when a request is submitted.
    pub wake: std::sync::Arc<tokio::sync::Notify>,
}

pub struct LoginResult {
    pub set_cookie: String,
    pub session: SessionView,
}

impl Services {
    pub fn new(db: Db, config: Config) -> Self {
        Services { db, config, wake: Default::default() }
    }

    pub async fn login(&self, caller: &Caller, username: &str, password: &str) -> AppResult<LoginResult> {
        let ok = auth::login(
            &self.db,
            &self.config,
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
        if let Some(s) = &caller.session {
            auth::logout(&self.db, s, &caller.request_id).await?;
        }
        Ok(auth::clear_cookie(&self.config))
    }

    async fn sede(&self, sede_id: Option<i64>) -> AppResult<Option<SedeView>> {
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
        let notifiche_non_lette = match &acting_for {
            Some(s) => self.unread_count(user.id, s.id).await?,
            None => 0,
        };
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
    async fn current_subject(&self, s: &Session) -> AppResult<Option<SubjectSummary>> {
        match s.acting_for_id {
            Some(id) => Ok(Some(access::authorize_subject(&self.db.read, &s.user, id, clock::today()).await?)),
            None => Ok(None),
        }
    }

    pub async fn session_view(&self, caller: &Caller) -> AppResult<Option<SessionView>> {
        let Some(s) = &caller.session else { return Ok(None) };
        // The header must still render when the delega has lapsed: show no subject then.
        let acting_for = self.current_subject(s).await.ok().flatten();
        Ok(Some(self.session_view_for(&s.user, acting_for).await?))
    }

    pub async fn subjects(&self, caller: &Caller) -> AppResult<Vec<SubjectSummary>> {
        let s = caller.require()?;
        access::require_company_role(&s.user)?;
        access::subjects_for(&self.db.read, &s.user, clock::today()).await
    }

    pub async fn act_for(&self, caller: &Caller, subject_id: i64) -> AppResult<SubjectSummary> {
        let s = caller.require()?;
        if s.via_api_token() {
            return Err(AppError::BadRequest(
                "Con un token API non c'è una sessione in cui ricordare il soggetto: indicare soggetto_id in ogni chiamata."
                    .into(),
            ));
        }
        let subject = access::authorize_subject(&self.db.read, &s.user, subject_id, clock::today()).await?;
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

    /// The company acted for; `subject_id`, when given (API), must be one the caller may act for.
    pub async fn company_home(&self, caller: &Caller, subject_id: Option<i64>) -> AppResult<CompanyHome> {
        let s = caller.require()?;
        let subject = match subject_id {
            Some(id) => access::authorize_subject(&self.db.read, &s.user, id, clock::today()).await?,
            None => self
                .current_subject(s)
                .await?
                .ok_or_else(|| AppError::BadRequest("Scegliere prima il soggetto per cui operare.".into()))?,
        };
        let r = sqlx::query(
            "SELECT c.pec, s.codice, s.nome, s.regione FROM contribuenti c JOIN sedi s ON s.id = c.sede_id WHERE c.id = $1",
        )
        .bind(subject.id)
        .fetch_one(&self.db.read)
        .await?;
        let pec: Option<String> = r.try_get("pec")?;
        let sede = SedeView { codice: r.try_get("codice")?, nome: r.try_get("nome")?, regione: r.try_get("regione")? };
        let rows = sqlx::query(
            "SELECT matricola, stato, stato_dal FROM posizioni WHERE contribuente_id = $1 ORDER BY matricola",
        )
        .bind(subject.id)
        .fetch_all(&self.db.read)
        .await?;
        let mut posizioni = Vec::with_capacity(rows.len());
        for p in rows {
            let stato: i64 = p.try_get("stato")?;
            let dal: String = p.try_get("stato_dal")?;
            posizioni.push(PosizioneView {
                matricola: p.try_get("matricola")?,
                stato,
                stato_label: stato_posizione_label(stato).into(),
                stato_dal: clock::parse_date(&dal).map(clock::it_date).unwrap_or(dal),
            });
        }
        let today = clock::today().format("%Y-%m-%d").to_string();
        let deleghe_attive: i64 = sqlx::query(
            "SELECT COUNT(*) FROM deleghe WHERE contribuente_id = $1 AND data_inizio <= $2
             AND (data_fine IS NULL OR data_fine >= $2) AND (revocata_dal IS NULL OR revocata_dal > $2)",
        )
        .bind(subject.id)
        .bind(&today)
        .fetch_one(&self.db.read)
        .await?
        .try_get(0)?;
        Ok(CompanyHome { subject, pec, sede, posizioni, deleghe_attive })
    }

    pub async fn home(&self, caller: &Caller) -> AppResult<HomeData> {
        let s = caller.require()?;
        let u = &s.user;
        match u.role {
            r if r.acts_for_company() => match s.acting_for_id {
                None => Ok(HomeData::ChooseSubject { subjects: self.subjects(caller).await? }),
                Some(_) => Ok(HomeData::Cassetto { company: self.company_home(caller, None).await? }),
            },
            Role::Utilizzatore | Role::Prestatore => self.presto_home(u).await,
            Role::OperatoreSede | Role::OperatoreRegionale | Role::OperatoreDg => {
                let (ambito, filter, bind): (String, &str, Option<String>) = match u.role {
                    Role::OperatoreSede => {
                        let sede = self.sede(u.sede_id).await?.ok_or_else(|| {
                            AppError::Forbidden("Il suo profilo di operatore non ha una sede assegnata: rivolgersi all'amministratore IDM.".into())
                        })?;
                        (
                            format!("Sede {} ({})", sede.nome, sede.codice),
                            "c.sede_id = (SELECT id FROM sedi WHERE codice = $1)",
                            Some(sede.codice),
                        )
                    }
                    Role::OperatoreRegionale => {
                        let reg = u.regione.clone().ok_or_else(|| {
                            AppError::Forbidden(
                                "Il suo profilo di operatore regionale non ha una regione assegnata.".into(),
                            )
                        })?;
                        (
                            format!("Direzione regionale {reg}"),
                            "c.sede_id IN (SELECT id FROM sedi WHERE regione = $1)",
                            Some(reg),
                        )
                    }
                    _ => ("Territorio nazionale".into(), "1 = 1", None),
                };
                let q1 = format!("SELECT COUNT(*) FROM contribuenti c WHERE {filter}");
                let q2 = format!(
                    "SELECT COUNT(*) FROM posizioni p JOIN contribuenti c ON c.id = p.contribuente_id WHERE {filter}"
                );
                let mut a = sqlx::query(&q1);
                let mut b = sqlx::query(&q2);
                if let Some(v) = &bind {
                    a = a.bind(v.clone());
                    b = b.bind(v.clone());
                }
                let contribuenti_in_ambito: i64 = a.fetch_one(&self.db.read).await?.try_get(0)?;
                let posizioni_in_ambito: i64 = b.fetch_one(&self.db.read).await?.try_get(0)?;
                Ok(HomeData::Operatore { ambito, contribuenti_in_ambito, posizioni_in_ambito })
            }
            Role::AmministratoreProfili => {
                let n: i64 = sqlx::query(
                    "SELECT COUNT(*) FROM users WHERE role IN ('operatore_sede','operatore_regionale','operatore_dg')",
                )
                .fetch_one(&self.db.read)
                .await?
                .try_get(0)?;
                Ok(HomeData::Amministratore { operatori: n })
            }
            _ => Err(AppError::Forbidden("Profilo non riconosciuto.".into())),
        }
    }

    async fn presto_home(&self, u: &User) -> AppResult<HomeData> {
        let Some(persona_id) = u.persona_id else {
            return Err(AppError::Forbidden("Il profilo non è collegato a una persona.".into()));
        };
        if u.role == Role::Utilizzatore {
            let r =
                sqlx::query("SELECT strumento, categoria, sede_id FROM utilizzatori WHERE persona_id = $1 ORDER BY id")
                    .bind(persona_id)
                    .fetch_optional(&self.db.read)
                    .await?
                    .ok_or_else(|| AppError::NotFound("Non risulta una registrazione come utilizzatore.".into()))?;
            let strumento: String = r.try_get("strumento")?;
            let categoria: Option<String> = r.try_get("categoria")?;
            let mut dettagli = vec![(
                "Strumento".to_string(),
                if strumento == "LF" {
                    "Libretto Famiglia".into()
                } else {
                    "Contratto di Prestazione Occasionale".to_string()
                },
            )];
            if let Some(c) = categoria {
                dettagli.push(("Categoria".into(), c));
            }
            Ok(HomeData::Presto {
                descrizione: "Utilizzatore di prestazioni occasionali".into(),
                sede: self.sede(r.try_get("sede_id")?).await?,
                dettagli,
            })
        } else {
            let r = sqlx::query("SELECT iban, sede_id FROM prestatori WHERE persona_id = $1")
                .bind(persona_id)
                .fetch_optional(&self.db.read)
                .await?
                .ok_or_else(|| AppError::NotFound("Non risulta una registrazione come prestatore.".into()))?;
            let iban: Option<String> = r.try_get("iban")?;
            let masked = iban
                .map(|i| format!("{}…{}", &i[..4.min(i.len())], &i[i.len().saturating_sub(4)..]))
                .unwrap_or_else(|| "non indicato (pagamento con bonifico domiciliato)".into());
            Ok(HomeData::Presto {
                descrizione: "Prestatore di lavoro occasionale".into(),
                sede: self.sede(r.try_get("sede_id")?).await?,
                dettagli: vec![("IBAN per i pagamenti".into(), masked)],
            })
        }
    }

    fn require_admin<'a>(&self, caller: &'a Caller) -> AppResult<&'a Session> {
        let s = caller.require()?;
        if s.user.role != Role::AmministratoreProfili {
            return Err(AppError::Forbidden(
                "Solo l'amministratore della profilazione (IDM) può gestire gli operatori.".into(),
            ));
        }
        Ok(s)
    }

    pub async fn operators(&self, caller: &Caller) -> AppResult<Vec<OperatorView>> {
        self.require_admin(caller)?;
        let rows = sqlx::query(
            "SELECT u.id, u.username, u.display_name, u.role, s.codice AS sede_codice, u.regione, u.version
             FROM users u LEFT JOIN sedi s ON s.id = u.sede_id
             WHERE u.role IN ('operatore_sede','operatore_regionale','operatore_dg') ORDER BY u.display_name, u.id",
        )
        .fetch_all(&self.db.read)
        .await?;
        rows.iter().map(operator_from_row).collect()
    }

    pub async fn sedi(&self, caller: &Caller) -> AppResult<Vec<SedeView>> {
        caller.require()?;
        let rows = sqlx::query("SELECT codice, nome, regione FROM sedi ORDER BY regione, nome")
            .fetch_all(&self.db.read)
            .await?;
        rows.iter()
            .map(|r| {
                Ok(SedeView { codice: r.try_get("codice")?, nome: r.try_get("nome")?, regione: r.try_get("regione")? })
            })
            .collect()
    }

    /// Gives an operator a role and its scope (a sede for branch operators, a region for regional
    /// ones, none for head office). Audited with the before/after values and the admin's note.
    pub async fn assign_operator(&self, caller: &Caller, user_id: i64, req: AssignOperator) -> AppResult<OperatorView> {
        let s = self.require_admin(caller)?;
        let mut errors = vec![];
        let field =
            |f: &str, c: &str, m: &str| shared::dto::FieldError { field: f.into(), code: c.into(), message: m.into() };
        if !req.role.is_operator() {
            errors.push(field("role", "not_operator", "Scegliere un ruolo da operatore."));
        }
        let note = req.note.trim();
        if note.chars().count() < 5 {
            errors.push(field("note", "too_short", "Indicare il motivo della modifica (almeno 5 caratteri)."));
        }
        let mut sede_id: Option<i64> = None;
        let mut regione: Option<String> = None;
        match req.role {
            Role::OperatoreSede => match req.sede_codice.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
                None => errors.push(field("sede_codice", "empty", "Scegliere la sede dell'operatore.")),
                Some(code) => {
                    let r = sqlx::query("SELECT id, regione FROM sedi WHERE codice = $1")
                        .bind(code)
                        .fetch_optional(&self.db.read)
                        .await?;
                    match r {
                        Some(r) => {
                            sede_id = Some(r.try_get("id")?);
                            regione = Some(r.try_get("regione")?);
                        }
                        None => errors.push(field("sede_codice", "unknown", "La sede indicata non esiste.")),
                    }
                }
            },
            Role::OperatoreRegionale => match req.regione.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
                None => errors.push(field("regione", "empty", "Scegliere la regione dell'operatore.")),
                Some(reg) => {
                    let n: i64 = sqlx::query("SELECT COUNT(*) FROM sedi WHERE regione = $1")
                        .bind(reg)
                        .fetch_one(&self.db.read)
                        .await?
                        .try_get(0)?;
                    if n == 0 {
                        errors.push(field("regione", "unknown", "Nessuna sede in questa regione."));
                    }
                    regione = Some(reg.to_string());
                }
            },
            _ => {}
        }
        if !errors.is_empty() {
            return Err(AppError::Validation(errors));
        }
        let mut tx = self.db.write.begin().await?;
        let before = sqlx::query(
            "SELECT u.id, u.username, u.display_name, u.role, s.codice AS sede_codice, u.regione, u.version
             FROM users u LEFT JOIN sedi s ON s.id = u.sede_id WHERE u.id = $1",
        )
        .bind(user_id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| AppError::NotFound("Utente non trovato.".into()))?;
        let before = operator_from_row(&before)?;
        if !(before.role.is_operator()) {
            return Err(AppError::Conflict(
                "L'utente non è un operatore INPS: il ruolo non può essere assegnato.".into(),
            ));
        }
        sqlx::query("UPDATE users SET role = $1, sede_id = $2, regione = $3, updated_at = $4, version = version + 1 WHERE id = $5")
            .bind(req.role.code())
            .bind(sede_id)
            .bind(regione.clone())
            .bind(clock::now_ts())
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        // A changed scope must apply at once: end the operator's open sessions.
        sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(user_id).execute(&mut *tx).await?;
        let after = OperatorView {
            role: req.role,
            sede_codice: req.sede_codice.filter(|_| req.role == Role::OperatoreSede),
            regione,
            version: before.version + 1,
            ..before.clone()
        };
        audit::append(
            &mut tx,
            &caller.actor(s),
            Entry {
                entity: "utente",
                entity_id: user_id.to_string(),
                action: "assegnazione_ruolo_operatore",
                before: serde_json::to_value(&before).ok(),
                after: serde_json::to_value(&after).ok(),
                note: Some(note.to_string()),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    pub async fn audit_recent(&self, caller: &Caller, limit: i64) -> AppResult<Vec<AuditRecordView>> {
        self.require_admin(caller)?;
        let rows = sqlx::query(&format!("SELECT {} FROM audit_log ORDER BY seq DESC LIMIT $1", audit::RECORD_COLUMNS))
            .bind(limit.clamp(1, 500))
            .fetch_all(&self.db.read)
            .await?;
        rows.iter().map(audit::record_view).collect()
    }
}

fn operator_from_row(r: &sqlx::any::AnyRow) -> AppResult<OperatorView> {
    let role: String = r.try_get("role")?;
    Ok(OperatorView {
        user_id: r.try_get("id")?,
        username: r.try_get("username")?,
        display_name: r.try_get("display_name")?,
        role: Role::from_code(&role).ok_or_else(|| AppError::Internal(format!("ruolo sconosciuto {role}")))?,
        sede_codice: r.try_get("sede_codice")?,
        regione: r.try_get("regione")?,
        version: r.try_get("version")?,
    })
}
