//! Stored JSON (what a check read, the facts of a decision, an effect, an audit record's
//! before/after) as a list of label–value pairs an operator can read: nested keys become one
//! label ("delega · data inizio"), days are written the Italian way, amounts in cents as euro,
//! booleans as sì/no.

use crate::money::Euro;
use crate::time::format_date_text_it;
use serde_json::Value;

/// The pairs of a JSON text; text that is not JSON is one pair with an empty label.
pub fn voci(json: &str) -> Vec<(String, String)> {
    match serde_json::from_str::<Value>(json) {
        Ok(v) => voci_of(&v),
        Err(_) => vec![(String::new(), json.to_string())],
    }
}

/// The pairs of a JSON value: one per scalar, labelled with the path that leads to it.
pub fn voci_of(v: &Value) -> Vec<(String, String)> {
    let mut out = vec![];
    walk(v, "", &mut out);
    out
}

fn label(key: &str) -> String {
    let k = key.replace('_', " ");
    let mut c = k.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => k,
    }
}

fn join(prefix: &str, part: &str) -> String {
    if prefix.is_empty() { part.to_string() } else { format!("{prefix} · {}", part.to_lowercase()) }
}

fn scalar(v: &Value) -> Option<String> {
    Some(match v {
        Value::Null => "–".into(),
        Value::Bool(true) => "sì".into(),
        Value::Bool(false) => "no".into(),
        Value::Number(n) => n.to_string(),
        Value::String(s) if s.is_empty() => "–".into(),
        Value::String(s) => format_date_text_it(s),
        Value::Array(_) | Value::Object(_) => return None,
    })
}

fn walk(v: &Value, prefix: &str, out: &mut Vec<(String, String)>) {
    match v {
        Value::Object(map) if map.is_empty() => out.push((prefix.to_string(), "–".into())),
        Value::Object(map) => {
            for (k, child) in map {
                match (k.strip_suffix("_cents"), child.as_i64()) {
                    // Money is stored in cents: shown in euro.
                    (Some(name), Some(cents)) => {
                        out.push((join(prefix, &label(name)), Euro::from_cents(cents).to_string()))
                    }
                    _ => walk(child, &join(prefix, &label(k)), out),
                }
            }
        }
        Value::Array(items) if items.is_empty() => out.push((prefix.to_string(), "nessuno".into())),
        Value::Array(items) => match items.iter().map(scalar).collect::<Option<Vec<_>>>() {
            Some(all) => out.push((prefix.to_string(), all.join(", "))),
            None => {
                for (i, child) in items.iter().enumerate() {
                    walk(child, &join(prefix, &(i + 1).to_string()), out);
                }
            }
        },
        scalar_value => out.push((prefix.to_string(), scalar(scalar_value).unwrap_or_default())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_json_reads_as_labelled_pairs() {
        let got = voci(
            r#"{"delega": {"data_inizio": "2024-01-01", "revocata_dal": null}, "attiva": true,
                "eventi": [{"tipo": "pagamento", "importo_cents": 800000}], "causali": ["DM10", "DM11"], "x": []}"#,
        );
        let want: Vec<(String, String)> = [
            ("Attiva", "sì"),
            ("Causali", "DM10, DM11"),
            ("Delega · data inizio", "01/01/2024"),
            ("Delega · revocata dal", "–"),
            ("Eventi · 1 · tipo", "pagamento"),
            ("Eventi · 1 · importo", "8.000,00 €"),
            ("X", "nessuno"),
        ]
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
        let mut got_sorted = got.clone();
        got_sorted.sort();
        let mut want_sorted = want.clone();
        want_sorted.sort();
        assert_eq!(got_sorted, want_sorted);
        assert_eq!(voci("non json"), [(String::new(), "non json".to_string())]);
        assert_eq!(voci("\"2026-12-31\""), [(String::new(), "31/12/2026".to_string())]);
    }
}
