//! The sede's lists for checking self-declarations (Msg. 1099/2018 §5): utilizzatori and
//! prestatori with prestazioni in a period, filtered, paged, exported as CSV or XLSX, and the
//! reproducible samples drawn from them.

use super::api::{self, PoCreaCampione};
use crate::components::download::Scarica;
use crate::components::forms::*;
use crate::error::UiError;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_query_map;
use shared::presto::elenchi::RichiestaElenco;
use shared::presto::{CategoriaCpo, CategoriaSpeciale, Strumento};
use shared::time::format_date_text_it;

const CAMPI: [&str; 8] =
    ["tipo", "dal", "al", "strumento", "categoria", "categoria_speciale", "importo_min", "importo_max"];

fn query_string(r: &RichiestaElenco) -> String {
    let vals =
        [&r.tipo, &r.dal, &r.al, &r.strumento, &r.categoria, &r.categoria_speciale, &r.importo_min, &r.importo_max];
    let mut q = form_urlencoded::Serializer::new(String::new());
    for (k, v) in CAMPI.iter().zip(vals).filter(|(_, v)| !v.is_empty()) {
        q.append_pair(k, v);
    }
    q.finish()
}

#[component]
fn Scelta(
    id: &'static str,
    label: &'static str,
    value: String,
    options: Vec<(&'static str, &'static str)>,
    #[prop(optional)] senza_tutti: bool,
) -> impl IntoView {
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <select id=id name=id>
                {(!senza_tutti).then(|| view! { <option value="">"Tutti"</option> })}
                {options.into_iter().map(|(c, l)| view! { <option value=c selected=value == c>{l}</option> }).collect_view()}
            </select>
        </div>
    }
}

#[component]
fn Campo(id: &'static str, label: &'static str, value: String, #[prop(optional)] hint: &'static str) -> impl IntoView {
    view! {
        <div class="field">
            <label for=id>{label}</label>
            {(!hint.is_empty()).then(|| view! { <p class="muted">{hint}</p> })}
            <input id=id name=id value=value autocomplete="off" />
        </div>
    }
}

#[component]
fn NuovoCampioneForm(r: RichiestaElenco, action: ServerAction<PoCreaCampione>) -> impl IntoView {
    let problem = Signal::derive(move || action.value().get().and_then(|x| x.err()).map(|e| *e.0));
    let vals = [r.tipo, r.dal, r.al, r.strumento, r.categoria, r.categoria_speciale, r.importo_min, r.importo_max];
    let err = move |f: &'static str| {
        move || field_error(problem.get().as_ref(), f).map(|m| view! { <p class="error-message">{m}</p> })
    };
    view! {
        <h2>"Estrai un campione"</h2>
        <p>"Il campione si estrae dall'elenco filtrato qui sopra; il seme resta registrato: con lo stesso elenco e lo stesso seme si riottengono le stesse righe."</p>
        {move || problem.get().map(|p| view! { <ErrorSummary problem=p /> })}
        <ActionForm action=action attr:id="nuovo-campione">
            {CAMPI.iter().zip(vals).map(|(k, v)| view! { <input type="hidden" name=*k value=v /> }).collect_view()}
            <div class="field"><label for="nome">"Nome del campione"</label>{err("nome")}<input id="nome" name="nome" /></div>
            <div class="field"><label for="percentuale">"Percentuale dell'elenco"</label>{err("percentuale")}<input id="percentuale" name="percentuale" inputmode="numeric" /></div>
            <div class="field"><label for="numero">"oppure numero di righe"</label>{err("numero")}<input id="numero" name="numero" inputmode="numeric" /></div>
            <div class="field"><label for="seme">"Seme (facoltativo: se vuoto lo sceglie il sistema)"</label>{err("seme")}<input id="seme" name="seme" inputmode="numeric" /></div>
            <div class="field checkbox"><input type="checkbox" id="stratificato" name="stratificato" value="1" /><label for="stratificato">"Stratificato (per strumento e categoria, o per categoria speciale)"</label></div>
            <button type="submit" class="button" id="estrai">"Estrai il campione"</button>
        </ActionForm>
    }
}

#[component]
pub fn ListePage() -> impl IntoView {
    let q = use_query_map();
    let r = Memo::new(move |_| {
        q.with(|m| {
            let g = |k: &str| m.get(k).unwrap_or_default();
            RichiestaElenco {
                tipo: g("tipo"),
                dal: g("dal"),
                al: g("al"),
                strumento: g("strumento"),
                categoria: g("categoria"),
                categoria_speciale: g("categoria_speciale"),
                importo_min: g("importo_min"),
                importo_max: g("importo_max"),
            }
        })
    });
    let pagina = Memo::new(move |_| q.with(|m| m.get("pagina")).and_then(|p| p.parse::<u32>().ok()).unwrap_or(1));
    let data = Resource::new(
        move || (r.get(), pagina.get()),
        |(r, p)| async move {
            if r.dal.is_empty() && r.al.is_empty() { Ok(None) } else { api::po_elenco(r, p).await.map(Some) }
        },
    );
    let campioni = Resource::new(|| (), |_| api::po_campioni());
    let action = ServerAction::<PoCreaCampione>::new();
    view! {
        <Title text="Elenchi per le verifiche – prestazioni occasionali" />
        {move || action.value().get().and_then(|x| x.ok()).map(|k| view! { <Redirect path=format!("/presto/operatore/campioni/{}", k.id) /> })}
        <p class="caption"><a href="/presto/operatore">"Prestazioni occasionali"</a></p>
        <h1>"Elenchi per le verifiche"</h1>
        <p>"Utilizzatori e prestatori con prestazioni nel periodo, di competenza della sua sede: per verificare le autocertificazioni, anche a campione."</p>
        <form method="get" action="/presto/operatore/liste" id="filtri-elenco" class="filters">
            {move || {
                let r = r.get();
                view! {
                    <Scelta id="tipo" label="Elenco" value=r.tipo.clone() options=vec![("utilizzatori", "Utilizzatori"), ("prestatori", "Prestatori")] senza_tutti=true />
                    <Campo id="dal" label="Prestazioni dal" value=r.dal.clone() hint="gg/mm/aaaa" />
                    <Campo id="al" label="al" value=r.al.clone() hint="gg/mm/aaaa" />
                    <Scelta id="strumento" label="Strumento (utilizzatori)" value=r.strumento.clone() options=Strumento::ALL.iter().map(|s| (s.code(), s.label())).collect() />
                    <Scelta id="categoria" label="Categoria CPO (utilizzatori)" value=r.categoria.clone() options=CategoriaCpo::ALL.iter().map(|s| (s.code(), s.label())).collect() />
                    <Scelta id="categoria_speciale" label="Categoria speciale (prestatori)" value=r.categoria_speciale.clone() options=CategoriaSpeciale::ALL.iter().map(|s| (s.code(), s.label())).collect() />
                    <Campo id="importo_min" label="Compenso totale da (€)" value=r.importo_min.clone() />
                    <Campo id="importo_max" label="fino a (€)" value=r.importo_max.clone() />
                }
            }}
            <button type="submit" class="button" id="mostra-elenco">"Mostra l'elenco"</button>
        </form>
        <Transition fallback=|| view! { <p>"Caricamento…"</p> }>
            {Suspend::new(async move {
                match data.await {
                    Ok(None) => view! { <p class="muted">"Indicare il periodo per vedere l'elenco."</p> }.into_any(),
                    Err(UiError(p)) if p.code == "validation" => view! { <ErrorSummary problem=*p /> }.into_any(),
                    Err(UiError(p)) => deny(*p),
                    Ok(Some(pg)) => {
                        let qs = query_string(&r.get_untracked());
                        let pagine = (pg.totale + 99) / 100;
                        view! {
                            <p id="totale-elenco" aria-live="polite">{format!("{} righe · pagina {} di {}", pg.totale, pg.pagina, pagine.max(1))}</p>
                            <p class="button-row">
                                <Scarica id="scarica-csv" label="Scarica CSV" righe=pg.totale href=format!("/api/v1/presto/operatore/elenchi/export?{qs}&formato=csv") />
                                <Scarica id="scarica-xlsx" label="Scarica Excel (XLSX)" href=format!("/api/v1/presto/operatore/elenchi/export?{qs}&formato=xlsx") />
                            </p>
                            <ul class="request-list" id="righe-elenco">
                                {pg.righe.into_iter().map(|x| view! {
                                    <li class="request">
                                        <p class="request-title"><a href=format!("/presto/operatore/{}/{}", x.tipo, x.id)>{x.denominazione}</a></p>
                                        <p class="muted">{format!("C.F. {} · {}", x.codice_fiscale, x.descrizione)}</p>
                                        <p>{format!("{} {} · compenso {} · dal {} al {}", x.prestazioni, if x.prestazioni == 1 { "prestazione" } else { "prestazioni" }, x.compenso, format_date_text_it(&x.primo_giorno), format_date_text_it(&x.ultimo_giorno))}</p>
                                    </li>
                                }).collect_view()}
                            </ul>
                            <nav class="pagination" aria-label="Pagine dell'elenco">
                                {(pg.pagina > 1).then(|| view! { <a href=format!("/presto/operatore/liste?{qs}&pagina={}", pg.pagina - 1)>"Pagina precedente"</a> })}
                                " "
                                {(i64::from(pg.pagina) < pagine).then(|| view! { <a href=format!("/presto/operatore/liste?{qs}&pagina={}", pg.pagina + 1)>"Pagina successiva"</a> })}
                            </nav>
                            {(pg.totale > 0).then(|| view! { <NuovoCampioneForm r=r.get_untracked() action /> })}
                        }.into_any()
                    }
                }
            })}
        </Transition>
        <h2>"Campioni estratti"</h2>
        <Transition fallback=|| view! { <p>"Caricamento…"</p> }>
            {Suspend::new(async move {
                match campioni.await {
                    Err(UiError(p)) => deny(*p),
                    Ok(l) if l.is_empty() => view! { <p>"Nessun campione."</p> }.into_any(),
                    Ok(l) => view! {
                        <ul class="request-list" id="campioni">
                            {l.into_iter().map(|k| view! {
                                <li class="request">
                                    <p class="request-title"><a href=format!("/presto/operatore/campioni/{}", k.id)>{k.nome}</a></p>
                                    <p class="muted">{format!("{} · verificate {} di {} · {} il {}", k.tipo, k.verificate, k.righe, k.creato_da, format_date_text_it(&k.created_at))}</p>
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                }
            })}
        </Transition>
    }
}
