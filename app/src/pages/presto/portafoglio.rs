//! The user's electronic wallet: balance, the year's limits as bars, a new prestazione (the
//! form asks what the instrument needs), pagoPA funding, the prestazioni with revocation, the
//! payments in.

use super::api::{self, PoPagopa, PoPrestazione};
use super::elenchi::{PrestazioniList, VersamentiList};
use super::limiti::LimitBars;
use super::registrazione::InvitoRegistrazione;
use crate::components::forms::*;
use crate::error::UiError;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use shared::dto::Problem;
use shared::presto::views::PortafoglioView;
use shared::presto::{CategoriaCpo, FinalitaPa, Strumento};

fn campo(problem: Option<&Problem>, id: &'static str) -> &'static str {
    if field_error(problem, id).is_some() { "field field-error" } else { "field" }
}

#[component]
fn Campo(
    id: &'static str,
    label: &'static str,
    #[prop(optional)] aiuto: &'static str,
    #[prop(optional)] tipo: &'static str,
    #[prop(optional)] inputmode: &'static str,
    problem: Signal<Option<Problem>>,
) -> impl IntoView {
    let aiuto_id = format!("{id}-aiuto");
    view! {
        <div class=move || campo(problem.get().as_ref(), id)>
            <label for=id>{label}</label>
            {(!aiuto.is_empty()).then(|| view! { <p class="muted" id=aiuto_id.clone()>{aiuto}</p> })}
            {move || field_error(problem.get().as_ref(), id).map(|m| view! { <p class="error-message">{m}</p> })}
            <input id=id name=id type=if tipo.is_empty() { "text" } else { tipo } inputmode=(!inputmode.is_empty()).then_some(inputmode)
                aria-describedby=(!aiuto.is_empty()).then(|| format!("{id}-aiuto")) />
        </div>
    }
}

/// The new prestazione's form, in the browser: a refusal shows why and keeps what was typed; an
/// accepted one loads the wallet again, which says so (`?accettata=`).
#[cfg_attr(feature = "isole-libretto", island)]
#[cfg_attr(not(feature = "isole-libretto"), component)]
fn NuovaPrestazioneForm(cpo: bool, pa: bool) -> impl IntoView {
    let action = ServerAction::<PoPrestazione>::new();
    vai_se_fatto(move || action.value().get());
    let problem = Signal::derive(move || action.value().get().and_then(|r| r.err()).map(|e| *e.0));
    view! {
        {move || problem.get().map(|p| view! { <ErrorSummary problem=p /> })}
        <ActionForm action=action attr:id="nuova-prestazione">
            <Campo id="prestatore" label="Codice fiscale del prestatore" aiuto="Il prestatore deve essere registrato al servizio." problem />
            <Campo id="giorno" label="Giorno della prestazione" aiuto="GG/MM/AAAA" inputmode="numeric" problem />
            {if cpo {
                view! {
                    <div class="field-row">
                        <Campo id="ora_inizio" label="Ora di inizio" tipo="time" problem />
                        <Campo id="ora_fine" label="Ora di fine" tipo="time" problem />
                    </div>
                    <Campo id="compenso" label="Compenso concordato (euro)" aiuto="Almeno 9 € l'ora e 36 € al giorno. Da comunicare almeno 60 minuti prima dell'inizio." inputmode="decimal" problem />
                    <Campo id="luogo" label="Luogo di svolgimento" problem />
                    <Campo id="oggetto" label="Oggetto della prestazione" problem />
                }.into_any()
            } else {
                view! {
                    <Campo id="titoli" label="Titoli da 10 € (uno per ogni ora)" inputmode="numeric" problem />
                    <Campo id="ore" label="Ore di lavoro" aiuto="Ad esempio 3 oppure 2:30. Da comunicare entro il giorno 3 del mese successivo." problem />
                }.into_any()
            }}
            {pa.then(|| view! {
                <div class=move || campo(problem.get().as_ref(), "finalita_pa")>
                    <label for="finalita_pa">"Finalità (pubbliche amministrazioni)"</label>
                    <select id="finalita_pa" name="finalita_pa">
                        <option value="">"—"</option>
                        {FinalitaPa::ALL.iter().map(|f| view! { <option value=f.code()>{f.label()}</option> }).collect_view()}
                    </select>
                </div>
            })}
            <button type="submit" class="button" id="invia-prestazione">"Comunica la prestazione"</button>
        </ActionForm>
    }
}

/// Funding with pagoPA, in the browser; a payment that went through loads the wallet again.
#[cfg_attr(feature = "isole-libretto", island)]
#[cfg_attr(not(feature = "isole-libretto"), component)]
fn PagaPagoPa(lf: bool) -> impl IntoView {
    let pagopa = ServerAction::<PoPagopa>::new();
    vai_se_fatto(move || pagopa.value().get());
    view! {
        {move || pagopa.value().get().and_then(|r| r.err()).map(|UiError(p)| view! { <ErrorSummary problem=*p /> })}
        <ActionForm action=pagopa>
            <div class="field">
                <label for="importo">"Importo (euro)"</label>
                <p class="muted" id="importo-aiuto">{if lf { "Multipli di 10 €." } else { "Si può anche versare con F24 ELIDE, causale CLOC." }}</p>
                <input id="importo" name="importo" inputmode="decimal" aria-describedby="importo-aiuto" />
            </div>
            <button type="submit" class="button button-outline" id="paga-pagopa">"Paga con pagoPA"</button>
        </ActionForm>
    }
}

/// What the last change that went through was, from the address the page was loaded again
/// with: the server functions and the islands send it there.
fn esito(w: &PortafoglioView, q: &leptos_router::params::ParamsMap) -> Option<(&'static str, String)> {
    let id = |k: &str| q.get(k).and_then(|v| v.parse::<i64>().ok());
    if let Some(p) = id("accettata").and_then(|id| w.prestazioni.iter().find(|p| p.id == id)) {
        let testo = format!(
            "Prestazione accettata. Costo {} (compenso {}), addebitato sul portafoglio. Tutti i {} controlli superati.",
            p.costo.totale,
            p.costo.compenso,
            p.controlli.len()
        );
        return Some(("prestazione-accettata", testo));
    }
    if let Some(p) = id("revocata").and_then(|id| w.prestazioni.iter().find(|p| p.id == id)) {
        return Some((
            "prestazione-revocata",
            format!("Prestazione revocata: {} restituiti al portafoglio.", p.costo.totale),
        ));
    }
    let v = id("versamento").and_then(|id| w.versamenti.iter().find(|v| v.id == id))?;
    Some(("versamento-accreditato", format!("Versamento di {} accreditato (rif. {}).", v.importo, v.riferimento)))
}

/// Rendered on the server; only the forms are islands, so the wallet's data never goes through
/// the browser's WASM.
#[component]
pub fn WalletPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| api::po_portafoglio(None));
    let q = use_query_map();
    view! {
        <Title text="Portafoglio elettronico" />
        <p class="caption">"Prestazioni occasionali"</p>
        <h1>"Portafoglio elettronico"</h1>
        <Suspense fallback=|| view! { <p>"Caricamento…"</p> }>
            {Suspend::new(async move {
                match data.await {
                    Err(UiError(p)) if p.code == "not_found" => view! { <InvitoRegistrazione detail=p.detail /> }.into_any(),
                    Err(UiError(p)) => deny(*p),
                    Ok(w) => {
                        let u = w.utilizzatore.clone();
                        let descr = match (u.strumento, u.categoria) {
                            (Strumento::Cpo, Some(c)) => format!("{} – {}", u.strumento.label(), c.label()),
                            _ => u.strumento.label().to_string(),
                        };
                        let fatto = q.with_untracked(|q| esito(&w, q));
                        let cpo = u.strumento == Strumento::Cpo;
                        let pa = u.categoria == Some(CategoriaCpo::PubblicaAmministrazione);
                        view! {
                            {fatto.map(|(id, testo)| view! {
                                <div class="notice notice-success" role="status" id=id><p>{testo}</p></div>
                            })}
                            <p class="lead">{format!("{} · C.F. {}", u.denominazione, u.codice_fiscale)}</p>
                            <p class="muted">{descr}</p>
                            <div class="card saldo"><p class="muted">"Saldo disponibile"</p><p class="stat-value" id="saldo">{w.saldo.to_string()}</p>
                                <p><a href="/presto/rimborsi" id="link-rimborsi">"Rimborsi e trasferimenti"</a>
                                " · " <a href="/richieste/comunicazione" id="link-assistenza">"Scrivi alla sede"</a></p></div>
                            <h2>{format!("Limiti economici {}", w.anno)}</h2>
                            <LimitBars limiti=w.limiti.clone() />
                            <h2>"Nuova prestazione"</h2>
                            <NuovaPrestazioneForm cpo pa />
                            <h2>"Alimenta il portafoglio con pagoPA"</h2>
                            <PagaPagoPa lf=u.strumento == Strumento::Lf />
                            <h2>{format!("Prestazioni {}", w.anno)}</h2>
                            <PrestazioniList prestazioni=w.prestazioni.clone() revoca=true />
                            <h2>"Versamenti"</h2>
                            <VersamentiList versamenti=w.versamenti.clone() />
                        }
                        .into_any()
                    }
                }
            })}
        </Suspense>
    }
}
