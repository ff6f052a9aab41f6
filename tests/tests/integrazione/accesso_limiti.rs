//! Login throttling under parallel attempts, the bound on password checks running at once, and
//! the client address taken from a trusted proxy only.

use futures_util::StreamExt;
use reqwest::StatusCode;
use server::seed::DEMO_PASSWORD;
use sportello_tests::{Engine, TestApp, both, read};

both!(parallel_wrong_passwords_never_pass_the_limit_together, |engine: Engine| async move {
    let app = TestApp::spawn_with(engine, |c| c.login_concurrent_hashes = 64).await;
    let mut handles = vec![];
    for _ in 0..20 {
        let (c, url) = (app.client(), app.url("/api/v1/sessione"));
        handles.push(tokio::spawn(async move {
            let body = serde_json::json!({ "username": "intermediario", "password": "sbagliata" });
            c.post(url).json(&body).send().await.expect("login").status()
        }));
    }
    let mut checked = 0;
    for h in handles {
        match h.await.expect("join") {
            StatusCode::FORBIDDEN => checked += 1,
            StatusCode::TOO_MANY_REQUESTS => {}
            s => panic!("unexpected {s}"),
        }
    }
    assert_eq!(checked, app.config.login_max_failures, "exactly the allowed number of passwords was checked");
    let r = app.login(&app.client(), "intermediario", DEMO_PASSWORD).await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(r.headers().get("retry-after").and_then(|v| v.to_str().ok()), Some("900"));
});

both!(password_checks_at_once_are_bounded, |engine: Engine| async move {
    let app = TestApp::spawn_with(engine, |c| {
        c.login_concurrent_hashes = 1;
        c.login_hash_wait = std::time::Duration::ZERO;
        c.login_max_failures_ip = 1000;
    })
    .await;
    let mut handles = vec![];
    for i in 0..16 {
        let (c, url) = (app.client(), app.url("/api/v1/sessione"));
        handles.push(tokio::spawn(async move {
            let body = serde_json::json!({ "username": format!("nessuno{i}"), "password": "sbagliata" });
            let r = c.post(url).json(&body).send().await.expect("login");
            let retry = r.headers().get("retry-after").and_then(|v| v.to_str().ok()).map(str::to_string);
            let (s, v) = read(r).await;
            (s, retry, v)
        }));
    }
    let (mut busy, mut checked) = (0, 0);
    for h in handles {
        let (s, retry, v) = h.await.expect("join");
        match s {
            StatusCode::SERVICE_UNAVAILABLE => {
                busy += 1;
                assert_eq!(retry.as_deref(), Some("2"));
                assert_eq!(v["code"], "unavailable", "{v}");
            }
            StatusCode::FORBIDDEN => checked += 1,
            s => panic!("unexpected {s}: {v}"),
        }
    }
    assert!(busy > 0 && checked > 0, "busy {busy}, checked {checked}");
    // A refused-while-busy login did not count as a failure: the account still logs in.
    let r = app.login(&app.client(), "datore", DEMO_PASSWORD).await;
    assert_eq!(r.status(), StatusCode::OK);
});

/// Failed logins from one connection that claims a different address every time.
async fn spoofed_failures(app: &TestApp) -> Vec<StatusCode> {
    let mut out = vec![];
    for i in 0..4 {
        let r = app
            .client()
            .post(app.url("/api/v1/sessione"))
            .header("x-forwarded-for", format!("198.51.100.{i}"))
            .json(&serde_json::json!({ "username": format!("utente{i}"), "password": "sbagliata" }))
            .send()
            .await
            .expect("login");
        out.push(r.status());
    }
    out
}

both!(a_client_cannot_choose_the_address_it_is_throttled_under, |engine: Engine| async move {
    let app = TestApp::spawn_with(engine, |c| c.login_max_failures_ip = 3).await;
    let s = spoofed_failures(&app).await;
    assert_eq!(s[3], StatusCode::TOO_MANY_REQUESTS, "{s:?}: the header is ignored without a trusted proxy");
    // Behind a trusted proxy (here: the test client's own address) the header names the client.
    let app = TestApp::spawn_with(engine, |c| {
        c.login_max_failures_ip = 3;
        c.trusted_proxies = vec!["127.0.0.1".parse().expect("ip")];
    })
    .await;
    assert!(spoofed_failures(&app).await.iter().all(|s| *s == StatusCode::FORBIDDEN));
});

both!(one_user_cannot_flood_submissions, |engine: Engine| async move {
    let app = TestApp::spawn_with(engine, |c| c.submissions_per_minute = 3).await;
    let datore = app.logged_in("datore").await;
    let rossi = app.company_id("Rossi & Figli S.r.l.").await;
    let body = |i: usize| {
        serde_json::json!({ "tipo": "variazione_pec_aziendale", "soggetto_id": rossi, "oggetto": "",
                            "risposte": { "pec": format!("p{i}@pec.rossi.it") } })
    };
    for i in 0..3 {
        let (s, v) = sportello_tests::st::submit(&app, &datore, body(i), Some(&format!("k{i}"))).await;
        assert_eq!(s, StatusCode::ACCEPTED, "{v}");
    }
    let r = datore.post(app.url("/api/v1/richieste")).json(&body(3)).send().await.expect("post");
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    // Three a minute: the next place is free one interval (20 s) after the third.
    assert_eq!(r.headers().get("retry-after").and_then(|v| v.to_str().ok()), Some("20"));
    let (_, v) = read(r).await;
    assert_eq!(v["code"], "rate_limited", "{v}");
    assert!(v["detail"].as_str().is_some_and(|d| d.contains("(3 al minuto)") && d.contains("tra 20 secondi")), "{v}");
    // A retry of a request already sent is still answered (it creates nothing).
    let (s, _) = sportello_tests::st::submit(&app, &datore, body(0), Some("k0")).await;
    assert!(s.is_success(), "{s}");
    // Another user is not affected.
    let int = app.logged_in("intermediario").await;
    let assoc = app.company_id("Associazione Sportiva Tuscolana").await;
    let b = serde_json::json!({ "tipo": "variazione_pec_aziendale", "soggetto_id": assoc, "oggetto": "", "risposte": { "pec": "x@pec.assoc.it" } });
    let (s, v) = sportello_tests::st::submit(&app, &int, b, None).await;
    assert_eq!(s, StatusCode::ACCEPTED, "{v}");
});

both!(parallel_submissions_never_pass_the_limit_together, |engine: Engine| async move {
    // The place is taken in the transaction that stores the request: of eight sent at once with
    // a limit of three, exactly three are stored.
    let app = TestApp::spawn_with(engine, |c| c.submissions_per_minute = 3).await;
    let datore = app.logged_in("datore").await;
    let rossi = app.company_id("Rossi & Figli S.r.l.").await;
    let sends = (0..8).map(|i| {
        let body = serde_json::json!({ "tipo": "variazione_pec_aziendale", "soggetto_id": rossi, "oggetto": "",
                                       "risposte": { "pec": format!("insieme{i}@pec.rossi.it") } });
        datore.post(app.url("/api/v1/richieste")).json(&body).send()
    });
    let statuses: Vec<StatusCode> =
        futures_util::future::join_all(sends).await.into_iter().map(|r| r.expect("post").status()).collect();
    let accepted = statuses.iter().filter(|s| **s == StatusCode::ACCEPTED).count();
    let refused = statuses.iter().filter(|s| **s == StatusCode::TOO_MANY_REQUESTS).count();
    assert_eq!((accepted, refused), (3, 5), "{statuses:?}");
    let stored = "SELECT COUNT(*) FROM richieste WHERE risposte_json LIKE '%insieme%'";
    assert_eq!(app.number(stored, &[]).await, 3);
});

both!(a_slow_upload_does_not_hold_the_server, |engine: Engine| async move {
    let app = TestApp::spawn_with(engine, |c| c.body_timeout = std::time::Duration::from_millis(500)).await;
    let datore = app.logged_in("datore").await;
    // A body that sends one byte and then nothing.
    let stalled = futures_util::stream::once(async { Ok::<_, std::io::Error>(bytes::Bytes::from_static(b"{")) })
        .chain(futures_util::stream::pending());
    let slow = datore
        .post(app.url("/api/v1/richieste"))
        .header("content-type", "application/json")
        .header("content-length", "1000")
        .body(reqwest::Body::wrap_stream(stalled))
        .send();
    let r = tokio::time::timeout(std::time::Duration::from_secs(10), slow).await.expect("answered in time");
    if let Ok(r) = r {
        assert!(r.status().is_client_error(), "{}", r.status());
    }
    // Meanwhile and afterwards the server answers everyone.
    let (s, _) = app.get(&datore, "/api/v1/sessione").await;
    assert_eq!(s, StatusCode::OK);
});
