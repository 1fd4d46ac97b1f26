/*
 * Self-talk: CRL validation (s2n/unstable/crl.h), tests/certs/make_crl.sh's CRLs.
 *
 * s2n semantics used here:
 *  - the lookup callback runs once per received certificate; the issuer hash
 *    of the certificate (OpenSSL's X509_issuer_name_hash) matches the CRL's
 *    (s2n_crl_get_issuer_hash) when the CRL is its issuer's;
 *  - with the CRL of the issuer set, a revoked certificate fails the
 *    handshake with S2N_ERR_CERT_REVOKED, a listed-as-good one passes;
 *  - an ignored lookup for a certificate of the chain of trust fails with
 *    S2N_ERR_CRL_LOOKUP_FAILED;
 *  - a failing callback fails with S2N_ERR_CANCELLED;
 *  - loading a second PEM into one s2n_crl fails with S2N_ERR_INVALID_ARGUMENT;
 *    s2n_crl_free takes NULL and sets the pointer to NULL.
 */
#include "harness/selftalk.h"
#include <s2n/unstable/crl.h>

#define POLICY_TLS13 "default_tls13"
#define POLICY_TLS12 "ELBSecurityPolicy-TLS-1-2-Ext-2018-06"

enum mode { SET_MATCHING, IGNORE, FAIL };

struct lookup_ctx {
    enum mode mode;
    struct s2n_crl *crl;
    int calls;
    int hash_matches;
};

static int lookup_cb(struct s2n_crl_lookup *lookup, void *context)
{
    struct lookup_ctx *ctx = context;
    ctx->calls++;
    uint64_t cert_hash = 0;
    uint64_t crl_hash = 0;
    EXPECT_SUCCESS(s2n_crl_lookup_get_cert_issuer_hash(lookup, &cert_hash));
    EXPECT_SUCCESS(s2n_crl_get_issuer_hash(ctx->crl, &crl_hash));
    switch (ctx->mode) {
        case SET_MATCHING:
            if (cert_hash == crl_hash) {
                ctx->hash_matches++;
                EXPECT_SUCCESS(s2n_crl_lookup_set(lookup, ctx->crl));
            } else {
                EXPECT_SUCCESS(s2n_crl_lookup_ignore(lookup));
            }
            return S2N_SUCCESS;
        case IGNORE:
            EXPECT_SUCCESS(s2n_crl_lookup_ignore(lookup));
            return S2N_SUCCESS;
        case FAIL:
            return S2N_FAILURE;
    }
    return S2N_FAILURE;
}

static struct s2n_crl *load_crl(const char *file)
{
    size_t len = 0;
    char path[1024];
    snprintf(path, sizeof(path), "%s/%s", S2NRS_CERTS_DIR, file);
    char *pem = s2nrs_read_file(path, &len);
    struct s2n_crl *crl = s2n_crl_new();
    EXPECT(crl != NULL);
    if (pem && crl) {
        EXPECT_SUCCESS(s2n_crl_load_pem(crl, (uint8_t *) pem, len));
        EXPECT_FAILURE_WITH_ERRNO(s2n_crl_load_pem(crl, (uint8_t *) pem, len), S2NRS_E_INVALID_ARGUMENT);
    }
    free(pem);
    return crl;
}

static struct s2n_cert_chain_and_key *server_chain;  /* revoked in crl-ecdsa-revoked.pem */

/* The client checks the server's chain (leaf + CA as sent) with the CRL. */
static void run(const char *policy, const char *crl_file, enum mode mode, int expected_err)
{
    printf("policy %s, CRL %s, mode %d\n", policy, crl_file, (int) mode);
    struct lookup_ctx ctx = { .mode = mode, .crl = load_crl(crl_file) };
    struct s2n_config *server = s2nrs_server_config(policy, &server_chain, 1);
    struct s2n_config *client = s2nrs_client_config(policy, "ca-ecdsa.pem");
    EXPECT_SUCCESS(s2n_config_set_crl_lookup_cb(client, lookup_cb, &ctx));
    struct s2nrs_pair p;
    s2nrs_pair_init(&p, client, server, "localhost");
    struct s2nrs_negotiation n = s2nrs_negotiate_pair(p.client, p.server);
    if (expected_err == 0) {
        EXPECT_EQ_INT(n.failed, S2NRS_NONE);
        if (n.failed != S2NRS_NONE) {
            s2nrs_print_negotiation("handshake", &n);
        }
    } else {
        EXPECT_EQ_INT(n.failed, S2NRS_CLIENT);
        EXPECT_ERR(n.err, expected_err);
    }
    if (mode == FAIL) {
        EXPECT_EQ_INT(ctx.calls, 1);
    } else {
        /* The server sends its leaf and the CA. */
        EXPECT_EQ_INT(ctx.calls, 2);
    }
    s2nrs_pair_free(&p);
    EXPECT_SUCCESS(s2n_config_free(client));
    EXPECT_SUCCESS(s2n_config_free(server));
    EXPECT_SUCCESS(s2n_crl_free(&ctx.crl));
    EXPECT(ctx.crl == NULL);
}

int main(void)
{
    s2nrs_tls_setup(120);
    server_chain = s2nrs_load_chain("server-ecdsa-chain.pem", "server-ecdsa-key.pem");

    EXPECT_SUCCESS(s2n_crl_free(NULL));
    struct s2n_crl *none = NULL;
    EXPECT_SUCCESS(s2n_crl_free(&none));

    /* The hashes: `openssl crl -hash` of the ECDSA CRLs is the ECDSA CA's subject hash. */
    struct s2n_crl *ecdsa = load_crl("crl-ecdsa-empty.pem");
    struct s2n_crl *rsa = load_crl("crl-rsa-empty.pem");
    uint64_t h1 = 0, h2 = 0;
    EXPECT_SUCCESS(s2n_crl_get_issuer_hash(ecdsa, &h1));
    EXPECT_SUCCESS(s2n_crl_get_issuer_hash(rsa, &h2));
    EXPECT(h1 != h2);
    EXPECT(h1 == 0xd03eddc4);
    EXPECT_SUCCESS(s2n_crl_validate_active(ecdsa));
    EXPECT_SUCCESS(s2n_crl_validate_not_expired(ecdsa));
    EXPECT_SUCCESS(s2n_crl_free(&ecdsa));
    EXPECT_SUCCESS(s2n_crl_free(&rsa));

    const char *policies[] = { POLICY_TLS13, POLICY_TLS12 };
    for (int i = 0; i < 2; i++) {
        const char *policy = policies[i];
        /* The leaf's issuer (the CA) has a CRL; the CA's own issuer is itself:
         * the same CRL covers it. */
        run(policy, "crl-ecdsa-empty.pem", SET_MATCHING, 0);
        run(policy, "crl-ecdsa-revoked.pem", SET_MATCHING, S2NRS_E_CERT_REVOKED);
        run(policy, "crl-ecdsa-empty.pem", IGNORE, S2NRS_E_CRL_LOOKUP_FAILED);
        run(policy, "crl-rsa-empty.pem", SET_MATCHING, S2NRS_E_CRL_LOOKUP_FAILED);
        run(policy, "crl-ecdsa-empty.pem", FAIL, S2NRS_E_CANCELLED);
    }

    EXPECT_SUCCESS(s2n_cert_chain_and_key_free(server_chain));
    s2nrs_tls_teardown();
    return S2NRS_TEST_RESULT();
}
