//! The OpenAPI document is generated from the code and covers the Smart-Task API.

use reqwest::StatusCode;
use sportello_tests::{Engine, TestApp, both};

both!(openapi_document_describes_the_api, |engine: Engine| async move {
    let app = TestApp::spawn(engine).await;
    // Public, like any API description: no login needed to read it.
    let (s, doc) = app.get(&app.client(), "/api/v1/openapi.json").await;
    assert_eq!(s, StatusCode::OK);
    assert!(doc["openapi"].as_str().unwrap_or("").starts_with("3."), "{doc}");
    for (path, method) in [
        ("/api/v1/soggetti", "get"),
        ("/api/v1/smart-task/tipi", "get"),
        ("/api/v1/smart-task/tipi/{tipo}/oggetti", "get"),
        ("/api/v1/richieste", "post"),
        ("/api/v1/richieste", "get"),
        ("/api/v1/richieste/{protocollo}", "get"),
        ("/api/v1/token", "post"),
        ("/api/v1/token/{id}", "delete"),
        ("/api/v1/presto/utilizzatori", "post"),
        ("/api/v1/presto/prestatori", "post"),
        ("/api/v1/presto/portafoglio", "get"),
        ("/api/v1/presto/portafoglio/pagopa", "post"),
        ("/api/v1/presto/prestazioni", "post"),
        ("/api/v1/presto/prestazioni/{id}/revoca", "post"),
        ("/api/v1/presto/prestatore", "get"),
        ("/api/v1/presto/f24", "post"),
        ("/api/v1/presto/pagamenti/{mese}", "post"),
        ("/api/v1/presto/operatore/soggetti", "get"),
        ("/api/v1/presto/operatore/{tipo}/{id}", "get"),
        ("/api/v1/presto/operatore/{tipo}/{id}", "put"),
    ] {
        assert!(doc["paths"][path][method].is_object(), "{method} {path} missing");
    }
    // Every route the router serves is described, with the answers every route may give.
    let routes = server::http::api::routes();
    for r in &routes {
        let op = &doc["paths"][format!("/api/v1{}", r.path)][r.method];
        assert!(op.is_object(), "{} {} is served but not in the document", r.method, r.path);
        for status in ["400", "401", "403", "429", "503"] {
            assert!(op["responses"][status].is_object(), "{} {}: no {status}", r.method, r.path);
        }
        assert!(
            op["responses"].as_object().is_some_and(|m| m.keys().any(|k| k.starts_with('2'))),
            "{} {}",
            r.method,
            r.path
        );
    }
    let described: usize =
        doc["paths"].as_object().expect("paths").values().map(|p| p.as_object().map_or(0, |m| m.len())).sum();
    assert_eq!(described, routes.len(), "the document describes a route the router does not serve");
    for p in server::http::api::PUBLIC {
        assert!(routes.contains(p), "public route {p:?} is not served");
    }
    let submit = &doc["paths"]["/api/v1/richieste"]["post"];
    assert!(submit["responses"]["202"].is_object());
    assert!(submit["responses"]["422"]["content"]["application/problem+json"].is_object(), "{submit}");
    assert!(submit["parameters"].to_string().contains("Idempotency-Key"));
    for schema in [
        "RequestView",
        "SubmitRequest",
        "TargetView",
        "Problem",
        "FieldError",
        "RequestPage",
        "PortafoglioView",
        "NuovaPrestazione",
        "ReportImportF24",
        "SchedaPresto",
    ] {
        assert!(doc["components"]["schemas"][schema].is_object(), "schema {schema} missing");
    }
    assert_eq!(doc["components"]["securitySchemes"]["token"]["scheme"], "bearer");
});
