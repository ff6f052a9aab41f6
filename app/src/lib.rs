//! Sportello's pages. Rendered on the server (feature `ssr`) and hydrated in the browser
//! (feature `hydrate`, this crate compiled to WASM).

// Release builds (no `erase_components`) compute the layout of every page's nested view type; the
// two-way request's detail goes past the default depth of 128.
#![recursion_limit = "256"]

#[cfg(feature = "ssr")]
pub mod backend;
pub mod components;
#[cfg(feature = "ssr")]
pub mod ctx;
pub mod error;
mod idratazione;
pub mod pages;
mod pagine;

use leptos::prelude::*;
use leptos_meta::{MetaTags, Stylesheet, Title, provide_meta_context};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{Lazy, SsrMode, path};

use idratazione::Idratazione;

/// The HTML document around the app. On the server it also sets the Content-Security-Policy,
/// whose nonce is the one leptos puts on its hydration scripts.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    set_document_headers();
    // For the areas' `PacchettoIsole` (idratazione.rs).
    provide_context(options.clone());
    view! {
        <!DOCTYPE html>
        <html lang="it">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <AutoReload options=options.clone() />
                <Idratazione options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

#[cfg(feature = "ssr")]
fn set_document_headers() {
    use http::{HeaderValue, header};
    let (Some(nonce), Some(resp)) = (leptos::nonce::use_nonce(), use_context::<leptos_axum::ResponseOptions>()) else {
        return;
    };
    let csp = format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; \
         font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    );
    if let Ok(v) = HeaderValue::from_str(&csp) {
        resp.insert_header(header::CONTENT_SECURITY_POLICY, v);
    }
    // Pages show personal data: never store them in shared caches.
    resp.insert_header(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let session = Resource::new(|| (), |_| pages::identity::api::current_session());
    provide_context(pages::identity::header::SessionResource(session));
    view! {
        <Stylesheet id="leptos" href="/pkg/sportello.css" />
        <Title formatter=|t: String| if t.is_empty() { "Sportello INPS".to_string() } else { format!("{t} – Sportello INPS") } />
        <Router>
            <a class="skip-link" href="#contenuto">"Vai al contenuto principale"</a>
            <pages::identity::header::Header />
            <main id="contenuto" class="container" tabindex="-1">
                <Routes fallback=pages::not_found::NotFound>
                    <Route path=path!("/") view={Lazy::<pagine::HomePage>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/accedi") view={Lazy::<pagine::LoginPage>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/soggetti") view={Lazy::<pagine::SubjectsPage>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/amministrazione/operatori") view={Lazy::<pagine::OperatorsPage>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/amministrazione/smart-task") view={Lazy::<pagine::AttivazioniPage>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/direzione/simulazioni") view={Lazy::<pagine::SimulazionePage>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/richieste") view={Lazy::<pagine::RequestsPage>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/richieste/nuova") view={Lazy::<pagine::NewRequestPage>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/richieste/comunicazione") view={Lazy::<pagine::NewTwoWayPage>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/richiesta/:protocollo") view={Lazy::<pagine::RequestDetailPage>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/notifiche") view={Lazy::<pagine::NotificationsPage>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/posta") view={Lazy::<pagine::MailboxPage>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/token") view={Lazy::<pagine::TokensPage>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/fascicolo") view={Lazy::<pagine::SearchPage>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/fascicolo/:id") view={Lazy::<pagine::FascicoloPage>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/fascicolo/richiesta/:protocollo") view={Lazy::<pagine::OperatorRequestPage>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/coda") view={Lazy::<pagine::QueuePage>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/presto") view={Lazy::<pagine::WalletPage>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/presto/registrazione") view={Lazy::<pagine::RegistrationPage>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/presto/prestatore") view={Lazy::<pagine::PrestatorePage>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/presto/operatore") view={Lazy::<pagine::OperatorSearchPage>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/presto/operatore/f24") view={Lazy::<pagine::F24Page>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/presto/operatore/versamenti") view={Lazy::<pagine::VersamentiPage>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/presto/operatore/categorie") view={Lazy::<pagine::CambiCategoriaPage>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/presto/operatore/deleghe") view={Lazy::<pagine::DeleghePage>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/presto/operatore/liste") view={Lazy::<pagine::ListePage>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/presto/operatore/rimborsi") view={Lazy::<pagine::RimborsiSedePage>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/presto/rimborsi") view={Lazy::<pagine::RimborsiPage>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/presto/operatore/campioni/:id") view={Lazy::<pagine::CampionePage>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/presto/operatore/utilizzatore/:id/categoria") view={Lazy::<pagine::CategoriaPage>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/presto/operatore/:tipo/:id") view={Lazy::<pagine::SchedaPage>::new()} ssr=SsrMode::Async />
                </Routes>
            </main>
            <components::layout::Footer />
        </Router>
    }
}

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}
