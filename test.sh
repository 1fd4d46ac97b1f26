#!/usr/bin/env bash
# Every test: the Rust tests (including the header and MATRIX.md freshness
# checks), formatting and lints, then the library built and staged by CMake
# and the C suite run against it through find_package(s2n), plainly and under
# ASan/UBSan.
set -euo pipefail
cd "$(dirname "$0")"

cargo fmt --check
cargo clippy --locked --all-targets -j2 -- -D warnings
cargo test --locked -j2
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release
cmake --build build -j2
ctest --test-dir build --output-on-failure -j2
