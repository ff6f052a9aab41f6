//! The gradual activation of Smart-Task kinds, on both engines: the head office schedules,
//! withdraws and activates a kind; a kind not active today is offered as "disponibile
//! prossimamente" and refused by the API with the day it will be; every change is audited.

use chrono::Days;
use reqwest::StatusCode;
use serde_json::{Value, json};
use sportello_tests::st::{submit, today};
use sportello_tests::{Engine, TestApp, both};
use sqlx::Row;

const TIPO: &str = "revoca_delega_intermediario";

fn domani() -> String {
    let oggi = shared::time::parse_date_it(&today()).expect("today");
    shared::time::format_date_it(oggi.checked_add_days(Days::new(1)).expect("tomorrow"))
}

fn kind<'a>(list: &'a Value, tipo: &str) -> &'a Value {
    list.as_array().and_then(|l| l.iter().find(|k| k["codice"] == tipo || k["tipo"] == tipo)).expect("kind")
}

both!(kinds_are_switched_on_gradually, |engine: Engine| async move {
    let app = TestApp::spawn(engine).await;
    let admin = app.logged_in("admin.idm").await;
    let datore = app.logged_in("datore").await;
    let rossi = app.company_id("Rossi & Figli S.r.l.").await;
    let url = format!("/api/v1/smart-task/attivazioni/{TIPO}");
    let richiesta = json!({ "tipo": TIPO, "soggetto_id": rossi, "oggetto": "987654321", "risposte": { "data_effetto": "01/01/2020" } });

    // Kinds 1–8 are active since 31/12/2023 (Msg. 4583/2023).
    let (s, list) = app.get(&admin, "/api/v1/smart-task/attivazioni").await;
    assert_eq!(s, StatusCode::OK, "{list}");
    let list_len = list.as_array().map(Vec::len);
    assert_eq!(list_len, Some(shared::smart_task::Kind::ALL.len()));
    assert!(
        list.as_array()
            .is_some_and(|l| l.iter().take(8).all(|k| k["attivo"] == true && k["stato"] == "Attivo dal 31/12/2023"))
    );
    assert_eq!(kind(&list, TIPO)["version"], 1);

    // Scheduled for tomorrow: offered as coming, refused with the day.
    let domani = domani();
    let (s, v) = app
        .put(&admin, &url, json!({ "attivo_dal": domani, "nota": "Nuove regole dal giorno successivo", "version": 1 }))
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["attivo"], false);
    assert_eq!(v["stato"], format!("In arrivo: attivazione programmata il {domani}"));
    let (_, kinds) = app.get(&datore, "/api/v1/smart-task/tipi").await;
    assert_eq!(kind(&kinds, TIPO)["disponibile"], false, "{kinds}");
    assert_eq!(kind(&kinds, "revoca_delega_dipendente")["disponibile"], true);
    let (s, v) = submit(&app, &datore, richiesta.clone(), None).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert_eq!(v["errors"][0]["field"], "tipo");
    assert_eq!(v["errors"][0]["code"], "not_active");
    assert!(v["errors"][0]["message"].as_str().is_some_and(|m| m.contains(&format!("dal {domani}"))), "{v}");
    // On the scheduled day the same submission is accepted, dated that day, with no restart.
    app.clock.set_today(shared::time::parse_date_it(&domani));
    let (s, v) = submit(&app, &datore, richiesta.clone(), None).await;
    assert_eq!(s, StatusCode::ACCEPTED, "{v}");
    let giorno = shared::time::parse_date_it(&domani).map(|d| d.to_string());
    assert_eq!(v["data_riferimento"].as_str(), giorno.as_deref(), "{v}");
    app.clock.set_today(None);

    // A change made on a page read before another one is refused.
    let (s, v) = app.put(&admin, &url, json!({ "attivo_dal": "", "nota": "Ritirato", "version": 1 })).await;
    assert_eq!(s, StatusCode::CONFLICT, "{v}");
    // Back to "in arrivo".
    let (s, v) =
        app.put(&admin, &url, json!({ "attivo_dal": "", "nota": "Rinviato a data da destinarsi", "version": 2 })).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["stato"], "In arrivo");
    let (s, v) = submit(&app, &datore, richiesta.clone(), None).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert!(v["errors"][0]["message"].as_str().is_some_and(|m| m.contains("non è ancora disponibile")), "{v}");

    // Bad input: a date that does not exist, no reason; nothing changes.
    let (s, v) = app.put(&admin, &url, json!({ "attivo_dal": "31/02/2027", "nota": "", "version": 3 })).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    let fields: Vec<&str> =
        v["errors"].as_array().map(|e| e.iter().filter_map(|e| e["field"].as_str()).collect()).unwrap_or_default();
    assert_eq!(fields, ["attivo_dal", "nota"]);

    // Active from today: accepted at once, without a restart.
    let (s, v) = app.put(&admin, &url, json!({ "attivo_dal": today(), "nota": "Attivazione", "version": 3 })).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["attivo"], true);
    let (s, v) = submit(&app, &datore, richiesta, None).await;
    assert_eq!(s, StatusCode::ACCEPTED, "{v}");

    // Only the head office; an unknown kind is not found.
    let (s, _) = app.put(&datore, &url, json!({ "attivo_dal": "", "nota": "Tentativo", "version": 4 })).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _) = app
        .put(&admin, "/api/v1/smart-task/attivazioni/inventato", json!({ "nota": "Prova di tipo", "version": 0 }))
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);

    // Every change audited with its reason.
    let n: i64 = sqlx::query("SELECT COUNT(*) FROM audit_log WHERE entity = 'smart_task_attivazione' AND entity_id = $1 AND note IS NOT NULL")
        .bind(TIPO)
        .fetch_one(&app.db.read)
        .await
        .expect("audit")
        .try_get(0)
        .expect("n");
    assert_eq!(n, 3);
});
