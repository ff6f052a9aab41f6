//! Smart-Task 15 (Fondo di Tesoreria, 1R) through /api/v1 on both engines: shipped "in arrivo"
//! and refused until the head office activates it; the threshold in force on the day the
//! obligation arose (31/12/2025: 50, 01/01/2026: 60) against the UniEmens average; the transfer
//! of staff from a liable employer; the code on every matricola, once.

use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use sportello_tests::fixtures::{self, Azienda, AziendaCreata};
use sportello_tests::st::{decided, failed_codes, submit, today};
use sportello_tests::{Engine, TestApp, both};
use sqlx::Row;

const T: &str = "fondo_tesoreria";

async fn ask(app: &TestApp, c: &Client, ditta: &AziendaCreata, risposte: Value) -> Value {
    let body = json!({ "tipo": T, "soggetto_id": ditta.id, "oggetto": ditta.id.to_string(), "risposte": risposte });
    let (s, v) = submit(app, c, body, None).await;
    assert_eq!(s, StatusCode::ACCEPTED, "{v}");
    decided(app, c, v["protocollo"].as_str().expect("protocollo")).await
}

/// 55 full-time workers every month of 2024 and 2025.
async fn cinquantacinque(app: &TestApp, ditta: &AziendaCreata) {
    for anno in [2024, 2025] {
        for mese in 1..=12 {
            fixtures::forza_lavoro(app, ditta.posizione_id, &format!("{anno}-{mese:02}"), (55, 0, 0, 3)).await;
        }
    }
}

async fn codici(app: &TestApp, ditta: &AziendaCreata) -> Vec<(String, String)> {
    sqlx::query("SELECT codice, dal FROM posizioni_codici WHERE posizione_id = $1 ORDER BY dal")
        .bind(ditta.posizione_id)
        .fetch_all(&app.db.read)
        .await
        .expect("codici")
        .iter()
        .map(|r| (r.try_get("codice").expect("codice"), r.try_get("dal").expect("dal")))
        .collect()
}

both!(fondo_tesoreria, |engine: Engine| async move {
    let app = TestApp::spawn(engine).await;
    let lr = fixtures::persona(&app, "Primo", "Levi").await;
    let grande = Azienda::new("Levi Grande S.r.l.").rappresentata_da(&lr).crea(&app).await;
    let nuova = Azienda::new("Levi Nuova S.r.l.").rappresentata_da(&lr).crea(&app).await;
    let cessionaria = Azienda::new("Levi Cessionaria S.r.l.").rappresentata_da(&lr).crea(&app).await;
    let ente = Azienda::new("Comune di Levi").natura("ENTE_PUBBLICO").rappresentata_da(&lr).crea(&app).await;
    let c = fixtures::utente(&app, "primo.levi", "datore", Some(&lr)).await;
    cinquantacinque(&app, &grande).await;
    cinquantacinque(&app, &nuova).await;
    cinquantacinque(&app, &ente).await;
    let soglia = |dal: &str| json!({ "data_decorrenza": dal, "base_obbligo": "soglia" });

    // Shipped switched off: refused with a clear problem until the head office activates it.
    let body = json!({ "tipo": T, "soggetto_id": grande.id, "oggetto": "", "risposte": soglia("31/12/2025") });
    let (s, v) = submit(&app, &c, body, None).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert_eq!(v["errors"][0]["code"], "not_active");
    let admin = app.logged_in("admin.idm").await;
    let (s, v) = app
        .put(
            &admin,
            &format!("/api/v1/smart-task/attivazioni/{T}"),
            json!({ "attivo_dal": today(), "nota": "Attivazione 1R", "version": 0 }),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");

    // The transferor's codice fiscale belongs only to a transfer: the API refuses it otherwise.
    let mut r = soglia("31/12/2025");
    r["cf_cedente"] = json!(grande.codice_fiscale);
    let body = json!({ "tipo": T, "soggetto_id": grande.id, "oggetto": "", "risposte": r });
    let (s, v) = submit(&app, &c, body, None).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert_eq!(
        (v["errors"][0]["field"].as_str(), v["errors"][0]["code"].as_str()),
        (Some("cf_cedente"), Some("not_applicable"))
    );

    // 55 employees: enough with the threshold of 50 (31/12/2025), not with the 60 of 01/01/2026.
    let v = ask(&app, &c, &nuova, soglia("01/01/2026")).await;
    assert_eq!(v["stato"], "non_accolta", "{v}");
    assert_eq!(failed_codes(&v), ["ST15.SOGLIA_DIMENSIONALE"]);
    assert!(v["controlli"].to_string().contains("sotto la soglia di 60"), "{v}");
    let v = ask(&app, &c, &grande, soglia("31/12/2025")).await;
    assert_eq!(v["stato"], "accolta", "{v}");
    assert_eq!(codici(&app, &grande).await, [("1R".to_string(), "2025-12-31".to_string())]);
    let v = ask(&app, &c, &grande, soglia("31/12/2025")).await;
    assert_eq!(failed_codes(&v), ["ST15.CODICE_1R_NON_PRESENTE"]);

    // A transfer of staff: from a liable employer accepted, from one that is not refused.
    let da = |cf: &str| json!({ "data_decorrenza": "01/03/2026", "base_obbligo": "trasferimento", "cf_cedente": cf });
    let v = ask(&app, &c, &cessionaria, da(&nuova.codice_fiscale)).await;
    assert_eq!(failed_codes(&v), ["ST15.CEDENTE_TENUTO_AL_VERSAMENTO"]);
    let v = ask(&app, &c, &cessionaria, da(&grande.codice_fiscale)).await;
    assert_eq!(v["stato"], "accolta", "{v}");
    assert_eq!(codici(&app, &cessionaria).await, [("1R".to_string(), "2026-03-01".to_string())]);

    // A public body does not pay into the Fund.
    let v = ask(&app, &c, &ente, soglia("31/12/2025")).await;
    assert_eq!(failed_codes(&v), ["ST15.DATORE_PRIVATO"]);
});
