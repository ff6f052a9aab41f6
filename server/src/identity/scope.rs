//! The operator's scope: an operator reads the contributors of its region (head office: all)
//! and acts (takes in charge, replies, closes, fixes) only within its own sede (regional
//! operators: their region; head office: everywhere). Every operator feature uses this rule.

use super::access::User;
use crate::error::{AppError, AppResult};
use crate::services::Services;
use shared::Role;
use sqlx::Row;

/// Where an operator works.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    Sede { sede_id: i64, regione: String },
    Regione(String),
    Nazionale,
}

pub fn scope(user: &User) -> AppResult<Scope> {
    let no_scope = || AppError::Forbidden("Il suo profilo operatore non ha una sede o una regione assegnata.".into());
    match user.role {
        Role::OperatoreSede => Ok(Scope::Sede {
            sede_id: user.sede_id.ok_or_else(no_scope)?,
            regione: user.regione.clone().ok_or_else(no_scope)?,
        }),
        Role::OperatoreRegionale => Ok(Scope::Regione(user.regione.clone().ok_or_else(no_scope)?)),
        Role::OperatoreDg => Ok(Scope::Nazionale),
        _ => Err(AppError::Forbidden("Il Fascicolo elettronico è riservato agli operatori INPS.".into())),
    }
}

impl Scope {
    /// The region whose subjects the operator reads (head office: none, it reads all): for
    /// filtering a list in SQL before the row-by-row checks.
    pub fn read_region(&self) -> Option<&str> {
        match self {
            Scope::Sede { regione, .. } | Scope::Regione(regione) => Some(regione),
            Scope::Nazionale => None,
        }
    }
    pub fn reads(&self, regione: &str) -> bool {
        match self {
            Scope::Sede { regione: r, .. } | Scope::Regione(r) => r == regione,
            Scope::Nazionale => true,
        }
    }
    pub fn acts(&self, sede_id: i64, regione: &str) -> bool {
        match self {
            Scope::Sede { sede_id: s, .. } => *s == sede_id,
            Scope::Regione(r) => r == regione,
            Scope::Nazionale => true,
        }
    }
}

pub struct Contributor {
    pub id: i64,
    pub ragione_sociale: String,
    pub sede_id: i64,
    pub regione: String,
}

impl Services {
    /// The contributor, if the operator may read it; and whether they may act on it. Outside the
    /// operator's region it is `not_found`, exactly like an id that does not exist: the reply
    /// says nothing of a subject the operator may not see, not even where it is managed.
    pub(crate) async fn contributor_in_scope(
        &self,
        user: &User,
        id: i64,
        not_found: &str,
    ) -> AppResult<(Contributor, bool)> {
        let sc = scope(user)?;
        let r = sqlx::query(
            "SELECT c.id, c.ragione_sociale, c.sede_id, s.regione FROM contribuenti c JOIN sedi s ON s.id = c.sede_id WHERE c.id = $1",
        )
        .bind(id)
        .fetch_optional(&self.db.read)
        .await?
        .ok_or_else(|| AppError::NotFound(not_found.into()))?;
        let c = Contributor {
            id: r.try_get("id")?,
            ragione_sociale: r.try_get("ragione_sociale")?,
            sede_id: r.try_get("sede_id")?,
            regione: r.try_get("regione")?,
        };
        if !sc.reads(&c.regione) {
            return Err(AppError::NotFound(not_found.into()));
        }
        let acts = sc.acts(c.sede_id, &c.regione);
        Ok((c, acts))
    }
}
