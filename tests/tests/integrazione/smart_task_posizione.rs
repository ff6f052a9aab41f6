//! Smart-Task 9 (suspension), 10 (reactivation) and 11 (provisional cessation) through /api/v1
//! on both engines: accepted, and each refusal code, on a position the test builds (state,
//! history, UniEmens workforce); the 18-month limit on both sides, with the server's clock
//! set to the day of the request.

use chrono::{Duration, Months, NaiveDate};
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use shared::periodo::Periodo;
use sportello_tests::fixtures::{self, Azienda};
use sportello_tests::st::{decided, failed_codes, submit};
use sportello_tests::{Engine, TestApp, both};
use sqlx::Row;

fn it(d: NaiveDate) -> String {
    shared::time::format_date_it(d)
}

fn first_day(p: Periodo) -> NaiveDate {
    NaiveDate::from_ymd_opt(p.anno(), p.mese(), 1).expect("day")
}

async fn ask(app: &TestApp, c: &Client, tipo: &str, soggetto: i64, pos: i64, risposte: Value) -> Value {
    let body = json!({ "tipo": tipo, "soggetto_id": soggetto, "oggetto": pos.to_string(), "risposte": risposte });
    let (s, v) = submit(app, c, body, None).await;
    assert_eq!(s, StatusCode::ACCEPTED, "{v}");
    decided(app, c, v["protocollo"].as_str().expect("protocollo")).await
}

async fn refused(app: &TestApp, c: &Client, tipo: &str, soggetto: i64, pos: i64, risposte: Value) -> Vec<String> {
    let v = ask(app, c, tipo, soggetto, pos, risposte).await;
    assert_eq!(v["stato"], "non_accolta", "{v}");
    failed_codes(&v)
}

async fn stato(app: &TestApp, pos: i64) -> (i64, String) {
    let r = sqlx::query("SELECT stato, stato_dal FROM posizioni WHERE id = $1")
        .bind(pos)
        .fetch_one(&app.db.read)
        .await
        .expect("posizione");
    (r.try_get("stato").expect("stato"), r.try_get("stato_dal").expect("dal"))
}

const SOSP: &str = "sospensione_posizione";
const RIATT: &str = "riattivazione_posizione";
const CESS: &str = "cessazione_provvisoria";

both!(sospensione_riattivazione_cessazione, |engine: Engine| async move {
    let app = TestApp::spawn(engine).await;
    let lr = fixtures::persona(&app, "Ornella", "Vanoni").await;
    let ditta = Azienda::new("Vanoni Ceramiche S.r.l.").rappresentata_da(&lr).crea(&app).await;
    let altra = Azienda::new("Vanoni Servizi S.r.l.").rappresentata_da(&lr).crea(&app).await;
    let c = fixtures::utente(&app, "ornella.vanoni", "datore", Some(&lr)).await;
    let oggi = server::infra::clock::today();
    // Workers declared up to three months ago.
    let ultimo = Periodo::of(oggi).plus_months(-3).expect("periodo");
    for k in 0..6 {
        let p = ultimo.plus_months(-k).expect("periodo").key();
        fixtures::forza_lavoro(&app, ditta.posizione_id, &p, (5, 1, 50, 1)).await;
        fixtures::forza_lavoro(&app, altra.posizione_id, &p, (2, 0, 0, 0)).await;
    }
    let (p, d) = (ditta.posizione_id, ditta.id);

    // The wizard lists the position with its state and last month with workers.
    let (s, list) = app.get(&c, &format!("/api/v1/smart-task/tipi/{SOSP}/oggetti?soggetto_id={d}")).await;
    assert_eq!(s, StatusCode::OK, "{list}");
    assert!(list.to_string().contains(&ultimo.to_string()), "{list}");

    // 10 on an active position; 9 from before the last month with workers; 9 on another's position.
    assert_eq!(
        refused(&app, &c, RIATT, d, p, json!({ "data_riattivazione": it(oggi) })).await,
        ["ST10.POSIZIONE_SOSPESA"]
    );
    let prima = first_day(ultimo) - Duration::days(1);
    let r = json!({ "data_sospensione": it(prima), "motivo_sospensione": "inattivita" });
    assert_eq!(refused(&app, &c, SOSP, d, p, r.clone()).await, ["ST09.NESSUN_LAVORATORE_DOPO_INIZIO"]);
    assert_eq!(refused(&app, &c, SOSP, d, altra.posizione_id, r).await, ["ST09.POSIZIONE_DEL_CONTRIBUENTE"]);

    // Accepted from the first day of the month after the last with workers.
    let sosp = first_day(ultimo.plus_months(1).expect("periodo"));
    let v =
        ask(&app, &c, SOSP, d, p, json!({ "data_sospensione": it(sosp), "motivo_sospensione": "stagionale" })).await;
    assert_eq!(v["stato"], "accolta", "{v}");
    assert_eq!(stato(&app, p).await, (4, sosp.to_string()));
    let storia: Vec<(i64, Option<String>)> =
        sqlx::query("SELECT stato, al FROM posizioni_stati WHERE posizione_id = $1 ORDER BY dal")
            .bind(p)
            .fetch_all(&app.db.read)
            .await
            .expect("storia")
            .iter()
            .map(|r| (r.try_get("stato").expect("stato"), r.try_get("al").expect("al")))
            .collect();
    assert_eq!(storia, [(1, Some((sosp - Duration::days(1)).to_string())), (4, None)]);
    let r = json!({ "data_sospensione": it(oggi), "motivo_sospensione": "altro" });
    assert_eq!(refused(&app, &c, SOSP, d, p, r).await, ["ST09.POSIZIONE_ATTIVA"]);

    // Reactivation: not before the suspension, not in the future.
    let r = json!({ "data_riattivazione": it(sosp - Duration::days(1)) });
    assert_eq!(refused(&app, &c, RIATT, d, p, r).await, ["ST10.DATA_NON_ANTERIORE_SOSPENSIONE"]);
    let r = json!({ "data_riattivazione": it(oggi + Duration::days(5)) });
    assert_eq!(refused(&app, &c, RIATT, d, p, r).await, ["ST10.DATA_NON_FUTURA"]);

    // 18 months: the day after the limit is refused, the limit itself accepted (requests dated
    // on those days by the server's clock).
    let limite = sosp.checked_add_months(Months::new(18)).expect("limite");
    let dopo = limite + Duration::days(1);
    app.clock.set_today(Some(dopo));
    let r = json!({ "data_riattivazione": it(dopo) });
    assert_eq!(refused(&app, &c, RIATT, d, p, r).await, ["ST10.SOSPENSIONE_ENTRO_18_MESI"]);
    app.clock.set_today(Some(limite));
    let v = ask(&app, &c, RIATT, d, p, json!({ "data_riattivazione": it(limite) })).await;
    app.clock.set_today(None);
    assert_eq!(v["stato"], "accolta", "{v}");
    assert_eq!(v["data_riferimento"], limite.to_string());
    assert_eq!(stato(&app, p).await, (5, limite.to_string()));

    // Provisional cessation: after the current state began; then it cannot be ceased again.
    let r = json!({ "data_cessazione": it(limite) });
    assert_eq!(refused(&app, &c, CESS, d, p, r).await, ["ST11.DATA_SUCCESSIVA_STATO_ATTUALE"]);
    let fine = limite + Duration::days(10);
    let v = ask(&app, &c, CESS, d, p, json!({ "data_cessazione": it(fine) })).await;
    assert_eq!(v["stato"], "accolta", "{v}");
    assert_eq!(stato(&app, p).await, (2, fine.to_string()));
    let r = json!({ "data_cessazione": it(fine + Duration::days(1)) });
    assert_eq!(refused(&app, &c, CESS, d, p, r).await, ["ST11.STATO_AMMESSO"]);
    // The other company still has workers up to three months ago.
    let r = json!({ "data_cessazione": it(first_day(ultimo) - Duration::days(1)) });
    let a = altra.id;
    assert_eq!(refused(&app, &c, CESS, a, altra.posizione_id, r).await, ["ST11.NESSUN_LAVORATORE_DOPO_CESSAZIONE"]);

    // Each change audited once, with the state before and after.
    let n: i64 = sqlx::query(
        "SELECT COUNT(*) FROM audit_log WHERE entity = 'posizione' AND entity_id = $1 AND action = 'cambio_stato'",
    )
    .bind(p.to_string())
    .fetch_one(&app.db.read)
    .await
    .expect("audit")
    .try_get(0)
    .expect("n");
    assert_eq!(n, 3);
});
