//! MATRIX.md is generated: one row per function of the inventory
//! (data/functions.tsv) with its status, the file that defines it and the C
//! tests that call it. Status comes from the code itself:
//! - a body that is only `ffi::not_yet()`: not yet;
//! - a body that is only `ffi::unsupported("why")`: unsupported, with why;
//! - a body that is only `ffi::unavailable(CODE, "why")`: unsupported, with
//!   why and s2n's error for the missing feature;
//! - a doc comment line starting `Partial:`: partial, with the rest of it;
//! - anything else: implemented.
//!
//! The test fails when MATRIX.md is stale; `S2NRS_BLESS=1 cargo test --test
//! matrix` rewrites it.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

struct Found {
    file: String,
    status: String,
}

fn files(dir: &Path, ext: &str, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.map(|e| e.unwrap().path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            files(&path, ext, out);
        } else if path.extension().is_some_and(|e| e == ext) {
            out.push(path);
        }
    }
}

fn rel(path: &Path) -> String {
    path.strip_prefix(ROOT).unwrap().display().to_string()
}

/// Exported functions defined in the Rust sources, with their status.
fn rust_functions() -> BTreeMap<String, Found> {
    let mut out = BTreeMap::new();
    let mut sources = Vec::new();
    files(&Path::new(ROOT).join("src"), "rs", &mut sources);
    for file in sources {
        let text = fs::read_to_string(&file).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            let Some(rest) = line.strip_prefix("pub extern \"C\" fn ") else {
                continue;
            };
            if !rest.starts_with("s2n_") {
                continue;
            }
            let name = rest.split('(').next().unwrap().to_string();
            // The doc comment above the attributes.
            let mut doc = Vec::new();
            let mut j = i;
            while j > 0 && (lines[j - 1].starts_with("///") || lines[j - 1].starts_with("#[")) {
                j -= 1;
                if let Some(d) = lines[j].strip_prefix("///") {
                    doc.insert(0, d.trim().to_string());
                }
            }
            // The body: up to the closing brace at column 0.
            let mut k = i;
            while !lines[k].ends_with('{') {
                k += 1;
            }
            let mut body = Vec::new();
            for l in &lines[k + 1..] {
                if *l == "}" {
                    break;
                }
                body.push(l.trim());
            }
            // `let _ = (args..);` only silences unused parameters.
            let mut body = body.join(" ");
            while let Some(start) = body.find("let _ =") {
                let end = body[start..]
                    .find(';')
                    .map_or(body.len(), |e| start + e + 1);
                body.replace_range(start..end, "");
            }
            let body = body.trim().to_string();
            let partial = doc.iter().position(|d| d.starts_with("Partial:")).map(|p| {
                let mut text = doc[p].trim_start_matches("Partial:").trim().to_string();
                for more in &doc[p + 1..] {
                    if more.is_empty() {
                        break;
                    }
                    text.push(' ');
                    text.push_str(more);
                }
                text
            });
            let status = if body == "ffi::not_yet()" {
                "not yet".to_string()
            } else if let Some(why) = body
                .strip_prefix("ffi::unsupported(")
                .and_then(|r| r.strip_suffix(')'))
                .map(|r| r.trim().trim_end_matches(','))
            {
                assert!(partial.is_none(), "{name}: unsupported and partial at once");
                format!("unsupported: {}", why.trim().trim_matches('"'))
            } else if let Some((code, why)) = body
                .strip_prefix("ffi::unavailable(")
                .and_then(|r| r.strip_suffix(')'))
                .and_then(|r| r.split_once(','))
            {
                assert!(partial.is_none(), "{name}: unsupported and partial at once");
                let code = code.trim().rsplit("::").next().unwrap_or_default();
                let why = why.trim().trim_end_matches(',').trim().trim_matches('"');
                format!(
                    "unsupported: {why} (fails with {code}, as s2n-tls where it lacks the feature)"
                )
            } else if let Some(what) = partial {
                format!("partial: {what}")
            } else {
                assert!(
                    !body.contains("ffi::not_yet()")
                        && !body.contains("ffi::unsupported(")
                        && !body.contains("ffi::unavailable("),
                    "{name}: a body that is sometimes unsupported needs a `Partial:` doc line"
                );
                "implemented".to_string()
            };
            out.insert(
                name,
                Found {
                    file: rel(&file),
                    status,
                },
            );
        }
    }
    out
}

/// Functions defined in csrc/ (only the errno shim), all implemented.
fn c_functions() -> BTreeMap<String, Found> {
    let mut out = BTreeMap::new();
    let mut sources = Vec::new();
    files(&Path::new(ROOT).join("csrc"), "c", &mut sources);
    for file in sources {
        for line in fs::read_to_string(&file).unwrap().lines() {
            if let Some(name) = line
                .split('(')
                .next()
                .and_then(|h| h.split_whitespace().last())
            {
                let name = name.trim_start_matches('*');
                if name.starts_with("s2n_") && line.ends_with(')') && !line.ends_with(';') {
                    out.insert(
                        name.to_string(),
                        Found {
                            file: rel(&file),
                            status: "implemented".into(),
                        },
                    );
                }
            }
        }
    }
    out
}

/// For each C test file, the inventory names it calls. The helpers every
/// test links (ctests/harness) show as `harness/<file>`.
fn callers(names: &[String]) -> BTreeMap<String, Vec<String>> {
    let mut tests = Vec::new();
    files(&Path::new(ROOT).join("ctests"), "c", &mut tests);
    let harness = Path::new(ROOT).join("ctests/harness");
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for test in tests {
        let text = fs::read_to_string(&test).unwrap();
        let mut stem = test.file_stem().unwrap().to_str().unwrap().to_string();
        if test.starts_with(&harness) {
            stem = format!("harness/{stem}");
        }
        for name in names {
            let called = text.match_indices(name.as_str()).any(|(at, _)| {
                let before = text[..at]
                    .chars()
                    .last()
                    .is_none_or(|c| !(c.is_alphanumeric() || c == '_'));
                let after = text[at + name.len()..].trim_start();
                before && after.starts_with('(')
            });
            if called {
                out.entry(name.clone()).or_default().push(stem.clone());
            }
        }
    }
    out
}

fn matrix() -> String {
    let inventory = fs::read_to_string(Path::new(ROOT).join("data/functions.tsv")).unwrap();
    let rows: Vec<Vec<&str>> = inventory
        .lines()
        .skip(1)
        .map(|l| l.split('\t').collect())
        .collect();
    let names: Vec<String> = rows.iter().map(|r| r[0].to_string()).collect();
    let mut defined = rust_functions();
    defined.extend(c_functions());
    let extra: Vec<&String> = defined.keys().filter(|k| !names.contains(k)).collect();
    assert!(
        extra.is_empty(),
        "exported but not in the inventory: {extra:?}"
    );
    let called = callers(&names);

    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    let mut table = String::new();
    for row in &rows {
        let (name, header) = (row[0], row[1]);
        let found = defined
            .get(name)
            .unwrap_or_else(|| panic!("{name} is not defined"));
        let kind = found.status.split(':').next().unwrap();
        *counts.entry(kind).or_default() += 1;
        let tests = called.get(name).map(|t| t.join(", ")).unwrap_or_default();
        let status = found.status.replace('|', "\\|");
        table.push_str(&format!(
            "| `{name}` | {header} | {status} | {} | {tests} |\n",
            found.file
        ));
    }
    let mut out = String::from(
        "# s2nrs function matrix\n\n\
         Generated by `tests/matrix.rs` from the inventory (`data/functions.tsv`), the code's status \
         markers and the C tests; do not edit. Every function is also compiled against its s2n-tls \
         prototype and called with NULL arguments by the generated C tests `api_compile` and \
         `api_null_matrix`, which this table does not list.\n\n",
    );
    out.push_str("| status | functions |\n| --- | --- |\n");
    for kind in ["implemented", "partial", "unsupported", "not yet"] {
        out.push_str(&format!(
            "| {kind} | {} |\n",
            counts.get(kind).copied().unwrap_or(0)
        ));
    }
    out.push_str(&format!("| total | {} |\n\n", rows.len()));
    out.push_str(
        "| function | header | status | defined in | C tests |\n| --- | --- | --- | --- | --- |\n",
    );
    out.push_str(&table);
    out
}

#[test]
fn matrix_is_fresh() {
    let text = matrix();
    let path = Path::new(ROOT).join("MATRIX.md");
    if std::env::var_os("S2NRS_BLESS").is_some() {
        fs::write(&path, &text).unwrap();
    } else {
        assert!(
            fs::read_to_string(&path).ok().as_deref() == Some(text.as_str()),
            "MATRIX.md is stale: run S2NRS_BLESS=1 cargo test --test matrix"
        );
    }
}

/// README.md's "Differences from s2n-tls" section, from the same data as
/// MATRIX.md: what s2nrs does not offer, grouped by cause, and the partial
/// functions, one line each.
fn differences(matrix: &str) -> String {
    let mut unsupported: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    let mut partial = Vec::new();
    for line in matrix.lines().filter(|l| l.starts_with("| `")) {
        let cells: Vec<&str> = line.split(" | ").collect();
        let (name, status) = (cells[0].trim_start_matches("| "), cells[2]);
        if let Some(why) = status.strip_prefix("unsupported: ") {
            let cause = if why.contains("kernel") {
                "Kernel features (kTLS)"
            } else {
                "Engine limits (rustls, webpki)"
            };
            unsupported
                .entry(cause)
                .or_default()
                .push(format!("{name}: {why}"));
        } else if let Some(what) = status.strip_prefix("partial: ") {
            partial.push(format!("- {name}: {what}"));
        }
    }

    // Protocol versions, suites and groups of s2n's policies that the engine lacks.
    let table = fs::read_to_string(Path::new(ROOT).join("data/policies.tsv")).unwrap();
    let rows: Vec<Vec<&str>> = table
        .lines()
        .filter(|l| !l.starts_with('#') && !l.starts_with("name\t"))
        .map(|l| l.split('\t').collect())
        .collect();
    let (mut suites, mut groups) = (Vec::<&str>::new(), Vec::<&str>::new());
    let (mut offered_suites, mut offered_groups) = (Vec::<&str>::new(), Vec::<String>::new());
    let (mut schemes, mut used_schemes) = (Vec::<&str>::new(), Vec::<&str>::new());
    let mut unusable = Vec::new();
    for row in &rows {
        let list = |i: usize| row[i].split(',').filter(|s| !s.is_empty());
        suites.extend(list(4));
        groups.extend(list(5).chain(list(6)));
        schemes.extend(list(7).chain(list(8)));
        match s2nrs::policy::by_name(row[0]) {
            Ok(policy) if policy.usable().is_err() => unusable.push(row[0]),
            Ok(policy) => {
                offered_suites.extend(policy.suite_names());
                offered_groups.extend(
                    policy
                        .groups()
                        .iter()
                        .map(|&g| s2nrs::policy::s2n_group_name(g).to_lowercase()),
                );
                let certs = policy.cert_signature_schemes().unwrap_or_default();
                used_schemes.extend(
                    policy
                        .signature_schemes()
                        .iter()
                        .chain(certs)
                        .filter_map(|&s| s2nrs::policy::s2n_signature_scheme_name(s)),
                );
            }
            Err(_) => {}
        }
    }
    let missing = |all: Vec<&str>, offered: &dyn Fn(&str) -> bool| {
        let mut out: Vec<&str> = all.into_iter().filter(|s| !offered(s)).collect();
        out.sort();
        out.dedup();
        if out.is_empty() {
            "none".to_string()
        } else {
            out.join(", ")
        }
    };
    let no_suites = missing(suites, &|s| offered_suites.contains(&s));
    let no_groups = missing(groups, &|g| offered_groups.contains(&g.to_lowercase()));
    let no_schemes = missing(schemes, &|s| used_schemes.contains(&s));

    let mut out = String::from(
        "Generated by `tests/matrix.rs` from MATRIX.md, `data/policies.tsv` and \
         `ctests/diff/expected.tsv` \
         (`S2NRS_BLESS=1 cargo test --test matrix` rewrites it).\n\n\
         **Protocol versions and cipher suites not offered.** rustls implements TLS1.2 and TLS1.3 \
         with ECDHE and AEAD suites only: SSLv3, TLS1.0 and TLS1.1 are never negotiated \
         (a policy whose minimum is lower negotiates TLS1.2 or TLS1.3).\n",
    );
    out.push_str(&format!(
        "- suites of s2n's policies never offered: {no_suites}\n"
    ));
    out.push_str(&format!(
        "- groups of s2n's policies never offered: {no_groups}\n"
    ));
    out.push_str(&format!(
        "- signature schemes of s2n's policies never used (rustls with aws-lc-rs has no \
         handshake signatures or certificate checks with them): {no_schemes}\n"
    ));
    out.push_str(&format!(
        "- policies accepted by `s2n_config_set_cipher_preferences` that no handshake can use \
         (none of their suites is available; the handshake fails with \
         `S2N_ERR_CIPHER_NOT_SUPPORTED`): {}\n\n",
        unusable.join(", ")
    ));
    out.push_str(&refused_hellos());
    for (cause, items) in &unsupported {
        out.push_str(&format!(
            "**{cause}.** Unsupported functions fail with an error:\n"
        ));
        for item in items {
            out.push_str(&format!("- {item}\n"));
        }
        out.push('\n');
    }
    out.push_str("**Behaviours that differ** (partial functions):\n");
    out.push_str(&partial.join("\n"));
    out.push('\n');
    out
}

/// The ClientHellos s2n-tls takes and rustls refuses: the reasons of
/// `ctests/diff/expected.tsv`'s rows under its "Engine limits: ClientHellos"
/// heading (not those that only follow from another row).
fn refused_hellos() -> String {
    let table = fs::read_to_string(Path::new(ROOT).join("ctests/diff/expected.tsv")).unwrap();
    let mut section = false;
    let mut out = String::from(
        "**ClientHellos s2n-tls takes and rustls refuses** (`ctests/diff_hellos` sends them \
         to both; the handshake fails with the error shown there):\n",
    );
    for line in table.lines() {
        if let Some(heading) = line.strip_prefix("## ") {
            section = heading.starts_with("Engine limits: ClientHellos");
        } else if section && !line.starts_with('#') {
            let cells: Vec<&str> = line.split('\t').collect();
            if cells.len() == 5 && cells[3] != "<missing>" {
                out.push_str(&format!("- {}\n", cells[4]));
            }
        }
    }
    out.push('\n');
    out
}

const START: &str = "<!-- differences: generated by tests/matrix.rs -->\n";
const END: &str = "<!-- end of differences -->\n";

#[test]
fn readme_differences_are_fresh() {
    let path = Path::new(ROOT).join("README.md");
    let readme = fs::read_to_string(&path).unwrap();
    let start = readme
        .find(START)
        .expect("README.md has the differences marker")
        + START.len();
    let end = readme[start..]
        .find(END)
        .expect("README.md has the end marker")
        + start;
    let section = differences(&matrix());
    if std::env::var_os("S2NRS_BLESS").is_some() {
        let updated = format!("{}{section}{}", &readme[..start], &readme[end..]);
        fs::write(&path, updated).unwrap();
    } else {
        assert!(
            readme[start..end] == section,
            "README.md's differences are stale: run S2NRS_BLESS=1 cargo test --test matrix"
        );
    }
}
