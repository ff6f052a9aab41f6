//! The contributor's file.

use super::api;
use crate::components::filters::*;
use crate::components::forms::*;
use crate::components::request::*;
use crate::error::UiError;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use shared::dto::*;

#[component]
fn Table(t: Tabella) -> impl IntoView {
    let id = t.titolo.to_lowercase().split_whitespace().next().unwrap_or("t").to_string();
    view! {
        <h2 id=format!("tab-{id}")>{t.titolo.clone()}</h2>
        {if t.righe.is_empty() {
            view! { <p class="muted">"Nessun dato."</p> }.into_any()
        } else {
            view! {
                <div class="table-wrap" role="region" aria-labelledby=format!("tab-{id}") tabindex="0">
                    <table>
                        <thead><tr>{t.colonne.iter().map(|c| view! { <th scope="col">{c.clone()}</th> }).collect_view()}</tr></thead>
                        <tbody>
                            {t.righe.into_iter().map(|r| view! {
                                <tr class=if r.attenuata { "attenuata" } else { "" }>{r.celle.into_iter().map(|c| view! { <td>{c}</td> }).collect_view()}</tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            }.into_any()
        }}
    }
}

#[component]
pub fn FascicoloPage() -> impl IntoView {
    let params = use_params_map();
    let q = use_query_map();
    let key = Memo::new(move |_| {
        let id = params.with(|p| p.get("id")).and_then(|v| v.parse::<i64>().ok()).unwrap_or(0);
        (id, q.with(filter_from))
    });
    let file = Resource::new(
        move || key.get(),
        |(id, f)| api::fasc_get(id, f.stato, f.tipo, f.matricola, f.dal, f.al, f.pagina),
    );
    view! {
        <Transition fallback=|| view! { <p>"Caricamento…"</p> }>
            {Suspend::new(async move {
                let (id, f) = key.get_untracked();
                match file.await {
                    // A filter typed wrong: say what, and keep the form to correct it.
                    Err(UiError(p)) if p.code == "validation" => view! {
                        <h1>"Fascicolo elettronico"</h1>
                        <ErrorSummary problem=(*p).clone() />
                        <Filters f action=format!("/fascicolo/{id}") problem=*p />
                    }.into_any(),
                    Err(UiError(p)) => deny(*p),
                    Ok(file) => view! { <File f=file filter=f /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn File(f: FascicoloView, filter: RequestFilter) -> impl IntoView {
    let page = f.richieste.clone();
    let id = f.id;
    view! {
        <Title text=format!("Fascicolo – {}", f.ragione_sociale) />
        <p class="caption">"Fascicolo elettronico del contribuente"</p>
        <h1 id="fascicolo-nome">{f.ragione_sociale.clone()}</h1>
        {(!f.puo_agire).then(|| view! { <div class="notice" role="note"><p>"Sola consultazione: il contribuente è gestito da un'altra sede."</p></div> })}
        <dl class="summary-list">
            <div><dt>"Codice fiscale"</dt><dd>{f.codice_fiscale.clone()}</dd></div>
            <div><dt>"Partita IVA"</dt><dd>{f.partita_iva.clone().unwrap_or_else(|| "–".into())}</dd></div>
            <div><dt>"Natura giuridica"</dt><dd>{f.natura_giuridica.clone()}</dd></div>
            <div><dt>"PEC"</dt><dd>{f.pec.clone().unwrap_or_else(|| "–".into())}</dd></div>
            <div><dt>"Sede"</dt><dd>{format!("{} {} ({})", f.sede.codice, f.sede.nome, f.sede.regione)}</dd></div>
        </dl>
        <h2>"Posizioni contributive"</h2>
        <ul class="request-list" id="posizioni">
            {f.posizioni.into_iter().map(|p| view! {
                <li class="request">
                    <p class="request-head"><span class=format!("tag tag-stato-{}", p.stato)>{p.stato_label.clone()}</span></p>
                    <p class="request-title">{format!("Matricola {}", p.matricola)}</p>
                    <p class="muted">{format!("Sede {}", p.sede)}</p>
                    <ol class="timeline">
                        {p.storia.into_iter().map(|h| view! { <li>{format!("{} dal {}{}", h.stato_label, h.dal, h.al.map(|a| format!(" al {a}")).unwrap_or_default())}</li> }).collect_view()}
                    </ol>
                </li>
            }).collect_view()}
        </ul>
        {f.tabelle.into_iter().map(|t| view! { <Table t /> }).collect_view()}
        <h2 id="richieste-titolo">"Richieste"</h2>
        <Filters f=filter.clone() action=format!("/fascicolo/{id}") />
        {if page.richieste.is_empty() {
            view! { <p class="muted" id="nessuna-richiesta">{if filter == RequestFilter::default() { "Nessuna richiesta." } else { "Nessuna richiesta corrisponde ai filtri." }}</p> }.into_any()
        } else {
            let (pagina, pagine) = (page.pagina, page.pagine);
            view! {
                <p class="muted">{format!("{} richieste", page.totale)}</p>
                <ul class="request-list" id="richieste">
                    {page.richieste.into_iter().map(|r| view! { <RequestRow r=r.into() operator=true /> }).collect_view()}
                </ul>
                {(pagine > 1).then(|| view! {
                    <nav class="pager" aria-label="Pagine">
                        {(pagina > 1).then(|| view! { <a href=page_href(&format!("/fascicolo/{id}"), &filter, pagina - 1) rel="prev">"‹ Precedenti"</a> })}
                        <span>{format!("Pagina {pagina} di {pagine}")}</span>
                        {(pagina < pagine).then(|| view! { <a href=page_href(&format!("/fascicolo/{id}"), &filter, pagina + 1) rel="next">"Successive ›"</a> })}
                    </nav>
                })}
            }.into_any()
        }}
        <p><a href="/fascicolo">"Nuova ricerca"</a></p>
    }
}
