//! Group-commit batches side by side on PostgreSQL (`infra::db::locks`): several processes write
//! at once; a batch whose writes name their keys runs beside the others and takes the audit
//! chain's head only to append, while what two batches check before writing stays apart.

use super::scrittura_di_gruppo::{same_new_pec, submitted, three};
use reqwest::StatusCode;
use serde_json::json;
use server::infra::audit::{self, Actor, Entry, Verification};
use server::infra::db::locks::Locks;
use sportello_tests::st::{decided, submit};
use sportello_tests::{Engine, TestApp};
use std::time::Duration;

/// Polls until `n` backends wait for a lock while running a statement like `like`.
async fn waiting(app: &TestApp, like: &str, n: i64) -> bool {
    let sql = "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database()
               AND wait_event_type = 'Lock' AND query LIKE $1";
    for _ in 0..200 {
        if app.number(sql, &[like]).await == n {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    false
}

/// A transaction of the test holding the audit chain's head, as another batch appending would.
async fn holding_the_head(app: &TestApp) -> sqlx::Transaction<'static, sqlx::Any> {
    let mut other = app.db.write.begin().await.expect("begin");
    sqlx::query("SELECT last_seq FROM audit_head WHERE id = 1 FOR UPDATE").execute(&mut *other).await.expect("head");
    other
}

/// Two processes each claim and decide one job, in their own batches, while a transaction holds
/// the chain's head; before it is released, each `(statement, n)` of `meet` must have `n`
/// batches waiting for a lock while running it. Returns the requests' states, sorted, once both
/// batches are written and the chain verified.
async fn two_processes_decide(
    app: &TestApp,
    giulia: &reqwest::Client,
    protocolli: &[String],
    meet: &[(&str, i64)],
) -> Vec<String> {
    let second = server::Db::connect(&app.config.database_url).await.expect("second process");
    let other = holding_the_head(app).await;
    let batches = [(app.db.clone(), "primo"), (second.clone(), "secondo")]
        .map(|(db, w)| tokio::spawn(async move { server::smart_task::worker::process(&db, w, 1).await }));
    let mut met = true;
    for (like, n) in meet {
        met &= waiting(app, like, *n).await;
    }
    other.rollback().await.expect("rollback");
    assert!(met, "the batches did not wait as expected: {meet:?}");
    for batch in batches {
        assert_eq!(batch.await.expect("task").expect("batch"), 1);
    }
    assert!(matches!(audit::verify(&app.db.read).await.expect("verify"), Verification::Intact { .. }));
    second.close().await;
    stati(app, giulia, protocolli).await
}

async fn stati(app: &TestApp, giulia: &reqwest::Client, protocolli: &[String]) -> Vec<String> {
    let mut stati = vec![];
    for p in protocolli {
        stati.push(decided(app, giulia, p).await["stato"].as_str().unwrap_or_default().to_string());
    }
    stati.sort();
    stati
}

/// A batch of claims alone does not queue for the chain: another process's batch holding it
/// (here an open transaction) does not stop this process's workers from claiming.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn claims_do_not_wait_for_the_audit_head_on_postgres() {
    sportello_tests::bounded(async {
        let app = TestApp::spawn_with(Engine::Postgres, |c| c.workers = 0).await;
        let giulia = app.logged_in("intermediario").await;
        let tuscolana = app.company_id("Associazione Sportiva Tuscolana").await;
        let body = json!({ "tipo": "variazione_pec_aziendale", "soggetto_id": tuscolana, "oggetto": "",
                           "risposte": { "pec": "attesa@pec.tuscolana.it" } });
        let (s, v) = submit(&app, &giulia, body, None).await;
        assert_eq!(s, StatusCode::ACCEPTED, "{v}");
        let mut other = app.db.write.begin().await.expect("begin");
        let lock = server::infra::db::dialect::batch_lock(app.db.engine, &Locks::Chain).expect("PostgreSQL locks");
        sqlx::Executor::execute(&mut *other, lock.as_str()).await.expect("the chain's turn and head");
        let claim = server::infra::jobs::claim_many(
            &app.db,
            server::smart_task::worker::QUEUE,
            "prova",
            chrono::Duration::seconds(60),
            8,
        );
        let claimed = tokio::time::timeout(Duration::from_secs(5), claim)
            .await
            .expect("the claim waited for the audit head")
            .expect("claim");
        assert_eq!(claimed.len(), 1);
        other.rollback().await.expect("rollback");
    })
    .await
}

/// Two companies ask for the same new PEC and two processes decide them at once, while a third
/// transaction holds the chain's head: the batches share the address's key, so the second waits
/// for the first's commit and then finds the address taken. One is accepted, the other refused.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_processes_never_both_pass_a_check_on_postgres() {
    sportello_tests::bounded(async {
        let app = TestApp::spawn_with(Engine::Postgres, |c| c.workers = 0).await;
        let giulia = app.logged_in("intermediario").await;
        let (_, _, protocolli) = same_new_pec(&app, &giulia, "contesa@pec.sportello.it").await;
        // One waits to append (its checks and writes done), the other for the address's key.
        let meet = [("UPDATE audit_head%", 1), ("%pg_advisory_xact_lock(v.k)%", 1)];
        assert_eq!(two_processes_decide(&app, &giulia, &protocolli, &meet).await, ["accolta", "non_accolta"]);
        let holders = "SELECT COUNT(*) FROM contribuenti WHERE pec = 'contesa@pec.sportello.it'";
        assert_eq!(app.number(holders, &[]).await, 1);
    })
    .await
}

/// Two processes decide changes with no key in common: both batches check and write while a
/// third transaction holds the chain's head, and queue only to append (before, the second
/// waited for the head before anything). Both are accepted and the chain verifies.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn batches_without_a_key_in_common_write_side_by_side_on_postgres() {
    sportello_tests::bounded(async {
        let app = TestApp::spawn_with(Engine::Postgres, |c| c.workers = 0).await;
        let giulia = app.logged_in("intermediario").await;
        let [tuscolana, gallo, _] = three(&app).await;
        let requests = [(tuscolana, "propria1@pec.tuscolana.it"), (gallo, "propria2@pec.gallo.it")];
        let protocolli = submitted(&app, &giulia, &requests).await;
        let meet = [("UPDATE audit_head%", 2)];
        assert_eq!(two_processes_decide(&app, &giulia, &protocolli, &meet).await, ["accolta", "accolta"]);
    })
    .await
}

/// A batch that names no keys (here another process's audited write) waits for the keyed batch
/// running, for the chain's turn and not for the head: it never checks beside a keyed batch.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_batch_without_keys_runs_alone_on_postgres() {
    sportello_tests::bounded(async {
        let app = TestApp::spawn_with(Engine::Postgres, |c| c.workers = 0).await;
        let giulia = app.logged_in("intermediario").await;
        let [tuscolana, gallo, _] = three(&app).await;
        let protocolli = submitted(&app, &giulia, &[(tuscolana, "turno1@pec.tuscolana.it")]).await;
        let other = holding_the_head(&app).await;
        let keyed = {
            let db = app.db.clone();
            tokio::spawn(async move { server::smart_task::worker::process(&db, "primo", 1).await })
        };
        assert!(waiting(&app, "UPDATE audit_head%", 1).await, "the keyed batch did not reach the head");
        let second = server::Db::connect(&app.config.database_url).await.expect("second process");
        let alone = second.writer.write(|c| {
            Box::pin(async move {
                let entry = Entry {
                    entity: "prova",
                    entity_id: "turno".into(),
                    action: "prova_turno",
                    before: None,
                    after: None,
                    note: None,
                };
                audit::append(c, &Actor::system("prova"), entry).await
            })
        });
        let released = async {
            let on_the_turn = waiting(&app, "%pg_advisory_xact_lock(5301, 1)%", 1).await;
            other.rollback().await.expect("rollback");
            on_the_turn
        };
        let (appended, on_the_turn) = tokio::join!(alone, released);
        assert!(on_the_turn, "the batch without keys did not wait for the chain's turn");
        assert_eq!(keyed.await.expect("task").expect("batch"), 1);
        let seq = appended.expect("appended");
        let decided_before = "SELECT COUNT(*) FROM audit_log
                              WHERE action = 'esito_istruttoria' AND entity_id = $1 AND seq < CAST($2 AS BIGINT)";
        let before = app.number(decided_before, &[&protocolli[0], &seq.to_string()]).await;
        assert_eq!(before, 1, "the keyed batch committed first");
        assert_eq!(stati(&app, &giulia, &protocolli).await, ["accolta"]);
        // Afterwards keyed batches go on as usual.
        let more = submitted(&app, &giulia, &[(gallo, "turno2@pec.gallo.it")]).await;
        assert_eq!(server::smart_task::worker::process(&app.db, "secondo", 8).await.expect("batch"), 1);
        assert_eq!(stati(&app, &giulia, &more).await, ["accolta"]);
        assert!(matches!(audit::verify(&app.db.read).await.expect("verify"), Verification::Intact { .. }));
        second.close().await;
    })
    .await
}
