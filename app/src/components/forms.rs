//! Forms as GOV.UK does them: error summary, errors at each field, drafts kept across a plain post.

use crate::error::UiError;
use leptos::prelude::*;
use leptos_router::components::Redirect;
use shared::dto::*;

/// A text form (a message, an operator's step) refused in a plain post, without the page's
/// script: the server renders the page again with it (`server/src/http/pages.rs`).
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct BozzaTesto {
    pub testo: String,
    pub problem: Option<Problem>,
}

/// The problem to show for a form: the last submission's, or before any, the one the page was
/// rendered with after a refused plain post (the draft the server put in the context, passed
/// to the form's island).
pub fn current_problem<T, V>(value: V, rendered: Option<Problem>) -> impl Fn() -> Option<Problem> + Copy + 'static
where
    V: Get<Value = Option<Result<T, UiError>>> + Copy + 'static,
{
    let rendered = StoredValue::new(rendered);
    move || match value.get() {
        Some(r) => r.err().map(|e| *e.0),
        None => rendered.get_value(),
    }
}

/// A change that went through, answered with the page that shows it. An island goes there
/// ([`vai_se_fatto`]); a plain form post, without the page's script, is sent there.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Fatto {
    pub pagina: String,
}

impl Fatto {
    #[cfg(feature = "ssr")]
    pub fn vai(pagina: String) -> Fatto {
        crate::ctx::redirect_form_post(&pagina);
        Fatto { pagina }
    }
}

/// Loads the page a change that went through names (`value` reads the action's value). The
/// island then reads nothing but that address, and the page shows the change from the server.
pub fn vai_se_fatto<E: 'static>(value: impl Fn() -> Option<Result<Fatto, E>> + 'static) {
    Effect::new(move |_| {
        if let Some(Ok(f)) = value() {
            crate::components::layout::go(&f.pagina);
        }
    });
}

/// Counts an action's successful completions (`succeeded` reads its value). A resource keyed on
/// the count reloads after a step that went through and never after a refusal, so the form and
/// what was typed stay in place.
pub fn successes(succeeded: impl Fn() -> bool + 'static) -> RwSignal<u32> {
    let n = RwSignal::new(0u32);
    Effect::new(move |_| {
        if succeeded() {
            n.update(|n| *n += 1);
        }
    });
    n
}

/// Empties a text box once its action succeeded: a text already sent must not stay there, ready
/// to be sent again (e.g. as the closing answer after a reply).
pub fn clear_after_success(succeeded: impl Fn() -> bool + 'static, node: NodeRef<leptos::html::Textarea>) {
    Effect::new(move |_| {
        if let (true, Some(el)) = (succeeded(), node.get()) {
            el.set_value("");
        }
    });
}

/// The submit handler of a form sent as multipart by the page's script (files included): the
/// browser keeps every typed value and chosen file in place whatever the server answers.
pub fn multipart_submit<O: 'static>(action: Action<web_sys::FormData, O>) -> impl Fn(leptos::ev::SubmitEvent) + Copy {
    move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let form: web_sys::HtmlFormElement = event_target(&ev);
        if let Ok(fd) = web_sys::FormData::new_with_form(&form) {
            action.dispatch_local(fd);
        }
    }
}

/// The message for `field` among the problem's field errors.
pub fn field_error(problem: Option<&Problem>, field: &str) -> Option<String> {
    problem?.errors.iter().find(|e| e.field == field).map(|e| e.message.clone())
}

/// GOV.UK error summary: at the top, focused when it appears, with links to the fields.
#[component]
pub fn ErrorSummary(problem: Problem) -> impl IntoView {
    let node = NodeRef::<leptos::html::Div>::new();
    Effect::new(move |_| {
        if let Some(el) = node.get() {
            let _ = el.focus();
        }
    });
    let errors = problem.errors.clone();
    view! {
        <div class="error-summary" role="alert" tabindex="-1" aria-labelledby="riepilogo-errori" node_ref=node>
            <h2 id="riepilogo-errori" class="error-summary-title">"C'è un problema"</h2>
            <p>{problem.detail.clone()}</p>
            {(!errors.is_empty()).then(|| view! {
                <ul class="error-summary-list">
                    {errors.into_iter().map(|e| view! { <li><a href=format!("#{}", e.field.split('[').next().unwrap_or_default())>{e.message}</a></li> }).collect_view()}
                </ul>
            })}
        </div>
    }
}

pub(crate) fn deny(p: Problem) -> AnyView {
    if p.code == "unauthenticated" {
        view! { <Redirect path="/accedi" /> }.into_any()
    } else {
        view! { <div class="notice notice-error" role="alert"><p>{p.detail}</p></div><p><a href="/soggetti">"Scegli il soggetto"</a></p> }.into_any()
    }
}
