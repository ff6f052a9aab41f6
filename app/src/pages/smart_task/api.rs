//! Server functions of Smart-Task: the kinds, their targets, the submission.

use crate::error::UiError;
use leptos::prelude::*;
use shared::dto::*;
#[cfg(feature = "ssr")]
use {super::backend::SmartTaskBackend, crate::ctx};

#[server(prefix = "/sf", endpoint = "st_kinds")]
pub async fn st_kinds() -> Result<Vec<KindView>, UiError> {
    let (b, req) = ctx::backend::<dyn SmartTaskBackend>()?;
    b.smart_task_kinds(&req).await
}

#[server(prefix = "/sf", endpoint = "st_targets")]
pub async fn st_targets(tipo: String) -> Result<Vec<TargetView>, UiError> {
    let (b, req) = ctx::backend::<dyn SmartTaskBackend>()?;
    b.smart_task_targets(&req, tipo).await
}

/// Submits the answers confirmed on the check-answers page. The idempotency key comes from the
/// page, so a double tap or a retry after a network error creates one request. The answers are
/// the form's own fields, posted flat (what a plain HTML form can post) along with whatever
/// else the form carries: only the names the kind asks for reach the server, which refuses any
/// other.
#[server(prefix = "/sf", endpoint = "st_submit")]
pub async fn st_submit(
    tipo: String,
    oggetto: String,
    chiave: String,
    #[server(flatten)] risposte: shared::smart_task::Answers,
) -> Result<RequestView, UiError> {
    let (b, req) = ctx::backend::<dyn SmartTaskBackend>()?;
    let risposte = match shared::smart_task::Kind::from_code(&tipo) {
        Some(kind) => shared::smart_task::answers_of(kind, &risposte),
        None => risposte,
    };
    let view = b.submit_smart_task(&req, SubmitRequest { tipo, soggetto_id: None, oggetto, risposte }, chiave).await?;
    // Without JavaScript the browser posted a plain form: send it to the request's page.
    ctx::redirect_form_post(&format!("/richiesta/{}", view.protocollo));
    Ok(view)
}

#[server(prefix = "/sf", endpoint = "st_attivazioni")]
pub async fn st_attivazioni() -> Result<Vec<AttivazioneView>, UiError> {
    let (b, req) = ctx::backend::<dyn SmartTaskBackend>()?;
    b.attivazioni(&req).await
}

#[server(prefix = "/sf", endpoint = "st_imposta_attivazione")]
pub async fn st_imposta_attivazione(
    tipo: String,
    attivo_dal: Option<String>,
    nota: String,
    version: i64,
) -> Result<AttivazioneView, UiError> {
    let (b, req) = ctx::backend::<dyn SmartTaskBackend>()?;
    b.imposta_attivazione(&req, tipo, ImpostaAttivazione { attivo_dal, nota, version }).await
}

#[server(prefix = "/sf", endpoint = "st_parametri")]
pub async fn st_parametri() -> Result<Vec<shared::smart_task::simulazione::ParametroView>, UiError> {
    let (b, req) = ctx::backend::<dyn SmartTaskBackend>()?;
    b.parametri(&req).await
}

#[server(prefix = "/sf", endpoint = "st_simula")]
pub async fn st_simula(
    tipo: Option<String>,
    dal: String,
    al: String,
    parametro: String,
    valore: String,
    valido_dal: String,
) -> Result<shared::smart_task::simulazione::EsitoSimulazione, UiError> {
    let (b, req) = ctx::backend::<dyn SmartTaskBackend>()?;
    let r = shared::smart_task::simulazione::RichiestaSimulazione { tipo, dal, al, parametro, valore, valido_dal };
    b.simula(&req, r).await
}
