//! A two-way request as the contributor sees it, with the form for a new message.

use super::api::CbMessaggio;
use crate::components::forms::*;
use crate::components::request::*;
use leptos::prelude::*;
use leptos_meta::Title;
use shared::dto::*;

/// A standard two-way request: its text, contacts, attachments, the conversation and, while it
/// is open, a form to add a message.
#[component]
pub(crate) fn TwoWayDetail(r: RequestView) -> impl IntoView {
    let get = |k: &str| r.risposte.get(k).cloned().filter(|v| !v.is_empty()).unwrap_or_else(|| "–".into());
    let aperta = !r.stato.is_final();
    let protocollo = r.protocollo.clone();
    view! {
        <Title text=format!("Richiesta {}", r.protocollo) />
        <p class="caption">{format!("Comunicazione bidirezionale · protocollo {}", r.protocollo)}</p>
        <h1>{r.descrizione.clone()}</h1>
        <p class="request-head">{state_tag(r.stato, r.stato_label.clone())}</p>
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
        {aperta.then(|| {
            // A plain post refused by the server comes back with the text and the problem.
            let bozza = use_context::<BozzaTesto>().unwrap_or_default();
            view! { <NewMessage protocollo bozza /> }.into_any()
        })}
        <Timeline eventi=r.eventi.clone() />
        <p><a href="/richieste">"Torna alla Lista Richieste"</a></p>
    }
    // Type-erased: the nested view type is otherwise too deep for release builds.
    .into_any()
}

/// Adds a message; on success the page is loaded again with the message in the conversation, on
/// refusal the text stays in the box.
#[cfg_attr(feature = "isole-cassetto", island)]
#[cfg_attr(not(feature = "isole-cassetto"), component)]
fn NewMessage(protocollo: String, bozza: BozzaTesto) -> impl IntoView {
    let send = ServerAction::<CbMessaggio>::new();
    let value = send.value();
    let testo = NodeRef::<leptos::html::Textarea>::new();
    vai_se_fatto(move || value.get());
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
