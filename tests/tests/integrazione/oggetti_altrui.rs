//! A Smart-Task request that names another contributor's target (a delega, an intermediary, a
//! notification contact, a note, a payment) is refused by one check before any other, in words
//! identical to a target that does not exist: the submitter learns nothing about it, not its
//! contacts, its deleghe, its matricola nor that it exists.

use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use sportello_tests::st::{decided, submit, today};
use sportello_tests::{Engine, TestApp, both};
use sqlx::Row;

async fn first_id(app: &TestApp, sql: &str) -> i64 {
    sqlx::query(sql).fetch_one(&app.db.read).await.expect("id").try_get(0).expect("id")
}

async fn ask(app: &TestApp, c: &Client, tipo: &str, soggetto: i64, oggetto: i64, risposte: &Value) -> Value {
    let body = json!({ "tipo": tipo, "soggetto_id": soggetto, "oggetto": oggetto.to_string(), "risposte": risposte });
    let (s, v) = submit(app, c, body, None).await;
    assert_eq!(s, StatusCode::ACCEPTED, "{v}");
    let p = v["protocollo"].as_str().expect("protocollo").to_string();
    let d = decided(app, c, &p).await;
    let stored: Option<String> = sqlx::query("SELECT matricola FROM richieste WHERE protocollo = $1")
        .bind(&p)
        .fetch_one(&app.db.read)
        .await
        .expect("row")
        .try_get(0)
        .expect("matricola");
    assert_eq!(stored, None, "no matricola of someone else's target is stored on the request");
    d
}

/// The decision on the foreign target and on a missing one, as the submitter sees them.
async fn same_as_missing(app: &TestApp, c: &Client, tipo: &str, soggetto: i64, altrui: i64, risposte: Value) -> Value {
    let foreign = ask(app, c, tipo, soggetto, altrui, &risposte).await;
    let missing = ask(app, c, tipo, soggetto, 987_654_321, &risposte).await;
    assert_eq!(foreign["stato"], "non_accolta", "{foreign}");
    let checks = foreign["controlli"].as_array().expect("controlli");
    let kind_checks: Vec<&Value> =
        checks.iter().filter(|c| !c["codice"].as_str().unwrap_or("").starts_with("ST00.")).collect();
    assert_eq!(kind_checks.len(), 1, "one check and no other for {tipo}: {foreign}");
    assert_eq!(kind_checks[0]["esito"], "ko");
    assert_eq!(foreign["controlli"], missing["controlli"], "{tipo}: foreign and missing differ");
    assert_eq!(foreign["motivo"], missing["motivo"]);
    foreign
}

both!(someone_elses_target_reads_as_a_missing_one, |engine: Engine| async move {
    let app = TestApp::spawn(engine).await;
    let datore = app.logged_in("datore").await;
    let giulia = app.logged_in("intermediario").await;
    let rossi = app.company_id("Rossi & Figli S.r.l.").await;
    let assoc = app.company_id("Associazione Sportiva Tuscolana").await;

    // Kind 7 from the Associazione's Cassetto on Rossi's employee: his contacts stay unknown.
    let luca =
        first_id(&app, &format!("SELECT id FROM deleghe WHERE contribuente_id = {rossi} AND ruolo = 'dipendente'"))
            .await;
    let (email, tel): (Option<String>, Option<String>) = {
        let r = sqlx::query(
            "SELECT p.email, p.telefono FROM deleghe g JOIN persone p ON p.id = g.delegato_persona_id WHERE g.id = $1",
        )
        .bind(luca)
        .fetch_one(&app.db.read)
        .await
        .expect("persona");
        (r.try_get(0).expect("e"), r.try_get(1).expect("t"))
    };
    let guess = json!({ "email": email.clone().unwrap_or_else(|| "x@y.it".into()), "telefono": tel.clone().unwrap_or_else(|| "06 1234567".into()) });
    let d = same_as_missing(&app, &giulia, "variazione_contatti_dipendente", assoc, luca, guess).await;
    assert!(d["controlli"].to_string().contains("ST07.DELEGA_DEL_CONTRIBUENTE"), "{d}");

    // Kind 6 by the employer on the intermediary's record: no count of her deleghe, no contacts.
    let studio = first_id(&app, "SELECT id FROM intermediari WHERE denominazione LIKE 'Studio Bianchi%'").await;
    let d = same_as_missing(
        &app,
        &datore,
        "variazione_contatti_intermediario",
        rossi,
        studio,
        json!({ "email": "studio.bianchi@example.it" }),
    )
    .await;
    assert!(!d.to_string().contains("Deleghe in vigore"), "{d}");

    // Kinds 4 and 5 on a delega given by another company.
    let gallo = app.company_id("Gallo Trasporti S.r.l.").await;
    let altrui = first_id(&app, &format!("SELECT id FROM deleghe WHERE contribuente_id = {gallo} ORDER BY id")).await;
    same_as_missing(&app, &datore, "revoca_delega_intermediario", rossi, altrui, json!({ "data_effetto": today() }))
        .await;
    same_as_missing(&app, &giulia, "revoca_delega_dipendente", assoc, luca, json!({ "data_effetto": today() })).await;

    // Kinds 1–3 on another company's contact, note and payment.
    let contatto = first_id(&app, &format!("SELECT c.id FROM contatti_notifica c JOIN posizioni p ON p.id = c.posizione_id WHERE p.contribuente_id = {gallo} ORDER BY c.id")).await;
    same_as_missing(
        &app,
        &datore,
        "cancellazione_contatti_anomali_ndr",
        rossi,
        contatto,
        json!({ "motivo": "indirizzo_non_valido" }),
    )
    .await;
    let nota = first_id(&app, &format!("SELECT n.id FROM note_rettifica n JOIN posizioni p ON p.id = n.posizione_id WHERE p.contribuente_id <> {rossi} ORDER BY n.id")).await;
    same_as_missing(&app, &datore, "ricalcolo_nota_rettifica", rossi, nota, json!({ "motivo": "pagamento" })).await;
    let pagamento = first_id(
        &app,
        &format!(
            "SELECT g.id FROM pagamenti g LEFT JOIN posizioni p ON p.id = g.posizione_id
         WHERE COALESCE(g.contribuente_id, -1) <> {rossi} AND COALESCE(p.contribuente_id, -1) <> {rossi} ORDER BY g.id"
        ),
    )
    .await;
    same_as_missing(
        &app,
        &datore,
        "rettifica_periodo_pagamento",
        rossi,
        pagamento,
        json!({ "periodo_corretto": "01/2026", "importo": "100" }),
    )
    .await;
});
