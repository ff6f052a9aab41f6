//! The shape of the code, checked by `cargo test`: no import cycle between the modules of a
//! folder (top-level features included) in `shared`, `app` and `server`, and no source file over
//! 400 lines outside tests and the demo seed data (a file's `#[cfg(test)]` tail does not count).
//!
//! A module's imports are read from its source: every `crate::a::b` path and every `super::`
//! path, outside comments and test modules, resolved to the longest prefix that is a module.

#[cfg(test)]
use std::collections::{BTreeMap, BTreeSet};
#[cfg(test)]
use std::path::{Path, PathBuf};

/// Most lines a source file may have before its tests.
#[cfg(test)]
const MAX_LINES: usize = 400;

/// A module path inside a crate: `["smart_task", "kinds", "contatti"]`; the crate root is empty.
#[cfg(test)]
type ModPath = Vec<String>;

#[cfg(test)]
fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

#[cfg(test)]
fn module_of(src: &Path, file: &Path) -> ModPath {
    let rel = file.strip_prefix(src).unwrap_or(file).with_extension("");
    let mut parts: ModPath = rel.iter().map(|c| c.to_string_lossy().to_string()).collect();
    if matches!(parts.last().map(String::as_str), Some("mod" | "lib" | "main")) {
        parts.pop();
    }
    parts
}

/// The source before its tests, without comment lines.
#[cfg(test)]
fn code(text: &str) -> String {
    let before_tests = text.find("#[cfg(test)]").map_or(text, |i| &text[..i]);
    before_tests.lines().filter(|l| !l.trim_start().starts_with("//")).collect::<Vec<_>>().join("\n")
}

/// The identifier paths that follow `prefix` in `text` (`a::b::c` after `crate::`).
#[cfg(test)]
fn paths_after(text: &str, prefix: &str) -> Vec<Vec<String>> {
    let mut out = vec![];
    let mut rest = text;
    while let Some(i) = rest.find(prefix) {
        let before_ok = rest[..i].chars().last().is_none_or(|c| !(c.is_alphanumeric() || c == '_'));
        rest = &rest[i + prefix.len()..];
        if !before_ok {
            continue;
        }
        let mut segs = vec![];
        let mut s = rest;
        loop {
            let n = s.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(s.len());
            if n == 0 {
                break;
            }
            segs.push(s[..n].to_string());
            s = &s[n..];
            match s.strip_prefix("::") {
                Some(t) => s = t,
                None => break,
            }
        }
        out.push(segs);
    }
    out
}

/// Edges module → module of one crate.
#[cfg(test)]
fn import_graph(src: &Path) -> (BTreeSet<ModPath>, BTreeSet<(ModPath, ModPath)>) {
    let mut files = vec![];
    rust_files(src, &mut files);
    let modules: BTreeMap<ModPath, PathBuf> = files.iter().map(|f| (module_of(src, f), f.clone())).collect();
    let resolve = |target: &[String], min: usize| -> Option<ModPath> {
        (min..=target.len()).rev().map(|k| target[..k].to_vec()).find(|m| modules.contains_key(m))
    };
    let mut edges = BTreeSet::new();
    for (m, file) in &modules {
        let text = code(&std::fs::read_to_string(file).unwrap_or_default());
        for p in paths_after(&text, "crate::") {
            if let Some(t) = resolve(&p, 1) {
                edges.insert((m.clone(), t));
            }
        }
        // `super::x` from module a::b::c is a::b::x (for a file or a folder's mod.rs alike).
        let mut i = 0;
        while let Some(off) = text[i..].find("super::") {
            let start = i + off;
            let (mut ups, mut j) = (0, start);
            while text[j..].starts_with("super::") {
                ups += 1;
                j += "super::".len();
            }
            i = j;
            let standalone = text[..start].chars().last().is_none_or(|c| !(c.is_alphanumeric() || c == '_'));
            if !standalone || m.len() < ups {
                continue;
            }
            let segs =
                paths_after(&format!(" crate::{}", &text[j..]), "crate::").into_iter().next().unwrap_or_default();
            let mut target: ModPath = m[..m.len() - ups].to_vec();
            let base = target.len();
            target.extend(segs);
            if let Some(t) = resolve(&target, base.max(1)) {
                edges.insert((m.clone(), t));
            }
        }
    }
    (modules.keys().cloned().collect(), edges)
}

/// Cycles among the children of `parent`: module a depends on b when anything inside a imports
/// anything inside b.
#[cfg(test)]
fn cycles_under(parent: &[String], edges: &BTreeSet<(ModPath, ModPath)>) -> Vec<Vec<String>> {
    let child = |m: &ModPath| (m.len() > parent.len() && m[..parent.len()] == *parent).then(|| m[parent.len()].clone());
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (a, b) in edges {
        if let (Some(x), Some(y)) = (child(a), child(b))
            && x != y
        {
            graph.entry(x).or_default().insert(y);
        }
    }
    // A cycle exists where a module reaches itself.
    let mut found = vec![];
    for start in graph.keys() {
        let mut stack = vec![(start.clone(), vec![start.clone()])];
        let mut seen = BTreeSet::new();
        while let Some((node, path)) = stack.pop() {
            for next in graph.get(&node).into_iter().flatten() {
                if next == start {
                    let mut cycle = path.clone();
                    cycle.push(start.clone());
                    found.push(cycle);
                } else if seen.insert(next.clone()) {
                    let mut p = path.clone();
                    p.push(next.clone());
                    stack.push((next.clone(), p));
                }
            }
        }
    }
    found
}

#[cfg(test)]
fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).parent().map(Path::to_path_buf).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_import_cycles() {
        let mut cycles = vec![];
        for krate in ["shared", "app", "server"] {
            let (modules, edges) = import_graph(&root().join(krate).join("src"));
            assert!(modules.len() > 5, "{krate}: modules not found");
            let parents: BTreeSet<ModPath> =
                modules.iter().filter(|m| !m.is_empty()).map(|m| m[..m.len() - 1].to_vec()).collect();
            for p in parents {
                for c in cycles_under(&p, &edges) {
                    cycles.push(format!("{krate}/{}: {}", p.join("/"), c.join(" → ")));
                }
            }
        }
        assert!(cycles.is_empty(), "import cycles:\n{}", cycles.join("\n"));
    }

    #[test]
    fn files_stay_small() {
        let mut files = vec![];
        for dir in ["shared/src", "app/src", "server/src", "xtask/src", "tests/src"] {
            rust_files(&root().join(dir), &mut files);
        }
        assert!(files.len() > 20, "sources not found");
        let too_long: Vec<String> = files
            .iter()
            .filter(|f| {
                let name = f.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
                // Tests and the demo seed data are exempt.
                !name.ends_with("_tests.rs") && !f.components().any(|c| c.as_os_str() == "seed") && name != "seed.rs"
            })
            .filter_map(|f| {
                let text = std::fs::read_to_string(f).ok()?;
                let n = text.find("#[cfg(test)]").map_or(text.as_str(), |i| &text[..i]).lines().count();
                (n > MAX_LINES).then(|| format!("{} ({n} lines)", f.display()))
            })
            .collect();
        assert!(too_long.is_empty(), "over {MAX_LINES} lines before the tests:\n{}", too_long.join("\n"));
    }

    #[test]
    fn the_checks_can_fail() {
        let e = |a: &[&str], b: &[&str]| {
            (a.iter().map(|s| s.to_string()).collect::<ModPath>(), b.iter().map(|s| s.to_string()).collect())
        };
        let edges: BTreeSet<(ModPath, ModPath)> =
            [e(&["a", "x"], &["b"]), e(&["b"], &["a"]), e(&["c"], &["a", "y"])].into_iter().collect();
        assert!(!cycles_under(&[], &edges).is_empty(), "a ↔ b is a cycle");
        let acyclic: BTreeSet<(ModPath, ModPath)> = [e(&["a"], &["b"]), e(&["c"], &["a"])].into_iter().collect();
        assert!(cycles_under(&[], &acyclic).is_empty());
        assert_eq!(paths_after("use crate::a::b::{c, d};", "crate::"), [vec!["a".to_string(), "b".into()]]);
        assert_eq!(code("x\n// crate::no\ny\n#[cfg(test)]\nz"), "x\ny");
    }
}
