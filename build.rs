//! Compiles the C files (the exported thread-local `s2n_errno`, AWS-LC's
//! allocation hooks) and, for
//! the shared object, writes the linker version script that exports exactly
//! the inventory's functions plus `s2n_errno`, and sets the SONAME.

use std::env;
use std::fs;
use std::path::PathBuf;

fn main() {
    println!("cargo:rerun-if-changed=csrc/errno.c");
    println!("cargo:rerun-if-changed=csrc/crypto_hooks.c");
    println!("cargo:rerun-if-changed=data/functions.tsv");
    cc::Build::new()
        .file("csrc/errno.c")
        .file("csrc/crypto_hooks.c")
        .warnings(true)
        .compile("s2nrs_csrc");

    let inventory = fs::read_to_string("data/functions.tsv").expect("data/functions.tsv");
    let mut map = String::from("{\n  global:\n    s2n_errno;\n");
    for line in inventory.lines().skip(1) {
        let name = line.split('\t').next().unwrap_or_default();
        if !name.is_empty() {
            map.push_str(&format!("    {name};\n"));
        }
    }
    map.push_str("  local: *;\n};\n");
    let out = PathBuf::from(env::var("OUT_DIR").expect("OUT_DIR"));
    let map_path = out.join("s2n.map");
    fs::write(&map_path, map).expect("write s2n.map");

    // An anonymous version script: named versions would tie binaries to s2nrs.
    println!(
        "cargo:rustc-cdylib-link-arg=-Wl,--version-script={}",
        map_path.display()
    );
    println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libs2n.so.1");
}
