//! The processes the commands start: the server on a free port, a throwaway PostgreSQL cluster.

#[allow(unused_imports)]
use crate::*;
use std::env;
use std::fs;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

pub(crate) fn free_port() -> R<u16> {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| format!("porta libera: {e}"))
}

pub(crate) fn http_get_ok(addr: &str, path: &str) -> bool {
    let Ok(mut s) = TcpStream::connect(addr) else { return false };
    let _ = s.set_read_timeout(Some(Duration::from_secs(2)));
    if s.write_all(format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").as_bytes()).is_err() {
        return false;
    }
    let mut buf = [0u8; 12];
    s.read_exact(&mut buf).is_ok() && buf.starts_with(b"HTTP/1.1 200")
}

pub(crate) struct Server {
    child: Child,
}

impl Server {
    pub(crate) fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts the built server binary with demo data and waits until it answers.
pub(crate) fn start_server(release: bool, db_url: &str, addr: &str, quiet: bool) -> R<(Server, Duration)> {
    start_server_with(release, db_url, addr, quiet, &[])
}

pub(crate) fn start_server_with(
    release: bool,
    db_url: &str,
    addr: &str,
    quiet: bool,
    envs: &[(&str, &str)],
) -> R<(Server, Duration)> {
    let t0 = Instant::now();
    let mut server = spawn_server(release, db_url, addr, quiet, envs)?;
    wait_ready(&mut server, addr, t0)?;
    Ok((server, t0.elapsed()))
}

/// The bench measures the server's capacity with a few users sending thousands of requests:
/// one user's allowance is not what it measures. (The tests keep the allowance.)
const BENCH_ALLOWANCE: (&str, &str) = ("SPORTELLO_INVII_PER_MINUTO", "1000000");

/// A release server for the bench, without the per-user allowance.
pub(crate) fn start_bench_server(db_url: &str, addr: &str, envs: &[(&str, &str)]) -> R<(Server, Duration)> {
    let all: Vec<(&str, &str)> = envs.iter().copied().chain([BENCH_ALLOWANCE]).collect();
    start_server_with(true, db_url, addr, true, &all)
}

/// Several bench servers on the same database, started together (none runs alone for a while, as
/// when they would be started one after the other) and each waited for.
pub(crate) fn start_servers(db_url: &str, addrs: &[String]) -> R<Vec<Server>> {
    let t0 = Instant::now();
    let mut servers =
        addrs.iter().map(|a| spawn_server(true, db_url, a, true, &[BENCH_ALLOWANCE])).collect::<R<Vec<_>>>()?;
    for (s, a) in servers.iter_mut().zip(addrs) {
        wait_ready(s, a, t0)?;
    }
    Ok(servers)
}

fn spawn_server(release: bool, db_url: &str, addr: &str, quiet: bool, envs: &[(&str, &str)]) -> R<Server> {
    let mut c = Command::new(server_bin(release));
    c.envs(envs.iter().copied());
    c.current_dir(root())
        .env("DATABASE_URL", db_url)
        .env("LEPTOS_SITE_ADDR", addr)
        .env("LEPTOS_SITE_ROOT", "target/site")
        .env("SPORTELLO_DEMO", "1");
    if quiet {
        c.stdout(Stdio::null()).env("RUST_LOG", "warn");
    }
    let child = c.spawn().map_err(|e| format!("avvio del server: {e}"))?;
    Ok(Server { child })
}

fn wait_ready(server: &mut Server, addr: &str, t0: Instant) -> R<()> {
    while t0.elapsed() < Duration::from_secs(120) {
        if http_get_ok(addr, "/healthz") {
            return Ok(());
        }
        if let Ok(Some(s)) = server.child.try_wait() {
            return Err(format!("il server è terminato all'avvio ({s})"));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    Err("il server non ha risposto entro 120 s".into())
}

/// A throwaway PostgreSQL cluster on a free port, removed when dropped.
pub(crate) struct Postgres {
    dir: PathBuf,
    pg_ctl: PathBuf,
    opts: String,
    pub(crate) url: String,
}

impl Postgres {
    /// What the crash test needs to stop and start this cluster itself.
    pub(crate) fn control_env(&self) -> Vec<(&'static str, String)> {
        vec![
            ("SPORTELLO_CHAOS_PG_CTL", self.pg_ctl.to_string_lossy().into()),
            ("SPORTELLO_CHAOS_PG_DATA", self.dir.to_string_lossy().into()),
            ("SPORTELLO_CHAOS_PG_OPTS", self.opts.clone()),
            ("SPORTELLO_CHAOS_PG_UTENTE", if is_root() { "postgres".into() } else { String::new() }),
        ]
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        let _ = as_postgres(&self.pg_ctl, &["-D", &self.dir.to_string_lossy(), "-m", "immediate", "stop"]).status();
        let _ = fs::remove_dir_all(&self.dir);
    }
}

pub(crate) fn as_postgres(bin: &Path, args: &[&str]) -> Command {
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

pub(crate) fn pg_bin_dir() -> Option<PathBuf> {
    let mut dirs: Vec<PathBuf> =
        fs::read_dir("/usr/lib/postgresql").ok()?.filter_map(|e| e.ok()).map(|e| e.path().join("bin")).collect();
    dirs.sort();
    dirs.into_iter().rev().find(|d| d.join("initdb").exists())
}

pub(crate) fn start_postgres() -> R<Postgres> {
    if pg_bin_dir().is_none() {
        apt_install(&["postgresql"], "i test di integrazione su PostgreSQL")?;
    }
    let bin = pg_bin_dir().ok_or("PostgreSQL non trovato in /usr/lib/postgresql dopo l'installazione")?;
    // One directory per cluster: the crash test starts a second one while the first still runs.
    static CLUSTERS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = CLUSTERS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = env::temp_dir().join(format!("sportello-pg-{}-{n}", std::process::id()));
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
        opts: opts.clone(),
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
