#!/usr/bin/env bash
# Builds libs2nrs.so and runs the demo: a TLS client and server in one
# process, talking through the library, printing what they negotiated and
# the bytes each lifecycle stage holds. Installs cmake and a C compiler
# first if the machine lacks them.
set -euo pipefail
cd "$(dirname "$0")"
. tools/require.sh
require_rust
require_packages cmake:cmake cc:gcc
# Its own build directory: test.sh configures build/ with the tests.
cmake -S . -B build/demo -DBUILD_TESTING=OFF -DS2NRS_CARGO_TARGET_DIR="$PWD/target" >/dev/null
cmake --build build/demo -j2
build/demo/s2nrs-demo tests/certs
