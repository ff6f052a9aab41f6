//! The CPO category of a user (Msg. 1099/2018 §3): changed by the branch while the user has no
//! prestazione, otherwise forwarded to DG, whose queue shows each request with the prestazioni
//! that would not fit the new category, to apply or refuse with a reason.

use super::api::{self, PoCambiaCategoria, PoDecidiCategoria};
use crate::components::forms::*;
use crate::error::UiError;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use shared::presto::CategoriaCpo;
use shared::presto::portale::{CambioCategoriaView, StatoCambio};
use shared::richiesta::CheckView;
use shared::time::format_date_text_it;

fn verifica(checks: Vec<CheckView>) -> impl IntoView {
    if checks.is_empty() {
        return view! { <p class="muted">"Tutte le prestazioni già inserite sono coerenti con la nuova categoria."</p> }.into_any();
    }
    view! {
        <p><strong>{format!("Prestazioni non coerenti con la nuova categoria: {}", checks.len())}</strong></p>
        <ul class="checks">
            {checks.into_iter().map(|c| view! {
                <li class="check check-ko">
                    <p class="check-head"><span class="tag tag-richiesta-non_accolta">"Non coerente"</span>" "<strong>{c.descrizione}</strong></p>
                    <p>{c.motivo}</p>
                    <p class="muted">{format!("{} · {}", c.codice, c.riferimento)}</p>
                </li>
            }).collect_view()}
        </ul>
    }
    .into_any()
}

#[component]
fn Cambio(c: CambioCategoriaView, #[prop(optional)] decidi: bool) -> impl IntoView {
    let da = c.da.map(|x| x.label()).unwrap_or("—");
    let id = c.id;
    let in_attesa = c.stato == StatoCambio::InoltratoDg;
    view! {
        <li class="request cambio-categoria" id=format!("cambio-{id}")>
            <p class="request-title">{format!("{} → {}", da, c.a.label())}</p>
            <p><span class=format!("tag tag-cambio-{}", c.stato.code())>{c.stato.label()}</span>{format!(" · {} · sede {}", c.denominazione, c.sede)}</p>
            <p>{format!("Motivo: {}", c.motivo)}</p>
            <p class="muted">{format!("Richiesto da {} il {}", c.richiesto_da, format_date_text_it(&c.richiesto_at))}</p>
            {c.deciso_at.clone().map(|d| view! {
                <p class="muted">{format!("Deciso da {} il {}: {}", c.deciso_da.clone().unwrap_or_default(), format_date_text_it(&d), c.nota_decisione.clone().unwrap_or_default())}</p>
            })}
            {(c.puo_decidere || !c.verifica.is_empty()).then(|| verifica(c.verifica.clone()))}
            {(in_attesa && !c.puo_decidere).then(|| view! { <p class="muted">"La Direzione Generale verifica le prestazioni già inserite prima di decidere."</p> })}
            {(decidi && c.puo_decidere).then(|| view! { <Decisione id /> })}
        </li>
    }
}

/// DG's decision on one request, in the browser: a refusal shows why above the buttons; a
/// decision loads the queue again, which says so (`?decisa=`).
#[cfg_attr(feature = "isole-portale", island)]
#[cfg_attr(not(feature = "isole-portale"), component)]
fn Decisione(id: i64) -> impl IntoView {
    let action = ServerAction::<PoDecidiCategoria>::new();
    vai_se_fatto(move || action.value().get());
    let nota_id = format!("nota-decisione-{id}");
    view! {
        {move || action.value().get().and_then(|r| r.err()).map(|UiError(p)| view! { <ErrorSummary problem=*p /> })}
        <ActionForm action attr:class="decisione-form">
            <input type="hidden" name="id" value=id />
            <div class="field">
                <label for=nota_id.clone()>"Nota della decisione (obbligatoria)"</label>
                <textarea id=nota_id name="nota" rows="2"></textarea>
            </div>
            <div class="button-row">
                <button type="submit" name="esito" value="applica" class="button button-small">"Applica il cambio"</button>
                <button type="submit" name="esito" value="rifiuta" class="button button-small button-outline">"Respingi"</button>
            </div>
        </ActionForm>
    }
}

/// The branch's change or forward to DG, in the browser: a refusal shows why at the field and
/// keeps what was typed; a change loads the page again, which says so (`?salvata=`).
#[cfg_attr(feature = "isole-portale", island)]
#[cfg_attr(not(feature = "isole-portale"), component)]
fn CategoriaForm(id: i64, version: i64, current: Option<CategoriaCpo>, inoltra: bool) -> impl IntoView {
    let action = ServerAction::<PoCambiaCategoria>::new();
    vai_se_fatto(move || action.value().get());
    let problem = Signal::derive(move || action.value().get().and_then(|r| r.err()).map(|e| *e.0));
    let (cat_id, nota_id) = if inoltra { ("categoria-dg", "nota-dg") } else { ("categoria", "nota") };
    view! {
        {move || problem.get().map(|p| view! { <ErrorSummary problem=p /> })}
        <ActionForm action=action attr:id=if inoltra { "inoltro-dg" } else { "cambio-categoria" }>
            <input type="hidden" name="id" value=id />
            <input type="hidden" name="version" value=version />
            <input type="hidden" name="inoltra" value=inoltra.to_string() />
            <div class=move || if field_error(problem.get().as_ref(), "categoria").is_some() { "field field-error" } else { "field" }>
                <label for=cat_id>"Nuova categoria"</label>
                {move || field_error(problem.get().as_ref(), "categoria").map(|m| view! { <p class="error-message">{m}</p> })}
                <select id=cat_id name="categoria">
                    <option value="">"Scegliere…"</option>
                    {CategoriaCpo::ALL.iter().filter(|c| Some(**c) != current).map(|c| view! { <option value=c.code()>{c.label()}</option> }).collect_view()}
                </select>
            </div>
            <div class=move || if field_error(problem.get().as_ref(), "nota").is_some() { "field field-error" } else { "field" }>
                <label for=nota_id>{if inoltra { "Motivo per la Direzione Generale (obbligatorio)" } else { "Nota (obbligatoria)" }}</label>
                {move || field_error(problem.get().as_ref(), "nota").map(|m| view! { <p class="error-message">{m}</p> })}
                <textarea id=nota_id name="nota" rows="3"></textarea>
            </div>
            <button type="submit" class="button">{if inoltra { "Inoltra alla Direzione Generale" } else { "Cambia la categoria" }}</button>
        </ActionForm>
    }
}

/// Rendered on the server; only the forms are islands.
#[component]
pub fn CategoriaPage() -> impl IntoView {
    let id = crate::components::layout::id_della_rotta();
    let data = Resource::new(move || id, api::po_categoria);
    let salvata = use_query_map().with_untracked(|q| q.get("salvata").is_some());
    view! {
        <Title text="Categoria dell'utilizzatore CPO – prestazioni occasionali" />
        <p class="caption"><a href="/presto/operatore">"Prestazioni occasionali"</a></p>
        <Suspense fallback=|| view! { <p>"Caricamento…"</p> }>
            {Suspend::new(async move {
                match data.await {
                    Err(UiError(p)) => deny(*p),
                    Ok(s) => {
                        let u = s.utilizzatore.clone();
                        let stato = if s.prestazioni == 0 {
                            "Nessuna prestazione inserita: la categoria la cambia la sede.".to_string()
                        } else {
                            format!("{} prestazioni inserite: la categoria la cambia solo la Direzione Generale, dopo aver verificato che siano coerenti con la nuova.", s.prestazioni)
                        };
                        let (uid, version, current) = (u.id, u.version, u.categoria);
                        view! {
                            <h1>{format!("Categoria di {}", u.denominazione)}</h1>
                            {salvata.then(|| view! {
                                <div class="notice notice-success" role="status" id="categoria-salvata"><p>"Fatto: l'operazione è registrata con la nota."</p></div>
                            })}
                            <dl class="facts card">
                                <dt>"Categoria attuale"</dt><dd id="categoria-attuale">{u.categoria.map(|c| c.label()).unwrap_or("—")}</dd>
                                <dt>"Dipendenti (media)"</dt><dd>{u.dipendenti_centesimi.map(|n| format!("{},{:02}", n / 100, n % 100)).unwrap_or_else(|| "—".into())}</dd>
                                <dt>"Competenza"</dt><dd>{stato}</dd>
                            </dl>
                            <p><a href=format!("/presto/operatore/utilizzatore/{}", u.id)>"Torna alla scheda dell'utilizzatore"</a></p>
                            {if s.puo_modificare {
                                view! { <h2>"Cambia la categoria"</h2><CategoriaForm id=uid version current inoltra=false /> }.into_any()
                            } else if s.puo_inoltrare {
                                view! {
                                    <h2>"Richiedi il cambio alla Direzione Generale"</h2>
                                    <p>"La richiesta arriva alla Direzione Generale tramite la Direzione regionale; l'esito compare qui sotto."</p>
                                    <CategoriaForm id=uid version current inoltra=true />
                                }.into_any()
                            } else if s.cambi.iter().any(|c| c.stato == StatoCambio::InoltratoDg) {
                                view! { <p class="notice">"Una richiesta di cambio è all'esame della Direzione Generale."</p> }.into_any()
                            } else {
                                view! { <p class="notice">"Sola consultazione."</p> }.into_any()
                            }}
                            <h2>"Storico dei cambi"</h2>
                            {if s.cambi.is_empty() {
                                view! { <p>"Nessun cambio di categoria."</p> }.into_any()
                            } else {
                                view! { <ul class="request-list" id="storico-cambi">{s.cambi.into_iter().map(|c| view! { <Cambio c /> }).collect_view()}</ul> }.into_any()
                            }}
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

/// DG's queue, rendered on the server; only each request's decision is an island.
#[component]
pub fn CambiCategoriaPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| api::po_cambi_categoria());
    let decisa = use_query_map().with_untracked(|q| q.get("decisa").and_then(|v| v.parse::<i64>().ok()));
    view! {
        <Title text="Cambi di categoria CPO – prestazioni occasionali" />
        <p class="caption"><a href="/presto/operatore">"Prestazioni occasionali"</a></p>
        <h1>"Cambi di categoria CPO"</h1>
        <p>"Le richieste delle sedi per utilizzatori che hanno già inserito prestazioni: il cambio si applica solo se tutte sono coerenti con la nuova categoria."</p>
        <Suspense fallback=|| view! { <p>"Caricamento…"</p> }>
            {Suspend::new(async move {
                match data.await {
                    Err(UiError(p)) => deny(*p),
                    Ok(list) => {
                        let fatto = decisa.and_then(|id| list.iter().find(|c| c.id == id)).map(|v| view! {
                            <div class="notice notice-success" role="status" id="decisione-fatta"><p>{format!("Richiesta per {}: {}.", v.denominazione, v.stato.label())}</p></div>
                        });
                        let elenco = if list.is_empty() {
                            view! { <p id="nessun-cambio">"Nessuna richiesta."</p> }.into_any()
                        } else {
                            view! {
                                <ul class="request-list" id="cambi-categoria">
                                    {list.into_iter().map(|c| view! { <Cambio c decidi=true /> }).collect_view()}
                                </ul>
                            }.into_any()
                        };
                        view! { {fatto} {elenco} }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}
