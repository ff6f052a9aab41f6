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
pub mod pages;

use leptos::prelude::*;
use leptos_meta::{MetaTags, Stylesheet, Title, provide_meta_context};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{SsrMode, path};

/// The HTML document around the app. On the server it also sets the Content-Security-Policy,
/// whose nonce is the one leptos puts on its hydration scripts.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    set_document_headers();
    view! {
        <!DOCTYPE html>
        <html lang="it">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <AutoReload options=options.clone() />
                <HydrationScripts options />
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
    // Effects run only in the browser, after hydration: a marker tests (and scripts) can wait for.
    Effect::new(|_| {
        #[cfg(feature = "hydrate")]
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "1");
        }
    });
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
                    <Route path=path!("/") view=pages::home::page::HomePage ssr=SsrMode::Async />
                    <Route path=path!("/accedi") view=pages::identity::login::LoginPage ssr=SsrMode::Async />
                    <Route path=path!("/soggetti") view=pages::identity::subjects::SubjectsPage ssr=SsrMode::Async />
                    <Route path=path!("/amministrazione/operatori") view=pages::admin::operators::OperatorsPage ssr=SsrMode::Async />
                    <Route path=path!("/amministrazione/smart-task") view=pages::smart_task::attivazioni::AttivazioniPage ssr=SsrMode::Async />
                    <Route path=path!("/direzione/simulazioni") view=pages::smart_task::simulazione::SimulazionePage ssr=SsrMode::Async />
                    <Route path=path!("/richieste") view=pages::richieste::list::RequestsPage ssr=SsrMode::Async />
                    <Route path=path!("/richieste/nuova") view=pages::smart_task::wizard::NewRequestPage ssr=SsrMode::Async />
                    <Route path=path!("/richieste/comunicazione") view=pages::comunicazioni::new::NewTwoWayPage ssr=SsrMode::Async />
                    <Route path=path!("/richiesta/:protocollo") view=pages::richieste::detail::RequestDetailPage ssr=SsrMode::Async />
                    <Route path=path!("/notifiche") view=pages::richieste::notifications::NotificationsPage ssr=SsrMode::Async />
                    <Route path=path!("/posta") view=pages::richieste::notifications::MailboxPage ssr=SsrMode::Async />
                    <Route path=path!("/token") view=pages::identity::tokens::TokensPage ssr=SsrMode::Async />
                    <Route path=path!("/fascicolo") view=pages::fascicolo::search::SearchPage ssr=SsrMode::Async />
                    <Route path=path!("/fascicolo/:id") view=pages::fascicolo::file::FascicoloPage ssr=SsrMode::Async />
                    <Route path=path!("/fascicolo/richiesta/:protocollo") view=pages::fascicolo::request::OperatorRequestPage ssr=SsrMode::Async />
                    <Route path=path!("/coda") view=pages::fascicolo::queue::QueuePage ssr=SsrMode::Async />
                    <Route path=path!("/presto") view=pages::presto::portafoglio::WalletPage ssr=SsrMode::Async />
                    <Route path=path!("/presto/registrazione") view=pages::presto::registrazione::RegistrationPage ssr=SsrMode::Async />
                    <Route path=path!("/presto/prestatore") view=pages::presto::prestatore::PrestatorePage ssr=SsrMode::Async />
                    <Route path=path!("/presto/operatore") view=pages::presto::operatore::OperatorSearchPage ssr=SsrMode::Async />
                    <Route path=path!("/presto/operatore/f24") view=pages::presto::f24::F24Page ssr=SsrMode::Async />
                    <Route path=path!("/presto/operatore/versamenti") view=pages::presto::abbinamenti::VersamentiPage ssr=SsrMode::Async />
                    <Route path=path!("/presto/operatore/categorie") view=pages::presto::categoria::CambiCategoriaPage ssr=SsrMode::Async />
                    <Route path=path!("/presto/operatore/deleghe") view=pages::presto::deleghe::DeleghePage ssr=SsrMode::Async />
                    <Route path=path!("/presto/operatore/liste") view=pages::presto::liste::ListePage ssr=SsrMode::Async />
                    <Route path=path!("/presto/operatore/rimborsi") view=pages::presto::rimborsi::RimborsiSedePage ssr=SsrMode::Async />
                    <Route path=path!("/presto/rimborsi") view=pages::presto::rimborsi::RimborsiPage ssr=SsrMode::Async />
                    <Route path=path!("/presto/operatore/campioni/:id") view=pages::presto::campione::CampionePage ssr=SsrMode::Async />
                    <Route path=path!("/presto/operatore/utilizzatore/:id/categoria") view=pages::presto::categoria::CategoriaPage ssr=SsrMode::Async />
                    <Route path=path!("/presto/operatore/:tipo/:id") view=pages::presto::scheda::SchedaPage ssr=SsrMode::Async />
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
    leptos::mount::hydrate_body(App);
}
