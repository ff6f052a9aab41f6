//! The user's refunds and transfers: the refund of the unused balance to an IBAN in its own
//! name, or the move of a payment made under the wrong instrument; and the sede's queue that
//! approves or refuses them.

use super::api::{self, PoChiediRimborso, PoDecidiRimborso};
use crate::components::forms::*;
use crate::error::UiError;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use shared::dto::Problem;
use shared::presto::rimborsi::{RimborsoView, stato_label};
use shared::time::format_date_text_it;

fn classe(problem: Option<&Problem>, id: &str) -> &'static str {
    if field_error(problem, id).is_some() { "field field-error" } else { "field" }
}

#[component]
fn Richiesta(r: RimborsoView, #[prop(optional)] decidi: Option<ServerAction<PoDecidiRimborso>>) -> impl IntoView {
    let id = r.id;
    let cosa = if r.tipo == "rimborso" {
        format!("Rimborso di {} sull'IBAN {}", r.importo, r.iban.clone().unwrap_or_default())
    } else {
        format!(
            "Trasferimento di {} ({}) al {}",
            r.importo,
            r.versamento.clone().unwrap_or_default(),
            r.destinazione.clone().unwrap_or_default()
        )
    };
    let tag = match r.stato.as_str() {
        "approvato" => "tag tag-richiesta-accolta",
        "rifiutato" => "tag tag-richiesta-non_accolta",
        _ => "tag",
    };
    view! {
        <li class="request rimborso" id=format!("rimborso-{id}")>
            <p class="request-title">{cosa}</p>
            <p><span class=tag>{stato_label(&r.stato)}</span>{format!(" · {} · C.F. {} · sede {}", r.denominazione, r.codice_fiscale, r.sede)}</p>
            <p>{format!("Motivo: {} · chiesto il {}", r.motivo, format_date_text_it(&r.richiesto_at))}</p>
            {r.deciso_at.clone().map(|d| view! {
                <p class="muted">{format!("Deciso da {} il {}{}", r.deciso_da.clone().unwrap_or_default(), format_date_text_it(&d), r.nota_decisione.clone().map(|n| format!(": {n}")).unwrap_or_default())}</p>
            })}
            {decidi.filter(|_| r.puo_decidere).map(|a| {
                let nota_id = format!("nota-rimborso-{id}");
                view! {
                    <ActionForm action=a attr:class="decisione-rimborso">
                        <input type="hidden" name="id" value=id />
                        <div class="field">
                            <label for=nota_id.clone()>"Nota (obbligatoria per respingere)"</label>
                            <textarea id=nota_id name="nota" rows="2"></textarea>
                        </div>
                        <div class="button-row">
                            <button type="submit" name="esito" value="approva" class="button button-small">"Approva"</button>
                            <button type="submit" name="esito" value="rifiuta" class="button button-small button-outline">"Respingi"</button>
                        </div>
                    </ActionForm>
                }
            })}
        </li>
    }
}

/// Rendered on the server; only the form is an island, so the wallet and the requests never go
/// through the browser's WASM. A request that went through loads the page again (`?chiesto=`).
#[component]
pub fn RimborsiPage() -> impl IntoView {
    let wallet = Resource::new(|| (), |_| api::po_portafoglio(None));
    let list = Resource::new(|| (), |_| api::po_rimborsi());
    let chiesto = use_query_map().with_untracked(|q| q.get("chiesto").and_then(|v| v.parse::<i64>().ok()));
    view! {
        <Title text="Rimborsi e trasferimenti – prestazioni occasionali" />
        <p class="caption"><a href="/presto">"Il portafoglio"</a></p>
        <h1>"Rimborsi e trasferimenti"</h1>
        <Suspense fallback=|| view! { <p>"Caricamento…"</p> }>
            {Suspend::new(async move {
                match (wallet.await, list.await) {
                    (Err(UiError(p)), _) | (_, Err(UiError(p))) => deny(*p),
                    (Ok(w), Ok(l)) => {
                        let versamenti: Vec<(i64, String)> = w
                            .versamenti
                            .iter()
                            .filter(|v| v.stato != "non_abbinato")
                            .map(|v| (v.id, format!("{} · {} · {}", format_date_text_it(&v.data), v.importo, v.riferimento)))
                            .collect();
                        let fatto = chiesto.and_then(|id| l.iter().find(|r| r.id == id)).map(|r| view! {
                            <div class="notice notice-success" role="status" id="rimborso-chiesto"><p>{format!("Richiesta registrata: {} accantonati in attesa della decisione della sede.", r.importo)}</p></div>
                        });
                        view! {
                            {fatto}
                            <p id="saldo-disponibile">{format!("Saldo disponibile: {}. Si rimborsa solo quanto non è stato usato per prestazioni; l'importo resta accantonato finché la sede decide.", w.saldo)}</p>
                            <ModuloRimborso versamenti />
                            <h2>"Le sue richieste"</h2>
                            {if l.is_empty() {
                                view! { <p>"Nessuna richiesta."</p> }.into_any()
                            } else {
                                view! { <ul class="request-list" id="rimborsi">{l.into_iter().map(|r| view! { <Richiesta r /> }).collect_view()}</ul> }.into_any()
                            }}
                        }
                        .into_any()
                    }
                }
            })}
        </Suspense>
    }
}

/// The request's form, in the browser: a refusal shows why and keeps what was typed.
/// `versamenti`: the payments that can be moved, as (id, description).
#[cfg_attr(feature = "isole-libretto", island)]
#[cfg_attr(not(feature = "isole-libretto"), component)]
fn ModuloRimborso(versamenti: Vec<(i64, String)>) -> impl IntoView {
    let action = ServerAction::<PoChiediRimborso>::new();
    vai_se_fatto(move || action.value().get());
    let problem = Signal::derive(move || action.value().get().and_then(|r| r.err()).map(|e| *e.0));
    let err = move |f: &'static str| {
        move || field_error(problem.get().as_ref(), f).map(|m| view! { <p class="error-message">{m}</p> })
    };
    let nessun_versamento = versamenti.is_empty().then(
        || view! { <p class="muted" id="nessun-versamento">"Non ci sono versamenti accreditati da trasferire."</p> },
    );
    view! {
        {move || problem.get().map(|p| view! { <ErrorSummary problem=p /> })}
        <ActionForm action=action attr:id="nuovo-rimborso">
            <fieldset class=move || classe(problem.get().as_ref(), "tipo")>
                <legend>"Che cosa chiede"</legend>
                {err("tipo")}
                <div class="radio"><input type="radio" id="tipo-rimborso" name="tipo" value="rimborso" checked=true /><label for="tipo-rimborso">"Il rimborso del saldo non utilizzato"</label></div>
                <div class="radio"><input type="radio" id="tipo-trasferimento" name="tipo" value="trasferimento" /><label for="tipo-trasferimento">"Il trasferimento di un versamento all'altro strumento (Libretto Famiglia ↔ CPO)"</label></div>
            </fieldset>
            // Only the chosen kind's fields show (a style rule on the checked choice: no
            // script needed); the server reads only those.
            <div class="solo-rimborso">
            <div class=move || classe(problem.get().as_ref(), "importo")>
                <label for="importo">"Importo da rimborsare (€)"</label>{err("importo")}
                <input id="importo" name="importo" inputmode="decimal" />
            </div>
            <div class=move || classe(problem.get().as_ref(), "iban")>
                <label for="iban">"IBAN del conto su cui accreditarlo"</label>{err("iban")}
                <input id="iban" name="iban" autocomplete="off" />
            </div>
            <div class=move || format!("{} checkbox", classe(problem.get().as_ref(), "iban_intestato"))>
                {err("iban_intestato")}
                <input type="checkbox" id="iban_intestato" name="iban_intestato" value="true" />
                <label for="iban_intestato">"Dichiaro che il conto è intestato a me (o all'azienda che rappresento)"</label>
            </div>
            </div>
            <div class="solo-trasferimento">
            {nessun_versamento}
            <div class=move || classe(problem.get().as_ref(), "versamento_id")>
                <label for="versamento_id">"Versamento da trasferire"</label>{err("versamento_id")}
                <select id="versamento_id" name="versamento_id">
                    <option value="">"Scegliere…"</option>
                    {versamenti.into_iter().map(|(id, descr)| view! { <option value=id>{descr}</option> }).collect_view()}
                </select>
            </div>
            </div>
            <div class=move || classe(problem.get().as_ref(), "motivo")>
                <label for="motivo">"Motivo"</label>{err("motivo")}
                <textarea id="motivo" name="motivo" rows="3"></textarea>
            </div>
            <button type="submit" class="button" id="chiedi-rimborso">"Invia la richiesta"</button>
        </ActionForm>
    }
}

#[component]
pub fn RimborsiSedePage() -> impl IntoView {
    view! {
        <Title text="Rimborsi e trasferimenti da decidere – prestazioni occasionali" />
        <RimborsiSedePageIsola />
    }
}

/// The page's interactive part: an island in its area's WASM bundle (app/src/pagine.rs).
#[cfg_attr(feature = "isole-pagamenti", island)]
#[cfg_attr(not(feature = "isole-pagamenti"), component)]
fn RimborsiSedePageIsola() -> impl IntoView {
    let action = ServerAction::<PoDecidiRimborso>::new();
    let done = successes(move || matches!(action.value().get(), Some(Ok(_))));
    let list = Resource::new(move || done.get(), |_| api::po_rimborsi_sede());
    view! {
        <p class="caption"><a href="/presto/operatore">"Prestazioni occasionali"</a></p>
        <h1>"Rimborsi e trasferimenti"</h1>
        {move || action.value().get().and_then(|r| r.err()).map(|e| view! { <ErrorSummary problem=*e.0 /> })}
        {move || action.value().get().and_then(|r| r.ok()).map(|r| view! {
            <div class="notice notice-success" role="status" id="rimborso-deciso"><p>{format!("Richiesta di {}: {}.", r.denominazione, stato_label(&r.stato))}</p></div>
        })}
        <Transition fallback=|| view! { <p>"Caricamento…"</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Err(UiError(p)) => deny(*p),
                    Ok(l) if l.is_empty() => view! { <p>"Nessuna richiesta."</p> }.into_any(),
                    Ok(l) => view! { <ul class="request-list" id="rimborsi-sede">{l.into_iter().map(|r| view! { <Richiesta r decidi=action /> }).collect_view()}</ul> }.into_any(),
                }
            })}
        </Transition>
    }
}
