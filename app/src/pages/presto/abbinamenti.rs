//! The branch's unmatched F24 lines (Msg. 1099/2018 §4): why each was not credited, whom it may
//! belong to, and the manual matching with a mandatory note.

use super::api::{self, PoAbbina};
use crate::components::forms::*;
use crate::error::UiError;
use leptos::prelude::*;
use leptos_meta::Title;
use shared::presto::portale::{CandidatoAbbinamento, VersamentoDaAbbinare};
use shared::time::format_date_text_it;

#[component]
fn Candidato(versamento: i64, c: CandidatoAbbinamento, action: ServerAction<PoAbbina>) -> impl IntoView {
    let nota_id = format!("nota-{versamento}-{}", c.utilizzatore_id);
    let aiuto_id = format!("{nota_id}-aiuto");
    view! {
        <li class="candidato">
            <p><strong>{c.denominazione.clone()}</strong>{format!(" · {} · C.F. {} · sede {}", c.strumento.label(), c.codice_fiscale, c.sede)}</p>
            <p class="muted">{c.titolo.clone()}</p>
            {match c.impedimento.clone() {
                Some(why) => view! { <p class="notice">{format!("Non abbinabile: {why}")}</p> }.into_any(),
                None => view! {
                    <ActionForm action=action attr:class="abbina-form">
                        <input type="hidden" name="versamento" value=versamento />
                        <input type="hidden" name="utilizzatore_id" value=c.utilizzatore_id />
                        <div class="field">
                            <label for=nota_id.clone()>"Nota (obbligatoria)"</label>
                            <p class="muted" id=aiuto_id.clone()>"Come è stato verificato che il versamento è dell'utilizzatore."</p>
                            <textarea id=nota_id name="nota" rows="2" aria-describedby=aiuto_id></textarea>
                        </div>
                        <button type="submit" class="button button-small">
                            "Abbina"<span class="visually-hidden">{format!(" a {}", c.denominazione)}</span>
                        </button>
                    </ActionForm>
                }.into_any(),
            }}
        </li>
    }
}

#[component]
fn Riga(r: VersamentoDaAbbinare, action: ServerAction<PoAbbina>) -> impl IntoView {
    let v = r.versamento;
    let id = v.id;
    view! {
        <li class="request versamento-da-abbinare" id=format!("versamento-{id}")>
            <p class="request-title">{format!("{} · {} · causale {}", format_date_text_it(&v.data), v.importo, v.causale)}</p>
            <p class="muted">{format!("C.F. versante {} · rif. {}", v.codice_fiscale, v.riferimento)}</p>
            {v.motivo.map(|m| view! { <p>{format!("Motivo del mancato accredito: {m}")}</p> })}
            {if r.candidati.is_empty() {
                view! { <p class="muted">"Nessun utilizzatore registrato a cui ricondurlo: resta in attesa (rimborso o nuova registrazione)."</p> }.into_any()
            } else {
                view! {
                    <ul class="candidati">
                        {r.candidati.into_iter().map(|c| view! { <Candidato versamento=id c action /> }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </li>
    }
}

#[component]
pub fn VersamentiPage() -> impl IntoView {
    view! {
        <Title text="Versamenti F24 da abbinare – prestazioni occasionali" />
        <VersamentiPageIsola />
    }
}

/// The page's interactive part: an island in its area's WASM bundle (app/src/pagine.rs).
#[cfg_attr(feature = "isole-pagamenti", island)]
#[cfg_attr(not(feature = "isole-pagamenti"), component)]
fn VersamentiPageIsola() -> impl IntoView {
    let action = ServerAction::<PoAbbina>::new();
    let done = successes(move || matches!(action.value().get(), Some(Ok(_))));
    let data = Resource::new(move || done.get(), |_| api::po_versamenti(1));
    let problem = move || action.value().get().and_then(|r| r.err()).map(|e| *e.0);
    view! {
        <p class="caption"><a href="/presto/operatore">"Prestazioni occasionali"</a></p>
        <h1>"Versamenti F24 da abbinare"</h1>
        <p>"Versamenti che il flusso F24 non ha accreditato e che possono appartenere a un utilizzatore della sua sede. Si abbinano i versamenti fatti con il codice fiscale del legale rappresentante dell'azienda (causale CLOC) o dall'utilizzatore stesso prima di registrarsi."</p>
        {move || problem().map(|p| view! { <ErrorSummary problem=p /> })}
        {move || action.value().get().and_then(|r| r.ok()).map(|v| view! {
            <div class="notice notice-success" role="status" id="abbinamento-fatto">
                <p>{format!("Versamento {} di {} abbinato: l'importo è nel portafoglio dell'utilizzatore.", v.riferimento, v.importo)}</p>
            </div>
        })}
        <Transition fallback=|| view! { <p>"Caricamento…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(UiError(p)) => deny(*p),
                    Ok(list) if list.is_empty() => view! { <p id="nessun-versamento">"Nessun versamento da abbinare per la sua sede."</p> }.into_any(),
                    Ok(list) => view! {
                        <ul class="request-list" id="versamenti-da-abbinare">
                            {list.into_iter().map(|r| view! { <Riga r action /> }).collect_view()}
                        </ul>
                    }.into_any(),
                }
            })}
        </Transition>
    }
}
