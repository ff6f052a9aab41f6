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

/// Answers only whether it went through: the login form then loads the home page, which reads
/// the session (and the browser's WASM carries no reading of it).
#[server(prefix = "/sf", endpoint = "login")]
pub async fn login(username: String, password: String) -> Result<(), UiError> {
    let (b, req) = ctx::backend::<dyn IdentityBackend>()?;
    let done = b.login(&req, username, password).await?;
    ctx::set_cookie(&done.set_cookie);
    Ok(())
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

/// A token as its list shows it, the dates already in Italian: formatted on the server, so that
/// the browser's WASM carries no calendar.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct RigaToken {
    pub id: i64,
    pub nome: String,
    pub prefisso: String,
    pub creato_il: String,
    pub ultimo_uso: Option<String>,
    pub revocato_il: Option<String>,
}

#[cfg(feature = "ssr")]
impl From<ApiTokenView> for RigaToken {
    fn from(t: ApiTokenView) -> Self {
        use shared::time::format_it_datetime as it;
        RigaToken {
            id: t.id,
            nome: t.nome,
            prefisso: t.prefisso,
            creato_il: it(&t.creato_il),
            ultimo_uso: t.ultimo_uso.as_deref().map(it),
            revocato_il: t.revocato_il.as_deref().map(it),
        }
    }
}

#[server(prefix = "/sf", endpoint = "token_list")]
pub async fn token_list() -> Result<Vec<RigaToken>, UiError> {
    let (b, req) = ctx::backend::<dyn IdentityBackend>()?;
    Ok(b.api_tokens(&req).await?.into_iter().map(RigaToken::from).collect())
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
