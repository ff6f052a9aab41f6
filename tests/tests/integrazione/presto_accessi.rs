//! The authorization matrix of every prestazioni occasionali route: for each demo role (and no
//! session) the status the route must answer. Roles a route does not serve get 403 (401 without
//! a session); a subject outside an operator's scope is 404, like one that does not exist.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use sportello_tests::{Engine, TestApp, both, read};
use sqlx::Row;

const ROLES: [&str; 10] = [
    "datore",
    "intermediario",
    "dipendente",
    "utilizzatore",
    "prestatore",
    "operatore.sede",
    "operatore.milano",
    "operatore.regionale",
    "operatore.dg",
    "admin.idm",
];

struct Route {
    method: Method,
    path: String,
    body: Option<Value>,
    csv: bool,
    /// (role, status) for the roles the route serves; every other role: 403.
    allowed: Vec<(&'static str, u16)>,
}

fn route(method: Method, path: String, body: Option<Value>, allowed: Vec<(&'static str, u16)>) -> Route {
    Route { method, path, body, csv: false, allowed }
}

both!(presto_authorization_matrix, |engine: Engine| async move {
    let app = TestApp::spawn(engine).await;
    let rossi = app.company_id("Rossi & Figli S.r.l.").await;
    let anna: i64 = sqlx::query(
        "SELECT u.id FROM utilizzatori u JOIN users x ON x.persona_id = u.persona_id WHERE x.username = 'utilizzatore'",
    )
    .fetch_one(&app.db.read)
    .await
    .expect("anna")
    .try_get(0)
    .expect("id");
    let mut clients = vec![];
    for r in ROLES {
        clients.push((r, app.logged_in(r).await));
    }
    // Company roles reach Rossi & Figli's CPO wallet only if they may act for it today.
    let mut company = vec![];
    for (r, c) in clients.iter().take(3) {
        let (_, subjects) = app.get(c, "/api/v1/soggetti").await;
        let acts = subjects.as_array().is_some_and(|a| a.iter().any(|s| s["id"] == rossi));
        company.push((*r, acts));
    }
    assert!(
        company.iter().any(|(_, a)| *a) && company.iter().any(|(_, a)| !*a) || company.iter().all(|(_, a)| *a),
        "{company:?}"
    );
    let wallet = |ok: u16, user: u16| -> Vec<(&'static str, u16)> {
        let mut v: Vec<(&'static str, u16)> =
            company.iter().map(|(r, acts)| (*r, if *acts { ok } else { 403 })).collect();
        v.push(("utilizzatore", user));
        v
    };
    let q = format!("soggetto_id={rossi}");
    let ops =
        |s: u16, milano: u16, dg: u16| vec![("operatore.sede", s), ("operatore.milano", milano), ("operatore.dg", dg)];
    let routes = vec![
        route(Method::GET, format!("/api/v1/presto/portafoglio?{q}"), None, wallet(200, 200)),
        route(
            Method::POST,
            format!("/api/v1/presto/portafoglio/pagopa?{q}"),
            Some(json!({"importo": "abc"})),
            wallet(422, 422),
        ),
        route(
            Method::POST,
            format!("/api/v1/presto/prestazioni?{q}"),
            Some(json!({"prestatore": "", "giorno": ""})),
            wallet(422, 422),
        ),
        route(Method::POST, format!("/api/v1/presto/prestazioni/999999/revoca?{q}"), None, wallet(404, 404)),
        route(
            Method::POST,
            format!("/api/v1/presto/utilizzatori?{q}"),
            Some(json!({"strumento": "cpo"})),
            wallet(422, 422),
        ),
        route(
            Method::POST,
            "/api/v1/presto/prestatori".into(),
            Some(json!({"modalita_pagamento": "", "sede_codice": ""})),
            vec![("prestatore", 422)],
        ),
        route(Method::GET, "/api/v1/presto/prestatore".into(), None, vec![("prestatore", 200)]),
        Route { csv: true, ..route(Method::POST, "/api/v1/presto/f24".into(), None, vec![("operatore.dg", 200)]) },
        route(Method::POST, "/api/v1/presto/pagamenti/2020-01".into(), None, vec![("operatore.dg", 200)]),
        route(Method::GET, "/api/v1/presto/operatore/soggetti?q=Fe".into(), None, ops(200, 200, 200)),
        route(Method::GET, format!("/api/v1/presto/operatore/utilizzatore/{anna}"), None, ops(200, 404, 200)),
        route(
            Method::PUT,
            format!("/api/v1/presto/operatore/utilizzatore/{anna}"),
            Some(json!({"version": 0, "nota": ""})),
            ops(422, 404, 422),
        ),
    ];
    let anonymous = app.client();
    let mut wrong = vec![];
    for r in &routes {
        let send = |c: &reqwest::Client| {
            let mut rb = c.request(r.method.clone(), app.url(&r.path));
            if r.csv {
                rb = rb.header("content-type", "text/csv").body(
                    "id_riga,modello,codice_fiscale,sezione,causale,riferimento_a,riferimento_b,importo_centesimi,data_versamento\n",
                );
            } else if let Some(b) = &r.body {
                rb = rb.json(b);
            }
            rb.send()
        };
        let (s, _) = read(send(&anonymous).await.expect("send")).await;
        if s != StatusCode::UNAUTHORIZED {
            wrong.push(format!("{} {} anonimo: {s}", r.method, r.path));
        }
        for (role, c) in &clients {
            let want = r.allowed.iter().find(|(a, _)| a == role).map_or(403, |(_, s)| *s);
            let (s, v) = read(send(c).await.expect("send")).await;
            if s.as_u16() != want {
                wrong.push(format!("{} {} {role}: atteso {want}, ottenuto {s} {v}", r.method, r.path));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
});
