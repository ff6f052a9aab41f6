//! The portal's search for operators: utilizzatori and prestatori within their scope.

use super::api;
use crate::components::forms::*;
use crate::error::UiError;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn OperatorSearchPage() -> impl IntoView {
    let q = use_query_map();
    let query = Memo::new(move |_| q.with(|m| m.get("q")).unwrap_or_default());
    let hits = Resource::new(
        move || query.get(),
        |q| async move { if q.trim().is_empty() { Ok(None) } else { api::po_cerca(q).await.map(Some) } },
    );
    view! {
        <Title text="Prestazioni occasionali – portale operatori" />
        <p class="caption">"Processi › Soggetto contribuente › Prestazioni occasionali"</p>
        <h1>"Utilizzatori e prestatori"</h1>
        <ul>
            <li><a href="/presto/operatore/versamenti">"Versamenti F24 da abbinare"</a></li>
            <li><a href="/presto/operatore/categorie">"Cambi di categoria CPO"</a></li>
            <li><a href="/presto/operatore/deleghe">"Verifica di una delega"</a></li>
            <li><a href="/presto/operatore/liste">"Elenchi per le verifiche"</a></li>
            <li><a href="/presto/operatore/rimborsi">"Rimborsi e trasferimenti da decidere"</a></li>
            <li><a href="/presto/operatore/f24">"Carica un flusso F24 (Direzione Generale)"</a></li>
        </ul>
        <form method="get" action="/presto/operatore" role="search" class="search-form">
            <div class="field">
                <label for="q">"Codice fiscale, cognome o denominazione"</label>
                <p class="muted" id="q-aiuto">"Si cerca tra i soggetti della sua regione; modifica solo quelli della sua sede."</p>
                <input id="q" name="q" value=move || query.get() aria-describedby="q-aiuto" autocomplete="off" />
            </div>
            <button type="submit" class="button" id="cerca">"Cerca"</button>
        </form>
        <Transition fallback=|| view! { <p>"Ricerca…"</p> }>
            {Suspend::new(async move {
                match hits.await {
                    Ok(None) => ().into_any(),
                    Err(UiError(p)) if p.code == "validation" => view! { <ErrorSummary problem=*p /> }.into_any(),
                    Err(UiError(p)) => deny(*p),
                    Ok(Some(list)) if list.is_empty() => view! { <div class="notice" id="nessun-risultato"><p>"Nessun soggetto trovato nel suo ambito."</p></div> }.into_any(),
                    Ok(Some(list)) => view! {
                        <p class="muted" aria-live="polite">{format!("{} risultati", list.len())}</p>
                        <ul class="request-list" id="risultati">
                            {list.into_iter().map(|h| view! {
                                <li class="request">
                                    <p class="request-title"><a href=format!("/presto/operatore/{}/{}", h.tipo, h.id)>{h.denominazione}</a></p>
                                    <p class="muted">{format!("{} · C.F. {} · sede {}", h.descrizione, h.codice_fiscale, h.sede)}</p>
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                }
            })}
        </Transition>
    }
}
