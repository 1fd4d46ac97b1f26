/*
 * Self-talk: certificate_authorities and the client's certificate request
 * callback (s2n/unstable/cert_authorities.h).
 *
 * s2n semantics used here:
 *  - s2n_config_set_cert_authorities_from_trust_store makes a server list its
 *    trust store's subjects (DER Names) in TLS1.3 CertificateRequests; it
 *    fails with S2N_ERR_INVALID_STATE on a config with the system store
 *    loaded (s2n_config_new);
 *  - a client with certificates calls its certificate request callback when
 *    asked for a certificate; the list iterates the server's names
 *    (has_next/next, reread starts over) and the chain it sets is sent;
 *  - the callback failing fails the handshake with S2N_ERR_CANCELLED, not
 *    setting a chain with S2N_ERR_NO_CERT_FOUND.
 */
#define _GNU_SOURCE
#include "harness/selftalk.h"
#include <s2n/unstable/cert_authorities.h>

#define POLICY_TLS13 "default_tls13"
#define POLICY_TLS12 "ELBSecurityPolicy-TLS-1-2-Ext-2018-06"

enum mode { CHOOSE, FAIL, NO_CHAIN };

struct seen {
    enum mode mode;
    int calls;
    int names;
    bool saw_ecdsa_ca;
    bool saw_rsa_ca;
    int names_after_reread;
};

static struct s2n_cert_chain_and_key *server_chain;
static struct s2n_cert_chain_and_key *client_chain;

static int on_request(struct s2n_connection *conn, void *ctx, struct s2n_certificate_request *request)
{
    struct seen *seen = ctx;
    EXPECT(conn != NULL);
    seen->calls++;
    struct s2n_certificate_authority_list *list = s2n_certificate_request_get_ca_list(request);
    EXPECT(list != NULL);
    while (list && s2n_certificate_authority_list_has_next(list)) {
        uint8_t *name = NULL;
        uint16_t len = 0;
        if (s2n_certificate_authority_list_next(list, &name, &len) != S2N_SUCCESS) {
            S2NRS_FAIL_AT("s2n_certificate_authority_list_next failed");
            break;
        }
        seen->names++;
        EXPECT(len > 0 && name && name[0] == 0x30);
        seen->saw_ecdsa_ca |= memmem(name, len, "s2nrs test ca-ecdsa", 19) != NULL;
        seen->saw_rsa_ca |= memmem(name, len, "s2nrs test ca-rsa", 17) != NULL;
    }
    if (list) {
        uint8_t *name = (uint8_t *) 1;
        uint16_t len = 1;
        EXPECT_FAILURE_WITH_ERRNO(s2n_certificate_authority_list_next(list, &name, &len), S2NRS_E_INVALID_ARGUMENT);
        EXPECT(name == NULL && len == 0);
        EXPECT_SUCCESS(s2n_certificate_authority_list_reread(list));
        while (s2n_certificate_authority_list_has_next(list)
                && s2n_certificate_authority_list_next(list, &name, &len) == S2N_SUCCESS) {
            seen->names_after_reread++;
        }
    }
    switch (seen->mode) {
        case CHOOSE:
            EXPECT_FAILURE_WITH_ERRNO(s2n_certificate_request_set_certificate(request, NULL), S2NRS_E_INVALID_ARGUMENT);
            EXPECT_SUCCESS(s2n_certificate_request_set_certificate(request, client_chain));
            return S2N_SUCCESS;
        case FAIL:
            return S2N_FAILURE;
        case NO_CHAIN:
            return S2N_SUCCESS;
    }
    return S2N_FAILURE;
}

static uint8_t accept_all(const char *name, size_t len, void *data)
{
    (void) name;
    (void) len;
    (void) data;
    return 1;
}

static void run(const char *policy, bool tls13, enum mode mode, bool send_cas)
{
    printf("policy %s, mode %d, server sends CAs %d\n", policy, (int) mode, (int) send_cas);
    struct s2n_config *server = s2nrs_server_config(policy, &server_chain, 1);
    EXPECT_SUCCESS(s2n_config_set_client_auth_type(server, S2N_CERT_AUTH_REQUIRED));
    s2nrs_add_trust(server, "ca-ecdsa.pem");
    s2nrs_add_trust(server, "ca-rsa.pem");
    EXPECT_SUCCESS(s2n_config_set_verify_host_callback(server, accept_all, NULL));
    if (send_cas) {
        EXPECT_SUCCESS(s2n_config_set_cert_authorities_from_trust_store(server));
    }
    struct s2n_config *client = s2nrs_client_config(policy, "ca-ecdsa.pem");
    /* The callback runs only for clients with certificates: an untrusted one
     * is what the client would send without the callback. */
    struct s2n_cert_chain_and_key *fallback = s2nrs_load_chain("untrusted.pem", "untrusted-key.pem");
    EXPECT_SUCCESS(s2n_config_add_cert_chain_and_key_to_store(client, fallback));
    struct seen seen = { .mode = mode };
    EXPECT_SUCCESS(s2n_config_set_cert_request_callback(client, on_request, &seen));

    struct s2nrs_pair p;
    s2nrs_pair_init(&p, client, server, "localhost");
    struct s2nrs_negotiation n = s2nrs_negotiate_pair(p.client, p.server);
    EXPECT_EQ_INT(seen.calls, 1);
    int expected_names = (send_cas && tls13) ? 2 : 0;
    if (tls13 || !send_cas) {
        EXPECT_EQ_INT(seen.names, expected_names);
        EXPECT_EQ_INT(seen.names_after_reread, expected_names);
        EXPECT(seen.saw_ecdsa_ca == (expected_names > 0));
        EXPECT(seen.saw_rsa_ca == (expected_names > 0));
    }
    switch (mode) {
        case CHOOSE:
            EXPECT_EQ_INT(n.failed, S2NRS_NONE);
            if (n.failed != S2NRS_NONE) {
                s2nrs_print_negotiation("handshake", &n);
            }
            break;
        case FAIL:
            EXPECT_EQ_INT(n.failed, S2NRS_CLIENT);
            EXPECT_ERR(n.err, S2NRS_E_CANCELLED);
            break;
        case NO_CHAIN:
            EXPECT_EQ_INT(n.failed, S2NRS_CLIENT);
            EXPECT_ERR(n.err, S2NRS_E_NO_CERT_FOUND);
            break;
    }
    s2nrs_pair_free(&p);
    EXPECT_SUCCESS(s2n_config_free(client));
    EXPECT_SUCCESS(s2n_config_free(server));
    EXPECT_SUCCESS(s2n_cert_chain_and_key_free(fallback));
}

int main(void)
{
    s2nrs_tls_setup(120);
    server_chain = s2nrs_load_chain("server-ecdsa-chain.pem", "server-ecdsa-key.pem");
    client_chain = s2nrs_load_chain("client-ecdsa-chain.pem", "client-ecdsa-key.pem");

    EXPECT(s2n_certificate_request_get_ca_list(NULL) == NULL);
    EXPECT(!s2n_certificate_authority_list_has_next(NULL));
    EXPECT_FAILURE_WITH_ERRNO(s2n_certificate_authority_list_reread(NULL), S2NRS_E_INVALID_ARGUMENT);
    EXPECT_FAILURE_WITH_ERRNO(s2n_config_set_cert_request_callback(NULL, on_request, NULL), S2NRS_E_INVALID_ARGUMENT);

    struct s2n_config *with_system = s2n_config_new();
    EXPECT_FAILURE_WITH_ERRNO(s2n_config_set_cert_authorities_from_trust_store(with_system), S2NRS_E_INVALID_STATE);
    EXPECT_SUCCESS(s2n_config_wipe_trust_store(with_system));
    EXPECT_SUCCESS(s2n_config_set_cert_authorities_from_trust_store(with_system));
    EXPECT_SUCCESS(s2n_config_free(with_system));

    run(POLICY_TLS13, true, CHOOSE, true);
    run(POLICY_TLS13, true, CHOOSE, false);
    run(POLICY_TLS13, true, FAIL, true);
    run(POLICY_TLS13, true, NO_CHAIN, true);
    run(POLICY_TLS12, false, CHOOSE, false);
    run(POLICY_TLS12, false, FAIL, false);

    EXPECT_SUCCESS(s2n_cert_chain_and_key_free(server_chain));
    EXPECT_SUCCESS(s2n_cert_chain_and_key_free(client_chain));
    s2nrs_tls_teardown();
    return S2NRS_TEST_RESULT();
}
