//! The portal's delega check (Msg. 1099/2018 §6): delegato, delegante and role; the delegante's
//! position opens from here only when the delega is valid today.

use super::api;
use crate::components::forms::*;
use crate::error::UiError;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use shared::presto::portale::EsitoDelega;
use shared::time::format_date_text_it;

fn esito(e: EsitoDelega) -> impl IntoView {
    let ok = e.stato == "valida";
    view! {
        <div class=if ok { "notice notice-success" } else { "notice notice-error" } role="status" id="esito-delega">
            <p>{e.messaggio.clone()}</p>
        </div>
        {e.delega.map(|d| view! {
            <dl class="facts card" id="delega">
                <dt>"Delegato"</dt><dd>{format!("{} · C.F. {}", d.delegato, d.delegato_cf)}</dd>
                <dt>"Delegante"</dt><dd>{format!("{} · C.F. {}", d.delegante, d.delegante_cf)}</dd>
                <dt>"Ruolo"</dt><dd>{if d.ruolo == "dipendente" { "Dipendente delegato" } else { "Intermediario (L. 12/1979)" }}</dd>
                <dt>"Validità"</dt><dd>{format!("dal {}{}", format_date_text_it(&d.data_inizio), d.data_fine.as_deref().map(|f| format!(" al {}", format_date_text_it(f))).unwrap_or_else(|| " senza scadenza".into()))}</dd>
                {d.revocata_dal.map(|r| view! { <dt>"Revoca"</dt><dd>{format!("con effetto dal {}", format_date_text_it(&r))}</dd> })}
                <dt>"Documento"</dt><dd>{d.documento.unwrap_or_else(|| "riferimento non registrato".into())}</dd>
            </dl>
        })}
        {ok.then(|| view! {
            <ul id="posizione-delegante">
                {e.contribuente_id.map(|id| view! { <li><a href=format!("/fascicolo/{id}")>"Apri il Fascicolo del delegante"</a></li> })}
                {e.utilizzatore_id.map(|id| view! { <li><a href=format!("/presto/operatore/utilizzatore/{id}")>"Apri la scheda prestazioni occasionali del delegante"</a></li> })}
            </ul>
        })}
    }
}

#[component]
pub fn DeleghePage() -> impl IntoView {
    let q = use_query_map();
    let get = move |k: &str| q.with(|m| m.get(k)).unwrap_or_default();
    let keys = Memo::new(move |_| (get("delegato"), get("delegante"), get("ruolo")));
    let data = Resource::new(
        move || keys.get(),
        |(a, b, r)| async move {
            if a.trim().is_empty() && b.trim().is_empty() { Ok(None) } else { api::po_delega(a, b, r).await.map(Some) }
        },
    );
    view! {
        <Title text="Verifica di una delega – prestazioni occasionali" />
        <p class="caption"><a href="/presto/operatore">"Prestazioni occasionali"</a></p>
        <h1>"Verifica di una delega"</h1>
        <p>"Si cerca la delega tra delegato, delegante e ruolo: la posizione del delegante si apre da qui solo se la delega è valida oggi."</p>
        <Transition fallback=|| view! { <p>"Verifica…"</p> }>
            {Suspend::new(async move {
                let r = data.await;
                let problem = match &r {
                    Err(UiError(p)) if p.code == "validation" => Some((**p).clone()),
                    _ => None,
                };
                let field = |f: &str| field_error(problem.as_ref(), f);
                let cls = |f: &str| if field(f).is_some() { "field field-error" } else { "field" };
                let (a, b, ruolo) = keys.get_untracked();
                view! {
                    {problem.clone().map(|p| view! { <ErrorSummary problem=p /> })}
                    <form method="get" action="/presto/operatore/deleghe" class="search-form" id="verifica-delega">
                        <div class=cls("delegato")>
                            <label for="delegato">"Codice fiscale del delegato"</label>
                            {field("delegato").map(|m| view! { <p class="error-message">{m}</p> })}
                            <input id="delegato" name="delegato" value=a autocomplete="off" />
                        </div>
                        <div class=cls("delegante")>
                            <label for="delegante">"Codice fiscale del delegante (azienda)"</label>
                            {field("delegante").map(|m| view! { <p class="error-message">{m}</p> })}
                            <input id="delegante" name="delegante" value=b autocomplete="off" />
                        </div>
                        <div class=cls("ruolo")>
                            <label for="ruolo">"Ruolo del delegato"</label>
                            {field("ruolo").map(|m| view! { <p class="error-message">{m}</p> })}
                            <select id="ruolo" name="ruolo">
                                <option value="intermediario" selected=ruolo != "dipendente">"Intermediario (L. 12/1979)"</option>
                                <option value="dipendente" selected=ruolo == "dipendente">"Dipendente delegato"</option>
                            </select>
                        </div>
                        <button type="submit" class="button" id="verifica">"Verifica"</button>
                    </form>
                    {match r {
                        Ok(Some(e)) => esito(e).into_any(),
                        Err(UiError(p)) if p.code != "validation" => deny(*p),
                        _ => ().into_any(),
                    }}
                }.into_any()
            })}
        </Transition>
    }
}
