//! The sede's lists for checks on both engines: scope, filters, paging, CSV / XLSX exports with
//! as many rows as the list, reproducible samples and the recorded outcomes of their rows.

use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use sportello_tests::{Engine, TestApp, both, read};
use sqlx::Row;

/// Every prestazione of the demo: from eight years ago to the end of next year.
fn periodo() -> String {
    let y = chrono::Datelike::year(&chrono::Utc::now().date_naive());
    format!("dal=01/01/{}&al=31/12/{}", y - 8, y + 1)
}

async fn export(app: &TestApp, c: &Client, path: &str) -> (StatusCode, String, Vec<u8>) {
    let r = c.get(app.url(path)).send().await.expect("export");
    let s = r.status();
    let ct = r.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    (s, ct, r.bytes().await.expect("body").to_vec())
}

fn csv_rows(body: &[u8]) -> Vec<String> {
    let text = String::from_utf8(body.strip_prefix(&[0xEF, 0xBB, 0xBF][..]).expect("BOM").to_vec()).expect("utf-8");
    text.lines().skip(1).map(str::to_string).collect()
}

both!(lists_are_the_sedes_filtered_paged_and_exported_whole, |engine: Engine| async move {
    let app = TestApp::spawn(engine).await;
    let op = app.logged_in("operatore.sede").await;
    let (s, all) = app.get(&op, &format!("/api/v1/presto/operatore/elenchi?{}", periodo())).await;
    assert_eq!(s, StatusCode::OK, "{all}");
    let totale = all["totale"].as_i64().expect("totale");
    assert!(totale >= 6, "the demo's users of Roma Eur: {all}");
    assert!(all["righe"].as_array().expect("righe").iter().all(|r| r["prestazioni"].as_i64().unwrap_or(0) > 0));
    // Past the last page: no rows, the same total.
    let (_, far) = app.get(&op, &format!("/api/v1/presto/operatore/elenchi?{}&pagina=999", periodo())).await;
    assert_eq!((far["totale"].as_i64(), far["righe"].as_array().map(Vec::len)), (Some(totale), Some(0)), "{far}");
    // Filters: the Libretto Famiglia only; a minimum amount; prestatori of a special category.
    let (_, lf) = app.get(&op, &format!("/api/v1/presto/operatore/elenchi?{}&strumento=lf", periodo())).await;
    assert!(
        lf["righe"]
            .as_array()
            .expect("righe")
            .iter()
            .all(|r| r["descrizione"].as_str().unwrap_or("").starts_with("Libretto")),
        "{lf}"
    );
    assert!(lf["totale"].as_i64() < Some(totale));
    let (_, big) = app.get(&op, &format!("/api/v1/presto/operatore/elenchi?{}&importo_min=1.000,00", periodo())).await;
    assert!(
        big["righe"].as_array().expect("righe").iter().all(|r| r["compenso"].as_i64().unwrap_or(0) >= 100_000),
        "{big}"
    );
    let (s, pens) = app
        .get(
            &op,
            &format!("/api/v1/presto/operatore/elenchi?{}&tipo=prestatori&categoria_speciale=pensionato", periodo()),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{pens}");
    assert!(pens["totale"].as_i64() >= Some(1), "{pens}");
    assert!(
        pens["righe"]
            .as_array()
            .expect("righe")
            .iter()
            .all(|r| r["descrizione"].as_str().unwrap_or("").contains("categoria speciale")),
        "{pens}"
    );
    // Bad filters: every field at once.
    let (s, v) = app.get(&op, "/api/v1/presto/operatore/elenchi?dal=31/02/2026&al=&strumento=x").await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    let fields: Vec<&str> =
        v["errors"].as_array().expect("e").iter().map(|e| e["field"].as_str().unwrap_or("")).collect();
    assert_eq!(fields, vec!["dal", "al", "strumento"]);
    // The export holds exactly the list's rows, in CSV and in XLSX.
    let (s, ct, body) =
        export(&app, &op, &format!("/api/v1/presto/operatore/elenchi/export?{}&formato=csv", periodo())).await;
    assert_eq!(s, StatusCode::OK);
    assert!(ct.starts_with("text/csv"), "{ct}");
    let rows = csv_rows(&body);
    assert_eq!(rows.len() as i64, totale);
    let first = all["righe"][0]["codice_fiscale"].as_str().expect("cf");
    assert!(rows[0].contains(first), "same order as the page: {} vs {first}", rows[0]);
    let (s, ct, body) =
        export(&app, &op, &format!("/api/v1/presto/operatore/elenchi/export?{}&formato=xlsx", periodo())).await;
    assert_eq!(s, StatusCode::OK);
    assert!(ct.contains("spreadsheetml"), "{ct}");
    assert!(body.starts_with(b"PK"), "an XLSX is a zip");
    // Compressed on the way (as browsers ask): the stream still ends cleanly.
    for enc in ["zstd", "br", "gzip"] {
        let r = op
            .get(app.url(&format!("/api/v1/presto/operatore/elenchi/export?{}&formato=csv", periodo())))
            .header("accept-encoding", enc)
            .send()
            .await
            .expect("export");
        assert_eq!(r.headers().get("content-encoding").and_then(|v| v.to_str().ok()), Some(enc));
        assert!(!r.bytes().await.expect("the whole compressed body").is_empty());
    }
    let (s, _, _) =
        export(&app, &op, &format!("/api/v1/presto/operatore/elenchi/export?{}&formato=pdf", periodo())).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    // Another region's operator sees none of Roma's; a user may not list.
    let (_, mi) = app
        .get(&app.logged_in("operatore.milano").await, &format!("/api/v1/presto/operatore/elenchi?{}", periodo()))
        .await;
    let roma_cf: Vec<&str> =
        all["righe"].as_array().expect("r").iter().filter_map(|r| r["codice_fiscale"].as_str()).collect();
    assert!(
        mi["righe"]
            .as_array()
            .expect("r")
            .iter()
            .all(|r| !roma_cf.contains(&r["codice_fiscale"].as_str().unwrap_or(""))),
        "{mi}"
    );
    let (s, _) =
        app.get(&app.logged_in("utilizzatore").await, &format!("/api/v1/presto/operatore/elenchi?{}", periodo())).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
});

async fn estrai(app: &TestApp, c: &Client, body: Value) -> (StatusCode, Value) {
    app.post(c, "/api/v1/presto/operatore/campioni", body).await
}

fn soggetti(v: &Value) -> Vec<i64> {
    v["righe"].as_array().expect("righe").iter().map(|r| r["soggetto_id"].as_i64().unwrap_or(0)).collect()
}

both!(samples_are_reproducible_and_their_rows_are_worked_through, |engine: Engine| async move {
    let app = TestApp::spawn(engine).await;
    let op = app.logged_in("operatore.sede").await;
    let y = chrono::Datelike::year(&chrono::Utc::now().date_naive());
    let (dal, al) = (format!("01/01/{}", y - 8), format!("31/12/{}", y + 1));
    let elenco = json!({"dal": dal, "al": al});
    let (s, a) =
        estrai(&app, &op, json!({"nome": "Verifica 2026", "elenco": elenco, "percentuale": "50", "seme": "12345"}))
            .await;
    assert_eq!(s, StatusCode::CREATED, "{a}");
    let n = a["righe_elenco"].as_i64().expect("n");
    assert_eq!(a["righe"].as_array().map(Vec::len), Some(((n + 1) / 2) as usize), "50 % rounded up: {a}");
    assert_eq!(a["seme"], "12345");
    let (_, b) =
        estrai(&app, &op, json!({"nome": "Verifica 2026 bis", "elenco": elenco, "percentuale": "50", "seme": "12345"}))
            .await;
    assert_eq!(soggetti(&a), soggetti(&b), "same list and seed, same rows in the same order");
    let (_, c) =
        estrai(&app, &op, json!({"nome": "Due righe", "elenco": elenco, "numero": "2", "stratificato": true})).await;
    assert_eq!(c["righe"].as_array().map(Vec::len), Some(2), "{c}");
    assert!(c["seme"].as_str().unwrap_or("").parse::<u64>().is_ok(), "a seed drawn by the server is recorded: {c}");
    // Refusals.
    let (s, v) = estrai(&app, &op, json!({"nome": "X", "elenco": elenco, "percentuale": "10", "numero": "3"})).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    let (s, v) = estrai(
        &app,
        &op,
        json!({"nome": "Vuoto", "elenco": {"dal": dal, "al": al, "importo_min": "99.999.999,00"}, "percentuale": "10"}),
    )
    .await;
    assert_eq!((s, v["errors"][0]["code"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("empty")), "{v}");
    // A row's outcome: a negative one needs a note; a stale version is a conflict; audited.
    let id = a["id"].as_i64().expect("id");
    let row = a["righe"][0].clone();
    let path = format!("/api/v1/presto/operatore/campioni/{id}/righe/{}", row["id"]);
    let (s, v) = app.put(&op, &path, json!({"esito": "non_conforme", "nota": "", "version": row["version"]})).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    let (s, v) = app
        .put(
            &op,
            &path,
            json!({"esito": "non_conforme", "nota": "Pensione non risultante agli archivi", "version": row["version"]}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["verificate"], 1);
    let (s, _) = app.put(&op, &path, json!({"esito": "conforme", "nota": "", "version": row["version"]})).await;
    assert_eq!(s, StatusCode::CONFLICT);
    let audit: i64 = sqlx::query("SELECT COUNT(*) FROM audit_log WHERE entity = 'campione' AND action IN ('estrazione_campione', 'verifica_riga')")
        .fetch_one(&app.db.read).await.expect("audit").try_get(0).expect("n");
    assert_eq!(audit, 4);
    // The sample's export carries the outcome; another region's operator does not see it.
    let r = op
        .get(app.url(&format!("/api/v1/presto/operatore/campioni/{id}/export?formato=csv")))
        .send()
        .await
        .expect("get");
    let body = r.bytes().await.expect("body");
    let rows = csv_rows(&body);
    assert_eq!(rows.len(), a["righe"].as_array().map(Vec::len).unwrap_or(0));
    assert!(rows[0].contains("non_conforme") && rows[0].contains("Pensione non risultante"), "{}", rows[0]);
    let (s, v) = read(
        app.logged_in("operatore.milano")
            .await
            .get(app.url(&format!("/api/v1/presto/operatore/campioni/{id}")))
            .send()
            .await
            .expect("get"),
    )
    .await;
    assert_eq!(s, StatusCode::NOT_FOUND, "{v}");
    let (_, list) = app.get(&op, "/api/v1/presto/operatore/campioni").await;
    assert!(list.as_array().expect("list").iter().any(|k| k["id"] == id && k["verificate"] == 1), "{list}");
});
