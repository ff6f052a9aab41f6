//! "What if" over stored decisions, on both engines: a new threshold for the Fondo di Tesoreria
//! from 01/01/2026 flips exactly the decisions it should, names the check, changes nothing, and
//! the CSV has one row per decision re-run.

use reqwest::StatusCode;
use serde_json::{Value, json};
use sportello_tests::fixtures::{self, Azienda};
use sportello_tests::st::{decided, submit};
use sportello_tests::{Engine, TestApp, both, read};
use sqlx::Row;

fn domanda(valore: &str, valido_dal: &str) -> Value {
    let oggi = sportello_tests::st::today();
    json!({ "tipo": "fondo_tesoreria", "dal": oggi, "al": oggi, "parametro": "ST.TESORERIA.SOGLIA_DIPENDENTI",
            "valore": valore, "valido_dal": valido_dal })
}

both!(what_if_finds_exactly_the_decisions_a_change_flips, |engine: Engine| async move {
    let app = TestApp::spawn(engine).await;
    let lr = fixtures::persona(&app, "Italo", "Calvino").await;
    let c = fixtures::utente(&app, "italo.calvino", "datore", Some(&lr)).await;
    // Average 2025 headcounts 45, 55, 58, 62; decided with the threshold of 60 (01/01/2026).
    let mut protocolli = vec![];
    for n in [45, 55, 58, 62] {
        let ditta = Azienda::new(&format!("Calvino {n} S.r.l.")).rappresentata_da(&lr).crea(&app).await;
        for mese in 1..=12 {
            fixtures::forza_lavoro(&app, ditta.posizione_id, &format!("2025-{mese:02}"), (n, 0, 0, 0)).await;
        }
        let body = json!({ "tipo": "fondo_tesoreria", "soggetto_id": ditta.id, "oggetto": "",
                           "risposte": { "data_decorrenza": "01/01/2026", "base_obbligo": "soglia" } });
        let (s, v) = submit(&app, &c, body, None).await;
        assert_eq!(s, StatusCode::ACCEPTED, "{v}");
        let v = decided(&app, &c, v["protocollo"].as_str().expect("protocollo")).await;
        assert_eq!(v["stato"], if n >= 60 { "accolta" } else { "non_accolta" }, "{v}");
        protocolli.push(v["protocollo"].as_str().expect("protocollo").to_string());
    }
    let stored: i64 = sqlx::query("SELECT COUNT(*) FROM posizioni_codici")
        .fetch_one(&app.db.read)
        .await
        .expect("n")
        .try_get(0)
        .expect("n");
    let dg = app.logged_in("operatore.dg").await;

    // 56 from 01/01/2026: only the company with 58 would now be accepted.
    let (s, v) = app.post(&dg, "/api/v1/smart-task/simulazioni", domanda("56", "01/01/2026")).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(
        (v["esaminate"].as_u64(), v["cambiate"].as_u64(), v["ora_accolte"].as_u64()),
        (Some(4), Some(1), Some(1)),
        "{v}"
    );
    assert_eq!(v["per_controllo"], json!([["ST15.SOGLIA_DIMENSIONALE", 1]]));
    assert_eq!(v["cambiate_elenco"][0]["protocollo"], protocolli[2]);
    assert_eq!(
        (v["cambiate_elenco"][0]["esito_prima"].as_str(), v["cambiate_elenco"][0]["esito_dopo"].as_str()),
        (Some("non accolta"), Some("accolta"))
    );
    // 64 from 01/01/2026: the company with 62 would no longer be.
    let (_, v) = app.post(&dg, "/api/v1/smart-task/simulazioni", domanda("64", "01/01/2026")).await;
    assert_eq!((v["cambiate"].as_u64(), v["non_piu_accolte"].as_u64()), (Some(1), Some(1)), "{v}");
    assert_eq!(v["cambiate_elenco"][0]["protocollo"], protocolli[3]);
    // From 02/01/2026 the decisions (read as of 01/01/2026) do not change.
    let (_, v) = app.post(&dg, "/api/v1/smart-task/simulazioni", domanda("40", "02/01/2026")).await;
    assert_eq!((v["esaminate"].as_u64(), v["cambiate"].as_u64()), (Some(4), Some(0)), "{v}");

    // The CSV: a row per decision, the changed one marked.
    let q = "?tipo=fondo_tesoreria&dal={o}&al={o}&parametro=ST.TESORERIA.SOGLIA_DIPENDENTI&valore=56&valido_dal=01/01/2026&formato=csv";
    let url =
        app.url(&format!("/api/v1/smart-task/simulazioni/export{}", q.replace("{o}", &sportello_tests::st::today())));
    let r = dg.get(url).send().await.expect("csv");
    assert_eq!(r.status(), StatusCode::OK);
    let text = r.text().await.expect("text");
    let righe: Vec<&str> = text.lines().collect();
    assert_eq!(righe.len(), 5, "{text}");
    assert!(
        righe.iter().any(|l| l.starts_with(&protocolli[2]) && l.contains(";sì;ST15.SOGLIA_DIMENSIONALE")),
        "{text}"
    );

    // Nothing changed; bad input and other roles refused.
    let after: i64 = sqlx::query("SELECT COUNT(*) FROM posizioni_codici")
        .fetch_one(&app.db.read)
        .await
        .expect("n")
        .try_get(0)
        .expect("n");
    assert_eq!(after, stored);
    let mut bad = domanda("56", "01/01/2026");
    bad["parametro"] = json!("ST.INVENTATO");
    let (s, v) = app.post(&dg, "/api/v1/smart-task/simulazioni", bad).await;
    assert_eq!((s, v["errors"][0]["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("parametro")), "{v}");
    let r = c
        .post(app.url("/api/v1/smart-task/simulazioni"))
        .json(&domanda("56", "01/01/2026"))
        .send()
        .await
        .expect("post");
    assert_eq!(read(r).await.0, StatusCode::FORBIDDEN);
});
