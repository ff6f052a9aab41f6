//! Comunicazioni bidirezionali through /api/v1, on both engines: registration with attachments,
//! every limit refused with a clear field error, safe download, same authorization as requests.

use base64::Engine as _;
use reqwest::StatusCode;
use serde_json::{Value, json};
use sportello_tests::{Engine, TestApp, both, read};

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn body(rossi: i64, allegati: Value) -> Value {
    json!({
        "soggetto_id": rossi,
        "oggetto": "f24/attribuzione",
        "testo": "Il versamento del 16/03 è stato attribuito al mese sbagliato: allego la quietanza.",
        "email": "amministrazione@rossifigli.example.it",
        "allegati": allegati,
    })
}

both!(two_way_request_with_attachments, |engine: Engine| async move {
    let app = TestApp::spawn(engine).await;
    let datore = app.logged_in("datore").await;
    let rossi = app.company_id("Rossi & Figli S.r.l.").await;
    let pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF".to_vec();
    let (s, v) = app
        .post(
            &datore,
            "/api/v1/comunicazioni",
            body(rossi, json!([{ "nome": "C:\\Documenti\\quietanza.pdf", "contenuto_base64": b64(&pdf) }])),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let p = v["protocollo"].as_str().expect("p").to_string();
    assert!(p.starts_with("CB-"), "{p}");
    assert_eq!(v["stato"], "aperta");
    assert_eq!(v["smart_task"], false);
    assert_eq!(v["descrizione"], "Versamenti F24 – Attribuzione di un versamento");
    assert_eq!(v["allegati"][0]["nome"], "quietanza.pdf");
    assert!(v["risposte"]["testo"].as_str().is_some_and(|t| t.contains("quietanza")), "the text is kept: {v}");
    assert_eq!(v["risposte"]["email"], "amministrazione@rossifigli.example.it");
    assert_eq!(v["allegati"][0]["tipo"], "application/pdf");
    let id = v["allegati"][0]["id"].as_i64().expect("id");

    // Downloaded as it was sent, always as an attachment of an allowed type.
    let r = datore.get(app.url(&format!("/api/v1/richieste/{p}/allegati/{id}"))).send().await.expect("get");
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers().get("content-type").and_then(|h| h.to_str().ok()), Some("application/pdf"));
    assert!(
        r.headers()
            .get("content-disposition")
            .and_then(|h| h.to_str().ok())
            .is_some_and(|d| d.starts_with("attachment;"))
    );
    assert_eq!(r.headers().get("x-content-type-options").and_then(|h| h.to_str().ok()), Some("nosniff"));
    assert_eq!(r.bytes().await.expect("bytes").to_vec(), pdf);
    // In the list, as a standard (not Smart-Task) request.
    let (_, list) = app.get(&datore, &format!("/api/v1/richieste?soggetto_id={rossi}&tipo=bidirezionale")).await;
    assert_eq!(list["totale"], 1, "{list}");

    // Who may not read the request may not read its attachments either.
    let stranger = app.logged_in("utilizzatore").await;
    let (s, _) =
        read(stranger.get(app.url(&format!("/api/v1/richieste/{p}/allegati/{id}"))).send().await.expect("get")).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let roma = app.logged_in("operatore.sede").await;
    let r = roma.get(app.url(&format!("/api/v1/richieste/{p}/allegati/{id}"))).send().await.expect("get");
    assert_eq!(r.status(), StatusCode::OK, "the branch operator reads it");
    let milano = app.logged_in("operatore.milano").await;
    let (s, _) =
        read(milano.get(app.url(&format!("/api/v1/richieste/{p}/allegati/{id}"))).send().await.expect("get")).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _) =
        read(datore.get(app.url(&format!("/api/v1/richieste/{p}/allegati/{}", id + 100))).send().await.expect("get"))
            .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
});

both!(two_way_request_limits, |engine: Engine| async move {
    let app = TestApp::spawn(engine).await;
    let datore = app.logged_in("datore").await;
    let rossi = app.company_id("Rossi & Figli S.r.l.").await;
    let pdf = b64(b"%PDF-1.4 x");
    let cases: Vec<(Value, &str, &str)> = vec![
        (
            json!([{ "nome": "a.pdf", "contenuto_base64": pdf }, { "nome": "b.pdf", "contenuto_base64": pdf }, { "nome": "c.pdf", "contenuto_base64": pdf }, { "nome": "d.pdf", "contenuto_base64": pdf }]),
            "allegati",
            "too_many",
        ),
        (
            json!([{ "nome": "grande.pdf", "contenuto_base64": b64(&[b"%PDF-".to_vec(), vec![b'x'; 3 * 1024 * 1024]].concat()) }]),
            "allegati[0]",
            "too_large",
        ),
        (
            json!([{ "nome": "pagina.pdf", "contenuto_base64": b64(b"<html><script>alert(1)</script></html>") }]),
            "allegati[0]",
            "type",
        ),
        (json!([{ "nome": "programma.pdf", "contenuto_base64": b64(b"MZ\x90\x00\x03") }]), "allegati[0]", "type"),
        (json!([{ "nome": "vuoto.pdf", "contenuto_base64": "" }]), "allegati[0]", "empty"),
        (json!([{ "nome": "rotto.pdf", "contenuto_base64": "%%%" }]), "allegati[0]", "format"),
    ];
    for (allegati, field, code) in cases {
        let (s, v) = app.post(&datore, "/api/v1/comunicazioni", body(rossi, allegati)).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{field}: {v}");
        assert!(
            v["errors"].as_array().expect("errors").iter().any(|e| e["field"] == field && e["code"] == code),
            "{field} {code}: {v}"
        );
        assert!(v["errors"][0]["message"].as_str().is_some_and(|m| !m.is_empty()));
    }
    let mut b = body(rossi, json!([]));
    b["oggetto"] = json!("f24/inventato");
    b["email"] = json!("");
    b["testo"] = json!("breve");
    let (s, v) = app.post(&datore, "/api/v1/comunicazioni", b).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<&str> = v["errors"].as_array().expect("e").iter().filter_map(|e| e["field"].as_str()).collect();
    assert_eq!(fields, ["oggetto", "testo", "email"], "{v}");
    // Nothing was stored by the refused submissions.
    let (_, list) = app.get(&datore, &format!("/api/v1/richieste?soggetto_id={rossi}&tipo=bidirezionale")).await;
    assert_eq!(list["totale"], 0);
});
