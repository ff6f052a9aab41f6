//! The tools `cargo install` adds: cargo-leptos and wasm-bindgen-cli, when missing or at another
//! version. `cargo xtask test` installs them in the background while it checks and tests the
//! code, which needs neither: a clean machine spends more than 20 minutes compiling them.

#[allow(unused_imports)]
use crate::*;
use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};
use std::thread::JoinHandle;
use std::time::Instant;

pub(crate) struct Tool {
    what: String,
    args: Vec<String>,
}

/// The tools not yet installed at the wanted version.
pub(crate) fn missing_tools() -> R<Vec<Tool>> {
    let mut missing = Vec::new();
    let leptos = output(cargo().args(["leptos", "--version"])).unwrap_or_default();
    if leptos != format!("cargo-leptos {CARGO_LEPTOS_VERSION}") {
        missing.push(Tool {
            what: format!("cargo-leptos {CARGO_LEPTOS_VERSION}"),
            args: [
                // The tool's own profile asks for fat LTO in one codegen unit, and maximal
                // optimisation: minutes of a single core for a build tool that spends its time
                // waiting for cargo. Its code and features are the same.
                "--config",
                "profile.release.lto=false",
                "--config",
                "profile.release.codegen-units=16",
                "--config",
                "profile.release.opt-level=1",
                "install",
                &format!("cargo-leptos@{CARGO_LEPTOS_VERSION}"),
                "--locked",
                "--features",
                "no_downloads",
            ]
            .map(String::from)
            .to_vec(),
        });
    }
    let wanted = locked_version("wasm-bindgen")?;
    let have = output(Command::new("wasm-bindgen").arg("--version")).unwrap_or_default();
    if have.split_whitespace().nth(1) != Some(wanted.as_str()) {
        missing.push(Tool {
            what: format!("wasm-bindgen-cli {wanted} (versione di Cargo.lock; trovata: '{have}')"),
            // Without --locked: its own lock file pins a crate version the registry no longer has.
            args: ["install", "wasm-bindgen-cli", "--version", &wanted, "--force"].map(String::from).to_vec(),
        });
    }
    Ok(missing)
}

impl Tool {
    pub(crate) fn install_here(&self) -> R<()> {
        step(&format!("installazione di {}", self.what));
        status(cargo().args(&self.args), &format!("cargo install ({})", self.what))
    }
}

/// Installs the missing tools one after the other, at the lowest priority (the foreground's
/// compiler goes first; the installation fills the time it leaves a core idle), with their
/// output in a log file. `wait` returns when they are installed.
pub(crate) struct Installing(Option<JoinHandle<R<()>>>);

pub(crate) fn install_in_background(tools: Vec<Tool>) -> Installing {
    if tools.is_empty() {
        return Installing(None);
    }
    let log = root().join("target/xtask-installazione.log");
    step(&format!(
        "installazione in sottofondo di {} (registro: {})",
        tools.iter().map(|t| t.what.as_str()).collect::<Vec<_>>().join(", "),
        log.display()
    ));
    Installing(Some(std::thread::spawn(move || {
        for tool in tools {
            install_logged(&tool, &log)?;
        }
        Ok(())
    })))
}

fn install_logged(tool: &Tool, log: &Path) -> R<()> {
    let t0 = Instant::now();
    if let Some(dir) = log.parent() {
        fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    let file = fs::File::create(log).map_err(|e| format!("{}: {e}", log.display()))?;
    let err = file.try_clone().map_err(|e| format!("{}: {e}", log.display()))?;
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let s = Command::new("nice")
        .args(["-n", "19", &cargo])
        .args(&tool.args)
        .current_dir(root())
        .stdout(Stdio::from(file))
        .stderr(Stdio::from(err))
        .status()
        .map_err(|e| format!("cargo install ({}): impossibile avviare: {e}", tool.what))?;
    if !s.success() {
        let text = fs::read_to_string(log).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        let tail = lines[lines.len().saturating_sub(30)..].join("\n");
        return Err(format!("cargo install ({}): terminato con {s}; ultime righe:\n{tail}", tool.what));
    }
    eprintln!("\n==> installato {} in {:.0} s (in sottofondo)", tool.what, t0.elapsed().as_secs_f64());
    Ok(())
}

impl Installing {
    pub(crate) fn wait(self) -> R<()> {
        let Some(handle) = self.0 else { return Ok(()) };
        step("attesa dell'installazione in sottofondo");
        handle.join().map_err(|_| "installazione in sottofondo: thread interrotto".to_string())?
    }
}
