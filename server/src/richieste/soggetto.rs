//! Whose a request is: a contribuente (the Cassetto's companies, CPO users among them) or a
//! person (a Libretto Famiglia user or a prestatore, who writes to the sede of its registration).
//! Requests, their notifications and e-mails name one or the other, never both.

use crate::error::{AppError, AppResult};
use crate::identity::Caller;
use crate::identity::access::{self, User};
use crate::identity::scope::scope;
use crate::services::Services;
use shared::dto::SchedaPrestoRef;
use sqlx::Row;
use sqlx::any::AnyRow;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Soggetto {
    Contribuente(i64),
    Persona(i64),
}

impl Soggetto {
    /// The column of `richieste`, `notifiche` and `email_outbox` that names it.
    pub fn colonna(self) -> &'static str {
        match self {
            Soggetto::Contribuente(_) => "contribuente_id",
            Soggetto::Persona(_) => "persona_id",
        }
    }

    pub fn id(self) -> i64 {
        match self {
            Soggetto::Contribuente(id) | Soggetto::Persona(id) => id,
        }
    }

    pub fn contribuente(self) -> Option<i64> {
        match self {
            Soggetto::Contribuente(id) => Some(id),
            Soggetto::Persona(_) => None,
        }
    }

    /// The subject of a stored request or notification row.
    pub fn of_row(r: &AnyRow) -> AppResult<Soggetto> {
        match (r.try_get::<Option<i64>, _>("contribuente_id")?, r.try_get::<Option<i64>, _>("persona_id")?) {
            (Some(c), None) => Ok(Soggetto::Contribuente(c)),
            (None, Some(p)) => Ok(Soggetto::Persona(p)),
            _ => Err(AppError::Internal("richiesta senza un unico soggetto".into())),
        }
    }
}

/// Where a subject is managed, and what the operator may do there.
pub struct InAmbito {
    pub soggetto: Soggetto,
    /// The company's name or the person's surname and name.
    pub denominazione: String,
    /// The operator may work the request (its sede; DG anywhere), not only read it.
    pub puo_agire: bool,
}

impl Services {
    /// The subject of the caller's requests: its own person (prestazioni occasionali users), or
    /// the company given or acted for, checked today like every Cassetto call.
    pub(crate) async fn request_subject(&self, caller: &Caller, soggetto_id: Option<i64>) -> AppResult<Soggetto> {
        let s = caller.require()?;
        if s.user.role.writes_as_person() {
            if soggetto_id.is_some() {
                return Err(AppError::Forbidden(
                    "Il suo profilo consulta solo le proprie richieste: non indichi un soggetto.".into(),
                ));
            }
            let p = s
                .user
                .persona_id
                .ok_or_else(|| AppError::Forbidden("Il profilo non è collegato a una persona.".into()))?;
            return Ok(Soggetto::Persona(p));
        }
        Ok(Soggetto::Contribuente(self.subject(caller, soggetto_id).await?.id))
    }

    /// The check for a request found by its protocol: the person's own, or a company the caller
    /// may act for today; anything else is `not_found`, exactly like a protocol that does not exist.
    pub(crate) async fn authorize_request_subject(
        &self,
        user: &User,
        soggetto: Soggetto,
        not_found: &str,
    ) -> AppResult<()> {
        match soggetto {
            Soggetto::Contribuente(id) => {
                access::authorize_subject_of(&self.db.read, user, id, self.clock.today(), not_found).await.map(|_| ())
            }
            Soggetto::Persona(p) if user.role.writes_as_person() && user.persona_id == Some(p) => Ok(()),
            Soggetto::Persona(_) if user.role.writes_as_person() || user.role.acts_for_company() => {
                Err(AppError::NotFound(not_found.into()))
            }
            Soggetto::Persona(_) => Err(AppError::Forbidden(
                "Il suo profilo non consulta le richieste dei contribuenti da questa pagina.".into(),
            )),
        }
    }

    /// The subject of a stored request as an operator reaches it: outside the operator's region
    /// it is `not_found` (nothing about it shows, not even its name).
    pub(crate) async fn request_in_scope(&self, user: &User, row: &AnyRow, not_found: &str) -> AppResult<InAmbito> {
        let soggetto = Soggetto::of_row(row)?;
        match soggetto {
            Soggetto::Contribuente(id) => {
                let (c, puo_agire) = self.contributor_in_scope(user, id, not_found).await?;
                Ok(InAmbito { soggetto, denominazione: c.ragione_sociale, puo_agire })
            }
            Soggetto::Persona(p) => {
                let sc = scope(user)?;
                let sede_id: i64 = row
                    .try_get::<Option<i64>, _>("sede_id")?
                    .ok_or_else(|| AppError::Internal("richiesta di una persona senza sede di destinazione".into()))?;
                let r = sqlx::query(
                    "SELECT p.cognome || ' ' || p.nome AS denominazione, s.regione
                     FROM persone p, sedi s WHERE p.id = $1 AND s.id = $2",
                )
                .bind(p)
                .bind(sede_id)
                .fetch_optional(&self.db.read)
                .await?
                .ok_or_else(|| AppError::NotFound(not_found.into()))?;
                let regione: String = r.try_get("regione")?;
                if !sc.reads(&regione) {
                    return Err(AppError::NotFound(not_found.into()));
                }
                Ok(InAmbito {
                    soggetto,
                    denominazione: r.try_get("denominazione")?,
                    puo_agire: sc.acts(sede_id, &regione),
                })
            }
        }
    }

    /// The subject's prestazioni occasionali records, for the operator's links.
    pub(crate) async fn schede_presto(&self, soggetto: Soggetto) -> AppResult<Vec<SchedaPrestoRef>> {
        let mut out = vec![];
        let (cond, id) = match soggetto {
            Soggetto::Contribuente(id) => ("contribuente_id = $1", id),
            Soggetto::Persona(id) => ("persona_id = $1", id),
        };
        for r in sqlx::query(&format!("SELECT id, strumento FROM utilizzatori WHERE {cond} ORDER BY id"))
            .bind(id)
            .fetch_all(&self.db.read)
            .await?
        {
            let strumento: String = r.try_get("strumento")?;
            let descrizione = shared::presto::Strumento::from_code(&strumento)
                .map(|s| format!("Utilizzatore {}", s.label()))
                .unwrap_or_else(|| "Utilizzatore".into());
            out.push(SchedaPrestoRef { prestatore: false, id: r.try_get("id")?, descrizione });
        }
        if let Soggetto::Persona(p) = soggetto
            && let Some(r) = sqlx::query("SELECT id FROM prestatori WHERE persona_id = $1")
                .bind(p)
                .fetch_optional(&self.db.read)
                .await?
        {
            out.push(SchedaPrestoRef { prestatore: true, id: r.try_get("id")?, descrizione: "Prestatore".into() });
        }
        Ok(out)
    }
}
