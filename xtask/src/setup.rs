//! Installing what the build needs: apt packages, the wasm target, cargo-leptos, wasm-bindgen-cli,
//! npm packages, Chromium; and the leptos builds.

#[allow(unused_imports)]
use crate::*;
use std::env;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

pub(crate) fn apt_install(pkgs: &[&str], why: &str) -> R<()> {
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

pub(crate) fn locked_version(krate: &str) -> R<String> {
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
pub(crate) fn setup(with_npm: bool) -> R<()> {
    wasm_target()?;
    for tool in missing_tools()? {
        tool.install_here()?;
    }
    if with_npm {
        npm_ci()?;
    }
    Ok(())
}

pub(crate) fn wasm_target() -> R<()> {
    let targets = output(Command::new("rustup").args(["target", "list", "--installed"])).unwrap_or_default();
    if !targets.lines().any(|l| l.trim() == "wasm32-unknown-unknown") {
        step("aggiunta del target wasm32-unknown-unknown");
        status(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]), "rustup target add")?;
    }
    Ok(())
}

pub(crate) fn npm_ci() -> R<()> {
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
pub(crate) fn path_with_npm_bin() -> String {
    format!("{}:{}", root().join("end2end/node_modules/.bin").display(), env::var("PATH").unwrap_or_default())
}

/// The site and the server; with `lint`, clippy compiles the workspace's crates (`with_clippy`):
/// `cargo xtask test` lints the WASM side (the `hydrate` code of every bundle) this way.
pub(crate) fn leptos_build(release: bool, lint: bool) -> R<()> {
    step(&format!("cargo leptos build{}", if release { " --release" } else { "" }));
    let mut c = cargo();
    c.args(["leptos", "build"]).env("PATH", path_with_npm_bin());
    if lint {
        with_clippy(&mut c);
    }
    if release {
        // `--precompress`: the server sends the brotli (quality 11) and gzip files written here.
        c.args(["--release", "--precompress"]);
    }
    status(&mut c, "cargo leptos build")?;
    let areas = island_areas()?;
    if !release {
        return areas.iter().try_for_each(|area| area_bundle(area, "target/front", false, lint));
    }
    // A release bundle is one codegen unit with fat LTO: rustc keeps one core busy for over a
    // minute. Two lanes, each with its own target dir (cargo locks one per build), keep both
    // cores busy; the second starts from a copy of the first's compiled dependencies.
    let second = "target/front-2";
    let _ = fs::remove_dir_all(root().join(second));
    for dir in ["wasm-release", "wasm32-unknown-unknown/wasm-release"] {
        let (from, to) = (root().join("target/front").join(dir), root().join(second).join(dir));
        let parent = to.parent().ok_or("target/front-2")?;
        fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
        status(Command::new("cp").arg("-a").arg(&from).arg(&to), "copia delle dipendenze WASM compilate")?;
    }
    let (odd, even): (Vec<_>, Vec<_>) = areas.iter().enumerate().partition(|(i, _)| i % 2 == 1);
    std::thread::scope(|s| {
        let lane = s.spawn(|| odd.iter().try_for_each(|(_, area)| area_bundle(area, second, true, lint)));
        let first = even.iter().try_for_each(|(_, area)| area_bundle(area, "target/front", true, lint));
        let second = lane.join().map_err(|_| "bundle: thread interrotto".to_string())?;
        first.and(second)
    })
}

/// The areas with islands of their own: the features `isole-<area>` of app/Cargo.toml.
pub(crate) fn island_areas() -> R<Vec<String>> {
    let manifest = fs::read_to_string(root().join("app/Cargo.toml")).map_err(|e| format!("app/Cargo.toml: {e}"))?;
    Ok(manifest
        .lines()
        .filter_map(|l| l.strip_prefix("isole-")?.split_once(" = ").map(|(area, _)| area.to_string()))
        .collect())
}

/// An area's WASM bundle, `<output>-<area>` beside cargo-leptos' common one (app/src/idratazione.rs),
/// built as cargo-leptos builds that one: same flags and environment, so only `app` is compiled
/// again, then wasm-bindgen, and in release wasm-opt and the precompressed copies.
fn area_bundle(area: &str, target_dir: &str, release: bool, lint: bool) -> R<()> {
    let name = format!("{OUTPUT_NAME}-{area}");
    step(&format!("bundle {name}"));
    let profile = if release { "wasm-release" } else { "dev" };
    let mut c = cargo();
    if lint {
        with_clippy(&mut c);
    }
    status(
        leptos_debug_env(&mut c).args([
            "build",
            "--package=app",
            "--lib",
            &format!("--target-dir={target_dir}"),
            "--target=wasm32-unknown-unknown",
            "--no-default-features",
            &format!("--features=hydrate,isole-{area}"),
            &format!("--profile={profile}"),
        ]),
        &format!("cargo build ({name})"),
    )?;
    let dir = if release { "wasm-release" } else { "debug" };
    let wasm = root().join(target_dir).join("wasm32-unknown-unknown").join(dir).join("app.wasm");
    let pkg = root().join("target/site/pkg");
    status(
        Command::new("wasm-bindgen").args([
            "--target=web".into(),
            "--no-typescript".into(),
            format!("--out-name={name}"),
            format!("--out-dir={}", pkg.display()),
            wasm.display().to_string(),
        ]),
        "wasm-bindgen",
    )?;
    let out = pkg.join(format!("{name}.wasm"));
    fs::rename(pkg.join(format!("{name}_bg.wasm")), &out).map_err(|e| format!("{}: {e}", out.display()))?;
    if !release {
        return Ok(());
    }
    let opt = root().join("end2end/node_modules/.bin/wasm-opt");
    status(
        Command::new(opt)
            .args(["-Oz", "--enable-bulk-memory", "--enable-nontrapping-float-to-int"])
            .arg(&out)
            .arg("-o")
            .arg(&out),
        "wasm-opt",
    )?;
    // Node's zlib, as for the bench's sizes: brotli 11 and gzip 9, like cargo-leptos' own.
    let script = "const z=require('zlib'),f=require('fs');for(const p of process.argv.slice(1)){const b=f.readFileSync(p);\
        f.writeFileSync(p+'.gz',z.gzipSync(b,{level:9}));\
        f.writeFileSync(p+'.br',z.brotliCompressSync(b,{params:{[z.constants.BROTLI_PARAM_QUALITY]:11}}))}";
    status(Command::new("node").args(["-e", script]).arg(&out).arg(pkg.join(format!("{name}.js"))), "compressione")
}

pub(crate) fn server_bin(release: bool) -> PathBuf {
    root().join("target").join(if release { "release" } else { "debug" }).join("server")
}

pub(crate) fn ensure_chromium() -> R<String> {
    let path = env::var("CHROMIUM_PATH").unwrap_or_else(|_| "/usr/bin/chromium".into());
    if !Path::new(&path).exists() {
        apt_install(&["chromium"], "i test nel browser usano Chromium headless")?;
    }
    if Path::new(&path).exists() { Ok(path) } else { Err(format!("Chromium non trovato in {path}")) }
}
