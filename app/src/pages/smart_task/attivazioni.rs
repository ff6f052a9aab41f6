//! The head office's page of the kinds' gradual activation (Msg. 4583/2023): each kind's state,
//! and a form to activate it from a day (today, or scheduled) or put it back "in arrivo".

use super::api::{self, StImpostaAttivazione};
use crate::components::forms::{ErrorSummary, field_error, successes};
use crate::error::UiError;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use shared::dto::AttivazioneView;

#[component]
fn Tipo(a: AttivazioneView, action: ServerAction<StImpostaAttivazione>, ultimo: RwSignal<String>) -> impl IntoView {
    let problem = move || action.value().get().and_then(|r| r.err()).map(|e| *e.0);
    // The field messages belong to the form that was sent last.
    let tipo = StoredValue::new(a.tipo.clone());
    let mine = move || ultimo.with(|u| tipo.with_value(|t| u == t));
    let err = move |f: &'static str| move || mine().then(|| field_error(problem().as_ref(), f)).flatten();
    let (dal_id, nota_id) = (format!("dal-{}", a.tipo), format!("nota-{}", a.tipo));
    let titolo = format!("titolo-{}", a.tipo);
    let dal = a.attivo_dal.as_deref().and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
    view! {
        <li class="request" id=format!("attivazione-{}", a.tipo)>
            <p class="request-title" id=titolo.clone()>{format!("{}. {}", a.numero, a.descrizione)}</p>
            <p><span class=if a.attivo { "tag tag-richiesta-accolta" } else { "tag" }>{a.stato.clone()}</span></p>
            {(!a.nota.is_empty()).then(|| view! { <p class="muted">{a.nota.clone()}</p> })}
            <ActionForm action=action attr:class="attivazione">
                <input type="hidden" name="tipo" value=tipo.get_value() />
                <input type="hidden" name="version" value=a.version />
                <div class=move || if err("attivo_dal")().is_some() { "field field-error" } else { "field" }>
                    <label for=dal_id.clone()>"Attivo dal (gg/mm/aaaa; vuoto: in arrivo)"</label>
                    {move || err("attivo_dal")().map(|m| view! { <p class="error-message">{m}</p> })}
                    <input id=dal_id name="attivo_dal" inputmode="numeric" placeholder="gg/mm/aaaa" aria-describedby=titolo.clone()
                        value=dal.map(shared::time::format_date_it).unwrap_or_default() />
                </div>
                <div class=move || if err("nota")().is_some() { "field field-error" } else { "field" }>
                    <label for=nota_id.clone()>"Motivo della modifica"</label>
                    {move || err("nota")().map(|m| view! { <p class="error-message">{m}</p> })}
                    <textarea id=nota_id name="nota" rows="2" aria-describedby=titolo.clone()></textarea>
                </div>
                <button type="submit" class="button button-small" on:click=move |_| ultimo.set(tipo.get_value())>"Salva"</button>
            </ActionForm>
        </li>
    }
}

#[component]
pub fn AttivazioniPage() -> impl IntoView {
    view! {
        <Title text="Attivazione Smart-Task" />
        <AttivazioniPageIsola />
    }
}

/// The page's interactive part: an island in its area's WASM bundle (app/src/pagine.rs).
#[cfg_attr(feature = "isole-direzione", island)]
#[cfg_attr(not(feature = "isole-direzione"), component)]
fn AttivazioniPageIsola() -> impl IntoView {
    let action = ServerAction::<StImpostaAttivazione>::new();
    let value = action.value();
    let saved = successes(move || matches!(value.get(), Some(Ok(_))));
    let data = Resource::new(move || saved.get(), |_| api::st_attivazioni());
    let ultimo = RwSignal::new(String::new());
    view! {
        <p class="caption">"Amministrazione centrale"</p>
        <h1>"Attivazione dei tipi di Smart-Task"</h1>
        <p class="lead">"Un tipo è offerto e accettato dal giorno indicato; una data futura programma l'attivazione. Ogni modifica vale subito per tutti ed è registrata con il motivo."</p>
        {move || match value.get() {
            Some(Ok(a)) => Some(view! {
                <div class="notice notice-success" role="status" id="esito"><p>{format!("{}: {}.", a.descrizione, a.stato)}</p></div>
            }.into_any()),
            Some(Err(e)) => Some(view! { <ErrorSummary problem=*e.0 /> }.into_any()),
            None => None,
        }}
        <Transition fallback=|| view! { <p>"Caricamento…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(UiError(p)) if p.code == "unauthenticated" => view! { <Redirect path="/accedi" /> }.into_any(),
                    Err(UiError(p)) => view! { <div class="notice notice-error" role="alert"><p>{p.detail}</p></div> }.into_any(),
                    Ok(list) => view! {
                        <ul class="request-list" id="attivazioni">
                            {list.into_iter().map(|a| view! { <Tipo a action ultimo /> }).collect_view()}
                        </ul>
                    }.into_any(),
                }
            })}
        </Transition>
    }
}
