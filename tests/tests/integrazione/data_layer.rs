//! The data layer on both engines: same results for the same operations, job claiming that is
//! exclusive and survives a crash, concurrent writes without "database is locked".

use chrono::Duration;
use reqwest::StatusCode;
use serde_json::{Value, json};
use server::infra::jobs;
use sportello_tests::{Engine, TestApp, both};

/// A fixed script of API calls whose answers must not depend on the engine.
async fn script(app: &TestApp) -> Vec<Value> {
    let mut out = vec![];
    let c = app.logged_in("intermediario").await;
    out.push(app.get(&c, "/api/v1/soggetti").await.1);
    let rossi = app.company_id("Rossi & Figli S.r.l.").await;
    out.push(app.put(&c, "/api/v1/sessione/soggetto", json!({ "subject_id": rossi })).await.1);
    out.push(app.get(&c, "/api/v1/home").await.1);
    let verdi = app.company_id("Verdi Logistica S.p.A.").await;
    out.push(app.get(&c, &format!("/api/v1/soggetti/{verdi}")).await.1);
    out.push(app.get(&app.logged_in("datore").await, "/api/v1/soggetti").await.1);
    for u in ["operatore.sede", "operatore.regionale", "operatore.dg", "utilizzatore", "prestatore"] {
        out.push(app.get(&app.logged_in(u).await, "/api/v1/home").await.1);
    }
    let admin = app.logged_in("admin.idm").await;
    out.push(app.get(&admin, "/api/v1/operatori").await.1);
    out.push(app.get(&admin, "/api/v1/sedi").await.1);
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn both_engines_give_the_same_results() {
    let sqlite = TestApp::spawn(Engine::Sqlite).await;
    let postgres = TestApp::spawn(Engine::Postgres).await;
    let a = script(&sqlite).await;
    let b = script(&postgres).await;
    assert_eq!(a.len(), b.len());
    for (i, (x, y)) in a.iter().zip(&b).enumerate() {
        assert_eq!(x, y, "step {i} differs between SQLite and PostgreSQL");
    }
}

both!(jobs_are_claimed_once_and_survive_a_crash, |engine: Engine| async move {
    let app = TestApp::spawn(engine).await;
    let mut tx = app.db.write.begin().await.expect("tx");
    let j1 = jobs::enqueue(&mut tx, "test", "{\"n\":1}").await.expect("enqueue");
    let j2 = jobs::enqueue(&mut tx, "test", "{\"n\":2}").await.expect("enqueue");
    tx.commit().await.expect("commit");
    // A job enqueued in a rolled-back transaction does not exist.
    let mut tx = app.db.write.begin().await.expect("tx");
    jobs::enqueue(&mut tx, "test", "{\"n\":3}").await.expect("enqueue");
    tx.rollback().await.expect("rollback");

    // Two workers claim concurrently: each gets a different job.
    let (a, b) = tokio::join!(
        jobs::claim(&app.db, "test", "w1", Duration::seconds(30)),
        jobs::claim(&app.db, "test", "w2", Duration::seconds(30))
    );
    let (a, b) = (a.expect("claim").expect("job"), b.expect("claim").expect("job"));
    assert_ne!(a.id, b.id);
    let mut ids = [a.id, b.id];
    ids.sort();
    assert_eq!(ids, [j1, j2]);
    assert!(jobs::claim(&app.db, "test", "w3", Duration::seconds(30)).await.expect("claim").is_none(), "nothing left");

    // w1 "crashes": its lease expires and another worker gets the job again.
    let (crashed, crashed_worker) = (a, "w1");
    let (other, other_worker) = (b, "w2");
    sqlx::query("UPDATE jobs SET locked_until = '2000-01-01T00:00:00.000000Z' WHERE id = $1")
        .bind(crashed.id)
        .execute(&app.db.write)
        .await
        .expect("expire");
    let again = jobs::claim(&app.db, "test", "w4", Duration::seconds(30)).await.expect("claim").expect("reclaimed");
    assert_eq!(again.id, crashed.id);
    assert_eq!(again.attempts, 2);
    // The crashed worker, if it wakes up, cannot complete a job it no longer holds.
    let mut tx = app.db.write.begin().await.expect("tx");
    assert!(!jobs::complete(&mut tx, crashed.id, crashed_worker).await.expect("complete"));
    assert!(jobs::complete(&mut tx, crashed.id, "w4").await.expect("complete"));
    tx.commit().await.expect("commit");

    // A failure is retried later, not immediately.
    let mut tx = app.db.write.begin().await.expect("tx");
    jobs::fail(&mut tx, other.id, other_worker, other.attempts, "errore di prova").await.expect("fail");
    tx.commit().await.expect("commit");
    assert!(
        jobs::claim(&app.db, "test", "w5", Duration::seconds(30)).await.expect("claim").is_none(),
        "backoff before retry"
    );
});

both!(concurrent_logins_do_not_lock_the_database, |engine: Engine| async move {
    let app = TestApp::spawn(engine).await;
    let users = [
        "datore",
        "intermediario",
        "dipendente",
        "utilizzatore",
        "prestatore",
        "operatore.sede",
        "operatore.dg",
        "admin.idm",
    ];
    let mut handles = vec![];
    for round in 0..3 {
        for &u in &users {
            let c = app.client();
            let url = app.url("/api/v1/sessione");
            handles.push(tokio::spawn(async move {
                let r = c
                    .post(url)
                    .json(&json!({ "username": u, "password": server::seed::DEMO_PASSWORD }))
                    .send()
                    .await
                    .expect("login");
                (round, u, r.status())
            }));
        }
    }
    for h in handles {
        let (round, u, s) = h.await.expect("join");
        assert_eq!(s, StatusCode::OK, "round {round} {u}");
    }
    assert!(matches!(
        server::infra::audit::verify(&app.db.read).await.expect("verify"),
        server::infra::audit::Verification::Intact { .. }
    ));
});

both!(scale_seed_adds_companies_and_keeps_sequences_usable, |engine: Engine| async move {
    use sqlx::Row;
    let app = TestApp::spawn(engine).await;
    let count = |table: &'static str| {
        let pool = app.db.read.clone();
        async move {
            sqlx::query(&format!("SELECT COUNT(*) FROM {table}"))
                .fetch_one(&pool)
                .await
                .expect("count")
                .try_get::<i64, _>(0)
                .expect("n")
        }
    };
    let before = count("contribuenti").await;
    let r = server::seed::seed(&app.db, 1, 7).await.expect("seed");
    assert!(!r.seeded_demo, "the demo is loaded once");
    assert_eq!(r.companies_added, 1000);
    assert_eq!(count("contribuenti").await, before + 1000);
    assert!(count("posizioni_stati").await > 1000);
    // Rows inserted with explicit ids must not collide with the next ordinary insert.
    let now = "2026-01-01T00:00:00.000000Z";
    let id: i64 = sqlx::query(
        "INSERT INTO persone (codice_fiscale, nome, cognome, created_at, updated_at) VALUES ('RSSMRA85T10A562S', 'Prova', 'Sequenza', $1, $1) RETURNING id",
    )
    .bind(now)
    .fetch_one(&app.db.write)
    .await
    .expect("insert after bulk load")
    .try_get(0)
    .expect("id");
    let max: i64 =
        sqlx::query("SELECT MAX(id) FROM persone").fetch_one(&app.db.read).await.expect("max").try_get(0).expect("max");
    assert_eq!(id, max);
    // Every generated codice fiscale and partita IVA parses.
    for r in sqlx::query("SELECT codice_fiscale FROM persone UNION ALL SELECT codice_fiscale FROM contribuenti")
        .fetch_all(&app.db.read)
        .await
        .expect("cf")
    {
        let cf: String = r.try_get(0).expect("cf");
        assert!(shared::CodiceFiscale::parse(&cf).is_ok(), "{cf}");
    }
});

both!(seed_grows_prestazioni_without_touching_real_subjects, |engine: Engine| async move {
    use sqlx::Row;
    let app = TestApp::spawn(engine).await;
    let n = |sql: &'static str| {
        let pool = app.db.read.clone();
        async move { sqlx::query(sql).fetch_one(&pool).await.expect(sql).try_get::<i64, _>(0).expect("n") }
    };
    let demo = "SELECT CAST(COALESCE(SUM(costo_cents), 0) AS BIGINT) FROM prestazioni WHERE utilizzatore_id IN
                (SELECT id FROM utilizzatori WHERE ateco IS NULL OR ateco <> 'SCALA')";
    let (before, demo_before) = (n("SELECT COUNT(*) FROM prestazioni").await, n(demo).await);
    let added = server::seed::presto_scala::grow_prestazioni(&app.db, before + 2500).await.expect("grow");
    assert_eq!(added, 2500);
    assert_eq!(n("SELECT COUNT(*) FROM prestazioni").await, before + 2500);
    assert_eq!(n(demo).await, demo_before, "the demo subjects' figures do not change");
    // Growing again to the same size adds nothing; the generated subjects are made once.
    assert_eq!(server::seed::presto_scala::grow_prestazioni(&app.db, before + 2500).await.expect("again"), 0);
    server::seed::presto_scala::grow_prestazioni(&app.db, before + 3000).await.expect("more");
    assert_eq!(n("SELECT COUNT(*) FROM utilizzatori WHERE ateco = 'SCALA'").await, 1000);
    for r in sqlx::query("SELECT codice_fiscale FROM persone WHERE nome = 'Scala'")
        .fetch_all(&app.db.read)
        .await
        .expect("cf")
    {
        let cf: String = r.try_get(0).expect("cf");
        assert!(shared::CodiceFiscale::parse(&cf).is_ok(), "{cf}");
    }
});
