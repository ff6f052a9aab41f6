//! Server function of the home page.

#[cfg(feature = "ssr")]
use crate::ctx;
use crate::error::UiError;
use leptos::prelude::*;
use shared::dto::*;

#[server(prefix = "/sf", endpoint = "home")]
pub async fn load_home() -> Result<HomeData, UiError> {
    let (b, req) = ctx::backend()?;
    b.home(&req).await
}
