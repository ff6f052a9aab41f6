//! One sample: how it was drawn (list, seed, size), its rows to check, each with the outcome and
//! the note recorded, and its export.

use super::api::{self, PoVerificaRiga};
use crate::components::download::Scarica;
use crate::components::forms::*;
use crate::error::UiError;
use leptos::prelude::*;
use leptos_meta::Title;
use shared::presto::campioni::{CampioneView, ESITI, RigaCampione};
use shared::time::format_date_text_it;

fn esito_label(code: &str) -> &'static str {
    ESITI.iter().find(|(c, _)| *c == code).map(|(_, l)| *l).unwrap_or("Da verificare")
}

#[component]
fn Riga(campione: i64, r: RigaCampione, action: ServerAction<PoVerificaRiga>) -> impl IntoView {
    let id = r.id;
    let current = r.esito.clone().unwrap_or_default();
    view! {
        <li class="request riga-campione" id=format!("riga-{id}")>
            <p class="request-title">{format!("{}. ", r.posizione)}<a href=format!("/presto/operatore/{}/{}", r.soggetto_tipo, r.soggetto_id)>{r.denominazione.clone()}</a></p>
            <p class="muted">{format!("C.F. {} · {} prestazioni · compenso {} · strato {}", r.codice_fiscale, r.prestazioni, r.compenso, r.strato)}</p>
            <p><span class=match current.as_str() { "conforme" => "tag tag-richiesta-accolta", "non_conforme" => "tag tag-richiesta-non_accolta", _ => "tag" }>{esito_label(&current)}</span>
                {r.verificato_da.clone().map(|v| format!(" · {v} il {}", r.verificato_at.as_deref().map(format_date_text_it).unwrap_or_default()))}
                {r.nota.clone().map(|n| format!(" · {n}"))}</p>
            <ActionForm action=action attr:class="verifica-form">
                <input type="hidden" name="id" value=campione />
                <input type="hidden" name="riga" value=id />
                <input type="hidden" name="version" value=r.version />
                <fieldset>
                    <legend>{format!("Esito della verifica di {}", r.denominazione)}</legend>
                    {ESITI.iter().map(|(c, l)| {
                        let input_id = format!("esito-{id}-{c}");
                        view! {
                            <div class="radio">
                                <input type="radio" id=input_id.clone() name="esito" value=*c checked=current == *c />
                                <label for=input_id>{*l}</label>
                            </div>
                        }
                    }).collect_view()}
                </fieldset>
                <div class="field">
                    <label for=format!("nota-{id}")>"Nota (obbligatoria se l'esito non è una conferma)"</label>
                    <textarea id=format!("nota-{id}") name="nota" rows="2">{r.nota.clone().unwrap_or_default()}</textarea>
                </div>
                <button type="submit" class="button button-small">"Registra l'esito"</button>
            </ActionForm>
        </li>
    }
}

/// Owned by the view it returns (`AnyView`), so the rows can be moved out afterwards.
fn testata(k: &CampioneView) -> AnyView {
    let dim = match (k.percentuale, k.numero) {
        (Some(p), _) => format!("{p} % dell'elenco"),
        (_, Some(n)) => format!("{n} righe"),
        _ => String::new(),
    };
    let e = &k.elenco;
    let filtri = [
        ("dal", &e.dal),
        ("al", &e.al),
        ("strumento", &e.strumento),
        ("categoria", &e.categoria),
        ("categoria speciale", &e.categoria_speciale),
        ("compenso da", &e.importo_min),
        ("compenso fino a", &e.importo_max),
    ]
    .iter()
    .filter(|(_, v)| !v.is_empty())
    .map(|(k, v)| format!("{k} {v}"))
    .collect::<Vec<_>>()
    .join(", ");
    view! {
        <dl class="facts card" id="dati-campione">
            <dt>"Elenco"</dt><dd>{format!("{} ({})", k.tipo, filtri)}</dd>
            <dt>"Dimensione"</dt><dd>{format!("{dim}{}: {} righe su {}", if k.stratificato { ", stratificato" } else { "" }, k.righe.len(), k.righe_elenco)}</dd>
            <dt>"Seme"</dt><dd id="seme-campione">{k.seme.clone()}</dd>
            <dt>"Estratto da"</dt><dd>{format!("{} il {}", k.creato_da, format_date_text_it(&k.created_at))}</dd>
            <dt>"Verificate"</dt><dd id="verificate">{format!("{} di {}", k.verificate, k.righe.len())}</dd>
        </dl>
    }
    .into_any()
}

#[component]
pub fn CampionePage() -> impl IntoView {
    let id = crate::components::layout::id_della_rotta();
    view! {
        <Title text="Campione per le verifiche – prestazioni occasionali" />
        <CampionePageIsola id />
    }
}

/// The page's interactive part: an island in its area's WASM bundle (app/src/pagine.rs).
#[cfg_attr(feature = "isole-portale", island)]
#[cfg_attr(not(feature = "isole-portale"), component)]
fn CampionePageIsola(id: i64) -> impl IntoView {
    let id = move || id;
    let action = ServerAction::<PoVerificaRiga>::new();
    let done = successes(move || matches!(action.value().get(), Some(Ok(_))));
    let data = Resource::new(move || (id(), done.get()), |(id, _)| api::po_campione(id));
    view! {
        <p class="caption"><a href="/presto/operatore/liste">"Elenchi per le verifiche"</a></p>
        {move || action.value().get().and_then(|r| r.err()).map(|e| view! { <ErrorSummary problem=*e.0 /> })}
        <Transition fallback=|| view! { <p>"Caricamento…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(UiError(p)) => deny(*p),
                    Ok(k) => {
                        let cid = k.id;
                        view! {
                            <h1>{format!("Campione «{}»", k.nome)}</h1>
                            {testata(&k)}
                            <p class="button-row">
                                <Scarica id="scarica-campione-csv" label="Scarica CSV" righe=k.righe.len() as i64 href=format!("/api/v1/presto/operatore/campioni/{cid}/export?formato=csv") />
                                <Scarica id="scarica-campione-xlsx" label="Scarica Excel (XLSX)" href=format!("/api/v1/presto/operatore/campioni/{cid}/export?formato=xlsx") />
                            </p>
                            <ul class="request-list" id="righe-campione">
                                {k.righe.into_iter().map(|r| view! { <Riga campione=cid r action /> }).collect_view()}
                            </ul>
                        }.into_any()
                    }
                }
            })}
        </Transition>
    }
}
