#!/usr/bin/env python3
"""Builds bench/bench.c against s2nrs and against real s2n-tls, runs every case
interleaved (s2nrs, s2n-tls, s2n-tls with S2N_DONT_MLOCK=1, then again ...),
and prints a table of medians with min..max and the ratios s2nrs/s2n-tls.

    python3 bench/run.py            # 5 repetitions, ~5-8 minutes
    python3 bench/run.py --smoke    # 1 repetition, tiny sizes, < 60 s
    python3 bench/run.py --write    # also writes BENCHMARKS.md at the repo root
    python3 bench/run.py --profile  # also where bulk time goes (perf), in BENCHMARKS.md with --write

Stdlib only. Prefixes default to build/stage (s2nrs) and build/ref-stage
(real s2n-tls, from reference/build.sh); without the latter only s2nrs runs.
"""
import argparse
import datetime
import os
import platform
import re
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH_SRC = os.path.join(ROOT, "bench")

# (job name, bench arguments without common options)
JOBS = [
    ("handshake_ecdsa_tls13", ["handshake_ecdsa_tls13"]),
    ("handshake_rsa_tls13", ["handshake_rsa_tls13"]),
    ("handshake_ecdsa_mtls_tls13", ["handshake_ecdsa_mtls_tls13"]),
    ("handshake_ecdsa_tls12", ["handshake_ecdsa_tls12"]),
    ("resumption_tls13", ["resumption_tls13"]),
    ("bulk_aes128gcm", ["bulk_aes128gcm"]),
    ("bulk_aes128gcm_throughput", ["bulk_aes128gcm", "--throughput"]),
    ("bulk_aes256gcm", ["bulk_aes256gcm"]),
    ("bulk_aes256gcm_throughput", ["bulk_aes256gcm", "--throughput"]),
    ("bulk_chacha20", ["bulk_chacha20"]),
    ("bulk_chacha20_throughput", ["bulk_chacha20", "--throughput"]),
    ("memory", ["memory"]),
    ("rss", ["rss"]),
]

HIGHER_BETTER_UNITS = {"hs/s", "MB/s"}


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def build(prefix, builddir):
    """Configures and builds bench against prefix; returns the binary path."""
    os.makedirs(builddir, exist_ok=True)
    cfg = ["cmake", "-S", BENCH_SRC, "-B", builddir, "-DCMAKE_BUILD_TYPE=Release",
           "-DCMAKE_PREFIX_PATH=" + prefix]
    for cmd in (cfg, ["cmake", "--build", builddir, "-j2"]):
        r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if r.returncode != 0:
            log(r.stdout)
            raise SystemExit("build failed: " + " ".join(cmd))
    return os.path.join(builddir, "bench")


def parse_line(line):
    fields = {}
    for tok in line.split():
        if "=" in tok:
            k, v = tok.split("=", 1)
            fields[k] = v
    return fields


def run_bench(binary, args, env_extra, timeout):
    env = dict(os.environ)
    env.update(env_extra)
    try:
        r = subprocess.run([binary] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           text=True, env=env, timeout=timeout)
    except subprocess.TimeoutExpired:
        return [{"case": args[0], "status": "error", "error": "timeout"}], ""
    out = [parse_line(l) for l in r.stdout.splitlines() if l.startswith("case=")]
    if r.returncode != 0 and not any(o.get("status") for o in out):
        out.append({"case": args[0], "status": "error",
                    "error": "exit_%d" % r.returncode})
    return out, r.stderr.strip()


def lib_version(prefix):
    """A label for the library installed at prefix."""
    cmake_dir = os.path.join(prefix, "lib", "s2n", "cmake")
    try:
        cfg = open(os.path.join(cmake_dir, "s2n-config.cmake")).read()
    except OSError:
        return "?"
    m = re.search(r'set\(s2n_REFERENCE_S2N_TLS_SYS_VERSION\s+"?([^")\s]+)', cfg)
    if m:
        return "s2n-tls from crates.io s2n-tls-sys %s" % m.group(1)
    # The library's name is in the config or in its target files.
    for root, _, files in os.walk(cmake_dir):
        for name in files:
            try:
                if "libs2nrs" in open(os.path.join(root, name)).read():
                    return "s2nrs"
            except OSError:
                pass
    return "s2n"


def loadavg():
    try:
        return " ".join(open("/proc/loadavg").read().split()[:3])
    except OSError:
        return "?"


def machine_facts():
    model = "?"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        nproc = subprocess.run(["nproc"], stdout=subprocess.PIPE, text=True).stdout.strip()
    except OSError:
        nproc = str(os.cpu_count())
    return model, nproc, platform.release()


def fmt(v, unit):
    if v is None:
        return "-"
    if unit in ("bytes/conn", "bytes/pair"):
        return "%.0f" % v
    if abs(v) >= 100:
        return "%.0f" % v
    return "%.1f" % v


def summarize(results, variants):
    """results[variant][case] = {"values": [...], "unit":, "status": set, "extra": {...}}"""
    cases = []
    for v in variants:
        for c in results[v]:
            if c not in cases:
                cases.append(c)
    rows = []
    for c in cases:
        row = {"case": c, "unit": None, "cells": {}, "cpu": {}, "notes": set()}
        for v in variants:
            d = results[v].get(c)
            if not d:
                row["cells"][v] = None
                continue
            if d["unit"]:
                row["unit"] = d["unit"]
            if d["cpu"]:
                row["cpu"][v] = statistics.median(d["cpu"])
            vals = d["values"]
            if vals:
                row["cells"][v] = (statistics.median(vals), min(vals), max(vals), len(vals))
            else:
                row["cells"][v] = None
            for s in d["status"]:
                row["notes"].add("%s: %s" % (v, s))
            for n in d["notes"]:
                row["notes"].add("%s: %s" % (v, n))
        rows.append(row)
    return rows


def ratio(row, a, b):
    ca, cb = row["cells"].get(a), row["cells"].get(b)
    if not ca or not cb or cb[0] == 0:
        return None
    return ca[0] / cb[0]


def cpu_ratio(row, a, b):
    ca, cb = row["cpu"].get(a), row["cpu"].get(b)
    if not ca or not cb:
        return None
    return ca / cb


def direction(unit):
    if unit in HIGHER_BETTER_UNITS:
        return "higher"
    if unit and unit.startswith("bytes"):
        return "lower"
    return "?"


def render_table(rows, variants, labels):
    head = ["case", "unit", "better"] + [labels[v] + " median [min..max]" for v in variants]
    if "s2n" in variants:
        head.append("s2nrs/s2n-tls")
    if "s2n_nomlock" in variants:
        head.append("s2nrs/s2n-tls(DONT_MLOCK)")
    has_cpu = any(r["cpu"] for r in rows)
    cpu_refs = [ref for ref in ("s2n", "s2n_nomlock") if ref in variants] if has_cpu else []
    for ref in cpu_refs:
        head.append("per CPU-s: s2nrs/" + ("s2n-tls" if ref == "s2n" else "s2n-tls(DONT_MLOCK)"))
    lines = []
    for r in rows:
        cells = [r["case"], r["unit"] or "-", direction(r["unit"])]
        for v in variants:
            c = r["cells"].get(v)
            if c is None:
                cells.append("n/a")
            else:
                cells.append("%s [%s..%s]" % (fmt(c[0], r["unit"]), fmt(c[1], r["unit"]),
                                              fmt(c[2], r["unit"])))
        for ref in ("s2n", "s2n_nomlock"):
            if ref in variants:
                x = ratio(r, "s2nrs", ref)
                cells.append("%.2fx" % x if x is not None else "-")
        for ref in cpu_refs:
            x = cpu_ratio(r, "s2nrs", ref)
            cells.append("%.2fx" % x if x is not None else "-")
        lines.append(cells)
    widths = [max(len(str(x)) for x in col) for col in zip(head, *lines)]
    out = []
    out.append("| " + " | ".join(h.ljust(w) for h, w in zip(head, widths)) + " |")
    out.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for l in lines:
        out.append("| " + " | ".join(str(x).ljust(w) for x, w in zip(l, widths)) + " |")
    return "\n".join(out)


def render_notes(rows):
    out = []
    for r in rows:
        by_text = {}
        for n in sorted(r["notes"]):
            variant, text = n.split(": ", 1)
            by_text.setdefault(text, []).append(variant)
        for text, vs in by_text.items():
            out.append("- %s (%s): %s" % (r["case"], ", ".join(vs), text))
    return "\n".join(out)


def render_chart(rows, ref):
    """ASCII bars of s2nrs/ref; '|' marks 1.0 (parity), 20 columns per 1.0x."""
    scale = 20
    width = 60
    out = []
    name_w = max([len(r["case"]) for r in rows] + [4])
    for r in rows:
        x = ratio(r, "s2nrs", ref)
        if x is None:
            out.append("%s  (no ratio)" % r["case"].ljust(name_w))
            continue
        n = int(round(x * scale))
        bar = "#" * min(n, width)
        if n > width:
            bar = bar[:-1] + ">"
        bar = bar.ljust(width)
        bar = bar[:scale] + "|" + bar[scale + 1:]  # parity column
        d = direction(r["unit"])
        verdict = ""
        if d == "higher":
            verdict = "s2nrs faster" if x > 1 else "s2nrs slower"
        elif d == "lower":
            verdict = "s2nrs smaller" if x < 1 else "s2nrs larger"
        out.append("%s %s %6.2fx  (%s is better; %s)" % (r["case"].ljust(name_w), bar, x, d, verdict))
    out.append("%s %s" % (" " * name_w, "0" + " " * (scale - 1) + "1.0x" + " " * (scale - 4) + "2.0x" + " " * (scale - 4) + "3.0x"))
    return "\n".join(out)


# perf symbol groups of the profile, first match wins: (name, regex over
# "<kind> <dso> <symbol>").
OWN_CODE = "the library's own code (s2n_*; s2nrs, rustls, Rust std)"
PROFILE_GROUPS = [
    ("AES-GCM (aws-lc)", re.compile(r"libs2n\S* \S*(aes|gcm|ghash)", re.I)),
    (OWN_CODE, re.compile(r"libs2n\S* (s2n|<?s2nrs|<?rustls|<?core::|<?alloc::|<?std::|_?ZN|<)")),
    ("aws-lc other (entropy at start-up, ...)", re.compile(r"libs2n")),
    ("kernel (socket copies, syscalls)", re.compile(r"^\[k\]")),
    ("libc copies (memcpy/memmove/memset)", re.compile(r"libc\S* \S*mem(cpy|move|set)")),
    ("libc other (read/write/...)", re.compile(r"libc")),
]


def profile(binary, args, env_extra, lib_name):
    """Runs one case under perf; returns [(group, percent)] and the top symbols of the library."""
    data = os.path.join(ROOT, "build", "perf-%s.data" % lib_name)
    env = dict(os.environ)
    env.update(env_extra)
    rec = subprocess.run(["perf", "record", "-F", "2000", "-o", data, binary] + args,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    if rec.returncode != 0:
        return None
    rep = subprocess.run(["perf", "report", "-i", data, "--no-children", "--sort", "dso,symbol",
                          "--stdio", "--percent-limit", "0.05"],
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    groups = {name: 0.0 for name, _ in PROFILE_GROUPS}
    groups["other"] = 0.0
    own = []
    for line in rep.stdout.splitlines():
        m = re.match(r"\s*([\d.]+)%\s+(\S+)\s+(\[[.k]\])\s+(\S+)", line)
        if not m:
            continue
        pct, dso, kind, sym = float(m.group(1)), m.group(2), m.group(3), m.group(4)
        key = "%s %s %s" % (kind, dso, sym)
        for name, pattern in PROFILE_GROUPS:
            if pattern.search(key):
                groups[name] += pct
                if name == OWN_CODE:
                    own.append((pct, sym))
                break
        else:
            groups["other"] += pct
    own.sort(reverse=True)
    return [(name, groups[name]) for name in list(groups)], own[:8]


def render_profile(profiles):
    names = [n for n, _ in next(iter(profiles.values()))[0]]
    libs = list(profiles)
    out = ["| where the cycles go | " + " | ".join(libs) + " |", "|---|" + "---|" * len(libs)]
    for i, name in enumerate(names):
        out.append("| %s | %s |" % (name, " | ".join("%.1f%%" % profiles[l][0][i][1] for l in libs)))
    out.append("")
    for lib in libs:
        top = ", ".join("%s %.1f%%" % (sym, pct) for pct, sym in profiles[lib][1])
        out.append("- %s's own code, top symbols: %s" % (lib, top or "none resolved"))
    return "\n".join(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--smoke", action="store_true", help="1 repetition, tiny durations/sizes")
    ap.add_argument("--reps", type=int, default=None, help="repetitions (default 5, smoke 1)")
    ap.add_argument("--seconds", type=float, default=None, help="timed seconds per handshake case (default 2)")
    ap.add_argument("--warmup", type=float, default=None, help="warm-up seconds (default 0.3)")
    ap.add_argument("--mib", type=int, default=None, help="MiB per bulk transfer (default 256)")
    ap.add_argument("--pairs", type=int, default=None, help="connection pairs for rss (default 10000)")
    ap.add_argument("--cases", default=None, help="comma-separated subset of job names")
    ap.add_argument("--s2nrs-prefix", default=os.path.join(ROOT, "build", "stage"))
    ap.add_argument("--ref-prefix", default=os.path.join(ROOT, "build", "ref-stage"))
    ap.add_argument("--certs", default=os.path.join(ROOT, "tests", "certs"))
    ap.add_argument("--write", action="store_true", help="write BENCHMARKS.md at the repo root")
    ap.add_argument("--no-build", action="store_true", help="reuse build/bench-* binaries")
    ap.add_argument("--profile", action="store_true",
                    help="profile bulk_aes128gcm --throughput with perf (needs perf)")
    a = ap.parse_args()

    reps = a.reps if a.reps is not None else (1 if a.smoke else 5)
    seconds = a.seconds if a.seconds is not None else (0.2 if a.smoke else 2.0)
    warmup = a.warmup if a.warmup is not None else (0.05 if a.smoke else 0.3)
    mib = a.mib if a.mib is not None else (32 if a.smoke else 256)
    pairs = a.pairs if a.pairs is not None else (200 if a.smoke else 10000)
    common = ["--certs", a.certs, "--seconds", str(seconds), "--warmup", str(warmup),
              "--mib", str(mib), "--pairs", str(pairs)]

    jobs = JOBS
    if a.cases:
        want = set(a.cases.split(","))
        jobs = [j for j in JOBS if j[0] in want]

    s2nrs_cfg = os.path.join(a.s2nrs_prefix, "lib", "s2n", "cmake", "s2n-config.cmake")
    ref_cfg = os.path.join(a.ref_prefix, "lib", "s2n", "cmake", "s2n-config.cmake")
    if not os.path.exists(s2nrs_cfg):
        raise SystemExit("s2nrs install not found at %s (build and stage s2nrs first)" % a.s2nrs_prefix)
    have_ref = os.path.exists(ref_cfg)
    if not have_ref:
        log("reference s2n-tls install not found at %s (run reference/build.sh %s): running s2nrs only"
            % (a.ref_prefix, a.ref_prefix))

    bins = {}
    if a.no_build:
        bins["s2nrs"] = os.path.join(ROOT, "build", "bench-s2nrs", "bench")
        if have_ref:
            bins["ref"] = os.path.join(ROOT, "build", "bench-ref", "bench")
    else:
        log("building bench against %s" % a.s2nrs_prefix)
        bins["s2nrs"] = build(a.s2nrs_prefix, os.path.join(ROOT, "build", "bench-s2nrs"))
        if have_ref:
            log("building bench against %s" % a.ref_prefix)
            bins["ref"] = build(a.ref_prefix, os.path.join(ROOT, "build", "bench-ref"))

    # variant -> (binary, extra env)
    variants = {"s2nrs": (bins["s2nrs"], {})}
    labels = {"s2nrs": "s2nrs", "s2n": "s2n-tls", "s2n_nomlock": "s2n-tls DONT_MLOCK"}
    if have_ref:
        variants["s2n"] = (bins["ref"], {})
        variants["s2n_nomlock"] = (bins["ref"], {"S2N_DONT_MLOCK": "1"})
    order = list(variants)

    results = {v: {} for v in order}
    load_start = loadavg()
    stderr_seen = {}
    t0 = time.time()
    for job, args in jobs:
        timeout = 600 if job == "rss" else 120
        for rep in range(reps):
            for v in order:
                binary, env = variants[v]
                lines, err = run_bench(binary, args + common, env, timeout)
                if err and (v, job) not in stderr_seen:
                    stderr_seen[(v, job)] = err
                for f in lines:
                    c = f.get("case", job)
                    d = results[v].setdefault(c, {"values": [], "cpu": [], "unit": None, "status": set(),
                                                  "notes": set(), "extra": []})
                    if "value" in f:
                        d["values"].append(float(f["value"]))
                        if "cpu_value" in f:
                            d["cpu"].append(float(f["cpu_value"]))
                        d["unit"] = f.get("unit")
                        d["extra"].append(f)
                        for k in ("note", "stop_error", "wire_overhead"):
                            if k in f:
                                msg = "%s=%s" % (k, f[k])
                                if k == "stop_error":
                                    msg += " (stopped at %s of %s pairs)" % (f.get("pairs"), f.get("requested"))
                                d["notes"].add(msg)
                    elif "status" in f:
                        d["status"].add(" ".join("%s=%s" % (k, x) for k, x in f.items() if k != "case"))
                log("  %-28s rep %d %-12s %s" % (job, rep + 1, v, "; ".join(
                    ("%s=%s %s" % (f.get("case"), f.get("value"), f.get("unit"))) if "value" in f else
                    ("%s %s" % (f.get("case"), f.get("status"))) for f in lines)))
    elapsed = time.time() - t0
    load_end = loadavg()

    rows = summarize(results, order)
    table = render_table(rows, order, labels)
    notes = render_notes(rows)
    print()
    print(table)
    if notes:
        print()
        print("Notes:")
        print(notes)
    chart = ""
    if have_ref:
        chart = render_chart(rows, "s2n")
        print()
        print("s2nrs / s2n-tls (default, mlock):")
        print(chart)
    print("\n(%d repetition(s), %.0f s of runs)" % (reps, elapsed))

    prof_md = None
    if a.profile:
        # 2 GiB, so that start-up (aws-lc's entropy) weighs little.
        case = ["bulk_aes128gcm", "--throughput"] + common + ["--mib", "2048"]
        profiles = {}
        for v, name in (("s2nrs", "s2nrs"), ("s2n_nomlock", "s2n-tls")):
            if v in variants:
                got = profile(variants[v][0], case, variants[v][1], name)
                if got:
                    profiles[name] = got
        if profiles:
            prof_md = render_profile(profiles)
            print()
            print(prof_md)
        else:
            log("perf did not run: no profile")

    if a.write:
        model, nproc, kernel = machine_facts()
        try:
            rev = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"],
                                 stdout=subprocess.PIPE, text=True).stdout.strip()
        except OSError:
            rev = "?"
        md = []
        md.append("# Benchmarks: s2nrs vs s2n-tls")
        md.append("")
        md.append("Generated by `python3 bench/run.py%s --write` on %s." % (
            " --smoke" if a.smoke else "", datetime.datetime.now().strftime("%Y-%m-%d %H:%M")))
        md.append("")
        md.append("- Machine: %s, nproc %s, Linux %s, shared with other work: load average %s at the "
                  "start, %s at the end; expect noise, and see the per-CPU-second ratios (rate per CPU second "
                  "of the bench process, less disturbed by other load)." % (model, nproc, kernel, load_start, load_end))
        md.append("- Run time: %.0f s of benchmark runs." % elapsed)
        md.append("- Libraries: %s (git %s, %s) vs %s (%s); both on aws-lc" % (
            lib_version(a.s2nrs_prefix), rev, a.s2nrs_prefix,
            lib_version(a.ref_prefix) if have_ref else "no reference (not run)", a.ref_prefix))
        md.append("- %d repetition(s) per case, interleaved s2nrs / s2n-tls / s2n-tls with "
                  "`S2N_DONT_MLOCK=1`; median [min..max]." % reps)
        md.append("- Handshakes: %.1f s timed after %.2f s warm-up, new connections + socketpair + handshake + "
                  "free per iteration, blinding delay 0, one thread alternating both ends. Bulk: %d MiB one way in "
                  "16 KiB `s2n_send` calls, same thread reading. RSS: %d pairs requested." % (
                      seconds, warmup, mib, pairs))
        md.append("- Ratios are s2nrs/s2n-tls for every metric: for hs/s and MB/s higher is better "
                  "for s2nrs; for bytes lower is better.")
        md.append("- memory_* counts only what goes through `s2n_mem_set_callbacks`: for s2nrs everything it "
                  "allocates, aws-lc's (libcrypto) allocations included; for s2n-tls its own "
                  "allocations, never libcrypto's. With callbacks installed s2n-tls does not mlock, so the two "
                  "s2n-tls variants match there.")
        md.append("")
        md.append(table)
        md.append("")
        if notes:
            md.append("Notes:")
            md.append("")
            md.append(notes)
            md.append("")
            if "S2N_ERR_MADVISE" in notes or "S2N_ERR_MLOCK" in notes:
                try:
                    mmc = open("/proc/sys/vm/max_map_count").read().strip()
                except OSError:
                    mmc = "?"
                md.append("S2N_ERR_MADVISE / S2N_ERR_MLOCK: without S2N_DONT_MLOCK, s2n-tls gives every "
                          "allocation its own page-aligned, mlocked, MADV_DONTDUMP memory; each splits a mapping, and "
                          "with vm.max_map_count=%s madvise or mlock fails once the process holds too many "
                          "mappings, so the mlock variant's rss value is measured over the pairs it reached "
                          "(see stopped at)." % mmc)
                md.append("")
            if "fd_limit" in notes:
                md.append("fd_limit: each idle pair holds 2 fds; RLIMIT_NOFILE (raised to its hard limit) caps "
                          "the pair count below the requested one.")
                md.append("")
        if chart:
            md.append("Ratio s2nrs / s2n-tls (s2n-tls default behaviour, mlock on); `|` marks parity (1.0x), 20 columns per 1.0x:")
            md.append("")
            md.append("```")
            md.append(chart)
            md.append("```")
            md.append("")
        if prof_md:
            md.append("Where the time goes in `bulk_aes128gcm --throughput` (`perf record`, share of the "
                      "process's cycles; s2n-tls with `S2N_DONT_MLOCK=1`):")
            md.append("")
            md.append(prof_md)
            md.append("")
        path = os.path.join(ROOT, "BENCHMARKS.md")
        with open(path, "w") as f:
            f.write("\n".join(md))
        log("wrote %s" % path)


if __name__ == "__main__":
    main()
