//! A request whose examination keeps failing (a bug, data the rules cannot read) does not stay
//! "in esame" for ever: after the last attempt it goes to the branch, the contributor is told,
//! the audit says why.

use reqwest::StatusCode;
use serde_json::json;
use sportello_tests::st::{submit, today};
use sportello_tests::{Engine, TestApp, both};
use sqlx::Row;

both!(a_request_that_cannot_be_examined_goes_to_the_branch, |engine: Engine| async move {
    // No worker in the server: the test runs the attempts itself.
    let app = TestApp::spawn_with(engine, |c| c.workers = 0).await;
    let datore = app.logged_in("datore").await;
    let rossi = app.company_id("Rossi & Figli S.r.l.").await;
    let body = json!({ "tipo": "revoca_delega_intermediario", "soggetto_id": rossi, "oggetto": "1", "risposte": { "data_effetto": today() } });
    let (s, v) = submit(&app, &datore, body, None).await;
    assert_eq!(s, StatusCode::ACCEPTED, "{v}");
    let p = v["protocollo"].as_str().expect("p").to_string();
    // Answers the rules can no longer read, and the job at its last attempt.
    sqlx::query("UPDATE richieste SET risposte_json = 'non leggibile' WHERE protocollo = $1")
        .bind(&p)
        .execute(&app.db.write)
        .await
        .expect("corrupt");
    sqlx::query("UPDATE jobs SET attempts = max_attempts - 2 WHERE queue = 'istruttoria'")
        .execute(&app.db.write)
        .await
        .expect("jobs");
    let worker = "prova";
    assert!(server::smart_task::worker::process_one(&app.db, worker).await.expect("one"), "a job was there");
    let stato = |p: String| {
        let db = app.db.read.clone();
        async move {
            sqlx::query("SELECT stato FROM richieste WHERE protocollo = $1")
                .bind(p)
                .fetch_one(&db)
                .await
                .expect("r")
                .try_get::<String, _>(0)
                .expect("s")
        }
    };
    assert_eq!(stato(p.clone()).await, "inviata", "one attempt left: still waiting");
    sqlx::query("UPDATE jobs SET run_after = '2000-01-01T00:00:00Z' WHERE queue = 'istruttoria'")
        .execute(&app.db.write)
        .await
        .expect("now");
    assert!(server::smart_task::worker::process_one(&app.db, worker).await.expect("two"));
    assert_eq!(stato(p.clone()).await, "in_carico_sede");
    let (_, d) = app.get(&datore, &format!("/api/v1/richieste/{p}")).await;
    assert!(d["motivo"].as_str().is_some_and(|m| m.contains("passa alla sede")), "{d}");
    let audit: i64 =
        sqlx::query("SELECT COUNT(*) FROM audit_log WHERE action = 'esame_non_riuscito' AND entity_id = $1")
            .bind(&p)
            .fetch_one(&app.db.read)
            .await
            .expect("audit")
            .try_get(0)
            .expect("n");
    assert_eq!(audit, 1);
    let failed: i64 = sqlx::query("SELECT COUNT(*) FROM jobs WHERE queue = 'istruttoria' AND state = 'failed'")
        .fetch_one(&app.db.read)
        .await
        .expect("jobs")
        .try_get(0)
        .expect("n");
    assert_eq!(failed, 1);
    // The branch sees it in its queue.
    let op = app.logged_in("operatore.sede").await;
    let (_, coda) = app.get(&op, "/api/v1/coda").await;
    assert!(coda.to_string().contains(&p), "{coda}");
});
