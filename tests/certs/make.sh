#!/usr/bin/env bash
# Regenerates the test PKI (committed; valid until 2125 except expired.pem).
# ECDSA P-256 and RSA-2048 CAs, server and client leaves, a wildcard leaf,
# an expired leaf, an untrusted self-signed leaf, a trusted self-signed CA
# used as a leaf, an X.509 v1 leaf and a leaf without a TLS key usage; an
# ML-DSA-87 CA and server leaf (valid until 2049), made by examples/mldsa_certs.rs
# since this OpenSSL (3.0) has no ML-DSA.
set -euo pipefail
cd "$(dirname "$0")"
days=36500

ca() { # name keyalg
    openssl req -x509 -new -newkey "$2" -nodes -keyout "$1-key.pem" -out "$1.pem" -days $days \
        -subj "/CN=s2nrs test $1" -addext basicConstraints=critical,CA:TRUE \
        -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
}
leaf() { # name keyalg ca eku san [extra extension line]
    openssl req -new -newkey "$2" -nodes -keyout "$1-key.pem" -out "$1.csr" -subj "/CN=$1" 2>/dev/null
    printf 'basicConstraints=CA:FALSE\nextendedKeyUsage=%s\nsubjectAltName=%s\n%s\n' "$4" "$5" "${6:-}" > "$1.ext"
    openssl x509 -req -in "$1.csr" -CA "$3.pem" -CAkey "$3-key.pem" -CAcreateserial -days $days \
        -extfile "$1.ext" -out "$1.pem" 2>/dev/null
    cat "$1.pem" "$3.pem" > "$1-chain.pem"
    rm -f "$1.csr" "$1.ext"
}
openssl ecparam -name prime256v1 -out ec.param
ec=ec:ec.param
ca ca-ecdsa "$ec"
ca ca-rsa rsa:2048
leaf server-ecdsa "$ec" ca-ecdsa serverAuth "DNS:localhost,DNS:s2nrs.test,IP:127.0.0.1"
leaf server-rsa rsa:2048 ca-rsa serverAuth "DNS:localhost,DNS:s2nrs.test,IP:127.0.0.1"
leaf wildcard-ecdsa "$ec" ca-ecdsa serverAuth "DNS:*.wild.test"
leaf other-ecdsa "$ec" ca-ecdsa serverAuth "DNS:other.test"
leaf client-ecdsa "$ec" ca-ecdsa clientAuth "DNS:client.test"
# Expired: signed by the ECDSA CA, valid only in 2001.
openssl req -new -newkey "$ec" -nodes -keyout expired-key.pem -out expired.csr -subj "/CN=expired" 2>/dev/null
printf 'basicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:localhost\n' > expired.ext
mkdir -p demoCA/newcerts && touch demoCA/index.txt && echo 01 > demoCA/serial
openssl ca -batch -config <(printf '[ca]\ndefault_ca=d\n[d]\ndir=demoCA\ndatabase=$dir/index.txt\nnew_certs_dir=$dir/newcerts\nserial=$dir/serial\ndefault_md=sha256\npolicy=p\n[p]\ncommonName=supplied\n') \
    -cert ca-ecdsa.pem -keyfile ca-ecdsa-key.pem -in expired.csr -out expired.pem \
    -startdate 20010101000000Z -enddate 20011231000000Z -extfile expired.ext -notext 2>/dev/null
cat expired.pem ca-ecdsa.pem > expired-chain.pem
rm -rf demoCA expired.csr expired.ext
# Untrusted: self-signed, not under either CA.
openssl req -x509 -new -newkey "$ec" -nodes -keyout untrusted-key.pem -out untrusted.pem -days $days \
    -subj "/CN=localhost" -addext subjectAltName=DNS:localhost 2>/dev/null
# Self-signed with CA:TRUE, presented as a leaf by servers whose clients trust it directly.
openssl req -x509 -new -newkey "$ec" -nodes -keyout selfsigned-ca-key.pem -out selfsigned-ca.pem -days $days \
    -subj "/CN=localhost" -addext basicConstraints=critical,CA:TRUE -addext subjectAltName=DNS:localhost 2>/dev/null
# Self-signed end-entity certificate (no basicConstraints), trusted directly.
openssl req -new -newkey "$ec" -nodes -keyout selfsigned-leaf-key.pem -out selfsigned-leaf.csr -subj "/CN=localhost" 2>/dev/null
printf 'keyUsage=digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:localhost\n' > selfsigned-leaf.ext
openssl x509 -req -in selfsigned-leaf.csr -signkey selfsigned-leaf-key.pem -days $days -extfile selfsigned-leaf.ext \
    -out selfsigned-leaf.pem 2>/dev/null
rm -f selfsigned-leaf.csr selfsigned-leaf.ext
# X.509 version 1 (no extensions), signed by the ECDSA CA.
openssl req -new -newkey "$ec" -nodes -keyout v1-ecdsa-key.pem -out v1.csr -subj "/CN=localhost" 2>/dev/null
openssl x509 -req -in v1.csr -CA ca-ecdsa.pem -CAkey ca-ecdsa-key.pem -CAcreateserial -days $days -out v1-ecdsa.pem 2>/dev/null
cat v1-ecdsa.pem ca-ecdsa.pem > v1-ecdsa-chain.pem
# A leaf whose keyUsage allows only certificate signing: no TLS purpose.
leaf kucertsign-ecdsa "$ec" ca-ecdsa serverAuth "DNS:localhost" "keyUsage=critical,keyCertSign"
# A private extension holding a UTF8String (s2n_cert_get_utf8_string_from_extension_data).
leaf utf8ext-ecdsa "$ec" ca-ecdsa serverAuth "DNS:localhost" "1.3.6.1.4.1.99999.1=ASN1:UTF8String:s2nrs utf8 value"
rm -f ./*.srl ec.param v1.csr
# ML-DSA-87: mldsa-ca.pem, mldsa-server{,-chain,-key}.pem.
(cd ../.. && cargo run --quiet --locked --example mldsa_certs -- tests/certs)
