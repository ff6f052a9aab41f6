//! Faults and hostile input: Schemathesis (PyPI, pinned) against the OpenAPI document, signed
//! in as each kind of user (tests/schemathesis/run.py, allowances in schemathesis.toml); the
//! crash test of the examination (tests/src/bin/chaos.rs) on SQLite and PostgreSQL.

#[allow(unused_imports)]
use crate::*;
use std::env;
use std::fs;
use std::path::PathBuf;
use std::process::Command;

const SCHEMATHESIS: &str = "4.32.5";

/// A virtualenv under target/ with exactly the pinned Schemathesis; its python.
fn ensure_schemathesis() -> R<PathBuf> {
    let venv = root().join("target/schemathesis-venv");
    let bin = venv.join("bin");
    let version = output(Command::new(bin.join("schemathesis")).arg("--version")).unwrap_or_default();
    if version == format!("schemathesis, version {SCHEMATHESIS}") {
        return Ok(bin.join("python"));
    }
    step(&format!("installazione di schemathesis {SCHEMATHESIS} (PyPI, in target/schemathesis-venv)"));
    let _ = fs::remove_dir_all(&venv);
    let mk = || Command::new("python3").arg("-m").arg("venv").arg(&venv).status().map(|s| s.success()).unwrap_or(false);
    if !mk() {
        apt_install(&["python3-venv"], "Schemathesis richiede un ambiente virtuale Python")?;
        if !mk() {
            return Err("python3 -m venv non riuscito".into());
        }
    }
    status(
        Command::new(bin.join("pip")).args(["install", "--quiet", &format!("schemathesis=={SCHEMATHESIS}")]),
        "pip install schemathesis",
    )?;
    Ok(bin.join("python"))
}

/// A server of its own with the demo data (the release build, as for the browser tests),
/// per-user submission limits lifted: the run sends thousands of requests as one user.
pub(crate) fn api_fuzz() -> R<()> {
    let python = ensure_schemathesis()?;
    step("Schemathesis su /api/v1 (ogni ruolo dimostrativo)");
    let dir = env::temp_dir().join(format!("sportello-schemathesis-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let addr = format!("127.0.0.1:{}", free_port()?);
    let db_url = format!("sqlite://{}/api.db", dir.display());
    let limits = [("SPORTELLO_INVII_PER_MINUTO", "100000"), ("SPORTELLO_COMUNICAZIONI_PER_ORA", "100000")];
    let (server, _) = start_server_with(true, &db_url, &addr, true, &limits)?;
    // It runs beside the browser tests: its report is printed whole when it ends, not
    // interleaved with theirs.
    let out = Command::new(python)
        .arg(root().join("tests/schemathesis/run.py"))
        .arg(format!("http://{addr}"))
        .output()
        .map_err(|e| format!("schemathesis: impossibile avviare: {e}"));
    drop(server);
    let _ = fs::remove_dir_all(&dir);
    let out = out?;
    step("Schemathesis: il rapporto");
    println!("{}", String::from_utf8_lossy(&out.stdout));
    eprintln!("{}", String::from_utf8_lossy(&out.stderr));
    if out.status.success() { Ok(()) } else { Err(format!("schemathesis: terminato con {}", out.status)) }
}

/// SIGKILL with thousands of requests queued and in the middle of their examination, on both
/// engines, and PostgreSQL stopped and started under load (the release server binary, built for
/// the browser tests). A PostgreSQL cluster of its own, as the test stops it.
///
/// The test binary is the one `cargo test --workspace` built (`target/debug/chaos`): a
/// `cargo run` here resolves the features of one package, not the workspace's, and compiled
/// the server and the app again (2.5 minutes of a clean CI run).
pub(crate) fn chaos() -> R<()> {
    step("crash test: SIGKILL durante l'esame (SQLite e PostgreSQL), riavvio di PostgreSQL sotto carico");
    let pg = start_postgres()?;
    status(
        Command::new(root().join("target/debug/chaos"))
            .current_dir(root())
            .arg(server_bin(true))
            .arg(&pg.url)
            .envs(pg.control_env()),
        "crash test",
    )
}
