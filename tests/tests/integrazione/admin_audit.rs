//! Operator role assignment by the profiling admin; the audit chain and its tamper detection.

use reqwest::StatusCode;
use serde_json::json;
use server::infra::audit::{self, Verification};
use sportello_tests::{Engine, TestApp, both};
use sqlx::Row;

async fn user_id(app: &TestApp, username: &str) -> i64 {
    sqlx::query("SELECT id FROM users WHERE username = $1")
        .bind(username)
        .fetch_one(&app.db.read)
        .await
        .expect("user")
        .try_get(0)
        .expect("id")
}

both!(admin_assigns_operator_roles_with_audit, |engine: Engine| async move {
    let app = TestApp::spawn(engine).await;
    let admin = app.logged_in("admin.idm").await;
    let target = user_id(&app, "operatore.milano").await;
    let operator = app.logged_in("operatore.milano").await;

    let (s, v) = app.get(&admin, "/api/v1/operatori").await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        v.as_array().expect("list").iter().any(|o| o["username"] == "operatore.milano" && o["sede_codice"] == "4900")
    );

    // Validation: a branch operator needs a sede; the reason is mandatory.
    let (s, v) = app
        .put(
            &admin,
            &format!("/api/v1/operatori/{target}"),
            json!({ "role": "operatore_sede", "sede_codice": null, "regione": null, "note": "ok" }),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<&str> =
        v["errors"].as_array().expect("errors").iter().filter_map(|e| e["field"].as_str()).collect();
    assert_eq!(fields, ["note", "sede_codice"]);
    let (s, v) = app
        .put(
            &admin,
            &format!("/api/v1/operatori/{target}"),
            json!({ "role": "operatore_sede", "sede_codice": "0000", "note": "trasferimento" }),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(v["errors"][0]["code"], "unknown");
    let (s, _) = app
        .put(&admin, &format!("/api/v1/operatori/{target}"), json!({ "role": "datore", "note": "trasferimento" }))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    // A citizen's account cannot be turned into an operator.
    let citizen = user_id(&app, "datore").await;
    let (s, _) = app
        .put(
            &admin,
            &format!("/api/v1/operatori/{citizen}"),
            json!({ "role": "operatore_dg", "note": "tentativo improprio" }),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT);

    let (s, v) = app
        .put(
            &admin,
            &format!("/api/v1/operatori/{target}"),
            json!({ "role": "operatore_sede", "sede_codice": "1300", "note": "Trasferimento a Roma Eur" }),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["sede_codice"], "1300");
    // The operator's sessions end so the new scope applies at once.
    let (s, _) = app.get(&operator, "/api/v1/sessione").await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    let (_, home) = app.get(&app.logged_in("operatore.milano").await, "/api/v1/home").await;
    assert!(home["ambito"].as_str().unwrap_or("").contains("Roma Eur"), "{home}");

    let row = sqlx::query(
        "SELECT actor, before_json, after_json, note FROM audit_log WHERE action = 'assegnazione_ruolo_operatore'",
    )
    .fetch_one(&app.db.read)
    .await
    .expect("audit row");
    assert_eq!(row.try_get::<String, _>("actor").expect("actor"), "admin.idm");
    assert!(row.try_get::<String, _>("before_json").expect("before").contains("\"4900\""));
    assert!(row.try_get::<String, _>("after_json").expect("after").contains("\"1300\""));
    assert_eq!(row.try_get::<String, _>("note").expect("note"), "Trasferimento a Roma Eur");

    // Only the admin may do this.
    let (s, _) = app
        .put(
            &app.logged_in("operatore.dg").await,
            &format!("/api/v1/operatori/{target}"),
            json!({ "role": "operatore_dg", "note": "auto-promozione" }),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _) = app.get(&app.logged_in("intermediario").await, "/api/v1/operatori").await;
    assert_eq!(s, StatusCode::FORBIDDEN);
});

both!(audit_chain_detects_tampering, |engine: Engine| async move {
    let app = TestApp::spawn(engine).await;
    // Produce some records: logins and a choice of subject.
    let c = app.logged_in("intermediario").await;
    let rossi = app.company_id("Rossi & Figli S.r.l.").await;
    let (s, _) = app.put(&c, "/api/v1/sessione/soggetto", json!({ "subject_id": rossi })).await;
    assert_eq!(s, StatusCode::OK);
    app.logged_in("datore").await;
    app.logged_in("admin.idm").await;
    let records = match audit::verify(&app.db.read).await.expect("verify") {
        Verification::Intact { records } => records,
        b => panic!("chain should be intact: {b:?}"),
    };
    assert!(records >= 4, "{records}");
    let (s, v) = app.get(&app.logged_in("admin.idm").await, "/api/v1/audit?limit=10").await;
    assert_eq!(s, StatusCode::OK);
    assert!(v.as_array().expect("list").iter().any(|r| r["action"] == "opera_per_conto_di"));

    // The database refuses to change or remove a record…
    let tamper = "UPDATE audit_log SET note = 'modificato' WHERE seq = 2";
    assert!(sqlx::query(tamper).execute(&app.db.write).await.is_err(), "UPDATE refused");
    assert!(sqlx::query("DELETE FROM audit_log WHERE seq = 2").execute(&app.db.write).await.is_err(), "DELETE refused");
    // …so someone with the rights to drop its guard does, and edits record 2.
    unguard(&app, engine).await;
    sqlx::query(tamper).execute(&app.db.write).await.expect("tamper");
    assert_eq!(
        audit::verify(&app.db.read).await.expect("verify"),
        Verification::Broken { seq: 2, reason: "il contenuto del record è stato alterato".into() }
    );
});

/// Drops the triggers that make `audit_log` append-only, as an intruder with DDL rights could.
async fn unguard(app: &TestApp, engine: Engine) {
    let on = if matches!(engine, Engine::Postgres) { " ON audit_log" } else { "" };
    for t in ["audit_log_no_update", "audit_log_no_delete"] {
        let _ = sqlx::query(&format!("DROP TRIGGER IF EXISTS {t}{on}")).execute(&app.db.write).await;
    }
}

both!(the_chain_cannot_be_rewritten_without_the_key, |engine: Engine| async move {
    use sqlx::Row;
    let app = TestApp::spawn(engine).await;
    for u in ["datore", "intermediario"] {
        app.logged_in(u).await;
    }
    unguard(&app, engine).await;
    // The intruder rewrites the last record and recomputes its hash and the head, the way the
    // chain is built, but without the key (plain SHA-256 of the same canonical form).
    let r = sqlx::query(
        "SELECT seq, at, actor_user_id, actor, acting_for_id, entity, entity_id, action, before_json, after_json,
                request_id, prev_hash FROM audit_log ORDER BY seq DESC LIMIT 1",
    )
    .fetch_one(&app.db.read)
    .await
    .expect("last");
    let j = |v: serde_json::Value| v.to_string();
    let text = |c: &str| j(r.try_get::<Option<String>, _>(c).expect(c).into());
    let int = |c: &str| j(r.try_get::<Option<i64>, _>(c).expect(c).into());
    let canonical = format!(
        "{{\"seq\":{},\"at\":{},\"actor_user_id\":{},\"actor\":{},\"acting_for_id\":{},\"entity\":{},\"entity_id\":{},\"action\":{},\"before_json\":{},\"after_json\":{},\"note\":\"riscritto\",\"request_id\":{},\"prev_hash\":{}}}",
        int("seq"),
        text("at"),
        int("actor_user_id"),
        text("actor"),
        int("acting_for_id"),
        text("entity"),
        text("entity_id"),
        text("action"),
        text("before_json"),
        text("after_json"),
        text("request_id"),
        text("prev_hash")
    );
    use sha2::Digest;
    let forged = hex::encode(sha2::Sha256::digest(canonical.as_bytes()));
    let seq: i64 = r.try_get("seq").expect("seq");
    sqlx::query("UPDATE audit_log SET note = 'riscritto', hash = $1 WHERE seq = $2")
        .bind(&forged)
        .bind(seq)
        .execute(&app.db.write)
        .await
        .expect("forge");
    sqlx::query("UPDATE audit_head SET last_hash = $1").bind(&forged).execute(&app.db.write).await.expect("head");
    assert_eq!(
        audit::verify(&app.db.read).await.expect("verify"),
        Verification::Broken { seq, reason: "il contenuto del record è stato alterato".into() }
    );
});

both!(audit_chain_detects_deleted_records, |engine: Engine| async move {
    let app = TestApp::spawn(engine).await;
    for u in ["datore", "intermediario", "dipendente"] {
        app.logged_in(u).await;
    }
    unguard(&app, engine).await;
    sqlx::query("DELETE FROM audit_log WHERE seq = 2").execute(&app.db.write).await.expect("delete");
    assert!(matches!(audit::verify(&app.db.read).await.expect("verify"), Verification::Broken { seq: 2, .. }));
    let app = TestApp::spawn(engine).await;
    for u in ["datore", "intermediario"] {
        app.logged_in(u).await;
    }
    unguard(&app, engine).await;
    sqlx::query("DELETE FROM audit_log WHERE seq = 2").execute(&app.db.write).await.expect("delete tail");
    assert!(
        matches!(audit::verify(&app.db.read).await.expect("verify"), Verification::Broken { seq: 2, .. }),
        "a removed tail is detected too"
    );
});

both!(a_stale_expected_version_is_a_conflict, |engine: Engine| async move {
    let app = TestApp::spawn(engine).await;
    let admin = app.logged_in("admin.idm").await;
    let target = user_id(&app, "operatore.milano").await;
    let (_, list) = app.get(&admin, "/api/v1/operatori").await;
    let version = list
        .as_array()
        .and_then(|l| l.iter().find(|o| o["username"] == "operatore.milano"))
        .and_then(|o| o["version"].as_i64())
        .expect("version");
    let change = |v: i64, sede: &str| json!({ "role": "operatore_sede", "sede_codice": sede, "note": "trasferimento di sede", "expected_version": v });
    let url = format!("/api/v1/operatori/{target}");
    let (s, v) = app.put(&admin, &url, change(version, "1300")).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    // A second administrator's page still shows the old version: refused, nothing changed.
    let (s, v) = app.put(&admin, &url, change(version, "4900")).await;
    assert_eq!(s, StatusCode::CONFLICT, "{v}");
    let (_, list) = app.get(&admin, "/api/v1/operatori").await;
    let now = list.as_array().and_then(|l| l.iter().find(|o| o["username"] == "operatore.milano")).cloned();
    assert_eq!(now.as_ref().map(|o| o["sede_codice"].clone()), Some(json!("1300")));
    assert_eq!(now.as_ref().and_then(|o| o["version"].as_i64()), Some(version + 1));
});
