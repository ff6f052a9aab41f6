//! Loading the F24 flow (head office): the file goes as multipart to the server function; the
//! report lists every line that was not simply credited, with its line number and reason.

use super::api;
use crate::components::forms::*;
use leptos::prelude::*;
use leptos_meta::Title;
use shared::dto::Problem;

#[component]
pub fn F24Page() -> impl IntoView {
    view! {
        <Title text="Flusso F24 – prestazioni occasionali" />
        <F24PageIsola />
    }
}

/// The page's interactive part: an island in its area's WASM bundle (app/src/pagine.rs).
#[cfg_attr(feature = "isole-pagamenti", island)]
#[cfg_attr(not(feature = "isole-pagamenti"), component)]
fn F24PageIsola() -> impl IntoView {
    let invio = Action::new_local(|fd: &web_sys::FormData| api::po_f24(fd.clone().into()));
    let value = invio.value();
    let problem = move || value.get().and_then(|r| r.err()).map(|e| *e.0);
    let on_submit = multipart_submit(invio);
    view! {
        <p class="caption"><a href="/presto/operatore">"Prestazioni occasionali"</a></p>
        <h1>"Carica un flusso F24"</h1>
        <p class="lead">"Righe F24 ELIDE ed EP con causale LIFA o CLOC: quelle di un utilizzatore registrato con la causale giusta sono accreditate subito, le altre restano tra i versamenti non abbinati con il motivo. Una riga già caricata è ignorata."</p>
        {move || problem().map(|p: Problem| view! { <ErrorSummary problem=p /> })}
        <form method="post" action="/sf/po_f24" enctype="multipart/form-data" on:submit=on_submit id="carica-f24">
            <div class="field" class:field-error=move || problem().and_then(|p| field_error(Some(&p), "flusso")).is_some()>
                <label for="flusso">"File del flusso (CSV)"</label>
                <p class="muted" id="flusso-aiuto">"Intestazione: id_riga, modello, codice_fiscale, sezione, causale, riferimento_a, riferimento_b, importo_centesimi, data_versamento."</p>
                {move || problem().and_then(|p| field_error(Some(&p), "flusso")).map(|m| view! { <p class="error-message">{m}</p> })}
                <input type="file" id="flusso" name="flusso" accept=".csv,text/csv" aria-describedby="flusso-aiuto" />
            </div>
            <button type="submit" class="button" id="carica" disabled=move || invio.pending().get()>"Carica il flusso"</button>
        </form>
        {move || value.get().and_then(|r| r.ok()).map(|r| {
            let altre: Vec<_> = r.righe.into_iter().filter(|l| l.esito != "accreditata").collect();
            view! {
                <div class="notice notice-success" role="status" id="esito-f24">
                    <p>{format!("Accreditate {}, non abbinate {}, già presenti {}, scartate {}.", r.accreditate, r.non_abbinate, r.gia_presenti, r.scartate)}</p>
                </div>
                {(!altre.is_empty()).then(|| view! {
                    <div class="table-wrap" role="region" aria-label="Righe non accreditate" tabindex="0">
                        <table class="table" id="righe-f24">
                            <caption>"Righe non accreditate"</caption>
                            <thead><tr><th scope="col">"Riga"</th><th scope="col">"Identificativo"</th><th scope="col">"Esito"</th><th scope="col">"Motivo"</th></tr></thead>
                            <tbody>
                                {altre.into_iter().map(|l| view! {
                                    <tr><td>{l.riga}</td><td>{l.id_riga}</td><td>{l.esito.replace('_', " ")}</td><td>{l.messaggio}</td></tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                })}
            }
        })}
    }
}
