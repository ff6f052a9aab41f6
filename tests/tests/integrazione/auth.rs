//! Login, failures, rate limiting, session rotation, logout, Origin check — on both engines.

use reqwest::StatusCode;
use serde_json::json;
use server::seed::DEMO_PASSWORD;
use sportello_tests::{Engine, TestApp, both, read, session_cookie};

both!(login_success_sets_safe_cookie, |engine: Engine| async move {
    let app = TestApp::spawn(engine).await;
    let c = app.client();
    let r = app.login(&c, "datore", DEMO_PASSWORD).await;
    assert_eq!(r.status(), StatusCode::OK);
    let cookie = session_cookie(&r);
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && cookie.contains("Path=/"), "{cookie}");
    assert!(!cookie.contains("Secure"), "plain HTTP in tests");
    let (s, v) = app.get(&c, "/api/v1/sessione").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["role"], "datore");
    assert_eq!(v["display_name"], "Mario Rossi");
    // The user name is not case-sensitive.
    let r = app.login(&app.client(), "  DATORE ", DEMO_PASSWORD).await;
    assert_eq!(r.status(), StatusCode::OK);
});

both!(login_failures_are_typed_and_do_not_reveal_accounts, |engine: Engine| async move {
    let app = TestApp::spawn(engine).await;
    let c = app.client();
    let (s1, wrong_pw) = read(app.login(&c, "datore", "sbagliata").await).await;
    let (s2, unknown) = read(app.login(&c, "nessuno", "sbagliata").await).await;
    assert_eq!(s1, StatusCode::FORBIDDEN);
    assert_eq!(s2, StatusCode::FORBIDDEN);
    assert_eq!(wrong_pw["detail"], unknown["detail"], "same answer for unknown user and wrong password");
    assert_eq!(wrong_pw["detail"], "Nome utente o password non corretti.");
    let (s, v) = read(app.login(&c, "", "").await).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<&str> =
        v["errors"].as_array().expect("errors").iter().map(|e| e["field"].as_str().unwrap_or("")).collect();
    assert_eq!(fields, ["username", "password"]);
    let (s, _) = app.get(&c, "/api/v1/sessione").await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    // Malformed JSON gets a problem, not a plain-text rejection.
    let r = c
        .post(app.url("/api/v1/sessione"))
        .header("content-type", "application/json")
        .body("{")
        .send()
        .await
        .expect("post");
    let (s, v) = read(r).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(v["code"], "bad_request");
});

both!(login_is_rate_limited_per_user, |engine: Engine| async move {
    let app = TestApp::spawn(engine).await;
    let c = app.client();
    for _ in 0..app.config.login_max_failures {
        let (s, _) = read(app.login(&c, "intermediario", "sbagliata").await).await;
        assert_eq!(s, StatusCode::FORBIDDEN);
    }
    // Even the right password is refused while the account is throttled…
    let (s, v) = read(app.login(&c, "intermediario", DEMO_PASSWORD).await).await;
    assert_eq!(s, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(v["code"], "rate_limited");
    assert!(v["detail"].as_str().unwrap_or("").contains("Troppi tentativi"));
    // …but other accounts are not affected.
    let r = app.login(&app.client(), "datore", DEMO_PASSWORD).await;
    assert_eq!(r.status(), StatusCode::OK);
});

both!(session_id_rotates_at_login_and_logout_kills_it, |engine: Engine| async move {
    let app = TestApp::spawn(engine).await;
    let raw = reqwest::Client::builder().build().expect("client");
    let login = |cookie: Option<String>| {
        let mut rb =
            raw.post(app.url("/api/v1/sessione")).json(&json!({ "username": "datore", "password": DEMO_PASSWORD }));
        if let Some(c) = cookie {
            rb = rb.header("cookie", c);
        }
        rb.send()
    };
    let value = |set_cookie: &str| set_cookie.split(';').next().unwrap_or("").to_string();
    // A session id planted before login (fixation) is never kept.
    let r1 = login(Some("sportello=planted-by-attacker".into())).await.expect("login");
    let a = value(&session_cookie(&r1));
    assert_ne!(a, "sportello=planted-by-attacker");
    let r2 = login(Some(a.clone())).await.expect("login");
    let b = value(&session_cookie(&r2));
    assert_ne!(a, b, "a new id at every login");
    let get = |cookie: String| raw.get(app.url("/api/v1/sessione")).header("cookie", cookie).send();
    assert_eq!(get(a.clone()).await.expect("get").status(), StatusCode::UNAUTHORIZED, "the old id is dead");
    assert_eq!(get(b.clone()).await.expect("get").status(), StatusCode::OK);
    let out = raw.delete(app.url("/api/v1/sessione")).header("cookie", b.clone()).send().await.expect("logout");
    assert_eq!(out.status(), StatusCode::NO_CONTENT);
    assert!(session_cookie(&out).contains("Max-Age=0"));
    assert_eq!(get(b).await.expect("get").status(), StatusCode::UNAUTHORIZED, "logout deletes the session server-side");
});

both!(idle_timeout_ends_session, |engine: Engine| async move {
    let app = TestApp::spawn_with(engine, |c| c.session_idle = std::time::Duration::from_secs(1)).await;
    let c = app.logged_in("datore").await;
    let (s, _) = app.get(&c, "/api/v1/sessione").await;
    assert_eq!(s, StatusCode::OK);
    tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
    let (s, _) = app.get(&c, "/api/v1/sessione").await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
});

both!(cross_site_state_changes_are_refused, |engine: Engine| async move {
    let app = TestApp::spawn(engine).await;
    let c = app.client();
    let body = json!({ "username": "datore", "password": DEMO_PASSWORD });
    let r = c
        .post(app.url("/api/v1/sessione"))
        .header("origin", "https://evil.example")
        .json(&body)
        .send()
        .await
        .expect("post");
    let (s, v) = read(r).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    assert!(v["detail"].as_str().unwrap_or("").contains("sito diverso"));
    let r = c
        .post(app.url("/api/v1/sessione"))
        .header("sec-fetch-site", "cross-site")
        .json(&body)
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    // Server functions are covered too.
    let r = c
        .post(app.url("/sf/login"))
        .header("origin", "https://evil.example")
        .form(&[("username", "datore"), ("password", DEMO_PASSWORD)])
        .send()
        .await
        .expect("sf");
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let same = format!("http://{}", app.addr);
    let r = c.post(app.url("/api/v1/sessione")).header("origin", same).json(&body).send().await.expect("post");
    assert_eq!(r.status(), StatusCode::OK);
});

both!(pages_carry_security_headers, |engine: Engine| async move {
    let app = TestApp::spawn(engine).await;
    let r = app.client().get(app.url("/accedi")).send().await.expect("get");
    assert_eq!(r.status(), StatusCode::OK);
    let csp = r.headers().get("content-security-policy").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    assert!(csp.contains("'wasm-unsafe-eval'") && csp.contains("'nonce-"), "{csp}");
    assert_eq!(r.headers().get("x-content-type-options").and_then(|v| v.to_str().ok()), Some("nosniff"));
    assert_eq!(r.headers().get("x-frame-options").and_then(|v| v.to_str().ok()), Some("DENY"));
    let nonce = csp.split("'nonce-").nth(1).and_then(|s| s.split('\'').next()).unwrap_or("").to_string();
    let html = r.text().await.expect("html");
    assert!(html.contains(&format!("nonce=\"{nonce}\"")), "hydration script carries the CSP nonce");
    assert!(html.contains("<html lang=\"it\""));
    // Unknown pages are a real 404, in Italian; unknown API paths a problem.
    let r = app.client().get(app.url("/non-esiste")).send().await.expect("get");
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert!(r.text().await.expect("text").contains("Pagina non trovata"));
    let (s, v) = app.get(&app.client(), "/api/v1/non-esiste").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert_eq!(v["code"], "not_found");
    // Anonymous home redirects a browser (which accepts HTML) to the login page.
    let r = app.client().get(app.url("/")).header("accept", "text/html").send().await.expect("get");
    assert!(r.status().is_redirection(), "{}", r.status());
    assert_eq!(r.headers().get("location").and_then(|v| v.to_str().ok()), Some("/accedi"));
});

both!(pages_come_compressed_whole_with_zstd, |engine: Engine| async move {
    let app = TestApp::spawn(engine).await;
    let c = app.logged_in("datore").await;
    let header = |r: &reqwest::Response, name: &str| {
        r.headers().get_all(name).iter().filter_map(|v| v.to_str().ok()).collect::<Vec<_>>().join(",")
    };
    let r = c.get(app.url("/richieste")).header("accept-encoding", "gzip, br, zstd").send().await.expect("get");
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(header(&r, "content-encoding"), "zstd");
    assert!(header(&r, "vary").to_ascii_lowercase().contains("accept-encoding"));
    assert!(header(&r, "content-security-policy").contains("'nonce-"), "the page keeps its headers");
    let body = r.bytes().await.expect("body");
    let html = zstd::stream::decode_all(&body[..]).expect("a whole zstd frame");
    // Compressed whole, its length known (a frame streamed by tower-http's layer does not say it).
    let declared = zstd::zstd_safe::get_frame_content_size(&body).expect("frame header");
    assert_eq!(declared, Some(html.len() as u64));
    let html = String::from_utf8(html).expect("utf-8");
    assert!(html.contains("<title>Lista Richieste") && html.contains("</html>"), "{html}");
    // Refused with q=0, or not asked for: tower-http's layer answers as the client asked.
    let r = c.get(app.url("/richieste")).header("accept-encoding", "zstd;q=0, gzip").send().await.expect("get");
    assert_eq!(header(&r, "content-encoding"), "gzip");
    let r = c.get(app.url("/richieste")).header("accept-encoding", "identity").send().await.expect("get");
    assert_eq!(header(&r, "content-encoding"), "");
    assert!(r.text().await.expect("html").contains("Lista Richieste"));
});
