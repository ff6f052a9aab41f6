//! Crea Smart-Task: kind, target, answers, check answers. The wizard's state lives in the
//! address, so a reload keeps the draft and every step works without JavaScript.

use super::answers::{AnswersForm, CheckAnswers};
use super::api::{self};
use crate::components::forms::*;
use crate::error::UiError;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use shared::smart_task::{self, Answers, Kind};

/// The wizard's state lives in the URL: a reload keeps the draft, and every step also works
/// without JavaScript (plain links and GET forms).
#[component]
pub fn NewRequestPage() -> impl IntoView {
    let q = use_query_map();
    let get = move |k: &str| q.with(|m| m.get(k)).unwrap_or_default();
    view! {
        <Title text="Crea Smart-Task" />
        <p class="caption">"Comunicazioni · Crea Smart-Task"</p>
        {{
            let tipo = get("tipo");
            let oggetto = get("oggetto");
            match (Kind::from_code(&tipo), oggetto.is_empty()) {
                (None, _) => view! { <ChooseKind /> }.into_any(),
                (Some(kind), true) => view! { <ChooseTarget kind /> }.into_any(),
                (Some(kind), false) => {
                    let mut answers = Answers::new();
                    for k in smart_task::answer_names() {
                        let v = get(k);
                        if !v.is_empty() {
                            answers.insert(k.to_string(), v);
                        }
                    }
                    // A conditional answer left behind when its condition changed is dropped.
                    let answers = smart_task::answers_of(kind, &answers);
                    if get("verifica") == "1" {
                        match smart_task::parse(kind, &oggetto, &answers) {
                            Ok(_) => view! { <CheckAnswers kind oggetto answers /> }.into_any(),
                            Err(errors) => view! { <AnswersForm kind oggetto answers errors /> }.into_any(),
                        }
                    } else {
                        view! { <AnswersForm kind oggetto answers errors=vec![] /> }.into_any()
                    }
                }
            }
        }}
    }
}

#[component]
fn ChooseKind() -> impl IntoView {
    let kinds = Resource::new(|| (), |_| api::st_kinds());
    view! {
        <h1>"Che cosa vuole chiedere?"</h1>
        <Suspense fallback=|| view! { <p>"Caricamento…"</p> }>
            {Suspend::new(async move {
                match kinds.await {
                    Err(UiError(p)) => deny(*p),
                    Ok(list) => view! {
                        <ul class="choice-list">
                            {list.into_iter().map(|k| {
                                let label = format!("{}. {}", k.numero, k.descrizione);
                                if k.disponibile {
                                    view! { <li><a href=format!("/richieste/nuova?tipo={}", k.codice)>{label}</a></li> }.into_any()
                                } else {
                                    // Switched on gradually (Msg. 4583/2023): said, not hidden.
                                    let quando = k.stato.strip_prefix("In arrivo: ").map(|s| format!(" ({s})")).unwrap_or_default();
                                    view! { <li class="muted" id=format!("prossimamente-{}", k.codice)>{format!("{label} – disponibile prossimamente{quando}")}</li> }.into_any()
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                }
            })}
        </Suspense>
        <p>"Non trova ciò che le serve? "<a href="/richieste/comunicazione" id="link-comunicazione">"Scriva alla sua sede con una comunicazione bidirezionale"</a>"."</p>
    }
}

#[component]
fn ChooseTarget(kind: Kind) -> impl IntoView {
    let targets = Resource::new(move || kind, |k| api::st_targets(k.code().to_string()));
    view! {
        <h1>{kind.label()}</h1>
        <p class="lead">"Scelga l'elemento a cui si riferisce la richiesta."</p>
        <Suspense fallback=|| view! { <p>"Caricamento…"</p> }>
            {Suspend::new(async move {
                match targets.await {
                    Err(UiError(p)) => deny(*p),
                    Ok(list) if list.is_empty() => view! {
                        <div class="notice"><p>"Non ci sono elementi su cui presentare questa richiesta (ad esempio nessuna delega in vigore)."</p></div>
                        <p><a href="/richieste/nuova">"Scegli un'altra richiesta"</a></p>
                    }.into_any(),
                    Ok(list) => view! {
                        <ul class="choice-list">
                            {list.into_iter().map(|t| view! {
                                <li><a href=format!("/richieste/nuova?tipo={}&oggetto={}", kind.code(), t.id)>{t.descrizione}</a></li>
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                }
            })}
        </Suspense>
        <p><a href="/richieste/nuova">"Indietro"</a></p>
    }
}
