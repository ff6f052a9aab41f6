//! The page's Smart-Task form reaches the server whole: for every kind, each question it asks
//! arrives in the stored request through the page's server function (a plain form post, as a
//! browser without JavaScript sends it), and nothing the form does not ask is kept.

use reqwest::StatusCode;
use serde_json::json;
use shared::dto::RequestView;
use shared::smart_task::{Kind, form_fields};
use sportello_tests::{Engine, TestApp, both, fixtures, read};

/// A valid answer for each question name the kinds use.
fn example(name: &str, options: &[(&str, &str)]) -> String {
    if let Some((v, _)) = options.first() {
        return v.to_string();
    }
    match name {
        n if n.starts_with("data_") => "31/12/2030",
        "periodo_corretto" | "mese_dal" | "mese_al" => "03/2026",
        "importo" => "10,00",
        "pec" | "email" => "prova@pec.example.it",
        "cf_sostituto" => "RSSMRA85T10A562S",
        "cf_collegato" => "RSSMRA30T71H501C",
        "cognome" => "Rossi",
        "nome" => "Maria",
        "luogo_nascita" => "Roma",
        n if n.starts_with("cf_") => "12345678903",
        "telefono" | "cellulare" => "333 1234567",
        other => panic!("no example for the question {other}: add one here"),
    }
    .to_string()
}

both!(every_kinds_questions_reach_the_server, |engine: Engine| async move {
    let app = TestApp::spawn(engine).await;
    // Built for this test: its own company, legal representative and login.
    let titolare = fixtures::persona(&app, "Ada", "Moduli").await;
    let ditta = fixtures::Azienda::new("Moduli di Prova S.r.l.").rappresentata_da(&titolare).crea(&app).await;
    let datore = fixtures::utente(&app, "ada.moduli", "datore", Some(&titolare)).await;
    let (s, _) = app.put(&datore, "/api/v1/sessione/soggetto", json!({ "subject_id": ditta.id })).await;
    assert_eq!(s, StatusCode::OK);
    for &kind in Kind::ALL {
        let mut form: Vec<(String, String)> = vec![
            ("tipo".into(), kind.code().into()),
            ("oggetto".into(), ditta.id.to_string()),
            ("chiave".into(), format!("moduli-{}", kind.code())),
            // A field no kind asks for never reaches the stored request.
            ("estraneo".into(), "da non conservare".into()),
        ];
        let mut expected = shared::smart_task::Answers::new();
        // The questions that apply given the answers before them (a choice takes its first option).
        for f in form_fields(kind) {
            if !f.applies(&expected) {
                continue;
            }
            let v = example(f.name, f.options);
            form.push((f.name.to_string(), v.clone()));
            expected.insert(f.name.to_string(), v);
        }
        let r = datore.post(app.url("/sf/st_submit")).form(&form).send().await.expect("post");
        let (s, v) = read(r).await;
        assert_eq!(s, StatusCode::OK, "{kind:?}: {v}");
        let protocollo = v["protocollo"].as_str().expect("protocollo").to_string();
        let (s, stored) = app.get(&datore, &format!("/api/v1/richieste/{protocollo}")).await;
        assert_eq!(s, StatusCode::OK);
        let stored: RequestView = serde_json::from_value(stored).expect("the request's view");
        assert_eq!(stored.risposte, expected, "{kind:?}");
    }
});
