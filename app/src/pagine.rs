//! The pages, grouped in seven areas (ingresso, cassetto, libretto, sede, portale, pagamenti,
//! direzione). The app runs in leptos' islands mode: a page is rendered on the server only, and
//! the browser's WASM holds just the interactive parts (`#[island]`). Each area loads its own
//! bundle of islands (idratazione.rs), so a contributor's phone never downloads the operators'
//! islands.
//!
//! For the same reason a page's `<Suspense>` or `<Transition>` holds its `Suspend` itself,
//! `{Suspend::new(async move { … })}`, not a closure that makes one: on the server leptos calls
//! such a closure on each pass over the page (two to find what is loading, one to render) and
//! drops what the first two built, so the body of every page was made three times (the request
//! list: 3.23 M instructions a page, 2.19 M without; callgrind). Only an island's `Suspense`,
//! which re-runs in the browser when its data change, keeps the closure.

use crate::idratazione::{Pacchetto, PacchettoIsole};
use crate::pages::*;
use leptos::prelude::*;
use leptos_router::LazyRoute;

/// `area!(Area, function, Bundle, { Name => module::Component; … })` declares the `function` that
/// shows any page of `Area` with the WASM `Bundle` of its islands, and for each page the route
/// `pagine::Name`.
macro_rules! area {
    ($area:ident, $fun:ident, $pacchetto:ident, { $($name:ident => $($page:ident)::+;)* }) => {
        // The variants are the pages' names, `…Page` like their components.
        #[allow(clippy::enum_variant_names)]
        #[derive(Clone, Copy)]
        enum $area {
            $($name,)*
        }

        async fn $fun(pagina: $area) -> AnyView {
            let pagina = match pagina {
                $($area::$name => untrack($($page)::+).into_any(),)*
            };
            view! { <PacchettoIsole pacchetto=Pacchetto::$pacchetto /> {pagina} }.into_any()
        }

        $(
            pub struct $name;

            impl LazyRoute for $name {
                fn data() -> Self {
                    $name
                }

                async fn view(_this: Self) -> AnyView {
                    $fun($area::$name).await
                }

            }
        )*
    };
}

area!(Ingresso, ingresso, Comune, {
    LoginPage => identity::login::LoginPage;
    HomePage => home::page::HomePage;
});

area!(Cassetto, cassetto, Cassetto, {
    SubjectsPage => identity::subjects::SubjectsPage;
    TokensPage => identity::tokens::TokensPage;
    RequestsPage => richieste::list::RequestsPage;
    RequestDetailPage => richieste::detail::RequestDetailPage;
    NotificationsPage => richieste::notifications::NotificationsPage;
    MailboxPage => richieste::notifications::MailboxPage;
    NewRequestPage => smart_task::wizard::NewRequestPage;
    NewTwoWayPage => comunicazioni::new::NewTwoWayPage;
});

area!(Libretto, libretto, Libretto, {
    WalletPage => presto::portafoglio::WalletPage;
    RegistrationPage => presto::registrazione::RegistrationPage;
    PrestatorePage => presto::prestatore::PrestatorePage;
    RimborsiPage => presto::rimborsi::RimborsiPage;
});

area!(Sede, sede, Sede, {
    SearchPage => fascicolo::search::SearchPage;
    FascicoloPage => fascicolo::file::FascicoloPage;
    OperatorRequestPage => fascicolo::request::OperatorRequestPage;
    QueuePage => fascicolo::queue::QueuePage;
});

area!(Portale, portale, Portale, {
    OperatorSearchPage => presto::operatore::OperatorSearchPage;
    CambiCategoriaPage => presto::categoria::CambiCategoriaPage;
    CategoriaPage => presto::categoria::CategoriaPage;
    DeleghePage => presto::deleghe::DeleghePage;
    ListePage => presto::liste::ListePage;
    CampionePage => presto::campione::CampionePage;
    SchedaPage => presto::scheda::SchedaPage;
});

area!(Pagamenti, pagamenti, Pagamenti, {
    F24Page => presto::f24::F24Page;
    VersamentiPage => presto::abbinamenti::VersamentiPage;
    RimborsiSedePage => presto::rimborsi::RimborsiSedePage;
});

area!(Direzione, direzione, Direzione, {
    OperatorsPage => admin::operators::OperatorsPage;
    AttivazioniPage => smart_task::attivazioni::AttivazioniPage;
    SimulazionePage => smart_task::simulazione::SimulazionePage;
});
