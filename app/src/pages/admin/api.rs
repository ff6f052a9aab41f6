//! Server functions of the profiling administrator.

use crate::error::UiError;
use leptos::prelude::*;
use shared::dto::*;
#[cfg(feature = "ssr")]
use {super::backend::AdminBackend, crate::ctx};

#[server(prefix = "/sf", endpoint = "operators")]
pub async fn operators() -> Result<(Vec<OperatorView>, Vec<SedeView>), UiError> {
    let (b, req) = ctx::backend::<dyn AdminBackend>()?;
    Ok((b.operators(&req).await?, b.sedi(&req).await?))
}

#[server(prefix = "/sf", endpoint = "assign_operator")]
pub async fn assign_operator(
    user_id: i64,
    role: String,
    sede_codice: Option<String>,
    regione: Option<String>,
    note: String,
    /// The checkbox: present ("on") when ticked.
    #[server(default)]
    profilo_presto: Option<String>,
) -> Result<OperatorView, UiError> {
    let (b, req) = ctx::backend::<dyn AdminBackend>()?;
    let role = shared::Role::from_code(&role).ok_or_else(|| {
        UiError::field(FieldError {
            field: "role".into(),
            code: "unknown".into(),
            message: "Scegliere un ruolo.".into(),
        })
    })?;
    b.assign_operator(
        &req,
        user_id,
        shared::dto::AssignOperator {
            role,
            sede_codice,
            regione,
            note,
            profilo_presto: Some(profilo_presto.is_some()),
            expected_version: None,
        },
    )
    .await
}
