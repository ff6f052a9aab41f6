//! The database refuses writes (read-only, or full): the user gets a clear 503 with
//! `Retry-After`, nothing is half-written, and service resumes by itself when the fault ends.
//! SQLite: `query_only` and `max_page_count` on the single writer connection stand for a
//! read-only file and a full disk. PostgreSQL: the database made read-only for new sessions and
//! the server's connections cut (a full disk cannot be staged without a file system of its own).

use reqwest::{Client, StatusCode};
use serde_json::json;
use sportello_tests::{Engine, TestApp, both, read};
use sqlx::Row;

async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query(sql).fetch_one(&app.db.read).await.expect("count").try_get(0).expect("n")
}

async fn two_way(app: &TestApp, c: &Client, rossi: i64, kib: usize) -> (StatusCode, serde_json::Value, Option<String>) {
    use base64::Engine as _;
    let pdf = [b"%PDF-1.4\n".to_vec(), vec![b'x'; kib * 1024]].concat();
    let body = json!({ "soggetto_id": rossi, "oggetto": "f24/attribuzione", "email": "amministrazione@rossifigli.example.it",
        "testo": "Il versamento del 16/03 è stato attribuito al mese sbagliato: allego la quietanza.",
        "allegati": [{ "nome": "q.pdf", "contenuto_base64": base64::engine::general_purpose::STANDARD.encode(&pdf) }] });
    let r = c.post(app.url("/api/v1/comunicazioni")).json(&body).send().await.expect("send");
    let retry = r.headers().get("retry-after").and_then(|v| v.to_str().ok()).map(str::to_string);
    let (s, v) = read(r).await;
    (s, v, retry)
}

async fn pg_read_only(app: &TestApp, on: bool) {
    let db = app.config.database_url.rsplit('/').next().expect("name").to_string();
    let set = if on { "SET default_transaction_read_only = on" } else { "RESET default_transaction_read_only" };
    // From the administration database: the server's own connections may be read-only now.
    let admin = sqlx::AnyPool::connect(&sportello_tests::postgres_admin_url()).await.expect("admin");
    sqlx::query(&format!("ALTER DATABASE {db} {set}")).execute(&admin).await.expect("alter");
    // The server's open connections started before: cut them, it reconnects by itself.
    sqlx::query(&format!("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{db}'"))
        .execute(&admin)
        .await
        .expect("terminate");
    admin.close().await;
}

both!(a_database_that_refuses_writes_is_a_clear_503, |engine: Engine| async move {
    let app = TestApp::spawn(engine).await;
    let datore = app.logged_in("datore").await;
    let rossi = app.company_id("Rossi & Figli S.r.l.").await;
    let (richieste, audit) =
        (count(&app, "SELECT COUNT(*) FROM richieste").await, count(&app, "SELECT COUNT(*) FROM audit_log").await);

    // Read-only.
    match engine {
        Engine::Sqlite => {
            sqlx::query("PRAGMA query_only = 1").execute(&app.db.write).await.expect("pragma");
        }
        Engine::Postgres => pg_read_only(&app, true).await,
    }
    let (s, v, retry) = two_way(&app, &datore, rossi, 1).await;
    assert_eq!(s, StatusCode::SERVICE_UNAVAILABLE, "{v}");
    assert!(retry.is_some_and(|r| r.parse::<u64>().is_ok()), "Retry-After");
    assert!(v["detail"].as_str().is_some_and(|d| d.contains("nulla è stato registrato")), "{v}");
    assert_eq!(count(&app, "SELECT COUNT(*) FROM richieste").await, richieste, "nothing half-written");
    assert_eq!(count(&app, "SELECT COUNT(*) FROM audit_log").await, audit);
    match engine {
        Engine::Sqlite => {
            sqlx::query("PRAGMA query_only = 0").execute(&app.db.write).await.expect("pragma");
        }
        Engine::Postgres => pg_read_only(&app, false).await,
    }
    let (s, v, _) = two_way(&app, &datore, rossi, 1).await;
    assert_eq!(s, StatusCode::CREATED, "recovered: {v}");

    // Full: no page may be added beyond those the file has now.
    if engine == Engine::Sqlite {
        let pages: i64 =
            sqlx::query("PRAGMA page_count").fetch_one(&app.db.write).await.expect("pc").try_get(0).expect("n");
        sqlx::query(&format!("PRAGMA max_page_count = {pages}")).execute(&app.db.write).await.expect("pragma");
        let before = count(&app, "SELECT COUNT(*) FROM richieste").await;
        let (s, v, retry) = two_way(&app, &datore, rossi, 2000).await;
        assert_eq!(s, StatusCode::SERVICE_UNAVAILABLE, "{v}");
        assert!(retry.is_some());
        assert!(v["detail"].as_str().is_some_and(|d| d.contains("spazio")), "{v}");
        assert_eq!(count(&app, "SELECT COUNT(*) FROM richieste").await, before, "nothing half-written");
        sqlx::query("PRAGMA max_page_count = 1073741823").execute(&app.db.write).await.expect("pragma");
        let (s, v, _) = two_way(&app, &datore, rossi, 2000).await;
        assert_eq!(s, StatusCode::CREATED, "space is back: {v}");
    }
});
