//! Pieces shared by the pages: header with the user and the subject acted for, navigation per
//! role, footer, error summary (GOV.UK pattern).

use crate::api::{self, Logout, UiError};
use leptos::prelude::*;
use shared::Role;
use shared::dto::{AccessBasis, Problem, SessionView, SubjectSummary};

#[derive(Clone, Copy)]
pub struct SessionResource(pub Resource<Result<Option<SessionView>, UiError>>);

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

pub fn role_nav(role: Role) -> Vec<(&'static str, &'static str)> {
    let mut v = vec![("/", "Home")];
    if role.acts_for_company() {
        v.push(("/richieste", "Richieste"));
        v.push(("/soggetti", "Soggetti"));
        v.push(("/token", "Token API"));
    }
    if matches!(role, Role::OperatoreSede | Role::OperatoreRegionale | Role::OperatoreDg) {
        v.push(("/fascicolo", "Fascicolo"));
        v.push(("/coda", "Coda sede"));
    }
    if role == Role::AmministratoreProfili {
        v.push(("/amministrazione/operatori", "Operatori"));
    }
    v
}

pub fn basis_label(b: &AccessBasis) -> String {
    match b {
        AccessBasis::RappresentanteLegale { ruolo } => match ruolo.as_str() {
            "titolare" => "Titolare".into(),
            _ => "Rappresentante legale".into(),
        },
        AccessBasis::Delega { ruolo, fine, .. } => {
            let who = if ruolo == "dipendente" { "Delega a dipendente" } else { "Delega a intermediario" };
            match fine.as_deref().and_then(|f| chrono::NaiveDate::parse_from_str(f, "%Y-%m-%d").ok()) {
                Some(f) => format!("{who}, valida fino al {}", f.format("%d/%m/%Y")),
                None => format!("{who}, senza scadenza"),
            }
        }
    }
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
                        {move || Suspend::new(async move {
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
                    <p class="acting-for">
                        <a href="/notifiche" id="notifiche-link">
                            "Notifiche"
                            {(s.notifiche_non_lette > 0).then(|| view! {
                                " " <span class="badge" id="notifiche-non-lette">{s.notifiche_non_lette}</span>
                                <span class="visually-hidden">{if s.notifiche_non_lette == 1 { " non letta" } else { " non lette" }}</span>
                            })}
                        </a>
                    </p>
                }.into_any(),
                None => view! { <p class="acting-for"><a href="/soggetti">"Scegli per chi operare"</a></p> }.into_any(),
            })}
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

/// A text form (a message, an operator's step) refused in a plain post, without the page's
/// script: the server renders the page again with it (`server/src/http/pages.rs`).
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct BozzaTesto {
    pub testo: String,
    pub problem: Option<Problem>,
}

/// The draft the server rendered this page with after a refused plain post, if any. It is
/// serialised into the page, so hydration sees the same form the server rendered; it is also
/// provided as context for the form further down.
pub fn rendered_draft<T>() -> Option<T>
where
    T: Clone + Send + Sync + serde::Serialize + serde::de::DeserializeOwned + 'static,
{
    let draft = SharedValue::new(use_context::<T>).into_inner();
    if let Some(d) = &draft {
        provide_context(d.clone());
    }
    draft
}

/// The problem to show for a form: the last submission's, or before any, the one the page was
/// rendered with (see [`rendered_draft`]).
pub fn current_problem<T, V>(value: V, rendered: Option<Problem>) -> impl Fn() -> Option<Problem> + Copy + 'static
where
    V: Get<Value = Option<Result<T, UiError>>> + Copy + 'static,
{
    let rendered = StoredValue::new(rendered);
    move || match value.get() {
        Some(r) => r.err().map(|e| *e.0),
        None => rendered.get_value(),
    }
}

/// Counts an action's successful completions (`succeeded` reads its value). A resource keyed on
/// the count reloads after a step that went through and never after a refusal, so the form and
/// what was typed stay in place.
pub fn successes(succeeded: impl Fn() -> bool + 'static) -> RwSignal<u32> {
    let n = RwSignal::new(0u32);
    Effect::new(move |_| {
        if succeeded() {
            n.update(|n| *n += 1);
        }
    });
    n
}

/// Empties a text box once its action succeeded: a text already sent must not stay there, ready
/// to be sent again (e.g. as the closing answer after a reply).
pub fn clear_after_success(succeeded: impl Fn() -> bool + 'static, node: NodeRef<leptos::html::Textarea>) {
    Effect::new(move |_| {
        if let (true, Some(el)) = (succeeded(), node.get()) {
            el.set_value("");
        }
    });
}

/// The message for `field` among the problem's field errors.
pub fn field_error(problem: Option<&Problem>, field: &str) -> Option<String> {
    problem?.errors.iter().find(|e| e.field == field).map(|e| e.message.clone())
}

/// GOV.UK error summary: at the top, focused when it appears, with links to the fields.
#[component]
pub fn ErrorSummary(problem: Problem) -> impl IntoView {
    let node = NodeRef::<leptos::html::Div>::new();
    Effect::new(move |_| {
        if let Some(el) = node.get() {
            let _ = el.focus();
        }
    });
    let errors = problem.errors.clone();
    view! {
        <div class="error-summary" role="alert" tabindex="-1" aria-labelledby="riepilogo-errori" node_ref=node>
            <h2 id="riepilogo-errori" class="error-summary-title">"C'è un problema"</h2>
            <p>{problem.detail.clone()}</p>
            {(!errors.is_empty()).then(|| view! {
                <ul class="error-summary-list">
                    {errors.into_iter().map(|e| view! { <li><a href=format!("#{}", e.field.split('[').next().unwrap_or_default())>{e.message}</a></li> }).collect_view()}
                </ul>
            })}
        </div>
    }
}

/// One card per subject the user may act for, each with its own button.
#[component]
pub fn SubjectChooser(subjects: Vec<SubjectSummary>) -> impl IntoView {
    let act = ServerAction::<api::ActFor>::new();
    Effect::new(move |_| {
        if matches!(act.value().get(), Some(Ok(_))) {
            go("/");
        }
    });
    let empty = subjects.is_empty();
    view! {
        {move || act.value().get().and_then(|r| r.err()).map(|e| view! { <ErrorSummary problem=*e.0 /> })}
        {empty.then(|| view! {
            <div class="notice">
                <p>"Non risultano aziende per cui può operare oggi: nessuna rappresentanza legale attiva e nessuna delega valida a suo favore."</p>
            </div>
        })}
        <ul class="card-list">
            {subjects.into_iter().map(|s| {
                let label = format!("Opera per {}", s.ragione_sociale);
                view! {
                    <li class="card">
                        <h3 class="card-title">{s.ragione_sociale.clone()}</h3>
                        <dl class="facts">
                            <dt>"Codice fiscale"</dt><dd>{s.codice_fiscale.clone()}</dd>
                            <dt>"Titolo"</dt><dd>{basis_label(&s.basis)}</dd>
                        </dl>
                        <ActionForm action=act>
                            <input type="hidden" name="subject_id" value=s.id.to_string() />
                            <button type="submit" class="button" aria-label=label>"Opera per questo soggetto"</button>
                        </ActionForm>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}
