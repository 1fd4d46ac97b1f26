#!/usr/bin/env bash
# OCSP responses for the test PKI (../make.sh's files are left as they are),
# made with `openssl ocsp`, valid until 2125 (-ndays 36500):
#  server-ecdsa-good.der  ca-ecdsa (the issuer itself as responder) says that
#                         server-ecdsa.pem is good; SHA-1 certID (what s2n-tls
#                         validates), no nonce
#  server-ecdsa-req.der   the OCSP request it answers (for reference)
# The response's thisUpdate is when this script ran.
set -euo pipefail
cd "$(dirname "$0")"
certs=..
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# index.txt: V <expiry> <revocation date: none> <serial> unknown <subject>
line() { # cert
    local serial end subject
    serial=$(openssl x509 -in "$1" -noout -serial | sed 's/^serial=//')
    end=$(date -u -d "$(openssl x509 -in "$1" -noout -enddate | sed 's/^notAfter=//')" +%Y%m%d%H%M%SZ)
    subject=$(openssl x509 -in "$1" -noout -subject -nameopt compat | sed 's/^subject=//')
    printf 'V\t%s\t\t%s\tunknown\t%s\n' "$end" "$serial" "$subject"
}
line "$certs/server-ecdsa.pem" > "$tmp/index.txt"

openssl ocsp -sha1 -issuer "$certs/ca-ecdsa.pem" -cert "$certs/server-ecdsa.pem" -no_nonce \
    -reqout server-ecdsa-req.der 2>/dev/null
openssl ocsp -index "$tmp/index.txt" -CA "$certs/ca-ecdsa.pem" -rsigner "$certs/ca-ecdsa.pem" \
    -rkey "$certs/ca-ecdsa-key.pem" -reqin server-ecdsa-req.der -respout server-ecdsa-good.der \
    -ndays 36500 2>/dev/null
# Check it: the response must verify against ca-ecdsa and say "good".
openssl ocsp -respin server-ecdsa-good.der -reqin server-ecdsa-req.der -issuer "$certs/ca-ecdsa.pem" \
    -cert "$certs/server-ecdsa.pem" -CAfile "$certs/ca-ecdsa.pem" -no_nonce 2>&1 | grep -q ': good$'
