//! The header of every page: who is logged in, whom they act for, the navigation of their role.

use super::api::Logout;
use crate::components::layout::go;
use crate::error::UiError;
use leptos::prelude::*;
use shared::Role;
use shared::account::NON_LETTE_IN_INTESTAZIONE;
use shared::dto::*;

#[derive(Clone, Copy)]
pub struct SessionResource(pub Resource<Result<Option<SessionView>, UiError>>);

pub fn role_nav(role: Role) -> Vec<(&'static str, &'static str)> {
    let mut v = vec![("/", "Home")];
    if role.acts_for_company() {
        v.push(("/richieste", "Richieste"));
        v.push(("/soggetti", "Soggetti"));
        v.push(("/token", "Token API"));
        v.push(("/presto", "Prestazioni occasionali"));
    }
    if role == Role::Utilizzatore {
        v.push(("/presto", "Portafoglio"));
    }
    if role == Role::Prestatore {
        v.push(("/presto/prestatore", "Le mie prestazioni"));
    }
    if role.writes_as_person() {
        v.push(("/richieste", "Assistenza"));
    }
    if matches!(role, Role::OperatoreSede | Role::OperatoreRegionale | Role::OperatoreDg) {
        v.push(("/fascicolo", "Fascicolo"));
        v.push(("/coda", "Coda sede"));
        v.push(("/presto/operatore", "Prestazioni occasionali"));
    }
    if role == Role::OperatoreDg {
        v.push(("/direzione/simulazioni", "Simulazione regole"));
    }
    if role == Role::AmministratoreProfili {
        v.push(("/amministrazione/operatori", "Operatori"));
        v.push(("/amministrazione/smart-task", "Attivazione Smart-Task"));
    }
    v
}

#[component]
pub fn Header() -> impl IntoView {
    let SessionResource(session) = expect_context::<SessionResource>();
    let logout = ServerAction::<Logout>::new();
    Effect::new(move |_| {
        if matches!(logout.value().get(), Some(Ok(()))) {
            go("/accedi");
        }
    });
    view! {
        <header class="site-header">
            <div class="header-slim">
                <div class="container">"INPS – Istituto Nazionale Previdenza Sociale"</div>
            </div>
            <div class="header-main">
                <div class="container header-row">
                    <a href="/" class="brand">
                        <span class="brand-mark" aria-hidden="true">"S"</span>
                        <span class="brand-text">
                            <span class="brand-name">"Sportello"</span>
                            <span class="brand-sub">"Cassetto previdenziale e prestazioni occasionali"</span>
                        </span>
                    </a>
                    <Suspense fallback=|| ()>
                        {Suspend::new(async move {
                            match session.await {
                                Ok(Some(s)) => view! { <UserBox s=s logout=logout /> }.into_any(),
                                _ => view! { <a href="/accedi" class="button button-outline">"Accedi"</a> }.into_any(),
                            }
                        })}
                    </Suspense>
                </div>
            </div>
        </header>
    }
}

#[component]
fn UserBox(s: SessionView, logout: ServerAction<Logout>) -> impl IntoView {
    let nav = role_nav(s.role);
    let acts = s.role.acts_for_company();
    let acting = s.acting_for.clone();
    let non_lette = s.notifiche_non_lette;
    let notifiche = move || {
        view! {
            <p class="acting-for">
                <a href="/notifiche" id="notifiche-link">
                    "Notifiche"
                    {(non_lette > 0).then(|| view! {
                        " " <span class="badge" id="notifiche-non-lette">{
                            if non_lette >= NON_LETTE_IN_INTESTAZIONE { "99+".to_string() } else { non_lette.to_string() }
                        }</span>
                        <span class="visually-hidden">{if non_lette == 1 { " non letta" } else { " non lette" }}</span>
                    })}
                </a>
            </p>
        }
    };
    view! {
        <div class="user-box">
            <p class="user-name">
                <span id="utente-nome">{s.display_name.clone()}</span>
                <span class="user-role" id="utente-ruolo">{s.role.label()}</span>
            </p>
            {acts.then(|| match acting {
                Some(a) => view! {
                    <p class="acting-for">
                        "Per conto di: " <strong id="per-conto-di">{a.ragione_sociale.clone()}</strong>
                        " " <a href="/soggetti">"Cambia"</a>
                    </p>
                    {notifiche()}
                }.into_any(),
                None => view! { <p class="acting-for"><a href="/soggetti">"Scegli per chi operare"</a></p> }.into_any(),
            })}
            {s.role.writes_as_person().then(notifiche)}
            <ActionForm action=logout>
                <button type="submit" class="button button-small button-outline" id="esci">"Esci"</button>
            </ActionForm>
        </div>
        <nav class="main-nav" aria-label="Navigazione principale">
            <ul>
                {nav.into_iter().map(|(href, label)| view! { <li><a href=href>{label}</a></li> }).collect_view()}
            </ul>
        </nav>
    }
}
