//! No response that may carry personal data is kept by any cache.

use reqwest::StatusCode;
use serde_json::json;
use sportello_tests::st::{decided, submit};
use sportello_tests::{Engine, TestApp, both};

both!(personal_data_is_never_cached, |engine: Engine| async move {
    let app = TestApp::spawn(engine).await;
    let datore = app.logged_in("datore").await;
    let rossi = app.company_id("Rossi & Figli S.r.l.").await;
    let body = json!({ "tipo": "variazione_pec_aziendale", "soggetto_id": rossi, "oggetto": "", "risposte": { "pec": "nuova@pec.rossi.it" } });
    let (_, v) = submit(&app, &datore, body, None).await;
    let p = v["protocollo"].as_str().expect("p").to_string();
    decided(&app, &datore, &p).await;
    let paths = [
        "/api/v1/sessione".to_string(),
        format!("/api/v1/richieste/{p}"),
        format!("/api/v1/richieste/{p}/ricevuta.pdf"),
        format!("/richiesta/{p}/ricevuta.pdf"),
        format!("/richiesta/{p}"),
        "/api/v1/notifiche".to_string(),
        "/api/v1/richieste/ST-2026-9999999".to_string(),
    ];
    for path in paths {
        let r = datore.get(app.url(&path)).send().await.expect("get");
        let cc = r.headers().get("cache-control").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
        assert_eq!(cc, "no-store", "{path} ({})", r.status());
    }
    // A server function's answer too.
    let r = datore.post(app.url("/sf/session")).form(&[("x", "")]).send().await.expect("sf");
    assert_eq!(r.headers().get("cache-control").and_then(|v| v.to_str().ok()), Some("no-store"), "{}", r.status());
    // Refusals carry no data but are marked the same way.
    let r = app.client().get(app.url("/api/v1/sessione")).send().await.expect("get");
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(r.headers().get("cache-control").and_then(|v| v.to_str().ok()), Some("no-store"));
});
