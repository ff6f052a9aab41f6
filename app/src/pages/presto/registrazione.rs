//! Registration to the service: a person as utilizzatore (Libretto Famiglia or CPO), a company
//! acted for as CPO utilizzatore, a worker as prestatore. The server refuses excluded sectors
//! and a workforce over the category's cap with the reason, at the field.

use super::api::{self, PoRegistraPrestatore, PoRegistraUtilizzatore};
use crate::components::forms::*;
use crate::error::UiError;
use leptos::prelude::*;
use leptos_meta::Title;
use shared::Role;
use shared::dto::{Problem, SedeView};
use shared::presto::{CategoriaCpo, CategoriaSpeciale, ModalitaPagamento};

fn class(problem: Option<&Problem>, id: &str) -> &'static str {
    if field_error(problem, id).is_some() { "field field-error" } else { "field" }
}

#[component]
fn Errore(id: &'static str, problem: Signal<Option<Problem>>) -> impl IntoView {
    move || field_error(problem.get().as_ref(), id).map(|m| view! { <p class="error-message">{m}</p> })
}

#[component]
fn Sede(sedi: Vec<SedeView>, problem: Signal<Option<Problem>>) -> impl IntoView {
    view! {
        <div class=move || class(problem.get().as_ref(), "sede_codice")>
            <label for="sede_codice">"Sede INPS competente per la residenza"</label>
            <Errore id="sede_codice" problem />
            <select id="sede_codice" name="sede_codice">
                <option value="">"—"</option>
                {sedi.into_iter().map(|s| view! { <option value=s.codice.clone()>{format!("{} ({})", s.nome, s.regione)}</option> }).collect_view()}
            </select>
        </div>
    }
}

/// A form of the page, in the browser: a refusal shows why at the field, a registration opens
/// the wallet or the prestatore's page.
#[cfg_attr(feature = "isole-libretto", island)]
#[cfg_attr(not(feature = "isole-libretto"), component)]
fn Utilizzatore(sedi: Vec<SedeView>, azienda: bool) -> impl IntoView {
    let action = ServerAction::<PoRegistraUtilizzatore>::new();
    let problem = Signal::derive(move || action.value().get().and_then(|r| r.err()).map(|e| *e.0));
    vai_se_fatto(move || action.value().get());
    view! {
        {move || problem.get().map(|p| view! { <ErrorSummary problem=p /> })}
        <ActionForm action=action attr:id="registra-utilizzatore">
            {if azienda {
                view! { <input type="hidden" name="strumento" value="cpo" /><p>"L'azienda si registra per il Contratto di Prestazione Occasionale."</p> }.into_any()
            } else {
                view! {
                    <fieldset class=move || class(problem.get().as_ref(), "strumento")>
                        <legend>"Strumento"</legend>
                        <Errore id="strumento" problem />
                        <label><input type="radio" name="strumento" value="lf" />" Libretto Famiglia (lavori domestici, assistenza, ripetizioni)"</label>
                        <label><input type="radio" name="strumento" value="cpo" />" Contratto di Prestazione Occasionale (professionisti e lavoratori autonomi)"</label>
                    </fieldset>
                }.into_any()
            }}
            <div class=move || class(problem.get().as_ref(), "categoria")>
                <label for="categoria">"Categoria (solo CPO)"</label>
                <Errore id="categoria" problem />
                <select id="categoria" name="categoria">
                    <option value="">"—"</option>
                    {CategoriaCpo::ALL.iter().filter(|c| **c != CategoriaCpo::Agricoltura).map(|c| view! { <option value=c.code()>{c.label()}</option> }).collect_view()}
                </select>
            </div>
            <div class=move || class(problem.get().as_ref(), "ateco")>
                <label for="ateco">"Codice ATECO dell'attività (solo CPO)"</label>
                <p class="muted" id="ateco-aiuto">"Ad esempio 56.10.11. Edilizia, cave e miniere sono escluse."</p>
                <Errore id="ateco" problem />
                <input id="ateco" name="ateco" aria-describedby="ateco-aiuto" />
            </div>
            <div class=move || class(problem.get().as_ref(), "dipendenti")>
                <label for="dipendenti">"Dipendenti a tempo indeterminato (solo CPO)"</label>
                <p class="muted" id="dipendenti-aiuto">"La media del semestre dall'ottavo al terzo mese precedente, ad esempio 3,5."</p>
                <Errore id="dipendenti" problem />
                <input id="dipendenti" name="dipendenti" inputmode="decimal" aria-describedby="dipendenti-aiuto" />
            </div>
            {(!azienda).then(|| view! { <Sede sedi problem /> })}
            <button type="submit" class="button" id="registrati">"Registrati"</button>
        </ActionForm>
    }
}

/// A form of the page, in the browser: a refusal shows why at the field, a registration opens
/// the wallet or the prestatore's page.
#[cfg_attr(feature = "isole-libretto", island)]
#[cfg_attr(not(feature = "isole-libretto"), component)]
fn Prestatore(sedi: Vec<SedeView>) -> impl IntoView {
    let action = ServerAction::<PoRegistraPrestatore>::new();
    let problem = Signal::derive(move || action.value().get().and_then(|r| r.err()).map(|e| *e.0));
    vai_se_fatto(move || action.value().get());
    view! {
        {move || problem.get().map(|p| view! { <ErrorSummary problem=p /> })}
        <ActionForm action=action attr:id="registra-prestatore">
            <div class=move || class(problem.get().as_ref(), "modalita_pagamento")>
                <label for="modalita_pagamento">"Come ricevere i pagamenti"</label>
                <Errore id="modalita_pagamento" problem />
                <select id="modalita_pagamento" name="modalita_pagamento">
                    {ModalitaPagamento::ALL.iter().map(|m| view! { <option value=m.code()>{m.label()}</option> }).collect_view()}
                </select>
            </div>
            <div class=move || class(problem.get().as_ref(), "iban")>
                <label for="iban">"IBAN (per l'accredito sul conto)"</label>
                <Errore id="iban" problem />
                <input id="iban" name="iban" autocomplete="off" />
            </div>
            <div class=move || class(problem.get().as_ref(), "categorie[0].categoria")>
                <label for="categoria">"Categoria (facoltativa: i compensi contano al 75 % sul limite dell'utilizzatore)"</label>
                <Errore id="categorie[0].categoria" problem />
                <select id="categoria" name="categoria">
                    <option value="">"Nessuna"</option>
                    {CategoriaSpeciale::ALL.iter().map(|c| view! { <option value=c.code()>{c.label()}</option> }).collect_view()}
                </select>
            </div>
            <div class="field-row">
                <div class=move || class(problem.get().as_ref(), "categorie[0].dal")>
                    <label for="dal">"Dal"</label>
                    <Errore id="categorie[0].dal" problem />
                    <input id="dal" name="dal" placeholder="GG/MM/AAAA" inputmode="numeric" />
                </div>
                <div class=move || class(problem.get().as_ref(), "categorie[0].al")>
                    <label for="al">"Al (se nota)"</label>
                    <Errore id="categorie[0].al" problem />
                    <input id="al" name="al" placeholder="GG/MM/AAAA" inputmode="numeric" />
                </div>
            </div>
            <Sede sedi problem />
            <button type="submit" class="button" id="registrati">"Registrati"</button>
        </ActionForm>
    }
}

/// What the wallet and the prestatore's page show to someone not registered yet.
#[component]
pub fn InvitoRegistrazione(detail: String) -> impl IntoView {
    view! {
        <div class="notice" id="non-registrato"><p>{detail}</p></div>
        <p><a class="button" href="/presto/registrazione">"Registrati al servizio"</a></p>
    }
}

/// Rendered on the server; only the form is an island.
#[component]
pub fn RegistrationPage() -> impl IntoView {
    let session = Resource::new(|| (), |_| crate::pages::identity::api::current_session());
    let sedi = Resource::new(|| (), |_| api::po_sedi());
    view! {
        <Title text="Registrazione – prestazioni occasionali" />
        <p class="caption">"Prestazioni occasionali"</p>
        <h1>"Registrazione"</h1>
        <Suspense fallback=|| view! { <p>"Caricamento…"</p> }>
            {Suspend::new(async move {
                let (s, sedi) = (session.await, sedi.await);
                match (s, sedi) {
                    (Err(UiError(p)), _) | (_, Err(UiError(p))) => deny(*p),
                    (Ok(None), _) => view! { <leptos_router::components::Redirect path="/accedi" /> }.into_any(),
                    (Ok(Some(s)), Ok(sedi)) => match s.role {
                        Role::Prestatore => view! { <Prestatore sedi /> }.into_any(),
                        Role::Utilizzatore => view! { <Utilizzatore sedi azienda=false /> }.into_any(),
                        r if r.acts_for_company() && s.acting_for.is_some() => view! { <Utilizzatore sedi azienda=true /> }.into_any(),
                        _ => view! { <div class="notice notice-error" role="alert"><p>"La registrazione è per utilizzatori, aziende (scelta l'azienda per cui si opera) e prestatori."</p></div> }.into_any(),
                    },
                }
            })}
        </Suspense>
    }
}
