//! Load at 64 connections, as a campaign deadline or an intermediary's software makes it: a
//! trivial handler (the ratio's baseline, same run, same connections), Smart-Task submissions
//! over HTTP with a personal API token, SSR of the request list, and a mixed read/write day;
//! p50/p99 and errors for each, and the server's peak resident memory.

use crate::load::measure;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

pub(crate) const CONNESSIONI: usize = 64;

/// `SPORTELLO_BENCH_VOLTE=N` repeats each measurement's requests N times (default 1): longer
/// runs for profiling the server under the same load.
fn volte() -> usize {
    std::env::var("SPORTELLO_BENCH_VOLTE").ok().and_then(|v| v.parse().ok()).filter(|n| *n >= 1).unwrap_or(1)
}

/// A personal API token of the intermediary, created through a session as the software's
/// owner would.
pub(crate) async fn token(base: &str) -> String {
    let c = crate::load::signed_in(base, "intermediario").await;
    let r = c
        .post(format!("{base}/api/v1/token"))
        .json(&serde_json::json!({ "nome": "bench" }))
        .send()
        .await
        .expect("token");
    assert!(r.status().is_success(), "token: {}", r.status());
    let v: serde_json::Value = r.json().await.expect("json");
    format!("Bearer {}", v["token"].as_str().expect("token"))
}

/// A `/proc/PID/status` line in MiB.
fn status_mib(pid: u32, key: &str) -> Option<f64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let kib: f64 = status.lines().find(|l| l.starts_with(key))?.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

/// Resident MiB of the process' mappings of SQLite database files (`*.db`), from `smaps`.
fn database_mib(pid: u32) -> f64 {
    let Ok(smaps) = std::fs::read_to_string(format!("/proc/{pid}/smaps")) else { return 0.0 };
    let (mut in_db, mut kib) = (false, 0.0);
    for line in smaps.lines() {
        let mut words = line.split_whitespace();
        match words.next() {
            Some("Rss:") if in_db => kib += words.next().and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0),
            // A mapping's header: an address range first, the path last.
            Some(range) if range.contains('-') && range.chars().all(|c| c.is_ascii_hexdigit() || c == '-') => {
                in_db = line.ends_with(".db");
            }
            _ => {}
        }
    }
    kib / 1024.0
}

/// Prints the server's resident memory now: its own (heap and stacks), the pages of the
/// database file it has mapped (SQLite reads through mmap: the kernel's cache, given back
/// under pressure, counted once per connection that maps them) and the other mapped files (the
/// executable); and its peak so far (from xtask's PID).
pub(crate) fn memoria(quando: &str) {
    let Some(pid) = std::env::var("SPORTELLO_BENCH_PID").ok().and_then(|p| p.parse().ok()) else { return };
    let m = |k: &str| status_mib(pid, k).unwrap_or(0.0);
    let db = database_mib(pid);
    println!(
        "- memoria residente del server {quando}: {:.0} MiB (propria {:.0} MiB, pagine mappate del database {:.0} MiB, eseguibile e altri file {:.0} MiB), picco dall'avvio {:.0} MiB (obiettivo ≤ 200 MB)",
        m("VmRSS:"),
        m("RssAnon:"),
        db,
        (m("RssFile:") - db).max(0.0),
        m("VmHWM:")
    );
}

/// Waits until the worker has decided every queued request, so that the next measurement is
/// not sharing the cores with the previous one's backlog.
async fn smaltito(db_url: &str) {
    use sqlx::Row;
    let pool = sqlx::any::AnyPoolOptions::new().max_connections(1).connect(db_url).await.expect("database");
    let t0 = std::time::Instant::now();
    while t0.elapsed() < std::time::Duration::from_secs(300) {
        let n: i64 = sqlx::query("SELECT COUNT(*) FROM jobs WHERE state IN ('queued', 'running')")
            .fetch_one(&pool)
            .await
            .expect("jobs")
            .try_get(0)
            .expect("n");
        if n == 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    pool.close().await;
}

pub(crate) async fn carico(base: &str, db_url: &str, soggetto: i64) {
    let bearer = token(base).await;
    let x = volte();
    let session = crate::load::acting_for(base, "intermediario", soggetto).await;

    println!("\n## Carico a {CONNESSIONI} connessioni (loopback, 2 core condivisi tra client e server)\n");
    println!("| richiesta | n | concorrenza | richieste/s | p50 ms | p99 ms | errori |\n|---|---|---|---|---|---|---|");
    let c = reqwest::Client::new();
    let url = format!("{base}/healthz");
    let banale =
        measure("GET /healthz (banale, base del rapporto)", 12_800 * x, CONNESSIONI, move || c.get(&url)).await;

    let c = reqwest::Client::new();
    let url = format!("{base}/api/v1/richieste");
    let n = Arc::new(AtomicUsize::new(0));
    let auth = bearer.clone();
    let invii = measure("POST /api/v1/richieste (token, Smart-Task 8)", 3_200 * x, CONNESSIONI, move || {
        let i = n.fetch_add(1, Ordering::Relaxed);
        c.post(&url).header("authorization", &auth).json(&serde_json::json!({
            "tipo": "variazione_pec_aziendale", "soggetto_id": soggetto, "oggetto": "",
            "risposte": { "pec": format!("carico{i}@pec.tuscolana.it") } }))
    })
    .await;
    smaltito(db_url).await;

    // The list's p99 is a target: 12,800 pages (4 s or so) rather than one second's worth, whose
    // p99 moved by ±3 ms from run to run with the first pages' warm-up in it.
    let pagine = 12_800 * x;
    let c = session.clone();
    let url = format!("{base}/richieste");
    measure("GET /richieste (SSR della Lista Richieste, senza compressione)", pagine, CONNESSIONI, move || c.get(&url))
        .await;
    // As a browser asks for it (Chromium's header): compressing the page is part of the cost.
    let c = session.clone();
    let url = format!("{base}/richieste");
    let ssr = measure(
        "GET /richieste (SSR della Lista Richieste, compressa come per un browser)",
        pagine,
        CONNESSIONI,
        move || c.get(&url).header("accept-encoding", "gzip, deflate, br, zstd"),
    )
    .await;

    // A working day at the same time: list, detail, notifications, subjects, a submission.
    let c = reqwest::Client::new();
    let k = Arc::new(AtomicUsize::new(0));
    let b = base.to_string();
    measure("misto: lista, dettaglio, notifiche, soggetti, invio (token)", 3_200 * x, CONNESSIONI, move || {
        let i = k.fetch_add(1, Ordering::Relaxed);
        let rb = match i % 5 {
            0 => c.get(format!("{b}/api/v1/richieste?soggetto_id={soggetto}")),
            1 => c.get(format!("{b}/api/v1/notifiche?soggetto_id={soggetto}")),
            2 => c.get(format!("{b}/api/v1/soggetti")),
            3 => c.get(format!("{b}/api/v1/smart-task/tipi")),
            _ => c.post(format!("{b}/api/v1/richieste")).json(&serde_json::json!({
                "tipo": "variazione_pec_aziendale", "soggetto_id": soggetto, "oggetto": "",
                "risposte": { "pec": format!("misto{i}@pec.tuscolana.it") } })),
        };
        rb.header("authorization", &bearer)
    })
    .await;
    smaltito(db_url).await;
    println!();
    println!(
        "- invii / gestore banale, stesse {CONNESSIONI} connessioni: **{:.3}** ({:.0} contro {:.0} richieste/s; obiettivo ≥ 0,10)",
        invii.rps / banale.rps.max(1.0),
        invii.rps,
        banale.rps
    );
    println!(
        "- SSR della Lista Richieste a {CONNESSIONI} connessioni, compressa come per un browser: p99 **{:.1} ms** (obiettivo ≤ 20 ms)",
        ssr.p99
    );
    memoria("dopo il carico");
}
