//! The portal's branch tools on both engines: manual matching of F24 lines (only the legal
//! representative's payments, the right causale, once even when two operators try at the same
//! instant, undone by DG only while the money is in the wallet) and the CPO category change (the
//! branch before any prestazione, DG after checking every prestazione against the new category).

use chrono::{Duration, Utc};
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use sportello_tests::fixtures::{self, Azienda, AziendaCreata, Persona};
use sportello_tests::{Engine, TestApp, both, read};
use sqlx::Row;

fn codes(v: &Value) -> Vec<String> {
    v["errors"]
        .as_array()
        .map(|a| a.iter().map(|e| e["code"].as_str().unwrap_or("").to_string()).collect())
        .unwrap_or_default()
}

fn oggi() -> String {
    shared::time::to_rome(Utc::now().naive_utc()).date().to_string()
}

/// A company of `sede` using the CPO, whose legal representative is `rapp` (registered by him).
async fn azienda_cpo(app: &TestApp, ragione: &str, sede: &str, rapp: &Persona, login: &str) -> (AziendaCreata, i64) {
    let a = Azienda::new(ragione).sede(sede).rappresentata_da(rapp).crea(app).await;
    let c = fixtures::utente(app, login, "datore", Some(rapp)).await;
    let (s, v) = app
        .post(
            &c,
            &format!("/api/v1/presto/utilizzatori?soggetto_id={}", a.id),
            json!({"strumento": "cpo", "categoria": "generale", "ateco": "56.10", "dipendenti": "3", "sede_codice": sede}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let id = v["id"].as_i64().expect("id");
    (a, id)
}

async fn saldo(app: &TestApp, utilizzatore: i64) -> i64 {
    sqlx::query("SELECT saldo_cents FROM utilizzatori WHERE id = $1")
        .bind(utilizzatore)
        .fetch_one(&app.db.read)
        .await
        .expect("saldo")
        .try_get(0)
        .expect("n")
}

/// Loads F24 lines (id, CF, causale, cents) paid today, as DG; returns each line's versamento id.
async fn flusso(app: &TestApp, righe: &[(&str, &str, &str, i64)]) -> Vec<i64> {
    let mut body = String::from(
        "id_riga,modello,codice_fiscale,sezione,causale,riferimento_a,riferimento_b,importo_centesimi,data_versamento\n",
    );
    let anno = &oggi()[..4];
    for (id, cf, causale, cents) in righe {
        body.push_str(&format!("{id},ELIDE,{cf},I,{causale},,{anno},{cents},{}\n", oggi()));
    }
    let dg = app.logged_in("operatore.dg").await;
    let (s, r) = read(
        dg.post(app.url("/api/v1/presto/f24")).header("content-type", "text/csv").body(body).send().await.expect("f24"),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{r}");
    let mut ids = vec![];
    for (id, ..) in righe {
        ids.push(
            sqlx::query("SELECT id FROM versamenti WHERE riferimento = $1")
                .bind(format!("F24-{id}"))
                .fetch_one(&app.db.read)
                .await
                .expect("riga")
                .try_get(0)
                .expect("id"),
        );
    }
    ids
}

async fn abbina(app: &TestApp, c: &Client, versamento: i64, utilizzatore: i64) -> (StatusCode, Value) {
    app.post(
        c,
        &format!("/api/v1/presto/operatore/versamenti/{versamento}/abbinamento"),
        json!({"utilizzatore_id": utilizzatore, "nota": "Versamento del legale rappresentante, verificato al telefono"}),
    )
    .await
}

both!(manual_matching_only_for_the_legal_representative, |engine: Engine| async move {
    let app = TestApp::spawn(engine).await;
    let rapp = fixtures::persona(&app, "Bruno", "Titolare").await;
    let altro = fixtures::persona(&app, "Carlo", "Estraneo").await;
    let (_, roma) = azienda_cpo(&app, "Bar Titolare SRL", "1300", &rapp, "bruno").await;
    let rapp_mi = fixtures::persona(&app, "Mirko", "Lombardo").await;
    let (_, milano) = azienda_cpo(&app, "Osteria Lombarda SRL", "4900", &rapp_mi, "mirko").await;
    let rapp_lt = fixtures::persona(&app, "Lina", "Pontina").await;
    let (_, latina) = azienda_cpo(&app, "Pontina SRL", "1400", &rapp_lt, "lina").await;
    let v = flusso(
        &app,
        &[
            ("M-1", &rapp.codice_fiscale, "CLOC", 30_000),
            ("M-2", &rapp.codice_fiscale, "LIFA", 5_000),
            ("M-3", &altro.codice_fiscale, "CLOC", 7_000),
            ("M-4", &rapp_mi.codice_fiscale, "CLOC", 9_000),
            ("M-5", &rapp_lt.codice_fiscale, "CLOC", 4_000),
        ],
    )
    .await;
    let op = app.logged_in("operatore.sede").await;
    // The sede's list: its company's lines with the reason; not Milan's, not a stranger's.
    let (s, list) = app.get(&op, "/api/v1/presto/operatore/versamenti").await;
    assert_eq!(s, StatusCode::OK, "{list}");
    let ids: Vec<i64> =
        list.as_array().expect("list").iter().map(|l| l["versamento"]["id"].as_i64().unwrap_or(0)).collect();
    assert!(ids.contains(&v[0]) && ids.contains(&v[1]), "{list}");
    assert!(!ids.contains(&v[2]) && !ids.contains(&v[3]) && !ids.contains(&v[4]), "only the sede's lines: {list}");
    let m1 = list.as_array().expect("list").iter().find(|l| l["versamento"]["id"] == v[0]).expect("M-1").clone();
    assert!(m1["versamento"]["motivo"].as_str().unwrap_or("").contains("legale rappresentante"), "{m1}");
    assert_eq!(m1["candidati"][0]["utilizzatore_id"], roma);
    assert_eq!(m1["candidati"][0]["puo_abbinare"], true);
    // The wrong causale is shown as not attachable.
    let m2 = list.as_array().expect("list").iter().find(|l| l["versamento"]["id"] == v[1]).expect("M-2").clone();
    assert_eq!(m2["candidati"][0]["puo_abbinare"], false, "{m2}");
    // Refusals, each with its rule: wrong causale, another person's CF, another sede, another
    // region (not even named), no note.
    let (s, r) = abbina(&app, &op, v[1], roma).await;
    assert_eq!((s, codes(&r)), (StatusCode::UNPROCESSABLE_ENTITY, vec!["PO.ABB.CAUSALE".to_string()]), "{r}");
    let (s, r) = abbina(&app, &op, v[2], roma).await;
    assert_eq!((s, codes(&r)), (StatusCode::UNPROCESSABLE_ENTITY, vec!["PO.ABB.VERSANTE".to_string()]), "{r}");
    let (s, r) = abbina(&app, &op, v[4], latina).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{r}");
    let (s, r) = abbina(&app, &op, v[3], milano).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{r}");
    assert!(!r.to_string().contains("Lombarda"), "{r}");
    let (s, r) = app
        .post(
            &op,
            &format!("/api/v1/presto/operatore/versamenti/{}/abbinamento", v[0]),
            json!({"utilizzatore_id": roma, "nota": ""}),
        )
        .await;
    assert_eq!((s, codes(&r)), (StatusCode::UNPROCESSABLE_ENTITY, vec!["required".to_string()]), "{r}");
    assert_eq!(saldo(&app, roma).await, 0, "nothing credited by a refusal");
    // The legal representative's CLOC line: credited at once, audited with the note.
    let (s, r) = abbina(&app, &op, v[0], roma).await;
    assert_eq!(s, StatusCode::OK, "{r}");
    assert_eq!(r["stato"], "abbinato_manuale");
    assert_eq!(saldo(&app, roma).await, 30_000);
    let (s, r) = abbina(&app, &op, v[0], roma).await;
    assert_eq!(s, StatusCode::CONFLICT, "a line already matched: {r}");
    assert_eq!(saldo(&app, roma).await, 30_000);
    let note: String = sqlx::query(
        "SELECT note FROM audit_log WHERE entity = 'versamento' AND action = 'abbinamento_manuale' AND entity_id = $1",
    )
    .bind(v[0].to_string())
    .fetch_one(&app.db.read)
    .await
    .expect("audit")
    .try_get(0)
    .expect("note");
    assert!(note.contains("legale rappresentante"), "{note}");
    // The user sees the payment in its wallet.
    let bruno = app.client();
    assert!(app.login(&bruno, "bruno", fixtures::PASSWORD).await.status().is_success());
    let (_, w) =
        app.get(&bruno, &format!("/api/v1/presto/portafoglio?soggetto_id={}", azienda_of(&app, roma).await)).await;
    assert_eq!(w["saldo"], 30_000, "{w}");
    assert!(w["versamenti"].as_array().expect("v").iter().any(|x| x["id"] == v[0]), "{w}");
});

async fn azienda_of(app: &TestApp, utilizzatore: i64) -> i64 {
    sqlx::query("SELECT contribuente_id FROM utilizzatori WHERE id = $1")
        .bind(utilizzatore)
        .fetch_one(&app.db.read)
        .await
        .expect("u")
        .try_get(0)
        .expect("id")
}

both!(concurrent_matching_credits_once_and_dg_undoes_only_unspent_money, |engine: Engine| async move {
    let app = TestApp::spawn(engine).await;
    let rapp = fixtures::persona(&app, "Dora", "Doppia").await;
    let (_, u) = azienda_cpo(&app, "Doppia SRL", "1300", &rapp, "dora").await;
    let v =
        flusso(&app, &[("C-1", &rapp.codice_fiscale, "CLOC", 12_000), ("C-2", &rapp.codice_fiscale, "CLOC", 5_000)])
            .await;
    let op = app.logged_in("operatore.sede").await;
    let dg = app.logged_in("operatore.dg").await;
    for round in 0..3 {
        let line = v[0];
        let (a, b) = tokio::join!(abbina(&app, &op, line, u), abbina(&app, &dg, line, u));
        let mut statuses = vec![a.0, b.0];
        statuses.sort();
        assert_eq!(statuses, vec![StatusCode::OK, StatusCode::CONFLICT], "round {round}: {a:?} {b:?}");
        assert_eq!(saldo(&app, u).await, 12_000, "round {round}: credited once");
        // The branch cannot undo; DG can, with a note, and the line is unmatched again.
        let undo = |c: &Client| {
            let (c, url) = (c.clone(), app.url(&format!("/api/v1/presto/operatore/versamenti/{line}/annullamento")));
            async move { read(c.post(url).json(&json!({"nota": "Abbinato per errore"})).send().await.expect("undo")).await }
        };
        let (s, _) = undo(&op).await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let (s, r) = undo(&dg).await;
        assert_eq!(s, StatusCode::OK, "{r}");
        assert_eq!(r["stato"], "non_abbinato");
        assert_eq!(saldo(&app, u).await, 0);
    }
    // Spent money cannot be taken back: match 120 €, spend 100 € of it, undo refused.
    let (s, _) = abbina(&app, &op, v[0], u).await;
    assert_eq!(s, StatusCode::OK);
    sqlx::query("UPDATE utilizzatori SET saldo_cents = saldo_cents - 10000 WHERE id = $1")
        .bind(u)
        .execute(&app.db.write)
        .await
        .expect("spend");
    let (s, r) = app
        .post(
            &dg,
            &format!("/api/v1/presto/operatore/versamenti/{}/annullamento", v[0]),
            json!({"nota": "Abbinato per errore"}),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "{r}");
    assert!(r["detail"].as_str().unwrap_or("").contains("già stata utilizzata"), "{r}");
    assert_eq!(saldo(&app, u).await, 2_000, "the wallet never goes negative");
    // Two undos of the same line at once, with money enough for both: it leaves the wallet once.
    sqlx::query("UPDATE utilizzatori SET saldo_cents = saldo_cents + 50000 WHERE id = $1")
        .bind(u)
        .execute(&app.db.write)
        .await
        .expect("other money");
    let (s, _) = abbina(&app, &op, v[1], u).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(saldo(&app, u).await, 57_000);
    let undo = |c: &Client| {
        let (c, url) = (c.clone(), app.url(&format!("/api/v1/presto/operatore/versamenti/{}/annullamento", v[1])));
        async move { read(c.post(url).json(&json!({"nota": "Abbinato per errore"})).send().await.expect("undo")).await }
    };
    let dg2 = app.logged_in("operatore.dg").await;
    let (a, b) = tokio::join!(undo(&dg), undo(&dg2));
    let mut statuses = vec![a.0, b.0];
    statuses.sort();
    assert_eq!(statuses, vec![StatusCode::OK, StatusCode::CONFLICT], "{a:?} {b:?}");
    assert_eq!(saldo(&app, u).await, 52_000, "taken back once");
    // The audit chain holds both matchings and undos.
    let n: i64 = sqlx::query("SELECT COUNT(*) FROM audit_log WHERE entity = 'versamento' AND action IN ('abbinamento_manuale', 'annullamento_abbinamento')")
        .fetch_one(&app.db.read)
        .await
        .expect("n")
        .try_get(0)
        .expect("n");
    assert_eq!(n, 9);
});

/// A professional using the CPO (category generale) with `euro` in the wallet.
async fn professionista(app: &TestApp, cognome: &str, euro: &str) -> (Client, i64) {
    let p = fixtures::persona(app, "Lia", cognome).await;
    let c = fixtures::utente(app, &format!("cat.{}", cognome.to_lowercase()), "utilizzatore", Some(&p)).await;
    let (s, v) = app
        .post(&c, "/api/v1/presto/utilizzatori", json!({"strumento": "cpo", "categoria": "generale", "ateco": "69.20", "dipendenti": "2", "sede_codice": "1300"}))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let id = v["id"].as_i64().expect("id");
    let (s, v) = app.post(&c, "/api/v1/presto/portafoglio/pagopa", json!({"importo": euro})).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    (c, id)
}

async fn una_prestazione(app: &TestApp, c: &Client) {
    let p = fixtures::persona(app, "Ezio", "Prestante").await;
    let pc = fixtures::utente(app, &format!("prest.{}", p.id), "prestatore", Some(&p)).await;
    let (s, v) = app
        .post(
            &pc,
            "/api/v1/presto/prestatori",
            json!({"modalita_pagamento": "bonifico_domiciliato", "sede_codice": "1300"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let domani =
        (shared::time::to_rome(Utc::now().naive_utc()).date() + Duration::days(1)).format("%d/%m/%Y").to_string();
    let (s, v) = app
        .post(c, "/api/v1/presto/prestazioni", json!({"prestatore": p.codice_fiscale, "giorno": domani, "ora_inizio": "09:00", "ora_fine": "13:00", "compenso": "40,00", "luogo": "Studio", "oggetto": "Archivio"}))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
}

both!(category_change_by_the_branch_or_by_dg_after_its_check, |engine: Engine| async move {
    let app = TestApp::spawn(engine).await;
    let op = app.logged_in("operatore.sede").await;
    let dg = app.logged_in("operatore.dg").await;
    let path = |id: i64| format!("/api/v1/presto/operatore/utilizzatore/{id}/categoria");
    let change = |c: &Client, id: i64, cat: &str, version: i64| {
        let (c, url) = (c.clone(), app.url(&path(id)));
        let body =
            json!({"categoria": cat, "nota": "Categoria indicata per errore in registrazione", "version": version});
        async move { read(c.put(url).json(&body).send().await.expect("put")).await }
    };
    // No prestazione yet: the branch changes it, audited, in the history.
    let (_, nuovo) = professionista(&app, "Nuova", "100,00").await;
    let (s, v) = app.get(&op, &path(nuovo)).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!((v["competenza"].as_str(), v["puo_modificare"].as_bool()), (Some("sede"), Some(true)), "{v}");
    let version = v["utilizzatore"]["version"].as_i64().expect("version");
    let (s, v) = change(&op, nuovo, "generale", version).await;
    assert_eq!((s, codes(&v)), (StatusCode::UNPROCESSABLE_ENTITY, vec!["invariata".to_string()]), "{v}");
    let (s, v) = change(&op, nuovo, "agricoltura", version).await;
    assert_eq!((s, codes(&v)), (StatusCode::UNPROCESSABLE_ENTITY, vec!["PO.CATEGORIA_AMMESSA".to_string()]), "{v}");
    let (s, v) = change(&op, nuovo, "alberghiero_ricettivo", version).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["utilizzatore"]["categoria"], "alberghiero_ricettivo");
    assert_eq!(v["cambi"][0]["stato"], "applicato");
    let (s, _) = change(&op, nuovo, "generale", version).await;
    assert_eq!(s, StatusCode::CONFLICT, "stale version");
    // Another region's operator: not found, nothing named.
    let (s, v) = app.get(&app.logged_in("operatore.milano").await, &path(nuovo)).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert!(!v.to_string().contains("Nuova"), "{v}");

    // With a prestazione: the branch may not; it forwards to DG, once.
    let (c, usato) = professionista(&app, "Usata", "200,00").await;
    una_prestazione(&app, &c).await;
    let (_, v) = app.get(&op, &path(usato)).await;
    assert_eq!(
        (v["competenza"].as_str(), v["puo_modificare"].as_bool(), v["puo_inoltrare"].as_bool()),
        (Some("dg"), Some(false), Some(true)),
        "{v}"
    );
    let version = v["utilizzatore"]["version"].as_i64().expect("version");
    let (s, v) = change(&op, usato, "pubblica_amministrazione", version).await;
    assert_eq!(s, StatusCode::CONFLICT, "{v}");
    assert!(v["detail"].as_str().unwrap_or("").contains("Direzione Generale"), "{v}");
    let inoltro = |cat: &str| {
        let (op, url) = (op.clone(), app.url(&format!("{}/inoltro", path(usato))));
        let body = json!({"categoria": cat, "nota": "Ente locale, registrato come generale", "version": version});
        async move { read(op.post(url).json(&body).send().await.expect("post")).await }
    };
    let (s, v) = inoltro("pubblica_amministrazione").await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["cambi"][0]["stato"], "inoltrato_dg");
    assert_eq!(v["puo_inoltrare"], false);
    let (s, _) = inoltro("alberghiero_ricettivo").await;
    assert_eq!(s, StatusCode::CONFLICT, "one request at a time");
    // DG's queue shows the prestazione that does not fit (no PA purpose) and refuses to apply.
    let (s, queue) = app.get(&dg, "/api/v1/presto/operatore/categorie").await;
    assert_eq!(s, StatusCode::OK, "{queue}");
    let req = queue.as_array().expect("queue").iter().find(|k| k["utilizzatore_id"] == usato).expect("request").clone();
    let checks: Vec<&str> =
        req["verifica"].as_array().expect("verifica").iter().map(|c| c["codice"].as_str().unwrap_or("")).collect();
    assert_eq!(checks, vec!["PO.FINALITA_PA"], "{req}");
    let decide = |c: &Client, esito: &str| {
        let (c, url) = (c.clone(), app.url(&format!("/api/v1/presto/operatore/categorie/{}/decisione", req["id"])));
        let body = json!({"esito": esito, "nota": "Verificate le prestazioni inserite"});
        async move { read(c.post(url).json(&body).send().await.expect("post")).await }
    };
    let (s, _) = decide(&op, "applica").await;
    assert_eq!(s, StatusCode::FORBIDDEN, "only DG decides");
    let (s, v) = decide(&dg, "applica").await;
    assert_eq!((s, codes(&v)), (StatusCode::UNPROCESSABLE_ENTITY, vec!["PO.FINALITA_PA".to_string()]), "{v}");
    assert!(v.to_string().contains("Prestazione n."), "{v}");
    let (s, v) = decide(&dg, "rifiuta").await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["stato"], "rifiutato");
    assert_eq!(v["verifica"].as_array().map(Vec::len), Some(1), "the refusal keeps the check: {v}");
    let (s, _) = decide(&dg, "applica").await;
    assert_eq!(s, StatusCode::CONFLICT, "already decided");
    // A change every prestazione fits: forwarded, then applied by DG.
    let (s, v) = inoltro("alberghiero_ricettivo").await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (_, queue) = app.get(&dg, "/api/v1/presto/operatore/categorie").await;
    let req = queue
        .as_array()
        .expect("queue")
        .iter()
        .find(|k| k["utilizzatore_id"] == usato && k["stato"] == "inoltrato_dg")
        .expect("request")
        .clone();
    assert_eq!(req["verifica"], json!([]), "{req}");
    let (s, v) = app
        .post(
            &dg,
            &format!("/api/v1/presto/operatore/categorie/{}/decisione", req["id"]),
            json!({"esito": "applica", "nota": "Prestazioni coerenti"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (_, v) = app.get(&op, &path(usato)).await;
    assert_eq!(v["utilizzatore"]["categoria"], "alberghiero_ricettivo", "{v}");
    let actions: Vec<String> = sqlx::query("SELECT action FROM audit_log WHERE action IN ('cambio_categoria', 'inoltro_dg', 'cambio_respinto', 'cambio_applicato') ORDER BY seq")
        .fetch_all(&app.db.read)
        .await
        .expect("audit")
        .iter()
        .map(|r| r.try_get(0).expect("action"))
        .collect();
    assert_eq!(actions, vec!["cambio_categoria", "inoltro_dg", "cambio_respinto", "inoltro_dg", "cambio_applicato"]);
});

async fn text(app: &TestApp, sql: &str) -> String {
    sqlx::query(sql).fetch_one(&app.db.read).await.expect(sql).try_get(0).expect("value")
}

both!(delega_check_opens_the_delegante_only_when_valid_today, |engine: Engine| async move {
    let app = TestApp::spawn(engine).await;
    let giulia = text(
        &app,
        "SELECT p.codice_fiscale FROM persone p JOIN users u ON u.persona_id = p.id WHERE u.username = 'intermediario'",
    )
    .await;
    let rossi = app.company_id("Rossi & Figli S.r.l.").await;
    let rossi_cf = text(&app, &format!("SELECT codice_fiscale FROM contribuenti WHERE id = {rossi}")).await;
    let verdi_cf = text(&app, "SELECT c.codice_fiscale FROM deleghe g JOIN users u ON u.persona_id = g.delegato_persona_id JOIN contribuenti c ON c.id = g.contribuente_id WHERE u.username = 'intermediario' AND g.data_fine < '2026-12-04' ORDER BY g.id").await;
    let verdi: i64 = sqlx::query("SELECT id FROM contribuenti WHERE codice_fiscale = $1")
        .bind(&verdi_cf)
        .fetch_one(&app.db.read)
        .await
        .expect("verdi")
        .try_get(0)
        .expect("id");
    let op = app.logged_in("operatore.sede").await;
    let check = |c: &Client, delegante: &str, ruolo: &str| {
        let (c, url) = (
            c.clone(),
            app.url(&format!("/api/v1/presto/operatore/deleghe?delegato={giulia}&delegante={delegante}&ruolo={ruolo}")),
        );
        async move { read(c.get(url).send().await.expect("get")).await }
    };
    let (s, v) = check(&op, &rossi_cf, "intermediario").await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["stato"], "valida", "{v}");
    assert_eq!(v["contribuente_id"], rossi);
    assert!(v["utilizzatore_id"].as_i64().is_some(), "Rossi uses the CPO: {v}");
    assert!(v["delega"]["documento"].as_str().unwrap_or("").starts_with("DLG-"), "{v}");
    // Expired (Verdi is outside Lazio: the head office looks): shown with its dates, but no way
    // into the delegante's position.
    let (_, v) = check(&app.logged_in("operatore.dg").await, &verdi_cf, "intermediario").await;
    assert_eq!(v["stato"], "scaduta", "{v}");
    assert!(v["messaggio"].as_str().unwrap_or("").contains("non è accessibile"), "{v}");
    assert_eq!((v["contribuente_id"].clone(), v["utilizzatore_id"].clone()), (Value::Null, Value::Null));
    // Another role, or another region's operator: no delega, nothing named.
    let (_, v) = check(&op, &rossi_cf, "dipendente").await;
    assert_eq!((v["stato"].as_str(), v["delega"].clone()), (Some("assente"), Value::Null), "{v}");
    let (_, v) = check(&app.logged_in("operatore.milano").await, &rossi_cf, "intermediario").await;
    assert_eq!(v["stato"], "assente", "{v}");
    assert!(!v.to_string().contains("Rossi"), "{v}");
    // Bad keys: every field at once; a user is refused.
    let (s, v) = check(&op, "123", "notaio").await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    let fields: Vec<&str> =
        v["errors"].as_array().expect("errors").iter().map(|e| e["field"].as_str().unwrap_or("")).collect();
    assert_eq!(fields, vec!["delegante", "ruolo"], "{v}");
    let (s, _) = check(&app.logged_in("intermediario").await, &rossi_cf, "intermediario").await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    // The intermediary reaches a PrestO wallet only through a delega valid today.
    let giulia_c = app.logged_in("intermediario").await;
    let (s, v) = app.get(&giulia_c, &format!("/api/v1/presto/portafoglio?soggetto_id={rossi}")).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (s, v) = app.get(&giulia_c, &format!("/api/v1/presto/portafoglio?soggetto_id={verdi}")).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{v}");
    assert!(v["detail"].as_str().unwrap_or("").contains("scaduta"), "{v}");
});
