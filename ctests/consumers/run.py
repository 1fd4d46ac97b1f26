#!/usr/bin/env python3
"""The consumer tests: s2nrs's source tree used the ways s2n-tls users use
s2n-tls's (registered by ctests/CMakeLists.txt, label api).

    run.py subdir --source <s2nrs tree> --work <dir> [common options]
        api_consumer_subdir: the project in consumers/subdir add_subdirectory()s
        the s2nrs tree (where s2n-tls's would be), links the target s2n (and
        AWS::s2n), builds and runs a program (init, config, client
        connection, cleanup). s2nrs is a subproject there: its C suite and
        demo must not be built, and its cargo output goes to the given
        --cargo-target-dir or, by default, to the subproject's binary
        directory, never into the source tree.

    run.py static --source <s2nrs tree> --work <dir> --certs <tests/certs> [...]
        api_consumer_static: configure, build and install s2nrs with
        -DBUILD_SHARED_LIBS=OFF -DBUILD_TESTING=OFF into <work>/prefix; check
        the layout and lib/libs2n.a (s2n_errno a defined TLS symbol, no
        unprefixed OpenSSL API defined); then build consumers/static's
        handshake program with find_package(s2n) (the static AWS::s2n) and
        OpenSSL's libcrypto (OpenSSL::Crypto), run it, and build and run it
        again with `pkg-config --static --cflags --libs s2n` when pkg-config
        exists.

Common options:
    --cargo-target-dir <dir>  a warm cargo target dir to build in (empty:
                              the build's own, a cold build of AWS-LC)
    --cmake <cmake>  --generator <name>  --c-compiler <cc>  --jobs <n>
    --pkg-config <exe>  --readelf <exe>  --nm <exe>  (empty: not available)

Exits 0 on success, 1 on a failure, 77 (skipped) when cargo is missing.
"""

import argparse
import os
import re
import shlex
import shutil
import subprocess
import sys
import time

SKIP = 77
HERE = os.path.dirname(os.path.abspath(__file__))


class Failure(Exception):
    pass


def log(msg):
    print(msg, flush=True)


def run(cmd, env=None, cwd=None, capture=False):
    """Runs cmd, echoing it; its output goes to ours unless captured."""
    log("+ " + " ".join(shlex.quote(str(c)) for c in cmd))
    start = time.monotonic()
    result = subprocess.run([str(c) for c in cmd], env=env, cwd=cwd, universal_newlines=True,
                            stdout=subprocess.PIPE if capture else None,
                            stderr=subprocess.STDOUT if capture else None)
    took = time.monotonic() - start
    if result.returncode != 0:
        if capture:
            log(result.stdout)
        raise Failure("%s exited %d (after %.0f s)" % (cmd[0], result.returncode, took))
    if took >= 5:
        log("  (%.0f s)" % took)
    return result.stdout if capture else None


def check(cond, msg):
    if not cond:
        raise Failure(msg)
    log("ok: " + msg)


def clean_env():
    """The environment for the builds: nothing that would redirect them."""
    env = dict(os.environ)
    for var in ("DESTDIR", "CARGO_TARGET_DIR", "CMAKE_PREFIX_PATH", "MAKEFLAGS", "MFLAGS"):
        env.pop(var, None)
    return env


def cmake_configure(args, src, build, defs, env):
    cmd = [args.cmake, "-S", src, "-B", build]
    if args.generator:
        cmd += ["-G", args.generator]
    if args.c_compiler:
        cmd.append("-DCMAKE_C_COMPILER=" + args.c_compiler)
    cmd += ["-D%s=%s" % (k, v) for k, v in defs.items()]
    run(cmd, env=env)


def cmake_build(args, build, env):
    run([args.cmake, "--build", build, "-j", str(args.jobs)], env=env)


def read_cache(build, var):
    with open(os.path.join(build, "CMakeCache.txt"), encoding="utf-8") as f:
        for line in f:
            m = re.match(r"^%s:[A-Z]+=(.*)$" % re.escape(var), line.rstrip("\n"))
            if m:
                return m.group(1)
    return None


def same_path(a, b):
    return os.path.realpath(a) == os.path.realpath(b)


def fresh_dir(path):
    if os.path.exists(path):
        shutil.rmtree(path)
    os.makedirs(path)


# ---------------------------------------------------------------------------
# api_consumer_subdir

def test_subdir(args):
    env = clean_env()
    source = os.path.realpath(args.source)
    work = os.path.abspath(args.work)
    fresh_dir(work)
    parent_src = os.path.join(HERE, "subdir")
    build = os.path.join(work, "build")
    source_target = os.path.join(source, "target")
    source_target_existed = os.path.exists(source_target)

    defs = {"S2NRS_SOURCE_DIR": source, "BUILD_TESTING": "ON"}
    if args.cargo_target_dir:
        defs["S2NRS_CARGO_TARGET_DIR"] = os.path.abspath(args.cargo_target_dir)
    cmake_configure(args, parent_src, build, defs, env)
    cmake_build(args, build, env)

    for exe in ("consumer", "consumer_alias"):
        out = run([os.path.join(build, exe)], env=env, capture=True)
        log(out.rstrip())
        check("consumer: ok" in out, "%s (linked with %s) runs" % (exe, "s2n" if exe == "consumer" else "AWS::s2n"))

    sub = os.path.join(build, "s2n")
    for name in ("s2nrs-demo", "stage", "ctests-plain", "ctests-asan"):
        check(not os.path.exists(os.path.join(sub, name)),
              "the subproject built no %s (its tests and demo are top-level only)" % name)

    # Where cargo's output went.
    used = read_cache(build, "S2NRS_CARGO_TARGET_DIR")
    if args.cargo_target_dir:
        check(used is not None and same_path(used, args.cargo_target_dir),
              "cargo built in the given target dir %s" % args.cargo_target_dir)
    else:
        expected = os.path.join(sub, "cargo")
        check(used is not None and same_path(used, expected),
              "cargo's target dir defaults to the subproject's binary dir (%s)" % used)
        check(os.path.exists(os.path.join(expected, "release", "libs2nrs.so")),
              "the library was built in %s" % expected)
        if not source_target_existed:
            check(not os.path.exists(source_target),
                  "no target/ appeared in the source tree %s" % source)
    if args.cargo_target_dir:
        # The default, without building: configure the parent once more
        # without the variable.
        build2 = os.path.join(work, "default")
        defs2 = {"S2NRS_SOURCE_DIR": source, "BUILD_TESTING": "ON"}
        cmake_configure(args, parent_src, build2, defs2, env)
        used2 = read_cache(build2, "S2NRS_CARGO_TARGET_DIR")
        check(used2 is not None and same_path(used2, os.path.join(build2, "s2n", "cargo")),
              "without S2NRS_CARGO_TARGET_DIR, cargo's target dir is the subproject's binary dir (%s)"
              % used2)


# ---------------------------------------------------------------------------
# api_consumer_static

# Names of OpenSSL's API that must not be defined, unprefixed, in libs2n.a
# (AWS-LC's copies are prefixed aws_lc_<version>_). OPENSSL_memory_alloc,
# _free and _get_size are different: they are the allocation hooks AWS-LC
# looks up (csrc/crypto_hooks.c) and that OpenSSL does not define.
OPENSSL_API = re.compile(
    r"^(SHA(1|224|256|384|512)(_Init|_Update|_Final)?|MD5|HMAC|EVP_\w+|ERR_\w+|RAND_\w+|BIO_\w+|"
    r"X509\w*|PEM_\w+|d2i_\w+|i2d_\w+|BN_\w+|EC_\w+|ECDSA_\w+|RSA_\w+|DH_\w+|SSL_\w+|"
    r"CRYPTO_\w+|OPENSSL_\w+|OpenSSL_version\w*|AES_\w+)$")
OPENSSL_HOOKS = {"OPENSSL_memory_alloc", "OPENSSL_memory_free", "OPENSSL_memory_get_size"}


def check_archive(args, archive):
    if args.readelf:
        out = run([args.readelf, "-sW", archive], capture=True)
        tls = [line for line in out.splitlines()
               if re.search(r"\sTLS\s+GLOBAL\s+DEFAULT\s+\d+\s+s2n_errno$", line)]
        check(len(tls) == 1, "s2n_errno is a defined GLOBAL TLS symbol of libs2n.a")
    else:
        log("note: no readelf, the TLS check of s2n_errno is skipped")
    if args.nm:
        out = run([args.nm, "-g", "--defined-only", archive], capture=True)
        defined = set()
        for line in out.splitlines():
            parts = line.split()
            if len(parts) == 3 and parts[1] not in ("U", "w", "v"):
                defined.add(parts[2])
        check("s2n_init" in defined and "s2n_errno" in defined,
              "libs2n.a defines s2n_init and s2n_errno")
        clash = sorted(s for s in defined if OPENSSL_API.match(s) and s not in OPENSSL_HOOKS)
        check(not clash, "libs2n.a defines no unprefixed OpenSSL API (found: %s)"
              % (", ".join(clash[:20]) or "none"))
    else:
        log("note: no nm, the symbol checks of libs2n.a are skipped")


def check_static_binary(args, exe):
    if not args.readelf:
        return
    out = run([args.readelf, "-dW", exe], capture=True)
    needed = re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", out)
    log("NEEDED of %s: %s" % (os.path.basename(exe), " ".join(needed)))
    check(not any(n.startswith("libs2n") for n in needed),
          "%s links s2n statically (no libs2n*.so needed)" % os.path.basename(exe))
    check(any(n.startswith("libcrypto") for n in needed),
          "%s also links OpenSSL's libcrypto" % os.path.basename(exe))


PROBE = """cmake_minimum_required(VERSION 3.16)
project(s2n_probe NONE)
find_package(s2n CONFIG)
if(s2n_FOUND)
    get_target_property(_type AWS::s2n TYPE)
    message(STATUS "probe: found ${_type}")
else()
    message(STATUS "probe: not found")
endif()
"""


def check_package_selection(args, prefix, work, env):
    """s2n-config.cmake with only the static targets installed: picked when
    BUILD_SHARED_LIBS is OFF or undefined, not found when it is ON."""
    probe = os.path.join(work, "probe")
    os.makedirs(probe)
    with open(os.path.join(probe, "CMakeLists.txt"), "w", encoding="utf-8") as f:
        f.write(PROBE)
    for shared, expected in ((None, "found STATIC_LIBRARY"), ("OFF", "found STATIC_LIBRARY"),
                             ("ON", "not found")):
        build = os.path.join(probe, "build-%s" % (shared or "undefined"))
        cmd = [args.cmake, "-S", probe, "-B", build, "-DCMAKE_PREFIX_PATH=" + prefix]
        if shared:
            cmd.append("-DBUILD_SHARED_LIBS=" + shared)
        out = run(cmd, env=env, capture=True)
        check("probe: " + expected in out, "find_package(s2n) with BUILD_SHARED_LIBS %s: %s"
              % (shared or "undefined", expected))


def test_static(args):
    env = clean_env()
    source = os.path.realpath(args.source)
    work = os.path.abspath(args.work)
    fresh_dir(work)
    build = os.path.join(work, "s2nrs-build")
    prefix = os.path.join(work, "prefix")

    defs = {"BUILD_SHARED_LIBS": "OFF", "BUILD_TESTING": "OFF", "CMAKE_BUILD_TYPE": "Release"}
    if args.cargo_target_dir:
        defs["S2NRS_CARGO_TARGET_DIR"] = os.path.abspath(args.cargo_target_dir)
    cmake_configure(args, source, build, defs, env)
    cmake_build(args, build, env)
    run([args.cmake, "--install", build, "--prefix", prefix], env=env)

    lib = os.path.join(prefix, "lib")
    for rel in ("include/s2n.h", "lib/libs2n.a", "lib/s2n/cmake/s2n-config.cmake",
                "lib/s2n/cmake/s2n-config-version.cmake", "lib/s2n/cmake/static/s2n-targets.cmake",
                "lib/pkgconfig/s2n.pc"):
        check(os.path.isfile(os.path.join(prefix, rel)), "the static install has %s" % rel)
    for rel in ("lib/libs2nrs.so", "lib/libs2n.so", "lib/libs2n.so.1", "lib/s2n/cmake/shared"):
        check(not os.path.exists(os.path.join(prefix, rel)), "the static install has no %s" % rel)
    check_archive(args, os.path.join(lib, "libs2n.a"))
    check_package_selection(args, prefix, work, env)

    # find_package(s2n) with OpenSSL::Crypto.
    consumer = os.path.join(work, "consumer")
    cmake_configure(args, os.path.join(HERE, "static"), consumer,
                    {"CMAKE_PREFIX_PATH": prefix, "CMAKE_BUILD_TYPE": "Debug"}, env)
    cmake_build(args, consumer, env)
    exe = os.path.join(consumer, "handshake")
    check_static_binary(args, exe)
    out = run([exe, args.certs], env=env, capture=True)
    log(out.rstrip())
    check("handshake: ok" in out, "the find_package(s2n) build (static AWS::s2n + OpenSSL::Crypto) "
          "handshakes")

    # The same through pkg-config.
    if not args.pkg_config:
        log("note: no pkg-config, the pkg-config build is skipped")
        return
    pc_env = dict(env)
    pc_env["PKG_CONFIG_PATH"] = os.path.join(lib, "pkgconfig")
    pc_env.pop("PKG_CONFIG_LIBDIR", None)
    version = run([args.pkg_config, "--modversion", "s2n"], env=pc_env, capture=True).strip()
    check(version == "1.0.0", "pkg-config --modversion s2n is 1.0.0 (%s)" % version)
    flags = run([args.pkg_config, "--static", "--cflags", "--libs", "s2n"], env=pc_env,
                capture=True).split()
    log("pkg-config --static --cflags --libs s2n: " + " ".join(flags))
    try:
        crypto = run([args.pkg_config, "--libs", "libcrypto"], env=env, capture=True).split()
    except Failure:
        crypto = ["-lcrypto"]
    if args.crypto_include:
        crypto = ["-I" + args.crypto_include] + crypto
    pc_exe = os.path.join(work, "handshake-pkg-config")
    cc = args.c_compiler or "cc"
    run([cc, "-o", pc_exe, os.path.join(HERE, "static", "handshake.c")] + flags + crypto, env=env)
    check_static_binary(args, pc_exe)
    out = run([pc_exe, args.certs], env=env, capture=True)
    log(out.rstrip())
    check("handshake: ok" in out, "the pkg-config build (-ls2n static + libcrypto) handshakes")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("mode", choices=("subdir", "static"))
    parser.add_argument("--source", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--certs", default="")
    parser.add_argument("--cargo-target-dir", default="")
    parser.add_argument("--cmake", default="cmake")
    parser.add_argument("--generator", default="")
    parser.add_argument("--c-compiler", default="")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--pkg-config", default="")
    parser.add_argument("--readelf", default="")
    parser.add_argument("--nm", default="")
    parser.add_argument("--crypto-include", default="")
    args = parser.parse_args()

    if not shutil.which("cargo"):
        print("SKIP: cargo is not on the PATH: the s2nrs tree cannot be built")
        return SKIP
    if not os.path.isfile(os.path.join(args.source, "Cargo.toml")):
        print("SKIP: %s is not the s2nrs source tree" % args.source)
        return SKIP
    start = time.monotonic()
    try:
        if args.mode == "subdir":
            test_subdir(args)
        else:
            if not args.certs:
                parser.error("static needs --certs")
            test_static(args)
    except Failure as e:
        print("FAIL: %s" % e)
        return 1
    print("%s: ok (%.0f s)" % (args.mode, time.monotonic() - start))
    return 0


if __name__ == "__main__":
    sys.exit(main())
