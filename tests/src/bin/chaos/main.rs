//! `chaos <server-binary> <postgres-admin-url>`: the crash test of the examination, run by
//! `cargo xtask test` (and alone by `cargo xtask chaos`) on SQLite and on PostgreSQL.
//!
//! 1. A web-only server (`SPORTELLO_WORKERS=0`) acknowledges N submissions (default 10,000,
//!    `SPORTELLO_CHAOS_RICHIESTE`) and is killed with SIGKILL: nothing it acknowledged may be lost.
//! 2. A server with workers starts on that queue and is killed with SIGKILL in the middle of
//!    the examination.
//! 3. A third server finishes the queue (the killed workers' leases expire after 60 s).
//!
//! Then: every request decided exactly once (one final event each), every effect applied once
//! (one PEC change in the audit per accepted request), no job left or failed, the audit chain
//! intact. Then PostgreSQL is stopped and started under load (`riavvio_pg.rs`). Exits non-zero
//! with the reason otherwise.

mod riavvio_pg;

use serde_json::json;
use sqlx::{AnyPool, Row};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub(crate) type R<T> = Result<T, String>;

pub(crate) struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub(crate) fn free_port() -> R<u16> {
    let l = std::net::TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    Ok(l.local_addr().map_err(|e| e.to_string())?.port())
}

pub(crate) async fn start(bin: &str, db: &str, port: u16, workers: &str) -> R<Server> {
    let child = Command::new(bin)
        .env("DATABASE_URL", db)
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
        .env("LEPTOS_SITE_ROOT", "target/site")
        .env("LEPTOS_OUTPUT_NAME", "sportello")
        .env("SPORTELLO_DEMO", "1")
        .env("SPORTELLO_WORKERS", workers)
        .env("SPORTELLO_INVII_PER_MINUTO", "1000000")
        .env("SPORTELLO_PAGAMENTI_AUTOMATICI", "0")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .spawn()
        .map_err(|e| format!("avvio di {bin}: {e}"))?;
    let server = Server(child);
    let t0 = Instant::now();
    while t0.elapsed() < Duration::from_secs(120) {
        if reqwest::get(format!("http://127.0.0.1:{port}/healthz")).await.is_ok_and(|r| r.status().is_success()) {
            return Ok(server);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Err("il server non risponde".into())
}

/// The demo company the load acts for.
pub(crate) async fn tuscolana(pool: &AnyPool) -> R<i64> {
    count(pool, "SELECT id FROM contribuenti WHERE ragione_sociale = 'Associazione Sportiva Tuscolana'").await
}

/// A new database on the cluster of `admin_url`; its URL.
async fn create_database(admin_url: &str, name: &str) -> R<String> {
    let admin = AnyPool::connect(admin_url).await.map_err(|e| e.to_string())?;
    let created = sqlx::query(&format!("CREATE DATABASE {name}")).execute(&admin).await;
    admin.close().await;
    created.map_err(|e| e.to_string())?;
    admin_url.rsplit_once('/').map(|(b, _)| format!("{b}/{name}")).ok_or_else(|| "URL senza database".into())
}

async fn count(pool: &AnyPool, sql: &str) -> R<i64> {
    sqlx::query(sql).fetch_one(pool).await.and_then(|r| r.try_get(0)).map_err(|e| format!("{sql}: {e}"))
}

const FINAL: &str = "('accolta', 'non_accolta', 'in_carico_sede')";

async fn submit_all(base: &str, n: usize, soggetto: i64) -> R<()> {
    let c = reqwest::Client::builder().cookie_store(true).build().map_err(|e| e.to_string())?;
    let login = c
        .post(format!("{base}/api/v1/sessione"))
        .json(&json!({ "username": "intermediario", "password": server::seed::DEMO_PASSWORD }))
        .send()
        .await
        .map_err(|e| e.to_string())?;
    if !login.status().is_success() {
        return Err(format!("login: {}", login.status()));
    }
    let mut tasks = vec![];
    for w in 0..16 {
        let (c, base) = (c.clone(), base.to_string());
        tasks.push(tokio::spawn(async move {
            for i in (w..n).step_by(16) {
                let body = json!({ "tipo": "variazione_pec_aziendale", "soggetto_id": soggetto, "oggetto": "",
                    "risposte": { "pec": format!("caos{i}@pec.tuscolana.it") } });
                let r = c.post(format!("{base}/api/v1/richieste")).json(&body).send().await;
                match r {
                    Ok(r) if r.status().as_u16() == 202 => {}
                    Ok(r) => return Err(format!("invio {i}: {}", r.status())),
                    Err(e) => return Err(format!("invio {i}: {e}")),
                }
            }
            Ok(())
        }));
    }
    for t in tasks {
        t.await.map_err(|e| e.to_string())??;
    }
    Ok(())
}

async fn run(bin: &str, db: &str, n: usize) -> R<()> {
    let port = free_port()?;
    let base = format!("http://127.0.0.1:{port}");
    let web = start(bin, db, port, "0").await?;
    let pool = sqlx::any::AnyPoolOptions::new().max_connections(2).connect(db).await.map_err(|e| e.to_string())?;
    let soggetto = tuscolana(&pool).await?;
    let before = count(&pool, "SELECT COALESCE(MAX(id), 0) FROM richieste").await?;
    let decided = format!("SELECT COUNT(*) FROM richieste WHERE id > {before} AND stato IN {FINAL}");
    let audit_before = count(&pool, "SELECT COUNT(*) FROM audit_log WHERE action = 'variazione_pec'").await?;
    let t0 = Instant::now();
    submit_all(&base, n, soggetto).await?;
    println!("  {n} invii accettati in {:.1} s; SIGKILL del server web", t0.elapsed().as_secs_f64());
    drop(web);
    let stored = count(&pool, &format!("SELECT COUNT(*) FROM richieste WHERE id > {before}")).await?;
    if stored != n as i64 {
        return Err(format!("dopo il SIGKILL ci sono {stored} richieste nuove su {n} accettate"));
    }

    let workers = start(bin, db, port, "4").await?;
    let half = (n as i64 / 3).max(1);
    let t1 = Instant::now();
    loop {
        let d = count(&pool, &decided).await?;
        if d >= half {
            drop(workers);
            println!("  SIGKILL durante l'esame: {d} decise su {n} dopo {:.1} s", t1.elapsed().as_secs_f64());
            break;
        }
        if t1.elapsed() > Duration::from_secs(600) {
            return Err(format!("esame troppo lento: {d} decise in 600 s"));
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    let _last = start(bin, db, port, "4").await?;
    let t2 = Instant::now();
    loop {
        let d = count(&pool, &decided).await?;
        if d == n as i64 {
            println!("  tutte decise {:.1} s dopo il riavvio", t2.elapsed().as_secs_f64());
            break;
        }
        if t2.elapsed() > Duration::from_secs(900) {
            return Err(format!("dopo il riavvio solo {d} decise su {n} in 900 s"));
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    // Exactly once: one final event per request, one effect per accepted request, no job left.
    let twice = count(
        &pool,
        &format!(
            "SELECT COUNT(*) FROM (SELECT richiesta_id FROM richieste_eventi WHERE richiesta_id > {before}
             AND stato IN {FINAL} GROUP BY richiesta_id HAVING COUNT(*) > 1) doppie"
        ),
    )
    .await?;
    let accepted =
        count(&pool, &format!("SELECT COUNT(*) FROM richieste WHERE id > {before} AND stato = 'accolta'")).await?;
    let effects = count(&pool, "SELECT COUNT(*) FROM audit_log WHERE action = 'variazione_pec'").await? - audit_before;
    let left = count(&pool, "SELECT COUNT(*) FROM jobs WHERE queue = 'istruttoria' AND state <> 'done'").await?;
    println!("  decise due volte: {twice}; accolte {accepted}, effetti {effects}; lavori non conclusi: {left}");
    if twice != 0 || effects != accepted || left != 0 {
        return Err("esame non esattamente una volta".into());
    }
    match server::infra::audit::verify(&server::infra::db::readers::Readers::pool(pool.clone()))
        .await
        .map_err(|e| e.to_string())?
    {
        server::infra::audit::Verification::Intact { records } => {
            println!("  catena dell'audit integra ({records} record)")
        }
        other => return Err(format!("catena dell'audit: {other:?}")),
    }
    pool.close().await;
    Ok(())
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    sqlx::any::install_default_drivers();
    let args: Vec<String> = std::env::args().collect();
    let (Some(bin), Some(pg_admin)) = (args.get(1), args.get(2)) else {
        eprintln!("uso: chaos <binario-server> <url-amministrazione-postgres>");
        return std::process::ExitCode::from(2);
    };
    let n: usize = std::env::var("SPORTELLO_CHAOS_RICHIESTE").ok().and_then(|v| v.parse().ok()).unwrap_or(10_000);
    let dir = std::env::temp_dir().join(format!("sportello-chaos-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let name = format!("chaos_{}", std::process::id());
    let pg = create_database(pg_admin, &name).await;
    let mut result = Ok(());
    for (label, db) in [("SQLite", Ok(format!("sqlite://{}/chaos.db", dir.display()))), ("PostgreSQL", pg)] {
        println!("\n== crash test su {label} ==");
        result = match db {
            Ok(db) => run(bin, &db, n).await,
            Err(e) => Err(format!("database: {e}")),
        };
        if result.is_err() {
            break;
        }
    }
    if result.is_ok() {
        println!("\n== riavvio di PostgreSQL sotto carico ==");
        let db = create_database(pg_admin, &format!("{name}_riavvio")).await;
        result = match db {
            Ok(db) => riavvio_pg::run(bin, &db).await,
            Err(e) => Err(format!("database: {e}")),
        };
    }
    let _ = std::fs::remove_dir_all(&dir);
    if let Ok(admin) = AnyPool::connect(pg_admin).await {
        for db in [name.clone(), format!("{name}_riavvio")] {
            let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {db} WITH (FORCE)")).execute(&admin).await;
        }
    }
    match result {
        Ok(()) => {
            println!("\ncrash test: verde");
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("\ncrash test: ERRORE: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
