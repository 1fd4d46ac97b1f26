#!/usr/bin/env bash
# Generate the PEM files that s2n-tls's Rust bindings tests (crates s2n-tls and
# s2n-tls-tokio 0.3.42) read. Those tests load them at fixed paths relative to
# the crates: `<crate>/../certs/*.pem` (= bindings/rust/extended/certs/) and
# `<crate>/../../../../tests/pems/...`. ROOT is the directory that plays the role
# of the s2n-tls source tree, so the files land in ROOT/bindings/rust/extended/certs
# and ROOT/tests/pems.
#
# Everything is generated from scratch (fresh keys) with the same key types and
# sizes, signature hashes, subject/issuer names, SANs, extensions (incl. order,
# criticality and custom OIDs), chain layout and key file formats as s2n-tls's
# own test PEMs; only keys, serials, signatures and dates differ.
#
# Usage: pems.sh ROOT
# Idempotent: does nothing if ROOT/.pems-done is newer than this script.
set -euo pipefail

if [ $# -ne 1 ]; then
    echo "usage: $0 ROOT" >&2
    exit 2
fi
ROOT=$1
SELF=${BASH_SOURCE[0]}

if [ -e "$ROOT/.pems-done" ] && [ "$ROOT/.pems-done" -nt "$SELF" ]; then
    exit 0
fi

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
OUT=$TMP/out
CNF=$TMP/openssl.cnf

# ---------------------------------------------------------------------------
# OpenSSL configuration. Extension sections list extensions in the order they
# appear in the original certificates. OpenSSL 3 adds SKID/AKID by default, so
# they are spelled out (or set to "none") explicitly.
# ---------------------------------------------------------------------------
cat >"$CNF" <<'EOF'
[req]
distinguished_name = req_dn
prompt = no
string_mask = utf8only

[req_dn]

# bindings/rust/certs/{cert,cert_rsa}.pem, custom_oids/ca-cert.pem,
# intent root: self-signed CA
[self_ca]
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
basicConstraints = critical,CA:true

# tests/pems/ecdsa_p384_pkcs1_cert.pem
[ecdsa_p384_pkcs1]
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
basicConstraints = critical,CA:true
subjectAltName = DNS:127.0.0.1

# tests/pems/rsa_4096_sha*_client_cert.pem
[rsa_4096_client]
keyUsage = keyEncipherment, dataEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:127.0.0.1
subjectKeyIdentifier = none
authorityKeyIdentifier = none

# tests/pems/sni/{alligator,beaver}_cert.pem
[sni_alligator_rsa]
keyUsage = digitalSignature, keyEncipherment, dataEncipherment
extendedKeyUsage = serverAuth, clientAuth
subjectAltName = DNS:www.alligator.com
subjectKeyIdentifier = none
authorityKeyIdentifier = none

[sni_beaver]
keyUsage = digitalSignature, keyEncipherment, dataEncipherment
extendedKeyUsage = serverAuth, clientAuth
subjectAltName = DNS:www.beaver.com
subjectKeyIdentifier = none
authorityKeyIdentifier = none

# tests/pems/sni/{alligator_ecdsa,wildcard_insect_rsa}_cert.pem
[sni_alligator_ecdsa]
keyUsage = digitalSignature, keyEncipherment, dataEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:www.alligator.com
subjectKeyIdentifier = none
authorityKeyIdentifier = none

[sni_wildcard_insect]
keyUsage = digitalSignature, keyEncipherment, dataEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:*.insect.hexapod
subjectKeyIdentifier = none
authorityKeyIdentifier = none

# tests/pems/permutations/rsae_pkcs_4096_sha384
[perm_root]
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
basicConstraints = critical,CA:true
keyUsage = critical, keyCertSign

[perm_branch]
basicConstraints = critical,CA:true
keyUsage = critical, keyCertSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always

[perm_leaf]
subjectAltName = DNS:localhost
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always

# tests/pems/intent/cert_chains/ku_key_cert_sign_leaf (leaf-cert)
[intent_ku_key_cert_sign_leaf]
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
subjectAltName = DNS:localhost
keyUsage = critical, keyCertSign

# tests/pems/custom_oids/single_oid_cert_chain.pem (leaf)
[custom_oid_leaf]
1.3.187.25240.2 = critical,ASN1:UTF8String:hello
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
EOF

# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------
# PKCS#8 ("BEGIN PRIVATE KEY") keys
rsa_key() { openssl genpkey -quiet -algorithm RSA -pkeyopt "rsa_keygen_bits:$1" -out "$2"; }
ec_key()  { openssl genpkey -quiet -algorithm EC -pkeyopt "ec_paramgen_curve:$1" -out "$2"; }
# Traditional "BEGIN EC PARAMETERS" + "BEGIN EC PRIVATE KEY"
ec_key_trad_params() { openssl ecparam -genkey -name "$1" -out "$2"; }
# Traditional "BEGIN EC PRIVATE KEY" only
ec_key_trad() { openssl ecparam -genkey -noout -name "$1" -out "$2"; }

# self_signed KEY DIGEST DAYS SUBJECT EXT_SECTION OUT
self_signed() {
    openssl req -new -x509 -config "$CNF" -key "$1" "-$2" -days "$3" \
        -subj "$4" -extensions "$5" -out "$6"
}

# issued KEY DIGEST DAYS SUBJECT EXT_SECTION CA_CERT CA_KEY OUT
issued() {
    openssl req -new -config "$CNF" -key "$1" -subj "$4" -out "$TMP/req.csr"
    # (x509 -req chatters on stderr on success; show it only on failure)
    if ! openssl x509 -req -in "$TMP/req.csr" "-$2" -days "$3" \
        -CA "$6" -CAkey "$7" -extfile "$CNF" -extensions "$5" -out "$8" 2>"$TMP/x509.err"; then
        cat "$TMP/x509.err" >&2
        return 1
    fi
    rm -f "$TMP/req.csr"
}

BR=$OUT/bindings/rust/extended/certs
TP=$OUT/tests/pems
SNI=$TP/sni
PERM=$TP/permutations/rsae_pkcs_4096_sha384
INTENT=$TP/intent/cert_chains/ku_key_cert_sign_leaf
OIDS=$TP/custom_oids
mkdir -p "$BR" "$SNI" "$PERM" "$INTENT" "$OIDS"

# ---------------------------------------------------------------------------
# Keys (every original file has its own key; RSA keys generated in parallel)
# ---------------------------------------------------------------------------
pids=()
rsa_key 4096 "$BR/key_rsa.pem" & pids+=($!)
for h in sha512 sha384 sha256; do
    rsa_key 4096 "$TP/rsa_4096_${h}_client_key.pem" & pids+=($!)
done
rsa_key 4096 "$TMP/perm-root-key.pem" & pids+=($!)
rsa_key 4096 "$TMP/perm-branch-key.pem" & pids+=($!)
rsa_key 4096 "$PERM/server-key.pem" & pids+=($!)
rsa_key 2048 "$SNI/alligator_key.pem" & pids+=($!)
rsa_key 2048 "$SNI/beaver_key.pem" & pids+=($!)
rsa_key 2048 "$SNI/wildcard_insect_rsa_key.pem" & pids+=($!)
rsa_key 2048 "$TMP/oids-ca-key.pem" & pids+=($!)
rsa_key 2048 "$OIDS/single_oid_key.pem" & pids+=($!)
for p in "${pids[@]}"; do wait "$p"; done

ec_key P-256 "$BR/key.pem"
ec_key_trad_params secp384r1 "$TP/ecdsa_p384_pkcs1_key.pem"
ec_key_trad_params prime256v1 "$SNI/alligator_ecdsa_key.pem"
ec_key P-256 "$TMP/intent-root-key.pem"
ec_key_trad prime256v1 "$INTENT/leaf-key.pem"

# ---------------------------------------------------------------------------
# Certificates
# ---------------------------------------------------------------------------
# bindings/rust/extended/certs (symlink to bindings/rust/certs upstream)
self_signed "$BR/key.pem" sha256 36500 \
    "/C=US/ST=AZ/L=Tempe/O=Amazon/OU=AmazonWebServices/CN=localhost" self_ca "$BR/cert.pem"
self_signed "$BR/key_rsa.pem" sha256 36500 \
    "/C=US/ST=AZ/L=Tempe/O=Maas/OU=BioComputing/CN=localhost" self_ca "$BR/cert_rsa.pem"

S2N_DN="/C=US/ST=WA/L=Seattle/O=Amazon/OU=s2n"

# tests/pems/rsa_4096_sha*_client_*.pem
for h in sha512 sha384 sha256; do
    self_signed "$TP/rsa_4096_${h}_client_key.pem" "$h" 36500 \
        "$S2N_DN/CN=localhost" rsa_4096_client "$TP/rsa_4096_${h}_client_cert.pem"
done

# tests/pems/ecdsa_p384_pkcs1_*.pem
self_signed "$TP/ecdsa_p384_pkcs1_key.pem" sha256 36500 \
    "$S2N_DN/CN=localhost" ecdsa_p384_pkcs1 "$TP/ecdsa_p384_pkcs1_cert.pem"

# tests/pems/sni
self_signed "$SNI/alligator_key.pem" sha256 36500 \
    "$S2N_DN/CN=alligator" sni_alligator_rsa "$SNI/alligator_cert.pem"
self_signed "$SNI/alligator_ecdsa_key.pem" sha256 36500 \
    "$S2N_DN/CN=alligator" sni_alligator_ecdsa "$SNI/alligator_ecdsa_cert.pem"
self_signed "$SNI/beaver_key.pem" sha256 36500 \
    "$S2N_DN/CN=beaver" sni_beaver "$SNI/beaver_cert.pem"
self_signed "$SNI/wildcard_insect_rsa_key.pem" sha256 36500 \
    "$S2N_DN/CN=wildcard_insect" sni_wildcard_insect "$SNI/wildcard_insect_rsa_cert.pem"

# tests/pems/permutations/rsae_pkcs_4096_sha384: root -> branch -> leaf;
# server-chain.pem = leaf + branch + root
self_signed "$TMP/perm-root-key.pem" sha384 65536 "/C=US/CN=root" perm_root "$PERM/ca-cert.pem"
issued "$TMP/perm-branch-key.pem" sha384 65536 "/C=US/CN=branch" perm_branch \
    "$PERM/ca-cert.pem" "$TMP/perm-root-key.pem" "$TMP/perm-branch-cert.pem"
issued "$PERM/server-key.pem" sha384 65536 "/C=US/CN=leaf" perm_leaf \
    "$TMP/perm-branch-cert.pem" "$TMP/perm-branch-key.pem" "$TMP/perm-leaf-cert.pem"
cat "$TMP/perm-leaf-cert.pem" "$TMP/perm-branch-cert.pem" "$PERM/ca-cert.pem" >"$PERM/server-chain.pem"

# tests/pems/intent/cert_chains/ku_key_cert_sign_leaf: root -> leaf (keyUsage
# critical keyCertSign only); cert-chain.pem = leaf only (root omitted).
# Quirk replicated from upstream's generator (tests/pems/intent/
# cert_chain_generator.py): the "root" is not self-signed. It has issuer ==
# subject == CN=root but is signed by the *leaf's* key, and its AKID is the
# leaf's key id. Only usable as a trust anchor with partial-chain semantics
# (s2n-tls sets X509_V_FLAG_PARTIAL_CHAIN). A throwaway cert named CN=root
# carrying the leaf key serves as the issuer to produce this.
INTENT_DN="/C=US/ST=Massachusetts/L=Boston/O=s2n"
self_signed "$INTENT/leaf-key.pem" sha256 1 "$INTENT_DN/CN=root" self_ca "$TMP/intent-leafkey-issuer.pem"
issued "$TMP/intent-root-key.pem" sha256 36500 "$INTENT_DN/CN=root" self_ca \
    "$TMP/intent-leafkey-issuer.pem" "$INTENT/leaf-key.pem" "$INTENT/root-cert.pem"
issued "$INTENT/leaf-key.pem" sha256 36500 "$INTENT_DN/CN=leaf" intent_ku_key_cert_sign_leaf \
    "$INTENT/root-cert.pem" "$TMP/intent-root-key.pem" "$INTENT/cert-chain.pem"

# tests/pems/custom_oids: root -> leaf with critical custom extension
# 1.3.187.25240.2; single_oid_cert_chain.pem = leaf + root
self_signed "$TMP/oids-ca-key.pem" sha256 65536 "/C=US/CN=root" self_ca "$OIDS/ca-cert.pem"
issued "$OIDS/single_oid_key.pem" sha256 65536 "/C=US/CN=localhost" custom_oid_leaf \
    "$OIDS/ca-cert.pem" "$TMP/oids-ca-key.pem" "$TMP/oids-leaf-cert.pem"
cat "$TMP/oids-leaf-cert.pem" "$OIDS/ca-cert.pem" >"$OIDS/single_oid_cert_chain.pem"

# ---------------------------------------------------------------------------
# Install into ROOT
# ---------------------------------------------------------------------------
mkdir -p "$ROOT"
rm -f "$ROOT/.pems-done"
cp -R "$OUT/." "$ROOT/"
touch "$ROOT/.pems-done"
