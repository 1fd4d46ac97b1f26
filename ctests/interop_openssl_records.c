/*
 * Interop of what happens after the handshake, against OpenSSL's
 * command-line peers on 127.0.0.1 (commands typed on their stdin):
 *
 *   key updates   TLS1.3, our client with `openssl s_server` and our server
 *                 with `openssl s_client`: the peer's KeyUpdate asking for
 *                 ours ("K"), one asking for nothing ("k"), and ours from
 *                 s2n_connection_request_key_update, with data between each;
 *                 s2n_connection_get_key_update_counts counts both ways;
 *   HelloRequest  TLS1.2, s_server asks to renegotiate ("r"): without a
 *                 renegotiate callback our client ignores it and data goes
 *                 on, as s2n-tls; with one, S2N_RENEGOTIATE_IGNORE goes on,
 *                 S2N_RENEGOTIATE_REJECT sends a no_renegotiation warning
 *                 with our next data (OpenSSL then ends the connection), and
 *                 a failing callback is S2N_ERR_CANCELLED;
 *   serialization our client, mid-connection with `openssl s_server` (TLS1.3
 *                 and TLS1.2), serialized, freed and restored into a new
 *                 connection on the same socket: data goes on both ways (and,
 *                 TLS1.3, key updates).
 *
 * Every expectation is s2n-tls's behaviour (api/s2n.h, s2n-tls's sources).
 */
#define _GNU_SOURCE

#include <s2n/unstable/ktls.h>
#include <s2n/unstable/renegotiate.h>

#include "errors_table.h"
#include "harness/peer_cases.h"

/* s_server and s_client take a one-letter line as a command only when it
 * arrives alone: the next line waits this long. */
#define COMMAND_PAUSE_MS 300

struct session {
    const char *name;
    struct s2nrs_peer *peer;
    struct s2n_connection *conn;
    int fd;
};

static bool session_start(struct session *s, const char *name, s2n_mode mode, struct s2n_config *config,
        const char *const *argv)
{
    memset(s, 0, sizeof(*s));
    s->name = name;
    s->fd = -1;
    printf("case %s\n", name);
    if (mode == S2N_CLIENT) {
        struct s2nrs_case c = { .name = name };
        memcpy(c.argv, argv, sizeof(c.argv));
        uint16_t port = 0;
        s->peer = s2nrs_start_server_peer(&c, 1, &port);
        s->fd = s->peer ? s2nrs_connect_loopback(port, S2NRS_IO_TIMEOUT_MS) : -1;
    } else {
        s->fd = s2nrs_accept_peer(name, argv, S2NRS_IO_TIMEOUT_MS, &s->peer);
    }
    s->conn = s2n_connection_new(mode);
    if (s->fd < 0 || s->conn == NULL) {
        S2NRS_FAIL_AT("[%s] no connection to the peer", name);
        return false;
    }
    EXPECT_SUCCESS(s2n_connection_set_config(s->conn, config));
    EXPECT_SUCCESS(s2n_connection_set_fd(s->conn, s->fd));
    if (mode == S2N_CLIENT) {
        EXPECT_SUCCESS(s2n_set_server_name(s->conn, "s2nrs.test"));
    }
    if (s2nrs_io_negotiate(s->conn, s->fd, S2NRS_IO_TIMEOUT_MS) != S2N_SUCCESS) {
        S2NRS_FAIL_AT("[%s] s2n_negotiate failed", name);
        s2nrs_print_s2n_error(s2n_errno);
        return false;
    }
    return true;
}

static void session_end(struct session *s)
{
    if (s->conn) {
        EXPECT_SUCCESS(s2n_connection_free(s->conn));
    }
    if (s->fd >= 0) {
        close(s->fd);
    }
    if (s->peer) {
        s2nrs_peer_stop(s->peer);
    }
}

/* Our line reaches the peer (it prints what it receives). */
static bool we_say(struct session *s, const char *line)
{
    if (s2nrs_io_send_all(s->conn, s->fd, line, strlen(line), S2NRS_IO_TIMEOUT_MS) != S2N_SUCCESS
            || !s2nrs_peer_wait_output(s->peer, line, S2NRS_IO_TIMEOUT_MS)) {
        S2NRS_FAIL_AT("[%s] the peer did not print \"%s\"", s->name, line);
        s2nrs_print_s2n_error(s2n_errno);
        return false;
    }
    return true;
}

/* The peer sends a line (typed on its stdin); we read it. */
static bool peer_says(struct session *s, const char *line)
{
    char buf[256];
    EXPECT(s2nrs_peer_write(s->peer, line) == 0);
    ssize_t n = s2nrs_io_recv_until(s->conn, s->fd, buf, sizeof(buf), line, NULL, S2NRS_IO_TIMEOUT_MS);
    if (n < 0 || strcmp(buf, line) != 0) {
        S2NRS_FAIL_AT("[%s] expected \"%s\" from the peer, got %zd byte(s)", s->name, line, n);
        s2nrs_print_s2n_error(s2n_errno);
        return false;
    }
    return true;
}

static void peer_command(struct session *s, const char *command)
{
    EXPECT(s2nrs_peer_write(s->peer, command) == 0);
    s2nrs_sleep_ms(COMMAND_PAUSE_MS);
}

static void expect_key_updates(struct session *s, uint8_t sent, uint8_t received)
{
    uint8_t got_sent = 0, got_received = 0;
    EXPECT_SUCCESS(s2n_connection_get_key_update_counts(s->conn, &got_sent, &got_received));
    printf("  [%s] key updates: sent %u, received %u\n", s->name, got_sent, got_received);
    EXPECT_EQ_INT(got_sent, sent);
    EXPECT_EQ_INT(got_received, received);
}

/* Key updates both ways with data between each: the peer's asking for ours,
 * ours on request, the peer's asking for nothing. */
static void key_update_case(const char *name, s2n_mode mode, struct s2n_config *config, const char *const *argv)
{
    struct session s;
    if (session_start(&s, name, mode, config, argv) && we_say(&s, "before any update\n")
            && peer_says(&s, "from the peer, before\n")) {
        /* "K": the peer updates its key and asks for ours, which goes out
         * with our next data. */
        peer_command(&s, "K\n");
        if (peer_says(&s, "from the peer, new key\n")) {
            expect_key_updates(&s, 0, 1);
            we_say(&s, "our answer under our new key\n");
            expect_key_updates(&s, 1, 1);
        }
        EXPECT_SUCCESS(s2n_connection_request_key_update(s.conn, S2N_KEY_UPDATE_NOT_REQUESTED));
        we_say(&s, "after our own update\n");
        peer_command(&s, "k\n");
        peer_says(&s, "from the peer, third key\n");
        expect_key_updates(&s, 2, 2);
        we_say(&s, "the end\n");
    }
    session_end(&s);
}

/* `openssl s_server` with the test certificate, for one version
 * ("-tls1_3", "-tls1_2"): it prints what it receives and sends its stdin. */
static const char *const *s_server(const char *version, const char **out)
{
    const char *const argv[] = { "openssl", "s_server", "-accept", "127.0.0.1:{PORT}", "-naccept", "1",
        "-no-CAfile", "-cert", s2nrs_cert_path("server-ecdsa-chain.pem"), "-key",
        s2nrs_cert_path("server-ecdsa-key.pem"), version, NULL };
    memcpy(out, argv, sizeof(argv));
    return out;
}

/* ------------------------------------------------------------------------- */
/* HelloRequest */

static int reneg_calls;

static int reneg_cb(struct s2n_connection *conn, void *ctx, s2n_renegotiate_response *response)
{
    (void) conn;
    reneg_calls++;
    if (ctx == NULL) {
        return -1;
    }
    *response = *(s2n_renegotiate_response *) ctx;
    return 0;
}

enum reneg_mode { NO_CALLBACK, IGNORE, REJECT, FAIL };

static void hello_request_case(const char *name, enum reneg_mode mode)
{
    static s2n_renegotiate_response ignore = S2N_RENEGOTIATE_IGNORE, reject = S2N_RENEGOTIATE_REJECT;
    struct s2n_config *config = s2nrs_owned_client_config("ca-ecdsa.pem", 0, NULL);
    if (mode != NO_CALLBACK) {
        void *ctx = mode == IGNORE ? (void *) &ignore : mode == REJECT ? (void *) &reject : NULL;
        EXPECT_SUCCESS(s2n_config_set_renegotiate_request_cb(config, reneg_cb, ctx));
    }
    reneg_calls = 0;
    const char *argv[S2NRS_MAX_ARGS];
    struct session s;
    if (session_start(&s, name, S2N_CLIENT, config, s_server("-tls1_2", argv))
            && we_say(&s, "before\n")) {
        peer_command(&s, "r\n");
        /* The HelloRequest is read with the next data from the server (it
         * then waits for a ClientHello, but still sends data). */
        char buf[256];
        EXPECT(s2nrs_peer_write(s.peer, "after the request\n") == 0);
        s2n_errno = 0;
        ssize_t n = s2nrs_io_recv_until(s.conn, s.fd, buf, sizeof(buf), "after the request\n", NULL,
                S2NRS_IO_TIMEOUT_MS);
        printf("  [%s] callback calls %d, s2n_recv %zd\n", name, reneg_calls, n);
        EXPECT_EQ_INT(reneg_calls, mode == NO_CALLBACK ? 0 : 1);
        if (mode == FAIL) {
            EXPECT(n < 0);
            EXPECT_EQ_INT(s2n_errno, S2NRS_E_CANCELLED);
        } else if (mode == REJECT) {
            EXPECT(n > 0);
            /* The warning goes out with our next data; OpenSSL ends the
             * connection on it. */
            s2nrs_io_send_all(s.conn, s.fd, "after\n", 6, 3000);
            EXPECT(s2nrs_peer_wait_output(s.peer, "no renegotiation", S2NRS_IO_TIMEOUT_MS));
        } else {
            EXPECT(n > 0);
            we_say(&s, "after\n");
        }
    }
    session_end(&s);
}

/* ------------------------------------------------------------------------- */
/* Serialization */

static void serialize_case(const char *name, const char *version)
{
    struct s2n_config *config = s2nrs_owned_client_config("ca-ecdsa.pem", 0, NULL);
    EXPECT_SUCCESS(s2n_config_set_serialization_version(config, S2N_SERIALIZED_CONN_V1));
    const char *argv[S2NRS_MAX_ARGS];
    struct session s;
    if (session_start(&s, name, S2N_CLIENT, config, s_server(version, argv)) && we_say(&s, "before\n")
            && peer_says(&s, "from the peer, before\n")) {
        uint8_t blob[512];
        uint32_t len = 0;
        EXPECT_SUCCESS(s2n_connection_serialization_length(s.conn, &len));
        EXPECT(len <= sizeof(blob));
        EXPECT_SUCCESS(s2n_connection_serialize(s.conn, blob, len));
        EXPECT_SUCCESS(s2n_connection_free(s.conn));
        s.conn = s2n_connection_new(S2N_CLIENT);
        EXPECT_SUCCESS(s2n_connection_set_fd(s.conn, s.fd));
        EXPECT_SUCCESS(s2n_connection_deserialize(s.conn, blob, len));
        bool tls13 = s2n_connection_get_actual_protocol_version(s.conn) == S2N_TLS13;
        printf("  [%s] restored: %s, %s\n", name, s2nrs_version_name(s2n_connection_get_actual_protocol_version(s.conn)),
                s2n_connection_get_cipher(s.conn));
        if (we_say(&s, "after restoring\n") && peer_says(&s, "from the peer, after\n") && tls13) {
            peer_command(&s, "K\n");
            peer_says(&s, "from the peer, new key\n");
            we_say(&s, "our answer under our new key\n");
            expect_key_updates(&s, 1, 1);
        }
    }
    session_end(&s);
}

int main(void)
{
    s2nrs_interop_init(S2NRS_ALARM_SECONDS);
    s2nrs_require_tool("openssl");
    EXPECT_SUCCESS(s2n_init());

    const char *argv[S2NRS_MAX_ARGS];
    key_update_case("client_tls13_key_updates", S2N_CLIENT, s2nrs_owned_client_config("ca-ecdsa.pem", 0, NULL),
            s_server("-tls1_3", argv));

    struct s2n_config *server = s2nrs_owned_config();
    struct s2n_cert_chain_and_key *chain = s2nrs_load_owned_chain("server-ecdsa-chain.pem", "server-ecdsa-key.pem");
    EXPECT_SUCCESS(s2n_config_add_cert_chain_and_key_to_store(server, chain));
    EXPECT_SUCCESS(s2n_config_set_cipher_preferences(server, "default_tls13"));
    const char *const s_client[] = { "openssl", "s_client", "-connect", "127.0.0.1:{PORT}", "-no-CAfile", "-CAfile",
        s2nrs_cert_path("ca-ecdsa.pem"), "-tls1_3", NULL };
    key_update_case("server_tls13_key_updates", S2N_SERVER, server, s_client);

    hello_request_case("client_tls12_hello_request", NO_CALLBACK);
    hello_request_case("client_tls12_hello_request_ignored", IGNORE);
    hello_request_case("client_tls12_hello_request_rejected", REJECT);
    hello_request_case("client_tls12_hello_request_callback_fails", FAIL);

    serialize_case("client_tls13_serialized", "-tls1_3");
    serialize_case("client_tls12_serialized", "-tls1_2");

    s2nrs_free_owned();
    EXPECT_SUCCESS(s2n_cleanup_final());
    return S2NRS_TEST_RESULT();
}
