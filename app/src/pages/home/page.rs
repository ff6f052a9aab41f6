use super::api;
use crate::error::UiError;
use crate::pages::identity::subject::{SubjectChooser, basis_label};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use shared::dto::{CompanyHome, HomeData};

#[component]
pub fn HomePage() -> impl IntoView {
    let data = Resource::new(|| (), |_| api::load_home());
    view! {
        <Suspense fallback=|| view! { <p>"Caricamento…"</p> }>
            {Suspend::new(async move {
                match data.await {
                    Err(UiError(p)) if p.code == "unauthenticated" => view! { <Redirect path="/accedi" /> }.into_any(),
                    Err(UiError(p)) => view! {
                        <Title text="Accesso non consentito" />
                        <h1>"Accesso non consentito"</h1>
                        <div class="notice notice-error" role="alert" id="accesso-negato"><p>{p.detail}</p></div>
                        <p><a href="/soggetti">"Scegli un altro soggetto"</a></p>
                    }.into_any(),
                    Ok(HomeData::ChooseSubject { subjects }) => view! {
                        <Title text="Per chi operare" />
                        <h1>"Per chi vuole operare?"</h1>
                        <p class="lead">"Scelga l'azienda per cui lavorare nel Cassetto previdenziale."</p>
                        <SubjectChooser subjects />
                    }.into_any(),
                    Ok(HomeData::Cassetto { company }) => view! { <Cassetto company /> }.into_any(),
                    Ok(HomeData::Presto { descrizione, sede, dettagli }) => view! {
                        <Title text="Prestazioni occasionali" />
                        <h1>"Prestazioni occasionali"</h1>
                        <p class="lead">{descrizione}</p>
                        <dl class="facts card">
                            {dettagli.into_iter().map(|(k, v)| view! { <dt>{k}</dt><dd>{v}</dd> }).collect_view()}
                            {sede.map(|s| view! { <dt>"Sede di competenza"</dt><dd>{format!("{} ({})", s.nome, s.codice)}</dd> })}
                        </dl>
                    }.into_any(),
                    Ok(HomeData::Operatore { ambito, contribuenti_in_ambito, posizioni_in_ambito }) => view! {
                        <Title text="Area operatore" />
                        <h1>"Area operatore"</h1>
                        <p class="lead" id="ambito">{ambito}</p>
                        <ul class="stats">
                            <li class="card"><span class="stat-value">{contribuenti_in_ambito}</span>" contribuenti"</li>
                            <li class="card"><span class="stat-value">{posizioni_in_ambito}</span>" posizioni contributive"</li>
                        </ul>
                    }.into_any(),
                    Ok(HomeData::Amministratore { operatori }) => view! {
                        <Title text="Amministrazione profili" />
                        <h1>"Amministrazione profili (IDM)"</h1>
                        <p class="lead">{format!("{operatori} operatori profilati.")}</p>
                        <p class="button-row">
                            <a class="button" href="/amministrazione/operatori">"Gestisci operatori"</a>
                            <a class="button button-outline" href="/amministrazione/smart-task">"Attivazione Smart-Task"</a>
                        </p>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Cassetto(company: CompanyHome) -> impl IntoView {
    let s = company.subject;
    view! {
        <Title text="Cassetto previdenziale" />
        <p class="caption">"Cassetto previdenziale"</p>
        <h1 id="azienda">{s.ragione_sociale.clone()}</h1>
        <dl class="facts card">
            <dt>"Codice fiscale"</dt><dd>{s.codice_fiscale.clone()}</dd>
            {s.partita_iva.clone().map(|p| view! { <dt>"Partita IVA"</dt><dd>{p}</dd> })}
            <dt>"PEC"</dt><dd>{company.pec.clone().unwrap_or_else(|| "non indicata".into())}</dd>
            <dt>"Sede INPS"</dt><dd>{format!("{} ({})", company.sede.nome, company.sede.codice)}</dd>
            <dt>"Lei opera come"</dt><dd>{basis_label(&s.basis)}</dd>
            <dt>"Deleghe attive"</dt><dd>{company.deleghe_attive}</dd>
        </dl>
        <h2>"Posizioni contributive"</h2>
        <div class="table-wrap" role="region" aria-label="Posizioni contributive dell'azienda" tabindex="0">
            <table class="table">
                <caption class="visually-hidden">"Posizioni contributive dell'azienda"</caption>
                <thead><tr><th scope="col">"Matricola"</th><th scope="col">"Stato"</th><th scope="col">"Dal"</th></tr></thead>
                <tbody>
                    {company.posizioni.into_iter().map(|p| view! {
                        <tr>
                            <td>{p.matricola}</td>
                            <td><span class=format!("tag tag-stato-{}", p.stato)>{p.stato_label}</span></td>
                            <td>{p.stato_dal}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
