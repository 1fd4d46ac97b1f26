/*
 * QUIC support (tls/s2n_quic_support.h): enabling QUIC, transport
 * parameters, the secret callback, and a QUIC handshake between two
 * connections whose I/O carries bare TLS handshake messages (no records).
 */
#include "harness/selftalk.h"

/* tls/s2n_quic_support.h is not installed; these are exported (S2N_API). */
typedef enum {
    S2N_CLIENT_EARLY_TRAFFIC_SECRET = 0,
    S2N_CLIENT_HANDSHAKE_TRAFFIC_SECRET = 1,
    S2N_SERVER_HANDSHAKE_TRAFFIC_SECRET = 2,
    S2N_CLIENT_APPLICATION_TRAFFIC_SECRET = 3,
    S2N_SERVER_APPLICATION_TRAFFIC_SECRET = 4,
    S2N_EXPORTER_SECRET = 5,
} s2n_secret_type_t;
typedef int (*s2n_secret_cb)(void *context, struct s2n_connection *conn, s2n_secret_type_t secret_type,
        uint8_t *secret, uint8_t secret_size);
extern int s2n_config_enable_quic(struct s2n_config *config);
extern int s2n_connection_enable_quic(struct s2n_connection *conn);
extern bool s2n_connection_is_quic_enabled(struct s2n_connection *conn);
extern int s2n_connection_set_quic_transport_parameters(struct s2n_connection *conn, const uint8_t *data_buffer,
        uint16_t data_len);
extern int s2n_connection_get_quic_transport_parameters(struct s2n_connection *conn, const uint8_t **data_buffer,
        uint16_t *data_len);
extern int s2n_connection_set_secret_callback(struct s2n_connection *conn, s2n_secret_cb cb_func, void *ctx);
extern int s2n_recv_quic_post_handshake_message(struct s2n_connection *conn, s2n_blocked_status *blocked);

#define POLICY_TLS13 "default_tls13"
#define MAX_SECRETS 8

struct io_side;
struct secrets {
    struct io_side *io; /* where the callback logs its calls, if set */
    int count;
    s2n_secret_type_t types[MAX_SECRETS];
    uint8_t sizes[MAX_SECRETS];
    uint8_t values[MAX_SECRETS][64];
};

static void log_event(struct io_side *io, int event);

static int secret_cb(void *context, struct s2n_connection *conn, s2n_secret_type_t secret_type, uint8_t *secret,
        uint8_t secret_size)
{
    struct secrets *s = context;
    EXPECT(conn != NULL);
    if (s->count >= MAX_SECRETS || secret_size > 64) {
        return -1;
    }
    s->types[s->count] = secret_type;
    s->sizes[s->count] = secret_size;
    memcpy(s->values[s->count], secret, secret_size);
    log_event(s->io, 100 + (int) secret_type);
    s->count++;
    return S2N_SUCCESS;
}

static int failing_secret_cb(void *context, struct s2n_connection *conn, s2n_secret_type_t secret_type,
        uint8_t *secret, uint8_t secret_size)
{
    (void) context;
    (void) conn;
    (void) secret_type;
    (void) secret;
    (void) secret_size;
    return -1;
}

/* A socket end that remembers the first byte of each send, and a log of
 * sends (message type) and secret callbacks (100 + secret type) in order. */
struct io_side {
    int fd;
    int sends;
    uint8_t first_bytes[32];
    int nevents;
    int events[32];
};

static void log_event(struct io_side *io, int event)
{
    if (io && io->nevents < 32) {
        io->events[io->nevents++] = event;
    }
}

static int io_send(void *ctx, const uint8_t *buf, uint32_t len)
{
    struct io_side *io = ctx;
    ssize_t n = write(io->fd, buf, len);
    if (n > 0 && io->sends < 32) {
        io->first_bytes[io->sends++] = buf[0];
        log_event(io, buf[0]);
    }
    return (int) n;
}

static int io_recv(void *ctx, uint8_t *buf, uint32_t len)
{
    struct io_side *io = ctx;
    return (int) read(io->fd, buf, len);
}

static void use_io(struct s2n_connection *conn, struct io_side *io, int fd)
{
    memset(io, 0, sizeof(*io));
    io->fd = fd;
    EXPECT_SUCCESS(s2n_connection_set_send_cb(conn, io_send));
    EXPECT_SUCCESS(s2n_connection_set_recv_cb(conn, io_recv));
    EXPECT_SUCCESS(s2n_connection_set_send_ctx(conn, io));
    EXPECT_SUCCESS(s2n_connection_set_recv_ctx(conn, io));
}

static int find_secret(const struct secrets *s, s2n_secret_type_t type)
{
    for (int i = 0; i < s->count; i++) {
        if (s->types[i] == type) {
            return i;
        }
    }
    return -1;
}

static void test_flags_and_params(void)
{
    printf("enable flags, transport parameters, secret callback\n");
    struct s2n_config *config = s2n_config_new_minimal();
    struct s2n_connection *conn = s2n_connection_new(S2N_CLIENT);
    EXPECT(!s2n_connection_is_quic_enabled(NULL));
    EXPECT(!s2n_connection_is_quic_enabled(conn));
    EXPECT_FAILURE_WITH_ERRNO(s2n_config_enable_quic(NULL), S2NRS_E_NULL);
    EXPECT_FAILURE_WITH_ERRNO(s2n_connection_enable_quic(NULL), S2NRS_E_NULL);

    EXPECT_SUCCESS(s2n_connection_enable_quic(conn));
    EXPECT(s2n_connection_is_quic_enabled(conn));

    struct s2n_connection *other = s2n_connection_new(S2N_SERVER);
    EXPECT_SUCCESS(s2n_connection_set_config(other, config));
    EXPECT(!s2n_connection_is_quic_enabled(other));
    EXPECT_SUCCESS(s2n_config_enable_quic(config));
    EXPECT(s2n_connection_is_quic_enabled(other));

    /* Nothing from the peer yet. */
    const uint8_t *data = (const uint8_t *) "x";
    uint16_t len = 99;
    EXPECT_SUCCESS(s2n_connection_get_quic_transport_parameters(conn, &data, &len));
    EXPECT_EQ_INT(len, 0);
    EXPECT_FAILURE_WITH_ERRNO(s2n_connection_get_quic_transport_parameters(conn, NULL, &len), S2NRS_E_NULL);
    EXPECT_FAILURE_WITH_ERRNO(s2n_connection_get_quic_transport_parameters(conn, &data, NULL), S2NRS_E_NULL);
    EXPECT_FAILURE_WITH_ERRNO(s2n_connection_get_quic_transport_parameters(NULL, &data, &len), S2NRS_E_NULL);

    const uint8_t params[] = { 1, 2, 3 };
    EXPECT_SUCCESS(s2n_connection_set_quic_transport_parameters(conn, params, sizeof(params)));
    EXPECT_FAILURE_WITH_ERRNO(s2n_connection_set_quic_transport_parameters(NULL, params, 3), S2NRS_E_NULL);

    struct secrets s = { 0 };
    EXPECT_SUCCESS(s2n_connection_set_secret_callback(conn, secret_cb, &s));
    EXPECT_FAILURE_WITH_ERRNO(s2n_connection_set_secret_callback(conn, NULL, &s), S2NRS_E_NULL);
    EXPECT_FAILURE_WITH_ERRNO(s2n_connection_set_secret_callback(NULL, secret_cb, &s), S2NRS_E_NULL);

    s2n_blocked_status blocked = S2N_NOT_BLOCKED;
    EXPECT_FAILURE_WITH_ERRNO(s2n_recv_quic_post_handshake_message(NULL, &blocked), S2NRS_E_NULL);
    EXPECT_FAILURE_WITH_ERRNO(s2n_recv_quic_post_handshake_message(conn, NULL), S2NRS_E_NULL);

    EXPECT_SUCCESS(s2n_connection_free(other));
    EXPECT_SUCCESS(s2n_connection_free(conn));
    EXPECT_SUCCESS(s2n_config_free(config));
}

static const char *secret_name(s2n_secret_type_t t)
{
    static const char *names[] = { "client_early", "client_hs", "server_hs", "client_app", "server_app",
        "exporter" };
    return t <= S2N_EXPORTER_SECRET ? names[t] : "?";
}

static void test_handshake(bool config_level)
{
    printf("QUIC handshake (%s)\n", config_level ? "s2n_config_enable_quic" : "s2n_connection_enable_quic");
    struct s2n_cert_chain_and_key *chain = s2nrs_load_chain("server-ecdsa-chain.pem", "server-ecdsa-key.pem");
    struct s2n_config *server_config = s2nrs_server_config(POLICY_TLS13, &chain, 1);
    struct s2n_config *client_config = s2nrs_client_config(POLICY_TLS13, "ca-ecdsa.pem");
    if (config_level) {
        EXPECT_SUCCESS(s2n_config_enable_quic(server_config));
        EXPECT_SUCCESS(s2n_config_enable_quic(client_config));
    }
    struct s2nrs_pair p;
    struct io_side cio, sio;
    struct secrets cs = { 0 }, ss = { 0 };
    if (s2nrs_pair_init(&p, client_config, server_config, "s2nrs.test") == 0) {
        if (!config_level) {
            EXPECT_SUCCESS(s2n_connection_enable_quic(p.client));
            EXPECT_SUCCESS(s2n_connection_enable_quic(p.server));
        }
        EXPECT_SUCCESS(s2n_connection_set_blinding(p.client, S2N_SELF_SERVICE_BLINDING));
        EXPECT_SUCCESS(s2n_connection_set_blinding(p.server, S2N_SELF_SERVICE_BLINDING));
        use_io(p.client, &cio, p.fds[0]);
        use_io(p.server, &sio, p.fds[1]);
        cs.io = &cio;
        ss.io = &sio;
        const uint8_t cparams[] = { 0x0f, 0x02, 0xaa, 0xbb };
        const uint8_t sparams[] = { 0x01, 0x04, 0x80, 0x00, 0x75, 0x30, 0x0e, 0x01, 0x08 };
        EXPECT_SUCCESS(s2n_connection_set_quic_transport_parameters(p.client, cparams, sizeof(cparams)));
        EXPECT_SUCCESS(s2n_connection_set_quic_transport_parameters(p.server, sparams, sizeof(sparams)));
        EXPECT_SUCCESS(s2n_connection_set_secret_callback(p.client, secret_cb, &cs));
        EXPECT_SUCCESS(s2n_connection_set_secret_callback(p.server, secret_cb, &ss));

        struct s2nrs_negotiation r = s2nrs_negotiate_pair(p.client, p.server);
        s2nrs_print_negotiation("quic", &r);
        EXPECT_EQ_INT(r.failed, S2NRS_NONE);

        /* Bare handshake messages: ClientHello (1) first, ServerHello (2) first. */
        EXPECT(cio.sends >= 2);
        EXPECT_EQ_INT(cio.first_bytes[0], 1);
        EXPECT_EQ_INT(sio.first_bytes[0], 2);
        printf("  client sends:");
        for (int i = 0; i < cio.sends; i++) {
            printf(" %d", cio.first_bytes[i]);
        }
        printf("\n  server sends:");
        for (int i = 0; i < sio.sends; i++) {
            printf(" %d", sio.first_bytes[i]);
        }
        printf("\n");
        /* Server: ServerHello, EncryptedExtensions, Certificate, CertificateVerify, Finished. */
        EXPECT_EQ_INT(sio.sends, 5);
        EXPECT_EQ_INT(sio.first_bytes[1], 8);
        EXPECT_EQ_INT(sio.first_bytes[4], 20);
        /* Client: ClientHello, Finished (no ChangeCipherSpec in QUIC). */
        EXPECT_EQ_INT(cio.sends, 2);
        EXPECT_EQ_INT(cio.first_bytes[1], 20);

        const uint8_t *got = NULL;
        uint16_t len = 0;
        EXPECT_SUCCESS(s2n_connection_get_quic_transport_parameters(p.server, &got, &len));
        EXPECT_EQ_INT(len, sizeof(cparams));
        EXPECT(got != NULL && len == sizeof(cparams) && memcmp(got, cparams, len) == 0);
        EXPECT_SUCCESS(s2n_connection_get_quic_transport_parameters(p.client, &got, &len));
        EXPECT_EQ_INT(len, sizeof(sparams));
        EXPECT(got != NULL && len == sizeof(sparams) && memcmp(got, sparams, len) == 0);

        /* The same secrets on both sides, in the order the keys come into use. */
        printf("  client secrets:");
        for (int i = 0; i < cs.count; i++) {
            printf(" %s(%d)", secret_name(cs.types[i]), cs.sizes[i]);
        }
        printf("\n  server secrets:");
        for (int i = 0; i < ss.count; i++) {
            printf(" %s(%d)", secret_name(ss.types[i]), ss.sizes[i]);
        }
        printf("\n");
        EXPECT_EQ_INT(cs.count, 5);
        EXPECT_EQ_INT(ss.count, 5);
        for (s2n_secret_type_t t = S2N_CLIENT_HANDSHAKE_TRAFFIC_SECRET; t <= S2N_EXPORTER_SECRET; t++) {
            int c = find_secret(&cs, t), s = find_secret(&ss, t);
            EXPECT(c >= 0 && s >= 0);
            if (c >= 0 && s >= 0) {
                EXPECT_EQ_INT(cs.sizes[c], ss.sizes[s]);
                EXPECT(memcmp(cs.values[c], ss.values[s], cs.sizes[c]) == 0);
            }
        }
        /* s2n's order: each secret when its keys come into use, client's first;
         * sends are message types, secrets 100 + type. */
        const int client_events[] = { 1, 101, 102, 103, 104, 105, 20 };
        const int server_events[] = { 2, 101, 102, 8, 11, 15, 20, 103, 104, 105 };
        printf("  client events:");
        for (int i = 0; i < cio.nevents; i++) {
            printf(" %d", cio.events[i]);
        }
        printf("\n  server events:");
        for (int i = 0; i < sio.nevents; i++) {
            printf(" %d", sio.events[i]);
        }
        printf("\n");
        EXPECT_EQ_INT(cio.nevents, (int) (sizeof(client_events) / sizeof(int)));
        EXPECT_EQ_INT(sio.nevents, (int) (sizeof(server_events) / sizeof(int)));
        EXPECT(memcmp(cio.events, client_events, sizeof(client_events)) == 0);
        EXPECT(memcmp(sio.events, server_events, sizeof(server_events)) == 0);
    }
    s2nrs_pair_free(&p);
    EXPECT_SUCCESS(s2n_config_free(server_config));
    EXPECT_SUCCESS(s2n_config_free(client_config));
    EXPECT_SUCCESS(s2n_cert_chain_and_key_free(chain));
}

static void test_failures(void)
{
    printf("QUIC failures\n");
    struct s2n_cert_chain_and_key *chain = s2nrs_load_chain("server-ecdsa-chain.pem", "server-ecdsa-key.pem");
    struct s2n_config *server_config = s2nrs_server_config(POLICY_TLS13, &chain, 1);
    struct s2n_config *client_config = s2nrs_client_config(POLICY_TLS13, "ca-ecdsa.pem");
    struct s2nrs_pair p;

    /* A QUIC server needs the client's transport parameters: a TLS client has none. */
    if (s2nrs_pair_init(&p, client_config, server_config, "s2nrs.test") == 0) {
        struct io_side cio, sio;
        EXPECT_SUCCESS(s2n_connection_set_blinding(p.server, S2N_SELF_SERVICE_BLINDING));
        EXPECT_SUCCESS(s2n_connection_enable_quic(p.server));
        use_io(p.server, &sio, p.fds[1]);
        (void) cio;
        struct s2nrs_negotiation r = s2nrs_negotiate_pair(p.client, p.server);
        s2nrs_print_negotiation("TLS client, QUIC server", &r);
        EXPECT_EQ_INT(r.failed, S2NRS_SERVER);
    }
    s2nrs_pair_free(&p);

    /* A failing secret callback fails the handshake. */
    if (s2nrs_pair_init(&p, client_config, server_config, "s2nrs.test") == 0) {
        EXPECT_SUCCESS(s2n_connection_set_blinding(p.client, S2N_SELF_SERVICE_BLINDING));
        EXPECT_SUCCESS(s2n_connection_set_blinding(p.server, S2N_SELF_SERVICE_BLINDING));
        EXPECT_SUCCESS(s2n_connection_enable_quic(p.client));
        EXPECT_SUCCESS(s2n_connection_enable_quic(p.server));
        EXPECT_SUCCESS(s2n_connection_set_secret_callback(p.server, failing_secret_cb, NULL));
        struct s2nrs_negotiation r = s2nrs_negotiate_pair(p.client, p.server);
        s2nrs_print_negotiation("failing secret callback", &r);
        EXPECT_EQ_INT(r.failed, S2NRS_SERVER);
    }
    s2nrs_pair_free(&p);

    EXPECT_SUCCESS(s2n_config_free(server_config));
    EXPECT_SUCCESS(s2n_config_free(client_config));
    EXPECT_SUCCESS(s2n_cert_chain_and_key_free(chain));
}

static int ticket_calls;

static int on_ticket(struct s2n_connection *conn, void *ctx, struct s2n_session_ticket *ticket)
{
    (void) conn;
    (void) ctx;
    size_t len = 0;
    EXPECT_SUCCESS(s2n_session_ticket_get_data_len(ticket, &len));
    EXPECT(len > 0);
    ticket_calls++;
    return S2N_SUCCESS;
}

/* A server with session tickets sends a NewSessionTicket (message type 4)
 * after the handshake; the client reads it with
 * s2n_recv_quic_post_handshake_message, which takes no other message. */
static void test_post_handshake(void)
{
    printf("QUIC post-handshake messages\n");
    struct s2n_cert_chain_and_key *chain = s2nrs_load_chain("server-ecdsa-chain.pem", "server-ecdsa-key.pem");
    struct s2n_config *server_config = s2nrs_server_config(POLICY_TLS13, &chain, 1);
    struct s2n_config *client_config = s2nrs_client_config(POLICY_TLS13, "ca-ecdsa.pem");
    uint8_t key[32] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };
    EXPECT_SUCCESS(s2n_config_set_session_tickets_onoff(server_config, 1));
    EXPECT_SUCCESS(s2n_config_add_ticket_crypto_key(server_config, (const uint8_t *) "key1", 4, key, sizeof(key), 0));
    EXPECT_SUCCESS(s2n_config_set_session_tickets_onoff(client_config, 1));
    EXPECT_SUCCESS(s2n_config_set_session_ticket_cb(client_config, on_ticket, NULL));
    EXPECT_SUCCESS(s2n_config_enable_quic(server_config));
    EXPECT_SUCCESS(s2n_config_enable_quic(client_config));
    struct s2nrs_pair p;
    struct io_side cio, sio;
    if (s2nrs_pair_init(&p, client_config, server_config, "s2nrs.test") == 0) {
        use_io(p.client, &cio, p.fds[0]);
        use_io(p.server, &sio, p.fds[1]);
        struct s2nrs_negotiation r = s2nrs_negotiate_pair(p.client, p.server);
        s2nrs_print_negotiation("quic with tickets", &r);
        EXPECT_EQ_INT(r.failed, S2NRS_NONE);
        EXPECT_EQ_INT(sio.sends, 6);
        EXPECT_EQ_INT(sio.first_bytes[5], 4);

        ticket_calls = 0;
        s2n_blocked_status blocked = S2N_NOT_BLOCKED;
        EXPECT_SUCCESS(s2n_recv_quic_post_handshake_message(p.client, &blocked));
        EXPECT_EQ_INT(blocked, S2N_NOT_BLOCKED);
        EXPECT_EQ_INT(ticket_calls, 1);

        /* Nothing more: blocked on read. */
        EXPECT_FAILURE_WITH_ERRNO(s2n_recv_quic_post_handshake_message(p.client, &blocked), S2NRS_E_IO_BLOCKED);
        EXPECT_EQ_INT(blocked, S2N_BLOCKED_ON_READ);

        /* A KeyUpdate is not a message QUIC's TLS may carry. */
        const uint8_t key_update[] = { 24, 0, 0, 1, 0 };
        EXPECT_EQ_INT((int) write(p.fds[1], key_update, sizeof(key_update)), (int) sizeof(key_update));
        EXPECT_FAILURE_WITH_ERRNO(s2n_recv_quic_post_handshake_message(p.client, &blocked),
                S2NRS_E_UNSUPPORTED_WITH_QUIC);
    }
    s2nrs_pair_free(&p);
    EXPECT_SUCCESS(s2n_config_free(server_config));
    EXPECT_SUCCESS(s2n_config_free(client_config));
    EXPECT_SUCCESS(s2n_cert_chain_and_key_free(chain));
}

int main(void)
{
    s2nrs_tls_setup(60);
    test_flags_and_params();
    test_handshake(false);
    test_handshake(true);
    test_failures();
    test_post_handshake();
    s2nrs_tls_teardown();
    return S2NRS_TEST_RESULT();
}
