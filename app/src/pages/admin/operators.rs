use super::api::{self, AssignOperator};
use crate::components::forms::{ErrorSummary, field_error, successes};
use crate::error::UiError;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use shared::Role;

#[component]
pub fn OperatorsPage() -> impl IntoView {
    view! {
        <Title text="Operatori" />
        <OperatorsPageIsola />
    }
}

/// The page's interactive part: an island in its area's WASM bundle (app/src/pagine.rs).
#[cfg_attr(feature = "isole-direzione", island)]
#[cfg_attr(not(feature = "isole-direzione"), component)]
fn OperatorsPageIsola() -> impl IntoView {
    let assign = ServerAction::<AssignOperator>::new();
    let value = assign.value();
    // Reload the list only after a successful save: re-rendering after a refused one would reset
    // the choices the user made in the form.
    let saved = successes(move || matches!(value.get(), Some(Ok(_))));
    let data = Resource::new(move || saved.get(), |_| api::operators());
    let problem = move || value.get().and_then(|r| r.err()).map(|e| *e.0);
    view! {
        <h1>"Profilazione operatori"</h1>
        <p class="lead">"Assegni a ogni operatore il ruolo e l'ambito (sede o direzione regionale). Ogni modifica è registrata con la nota indicata."</p>
        {move || match value.get() {
            Some(Ok(op)) => Some(view! {
                <div class="notice notice-success" role="status" id="esito">
                    <p>{format!("Profilo di {} aggiornato: {}.", op.display_name, op.role.label())}</p>
                </div>
            }.into_any()),
            Some(Err(e)) => Some(view! { <ErrorSummary problem=*e.0 /> }.into_any()),
            None => None,
        }}
        <Transition fallback=|| view! { <p>"Caricamento…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(UiError(p)) if p.code == "unauthenticated" => view! { <Redirect path="/accedi" /> }.into_any(),
                    Err(UiError(p)) => view! { <div class="notice notice-error" role="alert"><p>{p.detail}</p></div> }.into_any(),
                    Ok((ops, sedi)) => {
                        let mut regioni: Vec<String> = sedi.iter().map(|s| s.regione.clone()).collect();
                        regioni.dedup();
                        let ops_for_select = ops.clone();
                        view! {
                            <div class="table-wrap" role="region" aria-label="Operatori profilati" tabindex="0">
                                <table class="table" id="operatori">
                                    <caption class="visually-hidden">"Operatori profilati"</caption>
                                    <thead><tr><th scope="col">"Operatore"</th><th scope="col">"Ruolo"</th><th scope="col">"Ambito"</th><th scope="col">"Prestazioni occasionali"</th></tr></thead>
                                    <tbody>
                                        {ops.into_iter().map(|o| view! {
                                            <tr>
                                                <td>{o.display_name}<br /><span class="muted">{o.username}</span></td>
                                                <td>{o.role.label()}</td>
                                                <td>{o.sede_codice.map(|s| format!("Sede {s}")).or(o.regione).unwrap_or_else(|| "Nazionale".into())}</td>
                                                <td>{if o.profilo_presto { "Sì" } else { "No" }}</td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                            <h2>"Modifica un profilo"</h2>
                            <ActionForm action=assign>
                                <div class="field">
                                    <label for="user_id">"Operatore"</label>
                                    <select id="user_id" name="user_id">
                                        {ops_for_select.into_iter().map(|o| view! { <option value=o.user_id.to_string()>{format!("{} ({})", o.display_name, o.username)}</option> }).collect_view()}
                                    </select>
                                </div>
                                <div class="field">
                                    <label for="role">"Ruolo"</label>
                                    <select id="role" name="role">
                                        {Role::OPERATOR_ROLES.into_iter().map(|r| view! { <option value=r.code()>{r.label()}</option> }).collect_view()}
                                    </select>
                                </div>
                                <div class="field">
                                    <label for="sede_codice">"Sede (per gli operatori di sede)"</label>
                                    <select id="sede_codice" name="sede_codice">
                                        <option value="">"—"</option>
                                        {sedi.into_iter().map(|s| view! { <option value=s.codice.clone()>{format!("{} – {} ({})", s.codice, s.nome, s.regione)}</option> }).collect_view()}
                                    </select>
                                </div>
                                <div class="field">
                                    <label for="regione">"Regione (per gli operatori regionali)"</label>
                                    <select id="regione" name="regione">
                                        <option value="">"—"</option>
                                        {regioni.into_iter().map(|r| view! { <option value=r.clone()>{r.clone()}</option> }).collect_view()}
                                    </select>
                                </div>
                                <div class="field checkbox">
                                    <input type="checkbox" id="profilo_presto" name="profilo_presto" />
                                    <label for="profilo_presto">"Operatore del portale prestazioni occasionali"</label>
                                </div>
                                <div class=move || if field_error(problem().as_ref(), "note").is_some() { "field field-error" } else { "field" }>
                                    <label for="note">"Motivo della modifica"</label>
                                    {move || field_error(problem().as_ref(), "note").map(|m| view! { <p class="error-message">{m}</p> })}
                                    <textarea id="note" name="note" rows="3"></textarea>
                                </div>
                                <button type="submit" class="button" id="salva-profilo">"Salva profilo"</button>
                            </ActionForm>
                        }.into_any()
                    }
                }
            })}
        </Transition>
    }
}
