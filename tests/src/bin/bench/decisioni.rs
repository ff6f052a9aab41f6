//! Smart-Task decisions per second: `n` submissions over HTTP with a personal API token (as an
//! intermediary's software sends them), spread over the given server processes, timed until
//! the last one is decided; beside it the raw-insert baselines measured in the same run through
//! the server's own pool and pragmas (`base`), and the decision latency from the server's own
//! timestamps.

use crate::load::pct;
use sqlx::Row;
use std::time::{Duration, Instant};

/// Sends Smart-Task submissions with the token, `concurrency` at a time, the i-th to
/// `urls[i % urls.len()]`. Returns how many were not accepted (202).
pub(crate) async fn invia(urls: &[String], bearer: &str, bodies: Vec<serde_json::Value>, concurrency: usize) -> usize {
    let client = reqwest::Client::new();
    let n = bodies.len();
    let mut queues: Vec<Vec<(String, serde_json::Value)>> = vec![vec![]; concurrency.max(1)];
    for (i, body) in bodies.into_iter().enumerate() {
        let url = urls.get(i % urls.len().max(1)).cloned().unwrap_or_default();
        queues[i % concurrency.max(1)].push((url, body));
    }
    let mut handles = vec![];
    for queue in queues {
        let (c, bearer) = (client.clone(), bearer.to_string());
        handles.push(tokio::spawn(async move {
            let mut failures = 0;
            for (url, body) in queue {
                match c.post(&url).header("authorization", &bearer).json(&body).send().await {
                    Ok(r) if r.status().as_u16() == 202 => {}
                    _ => failures += 1,
                }
            }
            failures
        }));
    }
    let mut failures = 0;
    for h in handles {
        failures += h.await.unwrap_or(n);
    }
    failures.min(n)
}

/// Returns the decisions per second.
pub(crate) async fn decisioni(bases: &[String], db_url: &str, n: usize, titolo: &str) -> f64 {
    sqlx::any::install_default_drivers();
    let pool = sqlx::any::AnyPoolOptions::new().max_connections(1).connect(db_url).await.expect("database");
    let Some(first) = bases.first() else { return 0.0 };
    let bearer = crate::carico::token(first).await;
    let assoc = crate::soggetto(db_url, "Associazione Sportiva Tuscolana").await;
    let final_states = "stato IN ('accolta', 'non_accolta', 'in_carico_sede')";
    let count = |sql: String| {
        let pool = pool.clone();
        async move { sqlx::query(&sql).fetch_one(&pool).await.expect("n").try_get::<i64, _>(0).expect("n") }
    };
    let decided_before = count(format!("SELECT COUNT(*) FROM richieste WHERE {final_states}")).await;
    let last_id = count("SELECT COALESCE(MAX(id), 0) FROM richieste".into()).await;

    let t0 = Instant::now();
    let concurrency = 16;
    let urls: Vec<String> = bases.iter().map(|b| format!("{b}/api/v1/richieste")).collect();
    let bodies = (0..n).map(|i| {
        serde_json::json!({ "tipo": "variazione_pec_aziendale", "soggetto_id": assoc, "oggetto": "",
                            "risposte": { "pec": format!("bench{i}@pec.tuscolana.it") } })
    });
    let failures = invia(&urls, &bearer, bodies.collect(), concurrency).await;
    let submitted = t0.elapsed().as_secs_f64();
    let target = decided_before + (n - failures) as i64;
    loop {
        let decided = count(format!("SELECT COUNT(*) FROM richieste WHERE {final_states}")).await;
        if decided >= target || t0.elapsed() > Duration::from_secs(600) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let all = t0.elapsed().as_secs_f64();
    let decided_per_s = (n - failures) as f64 / all;

    // The same rows inserted raw through the server's own pool and pragmas (`server::Db::connect`):
    // one transaction each, like each submission's own commit, and all in one transaction.
    let (raw_per_s, batch_per_s) = crate::base::grezzi(db_url, n).await;

    // Decision latency: from the submission's timestamp to its final event, as the server wrote them.
    let lat_rows = sqlx::query(&format!(
        "SELECT r.created_at, MAX(e.at) AS fine FROM richieste r JOIN richieste_eventi e ON e.richiesta_id = r.id
         WHERE r.{final_states} AND r.id > $1 GROUP BY r.id, r.created_at"
    ))
    .bind(last_id)
    .fetch_all(&pool)
    .await
    .expect("latency");
    let mut lat: Vec<f64> = lat_rows
        .iter()
        .filter_map(|r| {
            let a = server::infra::clock::parse_ts(&r.try_get::<String, _>(0).ok()?)?;
            let b = server::infra::clock::parse_ts(&r.try_get::<String, _>(1).ok()?)?;
            Some((b - a).num_microseconds()? as f64 / 1000.0)
        })
        .collect();
    lat.sort_by(|a, b| a.total_cmp(b));

    println!("\n## Smart-Task ({titolo}; processi server: {})\n", bases.len());
    println!("| misura | valore |\n|---|---|");
    println!(
        "| richieste inviate via API con token (concorrenza {concurrency}) | {} (errori: {failures}) |",
        n - failures
    );
    println!("| tempo di invio | {submitted:.2} s |");
    println!("| tempo fino all'ultima decisione | {all:.2} s |");
    println!("| **richieste decise al secondo** | **{decided_per_s:.0}** |");
    println!(
        "| base: inserimenti grezzi delle stesse righe al secondo, pool e pragma del server, una transazione ciascuno | {raw_per_s:.0} |"
    );
    println!("| base: le stesse righe in un'unica transazione, al secondo | {batch_per_s:.0} |");
    println!(
        "| **rapporto decise / inserimenti grezzi (una transazione ciascuno)** (obiettivo ≥ 0,40) | **{:.3}** |",
        decided_per_s / raw_per_s.max(1.0)
    );
    println!(
        "| rapporto decise / inserimenti grezzi (un'unica transazione) | {:.3} |",
        decided_per_s / batch_per_s.max(1.0)
    );
    println!("| latenza invio → decisione p50 | {:.1} ms |", pct(&lat, 0.5));
    println!("| latenza invio → decisione p99 | {:.1} ms |", pct(&lat, 0.99));
    println!("| latenza invio → decisione massima | {:.1} ms |", lat.last().copied().unwrap_or(0.0));
    pool.close().await;
    decided_per_s
}
