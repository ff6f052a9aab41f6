//! `bench <base-url>`: login throughput against a trivial handler in the same run, on loopback.
//! Bounded: a fixed number of requests per measurement. Prints a Markdown report.

mod arretrato;
mod base;
mod carico;
mod decisioni;
mod driver;
mod liste;
mod load;
mod presto;
mod simulazione;
mod soak;

use load::{measure, pct};
use std::time::Instant;

/// Smart-Task throughput (module `decisioni`), then the request list and the Fascicolo over
/// the requests it made.
async fn smart_task(base: &str, db_url: &str, n: usize) {
    use sqlx::Row;
    decisioni::decisioni(&[base.to_string()], db_url, n, "SQLite, build release, un processo").await;
    sqlx::any::install_default_drivers();
    let pool = sqlx::any::AnyPoolOptions::new().max_connections(1).connect(db_url).await.expect("database");
    let assoc = soggetto(db_url, "Associazione Sportiva Tuscolana").await;
    // SSR of the request list: the company now has thousands of requests; a page shows 20.
    let client = crate::load::acting_for(base, "intermediario", assoc).await;
    let mut ssr = vec![];
    for _ in 0..200 {
        let t = Instant::now();
        let r = client.get(format!("{base}/richieste")).send().await.expect("ssr");
        let ok = r.status().is_success();
        let body = r.text().await.unwrap_or_default();
        assert!(ok && body.contains("Richieste 1–20 di"), "SSR list failed");
        ssr.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    ssr.sort_by(|a, b| a.total_cmp(b));
    let count = |id: i64| {
        let pool = pool.clone();
        async move {
            sqlx::query("SELECT COUNT(*) FROM richieste WHERE contribuente_id = $1")
                .bind(id)
                .fetch_one(&pool)
                .await
                .expect("n")
                .try_get::<i64, _>(0)
                .expect("n")
        }
    };
    let total = count(assoc).await;
    println!("\n## SSR della Lista Richieste (pagina da 20 righe su {total} richieste, 200 pagine in sequenza)\n");
    println!("- p50 {:.1} ms, p99 {:.1} ms", pct(&ssr, 0.5), pct(&ssr, 0.99));

    // The operator's side: the Fascicolo of the same company (its requests, paged) and search.
    let op = crate::load::signed_in(base, "operatore.sede").await;
    // The Fascicolo of a contributor with exactly 1,000 requests (the figure): copies of
    // the submissions above, given to a second company of the same region.
    let other: i64 =
        sqlx::query("SELECT id FROM contribuenti WHERE ragione_sociale = 'Trattoria da Mario di Rossi Mario'")
            .fetch_one(&pool)
            .await
            .expect("company")
            .try_get(0)
            .expect("id");
    let already = count(other).await;
    sqlx::query(
        "INSERT INTO richieste (protocollo, tipo, contribuente_id, richiedente_user_id, oggetto, risposte_json, stato,
                                data_riferimento, created_at, updated_at, version)
         SELECT 'BENCH-' || protocollo, tipo, $1, richiedente_user_id, oggetto, risposte_json, stato, data_riferimento,
                created_at, updated_at, 1
         FROM richieste WHERE contribuente_id = $2 ORDER BY id LIMIT $3",
    )
    .bind(other)
    .bind(assoc)
    .bind(1000 - already)
    .execute(&pool)
    .await
    .expect("copy");
    let ssr_file = |who: i64, n: usize| {
        let op = op.clone();
        let base = base.to_string();
        async move {
            let mut v = vec![];
            for _ in 0..n {
                let t = Instant::now();
                let r = op.get(format!("{base}/fascicolo/{who}")).send().await.expect("fascicolo");
                let ok = r.status().is_success();
                let body = r.text().await.unwrap_or_default();
                assert!(ok && body.contains("fascicolo-nome"), "Fascicolo SSR failed");
                v.push(t.elapsed().as_secs_f64() * 1000.0);
            }
            v.sort_by(|a, b| a.total_cmp(b));
            v
        }
    };
    let fasc = ssr_file(assoc, 100).await;
    let fasc_1000 = ssr_file(other, 100).await;
    println!("\n## Fascicolo (operatore di sede)\n");
    println!(
        "- SSR del Fascicolo di un'azienda con {} richieste (100 pagine in sequenza): p50 {:.1} ms, p99 {:.1} ms",
        count(other).await,
        pct(&fasc_1000, 0.5),
        pct(&fasc_1000, 0.99)
    );
    println!(
        "- SSR del Fascicolo di un'azienda con {total} richieste (100 pagine in sequenza): p50 {:.1} ms, p99 {:.1} ms",
        pct(&fasc, 0.5),
        pct(&fasc, 0.99)
    );

    // Search over the scale data set: generated companies added to the same database.
    let scale: u32 = std::env::var("SPORTELLO_BENCH_SCALE").ok().and_then(|v| v.parse().ok()).unwrap_or(200);
    let db = server::Db::connect(db_url).await.expect("db");
    let t = Instant::now();
    server::seed::seed(&db, scale, 2026).await.expect("seed scale");
    let seeded = t.elapsed().as_secs_f64();
    let companies: i64 =
        sqlx::query("SELECT COUNT(*) FROM contribuenti").fetch_one(&pool).await.expect("n").try_get(0).expect("n");
    // Exact identifiers sampled across the data set, and name prefixes of several frequencies.
    let mut exact: Vec<String> = vec![];
    for r in sqlx::query(
        "SELECT c.codice_fiscale, c.partita_iva, p.matricola FROM contribuenti c JOIN posizioni p ON p.contribuente_id = c.id
         WHERE c.id % 997 = 0 LIMIT 40",
    )
    .fetch_all(&pool)
    .await
    .expect("sample")
    {
        for i in 0..3 {
            if let Ok(Some(v)) = r.try_get::<Option<String>, _>(i) {
                exact.push(v);
            }
        }
    }
    let names = ["ross", "gall", "ver", "bianchi", "impianti", "trasporti", "associazione", "ferr", "col"];
    let dg = crate::load::signed_in(base, "operatore.dg").await;
    let search = |c: reqwest::Client, qs: Vec<String>| {
        let base = base.to_string();
        async move {
            let mut v = vec![];
            for q in qs.iter().cycle().take(300) {
                let t = Instant::now();
                let r = c.get(format!("{base}/api/v1/fascicolo?q={q}")).send().await.expect("search");
                assert!(r.status().is_success(), "search failed: {}", r.status());
                let _ = r.bytes().await;
                v.push(t.elapsed().as_secs_f64() * 1000.0);
            }
            v.sort_by(|a, b| a.total_cmp(b));
            v
        }
    };
    let names: Vec<String> = names.iter().map(|s| s.to_string()).collect();
    let by_name_region = search(op.clone(), names.clone()).await;
    let by_name_all = search(dg.clone(), names).await;
    let by_id = search(dg.clone(), exact.clone()).await;
    println!(
        "\n## Ricerca nel Fascicolo su {companies} contribuenti (dati di scala: {scale} × 1.000 aziende generate in {seeded:.1} s)\n"
    );
    println!("| ricerca | n | p50 ms | p99 ms |\n|---|---|---|---|");
    for (label, v) in [
        ("inizio della denominazione, operatore di sede (sua regione)", &by_name_region),
        ("inizio della denominazione, Direzione generale (tutta Italia)", &by_name_all),
        ("codice fiscale, partita IVA o matricola esatti", &by_id),
    ] {
        println!("| {label} | {} | {:.2} | {:.2} |", v.len(), pct(v, 0.5), pct(v, 0.99));
    }
}

pub(crate) async fn soggetto(db_url: &str, name: &str) -> i64 {
    use sqlx::Row;
    sqlx::any::install_default_drivers();
    let pool = sqlx::any::AnyPoolOptions::new().max_connections(1).connect(db_url).await.expect("database");
    sqlx::query("SELECT id FROM contribuenti WHERE ragione_sociale = $1")
        .bind(name)
        .fetch_one(&pool)
        .await
        .expect("soggetto")
        .try_get(0)
        .expect("id")
}

#[tokio::main]
async fn main() {
    // The baselines run through the server's own pool with the server's SQLite settings, this
    // one included (called, as the server does, before SQLite is used).
    server::infra::db::direct::without_memory_statistics();
    let base = std::env::args().nth(1).unwrap_or_else(|| "http://127.0.0.1:3000".into());
    let db_url = std::env::args().nth(2);
    let client = reqwest::Client::builder().build().expect("client");
    // `SPORTELLO_BENCH_SOLO=…`: one part alone, to compare two builds or for the runs xtask
    // orchestrates with several server processes.
    if let (Ok(solo), Some(db)) = (std::env::var("SPORTELLO_BENCH_SOLO"), &db_url) {
        let n = std::env::args().nth(3).and_then(|n| n.parse().ok());
        let titolo = std::env::var("SPORTELLO_BENCH_TITOLO").unwrap_or_else(|_| "build release".into());
        match solo.as_str() {
            // The soak takes its minutes on its own.
            "soak" => soak::soak(&base, soggetto(db, "Associazione Sportiva Tuscolana").await).await,
            // Submitted to every server process listed in the first argument (comma-separated).
            "decisioni" => {
                let bases: Vec<String> = base.split(',').map(str::to_string).collect();
                decisioni::decisioni(&bases, db, n.unwrap_or(3000), &titolo).await;
            }
            "accoda" => {
                arretrato::accoda(&base, db, n.unwrap_or(arretrato::N)).await;
            }
            "smaltisci" => {
                arretrato::smaltisci(db, &titolo).await;
            }
            "smart_task" => smart_task(&base, db, n.unwrap_or(3000)).await,
            "carico" => carico::carico(&base, db, soggetto(db, "Associazione Sportiva Tuscolana").await).await,
            "driver" => driver::stampa(db, n.unwrap_or(3000)).await,
            other => panic!("SPORTELLO_BENCH_SOLO={other}: parte sconosciuta"),
        }
        return;
    }
    println!("\n## Carico HTTP (loopback, 2 core condivisi tra client e server)\n");
    println!("| richiesta | n | concorrenza | richieste/s | p50 ms | p99 ms | errori |\n|---|---|---|---|---|---|---|");
    let c = client.clone();
    let url = format!("{base}/healthz");
    let trivial = measure("GET /healthz (banale)", 4000, 4, move || c.get(&url)).await.rps;
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
    .await
    .rps;
    println!(
        "\nRapporto login / gestore banale: {:.4} ({:.0} login/s contro {:.0} richieste/s)",
        login / trivial.max(1.0),
        login,
        trivial
    );
    match db_url {
        Some(db) => {
            smart_task(&base, &db, std::env::args().nth(3).and_then(|n| n.parse().ok()).unwrap_or(3000)).await;
            carico::carico(&base, &db, soggetto(&db, "Associazione Sportiva Tuscolana").await).await;
            if db.starts_with("sqlite:") {
                driver::stampa(&db, 3000).await;
            }
            simulazione::simulazione(&base, &db).await;
            presto::presto(&base, &db).await;
            soak::soak(&base, soggetto(&db, "Associazione Sportiva Tuscolana").await).await;
        }
        None => println!("\n(Smart-Task: indicare l'URL del database come secondo argomento per misurarlo)"),
    }
}
