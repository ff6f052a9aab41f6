//! Load generation: a bounded number of requests at a fixed concurrency, with latency percentiles.

use std::time::{Duration, Instant};

/// What one measurement found.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Misura {
    pub rps: f64,
    pub p99: f64,
}

pub(crate) async fn measure(
    label: &str,
    total: usize,
    concurrency: usize,
    make: impl Fn() -> reqwest::RequestBuilder + Send + Sync + Clone + 'static,
) -> Misura {
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
    Misura { rps, p99: pct(0.99) }
}

/// p-th percentile (0–1) of sorted values.
pub(crate) fn pct(v: &[f64], p: f64) -> f64 {
    v.get(((v.len() as f64 * p) as usize).min(v.len().saturating_sub(1))).copied().unwrap_or(0.0)
}

/// A client with a session of a demo user (the cookie kept).
pub(crate) async fn signed_in(base: &str, user: &str) -> reqwest::Client {
    let c = reqwest::Client::builder().cookie_store(true).build().expect("client");
    let r = c
        .post(format!("{base}/api/v1/sessione"))
        .json(&serde_json::json!({ "username": user, "password": server::seed::DEMO_PASSWORD }))
        .send()
        .await
        .expect("login");
    assert!(r.status().is_success(), "login {user}: {}", r.status());
    c
}

/// A client with a session of a demo user acting for the subject `soggetto`.
pub(crate) async fn acting_for(base: &str, user: &str, soggetto: i64) -> reqwest::Client {
    let c = signed_in(base, user).await;
    let r = c
        .put(format!("{base}/api/v1/sessione/soggetto"))
        .json(&serde_json::json!({ "subject_id": soggetto }))
        .send()
        .await
        .expect("act for");
    assert!(r.status().is_success(), "act for: {}", r.status());
    c
}
