//! A request as the operator sees it, with the branch's steps.

use super::api;
use super::api::{FascAction, FascReplay};
use crate::components::format::*;
use crate::components::forms::*;
use crate::components::request::*;
use crate::error::UiError;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use shared::dto::*;

#[component]
pub fn OperatorRequestPage() -> impl IntoView {
    let params = use_params_map();
    let protocollo = move || params.with(|p| p.get("protocollo")).unwrap_or_default();
    let detail = Resource::new(protocollo, api::fasc_request);
    view! {
        <Transition fallback=|| view! { <p>"Caricamento…"</p> }>
            {Suspend::new(async move {
                match detail.await {
                    Err(UiError(p)) => deny(*p),
                    Ok(d) => view! { <OperatorDetail d /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn OperatorDetail(d: OperatorRequestView) -> impl IntoView {
    let r = d.richiesta.clone();
    let protocollo = r.protocollo.clone();
    let due_vie = !r.smart_task;
    let works = d.puo_agire && r.stato.lavorabile_dalla_sede();
    let da_prendere = if due_vie { r.stato == Stato::Aperta } else { d.operatore_in_carico.is_none() };
    // A step refused in a plain post comes back to the form, with its text.
    let bozza = use_context::<BozzaTesto>().unwrap_or_default();
    let audit = d.audit.clone();
    view! {
        <Title text=format!("Richiesta {} – Fascicolo", r.protocollo) />
        <p class="caption" id="richiedente">{format!(
            "{} {} · protocollo {}",
            if r.soggetto_id.is_some() { "Fascicolo di" } else { "Richiesta di assistenza di" },
            d.ragione_sociale,
            r.protocollo
        )}</p>
        <h1>{r.descrizione.clone()}</h1>
        <p class="request-head">
            {if due_vie { view! { <span class="tag">"Comunicazione bidirezionale"</span> }.into_any() } else { view! { <span class="tag tag-smart-task">"Smart-Task"</span> }.into_any() }}
            " " {state_tag(r.stato, r.stato_label.clone())}
        </p>
        {r.motivo.clone().map(|m| view! { <div class="notice" id="esito"><p>{m}</p></div> })}
        {d.operatore_in_carico.clone().map(|o| view! { <p id="in-carico">{format!("In carico a: {o}")}</p> })}
        {works.then(|| view! { <BranchSteps protocollo=protocollo.clone() due_vie da_prendere version=d.version bozza /> })}
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
        <DecisionTrace d=d.clone() />
        <AuditTable audit />
        <Timeline eventi=r.eventi />
        {(!d.schede_presto.is_empty()).then(|| view! {
            <h2>"Prestazioni occasionali"</h2>
            <ul id="schede-presto">
                {d.schede_presto.iter().map(|s| {
                    let href = format!("/presto/operatore/{}/{}", if s.prestatore { "prestatore" } else { "utilizzatore" }, s.id);
                    view! { <li><a href=href>{format!("{}: anagrafica e portafoglio", s.descrizione)}</a></li> }
                }).collect_view()}
            </ul>
        })}
        {r.soggetto_id.map(|id| view! { <p><a href=format!("/fascicolo/{id}")>"Torna al Fascicolo"</a></p> })}
        <p><a href="/coda">"Torna alla coda della sede"</a></p>
    }
}

/// The branch's steps on the request: take in charge, note, reply, close. The script sends each
/// step to the server function; without it the forms are posted to this page, which answers
/// with the page again. An island: a step that went through loads the page again.
#[cfg_attr(feature = "isole-sede", island)]
#[cfg_attr(not(feature = "isole-sede"), component)]
fn BranchSteps(protocollo: String, due_vie: bool, da_prendere: bool, version: i64, bozza: BozzaTesto) -> impl IntoView {
    let action = ServerAction::<FascAction>::new();
    let testo = NodeRef::<leptos::html::Textarea>::new();
    let problem = current_problem(action.value(), bozza.problem);
    let target = format!("/fascicolo/richiesta/{protocollo}");
    vai_se_fatto(move || action.value().get());
    let step = move |azione: String| {
        let t = testo.get().map(|t| t.value());
        action.dispatch(FascAction { protocollo: protocollo.clone(), azione, testo: t, version: Some(version) });
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
        {move || problem().map(|p| view! { <ErrorSummary problem=p /> })}
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
                        "Una nota interna resta agli operatori; una risposta arriva al richiedente, che può replicare; per chiudere, la risposta conclusiva."
                    } else {
                        "Una nota interna resta agli operatori; una risposta arriva al contribuente; per chiudere, il motivo dell'esito."
                    }}</p>
                    {move || problem().and_then(|p| field_error(Some(&p), "testo").or_else(|| field_error(Some(&p), "motivo"))).map(|m| view! { <p class="error-message" id="testo-errore">{m}</p> })}
                    <textarea id="testo" name="testo" rows="4" maxlength="4000" aria-describedby="testo-aiuto testo-errore" node_ref=testo>{bozza.testo}</textarea>
                </div>
                <div class="button-row">
                    <button type="submit" name="azione" value="nota_interna" class="button button-outline" id="nota-interna">"Aggiungi nota interna"</button>
                    <button type="submit" name="azione" value="risposta" class="button button-outline" id="rispondi">"Rispondi al richiedente"</button>
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
}

/// The stored decision: each check with what it read, the replay under today's rules, the
/// effects applied and every fact read.
#[component]
fn DecisionTrace(d: OperatorRequestView) -> impl IntoView {
    let r = d.richiesta.clone();
    let due_vie = !r.smart_task;
    let p2 = r.protocollo.clone();
    view! {
        {(!due_vie).then(|| view! {
            <h2>"Controlli eseguiti"</h2>
            {r.ruleset.clone().map(|v| view! { <p class="muted">{format!("Versione delle regole: {v}")}</p> })}
            <ChecksList controlli=r.controlli.clone() letti=d.letti.clone() />
        })}
        {r.ruleset.is_some().then(|| view! { <Replay protocollo=p2.clone() /> })}
        {(!d.effetti.is_empty()).then(|| view! {
            <h2>"Effetti applicati"</h2>
            {d.effetti.iter().map(|e| view! { <LabelValues json=e.clone() /> }).collect_view()}
        })}
        {d.fatti.clone().map(|f| view! {
            <details class="letti"><summary>"Tutti i fatti e i parametri letti"</summary><LabelValues json=f /></details>
        })}
    }
}

/// The replay under today's rules, in the browser: its outcome is shown under the button.
#[cfg_attr(feature = "isole-sede", island)]
#[cfg_attr(not(feature = "isole-sede"), component)]
fn Replay(protocollo: String) -> impl IntoView {
    let replay = ServerAction::<FascReplay>::new();
    view! {
        <ActionForm action=replay>
            <input type="hidden" name="protocollo" value=protocollo />
            <button type="submit" class="button button-outline" id="replay">"Riesegui la decisione sui dati memorizzati"</button>
        </ActionForm>
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
    }
}

/// The audit records of the request, with what each changed.
#[component]
fn AuditTable(audit: Vec<AuditRecordView>) -> impl IntoView {
    view! {
        <h2>"Registro delle operazioni"</h2>
        <div class="table-wrap" role="region" aria-label="Registro delle operazioni" tabindex="0">
            <table id="audit">
                <thead><tr><th scope="col">"N."</th><th scope="col">"Quando"</th><th scope="col">"Chi"</th><th scope="col">"Su"</th><th scope="col">"Azione"</th><th scope="col">"Prima"</th><th scope="col">"Dopo"</th></tr></thead>
                <tbody>
                    {audit.iter().map(|a| view! {
                        <tr>
                            <td>{a.seq}</td>
                            <td>{it_datetime(&a.at)}</td>
                            <td>{a.actor.clone()}</td>
                            <td>{format!("{} {}", a.entity, a.entity_id)}</td>
                            <td>{a.action.clone()}</td>
                            <td>{a.before.clone().map(|j| view! { <LabelValues json=j /> })}</td>
                            <td>{a.after.clone().map(|j| view! { <LabelValues json=j /> })}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
