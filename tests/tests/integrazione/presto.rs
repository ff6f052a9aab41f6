//! Prestazioni occasionali over /api/v1, on both engines: registrations, the F24 flow, every
//! check of a prestazione, limits under concurrency, revocation, the payment run, the operators'
//! registry and their scope.

use chrono::{Duration, NaiveDate, Utc};
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use sportello_tests::fixtures::{self, Persona};
use sportello_tests::{Engine, TestApp, both, read};
use sqlx::Row;

fn oggi() -> NaiveDate {
    shared::time::to_rome(Utc::now().naive_utc()).date()
}

fn domani() -> String {
    (oggi() + Duration::days(1)).format("%d/%m/%Y").to_string()
}

fn codes(v: &Value) -> Vec<String> {
    v["errors"]
        .as_array()
        .map(|a| a.iter().map(|e| e["code"].as_str().unwrap_or("").to_string()).collect())
        .unwrap_or_default()
}

/// A professional using the CPO (role utilizzatore), with `euro` paid in by pagoPA.
async fn cpo_user(app: &TestApp, cognome: &str, euro: &str) -> Client {
    let p = fixtures::persona(app, "Laura", cognome).await;
    let c = fixtures::utente(app, &format!("cpo.{}", cognome.to_lowercase()), "utilizzatore", Some(&p)).await;
    let (s, v) = app
        .post(&c, "/api/v1/presto/utilizzatori", json!({"strumento": "cpo", "categoria": "generale", "ateco": "69.20", "dipendenti": "2", "sede_codice": "1300"}))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let (s, v) = app.post(&c, "/api/v1/presto/portafoglio/pagopa", json!({"importo": euro})).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    c
}

async fn prestatore(app: &TestApp, cognome: &str, categoria: Option<&str>) -> Persona {
    let p = fixtures::persona(app, "Dario", cognome).await;
    let c = fixtures::utente(app, &format!("prest.{}", cognome.to_lowercase()), "prestatore", Some(&p)).await;
    let categorie = categoria.map(|k| vec![json!({"categoria": k, "dal": "01/01/2020"})]).unwrap_or_default();
    let (s, v) = app
        .post(
            &c,
            "/api/v1/presto/prestatori",
            json!({"modalita_pagamento": "bonifico_domiciliato", "categorie": categorie, "sede_codice": "1300"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    p
}

fn cpo(p: &Persona, giorno: &str, compenso: &str) -> Value {
    json!({"prestatore": p.codice_fiscale, "giorno": giorno, "ora_inizio": "09:00", "ora_fine": "13:00",
        "compenso": compenso, "luogo": "Studio", "oggetto": "Archiviazione"})
}

async fn saldo(app: &TestApp, c: &Client) -> i64 {
    let (s, v) = app.get(c, "/api/v1/presto/portafoglio").await;
    assert_eq!(s, StatusCode::OK, "{v}");
    v["saldo"].as_i64().expect("saldo")
}

async fn count(app: &TestApp, table: &str) -> i64 {
    sqlx::query(&format!("SELECT COUNT(*) FROM {table}"))
        .fetch_one(&app.db.read)
        .await
        .expect("count")
        .try_get(0)
        .expect("n")
}

/// The same entry sent at once by each client; every refusal must be `limit`'s. Returns how
/// many were accepted.
async fn at_once(app: &TestApp, clients: &[Client], body: Value, limit: &str) -> usize {
    let tasks: Vec<_> = clients
        .iter()
        .map(|c| {
            let (c, url, body) = (c.clone(), app.url("/api/v1/presto/prestazioni"), body.clone());
            tokio::spawn(async move { read(c.post(url).json(&body).send().await.expect("post")).await })
        })
        .collect();
    let mut accepted = 0;
    for t in tasks {
        let (s, v) = t.await.expect("task");
        match s {
            StatusCode::CREATED => accepted += 1,
            StatusCode::UNPROCESSABLE_ENTITY => assert_eq!(codes(&v), vec![limit.to_string()], "{v}"),
            other => panic!("{other} {v}"),
        }
    }
    accepted
}

both!(registration_refusals, |engine: Engine| async move {
    let app = TestApp::spawn(engine).await;
    let p = fixtures::persona(&app, "Ugo", "Edile").await;
    let c = fixtures::utente(&app, "ugo", "utilizzatore", Some(&p)).await;
    let reg = |body: Value| {
        let (app, c) = (&app, &c);
        async move { app.post(c, "/api/v1/presto/utilizzatori", body).await }
    };
    let (s, v) = reg(json!({"strumento": "cpo", "categoria": "generale", "ateco": "41.20.00", "dipendenti": "2", "sede_codice": "1300"})).await;
    assert_eq!((s, codes(&v)), (StatusCode::UNPROCESSABLE_ENTITY, vec!["settore_escluso".to_string()]), "{v}");
    assert!(v.to_string().contains("edilizia"), "{v}");
    let (s, v) = reg(json!({"strumento": "cpo", "categoria": "generale", "ateco": "62.01", "dipendenti": "10,01", "sede_codice": "1300"})).await;
    assert_eq!((s, codes(&v)), (StatusCode::UNPROCESSABLE_ENTITY, vec!["oltre_limite".to_string()]), "{v}");
    let (s, v) = reg(json!({"strumento": "cpo", "categoria": "agricoltura", "ateco": "01.11", "dipendenti": "1", "sede_codice": "1300"})).await;
    assert_eq!(codes(&v), vec!["agricoltura_esclusa".to_string()], "{s} {v}");
    let (s, v) = reg(json!({"strumento": "", "sede_codice": "9999"})).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(codes(&v), vec!["required".to_string(), "unknown".to_string()], "{v}");
    assert_eq!(count(&app, &format!("utilizzatori WHERE persona_id = {}", p.id)).await, 0, "nothing stored on refusal");
    // Exactly at the cap (10 from 2023) is allowed; then a second registration is a conflict.
    let ok = json!({"strumento": "cpo", "categoria": "generale", "ateco": "62.01", "dipendenti": "10", "sede_codice": "1300"});
    let (s, v) = reg(ok.clone()).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(v["dipendenti_centesimi"], 1000);
    let (s, _) = reg(ok).await;
    assert_eq!(s, StatusCode::CONFLICT);
    // A company cannot hold a Libretto Famiglia.
    let mario = app.logged_in("datore").await;
    let rossi = app.company_id("Trattoria da Mario di Rossi Mario").await;
    let (s, v) =
        app.post(&mario, &format!("/api/v1/presto/utilizzatori?soggetto_id={rossi}"), json!({"strumento": "lf"})).await;
    assert_eq!(codes(&v), vec!["lf_solo_persone".to_string()], "{s} {v}");
    // Prestatore: a wrong IBAN is refused, the categories keep their dates.
    let q = fixtures::persona(&app, "Ivo", "Lavori").await;
    let pc = fixtures::utente(&app, "ivo", "prestatore", Some(&q)).await;
    let (s, v) = app
        .post(
            &pc,
            "/api/v1/presto/prestatori",
            json!({"modalita_pagamento": "iban", "iban": "IT00X0000", "sede_codice": "1300"}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    let (s, v) = app
        .post(
            &pc,
            "/api/v1/presto/prestatori",
            json!({"modalita_pagamento": "bonifico_domiciliato", "sede_codice": "1300",
            "categorie": [{"categoria": "studente", "dal": "01/09/2024", "al": "30/06/2027"}]}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(v["categorie"][0]["al"], "2027-06-30");
});

both!(prestazione_checks_and_acceptance, |engine: Engine| async move {
    let app = TestApp::spawn(engine).await;
    let c = cpo_user(&app, "Verdi", "4.000,00").await;
    let p = prestatore(&app, "Neri", None).await;
    let special = prestatore(&app, "Bassi", Some("studente")).await;
    let before = count(&app, "prestazioni").await;
    let post = |body: Value| {
        let (app, c) = (&app, &c);
        async move { app.post(c, "/api/v1/presto/prestazioni", body).await }
    };
    // Accepted: 36 € for 4 hours tomorrow costs 49,64 € (INPS's figure), every check listed.
    let (s, v) = post(cpo(&p, &domani(), "36,00")).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(v["costo"]["totale"], 4964);
    assert!(v["controlli"].as_array().expect("controlli").len() >= 8, "{v}");
    assert_eq!(saldo(&app, &c).await, 400_000 - 4964);
    // Minimum pay: one cent short.
    let (s, v) = post(cpo(&p, &domani(), "35,99")).await;
    assert_eq!((s, codes(&v)), (StatusCode::UNPROCESSABLE_ENTITY, vec!["PO.COMPENSO_MINIMO".to_string()]), "{v}");
    assert_eq!(v["code"], "refused", "a rule's refusal, not bad input: {v}");
    // Notice: yesterday's work cannot be communicated now.
    let ieri = (oggi() - Duration::days(1)).format("%d/%m/%Y").to_string();
    let (_, v) = post(cpo(&p, &ieri, "36,00")).await;
    assert_eq!(codes(&v), vec!["PO.PREAVVISO".to_string()], "{v}");
    // Pair limit: 2,500 € exactly with the 36 € already entered is 2,536: refused; 2,464 € fits exactly.
    let (_, v) = post(cpo(&p, &domani(), "2.464,01")).await;
    assert_eq!(codes(&v), vec!["PO.LIMITE_COPPIA".to_string()], "{v}");
    let (s, v) = post(cpo(&p, &domani(), "2.464,00")).await;
    assert_eq!(s, StatusCode::CREATED, "exactly at the limit: {v}");
    // Balance: what remains does not cover 1,000 € of pay (1,378.79 €).
    let rest = saldo(&app, &c).await;
    assert!(rest < 137_879, "{rest}");
    let (_, v) = post(cpo(&special, &domani(), "1.000,00")).await;
    assert_eq!(codes(&v), vec!["PO.SALDO".to_string()], "{v}");
    // Forbidden pair: an employment that ended two months ago.
    let uid: i64 = sqlx::query(
        "SELECT u.id FROM utilizzatori u JOIN users x ON x.persona_id = u.persona_id WHERE x.username = 'cpo.verdi'",
    )
    .fetch_one(&app.db.read)
    .await
    .expect("u")
    .try_get(0)
    .expect("id");
    let pid: i64 = sqlx::query("SELECT id FROM prestatori WHERE persona_id = $1")
        .bind(special.id)
        .fetch_one(&app.db.read)
        .await
        .expect("p")
        .try_get(0)
        .expect("id");
    sqlx::query("INSERT INTO rapporti_lavoro (utilizzatore_id, prestatore_id, tipo, dal, al) VALUES ($1, $2, 'cococo', '2020-01-01', $3)")
        .bind(uid).bind(pid).bind((oggi() - Duration::days(60)).to_string())
        .execute(&app.db.write).await.expect("rapporto");
    let (_, v) = post(cpo(&special, &domani(), "36,00")).await;
    assert_eq!(codes(&v), vec!["PO.RAPPORTO_VIETATO".to_string()], "{v}");
    sqlx::query("DELETE FROM rapporti_lavoro").execute(&app.db.write).await.expect("delete");
    // Special category: 100 € count 75 € toward the user's limit.
    let (s, v) = post(cpo(&special, &domani(), "100,00")).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let (_, w) = app.get(&c, "/api/v1/presto/portafoglio").await;
    let user_limit = &w["limiti"][0];
    assert_eq!(
        (user_limit["codice"].as_str(), user_limit["usato"].as_i64()),
        (Some("PO.LIMITE_UTILIZZATORE"), Some(3600 + 246_400 + 7500)),
        "{w}"
    );
    assert_eq!(user_limit["limite"], 1_000_000);
    // Bad input: field errors, nothing stored.
    let (s, v) = post(
        json!({"prestatore": "XYZ", "giorno": "31/02/2026", "ora_inizio": "9", "ora_fine": "", "compenso": "abc"}),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<&str> =
        v["errors"].as_array().expect("errors").iter().filter_map(|e| e["field"].as_str()).collect();
    for f in ["prestatore", "giorno", "ora_inizio", "ora_fine", "compenso", "luogo", "oggetto"] {
        assert!(fields.contains(&f), "{f} missing in {v}");
    }
    assert_eq!(count(&app, "prestazioni").await, before + 3, "only the accepted ones are stored");
});

both!(libretto_famiglia_rules, |engine: Engine| async move {
    let app = TestApp::spawn(engine).await;
    let p = fixtures::persona(&app, "Rita", "Casa").await;
    let c = fixtures::utente(&app, "rita", "utilizzatore", Some(&p)).await;
    let (s, v) = app.post(&c, "/api/v1/presto/utilizzatori", json!({"strumento": "lf", "sede_codice": "1300"})).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let (s, v) = app.post(&c, "/api/v1/presto/portafoglio/pagopa", json!({"importo": "25,00"})).await;
    assert_eq!((s, codes(&v)), (StatusCode::UNPROCESSABLE_ENTITY, vec!["multiplo_10".to_string()]), "{v}");
    let (s, _) = app.post(&c, "/api/v1/presto/portafoglio/pagopa", json!({"importo": "50"})).await;
    assert_eq!(s, StatusCode::CREATED);
    let w = prestatore(&app, "Aiuto", None).await;
    let oggi_it = oggi().format("%d/%m/%Y").to_string();
    let lf = |titoli: &str, ore: &str, giorno: &str| json!({"prestatore": w.codice_fiscale, "giorno": giorno, "titoli": titoli, "ore": ore});
    let (_, v) = app.post(&c, "/api/v1/presto/prestazioni", lf("3", "4", &oggi_it)).await;
    assert_eq!(codes(&v), vec!["PO.COMPENSO_MINIMO".to_string()], "a voucher covers at most one hour: {v}");
    let vecchio = (oggi() - Duration::days(70)).format("%d/%m/%Y").to_string();
    let (_, v) = app.post(&c, "/api/v1/presto/prestazioni", lf("3", "3", &vecchio)).await;
    assert_eq!(codes(&v), vec!["PO.TERMINE_LF".to_string()], "{v}");
    let (_, v) = app.post(&c, "/api/v1/presto/prestazioni", lf("6", "6", &oggi_it)).await;
    assert_eq!(codes(&v), vec!["PO.SALDO".to_string()], "60 € with 50 € in the wallet: {v}");
    let (s, v) = app.post(&c, "/api/v1/presto/prestazioni", lf("5", "4:30", &oggi_it)).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(
        (v["costo"]["compenso"].as_i64(), v["costo"]["totale"].as_i64(), v["minuti"].as_i64()),
        (Some(4000), Some(5000), Some(270))
    );
    assert_eq!(saldo(&app, &c).await, 0);
});

both!(limits_hold_under_concurrency, |engine: Engine| async move {
    let app = TestApp::spawn(engine).await;
    let c = cpo_user(&app, "Gialli", "20.000,00").await;
    let p = prestatore(&app, "Rapidi", None).await;
    // Ten parallel entries of 500 € for the same pair: each fits alone, only five fit together.
    let clients: Vec<Client> = (0..10).map(|_| c.clone()).collect();
    let accepted = at_once(&app, &clients, cpo(&p, &domani(), "500,00"), "PO.LIMITE_COPPIA").await;
    assert_eq!(accepted, 5);
    let total: i64 = sqlx::query("SELECT CAST(SUM(compenso_cents) AS BIGINT) FROM prestazioni x JOIN prestatori pr ON pr.id = x.prestatore_id WHERE pr.persona_id = $1")
        .bind(p.id).fetch_one(&app.db.read).await.expect("sum").try_get(0).expect("n");
    assert_eq!(total, 250_000);
    // The wallet was debited exactly for the five accepted.
    assert_eq!(saldo(&app, &c).await, 2_000_000 - 5 * 68_939);
});

both!(revocation_window_and_payment_run_once, |engine: Engine| async move {
    let app = TestApp::spawn(engine).await;
    let c = cpo_user(&app, "Blu", "1.000,00").await;
    let p = prestatore(&app, "Pagato", None).await;
    let (_, a) = app.post(&c, "/api/v1/presto/prestazioni", cpo(&p, &domani(), "40,00")).await;
    let (_, b) = app.post(&c, "/api/v1/presto/prestazioni", cpo(&p, &domani(), "50,00")).await;
    let full = saldo(&app, &c).await;
    // Revoked within the window: the cost goes back; a second revocation is a conflict.
    let (s, v) = app.post(&c, &format!("/api/v1/presto/prestazioni/{}/revoca", a["id"]), json!({})).await;
    assert_eq!((s, v["stato"].as_str()), (StatusCode::OK, Some("revocata")), "{v}");
    assert_eq!(saldo(&app, &c).await, full + a["costo"]["totale"].as_i64().expect("costo"));
    let (s, _) = app.post(&c, &format!("/api/v1/presto/prestazioni/{}/revoca", a["id"]), json!({})).await;
    assert_eq!(s, StatusCode::CONFLICT);
    // Someone else's prestazione is not found, not revoked.
    let other = cpo_user(&app, "Rosa", "100,00").await;
    let (s, _) = app.post(&other, &format!("/api/v1/presto/prestazioni/{}/revoca", b["id"]), json!({})).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    // The work of March 2025 (moved there: the clock cannot be), past its window.
    sqlx::query(
        "UPDATE prestazioni SET giorno = '2025-03-10', anno = 2025, revocabile_fino = '2025-03-13' WHERE id = $1",
    )
    .bind(b["id"].as_i64())
    .execute(&app.db.write)
    .await
    .expect("move");
    let (s, v) = app.post(&c, &format!("/api/v1/presto/prestazioni/{}/revoca", b["id"]), json!({})).await;
    assert_eq!(s, StatusCode::CONFLICT, "{v}");
    assert!(v["detail"].as_str().unwrap_or("").contains("13/03/2025"), "{v}");
    // Payment run: head office only; the month still open is refused; a closed one pays once.
    let sede = app.logged_in("operatore.sede").await;
    let (s, _) = app.post(&sede, "/api/v1/presto/pagamenti/2025-03", json!({})).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let dg = app.logged_in("operatore.dg").await;
    let (s, v) = app.post(&dg, &format!("/api/v1/presto/pagamenti/{}", oggi().format("%Y-%m")), json!({})).await;
    assert_eq!(s, StatusCode::CONFLICT, "{v}");
    let (s, v) = app.post(&dg, "/api/v1/presto/pagamenti/2025-03", json!({})).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!((v["pagamenti"].as_i64(), v["totale"].as_i64()), (Some(1), Some(5000)), "{v}");
    let (_, again) = app.post(&dg, "/api/v1/presto/pagamenti/2025-03", json!({})).await;
    assert_eq!(again["pagamenti"], 0, "{again}");
    let paid: i64 = sqlx::query("SELECT COUNT(*) FROM pagamenti_prestatori pp JOIN prestatori pr ON pr.id = pp.prestatore_id WHERE pr.persona_id = $1")
        .bind(p.id).fetch_one(&app.db.read).await.expect("n").try_get(0).expect("n");
    assert_eq!(paid, 1);
    let (s, v) = app.post(&c, &format!("/api/v1/presto/prestazioni/{}/revoca", b["id"]), json!({})).await;
    assert_eq!(s, StatusCode::CONFLICT, "a paid prestazione stays paid: {v}");
});

fn flusso(lines: &[&str]) -> String {
    let mut s = String::from(
        "id_riga,modello,codice_fiscale,sezione,causale,riferimento_a,riferimento_b,importo_centesimi,data_versamento\n",
    );
    for l in lines {
        s.push_str(l);
        s.push('\n');
    }
    s
}

both!(f24_flow_import, |engine: Engine| async move {
    let app = TestApp::spawn(engine).await;
    let anna_cf: String = sqlx::query(
        "SELECT p.codice_fiscale FROM persone p JOIN users u ON u.persona_id = p.id WHERE u.username = 'utilizzatore'",
    )
    .fetch_one(&app.db.read)
    .await
    .expect("anna")
    .try_get(0)
    .expect("cf");
    let mario_cf: String = sqlx::query(
        "SELECT p.codice_fiscale FROM persone p JOIN users u ON u.persona_id = p.id WHERE u.username = 'datore'",
    )
    .fetch_one(&app.db.read)
    .await
    .expect("mario")
    .try_get(0)
    .expect("cf");
    let anna = app.logged_in("utilizzatore").await;
    let before = saldo(&app, &anna).await;
    let good = format!("T-1,ELIDE,{anna_cf},I,LIFA,,2026,5000,2026-11-02");
    let body = flusso(&[
        &good,
        &good,
        "T-2,ELIDE,NONVALIDO,I,DM10,,20x6,-5,02/11/2026",
        &format!("T-3,ELIDE,{mario_cf},I,CLOC,,2026,120000,2026-11-02"),
        &format!("T-4,ELIDE,{anna_cf},I,LIFA,,2026,5050,2026-11-02"),
    ]);
    let dg = app.logged_in("operatore.dg").await;
    let post =
        |c: &Client, b: String| c.post(app.url("/api/v1/presto/f24")).header("content-type", "text/csv").body(b).send();
    let (s, r) = read(post(&dg, body.clone()).await.expect("post")).await;
    assert_eq!(s, StatusCode::OK, "{r}");
    assert_eq!(
        (r["accreditate"].as_i64(), r["gia_presenti"].as_i64(), r["scartate"].as_i64(), r["non_abbinate"].as_i64()),
        (Some(1), Some(1), Some(1), Some(2)),
        "{r}"
    );
    let righe = r["righe"].as_array().expect("righe");
    assert_eq!(righe[2]["riga"], 4);
    assert!(righe[2]["messaggio"].as_str().unwrap_or("").contains("causale"), "{r}");
    assert!(righe[3]["messaggio"].as_str().unwrap_or("").contains("legale rappresentante"), "{r}");
    assert!(righe[4]["messaggio"].as_str().unwrap_or("").contains("multiplo di 10"), "{r}");
    assert_eq!(saldo(&app, &anna).await, before + 5000);
    // The same flow again changes nothing.
    let (_, r) = read(post(&dg, body).await.expect("post")).await;
    assert_eq!(
        (r["accreditate"].as_i64(), r["gia_presenti"].as_i64(), r["scartate"].as_i64()),
        (Some(0), Some(4), Some(1)),
        "{r}"
    );
    assert_eq!(saldo(&app, &anna).await, before + 5000);
    let (_, w) = app.get(&anna, "/api/v1/presto/portafoglio").await;
    assert!(w["versamenti"].as_array().expect("v").iter().any(|v| v["riferimento"] == "F24-T-1"), "{w}");
    // A wrong header is refused whole; a branch operator and a user cannot load the flow.
    let (s, v) = read(post(&dg, "a,b\n1,2\n".into()).await.expect("post")).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert_eq!(v["errors"][0]["field"], "flusso", "{v}");
    let (s, _) = read(post(&app.logged_in("operatore.sede").await, flusso(&[])).await.expect("post")).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _) = read(post(&anna, flusso(&[])).await.expect("post")).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
});

both!(operator_registry_edit_and_scope, |engine: Engine| async move {
    let app = TestApp::spawn(engine).await;
    let op = app.logged_in("operatore.sede").await;
    let (s, hits) = app.get(&op, "/api/v1/presto/operatore/soggetti?q=Ferrari").await;
    assert_eq!(s, StatusCode::OK, "{hits}");
    let anna = hits.as_array().expect("hits").iter().find(|h| h["tipo"] == "utilizzatore").expect("Anna").clone();
    let path = format!("/api/v1/presto/operatore/utilizzatore/{}", anna["id"]);
    let (s, scheda) = app.get(&op, &path).await;
    assert_eq!(s, StatusCode::OK, "{scheda}");
    let u = &scheda["Utilizzatore"];
    assert_eq!(u["puo_modificare"], true);
    let version = u["portafoglio"]["utilizzatore"]["version"].as_i64().expect("version");
    // The operator sees the figures the user sees.
    let user = app.logged_in("utilizzatore").await;
    let (_, own) = app.get(&user, "/api/v1/presto/portafoglio").await;
    assert_eq!(u["portafoglio"]["limiti"], own["limiti"]);
    assert_eq!(u["portafoglio"]["saldo"], own["saldo"]);
    // No note: refused. Stale version: conflict. Then the edit, audited and visible at once.
    let (s, v) = app.put(&op, &path, json!({"version": version, "nota": "", "email": "anna.ferrari@example.it"})).await;
    assert_eq!((s, codes(&v)), (StatusCode::UNPROCESSABLE_ENTITY, vec!["required".to_string()]), "{v}");
    let (s, _) = app
        .put(
            &op,
            &path,
            json!({"version": version - 1, "nota": "Richiesta telefonica", "email": "anna.ferrari@example.it"}),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT);
    let (s, v) = app
        .put(
            &op,
            &path,
            json!({"version": version, "nota": "Richiesta telefonica del 3/12", "email": "anna.ferrari@example.it"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (_, own) = app.get(&user, "/api/v1/presto/portafoglio").await;
    assert_eq!(own["utilizzatore"]["email"], "anna.ferrari@example.it");
    let r = sqlx::query("SELECT before_json, after_json, note, actor FROM audit_log WHERE entity = 'utilizzatore' AND action = 'modifica_anagrafica'")
        .fetch_one(&app.db.read).await.expect("audit");
    assert_eq!(r.try_get::<String, _>("note").expect("note"), "Richiesta telefonica del 3/12");
    assert!(r.try_get::<String, _>("after_json").expect("after").contains("anna.ferrari@example.it"));
    assert!(r.try_get::<String, _>("before_json").expect("before").contains("\"email\":null"));
    assert_eq!(r.try_get::<String, _>("actor").expect("actor"), "operatore.sede");
    // Another region's operator: not found, and the answer names no one.
    let milano = app.logged_in("operatore.milano").await;
    let (s, v) = app.get(&milano, &path).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert!(!v.to_string().contains("Ferrari"), "{v}");
    let (_, hits) = app.get(&milano, "/api/v1/presto/operatore/soggetti?q=Ferrari").await;
    assert_eq!(hits, json!([]));
    // Without the portal's profile (regional operator) or as a user: refused.
    let (s, _) = app.get(&app.logged_in("operatore.regionale").await, &path).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _) = app.get(&user, &path).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    // The prestatore's page, from the same search.
    let (_, hits) = app.get(&op, "/api/v1/presto/operatore/soggetti?q=Russo").await;
    let paolo = hits.as_array().expect("hits").iter().find(|h| h["tipo"] == "prestatore").expect("Paolo").clone();
    let (s, v) = app.get(&op, &format!("/api/v1/presto/operatore/prestatore/{}", paolo["id"])).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert!(!v["Prestatore"]["pagina"]["prestazioni"].as_array().expect("p").is_empty());
});

both!(prestatore_limit_holds_across_users_in_parallel, |engine: Engine| async move {
    let app = TestApp::spawn(engine).await;
    let p = prestatore(&app, "Conteso", None).await;
    let mut users = vec![];
    for name in ["Uno", "Due", "Tre", "Quattro"] {
        users.push(cpo_user(&app, name, "2.500,00").await);
    }
    // Four users, 1,500 € each to the same prestatore at once: limit (a) of 5,000 € fits three.
    let accepted = at_once(&app, &users, cpo(&p, &domani(), "1.500,00"), "PO.LIMITE_PRESTATORE").await;
    assert_eq!(accepted, 3);
});
