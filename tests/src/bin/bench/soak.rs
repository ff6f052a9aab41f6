//! Soak: minutes of mixed load (pages of the API a working day calls: lists, details,
//! submissions, the wallet, logins) with the server's resident memory read at the start, every
//! minute and at the end. Zero errors expected; memory should stay flat once warm.
//! `SPORTELLO_SOAK_SECONDI` (default 600) sets the length; the server's PID comes from xtask.

use crate::load::signed_in;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

pub(crate) fn rss_mib(pid: u32) -> Option<f64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let kib: f64 = status.lines().find(|l| l.starts_with("VmRSS:"))?.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

/// One round of a user's day; the statuses that are errors are counted.
async fn round(base: &str, c: &reqwest::Client, soggetto: i64, i: usize, errors: &AtomicUsize) {
    let ok = |r: Result<reqwest::Response, reqwest::Error>, want: u16| match r {
        Ok(r) if r.status().as_u16() == want => Some(r),
        _ => {
            errors.fetch_add(1, Ordering::Relaxed);
            None
        }
    };
    ok(c.get(format!("{base}/api/v1/richieste?soggetto_id={soggetto}")).send().await, 200);
    let body = serde_json::json!({ "tipo": "variazione_pec_aziendale", "soggetto_id": soggetto, "oggetto": "",
        "risposte": { "pec": format!("soak{i}@pec.tuscolana.it") } });
    if let Some(r) = ok(c.post(format!("{base}/api/v1/richieste")).json(&body).send().await, 202)
        && let Ok(v) = r.json::<serde_json::Value>().await
        && let Some(p) = v["protocollo"].as_str()
    {
        ok(c.get(format!("{base}/api/v1/richieste/{p}")).send().await, 200);
        ok(c.get(format!("{base}/api/v1/richieste/{p}/ricevuta.pdf")).send().await, 200);
    }
    ok(c.get(format!("{base}/api/v1/notifiche?soggetto_id={soggetto}")).send().await, 200);
    ok(c.get(format!("{base}/api/v1/soggetti")).send().await, 200);
    ok(c.get(format!("{base}/richieste")).send().await, 200);
}

pub(crate) async fn soak(base: &str, soggetto: i64) {
    let secs: u64 = std::env::var("SPORTELLO_SOAK_SECONDI").ok().and_then(|v| v.parse().ok()).unwrap_or(600);
    let pid: Option<u32> = std::env::var("SPORTELLO_BENCH_PID").ok().and_then(|v| v.parse().ok());
    let rss = || pid.and_then(rss_mib).map(|m| format!("{m:.1} MiB")).unwrap_or_else(|| "n.d.".into());
    println!("\n## Prova di durata ({secs} s di carico misto, 4 utenti)\n");
    println!(
        "| secondi | round completati | round al minuto | errori | memoria residente del server |\n|---|---|---|---|---|"
    );
    println!("| 0 | 0 | – | 0 | {} |", rss());
    let errors = Arc::new(AtomicUsize::new(0));
    let rounds = Arc::new(AtomicUsize::new(0));
    let end = Instant::now() + Duration::from_secs(secs);
    let mut workers = vec![];
    for w in 0..4 {
        let (base, errors, rounds) = (base.to_string(), errors.clone(), rounds.clone());
        workers.push(tokio::spawn(async move {
            let mut c = signed_in(&base, "intermediario").await;
            while Instant::now() < end {
                let i = rounds.fetch_add(1, Ordering::Relaxed);
                round(&base, &c, soggetto, i * 4 + w, &errors).await;
                // A new session now and then: logins (Argon2id) are part of the day too.
                if i % 50 == 49 {
                    c = signed_in(&base, "intermediario").await;
                }
            }
        }));
    }
    let t0 = Instant::now();
    // Rounds a minute in each interval: the data grows as the soak runs, and a rate that falls
    // with it is a cost that grows with the data.
    let (mut last, mut rates) = ((0usize, 0.0f64), vec![]);
    while Instant::now() < end {
        tokio::time::sleep(Duration::from_secs(60).min(end.saturating_duration_since(Instant::now()))).await;
        let (r, e, at) = (rounds.load(Ordering::Relaxed), errors.load(Ordering::Relaxed), t0.elapsed().as_secs_f64());
        let rate = (r - last.0) as f64 * 60.0 / (at - last.1).max(1e-3);
        rates.push(rate);
        last = (r, at);
        println!("| {at:.0} | {r} | {rate:.0} | {e} | {} |", rss());
    }
    for w in workers {
        let _ = w.await;
    }
    let e = errors.load(Ordering::Relaxed);
    println!("\nErrori nella prova di durata: {e} su {} round.", rounds.load(Ordering::Relaxed));
    if let (Some(first), Some(final_)) = (rates.first(), rates.last()) {
        println!(
            "- round al minuto alla fine / nel primo minuto: **{:.2}** ({final_:.0} contro {first:.0}; sotto 1 il costo di un round cresce con i dati)",
            final_ / first.max(1.0)
        );
    }
    crate::carico::memoria("alla fine della prova di durata (con i dati da 1 milione di righe)");
}
