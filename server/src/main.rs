//! `server [serve]` · `server seed [--scale N] [--prestazioni N]` · `server audit-verify` · `server migrate` ·
//! `server import-f24 FILE` · `server pay-run --month AAAA-MM`

use server::infra::audit;
use server::{Config, Db, seed};
use std::process::ExitCode;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn usage() -> ExitCode {
    eprintln!(
        "uso: server [serve | migrate | seed [--scale N] [--prestazioni N] | audit-verify | import-f24 FILE | pay-run --month AAAA-MM]"
    );
    ExitCode::from(2)
}

#[tokio::main]
async fn main() -> ExitCode {
    // Before any connection is opened (see there).
    let fast_sqlite = server::infra::db::direct::without_memory_statistics();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,sqlx=warn,tower_http=warn".into()),
        )
        .init();
    if !fast_sqlite {
        tracing::warn!("statistiche di memoria di SQLite non disattivate: SQLite era già in uso");
    }
    let args: Vec<String> = std::env::args().skip(1).collect();
    let config = match Config::from_env() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("configurazione non valida: {e}");
            return ExitCode::from(2);
        }
    };
    let result = match args.first().map(String::as_str) {
        None | Some("serve") => serve(config).await,
        Some("migrate") => migrate(&config).await.map(|_| ()),
        Some("seed") => {
            let (Some(scale), Some(prestazioni)) = (flag(&args, "--scale"), flag(&args, "--prestazioni")) else {
                return usage();
            };
            seed_cmd(&config, scale.unwrap_or(0), prestazioni).await
        }
        Some("audit-verify") => return audit_verify(&config).await,
        Some("import-f24") => match args.get(1) {
            Some(file) => import_f24(&config, file).await,
            None => return usage(),
        },
        Some("pay-run") => match args.iter().position(|a| a == "--month").and_then(|i| args.get(i + 1)) {
            Some(mese) => pay_run(&config, mese).await,
            None => return usage(),
        },
        Some(_) => return usage(),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("errore: {e}");
            ExitCode::FAILURE
        }
    }
}

/// `Some(None)` when the flag is absent, `None` when its value is missing or not a number.
fn flag<T: std::str::FromStr>(args: &[String], name: &str) -> Option<Option<T>> {
    match args.iter().position(|a| a == name) {
        None => Some(None),
        Some(i) => args.get(i + 1).and_then(|v| v.parse().ok()).map(Some),
    }
}

async fn migrate(config: &Config) -> Result<Db, server::AppError> {
    let db = Db::connect(&config.database_url).await?;
    db.migrate().await?;
    Ok(db)
}

async fn seed_cmd(config: &Config, scale: u32, prestazioni: Option<i64>) -> Result<(), server::AppError> {
    let db = migrate(config).await?;
    let started = std::time::Instant::now();
    let r = seed::seed(&db, scale, 2026).await?;
    println!(
        "dati dimostrativi: {}; aziende generate: {} in {:.1} s",
        if r.seeded_demo { "creati" } else { "già presenti" },
        r.companies_added,
        started.elapsed().as_secs_f64()
    );
    if let Some(target) = prestazioni {
        let started = std::time::Instant::now();
        let added = seed::presto_scala::grow_prestazioni(&db, target).await?;
        println!("prestazioni generate: {added} in {:.1} s", started.elapsed().as_secs_f64());
    }
    db.close().await;
    Ok(())
}

async fn audit_verify(config: &Config) -> ExitCode {
    let db = match migrate(config).await {
        Ok(db) => db,
        Err(e) => {
            eprintln!("errore: {e}");
            return ExitCode::FAILURE;
        }
    };
    match audit::verify(&db.read).await {
        Ok(audit::Verification::Intact { records }) => {
            println!("registro di audit integro: {records} record verificati");
            ExitCode::SUCCESS
        }
        Ok(audit::Verification::Broken { seq, reason }) => {
            println!("registro di audit ALTERATO: primo record non valido n. {seq}: {reason}");
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("errore: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Loads an F24 flow file and prints the outcome of every line.
async fn import_f24(config: &Config, file: &str) -> Result<(), server::AppError> {
    let bytes = std::fs::read(file).map_err(|e| server::AppError::Internal(format!("lettura di {file}: {e}")))?;
    let db = migrate(config).await?;
    let services = server::services::Services::new(db, config.clone());
    let r = services.import_f24(&audit::Actor::system("import-f24"), &bytes).await?;
    for l in &r.righe {
        println!("riga {:>6} {:<20} {:<13} {}", l.riga, l.id_riga, l.esito, l.messaggio);
    }
    println!(
        "accreditate {}, non abbinate {}, già presenti {}, scartate {}",
        r.accreditate, r.non_abbinate, r.gia_presenti, r.scartate
    );
    services.db.close().await;
    Ok(())
}

/// Pays the prestatori for one month (idempotent).
async fn pay_run(config: &Config, mese: &str) -> Result<(), server::AppError> {
    let db = migrate(config).await?;
    let services = server::services::Services::new(db, config.clone());
    let r = services.pay_run(&audit::Actor::system("pay-run"), mese).await?;
    println!("{}: {} pagamenti per {} prestazioni, totale {}", r.mese, r.pagamenti, r.prestazioni, r.totale);
    services.db.close().await;
    Ok(())
}

async fn serve(config: Config) -> Result<(), server::AppError> {
    let mut leptos_options = server::leptos_options_from_env()?;
    leptos_options.site_addr = config.bind;
    let started = std::time::Instant::now();
    let (router, services) = server::build(config.clone(), leptos_options).await?;
    let demo = std::env::var("SPORTELLO_DEMO").is_ok_and(|v| v == "1");
    if demo {
        let r = seed::seed(&services.db, 0, 2026).await?;
        if r.seeded_demo {
            tracing::info!("dati dimostrativi creati");
        }
    }
    let listener = tokio::net::TcpListener::bind(config.bind)
        .await
        .map_err(|e| server::AppError::Internal(format!("impossibile ascoltare su {}: {e}", config.bind)))?;
    println!("Sportello in ascolto su http://{} (pronto in {} ms)", config.bind, started.elapsed().as_millis());
    if demo {
        println!("\nAccessi dimostrativi (password per tutti: {}):", seed::DEMO_PASSWORD);
        for (user, role, note) in seed::DEMO_LOGINS {
            let note = if note.is_empty() { String::new() } else { format!(" – {note}") };
            println!("  {user:<22} {role}{note}");
        }
        println!();
    }
    server::serve(listener, router, async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await
    .map_err(|e| server::AppError::Internal(format!("server: {e}")))?;
    services.db.close().await;
    Ok(())
}
