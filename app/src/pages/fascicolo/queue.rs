//! The branch's queue.

use super::api;
use crate::components::format::*;
use crate::components::forms::*;
use crate::components::request::*;
use crate::error::UiError;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn QueuePage() -> impl IntoView {
    let list = Resource::new(|| (), |_| api::coda());
    view! {
        <Title text="Coda della sede" />
        <p class="caption">"Fascicolo elettronico"</p>
        <h1>"Richieste in carico alla sede"</h1>
        <p class="lead">"Le richieste Smart-Task che l'esame automatico non ha potuto decidere e le comunicazioni bidirezionali aperte, dalla più vecchia."</p>
        <Suspense fallback=|| view! { <p>"Caricamento…"</p> }>
            {Suspend::new(async move {
                match list.await {
                    Err(UiError(p)) => deny(*p),
                    Ok(items) if items.is_empty() => view! { <div class="notice"><p>"Nessuna richiesta in coda."</p></div> }.into_any(),
                    Ok(items) => view! {
                        <ul class="request-list" id="coda">
                            {items.into_iter().map(|i| view! {
                                <li class=if i.richiesta.smart_task { "request smart-task" } else { "request" }>
                                    <p class="request-head">
                                        {if i.richiesta.smart_task { view! { <span class="tag tag-smart-task">"Smart-Task"</span> }.into_any() } else { view! { <span class="tag">"Comunicazione"</span> }.into_any() }}
                                        " " {state_tag(i.richiesta.stato, i.richiesta.stato_label.clone())}
                                        {i.attende_sede.then(|| view! { " " <span class="tag tag-warning">"Nuovo messaggio"</span> })}
                                    </p>
                                    <p class="request-title"><a href=format!("/fascicolo/richiesta/{}", i.richiesta.protocollo)>{format!("{} – {}", i.ragione_sociale, i.richiesta.descrizione)}</a></p>
                                    <p class="muted">{format!("Protocollo {} · inviata il {} · {}", i.richiesta.protocollo, it_datetime(&i.richiesta.inviata_il), i.operatore_in_carico.map(|o| format!("in carico a {o}")).unwrap_or_else(|| "da prendere in carico".into()))}</p>
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}
