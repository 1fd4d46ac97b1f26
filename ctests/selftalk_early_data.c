/*
 * TLS1.3 early data (0-RTT) with session tickets: a server that allows early
 * data issues a ticket; the client resumes with it and sends early data with
 * s2n_send_early_data, the server reads it with s2n_recv_early_data, then
 * the handshake completes and normal data flows. Rejections: by the
 * server's early data callback, and by a server that allows none.
 */
#include "harness/selftalk.h"

static int cb_calls;
static int cb_reject;
static uint8_t cb_context[16];
static uint16_t cb_context_len;

static int on_early_data(struct s2n_connection *conn, struct s2n_offered_early_data *early_data)
{
    (void) conn;
    cb_calls++;
    uint16_t len = 0;
    EXPECT_SUCCESS(s2n_offered_early_data_get_context_length(early_data, &len));
    cb_context_len = len;
    if (len <= sizeof(cb_context)) {
        EXPECT_SUCCESS(s2n_offered_early_data_get_context(early_data, cb_context, sizeof(cb_context)));
    }
    if (cb_reject) {
        EXPECT_SUCCESS(s2n_offered_early_data_reject(early_data));
    } else {
        EXPECT_SUCCESS(s2n_offered_early_data_accept(early_data));
    }
    return S2N_SUCCESS;
}

static bool blocked_error(void)
{
    return s2n_error_get_type(s2n_errno) == S2N_ERR_T_BLOCKED;
}

/* First connection: a full handshake and a round trip for the ticket. */
static int get_session(struct s2n_config *client, struct s2n_config *server, uint8_t *session, size_t max)
{
    struct s2nrs_pair p;
    int len = 0;
    if (s2nrs_pair_init(&p, client, server, "localhost") != 0) {
        return 0;
    }
    EXPECT_SUCCESS(s2n_connection_set_server_early_data_context(p.server, (const uint8_t *) "ctx1", 4));
    EXPECT_HANDSHAKE_OK(p.client, p.server);
    const uint8_t ping[] = "ping";
    EXPECT(s2nrs_transfer(p.server, p.client, ping, sizeof(ping)));
    EXPECT(s2nrs_transfer(p.client, p.server, ping, sizeof(ping)));
    len = s2n_connection_get_session(p.client, session, max);
    EXPECT(len > 0);
    uint16_t sent = 0;
    EXPECT_SUCCESS(s2n_connection_get_tickets_sent(p.server, &sent));
    EXPECT_EQ_INT(sent, 1);
    s2nrs_pair_free(&p);
    return len;
}

/* A resumption with early data (server_max >= 0: the server connection's limit). */
static void resume_with_early_data(struct s2n_config *client, struct s2n_config *server, const uint8_t *session,
        int session_len, bool expect_accept, int server_max)
{
    struct s2nrs_pair p;
    if (s2nrs_pair_init(&p, client, server, "localhost") != 0) {
        return;
    }
    if (server_max >= 0) {
        EXPECT_SUCCESS(s2n_connection_set_server_max_early_data_size(p.server, (uint32_t) server_max));
    }
    EXPECT_SUCCESS(s2n_connection_set_session(p.client, session, session_len));
    uint32_t max = 0;
    EXPECT_SUCCESS(s2n_connection_get_max_early_data_size(p.client, &max));
    EXPECT_EQ_INT(max, 1024);

    const uint8_t early[] = "early";
    uint8_t received[64] = { 0 };
    ssize_t total_sent = 0, total_recv = 0;
    bool client_early_done = false, server_early_done = false;
    bool client_done = false, server_done = false;
    s2n_blocked_status blocked = S2N_NOT_BLOCKED;
    for (int round = 0; round < 200 && (!client_done || !server_done); round++) {
        if (!client_early_done) {
            ssize_t sent = 0;
            int rc = s2n_send_early_data(p.client, early + total_sent, sizeof(early) - total_sent, &sent, &blocked);
            total_sent += sent;
            if (rc == S2N_SUCCESS) {
                client_early_done = true;
                s2n_early_data_status_t status = 0;
                EXPECT_SUCCESS(s2n_connection_get_early_data_status(p.client, &status));
                EXPECT_EQ_INT(status, expect_accept ? S2N_EARLY_DATA_STATUS_OK : S2N_EARLY_DATA_STATUS_REJECTED);
            } else if (!blocked_error()) {
                EXPECT_SUCCESS(rc);
                break;
            }
        } else if (!client_done) {
            int rc = s2n_negotiate(p.client, &blocked);
            if (rc == S2N_SUCCESS) {
                client_done = true;
            } else if (!blocked_error()) {
                EXPECT_SUCCESS(rc);
                break;
            }
        }
        if (!server_early_done) {
            ssize_t got = 0;
            int rc = s2n_recv_early_data(p.server, received + total_recv, sizeof(received) - total_recv, &got,
                    &blocked);
            total_recv += got;
            if (rc == S2N_SUCCESS) {
                server_early_done = true;
            } else if (!blocked_error()) {
                EXPECT_SUCCESS(rc);
                break;
            }
        } else if (!server_done) {
            int rc = s2n_negotiate(p.server, &blocked);
            if (rc == S2N_SUCCESS) {
                server_done = true;
            } else if (!blocked_error()) {
                EXPECT_SUCCESS(rc);
                break;
            }
        }
    }
    EXPECT(client_done && server_done);
    EXPECT_EQ_INT(total_sent, sizeof(early));
    EXPECT_EQ_INT(s2n_connection_is_session_resumed(p.client), 1);
    EXPECT_EQ_INT(s2n_connection_is_session_resumed(p.server), 1);

    s2n_early_data_status_t client_status = 0, server_status = 0;
    EXPECT_SUCCESS(s2n_connection_get_early_data_status(p.client, &client_status));
    EXPECT_SUCCESS(s2n_connection_get_early_data_status(p.server, &server_status));
    uint32_t remaining = 99;
    EXPECT_SUCCESS(s2n_connection_get_remaining_early_data_size(p.client, &remaining));
    EXPECT_EQ_INT(remaining, 0);
    if (expect_accept) {
        EXPECT_EQ_INT(client_status, S2N_EARLY_DATA_STATUS_END);
        EXPECT_EQ_INT(server_status, S2N_EARLY_DATA_STATUS_END);
        EXPECT_EQ_INT(total_recv, sizeof(early));
        EXPECT(memcmp(received, early, sizeof(early)) == 0);
    } else {
        EXPECT_EQ_INT(client_status, S2N_EARLY_DATA_STATUS_REJECTED);
        EXPECT_EQ_INT(server_status, S2N_EARLY_DATA_STATUS_REJECTED);
        EXPECT_EQ_INT(total_recv, 0);
    }
    /* Normal data after the handshake, both ways. */
    const uint8_t ping[] = "after";
    EXPECT(s2nrs_transfer(p.client, p.server, ping, sizeof(ping)));
    EXPECT(s2nrs_transfer(p.server, p.client, ping, sizeof(ping)));
    s2nrs_pair_free(&p);
}

static struct s2n_config *server_config(struct s2n_cert_chain_and_key **chain, uint32_t max_early)
{
    struct s2n_config *server = s2nrs_server_config("default_tls13", chain, 1);
    uint8_t key[32] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };
    EXPECT_SUCCESS(s2n_config_set_session_tickets_onoff(server, 1));
    EXPECT_SUCCESS(s2n_config_add_ticket_crypto_key(server, (const uint8_t *) "key1", 4, key, sizeof(key), 0));
    EXPECT_SUCCESS(s2n_config_set_server_max_early_data_size(server, max_early));
    return server;
}

int main(void)
{
    s2nrs_tls_setup(60);
    struct s2n_cert_chain_and_key *chain = s2nrs_load_chain("server-ecdsa-chain.pem", "server-ecdsa-key.pem");
    struct s2n_config *server = server_config(&chain, 1024);
    struct s2n_config *client = s2nrs_client_config("default_tls13", "ca-ecdsa.pem");
    EXPECT_SUCCESS(s2n_config_set_session_tickets_onoff(client, 1));
    uint8_t session[1024];

    printf("== accepted\n");
    int len = get_session(client, server, session, sizeof(session));
    if (len > 0) {
        resume_with_early_data(client, server, session, len, true, -1);
    }

    printf("== accepted by the callback, with the ticket's context\n");
    EXPECT_SUCCESS(s2n_config_set_early_data_cb(server, on_early_data));
    cb_calls = 0;
    cb_reject = 0;
    len = get_session(client, server, session, sizeof(session));
    if (len > 0) {
        resume_with_early_data(client, server, session, len, true, -1);
    }
    EXPECT_EQ_INT(cb_calls, 1);
    EXPECT_EQ_INT(cb_context_len, 4);
    EXPECT(memcmp(cb_context, "ctx1", 4) == 0);

    printf("== rejected by the callback\n");
    cb_calls = 0;
    cb_reject = 1;
    len = get_session(client, server, session, sizeof(session));
    if (len > 0) {
        resume_with_early_data(client, server, session, len, false, -1);
    }
    EXPECT_EQ_INT(cb_calls, 1);

    printf("== rejected by a server that allows none\n");
    EXPECT_SUCCESS(s2n_config_set_early_data_cb(server, NULL));
    len = get_session(client, server, session, sizeof(session));
    if (len > 0) {
        resume_with_early_data(client, server, session, len, false, 0);
    }

    s2n_config_free(server);
    s2n_config_free(client);
    s2n_cert_chain_and_key_free(chain);
    s2nrs_tls_teardown();
    return S2NRS_TEST_RESULT();
}
