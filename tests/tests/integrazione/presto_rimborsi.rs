//! Refunds and transfers on both engines: never above the balance (even when asked twice at
//! once), decided once by the user's sede, refused money returns, a payment moves to the other
//! instrument once.

use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use sportello_tests::fixtures;
use sportello_tests::{Engine, TestApp, both, read};

const IBAN: &str = "IT60X0542811101000000123456";

fn codes(v: &Value) -> Vec<String> {
    v["errors"]
        .as_array()
        .map(|a| a.iter().map(|e| e["code"].as_str().unwrap_or("").to_string()).collect())
        .unwrap_or_default()
}

async fn saldo(app: &TestApp, c: &Client, strumento: &str) -> i64 {
    let (s, v) = app.get(c, &format!("/api/v1/presto/portafoglio?strumento={strumento}")).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    v["saldo"].as_i64().expect("saldo")
}

/// A person using both instruments (`rimb.<cognome>`), with 100 € in the CPO wallet.
async fn persona_con_due_strumenti(app: &TestApp, cognome: &str) -> Client {
    let p = fixtures::persona(app, "Rita", cognome).await;
    let c = fixtures::utente(app, &format!("rimb.{}", cognome.to_lowercase()), "utilizzatore", Some(&p)).await;
    for body in [
        json!({"strumento": "cpo", "categoria": "generale", "ateco": "69.20", "dipendenti": "1", "sede_codice": "1300"}),
        json!({"strumento": "lf", "sede_codice": "1300"}),
    ] {
        let (s, v) = app.post(&c, "/api/v1/presto/utilizzatori", body).await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
    }
    let (s, v) = app.post(&c, "/api/v1/presto/portafoglio/pagopa?strumento=cpo", json!({"importo": "100,00"})).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    c
}

fn rimborso(importo: &str) -> Value {
    json!({"tipo": "rimborso", "importo": importo, "iban": IBAN, "iban_intestato": true, "motivo": "Non userò più il servizio"})
}

both!(refunds_never_exceed_the_balance_and_are_decided_once, |engine: Engine| async move {
    let app = TestApp::spawn(engine).await;
    let c = persona_con_due_strumenti(&app, "Rimborsata").await;
    let ask = |body: Value| {
        let (c, url) = (c.clone(), app.url("/api/v1/presto/rimborsi?strumento=cpo"));
        async move { read(c.post(url).json(&body).send().await.expect("post")).await }
    };
    let (s, v) = ask(rimborso("150,00")).await;
    assert_eq!((s, codes(&v)), (StatusCode::UNPROCESSABLE_ENTITY, vec!["PO.RIMB.SALDO".to_string()]), "{v}");
    assert!(v.to_string().contains("100,00"), "says how much is available: {v}");
    let (s, v) = ask(json!({"tipo": "rimborso", "importo": "10,00", "iban": "IT00X", "motivo": "x"})).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    let fields: Vec<&str> =
        v["errors"].as_array().expect("e").iter().map(|e| e["field"].as_str().unwrap_or("")).collect();
    assert_eq!(fields, vec!["motivo", "iban", "iban_intestato"]);
    assert_eq!(saldo(&app, &c, "cpo").await, 10_000, "nothing reserved by a refusal");
    // Two refunds of 60 € at once on 100 €: one is taken, the other refused.
    let (a, b) = tokio::join!(ask(rimborso("60,00")), ask(rimborso("60,00")));
    let mut st = vec![a.0, b.0];
    st.sort();
    assert_eq!(st, vec![StatusCode::CREATED, StatusCode::UNPROCESSABLE_ENTITY], "{a:?} {b:?}");
    assert_eq!(saldo(&app, &c, "cpo").await, 4_000, "reserved at once");
    let (s, r2) = ask(rimborso("40,00")).await;
    assert_eq!(s, StatusCode::CREATED, "{r2}");
    assert_eq!(saldo(&app, &c, "cpo").await, 0, "the wallet reaches zero, never below");
    // The sede decides: approve the first (paid out), refuse the second (the money returns).
    let first = if a.0 == StatusCode::CREATED { a.1 } else { b.1 };
    let op = app.logged_in("operatore.sede").await;
    let decide = |c: &Client, id: &Value, esito: &str, nota: &str| {
        let (c, url) = (c.clone(), app.url(&format!("/api/v1/presto/operatore/rimborsi/{id}/decisione")));
        let body = json!({"esito": esito, "nota": nota});
        async move { read(c.post(url).json(&body).send().await.expect("post")).await }
    };
    let (s, _) = decide(&c, &first["id"], "approva", "").await;
    assert_eq!(s, StatusCode::FORBIDDEN, "a user does not decide");
    let (s, v) = decide(&app.logged_in("operatore.milano").await, &first["id"], "approva", "").await;
    assert_eq!(s, StatusCode::NOT_FOUND, "{v}");
    assert!(!v.to_string().contains("Rimborsata"), "{v}");
    let (s, v) = decide(&op, &first["id"], "approva", "").await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["stato"], "approvato");
    let (s, _) = decide(&op, &first["id"], "rifiuta", "Ci ho ripensato").await;
    assert_eq!(s, StatusCode::CONFLICT, "decided once");
    let (s, v) = decide(&op, &r2["id"], "rifiuta", "").await;
    assert_eq!((s, codes(&v)), (StatusCode::UNPROCESSABLE_ENTITY, vec!["required".to_string()]), "{v}");
    let (s, _) = decide(&op, &r2["id"], "rifiuta", "IBAN intestato a un'altra persona").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(saldo(&app, &c, "cpo").await, 4_000, "the refused amount is back");
    let (_, mine) = app.get(&c, "/api/v1/presto/rimborsi?strumento=cpo").await;
    let stati: Vec<&str> = mine.as_array().expect("list").iter().map(|r| r["stato"].as_str().unwrap_or("")).collect();
    assert_eq!(stati, vec!["rifiutato", "approvato"], "{mine}");
});

both!(a_payment_under_the_wrong_instrument_moves_once, |engine: Engine| async move {
    let app = TestApp::spawn(engine).await;
    let c = persona_con_due_strumenti(&app, "Trasferita").await;
    let (_, w) = app.get(&c, "/api/v1/presto/portafoglio?strumento=cpo").await;
    let versamento = w["versamenti"][0]["id"].clone();
    let ask = || {
        let (c, url) = (c.clone(), app.url("/api/v1/presto/rimborsi?strumento=cpo"));
        let body =
            json!({"tipo": "trasferimento", "versamento_id": versamento, "motivo": "Era per il Libretto Famiglia"});
        async move { read(c.post(url).json(&body).send().await.expect("post")).await }
    };
    // An identifier written as 12.0 is the integer 12 (as everywhere in the API).
    let as_float =
        json!({"tipo": "trasferimento", "versamento_id": versamento.as_i64().map(|v| v as f64), "motivo": "x"});
    let (s, v) = app.post(&c, "/api/v1/presto/rimborsi?strumento=cpo", as_float).await;
    assert_eq!((s, v["errors"][0]["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("motivo")), "{v}");
    let (s, t) = ask().await;
    assert_eq!(s, StatusCode::CREATED, "{t}");
    assert_eq!(t["destinazione"], "Libretto Famiglia");
    let (s, v) = ask().await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "the money is already reserved: {v}");
    let op = app.logged_in("operatore.sede").await;
    let (s, v) = app
        .post(
            &op,
            &format!("/api/v1/presto/operatore/rimborsi/{}/decisione", t["id"]),
            json!({"esito": "approva", "nota": ""}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!((saldo(&app, &c, "cpo").await, saldo(&app, &c, "lf").await), (0, 10_000));
    let (_, lf) = app.get(&c, "/api/v1/presto/portafoglio?strumento=lf").await;
    assert!(lf["versamenti"].as_array().expect("v").iter().any(|v| v["canale"] == "trasferimento"), "{lf}");
    // Funded again, the same payment cannot move a second time.
    let (s, _) = app.post(&c, "/api/v1/presto/portafoglio/pagopa?strumento=cpo", json!({"importo": "100,00"})).await;
    assert_eq!(s, StatusCode::CREATED);
    let (s, v) = ask().await;
    assert_eq!(s, StatusCode::CONFLICT, "{v}");
    // A company has no Libretto Famiglia to move money to.
    let mario = app.logged_in("datore").await;
    let rossi = app.company_id("Rossi & Figli S.r.l.").await;
    let (s, v) = app
        .post(
            &mario,
            &format!("/api/v1/presto/rimborsi?soggetto_id={rossi}"),
            json!({"tipo": "trasferimento", "versamento_id": 1, "motivo": "Prova di trasferimento"}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert!(codes(&v).contains(&"senza_destinazione".to_string()), "{v}");
});
