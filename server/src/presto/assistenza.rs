//! Support requests of prestazioni occasionali users (Msg. INPS 1099/2018: the intranet portal
//! lets the sede answer its users). A person writes with the Cassetto's two-way requests, on the
//! prestazioni occasionali objects; the request goes to the sede of its registration.

use crate::error::{AppError, AppResult};
use crate::identity::access::User;
use crate::services::Services;
use shared::Role;
use sqlx::Row;

impl Services {
    /// The sede a person's support request goes to: its Libretto Famiglia registration's, or its
    /// prestatore registration's.
    pub(crate) async fn sede_assistenza_presto(&self, user: &User) -> AppResult<i64> {
        let persona =
            user.persona_id.ok_or_else(|| AppError::Forbidden("Il profilo non è collegato a una persona.".into()))?;
        let sql = match user.role {
            Role::Utilizzatore => "SELECT sede_id FROM utilizzatori WHERE persona_id = $1 AND strumento = 'lf'",
            Role::Prestatore => "SELECT sede_id FROM prestatori WHERE persona_id = $1",
            _ => return Err(AppError::Forbidden("Il suo profilo scrive alla sede per conto di un'azienda.".into())),
        };
        match sqlx::query(sql).bind(persona).fetch_optional(&self.db.read).await? {
            Some(r) => Ok(r.try_get(0)?),
            None => Err(AppError::Conflict(
                "Per scrivere alla sede occorre essere registrati alle prestazioni occasionali: completi prima la \
                 registrazione dalla pagina Prestazioni occasionali."
                    .into(),
            )),
        }
    }
}
