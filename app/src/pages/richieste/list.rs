//! Lista Richieste: the requests of the company acted for (or a prestazioni occasionali user's own
//! support requests), newest first, filtered and paged.

use super::api;
use crate::components::filters::*;
use crate::components::forms::*;
use crate::components::request::*;
use crate::error::UiError;
use crate::pages::identity::header::SessionResource;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use shared::dto::*;

#[component]
pub fn RequestsPage() -> impl IntoView {
    let q = use_query_map();
    let filter = Memo::new(move |_| q.with(filter_from));
    let list =
        Resource::new(move || filter.get(), |f| api::st_list(f.stato, f.tipo, f.matricola, f.dal, f.al, f.pagina));
    let SessionResource(session) = expect_context::<SessionResource>();
    view! {
        <Transition fallback=|| view! { <p>"Caricamento…"</p> }>
            {Suspend::new(async move {
                // A prestazioni occasionali user lists its own support requests.
                let persona = matches!(session.await, Ok(Some(s)) if s.role.writes_as_person());
                let f = filter.get_untracked();
                let filters = move |f: RequestFilter| view! { <Filters f action="/richieste".to_string() persona /> };
                let head = if persona {
                    view! {
                        <Title text="Assistenza" />
                        <p class="caption">"Prestazioni occasionali"</p>
                        <h1>"Le mie richieste di assistenza"</h1>
                        <p class="lead">"Le domande sulle prestazioni occasionali scritte alla sua sede INPS, con le risposte."</p>
                        <p class="button-row">
                            <a class="button" href="/richieste/comunicazione" id="scrivi-alla-sede">"Scrivi alla sede"</a>
                        </p>
                    }.into_any()
                } else {
                    view! {
                        <Title text="Lista Richieste" />
                        <p class="caption">"Comunicazioni"</p>
                        <h1>"Lista Richieste"</h1>
                        <p class="button-row">
                            <a class="button" href="/richieste/nuova" id="crea-smart-task">"Crea Smart-Task"</a>
                            <a class="button button-outline" href="/richieste/comunicazione" id="scrivi-alla-sede">"Scrivi alla sede"</a>
                        </p>
                    }.into_any()
                };
                let body = match list.await {
                    // The summary above the form, the messages at the fields.
                    Err(UiError(p)) if p.code == "validation" => view! {
                        <ErrorSummary problem=(*p).clone() />
                        <Filters f action="/richieste".to_string() problem=*p persona />
                    }.into_any(),
                    Err(UiError(p)) => deny(*p),
                    Ok(page) if page.richieste.is_empty() => view! {
                        {filters(f.clone())}
                        <div class="notice" id="nessuna-richiesta"><p>{if f == RequestFilter::default() { if persona { "Non ha ancora scritto alla sede." } else { "Non ci sono richieste per questo soggetto." } } else { "Nessuna richiesta corrisponde ai filtri." }}</p></div>
                    }.into_any(),
                    Ok(page) => {
                        let (n, tot, pagine, pagina) = (page.richieste.len(), page.totale, page.pagine, page.pagina);
                        let first = (pagina - 1) * page.per_pagina + 1;
                        view! {
                            {filters(f.clone())}
                            <p class="muted" id="conteggio" aria-live="polite">{format!("Richieste {first}–{} di {tot}", first as usize + n - 1)}</p>
                            <ul class="request-list" id="richieste">
                                {page.richieste.into_iter().map(|r| view! { <RequestRow r /> }).collect_view()}
                            </ul>
                            {(pagine > 1).then(|| view! {
                                <nav class="pager" aria-label="Pagine">
                                    {(pagina > 1).then(|| view! { <a href=page_href("/richieste", &f, pagina - 1) rel="prev">"‹ Precedenti"</a> })}
                                    <span>{format!("Pagina {pagina} di {pagine}")}</span>
                                    {(pagina < pagine).then(|| view! { <a href=page_href("/richieste", &f, pagina + 1) rel="next" id="pagina-successiva">"Successive ›"</a> })}
                                </nav>
                            })}
                        }.into_any()
                    }
                };
                view! { {head} {body} }.into_any()
            })}
        </Transition>
    }
}
