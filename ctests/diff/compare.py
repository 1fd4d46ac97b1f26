#!/usr/bin/env python3
"""Differential comparison of one ctests program run against s2nrs and s2n-tls.

    compare.py --program NAME --s2nrs BIN --reference BIN [--expected TSV]
               [--dump-rows]

Runs both binaries (each built by ctests/CMakeLists.txt, one against s2nrs,
one against real s2n-tls), keys every stdout line and compares the values:

  "<key> -> <value>"   key = the text before " -> "   (diff_*.c programs)
  "<name> <rest>"      key = the first word            (api_null_matrix)

A key that occurs twice gets "#2", "#3"... A key missing on one side has the
value "<missing>". Lines starting with "SKIP " are ignored.

A differing key is allowed when a row of expected.tsv covers it (see that
file for its format), or when the s2nrs value names S2N_ERR_UNIMPLEMENTED
(the generated rule "unimplemented": a function s2nrs reports unsupported or
not yet, explained in MATRIX.md). Any other difference fails: a unified diff
of the two outputs and the uncovered keys are printed. Expected rows that
matched nothing are reported (not a failure: the lead may fix a "TO FIX"
entry). Both programs must exit 0 or 77.

--dump-rows prints a TSV row for each uncovered difference (for review).
"""

import argparse
import difflib
import os
import re
import subprocess
import sys

# Errors of functions MATRIX.md lists as unsupported: S2N_ERR_UNIMPLEMENTED,
# or s2n's own error for a feature missing from a build or platform.
UNIMPLEMENTED = ("S2N_ERR_UNIMPLEMENTED", "S2N_ERR_KTLS_UNSUPPORTED_PLATFORM")


def run(binary):
    proc = subprocess.run([binary], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          universal_newlines=True, timeout=240)
    return proc.returncode, proc.stdout.splitlines(), proc.stderr


def keyed(lines):
    out = {}
    order = []
    for line in lines:
        if line.startswith("SKIP "):
            continue
        if " -> " in line:
            key, value = line.split(" -> ", 1)
        elif " " in line:
            key, value = line.split(" ", 1)
        else:
            key, value = line, ""
        base, n = key, 1
        while key in out:
            n += 1
            key = "%s#%d" % (base, n)
        out[key] = value
        order.append(key)
    return out, order


class Row:
    def __init__(self, fields, lineno, section):
        self.program, self.key, self.s2nrs, self.reference, self.reason = fields
        self.lineno = lineno
        self.section = section
        self.key_re = re.compile(self.key)
        self.s2nrs_re = None if self.s2nrs == "*" else re.compile(self.s2nrs)
        self.used = 0

    def covers(self, program, key, s2nrs_value, ref_value):
        if self.program not in ("*", program):
            return False
        if not self.key_re.fullmatch(key):
            return False
        m = None
        if self.s2nrs_re:
            m = self.s2nrs_re.fullmatch(s2nrs_value)
            if not m:
                return False
        if self.reference == "*":
            return True
        # \1.. in the s2n-tls pattern: the groups the s2nrs pattern captured.
        pattern = re.sub(r"\\(\d)", lambda g: re.escape(m.group(int(g.group(1))) if m else ""),
                         self.reference)
        return re.fullmatch(pattern, ref_value) is not None


def read_expected(path):
    rows = []
    section = ""
    with open(path) as f:
        for lineno, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if line.startswith("## "):
                section = line[3:].strip()
            if not line or line.startswith("#"):
                continue
            fields = line.split("\t")
            if len(fields) != 5 or not fields[4].strip():
                sys.exit("%s:%d: expected 5 tab-separated fields with a reason, got %d"
                         % (path, lineno, len(fields)))
            rows.append(Row(fields, lineno, section))
    return rows


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--program", required=True)
    ap.add_argument("--s2nrs", required=True)
    ap.add_argument("--reference", required=True)
    ap.add_argument("--expected", default=os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                       "expected.tsv"))
    ap.add_argument("--dump-rows", action="store_true")
    args = ap.parse_args()

    rows = read_expected(args.expected)
    rc_s, out_s, err_s = run(args.s2nrs)
    rc_r, out_r, err_r = run(args.reference)
    ok = True
    for name, rc, err in (("s2nrs", rc_s, err_s), ("s2n-tls", rc_r, err_r)):
        if rc not in (0, 77):
            print("%s build of %s exited %d; stderr tail:\n%s" % (name, args.program, rc, err[-2000:]))
            ok = False

    s, s_order = keyed(out_s)
    r, r_order = keyed(out_r)
    keys = s_order + [k for k in r_order if k not in s]
    same = 0
    allowed = {}
    uncovered = []
    for key in keys:
        sv = s.get(key, "<missing>")
        rv = r.get(key, "<missing>")
        if sv == rv:
            same += 1
            continue
        if any(code in sv for code in UNIMPLEMENTED):
            allowed["unimplemented (rule; see MATRIX.md)"] = allowed.get("unimplemented (rule; see MATRIX.md)", 0) + 1
            continue
        row = next((x for x in rows if x.covers(args.program, key, sv, rv)), None)
        if row:
            row.used += 1
            allowed[row.section or "expected"] = allowed.get(row.section or "expected", 0) + 1
            continue
        uncovered.append((key, sv, rv))

    print("%s: %d keyed lines compared, %d identical, %d allowed differences, %d uncovered"
          % (args.program, len(keys), same, sum(allowed.values()), len(uncovered)))
    for section, n in sorted(allowed.items()):
        print("  allowed: %4d  %s" % (n, section))
    for row in rows:
        if row.program in ("*", args.program) and row.used == 0:
            print("  note: expected.tsv:%d matched nothing (%s %s)" % (row.lineno, row.program, row.key))
    if uncovered:
        ok = False
        print("\nUnified diff (s2nrs vs s2n-tls):")
        sys.stdout.writelines(difflib.unified_diff(
            [l + "\n" for l in out_s], [l + "\n" for l in out_r],
            "%s (s2nrs)" % args.program, "%s (s2n-tls)" % args.program, n=0))
        print("\nDifferences not covered by expected.tsv:")
        for key, sv, rv in uncovered:
            print("  %s\n      s2nrs:   %s\n      s2n-tls: %s" % (key, sv, rv))
        if args.dump_rows:
            print("\nCandidate rows:")
            for key, sv, rv in uncovered:
                print("\t".join([args.program, re.escape(key), re.escape(sv), re.escape(rv), "TODO"]))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
