//! Group commit (`infra::db::writer`) seen from outside, on both engines: a worker's batch of
//! decisions commits together while one whose effect no longer applies is refused alone; an
//! answer is never sent before its commit; the audit chain verifies after a concurrent burst.

use reqwest::StatusCode;
use serde_json::json;
use server::infra::audit::{self, Verification};
use sportello_tests::st::{decided, failed_codes, submit};
use sportello_tests::{Engine, TestApp, both};
use sqlx::Row;

pub(crate) async fn pec_of(app: &TestApp, id: i64) -> Option<String> {
    sqlx::query("SELECT pec FROM contribuenti WHERE id = $1")
        .bind(id)
        .fetch_one(&app.db.read)
        .await
        .expect("pec")
        .try_get(0)
        .expect("pec")
}

/// The association and Gallo (made a contributor that declares its PEC to INPS, like the
/// association, so that both may ask here) each ask for the same new address `pec`. Returns
/// their ids and the two protocols, the association's first.
pub(crate) async fn same_new_pec(app: &TestApp, giulia: &reqwest::Client, pec: &str) -> (i64, i64, Vec<String>) {
    let tuscolana = app.company_id("Associazione Sportiva Tuscolana").await;
    let gallo = app.company_id("Gallo Trasporti S.r.l.").await;
    let setup = "UPDATE contribuenti SET obbligo_pec_registro_imprese = 0 WHERE id = $1";
    sqlx::query(setup).bind(gallo).execute(&app.db.write).await.expect("setup");
    let mut protocolli = vec![];
    for soggetto in [tuscolana, gallo] {
        let body = json!({ "tipo": "variazione_pec_aziendale", "soggetto_id": soggetto, "oggetto": "",
                           "risposte": { "pec": pec } });
        let (s, v) = submit(app, giulia, body, None).await;
        assert_eq!(s, StatusCode::ACCEPTED, "{v}");
        protocolli.push(v["protocollo"].as_str().expect("protocollo").to_string());
    }
    (tuscolana, gallo, protocolli)
}

both!(one_stale_effect_in_a_batch_is_refused_alone, |engine: Engine| async move {
    // No worker in the server: the test runs one batch itself.
    let app = TestApp::spawn_with(engine, |c| c.workers = 0).await;
    let giulia = app.logged_in("intermediario").await;
    let (tuscolana, gallo, protocolli) = same_new_pec(&app, &giulia, "condivisa@pec.sportello.it").await;
    // Only sent, not decided: Gallo's address as it was.
    let before_gallo = pec_of(&app, gallo).await;
    // Both decisions read the address as free; the first write takes it, the second's effect
    // finds it taken and is refused in its own savepoint; the batch commits.
    let n = server::smart_task::worker::process(&app.db, "prova", 32).await.expect("batch");
    assert_eq!(n, 2, "both jobs in one batch");
    let first = decided(&app, &giulia, &protocolli[0]).await;
    let second = decided(&app, &giulia, &protocolli[1]).await;
    assert_eq!(first["stato"], "accolta", "{first}");
    assert!(failed_codes(&first).is_empty(), "{first}");
    assert_eq!(second["stato"], "non_accolta", "{second}");
    assert_eq!(failed_codes(&second), ["ST00.EFFETTO_APPLICABILE"], "{second}");
    assert!(second["motivo"].as_str().is_some_and(|m| m.contains("PEC di un altro contribuente")), "{second}");
    assert_eq!(pec_of(&app, tuscolana).await.as_deref(), Some("condivisa@pec.sportello.it"));
    assert_eq!(pec_of(&app, gallo).await, before_gallo, "the refused effect left nothing behind");
    // Each decision has its audit record and its job is done; the chain is whole.
    for p in &protocolli {
        let sql = "SELECT COUNT(*) FROM audit_log WHERE entity_id = $1 AND action = 'esito_istruttoria'";
        assert_eq!(app.number(sql, &[p]).await, 1, "{p}");
    }
    // The applied effect is audited (its record goes with the batch's, just before its
    // outcome's); the refused one left no record.
    let effect =
        "SELECT COUNT(*) FROM audit_log WHERE entity = 'contribuente' AND action = 'variazione_pec' AND entity_id = $1";
    assert_eq!(app.number(effect, &[&tuscolana.to_string()]).await, 1);
    assert_eq!(app.number(effect, &[&gallo.to_string()]).await, 0);
    let next = "SELECT COUNT(*) FROM audit_log e JOIN audit_log d ON d.seq = e.seq + 1
                WHERE e.action = 'variazione_pec' AND d.action = 'esito_istruttoria' AND d.entity_id = $1";
    assert_eq!(app.number(next, &[&protocolli[0]]).await, 1);
    let sql = "SELECT COUNT(*) FROM jobs WHERE queue = 'istruttoria' AND state <> 'done'";
    assert_eq!(app.number(sql, &[]).await, 0);
    assert!(matches!(audit::verify(&app.db.read).await.expect("verify"), Verification::Intact { .. }));
});

/// Three contributors that declare their PEC to INPS (one request each: a second request on the
/// same object would be refused while the first is open), the association first.
pub(crate) async fn three(app: &TestApp) -> [i64; 3] {
    let ids = [
        app.company_id("Associazione Sportiva Tuscolana").await,
        app.company_id("Gallo Trasporti S.r.l.").await,
        app.company_id("Rossi & Figli S.r.l.").await,
    ];
    for id in &ids[1..] {
        sqlx::query("UPDATE contribuenti SET obbligo_pec_registro_imprese = 0 WHERE id = $1")
            .bind(id)
            .execute(&app.db.write)
            .await
            .expect("setup");
    }
    ids
}

/// Submits a PEC change per contributor and address, with no worker running.
pub(crate) async fn submitted(app: &TestApp, giulia: &reqwest::Client, requests: &[(i64, &str)]) -> Vec<String> {
    let mut protocolli = vec![];
    for (soggetto, pec) in requests {
        let body = json!({ "tipo": "variazione_pec_aziendale", "soggetto_id": soggetto, "oggetto": "",
                           "risposte": { "pec": pec } });
        let (s, v) = submit(app, giulia, body, None).await;
        assert_eq!(s, StatusCode::ACCEPTED, "{v}");
        protocolli.push(v["protocollo"].as_str().expect("p").to_string());
    }
    protocolli
}

both!(a_batch_written_together_gives_each_request_its_own_rows, |engine: Engine| async move {
    let app = TestApp::spawn_with(engine, |c| c.workers = 0).await;
    let giulia = app.logged_in("intermediario").await;
    let [tuscolana, gallo, rossi] = three(&app).await;
    // The second is refused by its checks (the address Gallo already has).
    let attuale = pec_of(&app, gallo).await.expect("Gallo has a PEC");
    let requests =
        [(tuscolana, "insieme1@pec.tuscolana.it"), (gallo, attuale.as_str()), (rossi, "insieme3@pec.rossi.it")];
    let protocolli = submitted(&app, &giulia, &requests).await;
    let n = server::smart_task::worker::process(&app.db, "prova", 32).await.expect("batch");
    assert_eq!(n, 3);
    let stati: Vec<String> = {
        let mut v = vec![];
        for p in &protocolli {
            v.push(decided(&app, &giulia, p).await["stato"].as_str().unwrap_or("").to_string());
        }
        v
    };
    assert_eq!(stati, ["accolta", "non_accolta", "accolta"]);
    for p in &protocolli {
        let id = app.number("SELECT id FROM richieste WHERE protocollo = $1", &[p]).await.to_string();
        let eventi = "SELECT COUNT(*) FROM richieste_eventi WHERE richiesta_id = CAST($1 AS BIGINT)";
        assert_eq!(app.number(eventi, &[&id]).await, 3, "{p}: inviata, in istruttoria, esito");
        let notifiche = "SELECT COUNT(*) FROM notifiche WHERE richiesta_id = CAST($1 AS BIGINT)";
        assert_eq!(app.number(notifiche, &[&id]).await, 2, "{p}: ricevuta ed esito");
        let esito = format!("INPS Smart-Task {p}: richiesta %");
        let email = "SELECT COUNT(*) FROM email_outbox WHERE oggetto LIKE $1 AND contribuente_id IS NOT NULL";
        assert_eq!(app.number(email, &[&esito]).await, 2, "{p}: two e-mails to the PEC");
        let audit = "SELECT COUNT(*) FROM audit_log WHERE entity_id = $1 AND action = 'esito_istruttoria'";
        assert_eq!(app.number(audit, &[p]).await, 1, "{p}");
        // Its own outcome and trace, changed once.
        let own = r#"SELECT COUNT(*) FROM richieste WHERE protocollo = $1 AND version = 2
                     AND decisione_json LIKE '{"decisione":{"outcome":"' || stato || '"%'
                     AND (esito_motivo IS NULL) = (stato = 'accolta')"#;
        assert_eq!(app.number(own, &[p]).await, 1, "{p}");
    }
    // The accepted addresses are in force; the chain is whole.
    assert_eq!(pec_of(&app, tuscolana).await.as_deref(), Some("insieme1@pec.tuscolana.it"));
    assert_eq!(pec_of(&app, rossi).await.as_deref(), Some("insieme3@pec.rossi.it"));
    assert!(matches!(audit::verify(&app.db.read).await.expect("verify"), Verification::Intact { .. }));
});

both!(a_request_whose_write_fails_fails_alone, |engine: Engine| async move {
    let app = TestApp::spawn_with(engine, |c| c.workers = 0).await;
    let giulia = app.logged_in("intermediario").await;
    let [tuscolana, gallo, rossi] = three(&app).await;
    let requests =
        [(tuscolana, "solo1@pec.tuscolana.it"), (gallo, "solo2@pec.gallo.it"), (rossi, "solo3@pec.rossi.it")];
    let protocolli = submitted(&app, &giulia, &requests).await;
    // The database refuses to store the second request's outcome (a fault in its own data).
    let id = app.number("SELECT id FROM richieste WHERE protocollo = $1", &[&protocolli[1]]).await;
    let ddl = match engine {
        Engine::Sqlite => vec![format!(
            "CREATE TRIGGER guasto BEFORE UPDATE ON richieste WHEN NEW.id = {id} BEGIN SELECT RAISE(ABORT, 'guasto'); END"
        )],
        Engine::Postgres => vec![
            "CREATE FUNCTION guasto() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'guasto'; END $$ LANGUAGE plpgsql"
                .to_string(),
            format!(
                "CREATE TRIGGER guasto BEFORE UPDATE ON richieste FOR EACH ROW WHEN (NEW.id = {id}) EXECUTE FUNCTION guasto()"
            ),
        ],
    };
    for sql in ddl {
        sqlx::query(&sql).execute(&app.db.write).await.expect("trigger");
    }
    let n = server::smart_task::worker::process(&app.db, "prova", 32).await.expect("batch");
    assert_eq!(n, 3);
    for i in [0, 2] {
        assert_eq!(decided(&app, &giulia, &protocolli[i]).await["stato"], "accolta", "the others are recorded");
    }
    let stato = "SELECT COUNT(*) FROM richieste WHERE protocollo = $1 AND stato IN ('inviata', 'in_istruttoria')";
    assert_eq!(app.number(stato, &[&protocolli[1]]).await, 1, "still to decide");
    let job = "SELECT COUNT(*) FROM jobs WHERE payload = $1 AND state = 'queued' AND last_error LIKE '%guasto%'";
    assert_eq!(app.number(job, &[&id.to_string()]).await, 1, "its job waits for a retry with the error");
    let audit = "SELECT COUNT(*) FROM audit_log WHERE entity_id = $1 AND action = 'esito_istruttoria'";
    assert_eq!(app.number(audit, &[&protocolli[1]]).await, 0, "nothing of it was recorded");
    assert!(matches!(audit::verify(&app.db.read).await.expect("verify"), Verification::Intact { .. }));
});

both!(a_burst_commits_before_answering_and_keeps_the_chain, |engine: Engine| async move {
    let app = TestApp::spawn_with(engine, |c| c.submissions_per_minute = 10_000).await;
    let tuscolana = app.company_id("Associazione Sportiva Tuscolana").await;
    let before = app.number("SELECT COUNT(*) FROM audit_log", &[]).await;
    let per_client = 20;
    let clients = 4;
    let mut handles = vec![];
    for k in 0..clients {
        let c = app.logged_in("intermediario").await;
        let (url, db) = (app.url("/api/v1/richieste"), app.db.read.clone());
        handles.push(tokio::spawn(async move {
            let mut protocolli = vec![];
            for i in 0..per_client {
                let body = json!({ "tipo": "variazione_pec_aziendale", "soggetto_id": tuscolana, "oggetto": "",
                                   "risposte": { "pec": format!("raffica{k}-{i}@pec.tuscolana.it") } });
                let r = c.post(&url).json(&body).send().await.expect("send");
                assert_eq!(r.status(), StatusCode::ACCEPTED);
                let v: serde_json::Value = r.json().await.expect("json");
                let p = v["protocollo"].as_str().expect("p").to_string();
                // Answered means committed: another connection reads it at once.
                let seen: i64 = sqlx::query("SELECT COUNT(*) FROM richieste WHERE protocollo = $1")
                    .bind(&p)
                    .fetch_one(&db)
                    .await
                    .expect("seen")
                    .try_get(0)
                    .expect("n");
                assert_eq!(seen, 1, "{p} answered before its commit");
                protocolli.push(p);
            }
            protocolli
        }));
    }
    let mut protocolli = vec![];
    for h in handles {
        protocolli.extend(h.await.expect("join"));
    }
    let giulia = app.logged_in("intermediario").await;
    for p in &protocolli {
        decided(&app, &giulia, p).await;
    }
    let total = (clients * per_client) as i64;
    let after = app.number("SELECT COUNT(*) FROM audit_log", &[]).await;
    // One record per submission and one per decision (plus the logins of the clients).
    let sql =
        "SELECT COUNT(*) FROM audit_log WHERE action IN ('invio', 'esito_istruttoria') AND seq > CAST($1 AS BIGINT)";
    let ours = app.number(sql, &[&before.to_string()]).await;
    assert_eq!(ours, 2 * total);
    assert!(after >= before + 2 * total);
    assert_eq!(
        audit::verify(&app.db.read).await.expect("verify"),
        Verification::Intact { records: after },
        "the chain is whole and in order"
    );
});

both!(a_requester_without_a_title_is_refused_alone_in_a_batch, |engine: Engine| async move {
    // The titles of a batch are read with one query per requester and day: the company whose
    // delega ended after the submission is refused, the other is accepted.
    let app = TestApp::spawn_with(engine, |c| c.workers = 0).await;
    let giulia = app.logged_in("intermediario").await;
    let [tuscolana, gallo, _] = three(&app).await;
    let requests = [(tuscolana, "titolo1@pec.tuscolana.it"), (gallo, "titolo2@pec.gallo.it")];
    let protocolli = submitted(&app, &giulia, &requests).await;
    sqlx::query(
        "UPDATE deleghe SET revocata_dal = '2000-01-01' WHERE contribuente_id = $1 AND ruolo = 'intermediario'",
    )
    .bind(gallo)
    .execute(&app.db.write)
    .await
    .expect("revoke");
    let n = server::smart_task::worker::process(&app.db, "prova", 32).await.expect("batch");
    assert_eq!(n, 2, "both jobs in one batch");
    let mut legittimato = vec![];
    for p in &protocolli {
        let row = sqlx::query("SELECT stato, decisione_json FROM richieste WHERE protocollo = $1")
            .bind(p)
            .fetch_one(&app.db.read)
            .await
            .expect("request");
        let trace: serde_json::Value =
            serde_json::from_str(&row.try_get::<String, _>("decisione_json").expect("trace")).expect("json");
        let check = trace["decisione"]["checks"]
            .as_array()
            .and_then(|c| c.iter().find(|c| c["codice"] == "ST00.RICHIEDENTE_LEGITTIMATO"))
            .cloned()
            .unwrap_or_default();
        legittimato.push((row.try_get::<String, _>("stato").expect("stato"), check["esito"].clone()));
    }
    assert_eq!(
        legittimato,
        [("accolta".to_string(), json!("ok")), ("non_accolta".to_string(), json!("ko"))],
        "{protocolli:?}"
    );
    assert_ne!(pec_of(&app, gallo).await.as_deref(), Some("titolo2@pec.gallo.it"), "the refused effect is not applied");
});

// The answer to a submission is built from what the write stored, not read back: it must be
// the request as anyone reads it afterwards.
both!(a_submission_answers_the_request_as_stored, |engine: Engine| async move {
    let app = TestApp::spawn_with(engine, |c| c.workers = 0).await;
    let giulia = app.logged_in("intermediario").await;
    let tuscolana = app.company_id("Associazione Sportiva Tuscolana").await;
    let body = json!({ "tipo": "variazione_pec_aziendale", "soggetto_id": tuscolana, "oggetto": "",
                       "risposte": { "pec": "come.salvata@pec.tuscolana.it" } });
    let (s, answered) = submit(&app, &giulia, body, Some("come-salvata")).await;
    assert_eq!(s, StatusCode::ACCEPTED, "{answered}");
    let protocollo = answered["protocollo"].as_str().expect("protocollo");
    let (s, stored) = app.get(&giulia, &format!("/api/v1/richieste/{protocollo}")).await;
    assert_eq!(s, StatusCode::OK, "{stored}");
    assert_eq!(answered, stored);
    assert_eq!(answered["stato"], "inviata");
    assert_eq!(answered["eventi"].as_array().map(Vec::len), Some(1));
    // The same key again: the same request, as stored.
    let body = json!({ "tipo": "variazione_pec_aziendale", "soggetto_id": tuscolana, "oggetto": "",
                       "risposte": { "pec": "come.salvata@pec.tuscolana.it" } });
    let (s, again) = submit(&app, &giulia, body, Some("come-salvata")).await;
    assert!(s.is_success(), "{again}");
    assert_eq!(again, stored);
});
