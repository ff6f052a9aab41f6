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
    add(&app, rossi, extra as usize).await;
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

/// What a user has not read of a company's notifications, counted from the rows themselves.
async fn unread_by_rows(app: &TestApp, username: &str, company: i64) -> i64 {
    app.number(
        "SELECT COUNT(*) FROM notifiche n WHERE n.contribuente_id = CAST($1 AS BIGINT) AND NOT EXISTS (
             SELECT 1 FROM notifiche_lette l JOIN users u ON u.id = l.user_id
             WHERE l.notifica_id = n.id AND u.username = $2)",
        &[&company.to_string(), username],
    )
    .await
}

/// A statement the server never runs (a notification moved, a read mark or a notification
/// deleted), with integer parameters.
async fn sql(app: &TestApp, statement: &str, binds: &[i64]) {
    let mut q = sqlx::query(statement);
    for b in binds {
        q = q.bind(*b);
    }
    q.execute(&app.db.write).await.expect(statement);
}

/// The unread count a user sees on a company's notifications, checked against the rows.
async fn unread(app: &TestApp, who: &str, client: &reqwest::Client, company: i64) -> i64 {
    let (s, n) = app.get(client, &format!("/api/v1/notifiche?soggetto_id={company}")).await;
    assert_eq!(s, StatusCode::OK, "{n}");
    let counted = unread_by_rows(app, who, company).await;
    assert_eq!(n["non_lette"], counted, "{who} on {company}: {n}");
    counted
}

/// `n` notifications for the company, inserted straight into the table.
async fn add(app: &TestApp, company: i64, n: usize) {
    for i in 0..n {
        sqlx::query("INSERT INTO notifiche (contribuente_id, testo, created_at) VALUES ($1, $2, $3)")
            .bind(company)
            .bind(format!("Avviso {i}"))
            .bind("2026-12-01T10:00:00.000000Z")
            .execute(&app.db.write)
            .await
            .expect("notification");
    }
}

both!(unread_counts_follow_each_users_reads_moves_and_deletions, |engine: Engine| async move {
    let app = TestApp::spawn(engine).await;
    let (d, i) = (app.logged_in("datore").await, app.logged_in("intermediario").await);
    let rossi = app.company_id("Rossi & Figli S.r.l.").await;
    let assoc = app.company_id("Associazione Sportiva Tuscolana").await;
    let d0 = unread(&app, "datore", &d, rossi).await;
    let i0 = unread(&app, "intermediario", &i, rossi).await;
    add(&app, rossi, 4).await;
    add(&app, assoc, 2).await;
    assert_eq!(unread(&app, "datore", &d, rossi).await, d0 + 4);
    assert_eq!(unread(&app, "intermediario", &i, rossi).await, i0 + 4);

    // One user's reads are not the other's.
    let (s, _) = app.post(&d, &format!("/api/v1/notifiche/lette?soggetto_id={rossi}"), json!({})).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(unread(&app, "datore", &d, rossi).await, 0);
    assert_eq!(unread(&app, "intermediario", &i, rossi).await, i0 + 4);
    add(&app, rossi, 1).await;
    assert_eq!(unread(&app, "datore", &d, rossi).await, 1);

    // A notification the intermediary has read, given to another company, takes the mark along.
    let (s, _) = app.post(&i, &format!("/api/v1/notifiche/lette?soggetto_id={assoc}"), json!({})).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(unread(&app, "intermediario", &i, assoc).await, 0);
    let moved = app
        .number("SELECT MAX(id) FROM notifiche WHERE contribuente_id = CAST($1 AS BIGINT)", &[&assoc.to_string()])
        .await;
    sql(&app, "UPDATE notifiche SET contribuente_id = $1 WHERE id = $2", &[rossi, moved]).await;
    assert_eq!(unread(&app, "intermediario", &i, rossi).await, i0 + 5);
    assert_eq!(unread(&app, "datore", &d, rossi).await, 2);
    assert_eq!(unread(&app, "intermediario", &i, assoc).await, 0);

    // The read mark taken away, then the notification itself.
    sql(&app, "DELETE FROM notifiche_lette WHERE notifica_id = $1", &[moved]).await;
    assert_eq!(unread(&app, "intermediario", &i, rossi).await, i0 + 6);
    sql(&app, "DELETE FROM notifiche WHERE id = $1", &[moved]).await;
    assert_eq!(unread(&app, "intermediario", &i, rossi).await, i0 + 5);
    assert_eq!(unread(&app, "datore", &d, rossi).await, 1);

    // Marking read finds an unread notification older than read ones, and then has nothing to do.
    sql(
        &app,
        "DELETE FROM notifiche_lette WHERE notifica_id = (SELECT MIN(id) FROM notifiche WHERE contribuente_id = $1)",
        &[rossi],
    )
    .await;
    assert_eq!(unread(&app, "datore", &d, rossi).await, 2);
    let (s, n) = app.post(&d, &format!("/api/v1/notifiche/lette?soggetto_id={rossi}"), json!({})).await;
    assert_eq!((s, n), (StatusCode::OK, json!({ "segnate_come_lette": 2 })));
    assert_eq!(unread(&app, "datore", &d, rossi).await, 0);
    let (s, n) = app.post(&d, &format!("/api/v1/notifiche/lette?soggetto_id={rossi}"), json!({})).await;
    assert_eq!((s, n), (StatusCode::OK, json!({ "segnate_come_lette": 0 })));
});
