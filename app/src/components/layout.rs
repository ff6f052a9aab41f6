//! The frame of every page: full-page navigation and the footer.

use leptos::prelude::*;

/// The route's numeric `:id`, read once; 0, which names nothing, when it is not a number, so the
/// page answers "not found" as for any id the caller may not see.
pub fn id_della_rotta() -> i64 {
    leptos_router::hooks::use_params_map()
        .with_untracked(|p| p.get("id").and_then(|i| i.parse::<i64>().ok()).unwrap_or(0))
}

/// A full page load to `path`: after login, logout or a change of subject every part of the page
/// (header included) must be rendered again from the server for the new identity.
pub fn go(path: &str) {
    #[cfg(feature = "hydrate")]
    {
        let _ = window().location().set_href(path);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = path;
}

/// The current page loaded again from the server, e.g. after a form in an island changed what
/// the rest of the page (rendered by the server) shows.
pub fn reload() {
    #[cfg(feature = "hydrate")]
    {
        let _ = window().location().reload();
    }
}

#[component]
pub fn Footer() -> impl IntoView {
    view! {
        <footer class="site-footer">
            <div class="container">
                <p>"Sportello – implementazione aperta dei servizi INPS Cassetto previdenziale (Smart-Task) e prestazioni occasionali."</p>
                <p>"Dati dimostrativi: nessun dato reale."</p>
            </div>
        </footer>
    }
}
