//! Smart-Task 15 (Fondo di Tesoreria, 1R) and 16 (replacement of a worker on leave, 9R) through
//! /api/v1 on both engines: refused while "in arrivo"; the threshold in force on the day the
//! obligation arose (31/12/2025: 50, 01/01/2026: 60) against the UniEmens average; the transfer
//! of staff from a liable employer; the code on every matricola, once; 19.5 and 20 employees.

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

    // While "in arrivo" (the demo data activate it: put back), refused with a clear problem.
    let admin = app.logged_in("admin.idm").await;
    let url = format!("/api/v1/smart-task/attivazioni/{T}");
    let (s, v) = app.put(&admin, &url, json!({ "attivo_dal": "", "nota": "In arrivo", "version": 1 })).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let body = json!({ "tipo": T, "soggetto_id": grande.id, "oggetto": "", "risposte": soglia("31/12/2025") });
    let (s, v) = submit(&app, &c, body, None).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert_eq!(v["errors"][0]["code"], "not_active");
    let (s, v) = app.put(&admin, &url, json!({ "attivo_dal": today(), "nota": "Attivazione 1R", "version": 2 })).await;
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

async fn ask16(app: &TestApp, c: &Client, ditta: i64, leave: i64, r: Value) -> Value {
    let body =
        json!({ "tipo": "sostituzione_maternita", "soggetto_id": ditta, "oggetto": leave.to_string(), "risposte": r });
    let (s, v) = submit(app, c, body, None).await;
    assert_eq!(s, StatusCode::ACCEPTED, "{v}");
    decided(app, c, v["protocollo"].as_str().expect("protocollo")).await
}

both!(sostituzione_maternita, |engine: Engine| async move {
    let app = TestApp::spawn(engine).await;
    let lr = fixtures::persona(&app, "Natalia", "Ginzburg").await;
    let piccola = Azienda::new("Ginzburg Piccola S.r.l.").rappresentata_da(&lr).crea(&app).await;
    let venti = Azienda::new("Ginzburg Venti S.r.l.").rappresentata_da(&lr).crea(&app).await;
    let c = fixtures::utente(&app, "natalia.ginzburg", "datore", Some(&lr)).await;
    let day = |s: &str| shared::time::parse_date_it(s).expect("day");
    // January 2026: 19 full-time and one half-time (19.5; the apprentices do not count) – and 20.
    fixtures::forza_lavoro(&app, piccola.posizione_id, "2026-01", (19, 1, 50, 4)).await;
    fixtures::forza_lavoro(&app, venti.posizione_id, "2026-01", (19, 2, 100, 0)).await;
    let cf = "BNCGLI90A41H501E";
    let (dal, al, evento) = (day("01/03/2026"), day("31/07/2026"), day("15/04/2026"));
    let leave = fixtures::congedo(&app, piccola.posizione_id, cf, dal, al, evento).await;
    let leave_venti = fixtures::congedo(&app, venti.posizione_id, cf, dal, al, evento).await;
    let td = |inizio: &str| json!({ "cf_sostituto": "RSSMRA85T10A562S", "tipo_contratto": "tempo_determinato", "data_assunzione": inizio, "data_scadenza": "31/12/2026" });

    // The leave is the target: the page lists it with what INPS knows.
    let path = format!("/api/v1/smart-task/tipi/sostituzione_maternita/oggetti?soggetto_id={}", piccola.id);
    let (s, list) = app.get(&c, &path).await;
    assert_eq!(s, StatusCode::OK, "{list}");
    assert!(list.to_string().contains("congedo di maternità dal 01/03/2026 al 31/07/2026"), "{list}");

    // An agency contract: the fixed-term contract's dates are not taken.
    let body = json!({ "tipo": "sostituzione_maternita", "soggetto_id": piccola.id, "oggetto": leave.to_string(),
        "risposte": { "cf_sostituto": "RSSMRA85T10A562S", "tipo_contratto": "somministrazione", "data_assunzione": "01/02/2026" } });
    let (s, v) = submit(&app, &c, body, None).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert_eq!(v["errors"][0]["code"], "not_applicable", "{v}");

    let v = ask16(&app, &c, venti.id, leave_venti, td("01/02/2026")).await;
    assert_eq!(failed_codes(&v), ["ST16.MENO_DI_20_DIPENDENTI"]);
    assert!(v["controlli"].to_string().contains("20 dipendenti"), "{v}");
    let v = ask16(&app, &c, piccola.id, leave_venti, td("01/02/2026")).await;
    assert_eq!(failed_codes(&v), ["ST16.CONGEDO_DEL_CONTRIBUENTE"]);
    // Starting 31/01 the month before is December (no workers declared): only the window fails.
    let v = ask16(&app, &c, piccola.id, leave, td("31/01/2026")).await;
    assert_eq!(failed_codes(&v), ["ST16.SOSTITUZIONE_DURANTE_CONGEDO"]);
    let mut stesso = td("01/02/2026");
    stesso["cf_sostituto"] = json!(cf);
    let v = ask16(&app, &c, piccola.id, leave, stesso).await;
    assert_eq!(failed_codes(&v), ["ST16.SOSTITUTO_DIVERSO_DAL_SOSTITUITO"]);
    let v = ask16(&app, &c, piccola.id, leave, td("01/02/2026")).await;
    assert_eq!(v["stato"], "accolta", "{v}");
    assert!(v["controlli"].to_string().contains("19,5 dipendenti"), "{v}");
    let r: (String, String, Option<String>) =
        sqlx::query("SELECT codice, dal, al FROM posizioni_codici WHERE posizione_id = $1")
            .bind(piccola.posizione_id)
            .fetch_one(&app.db.read)
            .await
            .map(|r| (r.try_get(0).expect("c"), r.try_get(1).expect("d"), r.try_get(2).expect("a")))
            .expect("9R");
    assert_eq!(r, ("9R".into(), "2026-02-01".into(), Some("2026-12-31".into())));
});
