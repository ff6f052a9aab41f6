//! The unread count of the page header: counted up to a bound ("99+"), while the notifications'
//! own list gives the exact number.

use reqwest::StatusCode;
use serde_json::json;
use shared::account::NON_LETTE_IN_INTESTAZIONE;
use sportello_tests::{Engine, TestApp, both};

both!(the_header_counts_unread_notifications_up_to_its_bound, |engine: Engine| async move {
    let app = TestApp::spawn(engine).await;
    let datore = app.logged_in("datore").await;
    let rossi = app.company_id("Rossi & Figli S.r.l.").await;
    let (_, n) = app.get(&datore, &format!("/api/v1/notifiche?soggetto_id={rossi}")).await;
    let before = n["non_lette"].as_i64().expect("count");
    let extra = NON_LETTE_IN_INTESTAZIONE + 20;
    for i in 0..extra {
        sqlx::query("INSERT INTO notifiche (contribuente_id, testo, created_at) VALUES ($1, $2, $3)")
            .bind(rossi)
            .bind(format!("Avviso {i}"))
            .bind("2026-12-01T10:00:00.000000Z")
            .execute(&app.db.write)
            .await
            .expect("notification");
    }
    app.put(&datore, "/api/v1/sessione/soggetto", json!({ "subject_id": rossi })).await;
    let (s, sess) = app.get(&datore, "/api/v1/sessione").await;
    assert_eq!(s, StatusCode::OK, "{sess}");
    assert_eq!(sess["notifiche_non_lette"], NON_LETTE_IN_INTESTAZIONE, "{sess}");
    let (_, n) = app.get(&datore, &format!("/api/v1/notifiche?soggetto_id={rossi}")).await;
    assert_eq!(n["non_lette"], before + extra, "{n}");
    // The page header says "99+", never a number it did not count.
    let page = datore.get(app.url("/richieste")).send().await.expect("page").text().await.expect("html");
    let badge = page
        .split(r#"id="notifiche-non-lette""#)
        .nth(1)
        .and_then(|b| b.split_once('>'))
        .and_then(|(_, b)| b.split("</span>").next());
    assert_eq!(badge.map(|b| b.replace("<!>", "")), Some("99+".to_string()), "{page}");
});
