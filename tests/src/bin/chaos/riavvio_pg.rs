//! PostgreSQL stopped (12 s) and started while clients submit: during the outage every answer is a 503
//! with `Retry-After` (never a 500, never a wait beyond 10 s); service resumes within 5 s of the
//! database's return without restarting the server; every submission acknowledged is stored.

use crate::{R, Server, free_port, start};
use serde_json::json;
use sqlx::Row;
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// The cluster's controls, from `cargo xtask` (which started it).
struct Cluster {
    pg_ctl: String,
    data: String,
    opts: String,
    as_user: String,
}

impl Cluster {
    fn from_env() -> Option<Cluster> {
        let v = |k: &str| std::env::var(k).ok();
        Some(Cluster {
            pg_ctl: v("SPORTELLO_CHAOS_PG_CTL")?,
            data: v("SPORTELLO_CHAOS_PG_DATA")?,
            opts: v("SPORTELLO_CHAOS_PG_OPTS")?,
            as_user: v("SPORTELLO_CHAOS_PG_UTENTE").unwrap_or_default(),
        })
    }

    fn pg_ctl(&self, args: &[&str]) -> R<()> {
        let mut c = if self.as_user.is_empty() {
            Command::new(&self.pg_ctl)
        } else {
            let mut c = Command::new("runuser");
            c.args(["-u", &self.as_user, "--", &self.pg_ctl]);
            c
        };
        let log = format!("{}/postgres.log", self.data);
        let s = c.args(["-D", &self.data]).args(args).args(["-l", &log]).output().map_err(|e| e.to_string())?;
        if s.status.success() {
            Ok(())
        } else {
            Err(format!("pg_ctl {args:?}: {}", String::from_utf8_lossy(&s.stderr)))
        }
    }
}

struct Outcome {
    sent: Instant,
    done: Instant,
    status: Option<u16>,
    retry_after: bool,
    protocollo: Option<String>,
}

async fn load(base: String, soggetto: i64, worker: usize, stop: Arc<AtomicBool>) -> Vec<Outcome> {
    let c = reqwest::Client::builder().cookie_store(true).timeout(Duration::from_secs(15)).build().expect("client");
    let login = json!({ "username": "intermediario", "password": server::seed::DEMO_PASSWORD });
    // Eight logins at once may find the bounded password checks busy (503): try again.
    for _ in 0..30 {
        match c.post(format!("{base}/api/v1/sessione")).json(&login).send().await {
            Ok(r) if r.status().is_success() => break,
            _ => tokio::time::sleep(Duration::from_secs(1)).await,
        }
    }
    let mut out = vec![];
    let mut i = 0;
    while !stop.load(Ordering::Relaxed) {
        i += 1;
        let body = json!({ "tipo": "variazione_pec_aziendale", "soggetto_id": soggetto, "oggetto": "",
            "risposte": { "pec": format!("riavvio{worker}x{i}@pec.tuscolana.it") } });
        let sent = Instant::now();
        let r = c
            .post(format!("{base}/api/v1/richieste"))
            .header("idempotency-key", format!("r-{worker}-{i}"))
            .json(&body)
            .send()
            .await;
        let (status, retry_after, protocollo) = match r {
            Ok(r) => {
                let s = r.status().as_u16();
                let retry = r.headers().contains_key("retry-after");
                let p = if s == 202 {
                    r.json::<serde_json::Value>().await.ok().and_then(|v| v["protocollo"].as_str().map(str::to_string))
                } else {
                    None
                };
                (Some(s), retry, p)
            }
            Err(_) => (None, false, None),
        };
        out.push(Outcome { sent, done: Instant::now(), status, retry_after, protocollo });
        if status != Some(202) {
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
    out
}

pub(crate) async fn run(bin: &str, db: &str) -> R<()> {
    let Some(cluster) = Cluster::from_env() else {
        return Err("SPORTELLO_CHAOS_PG_*: il riavvio richiede il cluster avviato da `cargo xtask`".into());
    };
    let port = free_port()?;
    let _server: Server = start(bin, db, port, "4").await?;
    let pool = sqlx::any::AnyPoolOptions::new().max_connections(1).connect(db).await.map_err(|e| e.to_string())?;
    let soggetto = crate::tuscolana(&pool).await?;
    pool.close().await;
    let stop = Arc::new(AtomicBool::new(false));
    let base = format!("http://127.0.0.1:{port}");
    let clients: Vec<_> = (0..8).map(|w| tokio::spawn(load(base.clone(), soggetto, w, stop.clone()))).collect();
    tokio::time::sleep(Duration::from_secs(3)).await;
    cluster.pg_ctl(&["-m", "fast", "-w", "stop"])?;
    let down = Instant::now();
    // Long enough for every client to send at least one request wholly inside the outage
    // (each waits up to 5 s for a connection before its 503).
    tokio::time::sleep(Duration::from_secs(12)).await;
    cluster.pg_ctl(&["-o", &cluster.opts, "-w", "start"])?;
    let up = Instant::now();
    println!("  PostgreSQL fermo per {:.1} s", up.duration_since(down).as_secs_f64());
    tokio::time::sleep(Duration::from_secs(8)).await;
    stop.store(true, Ordering::Relaxed);
    let mut all = vec![];
    for c in clients {
        all.extend(c.await.map_err(|e| e.to_string())?);
    }
    let during: Vec<&Outcome> = all.iter().filter(|o| o.sent > down && o.done < up).collect();
    let bad: Vec<String> = all
        .iter()
        .filter(|o| match o.status {
            None => true,
            Some(503) => !o.retry_after,
            Some(s) => s >= 500 || !(s == 202 || s == 429),
        })
        .map(|o| {
            let at = o
                .sent
                .checked_duration_since(down)
                .map(|d| format!("+{:.1}", d.as_secs_f64()))
                .unwrap_or("prima".into());
            format!(
                "{:?} inviata a {at} s dal fermo, in {:.1} s",
                o.status,
                o.done.duration_since(o.sent).as_secs_f64()
            )
        })
        .collect();
    let slowest = all.iter().map(|o| o.done.duration_since(o.sent)).max().unwrap_or_default();
    let recovered =
        all.iter().filter(|o| o.status == Some(202) && o.sent >= up).map(|o| o.done.duration_since(up)).min();
    let acknowledged: Vec<&str> = all.iter().filter_map(|o| o.protocollo.as_deref()).collect();
    println!(
        "  {} richieste: {} durante il fermo ({} risposte 503), la più lenta {:.1} s; ripresa {:.1} s dopo il ritorno; {} accettate",
        all.len(),
        during.len(),
        during.iter().filter(|o| o.status == Some(503)).count(),
        slowest.as_secs_f64(),
        recovered.map(|d| d.as_secs_f64()).unwrap_or(f64::NAN),
        acknowledged.len()
    );
    if !bad.is_empty() {
        return Err(format!(
            "risposte non ammesse durante il riavvio: {}",
            bad.iter().take(5).cloned().collect::<Vec<_>>().join("; ")
        ));
    }
    if during.len() < 4 || during.iter().any(|o| o.status != Some(503)) {
        return Err("durante il fermo ci si attendevano solo 503 con Retry-After".into());
    }
    if slowest > Duration::from_secs(10) {
        return Err(format!("una richiesta ha atteso {:.1} s", slowest.as_secs_f64()));
    }
    match recovered {
        Some(d) if d <= Duration::from_secs(5) => {}
        other => return Err(format!("nessuna ripresa entro 5 s dal ritorno del database ({other:?})")),
    }
    let pool = sqlx::any::AnyPoolOptions::new().max_connections(1).connect(db).await.map_err(|e| e.to_string())?;
    let mut missing = 0;
    for p in &acknowledged {
        let n: i64 = sqlx::query("SELECT COUNT(*) FROM richieste WHERE protocollo = $1")
            .bind(*p)
            .fetch_one(&pool)
            .await
            .and_then(|r| r.try_get(0))
            .map_err(|e| e.to_string())?;
        missing += usize::from(n != 1);
    }
    pool.close().await;
    if missing > 0 {
        return Err(format!("{missing} richieste accettate non risultano registrate"));
    }
    println!("  ogni richiesta accettata è registrata");
    Ok(())
}
