//! `cargo xtask run | test | bench | chaos | seed --scale N | audit-verify`
//!
//! Each step installs what it needs when it is missing (idempotently) and fails loudly, saying
//! what to do, when something cannot be installed. Standard library only, so it builds in seconds.

mod commands;
mod faults;
mod layout;
mod processes;
mod setup;
mod tools;

use commands::*;
use faults::*;
use processes::*;
use setup::*;
use std::env;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use tools::*;

const CARGO_LEPTOS_VERSION: &str = "0.3.8";
const OUTPUT_NAME: &str = "sportello";

type R<T> = Result<T, String>;

fn main() -> ExitCode {
    STARTED.get_or_init(std::time::Instant::now);
    let args: Vec<String> = env::args().skip(1).collect();
    let release = args.iter().any(|a| a == "--release");
    let result = match args.first().map(String::as_str) {
        Some("run") => run(release),
        Some("test") => test(),
        Some("bench") => bench(),
        Some("seed") => seed(&args[1..]),
        Some("audit-verify") => audit_verify(),
        Some("setup") => setup(true),
        Some("chaos") => chaos_alone(),
        _ => {
            eprintln!(
                "uso: cargo xtask <run [--release] | test | bench | chaos | seed --scale N | audit-verify | setup>"
            );
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

/// When the command started: every step says how long after it began, so that a slow CI run
/// shows where its time went.
static STARTED: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();

fn step(msg: &str) {
    let s = STARTED.get_or_init(std::time::Instant::now).elapsed().as_secs();
    eprintln!("\n==> [{:02}:{:02}] {msg}", s / 60, s % 60);
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

/// Release builds: what cargo-leptos sets for the server (`always-erase-components` in
/// Cargo.toml), so that a plain `cargo run --release` does not rebuild every leptos crate.
fn leptos_release_env(c: &mut Command) -> &mut Command {
    c.env("RUSTFLAGS", "--cfg erase_components").env("LEPTOS_OUTPUT_NAME", OUTPUT_NAME)
}

/// Clippy as the compiler of the workspace's own crates (`-D warnings`), as `cargo clippy`
/// runs it: a build made this way lints and compiles in one pass. On a clean machine the
/// separate `cargo clippy` checks (native and wasm32) took 18 of CI's minutes, compiling every
/// dependency a second and a third time in check mode.
fn with_clippy(c: &mut Command) -> &mut Command {
    let driver =
        output(Command::new("rustup").args(["which", "clippy-driver"])).unwrap_or_else(|| "clippy-driver".into());
    c.env("RUSTC_WORKSPACE_WRAPPER", driver).env("CLIPPY_ARGS", "-D__CLIPPY_HACKERY__warnings__CLIPPY_HACKERY__")
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
