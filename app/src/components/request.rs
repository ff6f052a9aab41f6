//! Pieces of a request shown on several pages: its state, its row in a list, its checks, its
//! timeline, attachments and conversation with the branch.

use super::format::it_datetime;
use leptos::prelude::*;
use shared::dto::*;

pub(crate) fn state_tag(stato: Stato, label: String) -> impl IntoView + use<> {
    view! { <span class=tag_class(stato)>{label}</span> }
}

/// `tag tag-richiesta-<code>`, written out: the request list shows one per row, and `format!`
/// cost 500 instructions each.
fn tag_class(stato: Stato) -> &'static str {
    match stato {
        Stato::Inviata => "tag tag-richiesta-inviata",
        Stato::InIstruttoria => "tag tag-richiesta-in_istruttoria",
        Stato::InCaricoSede => "tag tag-richiesta-in_carico_sede",
        Stato::Accolta => "tag tag-richiesta-accolta",
        Stato::NonAccolta => "tag tag-richiesta-non_accolta",
        Stato::Aperta => "tag tag-richiesta-aperta",
        Stato::InCarico => "tag tag-richiesta-in_carico",
        Stato::Chiusa => "tag tag-richiesta-chiusa",
    }
}

/// A row of a request list. Its texts are joined, not `format!`ted, and its fields moved, not
/// copied: a list page makes twenty.
#[component]
pub(crate) fn RequestRow(r: RequestSummary, #[prop(optional)] operator: bool) -> impl IntoView {
    let RequestSummary { protocollo, descrizione, smart_task, stato, stato_label, inviata_il } = r;
    let href = [if operator { "/fascicolo/richiesta/" } else { "/richiesta/" }, &protocollo].concat();
    let riga = ["Protocollo ", &protocollo, " · inviata il ", &it_datetime(&inviata_il)].concat();
    view! {
        <li class=if smart_task { "request smart-task" } else { "request" }>
            <p class="request-head">
                {smart_task.then(|| view! { <span class="tag tag-smart-task">"Smart-Task"</span> })}
                " " {state_tag(stato, stato_label)}
            </p>
            <p class="request-title"><a href=href>{descrizione}</a></p>
            <p class="muted">{riga}</p>
        </li>
    }
}

/// Stored JSON (what a check read, facts, an effect, an audit record) as label–value pairs.
#[component]
pub(crate) fn LabelValues(json: String) -> impl IntoView {
    view! {
        <dl class="summary-list voci">
            {shared::voci::voci(&json).into_iter().map(|(k, v)| view! {
                <div><dt>{k}</dt><dd>{v}</dd></div>
            }).collect_view()}
        </dl>
    }
}

/// The checks of a decision; for operators, with what each one read.
#[component]
pub(crate) fn ChecksList(controlli: Vec<shared::dto::CheckView>, letti: Vec<(String, String)>) -> impl IntoView {
    view! {
        <ol class="checks" id="controlli">
            {controlli.into_iter().enumerate().map(|(i, c)| {
                let (class, tag) = match c.esito {
                    Esito::Ok => ("check check-ok", "tag tag-richiesta-accolta"),
                    Esito::Verifica => ("check check-verifica", "tag tag-richiesta-in_carico_sede"),
                    Esito::Ko => ("check check-ko", "tag tag-richiesta-non_accolta"),
                };
                let label = c.esito.label();
                let read = letti.get(i).filter(|(code, _)| *code == c.codice).map(|(_, v)| v.clone());
                view! {
                    <li class=class>
                        <p class="check-head">
                            <span class=tag>{label}</span>
                            " " <strong>{c.descrizione}</strong>
                        </p>
                        <p>{c.motivo}</p>
                        <p class="muted">{format!("{} · {}", c.codice, c.riferimento)}</p>
                        {read.map(|v| view! {
                            <details class="letti"><summary>"Dati e parametri letti"</summary><LabelValues json=v /></details>
                        })}
                    </li>
                }
            }).collect_view()}
        </ol>
    }
}

/// The states a request went through, with when.
#[component]
pub(crate) fn Timeline(eventi: Vec<shared::dto::EventView>) -> impl IntoView {
    view! {
        <h2>"Cronologia"</h2>
        <ol class="timeline">
            {eventi.into_iter().map(|e| view! { <li><strong>{shared::dto::stato_richiesta_label(&e.stato)}</strong>" – " {it_datetime(&e.at)}</li> }).collect_view()}
        </ol>
    }
}

/// Attachments of a request, as download links.
#[component]
pub(crate) fn Attachments(protocollo: String, allegati: Vec<shared::dto::AllegatoView>) -> impl IntoView {
    (!allegati.is_empty()).then(|| {
        view! {
            <h2>"Allegati"</h2>
            <ul id="allegati">
                {allegati.into_iter().map(|a| view! {
                    <li>
                        <a href=format!("/api/v1/richieste/{}/allegati/{}", protocollo, a.id) rel="external" download=a.nome.clone()>{a.nome.clone()}</a>
                        <span class="muted">{format!(" · {} · {} kB", a.tipo.trim_start_matches("application/").trim_start_matches("image/").to_uppercase(), (a.dimensione + 1023) / 1024)}</span>
                    </li>
                }).collect_view()}
            </ul>
        }
    })
}

/// The messages of a request, oldest first. The operator also sees internal notes, marked.
#[component]
pub(crate) fn Conversation(messaggi: Vec<OperatorNote>, #[prop(optional)] operator: bool) -> impl IntoView {
    (!messaggi.is_empty()).then(|| {
        view! {
            <h2>"Messaggi"</h2>
            <ul class="request-list conversation" id="messaggi">
                {messaggi.into_iter().map(|m| {
                    let (class, who) = match (m.dal_contribuente, m.interna) {
                        (true, _) => ("request messaggio-contribuente", if operator { "Contribuente" } else { "Lei" }),
                        (false, true) => ("request nota-interna", "Nota interna"),
                        (false, false) => ("request messaggio-sede", "Sede INPS"),
                    };
                    view! {
                        <li class=class>
                            <p class="request-head"><span class="tag">{who}</span></p>
                            <p class="testo-richiesta">{m.testo}</p>
                            <p class="muted">{format!("{} · {}", m.autore, it_datetime(&m.at))}</p>
                        </li>
                    }
                }).collect_view()}
            </ul>
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_state_has_its_own_tag_class() {
        for s in Stato::ALL {
            assert_eq!(tag_class(s), format!("tag tag-richiesta-{}", s.code()));
        }
    }
}
