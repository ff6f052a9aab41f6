//! Comunicazioni: Lista Richieste, Crea Smart-Task (wizard) and the detail of a request.

use crate::api::{self, CbMessaggio, StSubmit, UiError};
use crate::components::{BozzaTesto, ErrorSummary, field_error, go, rendered_draft, successes};
use crate::pages::two_way::{Conversation, TwoWayDetail};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::{use_params_map, use_query_map};
use shared::dto::{FieldError, Problem, RequestFilter, RequestView};
use shared::smart_task::{self, Answers, Kind};

pub(crate) fn it_datetime(ts: &str) -> String {
    shared::time::format_it_datetime(ts)
}

fn it_date(d: &str) -> String {
    shared::time::format_date_text_it(d)
}

pub(crate) fn state_tag(stato: &str, label: String) -> impl IntoView + use<> {
    view! { <span class=format!("tag tag-richiesta-{stato}")>{label}</span> }
}

pub(crate) fn deny(p: Problem) -> AnyView {
    if p.code == "unauthenticated" {
        view! { <Redirect path="/accedi" /> }.into_any()
    } else {
        view! { <div class="notice notice-error" role="alert"><p>{p.detail}</p></div><p><a href="/soggetti">"Scegli il soggetto"</a></p> }.into_any()
    }
}

/// Filters read from (and kept in) the address, so a filtered list can be bookmarked, reloaded
/// and used without JavaScript.
pub(crate) fn filter_from(q: &leptos_router::params::ParamsMap) -> RequestFilter {
    let get = |k: &str| q.get(k).filter(|v| !v.trim().is_empty());
    RequestFilter {
        stato: get("stato"),
        tipo: get("tipo"),
        matricola: get("matricola"),
        dal: get("dal"),
        al: get("al"),
        pagina: get("pagina").and_then(|p| p.parse().ok()),
    }
}

/// `base` is the list's path (the Lista Richieste or an operator's Fascicolo).
pub(crate) fn page_href(base: &str, f: &RequestFilter, pagina: u32) -> String {
    let mut parts = vec![];
    for (k, v) in [("stato", &f.stato), ("tipo", &f.tipo), ("matricola", &f.matricola), ("dal", &f.dal), ("al", &f.al)]
    {
        if let Some(v) = v {
            parts.push(format!(
                "{k}={}",
                v.replace('%', "%25").replace('&', "%26").replace('/', "%2F").replace(' ', "+")
            ));
        }
    }
    parts.push(format!("pagina={pagina}"));
    format!("{base}?{}", parts.join("&"))
}

#[component]
pub fn RequestsPage() -> impl IntoView {
    let q = use_query_map();
    let filter = Memo::new(move |_| q.with(filter_from));
    let list =
        Resource::new(move || filter.get(), |f| api::st_list(f.stato, f.tipo, f.matricola, f.dal, f.al, f.pagina));
    view! {
        <Title text="Lista Richieste" />
        <p class="caption">"Comunicazioni"</p>
        <h1>"Lista Richieste"</h1>
        <p class="button-row">
            <a class="button" href="/richieste/nuova" id="crea-smart-task">"Crea Smart-Task"</a>
            <a class="button button-outline" href="/richieste/comunicazione" id="scrivi-alla-sede">"Scrivi alla sede"</a>
        </p>
        <Transition fallback=|| view! { <p>"Caricamento…"</p> }>
            {move || Suspend::new(async move {
                let f = filter.get_untracked();
                let filters = |f: RequestFilter| view! { <Filters f action="/richieste".to_string() /> };
                match list.await {
                    // The summary above the form, the messages at the fields.
                    Err(UiError(p)) if p.code == "validation" => view! {
                        <ErrorSummary problem=(*p).clone() />
                        <Filters f action="/richieste".to_string() problem=*p />
                    }.into_any(),
                    Err(UiError(p)) => deny(*p),
                    Ok(page) if page.richieste.is_empty() => view! {
                        {filters(f.clone())}
                        <div class="notice" id="nessuna-richiesta"><p>{if f == RequestFilter::default() { "Non ci sono richieste per questo soggetto." } else { "Nessuna richiesta corrisponde ai filtri." }}</p></div>
                    }.into_any(),
                    Ok(page) => {
                        let (n, tot, pagine, pagina) = (page.richieste.len(), page.totale, page.pagine, page.pagina);
                        let first = (pagina - 1) * page.per_pagina + 1;
                        view! {
                            {filters(f.clone())}
                            <p class="muted" id="conteggio" aria-live="polite">{format!("Richieste {first}–{} di {tot}", first as usize + n - 1)}</p>
                            <ul class="request-list" id="richieste">
                                {page.richieste.into_iter().map(|r| view! { <RequestRow r /> }).collect_view()}
                            </ul>
                            {(pagine > 1).then(|| view! {
                                <nav class="pager" aria-label="Pagine">
                                    {(pagina > 1).then(|| view! { <a href=page_href("/richieste", &f, pagina - 1) rel="prev">"‹ Precedenti"</a> })}
                                    <span>{format!("Pagina {pagina} di {pagine}")}</span>
                                    {(pagina < pagine).then(|| view! { <a href=page_href("/richieste", &f, pagina + 1) rel="next" id="pagina-successiva">"Successive ›"</a> })}
                                </nav>
                            })}
                        }.into_any()
                    }
                }
            })}
        </Transition>
    }
}

/// The filter form: a plain GET form, so it works before hydration and without JavaScript.
#[component]
pub(crate) fn Filters(
    f: RequestFilter,
    action: String,
    /// A refused filter: each field shows its message.
    #[prop(optional)]
    problem: Option<Problem>,
) -> impl IntoView {
    let (target, reset) = (action.clone(), action);
    let v = |o: &Option<String>| o.clone().unwrap_or_default();
    let stato = v(&f.stato);
    let tipo = v(&f.tipo);
    let open = f != RequestFilter { pagina: f.pagina, ..Default::default() } || problem.is_some();
    let err = |name: &str| field_error(problem.as_ref(), name);
    let message = |name: &'static str, m: Option<String>| {
        m.map(|m| view! { <p class="error-message" id=format!("{name}-errore")>{m}</p> })
    };
    let (e_stato, e_tipo, e_matricola, e_dal, e_al) =
        (err("stato"), err("tipo"), err("matricola"), err("dal"), err("al"));
    let invalid = |e: &Option<String>| e.is_some().then_some("true");
    view! {
        <details class="filters" open=open>
            <summary>"Filtra le richieste"</summary>
            <form method="get" action=target id="filtri">
                <div class="field" class:field-error=e_stato.is_some()>
                    <label for="stato">"Stato"</label>
                    {message("stato", e_stato.clone())}
                    <select id="stato" name="stato" aria-invalid=invalid(&e_stato) aria-describedby="stato-errore">
                        <option value="" selected=stato.is_empty()>"Tutti"</option>
                        {shared::dto::STATI_RICHIESTA.iter().map(|s| view! {
                            <option value=*s selected=stato == *s>{shared::dto::stato_richiesta_label(s)}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="field" class:field-error=e_tipo.is_some()>
                    <label for="tipo">"Oggetto"</label>
                    {message("tipo", e_tipo.clone())}
                    <select id="tipo" name="tipo" aria-invalid=invalid(&e_tipo) aria-describedby="tipo-errore">
                        <option value="" selected=tipo.is_empty()>"Tutti"</option>
                        <optgroup label="Smart-Task">
                            {Kind::ALL.iter().map(|k| view! {
                                <option value=k.code() selected=tipo == k.code()>{format!("{}. {}", k.number(), k.label())}</option>
                            }).collect_view()}
                        </optgroup>
                        <optgroup label="Comunicazioni bidirezionali">
                            <option value="bidirezionale" selected=tipo == "bidirezionale">"Tutte le comunicazioni"</option>
                            {shared::dto::OGGETTI_BIDIREZIONALI.iter().map(|(c, l, _)| {
                                let code = format!("bidirezionale:{c}");
                                let selected = tipo == code;
                                view! { <option value=code selected=selected>{format!("Comunicazione: {l}")}</option> }
                            }).collect_view()}
                        </optgroup>
                    </select>
                </div>
                <div class="field" class:field-error=e_matricola.is_some()>
                    <label for="matricola">"Matricola"</label>
                    {message("matricola", e_matricola.clone())}
                    <input id="matricola" name="matricola" inputmode="numeric" value=v(&f.matricola)
                        aria-invalid=invalid(&e_matricola) aria-describedby="matricola-errore" />
                </div>
                <div class="field field-inline">
                    <div class:field-error=e_dal.is_some()>
                        <label for="dal">"Inviate dal"</label>
                        {message("dal", e_dal.clone())}
                        <input id="dal" name="dal" placeholder="gg/mm/aaaa" value=v(&f.dal)
                            aria-invalid=invalid(&e_dal) aria-describedby="dal-errore" />
                    </div>
                    <div class:field-error=e_al.is_some()>
                        <label for="al">"al"</label>
                        {message("al", e_al.clone())}
                        <input id="al" name="al" placeholder="gg/mm/aaaa" value=v(&f.al)
                            aria-invalid=invalid(&e_al) aria-describedby="al-errore" />
                    </div>
                </div>
                <button type="submit" class="button" id="filtra">"Filtra"</button>
                " " <a href=reset>"Azzera i filtri"</a>
            </form>
        </details>
    }
}

/// The checks of a decision; for operators, with what each one read.
#[component]
pub(crate) fn ChecksList(controlli: Vec<shared::dto::CheckView>, letti: Vec<(String, String)>) -> impl IntoView {
    view! {
        <ol class="checks" id="controlli">
            {controlli.into_iter().enumerate().map(|(i, c)| {
                let (class, tag, label) = match c.esito.as_str() {
                    "ok" => ("check check-ok", "tag tag-richiesta-accolta", "Superato"),
                    "verifica" => ("check check-verifica", "tag tag-richiesta-in_carico_sede", "Da verificare in sede"),
                    _ => ("check check-ko", "tag tag-richiesta-non_accolta", "Non superato"),
                };
                let read = letti.get(i).filter(|(code, _)| *code == c.codice).map(|(_, v)| v.clone());
                view! {
                    <li class=class>
                        <p class="check-head">
                            <span class=tag>{label}</span>
                            " " <strong>{c.descrizione}</strong>
                        </p>
                        <p>{c.motivo}</p>
                        <p class="muted">{format!("{} · {}", c.codice, c.riferimento)}</p>
                        {read.map(|v| view! {
                            <details class="letti"><summary>"Dati e parametri letti"</summary><pre>{v}</pre></details>
                        })}
                    </li>
                }
            }).collect_view()}
        </ol>
    }
}

#[component]
pub(crate) fn RequestRow(r: RequestView, #[prop(optional)] operator: bool) -> impl IntoView {
    let href = if operator {
        format!("/fascicolo/richiesta/{}", r.protocollo)
    } else {
        format!("/richiesta/{}", r.protocollo)
    };
    view! {
        <li class=if r.smart_task { "request smart-task" } else { "request" }>
            <p class="request-head">
                {r.smart_task.then(|| view! { <span class="tag tag-smart-task">"Smart-Task"</span> })}
                " " {state_tag(&r.stato, r.stato_label.clone())}
            </p>
            <p class="request-title"><a href=href>{r.descrizione.clone()}</a></p>
            <p class="muted">{format!("Protocollo {} · inviata il {}", r.protocollo, it_datetime(&r.inviata_il))}</p>
        </li>
    }
}

/// The wizard's state lives in the URL: a reload keeps the draft, and every step also works
/// without JavaScript (plain links and GET forms).
#[component]
pub fn NewRequestPage() -> impl IntoView {
    let q = use_query_map();
    let get = move |k: &str| q.with(|m| m.get(k)).unwrap_or_default();
    view! {
        <Title text="Crea Smart-Task" />
        <p class="caption">"Comunicazioni · Crea Smart-Task"</p>
        {move || {
            let tipo = get("tipo");
            let oggetto = get("oggetto");
            match (Kind::from_code(&tipo), oggetto.is_empty()) {
                (None, _) => view! { <ChooseKind /> }.into_any(),
                (Some(kind), true) => view! { <ChooseTarget kind /> }.into_any(),
                (Some(kind), false) => {
                    let mut answers = Answers::new();
                    for k in smart_task::answer_names() {
                        let v = get(k);
                        if !v.is_empty() {
                            answers.insert(k.to_string(), v);
                        }
                    }
                    if get("verifica") == "1" {
                        match smart_task::parse(kind, &oggetto, &answers) {
                            Ok(_) => view! { <CheckAnswers kind oggetto answers /> }.into_any(),
                            Err(errors) => view! { <AnswersForm kind oggetto answers errors /> }.into_any(),
                        }
                    } else {
                        view! { <AnswersForm kind oggetto answers errors=vec![] /> }.into_any()
                    }
                }
            }
        }}
    }
}

#[component]
fn ChooseKind() -> impl IntoView {
    let kinds = Resource::new(|| (), |_| api::st_kinds());
    view! {
        <h1>"Che cosa vuole chiedere?"</h1>
        <Suspense fallback=|| view! { <p>"Caricamento…"</p> }>
            {move || Suspend::new(async move {
                match kinds.await {
                    Err(UiError(p)) => deny(*p),
                    Ok(list) => view! {
                        <ul class="choice-list">
                            {list.into_iter().map(|k| {
                                let label = format!("{}. {}", k.numero, k.descrizione);
                                if k.disponibile {
                                    view! { <li><a href=format!("/richieste/nuova?tipo={}", k.codice)>{label}</a></li> }.into_any()
                                } else {
                                    view! { <li class="muted">{label}" – non ancora disponibile"</li> }.into_any()
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                }
            })}
        </Suspense>
        <p>"Non trova ciò che le serve? "<a href="/richieste/comunicazione" id="link-comunicazione">"Scriva alla sua sede con una comunicazione bidirezionale"</a>"."</p>
    }
}

#[component]
fn ChooseTarget(kind: Kind) -> impl IntoView {
    let targets = Resource::new(move || kind, |k| api::st_targets(k.code().to_string()));
    view! {
        <h1>{kind.label()}</h1>
        <p class="lead">"Scelga l'elemento a cui si riferisce la richiesta."</p>
        <Suspense fallback=|| view! { <p>"Caricamento…"</p> }>
            {move || Suspend::new(async move {
                match targets.await {
                    Err(UiError(p)) => deny(*p),
                    Ok(list) if list.is_empty() => view! {
                        <div class="notice"><p>"Non ci sono elementi su cui presentare questa richiesta (ad esempio nessuna delega in vigore)."</p></div>
                        <p><a href="/richieste/nuova">"Scegli un'altra richiesta"</a></p>
                    }.into_any(),
                    Ok(list) => view! {
                        <ul class="choice-list">
                            {list.into_iter().map(|t| view! {
                                <li><a href=format!("/richieste/nuova?tipo={}&oggetto={}", kind.code(), t.id)>{t.descrizione}</a></li>
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                }
            })}
        </Suspense>
        <p><a href="/richieste/nuova">"Indietro"</a></p>
    }
}

/// The form, once the target is known: what INPS already has is shown, not asked again, and
/// answers it can suggest are pre-filled.
#[component]
fn AnswersForm(kind: Kind, oggetto: String, answers: Answers, errors: Vec<FieldError>) -> impl IntoView {
    let targets = Resource::new(move || kind, |k| api::st_targets(k.code().to_string()));
    view! {
        <h1>{kind.label()}</h1>
        <Suspense fallback=|| view! { <p>"Caricamento…"</p> }>
            {move || {
                let (oggetto, answers, errors) = (oggetto.clone(), answers.clone(), errors.clone());
                Suspend::new(async move {
                    match targets.await {
                        Err(UiError(p)) => deny(*p),
                        Ok(list) => match list.into_iter().find(|t| t.id == oggetto) {
                            None => view! {
                                <div class="notice notice-error" role="alert"><p>"L'elemento scelto non è più tra quelli su cui presentare questa richiesta."</p></div>
                                <p><a href=format!("/richieste/nuova?tipo={}", kind.code())>"Scegli di nuovo"</a></p>
                            }.into_any(),
                            Some(t) => view! { <AnswersFields kind oggetto answers errors target=t /> }.into_any(),
                        },
                    }
                })
            }}
        </Suspense>
        <p><a href=format!("/richieste/nuova?tipo={}", kind.code())>"Indietro"</a></p>
    }
}

#[component]
fn AnswersFields(
    kind: Kind,
    oggetto: String,
    answers: Answers,
    errors: Vec<FieldError>,
    target: shared::dto::TargetView,
) -> impl IntoView {
    let first_visit = answers.is_empty() && errors.is_empty();
    let problem = (!errors.is_empty()).then(|| Problem {
        kind: String::new(),
        title: "Dati non validi".into(),
        status: 422,
        detail: "Correggere i campi indicati.".into(),
        code: "validation".into(),
        errors,
    });
    view! {
        {problem.clone().map(|p| view! { <ErrorSummary problem=p /> })}
        {(!target.dati.is_empty()).then(|| view! {
            <h2>"Dati già presenti negli archivi INPS"</h2>
            <dl class="summary-list" id="dati-noti">
                {target.dati.iter().map(|(k, v)| view! { <div><dt>{k.clone()}</dt><dd>{v.clone()}</dd></div> }).collect_view()}
            </dl>
        })}
        <h2>"Dati da indicare"</h2>
        <form method="get" action="/richieste/nuova" novalidate>
            <input type="hidden" name="tipo" value=kind.code() />
            <input type="hidden" name="oggetto" value=oggetto.clone() />
            <input type="hidden" name="verifica" value="1" />
            {smart_task::form_fields(kind).iter().map(|f| {
                let (name, label, hint, input_type) = (f.name, f.label, f.hint, f.input);
                let err = field_error(problem.as_ref(), name);
                let has_err = err.is_some();
                // What the user typed wins; a suggestion only fills an untouched form.
                let value = answers
                    .get(name)
                    .cloned()
                    .or_else(|| first_visit.then(|| target.predefiniti.get(name).cloned()).flatten())
                    .unwrap_or_default();
                let described = if has_err { format!("{name}-aiuto {name}-errore") } else { format!("{name}-aiuto") };
                let control = if input_type == "select" {
                    view! {
                        <select id=name name=name aria-describedby=described.clone() aria-invalid=has_err.then_some("true")>
                            <option value="" selected=value.is_empty()>"Scegliere…"</option>
                            {f.options.iter().map(|(v, l)| view! { <option value=*v selected=value == *v>{*l}</option> }).collect_view()}
                        </select>
                    }.into_any()
                } else {
                    view! { <input id=name name=name type=input_type value=value aria-describedby=described aria-invalid=has_err.then_some("true") /> }.into_any()
                };
                view! {
                    <div class=if has_err { "field field-error" } else { "field" }>
                        <label for=name>{label}</label>
                        <p class="muted" id=format!("{name}-aiuto")>{hint}</p>
                        {err.map(|m| view! { <p class="error-message" id=format!("{name}-errore")>{m}</p> })}
                        {control}
                    </div>
                }
            }).collect_view()}
            <button type="submit" class="button" id="continua">"Continua"</button>
        </form>
    }
}

#[component]
fn CheckAnswers(kind: Kind, oggetto: String, answers: Answers) -> impl IntoView {
    let submit = ServerAction::<StSubmit>::new();
    let value = submit.value();
    Effect::new(move |_| {
        if let Some(Ok(r)) = value.get() {
            go(&format!("/richiesta/{}", r.protocollo));
        }
    });
    let key = smart_task::draft_key(kind.code(), &oggetto, &answers);
    let mut edit = format!("/richieste/nuova?tipo={}&oggetto={}", kind.code(), oggetto);
    for (k, v) in &answers {
        edit.push_str(&format!("&{k}={}", v.replace('&', "%26").replace('+', "%2B").replace(' ', "+")));
    }
    let rows = smart_task::form_fields(kind);
    view! {
        <h1>"Controlli le risposte prima di inviare"</h1>
        {move || value.get().and_then(|r| r.err()).map(|e| view! { <ErrorSummary problem=*e.0 /> })}
        <dl class="summary-list">
            <div><dt>"Richiesta"</dt><dd>{kind.label()}</dd><dd></dd></div>
            {rows.iter().map(|f| {
                let (name, label) = (f.name, f.label);
                let v = answers.get(name).cloned().unwrap_or_default();
                let shown = match (name, v.is_empty()) {
                    (_, true) => "Invariato".to_string(),
                    ("data_effetto", false) => it_date(&v),
                    ("periodo_corretto", false) => shared::Periodo::parse(&v).map(|p| p.to_string()).unwrap_or(v),
                    ("importo", false) => shared::Euro::parse_it(&v).map(|e| e.to_string()).unwrap_or(v),
                    _ => f.options.iter().find(|o| o.0 == v).map(|o| o.1.to_string()).unwrap_or(v),
                };
                view! {
                    <div>
                        <dt>{label}</dt>
                        <dd id=format!("riepilogo-{name}")>{shown}</dd>
                        <dd><a href=edit.clone()>"Modifica"<span class="visually-hidden">{format!(" {label}")}</span></a></dd>
                    </div>
                }
            }).collect_view()}
        </dl>
        <ActionForm action=submit>
            <input type="hidden" name="tipo" value=kind.code() />
            <input type="hidden" name="oggetto" value=oggetto.clone() />
            <input type="hidden" name="chiave" value=key />
            {answers.into_iter().map(|(k, v)| view! { <input type="hidden" name=k value=v /> }).collect_view()}
            <button type="submit" class="button" id="invia" disabled=move || submit.pending().get()>
                {move || if submit.pending().get() { "Invio in corso…" } else { "Invia la richiesta" }}
            </button>
        </ActionForm>
    }
}

#[component]
pub fn RequestDetailPage() -> impl IntoView {
    let params = use_params_map();
    let protocollo = move || params.with(|p| p.get("protocollo")).unwrap_or_default();
    // A message added to a two-way request reloads the detail; a refused one leaves the page
    // (and the typed text) as it is.
    let send = ServerAction::<CbMessaggio>::new();
    // A message refused in a plain post comes back to the form below.
    rendered_draft::<BozzaTesto>();
    let done = successes(move || send.value().with(|v| matches!(v, Some(Ok(_)))));
    let detail = Resource::new(move || (protocollo(), done.get()), |(p, _)| api::st_get(p));
    // While the examination runs, look again every second (the answer usually takes milliseconds).
    Effect::new(move |_| {
        if let Some(Ok(r)) = detail.get()
            && (r.stato == "inviata" || r.stato == "in_istruttoria")
        {
            set_timeout(move || detail.refetch(), std::time::Duration::from_secs(1));
        }
    });
    view! {
        <Transition fallback=|| view! { <p>"Caricamento…"</p> }>
            {move || Suspend::new(async move {
                match detail.await {
                    Err(UiError(p)) => deny(*p),
                    Ok(r) => view! { <RequestDetail r send /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn RequestDetail(r: RequestView, send: ServerAction<CbMessaggio>) -> impl IntoView {
    if !r.smart_task {
        return view! { <TwoWayDetail r send /> }.into_any();
    }
    let final_state = r.stato == "accolta" || r.stato == "non_accolta" || r.stato == "in_carico_sede";
    let rejected = r.stato == "non_accolta";
    view! {
        <Title text=format!("Richiesta {}", r.protocollo) />
        <p class="caption">{format!("Protocollo {}", r.protocollo)}</p>
        <h1>{r.descrizione.clone()}</h1>
        <p class="request-head"><span class="tag tag-smart-task">"Smart-Task"</span>" " {state_tag(&r.stato, r.stato_label.clone())}</p>
        {(!final_state).then(|| view! { <div class="notice" role="status"><p>"La richiesta è in esame: l'esito compare qui appena pronto."</p></div> })}
        {rejected.then(|| view! {
            <div class="notice notice-error" id="esito">
                <h2>"Perché la richiesta non è stata accolta"</h2>
                <p>{r.motivo.clone().unwrap_or_default()}</p>
                <p>"Corregga i dati indicati e presenti una nuova richiesta, oppure scriva alla sua sede con una comunicazione bidirezionale."</p>
            </div>
        })}
        {(r.stato == "in_carico_sede").then(|| view! {
            <div class="notice" id="esito">
                <h2>"La richiesta è passata alla sede"</h2>
                <p>{r.motivo.clone().unwrap_or_default()}</p>
                <p>"Un operatore della sede la esaminerà: riceverà una notifica con l'esito."</p>
            </div>
        })}
        {(r.stato == "accolta").then(|| view! {
            <div class="notice notice-success" id="esito"><p>"La richiesta è stata accolta e i dati sono stati aggiornati."</p></div>
        })}
        <h2>"Controlli eseguiti"</h2>
        {r.ruleset.clone().map(|v| view! { <p class="muted">{format!("Regole in vigore al {} (versione {v})", it_date(&r.data_riferimento))}</p> })}
        <ChecksList controlli=r.controlli.clone() letti=vec![] />
        <Conversation messaggi=r.messaggi_sede.clone() />
        <p><a href=format!("/richiesta/{}/ricevuta.pdf", r.protocollo) rel="external" id="ricevuta">"Scarica la ricevuta (PDF)"</a></p>
        <Timeline eventi=r.eventi />
        <p><a href="/richieste">"Torna alla Lista Richieste"</a></p>
    }
    .into_any()
}

/// The states a request went through, with when.
#[component]
pub(crate) fn Timeline(eventi: Vec<shared::dto::EventView>) -> impl IntoView {
    view! {
        <h2>"Cronologia"</h2>
        <ol class="timeline">
            {eventi.into_iter().map(|e| view! { <li><strong>{shared::dto::stato_richiesta_label(&e.stato)}</strong>" – " {it_datetime(&e.at)}</li> }).collect_view()}
        </ol>
    }
}

/// Attachments of a request, as download links.
#[component]
pub(crate) fn Attachments(protocollo: String, allegati: Vec<shared::dto::AllegatoView>) -> impl IntoView {
    (!allegati.is_empty()).then(|| {
        view! {
            <h2>"Allegati"</h2>
            <ul id="allegati">
                {allegati.into_iter().map(|a| view! {
                    <li>
                        <a href=format!("/api/v1/richieste/{}/allegati/{}", protocollo, a.id) rel="external" download=a.nome.clone()>{a.nome.clone()}</a>
                        <span class="muted">{format!(" · {} · {} kB", a.tipo.trim_start_matches("application/").trim_start_matches("image/").to_uppercase(), (a.dimensione + 1023) / 1024)}</span>
                    </li>
                }).collect_view()}
            </ul>
        }
    })
}
