/*
 * Session resumption through the s2n API: a server with session tickets and a
 * ticket key, a client that keeps the session it receives (from
 * s2n_connection_get_session and from the session ticket callback) and
 * offers it on the next connection with s2n_connection_set_session.
 * TLS1.3 and TLS1.2; ticket key lifecycle (expired key: full handshake;
 * decrypt-only key: resumed). A TLS1.2 resumption issues no new ticket.
 * A server that resumed a TLS1.2 session has it too, in s2n's form.
 */
#include "harness/selftalk.h"

static uint8_t ticket_blob[512];
static size_t ticket_len;
static int ticket_calls;
static uint32_t ticket_lifetime;

static int on_ticket(struct s2n_connection *conn, void *ctx, struct s2n_session_ticket *ticket)
{
    (void) conn;
    (void) ctx;
    size_t len = 0;
    uint32_t lifetime = 0;
    EXPECT_SUCCESS(s2n_session_ticket_get_data_len(ticket, &len));
    EXPECT_SUCCESS(s2n_session_ticket_get_lifetime(ticket, &lifetime));
    EXPECT(len > 0 && len <= sizeof(ticket_blob));
    EXPECT(lifetime > 0);
    ticket_lifetime = lifetime;
    if (len <= sizeof(ticket_blob)) {
        EXPECT_SUCCESS(s2n_session_ticket_get_data(ticket, sizeof(ticket_blob), ticket_blob));
        ticket_len = len;
    }
    ticket_calls++;
    return S2N_SUCCESS;
}

static uint64_t fixed_now_ns;
static int fixed_clock(void *ctx, uint64_t *now)
{
    (void) ctx;
    *now = fixed_now_ns;
    return S2N_SUCCESS;
}

/* One connection: handshake, then a round trip so TLS1.3 tickets (sent after
 * the handshake) reach the client. Returns whether it resumed. */
/* A full handshake, then data both ways (a TLS1.3 client reads its
 * tickets with the server's data). */
static void handshake_and_ping(struct s2nrs_pair *p)
{
    EXPECT_HANDSHAKE_OK(p->client, p->server);
    const uint8_t ping[] = "ping";
    EXPECT(s2nrs_transfer(p->server, p->client, ping, sizeof(ping)));
    EXPECT(s2nrs_transfer(p->client, p->server, ping, sizeof(ping)));
}

static int connect_once(struct s2n_config *client_config, struct s2n_config *server_config,
        const uint8_t *session, size_t session_len, uint8_t *out, int *out_len)
{
    struct s2nrs_pair p;
    if (s2nrs_pair_init(&p, client_config, server_config, "localhost") != 0) {
        return -1;
    }
    if (session) {
        EXPECT_SUCCESS(s2n_connection_set_session(p.client, session, session_len));
    }
    handshake_and_ping(&p);
    int resumed = s2n_connection_is_session_resumed(p.client);
    EXPECT_EQ_INT(resumed, s2n_connection_is_session_resumed(p.server));
    /* A server that resumed a TLS1.2 session from a ticket has that session,
     * in s2n's form: S2N_STATE_WITH_SESSION_TICKET (1), the ticket's length
     * and the ticket, then the 61-byte TLS1.2 state (format 4, TLS1.2 = 33). */
    if (resumed && s2n_connection_get_actual_protocol_version(p.server) == S2N_TLS12) {
        uint8_t server_session[1024];
        int len = s2n_connection_get_session_length(p.server);
        EXPECT(len > 64);
        EXPECT_EQ_INT(s2n_connection_get_session(p.server, server_session, sizeof(server_session)), len);
        int ticket = len > 3 ? (server_session[1] << 8) | server_session[2] : 0;
        if (len > 64 && len <= (int) sizeof(server_session) && 3 + ticket + 1 < len) {
            EXPECT_EQ_INT(server_session[0], 1);
            EXPECT_EQ_INT(len, 3 + ticket + 61);
            EXPECT_EQ_INT(server_session[3 + ticket], 4);
            EXPECT_EQ_INT(server_session[3 + ticket + 1], S2N_TLS12);
        }
    }
    if (out) {
        int len = s2n_connection_get_session_length(p.client);
        EXPECT(len > 0);
        *out_len = s2n_connection_get_session(p.client, out, 512);
        EXPECT_EQ_INT(*out_len, len);
    }
    /* A full handshake issues a ticket; a TLS1.2 resumption issues none (the
     * client keeps the ticket it sent). */
    uint16_t sent = 0;
    EXPECT_SUCCESS(s2n_connection_get_tickets_sent(p.server, &sent));
    if (!resumed) {
        EXPECT(sent >= 1);
    } else if (s2n_connection_get_actual_protocol_version(p.server) == S2N_TLS12) {
        EXPECT_EQ_INT(sent, 0);
    }
    s2nrs_pair_free(&p);
    return resumed;
}

static void run(const char *policy)
{
    printf("== %s\n", policy);
    struct s2n_cert_chain_and_key *chain = s2nrs_load_chain("server-ecdsa-chain.pem", "server-ecdsa-key.pem");
    struct s2n_config *server = s2nrs_server_config(policy, &chain, 1);
    struct s2n_config *client = s2nrs_client_config(policy, "ca-ecdsa.pem");
    uint8_t key[32] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };
    EXPECT_SUCCESS(s2n_config_set_session_tickets_onoff(server, 1));
    EXPECT_SUCCESS(s2n_config_add_ticket_crypto_key(server, (const uint8_t *) "key1", 4, key, sizeof(key), 0));
    EXPECT_SUCCESS(s2n_config_set_session_tickets_onoff(client, 1));
    EXPECT_SUCCESS(s2n_config_set_session_ticket_cb(client, on_ticket, NULL));

    uint8_t session[512];
    int session_len = 0;
    ticket_calls = 0;
    EXPECT_EQ_INT(connect_once(client, server, NULL, 0, session, &session_len), 0);
    EXPECT(ticket_calls >= 1);
    if (strcmp(policy, "default_tls13") == 0) {
        /* TLS1.3 servers send one ticket by default, as many as asked for otherwise. */
        EXPECT_EQ_INT(ticket_calls, 1);
        EXPECT_SUCCESS(s2n_config_set_initial_ticket_count(server, 3));
        ticket_calls = 0;
        EXPECT_EQ_INT(connect_once(client, server, NULL, 0, NULL, NULL), 0);
        EXPECT_EQ_INT(ticket_calls, 3);
        EXPECT_SUCCESS(s2n_config_set_initial_ticket_count(server, 1));
    }

    /* The session from s2n_connection_get_session resumes. */
    EXPECT_EQ_INT(connect_once(client, server, session, session_len, NULL, NULL), 1);
    /* So does the one handed to the ticket callback. */
    uint8_t from_cb[512];
    size_t from_cb_len = ticket_len;
    memcpy(from_cb, ticket_blob, ticket_len);
    EXPECT_EQ_INT(connect_once(client, server, from_cb, from_cb_len, NULL, NULL), 1);

    /* Offered again, a session resumes again in s2n-tls. */
    if (strcmp(policy, "default_tls13") == 0 && s2nrs_known_difference("tls13-session-once")) {
        struct s2n_connection *again = s2n_connection_new(S2N_CLIENT);
        EXPECT_FAILURE(s2n_connection_set_session(again, session, session_len));
        EXPECT_EQ_INT(s2n_errno, S2NRS_E_INVALID_SERIALIZED_SESSION_STATE);
        EXPECT(strstr(s2n_strerror_debug(s2n_errno, "EN"), "already offered") != NULL);
        s2n_connection_free(again);
    } else {
        EXPECT_EQ_INT(connect_once(client, server, session, session_len, NULL, NULL), 1);
    }

    /* Garbage is refused as s2n does. */
    struct s2n_connection *c = s2n_connection_new(S2N_CLIENT);
    uint8_t junk[16] = { 0 };
    EXPECT_FAILURE(s2n_connection_set_session(c, junk, sizeof(junk)));
    EXPECT_EQ_INT(s2n_error_get_type(s2n_errno), S2N_ERR_T_USAGE);
    s2n_connection_free(c);

    s2n_config_free(server);
    s2n_config_free(client);
    s2n_cert_chain_and_key_free(chain);
}

/* The ticket key lifecycle: a session from a full handshake is offered
 * `hours` later, after a second key was added; it resumes or not. */
static void ticket_lifetime_case(const char *what, const char *policy, uint64_t encrypt_decrypt, uint64_t decrypt,
        uint64_t state, uint64_t minutes, int resumes);

static void ticket_key_case(const char *what, const char *policy, uint64_t hours, int resumes)
{
    ticket_lifetime_case(what, policy, 0, 0, 0, hours * 60, resumes);
}

/* A session offered `minutes` later, under the ticket key lifetimes
 * (encrypt-decrypt, decrypt-only) and session state lifetime given in
 * seconds (0: s2n's defaults: 2 h, 13 h, 15 h). */
static void ticket_lifetime_case(const char *what, const char *policy, uint64_t encrypt_decrypt, uint64_t decrypt,
        uint64_t state, uint64_t minutes, int resumes)
{
    printf("== %s\n", what);
    struct s2n_cert_chain_and_key *chain = s2nrs_load_chain("server-ecdsa-chain.pem", "server-ecdsa-key.pem");
    struct s2n_config *server = s2nrs_server_config(policy, &chain, 1);
    struct s2n_config *client = s2nrs_client_config(policy, "ca-ecdsa.pem");
    fixed_now_ns = 1700000000ULL * 1000000000ULL;
    EXPECT_SUCCESS(s2n_config_set_wall_clock(server, fixed_clock, NULL));
    if (encrypt_decrypt > 0) {
        EXPECT_SUCCESS(s2n_config_set_ticket_encrypt_decrypt_key_lifetime(server, encrypt_decrypt));
    }
    if (decrypt > 0) {
        EXPECT_SUCCESS(s2n_config_set_ticket_decrypt_key_lifetime(server, decrypt));
    }
    if (state > 0) {
        EXPECT_SUCCESS(s2n_config_set_session_state_lifetime(server, state));
    }
    uint8_t key[32] = { 9 };
    EXPECT_SUCCESS(s2n_config_set_session_tickets_onoff(server, 1));
    EXPECT_SUCCESS(s2n_config_add_ticket_crypto_key(server, (const uint8_t *) "old", 3, key, sizeof(key), 0));
    EXPECT_SUCCESS(s2n_config_set_session_tickets_onoff(client, 1));
    uint8_t session[512];
    int session_len = 0;
    EXPECT_EQ_INT(connect_once(client, server, NULL, 0, session, &session_len), 0);
    fixed_now_ns += minutes * 60 * 1000000000ULL;
    uint8_t key2[32] = { 7 };
    EXPECT_SUCCESS(s2n_config_add_ticket_crypto_key(server, (const uint8_t *) "new", 3, key2, sizeof(key2), 0));
    EXPECT_EQ_INT(connect_once(client, server, session, session_len, NULL, NULL), resumes);
    s2n_config_free(server);
    s2n_config_free(client);
    s2n_cert_chain_and_key_free(chain);
}

/* A one-entry session cache for the TLS1.2 session-ID case. */
static uint8_t cache_key[64], cache_value[8192];
static uint64_t cache_key_len, cache_value_len;
static int stores, retrieves, deletes;

static int cache_store(struct s2n_connection *conn, void *ctx, uint64_t ttl, const void *key, uint64_t key_size,
        const void *value, uint64_t value_size)
{
    (void) conn;
    (void) ctx;
    (void) ttl;
    if (key_size > sizeof(cache_key) || value_size > sizeof(cache_value)) {
        return S2N_FAILURE;
    }
    memcpy(cache_key, key, key_size);
    memcpy(cache_value, value, value_size);
    cache_key_len = key_size;
    cache_value_len = value_size;
    stores++;
    return S2N_SUCCESS;
}

static int cache_retrieve(struct s2n_connection *conn, void *ctx, const void *key, uint64_t key_size, void *value,
        uint64_t *value_size)
{
    (void) conn;
    (void) ctx;
    retrieves++;
    if (key_size != cache_key_len || memcmp(key, cache_key, key_size) != 0 || *value_size < cache_value_len) {
        return S2N_FAILURE;
    }
    memcpy(value, cache_value, cache_value_len);
    *value_size = cache_value_len;
    return S2N_SUCCESS;
}

static int cache_delete(struct s2n_connection *conn, void *ctx, const void *key, uint64_t key_size)
{
    (void) conn;
    (void) ctx;
    (void) key;
    (void) key_size;
    deletes++;
    return S2N_SUCCESS;
}

/* TLS1.2 resumption by session ID through the server's cache callbacks. */
static void session_cache(void)
{
    printf("== TLS1.2 session-ID cache\n");
    const char *policy = "ELBSecurityPolicy-TLS-1-2-Ext-2018-06";
    struct s2n_cert_chain_and_key *chain = s2nrs_load_chain("server-ecdsa-chain.pem", "server-ecdsa-key.pem");
    struct s2n_config *server = s2nrs_server_config(policy, &chain, 1);
    struct s2n_config *client = s2nrs_client_config(policy, "ca-ecdsa.pem");
    EXPECT_SUCCESS(s2n_config_set_cache_store_callback(server, cache_store, NULL));
    EXPECT_SUCCESS(s2n_config_set_cache_retrieve_callback(server, cache_retrieve, NULL));
    EXPECT_SUCCESS(s2n_config_set_cache_delete_callback(server, cache_delete, NULL));
    EXPECT_SUCCESS(s2n_config_set_session_cache_onoff(server, 1));
    /* s2n encrypts cache entries with a ticket key, even with tickets off. */
    uint8_t key[32] = { 3 };
    EXPECT_SUCCESS(s2n_config_add_ticket_crypto_key(server, (const uint8_t *) "cache", 5, key, sizeof(key), 0));
    EXPECT_SUCCESS(s2n_config_set_session_tickets_onoff(client, 0));

    struct s2nrs_pair p;
    uint8_t session[512];
    int session_len = 0;
    if (s2nrs_pair_init(&p, client, server, "localhost") == 0) {
        EXPECT_HANDSHAKE_OK(p.client, p.server);
        EXPECT_EQ_INT(s2n_connection_is_session_resumed(p.client), 0);
        session_len = s2n_connection_get_session(p.client, session, sizeof(session));
        EXPECT(session_len > 0);
    }
    s2nrs_pair_free(&p);
    EXPECT(stores >= 1);
    if (session_len > 0 && s2nrs_pair_init(&p, client, server, "localhost") == 0) {
        EXPECT_SUCCESS(s2n_connection_set_session(p.client, session, session_len));
        EXPECT_HANDSHAKE_OK(p.client, p.server);
        EXPECT_EQ_INT(s2n_connection_is_session_resumed(p.client), 1);
        EXPECT_EQ_INT(s2n_connection_is_session_resumed(p.server), 1);
    }
    s2nrs_pair_free(&p);
    EXPECT(retrieves >= 1);
    printf("  cache: %d stores, %d retrieves, %d deletes\n", stores, retrieves, deletes);
    s2n_config_free(server);
    s2n_config_free(client);
    s2n_cert_chain_and_key_free(chain);
}

/* s2n_config_require_ticket_forward_secrecy on the server or the client:
 * TLS1.2 handshakes send and take no tickets (full handshakes each time),
 * TLS1.3 ones still do. */
static void forward_secrecy(const char *policy, bool on_server, bool tls13)
{
    printf("== ticket forward secrecy required by the %s, %s\n", on_server ? "server" : "client", policy);
    struct s2n_cert_chain_and_key *chain = s2nrs_load_chain("server-ecdsa-chain.pem", "server-ecdsa-key.pem");
    struct s2n_config *server = s2nrs_server_config(policy, &chain, 1);
    struct s2n_config *client = s2nrs_client_config(policy, "ca-ecdsa.pem");
    uint8_t key[32] = { 9, 8, 7 };
    EXPECT_SUCCESS(s2n_config_set_session_tickets_onoff(server, 1));
    EXPECT_SUCCESS(s2n_config_add_ticket_crypto_key(server, (const uint8_t *) "fs", 2, key, sizeof(key), 0));
    EXPECT_SUCCESS(s2n_config_set_session_tickets_onoff(client, 1));
    EXPECT_SUCCESS(s2n_config_set_session_ticket_cb(client, on_ticket, NULL));
    EXPECT_SUCCESS(s2n_config_require_ticket_forward_secrecy(on_server ? server : client, true));

    uint8_t session[512];
    int session_len = 0;
    for (int round = 0; round < 2; round++) {
        struct s2nrs_pair p;
        ticket_calls = 0;
        if (s2nrs_pair_init(&p, client, server, "localhost") != 0) {
            break;
        }
        if (session_len > 0) {
            EXPECT_SUCCESS(s2n_connection_set_session(p.client, session, session_len));
        }
        handshake_and_ping(&p);
        uint16_t sent = 0;
        EXPECT_SUCCESS(s2n_connection_get_tickets_sent(p.server, &sent));
        int resumed = s2n_connection_is_session_resumed(p.client);
        if (tls13) {
            EXPECT(sent >= 1 || resumed);
            EXPECT_EQ_INT(resumed, round);
        } else {
            EXPECT_EQ_INT(sent, 0);
            EXPECT_EQ_INT(ticket_calls, 0);
            EXPECT_EQ_INT(resumed, 0);
        }
        session_len = s2n_connection_get_session(p.client, session, sizeof(session));
        s2nrs_pair_free(&p);
    }
    s2n_config_free(server);
    s2n_config_free(client);
    s2n_cert_chain_and_key_free(chain);
}

static uint8_t any_host(const char *host_name, size_t len, void *data)
{
    (void) host_name;
    (void) len;
    (void) data;
    return 1;
}

/* A server that asks for client certificates: s2n ignores the TLS1.2 ticket
 * extension then (no ticket); TLS1.3 tickets are issued as usual. */
static void client_auth_tickets(const char *policy, bool tls13)
{
    printf("== tickets with client auth, %s\n", policy);
    struct s2n_cert_chain_and_key *chain = s2nrs_load_chain("server-ecdsa-chain.pem", "server-ecdsa-key.pem");
    struct s2n_cert_chain_and_key *client_chain = s2nrs_load_chain("client-ecdsa-chain.pem", "client-ecdsa-key.pem");
    struct s2n_config *server = s2nrs_server_config(policy, &chain, 1);
    struct s2n_config *client = s2nrs_client_config(policy, "ca-ecdsa.pem");
    s2nrs_add_trust(server, "ca-ecdsa.pem");
    EXPECT_SUCCESS(s2n_config_set_verify_host_callback(server, any_host, NULL));
    EXPECT_SUCCESS(s2n_config_set_client_auth_type(server, S2N_CERT_AUTH_REQUIRED));
    EXPECT_SUCCESS(s2n_config_set_client_auth_type(client, S2N_CERT_AUTH_REQUIRED));
    EXPECT_SUCCESS(s2n_config_add_cert_chain_and_key_to_store(client, client_chain));
    uint8_t key[32] = { 5 };
    EXPECT_SUCCESS(s2n_config_set_session_tickets_onoff(server, 1));
    EXPECT_SUCCESS(s2n_config_add_ticket_crypto_key(server, (const uint8_t *) "ca", 2, key, sizeof(key), 0));
    EXPECT_SUCCESS(s2n_config_set_session_tickets_onoff(client, 1));
    EXPECT_SUCCESS(s2n_config_set_session_ticket_cb(client, on_ticket, NULL));
    struct s2nrs_pair p;
    ticket_calls = 0;
    if (s2nrs_pair_init(&p, client, server, "localhost") == 0) {
        handshake_and_ping(&p);
        uint16_t sent = 0;
        EXPECT_SUCCESS(s2n_connection_get_tickets_sent(p.server, &sent));
        printf("  tickets sent %u, ticket callbacks %d\n", sent, ticket_calls);
        EXPECT_EQ_INT(sent, tls13 ? 1 : 0);
        EXPECT_EQ_INT(ticket_calls, tls13 ? 1 : 0);
        s2nrs_pair_free(&p);
    }
    s2n_config_free(server);
    s2n_config_free(client);
    s2n_cert_chain_and_key_free(chain);
    s2n_cert_chain_and_key_free(client_chain);
}

/* The lifetime a TLS1.3 ticket carries, as the client's ticket callback
 * reports it: the session state lifetime cut to what is left of the
 * encrypting key (introduced an hour ago: 2 h + 13 h - 1 h = 14 h). */
static void ticket_lifetime_reported(void)
{
    printf("== the ticket lifetime the client sees\n");
    struct s2n_cert_chain_and_key *chain = s2nrs_load_chain("server-ecdsa-chain.pem", "server-ecdsa-key.pem");
    struct s2n_config *server = s2nrs_server_config("default_tls13", &chain, 1);
    struct s2n_config *client = s2nrs_client_config("default_tls13", "ca-ecdsa.pem");
    uint8_t key[32] = { 6 };
    EXPECT_SUCCESS(s2n_config_set_session_tickets_onoff(server, 1));
    EXPECT_SUCCESS(s2n_config_add_ticket_crypto_key(server, (const uint8_t *) "hour", 4, key, sizeof(key),
            (uint64_t) time(NULL) - 3600));
    EXPECT_SUCCESS(s2n_config_set_session_tickets_onoff(client, 1));
    EXPECT_SUCCESS(s2n_config_set_session_ticket_cb(client, on_ticket, NULL));
    ticket_lifetime = 0;
    EXPECT_EQ_INT(connect_once(client, server, NULL, 0, NULL, NULL), 0);
    printf("  lifetime %u s\n", ticket_lifetime);
    EXPECT(ticket_lifetime >= 14 * 3600 - 5 && ticket_lifetime <= 14 * 3600);
    s2n_config_free(server);
    s2n_config_free(client);
    s2n_cert_chain_and_key_free(chain);
}

int main(void)
{
    s2nrs_tls_setup(60);
    run("default_tls13");
    run("ELBSecurityPolicy-TLS-1-2-Ext-2018-06");
    /* Past the encrypt-decrypt (2 h) and decrypt (13 h) lifetimes: a full handshake. */
    ticket_key_case("expired ticket key", "default_tls13", 16, 0);
    /* Past encrypt-decrypt, within decrypt: it resumes, and (as in s2n-tls
     * 1.7) a TLS1.2 resumption issues no new ticket even so. */
    ticket_key_case("TLS1.2 ticket under a decrypt-only key", "ELBSecurityPolicy-TLS-1-2-Ext-2018-06", 3, 1);
    ticket_lifetime_case("keys that encrypt for 1 h and decrypt 1 h more, 90 min later", "default_tls13", 3600, 3600,
            0, 90, 1);
    ticket_lifetime_case("keys that encrypt for 1 h and decrypt 1 h more, 3 h later", "default_tls13", 3600, 3600, 0,
            180, 0);
    /* TLS1.3 tickets are judged by the client's ticket age (s2n: up to a
     * week), and only the server's clock moved. */
    ticket_lifetime_case("sessions that live 1 h, 2 h later (TLS1.3)", "default_tls13", 0, 0, 3600, 120, 1);
    /* Under keys that last 20 days, a TLS1.3 ticket opens for a week. */
    ticket_lifetime_case("a TLS1.3 ticket 6 days later", "default_tls13", 10 * 86400, 10 * 86400, 0, 6 * 24 * 60, 1);
    ticket_lifetime_case("a TLS1.3 ticket 8 days later", "default_tls13", 10 * 86400, 10 * 86400, 0, 8 * 24 * 60, 0);
    ticket_lifetime_case("sessions that live 1 h, 2 h later (TLS1.2)", "ELBSecurityPolicy-TLS-1-2-Ext-2018-06", 0, 0,
            3600, 120, 0);
    ticket_lifetime_case("sessions that live 1 h, 30 min later", "default_tls13", 0, 0, 3600, 30, 1);
    session_cache();
    forward_secrecy("ELBSecurityPolicy-TLS-1-2-Ext-2018-06", true, false);
    forward_secrecy("ELBSecurityPolicy-TLS-1-2-Ext-2018-06", false, false);
    forward_secrecy("default_tls13", true, true);
    client_auth_tickets("ELBSecurityPolicy-TLS-1-2-Ext-2018-06", false);
    client_auth_tickets("default_tls13", true);
    ticket_lifetime_reported();
    s2nrs_tls_teardown();
    return S2NRS_TEST_RESULT();
}
