//! Support requests of prestazioni occasionali users, on both engines: a Libretto Famiglia user
//! (a person, not a company) writes to the sede of its registration with the Cassetto's two-way
//! requests; the sede answers from its queue with the user's records one click away; only the
//! person reads its requests and notifications.

use reqwest::StatusCode;
use serde_json::json;
use sportello_tests::{Engine, TestApp, both};
use sqlx::Row;

async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query(sql).fetch_one(&app.db.read).await.expect("count").try_get(0).expect("count")
}

fn domanda(oggetto: &str) -> serde_json::Value {
    json!({
        "oggetto": oggetto,
        "testo": "Ho pagato con F24 il 02/12 ma il portafoglio non mostra il versamento di 50 euro.",
        "email": "anna.ferrari@example.it",
    })
}

both!(a_person_writes_to_its_sede_and_the_sede_answers, |engine: Engine| async move {
    let app = TestApp::spawn(engine).await;
    let anna = app.logged_in("utilizzatore").await;
    let persona = count(&app, "SELECT persona_id FROM users WHERE username = 'utilizzatore'").await;
    // Anna's address, so the notifications also go out by e-mail.
    sqlx::query("UPDATE persone SET email = 'anna.ferrari@example.it' WHERE id = $1")
        .bind(persona)
        .execute(&app.db.write)
        .await
        .expect("email");

    // Only the prestazioni occasionali objects; no company can be named.
    let (s, v) = app.post(&anna, "/api/v1/comunicazioni", domanda("dm/variazione")).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert_eq!(v["errors"][0]["field"], "oggetto");
    let rossi = app.company_id("Rossi & Figli S.r.l.").await;
    let mut altrui = domanda("presto/f24");
    altrui["soggetto_id"] = json!(rossi);
    let (s, v) = app.post(&anna, "/api/v1/comunicazioni", altrui).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{v}");
    assert!(!v.to_string().contains("Rossi"), "{v}");

    let (s, v) = app.post(&anna, "/api/v1/comunicazioni", domanda("presto/f24")).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let p = v["protocollo"].as_str().expect("protocollo").to_string();
    assert_eq!(v["soggetto_id"], serde_json::Value::Null);
    assert_eq!(v["descrizione"], "Prestazioni occasionali – Versamento F24 non accreditato");
    assert_eq!(v["stato"], "aperta");
    // Addressed to the sede of Anna's registration, recorded on the request.
    let sede = count(&app, &format!("SELECT sede_id FROM utilizzatori WHERE persona_id = {persona}")).await;
    assert_eq!(count(&app, &format!("SELECT sede_id FROM richieste WHERE protocollo = '{p}'")).await, sede);

    // Her list, notifications and receipt.
    let (s, list) = app.get(&anna, "/api/v1/richieste").await;
    assert_eq!(s, StatusCode::OK, "{list}");
    assert_eq!(list["totale"], 1, "{list}");
    let (_, n) = app.get(&anna, "/api/v1/notifiche").await;
    assert_eq!(n["non_lette"], 1, "{n}");
    assert_eq!(n["notifiche"][0]["protocollo"], p.as_str());
    let r = anna.get(app.url(&format!("/api/v1/richieste/{p}/ricevuta.pdf"))).send().await.expect("pdf");
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.bytes().await.expect("pdf").starts_with(b"%PDF"));

    // Nobody else reads it: another person, a company, the operator of another region.
    for who in ["prestatore", "datore"] {
        let c = app.logged_in(who).await;
        let (s, v) = app.get(&c, &format!("/api/v1/richieste/{p}")).await;
        assert_eq!(s, StatusCode::NOT_FOUND, "{who}: {v}");
        assert!(!v.to_string().contains("Ferrari"), "{who}: {v}");
        let (_, l) = app.get(&c, "/api/v1/richieste").await;
        assert!(!l.to_string().contains(&p), "{who}: {l}");
    }
    let milano = app.logged_in("operatore.milano").await;
    let (s, v) = app.get(&milano, &format!("/api/v1/fascicolo/richieste/{p}")).await;
    assert_eq!(s, StatusCode::NOT_FOUND, "{v}");
    assert!(!v.to_string().contains("Ferrari"), "{v}");
    let (_, coda) = app.get(&milano, "/api/v1/coda").await;
    assert!(!coda.to_string().contains(&p), "{coda}");

    // The sede finds it in its queue, with the person's name and her wallet one click away.
    let roma = app.logged_in("operatore.sede").await;
    let (s, coda) = app.get(&roma, "/api/v1/coda").await;
    assert_eq!(s, StatusCode::OK, "{coda}");
    let item = coda.as_array().expect("coda").iter().find(|i| i["richiesta"]["protocollo"] == p.as_str()).cloned();
    let item = item.unwrap_or_else(|| panic!("{p} not in the queue: {coda}"));
    assert_eq!(item["ragione_sociale"], "Ferrari Anna");
    let (s, d) = app.get(&roma, &format!("/api/v1/fascicolo/richieste/{p}")).await;
    assert_eq!(s, StatusCode::OK, "{d}");
    assert_eq!(d["puo_agire"], true);
    let utilizzatore = count(&app, &format!("SELECT id FROM utilizzatori WHERE persona_id = {persona}")).await;
    assert_eq!(
        d["schede_presto"],
        json!([{ "prestatore": false, "id": utilizzatore, "descrizione": "Utilizzatore Libretto Famiglia" }])
    );
    let (s, _) = app.get(&roma, &format!("/api/v1/presto/operatore/utilizzatore/{utilizzatore}")).await;
    assert_eq!(s, StatusCode::OK, "the linked record opens for the operator");

    // The conversation: taken in charge, a question, her answer, the closure.
    let url = format!("/api/v1/fascicolo/richieste/{p}/azioni");
    let (s, d) = app.post(&roma, &url, json!({ "azione": "prendi_in_carico" })).await;
    assert_eq!(s, StatusCode::OK, "{d}");
    assert_eq!(d["richiesta"]["stato"], "in_carico");
    let domanda_sede = "Ci indichi il codice identificativo del versamento riportato sulla quietanza.";
    let (s, _) = app.post(&roma, &url, json!({ "azione": "nota", "testo": domanda_sede, "interna": false })).await;
    assert_eq!(s, StatusCode::OK);
    let (s, _) =
        app.post(&roma, &url, json!({ "azione": "nota", "testo": "Verificare il flusso F24.", "interna": true })).await;
    assert_eq!(s, StatusCode::OK);
    let (s, v) = app
        .post(&anna, &format!("/api/v1/richieste/{p}/messaggi"), json!({ "testo": "Il codice è 0123456789." }))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert!(v.to_string().contains(domanda_sede), "she reads the sede's question: {v}");
    assert!(!v.to_string().contains("flusso F24"), "never the internal note: {v}");
    let (s, d) = app.post(&roma, &url, json!({ "azione": "chiudi", "motivo": "Versamento accreditato." })).await;
    assert_eq!(s, StatusCode::OK, "{d}");
    assert_eq!(d["richiesta"]["stato"], "chiusa");
    let (s, _) = app.post(&anna, &format!("/api/v1/richieste/{p}/messaggi"), json!({ "testo": "Grazie mille!" })).await;
    assert_eq!(s, StatusCode::CONFLICT, "a closed request takes no more messages");

    // Notified at every step that concerns her (sent, taken, replied, closed), never of the
    // internal note; each also by e-mail to her address.
    let (_, n) = app.get(&anna, "/api/v1/notifiche").await;
    assert_eq!(n["notifiche"].as_array().map(Vec::len), Some(4), "{n}");
    assert_eq!(count(&app, &format!("SELECT COUNT(*) FROM email_outbox WHERE persona_id = {persona}")).await, 4);
    let (s, _) = app.post(&anna, "/api/v1/notifiche/lette", json!({})).await;
    assert_eq!(s, StatusCode::OK);
    let (_, n) = app.get(&anna, "/api/v1/notifiche").await;
    assert_eq!(n["non_lette"], 0, "{n}");
    // Audited, with the person as the actor and no company acted for.
    let audit = count(
        &app,
        &format!(
            "SELECT COUNT(*) FROM audit_log a JOIN users u ON u.id = a.actor_user_id
             WHERE u.username = 'utilizzatore' AND a.entity_id = '{p}' AND a.acting_for_id IS NULL"
        ),
    )
    .await;
    assert_eq!(audit, 2, "the request and her message");
});

both!(an_unregistered_person_is_told_to_register_first, |engine: Engine| async move {
    let app = TestApp::spawn(engine).await;
    // A prestatore's account whose person never registered to the service.
    let now = "2026-12-04T09:00:00Z";
    let persona: i64 = sqlx::query(
        "INSERT INTO persone (codice_fiscale, nome, cognome, created_at, updated_at)
         VALUES ('NRENNA80A41H501X', 'Anna', 'Nero', $1, $1) RETURNING id",
    )
    .bind(now)
    .fetch_one(&app.db.write)
    .await
    .expect("persona")
    .try_get(0)
    .expect("id");
    sqlx::query(
        "INSERT INTO users (username, password_hash, display_name, role, persona_id, active, created_at, updated_at)
         SELECT 'prestatore.nuova', password_hash, 'Anna Nero', 'prestatore', $1, 1, $2, $2 FROM users WHERE username = 'prestatore'",
    )
    .bind(persona)
    .bind(now)
    .execute(&app.db.write)
    .await
    .expect("user");
    let c = app.logged_in("prestatore.nuova").await;
    let (s, v) = app.post(&c, "/api/v1/comunicazioni", domanda("presto/compenso")).await;
    assert_eq!(s, StatusCode::CONFLICT, "{v}");
    assert!(v["detail"].as_str().is_some_and(|d| d.contains("registrati")), "{v}");
    assert_eq!(count(&app, "SELECT COUNT(*) FROM richieste WHERE persona_id IS NOT NULL").await, 0);
    // Her (empty) list still answers.
    let (s, v) = app.get(&c, "/api/v1/richieste").await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["totale"], 0);
});
