//! The sede's list for checks over the grown table (1 M prestazioni): page latency p50/p99 over
//! HTTP, the full CSV export's rate against the `sqlite3` CLI exporting the same query from the
//! same file, and the server's resident memory during the export.

use super::load::pct;
use super::soak::rss_mib;
use server::identity::scope::Scope;
use server::presto::elenchi::Elenco;
use shared::presto::elenchi::RichiestaElenco;
use std::time::{Duration, Instant};

pub(crate) async fn liste(base: &str, db_url: &str, sede_id: i64) {
    let y = chrono::Datelike::year(&chrono::Utc::now().date_naive());
    let (dal, al) = (format!("01/01/{y}"), format!("31/12/{y}"));
    let q = format!("dal={dal}&al={al}");
    let op = crate::load::signed_in(base, "operatore.sede").await;
    let mut lat = vec![];
    let mut totale = 0;
    for _ in 0..12 {
        let t = Instant::now();
        let r = op.get(format!("{base}/api/v1/presto/operatore/elenchi?{q}")).send().await.expect("elenco");
        assert!(r.status().is_success(), "elenco: {}", r.status());
        let v: serde_json::Value = r.json().await.expect("json");
        totale = v["totale"].as_i64().unwrap_or(0);
        lat.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    lat.sort_by(|a, b| a.total_cmp(b));

    // The export, with the server's memory sampled every 20 ms.
    let pid: Option<u32> = std::env::var("SPORTELLO_BENCH_PID").ok().and_then(|v| v.parse().ok());
    let before = pid.and_then(rss_mib).unwrap_or(0.0);
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let sampler = {
        let stop = stop.clone();
        tokio::spawn(async move {
            let mut peak: f64 = 0.0;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                if let Some(m) = pid.and_then(rss_mib) {
                    peak = peak.max(m);
                }
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            peak
        })
    };
    let t = Instant::now();
    let body = op
        .get(format!("{base}/api/v1/presto/operatore/elenchi/export?{q}&formato=csv"))
        .send()
        .await
        .expect("export")
        .bytes()
        .await
        .expect("body");
    let export_s = t.elapsed().as_secs_f64();
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let peak = sampler.await.unwrap_or(0.0);
    let rows = body.split(|b| *b == b'\n').filter(|l| !l.is_empty()).count().saturating_sub(1);

    // The same query, values inlined, exported by the sqlite3 CLI from the same file.
    let filtri = RichiestaElenco { dal, al, ..Default::default() }.parse().expect("filtri");
    let sql = Elenco::new(&filtri, &Scope::Sede { sede_id, regione: "Lazio".into() }).letterale();
    let file = db_url.trim_start_matches("sqlite://").split('?').next().unwrap_or_default().to_string();
    let t = Instant::now();
    let out = std::process::Command::new("sqlite3").args(["-csv", "-header", &file, &sql]).output();
    let cli_s = t.elapsed().as_secs_f64();
    let cli_rows = match &out {
        Ok(o) if o.status.success() => {
            o.stdout.split(|b| *b == b'\n').filter(|l| !l.is_empty()).count().saturating_sub(1)
        }
        Ok(o) => panic!("sqlite3: {}", String::from_utf8_lossy(&o.stderr)),
        Err(e) => panic!("sqlite3 CLI non disponibile ({e}): il confronto dell'esportazione lo richiede"),
    };

    println!("\n### Elenchi per le verifiche (sede Roma Eur, tabella `prestazioni` cresciuta)\n");
    println!("| misura | valore |\n|---|---|");
    println!("| righe dell'elenco (utilizzatori con prestazioni nell'anno) | {totale} |");
    println!(
        "| pagina dell'elenco via HTTP, 12 richieste: p50 / p99 | {:.0} ms / {:.0} ms |",
        pct(&lat, 0.5),
        pct(&lat, 0.99)
    );
    println!(
        "| esportazione CSV completa via HTTP | {rows} righe in {export_s:.2} s ({:.0} righe/s) |",
        rows as f64 / export_s.max(1e-9)
    );
    println!(
        "| stessa query, `sqlite3 -csv` sullo stesso file | {cli_rows} righe in {cli_s:.2} s ({:.0} righe/s) |",
        cli_rows as f64 / cli_s.max(1e-9)
    );
    println!(
        "| **rapporto esportazione server / CLI sqlite3** (righe/s) | **{:.2}** |",
        (rows as f64 / export_s.max(1e-9)) / (cli_rows as f64 / cli_s.max(1e-9)).max(1e-9)
    );
    println!(
        "| memoria residente del server: prima / picco durante l'esportazione | {before:.0} MiB / {peak:.0} MiB |"
    );
}
