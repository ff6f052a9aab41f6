//! The profiling administrator (IDM): operators, their role and sede; the audit trail.

use crate::error::{AppError, AppResult};
use crate::identity::Caller;
use crate::identity::auth::Session;
use crate::infra::audit::{self, Entry};
use crate::infra::clock;
use crate::services::Services;
use shared::Role;
use shared::dto::{AssignOperator, AuditRecordView, OperatorView, SedeView};
use sqlx::Row;

const OPERATORI: &str = "gestire gli operatori";

impl Services {
    /// The head office's administrator, or a refusal saying what only it may do (`what`: "gestire
    /// gli operatori").
    pub(crate) fn require_admin<'a>(&self, caller: &'a Caller, what: &str) -> AppResult<&'a Session> {
        let s = caller.require()?;
        if s.user.role != Role::AmministratoreProfili {
            return Err(AppError::Forbidden(format!("Solo l'amministratore della profilazione (IDM) può {what}.")));
        }
        Ok(s)
    }

    pub async fn operators(&self, caller: &Caller) -> AppResult<Vec<OperatorView>> {
        self.require_admin(caller, OPERATORI)?;
        let rows = sqlx::query(
            "SELECT u.id, u.username, u.display_name, u.role, s.codice AS sede_codice, u.regione, u.profilo_presto, u.version
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
        let s = self.require_admin(caller, OPERATORI)?;
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
            "SELECT u.id, u.username, u.display_name, u.role, s.codice AS sede_codice, u.regione, u.profilo_presto, u.version
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
        let stale = || {
            AppError::Conflict(
                "Il profilo è stato modificato da un altro amministratore dopo che lo ha aperto: ricaricare la pagina e ripetere la modifica.".into(),
            )
        };
        if req.expected_version.is_some_and(|v| v != before.version) {
            return Err(stale());
        }
        let profilo_presto = req.profilo_presto.unwrap_or(before.profilo_presto);
        // The version read is a condition of the write: a concurrent change makes it touch nothing.
        let changed = sqlx::query("UPDATE users SET role = $1, sede_id = $2, regione = $3, profilo_presto = $4, updated_at = $5, version = version + 1 WHERE id = $6 AND version = $7")
            .bind(req.role.code())
            .bind(sede_id)
            .bind(regione.clone())
            .bind(i64::from(profilo_presto))
            .bind(clock::now_ts())
            .bind(user_id)
            .bind(before.version)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if changed != 1 {
            return Err(stale());
        }
        // A changed scope must apply at once: end the operator's open sessions.
        sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(user_id).execute(&mut *tx).await?;
        let after = OperatorView {
            role: req.role,
            sede_codice: req.sede_codice.filter(|_| req.role == Role::OperatoreSede),
            regione,
            profilo_presto,
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
        self.require_admin(caller, OPERATORI)?;
        if !(1..=500).contains(&limit) {
            return Err(AppError::field("limit", "Il limite deve essere tra 1 e 500.", "range"));
        }
        let rows = sqlx::query(&format!("SELECT {} FROM audit_log ORDER BY seq DESC LIMIT $1", audit::RECORD_COLUMNS))
            .bind(limit)
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
        profilo_presto: r.try_get::<i64, _>("profilo_presto")? == 1,
        version: r.try_get("version")?,
    })
}
