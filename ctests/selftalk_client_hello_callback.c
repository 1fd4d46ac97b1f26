/*
 * Self-talk tests of what the ClientHello callback does to the handshake: a
 * client and a server connection of the library under test on nonblocking
 * AF_UNIX socketpairs, through the public s2n API only (so this file also
 * builds and passes against s2n-tls itself).
 *
 *   config_swap      the callback swaps the config by SNI (other.test -> B)
 *   cb_failure       the callback returns -1: S2N_ERR_CANCELLED on the
 *                    server, a handshake_failure alert on the client
 *   nonblocking_*    S2N_CLIENT_HELLO_CB_NONBLOCKING: the handshake pauses
 *                    (S2N_BLOCKED_ON_APPLICATION_INPUT) until
 *                    s2n_client_hello_cb_done, from the same thread, another
 *                    thread, or the callback itself
 *   cb_done_errors   s2n_client_hello_cb_done in blocking mode and before the
 *                    callback ran
 *
 * What the callback can read: selftalk_client_hello_getters.c.
 */
#include <time.h>

#include "harness/selftalk.h"

#define POLICY "default_tls13"

/* The configs of both sides: POLICY, ALPN h2 and http/1.1. */
static struct s2n_config *server_config(struct s2n_cert_chain_and_key *chain)
{
    struct s2n_config *config = s2nrs_server_config(POLICY, &chain, 1);
    s2nrs_offer_alpn_h2_http11(config);
    return config;
}

static struct s2n_config *client_config(void)
{
    struct s2n_config *config = s2nrs_client_config(POLICY, "ca-ecdsa.pem");
    s2nrs_offer_alpn_h2_http11(config);
    return config;
}

/* The leaf the client received is the leaf of `expected`. */
static void expect_peer_leaf(struct s2n_connection *client, struct s2n_cert_chain_and_key *expected, const char *what)
{
    struct s2n_cert_chain_and_key *peer = s2n_cert_chain_and_key_new();
    EXPECT(peer != NULL);
    if (peer == NULL) {
        return;
    }
    EXPECT_SUCCESS(s2n_connection_get_peer_cert_chain(client, peer));
    uint32_t got_len = 0, want_len = 0;
    const uint8_t *got = s2nrs_chain_cert_der(peer, 0, &got_len);
    const uint8_t *want = s2nrs_chain_cert_der(expected, 0, &want_len);
    if (got == NULL || want == NULL || got_len != want_len || memcmp(got, want, got_len) != 0) {
        S2NRS_FAIL_AT("%s: the client's peer leaf (%u bytes) is not the expected leaf (%u bytes)", what, got_len,
                want_len);
    }
    EXPECT_SUCCESS(s2n_cert_chain_and_key_free(peer));
}

/* ------------------------------------------------------------------------- */
/* What a callback saw and does */

struct seen {
    int calls;
    char server_name[256];
    bool call_done_inside; /* nonblocking (c) */
    int done_inside_rc;
    int done_inside_err;
    /* config swap */
    struct s2n_config *swap_to;
    const char *swap_for;
    bool swapped;
};

/* ------------------------------------------------------------------------- */
/* Config swap by SNI */

static int swap_cb(struct s2n_connection *conn, void *ctx)
{
    struct seen *s = ctx;
    s->calls++;
    struct s2n_client_hello *ch = s2n_connection_get_client_hello(conn);
    EXPECT(ch != NULL);
    if (ch == NULL) {
        return -1;
    }
    char name[256] = { 0 };
    uint16_t len = 0;
    if (s2n_client_hello_get_server_name(ch, (uint8_t *) name, sizeof(name) - 1, &len) != S2N_SUCCESS) {
        return 0;
    }
    snprintf(s->server_name, sizeof(s->server_name), "%s", name);
    if (strcmp(name, s->swap_for) == 0) {
        EXPECT_SUCCESS(s2n_connection_set_config(conn, s->swap_to));
        EXPECT_SUCCESS(s2n_connection_server_name_extension_used(conn));
        s->swapped = true;
    }
    return 0;
}

static void test_config_swap(struct s2n_cert_chain_and_key *chain_a, struct s2n_cert_chain_and_key *chain_b)
{
    printf("== config_swap (s2n_connection_set_config in the callback)\n");
    struct s2n_config *a = server_config(chain_a);
    struct s2n_config *b = server_config(chain_b);
    struct s2n_config *ccfg = client_config();
    struct seen s;
    memset(&s, 0, sizeof(s));
    s.swap_to = b;
    s.swap_for = "other.test";
    EXPECT_SUCCESS(s2n_config_set_client_hello_cb(a, swap_cb, &s));

    struct s2nrs_pair p;
    if (s2nrs_pair_init(&p, ccfg, a, "other.test") == 0) {
        struct s2nrs_negotiation d = s2nrs_negotiate_pair(p.client, p.server);
        if (EXPECT_NEGOTIATED(d, "SNI other.test")) {
            EXPECT_EQ_INT(s.calls, 1);
            EXPECT(s.swapped);
            EXPECT_STREQ(s.server_name, "other.test");
            EXPECT_STREQ(s2n_get_server_name(p.server), "other.test");
            expect_peer_leaf(p.client, chain_b, "SNI other.test");
            /* the server reports the config it was switched to ... */
            EXPECT_STREQ(s2n_get_application_protocol(p.client), "h2");
        }
    }
    s2nrs_pair_free(&p);

    memset(&s, 0, sizeof(s));
    s.swap_to = b;
    s.swap_for = "other.test";
    if (s2nrs_pair_init(&p, ccfg, a, "s2nrs.test") == 0) {
        struct s2nrs_negotiation d = s2nrs_negotiate_pair(p.client, p.server);
        if (EXPECT_NEGOTIATED(d, "SNI s2nrs.test")) {
            EXPECT_EQ_INT(s.calls, 1);
            EXPECT(!s.swapped);
            EXPECT_STREQ(s.server_name, "s2nrs.test");
            expect_peer_leaf(p.client, chain_a, "SNI s2nrs.test");
        }
    }
    s2nrs_pair_free(&p);

    /* other.test against config A alone (no callback): the client rejects
     * server-ecdsa's certificate for that name */
    struct s2n_config *a_plain = server_config(chain_a);
    if (s2nrs_pair_init(&p, ccfg, a_plain, "other.test") == 0) {
        struct s2nrs_negotiation d = s2nrs_negotiate_pair(p.client, p.server);
        EXPECT_EQ_INT(d.failed, S2NRS_CLIENT);
        if (d.failed == S2NRS_CLIENT) {
            printf("  without the swap the client fails with %s (as expected)\n", s2nrs_err_name(d.err));
        }
    }
    s2nrs_pair_free(&p);

    EXPECT_SUCCESS(s2n_config_free(a));
    EXPECT_SUCCESS(s2n_config_free(b));
    EXPECT_SUCCESS(s2n_config_free(a_plain));
    EXPECT_SUCCESS(s2n_config_free(ccfg));
}

/* ------------------------------------------------------------------------- */
/* Callback failure */

static int failing_cb(struct s2n_connection *conn, void *ctx)
{
    (void) conn;
    struct seen *s = ctx;
    s->calls++;
    return -1;
}

static void test_cb_failure(struct s2n_cert_chain_and_key *chain_a, s2n_client_hello_cb_mode mode)
{
    printf("== cb_failure (%s mode: the callback returns -1)\n",
            mode == S2N_CLIENT_HELLO_CB_BLOCKING ? "blocking" : "non-blocking");
    struct s2n_config *scfg = server_config(chain_a);
    struct s2n_config *ccfg = client_config();
    struct seen s;
    memset(&s, 0, sizeof(s));
    EXPECT_SUCCESS(s2n_config_set_client_hello_cb(scfg, failing_cb, &s));
    EXPECT_SUCCESS(s2n_config_set_client_hello_cb_mode(scfg, mode));

    struct s2nrs_pair p;
    if (s2nrs_pair_init(&p, ccfg, scfg, "s2nrs.test") == 0) {
        struct s2nrs_negotiation d = s2nrs_negotiate_pair(p.client, p.server);
        EXPECT_EQ_INT(d.failed, S2NRS_SERVER);
        EXPECT_ERR(d.err, S2NRS_E_CANCELLED);
        EXPECT_EQ_INT(s.calls, 1);
        if (d.failed == S2NRS_SERVER) {
            printf("  server: %s (type %d)\n", s2nrs_err_name(d.err), s2n_error_get_type(d.err));
            /* s2n queues the handshake_failure alert; s2n_shutdown sends it */
            s2n_blocked_status sblocked = S2N_NOT_BLOCKED;
            s2n_errno = 0;
            int src = s2n_shutdown(p.server, &sblocked);
            printf("  server s2n_shutdown: %d %s blocked=%d\n", src, src ? s2nrs_err_name(s2n_errno) : "",
                    (int) sblocked);
            /* the client reads it */
            int cerr = 0;
            for (int i = 0; i < 50 && cerr == 0; i++) {
                s2n_blocked_status blocked = S2N_NOT_BLOCKED;
                s2n_errno = 0;
                if (s2n_negotiate(p.client, &blocked) == S2N_SUCCESS) {
                    S2NRS_FAIL_AT("the client completed its handshake against a cancelled server");
                    break;
                }
                if (s2n_error_get_type(s2n_errno) != S2N_ERR_T_BLOCKED) {
                    cerr = s2n_errno;
                }
            }
            EXPECT(cerr != 0);
            if (cerr) {
                printf("  client: %s (type %d), alert %d\n", s2nrs_err_name(cerr), s2n_error_get_type(cerr),
                        s2n_connection_get_alert(p.client));
                EXPECT_EQ_INT(s2n_error_get_type(cerr), S2N_ERR_T_ALERT);
                EXPECT_ERR(cerr, S2NRS_E_ALERT);
                EXPECT_EQ_INT(s2n_connection_get_alert(p.client), 40); /* handshake_failure */
            }
            /* the server stays failed */
            s2n_blocked_status blocked = S2N_NOT_BLOCKED;
            EXPECT_EQ_INT(s2n_negotiate(p.server, &blocked), S2N_FAILURE);
            EXPECT_EQ_INT(s.calls, 1);
        }
    }
    s2nrs_pair_free(&p);
    EXPECT_SUCCESS(s2n_config_free(scfg));
    EXPECT_SUCCESS(s2n_config_free(ccfg));
}

/* ------------------------------------------------------------------------- */
/* Non-blocking mode */

static int nonblocking_cb(struct s2n_connection *conn, void *ctx)
{
    struct seen *s = ctx;
    s->calls++;
    struct s2n_client_hello *ch = s2n_connection_get_client_hello(conn);
    EXPECT(ch != NULL);
    if (ch) {
        uint16_t len = 0;
        memset(s->server_name, 0, sizeof(s->server_name));
        EXPECT_SUCCESS(s2n_client_hello_get_server_name(ch, (uint8_t *) s->server_name, sizeof(s->server_name) - 1, &len));
    }
    if (s->call_done_inside) {
        s2n_errno = 0;
        s->done_inside_rc = s2n_client_hello_cb_done(conn);
        s->done_inside_err = s2n_errno;
    }
    return 0;
}

/* Drives the pair until the server pauses on the callback; checks the pause. */
static bool reach_pause(struct s2nrs_pair *p, struct seen *s)
{
    struct s2nrs_negotiation d = s2nrs_negotiate_pair_to_pause(p->client, p->server);
    if (d.failed != S2NRS_PAUSED) {
        S2NRS_FAIL_AT("the server did not block on application input");
        s2nrs_print_negotiation("to the pause", &d);
        return false;
    }
    EXPECT_EQ_INT(s2n_error_get_type(d.server_err), S2N_ERR_T_BLOCKED);
    EXPECT_ERR(d.server_err, S2NRS_E_ASYNC_BLOCKED);
    EXPECT_EQ_INT(d.server_blocked, S2N_BLOCKED_ON_APPLICATION_INPUT);
    EXPECT_EQ_INT(s->calls, 1);
    EXPECT_STREQ(s->server_name, "s2nrs.test");

    /* it stays paused, without calling the callback again */
    for (int i = 0; i < 5; i++) {
        s2n_blocked_status blocked = S2N_NOT_BLOCKED;
        s2n_errno = 0;
        EXPECT_EQ_INT(s2n_negotiate(p->server, &blocked), S2N_FAILURE);
        EXPECT_EQ_INT(s2n_error_get_type(s2n_errno), S2N_ERR_T_BLOCKED);
        EXPECT_EQ_INT(blocked, S2N_BLOCKED_ON_APPLICATION_INPUT);
    }
    EXPECT_EQ_INT(s->calls, 1);
    /* the client waits for the ServerHello meanwhile */
    s2n_blocked_status blocked = S2N_NOT_BLOCKED;
    s2n_errno = 0;
    EXPECT_EQ_INT(s2n_negotiate(p->client, &blocked), S2N_FAILURE);
    EXPECT_EQ_INT(s2n_error_get_type(s2n_errno), S2N_ERR_T_BLOCKED);
    EXPECT_EQ_INT(blocked, S2N_BLOCKED_ON_READ);
    /* the ClientHello is readable while paused */
    struct s2n_client_hello *ch = s2n_connection_get_client_hello(p->server);
    EXPECT(ch != NULL);
    if (ch) {
        uint16_t len = 0;
        EXPECT_SUCCESS(s2n_client_hello_get_server_name_length(ch, &len));
        EXPECT_EQ_INT(len, strlen("s2nrs.test"));
    }
    return true;
}

static void check_completed(struct s2nrs_pair *p, struct seen *s)
{
    EXPECT_EQ_INT(s->calls, 1);
    EXPECT_STREQ(s2n_get_server_name(p->server), "s2nrs.test");
    EXPECT_STREQ(s2n_get_application_protocol(p->client), "h2");
    EXPECT_EQ_INT(s2n_connection_get_actual_protocol_version(p->server), S2N_TLS13);
    /* application data flows */
    s2n_blocked_status blocked = S2N_NOT_BLOCKED;
    EXPECT_EQ_INT(s2n_send(p->client, "ping", 4, &blocked), 4);
    char buf[8] = { 0 };
    ssize_t n = -1;
    for (int i = 0; i < 100 && n < 0; i++) {
        s2n_errno = 0;
        n = s2n_recv(p->server, buf, sizeof(buf), &blocked);
        if (n < 0 && s2n_error_get_type(s2n_errno) != S2N_ERR_T_BLOCKED) {
            break;
        }
    }
    EXPECT_EQ_INT(n, 4);
    EXPECT(memcmp(buf, "ping", 4) == 0);
}

/* The rest of the handshake runs through without another pause; true if it completed. */
static bool finish_unpaused(struct s2nrs_pair *p, struct seen *s, const char *what)
{
    struct s2nrs_negotiation d = s2nrs_negotiate_pair(p->client, p->server);
    if (!EXPECT_NEGOTIATED(d, what)) {
        return false;
    }
    EXPECT_EQ_INT(d.app_input_blocks, 0);
    check_completed(p, s);
    return true;
}

struct done_thread_arg {
    struct s2n_connection *conn;
    int rc;
    int err;
    volatile int finished;
};

static void *done_thread(void *arg)
{
    struct done_thread_arg *a = arg;
    struct timespec ts = { 0, 100 * 1000 * 1000 }; /* 100 ms */
    nanosleep(&ts, NULL);
    s2n_errno = 0;
    a->rc = s2n_client_hello_cb_done(a->conn);
    a->err = s2n_errno;
    __atomic_store_n(&a->finished, 1, __ATOMIC_SEQ_CST);
    return NULL;
}

static void test_nonblocking(struct s2n_cert_chain_and_key *chain_a)
{
    struct s2n_config *scfg = server_config(chain_a);
    struct s2n_config *ccfg = client_config();
    struct seen s;
    EXPECT_SUCCESS(s2n_config_set_client_hello_cb(scfg, nonblocking_cb, &s));
    EXPECT_SUCCESS(s2n_config_set_client_hello_cb_mode(scfg, S2N_CLIENT_HELLO_CB_NONBLOCKING));
    struct s2nrs_pair p;

    /* (a) s2n_client_hello_cb_done later on the same thread */
    printf("== nonblocking_same_thread\n");
    memset(&s, 0, sizeof(s));
    if (s2nrs_pair_init(&p, ccfg, scfg, "s2nrs.test") == 0) {
        /* before the callback ran */
        EXPECT_FAILURE_WITH_ERRNO(s2n_client_hello_cb_done(p.server), S2NRS_E_ASYNC_NOT_PERFORMED);
        if (reach_pause(&p, &s)) {
            EXPECT_SUCCESS(s2n_client_hello_cb_done(p.server));
            finish_unpaused(&p, &s, "non-blocking, done on the same thread");
        }
    }
    s2nrs_pair_free(&p);

    /* (b) another thread calls s2n_client_hello_cb_done while we poll */
    printf("== nonblocking_other_thread\n");
    memset(&s, 0, sizeof(s));
    if (s2nrs_pair_init(&p, ccfg, scfg, "s2nrs.test") == 0) {
        if (reach_pause(&p, &s)) {
            struct done_thread_arg arg = { .conn = p.server };
            pthread_t t;
            EXPECT_EQ_INT(pthread_create(&t, NULL, done_thread, &arg), 0);
            int polls_blocked = 0;
            bool resumed = false;
            struct timespec ms = { 0, 1000 * 1000 };
            for (int i = 0; i < 5000 && !resumed; i++) {
                s2n_blocked_status blocked = S2N_NOT_BLOCKED;
                s2n_errno = 0;
                int rc = s2n_negotiate(p.server, &blocked);
                int err = s2n_errno;
                if (rc == S2N_SUCCESS) {
                    resumed = true; /* cannot finish alone, but accept it */
                } else if (s2n_error_get_type(err) != S2N_ERR_T_BLOCKED) {
                    S2NRS_FAIL_AT("s2n_negotiate failed while paused: %s", s2nrs_err_name(err));
                    s2nrs_print_s2n_error(err);
                    break;
                } else if (blocked == S2N_BLOCKED_ON_APPLICATION_INPUT) {
                    polls_blocked++;
                    nanosleep(&ms, NULL);
                } else {
                    resumed = true; /* now waiting for the client's next flight */
                }
            }
            pthread_join(t, NULL);
            EXPECT_SUCCESS(arg.rc);
            if (arg.rc != S2N_SUCCESS) {
                s2nrs_print_s2n_error(arg.err);
            }
            EXPECT(resumed);
            EXPECT(polls_blocked > 0);
            printf("  %d poll(s) blocked on application input before the other thread's cb_done\n", polls_blocked);
            finish_unpaused(&p, &s, "non-blocking, done on another thread");
        }
    }
    s2nrs_pair_free(&p);

    /* (c) s2n_client_hello_cb_done inside the callback: no pause at all */
    printf("== nonblocking_done_inside\n");
    memset(&s, 0, sizeof(s));
    s.call_done_inside = true;
    s.done_inside_rc = -2;
    if (s2nrs_pair_init(&p, ccfg, scfg, "s2nrs.test") == 0) {
        if (finish_unpaused(&p, &s, "non-blocking, done inside the callback")) {
            EXPECT_EQ_INT(s.done_inside_rc, S2N_SUCCESS);
            if (s.done_inside_rc != S2N_SUCCESS) {
                s2nrs_print_s2n_error(s.done_inside_err);
            }
        }
    }
    s2nrs_pair_free(&p);

    EXPECT_SUCCESS(s2n_config_free(scfg));
    EXPECT_SUCCESS(s2n_config_free(ccfg));
}

/* ------------------------------------------------------------------------- */
/* s2n_client_hello_cb_done errors outside a handshake */

static int noop_cb(struct s2n_connection *conn, void *ctx)
{
    (void) conn;
    (void) ctx;
    return 0;
}

static void test_cb_done_errors(struct s2n_cert_chain_and_key *chain_a)
{
    printf("== cb_done_errors\n");
    /* blocking mode (the default), with or without a callback */
    struct s2n_config *blocking = server_config(chain_a);
    EXPECT_SUCCESS(s2n_config_set_client_hello_cb(blocking, noop_cb, NULL));
    struct s2n_connection *conn = s2n_connection_new(S2N_SERVER);
    EXPECT(conn != NULL);
    EXPECT_SUCCESS(s2n_connection_set_config(conn, blocking));
    EXPECT_FAILURE_WITH_ERRNO(s2n_client_hello_cb_done(conn), S2NRS_E_INVALID_STATE);
    EXPECT(s2n_connection_get_client_hello(conn) == NULL);
    EXPECT_SUCCESS(s2n_connection_free(conn));

    /* non-blocking mode, before any callback ran */
    struct s2n_config *nonblocking = server_config(chain_a);
    EXPECT_SUCCESS(s2n_config_set_client_hello_cb(nonblocking, noop_cb, NULL));
    EXPECT_SUCCESS(s2n_config_set_client_hello_cb_mode(nonblocking, S2N_CLIENT_HELLO_CB_NONBLOCKING));
    conn = s2n_connection_new(S2N_SERVER);
    EXPECT(conn != NULL);
    EXPECT_SUCCESS(s2n_connection_set_config(conn, nonblocking));
    EXPECT_FAILURE_WITH_ERRNO(s2n_client_hello_cb_done(conn), S2NRS_E_ASYNC_NOT_PERFORMED);
    EXPECT_SUCCESS(s2n_connection_free(conn));

    /* NULL arguments */
    EXPECT_FAILURE(s2n_client_hello_cb_done(NULL));
    EXPECT(s2n_connection_get_client_hello(NULL) == NULL);
    EXPECT_FAILURE(s2n_client_hello_free(NULL));
    struct s2n_client_hello *none = NULL;
    EXPECT_SUCCESS(s2n_client_hello_free(&none));
    EXPECT(s2n_client_hello_parse_message(NULL, 0) == NULL);

    EXPECT_SUCCESS(s2n_config_free(blocking));
    EXPECT_SUCCESS(s2n_config_free(nonblocking));
}

int main(void)
{
    s2nrs_tls_setup(120);
    struct s2n_cert_chain_and_key *chain_a = s2nrs_load_chain("server-ecdsa-chain.pem", "server-ecdsa-key.pem");
    struct s2n_cert_chain_and_key *chain_b = s2nrs_load_chain("other-ecdsa-chain.pem", "other-ecdsa-key.pem");

    test_config_swap(chain_a, chain_b);
    test_cb_failure(chain_a, S2N_CLIENT_HELLO_CB_BLOCKING);
    test_cb_failure(chain_a, S2N_CLIENT_HELLO_CB_NONBLOCKING);
    test_nonblocking(chain_a);
    test_cb_done_errors(chain_a);

    EXPECT_SUCCESS(s2n_cert_chain_and_key_free(chain_a));
    EXPECT_SUCCESS(s2n_cert_chain_and_key_free(chain_b));
    s2nrs_tls_teardown();
    return S2NRS_TEST_RESULT();
}
