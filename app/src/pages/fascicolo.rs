//! Fascicolo elettronico del contribuente, for INPS operators: search, the file, the detail of
//! a request with replay, and the branch queue.

use crate::api::{self, FascAction, FascReplay, UiError};
use crate::components::{
    BozzaTesto, ErrorSummary, clear_after_success, current_problem, field_error, rendered_draft, successes,
};
use crate::pages::requests::{
    Attachments, ChecksList, Filters, RequestRow, Timeline, deny, filter_from, it_datetime, page_href, state_tag,
};
use crate::pages::two_way::Conversation;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use shared::dto::{FascicoloView, OperatorRequestView, RequestFilter, Tabella};

#[component]
pub fn SearchPage() -> impl IntoView {
    let q = use_query_map();
    let query = Memo::new(move |_| q.with(|m| m.get("q")).unwrap_or_default());
    let hits = Resource::new(
        move || query.get(),
        |q| async move { if q.trim().is_empty() { Ok(None) } else { api::fasc_search(q).await.map(Some) } },
    );
    view! {
        <Title text="Fascicolo elettronico" />
        <p class="caption">"Fascicolo elettronico del contribuente"</p>
        <h1>"Cerca un contribuente"</h1>
        <form method="get" action="/fascicolo" role="search" class="search-form">
            <div class="field">
                <label for="q">"Codice fiscale, partita IVA, matricola o denominazione"</label>
                <p class="muted" id="q-aiuto">"Per la denominazione bastano le prime lettere. Si cerca tra i contribuenti della sua regione."</p>
                <input id="q" name="q" value=move || query.get() aria-describedby="q-aiuto" autocomplete="off" />
            </div>
            <button type="submit" class="button" id="cerca">"Cerca"</button>
        </form>
        <Transition fallback=|| view! { <p>"Ricerca…"</p> }>
            {move || Suspend::new(async move {
                match hits.await {
                    Ok(None) => ().into_any(),
                    Err(UiError(p)) if p.code == "validation" => view! { <ErrorSummary problem=*p /> }.into_any(),
                    Err(UiError(p)) => deny(*p),
                    Ok(Some(list)) if list.is_empty() => view! { <div class="notice" id="nessun-risultato"><p>"Nessun contribuente trovato nel suo ambito."</p></div> }.into_any(),
                    Ok(Some(list)) => view! {
                        <p class="muted" aria-live="polite">{format!("{} risultati", list.len())}</p>
                        <ul class="request-list" id="risultati">
                            {list.into_iter().map(|h| view! {
                                <li class="request">
                                    <p class="request-title"><a href=format!("/fascicolo/{}", h.id)>{h.ragione_sociale}</a></p>
                                    <p class="muted">{format!("C.F. {}{} · sede {}", h.codice_fiscale, h.partita_iva.map(|p| format!(" · P.IVA {p}")).unwrap_or_default(), h.sede)}</p>
                                    {(!h.puo_agire).then(|| view! { <p class="muted">"Sola consultazione: contribuente di un'altra sede."</p> })}
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Table(t: Tabella) -> impl IntoView {
    let id = t.titolo.to_lowercase().split_whitespace().next().unwrap_or("t").to_string();
    view! {
        <h2 id=format!("tab-{id}")>{t.titolo.clone()}</h2>
        {if t.righe.is_empty() {
            view! { <p class="muted">"Nessun dato."</p> }.into_any()
        } else {
            view! {
                <div class="table-wrap" role="region" aria-labelledby=format!("tab-{id}") tabindex="0">
                    <table>
                        <thead><tr>{t.colonne.iter().map(|c| view! { <th scope="col">{c.clone()}</th> }).collect_view()}</tr></thead>
                        <tbody>
                            {t.righe.into_iter().map(|r| view! {
                                <tr class=if r.attenuata { "attenuata" } else { "" }>{r.celle.into_iter().map(|c| view! { <td>{c}</td> }).collect_view()}</tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            }.into_any()
        }}
    }
}

#[component]
pub fn FascicoloPage() -> impl IntoView {
    let params = use_params_map();
    let q = use_query_map();
    let key = Memo::new(move |_| {
        let id = params.with(|p| p.get("id")).and_then(|v| v.parse::<i64>().ok()).unwrap_or(0);
        (id, q.with(filter_from))
    });
    let file = Resource::new(
        move || key.get(),
        |(id, f)| api::fasc_get(id, f.stato, f.tipo, f.matricola, f.dal, f.al, f.pagina),
    );
    view! {
        <Transition fallback=|| view! { <p>"Caricamento…"</p> }>
            {move || Suspend::new(async move {
                let (id, f) = key.get_untracked();
                match file.await {
                    // A filter typed wrong: say what, and keep the form to correct it.
                    Err(UiError(p)) if p.code == "validation" => view! {
                        <h1>"Fascicolo elettronico"</h1>
                        <ErrorSummary problem=(*p).clone() />
                        <Filters f action=format!("/fascicolo/{id}") problem=*p />
                    }.into_any(),
                    Err(UiError(p)) => deny(*p),
                    Ok(file) => view! { <File f=file filter=f /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn File(f: FascicoloView, filter: RequestFilter) -> impl IntoView {
    let page = f.richieste.clone();
    let id = f.id;
    view! {
        <Title text=format!("Fascicolo – {}", f.ragione_sociale) />
        <p class="caption">"Fascicolo elettronico del contribuente"</p>
        <h1 id="fascicolo-nome">{f.ragione_sociale.clone()}</h1>
        {(!f.puo_agire).then(|| view! { <div class="notice" role="note"><p>"Sola consultazione: il contribuente è gestito da un'altra sede."</p></div> })}
        <dl class="summary-list">
            <div><dt>"Codice fiscale"</dt><dd>{f.codice_fiscale.clone()}</dd></div>
            <div><dt>"Partita IVA"</dt><dd>{f.partita_iva.clone().unwrap_or_else(|| "–".into())}</dd></div>
            <div><dt>"Natura giuridica"</dt><dd>{f.natura_giuridica.clone()}</dd></div>
            <div><dt>"PEC"</dt><dd>{f.pec.clone().unwrap_or_else(|| "–".into())}</dd></div>
            <div><dt>"Sede"</dt><dd>{format!("{} {} ({})", f.sede.codice, f.sede.nome, f.sede.regione)}</dd></div>
        </dl>
        <h2>"Posizioni contributive"</h2>
        <ul class="request-list" id="posizioni">
            {f.posizioni.into_iter().map(|p| view! {
                <li class="request">
                    <p class="request-head"><span class=format!("tag tag-stato-{}", p.stato)>{p.stato_label.clone()}</span></p>
                    <p class="request-title">{format!("Matricola {}", p.matricola)}</p>
                    <p class="muted">{format!("Sede {}", p.sede)}</p>
                    <ol class="timeline">
                        {p.storia.into_iter().map(|h| view! { <li>{format!("{} dal {}{}", h.stato_label, h.dal, h.al.map(|a| format!(" al {a}")).unwrap_or_default())}</li> }).collect_view()}
                    </ol>
                </li>
            }).collect_view()}
        </ul>
        {f.tabelle.into_iter().map(|t| view! { <Table t /> }).collect_view()}
        <h2 id="richieste-titolo">"Richieste"</h2>
        <Filters f=filter.clone() action=format!("/fascicolo/{id}") />
        {if page.richieste.is_empty() {
            view! { <p class="muted" id="nessuna-richiesta">{if filter == RequestFilter::default() { "Nessuna richiesta." } else { "Nessuna richiesta corrisponde ai filtri." }}</p> }.into_any()
        } else {
            let (pagina, pagine) = (page.pagina, page.pagine);
            view! {
                <p class="muted">{format!("{} richieste", page.totale)}</p>
                <ul class="request-list" id="richieste">
                    {page.richieste.into_iter().map(|r| view! { <RequestRow r operator=true /> }).collect_view()}
                </ul>
                {(pagine > 1).then(|| view! {
                    <nav class="pager" aria-label="Pagine">
                        {(pagina > 1).then(|| view! { <a href=page_href(&format!("/fascicolo/{id}"), &filter, pagina - 1) rel="prev">"‹ Precedenti"</a> })}
                        <span>{format!("Pagina {pagina} di {pagine}")}</span>
                        {(pagina < pagine).then(|| view! { <a href=page_href(&format!("/fascicolo/{id}"), &filter, pagina + 1) rel="next">"Successive ›"</a> })}
                    </nav>
                })}
            }.into_any()
        }}
        <p><a href="/fascicolo">"Nuova ricerca"</a></p>
    }
}

#[component]
pub fn OperatorRequestPage() -> impl IntoView {
    let params = use_params_map();
    let protocollo = move || params.with(|p| p.get("protocollo")).unwrap_or_default();
    let action = ServerAction::<FascAction>::new();
    // A step refused in a plain post comes back to the form below.
    rendered_draft::<BozzaTesto>();
    let done = successes(move || action.value().with(|v| matches!(v, Some(Ok(_)))));
    let detail = Resource::new(move || (protocollo(), done.get()), |(p, _)| api::fasc_request(p));
    view! {
        <Transition fallback=|| view! { <p>"Caricamento…"</p> }>
            {move || Suspend::new(async move {
                match detail.await {
                    Err(UiError(p)) => deny(*p),
                    Ok(d) => view! { <OperatorDetail d action /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn OperatorDetail(d: OperatorRequestView, action: ServerAction<FascAction>) -> impl IntoView {
    let replay = ServerAction::<FascReplay>::new();
    let r = d.richiesta.clone();
    let protocollo = r.protocollo.clone();
    let due_vie = !r.smart_task;
    let works = d.puo_agire
        && if due_vie { r.stato == "aperta" || r.stato == "in_carico" } else { r.stato == "in_carico_sede" };
    let da_prendere = if due_vie { r.stato == "aperta" } else { d.operatore_in_carico.is_none() };
    let version = d.version;
    let p2 = protocollo.clone();
    let testo = NodeRef::<leptos::html::Textarea>::new();
    clear_after_success(move || action.value().with(|v| matches!(v, Some(Ok(_)))), testo);
    let bozza = use_context::<BozzaTesto>().unwrap_or_default();
    let problem = current_problem(action.value(), bozza.problem);
    // The script sends each step to the server function; without it the forms are posted to
    // this page (`target`), which answers with the page again.
    let target = format!("/fascicolo/richiesta/{protocollo}");
    let step = {
        let protocollo = protocollo.clone();
        move |azione: String| {
            let t = testo.get().map(|t| t.value());
            action.dispatch(FascAction { protocollo: protocollo.clone(), azione, testo: t, version: Some(version) });
        }
    };
    let (step1, step2) = (step.clone(), step);
    let on_take = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        step1("prendi_in_carico".into());
    };
    // The step is the value of the button pressed.
    let on_step = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if let Some(azione) = ev.submitter().and_then(|b| b.get_attribute("value")) {
            step2(azione);
        }
    };
    view! {
        <Title text=format!("Richiesta {} – Fascicolo", r.protocollo) />
        <p class="caption">{format!("Fascicolo di {} · protocollo {}", d.ragione_sociale, r.protocollo)}</p>
        <h1>{r.descrizione.clone()}</h1>
        <p class="request-head">
            {if due_vie { view! { <span class="tag">"Comunicazione bidirezionale"</span> }.into_any() } else { view! { <span class="tag tag-smart-task">"Smart-Task"</span> }.into_any() }}
            " " {state_tag(&r.stato, r.stato_label.clone())}
        </p>
        {r.motivo.clone().map(|m| view! { <div class="notice" id="esito"><p>{m}</p></div> })}
        {d.operatore_in_carico.clone().map(|o| view! { <p id="in-carico">{format!("In carico a: {o}")}</p> })}
        {move || problem().map(|p| view! { <ErrorSummary problem=p /> })}
        {works.then(|| {
            view! {
                <section class="operator-actions" aria-labelledby="lavora">
                    <h2 id="lavora">"Lavora la richiesta"</h2>
                    {da_prendere.then(|| {
                        view! {
                            <form method="post" action=target.clone() on:submit=on_take>
                                <input type="hidden" name="azione" value="prendi_in_carico" />
                                <input type="hidden" name="version" value=version />
                                <button type="submit" class="button" id="prendi-in-carico">"Prendi in carico"</button>
                            </form>
                        }
                    })}
                    <form method="post" action=target.clone() on:submit=on_step>
                        <input type="hidden" name="version" value=version />
                        <div class="field">
                            <label for="testo">"Testo"</label>
                            <p class="muted" id="testo-aiuto">{if due_vie {
                                "Una nota interna resta agli operatori; una risposta arriva al contribuente, che può replicare; per chiudere, la risposta conclusiva."
                            } else {
                                "Una nota interna resta agli operatori; una risposta arriva al contribuente; per chiudere, il motivo dell'esito."
                            }}</p>
                            {move || problem().and_then(|p| field_error(Some(&p), "testo").or_else(|| field_error(Some(&p), "motivo"))).map(|m| view! { <p class="error-message" id="testo-errore">{m}</p> })}
                            <textarea id="testo" name="testo" rows="4" maxlength="4000" aria-describedby="testo-aiuto testo-errore" node_ref=testo>{bozza.testo}</textarea>
                        </div>
                        <div class="button-row">
                            <button type="submit" name="azione" value="nota_interna" class="button button-outline" id="nota-interna">"Aggiungi nota interna"</button>
                            <button type="submit" name="azione" value="risposta" class="button button-outline" id="rispondi">"Rispondi al contribuente"</button>
                            {if due_vie {
                                view! { <button type="submit" name="azione" value="chiudi" class="button" id="chiudi">"Rispondi e chiudi"</button> }.into_any()
                            } else {
                                view! {
                                    <button type="submit" name="azione" value="accogli" class="button" id="accogli">"Chiudi: accolta"</button>
                                    <button type="submit" name="azione" value="respingi" class="button button-danger" id="respingi">"Chiudi: non accolta"</button>
                                }.into_any()
                            }}
                        </div>
                    </form>
                </section>
            }
        })}
        {r.risposte.get("testo").cloned().map(|t| view! {
            <h2>"Testo della richiesta"</h2>
            <p class="testo-richiesta" id="testo-richiesta">{t}</p>
            <dl class="summary-list">
                <div><dt>"E-mail per la risposta"</dt><dd>{r.risposte.get("email").cloned().unwrap_or_else(|| "–".into())}</dd></div>
                <div><dt>"Telefono"</dt><dd>{r.risposte.get("telefono").cloned().unwrap_or_else(|| "–".into())}</dd></div>
            </dl>
        })}
        <Attachments protocollo=r.protocollo.clone() allegati=r.allegati.clone() />
        <Conversation messaggi=d.note.clone() operator=true />
        {(!due_vie).then(|| view! {
            <h2>"Controlli eseguiti"</h2>
            {r.ruleset.clone().map(|v| view! { <p class="muted">{format!("Versione delle regole: {v}")}</p> })}
            <ChecksList controlli=r.controlli.clone() letti=d.letti.clone() />
        })}
        {r.ruleset.is_some().then(|| view! {
            <ActionForm action=replay>
                <input type="hidden" name="protocollo" value=p2.clone() />
                <button type="submit" class="button button-outline" id="replay">"Riesegui la decisione sui dati memorizzati"</button>
            </ActionForm>
        })}
        {move || replay.value().get().map(|res| match res {
            Ok(v) => view! {
                <div class=if v.identica { "notice notice-success" } else { "notice notice-error" } id="esito-replay" role="status">
                    <p>{if v.identica {
                        format!("Decisione identica: {} (regole {}).", v.esito_ricalcolato, v.ruleset_attuale)
                    } else {
                        format!("La decisione non è identica: memorizzata {}, ricalcolata {}.", v.esito_memorizzato, v.esito_ricalcolato)
                    }}</p>
                    <ul>{v.differenze.into_iter().map(|x| view! { <li>{x}</li> }).collect_view()}</ul>
                </div>
            }.into_any(),
            Err(e) => view! { <ErrorSummary problem=*e.0 /> }.into_any(),
        })}
        {(!d.effetti.is_empty()).then(|| view! {
            <h2>"Effetti applicati"</h2>
            {d.effetti.iter().map(|e| view! { <pre class="mail-body">{e.clone()}</pre> }).collect_view()}
        })}
        {d.fatti.clone().map(|f| view! {
            <details class="letti"><summary>"Tutti i fatti e i parametri letti"</summary><pre>{f}</pre></details>
        })}
        <h2>"Registro delle operazioni"</h2>
        <div class="table-wrap" role="region" aria-label="Registro delle operazioni" tabindex="0">
            <table id="audit">
                <thead><tr><th scope="col">"N."</th><th scope="col">"Quando"</th><th scope="col">"Chi"</th><th scope="col">"Su"</th><th scope="col">"Azione"</th><th scope="col">"Dopo"</th></tr></thead>
                <tbody>
                    {d.audit.iter().map(|a| view! {
                        <tr>
                            <td>{a.seq}</td>
                            <td>{it_datetime(&a.at)}</td>
                            <td>{a.actor.clone()}</td>
                            <td>{format!("{} {}", a.entity, a.entity_id)}</td>
                            <td>{a.action.clone()}</td>
                            <td><code>{a.after.clone().unwrap_or_default()}</code></td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        <Timeline eventi=r.eventi />
        <p><a href=format!("/fascicolo/{}", r.soggetto_id)>"Torna al Fascicolo"</a></p>
    }
}

#[component]
pub fn QueuePage() -> impl IntoView {
    let list = Resource::new(|| (), |_| api::coda());
    view! {
        <Title text="Coda della sede" />
        <p class="caption">"Fascicolo elettronico"</p>
        <h1>"Richieste in carico alla sede"</h1>
        <p class="lead">"Le richieste Smart-Task che l'esame automatico non ha potuto decidere e le comunicazioni bidirezionali aperte, dalla più vecchia."</p>
        <Suspense fallback=|| view! { <p>"Caricamento…"</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Err(UiError(p)) => deny(*p),
                    Ok(items) if items.is_empty() => view! { <div class="notice"><p>"Nessuna richiesta in coda."</p></div> }.into_any(),
                    Ok(items) => view! {
                        <ul class="request-list" id="coda">
                            {items.into_iter().map(|i| view! {
                                <li class=if i.richiesta.smart_task { "request smart-task" } else { "request" }>
                                    <p class="request-head">
                                        {if i.richiesta.smart_task { view! { <span class="tag tag-smart-task">"Smart-Task"</span> }.into_any() } else { view! { <span class="tag">"Comunicazione"</span> }.into_any() }}
                                        " " {state_tag(&i.richiesta.stato, i.richiesta.stato_label.clone())}
                                        {i.attende_sede.then(|| view! { " " <span class="tag tag-warning">"Nuovo messaggio"</span> })}
                                    </p>
                                    <p class="request-title"><a href=format!("/fascicolo/richiesta/{}", i.richiesta.protocollo)>{format!("{} – {}", i.ragione_sociale, i.richiesta.descrizione)}</a></p>
                                    <p class="muted">{format!("Protocollo {} · inviata il {} · {}", i.richiesta.protocollo, it_datetime(&i.richiesta.inviata_il), i.operatore_in_carico.map(|o| format!("in carico a {o}")).unwrap_or_else(|| "da prendere in carico".into()))}</p>
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}
