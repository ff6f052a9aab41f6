//! The operator's page of one utilizzatore or prestatore: the same wallet or page the user
//! sees, and the registry's correction with a mandatory note (Msg. 1099/2018 §1–§2).

use super::api::{self, PoAnnullaAbbinamento, PoModifica};
use super::elenchi::{PrestazioniList, VersamentiList};
use super::limiti::LimitBars;
use super::prestatore::{PrestatoreFacts, PrestatoreLists};
use crate::components::forms::*;
use crate::error::UiError;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use shared::dto::Problem;
use shared::presto::views::SchedaPresto;
use shared::presto::{ModalitaPagamento, Strumento};

fn dipendenti(c: Option<i64>) -> String {
    c.map(|n| if n % 100 == 0 { (n / 100).to_string() } else { format!("{},{:02}", n / 100, n % 100) })
        .unwrap_or_default()
}

#[component]
fn Testo(id: &'static str, label: &'static str, value: String, problem: Signal<Option<Problem>>) -> impl IntoView {
    view! {
        <div class=move || if field_error(problem.get().as_ref(), id).is_some() { "field field-error" } else { "field" }>
            <label for=id>{label}</label>
            {move || field_error(problem.get().as_ref(), id).map(|m| view! { <p class="error-message">{m}</p> })}
            <input id=id name=id value=value />
        </div>
    }
}

#[component]
fn Modifica(tipo: &'static str, id: i64, scheda: SchedaPresto, action: ServerAction<PoModifica>) -> impl IntoView {
    let problem = Signal::derive(move || action.value().get().and_then(|r| r.err()).map(|e| *e.0));
    let nota = NodeRef::<leptos::html::Textarea>::new();
    clear_after_success(move || matches!(action.value().get(), Some(Ok(_))), nota);
    let (version, fields) = match scheda {
        SchedaPresto::Utilizzatore { portafoglio, .. } => {
            let u = portafoglio.utilizzatore;
            let persona = u.persona;
            let mut f = vec![];
            if persona {
                f.push(
                    view! { <Testo id="email" label="E-mail" value=u.email.clone().unwrap_or_default() problem /> }
                        .into_any(),
                );
                f.push(view! { <Testo id="telefono" label="Telefono" value=u.telefono.clone().unwrap_or_default() problem /> }.into_any());
            }
            if u.strumento == Strumento::Cpo {
                f.push(view! { <Testo id="ateco" label="Codice ATECO" value=u.ateco.clone().unwrap_or_default() problem /> }.into_any());
                f.push(view! { <Testo id="dipendenti" label="Dipendenti a tempo indeterminato (media)" value=dipendenti(u.dipendenti_centesimi) problem /> }.into_any());
            }
            (u.version, f)
        }
        SchedaPresto::Prestatore { pagina, .. } => {
            let p = pagina.prestatore;
            let current = p.modalita_pagamento;
            let f = vec![
                view! { <Testo id="email" label="E-mail" value=p.email.clone().unwrap_or_default() problem /> }.into_any(),
                view! { <Testo id="telefono" label="Telefono" value=p.telefono.clone().unwrap_or_default() problem /> }.into_any(),
                view! {
                    <div class="field">
                        <label for="modalita_pagamento">"Modalità di pagamento"</label>
                        <select id="modalita_pagamento" name="modalita_pagamento">
                            {ModalitaPagamento::ALL.iter().map(|m| view! { <option value=m.code() selected=*m == current>{m.label()}</option> }).collect_view()}
                        </select>
                    </div>
                }.into_any(),
                view! { <Testo id="iban" label="IBAN" value=p.iban.clone().unwrap_or_default() problem /> }.into_any(),
            ];
            (p.version, f)
        }
    };
    view! {
        <h2>"Modifica anagrafica"</h2>
        {move || problem.get().map(|p| view! { <ErrorSummary problem=p /> })}
        {move || matches!(action.value().get(), Some(Ok(_))).then(|| view! {
            <div class="notice notice-success" role="status" id="modifica-salvata"><p>"Modifica salvata e tracciata; è già visibile all'interessato."</p></div>
        })}
        <ActionForm action=action attr:id="modifica-anagrafica">
            <input type="hidden" name="tipo" value=tipo />
            <input type="hidden" name="id" value=id />
            <input type="hidden" name="version" value=version />
            {fields}
            <div class=move || if field_error(problem.get().as_ref(), "nota").is_some() { "field field-error" } else { "field" }>
                <label for="nota">"Nota (obbligatoria)"</label>
                <p class="muted" id="nota-aiuto">"Il motivo della modifica: resta nel registro con i valori prima e dopo."</p>
                {move || field_error(problem.get().as_ref(), "nota").map(|m| view! { <p class="error-message">{m}</p> })}
                <textarea id="nota" name="nota" rows="3" aria-describedby="nota-aiuto" node_ref=nota></textarea>
            </div>
            <button type="submit" class="button" id="salva-anagrafica">"Salva la modifica"</button>
        </ActionForm>
    }
}

#[component]
pub fn SchedaPage() -> impl IntoView {
    let tipo = use_params_map().with_untracked(|p| p.get("tipo").unwrap_or_default());
    let id = crate::components::layout::id_della_rotta();
    view! {
        <Title text="Prestazioni occasionali – scheda" />
        <SchedaPageIsola tipo id />
    }
}

/// The page's interactive part: an island in its area's WASM bundle (app/src/pagine.rs).
#[cfg_attr(feature = "isole-portale", island)]
#[cfg_attr(not(feature = "isole-portale"), component)]
fn SchedaPageIsola(tipo: String, id: i64) -> impl IntoView {
    let tipo = if tipo == "prestatore" { "prestatore" } else { "utilizzatore" };
    let key = move || (tipo, id);
    let action = ServerAction::<PoModifica>::new();
    let annulla = ServerAction::<PoAnnullaAbbinamento>::new();
    let done =
        successes(move || matches!(action.value().get(), Some(Ok(_))) || matches!(annulla.value().get(), Some(Ok(_))));
    let data = Resource::new(move || (key(), done.get()), |((tipo, id), _)| api::po_scheda(tipo.to_string(), id));
    view! {
        <p class="caption"><a href="/presto/operatore">"Prestazioni occasionali"</a></p>
        <Transition fallback=|| view! { <p>"Caricamento…"</p> }>
            {move || Suspend::new(async move {
                let (tipo, id) = key();
                match data.await {
                    Err(UiError(p)) => deny(*p),
                    Ok(s) => {
                        let (titolo, puo, facts, body) = match s.clone() {
                            SchedaPresto::Utilizzatore { portafoglio: w, puo_modificare, puo_annullare_abbinamenti } => (
                                w.utilizzatore.denominazione.clone(),
                                puo_modificare,
                                view! {
                                    <dl class="facts card">
                                        <dt>"Utilizzatore"</dt><dd>{format!("{} · C.F. {}", w.utilizzatore.strumento.label(), w.utilizzatore.codice_fiscale)}</dd>
                                        <dt>"Categoria"</dt><dd>{w.utilizzatore.categoria.map(|c| c.label()).unwrap_or("—")}
                                            {(w.utilizzatore.strumento == Strumento::Cpo).then(|| view! { " · "<a href=format!("/presto/operatore/utilizzatore/{}/categoria", w.utilizzatore.id) id="link-categoria">"Cambia categoria"</a> })}</dd>
                                        <dt>"ATECO · dipendenti"</dt><dd>{format!("{} · {}", w.utilizzatore.ateco.clone().unwrap_or_else(|| "—".into()), dipendenti(w.utilizzatore.dipendenti_centesimi))}</dd>
                                        <dt>"Recapiti"</dt><dd>{format!("{} · {}", w.utilizzatore.email.clone().unwrap_or_else(|| "e-mail non indicata".into()), w.utilizzatore.telefono.clone().unwrap_or_else(|| "telefono non indicato".into()))}</dd>
                                        <dt>"Saldo"</dt><dd id="saldo">{w.saldo.to_string()}</dd>
                                    </dl>
                                }.into_any(),
                                view! {
                                    <h2>{format!("Limiti economici {}", w.anno)}</h2>
                                    <LimitBars limiti=w.limiti.clone() />
                                    <h2>"Versamenti"</h2>
                                    {if puo_annullare_abbinamenti {
                                        view! { <VersamentiList versamenti=w.versamenti.clone() annulla=(annulla, w.utilizzatore.id) /> }.into_any()
                                    } else {
                                        view! { <VersamentiList versamenti=w.versamenti.clone() /> }.into_any()
                                    }}
                                    <h2>{format!("Prestazioni {}", w.anno)}</h2>
                                    <PrestazioniList prestazioni=w.prestazioni.clone() />
                                }.into_any(),
                            ),
                            SchedaPresto::Prestatore { pagina, puo_modificare } => (
                                format!("{} {}", pagina.prestatore.cognome, pagina.prestatore.nome),
                                puo_modificare,
                                view! { <PrestatoreFacts p=pagina.clone() /> }.into_any(),
                                view! { <PrestatoreLists p=pagina /> }.into_any(),
                            ),
                        };
                        view! {
                            <h1>{titolo}</h1>
                            {move || annulla.value().get().and_then(|r| r.err()).map(|e| view! { <ErrorSummary problem=*e.0 /> })}
                            {move || matches!(annulla.value().get(), Some(Ok(_))).then(|| view! {
                                <div class="notice notice-success" role="status" id="abbinamento-annullato"><p>"Abbinamento annullato: il versamento è tornato tra quelli da abbinare."</p></div>
                            })}
                            {facts}
                            {if puo {
                                view! { <Modifica tipo id scheda=s action /> }.into_any()
                            } else {
                                view! { <p class="notice">"Sola consultazione: soggetto di competenza di un'altra sede."</p> }.into_any()
                            }}
                            {body}
                        }.into_any()
                    }
                }
            })}
        </Transition>
    }
}
