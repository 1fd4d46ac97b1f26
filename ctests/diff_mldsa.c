/*
 * Differential: ML-DSA certificates (tests/certs/mldsa-*.pem, ML-DSA-87,
 * made by examples/mldsa_certs.rs). A server with an ML-DSA chain and a
 * client trusting its CA, under s2n's policies that list ML-DSA, a TLS1.3
 * policy that does not, and a TLS1.2 one. One line per fact,
 * "<policy> <what> -> <fact>":
 *
 *   ... handshake  -> ok | FAIL <side> <error name> <error type>
 *   ... negotiated -> <version> <cipher> <group>
 *   ... signature  -> the server's signature scheme (s2n_connection_get_signature_scheme)
 *   ... chain      -> the certificates the client received
 *
 * ctests/diff/compare.py diffs this output between s2nrs and s2n-tls.
 */
#include "harness/selftalk.h"

static struct s2n_cert_chain_and_key *chain;

static void run(const char *policy)
{
    struct s2n_config *server = s2nrs_server_config(policy, &chain, 1);
    struct s2n_config *client = s2nrs_client_config(policy, "mldsa-ca.pem");
    struct s2nrs_pair p;
    if (s2nrs_pair_init(&p, client, server, "localhost") == 0) {
        struct s2nrs_negotiation n = s2nrs_negotiate_pair(p.client, p.server);
        if (n.failed == S2NRS_NONE) {
            printf("%s handshake -> ok\n", policy);
            const char *group = s2n_connection_get_kem_group_name(p.client);
            if (group == NULL || strcmp(group, "NONE") == 0) {
                group = s2n_connection_get_curve(p.client);
            }
            printf("%s negotiated -> %s %s %s\n", policy,
                    s2nrs_version_name(s2n_connection_get_actual_protocol_version(p.client)),
                    s2nrs_safe_str(s2n_connection_get_cipher(p.client)), s2nrs_safe_str(group));
            const char *scheme = NULL;
            int rc = s2n_connection_get_signature_scheme(p.client, &scheme);
            printf("%s signature -> %s\n", policy, rc == 0 ? s2nrs_safe_str(scheme) : "FAIL");
            struct s2n_cert_chain_and_key *peer = s2n_cert_chain_and_key_new();
            uint32_t length = 0;
            if (s2n_connection_get_peer_cert_chain(p.client, peer) == 0
                    && s2n_cert_chain_get_length(peer, &length) == 0) {
                printf("%s chain -> %u certificate(s)\n", policy, length);
            } else {
                printf("%s chain -> FAIL %s\n", policy, s2nrs_err_name(s2n_errno));
            }
            s2n_cert_chain_and_key_free(peer);
        } else {
            printf("%s handshake -> FAIL %s %s %s\n", policy, s2nrs_side_name(n.failed), s2nrs_err_name(n.err),
                    s2nrs_err_type_name(s2n_error_get_type(n.err)));
        }
        s2nrs_pair_free(&p);
    }
    EXPECT_SUCCESS(s2n_config_free(server));
    EXPECT_SUCCESS(s2n_config_free(client));
}

int main(void)
{
    s2nrs_tls_setup(60);
    chain = s2nrs_load_chain("mldsa-server-chain.pem", "mldsa-server-key.pem");
    if (chain == NULL) {
        printf("load -> FAIL %s\n", s2nrs_err_name(s2n_errno));
    } else {
        const char *policies[] = {
            "default_pq",
            "20250512",
            "ELBSecurityPolicy-TLS13-1-3-CNSA2-INTEROP1-FIPS-PQ-2026-07",
            "default_tls13",
            "20240501",
        };
        for (size_t i = 0; i < sizeof(policies) / sizeof(policies[0]); i++) {
            run(policies[i]);
        }
        EXPECT_SUCCESS(s2n_cert_chain_and_key_free(chain));
    }
    s2nrs_tls_teardown();
    return S2NRS_TEST_RESULT();
}
