#!/usr/bin/env python3
"""Check the dynamic symbol table and SONAME of the installed library.

    check_exports.py --lib <library file> --functions <functions.tsv>

Passes when
  * the defined dynamic symbols are exactly the functions of functions.tsv
    plus s2n_errno (no Rust, libc or aws-lc symbol leaks out);
  * every function is a GLOBAL DEFAULT FUNC and s2n_errno a GLOBAL DEFAULT TLS;
  * the SONAME is libs2n.so.1;
  * libs2n.so.1 and libs2n.so next to the library are the same file.

Exits 77 (skipped) when readelf is missing, or when the library is not s2nrs
(no libs2nrs.so next to it): the exact export list is an s2nrs property.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys

SKIP = 77


def read_functions(path):
    names = []
    with open(path, encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split("\t")
        col = header.index("name")
        for line in f:
            if line.strip():
                names.append(line.rstrip("\n").split("\t")[col])
    return names


def run(cmd):
    return subprocess.run(cmd, check=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          universal_newlines=True).stdout


def dyn_symbols(readelf, lib):
    """{name: (type, bind, vis)} and {name: size} of the defined dynamic symbols."""
    out = run([readelf, "--dyn-syms", "-W", lib])
    syms, sizes = {}, {}
    for line in out.splitlines():
        # Num: Value Size Type Bind Vis Ndx Name
        m = re.match(r"\s*\d+:\s+[0-9a-fA-F]+\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)", line)
        if not m:
            continue
        size, typ, bind, vis, ndx, name = m.groups()
        if ndx == "UND" or not name:
            continue
        name = name.split("@")[0]  # a version suffix, if any
        syms[name] = (typ, bind, vis)
        sizes[name] = int(size, 0) if size.startswith("0x") else int(size)
    return syms, sizes


def nm_symbols(nm, lib):
    """Names of the defined dynamic symbols, with nm (no type/binding detail)."""
    out = run([nm, "-D", "--defined-only", lib])
    names = set()
    for line in out.splitlines():
        parts = line.split()
        if len(parts) >= 3:
            names.add(parts[2].split("@")[0])
    return names


def dynamic_section(readelf, lib):
    out = run([readelf, "-d", "-W", lib])
    soname, needed = None, []
    for line in out.splitlines():
        m = re.search(r"\((SONAME|NEEDED)\)\s+.*\[(.*)\]", line)
        if m:
            if m.group(1) == "SONAME":
                soname = m.group(2)
            else:
                needed.append(m.group(2))
    return soname, needed


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lib", required=True)
    ap.add_argument("--functions", required=True)
    ap.add_argument("--readelf", default="", help="readelf to use (default: from PATH)")
    args = ap.parse_args()

    readelf = args.readelf or shutil.which("readelf")
    nm = shutil.which("nm")
    if not readelf and not nm:
        print("SKIP: neither readelf nor nm found")
        return SKIP

    lib = os.path.realpath(args.lib)
    libdir = os.path.dirname(os.path.abspath(args.lib))
    if not os.path.exists(os.path.join(libdir, "libs2nrs.so")) and not os.path.basename(lib).startswith("libs2nrs"):
        print("SKIP: %s is not s2nrs (no libs2nrs.so next to it)" % args.lib)
        return SKIP
    if not os.path.isfile(lib):
        print("FAIL: %s does not exist" % lib)
        return 1

    failures = []
    functions = read_functions(args.functions)
    expected = set(functions) | {"s2n_errno"}
    if readelf:
        syms, sizes = dyn_symbols(readelf, lib)
        have = set(syms)
    else:
        print("note: no readelf; names checked with nm only (no TLS/SONAME checks)")
        syms, sizes = {}, {}
        have = nm_symbols(nm, lib)

    missing = sorted(expected - have)
    extra = sorted(have - expected)
    for n in missing:
        failures.append("not exported: %s" % n)
    for n in extra:
        failures.append("exported but not in the inventory: %s %s" % (n, " ".join(syms[n])))
    for n in sorted(expected & set(syms)):
        typ, bind, vis = syms[n]
        want = ("TLS" if n == "s2n_errno" else "FUNC", "GLOBAL", "DEFAULT")
        if (typ, bind, vis) != want:
            failures.append("%s is %s %s %s, expected %s %s %s" % ((n, typ, bind, vis) + want))
    if "s2n_errno" in sizes and sizes["s2n_errno"] != 4:
        failures.append("s2n_errno has size %d, expected 4 (an int)" % sizes["s2n_errno"])

    soname, needed = dynamic_section(readelf, lib) if readelf else ("(not checked)", ["(not checked)"])
    if readelf and soname != "libs2n.so.1":
        failures.append("SONAME is %r, expected 'libs2n.so.1'" % soname)

    for link in ("libs2n.so.1", "libs2n.so"):
        p = os.path.join(libdir, link)
        if not os.path.exists(p):
            failures.append("%s is missing next to the library" % link)
        elif os.path.realpath(p) != lib:
            failures.append("%s resolves to %s, not %s" % (link, os.path.realpath(p), lib))

    print("library: %s" % lib)
    print("SONAME: %s" % soname)
    print("NEEDED: %s" % ", ".join(needed))
    print("defined dynamic symbols: %d (expected %d: %d functions + s2n_errno)" % (
        len(have), len(expected), len(functions)))
    for f in failures:
        print("FAIL: %s" % f)
    if failures:
        print("%d problem(s)" % len(failures))
        return 1
    print("exports OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
