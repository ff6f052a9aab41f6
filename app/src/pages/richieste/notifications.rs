//! Notifications of the company acted for (or of a prestazioni occasionali user's own person), and
//! the development mailbox.

use super::api::{self, NotificheLette};
use crate::components::forms::deny;
use crate::components::layout::go;
use crate::error::UiError;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn NotificationsPage() -> impl IntoView {
    let list = Resource::new(|| (), |_| api::notifiche());
    let read = ServerAction::<NotificheLette>::new();
    // A full reload also refreshes the unread count in the header.
    Effect::new(move |_| {
        if matches!(read.value().get(), Some(Ok(_))) {
            go("/notifiche");
        }
    });
    view! {
        <Title text="Notifiche" />
        <p class="caption">"Comunicazioni"</p>
        <h1>"Notifiche"</h1>
        <Suspense fallback=|| view! { <p>"Caricamento…"</p> }>
            {Suspend::new(async move {
                match list.await {
                    Err(UiError(p)) => deny(*p),
                    Ok(v) if v.notifiche.is_empty() => view! { <div class="notice"><p>"Non ci sono notifiche."</p></div> }.into_any(),
                    Ok(v) => view! {
                        <p id="conteggio-notifiche">{match v.non_lette { 0 => "Tutte lette.".to_string(), 1 => "1 notifica non letta.".to_string(), n => format!("{n} notifiche non lette.") }}</p>
                        {(v.non_lette > 0).then(|| view! {
                            <ActionForm action=read>
                                <button type="submit" class="button button-outline" id="segna-lette">"Segna tutte come lette"</button>
                            </ActionForm>
                        })}
                        <ul class="request-list" id="notifiche">
                            {v.notifiche.into_iter().map(|n| view! {
                                <li class=if n.letta { "request" } else { "request unread" }>
                                    <p class="request-head">{(!n.letta).then(|| view! { <span class="tag tag-richiesta-inviata">"Non letta"</span> })}</p>
                                    <p>{n.testo}</p>
                                    <p class="muted">
                                        {shared::time::format_it_datetime(&n.creata_il)}
                                        {n.protocollo.map(|p| view! { " · " <a href=format!("/richiesta/{p}")>{format!("Apri la richiesta {p}")}</a> })}
                                    </p>
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// Development mailbox: what would have been sent to the company's PEC or the person's address (no
/// SMTP configured).
#[component]
pub fn MailboxPage() -> impl IntoView {
    let list = Resource::new(|| (), |_| api::posta());
    view! {
        <Title text="Posta (sviluppo)" />
        <p class="caption">"Casella di sviluppo"</p>
        <h1>"Posta inviata"</h1>
        <p class="muted">"Le e-mail per la PEC dell'azienda o per l'indirizzo della persona: senza un server SMTP configurato restano qui, con il loro stato di invio."</p>
        <Suspense fallback=|| view! { <p>"Caricamento…"</p> }>
            {Suspend::new(async move {
                match list.await {
                    Err(UiError(p)) => deny(*p),
                    Ok(v) if v.is_empty() => view! { <div class="notice"><p>"Nessuna e-mail."</p></div> }.into_any(),
                    Ok(v) => view! {
                        <ul class="request-list" id="posta">
                            {v.into_iter().map(|m| view! {
                                <li class="request">
                                    <p class="request-title">{m.oggetto}</p>
                                    <p class="muted">{format!("A {} · {} · stato: {} · tentativi: {}", m.destinatario, shared::time::format_it_datetime(&m.creata_il), m.stato, m.tentativi)}</p>
                                    {m.errore.map(|e| view! { <p class="error-message">{e}</p> })}
                                    <pre class="mail-body">{m.corpo}</pre>
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}
