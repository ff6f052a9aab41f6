//! The authorization matrix of the whole API, generated from the router's own list of routes
//! (`server::http::api::routes()`): every route is called as every demo role and without a
//! session, on own, foreign and nonexistent subjects and requests, and must answer exactly the
//! status written here. A route the router serves with no line here fails the test, and so does
//! a line for a route it does not serve.
//!
//! Conventions: no session → 401; a role the route does not serve → 403; a subject the caller
//! may not act for → 403 with the same words as one that does not exist (a lapsed delega may
//! say so); a request or record the caller may not see → 404, as if it did not exist.

use reqwest::{Client, Method, StatusCode};
use serde_json::{Value, json};
use sportello_tests::st::{decided, submit};
use sportello_tests::{Engine, TestApp, both, read};
use sqlx::Row;
use std::collections::BTreeSet;

const ANON: &str = "anonimo";
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
const NONE: i64 = 987_654_321;

enum Body {
    None,
    Json(Value),
    Csv(&'static str),
}

struct Case {
    route: (&'static str, &'static str),
    path: String,
    body: Body,
    /// Status for the roles named; `other` for every other logged-in role; 401 without a session
    /// unless `anon` says otherwise.
    allowed: Vec<(&'static str, u16)>,
    other: u16,
    anon: u16,
}

impl Case {
    fn want(&self, role: &str) -> u16 {
        if role == ANON {
            return self.anon;
        }
        self.allowed.iter().find(|(r, _)| *r == role).map_or(self.other, |(_, s)| *s)
    }
}

fn case(route: (&'static str, &'static str), path: String, body: Body, allowed: &[(&'static str, u16)]) -> Case {
    Case { route, path, body, allowed: allowed.to_vec(), other: 403, anon: 401 }
}

fn every(route: (&'static str, &'static str), path: String, body: Body, status: u16) -> Case {
    Case { route, path, body, allowed: vec![], other: status, anon: 401 }
}

fn public(route: (&'static str, &'static str), path: String, body: Body, status: u16) -> Case {
    Case { route, path, body, allowed: vec![], other: status, anon: status }
}

fn method(m: &str) -> Method {
    Method::from_bytes(m.to_uppercase().as_bytes()).expect("method")
}

async fn send(app: &TestApp, c: &Client, k: &Case) -> (StatusCode, Value) {
    let mut rb = c.request(method(k.route.0), app.url(&format!("/api/v1{}", k.path)));
    match &k.body {
        Body::None => {}
        Body::Json(v) => rb = rb.json(v),
        Body::Csv(t) => rb = rb.header("content-type", "text/csv").body(*t),
    }
    read(rb.send().await.expect("send")).await
}

async fn id(app: &TestApp, sql: &str) -> i64 {
    sqlx::query(sql).fetch_one(&app.db.read).await.expect("id").try_get(0).expect("id")
}

both!(every_route_as_every_role, |engine: Engine| async move {
    let app = TestApp::spawn(engine).await;
    let mut clients: Vec<(&str, Client)> = vec![(ANON, app.client())];
    for r in ROLES {
        clients.push((r, app.logged_in(r).await));
    }
    let datore = clients[1].1.clone();
    let rossi = app.company_id("Rossi & Figli S.r.l.").await;
    let gallo = app.company_id("Gallo Trasporti S.r.l.").await;
    let assoc = app.company_id("Associazione Sportiva Tuscolana").await;
    // Giulia's delega on Verdi has expired.
    let verdi = id(&app, "SELECT contribuente_id FROM deleghe g JOIN users u ON u.persona_id = g.delegato_persona_id WHERE u.username = 'intermediario' AND g.data_fine < '2026-12-04' ORDER BY g.id").await;
    // Rossi's requests: a Smart-Task one and a two-way one with an attachment.
    let st_body = json!({ "tipo": "revoca_delega_intermediario", "soggetto_id": rossi, "oggetto": NONE.to_string(), "risposte": { "data_effetto": "01/01/2020" } });
    let (s, v) = submit(&app, &datore, st_body, None).await;
    assert_eq!(s, StatusCode::ACCEPTED, "{v}");
    let st = v["protocollo"].as_str().expect("p").to_string();
    // Its replay and its branch steps are allowed only once it is decided: waited for, not
    // assumed (on PostgreSQL the worker once had not decided it when the matrix reached it).
    decided(&app, &datore, &st).await;
    let cb_body = json!({ "soggetto_id": rossi, "oggetto": "f24/attribuzione", "email": "amministrazione@rossifigli.example.it",
        "testo": "Il versamento del 16/03 è stato attribuito al mese sbagliato: allego la quietanza.",
        "allegati": [{ "nome": "q.pdf", "contenuto_base64": "JVBERi0xLjQKJSVFT0YK" }] });
    let (s, v) = app.post(&datore, "/api/v1/comunicazioni", cb_body).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let cb = v["protocollo"].as_str().expect("p").to_string();
    let att = v["allegati"][0]["id"].as_i64().expect("allegato");
    let (s, v) = app.post(&datore, "/api/v1/token", json!({ "nome": "matrice" })).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let token = v["dettagli"]["id"].as_i64().expect("token");
    let anna = id(
        &app,
        "SELECT u.id FROM utilizzatori u JOIN users x ON x.persona_id = u.persona_id WHERE x.username = 'utilizzatore'",
    )
    .await;
    let operatore = id(&app, "SELECT id FROM users WHERE username = 'operatore.milano'").await;
    let rossi_cpo = id(&app, &format!("SELECT id FROM utilizzatori WHERE contribuente_id = {rossi}")).await;
    // Anna's (Libretto Famiglia, Roma) support request to her sede.
    let (s, v) = app
        .post(
            &clients[4].1,
            "/api/v1/comunicazioni",
            json!({ "oggetto": "presto/portafoglio", "testo": "Il saldo del portafoglio non torna.", "email": "anna@example.it" }),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let cb_anna = v["protocollo"].as_str().expect("p").to_string();

    // Who acts for Rossi & Figli (Lazio): its employer, its intermediary and its delegated
    // employee; who sees it in the Fascicolo: the operators of Lazio and DG.
    let own = |ok: u16| vec![("datore", ok), ("intermediario", ok), ("dipendente", ok)];
    let rossi_ops = |ok: u16| {
        vec![("operatore.sede", ok), ("operatore.regionale", ok), ("operatore.dg", ok), ("operatore.milano", 404)]
    };
    let mut m: Vec<Case> = vec![];
    let q = |id: i64| format!("soggetto_id={id}");

    // Public.
    m.push(public(("get", "/openapi.json"), "/openapi.json".into(), Body::None, 200));
    m.push(public(("post", "/sessione"), "/sessione".into(), Body::Json(json!({})), 400));
    m.push(public(
        ("post", "/identificativi/verifica"),
        "/identificativi/verifica".into(),
        Body::Json(json!({ "tipo": "iban", "valore": "x" })),
        422,
    ));
    // Session and home.
    m.push(every(("get", "/sessione"), "/sessione".into(), Body::None, 200));
    m.push(every(("get", "/home"), "/home".into(), Body::None, 200));
    // Subjects: own; the intermediary's (another's for the others); a lapsed delega; none.
    let giulia = |ok: u16| vec![("intermediario", ok)];
    for (sid, ok) in [(rossi, own(200)), (gallo, giulia(200)), (verdi, vec![]), (NONE, vec![])] {
        m.push(case(
            ("put", "/sessione/soggetto"),
            "/sessione/soggetto".into(),
            Body::Json(json!({ "subject_id": sid })),
            &ok,
        ));
        m.push(case(("get", "/soggetti/{id}"), format!("/soggetti/{sid}"), Body::None, &ok));
    }
    m.push(case(("get", "/soggetti"), "/soggetti".into(), Body::None, &own(200)));
    // Tokens: everyone's own.
    m.push(every(("get", "/token"), "/token".into(), Body::None, 200));
    m.push(case(("post", "/token"), "/token".into(), Body::Json(json!({ "nome": "" })), &own(422)));
    m.push(every(("delete", "/token/{id}"), format!("/token/{NONE}"), Body::None, 404));
    m.push(Case {
        allowed: vec![("datore", 200)],
        ..every(("delete", "/token/{id}"), format!("/token/{token}"), Body::None, 404)
    });
    // Smart-Task.
    m.push(case(("get", "/smart-task/tipi"), "/smart-task/tipi".into(), Body::None, &own(200)));
    let targets = "/smart-task/tipi/revoca_delega_intermediario/oggetti";
    m.push(case(("get", "/smart-task/tipi/{tipo}/oggetti"), format!("{targets}?{}", q(rossi)), Body::None, &own(200)));
    m.push(case(
        ("get", "/smart-task/tipi/{tipo}/oggetti"),
        format!("{targets}?{}", q(assoc)),
        Body::None,
        &giulia(200),
    ));
    m.push(case(("get", "/smart-task/tipi/{tipo}/oggetti"), format!("{targets}?{}", q(NONE)), Body::None, &[]));
    let bad = json!({ "tipo": "revoca_delega_intermediario", "soggetto_id": rossi, "oggetto": "", "risposte": {} });
    m.push(case(("post", "/richieste"), "/richieste".into(), Body::Json(bad), &own(422)));
    let foreign = json!({ "tipo": "revoca_delega_intermediario", "soggetto_id": assoc, "oggetto": "", "risposte": {} });
    m.push(case(("post", "/richieste"), "/richieste".into(), Body::Json(foreign), &giulia(422)));
    // What every request shares.
    m.push(case(("get", "/richieste"), format!("/richieste?{}", q(rossi)), Body::None, &own(200)));
    m.push(case(("get", "/richieste"), format!("/richieste?{}", q(assoc)), Body::None, &giulia(200)));
    m.push(case(("get", "/richieste"), format!("/richieste?{}", q(NONE)), Body::None, &[]));
    // Prestazioni occasionali users (persons) read their own requests: another's is "not found".
    let persons = |s: u16| vec![("utilizzatore", s), ("prestatore", s)];
    for (p, ok) in [(st.clone(), own(200)), ("ST-2026-99999999".to_string(), [own(404), persons(404)].concat())] {
        m.push(case(("get", "/richieste/{protocollo}"), format!("/richieste/{p}"), Body::None, &ok));
        m.push(case(
            ("get", "/richieste/{protocollo}/ricevuta.pdf"),
            format!("/richieste/{p}/ricevuta.pdf"),
            Body::None,
            &ok,
        ));
    }
    let anna_only = [own(404), vec![("utilizzatore", 200), ("prestatore", 404)]].concat();
    m.push(case(("get", "/richieste/{protocollo}"), format!("/richieste/{cb_anna}"), Body::None, &anna_only));
    m.push(case(
        ("get", "/richieste/{protocollo}/ricevuta.pdf"),
        format!("/richieste/{cb_anna}/ricevuta.pdf"),
        Body::None,
        &anna_only,
    ));
    m.push(case(
        ("post", "/richieste/{protocollo}/messaggi"),
        format!("/richieste/{cb_anna}/messaggi"),
        Body::Json(json!({ "testo": "" })),
        &[own(404), vec![("utilizzatore", 422), ("prestatore", 404)]].concat(),
    ));
    // Without a subject: a person's own; a company role's, the one its session acts for (chosen
    // above).
    m.push(case(("get", "/richieste"), "/richieste".into(), Body::None, &[own(200), persons(200)].concat()));
    m.push(case(("get", "/notifiche"), "/notifiche".into(), Body::None, &[own(200), persons(200)].concat()));
    m.push(case(
        ("post", "/comunicazioni"),
        "/comunicazioni".into(),
        Body::Json(json!({ "oggetto": "", "testo": "" })),
        &[own(422), persons(422)].concat(),
    ));
    m.push(case(("get", "/notifiche"), format!("/notifiche?{}", q(rossi)), Body::None, &own(200)));
    m.push(case(("post", "/notifiche/lette"), format!("/notifiche/lette?{}", q(rossi)), Body::None, &own(200)));
    m.push(case(("get", "/posta"), format!("/posta?{}", q(rossi)), Body::None, &own(200)));
    // Two-way requests.
    m.push(case(
        ("post", "/comunicazioni"),
        "/comunicazioni".into(),
        Body::Json(json!({ "soggetto_id": rossi, "oggetto": "", "testo": "" })),
        &own(422),
    ));
    m.push(case(
        ("post", "/richieste/{protocollo}/messaggi"),
        format!("/richieste/{cb}/messaggi"),
        Body::Json(json!({ "testo": "" })),
        &own(422),
    ));
    // Attachments: the request's side and the operators who see the request.
    let both_sides = |ok: u16| [own(ok), rossi_ops(ok)].concat();
    m.push(case(
        ("get", "/richieste/{protocollo}/allegati/{id}"),
        format!("/richieste/{cb}/allegati/{att}"),
        Body::None,
        &both_sides(200),
    ));
    m.push(case(
        ("get", "/richieste/{protocollo}/allegati/{id}"),
        format!("/richieste/{cb}/allegati/{NONE}"),
        Body::None,
        &[
            own(404),
            vec![
                ("operatore.sede", 404),
                ("operatore.regionale", 404),
                ("operatore.dg", 404),
                ("operatore.milano", 404),
            ],
        ]
        .concat(),
    ));
    // The operators' Fascicolo and queue.
    let ops =
        |s: u16| vec![("operatore.sede", s), ("operatore.milano", s), ("operatore.regionale", s), ("operatore.dg", s)];
    m.push(case(("get", "/fascicolo"), "/fascicolo?q=Rossi".into(), Body::None, &ops(200)));
    m.push(case(("get", "/fascicolo/{id}"), format!("/fascicolo/{rossi}"), Body::None, &rossi_ops(200)));
    m.push(case(("get", "/fascicolo/{id}"), format!("/fascicolo/{NONE}"), Body::None, &ops(404)));
    for (p, ok) in [(st.clone(), 200), ("ST-2026-99999999".to_string(), 404)] {
        let base = format!("/fascicolo/richieste/{p}");
        let mut okk = rossi_ops(ok);
        okk.iter_mut().for_each(|(_, s)| *s = if ok == 404 { 404 } else { *s });
        m.push(case(("get", "/fascicolo/richieste/{protocollo}"), base.clone(), Body::None, &okk));
        m.push(case(("post", "/fascicolo/richieste/{protocollo}/replay"), format!("{base}/replay"), Body::None, &okk));
    }
    // Anna's support request: the operators of her sede's region (Lazio) and DG.
    m.push(case(
        ("get", "/fascicolo/richieste/{protocollo}"),
        format!("/fascicolo/richieste/{cb_anna}"),
        Body::None,
        &rossi_ops(200),
    ));
    m.push(case(
        ("post", "/fascicolo/richieste/{protocollo}/azioni"),
        format!("/fascicolo/richieste/{cb_anna}/azioni"),
        Body::Json(json!({ "azione": "nota", "testo": "", "interna": true })),
        &rossi_ops(422),
    ));
    // Branch steps on the open two-way request (the Smart-Task one is already decided).
    for (p, ok) in [(cb.clone(), 422), ("CB-2026-99999999".to_string(), 404)] {
        let act: Vec<(&str, u16)> =
            rossi_ops(ok).into_iter().map(|(r, s)| (r, if r == "operatore.milano" { 404 } else { s })).collect();
        m.push(case(
            ("post", "/fascicolo/richieste/{protocollo}/azioni"),
            format!("/fascicolo/richieste/{p}/azioni"),
            Body::Json(json!({ "azione": "nota", "testo": "", "interna": true })),
            &act,
        ));
    }
    m.push(case(("get", "/coda"), "/coda".into(), Body::None, &ops(200)));
    // The profiles administrator.
    m.push(case(("get", "/operatori"), "/operatori".into(), Body::None, &[("admin.idm", 200)]));
    // The kinds' activation: the head office only (a refused body changes nothing).
    m.push(case(
        ("get", "/smart-task/attivazioni"),
        "/smart-task/attivazioni".into(),
        Body::None,
        &[("admin.idm", 200)],
    ));
    m.push(case(
        ("put", "/smart-task/attivazioni/{tipo}"),
        "/smart-task/attivazioni/revoca_delega_intermediario".into(),
        Body::Json(json!({ "attivo_dal": "", "nota": "", "version": 1 })),
        &[("admin.idm", 422)],
    ));
    // "What if": the head office's operators only; nothing changes.
    m.push(case(
        ("get", "/smart-task/parametri"),
        "/smart-task/parametri".into(),
        Body::None,
        &[("operatore.dg", 200)],
    ));
    let simulazione = "tipo=fondo_tesoreria&dal=01/01/2026&al=31/12/2026&parametro=ST.TESORERIA.SOGLIA_DIPENDENTI&valore=55&valido_dal=01/01/2026";
    m.push(case(
        ("post", "/smart-task/simulazioni"),
        "/smart-task/simulazioni".into(),
        Body::Json(json!({ "tipo": "fondo_tesoreria", "dal": "01/01/2026", "al": "31/12/2026",
            "parametro": "ST.TESORERIA.SOGLIA_DIPENDENTI", "valore": "55", "valido_dal": "01/01/2026" })),
        &[("operatore.dg", 200)],
    ));
    m.push(case(
        ("get", "/smart-task/simulazioni/export"),
        format!("/smart-task/simulazioni/export?{simulazione}&formato=csv"),
        Body::None,
        &[("operatore.dg", 200)],
    ));
    m.push(case(
        ("put", "/smart-task/attivazioni/{tipo}"),
        "/smart-task/attivazioni/inventato".into(),
        Body::Json(json!({ "nota": "Prova di un tipo", "version": 0 })),
        &[("admin.idm", 404)],
    ));
    let assign = json!({ "role": "operatore_sede", "sede_codice": "4900", "regione": "Lombardia", "note": "", "expected_version": 0 });
    m.push(case(
        ("put", "/operatori/{id}"),
        format!("/operatori/{operatore}"),
        Body::Json(assign.clone()),
        &[("admin.idm", 422)],
    ));
    let mut valid = assign.clone();
    valid["note"] = json!("Trasferimento alla sede di Milano");
    m.push(case(("put", "/operatori/{id}"), format!("/operatori/{NONE}"), Body::Json(valid), &[("admin.idm", 404)]));
    // The list of INPS branches is public knowledge, for every signed-in user (registration forms).
    m.push(every(("get", "/sedi"), "/sedi".into(), Body::None, 200));
    m.push(case(("get", "/audit"), "/audit?limit=5".into(), Body::None, &[("admin.idm", 200)]));
    // Prestazioni occasionali: the wallet of Rossi's CPO (company roles that act for it) or the
    // user's own Libretto; the prestatore's page; DG's flows; the operators' registry.
    let wallet = |ok: u16| vec![("datore", ok), ("intermediario", ok), ("dipendente", ok), ("utilizzatore", ok)];
    m.push(case(("get", "/presto/portafoglio"), format!("/presto/portafoglio?{}", q(rossi)), Body::None, &wallet(200)));
    m.push(case(
        ("post", "/presto/portafoglio/pagopa"),
        format!("/presto/portafoglio/pagopa?{}", q(rossi)),
        Body::Json(json!({ "importo": "abc" })),
        &wallet(422),
    ));
    m.push(case(
        ("post", "/presto/prestazioni"),
        format!("/presto/prestazioni?{}", q(rossi)),
        Body::Json(json!({ "prestatore": "", "giorno": "" })),
        &wallet(422),
    ));
    m.push(case(
        ("post", "/presto/prestazioni/{id}/revoca"),
        format!("/presto/prestazioni/{NONE}/revoca?{}", q(rossi)),
        Body::None,
        &wallet(404),
    ));
    m.push(case(
        ("post", "/presto/utilizzatori"),
        format!("/presto/utilizzatori?{}", q(rossi)),
        Body::Json(json!({ "strumento": "cpo" })),
        &wallet(422),
    ));
    m.push(case(
        ("post", "/presto/prestatori"),
        "/presto/prestatori".into(),
        Body::Json(json!({ "modalita_pagamento": "", "sede_codice": "" })),
        &[("prestatore", 422)],
    ));
    m.push(case(("get", "/presto/prestatore"), "/presto/prestatore".into(), Body::None, &[("prestatore", 200)]));
    let header = "id_riga,modello,codice_fiscale,sezione,causale,riferimento_a,riferimento_b,importo_centesimi,data_versamento\n";
    m.push(case(("post", "/presto/f24"), "/presto/f24".into(), Body::Csv(header), &[("operatore.dg", 200)]));
    m.push(case(
        ("post", "/presto/pagamenti/{mese}"),
        "/presto/pagamenti/2020-01".into(),
        Body::None,
        &[("operatore.dg", 200)],
    ));
    let pops = |s: u16, milano: u16| vec![("operatore.sede", s), ("operatore.milano", milano), ("operatore.dg", s)];
    m.push(case(
        ("get", "/presto/operatore/soggetti"),
        "/presto/operatore/soggetti?q=Fe".into(),
        Body::None,
        &pops(200, 200),
    ));
    m.push(case(
        ("get", "/presto/operatore/{tipo}/{id}"),
        format!("/presto/operatore/utilizzatore/{anna}"),
        Body::None,
        &pops(200, 404),
    ));
    m.push(case(
        ("get", "/presto/operatore/{tipo}/{id}"),
        format!("/presto/operatore/utilizzatore/{NONE}"),
        Body::None,
        &pops(404, 404),
    ));
    m.push(case(
        ("put", "/presto/operatore/{tipo}/{id}"),
        format!("/presto/operatore/utilizzatore/{anna}"),
        Body::Json(json!({ "version": 0, "nota": "" })),
        &pops(422, 404),
    ));
    // The branch tools: matching (DG undoes), category changes (DG decides).
    m.push(case(
        ("get", "/presto/operatore/versamenti"),
        "/presto/operatore/versamenti".into(),
        Body::None,
        &pops(200, 200),
    ));
    m.push(case(
        ("post", "/presto/operatore/versamenti/{id}/abbinamento"),
        format!("/presto/operatore/versamenti/{NONE}/abbinamento"),
        Body::Json(json!({ "utilizzatore_id": rossi_cpo, "nota": "" })),
        &pops(422, 422),
    ));
    m.push(case(
        ("post", "/presto/operatore/versamenti/{id}/annullamento"),
        format!("/presto/operatore/versamenti/{NONE}/annullamento"),
        Body::Json(json!({ "nota": "" })),
        &[("operatore.dg", 422)],
    ));
    m.push(case(
        ("get", "/presto/operatore/utilizzatore/{id}/categoria"),
        format!("/presto/operatore/utilizzatore/{rossi_cpo}/categoria"),
        Body::None,
        &pops(200, 404),
    ));
    m.push(case(
        ("get", "/presto/operatore/utilizzatore/{id}/categoria"),
        format!("/presto/operatore/utilizzatore/{anna}/categoria"),
        Body::None,
        &pops(409, 404),
    ));
    let no_cat = json!({ "categoria": "", "nota": "", "version": 0 });
    m.push(case(
        ("put", "/presto/operatore/utilizzatore/{id}/categoria"),
        format!("/presto/operatore/utilizzatore/{rossi_cpo}/categoria"),
        Body::Json(no_cat.clone()),
        &pops(422, 404),
    ));
    m.push(case(
        ("post", "/presto/operatore/utilizzatore/{id}/categoria/inoltro"),
        format!("/presto/operatore/utilizzatore/{rossi_cpo}/categoria/inoltro"),
        Body::Json(no_cat),
        &[("operatore.sede", 422), ("operatore.milano", 404), ("operatore.dg", 403)],
    ));
    m.push(case(
        ("get", "/presto/operatore/categorie"),
        "/presto/operatore/categorie".into(),
        Body::None,
        &pops(200, 200),
    ));
    m.push(case(
        ("post", "/presto/operatore/categorie/{id}/decisione"),
        format!("/presto/operatore/categorie/{NONE}/decisione"),
        Body::Json(json!({ "esito": "", "nota": "" })),
        &[("operatore.dg", 422)],
    ));
    m.push(case(
        ("get", "/presto/operatore/deleghe"),
        "/presto/operatore/deleghe?delegato=X&delegante=Y&ruolo=Z".into(),
        Body::None,
        &pops(422, 422),
    ));
    // Lists, samples, exports: the portal's operators, each in its own scope.
    m.push(case(
        ("get", "/presto/operatore/elenchi"),
        "/presto/operatore/elenchi?dal=01/01/2026&al=31/12/2026".into(),
        Body::None,
        &pops(200, 200),
    ));
    m.push(case(
        ("get", "/presto/operatore/elenchi/export"),
        "/presto/operatore/elenchi/export?dal=01/01/2026&al=31/12/2026&formato=csv".into(),
        Body::None,
        &pops(200, 200),
    ));
    m.push(case(
        ("get", "/presto/operatore/campioni"),
        "/presto/operatore/campioni".into(),
        Body::None,
        &pops(200, 200),
    ));
    m.push(case(
        ("post", "/presto/operatore/campioni"),
        "/presto/operatore/campioni".into(),
        Body::Json(json!({ "nome": "", "elenco": { "dal": "01/01/2026", "al": "31/12/2026" } })),
        &pops(422, 422),
    ));
    m.push(case(
        ("get", "/presto/operatore/campioni/{id}"),
        format!("/presto/operatore/campioni/{NONE}"),
        Body::None,
        &pops(404, 404),
    ));
    m.push(case(
        ("put", "/presto/operatore/campioni/{id}/righe/{riga}"),
        format!("/presto/operatore/campioni/{NONE}/righe/{NONE}"),
        Body::Json(json!({ "esito": "", "nota": "", "version": 1 })),
        &pops(404, 404),
    ));
    m.push(case(
        ("get", "/presto/operatore/campioni/{id}/export"),
        format!("/presto/operatore/campioni/{NONE}/export"),
        Body::None,
        &pops(404, 404),
    ));
    // Refunds and transfers: the wallet's holders ask, the sede decides.
    m.push(case(("get", "/presto/rimborsi"), format!("/presto/rimborsi?{}", q(rossi)), Body::None, &wallet(200)));
    m.push(case(
        ("post", "/presto/rimborsi"),
        format!("/presto/rimborsi?{}", q(rossi)),
        Body::Json(json!({ "tipo": "" })),
        &wallet(422),
    ));
    m.push(case(
        ("get", "/presto/operatore/rimborsi"),
        "/presto/operatore/rimborsi".into(),
        Body::None,
        &pops(200, 200),
    ));
    m.push(case(
        ("post", "/presto/operatore/rimborsi/{id}/decisione"),
        format!("/presto/operatore/rimborsi/{NONE}/decisione"),
        Body::Json(json!({ "esito": "", "nota": "" })),
        &pops(404, 404),
    ));
    // Last: closing the session.
    m.push(public(("delete", "/sessione"), "/sessione".into(), Body::None, 204));

    // The matrix covers exactly the router's routes.
    let served: BTreeSet<(&str, &str)> = server::http::api::routes().iter().map(|r| (r.method, r.path)).collect();
    let covered: BTreeSet<(&str, &str)> = m.iter().map(|k| k.route).collect();
    let missing: Vec<_> = served.difference(&covered).collect();
    let unknown: Vec<_> = covered.difference(&served).collect();
    assert!(missing.is_empty(), "routes served with no line in the matrix: {missing:?}");
    assert!(unknown.is_empty(), "matrix lines for routes the router does not serve: {unknown:?}");

    let mut wrong = vec![];
    for k in &m {
        for (role, c) in &clients {
            let want = k.want(role);
            let (s, v) = send(&app, c, k).await;
            if s.as_u16() != want {
                wrong.push(format!(
                    "{} {} {role}: atteso {want}, ottenuto {s} {}",
                    k.route.0,
                    k.path,
                    v.to_string().chars().take(160).collect::<String>()
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "{} wrong:\n{}", wrong.len(), wrong.join("\n"));
});
