//! The limits as bars: one row per limit, the bar a picture for the eye and the figures in
//! words beside it (screen readers read the words; the bar is hidden from them). The bar is a
//! native `<meter>`: no inline style, which the Content-Security-Policy forbids.

use leptos::prelude::*;
use shared::Euro;
use shared::presto::views::LimiteView;

fn quantita(unita: &str, v: i64) -> String {
    if unita == "minuti" {
        if v % 60 == 0 { format!("{} ore", v / 60) } else { format!("{} ore e {} minuti", v / 60, v % 60) }
    } else {
        Euro::from_cents(v).to_string()
    }
}

#[component]
pub fn LimitBars(limiti: Vec<LimiteView>) -> impl IntoView {
    view! {
        <ul class="limits" id="limiti">
            {limiti.into_iter().map(|l| {
                let pct = l.percentuale();
                let vicino = pct >= 90;
                let testo = format!("Usati {} su {} · restano {}", quantita(&l.unita, l.usato), quantita(&l.unita, l.limite), quantita(&l.unita, l.residuo()));
                view! {
                    <li class="limit" data-codice=l.codice.clone()>
                        <p class="limit-label">{l.etichetta.clone()}
                            {vicino.then(|| view! { <span class="tag tag-vicino">{if pct >= 100 { "Limite raggiunto" } else { "Vicino al limite" }}</span> })}
                        </p>
                        <meter class=if vicino { "bar bar-near" } else { "bar" } aria-hidden="true" min="0" max=l.limite.max(1) value=l.usato.clamp(0, l.limite.max(1))></meter>
                        <p class="limit-text">{testo}</p>
                        {l.nota.clone().map(|n| view! { <p class="muted">{n}</p> })}
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}
