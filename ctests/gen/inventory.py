"""Shared helpers for the ctests generators: read the inventory TSV files
(data/functions.tsv, enums.tsv, constants.tsv, errors.tsv) and write
generated files only when their content changes."""

import os
import re
import sys

# Headers installed under P/include: "s2n.h" and "unstable/<x>.h".
# Everything else in functions.tsv ("quic", "internal", "tls/s2n_tls13.h")
# is exported by the library but declared in no installed header.


def is_installed_header(header):
    return header == "s2n.h" or header.startswith("unstable/")


def include_path(header):
    """The #include spelling of an installed header."""
    return "s2n.h" if header == "s2n.h" else "s2n/" + header


def read_tsv(path):
    """Rows of a TSV file with a header line, as dicts (empty cells are '')."""
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    header = lines[0].split("\t")
    rows = []
    for line in lines[1:]:
        if not line.strip():
            continue
        cells = line.split("\t")
        cells += [""] * (len(header) - len(cells))
        rows.append(dict(zip(header, cells)))
    return rows


def split_params(params):
    """Split a parameter list as written in functions.tsv into its parameters.

    The inventory uses typedefs for every callback, so there are no nested
    parentheses; guard against them anyway."""
    params = params.strip()
    if params in ("", "void"):
        return []
    out, depth, cur = [], 0, ""
    for ch in params:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        if ch == "," and depth == 0:
            out.append(cur.strip())
            cur = ""
        else:
            cur += ch
    out.append(cur.strip())
    return out


def c_string(text):
    """A C string literal for text."""
    out = ['"']
    for ch in text:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ord(ch) < 0x20 or ord(ch) > 0x7E:
            for b in ch.encode("utf-8"):
                out.append('\\%03o' % b)
        elif ch == "?":
            out.append("\\?")  # no trigraphs
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def write_if_changed(path, text):
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    try:
        with open(path, encoding="utf-8") as f:
            if f.read() == text:
                # Still bump the timestamp so make/ninja see the output as
                # newer than its inputs.
                os.utime(path, None)
                return
    except OSError:
        pass
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def die(msg):
    sys.stderr.write("error: %s\n" % msg)
    sys.exit(1)


IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


# ---- declarations shared by the generated C files ----

# Types of non-installed functions, declared locally under names that cannot
# clash with a header that might one day declare the real ones.
LOCAL_TYPE_NAMES = {
    "s2n_secret_type_t": "s2nrs_ct_secret_type_t",
    "s2n_secret_cb": "s2nrs_ct_secret_cb",
}


def rename_local_types(params):
    for old, new in LOCAL_TYPE_NAMES.items():
        params = re.sub(r"\b%s\b" % re.escape(old), new, params)
    return params


def guard_condition(guard):
    """'!_WIN32' -> '!defined(_WIN32)'."""
    if guard.startswith("!"):
        return "!defined(%s)" % guard[1:]
    return "defined(%s)" % guard


def installed_headers(functions):
    headers = []
    for f in functions:
        h = f["header"]
        if is_installed_header(h) and h not in headers:
            headers.append(h)
    headers.sort(key=lambda h: (h != "s2n.h", h))
    return headers


def prototype(f, params=None):
    """'S2N_API extern <ret> <name>(<params>);' as the headers spell it."""
    ret = f["return_type"].strip()
    params = f["params"] if params is None else params
    sep = "" if ret.endswith("*") else " "
    return "S2N_API extern %s%s%s(%s);" % (ret, sep, f["name"], params.strip() or "void")


def local_type_declarations(enums):
    """C declarations of s2n_secret_type_t / s2n_secret_cb (tls/s2n_quic_support.h,
    not installed) under the s2nrs_ct_* names; the callback signature is the one
    listed in shared/api/types.md."""
    lines = ["/* s2n_secret_type_t and s2n_secret_cb (tls/s2n_quic_support.h, not installed),",
             " * declared here under other names. */",
             "typedef enum {"]
    for e in enums:
        if e["enum"] == "s2n_secret_type_t":
            lines.append("    S2NRS_CT_%s = %s," % (e["member"][len("S2N_"):], e["value"]))
    lines += ["} s2nrs_ct_secret_type_t;",
              "typedef int (*s2nrs_ct_secret_cb)(void *context, struct s2n_connection *conn,",
              "        s2nrs_ct_secret_type_t secret_type, uint8_t *secret, uint8_t secret_size);"]
    return lines


def declarations(functions, which):
    """Prototypes of the installed ('installed') or non-installed ('local')
    functions, guarded as in the inventory."""
    lines = []
    for f in functions:
        inst = is_installed_header(f["header"])
        if (which == "installed") != inst:
            continue
        params = f["params"] if inst else rename_local_types(f["params"])
        if f["guard"]:
            lines += ["#if %s" % guard_condition(f["guard"]), prototype(f, params), "#endif"]
        else:
            lines.append(prototype(f, params))
    return lines
