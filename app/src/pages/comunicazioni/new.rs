//! A new two-way request: object, text, contacts, attachments.

use super::api;
use crate::components::forms::*;
use crate::pages::identity::header::SessionResource;
use leptos::prelude::*;
use leptos_meta::Title;
use shared::dto::*;

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
    let bozza = use_context::<BozzaComunicazione>().unwrap_or_default();
    let SessionResource(session) = expect_context::<SessionResource>();
    view! {
        <Title text="Scrivi alla sede" />
        <p class="caption">"Comunicazioni · Comunicazione bidirezionale"</p>
        <h1>"Scrivi alla sede INPS"</h1>
        <p class="lead">"Per ciò che non è tra le richieste Smart-Task, e per ogni domanda sulle prestazioni occasionali: la sede risponde qui e riceverà una notifica a ogni passo."</p>
        <Suspense fallback=|| ()>
            {Suspend::new(async move {
                // A prestazioni occasionali user writes about prestazioni occasionali only.
                let persona = matches!(session.await, Ok(Some(s)) if s.role.writes_as_person());
                view! { <ModuloComunicazione bozza persona /> }
            })}
        </Suspense>
        <p><a href="/richieste">"Torna all'elenco delle richieste"</a></p>
    }
}

/// The form, an island: sent by the script as multipart, refused, it keeps every value and file.
#[cfg_attr(feature = "isole-cassetto", island)]
#[cfg_attr(not(feature = "isole-cassetto"), component)]
fn ModuloComunicazione(bozza: BozzaComunicazione, persona: bool) -> impl IntoView {
    let invio = Action::new_local(|fd: &web_sys::FormData| api::cb_invio(fd.clone().into()));
    let value = invio.value();
    vai_se_fatto(move || value.get());
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
    let on_submit = multipart_submit(invio);
    view! {
        {move || problem().map(|p: Problem| view! { <ErrorSummary problem=p /> })}
        <form method="post" action=PAGE_PATH enctype="multipart/form-data" novalidate on:submit=on_submit id="comunicazione">
                            <div class="field" class:field-error=move || field("oggetto")().is_some()>
                                <label for="oggetto">"Oggetto"</label>
                                <p class="muted" id="oggetto-aiuto">"L'argomento, scelto dall'elenco."</p>
                                {move || field("oggetto")().map(|m| view! { <p class="error-message" id="oggetto-errore">{m}</p> })}
                                <select id="oggetto" name="oggetto" aria-describedby="oggetto-aiuto oggetto-errore" aria-invalid=invalid("oggetto")>
                                    <option value="">"Scegliere…"</option>
                                    {shared::comunicazioni::gruppi_oggetti(persona).into_iter().map(|(c1, l1, figli)| view! {
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
                <p class="muted" id="testo-aiuto">"Da 10 a 4.000 caratteri. Indichi i riferimenti utili: matricole, periodi, importi, identificativi di prestazioni o versamenti."</p>
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
                <p class="muted" id="allegati-aiuto">{format!("Fino a {ALLEGATI_MAX} file PDF, JPEG, PNG o ZIP di al massimo {} ciascuno.", shared::comunicazioni::ALLEGATO_MAX_IT)}</p>
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
    }
}
