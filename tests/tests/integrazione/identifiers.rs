//! Every identifier's parse errors through the API (same `shared` parsers the forms use).

use reqwest::StatusCode;
use serde_json::json;
use sportello_tests::{Engine, TestApp, both};

both!(identifiers_valid_and_invalid, |engine: Engine| async move {
    let app = TestApp::spawn(engine).await;
    let c = app.client();
    let ok = [
        ("codice_fiscale", "rssmra85t10a562s", "RSSMRA85T10A562S"),
        ("codice_fiscale", "00743110157", "00743110157"),
        ("partita_iva", "IT12345670017", "12345670017"),
        ("matricola", "0123456789", "0123456789"),
        ("pec", "Ditta@PEC.it", "ditta@pec.it"),
        ("telefono", "+39 333 123 4567", "3331234567"),
        ("iban", "IT60 X054 2811 1010 0000 0123 456", "IT60X0542811101000000123456"),
        ("importo", "1.234,5", "1.234,50 €"),
    ];
    for (tipo, valore, norm) in ok {
        let (s, v) = app.post(&c, "/api/v1/identificativi/verifica", json!({ "tipo": tipo, "valore": valore })).await;
        assert_eq!(s, StatusCode::OK, "{tipo} {valore}: {v}");
        assert_eq!(v["normalizzato"], norm);
    }
    let bad = [
        ("codice_fiscale", "RSSMRA85T10A562T", "check_digit"),
        ("codice_fiscale", "RSSMRA85", "length"),
        ("codice_fiscale", "RSSMRA85Z10A562S", "format"),
        ("codice_fiscale", "", "empty"),
        ("partita_iva", "12345670018", "check_digit"),
        ("partita_iva", "1234567001A", "characters"),
        ("matricola", "12345", "length"),
        ("matricola", "12345678AB", "characters"),
        ("pec", "senza-chiocciola.it", "format"),
        ("telefono", "12345", "format"),
        ("iban", "IT61X0542811101000000123456", "check_digit"),
        ("iban", "DE89370400440532013000", "format"),
        ("importo", "12,345", "toomanydecimals"),
        ("importo", "-3", "negative"),
    ];
    for (tipo, valore, code) in bad {
        let (s, v) = app.post(&c, "/api/v1/identificativi/verifica", json!({ "tipo": tipo, "valore": valore })).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{tipo} {valore}");
        assert_eq!(v["errors"][0]["field"], "valore");
        assert_eq!(v["errors"][0]["code"], code, "{tipo} {valore}: {v}");
        assert!(!v["errors"][0]["message"].as_str().unwrap_or("").is_empty());
    }
    let (s, _) = app.post(&c, "/api/v1/identificativi/verifica", json!({ "tipo": "passaporto", "valore": "x" })).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
});
