//! The pages, grouped in five areas (ingresso, cassetto, libretto, sede, direzione). The app runs
//! in leptos' islands mode: a page is rendered on the server only, and the browser's WASM holds
//! just the interactive parts (`#[island]`), so a contributor's phone never downloads the
//! operators' pages. The pages whose whole body is interactive are lazy islands, each in a WASM
//! chunk of its own (`cargo leptos build --split`).

use crate::pages::*;
use leptos::prelude::*;
use leptos_router::LazyRoute;

/// `area!(Area, function, { Name => module::Component; … })` declares the `function` that shows
/// any page of `Area`, and for each page the route `pagine::Name`.
macro_rules! area {
    ($area:ident, $fun:ident, { $($name:ident => $($page:ident)::+;)* }) => {
        // The variants are the pages' names, `…Page` like their components.
        #[allow(clippy::enum_variant_names)]
        #[derive(Clone, Copy)]
        enum $area {
            $($name,)*
        }

        async fn $fun(pagina: $area) -> AnyView {
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

            }
        )*
    };
}

area!(Ingresso, ingresso, {
    LoginPage => identity::login::LoginPage;
    HomePage => home::page::HomePage;
});

area!(Cassetto, cassetto, {
    SubjectsPage => identity::subjects::SubjectsPage;
    TokensPage => identity::tokens::TokensPage;
    RequestsPage => richieste::list::RequestsPage;
    RequestDetailPage => richieste::detail::RequestDetailPage;
    NotificationsPage => richieste::notifications::NotificationsPage;
    MailboxPage => richieste::notifications::MailboxPage;
    NewRequestPage => smart_task::wizard::NewRequestPage;
    NewTwoWayPage => comunicazioni::new::NewTwoWayPage;
});

area!(Libretto, libretto, {
    WalletPage => presto::portafoglio::WalletPage;
    RegistrationPage => presto::registrazione::RegistrationPage;
    PrestatorePage => presto::prestatore::PrestatorePage;
    RimborsiPage => presto::rimborsi::RimborsiPage;
});

area!(Sede, sede, {
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

area!(Direzione, direzione, {
    OperatorsPage => admin::operators::OperatorsPage;
    AttivazioniPage => smart_task::attivazioni::AttivazioniPage;
    SimulazionePage => smart_task::simulazione::SimulazionePage;
});
