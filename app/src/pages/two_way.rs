//! Comunicazioni bidirezionali, the contributor's side: writing a request to the branch (with
//! attachments) and following the conversation until the branch closes it.

use crate::api::{self, CbMessaggio};
use crate::components::{
    BozzaTesto, ErrorSummary, clear_after_success, current_problem, field_error, go, rendered_draft,
};
use crate::pages::requests::{Attachments, Timeline, it_datetime, state_tag};
use leptos::prelude::*;
use leptos_meta::Title;
use shared::dto::{ALLEGATI_MAX, OGGETTI_BIDIREZIONALI, OperatorNote, Problem, RequestView};

/// Where the form lives and where it is posted without the page's script.
pub const PAGE_PATH: &str = "/richieste/comunicazione";

/// What was typed in the form when the server refused it in a plain post (no script, or sent
/// before the script loaded): the server renders the form again with it and the errors.
/// Chosen files cannot be put back in a file input; the page says how many to choose again.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct BozzaComunicazione {
    pub oggetto: String,
    pub testo: String,
    pub email: String,
    pub telefono: String,
    pub allegati: usize,
    pub problem: Option<Problem>,
}

/// The form. The page's script sends it as multipart to the server function, so the browser
/// keeps every typed value and chosen file in place when the server refuses something; without
/// the script it is a plain multipart post to the page itself, which answers with the form
/// filled in again (see [`BozzaComunicazione`]).
#[component]
pub fn NewTwoWayPage() -> impl IntoView {
    let bozza = rendered_draft::<BozzaComunicazione>().unwrap_or_default();
    let invio = Action::new_local(|fd: &web_sys::FormData| api::cb_invio(fd.clone().into()));
    let value = invio.value();
    Effect::new(move |_| {
        if let Some(Ok(r)) = value.get() {
            go(&format!("/richiesta/{}", r.protocollo));
        }
    });
    let problem = current_problem(value, bozza.problem.clone());
    let da_riscegliere = (bozza.allegati > 0 && bozza.problem.is_some()).then(|| {
        view! {
            <p class="error-message" id="allegati-da-riscegliere">{format!(
                "Il modulo non è stato accettato: scelga di nuovo {}.",
                if bozza.allegati == 1 { "il file allegato".to_string() } else { format!("i {} file allegati", bozza.allegati) }
            )}</p>
        }
    });
    let oggetto_scelto = bozza.oggetto.clone();
    // Attachment errors are per file (`allegati[1]`) or for all of them (`allegati`).
    let allegati_errori = move || -> Vec<String> {
        problem()
            .map(|p| p.errors.into_iter().filter(|e| e.field.starts_with("allegati")).map(|e| e.message).collect())
            .unwrap_or_default()
    };
    let field = move |name: &'static str| move || problem().and_then(|p| field_error(Some(&p), name));
    let invalid = move |name: &'static str| move || field(name)().is_some().then_some("true");
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let form: web_sys::HtmlFormElement = event_target(&ev);
        if let Ok(fd) = web_sys::FormData::new_with_form(&form) {
            invio.dispatch_local(fd);
        }
    };
    view! {
        <Title text="Scrivi alla sede" />
        <p class="caption">"Comunicazioni · Comunicazione bidirezionale"</p>
        <h1>"Scrivi alla sede INPS"</h1>
        <p class="lead">"Per ciò che non è tra le richieste Smart-Task: la sede risponde qui e riceverà una notifica a ogni passo."</p>
        {move || problem().map(|p: Problem| view! { <ErrorSummary problem=p /> })}
        <form method="post" action=PAGE_PATH enctype="multipart/form-data" novalidate on:submit=on_submit id="comunicazione">
            <div class="field" class:field-error=move || field("oggetto")().is_some()>
                <label for="oggetto">"Oggetto"</label>
                <p class="muted" id="oggetto-aiuto">"L'argomento, scelto dall'elenco."</p>
                {move || field("oggetto")().map(|m| view! { <p class="error-message" id="oggetto-errore">{m}</p> })}
                <select id="oggetto" name="oggetto" aria-describedby="oggetto-aiuto oggetto-errore" aria-invalid=invalid("oggetto")>
                    <option value="">"Scegliere…"</option>
                    {OGGETTI_BIDIREZIONALI.iter().map(|(c1, l1, figli)| view! {
                        <optgroup label=*l1>
                            {figli.iter().map(|(c2, l2)| {
                                let v = format!("{c1}/{c2}");
                                let selected = v == oggetto_scelto;
                                view! { <option value=v selected=selected>{*l2}</option> }
                            }).collect_view()}
                        </optgroup>
                    }).collect_view()}
                </select>
            </div>
            <div class="field" class:field-error=move || field("testo")().is_some()>
                <label for="testo">"Testo della richiesta"</label>
                <p class="muted" id="testo-aiuto">"Da 10 a 4.000 caratteri. Indichi matricole, periodi e importi a cui si riferisce."</p>
                {move || field("testo")().map(|m| view! { <p class="error-message" id="testo-errore">{m}</p> })}
                <textarea id="testo" name="testo" rows="6" maxlength="4000" aria-describedby="testo-aiuto testo-errore" aria-invalid=invalid("testo")>{bozza.testo.clone()}</textarea>
            </div>
            <fieldset class="fieldset">
                <legend>"Recapiti per la risposta (almeno uno)"</legend>
                <div class="field" class:field-error=move || field("email")().is_some()>
                    <label for="email">"E-mail"</label>
                    {move || field("email")().map(|m| view! { <p class="error-message" id="email-errore">{m}</p> })}
                    <input id="email" name="email" type="email" autocomplete="email" aria-describedby="email-errore" aria-invalid=invalid("email") value=bozza.email.clone() />
                </div>
                <div class="field" class:field-error=move || field("telefono")().is_some()>
                    <label for="telefono">"Telefono"</label>
                    {move || field("telefono")().map(|m| view! { <p class="error-message" id="telefono-errore">{m}</p> })}
                    <input id="telefono" name="telefono" type="tel" autocomplete="tel" aria-describedby="telefono-errore" aria-invalid=invalid("telefono") value=bozza.telefono.clone() />
                </div>
            </fieldset>
            <fieldset class="fieldset" id="allegati" class:field-error=move || !allegati_errori().is_empty()>
                <legend>"Allegati (facoltativi)"</legend>
                <p class="muted" id="allegati-aiuto">{format!("Fino a {ALLEGATI_MAX} file PDF, JPEG, PNG o ZIP di al massimo 3 MB ciascuno.")}</p>
                {da_riscegliere}
                {move || {
                    let errs = allegati_errori();
                    (!errs.is_empty()).then(|| view! {
                        <ul class="error-message" id="allegati-errore">{errs.into_iter().map(|m| view! { <li>{m}</li> }).collect_view()}</ul>
                    })
                }}
                {(1..=ALLEGATI_MAX).map(|i| view! {
                    <div class="field">
                        <label for=format!("allegato-{i}")>{format!("Allegato {i}")}</label>
                        <input id=format!("allegato-{i}") name="allegato" type="file" aria-describedby="allegati-aiuto allegati-errore"
                            accept=".pdf,.jpg,.jpeg,.png,.zip,application/pdf,image/jpeg,image/png,application/zip" />
                    </div>
                }).collect_view()}
            </fieldset>
            <button type="submit" class="button" id="invia" disabled=move || invio.pending().get()>
                {move || if invio.pending().get() { "Invio in corso…" } else { "Invia alla sede" }}
            </button>
        </form>
        <p><a href="/richieste">"Torna alla Lista Richieste"</a></p>
    }
}

/// The messages of a request, oldest first. The operator also sees internal notes, marked.
#[component]
pub(crate) fn Conversation(messaggi: Vec<OperatorNote>, #[prop(optional)] operator: bool) -> impl IntoView {
    (!messaggi.is_empty()).then(|| {
        view! {
            <h2>"Messaggi"</h2>
            <ul class="request-list conversation" id="messaggi">
                {messaggi.into_iter().map(|m| {
                    let (class, who) = match (m.dal_contribuente, m.interna) {
                        (true, _) => ("request messaggio-contribuente", if operator { "Contribuente" } else { "Lei" }),
                        (false, true) => ("request nota-interna", "Nota interna"),
                        (false, false) => ("request messaggio-sede", "Sede INPS"),
                    };
                    view! {
                        <li class=class>
                            <p class="request-head"><span class="tag">{who}</span></p>
                            <p class="testo-richiesta">{m.testo}</p>
                            <p class="muted">{format!("{} · {}", m.autore, it_datetime(&m.at))}</p>
                        </li>
                    }
                }).collect_view()}
            </ul>
        }
    })
}

/// A standard two-way request: its text, contacts, attachments, the conversation and, while it
/// is open, a form to add a message.
#[component]
pub(crate) fn TwoWayDetail(r: RequestView, send: ServerAction<CbMessaggio>) -> impl IntoView {
    let get = |k: &str| r.risposte.get(k).cloned().filter(|v| !v.is_empty()).unwrap_or_else(|| "–".into());
    let aperta = r.stato != "chiusa";
    let protocollo = r.protocollo.clone();
    view! {
        <Title text=format!("Richiesta {}", r.protocollo) />
        <p class="caption">{format!("Comunicazione bidirezionale · protocollo {}", r.protocollo)}</p>
        <h1>{r.descrizione.clone()}</h1>
        <p class="request-head">{state_tag(&r.stato, r.stato_label.clone())}</p>
        {r.motivo.clone().filter(|_| !aperta).map(|m| view! {
            <div class="notice notice-success" id="esito"><h2>"Risposta di chiusura della sede"</h2><p>{m}</p></div>
        })}
        <h2>"La sua richiesta"</h2>
        <p class="testo-richiesta" id="testo-richiesta">{get("testo")}</p>
        <dl class="summary-list">
            <div><dt>"E-mail per la risposta"</dt><dd>{get("email")}</dd></div>
            <div><dt>"Telefono"</dt><dd>{get("telefono")}</dd></div>
        </dl>
        <Attachments protocollo=r.protocollo.clone() allegati=r.allegati.clone() />
        <Conversation messaggi=r.messaggi_sede.clone() />
        {aperta.then(|| view! { <NewMessage protocollo send /> }.into_any())}
        <Timeline eventi=r.eventi.clone() />
        <p><a href="/richieste">"Torna alla Lista Richieste"</a></p>
    }
    // Type-erased: the nested view type is otherwise too deep for release builds.
    .into_any()
}

/// Adds a message; on success the detail is loaded again (by the page) with the message in the
/// conversation and the box emptied, on refusal the text stays in the box.
#[component]
fn NewMessage(protocollo: String, send: ServerAction<CbMessaggio>) -> impl IntoView {
    let value = send.value();
    let testo = NodeRef::<leptos::html::Textarea>::new();
    clear_after_success(move || value.with(|v| matches!(v, Some(Ok(_)))), testo);
    // A plain post refused by the server comes back with the text and the problem.
    let bozza = use_context::<BozzaTesto>().unwrap_or_default();
    let problem = current_problem(value, bozza.problem);
    let target = format!("/richiesta/{protocollo}");
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let t = testo.get().map(|t| t.value()).unwrap_or_default();
        send.dispatch(CbMessaggio { protocollo: protocollo.clone(), testo: t });
    };
    view! {
        <h2 id="scrivi">"Scrivi alla sede"</h2>
        {move || problem().map(|p| view! { <ErrorSummary problem=p /> })}
        // The script sends it to the server function; without it, it is posted to this page.
        <form method="post" action=target on:submit=on_submit id="nuovo-messaggio">
            <div class="field" class:field-error=move || problem().is_some()>
                <label for="testo">"Messaggio"</label>
                <p class="muted" id="messaggio-aiuto">"Ad esempio la risposta a una domanda della sede."</p>
                {move || problem().and_then(|p| field_error(Some(&p), "testo")).map(|m| view! { <p class="error-message" id="testo-errore">{m}</p> })}
                <textarea id="testo" name="testo" rows="4" maxlength="4000" aria-describedby="messaggio-aiuto testo-errore" node_ref=testo>{bozza.testo}</textarea>
            </div>
            <button type="submit" class="button" id="invia-messaggio" disabled=move || send.pending().get()>
                {move || if send.pending().get() { "Invio in corso…" } else { "Invia il messaggio" }}
            </button>
        </form>
    }
}
