use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(resp) = use_context::<leptos_axum::ResponseOptions>() {
        resp.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text="Pagina non trovata" />
        <h1>"Pagina non trovata"</h1>
        <p>"L'indirizzo richiesto non esiste. Se lo ha digitato, controlli che sia scritto correttamente."</p>
        <p><a href="/">"Torna alla pagina iniziale"</a></p>
    }
}
