//! Fascicolo elettronico for operators, on both engines: search and reading scope, the file of a
//! contributor, the operator's detail with replay, and the branch queue with every step audited
//! and notified.

use reqwest::StatusCode;
use serde_json::{Value, json};
use sportello_tests::st::{decided, submit};
use sportello_tests::{Engine, TestApp, both};
use sqlx::Row;

async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query(sql).fetch_one(&app.db.read).await.expect("count").try_get(0).expect("n")
}

fn names(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| a.iter().map(|h| h["ragione_sociale"].as_str().unwrap_or("").to_string()).collect())
        .unwrap_or_default()
}

both!(search_scope_and_file, |engine: Engine| async move {
    let app = TestApp::spawn(engine).await;
    let roma = app.logged_in("operatore.sede").await;
    let milano = app.logged_in("operatore.milano").await;
    let dg = app.logged_in("operatore.dg").await;
    let (s, hits) = app.get(&roma, "/api/v1/fascicolo?q=rossi").await;
    assert_eq!(s, StatusCode::OK, "{hits}");
    let found = names(&hits);
    assert!(found.contains(&"Rossi & Figli S.r.l.".to_string()), "{hits}");
    let rossi_hit =
        hits.as_array().expect("a").iter().find(|h| h["ragione_sociale"] == "Rossi & Figli S.r.l.").expect("rossi");
    assert_eq!(rossi_hit["puo_agire"], true, "Roma Eur acts on its own contributor");
    // Same region, other sede: readable, not workable.
    let (_, tratt) = app.get(&roma, "/api/v1/fascicolo?q=trattoria").await;
    assert_eq!(tratt[0]["puo_agire"], false, "{tratt}");
    // Other regions are out of reach.
    let (_, none) = app.get(&milano, "/api/v1/fascicolo?q=rossi").await;
    assert!(!names(&none).contains(&"Rossi & Figli S.r.l.".to_string()), "{none}");
    let (_, all) = app.get(&dg, "/api/v1/fascicolo?q=verdi").await;
    assert!(names(&all).contains(&"Verdi Logistica S.p.A.".to_string()));
    // By matricola, codice fiscale and partita IVA.
    let rossi = app.company_id("Rossi & Figli S.r.l.").await;
    let r = sqlx::query("SELECT c.codice_fiscale, p.matricola FROM contribuenti c JOIN posizioni p ON p.contribuente_id = c.id WHERE c.id = $1 ORDER BY p.id LIMIT 1")
        .bind(rossi)
        .fetch_one(&app.db.read)
        .await
        .expect("row");
    for q in [r.try_get::<String, _>(0).expect("cf"), r.try_get::<String, _>(1).expect("m")] {
        let (_, h) = app.get(&roma, &format!("/api/v1/fascicolo?q={q}")).await;
        assert_eq!(names(&h), ["Rossi & Figli S.r.l."], "{q}: {h}");
    }
    // The legal representative's codice fiscale finds his companies.
    let cf_mario: String = sqlx::query("SELECT codice_fiscale FROM persone WHERE nome = 'Mario' AND cognome = 'Rossi'")
        .fetch_one(&app.db.read)
        .await
        .expect("cf")
        .try_get(0)
        .expect("cf");
    let (_, h) = app.get(&roma, &format!("/api/v1/fascicolo?q={cf_mario}")).await;
    assert_eq!(names(&h).len(), 2, "{h}");
    let (s, v) = app.get(&roma, "/api/v1/fascicolo?q=ro").await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    // Wildcards are literal.
    let (_, v) = app.get(&dg, "/api/v1/fascicolo?q=%25%25%25").await;
    assert_eq!(v.as_array().map(Vec::len), Some(0), "{v}");

    let (s, f) = app.get(&roma, &format!("/api/v1/fascicolo/{rossi}")).await;
    assert_eq!(s, StatusCode::OK, "{f}");
    assert_eq!(f["ragione_sociale"], "Rossi & Figli S.r.l.");
    assert_eq!(f["posizioni"].as_array().map(Vec::len), Some(2));
    assert!(f["posizioni"][0]["storia"].as_array().is_some_and(|h| !h.is_empty()));
    let titles: Vec<&str> = f["tabelle"].as_array().expect("t").iter().filter_map(|t| t["titolo"].as_str()).collect();
    assert_eq!(titles.len(), 9, "{titles:?}");
    assert!(f["tabelle"][1]["righe"].as_array().is_some_and(|r| r.len() >= 3), "deleghe in force and ended");
    // What the Smart-Task kinds 9–17 read: UniEmens workforce by month and the demo's DPA.
    let tabella =
        |t: &str| f["tabelle"].as_array().and_then(|l| l.iter().find(|x| x["titolo"] == t)).cloned().expect(t);
    let forza = tabella("Forza aziendale dichiarata in UniEmens (ultimi mesi)");
    assert!(forza["righe"].as_array().is_some_and(|r| r.len() >= 12), "{forza}");
    assert!(forza["righe"].to_string().contains("\"13,25\""), "12 full-time + 2 part-time (1,25): {forza}");
    let dpa = tabella("Dichiarazioni preventive di agevolazione (DPA)");
    assert!(dpa["righe"].to_string().contains("Esonero assunzione giovani"), "{dpa}");
    // Outside the operator's region the company reads exactly like one that does not exist.
    let (s, v) = app.get(&milano, &format!("/api/v1/fascicolo/{rossi}")).await;
    let (s2, v2) = app.get(&milano, "/api/v1/fascicolo/987654321").await;
    assert_eq!(s, StatusCode::NOT_FOUND, "{v}");
    assert_eq!((s, &v["detail"]), (s2, &v2["detail"]));
    assert!(!v.to_string().contains("Lazio"), "{v}");
    let datore = app.logged_in("datore").await;
    let (s, _) = app.get(&datore, &format!("/api/v1/fascicolo/{rossi}")).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "the Fascicolo is for operators");
});

both!(operator_detail_replay_and_queue, |engine: Engine| async move {
    let app = TestApp::spawn(engine).await;
    let datore = app.logged_in("datore").await;
    let roma = app.logged_in("operatore.sede").await;
    let milano = app.logged_in("operatore.milano").await;
    let rossi = app.company_id("Rossi & Figli S.r.l.").await;

    // A decided request: the operator sees what each check read and the audit; replay agrees.
    let pay: Vec<i64> = sqlx::query("SELECT id FROM pagamenti ORDER BY id")
        .fetch_all(&app.db.read)
        .await
        .expect("p")
        .iter()
        .map(|r| r.try_get(0).expect("id"))
        .collect();
    let body = json!({ "tipo": "cancellazione_contatti_anomali_ndr", "soggetto_id": rossi, "oggetto": "2", "risposte": { "motivo": "casella_piena" } });
    let (_, v) = submit(&app, &datore, body, None).await;
    let p = v["protocollo"].as_str().expect("p").to_string();
    decided(&app, &datore, &p).await;
    let (s, d) = app.get(&roma, &format!("/api/v1/fascicolo/richieste/{p}")).await;
    assert_eq!(s, StatusCode::OK, "{d}");
    assert!(!d["letti"].as_array().expect("letti").is_empty());
    assert!(d["fatti"].as_str().unwrap_or("").contains("data_riferimento"));
    assert!(d["audit"].as_array().is_some_and(|a| a.iter().any(|x| x["action"] == "esito_istruttoria")), "{d}");
    let (s, r) = app.post(&roma, &format!("/api/v1/fascicolo/richieste/{p}/replay"), json!({})).await;
    assert_eq!(s, StatusCode::OK, "{r}");
    assert_eq!(r["identica"], true, "{r}");
    assert_eq!(r["esito_memorizzato"], r["esito_ricalcolato"]);
    let (s, v) = app.post(&milano, &format!("/api/v1/fascicolo/richieste/{p}/replay"), json!({})).await;
    let (s2, v2) = app.post(&milano, "/api/v1/fascicolo/richieste/ST-2026-9999999/replay", json!({})).await;
    assert_eq!(s, StatusCode::NOT_FOUND, "{v}");
    assert_eq!((s, &v["detail"]), (s2, &v2["detail"]));

    // A request the automation could not decide reaches the queue.
    let period = {
        let today = shared::time::to_rome(chrono::Utc::now().naive_utc()).date();
        shared::Periodo::of(today).plus_months(-8).map(|p| p.to_string()).unwrap_or_default()
    };
    let body = json!({ "tipo": "rettifica_periodo_pagamento", "soggetto_id": rossi, "oggetto": pay[10].to_string(), "risposte": { "periodo_corretto": period, "importo": "100" } });
    let (_, v) = submit(&app, &datore, body, None).await;
    let q = v["protocollo"].as_str().expect("p").to_string();
    assert_eq!(decided(&app, &datore, &q).await["stato"], "in_carico_sede");
    let (s, queue) = app.get(&roma, "/api/v1/coda").await;
    assert_eq!(s, StatusCode::OK, "{queue}");
    assert!(queue.as_array().is_some_and(|a| a.iter().any(|i| i["richiesta"]["protocollo"] == q.as_str())), "{queue}");
    let (_, other) = app.get(&milano, "/api/v1/coda").await;
    assert!(!other.to_string().contains(&q), "another sede's queue does not hold it");

    let before = count(&app, &format!("SELECT COUNT(*) FROM notifiche WHERE contribuente_id = {rossi}")).await;
    let url = format!("/api/v1/fascicolo/richieste/{q}/azioni");
    let (s, d) = app.post(&roma, &url, json!({ "azione": "prendi_in_carico" })).await;
    assert_eq!(s, StatusCode::OK, "{d}");
    assert_eq!(d["operatore_in_carico"], "Carla Moretti");
    let version = d["version"].as_i64().expect("v");
    // A stale version is refused: another operator worked it meanwhile.
    let (s, _) =
        app.post(&roma, &url, json!({ "azione": "nota", "testo": "x", "interna": true, "version": version - 1 })).await;
    assert_eq!(s, StatusCode::CONFLICT);
    let (s, _) = app.post(&roma, &url, json!({ "azione": "nota", "testo": "Verificato con la banca: matricola errata.", "interna": true, "version": version })).await;
    assert_eq!(s, StatusCode::OK);
    let (s, _) = app
        .post(&roma, &url, json!({ "azione": "nota", "testo": "Abbiamo verificato il pagamento.", "interna": false }))
        .await;
    assert_eq!(s, StatusCode::OK);
    let (s, v) = app.post(&roma, &url, json!({ "azione": "chiudi", "motivo": "Verificato." })).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "a Smart-Task is closed with an outcome: {v}");
    assert_eq!(v["errors"][0]["field"], "accolta");
    let (s, v) = app.post(&roma, &url, json!({ "azione": "chiudi", "accolta": true, "motivo": "" })).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert_eq!(v["errors"][0]["field"], "motivo");
    let (s, d) = app
        .post(
            &roma,
            &url,
            json!({ "azione": "chiudi", "accolta": true, "motivo": "Pagamento attribuito alla matricola corretta." }),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{d}");
    assert_eq!(d["richiesta"]["stato"], "accolta");
    let (s, _) = app.post(&roma, &url, json!({ "azione": "prendi_in_carico" })).await;
    assert_eq!(s, StatusCode::CONFLICT, "closed requests are not worked again");
    // Notified: taken in charge, the reply, the closure; not the internal note.
    let after = count(&app, &format!("SELECT COUNT(*) FROM notifiche WHERE contribuente_id = {rossi}")).await;
    assert_eq!(after - before, 3);
    // The contributor sees the reply, never the internal note.
    let (_, mine) = app.get(&datore, &format!("/api/v1/richieste/{q}")).await;
    assert_eq!(mine["stato"], "accolta");
    assert_eq!(mine["messaggi_sede"].as_array().map(Vec::len), Some(1), "{mine}");
    assert!(!mine.to_string().contains("banca"));
    let audited =
        count(&app, &format!("SELECT COUNT(*) FROM audit_log WHERE entity = 'richiesta' AND entity_id = '{q}'")).await;
    assert_eq!(audited, 1 + 1 + 4, "sent, decided, taken, two notes, closed");

    // Readable but not workable: a contributor of another sede in the same region.
    let trattoria = app.company_id("Trattoria da Mario di Rossi Mario").await;
    let body = json!({ "tipo": "variazione_pec_aziendale", "soggetto_id": trattoria, "oggetto": "", "risposte": { "pec": "x@pec.trattoria.it" } });
    let (_, v) = submit(&app, &datore, body, None).await;
    let t = v["protocollo"].as_str().expect("p").to_string();
    decided(&app, &datore, &t).await;
    sqlx::query("UPDATE richieste SET stato = 'in_carico_sede' WHERE protocollo = $1")
        .bind(&t)
        .execute(&app.db.write)
        .await
        .expect("update");
    let (s, d) = app.get(&roma, &format!("/api/v1/fascicolo/richieste/{t}")).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(d["puo_agire"], false);
    let (s, v) = app
        .post(&roma, &format!("/api/v1/fascicolo/richieste/{t}/azioni"), json!({ "azione": "prendi_in_carico" }))
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{v}");
    let regionale = app.logged_in("operatore.regionale").await;
    let (s, _) = app
        .post(&regionale, &format!("/api/v1/fascicolo/richieste/{t}/azioni"), json!({ "azione": "prendi_in_carico" }))
        .await;
    assert_eq!(s, StatusCode::OK, "the regional operator acts in the whole region");
});
