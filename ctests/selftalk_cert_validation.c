/*
 * Self-talk: the cert validation callback (s2n/unstable/crl.h).
 *
 * s2n semantics used here:
 *  - the callback runs after s2n's own checks of the peer's chain passed,
 *    on clients for the server's chain and on servers for client chains;
 *  - s2n_cert_validation_accept lets the handshake go on,
 *    s2n_cert_validation_reject fails it with S2N_ERR_CERT_REJECTED;
 *  - a callback that returns failure fails it with S2N_ERR_CANCELLED;
 *  - deciding twice fails with S2N_ERR_INVALID_STATE;
 *  - returning without deciding is the asynchronous form: s2n blocks on
 *    application input until accept/reject (s2nrs cannot pause rustls's
 *    verifier and fails with S2N_ERR_UNIMPLEMENTED instead: both accepted).
 */
#include "harness/selftalk.h"
#include <s2n/unstable/crl.h>

#define POLICY_TLS13 "default_tls13"
#define POLICY_TLS12 "ELBSecurityPolicy-TLS-1-2-Ext-2018-06"

enum mode { ACCEPT, REJECT, FAIL, ASYNC };

static int calls;
static struct s2n_cert_validation_info *saved_info;
static int second_decision_err;

static int validate(struct s2n_connection *conn, struct s2n_cert_validation_info *info, void *ctx)
{
    enum mode mode = *(enum mode *) ctx;
    EXPECT(conn != NULL);
    calls++;
    switch (mode) {
        case ACCEPT:
            EXPECT_SUCCESS(s2n_cert_validation_accept(info));
            second_decision_err = s2n_cert_validation_reject(info) == S2N_SUCCESS ? 0 : s2n_errno;
            return S2N_SUCCESS;
        case REJECT:
            EXPECT_SUCCESS(s2n_cert_validation_reject(info));
            return S2N_SUCCESS;
        case FAIL:
            return S2N_FAILURE;
        case ASYNC:
            saved_info = info;
            return S2N_SUCCESS;
    }
    return S2N_FAILURE;
}

static struct s2n_cert_chain_and_key *server_chain;

static void run(const char *policy, enum mode mode)
{
    printf("policy %s, mode %d\n", policy, (int) mode);
    calls = 0;
    saved_info = NULL;
    second_decision_err = 0;
    struct s2n_config *server = s2nrs_server_config(policy, &server_chain, 1);
    struct s2n_config *client = s2nrs_client_config(policy, "ca-ecdsa.pem");
    EXPECT_SUCCESS(s2n_config_set_cert_validation_cb(client, validate, &mode));
    struct s2nrs_pair p;
    s2nrs_pair_init(&p, client, server, "localhost");
    struct s2nrs_negotiation n = s2nrs_negotiate_pair(p.client, p.server);
    switch (mode) {
        case ACCEPT:
            EXPECT_EQ_INT(n.failed, S2NRS_NONE);
            EXPECT_EQ_INT(calls, 1);
            EXPECT_ERR(second_decision_err, S2NRS_E_INVALID_STATE);
            break;
        case REJECT:
            EXPECT_EQ_INT(n.failed, S2NRS_CLIENT);
            EXPECT_ERR(n.err, S2NRS_E_CERT_REJECTED);
            EXPECT_EQ_INT(calls, 1);
            break;
        case FAIL:
            EXPECT_EQ_INT(n.failed, S2NRS_CLIENT);
            EXPECT_ERR(n.err, S2NRS_E_CANCELLED);
            break;
        case ASYNC:
            EXPECT_EQ_INT(calls, 1);
            if (n.failed == S2NRS_CLIENT && n.err == S2NRS_E_UNIMPLEMENTED) {
                printf("  asynchronous form refused with S2N_ERR_UNIMPLEMENTED (s2nrs)\n");
                break;
            }
            /* s2n: the client waits for the application. */
            EXPECT_EQ_INT(n.failed, S2NRS_STUCK);
            EXPECT_EQ_INT(n.client_blocked, S2N_BLOCKED_ON_APPLICATION_INPUT);
            EXPECT(saved_info != NULL);
            if (saved_info) {
                EXPECT_SUCCESS(s2n_cert_validation_accept(saved_info));
                EXPECT_HANDSHAKE_OK(p.client, p.server);
                EXPECT_EQ_INT(calls, 1);
            }
            break;
    }
    s2nrs_pair_free(&p);
    EXPECT_SUCCESS(s2n_config_free(client));
    EXPECT_SUCCESS(s2n_config_free(server));
}

/* Servers call it for client certificates too. */
static void server_side(const char *policy, enum mode mode, struct s2n_cert_chain_and_key *client_chain)
{
    printf("server side, policy %s, mode %d\n", policy, (int) mode);
    calls = 0;
    struct s2n_config *server = s2nrs_server_config(policy, &server_chain, 1);
    EXPECT_SUCCESS(s2n_config_set_client_auth_type(server, S2N_CERT_AUTH_REQUIRED));
    s2nrs_add_trust(server, "ca-ecdsa.pem");
    EXPECT_SUCCESS(s2n_config_disable_x509_verification(server));
    EXPECT_SUCCESS(s2n_config_set_cert_validation_cb(server, validate, &mode));
    struct s2n_config *client = s2nrs_client_config(policy, "ca-ecdsa.pem");
    EXPECT_SUCCESS(s2n_config_add_cert_chain_and_key_to_store(client, client_chain));
    struct s2nrs_pair p;
    s2nrs_pair_init(&p, client, server, "localhost");
    struct s2nrs_negotiation n = s2nrs_negotiate_pair(p.client, p.server);
    EXPECT_EQ_INT(calls, 1);
    if (mode == ACCEPT) {
        EXPECT_EQ_INT(n.failed, S2NRS_NONE);
    } else {
        EXPECT_EQ_INT(n.failed, S2NRS_SERVER);
        EXPECT_ERR(n.err, S2NRS_E_CERT_REJECTED);
    }
    s2nrs_pair_free(&p);
    EXPECT_SUCCESS(s2n_config_free(client));
    EXPECT_SUCCESS(s2n_config_free(server));
}

int main(void)
{
    s2nrs_tls_setup(120);
    server_chain = s2nrs_load_chain("server-ecdsa-chain.pem", "server-ecdsa-key.pem");
    struct s2n_cert_chain_and_key *client_chain = s2nrs_load_chain("client-ecdsa-chain.pem", "client-ecdsa-key.pem");

    EXPECT_FAILURE_WITH_ERRNO(s2n_cert_validation_accept(NULL), S2NRS_E_NULL);
    EXPECT_FAILURE_WITH_ERRNO(s2n_cert_validation_reject(NULL), S2NRS_E_NULL);

    const char *policies[] = { POLICY_TLS13, POLICY_TLS12 };
    for (int i = 0; i < 2; i++) {
        run(policies[i], ACCEPT);
        run(policies[i], REJECT);
        run(policies[i], FAIL);
        run(policies[i], ASYNC);
        server_side(policies[i], ACCEPT, client_chain);
        server_side(policies[i], REJECT, client_chain);
    }

    EXPECT_SUCCESS(s2n_cert_chain_and_key_free(server_chain));
    EXPECT_SUCCESS(s2n_cert_chain_and_key_free(client_chain));
    s2nrs_tls_teardown();
    return S2NRS_TEST_RESULT();
}
