//! The pages are lazy routes, grouped in five areas, one WASM chunk each (plus the chunks two areas
//! share): a contributor's phone downloads the shell and its own area, never the operators', the
//! head office's or the administrator's pages. Five areas, not one chunk per page: per page,
//! wasm-split cut the code into 545 files and a page needed 36–243 of them (measured).
//! On the server the same functions run eagerly and list the chunks a page needs as preloads.

use crate::pages::*;
use leptos::prelude::*;
use leptos_router::LazyRoute;

/// `area!(Area, function, __preload_function, { Name => module::Component; … })` declares the
/// lazy `function` that shows any page of `Area`, and for each page the lazy route
/// `pagine::Name`. The router preloads the area's chunk before it hydrates or shows a page:
/// without it, hydration finds no view and the page is drawn a second time below the server's.
macro_rules! area {
    ($area:ident, $fun:ident, $preload:ident, { $($name:ident => $($page:ident)::+;)* }) => {
        // The variants are the pages' names, `…Page` like their components.
        #[allow(clippy::enum_variant_names)]
        #[derive(Clone, Copy)]
        enum $area {
            $($name,)*
        }

        #[leptos::lazy]
        fn $fun(pagina: $area) -> AnyView {
            match pagina {
                $($area::$name => untrack($($page)::+).into_any(),)*
            }
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

                async fn preload() {
                    #[cfg(feature = "hydrate")]
                    $preload().await;
                }
            }
        )*
    };
}

area!(Ingresso, ingresso, __preload_ingresso, {
    LoginPage => identity::login::LoginPage;
    HomePage => home::page::HomePage;
});

area!(Cassetto, cassetto, __preload_cassetto, {
    SubjectsPage => identity::subjects::SubjectsPage;
    TokensPage => identity::tokens::TokensPage;
    RequestsPage => richieste::list::RequestsPage;
    RequestDetailPage => richieste::detail::RequestDetailPage;
    NotificationsPage => richieste::notifications::NotificationsPage;
    MailboxPage => richieste::notifications::MailboxPage;
    NewRequestPage => smart_task::wizard::NewRequestPage;
    NewTwoWayPage => comunicazioni::new::NewTwoWayPage;
});

area!(Libretto, libretto, __preload_libretto, {
    WalletPage => presto::portafoglio::WalletPage;
    RegistrationPage => presto::registrazione::RegistrationPage;
    PrestatorePage => presto::prestatore::PrestatorePage;
    RimborsiPage => presto::rimborsi::RimborsiPage;
});

area!(Sede, sede, __preload_sede, {
    SearchPage => fascicolo::search::SearchPage;
    FascicoloPage => fascicolo::file::FascicoloPage;
    OperatorRequestPage => fascicolo::request::OperatorRequestPage;
    QueuePage => fascicolo::queue::QueuePage;
    OperatorSearchPage => presto::operatore::OperatorSearchPage;
    F24Page => presto::f24::F24Page;
    VersamentiPage => presto::abbinamenti::VersamentiPage;
    CambiCategoriaPage => presto::categoria::CambiCategoriaPage;
    CategoriaPage => presto::categoria::CategoriaPage;
    DeleghePage => presto::deleghe::DeleghePage;
    ListePage => presto::liste::ListePage;
    RimborsiSedePage => presto::rimborsi::RimborsiSedePage;
    CampionePage => presto::campione::CampionePage;
    SchedaPage => presto::scheda::SchedaPage;
});

area!(Direzione, direzione, __preload_direzione, {
    OperatorsPage => admin::operators::OperatorsPage;
    AttivazioniPage => smart_task::attivazioni::AttivazioniPage;
    SimulazionePage => smart_task::simulazione::SimulazionePage;
});
