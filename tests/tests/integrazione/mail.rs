//! The e-mail sender against a real SMTP conversation: a refused connection is retried later
//! with backoff, never blocking the decision; once the server answers, every message goes out
//! once.

use serde_json::json;
use server::infra::mail::{Sender, deliver_due};
use sportello_tests::st::{decided, submit};
use sportello_tests::{Engine, TestApp, both};
use sqlx::Row;
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

/// A minimal SMTP server that accepts everything and records each message's DATA.
async fn smtp_sink() -> (u16, Arc<Mutex<Vec<String>>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let got = Arc::new(Mutex::new(vec![]));
    let store = got.clone();
    tokio::spawn(async move {
        while let Ok((sock, _)) = listener.accept().await {
            let store = store.clone();
            tokio::spawn(async move {
                let (r, mut w) = sock.into_split();
                let mut lines = BufReader::new(r).lines();
                let _ = w.write_all(b"220 sink ESMTP\r\n").await;
                let mut data: Option<String> = None;
                while let Ok(Some(line)) = lines.next_line().await {
                    if let Some(d) = data.as_mut() {
                        if line == "." {
                            store.lock().map(|mut v| v.push(d.clone())).ok();
                            data = None;
                            let _ = w.write_all(b"250 ok\r\n").await;
                        } else {
                            d.push_str(&line);
                            d.push('\n');
                        }
                        continue;
                    }
                    let verb = line.get(..4).unwrap_or("").to_ascii_uppercase();
                    let reply: &[u8] = match verb.as_str() {
                        "EHLO" | "HELO" => b"250 sink\r\n",
                        "DATA" => {
                            data = Some(String::new());
                            b"354 go on\r\n"
                        }
                        "QUIT" => {
                            let _ = w.write_all(b"221 bye\r\n").await;
                            break;
                        }
                        _ => b"250 ok\r\n",
                    };
                    let _ = w.write_all(reply).await;
                }
            });
        }
    });
    (port, got)
}

both!(mail_retried_with_backoff_then_sent_once, |engine: Engine| async move {
    let app = TestApp::spawn(engine).await;
    let datore = app.logged_in("datore").await;
    let rossi = app.company_id("Rossi & Figli S.r.l.").await;
    let body = json!({ "tipo": "variazione_pec_aziendale", "soggetto_id": rossi, "oggetto": "", "risposte": { "pec": "x@pec.rossi.it" } });
    let (_, v) = submit(&app, &datore, body, None).await;
    // The decision does not wait for any mail server.
    decided(&app, &datore, v["protocollo"].as_str().expect("p")).await;

    // Nothing listens on this port: both messages fail and are rescheduled.
    let closed = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = closed.local_addr().expect("addr").port();
    drop(closed);
    let down = Sender::new(&format!("smtp://127.0.0.1:{port}"), "Sportello <noreply@sportello.example.it>").expect("s");
    assert_eq!(deliver_due(&app.db, &down).await.expect("deliver"), 0);
    let rows = sqlx::query("SELECT stato, tentativi, errore, prossimo_tentativo FROM email_outbox ORDER BY id")
        .fetch_all(&app.db.read)
        .await
        .expect("rows");
    assert_eq!(rows.len(), 2);
    let now = server::infra::clock::now_ts();
    for r in &rows {
        assert_eq!(r.try_get::<String, _>("stato").expect("s"), "errore");
        assert_eq!(r.try_get::<i64, _>("tentativi").expect("t"), 1);
        assert!(r.try_get::<Option<String>, _>("errore").expect("e").is_some());
        assert!(r.try_get::<Option<String>, _>("prossimo_tentativo").expect("p").is_some_and(|p| p > now));
    }
    // Not due yet: a second pass leaves them alone.
    let (port, got) = smtp_sink().await;
    let up = Sender::new(&format!("smtp://127.0.0.1:{port}"), "Sportello <noreply@sportello.example.it>").expect("s");
    assert_eq!(deliver_due(&app.db, &up).await.expect("deliver"), 0);
    // Time passes (the backoff elapses): both go out, once.
    sqlx::query("UPDATE email_outbox SET prossimo_tentativo = '2000-01-01T00:00:00.000000Z'")
        .execute(&app.db.write)
        .await
        .expect("update");
    assert_eq!(deliver_due(&app.db, &up).await.expect("deliver"), 2);
    assert_eq!(deliver_due(&app.db, &up).await.expect("deliver"), 0);
    let sent = got.lock().map(|v| v.clone()).unwrap_or_default();
    assert_eq!(sent.len(), 2);
    assert!(sent.iter().any(|m| m.contains("richiesta ricevuta")), "{sent:?}");
    let inviate: i64 = sqlx::query("SELECT COUNT(*) FROM email_outbox WHERE stato = 'inviata' AND tentativi = 2")
        .fetch_one(&app.db.read)
        .await
        .expect("n")
        .try_get(0)
        .expect("n");
    assert_eq!(inviate, 2);
});

both!(mail_belongs_to_the_company_that_queued_it, |engine: Engine| async move {
    use reqwest::StatusCode;
    let app = TestApp::spawn(engine).await;
    // Every company has its own PEC.
    let dup: i64 = sqlx::query(
        "SELECT COUNT(*) FROM (SELECT LOWER(pec) FROM contribuenti WHERE pec IS NOT NULL GROUP BY LOWER(pec) HAVING COUNT(*) > 1) d",
    )
    .fetch_one(&app.db.read)
    .await
    .expect("dup")
    .try_get(0)
    .expect("n");
    assert_eq!(dup, 0, "PEC shared by two companies in the demo data");
    let datore = app.logged_in("datore").await;
    let rossi = app.company_id("Rossi & Figli S.r.l.").await;
    let body = json!({ "tipo": "variazione_pec_aziendale", "soggetto_id": rossi, "oggetto": "", "risposte": { "pec": "nuova@pec.rossi.it" } });
    let (_, v) = submit(&app, &datore, body, None).await;
    decided(&app, &datore, v["protocollo"].as_str().expect("p")).await;
    let rossi_pec: String = sqlx::query("SELECT pec FROM contribuenti WHERE id = $1")
        .bind(rossi)
        .fetch_one(&app.db.read)
        .await
        .expect("pec")
        .try_get(0)
        .expect("pec");

    // An intermediary acting for another company tries to take Rossi's PEC: refused by a named
    // check whose reason names no one.
    let int = app.logged_in("intermediario").await;
    let assoc = app.company_id("Associazione Sportiva Tuscolana").await;
    let body = json!({ "tipo": "variazione_pec_aziendale", "soggetto_id": assoc, "oggetto": "", "risposte": { "pec": rossi_pec.to_uppercase() } });
    let (s, v) = submit(&app, &int, body, None).await;
    assert_eq!(s, StatusCode::ACCEPTED, "{v}");
    let d = decided(&app, &int, v["protocollo"].as_str().expect("p")).await;
    assert_eq!(sportello_tests::st::failed_codes(&d), ["ST08.PEC_NON_DI_ALTRO_CONTRIBUENTE"]);
    assert!(!d.to_string().contains("Rossi"), "{d}");

    let to_rossi: i64 = sqlx::query("SELECT COUNT(*) FROM email_outbox WHERE destinatario = $1")
        .bind(&rossi_pec)
        .fetch_one(&app.db.read)
        .await
        .expect("n")
        .try_get(0)
        .expect("n");
    assert!(to_rossi > 0, "Rossi has mail at its PEC");
    // Even if the two addresses were the same (data loaded from elsewhere), the development
    // mailbox shows a company only the mail queued for it.
    sqlx::query("UPDATE contribuenti SET pec = $1 WHERE id = $2")
        .bind(&rossi_pec)
        .bind(assoc)
        .execute(&app.db.write)
        .await
        .expect("same pec");
    let (s, _) = app.put(&int, "/api/v1/sessione/soggetto", json!({ "subject_id": assoc })).await;
    assert_eq!(s, StatusCode::OK);
    let (s, mails) = app.get(&int, "/api/v1/posta").await;
    assert_eq!(s, StatusCode::OK, "{mails}");
    let mails = mails.as_array().cloned().unwrap_or_default();
    assert!(!mails.is_empty(), "the association's own mail is there");
    assert!(!mails.iter().any(|m| m["destinatario"] == rossi_pec.as_str()), "{mails:?}");
});
