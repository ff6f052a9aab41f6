//! Server function of the home page.

use crate::error::UiError;
use leptos::prelude::*;
use shared::dto::*;
#[cfg(feature = "ssr")]
use {super::backend::HomeBackend, crate::ctx};

#[server(prefix = "/sf", endpoint = "home")]
pub async fn load_home() -> Result<HomeData, UiError> {
    let (b, req) = ctx::backend::<dyn HomeBackend>()?;
    b.home(&req).await
}
