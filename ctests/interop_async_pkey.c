/*
 * Async private keys against OpenSSL, the way a key-management service
 * uses them: our chains are loaded without their private keys
 * (s2n_cert_chain_and_key_load_public_pem_bytes), and the async pkey
 * callback signs the operation's input, the digest s2n gives it, with
 * OpenSSL's libcrypto (EVP_PKEY_sign over the digest, padding and hash as
 * s2n_connection_get_selected_signature_algorithm/_digest_algorithm say).
 * The peer, `openssl s_client` or `openssl s_server -Verify 1`, checks the
 * signatures: ECDSA and RSA (PSS and PKCS#1) server keys in TLS1.3 and
 * TLS1.2, and a client key in mTLS.
 */
#define _GNU_SOURCE

#include "errors_table.h"
#include "harness/peer_cases.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#define SERVER_SAYS "hello from the s2n server\n"
#define PEER_SAYS "hello from openssl s_client\n"
#define CLIENT_SAYS "hello from the s2n client\n"
#define CLIENT_SAYS_REVERSED "tneilc n2s eht morf olleh\n"


/* The private keys, outside s2n; each keyless chain's ctx points at its key. */
static EVP_PKEY *load_key(const char *file)
{
    FILE *f = fopen(s2nrs_cert_path(file), "r");
    EXPECT(f != NULL);
    if (!f) {
        return NULL;
    }
    EVP_PKEY *key = PEM_read_PrivateKey(f, NULL, NULL, NULL);
    fclose(f);
    EXPECT(key != NULL);
    return key;
}

static struct s2n_cert_chain_and_key *keyless_chain(const char *chain_file, EVP_PKEY *key)
{
    char *pem = s2nrs_read_cert_or_exit(chain_file);
    struct s2n_cert_chain_and_key *chain = s2n_cert_chain_and_key_new();
    EXPECT(chain != NULL && pem != NULL);
    if (chain && pem) {
        EXPECT_SUCCESS(s2n_cert_chain_and_key_load_public_pem_bytes(chain, (uint8_t *) pem, strlen(pem)));
        EXPECT_SUCCESS(s2n_cert_chain_and_key_set_ctx(chain, key));
    }
    free(pem);
    s2nrs_own_chain(chain);
    return chain;
}

static const EVP_MD *digest_md(s2n_tls_hash_algorithm hash)
{
    switch (hash) {
        case S2N_TLS_HASH_SHA1: return EVP_sha1();
        case S2N_TLS_HASH_SHA256: return EVP_sha256();
        case S2N_TLS_HASH_SHA384: return EVP_sha384();
        case S2N_TLS_HASH_SHA512: return EVP_sha512();
        default: return NULL;
    }
}

static int signatures;
static s2n_tls_signature_algorithm last_sig;

/* Signs the digest with the selected chain's key, outside s2n. */
static int sign_digest(struct s2n_connection *conn, struct s2n_async_pkey_op *op)
{
    int rc = S2N_FAILURE;
    uint8_t *signature = NULL;
    EVP_PKEY_CTX *pctx = NULL;
    EVP_PKEY *key = s2n_cert_chain_and_key_get_ctx(s2n_connection_get_selected_cert(conn));
    s2n_tls_signature_algorithm sig = S2N_TLS_SIGNATURE_ANONYMOUS;
    s2n_tls_hash_algorithm hash = S2N_TLS_HASH_NONE;
    uint32_t len = 0;
    uint8_t digest[64];
    EXPECT(key != NULL);
    /* Our own signature: the server's, or in mTLS the client's. */
    bool client = s2n_connection_get_mode(conn) == S2N_CLIENT;
    int sig_rc = client ? s2n_connection_get_selected_client_cert_signature_algorithm(conn, &sig)
                        : s2n_connection_get_selected_signature_algorithm(conn, &sig);
    int hash_rc = client ? s2n_connection_get_selected_client_cert_digest_algorithm(conn, &hash)
                         : s2n_connection_get_selected_digest_algorithm(conn, &hash);
    if (!key || sig_rc != S2N_SUCCESS || hash_rc != S2N_SUCCESS
            || s2n_async_pkey_op_get_input_size(op, &len) != S2N_SUCCESS || len > sizeof(digest)
            || s2n_async_pkey_op_get_input(op, digest, sizeof(digest)) != S2N_SUCCESS) {
        S2NRS_FAIL_AT("could not read the operation");
        goto done;
    }
    const EVP_MD *md = digest_md(hash);
    EXPECT(md != NULL);
    EXPECT_EQ_INT(len, md ? EVP_MD_get_size(md) : -1);
    pctx = EVP_PKEY_CTX_new(key, NULL);
    size_t sig_len = 0;
    if (!md || !pctx || EVP_PKEY_sign_init(pctx) != 1 || EVP_PKEY_CTX_set_signature_md(pctx, md) != 1) {
        S2NRS_FAIL_AT("EVP_PKEY_sign_init failed");
        goto done;
    }
    if (sig == S2N_TLS_SIGNATURE_RSA_PSS_RSAE) {
        if (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) != 1
                || EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) != 1) {
            S2NRS_FAIL_AT("PSS padding");
            goto done;
        }
    } else if (sig == S2N_TLS_SIGNATURE_RSA) {
        if (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) != 1) {
            S2NRS_FAIL_AT("PKCS#1 padding");
            goto done;
        }
    }
    if (EVP_PKEY_sign(pctx, NULL, &sig_len, digest, len) != 1 || !(signature = malloc(sig_len))
            || EVP_PKEY_sign(pctx, signature, &sig_len, digest, len) != 1) {
        S2NRS_FAIL_AT("EVP_PKEY_sign failed");
        goto done;
    }
    EXPECT_SUCCESS(s2n_async_pkey_op_set_output(op, signature, (uint32_t) sig_len));
    EXPECT_SUCCESS(s2n_async_pkey_op_apply(op, conn));
    signatures++;
    last_sig = sig;
    rc = S2N_SUCCESS;
done:
    free(signature);
    EVP_PKEY_CTX_free(pctx);
    EXPECT_SUCCESS(s2n_async_pkey_op_free(op));
    return rc;
}

/* Each case signs once through the callback, with the expected algorithm. */
static int signatures_seen;
static s2n_tls_signature_algorithm want_sig;

static void check_signed(struct s2n_connection *conn, struct s2nrs_peer *peer)
{
    (void) conn;
    (void) peer;
    EXPECT_EQ_INT(signatures - signatures_seen, 1);
    EXPECT_EQ_INT(last_sig, want_sig);
    signatures_seen = signatures;
}

static void run_server(const struct s2nrs_case *c, s2n_tls_signature_algorithm sig)
{
    want_sig = sig;
    signatures_seen = signatures;
    s2nrs_run_server_case(c);
}

static void run_client(const struct s2nrs_case *c, s2n_tls_signature_algorithm sig)
{
    want_sig = sig;
    signatures_seen = signatures;
    s2nrs_run_client_case(c);
}

static struct s2n_config *async_config(struct s2n_config *config)
{
    EXPECT_SUCCESS(s2n_config_set_async_pkey_callback(config, sign_digest));
    return config;
}

int main(void)
{
    s2nrs_interop_init(S2NRS_ALARM_SECONDS);
    s2nrs_require_tool("openssl");
    EXPECT_SUCCESS(s2n_init());

    EVP_PKEY *ecdsa_key = load_key("server-ecdsa-key.pem");
    EVP_PKEY *rsa_key = load_key("server-rsa-key.pem");
    EVP_PKEY *client_key = load_key("client-ecdsa-key.pem");
    struct s2n_cert_chain_and_key *ecdsa = keyless_chain("server-ecdsa-chain.pem", ecdsa_key);
    struct s2n_cert_chain_and_key *rsa = keyless_chain("server-rsa-chain.pem", rsa_key);
    struct s2n_cert_chain_and_key *client = keyless_chain("client-ecdsa-chain.pem", client_key);
    struct s2n_config *ecdsa_server = async_config(s2nrs_owned_server_config(ecdsa, NULL, S2NRS_NO_CLIENT_AUTH, NULL));
    struct s2n_config *rsa_server = async_config(s2nrs_owned_server_config(rsa, NULL, S2NRS_NO_CLIENT_AUTH, NULL));
    struct s2n_config *mtls_client = async_config(s2nrs_owned_client_config("ca-ecdsa.pem", 0, client));

    const struct s2nrs_case tls13_ecdsa = {
        .name = "server_tls13_ecdsa_keyless",
        .argv = { S2NRS_S_CLIENT("ca-ecdsa.pem", "s2nrs.test"), "-servername", "s2nrs.test", "-tls1_3", NULL },
        .config = ecdsa_server,
        .version = S2N_TLS13,
        .send = SERVER_SAYS,
        .peer_send = PEER_SAYS,
        .peer_needles = { "Verify return code: 0 (ok)", "Peer signature type: ECDSA" },
        .extra_check = check_signed,
    };
    run_server(&tls13_ecdsa, S2N_TLS_SIGNATURE_ECDSA);

    const struct s2nrs_case tls13_rsa = {
        .name = "server_tls13_rsa_pss_keyless",
        .argv = { S2NRS_S_CLIENT("ca-rsa.pem", "s2nrs.test"), "-servername", "s2nrs.test", "-tls1_3", NULL },
        .config = rsa_server,
        .version = S2N_TLS13,
        .send = SERVER_SAYS,
        .peer_send = PEER_SAYS,
        .peer_needles = { "Verify return code: 0 (ok)", "Peer signature type: RSA-PSS" },
        .extra_check = check_signed,
    };
    run_server(&tls13_rsa, S2N_TLS_SIGNATURE_RSA_PSS_RSAE);

    const struct s2nrs_case tls12_ecdsa = {
        .name = "server_tls12_ecdsa_keyless",
        .argv = { S2NRS_S_CLIENT("ca-ecdsa.pem", "s2nrs.test"), "-servername", "s2nrs.test", "-tls1_2", NULL },
        .config = ecdsa_server,
        .version = S2N_TLS12,
        .send = SERVER_SAYS,
        .peer_send = PEER_SAYS,
        .peer_needles = { "Verify return code: 0 (ok)", "Peer signature type: ECDSA" },
        .extra_check = check_signed,
    };
    run_server(&tls12_ecdsa, S2N_TLS_SIGNATURE_ECDSA);

    const struct s2nrs_case tls12_rsa_pkcs1 = {
        .name = "server_tls12_rsa_pkcs1_keyless",
        .argv = { S2NRS_S_CLIENT("ca-rsa.pem", "s2nrs.test"), "-servername", "s2nrs.test", "-tls1_2", "-sigalgs",
                "RSA+SHA256", NULL },
        .config = rsa_server,
        .version = S2N_TLS12,
        .send = SERVER_SAYS,
        .peer_send = PEER_SAYS,
        .peer_needles = { "Verify return code: 0 (ok)", "Peer signing digest: SHA256", "Peer signature type: RSA" },
        .peer_absent = { "RSA-PSS" },
        .extra_check = check_signed,
    };
    run_server(&tls12_rsa_pkcs1, S2N_TLS_SIGNATURE_RSA);

    const struct s2nrs_case tls12_rsa_pss = {
        .name = "server_tls12_rsa_pss_sha384_keyless",
        .argv = { S2NRS_S_CLIENT("ca-rsa.pem", "s2nrs.test"), "-servername", "s2nrs.test", "-tls1_2", "-sigalgs",
                "rsa_pss_rsae_sha384", NULL },
        .config = rsa_server,
        .version = S2N_TLS12,
        .send = SERVER_SAYS,
        .peer_send = PEER_SAYS,
        .peer_needles = { "Verify return code: 0 (ok)", "Peer signing digest: SHA384", "Peer signature type: RSA-PSS" },
        .extra_check = check_signed,
    };
    run_server(&tls12_rsa_pss, S2N_TLS_SIGNATURE_RSA_PSS_RSAE);

    const char *protocols[] = { "-tls1_3", "-tls1_2" };
    for (int i = 0; i < 2; i++) {
        const struct s2nrs_case mtls = {
            .name = i == 0 ? "client_tls13_mtls_keyless" : "client_tls12_mtls_keyless",
            .argv = { S2NRS_S_SERVER("server-ecdsa-chain.pem", "server-ecdsa-key.pem"), protocols[i], "-Verify", "1",
                    "-verify_return_error", "-CAfile", s2nrs_cert_path("ca-ecdsa.pem"), NULL },
            .config = mtls_client,
            .server_name = "s2nrs.test",
            .version = i == 0 ? S2N_TLS13 : S2N_TLS12,
            .client_cert_used = 1,
            .send = CLIENT_SAYS,
            .reply = CLIENT_SAYS_REVERSED,
            .peer_needles = { "Peer certificate: CN = client-ecdsa", "Verification: OK" },
            .extra_check = check_signed,
        };
        run_client(&mtls, S2N_TLS_SIGNATURE_ECDSA);
    }

    s2nrs_free_owned();
    EVP_PKEY_free(ecdsa_key);
    EVP_PKEY_free(rsa_key);
    EVP_PKEY_free(client_key);
    EXPECT_SUCCESS(s2n_cleanup_final());
    s2nrs_cases_summary(__FILE__);
    return S2NRS_TEST_RESULT();
}
