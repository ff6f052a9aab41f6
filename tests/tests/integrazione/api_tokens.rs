//! Personal API tokens: created from a session, shown once, stored hashed, usable as
//! `Authorization: Bearer`, with the owner's rights only, revocable, audited.

use reqwest::StatusCode;
use serde_json::json;
use sportello_tests::st::decided;
use sportello_tests::{Engine, TestApp, both, read};
use sqlx::Row;

both!(token_lifecycle, |engine: Engine| async move {
    let app = TestApp::spawn(engine).await;
    let browser = app.logged_in("intermediario").await;
    let (s, v) = app.post(&browser, "/api/v1/token", json!({ "nome": "Paghe Studio Bianchi" })).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let token = v["token"].as_str().expect("token").to_string();
    assert!(token.starts_with("spt_") && token.len() > 40);
    let id = v["dettagli"]["id"].as_i64().expect("id");
    // Stored as a hash only; the listing never shows it again.
    let stored: String = sqlx::query("SELECT token_hash FROM api_tokens WHERE id = $1")
        .bind(id)
        .fetch_one(&app.db.read)
        .await
        .expect("row")
        .try_get(0)
        .expect("hash");
    assert!(!stored.contains(&token) && stored.len() == 64);
    let (_, list) = app.get(&browser, "/api/v1/token").await;
    assert!(!list.to_string().contains(&token), "{list}");
    assert_eq!(list[0]["prefisso"].as_str().map(|p| token.starts_with(p)), Some(true));

    // The software: no cookie, just the token.
    let software = reqwest::Client::new();
    let bearer = format!("Bearer {token}");
    let (s, subjects) =
        read(software.get(app.url("/api/v1/soggetti")).header("authorization", &bearer).send().await.expect("get"))
            .await;
    assert_eq!(s, StatusCode::OK, "{subjects}");
    assert!(subjects.to_string().contains("Associazione Sportiva Tuscolana"));
    assert!(!subjects.to_string().contains("Verdi Logistica"), "an expired delega gives no access");
    let assoc = app.company_id("Associazione Sportiva Tuscolana").await;
    let r = software
        .post(app.url("/api/v1/richieste"))
        .header("authorization", &bearer)
        .header("idempotency-key", "paghe-1")
        .json(&json!({ "tipo": "variazione_pec_aziendale", "soggetto_id": assoc, "oggetto": "", "risposte": { "pec": "via-api@pec.tuscolana.it" } }))
        .send()
        .await
        .expect("post");
    let (s, v) = read(r).await;
    assert_eq!(s, StatusCode::ACCEPTED, "{v}");
    // Same rules as a person: another company's requests stay closed.
    let verdi = app.company_id("Verdi Logistica S.p.A.").await;
    let (s, _) = read(
        software
            .get(app.url(&format!("/api/v1/richieste?soggetto_id={verdi}")))
            .header("authorization", &bearer)
            .send()
            .await
            .expect("get"),
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    // A token cannot mint tokens, nor pretend to a session subject.
    let (s, _) = read(
        software
            .post(app.url("/api/v1/token"))
            .header("authorization", &bearer)
            .json(&json!({ "nome": "altro" }))
            .send()
            .await
            .expect("post"),
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _) = read(
        software
            .put(app.url("/api/v1/sessione/soggetto"))
            .header("authorization", &bearer)
            .json(&json!({ "subject_id": assoc }))
            .send()
            .await
            .expect("put"),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    let _ = decided(&app, &browser, v["protocollo"].as_str().expect("p")).await;

    // Someone else cannot revoke it; the owner can, and then it opens nothing.
    let datore = app.logged_in("datore").await;
    let (s, _) = read(datore.delete(app.url(&format!("/api/v1/token/{id}"))).send().await.expect("delete")).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, v) = read(browser.delete(app.url(&format!("/api/v1/token/{id}"))).send().await.expect("delete")).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert!(v["revocato_il"].is_string());
    let (s, _) =
        read(software.get(app.url("/api/v1/soggetti")).header("authorization", &bearer).send().await.expect("get"))
            .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    let audited: i64 = sqlx::query("SELECT COUNT(*) FROM audit_log WHERE entity = 'api_token'")
        .fetch_one(&app.db.read)
        .await
        .expect("n")
        .try_get(0)
        .expect("n");
    assert_eq!(audited, 2);
    // A nameless token is a field error.
    let (s, v) = app.post(&browser, "/api/v1/token", json!({ "nome": " " })).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(v["errors"][0]["field"], "nome");
});

async fn new_token(app: &TestApp, browser: &reqwest::Client, body: serde_json::Value) -> (i64, String) {
    let (s, v) = app.post(browser, "/api/v1/token", body).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    (v["dettagli"]["id"].as_i64().expect("id"), format!("Bearer {}", v["token"].as_str().expect("token")))
}

both!(logout_with_a_token_revokes_it, |engine: Engine| async move {
    let app = TestApp::spawn(engine).await;
    let browser = app.logged_in("intermediario").await;
    let (id, bearer) = new_token(&app, &browser, json!({ "nome": "Gestionale" })).await;
    let software = reqwest::Client::new();
    let r = software.delete(app.url("/api/v1/sessione")).header("authorization", &bearer).send().await.expect("out");
    assert!(r.status().is_success(), "{}", r.status());
    let r = software.get(app.url("/api/v1/soggetti")).header("authorization", &bearer).send().await.expect("get");
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED, "the token no longer authenticates");
    let (_, list) = app.get(&browser, "/api/v1/token").await;
    let t = list.as_array().and_then(|l| l.iter().find(|t| t["id"] == id)).cloned().expect("listed");
    assert!(t["revocato_il"].is_string(), "{t}");
    // The browser session is untouched.
    let (s, _) = app.get(&browser, "/api/v1/sessione").await;
    assert_eq!(s, StatusCode::OK);
});

both!(tokens_expire_and_can_be_read_only, |engine: Engine| async move {
    let app = TestApp::spawn(engine).await;
    let browser = app.logged_in("intermediario").await;
    let software = reqwest::Client::new();
    let (s, v) = app.post(&browser, "/api/v1/token", json!({ "nome": "x", "scadenza_giorni": 0 })).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert_eq!(v["errors"][0]["field"], "scadenza_giorni");

    let (id, bearer) = new_token(&app, &browser, json!({ "nome": "Scade", "scadenza_giorni": 30 })).await;
    let get = |b: String| {
        let (c, url) = (software.clone(), app.url("/api/v1/soggetti"));
        async move { c.get(url).header("authorization", b).send().await.expect("get").status() }
    };
    assert_eq!(get(bearer.clone()).await, StatusCode::OK);
    // Thirty days later.
    sqlx::query("UPDATE api_tokens SET scade_il = $1 WHERE id = $2")
        .bind(server::infra::clock::ts(chrono::Utc::now() - chrono::Duration::seconds(1)))
        .bind(id)
        .execute(&app.db.write)
        .await
        .expect("expire");
    assert_eq!(get(bearer).await, StatusCode::UNAUTHORIZED);

    let (_, bearer) = new_token(&app, &browser, json!({ "nome": "Lettura", "sola_lettura": true })).await;
    assert_eq!(get(bearer.clone()).await, StatusCode::OK);
    let assoc = app.company_id("Associazione Sportiva Tuscolana").await;
    let body = json!({ "tipo": "variazione_pec_aziendale", "soggetto_id": assoc, "oggetto": "", "risposte": { "pec": "a@pec.it" } });
    let (s, v) = read(
        software
            .post(app.url("/api/v1/richieste"))
            .header("authorization", &bearer)
            .json(&body)
            .send()
            .await
            .expect("post"),
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{v}");
    assert!(v["detail"].as_str().unwrap_or("").contains("sola lettura"), "{v}");
    let n: i64 =
        sqlx::query("SELECT COUNT(*) FROM richieste").fetch_one(&app.db.read).await.expect("n").try_get(0).expect("n");
    assert_eq!(n, 0);
});
