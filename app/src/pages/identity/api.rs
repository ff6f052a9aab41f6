//! Server functions of identity: session, log in and out, acting for a subject, API tokens.

use crate::error::UiError;
use leptos::prelude::*;
use shared::dto::*;
#[cfg(feature = "ssr")]
use {super::backend::IdentityBackend, crate::ctx};

#[server(prefix = "/sf", endpoint = "session")]
pub async fn current_session() -> Result<Option<SessionView>, UiError> {
    let (b, req) = ctx::backend::<dyn IdentityBackend>()?;
    b.session(&req).await
}

#[server(prefix = "/sf", endpoint = "login")]
pub async fn login(username: String, password: String) -> Result<SessionView, UiError> {
    let (b, req) = ctx::backend::<dyn IdentityBackend>()?;
    let done = b.login(&req, username, password).await?;
    ctx::set_cookie(&done.set_cookie);
    Ok(done.session)
}

#[server(prefix = "/sf", endpoint = "logout")]
pub async fn logout() -> Result<(), UiError> {
    let (b, req) = ctx::backend::<dyn IdentityBackend>()?;
    let clear = b.logout(&req).await?;
    ctx::set_cookie(&clear);
    ctx::redirect_form_post("/accedi");
    Ok(())
}

#[server(prefix = "/sf", endpoint = "subjects")]
pub async fn subjects() -> Result<Vec<SubjectSummary>, UiError> {
    let (b, req) = ctx::backend::<dyn IdentityBackend>()?;
    b.subjects(&req).await
}

#[server(prefix = "/sf", endpoint = "act_for")]
pub async fn act_for(subject_id: i64) -> Result<SubjectSummary, UiError> {
    let (b, req) = ctx::backend::<dyn IdentityBackend>()?;
    let subject = b.act_for(&req, subject_id).await?;
    // A plain form post (no JavaScript yet) goes to the Cassetto of the chosen company.
    ctx::redirect_form_post("/");
    Ok(subject)
}

#[server(prefix = "/sf", endpoint = "token_list")]
pub async fn token_list() -> Result<Vec<ApiTokenView>, UiError> {
    let (b, req) = ctx::backend::<dyn IdentityBackend>()?;
    b.api_tokens(&req).await
}

/// No redirect for a plain form post: the answer carries the token, shown only this once.
#[server(prefix = "/sf", endpoint = "token_create")]
pub async fn token_create(nome: String) -> Result<NewApiToken, UiError> {
    let (b, req) = ctx::backend::<dyn IdentityBackend>()?;
    b.create_api_token(&req, nome).await
}

#[server(prefix = "/sf", endpoint = "token_revoke")]
pub async fn token_revoke(id: i64) -> Result<ApiTokenView, UiError> {
    let (b, req) = ctx::backend::<dyn IdentityBackend>()?;
    let v = b.revoke_api_token(&req, id).await?;
    ctx::redirect_form_post("/token");
    Ok(v)
}
