#!/usr/bin/env bash
# Build real s2n-tls (crates.io s2n-tls-sys, see Cargo.toml) as libs2n.so.1 and
# install it into <prefix> with the layout of an s2nrs install:
#   include/s2n.h, include/s2n/unstable/*.h, lib/libs2n.so{,.1},
#   lib/s2n/cmake/s2n-config.cmake (AWS::s2n)
# Idempotent; warm (cargo target in target/reference, CMake tree in
# build/reference) it only re-runs a no-op cargo and the install.
#
#   reference/build.sh <prefix> [extra cmake -D options...]
# Environment: S2NREF_BUILD_DIR (default <repo>/build/reference), JOBS (default 2).
set -euo pipefail

if [ $# -lt 1 ] || [ -z "$1" ]; then
    echo "usage: $0 <prefix> [cmake -D options...]" >&2
    exit 2
fi
prefix=$1
shift

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$here")
build=${S2NREF_BUILD_DIR:-$root/build/reference}
jobs=${JOBS:-2}

if [ ! -f "$build/CMakeCache.txt" ] || [ $# -gt 0 ]; then
    cmake -S "$here" -B "$build" "$@"
fi
cmake --build "$build" -j"$jobs"
cmake --install "$build" --prefix "$prefix"

# Every name the version script asks for must be exported (GNU ld does not
# complain about a version-script name that is not defined).
lib="$prefix/lib/libs2n.so.1"
missing=$(comm -23 <(sort -u "$build/symbols.txt") \
    <(readelf --dyn-syms -W "$lib" | awk '$5 == "GLOBAL" && $7 != "UND" {sub(/@.*/, "", $8); print $8}' | sort -u))
wanted=$(grep -c . "$build/symbols.txt")
if [ -n "$missing" ]; then
    echo "s2n reference: $(echo "$missing" | grep -c .) of $wanted inventory symbols not exported by $lib:" >&2
    echo "$missing" | sed 's/^/  /' >&2
else
    echo "s2n reference: $lib exports all $wanted inventory symbols"
fi
