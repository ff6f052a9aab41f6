//! Smart-Task through /api/v1 on both engines: kinds 4, 5 and 8, idempotency, authorization,
//! stored decision trace, notifications queued, effects applied exactly once.

use reqwest::StatusCode;
use serde_json::{Value, json};
use sportello_tests::st::{decided, failed_codes, submit, today};
use sportello_tests::{Engine, TestApp, both, read};
use sqlx::Row;

async fn delega_id(app: &TestApp, company: &str, ruolo: &str) -> i64 {
    let cid = app.company_id(company).await;
    sqlx::query("SELECT id FROM deleghe WHERE contribuente_id = $1 AND ruolo = $2 ORDER BY id")
        .bind(cid)
        .bind(ruolo)
        .fetch_one(&app.db.read)
        .await
        .expect("delega")
        .try_get(0)
        .expect("id")
}

both!(revoca_delega_intermediario_accolta_and_applied_once, |engine: Engine| async move {
    let app = TestApp::spawn(engine).await;
    let datore = app.logged_in("datore").await;
    let rossi = app.company_id("Rossi & Figli S.r.l.").await;
    let (s, kinds) = app.get(&datore, "/api/v1/smart-task/tipi").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(kinds.as_array().map(Vec::len), Some(shared::smart_task::Kind::ALL.len()));
    let (s, targets) = app
        .get(&datore, &format!("/api/v1/smart-task/tipi/revoca_delega_intermediario/oggetti?soggetto_id={rossi}"))
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(targets[0]["descrizione"].as_str().unwrap_or("").contains("Giulia Bianchi"), "{targets}");
    let target = targets[0]["id"].as_str().expect("id").to_string();

    let body = json!({ "tipo": "revoca_delega_intermediario", "soggetto_id": rossi, "oggetto": target, "risposte": { "data_effetto": today() } });
    let (s, v) = submit(&app, &datore, body, Some("chiave-1")).await;
    assert_eq!(s, StatusCode::ACCEPTED, "{v}");
    assert!(v["protocollo"].as_str().unwrap_or("").starts_with("ST-"));
    assert!(v["stato"] == "inviata" || v["stato"] == "in_istruttoria" || v["stato"] == "accolta");
    let d = decided(&app, &datore, v["protocollo"].as_str().expect("p")).await;
    assert_eq!(d["stato"], "accolta", "{d}");
    assert!(failed_codes(&d).is_empty());
    assert!(
        d["controlli"].as_array().expect("c").iter().any(|c| c["codice"] == "ST04.DELEGA_ATTIVA" && c["esito"] == "ok")
    );
    let stati: Vec<&str> = d["eventi"].as_array().expect("e").iter().filter_map(|e| e["stato"].as_str()).collect();
    assert_eq!(stati, ["inviata", "in_istruttoria", "accolta"]);

    // The effect: the intermediary no longer acts for Rossi.
    let (_, list) = app.get(&app.logged_in("intermediario").await, "/api/v1/soggetti").await;
    assert!(!list.to_string().contains("Rossi & Figli"), "{list}");
    // A second revocation of the same delega is refused: the delega is no longer active.
    let body = json!({ "tipo": "revoca_delega_intermediario", "soggetto_id": rossi, "oggetto": target, "risposte": { "data_effetto": today() } });
    let (_, v) = submit(&app, &datore, body, None).await;
    let d2 = decided(&app, &datore, v["protocollo"].as_str().expect("p")).await;
    assert_eq!(d2["stato"], "non_accolta");
    assert_eq!(failed_codes(&d2), ["ST04.DELEGA_ATTIVA"]);
    assert!(d2["motivo"].as_str().unwrap_or("").contains("già revocata"));
    let revocations: i64 = sqlx::query("SELECT COUNT(*) FROM audit_log WHERE entity = 'delega' AND action = 'revoca'")
        .fetch_one(&app.db.read)
        .await
        .expect("count")
        .try_get(0)
        .expect("n");
    assert_eq!(revocations, 1, "the effect is applied exactly once");

    // The decision trace (facts, parameters, ruleset) is stored; notifications are queued.
    let row = sqlx::query("SELECT ruleset, decisione_json FROM richieste WHERE protocollo = $1")
        .bind(d["protocollo"].as_str().expect("p"))
        .fetch_one(&app.db.read)
        .await
        .expect("row");
    let trace: Value = serde_json::from_str(&row.try_get::<String, _>("decisione_json").expect("json")).expect("trace");
    assert_eq!(row.try_get::<String, _>("ruleset").expect("rs"), trace["decisione"]["ruleset"].as_str().unwrap_or(""));
    assert_eq!(trace["fatti"]["parametri"]["ST.REVOCA_DELEGA.MAX_GIORNI_FUTURO"], "365");
    assert!(trace["fatti"]["kind"]["delega"]["id"].is_number());
    let notifiche: i64 = sqlx::query("SELECT COUNT(*) FROM notifiche WHERE contribuente_id = $1")
        .bind(rossi)
        .fetch_one(&app.db.read)
        .await
        .expect("n")
        .try_get(0)
        .expect("n");
    let mails: i64 = sqlx::query("SELECT COUNT(*) FROM email_outbox WHERE stato = 'da_inviare'")
        .fetch_one(&app.db.read)
        .await
        .expect("n")
        .try_get(0)
        .expect("n");
    // Received and decided, for each of the two requests.
    assert_eq!((notifiche, mails), (4, 4));
    assert!(matches!(
        server::infra::audit::verify(&app.db.read).await.expect("verify"),
        server::infra::audit::Verification::Intact { .. }
    ));
});

both!(revoca_delega_non_accolta_cases, |engine: Engine| async move {
    let app = TestApp::spawn(engine).await;
    let datore = app.logged_in("datore").await;
    let rossi = app.company_id("Rossi & Figli S.r.l.").await;
    // Kind 4 on an employee's delega: wrong role.
    let dip = delega_id(&app, "Rossi & Figli S.r.l.", "dipendente").await;
    let (_, v) = submit(&app, &datore, json!({ "tipo": "revoca_delega_intermediario", "soggetto_id": rossi, "oggetto": dip.to_string(), "risposte": { "data_effetto": today() } }), None).await;
    assert_eq!(
        failed_codes(&decided(&app, &datore, v["protocollo"].as_str().expect("p")).await),
        ["ST04.RUOLO_DELEGA"]
    );
    // Retroactive date.
    let int = delega_id(&app, "Rossi & Figli S.r.l.", "intermediario").await;
    let (_, v) = submit(&app, &datore, json!({ "tipo": "revoca_delega_intermediario", "soggetto_id": rossi, "oggetto": int.to_string(), "risposte": { "data_effetto": "01/01/2020" } }), None).await;
    let d = decided(&app, &datore, v["protocollo"].as_str().expect("p")).await;
    assert_eq!(failed_codes(&d), ["ST04.DATA_EFFETTO_AMMESSA"]);
    assert!(d["motivo"].as_str().unwrap_or("").contains("retroattiva"));
    // A delega of another company.
    let gallo_delega = delega_id(&app, "Gallo Trasporti S.r.l.", "intermediario").await;
    let (_, v) = submit(&app, &datore, json!({ "tipo": "revoca_delega_intermediario", "soggetto_id": rossi, "oggetto": gallo_delega.to_string(), "risposte": { "data_effetto": today() } }), None).await;
    assert_eq!(
        failed_codes(&decided(&app, &datore, v["protocollo"].as_str().expect("p")).await),
        ["ST04.DELEGA_DEL_CONTRIBUENTE"]
    );
    // The employee may revoke his own delega (kind 5), but not the intermediary's.
    let dipendente = app.logged_in("dipendente").await;
    let (_, v) = submit(&app, &dipendente, json!({ "tipo": "revoca_delega_intermediario", "soggetto_id": rossi, "oggetto": int.to_string(), "risposte": { "data_effetto": today() } }), None).await;
    assert_eq!(
        failed_codes(&decided(&app, &dipendente, v["protocollo"].as_str().expect("p")).await),
        ["ST04.RICHIEDENTE_TITOLATO_ALLA_REVOCA"]
    );
    let (_, v) = submit(&app, &dipendente, json!({ "tipo": "revoca_delega_dipendente", "soggetto_id": rossi, "oggetto": dip.to_string(), "risposte": { "data_effetto": today() } }), None).await;
    assert_eq!(decided(&app, &dipendente, v["protocollo"].as_str().expect("p")).await["stato"], "accolta");
    // Having revoked his own delega he keeps sight of that request, but not of the company.
    let (s, _) = app.get(&dipendente, &format!("/api/v1/richieste?soggetto_id={rossi}")).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    // Syntax errors never reach the worker: 422 with field errors, nothing stored.
    let (s, v) = submit(&app, &datore, json!({ "tipo": "revoca_delega_intermediario", "soggetto_id": rossi, "oggetto": int.to_string(), "risposte": { "data_effetto": "31/02/2026" } }), None).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(v["errors"][0]["field"], "data_effetto");
    let (s, v) = submit(
        &app,
        &datore,
        json!({ "tipo": "ricalcolo_nota_rettifica", "soggetto_id": rossi, "oggetto": "1", "risposte": {} }),
        None,
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!((v["errors"][0]["field"].as_str(), v["errors"][0]["code"].as_str()), (Some("motivo"), Some("empty")));
});

both!(variazione_pec_aziendale, |engine: Engine| async move {
    let app = TestApp::spawn(engine).await;
    let c = app.logged_in("intermediario").await;
    let assoc = app.company_id("Associazione Sportiva Tuscolana").await;
    let (s, v) = submit(&app, &c, json!({ "tipo": "variazione_pec_aziendale", "soggetto_id": assoc, "oggetto": "", "risposte": { "pec": "Segreteria@PEC.Tuscolana.it" } }), None).await;
    assert_eq!(s, StatusCode::ACCEPTED, "{v}");
    let d = decided(&app, &c, v["protocollo"].as_str().expect("p")).await;
    assert_eq!(d["stato"], "accolta", "{d}");
    let pec: String = sqlx::query("SELECT pec FROM contribuenti WHERE id = $1")
        .bind(assoc)
        .fetch_one(&app.db.read)
        .await
        .expect("pec")
        .try_get(0)
        .expect("pec");
    assert_eq!(pec, "segreteria@pec.tuscolana.it");
    // A company that must register its PEC with the Registro Imprese is refused, with the way out.
    let gallo = app.company_id("Gallo Trasporti S.r.l.").await;
    let (_, v) = submit(&app, &c, json!({ "tipo": "variazione_pec_aziendale", "soggetto_id": gallo, "oggetto": "", "risposte": { "pec": "nuova@pec.gallo.it" } }), None).await;
    let d = decided(&app, &c, v["protocollo"].as_str().expect("p")).await;
    assert_eq!(failed_codes(&d), ["ST08.NON_OBBLIGATO_REGISTRO_IMPRESE"]);
    assert!(d["motivo"].as_str().unwrap_or("").contains("ComUnica"));
    // The intermediary's own PEC cannot become the company's.
    let (_, v) = submit(&app, &c, json!({ "tipo": "variazione_pec_aziendale", "soggetto_id": assoc, "oggetto": "", "risposte": { "pec": "studio.bianchi@pec.example.it" } }), None).await;
    assert_eq!(
        failed_codes(&decided(&app, &c, v["protocollo"].as_str().expect("p")).await),
        ["ST08.PEC_NON_DI_INTERMEDIARIO"]
    );
    let (s, v) = submit(&app, &c, json!({ "tipo": "variazione_pec_aziendale", "soggetto_id": assoc, "oggetto": "", "risposte": { "pec": "non-una-pec" } }), None).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(v["errors"][0]["field"], "pec");
});

both!(submit_is_idempotent, |engine: Engine| async move {
    let app = TestApp::spawn(engine).await;
    let c = app.logged_in("intermediario").await;
    let assoc = app.company_id("Associazione Sportiva Tuscolana").await;
    let body = json!({ "tipo": "variazione_pec_aziendale", "soggetto_id": assoc, "oggetto": "", "risposte": { "pec": "doppio@pec.tuscolana.it" } });
    // A double tap: two concurrent submissions with the same key, then a retry.
    let (a, b) =
        tokio::join!(submit(&app, &c, body.clone(), Some("tap-42")), submit(&app, &c, body.clone(), Some("tap-42")));
    let (_, again) = submit(&app, &c, body, Some("tap-42")).await;
    assert_eq!(a.1["protocollo"], b.1["protocollo"]);
    assert_eq!(a.1["protocollo"], again["protocollo"]);
    let n: i64 = sqlx::query("SELECT COUNT(*) FROM richieste WHERE idempotency_key = 'tap-42'")
        .fetch_one(&app.db.read)
        .await
        .expect("n")
        .try_get(0)
        .expect("n");
    assert_eq!(n, 1);
    let (s, list) = app.get(&c, &format!("/api/v1/richieste?soggetto_id={assoc}")).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(list["richieste"].as_array().map(Vec::len), Some(1));
    assert_eq!((list["totale"].as_i64(), list["pagine"].as_i64()), (Some(1), Some(1)));
});

both!(no_delega_no_requests, |engine: Engine| async move {
    let app = TestApp::spawn(engine).await;
    let c = app.logged_in("intermediario").await;
    let verdi = app.company_id("Verdi Logistica S.p.A.").await; // delega expired
    let (s, v) = submit(&app, &c, json!({ "tipo": "variazione_pec_aziendale", "soggetto_id": verdi, "oggetto": "", "risposte": { "pec": "x@pec.verdi.it" } }), None).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    assert!(v["detail"].as_str().unwrap_or("").contains("scaduta"));
    let (s, _) = app.get(&c, &format!("/api/v1/richieste?soggetto_id={verdi}")).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    // A request of a company the caller may not act for cannot be read by protocol number.
    let datore = app.logged_in("datore").await;
    let trattoria = app.company_id("Trattoria da Mario di Rossi Mario").await;
    let (_, v) = submit(&app, &datore, json!({ "tipo": "variazione_pec_aziendale", "soggetto_id": trattoria, "oggetto": "", "risposte": { "pec": "trattoria@pec.it" } }), None).await;
    let p = v["protocollo"].as_str().expect("p").to_string();
    let (s, _) = app.get(&c, &format!("/api/v1/richieste/{p}")).await;
    assert_eq!(s, StatusCode::NOT_FOUND, "like a protocol that does not exist");
    let (s, _) = app.get(&app.client(), &format!("/api/v1/richieste/{p}")).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
});

both!(competing_workers_decide_each_request_once, |engine: Engine| async move {
    let app = TestApp::spawn(engine).await;
    let c = app.logged_in("intermediario").await;
    let assoc = app.company_id("Associazione Sportiva Tuscolana").await;
    let mut protocols = vec![];
    for i in 0..12 {
        let (s, v) = submit(&app, &c, json!({ "tipo": "variazione_pec_aziendale", "soggetto_id": assoc, "oggetto": "", "risposte": { "pec": format!("pec{i}@pec.tuscolana.it") } }), None).await;
        assert_eq!(s, StatusCode::ACCEPTED);
        protocols.push(v["protocollo"].as_str().expect("p").to_string());
    }
    // Two more workers race the one the server runs.
    let (db1, db2) = (app.db.clone(), app.db.clone());
    let w = |db: server::Db, name: &'static str| async move {
        for _ in 0..40 {
            let _ = server::smart_task::worker::process_one(&db, name).await;
        }
    };
    tokio::join!(w(db1, "extra-1"), w(db2, "extra-2"));
    for p in &protocols {
        decided(&app, &c, p).await;
    }
    let finals: i64 = sqlx::query("SELECT COUNT(*) FROM richieste_eventi WHERE stato IN ('accolta', 'non_accolta')")
        .fetch_one(&app.db.read)
        .await
        .expect("n")
        .try_get(0)
        .expect("n");
    assert_eq!(finals, 12, "one final event per request");
    // Only the first is accepted: the others found an open request for the same target (C4) or
    // the same PEC already set — either way never applied twice.
    let changes: i64 = sqlx::query("SELECT COUNT(*) FROM audit_log WHERE action = 'variazione_pec'")
        .fetch_one(&app.db.read)
        .await
        .expect("n")
        .try_get(0)
        .expect("n");
    let accepted: i64 = sqlx::query("SELECT COUNT(*) FROM richieste WHERE stato = 'accolta'")
        .fetch_one(&app.db.read)
        .await
        .expect("n")
        .try_get(0)
        .expect("n");
    assert_eq!(changes, accepted);
    assert!(accepted >= 1);
});

both!(variazione_contatti_intermediario_e_dipendente, |engine: Engine| async move {
    let app = TestApp::spawn(engine).await;
    let c = app.logged_in("intermediario").await;
    let gallo = app.company_id("Gallo Trasporti S.r.l.").await;
    // Kind 6: the intermediary changes her own contacts from any client's Cassetto.
    let (_, targets) = app
        .get(&c, &format!("/api/v1/smart-task/tipi/variazione_contatti_intermediario/oggetti?soggetto_id={gallo}"))
        .await;
    let me = targets[0]["id"].as_str().expect("id").to_string();
    let (s, v) = submit(&app, &c, json!({ "tipo": "variazione_contatti_intermediario", "soggetto_id": gallo, "oggetto": me, "risposte": { "email": "nuova@studiobianchi.it", "cellulare": "+39 340 1112223" } }), None).await;
    assert_eq!(s, StatusCode::ACCEPTED, "{v}");
    let d = decided(&app, &c, v["protocollo"].as_str().expect("p")).await;
    assert_eq!(d["stato"], "accolta", "{d}");
    let r = sqlx::query("SELECT email, cellulare, pec FROM intermediari WHERE id = $1")
        .bind(me.parse::<i64>().expect("id"))
        .fetch_one(&app.db.read)
        .await
        .expect("row");
    assert_eq!(r.try_get::<String, _>("email").expect("e"), "nuova@studiobianchi.it");
    assert_eq!(r.try_get::<String, _>("cellulare").expect("c"), "3401112223");
    assert_eq!(r.try_get::<String, _>("pec").expect("p"), "studio.bianchi@pec.example.it", "contacts not given stay");
    // The same values again: nothing to change.
    let (_, v) = submit(&app, &c, json!({ "tipo": "variazione_contatti_intermediario", "soggetto_id": gallo, "oggetto": me, "risposte": { "email": "nuova@studiobianchi.it" } }), None).await;
    assert_eq!(
        failed_codes(&decided(&app, &c, v["protocollo"].as_str().expect("p")).await),
        ["ST00.ALMENO_UN_CONTATTO_VARIATO"]
    );
    // The employer cannot change the intermediary's contacts.
    let datore = app.logged_in("datore").await;
    let rossi = app.company_id("Rossi & Figli S.r.l.").await;
    let (_, v) = submit(&app, &datore, json!({ "tipo": "variazione_contatti_intermediario", "soggetto_id": rossi, "oggetto": me, "risposte": { "email": "x@y.it" } }), None).await;
    assert_eq!(
        failed_codes(&decided(&app, &datore, v["protocollo"].as_str().expect("p")).await),
        ["ST06.RICHIEDENTE_E_L_INTERMEDIARIO"]
    );

    // Kind 7: the legal representative updates the delegated employee's contacts.
    let dip = delega_id(&app, "Rossi & Figli S.r.l.", "dipendente").await;
    let (_, v) = submit(&app, &datore, json!({ "tipo": "variazione_contatti_dipendente", "soggetto_id": rossi, "oggetto": dip.to_string(), "risposte": { "telefono": "06 9876543" } }), None).await;
    assert_eq!(decided(&app, &datore, v["protocollo"].as_str().expect("p")).await["stato"], "accolta");
    // The intermediary is neither the employee nor the legal representative.
    let (_, v) = submit(&app, &c, json!({ "tipo": "variazione_contatti_dipendente", "soggetto_id": rossi, "oggetto": dip.to_string(), "risposte": { "telefono": "06 1111111" } }), None).await;
    assert_eq!(
        failed_codes(&decided(&app, &c, v["protocollo"].as_str().expect("p")).await),
        ["ST07.RICHIEDENTE_TITOLATO"]
    );
    // A delega to an intermediary is not an employee's delega.
    let int = delega_id(&app, "Rossi & Figli S.r.l.", "intermediario").await;
    let (_, v) = submit(&app, &datore, json!({ "tipo": "variazione_contatti_dipendente", "soggetto_id": rossi, "oggetto": int.to_string(), "risposte": { "telefono": "06 2222222" } }), None).await;
    assert!(
        failed_codes(&decided(&app, &datore, v["protocollo"].as_str().expect("p")).await)
            .contains(&"ST07.DELEGA_A_DIPENDENTE_IN_VIGORE".to_string())
    );
    let (s, v) = submit(&app, &datore, json!({ "tipo": "variazione_contatti_dipendente", "soggetto_id": rossi, "oggetto": dip.to_string(), "risposte": {} }), None).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(v["errors"][0]["code"], "empty");
});

both!(list_filters_and_paging, |engine: Engine| async move {
    let app = TestApp::spawn(engine).await;
    let c = app.logged_in("intermediario").await;
    let assoc = app.company_id("Associazione Sportiva Tuscolana").await;
    for n in 0..21 {
        let body = json!({ "tipo": "variazione_pec_aziendale", "soggetto_id": assoc, "oggetto": "", "risposte": { "pec": format!("p{n}@pec.tuscolana.it") } });
        let (s, v) = submit(&app, &c, body, None).await;
        assert_eq!(s, StatusCode::ACCEPTED, "{v}");
    }
    let base = format!("/api/v1/richieste?soggetto_id={assoc}");
    let (s, p1) = app.get(&c, &base).await;
    assert_eq!(s, StatusCode::OK, "{p1}");
    assert_eq!((p1["totale"].as_i64(), p1["pagine"].as_i64(), p1["pagina"].as_i64()), (Some(21), Some(2), Some(1)));
    assert_eq!(p1["richieste"].as_array().map(Vec::len), Some(20));
    let (_, p2) = app.get(&c, &format!("{base}&pagina=2")).await;
    assert_eq!(p2["richieste"].as_array().map(Vec::len), Some(1));
    // Newest first: page 2 holds the very first request.
    assert!(p2["richieste"][0]["risposte"]["pec"] == "p0@pec.tuscolana.it", "{p2}");
    let (_, none) = app.get(&c, &format!("{base}&tipo=revoca_delega_intermediario")).await;
    assert_eq!(none["totale"], 0);
    let day = sportello_tests::st::today();
    let (_, todays) = app.get(&c, &format!("{base}&dal={day}&al={day}")).await;
    assert_eq!(todays["totale"], 21, "{todays}");
    let tomorrow = (shared::time::to_rome(chrono::Utc::now().naive_utc()).date() + chrono::Duration::days(1))
        .format("%d/%m/%Y")
        .to_string();
    let (_, later) = app.get(&c, &format!("{base}&dal={tomorrow}")).await;
    assert_eq!(later["totale"], 0);
    // Bad filters are field errors.
    for (q, field) in
        [("stato=boh", "stato"), ("dal=32/13/2026", "dal"), ("matricola=12", "matricola"), ("pagina=x", "pagina")]
    {
        let (s, v) = app.get(&c, &format!("{base}&{q}")).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{q}: {v}");
        assert_eq!(v["errors"][0]["field"], field, "{q}");
    }
    let (s, v) = app.get(&c, &format!("{base}&dal={tomorrow}&al={day}")).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(v["errors"][0]["field"], "al");

    // Matricola: the requests on one position of Rossi.
    let datore = app.logged_in("datore").await;
    let rossi = app.company_id("Rossi & Figli S.r.l.").await;
    let matricola: String =
        sqlx::query("SELECT matricola FROM posizioni WHERE contribuente_id = $1 ORDER BY id LIMIT 1")
            .bind(rossi)
            .fetch_one(&app.db.read)
            .await
            .expect("m")
            .try_get(0)
            .expect("m");
    let nota: i64 = sqlx::query("SELECT MIN(id) FROM note_rettifica")
        .fetch_one(&app.db.read)
        .await
        .expect("n")
        .try_get(0)
        .expect("n");
    let body = json!({ "tipo": "ricalcolo_nota_rettifica", "soggetto_id": rossi, "oggetto": nota.to_string(), "risposte": { "motivo": "pagamento" } });
    assert_eq!(submit(&app, &datore, body, None).await.0, StatusCode::ACCEPTED);
    let body = json!({ "tipo": "variazione_pec_aziendale", "soggetto_id": rossi, "oggetto": "", "risposte": { "pec": "nuova@pec.rossi.it" } });
    assert_eq!(submit(&app, &datore, body, None).await.0, StatusCode::ACCEPTED);
    let (_, by_m) = app.get(&datore, &format!("/api/v1/richieste?soggetto_id={rossi}&matricola={matricola}")).await;
    assert_eq!(by_m["totale"], 1, "{by_m}");
    assert_eq!(by_m["richieste"][0]["tipo"], "ricalcolo_nota_rettifica");

    // The unfiltered total is kept as requests are stored: for every subject it is their count
    // (the demo's requests, these, the two-way and the prestatori's ones), none left out.
    let wrong = app
        .number(
            "SELECT COUNT(*) FROM richieste_per_soggetto p WHERE p.totale <> (SELECT COUNT(*) FROM richieste r
               WHERE (p.colonna = 'contribuente_id' AND r.contribuente_id = p.soggetto_id)
                  OR (p.colonna = 'persona_id' AND r.persona_id = p.soggetto_id))",
            &[],
        )
        .await;
    assert_eq!(wrong, 0);
    let missing = app
        .number(
            "SELECT COUNT(*) FROM richieste r WHERE NOT EXISTS (SELECT 1 FROM richieste_per_soggetto p
               WHERE (p.colonna = 'contribuente_id' AND p.soggetto_id = r.contribuente_id)
                  OR (p.colonna = 'persona_id' AND p.soggetto_id = r.persona_id))",
            &[],
        )
        .await;
    assert_eq!(missing, 0);
    let counted = app.number("SELECT COUNT(*) FROM richieste_per_soggetto WHERE totale > 0", &[]).await;
    assert!(counted >= 2, "{counted} subjects counted");
});

both!(notifications_read_per_user, |engine: Engine| async move {
    let app = TestApp::spawn(engine).await;
    let datore = app.logged_in("datore").await;
    let consulente = app.logged_in("intermediario").await;
    let rossi = app.company_id("Rossi & Figli S.r.l.").await;
    let body = json!({ "tipo": "variazione_pec_aziendale", "soggetto_id": rossi, "oggetto": "", "risposte": { "pec": "nuova@pec.rossi.it" } });
    let (_, v) = submit(&app, &datore, body, None).await;
    decided(&app, &datore, v["protocollo"].as_str().expect("p")).await;
    let (s, n) = app.get(&datore, &format!("/api/v1/notifiche?soggetto_id={rossi}")).await;
    assert_eq!(s, StatusCode::OK, "{n}");
    assert_eq!(n["non_lette"], 2, "{n}");
    assert!(n["notifiche"][0]["testo"].as_str().unwrap_or("").contains("non è stata accolta"), "{n}");
    assert_eq!(n["notifiche"][1]["protocollo"], v["protocollo"]);
    // The session shows the count for the company acted for.
    app.put(&datore, "/api/v1/sessione/soggetto", json!({ "subject_id": rossi })).await;
    let (_, sess) = app.get(&datore, "/api/v1/sessione").await;
    assert_eq!(sess["notifiche_non_lette"], 2, "{sess}");
    // Read by the employer, still unread for the consultant.
    let (s, r) = app.post(&datore, &format!("/api/v1/notifiche/lette?soggetto_id={rossi}"), json!({})).await;
    assert_eq!(s, StatusCode::OK, "{r}");
    assert_eq!(r["segnate_come_lette"], 2);
    let (_, n) = app.get(&datore, &format!("/api/v1/notifiche?soggetto_id={rossi}")).await;
    assert_eq!(n["non_lette"], 0);
    let (_, n) = app.get(&consulente, &format!("/api/v1/notifiche?soggetto_id={rossi}")).await;
    assert_eq!(n["non_lette"], 2);
    // The mails went to the company PEC and are readable in the development mailbox.
    let (s, posta) = app.get(&datore, "/api/v1/posta").await;
    assert_eq!(s, StatusCode::OK, "{posta}");
    assert_eq!(posta.as_array().map(Vec::len), Some(2), "{posta}");
    assert!(posta[0]["oggetto"].as_str().unwrap_or("").contains("non accolta"), "{posta}");
    // No notifications of a company one may not act for.
    let verdi = app.company_id("Verdi Logistica S.p.A.").await;
    let (s, _) = app.get(&consulente, &format!("/api/v1/notifiche?soggetto_id={verdi}")).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
});

both!(receipt_pdf, |engine: Engine| async move {
    let app = TestApp::spawn(engine).await;
    let datore = app.logged_in("datore").await;
    let rossi = app.company_id("Rossi & Figli S.r.l.").await;
    let body = json!({ "tipo": "variazione_pec_aziendale", "soggetto_id": rossi, "oggetto": "", "risposte": { "pec": "nuova@pec.rossi.it" } });
    let (_, v) = submit(&app, &datore, body, None).await;
    let p = v["protocollo"].as_str().expect("p").to_string();
    decided(&app, &datore, &p).await;
    for path in [format!("/richiesta/{p}/ricevuta.pdf"), format!("/api/v1/richieste/{p}/ricevuta.pdf")] {
        let r = datore.get(app.url(&path)).send().await.expect("get");
        assert_eq!(r.status(), StatusCode::OK, "{path}");
        assert_eq!(r.headers().get("content-type").and_then(|v| v.to_str().ok()), Some("application/pdf"));
        let bytes = r.bytes().await.expect("bytes");
        assert!(bytes.starts_with(b"%PDF-"), "{path}");
        // Text objects are literal strings, or hex strings when a line has non-ASCII characters.
        let text = String::from_utf8_lossy(&bytes);
        let has = |t: &str| {
            let hex: String = t.bytes().map(|b| format!("{b:02X}")).collect();
            text.contains(t) || text.contains(&hex)
        };
        assert!(has(&p), "the protocol number is in the receipt");
        assert!(has("ST08.NON_OBBLIGATO_REGISTRO_IMPRESE"), "the checks are in the receipt");
        assert!(has("Non accolta"), "the outcome is in the receipt");
    }
    // Same authorization as the request: someone without a delega gets a problem, not a PDF.
    let stranger = app.logged_in("utilizzatore").await;
    let (s, problem) =
        read(stranger.get(app.url(&format!("/api/v1/richieste/{p}/ricevuta.pdf"))).send().await.expect("get")).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{problem}");
    let anon = app.client().get(app.url(&format!("/api/v1/richieste/{p}/ricevuta.pdf"))).send().await.expect("get");
    assert_eq!(anon.status(), StatusCode::UNAUTHORIZED);
});

both!(answers_outside_the_form_are_refused, |engine: Engine| async move {
    let app = TestApp::spawn(engine).await;
    let datore = app.logged_in("datore").await;
    let rossi = app.company_id("Rossi & Figli S.r.l.").await;
    let body = json!({ "tipo": "variazione_pec_aziendale", "soggetto_id": rossi, "oggetto": "",
                       "risposte": { "pec": "nuova@pec.rossi.it", "nota_per_la_ricevuta": "Pagato in contanti all'operatore" } });
    let (s, v) = submit(&app, &datore, body, None).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert_eq!(v["errors"][0]["field"], "nota_per_la_ricevuta");
    assert_eq!(v["errors"][0]["code"], "unknown");
    let n: i64 =
        sqlx::query("SELECT COUNT(*) FROM richieste").fetch_one(&app.db.read).await.expect("n").try_get(0).expect("n");
    assert_eq!(n, 0, "nothing stored");
});
