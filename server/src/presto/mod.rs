//! Prestazioni occasionali (art. 54-bis D.L. 50/2017): registrations, the electronic wallet and
//! its funding (F24 flow, pagoPA), the prestazioni with their checks under lock, revocation, the
//! monthly payment run, and the intranet portal's registry for operators.
//!
//! Who acts on a wallet: a Libretto Famiglia user or a professional (role `utilizzatore`) on its
//! own; a company's CPO through the same "acting for" rule as the Cassetto (legal representative,
//! or an intermediary or employee with a valid delega). Operators need the portal's own profile.

pub mod abbinamento;
pub mod anagrafica;
pub mod assistenza;
pub mod campioni;
pub mod categoria;
pub mod categoria_dg;
pub mod deleghe;
pub mod elenchi;
pub mod esame;
pub mod export;
pub mod f24;
pub mod pay_run;
pub mod portafoglio;
pub mod prestazioni;
pub mod registrazione;
pub mod rimborsi;
pub mod soggetti;

use crate::error::{AppError, AppResult};
use chrono::NaiveDate;
use shared::presto::{ParametriPresto, RigaParametro};
use sqlx::{AnyConnection, Row};

/// A field error of the service's forms and rules.
pub(crate) fn fe(field: &str, code: &str, message: impl Into<String>) -> shared::dto::FieldError {
    shared::dto::FieldError { field: field.into(), code: code.into(), message: message.into() }
}

/// The dated parameters of the service as of `giorno`.
pub(crate) async fn parametri(conn: &mut AnyConnection, giorno: NaiveDate) -> AppResult<ParametriPresto> {
    ParametriPresto::as_of(&righe_parametri(conn).await?, giorno).map_err(AppError::Internal)
}

/// Every row of the service's dated parameters, for checks that span many days.
pub(crate) async fn righe_parametri(conn: &mut AnyConnection) -> AppResult<Vec<RigaParametro>> {
    let rows = sqlx::query("SELECT nome, valido_dal, valore FROM parametri WHERE nome LIKE 'PO.%'")
        .fetch_all(&mut *conn)
        .await?;
    let mut righe = Vec::with_capacity(rows.len());
    for r in rows {
        let dal: String = r.try_get("valido_dal")?;
        righe.push(RigaParametro {
            nome: r.try_get("nome")?,
            valido_dal: crate::infra::clock::parse_date(&dal)
                .ok_or_else(|| AppError::Internal(format!("parametri: data {dal} non valida")))?,
            valore: r.try_get("valore")?,
        });
    }
    Ok(righe)
}
