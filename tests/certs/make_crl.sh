#!/usr/bin/env bash
# CRLs for the test PKI (make.sh's files are left as they are), v2 with
# extensions as webpki wants them, valid until 2125:
#  crl-ecdsa-empty.pem   ca-ecdsa revokes nothing
#  crl-ecdsa-revoked.pem ca-ecdsa revokes server-ecdsa.pem and client-ecdsa.pem
#  crl-rsa-empty.pem     ca-rsa revokes nothing (wrong issuer for ECDSA chains)
set -euo pipefail
cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
gen() { # ca out revoked-certs...
    local ca=$1 out=$2
    shift 2
    rm -rf "$tmp/db" && mkdir -p "$tmp/db" && touch "$tmp/db/index.txt" && echo 01 > "$tmp/db/crlnumber"
    cat > "$tmp/ca.cnf" <<CNF
[ca]
default_ca=d
[d]
database=$tmp/db/index.txt
crlnumber=$tmp/db/crlnumber
default_md=sha256
default_crl_days=36500
crl_extensions=ext
[ext]
authorityKeyIdentifier=keyid:always
CNF
    for cert in "$@"; do
        openssl ca -config "$tmp/ca.cnf" -cert "$ca.pem" -keyfile "$ca-key.pem" -revoke "$cert" 2>/dev/null
    done
    openssl ca -config "$tmp/ca.cnf" -cert "$ca.pem" -keyfile "$ca-key.pem" -gencrl -out "$out" 2>/dev/null
}
gen ca-ecdsa crl-ecdsa-empty.pem
gen ca-ecdsa crl-ecdsa-revoked.pem server-ecdsa.pem client-ecdsa.pem
gen ca-rsa crl-rsa-empty.pem
