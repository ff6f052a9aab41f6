//! Comunicazioni bidirezionali through /api/v1, on both engines: registration with attachments,
//! every limit refused with a clear field error, safe download, same authorization as requests.

use base64::Engine as _;
use reqwest::StatusCode;
use serde_json::{Value, json};
use sportello_tests::{Engine, TestApp, both, read, session_cookie};

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

/// Rossi's employer, logged in, and a two-way request it wrote (no attachments).
async fn request_of_rossi(app: &TestApp) -> (reqwest::Client, String) {
    let datore = app.logged_in("datore").await;
    let rossi = app.company_id("Rossi & Figli S.r.l.").await;
    let (s, v) = app.post(&datore, "/api/v1/comunicazioni", body(rossi, json!([]))).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let protocollo = v["protocollo"].as_str().expect("protocollo").to_string();
    (datore, protocollo)
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
    assert_eq!(s, StatusCode::NOT_FOUND);
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

async fn notifications(app: &TestApp, c: &reqwest::Client, rossi: i64) -> Vec<String> {
    let (_, n) = app.get(c, &format!("/api/v1/notifiche?soggetto_id={rossi}")).await;
    n["notifiche"]
        .as_array()
        .map(|a| a.iter().filter_map(|x| x["testo"].as_str().map(str::to_string)).collect())
        .unwrap_or_default()
}

both!(two_way_conversation, |engine: Engine| async move {
    let app = TestApp::spawn(engine).await;
    let datore = app.logged_in("datore").await;
    let roma = app.logged_in("operatore.sede").await;
    let milano = app.logged_in("operatore.milano").await;
    let rossi = app.company_id("Rossi & Figli S.r.l.").await;
    let (s, v) = app.post(&datore, "/api/v1/comunicazioni", body(rossi, json!([]))).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let p = v["protocollo"].as_str().expect("p").to_string();
    let notified = notifications(&app, &datore, rossi).await;
    assert!(notified[0].contains(&p) && notified[0].contains("registrata"), "{notified:?}");

    // The open request is in the branch's queue, not in another sede's.
    let (_, queue) = app.get(&roma, "/api/v1/coda").await;
    let item = queue.as_array().and_then(|a| a.iter().find(|i| i["richiesta"]["protocollo"] == p.as_str()).cloned());
    assert_eq!(item.as_ref().map(|i| i["richiesta"]["stato"].clone()), Some(json!("aperta")), "{queue}");
    let (_, other) = app.get(&milano, "/api/v1/coda").await;
    assert!(!other.to_string().contains(&p));
    let url = format!("/api/v1/fascicolo/richieste/{p}/azioni");
    let (s, _) = app.post(&milano, &url, json!({ "azione": "prendi_in_carico" })).await;
    assert_eq!(s, StatusCode::NOT_FOUND, "an operator of another region cannot act, nor learn it exists");

    // Aperta → In carico, notified.
    let (s, d) = app.post(&roma, &url, json!({ "azione": "prendi_in_carico" })).await;
    assert_eq!(s, StatusCode::OK, "{d}");
    assert_eq!(d["richiesta"]["stato"], "in_carico");
    assert!(notifications(&app, &datore, rossi).await[0].contains("presa in carico"));
    // A question of the branch, an internal note (not shown, not notified), the contributor's answer.
    let (s, _) = app
        .post(
            &roma,
            &url,
            json!({ "azione": "nota", "interna": false, "testo": "Può indicare il numero della delega F24?" }),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(notifications(&app, &datore, rossi).await[0].contains("numero della delega"));
    let (s, d) = app
        .post(&roma, &url, json!({ "azione": "nota", "interna": true, "testo": "Sentire l'ufficio riscossione." }))
        .await;
    assert_eq!(s, StatusCode::OK);
    let version = d["version"].as_i64().expect("version");
    let n_before = notifications(&app, &datore, rossi).await.len();
    let (s, v) = app.post(&datore, &format!("/api/v1/richieste/{p}/messaggi"), json!({ "testo": " " })).await;
    assert_eq!((s, v["errors"][0]["field"].clone()), (StatusCode::UNPROCESSABLE_ENTITY, json!("testo")), "{v}");
    let (s, v) = app
        .post(&datore, &format!("/api/v1/richieste/{p}/messaggi"), json!({ "testo": "Delega n. 123456 del 16/03." }))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let messages = v["messaggi_sede"].as_array().cloned().unwrap_or_default();
    assert_eq!(messages.len(), 2, "the reply and the answer, not the internal note: {v}");
    assert_eq!(
        (messages[0]["dal_contribuente"].clone(), messages[1]["dal_contribuente"].clone()),
        (json!(false), json!(true))
    );
    assert!(!v.to_string().contains("riscossione"));
    assert_eq!(
        notifications(&app, &datore, rossi).await.len(),
        n_before,
        "the contributor is not notified of their own message"
    );
    // The branch sees the answer: the queue marks it, and a page read before it is stale.
    let (_, queue) = app.get(&roma, "/api/v1/coda").await;
    let item = queue.as_array().and_then(|a| a.iter().find(|i| i["richiesta"]["protocollo"] == p.as_str()).cloned());
    assert_eq!(item.map(|i| i["attende_sede"].clone()), Some(json!(true)));
    let (s, _) = app.post(&roma, &url, json!({ "azione": "chiudi", "motivo": "Risolto.", "version": version })).await;
    assert_eq!(s, StatusCode::CONFLICT, "closing without having seen the contributor's message is refused");
    let (_, d) = app.get(&roma, &format!("/api/v1/fascicolo/richieste/{p}")).await;
    assert_eq!(d["note"].as_array().map(Vec::len), Some(3), "the operator sees all three: {d}");
    // In carico → Chiusa with the closing comment, notified; nothing more can be added.
    let (s, d) = app
        .post(
            &roma,
            &url,
            json!({ "azione": "chiudi", "motivo": "Versamento riattribuito al periodo 02/2026.", "version": d["version"] }),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{d}");
    assert_eq!(d["richiesta"]["stato"], "chiusa");
    assert!(notifications(&app, &datore, rossi).await[0].contains("chiusa dalla sede: Versamento riattribuito"));
    let (s, v) =
        app.post(&datore, &format!("/api/v1/richieste/{p}/messaggi"), json!({ "testo": "Grazie mille." })).await;
    assert_eq!(s, StatusCode::CONFLICT, "{v}");
    let (s, _) = app.post(&roma, &url, json!({ "azione": "nota", "interna": false, "testo": "Altro" })).await;
    assert_eq!(s, StatusCode::CONFLICT);
    let (_, mine) = app.get(&datore, &format!("/api/v1/richieste/{p}")).await;
    let stati: Vec<&str> =
        mine["eventi"].as_array().map(|a| a.iter().filter_map(|e| e["stato"].as_str()).collect()).unwrap_or_default();
    assert_eq!(stati, ["aperta", "in_carico", "chiusa"], "{mine}");
    assert_eq!(mine["motivo"], "Versamento riattribuito al periodo 02/2026.");
    // Every step audited: sent, taken, reply, note, message, closed.
    let audited: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE entity = 'richiesta' AND entity_id = $1")
            .bind(&p)
            .fetch_one(&app.db.read)
            .await
            .expect("count");
    assert_eq!(audited, 6);

    // History on both sides: by object and state.
    let (_, list) =
        app.get(&datore, &format!("/api/v1/richieste?soggetto_id={rossi}&tipo=bidirezionale&stato=chiusa")).await;
    assert_eq!(list["totale"], 1, "{list}");
    let (_, list) =
        app.get(&datore, &format!("/api/v1/richieste?soggetto_id={rossi}&tipo=bidirezionale&stato=aperta")).await;
    assert_eq!(list["totale"], 0, "{list}");
    let (_, f) = app.get(&roma, &format!("/api/v1/fascicolo/{rossi}?tipo=bidirezionale&stato=chiusa")).await;
    assert_eq!(f["richieste"]["totale"], 1, "{f}");
    // By the object chosen: its group, or exactly.
    for (tipo, n) in [("bidirezionale:f24", 1), ("bidirezionale:f24/attribuzione", 1), ("bidirezionale:regolarita", 0)]
    {
        let (s, l) = app.get(&datore, &format!("/api/v1/richieste?soggetto_id={rossi}&tipo={tipo}")).await;
        assert_eq!((s, l["totale"].as_i64()), (StatusCode::OK, Some(n)), "{tipo}: {l}");
        let (_, f) = app.get(&roma, &format!("/api/v1/fascicolo/{rossi}?tipo={tipo}")).await;
        assert_eq!(f["richieste"]["totale"].as_i64(), Some(n), "{tipo}: {f}");
    }
    let (s, l) = app.get(&datore, &format!("/api/v1/richieste?soggetto_id={rossi}&tipo=bidirezionale:nessuno")).await;
    assert_eq!((s, l["errors"][0]["field"].clone()), (StatusCode::UNPROCESSABLE_ENTITY, json!("tipo")), "{l}");
});

// The page's upload (multipart server function), with the limits checked while reading.
both!(page_upload_multipart, |engine: Engine| async move {
    use reqwest::multipart::{Form, Part};
    let app = TestApp::spawn(engine).await;
    let datore = app.logged_in("datore").await;
    let rossi = app.company_id("Rossi & Figli S.r.l.").await;
    app.put(&datore, "/api/v1/sessione/soggetto", json!({ "subject_id": rossi })).await;
    let form = |files: Vec<(&str, Vec<u8>)>| {
        let mut f = Form::new()
            .text("oggetto", "f24/attribuzione")
            .text("testo", "Versamento attribuito al mese sbagliato, allego la quietanza.")
            .text("email", "")
            .text("telefono", "06 1234567");
        for (name, bytes) in files {
            f = f.part("allegato", Part::bytes(bytes).file_name(name.to_string()));
        }
        // An input left empty is sent as a part with no name and no content.
        f.part("allegato", Part::bytes(vec![]).file_name(""))
    };
    let stored = |app: &TestApp| {
        let pool = app.db.read.clone();
        async move { sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM allegati").fetch_one(&pool).await.expect("n") }
    };
    let before = stored(&app).await;
    let mut big = b"%PDF-1.4\n".to_vec();
    big.resize(3 * 1024 * 1024 + 1, b' ');
    let r = datore
        .post(app.url("/sf/cb_invio"))
        .multipart(form(vec![("grande.pdf", big), ("pagina.html", b"<html><script>".to_vec())]))
        .send()
        .await
        .expect("post");
    let (s, v) = read(r).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    let fields: Vec<&str> =
        v["errors"].as_array().map(|a| a.iter().filter_map(|e| e["field"].as_str()).collect()).unwrap_or_default();
    assert_eq!(fields, ["allegati[0]", "allegati[1]"], "{v}");
    assert!(v["errors"][0]["message"].as_str().unwrap_or("").contains("grande.pdf: supera il limite di 3 MB"));
    assert!(v["errors"][1]["message"].as_str().unwrap_or("").contains("tipo di file non ammesso"));
    assert_eq!(stored(&app).await, before, "nothing stored on refusal");

    let png = b"\x89PNG\r\n\x1a\n0000".to_vec();
    let r = datore.post(app.url("/sf/cb_invio")).multipart(form(vec![("foto.png", png)])).send().await.expect("post");
    let (s, v) = read(r).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    // The answer names the request's page; its data comes from the API.
    let pagina = v["pagina"].as_str().unwrap_or_default();
    let protocollo = pagina.strip_prefix("/richiesta/").unwrap_or_default();
    assert!(!protocollo.is_empty(), "{v}");
    let (s, v) = read(datore.get(app.url(&format!("/api/v1/richieste/{protocollo}"))).send().await.expect("get")).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["allegati"][0]["nome"], "foto.png");
    assert_eq!(v["risposte"]["telefono"], "061234567", "normalised without spaces");
    assert_eq!(stored(&app).await, before + 1);

    // Not multipart, or declared larger than three files at the limit: refused before reading.
    let r = datore
        .post(app.url("/sf/cb_invio"))
        .body("oggetto=x")
        .header("content-type", "application/x-www-form-urlencoded")
        .send()
        .await
        .expect("post");
    let (s, v) = read(r).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    // Only the headers are sent: the answer must come without reading the 20 MB announced.
    let answer = app.announce_large_upload("/sf/cb_invio", "", "too_large").await;
    assert!(answer.starts_with("HTTP/1.1 422"), "{answer}");
    assert!(answer.contains("application/problem+json"), "{answer}");
});

// Without the page's script the form is a plain multipart post to the page itself: a refusal
// renders the form again with what was typed and the errors, an acceptance goes to the request.
both!(page_form_post_without_script, |engine: Engine| async move {
    use reqwest::multipart::{Form, Part};
    let app = TestApp::spawn(engine).await;
    let datore = app.logged_in("datore").await;
    let rossi = app.company_id("Rossi & Figli S.r.l.").await;
    app.put(&datore, "/api/v1/sessione/soggetto", json!({ "subject_id": rossi })).await;
    let before: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM richieste").fetch_one(&app.db.read).await.expect("count");
    let form = |testo: &str, file: (&str, &[u8])| {
        Form::new()
            .text("oggetto", "f24/attribuzione")
            .text("testo", testo.to_string())
            .text("email", "paghe@example.it")
            .text("telefono", "06 7654321")
            .part("allegato", Part::bytes(file.1.to_vec()).file_name(file.0.to_string()))
    };
    let post =
        |f: Form| datore.post(app.url("/richieste/comunicazione")).header("accept", "text/html").multipart(f).send();
    let r = post(form("Breve", ("pagina.html", b"<html><script>"))).await.expect("post");
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.headers()["content-type"].to_str().unwrap_or("").starts_with("text/html"));
    let html = r.text().await.expect("html");
    for kept in [
        "value=\"paghe@example.it\"",
        "value=\"06 7654321\"",
        ">Breve</textarea>",
        "value=\"f24/attribuzione\" selected",
        "scelga di nuovo il file allegato",
        "pagina.html: tipo di file non ammesso",
        "almeno 10 e al massimo 4.000 caratteri (ora 5)",
    ] {
        assert!(html.contains(kept), "{kept} missing in the page");
    }
    let after: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM richieste").fetch_one(&app.db.read).await.expect("count");
    assert_eq!(after, before, "nothing stored on refusal");

    let r = post(form("Versamento di marzo attribuito a febbraio.", ("ricevuta.pdf", b"%PDF-1.4\n%%EOF")))
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let location = r.headers()["location"].to_str().unwrap_or("").to_string();
    assert!(location.starts_with("/richiesta/"), "{location}");
    let html = datore.get(app.url(&location)).send().await.expect("get").text().await.expect("html");
    assert!(html.contains("Versamento di marzo attribuito a febbraio."));
    assert!(html.contains("ricevuta.pdf"));

    // Declared larger than the bound: the page answers without reading the body.
    let login = app.login(&reqwest::Client::new(), "datore", server::seed::DEMO_PASSWORD).await;
    let cookie = session_cookie(&login).split(';').next().unwrap_or_default().to_string();
    let r = reqwest::Client::new()
        .put(app.url("/api/v1/sessione/soggetto"))
        .header("cookie", &cookie)
        .json(&json!({ "subject_id": rossi }))
        .send()
        .await
        .expect("act for");
    assert_eq!(r.status(), StatusCode::OK);
    let headers = format!("Accept: text/html\r\nCookie: {cookie}\r\n");
    let answer = app.announce_large_upload("/richieste/comunicazione", &headers, "</html>").await;
    assert!(answer.starts_with("HTTP/1.1 422"), "{answer}");
    assert!(answer.contains("modulo non è stato letto"), "{answer}");
});

// The message form on a request's page, posted without the script: a refusal keeps the text.
both!(message_form_post_without_script, |engine: Engine| async move {
    let app = TestApp::spawn(engine).await;
    let (datore, protocollo) = request_of_rossi(&app).await;
    let page = format!("/richiesta/{protocollo}");
    let post = |testo: &str| {
        datore
            .post(app.url(&page))
            .header("accept", "text/html")
            .form(&[("protocollo", protocollo.as_str()), ("testo", testo)])
            .send()
    };
    let r = post(" ").await.expect("post");
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.expect("html");
    assert!(html.contains("Scrivere un testo di almeno 2"), "error shown: {html}");

    let lungo = "Risposta ".repeat(500);
    let r = post(&lungo).await.expect("post");
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.expect("html");
    assert!(html.contains(&format!(">{lungo}</textarea>")), "the text typed is back in the box");
    assert!(html.contains("al massimo 4.000 caratteri (ora 4499)"));

    let r = post("La matricola corretta è 1234567890.").await.expect("post");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(r.headers()["location"], page.as_str());
    let (_, v) = app.get(&datore, &format!("/api/v1/richieste/{protocollo}")).await;
    assert!(v.to_string().contains("La matricola corretta è 1234567890."), "{v}");
});

// The operator's steps posted without the script: a refusal (here: the page was stale) shows
// the page again with the text typed; a step done goes back to the page.
both!(operator_step_without_script, |engine: Engine| async move {
    let app = TestApp::spawn(engine).await;
    let (datore, protocollo) = request_of_rossi(&app).await;
    let operatore = app.logged_in("operatore.sede").await;
    let (s, d) = app.get(&operatore, &format!("/api/v1/fascicolo/richieste/{protocollo}")).await;
    assert_eq!(s, StatusCode::OK, "{d}");
    let version = d["version"].as_i64().expect("version");
    let page = format!("/fascicolo/richiesta/{protocollo}");
    let post = |azione: &str, testo: &str, version: i64| {
        operatore
            .post(app.url(&page))
            .header("accept", "text/html")
            .form(&[("azione", azione), ("testo", testo), ("version", &version.to_string())])
            .send()
    };
    let r = post("risposta", "Risposta scritta su una pagina vecchia.", version - 1).await.expect("post");
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let html = r.text().await.expect("html");
    assert!(html.contains(">Risposta scritta su una pagina vecchia.</textarea>"), "text kept");
    assert!(html.contains("un altro operatore ha lavorato la richiesta"), "reason shown");

    let r = post("chiudi", " ", version).await.expect("post");
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.expect("html").contains("Scrivere un testo di almeno 1"));

    let r = post("risposta", "Ci serve la quietanza del versamento.", version).await.expect("post");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(r.headers()["location"], page.as_str());
    let (_, v) = app.get(&datore, &format!("/api/v1/richieste/{protocollo}")).await;
    assert!(v.to_string().contains("Ci serve la quietanza del versamento."), "{v}");
});
