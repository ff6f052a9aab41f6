//! The detail of a request: outcome, checks, timeline, receipt; a two-way request's conversation.

use super::api;
use crate::components::format::*;
use crate::components::forms::deny;
use crate::components::request::*;
use crate::error::UiError;
use crate::pages::comunicazioni::detail::TwoWayDetail;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use shared::dto::*;

#[component]
pub fn RequestDetailPage() -> impl IntoView {
    let params = use_params_map();
    let protocollo = move || params.with(|p| p.get("protocollo")).unwrap_or_default();
    let detail = Resource::new(protocollo, api::st_get);
    view! {
        <Transition fallback=|| view! { <p>"Caricamento…"</p> }>
            {Suspend::new(async move {
                match detail.await {
                    Err(UiError(p)) => deny(*p),
                    Ok(r) => view! { <RequestDetail r /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn RequestDetail(r: RequestView) -> impl IntoView {
    if !r.smart_task {
        return view! { <TwoWayDetail r /> }.into_any();
    }
    let in_esame = r.stato.in_esame();
    let rejected = r.stato == Stato::NonAccolta;
    view! {
        <Title text=format!("Richiesta {}", r.protocollo) />
        <p class="caption">{format!("Protocollo {}", r.protocollo)}</p>
        <h1>{r.descrizione.clone()}</h1>
        <p class="request-head"><span class="tag tag-smart-task">"Smart-Task"</span>" " {state_tag(r.stato, r.stato_label.clone())}</p>
        {in_esame.then(|| view! {
            <div class="notice" role="status"><p>"La richiesta è in esame: l'esito compare qui appena pronto."</p></div>
            <AttesaEsito protocollo=r.protocollo.clone() />
        })}
        {rejected.then(|| view! {
            <div class="notice notice-error" id="esito">
                <h2>"Perché la richiesta non è stata accolta"</h2>
                <p>{r.motivo.clone().unwrap_or_default()}</p>
                <p>"Corregga i dati indicati e presenti una nuova richiesta, oppure scriva alla sua sede con una comunicazione bidirezionale."</p>
            </div>
        })}
        {(r.stato == Stato::InCaricoSede).then(|| view! {
            <div class="notice" id="esito">
                <h2>"La richiesta è passata alla sede"</h2>
                <p>{r.motivo.clone().unwrap_or_default()}</p>
                <p>"Un operatore della sede la esaminerà: riceverà una notifica con l'esito."</p>
            </div>
        })}
        {(r.stato == Stato::Accolta).then(|| view! {
            <div class="notice notice-success" id="esito"><p>"La richiesta è stata accolta e i dati sono stati aggiornati."</p></div>
        })}
        <h2>"Controlli eseguiti"</h2>
        {r.ruleset.clone().map(|v| view! { <p class="muted">{format!("Regole in vigore al {} (versione {v})", it_date(&r.data_riferimento))}</p> })}
        <ChecksList controlli=r.controlli.clone() letti=vec![] />
        <Conversation messaggi=r.messaggi_sede.clone() />
        <p><a href=format!("/richiesta/{}/ricevuta.pdf", r.protocollo) rel="external" id="ricevuta">"Scarica la ricevuta (PDF)"</a></p>
        <Timeline eventi=r.eventi />
        <p><a href="/richieste">"Torna alla Lista Richieste"</a></p>
    }
    .into_any()
}

/// While the examination runs, asks every second whether it is over (the answer usually takes
/// milliseconds), then loads the page again with the outcome.
#[cfg_attr(feature = "isole-cassetto", island)]
#[cfg_attr(not(feature = "isole-cassetto"), component)]
fn AttesaEsito(protocollo: String) -> impl IntoView {
    Effect::new(move |_| chiedi(protocollo.clone()));
}

fn chiedi(protocollo: String) {
    set_timeout(
        move || {
            leptos::task::spawn_local(async move {
                match api::st_stato(protocollo.clone()).await {
                    Ok(stato) if stato.in_esame() => chiedi(protocollo),
                    _ => crate::components::layout::reload(),
                }
            })
        },
        std::time::Duration::from_secs(1),
    );
}
