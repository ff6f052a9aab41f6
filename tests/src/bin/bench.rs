//! `bench <base-url>`: login throughput against a trivial handler in the same run, on loopback.
//! Bounded: a fixed number of requests per measurement. Prints a Markdown report.

use std::time::{Duration, Instant};

async fn measure(
    label: &str,
    total: usize,
    concurrency: usize,
    make: impl Fn() -> reqwest::RequestBuilder + Send + Sync + Clone + 'static,
) -> f64 {
    let t0 = Instant::now();
    let per = total / concurrency;
    let mut handles = vec![];
    for _ in 0..concurrency {
        let make = make.clone();
        handles.push(tokio::spawn(async move {
            let mut lat = Vec::with_capacity(per);
            let mut failures = 0usize;
            for _ in 0..per {
                let t = Instant::now();
                match make().send().await {
                    Ok(r) if r.status().is_success() => {
                        let _ = r.bytes().await;
                    }
                    _ => failures += 1,
                }
                lat.push(t.elapsed());
            }
            (lat, failures)
        }));
    }
    let mut lat: Vec<Duration> = vec![];
    let mut failures = 0;
    for h in handles {
        if let Ok((l, f)) = h.await {
            lat.extend(l);
            failures += f;
        }
    }
    let secs = t0.elapsed().as_secs_f64();
    lat.sort();
    let pct = |p: f64| {
        lat.get(((lat.len() as f64 * p) as usize).min(lat.len().saturating_sub(1)))
            .map(|d| d.as_secs_f64() * 1000.0)
            .unwrap_or(0.0)
    };
    let rps = lat.len() as f64 / secs;
    println!(
        "| {label} | {} | {concurrency} | {rps:.0} | {:.1} | {:.1} | {failures} |",
        lat.len(),
        pct(0.5),
        pct(0.99)
    );
    rps
}

#[tokio::main]
async fn main() {
    let base = std::env::args().nth(1).unwrap_or_else(|| "http://127.0.0.1:3000".into());
    let client = reqwest::Client::builder().build().expect("client");
    println!("\n## Carico HTTP (loopback, 2 core condivisi tra client e server)\n");
    println!("| richiesta | n | concorrenza | richieste/s | p50 ms | p99 ms | errori |\n|---|---|---|---|---|---|---|");
    let c = client.clone();
    let url = format!("{base}/healthz");
    let trivial = measure("GET /healthz (banale)", 4000, 4, move || c.get(&url)).await;
    // Each login runs Argon2id (m = 19 MiB, t = 2): that cost is the point of the measurement.
    // Different users so the per-user rate limit does not interfere (failures count only on errors).
    let users = [
        "datore",
        "intermediario",
        "dipendente",
        "utilizzatore",
        "prestatore",
        "operatore.sede",
        "operatore.dg",
        "admin.idm",
    ];
    let c = client.clone();
    let url = format!("{base}/api/v1/sessione");
    let counter = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let login = measure("POST /api/v1/sessione (login Argon2id)", 200, 4, move || {
        let i = counter.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        c.post(&url)
            .json(&serde_json::json!({ "username": users[i % users.len()], "password": server::seed::DEMO_PASSWORD }))
    })
    .await;
    println!(
        "\nRapporto login / gestore banale: {:.4} ({:.0} login/s contro {:.0} richieste/s)",
        login / trivial.max(1.0),
        login,
        trivial
    );
}
