//! Personal API tokens: create (shown once), list, revoke.

use super::api::{self, RigaToken, TokenCreate, TokenRevoke};
use crate::components::forms::ErrorSummary;
use crate::error::UiError;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;

#[component]
pub fn TokensPage() -> impl IntoView {
    let list = Resource::new(|| (), |_| api::token_list());
    view! {
        <Title text="Token API" />
        <p class="caption">"Accesso per i programmi"</p>
        <h1>"Token API"</h1>
        <p class="lead">"Un token permette al suo programma paghe di usare l'API di Sportello con i suoi stessi permessi: le stesse aziende, le stesse deleghe. Lo custodisca come una password."</p>
        <Suspense fallback=|| view! { <p>"Caricamento…"</p> }>
            {Suspend::new(async move {
                match list.await {
                    Err(UiError(p)) if p.code == "unauthenticated" => view! { <Redirect path="/accedi" /> }.into_any(),
                    Err(UiError(p)) => view! { <div class="notice notice-error" role="alert"><p>{p.detail}</p></div> }.into_any(),
                    Ok(tokens) => view! { <GestioneToken tokens /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// Creating and revoking, in the browser: a new token is shown once, above the list read again.
/// Without the script the forms are plain posts (a revocation comes back to this page).
#[cfg_attr(feature = "isole-cassetto", island)]
#[cfg_attr(not(feature = "isole-cassetto"), component)]
fn GestioneToken(tokens: Vec<RigaToken>) -> impl IntoView {
    let create = ServerAction::<TokenCreate>::new();
    let revoke = ServerAction::<TokenRevoke>::new();
    let list = RwSignal::new(tokens);
    Effect::new(move |_| {
        if create.version().get() + revoke.version().get() > 0 {
            leptos::task::spawn_local(async move {
                if let Ok(v) = api::token_list().await {
                    list.set(v);
                }
            });
        }
    });
    view! {
        {move || create.value().get().map(|r| match r {
            Ok(t) => view! {
                <div class="notice notice-success" role="status" id="nuovo-token">
                    <h2>"Token creato"</h2>
                    <p>"Lo copi adesso: per sicurezza non sarà più mostrato."</p>
                    <p><code class="token" id="token-valore">{t.token}</code></p>
                    <p class="muted">"Uso: intestazione HTTP Authorization: Bearer seguita dal token."</p>
                </div>
            }.into_any(),
            Err(e) => view! { <ErrorSummary problem=*e.0 /> }.into_any(),
        })}
        <h2>"Nuovo token"</h2>
        <ActionForm action=create>
            <div class="field">
                <label for="nome">"Nome del token"</label>
                <p class="muted" id="nome-aiuto">"Ad esempio il programma o il computer che lo userà."</p>
                <input id="nome" name="nome" maxlength="80" aria-describedby="nome-aiuto" />
            </div>
            <button type="submit" class="button" id="crea-token">"Crea token"</button>
        </ActionForm>
        <h2>"I miei token"</h2>
        {move || {
            let v = list.get();
            if v.is_empty() {
                return view! { <p>"Nessun token."</p> }.into_any();
            }
            view! {
                <ul class="request-list" id="token">
                    {v.into_iter().map(|t| {
                        let revocato = t.revocato_il.clone();
                        view! {
                            <li class="request">
                                <p class="request-title">{t.nome.clone()}</p>
                                <p class="muted">{format!("{}… · creato il {}", t.prefisso, t.creato_il)}</p>
                                <p class="muted">{match &t.ultimo_uso { Some(u) => format!("Ultimo uso: {u}"), None => "Mai usato".into() }}</p>
                                {if let Some(il) = revocato {
                                    view! { <p><span class="tag tag-richiesta-non_accolta">{format!("Revocato il {il}")}</span></p> }.into_any()
                                } else {
                                    view! {
                                        <ActionForm action=revoke>
                                            <input type="hidden" name="id" value=t.id />
                                            <button type="submit" class="button button-small button-outline revoca-token">
                                                "Revoca"<span class="visually-hidden">{format!(" il token {}", t.nome)}</span>
                                            </button>
                                        </ActionForm>
                                    }.into_any()
                                }}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }.into_any()
        }}
    }
}
