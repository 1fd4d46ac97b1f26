#!/usr/bin/env bash
# Every test: the Rust tests (including the header and MATRIX.md freshness
# checks), formatting and lints, then the library built and staged by CMake
# and the C suite run against it through find_package(s2n), plainly, under
# ASan/UBSan and under valgrind (when installed), the differential runs
# against real s2n-tls, s2n-tls's own Rust bindings test suites, a smoke run
# of the benchmark against real s2n-tls, and a short run of the fuzz targets
# (fuzz/).
#
#   ./test.sh           everything (what CI runs)
#   ./test.sh --quick   the inner loop: formatting, lints, Rust tests and the
#                       plain C suite (no ASan, valgrind, reference s2n-tls,
#                       bindings suites, benchmark or fuzzing)
set -euo pipefail
cd "$(dirname "$0")"
quick=false
if [ "${1:-}" = "--quick" ]; then
    quick=true
fi

# What the tests run that a fresh machine may lack (installed with apt-get as
# root, else named): cmake and gcc build, openssl and gnutls-bin are interop
# peers, libssl-dev and pkg-config build OpenSSL-linked tests and the openssl
# crate of s2n-tls's binding tests, valgrind runs the memcheck suite.
. tools/require.sh
require_rust
require_packages cmake:cmake cc:gcc python3:python3 openssl:openssl gnutls-cli:gnutls-bin \
    gnutls-serv:gnutls-bin pkg-config:pkg-config pkgconfig=openssl:libssl-dev readelf:binutils
if ! $quick; then
    require_packages valgrind:valgrind
    # The fuzz targets' driver (fuzz/run.sh).
    command -v cargo-fuzz >/dev/null || cargo install --locked --quiet cargo-fuzz@0.13.2
fi

cargo fmt --check
cargo clippy --locked --all-targets -j2 -- -D warnings
cargo test --locked -j2
if $quick; then
    cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=ON -DS2NRS_CARGO_TARGET_DIR="$PWD/target" \
        -DS2NRS_TEST_SANITIZED=OFF -DS2NRS_TEST_VALGRIND=OFF -DS2NRS_TEST_CONSUMERS=OFF \
        -DS2NRS_REFERENCE_PREFIX=
    cmake --build build -j2
    ctest --test-dir build --output-on-failure -j2 --no-tests=error
    exit 0
fi
# Real s2n-tls (built from the crates.io s2n-tls-sys sources by reference/),
# for the differential tests (ctest -L diff) and the benchmark smoke.
reference/build.sh build/ref-stage
# One cargo target directory for cargo and CMake (the CMake default, for
# builds that embed s2nrs, is inside its build directory).
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=ON -DS2NRS_CARGO_TARGET_DIR="$PWD/target" \
    -DS2NRS_TEST_SANITIZED=ON -DS2NRS_TEST_VALGRIND=ON -DS2NRS_TEST_CONSUMERS=ON \
    -DS2NRS_REFERENCE_PREFIX="$PWD/build/ref-stage"
cmake --build build -j2
ctest --test-dir build --output-on-failure -j2 --no-tests=error
# Programs written for s2n-tls: its own Rust bindings test suites (crates.io
# s2n-tls, s2n-tls-tokio, s2n-tls-sys), built against the staged install;
# failures other than those listed in bindings/allowed.tsv fail the run.
python3 bindings/run.py --prefix "$PWD/build/stage"
# A seconds-long smoke of every benchmark case against real s2n-tls; no
# figures asserted.
python3 bench/run.py --smoke
# A short run of every fuzz target.
fuzz/run.sh 10
