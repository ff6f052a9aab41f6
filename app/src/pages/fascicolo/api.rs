//! Server functions of the operator's Fascicolo and the branch queue.

use crate::components::forms::Fatto;
use crate::error::UiError;
use leptos::prelude::*;
use shared::dto::*;
#[cfg(feature = "ssr")]
use {super::backend::FascicoloBackend, crate::ctx};

#[server(prefix = "/sf", endpoint = "fasc_search")]
pub async fn fasc_search(q: String) -> Result<Vec<ContributorHit>, UiError> {
    let (b, req) = ctx::backend::<dyn FascicoloBackend>()?;
    b.search_contributors(&req, q).await
}

#[server(prefix = "/sf", endpoint = "fasc_get")]
pub async fn fasc_get(
    id: i64,
    stato: Option<String>,
    tipo: Option<String>,
    matricola: Option<String>,
    dal: Option<String>,
    al: Option<String>,
    pagina: Option<u32>,
) -> Result<FascicoloView, UiError> {
    let (b, req) = ctx::backend::<dyn FascicoloBackend>()?;
    b.fascicolo(&req, id, shared::dto::RequestFilter { stato, tipo, matricola, dal, al, pagina }).await
}

#[server(prefix = "/sf", endpoint = "fasc_request")]
pub async fn fasc_request(protocollo: String) -> Result<OperatorRequestView, UiError> {
    let (b, req) = ctx::backend::<dyn FascicoloBackend>()?;
    b.operator_request(&req, protocollo).await
}

#[server(prefix = "/sf", endpoint = "fasc_replay")]
pub async fn fasc_replay(protocollo: String) -> Result<ReplayView, UiError> {
    let (b, req) = ctx::backend::<dyn FascicoloBackend>()?;
    b.replay(&req, protocollo).await
}

#[server(prefix = "/sf", endpoint = "coda")]
pub async fn coda() -> Result<Vec<QueueItem>, UiError> {
    let (b, req) = ctx::backend::<dyn FascicoloBackend>()?;
    b.branch_queue(&req).await
}

#[server(prefix = "/sf", endpoint = "fasc_action")]
pub async fn fasc_action(
    protocollo: String,
    azione: String,
    testo: Option<String>,
    version: Option<i64>,
) -> Result<Fatto, UiError> {
    let (b, req) = ctx::backend::<dyn FascicoloBackend>()?;
    let action = BranchAction::from_form(&azione, testo.unwrap_or_default()).map_err(UiError::field)?;
    b.branch_action(&req, protocollo.clone(), action, version).await?;
    Ok(Fatto::vai(format!("/fascicolo/richiesta/{protocollo}")))
}
