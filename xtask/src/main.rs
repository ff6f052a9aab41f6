//! `cargo xtask run | test | bench | seed --scale N | audit-verify`
//!
//! Each step installs what it needs when it is missing (idempotently) and fails loudly, saying
//! what to do, when something cannot be installed. Standard library only, so it builds in seconds.

use std::env;
use std::fs;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

const CARGO_LEPTOS_VERSION: &str = "0.3.8";
const OUTPUT_NAME: &str = "sportello";

type R<T> = Result<T, String>;

fn main() -> ExitCode {
    let args: Vec<String> = env::args().skip(1).collect();
    let release = args.iter().any(|a| a == "--release");
    let result = match args.first().map(String::as_str) {
        Some("run") => run(release),
        Some("test") => test(),
        Some("bench") => bench(),
        Some("seed") => seed(&args[1..]),
        Some("audit-verify") => audit_verify(),
        Some("setup") => setup(true),
        _ => {
            eprintln!("uso: cargo xtask <run [--release] | test | bench | seed --scale N | audit-verify | setup>");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("\nxtask: ERRORE: {e}");
            if let Some(gib) = free_disk_gib() {
                eprintln!("xtask: spazio libero sul disco di target/: {gib:.1} GiB");
            }
            ExitCode::FAILURE
        }
    }
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).parent().map(Path::to_path_buf).unwrap_or_default()
}

fn step(msg: &str) {
    eprintln!("\n==> {msg}");
}

fn cargo() -> Command {
    let mut c = Command::new(env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    c.current_dir(root());
    c
}

/// The environment cargo-leptos gives debug builds: using the same for tests and clippy lets
/// them share one set of compiled dependencies instead of building everything twice.
fn leptos_debug_env(c: &mut Command) -> &mut Command {
    c.env("RUSTFLAGS", "--cfg erase_components").env("LEPTOS_OUTPUT_NAME", OUTPUT_NAME)
}

/// Release builds: cargo-leptos sets no RUSTFLAGS, but LEPTOS_OUTPUT_NAME is read at compile
/// time, so a plain `cargo run --release` must set it too or it rebuilds every leptos crate.
fn leptos_release_env(c: &mut Command) -> &mut Command {
    c.env("LEPTOS_OUTPUT_NAME", OUTPUT_NAME)
}

fn status(c: &mut Command, what: &str) -> R<()> {
    let s = c.status().map_err(|e| format!("{what}: impossibile avviare: {e}"))?;
    if s.success() { Ok(()) } else { Err(format!("{what}: terminato con {s}")) }
}

/// Runs a test command, streaming its output, and counts what it reports: cargo's
/// `test result: … N passed; M failed` lines and Playwright's `N passed` / `N failed` lines.
fn run_counting(c: &mut Command, what: &str) -> R<(u64, u64)> {
    use std::io::BufRead;
    let mut child = c.stdout(Stdio::piped()).spawn().map_err(|e| format!("{what}: impossibile avviare: {e}"))?;
    let (mut passed, mut failed) = (0u64, 0u64);
    if let Some(out) = child.stdout.take() {
        for line in std::io::BufReader::new(out).lines().map_while(Result::ok) {
            println!("{line}");
            let words: Vec<&str> = line.split_whitespace().collect();
            for w in words.windows(2) {
                let n = w[0].parse::<u64>().ok();
                match (n, w[1].trim_end_matches([';', ','])) {
                    (Some(n), "passed") => passed += n,
                    (Some(n), "failed") => failed += n,
                    _ => {}
                }
            }
        }
    }
    let s = child.wait().map_err(|e| format!("{what}: {e}"))?;
    if s.success() { Ok((passed, failed)) } else { Err(format!("{what}: terminato con {s} ({failed} test falliti)")) }
}

fn output(c: &mut Command) -> Option<String> {
    c.output().ok().filter(|o| o.status.success()).map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
}

/// Free space on the file system holding target/, from `df` (None where df is missing).
fn free_disk_gib() -> Option<f64> {
    let out = output(Command::new("df").arg("-Pk").arg(root()))?;
    let kib: f64 = out.lines().nth(1)?.split_whitespace().nth(3)?.parse().ok()?;
    Some(kib / 1024.0 / 1024.0)
}

fn is_root() -> bool {
    output(Command::new("id").arg("-u")).as_deref() == Some("0")
}

fn apt_install(pkgs: &[&str], why: &str) -> R<()> {
    if !is_root() {
        return Err(format!(
            "{why}: manca il pacchetto Debian {}; installarlo con `sudo apt-get install -y {}`",
            pkgs.join(" "),
            pkgs.join(" ")
        ));
    }
    step(&format!("installazione di {} (apt)", pkgs.join(" ")));
    let install =
        |c: &mut Command| c.env("DEBIAN_FRONTEND", "noninteractive").args(["install", "-y", "-q"]).args(pkgs).status();
    if install(&mut Command::new("apt-get")).map(|s| s.success()).unwrap_or(false) {
        return Ok(());
    }
    status(Command::new("apt-get").args(["update", "-q"]), "apt-get update")?;
    let s = install(&mut Command::new("apt-get")).map_err(|e| e.to_string())?;
    if s.success() { Ok(()) } else { Err(format!("apt-get install {} non riuscito", pkgs.join(" "))) }
}

fn locked_version(krate: &str) -> R<String> {
    let lock = fs::read_to_string(root().join("Cargo.lock")).map_err(|e| format!("Cargo.lock: {e}"))?;
    let mut lines = lock.lines();
    while let Some(l) = lines.next() {
        if l == format!("name = \"{krate}\"")
            && let Some(v) = lines.next().and_then(|v| v.strip_prefix("version = \""))
        {
            return Ok(v.trim_end_matches('"').to_string());
        }
    }
    Err(format!("{krate} non trovato in Cargo.lock"))
}

/// Installs what the build needs: wasm32 target, cargo-leptos (pinned), wasm-bindgen-cli
/// (exactly Cargo.lock's version: cargo-leptos does not compare them), npm packages (Playwright
/// and binaryen's wasm-opt).
fn setup(with_npm: bool) -> R<()> {
    let targets = output(Command::new("rustup").args(["target", "list", "--installed"])).unwrap_or_default();
    if !targets.lines().any(|l| l.trim() == "wasm32-unknown-unknown") {
        step("aggiunta del target wasm32-unknown-unknown");
        status(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]), "rustup target add")?;
    }
    let leptos = output(cargo().args(["leptos", "--version"])).unwrap_or_default();
    if leptos != format!("cargo-leptos {CARGO_LEPTOS_VERSION}") {
        step(&format!(
            "installazione di cargo-leptos {CARGO_LEPTOS_VERSION} (circa 17 minuti su 2 core, una volta sola)"
        ));
        status(
            cargo().args([
                "install",
                &format!("cargo-leptos@{CARGO_LEPTOS_VERSION}"),
                "--locked",
                "--features",
                "no_downloads",
            ]),
            "cargo install cargo-leptos",
        )?;
    }
    let wanted = locked_version("wasm-bindgen")?;
    let have = output(Command::new("wasm-bindgen").arg("--version")).unwrap_or_default();
    if have.split_whitespace().nth(1) != Some(wanted.as_str()) {
        step(&format!("installazione di wasm-bindgen-cli {wanted} (versione di Cargo.lock; trovata: '{have}')"));
        // Without --locked: its own lock file pins a crate version the registry no longer has.
        status(
            cargo().args(["install", "wasm-bindgen-cli", "--version", &wanted, "--force"]),
            "cargo install wasm-bindgen-cli",
        )?;
    }
    if with_npm {
        npm_ci()?;
    }
    Ok(())
}

fn npm_ci() -> R<()> {
    let dir = root().join("end2end");
    if output(Command::new("npm").arg("--version")).is_none() {
        apt_install(&["nodejs", "npm"], "i test nel browser richiedono Node.js")?;
    }
    let marker = dir.join("node_modules/.package-lock.json");
    let lock = dir.join("package-lock.json");
    let fresh = match (fs::metadata(&marker).and_then(|m| m.modified()), fs::metadata(&lock).and_then(|m| m.modified()))
    {
        (Ok(a), Ok(b)) => a >= b,
        _ => false,
    };
    if !fresh {
        step("npm ci (Playwright, binaryen)");
        status(Command::new("npm").args(["ci", "--no-audit", "--no-fund"]).current_dir(&dir), "npm ci")?;
    }
    Ok(())
}

/// PATH with end2end's npm binaries first, so cargo-leptos finds binaryen's wasm-opt
/// (Debian's binaryen produces WASM that fails to hydrate).
fn path_with_npm_bin() -> String {
    format!("{}:{}", root().join("end2end/node_modules/.bin").display(), env::var("PATH").unwrap_or_default())
}

fn leptos_build(release: bool) -> R<()> {
    step(&format!("cargo leptos build{}", if release { " --release" } else { "" }));
    let mut c = cargo();
    c.args(["leptos", "build"]).env("PATH", path_with_npm_bin());
    if release {
        c.arg("--release");
    }
    status(&mut c, "cargo leptos build")
}

fn server_bin(release: bool) -> PathBuf {
    root().join("target").join(if release { "release" } else { "debug" }).join("server")
}

fn free_port() -> R<u16> {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| format!("porta libera: {e}"))
}

fn http_get_ok(addr: &str, path: &str) -> bool {
    let Ok(mut s) = TcpStream::connect(addr) else { return false };
    let _ = s.set_read_timeout(Some(Duration::from_secs(2)));
    if s.write_all(format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").as_bytes()).is_err() {
        return false;
    }
    let mut buf = [0u8; 12];
    s.read_exact(&mut buf).is_ok() && buf.starts_with(b"HTTP/1.1 200")
}

struct Server {
    child: Child,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts the built server binary with demo data and waits until it answers.
fn start_server(release: bool, db_url: &str, addr: &str, quiet: bool) -> R<(Server, Duration)> {
    let t0 = Instant::now();
    let mut c = Command::new(server_bin(release));
    c.current_dir(root())
        .env("DATABASE_URL", db_url)
        .env("LEPTOS_SITE_ADDR", addr)
        .env("LEPTOS_SITE_ROOT", "target/site")
        .env("SPORTELLO_DEMO", "1");
    if quiet {
        c.stdout(Stdio::null()).env("RUST_LOG", "warn");
    }
    let child = c.spawn().map_err(|e| format!("avvio del server: {e}"))?;
    let mut server = Server { child };
    while t0.elapsed() < Duration::from_secs(120) {
        if http_get_ok(addr, "/healthz") {
            return Ok((server, t0.elapsed()));
        }
        if let Ok(Some(s)) = server.child.try_wait() {
            return Err(format!("il server è terminato all'avvio ({s})"));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    Err("il server non ha risposto entro 120 s".into())
}

fn run(release: bool) -> R<()> {
    setup(release)?;
    leptos_build(release)?;
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

/// A throwaway PostgreSQL cluster on a free port, removed when dropped.
struct Postgres {
    dir: PathBuf,
    pg_ctl: PathBuf,
    url: String,
}

impl Drop for Postgres {
    fn drop(&mut self) {
        let _ = as_postgres(&self.pg_ctl, &["-D", &self.dir.to_string_lossy(), "-m", "immediate", "stop"]).status();
        let _ = fs::remove_dir_all(&self.dir);
    }
}

fn as_postgres(bin: &Path, args: &[&str]) -> Command {
    if is_root() {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--"]).arg(bin).args(args);
        c
    } else {
        let mut c = Command::new(bin);
        c.args(args);
        c
    }
}

fn pg_bin_dir() -> Option<PathBuf> {
    let mut dirs: Vec<PathBuf> =
        fs::read_dir("/usr/lib/postgresql").ok()?.filter_map(|e| e.ok()).map(|e| e.path().join("bin")).collect();
    dirs.sort();
    dirs.into_iter().rev().find(|d| d.join("initdb").exists())
}

fn start_postgres() -> R<Postgres> {
    if pg_bin_dir().is_none() {
        apt_install(&["postgresql"], "i test di integrazione su PostgreSQL")?;
    }
    let bin = pg_bin_dir().ok_or("PostgreSQL non trovato in /usr/lib/postgresql dopo l'installazione")?;
    let dir = env::temp_dir().join(format!("sportello-pg-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    if is_root() {
        status(Command::new("chown").args(["postgres:postgres"]).arg(&dir), "chown")?;
    }
    let d = dir.to_string_lossy().to_string();
    step("avvio di un cluster PostgreSQL temporaneo");
    let out = as_postgres(&bin.join("initdb"), &["-D", &d, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync"])
        .output()
        .map_err(|e| format!("initdb: {e}"))?;
    if !out.status.success() {
        return Err(format!("initdb: {}", String::from_utf8_lossy(&out.stderr)));
    }
    let port = free_port()?;
    let opts = format!(
        "-p {port} -k {d} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
    );
    let pg = Postgres {
        dir: dir.clone(),
        pg_ctl: bin.join("pg_ctl"),
        url: format!("postgres://postgres@127.0.0.1:{port}/postgres"),
    };
    let log = format!("{d}/postgres.log");
    let s = as_postgres(&pg.pg_ctl, &["-D", &d, "-o", &opts, "-l", &log, "-w", "start"])
        .status()
        .map_err(|e| format!("pg_ctl: {e}"))?;
    if !s.success() {
        return Err(format!("pg_ctl start non riuscito; log: {}", fs::read_to_string(&log).unwrap_or_default()));
    }
    Ok(pg)
}

fn ensure_chromium() -> R<String> {
    let path = env::var("CHROMIUM_PATH").unwrap_or_else(|_| "/usr/bin/chromium".into());
    if !Path::new(&path).exists() {
        apt_install(&["chromium"], "i test nel browser usano Chromium headless")?;
    }
    if Path::new(&path).exists() { Ok(path) } else { Err(format!("Chromium non trovato in {path}")) }
}

fn test() -> R<()> {
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
    setup(true)?;
    let chromium = ensure_chromium()?;

    step("cargo fmt --check");
    status(cargo().args(["fmt", "--all", "--", "--check"]), "cargo fmt (eseguire `cargo fmt --all`)")?;

    step("clippy (nativo)");
    status(
        leptos_debug_env(&mut cargo()).args(["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"]),
        "clippy",
    )?;
    step("clippy (wasm32, hydrate)");
    status(
        leptos_debug_env(&mut cargo()).args([
            "clippy",
            "--package=app",
            "--lib",
            "--target-dir=target/front",
            "--target=wasm32-unknown-unknown",
            "--no-default-features",
            "--features=hydrate",
            "--",
            "-D",
            "warnings",
        ]),
        "clippy wasm32",
    )?;

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

    step("test unitari, di proprietà e di integrazione (SQLite e PostgreSQL)");
    let (rust_passed, rust_failed) = run_counting(
        leptos_debug_env(&mut cargo()).args(["test", "--workspace"]).env("TEST_POSTGRES_URL", &pg_url),
        "cargo test",
    )?;

    leptos_build(false)?;
    step("test nel browser (Chromium headless, 360×740 e 1280×800)");
    let dir = env::temp_dir().join(format!("sportello-e2e-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let addr = format!("127.0.0.1:{}", free_port()?);
    let db_url = format!("sqlite://{}/e2e.db", dir.display());
    let (server, _) = start_server(false, &db_url, &addr, true)?;
    let e2e = run_counting(
        Command::new("npx")
            .args(["playwright", "test"])
            .current_dir(root().join("end2end"))
            .env("BASE_URL", format!("http://{addr}"))
            .env("CHROMIUM_PATH", &chromium),
        "playwright",
    );
    drop(server);
    let _ = fs::remove_dir_all(&dir);
    let (e2e_passed, e2e_failed) = e2e?;
    if rust_passed == 0 || e2e_passed == 0 {
        return Err(format!("nessun test eseguito (Rust: {rust_passed}, browser: {e2e_passed})"));
    }
    // Debug builds erase the pages' view types (`erase_components`); release builds
    // (`run --release`, `bench`) do not, and have failed where debug passed (type depth). Build
    // release too, after the tests so that their site is not replaced while they run.
    leptos_build(true)?;
    eprintln!("\nxtask test: verde in {:.0} s (Rust {rust_passed}, browser {e2e_passed})", t0.elapsed().as_secs_f64());
    println!("{} passed, {} failed", rust_passed + e2e_passed, rust_failed + e2e_failed);
    Ok(())
}

/// Runs a subcommand of the release server binary (seed, audit-verify) through cargo.
fn server_subcommand(args: &[&str], what: &str) -> R<()> {
    let mut c = cargo();
    leptos_release_env(&mut c).args(["run", "--release", "--package", "server", "--bin", "server", "--"]).args(args);
    status(&mut c, what)
}

fn seed(args: &[String]) -> R<()> {
    let scale =
        args.iter().position(|a| a == "--scale").and_then(|i| args.get(i + 1)).cloned().unwrap_or_else(|| "0".into());
    server_subcommand(&["seed", "--scale", &scale], "seed")
}

fn audit_verify() -> R<()> {
    server_subcommand(&["audit-verify"], "audit-verify")
}

fn file_size(p: &Path) -> u64 {
    fs::metadata(p).map(|m| m.len()).unwrap_or(0)
}

fn bench() -> R<()> {
    setup(true)?;
    leptos_build(true)?;
    let wasm = root().join(format!("target/site/pkg/{OUTPUT_NAME}.wasm"));
    let js = root().join(format!("target/site/pkg/{OUTPUT_NAME}.js"));
    let css = root().join(format!("target/site/pkg/{OUTPUT_NAME}.css"));
    // Node is already required for Playwright; its zlib gives gzip and brotli sizes.
    let compressed = |p: &Path| -> (u64, u64) {
        let script = "const z=require('zlib'),f=require('fs');const b=f.readFileSync(process.argv[1]);\
            console.log(z.gzipSync(b,{level:9}).length+' '+z.brotliCompressSync(b,{params:{[z.constants.BROTLI_PARAM_QUALITY]:11}}).length)";
        let out = output(Command::new("node").args(["-e", script, &p.to_string_lossy()])).unwrap_or_default();
        let mut it = out.split_whitespace().map(|v| v.parse().unwrap_or(0));
        (it.next().unwrap_or(0), it.next().unwrap_or(0))
    };
    println!("\n# cargo xtask bench\n\n## Dimensioni (release, byte)\n");
    println!("| file | raw | gzip -9 | brotli 11 |\n|---|---|---|---|");
    for p in [&wasm, &js, &css] {
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
    let (first, cold) = start_server(true, &db_url, &addr, true)?;
    drop(first);
    let (server, warm) = start_server(true, &db_url, &addr, true)?;
    println!("\n## Avvio del server (SQLite, dati dimostrativi)\n");
    println!("- primo avvio (crea, migra e popola il database): {} ms", cold.as_millis());
    println!("- avvio con database esistente: {} ms", warm.as_millis());

    step("carico HTTP (binario bench, release)");
    let r = status(
        leptos_release_env(&mut cargo()).args([
            "run",
            "--quiet",
            "--release",
            "--package",
            "sportello-tests",
            "--bin",
            "bench",
            "--",
            &format!("http://{addr}"),
            &db_url,
        ]),
        "bench",
    );
    drop(server);
    let _ = fs::remove_dir_all(&dir);
    r
}
