//! The prestatore's page: prestazioni received, payments, and the limits that concern them.

use super::api;
use super::elenchi::PrestazioniList;
use super::limiti::LimitBars;
use super::registrazione::InvitoRegistrazione;
use crate::components::forms::deny;
use crate::error::UiError;
use leptos::prelude::*;
use leptos_meta::Title;
use shared::presto::views::PaginaPrestatore;
use shared::time::format_date_text_it;

/// The registry card, also shown to operators.
#[component]
pub fn PrestatoreFacts(p: PaginaPrestatore) -> impl IntoView {
    let v = p.prestatore;
    let categorie: Vec<String> = v
        .categorie
        .iter()
        .map(|c| {
            format!(
                "{} dal {}{}",
                c.categoria.label(),
                format_date_text_it(&c.dal),
                c.al.as_deref().map(|a| format!(" al {}", format_date_text_it(a))).unwrap_or_default()
            )
        })
        .collect();
    view! {
        <dl class="facts card">
            <dt>"Prestatore"</dt><dd>{format!("{} {} · C.F. {}", v.nome, v.cognome, v.codice_fiscale)}</dd>
            <dt>"Pagamento"</dt><dd>{format!("{}{}", v.modalita_pagamento.label(), v.iban.map(|i| format!(" · {i}")).unwrap_or_default())}</dd>
            <dt>"Categorie dichiarate"</dt><dd>{if categorie.is_empty() { "Nessuna".to_string() } else { categorie.join("; ") }}</dd>
            <dt>"Recapiti"</dt><dd>{format!("{} · {}", v.email.unwrap_or_else(|| "e-mail non indicata".into()), v.telefono.unwrap_or_else(|| "telefono non indicato".into()))}</dd>
            <dt>"Sede di competenza"</dt><dd>{v.sede}</dd>
        </dl>
    }
}

/// Limits, payments and prestazioni, also shown to operators.
#[component]
pub fn PrestatoreLists(p: PaginaPrestatore) -> impl IntoView {
    view! {
        <h2>{format!("Limiti {}", p.anno)}</h2>
        <LimitBars limiti=p.limiti />
        <h2>"Pagamenti ricevuti"</h2>
        {if p.pagamenti.is_empty() {
            view! { <p id="pagamenti">"Nessun pagamento."</p> }.into_any()
        } else {
            view! {
                <ul class="request-list" id="pagamenti">
                    {p.pagamenti.into_iter().map(|g| view! {
                        <li class="request">
                            <p class="request-title">{format!("{} · {}", g.mese, g.importo)}</p>
                            <p class="muted">{format!("{} prestazioni · {} · disposto il {}", g.prestazioni, g.modalita.label(), format_date_text_it(&g.data))}</p>
                        </li>
                    }).collect_view()}
                </ul>
            }.into_any()
        }}
        <h2>{format!("Prestazioni {}", p.anno)}</h2>
        <PrestazioniList prestazioni=p.prestazioni per_prestatore=true />
    }
}

#[component]
pub fn PrestatorePage() -> impl IntoView {
    let data = Resource::new(|| (), |_| api::po_prestatore(None));
    view! {
        <Title text="Le mie prestazioni" />
        <p class="caption">"Prestazioni occasionali"</p>
        <h1>"Le mie prestazioni"</h1>
        <Transition fallback=|| view! { <p>"Caricamento…"</p> }>
            {Suspend::new(async move {
                match data.await {
                    Err(UiError(p)) if p.code == "not_found" => view! { <InvitoRegistrazione detail=p.detail /> }.into_any(),
                    Err(UiError(p)) => deny(*p),
                    Ok(p) => view! {
                        <PrestatoreFacts p=p.clone() />
                        <p><a href="/richieste/comunicazione" id="link-assistenza">"Un problema con un pagamento? Scrivi alla sede"</a></p>
                        <PrestatoreLists p />
                    }.into_any(),
                }
            })}
        </Transition>
    }
}
