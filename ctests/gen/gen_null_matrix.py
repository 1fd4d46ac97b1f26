#!/usr/bin/env python3
"""Generate api_null_matrix.c from data/functions.tsv.

After s2n_init(), the generated program calls every function of the inventory
(except the EXCLUDED ones below) with NULL for every pointer argument
(callbacks included) and 0 for every other argument, resetting s2n_errno to 0
before each call, and prints one line per call on stdout:

    <name> rc=<value> err=<s2n_strerror_name(s2n_errno)> type=<s2n_error_get_type(s2n_errno)>
    <name> ptr=<NULL|non-NULL> err=... type=...

Stdout holds only these deterministic facts, so the output of two builds
(s2nrs, s2n-tls) can be diffed. Anything else goes to stderr.

The program fails if a call crashes, or if a call that reported failure
(a negative int/ssize_t, or a NULL pointer) left s2n_errno at 0 (except the
NULL_WITHOUT_ERRNO functions, where s2n-tls itself does so), or if s2n_init
fails (the matrix still runs then, to find crashes).

Objects that a constructor returns are freed with the matching free function
(outcome on stderr only).

Usage: gen_null_matrix.py DATA_DIR OUT_C
"""

import os
import re
import sys

sys.dont_write_bytecode = True  # keep the source tree clean
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from inventory import (  # noqa: E402
    declarations, die, guard_condition, include_path, installed_headers,
    local_type_declarations, read_tsv, split_params, write_if_changed)

# Functions not called, with the reason. Keep each reason true for s2n-tls
# too: the output is meant to be diffed against it.
EXCLUDED = {
    "s2n_errno_location": "returns the address of this thread's s2n_errno: no failure path, nothing to compare",
    "s2n_init": "library lifecycle: called once before the matrix (api_init covers the order rules)",
    "s2n_cleanup": "library lifecycle (api_init covers it)",
    "s2n_cleanup_final": "library lifecycle: would de-initialize the library in the middle of the matrix",
    "s2n_cleanup_thread": "library lifecycle (api_init covers it)",
    "s2n_print_stacktrace": "fprintf()s to the FILE* it is given when stack traces are on: NULL is a caller bug by design",
    "s2n_mem_set_callbacks": "replaces the global allocator hooks; NULL hooks are not an API misuse to survive but a process-wide change",
    "s2n_rand_set_callbacks": "deprecated; replaces process-wide random hooks",
    "s2n_get_openssl_version": "returns a value by value with no pointer argument and no failure path; the value depends on the libcrypto build",
    "s2n_config_free": "s2n-tls dereferences the config before any NULL check (s2n_config_cleanup) and segfaults on NULL",
}

# Pointer-returning functions for which s2n-tls returns NULL for a NULL
# argument without setting s2n_errno: the line is printed, but NULL is not
# counted as a failure that must set s2n_errno.
NULL_WITHOUT_ERRNO = {
    "s2n_certificate_request_get_ca_list": "s2n-tls: `return request != NULL ? &request->list : NULL;`",
}

# Constructors whose non-NULL result must be freed: name -> C statement using `p`.
FREE_RESULT = {
    "s2n_config_new": "s2n_config_free(p)",
    "s2n_config_new_minimal": "s2n_config_free(p)",
    "s2n_cert_chain_and_key_new": "s2n_cert_chain_and_key_free(p)",
    "s2n_connection_new": "s2n_connection_free(p)",
    "s2n_external_psk_new": "s2n_psk_free(&p)",
    "s2n_offered_psk_new": "s2n_offered_psk_free(&p)",
    "s2n_crl_new": "s2n_crl_free(&p)",
    "s2n_fingerprint_new": "s2n_fingerprint_free(&p)",
    "s2n_client_hello_parse_message": "s2n_client_hello_free(&p)",
}

SCALAR_TYPES = {
    "int", "unsigned", "unsigned int", "long", "unsigned long",
    "int8_t", "int16_t", "int32_t", "int64_t",
    "uint8_t", "uint16_t", "uint32_t", "uint64_t",
    "size_t", "ssize_t", "off_t", "bool",
}

SIGNED_RETURNS = {"int", "ssize_t"}
UNSIGNED_RETURNS = {"uint32_t", "uint64_t", "unsigned long", "size_t"}


def param_type(param):
    """The type part of a parameter ('const uint32_t cert_idx' -> 'uint32_t',
    's2n_verify_host_fn' -> 's2n_verify_host_fn')."""
    p = re.sub(r"\bconst\b", " ", param).strip()
    if "*" in p:
        return "pointer"
    words = p.split()
    if len(words) == 1 or " ".join(words) in SCALAR_TYPES:
        return " ".join(words)  # unnamed parameter
    return " ".join(words[:-1])


def argument(param, enum_types):
    t = param_type(param)
    if t == "pointer":
        return "NULL"
    if t in SCALAR_TYPES:
        return "0"
    if t in enum_types:
        return "(%s) 0" % t
    if t.startswith("s2n"):
        # callback typedefs (function pointers or function types)
        return "NULL"
    die("cannot classify parameter %r" % param)
    return None


def main():
    if len(sys.argv) != 3:
        die("usage: gen_null_matrix.py DATA_DIR OUT_C")
    data_dir, out_c = sys.argv[1:]
    functions = read_tsv(os.path.join(data_dir, "functions.tsv"))
    enums = read_tsv(os.path.join(data_dir, "enums.tsv"))
    enum_types = {e["enum"] for e in enums}
    names = {f["name"] for f in functions}
    for n in list(EXCLUDED) + list(FREE_RESULT) + list(NULL_WITHOUT_ERRNO):
        if n not in names:
            die("%s is listed in the generator but not in functions.tsv" % n)

    out = []
    w = out.append
    w("/* Generated by ctests/gen/gen_null_matrix.py from data/functions.tsv. Do not edit. */")
    w("#include <signal.h>")
    w("#include <stdbool.h>")
    w("#include <stdint.h>")
    w("#include <stdio.h>")
    w("#include <stdlib.h>")
    w("#include <string.h>")
    w("#include <sys/types.h>")
    w("#include <unistd.h>")
    for h in installed_headers(functions):
        w("#include <%s>" % include_path(h))
    w("")
    out.extend(local_type_declarations(enums))
    w("")
    w("/* Exported but declared in no installed header. */")
    out.extend(declarations(functions, "local"))
    w("")
    w("/* Not called (reason):")
    for f in functions:
        if f["name"] in EXCLUDED:
            w(" *   %s: %s" % (f["name"], EXCLUDED[f["name"]]))
    w(" * NULL without s2n_errno accepted (reason):")
    for f in functions:
        if f["name"] in NULL_WITHOUT_ERRNO:
            w(" *   %s: %s" % (f["name"], NULL_WITHOUT_ERRNO[f["name"]]))
    w(" */")
    w("")
    w(r'''#if defined(__SANITIZE_ADDRESS__)
#define S2NRS_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define S2NRS_ASAN 1
#endif
#endif

static const char *volatile current = "(before the first call)";
static int missing_errno;
static int calls;

static void on_fatal_signal(int sig)
{
    /* async-signal-safe: write(2) only */
    const char *prefix = "api_null_matrix: fatal signal while calling ";
    const char *name = current;
    ssize_t ignored = write(2, prefix, strlen(prefix));
    ignored = write(2, name, strlen(name));
    ignored = write(2, "\n", 1);
    (void) ignored;
    signal(sig, SIG_DFL);
    raise(sig);
}

static void install_handlers(void)
{
    /* A Rust panic that crosses extern "C" aborts: name the function. */
    signal(SIGABRT, on_fatal_signal);
#ifndef S2NRS_ASAN
    /* Under ASan its own report (with a stack) is more useful. */
    signal(SIGSEGV, on_fatal_signal);
    signal(SIGBUS, on_fatal_signal);
    signal(SIGFPE, on_fatal_signal);
    signal(SIGILL, on_fatal_signal);
#endif
}

static void begin(const char *name)
{
    current = name;
    calls++;
    fflush(stdout);
    s2n_errno = 0;
}

static const char *err_name(int err)
{
    const char *s = s2n_strerror_name(err);
    return s ? s : "(null)";
}

static void report_signed(const char *name, long long rc, int err)
{
    printf("%s rc=%lld err=%s type=%d\n", name, rc, err_name(err), s2n_error_get_type(err));
    if (rc < 0 && err == 0) {
        fprintf(stderr, "FAIL: %s returned %lld but left s2n_errno at 0\n", name, rc);
        missing_errno++;
    }
}

static void report_value(const char *name, long long rc, int err)
{
    printf("%s rc=%lld err=%s type=%d\n", name, rc, err_name(err), s2n_error_get_type(err));
}

static void report_unsigned(const char *name, unsigned long long rc, int err)
{
    printf("%s rc=%llu err=%s type=%d\n", name, rc, err_name(err), s2n_error_get_type(err));
}

static void report_ptr(const char *name, const void *p, int err, int null_needs_errno)
{
    printf("%s ptr=%s err=%s type=%d\n", name, p ? "non-NULL" : "NULL", err_name(err), s2n_error_get_type(err));
    if (p == NULL && err == 0 && null_needs_errno) {
        fprintf(stderr, "FAIL: %s returned NULL but left s2n_errno at 0\n", name);
        missing_errno++;
    }
}

static void freed(const char *name, int rc)
{
    if (rc != 0) {
        fprintf(stderr, "note: freeing the result of %s failed: %s\n", name, err_name(s2n_errno));
    }
}
''')
    w("int main(void)")
    w("{")
    w("    setvbuf(stdout, NULL, _IOLBF, 0);")
    w("    install_handlers();")
    w("    /* Without s2n_init the matrix still runs (a NULL must never crash), but")
    w("     * the test fails: its stdout is only comparable after a good init. */")
    w("    int init_failed = 0;")
    w("    if (s2n_init() != S2N_SUCCESS) {")
    w('        fprintf(stderr, "FAIL: s2n_init failed: %s\\n", err_name(s2n_errno));')
    w("        init_failed = 1;")
    w("    }")
    w("")
    n_called = 0
    for f in functions:
        name = f["name"]
        if name in EXCLUDED:
            continue
        params = split_params(f["params"])
        args = ", ".join(argument(p, enum_types) for p in params)
        ret = f["return_type"].strip()
        if f["guard"]:
            w("#if %s" % guard_condition(f["guard"]))
        w("    /* %s %s(%s) */" % (ret, name, f["params"] or "void"))
        w("    {")
        w('        begin("%s");' % name)
        if ret.endswith("*"):
            rtype = ret
            if name in FREE_RESULT:
                w("        %s%sp = %s(%s);" % (rtype, "" if rtype.endswith("*") else " ", name, args))
                w("        report_ptr(\"%s\", (const void *) p, s2n_errno, 1);" % name)
                w("        if (p != NULL) {")
                w("            freed(\"%s\", %s);" % (name, FREE_RESULT[name]))
                w("        }")
            else:
                w("        const void *p = (const void *) %s(%s);" % (name, args))
                w("        report_ptr(\"%s\", p, s2n_errno, %d);" % (name, 0 if name in NULL_WITHOUT_ERRNO else 1))
        elif ret in SIGNED_RETURNS:
            w("        long long rc = (long long) %s(%s);" % (name, args))
            w("        report_signed(\"%s\", rc, s2n_errno);" % name)
        elif ret == "bool":
            w("        long long rc = %s(%s) ? 1 : 0;" % (name, args))
            w("        report_unsigned(\"%s\", (unsigned long long) rc, s2n_errno);" % name)
        elif ret in UNSIGNED_RETURNS:
            w("        unsigned long long rc = (unsigned long long) %s(%s);" % (name, args))
            w("        report_unsigned(\"%s\", rc, s2n_errno);" % name)
        elif ret in enum_types:
            # an enum by value has no failure value; print it as an int
            w("        long long rc = (long long) (int) %s(%s);" % (name, args))
            w("        report_value(\"%s\", rc, s2n_errno);" % name)
        else:
            die("%s: unhandled return type %r" % (name, ret))
        w("    }")
        if f["guard"]:
            w("#endif")
        n_called += 1
    w("")
    w('    current = "(after the last call)";')
    w("    s2n_errno = 0;")
    w("    if (s2n_cleanup_final() != S2N_SUCCESS) {")
    w('        fprintf(stderr, "note: s2n_cleanup_final failed: %s\\n", err_name(s2n_errno));')
    w("    }")
    w('    fprintf(stderr, "api_null_matrix: %%d calls (%d in the inventory, %d excluded), %%d failure(s) without s2n_errno\\n", calls, missing_errno);' % (
        len(functions), len(EXCLUDED)))
    w("    return (missing_errno == 0 && !init_failed) ? 0 : 1;")
    w("}")
    w("")
    write_if_changed(out_c, "\n".join(out))


if __name__ == "__main__":
    main()
