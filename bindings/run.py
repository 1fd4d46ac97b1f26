#!/usr/bin/env python3
"""Run s2n-tls's own Rust bindings test suites against an installed libs2n.

The crates.io packages s2n-tls, s2n-tls-tokio and s2n-tls-sys (VERSION below)
are fetched by cargo and laid out under <work>/tree as they sit in the s2n-tls
repository (bindings/rust/extended/<crate>), beside the test PEM files that
bindings/pems.sh generates (their tests read ../certs and tests/pems relative
to the crates). s2n-tls-sys builds in its external-library mode
(S2N_TLS_DIR=<prefix>: it links -ls2n from <prefix>/lib and compiles no C).

Each test runs in a process of its own: a test that panics inside an
`extern "C"` callback aborts its whole libtest binary. The outcome is compared
with bindings/allowed.tsv (suite, features, test, reason): the run fails on any
other failure, and on an allowed failure that now passes.

    bindings/run.py --prefix <install prefix> [--work DIR] [--features default|all|both]
"""

import argparse
import concurrent.futures
import json
import os
import pathlib
import shutil
import subprocess
import sys

VERSION = "0.3.42"
CRATES = ["s2n-tls", "s2n-tls-tokio", "s2n-tls-sys"]
# Every feature of the s2n-tls crate but fips (which needs aws-lc's FIPS build).
ALL_FEATURES = [
    "pq", "quic", "unstable-cert_authorities", "unstable-crl",
    "unstable-custom_x509_extensions", "unstable-events", "unstable-fingerprint",
    "unstable-ktls", "unstable-renegotiate", "unstable-testing",
]
HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent
TEST_TIMEOUT = 120


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, **kw)


def fetch_sources(work):
    """The crates' registry sources, by crate name."""
    fetch = work / "fetch"
    (fetch / "src").mkdir(parents=True, exist_ok=True)
    deps = "".join(f'{c} = "={VERSION}"\n' for c in CRATES)
    (fetch / "Cargo.toml").write_text(
        '[package]\nname = "fetch"\nversion = "0.0.0"\nedition = "2021"\n'
        f"[dependencies]\n{deps}[workspace]\n")
    (fetch / "src" / "lib.rs").write_text("")
    meta = run(["cargo", "metadata", "--format-version", "1", "--manifest-path",
                str(fetch / "Cargo.toml")], stdout=subprocess.PIPE).stdout
    found = {}
    for pkg in json.loads(meta)["packages"]:
        if pkg["name"] in CRATES and pkg["version"] == VERSION:
            found[pkg["name"]] = pathlib.Path(pkg["manifest_path"]).parent
    missing = set(CRATES) - set(found)
    if missing:
        sys.exit(f"bindings: crates not found: {sorted(missing)}")
    return found


def lay_out(work, sources):
    tree = work / "tree"
    ext = tree / "bindings" / "rust" / "extended"
    for name, src in sources.items():
        dst = ext / name
        if not dst.exists():
            shutil.copytree(src, dst, ignore=shutil.ignore_patterns("Cargo.lock"))
            # The repository's manifests: their path dependencies join the
            # crates (the published ones drop path-only dev-dependencies, such
            # as s2n-tls-tokio's on s2n-tls with "unstable-testing").
            shutil.copy(dst / "Cargo.toml.orig", dst / "Cargo.toml")
    members = ", ".join(f'"bindings/rust/extended/{c}"' for c in CRATES)
    (tree / "Cargo.toml").write_text(f'[workspace]\nmembers = [{members}]\nresolver = "2"\n')
    shutil.copy(HERE / "Cargo.lock", tree / "Cargo.lock")
    run(["bash", str(HERE / "pems.sh"), str(tree)])
    return tree


def cargo_env(prefix, work):
    env = dict(os.environ)
    env.update({
        "S2N_TLS_DIR": str(prefix),
        "CARGO_TARGET_DIR": str(work / "target"),
        # rustc links with -z now: one function missing from the library
        # fails the whole test binary at load time.
        "RUSTFLAGS": "-C link-arg=-Wl,-z,now",
        "LD_LIBRARY_PATH": str(prefix / "lib"),
        "S2N_DONT_MLOCK": "1",
        # The bindings pin an older toolchain; build with the installed one.
        "RUSTUP_TOOLCHAIN": os.environ.get("RUSTUP_TOOLCHAIN", "stable"),
    })
    return env


def test_binaries(tree, env, crate, features):
    cmd = ["cargo", "test", "--locked", "-j2", "--no-run", "--message-format=json",
           "-p", crate]
    if features:
        cmd += ["--features", ",".join(features)]
    out = run(cmd, cwd=tree, env=env, stdout=subprocess.PIPE).stdout.decode()
    bins = []
    for line in out.splitlines():
        try:
            msg = json.loads(line)
        except json.JSONDecodeError:
            continue
        if msg.get("reason") == "compiler-artifact" and msg.get("executable") \
                and msg.get("profile", {}).get("test"):
            name = f'{crate}::{msg["target"]["name"]}'
            bins.append((name, msg["executable"]))
    return bins


def list_tests(exe, env):
    out = run([exe, "--list", "--format", "terse"], env=env, stdout=subprocess.PIPE,
              cwd=os.path.dirname(exe)).stdout.decode()
    return [l[: -len(": test")] for l in out.splitlines() if l.endswith(": test")]


def run_one(exe, test, env, cwd):
    try:
        p = subprocess.run([exe, "--exact", test, "--test-threads", "1"], env=env, cwd=cwd,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           timeout=TEST_TIMEOUT)
        out = p.stdout.decode(errors="replace")
        if p.returncode == 0 and "1 passed" in out:
            return "pass", out
        if p.returncode == 0 and "1 ignored" in out:
            return "ignored", out
        return f"fail (exit {p.returncode})", out
    except subprocess.TimeoutExpired as e:
        return "fail (timeout)", (e.stdout or b"").decode(errors="replace")


def run_suite(tree, env, crate, features, mode, log):
    results = {}
    jobs = []
    for suite, exe in test_binaries(tree, env, crate, features):
        cwd = tree / "bindings" / "rust" / "extended" / crate
        try:
            tests = list_tests(exe, env)
        except subprocess.CalledProcessError as e:
            # A binary that does not even load (a missing export under -z now).
            results[(suite, "<load>")] = f"fail (exit {e.returncode})"
            continue
        jobs += [(suite, exe, t, cwd) for t in tests]
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        futs = {pool.submit(run_one, exe, t, env, cwd): (suite, t) for suite, exe, t, cwd in jobs}
        for fut in concurrent.futures.as_completed(futs):
            suite, t = futs[fut]
            status, out = fut.result()
            results[(suite, t)] = status
            if status != "pass":
                log.write(f"===== [{mode}] {suite} {t}: {status}\n{out[-6000:]}\n")
    return results


def run_doctests(tree, env, log):
    p = subprocess.run(["cargo", "test", "--locked", "-j2", "--doc", "-p", "s2n-tls"],
                       cwd=tree, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    out = p.stdout.decode(errors="replace")
    results = {}
    for line in out.splitlines():
        if line.startswith("test ") and " ... " in line:
            name, status = line[5:].rsplit(" ... ", 1)
            results[("s2n-tls::doc", name.strip())] = "pass" if status == "ok" else \
                "ignored" if status.startswith("ignored") else "fail"
    if p.returncode != 0:
        log.write(f"===== doctests\n{out[-6000:]}\n")
        if not results:
            results[("s2n-tls::doc", "<build>")] = "fail"
    return results


def load_allowed():
    allowed = {}
    for line in (HERE / "allowed.tsv").read_text().splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        mode, suite, test, reason = line.split("\t", 3)
        allowed[(mode, suite, test)] = reason
    return allowed


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--prefix", required=True, type=pathlib.Path)
    ap.add_argument("--work", type=pathlib.Path, default=ROOT / "build" / "bindings")
    ap.add_argument("--features", choices=["default", "all", "both"], default="both")
    ap.add_argument("--only", help="run only tests whose name contains this")
    args = ap.parse_args()
    prefix = args.prefix.resolve()
    work = args.work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    tree = lay_out(work, fetch_sources(work))
    env = cargo_env(prefix, work)
    modes = ["default", "all"] if args.features == "both" else [args.features]
    allowed = load_allowed()
    results = {}
    with open(work / "failures.log", "w") as log:
        for mode in modes:
            feats = ALL_FEATURES if mode == "all" else []
            for crate in CRATES:
                crate_feats = feats if crate == "s2n-tls" else []
                if mode == "all" and crate != "s2n-tls":
                    continue  # the other crates have no features of their own
                for key, status in run_suite(tree, env, crate, crate_feats, mode, log).items():
                    results[(mode,) + key] = status
            if mode == "default":
                for key, status in run_doctests(tree, env, log).items():
                    results[(mode,) + key] = status
    if args.only:
        results = {k: v for k, v in results.items() if args.only in k[2]}

    unexpected = []
    summary = {}
    for key in sorted(results):
        status = results[key]
        mode, suite, test = key
        s = summary.setdefault((mode, suite.split("::")[0]), [0, 0, 0])
        s[0 if status == "pass" else 2 if status == "ignored" else 1] += 1
        if status.startswith("fail") and key not in allowed:
            unexpected.append(f"FAILED {mode} {suite} {test}: {status}")
        if status == "pass" and key in allowed:
            unexpected.append(f"PASSES but listed in allowed.tsv: {mode} {suite} {test}")
    for (mode, crate), (p, f, i) in sorted(summary.items()):
        print(f"bindings {mode:7} {crate:14} {p:4} passed {f:3} failed {i:3} ignored")
    for line in unexpected:
        print(line)
    passed = sum(1 for s in results.values() if s == "pass")
    failed = len(unexpected)
    print(f"(failure output in {work / 'failures.log'})")
    print(f"bindings: {passed} passed, {failed} failed")
    sys.exit(1 if unexpected else 0)


if __name__ == "__main__":
    main()
