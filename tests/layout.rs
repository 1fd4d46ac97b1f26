//! Rules of the source layout that the compiler does not check:
//!
//! - `unsafe` code (blocks, functions, impls) is only in `src/ffi/`; the
//!   rest of the crate may only name it in `#[unsafe(no_mangle)]` and in
//!   the types of C function pointers, and every other module carries
//!   `#![forbid(unsafe_code)]`;
//! - no file silences unused variables or imports for all of itself (an
//!   unsupported function names what it ignores);
//! - the exported functions are all in `src/api/`, and nothing but
//!   `lib.rs` names that module (the core never imports it).

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The source lines, without comments and string literals' contents being
/// mistaken for code (a line comment is dropped; strings are rare here).
fn code_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines()
        .enumerate()
        .map(|(i, line)| (i + 1, line.split("//").next().unwrap_or_default()))
}

#[test]
fn unsafe_code_is_only_in_ffi() {
    let mut files = Vec::new();
    rust_files(&Path::new(ROOT).join("src"), &mut files);
    let ffi = Path::new(ROOT).join("src/ffi");
    let mut found = Vec::new();
    for file in files.iter().filter(|f| !f.starts_with(&ffi)) {
        let text = fs::read_to_string(file).unwrap();
        for (n, line) in code_lines(&text) {
            let code = line
                .replace("#[unsafe(no_mangle)]", "")
                .replace("unsafe extern \"C\" fn", "");
            let unsafe_code = [
                "unsafe {",
                "unsafe fn",
                "unsafe impl",
                "unsafe trait",
                "unsafe extern",
            ];
            if unsafe_code.iter().any(|u| code.contains(u)) {
                found.push(format!("{}:{n}: {}", file.display(), line.trim()));
            }
        }
    }
    assert!(
        found.is_empty(),
        "unsafe outside src/ffi:\n{}",
        found.join("\n")
    );
}

/// The core (every module but `ffi` and `api`) forbids unsafe code: the
/// compiler, not only the text check above, keeps it out.
#[test]
fn the_core_forbids_unsafe_code() {
    let mut missing = Vec::new();
    for entry in fs::read_dir(Path::new(ROOT).join("src")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        if ["lib", "ffi", "api"].contains(&name.as_str()) {
            continue;
        }
        let root = if path.is_dir() {
            path.join("mod.rs")
        } else {
            path.clone()
        };
        if !root.exists() {
            // An area with both `x.rs` and `x/`: `x.rs` is its root.
            continue;
        }
        let text = fs::read_to_string(&root).unwrap();
        if !text.lines().any(|l| l.trim() == "#![forbid(unsafe_code)]") {
            missing.push(root.display().to_string());
        }
    }
    assert!(
        missing.is_empty(),
        "core modules without #![forbid(unsafe_code)]:\n{}",
        missing.join("\n")
    );
}

#[test]
fn no_file_wide_allow_unused() {
    let mut files = Vec::new();
    rust_files(&Path::new(ROOT).join("src"), &mut files);
    let found: Vec<String> = files
        .iter()
        .filter(|f| {
            let text = fs::read_to_string(f).unwrap();
            text.lines()
                .any(|l| l.starts_with("#![allow(") && l.contains("unused"))
        })
        .map(|f| f.display().to_string())
        .collect();
    assert!(
        found.is_empty(),
        "file-wide allow(unused_*):\n{}",
        found.join("\n")
    );
}

#[test]
fn exported_functions_are_in_api_and_the_core_never_imports_it() {
    let mut files = Vec::new();
    rust_files(&Path::new(ROOT).join("src"), &mut files);
    let api = Path::new(ROOT).join("src/api");
    let lib = Path::new(ROOT).join("src/lib.rs");
    let mut found = Vec::new();
    // (Unit tests, `tests.rs`, may call the exported functions.)
    let core = files
        .iter()
        .filter(|f| !f.starts_with(&api) && !f.ends_with("tests.rs"));
    for file in core {
        let text = fs::read_to_string(file).unwrap();
        for (n, line) in code_lines(&text) {
            let names_api = line.contains("api::") || line.contains("mod api");
            if (names_api && *file != lib) || line.contains("extern \"C\" fn s2n_") {
                found.push(format!("{}:{n}: {}", file.display(), line.trim()));
            }
        }
    }
    assert!(found.is_empty(), "outside src/api:\n{}", found.join("\n"));
}

/// The top-level modules under src/ ("areas", `lib` and the unit tests
/// aside) and the areas each names (`crate::<area>`, `use crate::{<area>..}`).
fn area_graph() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(ROOT).join("src");
    let area_of = |file: &Path| -> String {
        let rel = file.strip_prefix(&src).unwrap();
        let first = rel
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy();
        first.trim_end_matches(".rs").to_string()
    };
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let areas: BTreeSet<String> = files
        .iter()
        .map(|f| area_of(f))
        .filter(|a| a != "lib")
        .collect();
    let mut graph: BTreeMap<String, BTreeSet<String>> =
        areas.iter().map(|a| (a.clone(), BTreeSet::new())).collect();
    for file in files.iter().filter(|f| !f.ends_with("tests.rs")) {
        let area = area_of(file);
        if area == "lib" {
            continue;
        }
        let text = fs::read_to_string(file).unwrap();
        let code: String = code_lines(&text)
            .map(|(_, l)| l)
            .collect::<Vec<_>>()
            .join("\n");
        let mut named = Vec::new();
        for (at, _) in code.match_indices("crate::") {
            let rest = &code[at + "crate::".len()..];
            if let Some(group) = rest.strip_prefix('{') {
                // The first segment of each path at the group's top level.
                let (mut depth, mut start) = (0usize, true);
                for (i, c) in group.char_indices() {
                    match c {
                        '{' => depth += 1,
                        '}' if depth == 0 => break,
                        '}' => depth -= 1,
                        ',' if depth == 0 => start = true,
                        c if start && (c.is_alphabetic() || c == '_') => {
                            let word: String = group[i..]
                                .chars()
                                .take_while(|c| c.is_alphanumeric() || *c == '_')
                                .collect();
                            named.push(word);
                            start = false;
                        }
                        _ => {}
                    }
                }
            } else {
                named.push(
                    rest.chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_')
                        .collect(),
                );
            }
        }
        for other in named {
            if other != area && areas.contains(&other) {
                graph.get_mut(&area).unwrap().insert(other);
            }
        }
    }
    graph
}

/// The groups of two or more areas that import each other, directly or not.
fn cycles(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<BTreeSet<String>> {
    let reach = |from: &String| -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        let mut todo = vec![from.clone()];
        while let Some(a) = todo.pop() {
            for b in &graph[&a] {
                if seen.insert(b.clone()) {
                    todo.push(b.clone());
                }
            }
        }
        seen
    };
    let reached: BTreeMap<&String, BTreeSet<String>> =
        graph.keys().map(|a| (a, reach(a))).collect();
    let mut groups: Vec<BTreeSet<String>> = Vec::new();
    for a in graph.keys() {
        let group: BTreeSet<String> = graph
            .keys()
            .filter(|b| *b == a || (reached[a].contains(*b) && reached[*b].contains(a)))
            .cloned()
            .collect();
        if group.len() > 1 && !groups.contains(&group) {
            groups.push(group);
        }
    }
    groups
}

/// The C boundary (`ffi`, `types`, `error`) names no area above it, and no
/// import cycle spans the core's areas: each area imports only areas below
/// it (`notes` under the hooks that write it, `record` under the
/// connection that holds it, `io` on top). `cargo test --test layout --
/// --nocapture` prints the graph.
#[test]
fn module_graph_has_no_cycle() {
    const BOUNDARY: &[&str] = &["error", "ffi", "types"];
    let graph = area_graph();
    for (area, names) in &graph {
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        println!("{area} -> {}", names.join(", "));
    }
    let mut wrong = Vec::new();
    for area in BOUNDARY {
        for name in &graph[*area] {
            if !BOUNDARY.contains(&name.as_str()) {
                wrong.push(format!("{area} (C boundary) names {name}"));
            }
        }
    }
    for group in cycles(&graph) {
        let within = |set: &[&str]| group.iter().all(|a| set.contains(&a.as_str()));
        println!("cycle: {group:?}");
        if !within(BOUNDARY) {
            wrong.push(format!("a cycle: {group:?}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
