//! Smart-Task 12–14 (linked persons) and 17 (DPA) through /api/v1 on both engines: accepted, and
//! each refusal code, on a company the test builds.

use chrono::{Duration, NaiveDate};
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use sportello_tests::fixtures::{self, Azienda, AziendaCreata};
use sportello_tests::st::{decided, failed_codes, submit};
use sportello_tests::{Engine, TestApp, both};
use sqlx::Row;

async fn ask(app: &TestApp, c: &Client, tipo: &str, ditta: &AziendaCreata, oggetto: String, risposte: Value) -> Value {
    let body = json!({ "tipo": tipo, "soggetto_id": ditta.id, "oggetto": oggetto, "risposte": risposte });
    let (s, v) = submit(app, c, body, None).await;
    assert_eq!(s, StatusCode::ACCEPTED, "{v}");
    decided(app, c, v["protocollo"].as_str().expect("protocollo")).await
}

/// The id of the relation whose description contains `text`.
async fn relazione(app: &TestApp, c: &Client, ditta: &AziendaCreata, text: &str) -> String {
    let (s, list) =
        app.get(c, &format!("/api/v1/smart-task/tipi/cessazione_collegato/oggetti?soggetto_id={}", ditta.id)).await;
    assert_eq!(s, StatusCode::OK, "{list}");
    list.as_array()
        .and_then(|l| l.iter().find(|t| t["descrizione"].as_str().unwrap_or("").contains(text)))
        .and_then(|t| t["id"].as_str())
        .unwrap_or_else(|| panic!("no relation with {text} in {list}"))
        .to_string()
}

fn it(d: NaiveDate) -> String {
    shared::time::format_date_it(d)
}

fn socio(cf: &str, luogo: &str, ruolo: &str) -> Value {
    json!({ "cf_collegato": cf, "cognome": "Rossi", "nome": "Mario", "data_nascita": "10/12/1985", "sesso": "M",
            "luogo_nascita": luogo, "ruolo": ruolo, "data_inizio": "01/03/2026", "email": "mario.rossi@example.it" })
}

both!(soggetti_collegati, |engine: Engine| async move {
    let app = TestApp::spawn(engine).await;
    let lr = fixtures::persona(&app, "Grazia", "Deledda").await;
    let ditta = Azienda::new("Deledda Tessuti S.r.l.").rappresentata_da(&lr).crea(&app).await;
    let c = fixtures::utente(&app, "grazia.deledda", "datore", Some(&lr)).await;
    let cf = "RSSMRA85T10A562S"; // Rossi Mario, 10/12/1985, San Giuliano Terme (A562)
    let oggi = server::infra::clock::today();

    // 13: the code must encode the data typed with it (a field error, nothing stored) …
    let mut r = socio(cf, "San Giuliano Terme", "socio");
    r["data_nascita"] = json!("11/12/1985");
    let body = json!({ "tipo": "inserimento_collegato", "soggetto_id": ditta.id, "oggetto": "", "risposte": r });
    let (s, v) = submit(&app, &c, body, None).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert_eq!(
        (v["errors"][0]["field"].as_str(), v["errors"][0]["code"].as_str()),
        (Some("cf_collegato"), Some("incoerente"))
    );
    // … its birthplace must be the one typed, and must have existed on the birth date.
    let v = ask(&app, &c, "inserimento_collegato", &ditta, String::new(), socio(cf, "Pisa", "socio")).await;
    assert_eq!(failed_codes(&v), ["ST13.LUOGO_NASCITA_COERENTE"]);
    assert!(v["controlli"].to_string().contains("San Giuliano Terme (PI)"), "{v}");
    let ignoto = shared::codice_fiscale::calcola(
        "Rossi",
        "Mario",
        NaiveDate::from_ymd_opt(1985, 12, 10).expect("d"),
        false,
        "Z999",
    );
    let v = ask(&app, &c, "inserimento_collegato", &ditta, String::new(), socio(&ignoto, "Atlantide", "socio")).await;
    assert_eq!(failed_codes(&v), ["ST13.LUOGO_NASCITA_COERENTE"]);
    let v =
        ask(&app, &c, "inserimento_collegato", &ditta, String::new(), socio(cf, "san giuliano terme", "socio")).await;
    assert_eq!(v["stato"], "accolta", "{v}");
    let v =
        ask(&app, &c, "inserimento_collegato", &ditta, String::new(), socio(cf, "San Giuliano Terme", "socio")).await;
    assert_eq!(failed_codes(&v), ["ST13.NESSUNA_RELAZIONE_IDENTICA"]);

    // 12: the new partner's contacts.
    let rel = relazione(&app, &c, &ditta, "Mario Rossi – socio").await;
    let v =
        ask(&app, &c, "variazione_contatti_collegato", &ditta, rel.clone(), json!({ "email": "m.rossi@example.it" }))
            .await;
    assert_eq!(v["stato"], "accolta", "{v}");
    let email: Option<String> = sqlx::query("SELECT email FROM persone WHERE codice_fiscale = $1")
        .bind(cf)
        .fetch_one(&app.db.read)
        .await
        .expect("persona")
        .try_get(0)
        .expect("email");
    assert_eq!(email.as_deref(), Some("m.rossi@example.it"));
    let v =
        ask(&app, &c, "variazione_contatti_collegato", &ditta, rel.clone(), json!({ "email": "m.rossi@example.it" }))
            .await;
    assert_eq!(failed_codes(&v), ["ST12.CONTATTI_DIVERSI"]);

    // 14: not before the start; then ended.
    let v = ask(&app, &c, "cessazione_collegato", &ditta, rel.clone(), json!({ "data_fine_relazione": "28/02/2026" }))
        .await;
    assert_eq!(failed_codes(&v), ["ST14.DATA_FINE_NON_ANTERIORE_INIZIO"]);
    let v =
        ask(&app, &c, "cessazione_collegato", &ditta, rel.clone(), json!({ "data_fine_relazione": it(oggi) })).await;
    assert_eq!(v["stato"], "accolta", "{v}");
    // The legal representative's relation is certified and the only one.
    let lr_rel = relazione(&app, &c, &ditta, "Grazia Deledda").await;
    let v = ask(
        &app,
        &c,
        "cessazione_collegato",
        &ditta,
        lr_rel,
        json!({ "data_fine_relazione": it(oggi + Duration::days(1)) }),
    )
    .await;
    assert_eq!(failed_codes(&v), ["ST14.RELAZIONE_NON_CERTIFICATA", "ST14.NON_ULTIMO_RAPPRESENTANTE"]);
    let n: i64 = sqlx::query("SELECT COUNT(*) FROM audit_log WHERE entity IN ('soggetto_collegato', 'persona')")
        .fetch_one(&app.db.read)
        .await
        .expect("audit")
        .try_get(0)
        .expect("n");
    assert!(n >= 3, "{n}");
});

both!(richiesta_dpa, |engine: Engine| async move {
    let app = TestApp::spawn(engine).await;
    let lr = fixtures::persona(&app, "Eugenio", "Montale").await;
    let ditta = Azienda::new("Montale Carta S.r.l.").rappresentata_da(&lr).crea(&app).await;
    let altra = Azienda::new("Montale Altro S.r.l.").rappresentata_da(&lr).crea(&app).await;
    let c = fixtures::utente(&app, "eugenio.montale", "datore", Some(&lr)).await;
    let r = |dal: &str, al: &str| json!({ "agevolazione": "esonero_giovani", "mese_dal": dal, "mese_al": al });
    let pos = ditta.posizione_id.to_string();
    let v = ask(&app, &c, "richiesta_dpa", &ditta, pos.clone(), r("01/2026", "06/2026")).await;
    assert_eq!(v["stato"], "accolta", "{v}");
    let v = ask(&app, &c, "richiesta_dpa", &ditta, pos.clone(), r("06/2026", "12/2026")).await;
    assert_eq!(failed_codes(&v), ["ST17.NESSUNA_DPA_SOVRAPPOSTA"]);
    let v = ask(&app, &c, "richiesta_dpa", &ditta, pos.clone(), r("07/2026", "12/2026")).await;
    assert_eq!(v["stato"], "accolta", "{v}");
    let v = ask(&app, &c, "richiesta_dpa", &ditta, altra.posizione_id.to_string(), r("01/2026", "06/2026")).await;
    assert_eq!(failed_codes(&v), ["ST17.POSIZIONE_DEL_CONTRIBUENTE"]);
    let n: i64 = sqlx::query("SELECT COUNT(*) FROM dpa WHERE posizione_id = $1")
        .bind(ditta.posizione_id)
        .fetch_one(&app.db.read)
        .await
        .expect("dpa")
        .try_get(0)
        .expect("n");
    assert_eq!(n, 2);
});
