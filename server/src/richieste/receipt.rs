//! The printable receipt of a request (PDF): protocol number, who asked for whom, the answers,
//! the outcome and every check with its reason and reference. Written with `pdf-writer` and the
//! standard Helvetica fonts (no font files to ship); text in WinAnsi, which covers Italian.

use crate::error::AppResult;
use crate::identity::Caller;
use crate::services::Services;
use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str, TextStr};
use shared::dto::RequestView;

const A4: (f32, f32) = (595.0, 842.0);
const MARGIN: f32 = 56.0;

/// Text to WinAnsi bytes: Latin-1 maps through, the few typographic characters Italian text
/// uses are mapped to their WinAnsi codes, anything else becomes '?'.
fn win_ansi(s: &str) -> Vec<u8> {
    s.chars()
        .map(|c| match c {
            '€' => 0x80,
            '…' => 0x85,
            '‘' => 0x91,
            '’' => 0x92,
            '“' => 0x93,
            '”' => 0x94,
            '–' => 0x96,
            '—' => 0x97,
            '→' => b'>',
            c if (c as u32) < 0x80 => c as u8,
            c if (0xA0..=0xFF).contains(&(c as u32)) => c as u32 as u8,
            _ => b'?',
        })
        .collect()
}

/// Greedy word wrap at `width` characters (Helvetica averages about half an em per character).
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = vec![];
    let mut cur = String::new();
    for word in text.split_whitespace() {
        if !cur.is_empty() && cur.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut cur));
        }
        if !cur.is_empty() {
            cur.push(' ');
        }
        cur.push_str(word);
    }
    if !cur.is_empty() || lines.is_empty() {
        lines.push(cur);
    }
    lines
}

struct Line {
    size: f32,
    bold: bool,
    text: String,
    gap: f32,
}

fn it_ts(ts: &str) -> String {
    shared::time::format_it_datetime(ts)
}

/// Renders the receipt; `soggetto` is the contributor's name and codes.
pub fn render(r: &RequestView, soggetto: &str) -> Vec<u8> {
    let mut lines: Vec<Line> = vec![];
    let mut push = |size: f32, bold: bool, text: &str, gap: f32| {
        let width = (95.0 * 10.0 / size) as usize;
        for (k, t) in wrap(text, width).into_iter().enumerate() {
            lines.push(Line { size, bold, text: t, gap: if k == 0 { gap } else { 0.0 } });
        }
    };
    push(9.0, false, "INPS – Cassetto previdenziale · Sportello (dati dimostrativi)", 0.0);
    push(16.0, true, &format!("Ricevuta della richiesta {}", r.protocollo), 10.0);
    push(11.0, false, &format!("Oggetto: {}", r.descrizione), 8.0);
    push(11.0, false, &format!("Contribuente: {soggetto}"), 0.0);
    push(
        11.0,
        false,
        &format!(
            "Inviata il {} · regole in vigore al {}",
            it_ts(&r.inviata_il),
            shared::time::format_date_text_it(&r.data_riferimento)
        ),
        0.0,
    );
    push(12.0, true, &format!("Stato: {}", r.stato_label), 10.0);
    if let Some(m) = &r.motivo {
        push(10.0, false, &format!("Motivo: {m}"), 2.0);
    }
    if !r.risposte.is_empty() {
        push(12.0, true, "Dati indicati", 10.0);
        for (k, v) in &r.risposte {
            push(10.0, false, &format!("{}: {v}", k.replace('_', " ")), 0.0);
        }
    }
    push(12.0, true, "Controlli eseguiti", 10.0);
    if r.controlli.is_empty() {
        push(10.0, false, "L'esame non è ancora concluso.", 0.0);
    }
    for c in &r.controlli {
        push(10.0, true, &format!("[{}] {}", c.esito.label(), c.descrizione), 6.0);
        push(10.0, false, &c.motivo, 0.0);
        push(8.0, false, &format!("{} · {}", c.codice, c.riferimento), 0.0);
    }
    push(12.0, true, "Cronologia", 10.0);
    for e in &r.eventi {
        push(10.0, false, &format!("{} – {}", shared::dto::stato_richiesta_label(&e.stato), it_ts(&e.at)), 0.0);
    }
    if let Some(v) = &r.ruleset {
        push(8.0, false, &format!("Versione delle regole: {v}"), 10.0);
    }

    // Lay out into pages.
    let mut pages: Vec<Vec<u8>> = vec![];
    let mut content = Content::new();
    let mut y = A4.1 - MARGIN;
    let mut started = false;
    for l in &lines {
        let step = l.size * 1.3 + l.gap;
        if started && y - step < MARGIN {
            content.end_text();
            pages.push(std::mem::replace(&mut content, Content::new()).finish());
            y = A4.1 - MARGIN;
            started = false;
        }
        if !started {
            content.begin_text();
            started = true;
        }
        y -= step;
        content.set_font(Name(if l.bold { b"F2" } else { b"F1" }), l.size);
        content.set_text_matrix([1.0, 0.0, 0.0, 1.0, MARGIN, y]);
        content.show(Str(&win_ansi(&l.text)));
    }
    if started {
        content.end_text();
    }
    pages.push(content.finish());

    let mut pdf = Pdf::new();
    let catalog = Ref::new(1);
    let tree = Ref::new(2);
    let regular = Ref::new(3);
    let bold = Ref::new(4);
    let info = Ref::new(5);
    let first_page = 10;
    let page_ids: Vec<Ref> = (0..pages.len()).map(|i| Ref::new(first_page + 2 * i as i32)).collect();
    pdf.catalog(catalog).pages(tree);
    pdf.pages(tree).kids(page_ids.iter().copied()).count(page_ids.len() as i32);
    for (i, body) in pages.iter().enumerate() {
        let id = page_ids[i];
        let content_id = Ref::new(id.get() + 1);
        let mut page = pdf.page(id);
        page.media_box(Rect::new(0.0, 0.0, A4.0, A4.1));
        page.parent(tree);
        page.contents(content_id);
        let mut res = page.resources();
        let mut fonts = res.fonts();
        fonts.pair(Name(b"F1"), regular);
        fonts.pair(Name(b"F2"), bold);
        drop(fonts);
        drop(res);
        page.finish();
        pdf.stream(content_id, body);
    }
    pdf.type1_font(regular).base_font(Name(b"Helvetica")).encoding_predefined(Name(b"WinAnsiEncoding"));
    pdf.type1_font(bold).base_font(Name(b"Helvetica-Bold")).encoding_predefined(Name(b"WinAnsiEncoding"));
    pdf.document_info(info).title(TextStr(&format!("Ricevuta {}", r.protocollo))).producer(TextStr("Sportello"));
    pdf.finish()
}

impl Services {
    /// The receipt of a request, for whoever may read the request.
    pub async fn receipt(&self, caller: &Caller, protocollo: &str) -> AppResult<(String, Vec<u8>)> {
        let r = self.request_view(caller, protocollo).await?;
        // The company, or the person whose support request it is.
        let row = sqlx::query(
            "SELECT COALESCE(c.ragione_sociale, p.cognome || ' ' || p.nome), COALESCE(c.codice_fiscale, p.codice_fiscale)
             FROM richieste r LEFT JOIN contribuenti c ON c.id = r.contribuente_id LEFT JOIN persone p ON p.id = r.persona_id
             WHERE r.protocollo = $1",
        )
        .bind(&r.protocollo)
        .fetch_one(&self.db.read)
        .await?;
        use sqlx::Row;
        let soggetto = format!("{} (C.F. {})", row.try_get::<String, _>(0)?, row.try_get::<String, _>(1)?);
        Ok((format!("ricevuta-{}.pdf", r.protocollo), render(&r, &soggetto)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn italian_text_maps_to_win_ansi() {
        assert_eq!(win_ansi("è però 1.000,00 €"), b"\xe8 per\xf2 1.000,00 \x80".to_vec());
        assert_eq!(win_ansi("Δ"), b"?".to_vec());
    }

    #[test]
    fn wrap_keeps_words_and_width() {
        let w = wrap("uno due tre quattro cinque sei", 10);
        assert_eq!(w, ["uno due", "tre", "quattro", "cinque sei"]);
        assert!(wrap("", 10) == [""]);
    }
}
