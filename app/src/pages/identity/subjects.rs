use super::api;
use super::subject::SubjectChooser;
use crate::error::UiError;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;

#[component]
pub fn SubjectsPage() -> impl IntoView {
    let subjects = Resource::new(|| (), |_| api::subjects());
    view! {
        <Title text="Per chi operare" />
        <h1>"Per chi vuole operare?"</h1>
        <p class="lead">"Sono elencate solo le aziende di cui è titolare o rappresentante legale e quelle per cui ha una delega valida oggi."</p>
        <Suspense fallback=|| view! { <p>"Caricamento…"</p> }>
            {Suspend::new(async move {
                match subjects.await {
                    Ok(list) => view! { <SubjectChooser subjects=list /> }.into_any(),
                    Err(UiError(p)) if p.code == "unauthenticated" => view! { <Redirect path="/accedi" /> }.into_any(),
                    Err(UiError(p)) => view! { <div class="notice notice-error" role="alert"><p>{p.detail}</p></div> }.into_any(),
                }
            })}
        </Suspense>
    }
}
