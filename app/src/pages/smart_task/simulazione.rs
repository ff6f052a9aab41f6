//! "What if" (head office): choose a parameter change and a set of past decisions; the server
//! re-runs them without changing anything and says which outcomes would change and why.

use super::api::{self, StSimula};
use crate::components::download::Scarica;
use crate::components::filters::href;
use crate::components::forms::{ErrorSummary, field_error};
use crate::error::UiError;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use shared::smart_task::Kind;
use shared::smart_task::simulazione::{EsitoSimulazione, ParametroView, RichiestaSimulazione};

fn campo(
    id: &'static str,
    label: &'static str,
    hint: &'static str,
    err: impl Fn(&'static str) -> Option<String> + Send + Sync + Copy + 'static,
) -> impl IntoView {
    view! {
        <div class=move || if err(id).is_some() { "field field-error" } else { "field" }>
            <label for=id>{label}</label>
            <p class="muted" id=format!("{id}-aiuto")>{hint}</p>
            {move || err(id).map(|m| view! { <p class="error-message">{m}</p> })}
            <input id=id name=id inputmode=if id == "valore" { "text" } else { "numeric" } aria-describedby=format!("{id}-aiuto") />
        </div>
    }
}

#[component]
fn Parametri(list: Vec<ParametroView>) -> impl IntoView {
    view! {
        <details>
            <summary>"Valori in vigore dei parametri"</summary>
            <dl class="summary-list" id="parametri">
                {list.into_iter().map(|p| {
                    let valori: Vec<String> = p.valori.iter()
                        .map(|(dal, v, _)| format!("{v} dal {}", shared::time::format_date_text_it(dal)))
                        .collect();
                    view! { <div><dt>{p.nome}</dt><dd>{valori.join("; ")}</dd></div> }
                }).collect_view()}
            </dl>
        </details>
    }
}

#[component]
fn Risultato(e: EsitoSimulazione, q: RichiestaSimulazione) -> impl IntoView {
    let it = shared::money::migliaia_it;
    let export = href(
        "/api/v1/smart-task/simulazioni/export",
        [
            ("tipo", q.tipo.as_deref().unwrap_or("")),
            ("dal", q.dal.as_str()),
            ("al", q.al.as_str()),
            ("parametro", q.parametro.as_str()),
            ("valore", q.valore.as_str()),
            ("valido_dal", q.valido_dal.as_str()),
            ("formato", "csv"),
        ],
    );
    let sintesi = format!(
        "Decisioni rieseguite: {} in {} ms. Cambierebbero: {} ({} non più accolte, {} ora accolte). Nulla è stato modificato.",
        it(e.esaminate),
        it(e.durata_ms),
        it(e.cambiate),
        it(e.non_piu_accolte),
        it(e.ora_accolte)
    );
    view! {
        <div class="notice notice-success" role="status" id="esito-simulazione"><p>{sintesi}</p></div>
        {(!e.per_controllo.is_empty()).then(|| view! {
            <h2>"Controlli che fanno la differenza"</h2>
            <ul id="per-controllo">
                {e.per_controllo.iter().map(|(c, n)| {
                    let quante = if *n == 1 { "1 decisione".to_string() } else { format!("{} decisioni", it(*n)) };
                    view! { <li>{format!("{c}: {quante}")}</li> }
                }).collect_view()}
            </ul>
        })}
        {(!e.cambiate_elenco.is_empty()).then(|| view! {
            <h2>"Decisioni che cambierebbero"</h2>
            <ul class="request-list" id="cambiate">
                {e.cambiate_elenco.iter().map(|d| view! {
                    <li class="request">
                        <p class="request-title"><a href=format!("/fascicolo/richiesta/{}", d.protocollo)>{d.protocollo.clone()}</a></p>
                        <p>{format!(
                            "{} · {} · da {} a {}",
                            Kind::from_code(&d.tipo).map(|k| k.label()).unwrap_or(d.tipo.as_str()),
                            shared::time::format_date_text_it(&d.data_riferimento),
                            d.esito_prima,
                            d.esito_dopo
                        )}</p>
                        <p class="muted">{d.controlli.join(", ")}</p>
                    </li>
                }).collect_view()}
            </ul>
        })}
        <Scarica id="scarica-simulazione" label="Scarica il rapporto completo (CSV)" righe=e.esaminate as i64 href=export />
    }
}

#[component]
pub fn SimulazionePage() -> impl IntoView {
    view! {
        <Title text="Simulazione delle regole Smart-Task" />
        <SimulazionePageIsola />
    }
}

/// The page's interactive part: an island in its area's WASM bundle (app/src/pagine.rs).
#[cfg_attr(feature = "isole-direzione", island)]
#[cfg_attr(not(feature = "isole-direzione"), component)]
fn SimulazionePageIsola() -> impl IntoView {
    let action = ServerAction::<StSimula>::new();
    let value = action.value();
    let parametri = Resource::new(|| (), |_| api::st_parametri());
    // The action forgets its input once it resolves: the question is kept for the CSV's link.
    let ultima = RwSignal::new(None::<StSimula>);
    Effect::new(move |_| {
        if let Some(i) = action.input().get() {
            ultima.set(Some(i));
        }
    });
    let problem = move || value.get().and_then(|r| r.err()).map(|e| *e.0);
    let err = move |f: &'static str| field_error(problem().as_ref(), f);
    view! {
        <p class="caption">"Direzione generale"</p>
        <h1>"E se le regole cambiassero?"</h1>
        <p class="lead">"Le decisioni già prese sono rieseguite con un parametro cambiato da una data, senza modificare nulla: si vede quante cambierebbero, quali e per quale controllo."</p>
        <Transition fallback=|| view! { <p>"Caricamento…"</p> }>
            {move || Suspend::new(async move {
                match parametri.await {
                    Err(UiError(p)) if p.code == "unauthenticated" => view! { <Redirect path="/accedi" /> }.into_any(),
                    Err(UiError(p)) => view! { <div class="notice notice-error" role="alert"><p>{p.detail}</p></div> }.into_any(),
                    Ok(list) => {
                        let nomi: Vec<String> = list.iter().map(|p| p.nome.clone()).collect();
                        view! {
                            {move || problem().map(|p| view! { <ErrorSummary problem=p /> })}
                            <ActionForm action=action attr:id="simulazione">
                                <div class="field">
                                    <label for="tipo">"Tipo di Smart-Task"</label>
                                    <select id="tipo" name="tipo">
                                        <option value="">"Tutti i tipi"</option>
                                        {Kind::ALL.iter().map(|k| view! { <option value=k.code()>{format!("{}. {}", k.number(), k.label())}</option> }).collect_view()}
                                    </select>
                                </div>
                                {campo("dal", "Decisioni dal", "Data di riferimento della richiesta, gg/mm/aaaa.", err)}
                                {campo("al", "Decisioni al", "Ultima data di riferimento, gg/mm/aaaa.", err)}
                                <div class=move || if err("parametro").is_some() { "field field-error" } else { "field" }>
                                    <label for="parametro">"Parametro da cambiare"</label>
                                    {move || err("parametro").map(|m| view! { <p class="error-message">{m}</p> })}
                                    <select id="parametro" name="parametro">
                                        <option value="">"Scegliere…"</option>
                                        {nomi.into_iter().map(|n| view! { <option value=n.clone()>{n.clone()}</option> }).collect_view()}
                                    </select>
                                </div>
                                {campo("valore", "Nuovo valore", "Ad esempio 55.", err)}
                                {campo("valido_dal", "In vigore dal", "Il nuovo valore vale da questa data, gg/mm/aaaa.", err)}
                                <button type="submit" class="button" id="simula" disabled=move || action.pending().get()>
                                    {move || if action.pending().get() { "Simulazione in corso…" } else { "Simula" }}
                                </button>
                            </ActionForm>
                            <Parametri list />
                        }.into_any()
                    }
                }
            })}
        </Transition>
        <div aria-live="polite">
            {move || action.pending().get().then(|| view! { <p class="muted" id="in-corso"><progress aria-label="Simulazione in corso"></progress>" Rieseguo le decisioni…"</p> })}
            {move || match (value.get(), ultima.get()) {
                (Some(Ok(e)), Some(i)) => Some(view! { <Risultato e q=RichiestaSimulazione {
                    tipo: i.tipo, dal: i.dal, al: i.al, parametro: i.parametro, valore: i.valore, valido_dal: i.valido_dal,
                } /> }),
                _ => None,
            }}
        </div>
    }
}
