//! Searching a contributor.

use super::api;
use crate::components::forms::*;
use crate::error::UiError;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn SearchPage() -> impl IntoView {
    let q = use_query_map();
    let query = Memo::new(move |_| q.with(|m| m.get("q")).unwrap_or_default());
    let hits = Resource::new(
        move || query.get(),
        |q| async move { if q.trim().is_empty() { Ok(None) } else { api::fasc_search(q).await.map(Some) } },
    );
    view! {
        <Title text="Fascicolo elettronico" />
        <p class="caption">"Fascicolo elettronico del contribuente"</p>
        <h1>"Cerca un contribuente"</h1>
        <form method="get" action="/fascicolo" role="search" class="search-form">
            <div class="field">
                <label for="q">"Codice fiscale, partita IVA, matricola o denominazione"</label>
                <p class="muted" id="q-aiuto">"Per la denominazione bastano le prime lettere. Si cerca tra i contribuenti della sua regione."</p>
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
                    Ok(Some(list)) if list.is_empty() => view! { <div class="notice" id="nessun-risultato"><p>"Nessun contribuente trovato nel suo ambito."</p></div> }.into_any(),
                    Ok(Some(list)) => view! {
                        <p class="muted" aria-live="polite">{format!("{} risultati", list.len())}</p>
                        <ul class="request-list" id="risultati">
                            {list.into_iter().map(|h| view! {
                                <li class="request">
                                    <p class="request-title"><a href=format!("/fascicolo/{}", h.id)>{h.ragione_sociale}</a></p>
                                    <p class="muted">{format!("C.F. {}{} · sede {}", h.codice_fiscale, h.partita_iva.map(|p| format!(" · P.IVA {p}")).unwrap_or_default(), h.sede)}</p>
                                    {(!h.puo_agire).then(|| view! { <p class="muted">"Sola consultazione: contribuente di un'altra sede."</p> })}
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                }
            })}
        </Transition>
    }
}
