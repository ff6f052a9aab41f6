//! "Acting for" with valid, expired, revoked and missing deleghe; crafted requests refused.

use reqwest::StatusCode;
use serde_json::json;
use sportello_tests::{Engine, TestApp, both, fixtures};

fn names(v: &serde_json::Value) -> Vec<String> {
    v.as_array().expect("array").iter().map(|s| s["ragione_sociale"].as_str().unwrap_or("").to_string()).collect()
}

both!(intermediary_sees_only_valid_deleghe, |engine: Engine| async move {
    let app = TestApp::spawn(engine).await;
    let c = app.logged_in("intermediario").await;
    let (s, v) = app.get(&c, "/api/v1/soggetti").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(names(&v), ["Associazione Sportiva Tuscolana", "Gallo Trasporti S.r.l.", "Rossi & Figli S.r.l."]);
    assert_eq!(v[0]["basis"]["tipo"], "delega");
});

both!(refusals_say_why, |engine: Engine| async move {
    let app = TestApp::spawn(engine).await;
    let c = app.logged_in("intermediario").await;
    let cases = [
        ("Verdi Logistica S.p.A.", "è scaduta il"),
        ("Neri Impianti S.n.c.", "è stata revocata con effetto dal"),
        // Never a delega for it: the generic answer, without its name.
        ("Trattoria da Mario di Rossi Mario", "Non risulta una delega valida"),
    ];
    for (company, expected) in cases {
        let id = app.company_id(company).await;
        let (s, v) = app.put(&c, "/api/v1/sessione/soggetto", json!({ "subject_id": id })).await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{company}");
        assert!(v["detail"].as_str().unwrap_or("").contains(expected), "{company}: {v}");
        if company.starts_with("Trattoria") {
            assert!(!v.to_string().contains("Trattoria"), "{v}");
        }
        // A crafted direct read of the company is refused the same way, with no data.
        let (s, v) = app.get(&c, &format!("/api/v1/soggetti/{id}")).await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        assert!(v.get("posizioni").is_none());
    }
    // An id that does not exist is indistinguishable from one without delega.
    let (s, v) = app.put(&c, "/api/v1/sessione/soggetto", json!({ "subject_id": 987654321 })).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    assert!(v["detail"].as_str().unwrap_or("").contains("Non risulta una delega valida"));
    let (s, _) = app.get(&c, "/api/v1/soggetti/abc").await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
});

both!(valid_delega_gives_the_cassetto_and_is_rechecked_on_every_request, |engine: Engine| async move {
    let app = TestApp::spawn(engine).await;
    let c = app.logged_in("intermediario").await;
    let rossi = app.company_id("Rossi & Figli S.r.l.").await;
    let (s, _) = app.put(&c, "/api/v1/sessione/soggetto", json!({ "subject_id": rossi })).await;
    assert_eq!(s, StatusCode::OK);
    let (s, v) = app.get(&c, "/api/v1/home").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["kind"], "cassetto");
    assert_eq!(v["company"]["subject"]["ragione_sociale"], "Rossi & Figli S.r.l.");
    assert_eq!(v["company"]["posizioni"].as_array().map(Vec::len), Some(2));
    let (_, session) = app.get(&c, "/api/v1/sessione").await;
    assert_eq!(session["acting_for"]["id"], rossi);

    // The delega is revoked today (e.g. by the company): the next request gets no data.
    let today = chrono::Utc::now().date_naive().format("%Y-%m-%d").to_string();
    sqlx::query("UPDATE deleghe SET revocata_dal = $1 WHERE contribuente_id = $2 AND ruolo = 'intermediario'")
        .bind(&today)
        .bind(rossi)
        .execute(&app.db.write)
        .await
        .expect("revoke");
    let (s, v) = app.get(&c, "/api/v1/home").await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    assert!(v["detail"].as_str().unwrap_or("").contains("revocata"), "{v}");
    let (_, session) = app.get(&c, "/api/v1/sessione").await;
    assert!(session["acting_for"].is_null(), "the header no longer shows the company");
});

both!(employer_and_employee_subjects, |engine: Engine| async move {
    let app = TestApp::spawn(engine).await;
    let (_, v) = app.get(&app.logged_in("datore").await, "/api/v1/soggetti").await;
    assert_eq!(names(&v), ["Rossi & Figli S.r.l.", "Trattoria da Mario di Rossi Mario"]);
    assert_eq!(v[1]["basis"]["ruolo"], "titolare");
    let c = app.logged_in("dipendente").await;
    let (_, v) = app.get(&c, "/api/v1/soggetti").await;
    assert_eq!(names(&v), ["Rossi & Figli S.r.l."]);
    // The employee's delega does not open companies delegated to the intermediary.
    let gallo = app.company_id("Gallo Trasporti S.r.l.").await;
    let (s, _) = app.put(&c, "/api/v1/sessione/soggetto", json!({ "subject_id": gallo })).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    // Roles that do not act for companies cannot list them.
    let (s, _) = app.get(&app.logged_in("prestatore").await, "/api/v1/soggetti").await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _) = app.get(&app.client(), "/api/v1/soggetti").await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
});

both!(home_per_role, |engine: Engine| async move {
    let app = TestApp::spawn(engine).await;
    let expect = [
        ("datore", "choose_subject"),
        ("utilizzatore", "presto"),
        ("prestatore", "presto"),
        ("operatore.sede", "operatore"),
        ("operatore.regionale", "operatore"),
        ("operatore.dg", "operatore"),
        ("admin.idm", "amministratore"),
    ];
    for (user, kind) in expect {
        let (s, v) = app.get(&app.logged_in(user).await, "/api/v1/home").await;
        assert_eq!(s, StatusCode::OK, "{user}");
        assert_eq!(v["kind"], kind, "{user}: {v}");
    }
    let (_, sede) = app.get(&app.logged_in("operatore.sede").await, "/api/v1/home").await;
    let (_, dg) = app.get(&app.logged_in("operatore.dg").await, "/api/v1/home").await;
    let (a, b) =
        (sede["contribuenti_in_ambito"].as_i64().unwrap_or(0), dg["contribuenti_in_ambito"].as_i64().unwrap_or(0));
    assert!(a > 0 && a < b, "a branch sees less than head office: {a} vs {b}");
});

// With data built for the test: a delega that ended yesterday gives no access; one in force from
// today does, and the company is listed with it.
both!(a_delega_opens_access_only_while_in_force, |engine: Engine| async move {
    let app = TestApp::spawn(engine).await;
    let lr = fixtures::persona(&app, "Bruno", "Deleghe").await;
    let ditta = fixtures::Azienda::new("Deleghe di Prova S.r.l.").rappresentata_da(&lr).crea(&app).await;
    let consulente = fixtures::persona(&app, "Carla", "Consulente").await;
    let today = server::infra::clock::today();
    let day = chrono::Duration::days(1);
    fixtures::delega(&app, &consulente, &ditta, "intermediario", today - day * 30, Some(today - day)).await;
    let c = fixtures::utente(&app, "carla.consulente", "intermediario", Some(&consulente)).await;
    let listed = |v: serde_json::Value| -> Vec<i64> {
        let list: Vec<shared::dto::SubjectSummary> = serde_json::from_value(v).expect("subjects");
        list.iter().map(|s| s.id).collect()
    };
    let (s, v) = app.get(&c, "/api/v1/soggetti").await;
    assert_eq!(s, StatusCode::OK);
    assert!(!listed(v).contains(&ditta.id), "an ended delega gives no access");
    let (s, _) = app.put(&c, "/api/v1/sessione/soggetto", json!({ "subject_id": ditta.id })).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    fixtures::delega(&app, &consulente, &ditta, "intermediario", today, None).await;
    let (_, v) = app.get(&c, "/api/v1/soggetti").await;
    assert_eq!(listed(v), [ditta.id]);
    let (s, v) = app.put(&c, "/api/v1/sessione/soggetto", json!({ "subject_id": ditta.id })).await;
    assert_eq!(s, StatusCode::OK, "{v}");
});

/// The status and the texts of a problem, without what changes on every reply.
fn problem(s: StatusCode, v: &serde_json::Value) -> (StatusCode, String, String, String) {
    let f = |k: &str| v[k].as_str().unwrap_or("").to_string();
    (s, f("code"), f("title"), f("detail"))
}

both!(a_company_never_delegated_is_indistinguishable_from_none, |engine: Engine| async move {
    let app = TestApp::spawn(engine).await;
    let c = app.logged_in("intermediario").await;
    let trattoria = app.company_id("Trattoria da Mario di Rossi Mario").await;
    let missing = 987_654_321;
    // A request of a company the intermediary never had a delega for, sent by its owner.
    let d = app.logged_in("datore").await;
    let body = json!({ "tipo": "variazione_pec_aziendale", "soggetto_id": trattoria, "oggetto": "",
                       "risposte": { "pec": "trattoria.mario@pec.it" } });
    let (s, v) = sportello_tests::st::submit(&app, &d, body, None).await;
    assert_eq!(s, StatusCode::ACCEPTED, "{v}");
    let protocollo = v["protocollo"].as_str().expect("protocollo").to_string();
    let pairs = [
        (format!("/api/v1/soggetti/{trattoria}"), format!("/api/v1/soggetti/{missing}")),
        (format!("/api/v1/richieste?soggetto_id={trattoria}"), format!("/api/v1/richieste?soggetto_id={missing}")),
        (
            format!("/api/v1/presto/portafoglio?soggetto_id={trattoria}"),
            format!("/api/v1/presto/portafoglio?soggetto_id={missing}"),
        ),
        (format!("/api/v1/richieste/{protocollo}"), "/api/v1/richieste/ST-2026-9999999".to_string()),
        (
            format!("/api/v1/richieste/{protocollo}/ricevuta.pdf"),
            "/api/v1/richieste/ST-2026-9999999/ricevuta.pdf".to_string(),
        ),
        (
            format!("/api/v1/richieste/{protocollo}/allegati/1"),
            "/api/v1/richieste/ST-2026-9999999/allegati/1".to_string(),
        ),
    ];
    for (foreign, none) in pairs {
        let (s1, v1) = app.get(&c, &foreign).await;
        let (s2, v2) = app.get(&c, &none).await;
        assert!(s1.is_client_error(), "{foreign}: {s1}");
        assert_eq!(problem(s1, &v1), problem(s2, &v2), "{foreign} against {none}");
        assert!(!v1.to_string().contains("Trattoria"), "{foreign}: {v1}");
    }
    let (s1, v1) = app.put(&c, "/api/v1/sessione/soggetto", json!({ "subject_id": trattoria })).await;
    let (s2, v2) = app.put(&c, "/api/v1/sessione/soggetto", json!({ "subject_id": missing })).await;
    assert_eq!(problem(s1, &v1), problem(s2, &v2));
    let body = json!({ "testo": "Buongiorno" });
    let (s1, v1) = app.post(&c, &format!("/api/v1/richieste/{protocollo}/messaggi"), body.clone()).await;
    let (s2, v2) = app.post(&c, "/api/v1/richieste/ST-2026-9999999/messaggi", body).await;
    assert_eq!(problem(s1, &v1), problem(s2, &v2));

    // The employer: a company it was never legal representative of reads like a missing one.
    let gallo = app.company_id("Gallo Trasporti S.r.l.").await;
    let (s1, v1) = app.get(&d, &format!("/api/v1/soggetti/{gallo}")).await;
    let (s2, v2) = app.get(&d, &format!("/api/v1/soggetti/{missing}")).await;
    assert_eq!(problem(s1, &v1), problem(s2, &v2));
    assert!(!v1.to_string().contains("Gallo"), "{v1}");
});
