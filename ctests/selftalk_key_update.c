/*
 * TLS1.3 key updates: s2n_connection_request_key_update before sends on both
 * sides, many times, with data flowing both ways; both counts of
 * s2n_connection_get_key_update_counts (sent, received) follow. Requesting
 * the peer's update is refused, as s2n does.
 */
#include <s2n/unstable/ktls.h>

#include "harness/selftalk.h"

int main(void)
{
    s2nrs_tls_setup(60);
    struct s2n_cert_chain_and_key *chain = s2nrs_load_chain("server-ecdsa-chain.pem", "server-ecdsa-key.pem");
    struct s2n_config *server = s2nrs_server_config("default_tls13", &chain, 1);
    struct s2n_config *client = s2nrs_client_config("default_tls13", "ca-ecdsa.pem");
    struct s2nrs_pair p;
    if (s2nrs_pair_init(&p, client, server, "localhost") == 0) {
        EXPECT_HANDSHAKE_OK(p.client, p.server);
        EXPECT_FAILURE(s2n_connection_request_key_update(p.client, S2N_KEY_UPDATE_REQUESTED));

        uint8_t data[4096];
        for (size_t i = 0; i < sizeof(data); i++) {
            data[i] = (uint8_t) (i * 7);
        }
        for (int round = 0; round < 40; round++) {
            EXPECT_SUCCESS(s2n_connection_request_key_update(p.client, S2N_KEY_UPDATE_NOT_REQUESTED));
            EXPECT(s2nrs_transfer(p.client, p.server, data, sizeof(data)));
            EXPECT_SUCCESS(s2n_connection_request_key_update(p.server, S2N_KEY_UPDATE_NOT_REQUESTED));
            EXPECT(s2nrs_transfer(p.server, p.client, data, sizeof(data)));
        }
        uint8_t sent = 0, received = 0;
        EXPECT_SUCCESS(s2n_connection_get_key_update_counts(p.client, &sent, &received));
        printf("client key updates: sent %u, received %u\n", sent, received);
        EXPECT_EQ_INT(sent, 40);
        EXPECT_EQ_INT(received, 40);
        EXPECT_SUCCESS(s2n_connection_get_key_update_counts(p.server, &sent, &received));
        printf("server key updates: sent %u, received %u\n", sent, received);
        EXPECT_EQ_INT(sent, 40);
        EXPECT_EQ_INT(received, 40);
    }
    s2nrs_pair_free(&p);
    s2n_config_free(server);
    s2n_config_free(client);
    s2n_cert_chain_and_key_free(chain);
    s2nrs_tls_teardown();
    return S2NRS_TEST_RESULT();
}
