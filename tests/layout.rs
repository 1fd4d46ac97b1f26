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
