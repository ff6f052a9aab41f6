use super::api::Login;
use super::header::SessionResource;
use crate::components::forms::{ErrorSummary, field_error};
use crate::components::layout::go;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;

#[component]
pub fn LoginPage() -> impl IntoView {
    let SessionResource(session) = expect_context::<SessionResource>();
    view! {
        <Title text="Accedi" />
        <Suspense fallback=|| ()>
            {Suspend::new(async move {
                matches!(session.await, Ok(Some(_))).then(|| view! { <Redirect path="/" /> })
            })}
        </Suspense>
        <div class="narrow">
            <h1>"Accedi a Sportello"</h1>
            <p class="lead">"Inserisca le credenziali ricevute. In produzione l'accesso avverrà con SPID, CIE o CNS."</p>
            <LoginForm />
        </div>
    }
}

/// The form, interactive in the browser: the password can be shown, a refusal keeps what was
/// typed, and a login goes to the home page with a full load (the header changes).
#[island]
fn LoginForm() -> impl IntoView {
    let login = ServerAction::<Login>::new();
    let value = login.value();
    let show_password = RwSignal::new(false);
    Effect::new(move |_| {
        if matches!(value.get(), Some(Ok(_))) {
            go("/");
        }
    });
    let problem = move || value.get().and_then(|r| r.err()).map(|e| *e.0);
    view! {
            {move || problem().map(|p| view! { <ErrorSummary problem=p /> })}
            <ActionForm action=login>
                <div class=move || if field_error(problem().as_ref(), "username").is_some() { "field field-error" } else { "field" }>
                    <label for="username">"Nome utente"</label>
                    {move || field_error(problem().as_ref(), "username").map(|m| view! { <p class="error-message" id="username-errore">{m}</p> })}
                    <input id="username" name="username" type="text" autocomplete="username" autocapitalize="none" spellcheck="false" />
                </div>
                <div class=move || if field_error(problem().as_ref(), "password").is_some() { "field field-error" } else { "field" }>
                    <label for="password">"Password"</label>
                    {move || field_error(problem().as_ref(), "password").map(|m| view! { <p class="error-message" id="password-errore">{m}</p> })}
                    <div class="password-row">
                        <input id="password" name="password" type=move || if show_password.get() { "text" } else { "password" } autocomplete="current-password" />
                        <button type="button" class="button button-outline button-small" id="mostra-password"
                            aria-controls="password" aria-pressed=move || show_password.get().to_string()
                            on:click=move |_| show_password.update(|s| *s = !*s)>
                            {move || if show_password.get() { "Nascondi" } else { "Mostra" }}
                        </button>
                    </div>
                </div>
                <button type="submit" class="button" id="accedi" disabled=move || login.pending().get()>
                    {move || if login.pending().get() { "Accesso in corso…" } else { "Accedi" }}
                </button>
            </ActionForm>
    }
}
