#!/usr/bin/env bash
# Runs every fuzz target for SECONDS (default 60) each, seeded from the
# project's test data, and prints libFuzzer's final stats line per target.
# A crash (a panic reaching the C boundary, an ASan report, a timeout)
# fails the script. Needs cargo-fuzz (cargo install --locked cargo-fuzz);
# uses the nightly toolchain if there is one, else the stable one with
# RUSTC_BOOTSTRAP=1 (cargo-fuzz needs -Z flags).
set -euo pipefail
cd "$(dirname "$0")"
seconds="${1:-60}"
if rustup toolchain list 2>/dev/null | grep -q '^nightly'; then
    fuzz=(cargo +nightly fuzz)
else
    export RUSTC_BOOTSTRAP=1
    fuzz=(cargo fuzz)
fi
data=../tests/data/client_hello
certs=../tests/certs

mkdir -p corpus/client_hello corpus/negotiate corpus/pem corpus/policy_name corpus/records corpus/der
for hex in "$data"/*.hex; do
    name=$(basename "$hex" .hex)
    python3 - "$hex" corpus/client_hello/"$name" corpus/negotiate/"$name" <<'PY'
import sys
msg = bytes.fromhex(open(sys.argv[1]).read().strip())
open(sys.argv[2], "wb").write(msg)
# Side byte 0 (server), then the ClientHello in one handshake record.
open(sys.argv[3], "wb").write(b"\0" + bytes([22, 3, 1]) + len(msg).to_bytes(2, "big") + msg)
PY
done
for pair in "server-ecdsa-chain server-ecdsa-key" "server-rsa-chain server-rsa-key"; do
    set -- $pair
    { cat "$certs/$1.pem"; printf '\0'; cat "$certs/$2.pem"; } > corpus/pem/"$1"
done
# DER: the first block of test certificates (ECDSA, RSA, v1, ML-DSA) and CRLs.
for name in server-ecdsa server-rsa v1-ecdsa mldsa-server crl-ecdsa-revoked crl-rsa-empty; do
    python3 -c 'import base64,sys; t=open(sys.argv[1]).read().split("-----")[2]; open(sys.argv[2],"wb").write(base64.b64decode(t))' \
        "$certs/$name.pem" corpus/der/"$name"
done
for name in default default_tls13 20170210 20240501 rfc9151 test_all; do
    printf '%s' "$name" > corpus/policy_name/"$name"
done

# Records: application data (inner type 23: header 46), a KeyUpdate asking
# for ours (type 22: header 44), an alert, padding, raw bytes.
printf '\056\005hello\054\005\030\000\000\001\001\057\002hi' > corpus/records/data_key_update
printf '\056\000\052\002\001\000' > corpus/records/empty_then_close_notify
printf '\200\005\027\003\003\377\377' > corpus/records/oversized_header

"${fuzz[@]}" build -O
for target in client_hello negotiate pem policy_name records der; do
    "${fuzz[@]}" run -O "$target" corpus/"$target" -- \
        -max_total_time="$seconds" -print_final_stats=1 -max_len=16384 2>&1 \
        | grep -E "^stat::number_of_executed_units|Done|ERROR|panicked|artifact" \
        | sed "s/^/$target: /"
done
