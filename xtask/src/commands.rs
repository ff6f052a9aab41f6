//! The commands: run, test, bench, seed, audit-verify.

#[allow(unused_imports)]
use crate::*;
use std::env;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

pub(crate) fn run(release: bool) -> R<()> {
    setup(release)?;
    leptos_build(release, false)?;
    let addr = env::var("LEPTOS_SITE_ADDR").unwrap_or_else(|_| "127.0.0.1:3000".into());
    let db = env::var("DATABASE_URL").unwrap_or_else(|_| "sqlite://data/sportello.db".into());
    let s = Command::new(server_bin(release))
        .current_dir(root())
        .env("DATABASE_URL", &db)
        .env("LEPTOS_SITE_ADDR", &addr)
        .env("LEPTOS_SITE_ROOT", "target/site")
        .env("SPORTELLO_DEMO", "1")
        .status()
        .map_err(|e| format!("avvio del server: {e}"))?;
    if s.success() { Ok(()) } else { Err(format!("server terminato con {s}")) }
}

pub(crate) fn test() -> R<()> {
    let t0 = Instant::now();
    // A clean run fills target/ with about 4.3 GiB (debug, wasm, release; measured); say so up
    // front, as a full disk otherwise shows up as an obscure linker error half-way through.
    match free_disk_gib() {
        Some(gib) if gib < 6.0 => {
            eprintln!("xtask: attenzione, solo {gib:.1} GiB liberi per target/ (ne servono circa 4,5)")
        }
        Some(gib) => eprintln!("xtask: {gib:.1} GiB liberi per target/"),
        None => {}
    }
    wasm_target()?;
    let installing = install_in_background(missing_tools()?);
    npm_ci()?;
    let chromium = ensure_chromium()?;

    step("cargo fmt --check");
    status(cargo().args(["fmt", "--all", "--", "--check"]), "cargo fmt (eseguire `cargo fmt --all`)")?;

    let explicit = env::var("TEST_POSTGRES_URL")
        .ok()
        .or_else(|| env::var("DATABASE_URL").ok().filter(|u| u.starts_with("postgres")));
    let _pg_guard;
    let pg_url = match explicit {
        Some(u) => u,
        None => {
            let pg = start_postgres()?;
            let url = pg.url.clone();
            _pg_guard = pg;
            url
        }
    };

    step("clippy -D warnings e test unitari, di proprietà e di integrazione (SQLite e PostgreSQL)");
    let (rust_passed, rust_failed) = run_counting(
        with_clippy(leptos_debug_env(&mut cargo())).args(["test", "--workspace"]).env("TEST_POSTGRES_URL", &pg_url),
        "clippy e cargo test",
    )?;

    // One build for the rest: the release build, which `run --release` and `bench` serve. The
    // browser tests, Schemathesis and the crash test all run against it; a debug site built
    // only for them cost a third of CI's time (seven more WASM builds and a server link).
    installing.wait()?;
    leptos_build(true, true)?;
    // Schemathesis beside the browser tests, each with a server and a database of its own: the
    // browser tests go one at a time and leave a core idle. The crash test after them, alone:
    // it measures how long the service is away.
    let (e2e, fuzz) = std::thread::scope(|s| {
        let fuzz = s.spawn(api_fuzz);
        step("test nel browser sulla build release (Chromium headless, 360×740 e 1280×800)");
        let e2e = browser_tests(&chromium);
        (e2e, fuzz.join().map_err(|_| "schemathesis: thread interrotto".to_string()).and_then(|r| r))
    });
    let (e2e_passed, e2e_failed) = e2e?;
    fuzz?;
    chaos()?;
    if rust_passed == 0 || e2e_passed == 0 {
        return Err(format!("nessun test eseguito (Rust: {rust_passed}, browser: {e2e_passed})"));
    }
    eprintln!("\nxtask test: verde in {:.0} s (Rust {rust_passed}, browser {e2e_passed})", t0.elapsed().as_secs_f64());
    println!("{} passed, {} failed", rust_passed + e2e_passed, rust_failed + e2e_failed);
    Ok(())
}

/// Every Playwright spec against the release server on a fresh demo database. Returns the
/// passed and failed counts.
fn browser_tests(chromium: &str) -> R<(u64, u64)> {
    let dir = env::temp_dir().join(format!("sportello-e2e-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let addr = format!("127.0.0.1:{}", free_port()?);
    let db_url = format!("sqlite://{}/e2e.db", dir.display());
    let (server, _) = start_server(true, &db_url, &addr, true)?;
    let e2e = run_counting(
        Command::new("npx")
            .args(["playwright", "test"])
            .current_dir(root().join("end2end"))
            .env("BASE_URL", format!("http://{addr}"))
            .env("CHROMIUM_PATH", chromium),
        "playwright",
    );
    drop(server);
    let _ = fs::remove_dir_all(&dir);
    e2e
}

/// The crash test alone (it starts its own PostgreSQL cluster).
pub(crate) fn chaos_alone() -> R<()> {
    setup(true)?;
    leptos_build(true, false)?;
    step("compilazione del crash test");
    status(
        leptos_debug_env(&mut cargo()).args(["build", "--package", "sportello-tests", "--bin", "chaos"]),
        "cargo build",
    )?;
    chaos()
}

/// Runs a subcommand of the release server binary (seed, audit-verify) through cargo.
pub(crate) fn server_subcommand(args: &[&str], what: &str) -> R<()> {
    let mut c = cargo();
    leptos_release_env(&mut c).args(["run", "--release", "--package", "server", "--bin", "server", "--"]).args(args);
    status(&mut c, what)
}

pub(crate) fn seed(args: &[String]) -> R<()> {
    let scale =
        args.iter().position(|a| a == "--scale").and_then(|i| args.get(i + 1)).cloned().unwrap_or_else(|| "0".into());
    server_subcommand(&["seed", "--scale", &scale], "seed")
}

pub(crate) fn audit_verify() -> R<()> {
    server_subcommand(&["audit-verify"], "audit-verify")
}

pub(crate) fn file_size(p: &Path) -> u64 {
    fs::metadata(p).map(|m| m.len()).unwrap_or(0)
}

pub(crate) fn bench() -> R<()> {
    setup(true)?;
    if Command::new("sqlite3").arg("-version").output().is_err() {
        apt_install(&["sqlite3"], "il bench confronta l'esportazione CSV con la CLI sqlite3")?;
    }
    leptos_build(true, false)?;
    // Node is already required for Playwright; its zlib gives gzip and brotli sizes.
    let compressed = |p: &Path| -> (u64, u64) {
        let script = "const z=require('zlib'),f=require('fs');const b=f.readFileSync(process.argv[1]);\
            console.log(z.gzipSync(b,{level:9}).length+' '+z.brotliCompressSync(b,{params:{[z.constants.BROTLI_PARAM_QUALITY]:11}}).length)";
        let out = output(Command::new("node").args(["-e", script, &p.to_string_lossy()])).unwrap_or_default();
        let mut it = out.split_whitespace().map(|v| v.parse().unwrap_or(0));
        (it.next().unwrap_or(0), it.next().unwrap_or(0))
    };
    // Every bundle: the common JS and WASM, each area's, and the CSS.
    let pkg = root().join("target/site/pkg");
    let mut files: Vec<PathBuf> = fs::read_dir(&pkg)
        .map_err(|e| format!("{}: {e}", pkg.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("wasm" | "js" | "css")))
        .collect();
    files.sort_by_key(|p| std::cmp::Reverse(file_size(p)));
    println!("\n# cargo xtask bench\n\n## Dimensioni dei bundle (release, byte)\n");
    println!("| file | raw | gzip -9 | brotli 11 |\n|---|---|---|---|");
    for p in &files {
        let (g, b) = compressed(p);
        println!(
            "| {} | {} | {} | {} |",
            p.file_name().map(|f| f.to_string_lossy()).unwrap_or_default(),
            file_size(p),
            g,
            b
        );
    }

    let dir = env::temp_dir().join(format!("sportello-bench-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let db_url = format!("sqlite://{}/bench.db", dir.display());
    let addr = format!("127.0.0.1:{}", free_port()?);
    let (first, cold) = start_bench_server(&db_url, &addr, &[])?;
    drop(first);
    let (server, warm) = start_bench_server(&db_url, &addr, &[])?;
    println!("\n## Avvio del server (SQLite, dati dimostrativi)\n");
    println!("- primo avvio (crea, migra e popola il database): {} ms", cold.as_millis());
    println!("- avvio con database esistente: {} ms", warm.as_millis());

    // Before the load: Lighthouse times the page in an emulated phone, not the server under load.
    let chromium = ensure_chromium()?;
    let pages = [
        ("Lighthouse (mobile) su accesso, Lista Richieste, Crea Smart-Task", "lighthouse.mjs"),
        ("primo caricamento di ogni pagina (Chromium, cache vuota)", "primo_carico.mjs"),
    ];
    for (what, script) in pages {
        step(what);
        status(
            Command::new("node")
                .arg(script)
                .arg(format!("http://{addr}"))
                .current_dir(root().join("end2end"))
                .env("CHROMIUM_PATH", &chromium),
            script,
        )?;
    }

    step("carico HTTP (binario bench, release)");
    let pid = server.pid().to_string();
    let r = run_bench(&format!("http://{addr}"), &db_url, &[("SPORTELLO_BENCH_PID", &pid)]);
    drop(server);
    let r = r.and_then(|_| bench_arretrato(&db_url, 1, "SQLite, build release, un processo"));
    let _ = fs::remove_dir_all(&dir);
    r?;
    bench_postgres()
}

/// The bench binary (release) against the servers listed in `bases` (comma-separated).
fn run_bench(bases: &str, db_url: &str, envs: &[(&str, &str)]) -> R<()> {
    status(
        leptos_release_env(&mut cargo())
            .envs(envs.iter().copied())
            .args(["run", "--quiet", "--release", "--package", "sportello-tests", "--bin", "bench", "--"])
            .args([bases, db_url]),
        "bench",
    )
}

/// Smart-Task decisions on a backlog: a web-only server (no workers) takes the submissions,
/// then `deciders` server processes are started together and decide them.
fn bench_arretrato(db_url: &str, deciders: usize, titolo: &str) -> R<()> {
    step(&format!("Smart-Task su un arretrato: {titolo}"));
    let web_addr = format!("127.0.0.1:{}", free_port()?);
    let (web, _) = start_bench_server(db_url, &web_addr, &[("SPORTELLO_WORKERS", "0")])?;
    run_bench(&format!("http://{web_addr}"), db_url, &[("SPORTELLO_BENCH_SOLO", "accoda")])?;
    let addrs = (0..deciders).map(|_| free_port().map(|p| format!("127.0.0.1:{p}"))).collect::<R<Vec<_>>>()?;
    let deciding = start_servers(db_url, &addrs)?;
    let r = run_bench(
        &format!("http://{web_addr}"),
        db_url,
        &[("SPORTELLO_BENCH_SOLO", "smaltisci"), ("SPORTELLO_BENCH_TITOLO", titolo)],
    );
    drop(deciding);
    drop(web);
    r
}

/// Scale-out on PostgreSQL: the same decisions with one server process, then with two on the
/// same database (each with its own worker and group commit; jobs claimed with SKIP LOCKED).
/// The throwaway cluster runs without fsync (as in the tests): the raw-insert baseline printed
/// beside each figure is measured on the same cluster in the same run.
fn bench_postgres() -> R<()> {
    let pg = start_postgres()?;
    let (a, b) = (format!("127.0.0.1:{}", free_port()?), format!("127.0.0.1:{}", free_port()?));
    let run = |bases: &str, pid: u32, titolo: &str| {
        let pid = pid.to_string();
        let envs = [
            ("SPORTELLO_BENCH_PID", pid.as_str()),
            ("SPORTELLO_BENCH_SOLO", "decisioni"),
            ("SPORTELLO_BENCH_TITOLO", titolo),
        ];
        run_bench(bases, &pg.url, &envs)
    };
    step("PostgreSQL: decisioni con un processo server");
    let (first, _) = start_bench_server(&pg.url, &a, &[])?;
    run(&format!("http://{a}"), first.pid(), "PostgreSQL, build release, un processo")?;
    step("PostgreSQL: decisioni con due processi server sullo stesso database");
    let (second, _) = start_bench_server(&pg.url, &b, &[])?;
    run(&format!("http://{a},http://{b}"), first.pid(), "PostgreSQL, build release, due processi")?;
    drop(second);
    drop(first);
    bench_arretrato(&pg.url, 1, "PostgreSQL, build release, un processo")?;
    bench_arretrato(&pg.url, 2, "PostgreSQL, build release, due processi")
}
