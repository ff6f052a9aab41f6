//! A download that shows its progress. A list of a million rows takes a while to extract, and a
//! plain link says nothing until the file is complete: with the page's script the file is read
//! here, chunk by chunk, with the rows (CSV) or bytes (XLSX) received shown beside the link, then
//! saved under the server's file name. Without the script it is the plain link it always was.

use leptos::prelude::*;

// Reached only through the browser's script (and the tests).
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
#[derive(Debug, Clone, Default, PartialEq)]
enum Avanzamento {
    #[default]
    Fermo,
    InCorso {
        byte: u64,
        righe: u64,
    },
    Finito {
        byte: u64,
        righe: u64,
    },
    Errore(String),
}

fn peso(byte: u64) -> String {
    if byte >= 1024 * 1024 {
        format!("{:.1} MB", byte as f64 / (1024.0 * 1024.0)).replace('.', ",")
    } else {
        format!("{} KB", byte.div_ceil(1024))
    }
}

/// What the line beside the link says: rows of the total for a CSV, bytes otherwise.
fn descrivi(a: &Avanzamento, totale: Option<i64>, csv: bool) -> String {
    let it = shared::money::migliaia_it;
    match (a, totale) {
        (Avanzamento::Fermo, _) => String::new(),
        (Avanzamento::InCorso { righe, .. }, Some(t)) if csv => {
            format!("Estrazione in corso: {} righe di {}…", it(*righe), it(t.max(0).unsigned_abs()))
        }
        (Avanzamento::InCorso { byte, .. }, _) => format!("Estrazione in corso: {} ricevuti…", peso(*byte)),
        (Avanzamento::Finito { righe, .. }, _) if csv => format!("File salvato: {} righe.", it(*righe)),
        (Avanzamento::Finito { byte, .. }, _) => format!("File salvato ({}).", peso(*byte)),
        (Avanzamento::Errore(m), _) => m.clone(),
    }
}

/// A download link with its progress. `righe` is the number of rows the list counted, shown as
/// the goal of a CSV's progress. An island: the page around it is the server's.
#[cfg_attr(any(feature = "isole-portale", feature = "isole-direzione"), island)]
#[cfg_attr(not(any(feature = "isole-portale", feature = "isole-direzione")), component)]
pub fn Scarica(
    href: String,
    #[prop(into)] id: String,
    #[prop(into)] label: String,
    #[prop(optional)] righe: Option<i64>,
) -> impl IntoView {
    let (stato, set_stato) = signal(Avanzamento::Fermo);
    let csv = href.contains("formato=csv");
    let status_id = format!("{id}-stato");
    let progress_label = status_id.clone();
    let target = href.clone();
    let on_click = move |ev: leptos::ev::MouseEvent| {
        #[cfg(feature = "hydrate")]
        {
            ev.prevent_default();
            if matches!(stato.get_untracked(), Avanzamento::InCorso { .. }) {
                return;
            }
            set_stato.set(Avanzamento::InCorso { byte: 0, righe: 0 });
            let href = target.clone();
            leptos::task::spawn_local(async move {
                let fine = browser::scarica(&href, csv, set_stato).await;
                set_stato.set(fine.unwrap_or_else(Avanzamento::Errore));
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (ev, &target, set_stato);
    };
    let progress = move || match stato.get() {
        Avanzamento::InCorso { righe: r, .. } if csv && righe.is_some() => Some(
            view! {
                <progress max=righe.unwrap_or(0).max(1) value=r aria-labelledby=progress_label.clone()></progress>
            }
            .into_any(),
        ),
        Avanzamento::InCorso { .. } => {
            Some(view! { <progress aria-labelledby=progress_label.clone()></progress> }.into_any())
        }
        _ => None,
    };
    view! {
        <span class="download">
            <a class="button button-outline" id=id href=href download on:click=on_click aria-describedby=status_id.clone()
                aria-busy=move || matches!(stato.get(), Avanzamento::InCorso { .. }).then_some("true")>{label}</a>
            {progress}
            <span class=move || if matches!(stato.get(), Avanzamento::Errore(_)) { "error-message" } else { "muted" }
                id=status_id role="status">{move || descrivi(&stato.get(), righe, csv)}</span>
        </span>
    }
}

#[cfg(feature = "hydrate")]
mod browser {
    use super::Avanzamento;
    use leptos::prelude::*;
    use wasm_bindgen::{JsCast, JsValue};
    use wasm_bindgen_futures::JsFuture;

    const FALLITO: &str = "Il file non è stato scaricato: la connessione si è interrotta. Riprovi.";

    fn err(_: JsValue) -> String {
        FALLITO.to_string()
    }

    /// The server's refusal, in its own words (problem+json), or a generic one.
    async fn rifiuto(resp: &web_sys::Response) -> String {
        let detail = match resp.json() {
            Ok(p) => JsFuture::from(p)
                .await
                .ok()
                .and_then(|v| js_sys::Reflect::get(&v, &"detail".into()).ok())
                .and_then(|d| d.as_string()),
            Err(_) => None,
        };
        detail.unwrap_or_else(|| format!("Il file non è stato scaricato (errore {}).", resp.status()))
    }

    fn nome_file(resp: &web_sys::Response, csv: bool) -> String {
        let cd = resp.headers().get("content-disposition").ok().flatten().unwrap_or_default();
        cd.split("filename=")
            .nth(1)
            .map(|n| n.trim_matches(|c| c == '"' || c == ';' || c == ' ').to_string())
            .filter(|n| !n.is_empty() && !n.contains('/'))
            .unwrap_or_else(|| if csv { "elenco.csv".into() } else { "elenco.xlsx".into() })
    }

    pub(super) async fn scarica(href: &str, csv: bool, set: WriteSignal<Avanzamento>) -> Result<Avanzamento, String> {
        let window = web_sys::window().ok_or_else(|| FALLITO.to_string())?;
        let resp: web_sys::Response = JsFuture::from(window.fetch_with_str(href)).await.map_err(err)?.unchecked_into();
        if !resp.ok() {
            return Err(rifiuto(&resp).await);
        }
        let nome = nome_file(&resp, csv);
        let body = resp.body().ok_or_else(|| FALLITO.to_string())?;
        let reader: web_sys::ReadableStreamDefaultReader = body.get_reader().unchecked_into();
        let parti = js_sys::Array::new();
        let (mut byte, mut linee) = (0u64, 0u64);
        loop {
            let chunk = JsFuture::from(reader.read()).await.map_err(err)?;
            if js_sys::Reflect::get(&chunk, &"done".into()).map_err(err)?.as_bool().unwrap_or(true) {
                break;
            }
            let value: js_sys::Uint8Array =
                js_sys::Reflect::get(&chunk, &"value".into()).map_err(err)?.unchecked_into();
            byte += u64::from(value.length());
            if csv {
                linee += value.to_vec().iter().filter(|b| **b == b'\n').count() as u64;
            }
            parti.push(&value);
            // The header line is not a row.
            set.set(Avanzamento::InCorso { byte, righe: linee.saturating_sub(1) });
        }
        let blob = web_sys::Blob::new_with_u8_array_sequence(&parti).map_err(err)?;
        let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(err)?;
        let a: web_sys::HtmlAnchorElement = document().create_element("a").map_err(err)?.unchecked_into();
        a.set_href(&url);
        a.set_download(&nome);
        a.click();
        let _ = web_sys::Url::revoke_object_url(&url);
        Ok(Avanzamento::Finito { byte, righe: linee.saturating_sub(1) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_is_told_in_rows_for_csv_and_bytes_otherwise() {
        let a = Avanzamento::InCorso { byte: 3 * 1024 * 1024, righe: 12_345 };
        assert_eq!(descrivi(&a, Some(1_000_000), true), "Estrazione in corso: 12.345 righe di 1.000.000…");
        assert_eq!(descrivi(&a, Some(1_000_000), false), "Estrazione in corso: 3,0 MB ricevuti…");
        assert_eq!(descrivi(&Avanzamento::Finito { byte: 10, righe: 7 }, None, true), "File salvato: 7 righe.");
        assert_eq!(descrivi(&Avanzamento::Finito { byte: 1500, righe: 0 }, None, false), "File salvato (2 KB).");
        assert_eq!(descrivi(&Avanzamento::Fermo, None, true), "");
    }
}
