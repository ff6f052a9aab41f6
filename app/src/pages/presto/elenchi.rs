//! The lists the wallet, the prestatore's page and the operator's page share: prestazioni
//! (with their cost and state, and a revoke button where the user may still revoke) and
//! payments in.

use super::api::{PoAnnullaAbbinamento, PoRevoca};
use crate::components::forms::{ErrorSummary, vai_se_fatto};
use crate::error::UiError;
use leptos::prelude::*;
use shared::presto::StatoPrestazione;
use shared::presto::views::{PrestazioneView, VersamentoView};
use shared::richiesta::Esito;
use shared::time::format_date_text_it;

fn ore(minuti: i64) -> String {
    if minuti % 60 == 0 { format!("{} h", minuti / 60) } else { format!("{} h {} min", minuti / 60, minuti % 60) }
}

fn tag(s: StatoPrestazione) -> impl IntoView {
    view! { <span class=format!("tag tag-prestazione-{}", s.code())>{s.label()}</span> }
}

/// `revoca`: the list is the user's own (buttons on what can still be revoked today).
#[component]
pub fn PrestazioniList(
    prestazioni: Vec<PrestazioneView>,
    #[prop(optional)] revoca: bool,
    #[prop(optional)] per_prestatore: bool,
) -> impl IntoView {
    if prestazioni.is_empty() {
        return view! { <p id="prestazioni">"Nessuna prestazione nell'anno."</p> }.into_any();
    }
    view! {
        <ul class="request-list" id="prestazioni">
            {prestazioni.into_iter().map(|p| {
                let chi = if per_prestatore { p.utilizzatore.clone() } else { format!("{} ({})", p.prestatore, p.prestatore_cf) };
                let orario = match (&p.ora_inizio, &p.ora_fine) {
                    (Some(a), Some(b)) => format!(" · {a}–{b}"),
                    _ => String::new(),
                };
                let revocabile = p.revocabile;
                let controlli = p.controlli.clone();
                view! {
                    <li class="request prestazione">
                        <p class="request-title">{format!("{}{} · {}", format_date_text_it(&p.giorno), orario, chi)}</p>
                        <p>{tag(p.stato)}" "{format!("{} · compenso {} · costo {}", ore(p.minuti), p.costo.compenso, p.costo.totale)}</p>
                        {(!controlli.is_empty()).then(|| view! {
                            <details class="controlli-prestazione">
                                <summary>{format!("Controlli eseguiti ({})", controlli.len())}</summary>
                                <ul class="checks">
                                    {controlli.into_iter().map(|c| view! {
                                        <li class=if c.esito == Esito::Ok { "check check-ok" } else { "check check-ko" }>
                                            <p class="check-head"><span class=if c.esito == Esito::Ok { "tag tag-richiesta-accolta" } else { "tag tag-richiesta-non_accolta" }>{c.esito.label()}</span>" "<strong>{c.descrizione}</strong></p>
                                            <p>{c.motivo}</p>
                                            <p class="muted">{format!("{} · {}", c.codice, c.riferimento)}</p>
                                        </li>
                                    }).collect_view()}
                                </ul>
                            </details>
                        })}
                        {(revocabile && revoca).then(|| view! {
                            <Revoca id=p.id giorno=format_date_text_it(&p.giorno) fino=format_date_text_it(&p.revocabile_fino) />
                        })}
                    </li>
                }
            }).collect_view()}
        </ul>
    }
    .into_any()
}

/// Revoking one prestazione, in the browser: a refusal shows why beside the button; a revocation
/// loads the wallet again, which says so.
#[cfg_attr(feature = "isole-libretto", island)]
#[cfg_attr(not(feature = "isole-libretto"), component)]
fn Revoca(id: i64, giorno: String, fino: String) -> impl IntoView {
    let revoca = ServerAction::<PoRevoca>::new();
    vai_se_fatto(move || revoca.value().get());
    view! {
        {move || revoca.value().get().and_then(|r| r.err()).map(|UiError(p)| view! { <ErrorSummary problem=*p /> })}
        <ActionForm action=revoca>
            <input type="hidden" name="id" value=id />
            <button type="submit" class="button button-small button-outline revoca-prestazione">
                "Revoca"<span class="visually-hidden">{format!(" la prestazione del {giorno}")}</span>
            </button>
            <span class="muted">{format!(" entro il {fino}")}</span>
        </ActionForm>
    }
}

/// `annulla`: the head office's undo of a manual matching, with the user whose page this is.
#[component]
pub fn VersamentiList(
    versamenti: Vec<VersamentoView>,
    #[prop(optional)] annulla: Option<(ServerAction<PoAnnullaAbbinamento>, i64)>,
) -> impl IntoView {
    if versamenti.is_empty() {
        return view! { <p id="versamenti">"Nessun versamento."</p> }.into_any();
    }
    view! {
        <ul class="request-list" id="versamenti">
            {versamenti.into_iter().map(|v| {
                let canale = match v.canale.as_str() { "pagopa" => "pagoPA", "f24_ep" => "F24 EP", "trasferimento" => "Trasferimento", _ => "F24 ELIDE" };
                view! {
                    <li class="request">
                        <p class="request-title">{format!("{} · {} · {}", format_date_text_it(&v.data), canale, v.importo)}</p>
                        <p class="muted">{format!("Causale {} · rif. {}", v.causale, v.riferimento)}</p>
                        {match v.stato.as_str() {
                            "non_abbinato" => v.motivo.clone().map(|m| view! { <p class="muted">{format!("Non abbinato: {m}")}</p> }.into_any()),
                            "abbinato_manuale" => Some(view! { <p><span class="tag">"Abbinato manualmente dalla sede"</span></p> }.into_any()),
                            _ => None,
                        }}
                        {annulla.filter(|_| v.stato == "abbinato_manuale").map(|(a, utilizzatore)| {
                            let nota_id = format!("nota-annulla-{}", v.id);
                            view! {
                                <ActionForm action=a attr:class="annulla-form">
                                    <input type="hidden" name="versamento" value=v.id />
                                    <input type="hidden" name="utilizzatore" value=utilizzatore />
                                    <div class="field">
                                        <label for=nota_id.clone()>"Motivo dell'annullamento (obbligatorio)"</label>
                                        <textarea id=nota_id name="nota" rows="2"></textarea>
                                    </div>
                                    <button type="submit" class="button button-small button-outline">"Annulla l'abbinamento"</button>
                                </ActionForm>
                            }
                        })}
                    </li>
                }
            }).collect_view()}
        </ul>
    }
    .into_any()
}
