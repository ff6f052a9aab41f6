//! The filters of a request list, kept in the address (bookmarkable, usable without JavaScript).

use crate::components::forms::field_error;
use leptos::prelude::*;
use shared::dto::*;
use shared::smart_task::Kind;
use std::sync::LazyLock;

/// Filters read from (and kept in) the address, so a filtered list can be bookmarked, reloaded
/// and used without JavaScript.
pub(crate) fn filter_from(q: &leptos_router::params::ParamsMap) -> RequestFilter {
    let get = |k: &str| q.get(k).filter(|v| !v.trim().is_empty());
    RequestFilter {
        stato: get("stato"),
        tipo: get("tipo"),
        matricola: get("matricola"),
        dal: get("dal"),
        al: get("al"),
        pagina: get("pagina").and_then(|p| p.parse().ok()),
    }
}

/// `base` is the list's path (the Lista Richieste or an operator's Fascicolo).
pub(crate) fn page_href(base: &str, f: &RequestFilter, pagina: u32) -> String {
    let given = [("stato", &f.stato), ("tipo", &f.tipo), ("matricola", &f.matricola), ("dal", &f.dal), ("al", &f.al)];
    let pagina = pagina.to_string();
    href(base, given.iter().filter_map(|(k, v)| v.as_deref().map(|v| (*k, v))).chain([("pagina", pagina.as_str())]))
}

/// `base?k=v&…` with every name and value escaped (`#`, `+`, `&`, `%`, spaces and the rest).
pub(crate) fn href<'a>(base: &str, pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    let mut q = form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        q.append_pair(k, v);
    }
    format!("{base}?{}", q.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pager_links_keep_every_character_typed() {
        let f = RequestFilter { matricola: Some("12#3 + 4&5%/".into()), ..Default::default() };
        let link = page_href("/richieste", &f, 2);
        assert_eq!(link, "/richieste?matricola=12%233+%2B+4%265%25%2F&pagina=2");
        let query = link.split_once('?').map(|(_, q)| q).unwrap_or_default();
        let back: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes()).into_owned().collect();
        assert_eq!(back[0], ("matricola".to_string(), "12#3 + 4&5%/".to_string()));
    }
}

/// (value, text) of the Smart-Task kinds' options, written once: every list page shows them.
fn opzioni_smart_task() -> &'static [(&'static str, String)] {
    static OPZIONI: LazyLock<Vec<(&'static str, String)>> =
        LazyLock::new(|| Kind::ALL.iter().map(|k| (k.code(), format!("{}. {}", k.number(), k.label()))).collect());
    &OPZIONI
}

/// (value, text) of the two-way requests' groups: all of them, or a prestazioni occasionali
/// user's own.
fn opzioni_comunicazione(persona: bool) -> &'static [(String, String)] {
    fn opzioni(persona: bool) -> Vec<(String, String)> {
        shared::comunicazioni::gruppi_oggetti(persona)
            .into_iter()
            .map(|(c, l, _)| (format!("bidirezionale:{c}"), format!("Comunicazione: {l}")))
            .collect()
    }
    static TUTTE: LazyLock<Vec<(String, String)>> = LazyLock::new(|| opzioni(false));
    static PERSONA: LazyLock<Vec<(String, String)>> = LazyLock::new(|| opzioni(true));
    if persona { &PERSONA } else { &TUTTE }
}

/// The filter form: a plain GET form, so it works before hydration and without JavaScript.
#[component]
pub(crate) fn Filters(
    f: RequestFilter,
    action: String,
    /// A refused filter: each field shows its message.
    #[prop(optional)]
    problem: Option<Problem>,
    /// A prestazioni occasionali user's own list: support requests only, no matricola.
    #[prop(optional)]
    persona: bool,
) -> impl IntoView {
    let (target, reset) = (action.clone(), action);
    let v = |o: &Option<String>| o.clone().unwrap_or_default();
    let stato = v(&f.stato);
    let tipo = v(&f.tipo);
    let open = f != RequestFilter { pagina: f.pagina, ..Default::default() } || problem.is_some();
    let err = |name: &str| field_error(problem.as_ref(), name);
    let message = |name: &'static str, m: Option<String>| {
        m.map(|m| view! { <p class="error-message" id=format!("{name}-errore")>{m}</p> })
    };
    let (e_stato, e_tipo, e_matricola, e_dal, e_al) =
        (err("stato"), err("tipo"), err("matricola"), err("dal"), err("al"));
    let invalid = |e: &Option<String>| e.is_some().then_some("true");
    view! {
        <details class="filters" open=open>
            <summary>"Filtra le richieste"</summary>
            <form method="get" action=target id="filtri">
                <div class="field" class:field-error=e_stato.is_some()>
                    <label for="stato">"Stato"</label>
                    {message("stato", e_stato.clone())}
                    <select id="stato" name="stato" aria-invalid=invalid(&e_stato) aria-describedby="stato-errore">
                        <option value="" selected=stato.is_empty()>"Tutti"</option>
                        {shared::dto::Stato::ALL.into_iter().map(|s| view! {
                            <option value=s.code() selected=stato == s.code()>{s.label()}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="field" class:field-error=e_tipo.is_some()>
                    <label for="tipo">"Oggetto"</label>
                    {message("tipo", e_tipo.clone())}
                    <select id="tipo" name="tipo" aria-invalid=invalid(&e_tipo) aria-describedby="tipo-errore">
                        <option value="" selected=tipo.is_empty()>"Tutti"</option>
                        {(!persona).then(|| view! {
                            <optgroup label="Smart-Task">
                                {opzioni_smart_task().iter().map(|(code, text)| view! {
                                    <option value=*code selected=tipo == *code>{text.as_str()}</option>
                                }).collect_view()}
                            </optgroup>
                        })}
                        <optgroup label="Comunicazioni bidirezionali">
                            <option value="bidirezionale" selected=tipo == "bidirezionale">"Tutte le comunicazioni"</option>
                            {opzioni_comunicazione(persona).iter().map(|(code, text)| view! {
                                <option value=code.as_str() selected=tipo == *code>{text.as_str()}</option>
                            }).collect_view()}
                        </optgroup>
                    </select>
                </div>
                {(!persona).then(|| view! {
                    <div class="field" class:field-error=e_matricola.is_some()>
                        <label for="matricola">"Matricola"</label>
                        {message("matricola", e_matricola.clone())}
                        <input id="matricola" name="matricola" inputmode="numeric" value=v(&f.matricola)
                            aria-invalid=invalid(&e_matricola) aria-describedby="matricola-errore" />
                    </div>
                })}
                <div class="field field-inline">
                    <div class:field-error=e_dal.is_some()>
                        <label for="dal">"Inviate dal"</label>
                        {message("dal", e_dal.clone())}
                        <input id="dal" name="dal" placeholder="gg/mm/aaaa" value=v(&f.dal)
                            aria-invalid=invalid(&e_dal) aria-describedby="dal-errore" />
                    </div>
                    <div class:field-error=e_al.is_some()>
                        <label for="al">"al"</label>
                        {message("al", e_al.clone())}
                        <input id="al" name="al" placeholder="gg/mm/aaaa" value=v(&f.al)
                            aria-invalid=invalid(&e_al) aria-describedby="al-errore" />
                    </div>
                </div>
                <button type="submit" class="button" id="filtra">"Filtra"</button>
                " " <a href=reset>"Azzera i filtri"</a>
            </form>
        </details>
    }
}
