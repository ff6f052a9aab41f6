//! Smart-Task 1–3 through /api/v1 on both engines, on the demo data: notification contacts of
//! the notes di rettifica, recomputation of a note, moving a payment to its period (and the
//! recomputation it enables), the request that goes to the branch, and the dated parameters.

use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use shared::periodo::Periodo;
use sportello_tests::st::{decided, failed_codes, submit};
use sportello_tests::{Engine, TestApp, both};
use sqlx::Row;

fn periodo(months_ago: i32) -> String {
    let today = shared::time::to_rome(chrono::Utc::now().naive_utc()).date();
    Periodo::of(today).plus_months(-months_ago).map(|p| p.to_string()).unwrap_or_default()
}

async fn ids(app: &TestApp, sql: &str) -> Vec<i64> {
    sqlx::query(sql)
        .fetch_all(&app.db.read)
        .await
        .expect("ids")
        .iter()
        .map(|r| r.try_get::<i64, _>(0).expect("id"))
        .collect()
}

/// The target whose description contains `text`, as the wizard lists it.
async fn target(app: &TestApp, c: &Client, tipo: &str, soggetto: i64, text: &str) -> Value {
    let (s, list) = app.get(c, &format!("/api/v1/smart-task/tipi/{tipo}/oggetti?soggetto_id={soggetto}")).await;
    assert_eq!(s, StatusCode::OK, "{list}");
    list.as_array()
        .expect("list")
        .iter()
        .find(|t| t["descrizione"].as_str().unwrap_or("").contains(text))
        .cloned()
        .unwrap_or_else(|| panic!("no target with {text} in {list}"))
}

/// Submits and waits for the decision; returns it.
async fn ask(app: &TestApp, c: &Client, tipo: &str, soggetto: i64, oggetto: impl ToString, risposte: Value) -> Value {
    let body = json!({ "tipo": tipo, "soggetto_id": soggetto, "oggetto": oggetto.to_string(), "risposte": risposte });
    let (s, v) = submit(app, c, body, None).await;
    assert_eq!(s, StatusCode::ACCEPTED, "{v}");
    decided(app, c, v["protocollo"].as_str().expect("protocollo")).await
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query(sql).fetch_one(&app.db.read).await.expect("count").try_get(0).expect("n")
}

both!(cancellazione_contatti_anomali, |engine: Engine| async move {
    let app = TestApp::spawn(engine).await;
    let datore = app.logged_in("datore").await;
    let rossi = app.company_id("Rossi & Figli S.r.l.").await;
    let trattoria = app.company_id("Trattoria da Mario di Rossi Mario").await;
    const T: &str = "cancellazione_contatti_anomali_ndr";

    let flagged = target(&app, &datore, T, rossi, "amministrazione@rossifigli").await;
    assert!(flagged["descrizione"].as_str().unwrap_or("").contains("casella piena"), "{flagged}");
    assert!(flagged["dati"].to_string().contains("Esito delle consegne"), "{flagged}");
    let d =
        ask(&app, &datore, T, rossi, flagged["id"].as_str().expect("id"), json!({ "motivo": "casella_piena" })).await;
    assert_eq!(d["stato"], "accolta", "{d}");
    assert_eq!(count(&app, "SELECT COUNT(*) FROM contatti_notifica WHERE cancellato_il IS NOT NULL").await, 1);
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM audit_log WHERE entity = 'contatto_notifica' AND action = 'cancellazione'")
            .await,
        1
    );
    // Deleted once: no longer offered, and asking again is refused with the reason.
    let (_, list) = app.get(&datore, &format!("/api/v1/smart-task/tipi/{T}/oggetti?soggetto_id={rossi}")).await;
    assert!(!list.to_string().contains("amministrazione@rossifigli"), "{list}");
    let again =
        ask(&app, &datore, T, rossi, flagged["id"].as_str().expect("id"), json!({ "motivo": "casella_piena" })).await;
    assert_eq!(failed_codes(&again), ["ST01.CONTATTO_DELLA_MATRICOLA"]);
    assert!(again["motivo"].as_str().unwrap_or("").contains("già cancellato"), "{again}");

    // The former consultant's PEC: the delega ended, so it may go.
    let marino = target(&app, &datore, T, rossi, "studio.marino").await;
    let d =
        ask(&app, &datore, T, rossi, marino["id"].as_str().expect("id"), json!({ "motivo": "delega_cessata" })).await;
    assert_eq!(d["stato"], "accolta", "{d}");

    // The current consultant's address works and her delega is in force.
    let bianchi = target(&app, &datore, T, rossi, "studio.bianchi").await;
    let d =
        ask(&app, &datore, T, rossi, bianchi["id"].as_str().expect("id"), json!({ "motivo": "delega_cessata" })).await;
    assert_eq!(failed_codes(&d), ["ST01.CONTATTO_ANOMALO"]);

    // The trattoria's only contact is its own PEC: it cannot be removed.
    let only = target(&app, &datore, T, trattoria, "mancata consegna").await;
    let d = ask(&app, &datore, T, trattoria, only["id"].as_str().expect("id"), json!({ "motivo": "mancata_consegna" }))
        .await;
    assert_eq!(failed_codes(&d), ["ST01.CANALE_RESIDUO"]);

    // Another company's contact, named by id through the API.
    let gallo_contact = ids(&app, "SELECT c.id FROM contatti_notifica c JOIN posizioni p ON p.id = c.posizione_id JOIN contribuenti k ON k.id = p.contribuente_id WHERE k.ragione_sociale = 'Gallo Trasporti S.r.l.'").await;
    let d = ask(&app, &datore, T, rossi, gallo_contact[0], json!({ "motivo": "indirizzo_non_valido" })).await;
    assert_eq!(failed_codes(&d), ["ST01.CONTATTO_DELLA_MATRICOLA"]);

    // A bad answer is a field error, not a request.
    let body =
        json!({ "tipo": T, "soggetto_id": rossi, "oggetto": bianchi["id"], "risposte": { "motivo": "capriccio" } });
    let (s, v) = submit(&app, &datore, body, None).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert_eq!(v["errors"][0]["field"], "motivo");
});

both!(ricalcolo_e_rettifica_pagamento, |engine: Engine| async move {
    let app = TestApp::spawn(engine).await;
    let datore = app.logged_in("datore").await;
    let rossi = app.company_id("Rossi & Figli S.r.l.").await;
    const R: &str = "ricalcolo_nota_rettifica";
    const P: &str = "rettifica_periodo_pagamento";
    let note = ids(&app, "SELECT id FROM note_rettifica ORDER BY id").await;
    let pay = ids(&app, "SELECT id FROM pagamenti ORDER BY id").await;
    assert_eq!((note.len(), pay.len()), (5, 13));

    // The note for month −6: a UniEmens variation arrived after it; reduced from 2,000 to 1,000.
    let t = target(&app, &datore, R, rossi, &format!("periodo {}", periodo(6))).await;
    assert_eq!(t["id"], note[0].to_string());
    let d = ask(&app, &datore, R, rossi, note[0], json!({ "motivo": "variazione_uniemens" })).await;
    assert_eq!(d["stato"], "accolta", "{d}");
    let r = sqlx::query("SELECT importo_cents, versione, stato FROM note_rettifica WHERE id = $1")
        .bind(note[0])
        .fetch_one(&app.db.read)
        .await
        .expect("nota");
    assert_eq!(r.try_get::<i64, _>("importo_cents").expect("i"), 100_000);
    assert_eq!(r.try_get::<i64, _>("versione").expect("v"), 2);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM note_rettifica_versioni WHERE esito = 'ridotta'").await, 1);

    // Month −8: nothing new since the note. Cancelled note. Note under review. Someone else's note.
    let d = ask(&app, &datore, R, rossi, note[1], json!({ "motivo": "pagamento" })).await;
    assert_eq!(failed_codes(&d), ["ST02.EVENTO_SUCCESSIVO"]);
    let d = ask(&app, &datore, R, rossi, note[2], json!({ "motivo": "pagamento" })).await;
    assert_eq!(failed_codes(&d), ["ST02.NOTA_ATTIVA"]);
    let d = ask(&app, &datore, R, rossi, note[3], json!({ "motivo": "pagamento" })).await;
    assert_eq!(failed_codes(&d), ["ST02.NESSUN_RIESAME_IN_CORSO"]);
    let d = ask(&app, &datore, R, rossi, note[4], json!({ "motivo": "pagamento" })).await;
    assert_eq!(failed_codes(&d), ["ST02.NOTA_DELLA_MATRICOLA"]);

    // Payments refused: not DM10, already used, someone else's, no debt, time-barred, too much.
    let d = ask(&app, &datore, P, rossi, pay[8], json!({ "periodo_corretto": periodo(8), "importo": "700" })).await;
    assert_eq!(failed_codes(&d), ["ST03.CAUSALE_DM10"]);
    let d = ask(&app, &datore, P, rossi, pay[9], json!({ "periodo_corretto": periodo(8), "importo": "100" })).await;
    assert_eq!(failed_codes(&d), ["ST03.PAGAMENTO_NON_UTILIZZATO"]);
    let d = ask(&app, &datore, P, rossi, pay[11], json!({ "periodo_corretto": periodo(8), "importo": "100" })).await;
    assert_eq!(failed_codes(&d), ["ST03.PAGAMENTO_DEL_CONTRIBUENTE"]);
    let d = ask(&app, &datore, P, rossi, pay[0], json!({ "periodo_corretto": periodo(4), "importo": "100" })).await;
    assert_eq!(failed_codes(&d), ["ST03.PERIODO_CON_DEBITO"]);
    let d = ask(&app, &datore, P, rossi, pay[0], json!({ "periodo_corretto": periodo(75), "importo": "100" })).await;
    assert_eq!(failed_codes(&d), ["ST03.PERIODO_NON_PRESCRITTO"]);
    let d =
        ask(&app, &datore, P, rossi, pay[1], json!({ "periodo_corretto": periodo(8), "importo": "1.500,01" })).await;
    assert_eq!(failed_codes(&d), ["ST03.IMPORTO_NON_SUPERIORE"]);

    // The company's code but a matricola that is nobody's: to the branch, with the reason.
    let d = ask(&app, &datore, P, rossi, pay[10], json!({ "periodo_corretto": periodo(8), "importo": "100" })).await;
    assert_eq!(d["stato"], "in_carico_sede", "{d}");
    assert!(failed_codes(&d).is_empty());
    assert!(d["controlli"].as_array().expect("c").iter().any(|c| c["esito"] == "verifica"), "{d}");
    assert!(d["motivo"].as_str().unwrap_or("").contains("sede"), "{d}");

    // The duplicate payment for month −4 belongs to month −8: move 1,000 of its 1,500.
    let t = target(&app, &datore, P, rossi, "1.500,00").await;
    assert!(t["predefiniti"]["importo"].as_str().unwrap_or("").contains("1.500,00"), "{t}");
    let d =
        ask(&app, &datore, P, rossi, pay[2], json!({ "periodo_corretto": periodo(8), "importo": "1.000,00" })).await;
    assert_eq!(d["stato"], "accolta", "{d}");
    let split = sqlx::query("SELECT importo_cents, periodo_attribuito FROM pagamenti WHERE origine_id = $1")
        .bind(pay[2])
        .fetch_one(&app.db.read)
        .await
        .expect("split");
    assert_eq!(split.try_get::<i64, _>("importo_cents").expect("i"), 100_000);
    let rest: i64 = sqlx::query("SELECT importo_cents FROM pagamenti WHERE id = $1")
        .bind(pay[2])
        .fetch_one(&app.db.read)
        .await
        .expect("rest")
        .try_get(0)
        .expect("i");
    assert_eq!(rest, 50_000);
    // Used once: the rest cannot be moved again by the automation (and month −8 owes nothing now).
    let d = ask(&app, &datore, P, rossi, pay[2], json!({ "periodo_corretto": periodo(8), "importo": "500" })).await;
    assert_eq!(failed_codes(&d), ["ST03.PAGAMENTO_NON_UTILIZZATO", "ST03.PERIODO_CON_DEBITO"]);

    // The move is a new event for month −8: its note is now recomputed, and cancelled.
    let d = ask(&app, &datore, R, rossi, note[1], json!({ "motivo": "riallocazione" })).await;
    assert_eq!(d["stato"], "accolta", "{d}");
    let stato: String = sqlx::query("SELECT stato FROM note_rettifica WHERE id = $1")
        .bind(note[1])
        .fetch_one(&app.db.read)
        .await
        .expect("nota")
        .try_get(0)
        .expect("s");
    assert_eq!(stato, "annullata");
    // Every effect audited once.
    assert_eq!(count(&app, "SELECT COUNT(*) FROM audit_log WHERE entity = 'nota_rettifica'").await, 2);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM audit_log WHERE entity = 'pagamento'").await, 1);
});

both!(dated_parameters_on_both_sides_of_each_change, |engine: Engine| async move {
    use chrono::NaiveDate;
    use server::smart_task::facts::parameters;
    let app = TestApp::spawn(engine).await;
    let at = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).expect("date");
    let before = parameters(&app.db.read, at(1995, 12, 31)).await.expect("params");
    let after = parameters(&app.db.read, at(1996, 1, 1)).await.expect("params");
    assert_eq!(before.get("ST.PRESCRIZIONE_CONTRIBUTI.ANNI").map(String::as_str), Some("10"));
    assert_eq!(after.get("ST.PRESCRIZIONE_CONTRIBUTI.ANNI").map(String::as_str), Some("5"));
    let before = parameters(&app.db.read, at(2023, 12, 30)).await.expect("params");
    let after = parameters(&app.db.read, at(2023, 12, 31)).await.expect("params");
    assert_eq!(before.get("ST.REVOCA_DELEGA.MAX_GIORNI_FUTURO"), None);
    assert_eq!(after.get("ST.REVOCA_DELEGA.MAX_GIORNI_FUTURO").map(String::as_str), Some("365"));
    assert_eq!(after.get("ST.RETTIFICA_PAGAMENTO.CAUSALI_DM10").map(String::as_str), Some("DM10"));
});

both!(the_largest_amount_is_refused_without_a_crash, |engine: Engine| async move {
    let app = TestApp::spawn(engine).await;
    let datore = app.logged_in("datore").await;
    let rossi = app.company_id("Rossi & Figli S.r.l.").await;
    let pay = ids(&app, "SELECT id FROM pagamenti ORDER BY id").await;
    // i64::MAX cents: adding it to what was paid would overflow.
    let huge = "92.233.720.368.547.758,07";
    let risposte = json!({ "periodo_corretto": periodo(8), "importo": huge });
    let d = ask(&app, &datore, "rettifica_periodo_pagamento", rossi, pay[2], risposte).await;
    assert_eq!(d["stato"], "non_accolta", "{d}");
    assert_eq!(failed_codes(&d), ["ST03.IMPORTO_NON_SUPERIORE"]);
    // The worker is still alive, and the operator's replay of the same decision answers.
    let d = ask(
        &app,
        &datore,
        "rettifica_periodo_pagamento",
        rossi,
        pay[1],
        json!({ "periodo_corretto": periodo(8), "importo": "1.500,01" }),
    )
    .await;
    assert_eq!(d["stato"], "non_accolta");
    let roma = app.logged_in("operatore.sede").await;
    let (s, r) = app.post(&roma, &format!("/api/v1/fascicolo/richieste/{}/replay", "ST-2026-0000001"), json!({})).await;
    assert_eq!(s, StatusCode::OK, "{r}");
    assert_eq!(r["identica"], true, "{r}");
});
