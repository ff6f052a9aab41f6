//! Server functions of two-way requests.

#[cfg(feature = "ssr")]
use super::upload;
use crate::components::forms::Fatto;
use crate::error::UiError;
use leptos::prelude::*;
use leptos::server_fn::codec::{MultipartData, MultipartFormData};
#[cfg(feature = "ssr")]
use {super::backend::ComunicazioniBackend, crate::ctx};

/// A two-way request from the page, as multipart (the files are sent as they are, not in
/// base64). The upload is read field by field; a file is read at most one byte past the limit
/// and the whole body is bounded by the server's middleware for this path.
#[server(prefix = "/sf", endpoint = "cb_invio", input = MultipartFormData)]
pub async fn cb_invio(data: MultipartData) -> Result<Fatto, UiError> {
    let (b, req) = ctx::backend::<dyn ComunicazioniBackend>()?;
    let (body, files) = upload::read(data).await?;
    let view = b.submit_two_way(&req, body, files).await?;
    Ok(Fatto::vai(format!("/richiesta/{}", view.protocollo)))
}

#[server(prefix = "/sf", endpoint = "cb_messaggio")]
pub async fn cb_messaggio(protocollo: String, testo: String) -> Result<Fatto, UiError> {
    let (b, req) = ctx::backend::<dyn ComunicazioniBackend>()?;
    let view = b.add_message(&req, protocollo, testo).await?;
    Ok(Fatto::vai(format!("/richiesta/{}", view.protocollo)))
}
