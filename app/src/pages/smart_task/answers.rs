//! The questions a kind still needs, and the check-answers page.

use super::api::{self, StSubmit};
use crate::components::filters::href;
use crate::components::format::*;
use crate::components::forms::*;
use crate::components::layout::go;
use crate::error::UiError;
use leptos::prelude::*;
use shared::dto::*;
use shared::smart_task::{self, Answers, Kind};

/// The form, once the target is known: what INPS already has is shown, not asked again, and
/// answers it can suggest are pre-filled.
#[component]
pub(super) fn AnswersForm(kind: Kind, oggetto: String, answers: Answers, errors: Vec<FieldError>) -> impl IntoView {
    let targets = Resource::new(move || kind, |k| api::st_targets(k.code().to_string()));
    view! {
        <h1>{kind.label()}</h1>
        <Suspense fallback=|| view! { <p>"Caricamento…"</p> }>
            {Suspend::new(async move {
                match targets.await {
                    Err(UiError(p)) => deny(*p),
                    Ok(list) => match list.into_iter().find(|t| t.id == oggetto) {
                        None => view! {
                            <div class="notice notice-error" role="alert"><p>"L'elemento scelto non è più tra quelli su cui presentare questa richiesta."</p></div>
                            <p><a href=format!("/richieste/nuova?tipo={}", kind.code())>"Scegli di nuovo"</a></p>
                        }.into_any(),
                        Some(t) => view! { <AnswersFields kind oggetto answers errors target=t /> }.into_any(),
                    },
                }
            })}
        </Suspense>
        <p><a href=format!("/richieste/nuova?tipo={}", kind.code())>"Indietro"</a></p>
    }
}

#[component]
fn AnswersFields(
    kind: Kind,
    oggetto: String,
    answers: Answers,
    errors: Vec<FieldError>,
    target: shared::dto::TargetView,
) -> impl IntoView {
    let first_visit = answers.is_empty() && errors.is_empty();
    let problem = (!errors.is_empty()).then(|| Problem {
        kind: String::new(),
        title: "Dati non validi".into(),
        status: 422,
        detail: "Correggere i campi indicati.".into(),
        code: "validation".into(),
        errors,
    });
    view! {
        {problem.clone().map(|p| view! { <ErrorSummary problem=p /> })}
        {(!target.dati.is_empty()).then(|| view! {
            <h2>"Dati già presenti negli archivi INPS"</h2>
            <dl class="summary-list" id="dati-noti">
                {target.dati.iter().map(|(k, v)| view! { <div><dt>{k.clone()}</dt><dd>{v.clone()}</dd></div> }).collect_view()}
            </dl>
        })}
        <h2>"Dati da indicare"</h2>
        <form method="get" action="/richieste/nuova" class="st-domande" data-tipo=kind.code() novalidate>
            <input type="hidden" name="tipo" value=kind.code() />
            <input type="hidden" name="oggetto" value=oggetto.clone() />
            <input type="hidden" name="verifica" value="1" />
            {smart_task::form_fields(kind).iter().map(|f| {
                let (name, label, hint, input_type) = (f.name, f.label, f.hint, f.input);
                let err = field_error(problem.as_ref(), name);
                let has_err = err.is_some();
                // What the user typed wins; a suggestion only fills an untouched form.
                let value = answers
                    .get(name)
                    .cloned()
                    .or_else(|| first_visit.then(|| target.predefiniti.get(name).cloned()).flatten())
                    .unwrap_or_default();
                let described = if has_err { format!("{name}-aiuto {name}-errore") } else { format!("{name}-aiuto") };
                let control = if input_type == "select" {
                    view! {
                        <select id=name name=name aria-describedby=described.clone() aria-invalid=has_err.then_some("true")>
                            <option value="" selected=value.is_empty()>"Scegliere…"</option>
                            {f.options.iter().map(|(v, l)| view! { <option value=*v selected=value == *v>{*l}</option> }).collect_view()}
                        </select>
                    }.into_any()
                } else {
                    view! { <input id=name name=name type=input_type value=value aria-describedby=described aria-invalid=has_err.then_some("true") /> }.into_any()
                };
                view! {
                    <div class=if has_err { "field field-error" } else { "field" } data-solo-se=f.when.map(|_| name)>
                        <label for=name>{label}</label>
                        <p class="muted" id=format!("{name}-aiuto")>{hint}</p>
                        {err.map(|m| view! { <p class="error-message" id=format!("{name}-errore")>{m}</p> })}
                        {control}
                    </div>
                }
            }).collect_view()}
            <button type="submit" class="button" id="continua">"Continua"</button>
        </form>
    }
}

/// The stylesheet's rules that hide each conditional question until its condition is chosen,
/// without script (a browser without `:has()` shows every question; the server keeps only those
/// that apply). They live in `style/main.css` — the CSP allows no inline style — and a test keeps
/// them equal to the kinds' questions.
pub fn conditional_css() -> String {
    let mut rules = vec![];
    for &kind in Kind::ALL {
        for f in smart_task::form_fields(kind) {
            let Some(w) = f.when else { continue };
            let values: Vec<String> = w.values.iter().map(|v| format!("[value=\"{v}\"]")).collect();
            rules.push(format!(
                "form.st-domande[data-tipo=\"{}\"]:not(:has(select[name=\"{}\"] option:is({}):checked)) [data-solo-se=\"{}\"] {{ display: none; }}",
                kind.code(),
                w.field,
                values.join(", "),
                f.name
            ));
        }
    }
    rules.join("\n")
}

#[component]
pub(super) fn CheckAnswers(kind: Kind, oggetto: String, answers: Answers) -> impl IntoView {
    let submit = ServerAction::<StSubmit>::new();
    let value = submit.value();
    Effect::new(move |_| {
        if let Some(Ok(r)) = value.get() {
            go(&format!("/richiesta/{}", r.protocollo));
        }
    });
    let key = smart_task::draft_key(kind.code(), &oggetto, &answers);
    let edit = href(
        "/richieste/nuova",
        [("tipo", kind.code()), ("oggetto", oggetto.as_str())]
            .into_iter()
            .chain(answers.iter().map(|(k, v)| (k.as_str(), v.as_str()))),
    );
    let rows: Vec<_> = smart_task::form_fields(kind).iter().filter(|f| f.applies(&answers)).collect();
    view! {
        <h1>"Controlli le risposte prima di inviare"</h1>
        {move || value.get().and_then(|r| r.err()).map(|e| view! { <ErrorSummary problem=*e.0 /> })}
        <dl class="summary-list">
            <div><dt>"Richiesta"</dt><dd>{kind.label()}</dd><dd></dd></div>
            {rows.iter().map(|f| {
                let (name, label) = (f.name, f.label);
                let v = answers.get(name).cloned().unwrap_or_default();
                let shown = match (name, v.is_empty()) {
                    (_, true) => "Invariato".to_string(),
                    (n, false) if n.starts_with("data_") => it_date(&v),
                    ("periodo_corretto" | "mese_dal" | "mese_al", false) => shared::Periodo::parse(&v).map(|p| p.to_string()).unwrap_or(v),
                    ("importo", false) => shared::Euro::parse_it(&v).map(|e| e.to_string()).unwrap_or(v),
                    _ => f.options.iter().find(|o| o.0 == v).map(|o| o.1.to_string()).unwrap_or(v),
                };
                view! {
                    <div>
                        <dt>{label}</dt>
                        <dd id=format!("riepilogo-{name}")>{shown}</dd>
                        <dd><a href=edit.clone()>"Modifica"<span class="visually-hidden">{format!(" {label}")}</span></a></dd>
                    </div>
                }
            }).collect_view()}
        </dl>
        <ActionForm action=submit>
            <input type="hidden" name="tipo" value=kind.code() />
            <input type="hidden" name="oggetto" value=oggetto.clone() />
            <input type="hidden" name="chiave" value=key />
            {answers.into_iter().map(|(k, v)| view! { <input type="hidden" name=k value=v /> }).collect_view()}
            <button type="submit" class="button" id="invia" disabled=move || submit.pending().get()>
                {move || if submit.pending().get() { "Invio in corso…" } else { "Invia la richiesta" }}
            </button>
        </ActionForm>
    }
}

#[cfg(test)]
mod tests {
    /// If this fails, paste `conditional_css()` (printed below) into style/main.css, replacing the
    /// block between the "Domande condizionali" markers.
    #[test]
    fn the_stylesheet_hides_every_conditional_question() {
        let css = super::conditional_css();
        assert!(include_str!("../../../../style/main.css").contains(&css), "{css}");
    }
}
