//! Every error of /api/v1 is problem+json, including those answered before a handler runs, and a
//! credential presented in `Authorization` must be valid itself.

use reqwest::StatusCode;
use sportello_tests::{Engine, TestApp, both, read};

both!(errors_outside_handlers_are_problem_json, |engine: Engine| async move {
    let app = TestApp::spawn(engine).await;
    let c = app.logged_in("datore").await;
    for (method, path, want) in [
        ("GET", "/api/v1/richieste/CB-2026-0000001/allegati/non-un-numero", StatusCode::BAD_REQUEST),
        ("GET", "/api/v1/notifiche?soggetto_id=9223372036854775808", StatusCode::BAD_REQUEST),
        ("PATCH", "/api/v1/richieste", StatusCode::METHOD_NOT_ALLOWED),
        ("GET", "/api/v1/richieste?pagina=0", StatusCode::UNPROCESSABLE_ENTITY),
    ] {
        let r = c.request(method.parse().expect("method"), app.url(path)).send().await.expect("send");
        let ct = r.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
        let (s, v) = read(r).await;
        assert_eq!(s, want, "{method} {path}: {v}");
        assert_eq!(ct, "application/problem+json", "{method} {path}");
        assert_eq!(v["status"], want.as_u16(), "{v}");
        assert!(v["detail"].as_str().is_some_and(|d| !d.is_empty()), "{v}");
    }
});

both!(a_wrong_bearer_is_refused_even_with_a_valid_cookie, |engine: Engine| async move {
    let app = TestApp::spawn(engine).await;
    let c = app.logged_in("datore").await;
    let (s, _) = app.get(&c, "/api/v1/soggetti").await;
    assert_eq!(s, StatusCode::OK);
    for auth in ["Bearer spt_inventato", "Bearer ", "Basic ZGF0b3JlOng="] {
        let r = c.get(app.url("/api/v1/soggetti")).header("authorization", auth).send().await.expect("send");
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED, "{auth}");
    }
});
