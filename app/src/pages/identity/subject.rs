//! Choosing whom to act for.

use super::api;
use crate::components::forms::ErrorSummary;
use crate::components::layout::go;
use leptos::prelude::*;
use shared::dto::*;

/// One card per subject the user may act for, each with its own button.
#[component]
pub fn SubjectChooser(subjects: Vec<SubjectSummary>) -> impl IntoView {
    let act = ServerAction::<api::ActFor>::new();
    Effect::new(move |_| {
        if matches!(act.value().get(), Some(Ok(_))) {
            go("/");
        }
    });
    let empty = subjects.is_empty();
    view! {
        {move || act.value().get().and_then(|r| r.err()).map(|e| view! { <ErrorSummary problem=*e.0 /> })}
        {empty.then(|| view! {
            <div class="notice">
                <p>"Non risultano aziende per cui può operare oggi: nessuna rappresentanza legale attiva e nessuna delega valida a suo favore."</p>
            </div>
        })}
        <ul class="card-list">
            {subjects.into_iter().map(|s| {
                let label = format!("Opera per {}", s.ragione_sociale);
                view! {
                    <li class="card">
                        <h3 class="card-title">{s.ragione_sociale.clone()}</h3>
                        <dl class="facts">
                            <dt>"Codice fiscale"</dt><dd>{s.codice_fiscale.clone()}</dd>
                            <dt>"Titolo"</dt><dd>{basis_label(&s.basis)}</dd>
                        </dl>
                        <ActionForm action=act>
                            <input type="hidden" name="subject_id" value=s.id.to_string() />
                            // The company in the visible text, not only in an aria-label (WCAG 2.5.3).
                            <button type="submit" class="button">{label}</button>
                        </ActionForm>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}

pub fn basis_label(b: &AccessBasis) -> String {
    match b {
        AccessBasis::RappresentanteLegale { ruolo } => match ruolo.as_str() {
            "titolare" => "Titolare".into(),
            _ => "Rappresentante legale".into(),
        },
        AccessBasis::Delega { ruolo, fine, .. } => {
            let who = if ruolo == "dipendente" { "Delega a dipendente" } else { "Delega a intermediario" };
            match fine.as_deref().and_then(|f| chrono::NaiveDate::parse_from_str(f, "%Y-%m-%d").ok()) {
                Some(f) => format!("{who}, valida fino al {}", shared::time::format_date_it(f)),
                None => format!("{who}, senza scadenza"),
            }
        }
    }
}
