/*
 * Self-talk handshake failures: each must end with the right s2n error on the
 * right side, never hang (bounded loops, alarm() backstop).
 *
 *  - server certificate from an unknown issuer -> client S2N_ERR_CERT_UNTRUSTED
 *  - wrong host name                            -> client S2N_ERR_CERT_INVALID_HOSTNAME
 *    (a verify-host callback accepting everything makes it pass)
 *  - expired certificate                        -> client S2N_ERR_CERT_EXPIRED
 *    (s2n_config_disable_x509_time_verification makes it pass)
 *  - no common protocol version                 -> PROTO error on the server,
 *    and after the server's s2n_shutdown (which, as the usage guide says,
 *    must follow an error so the peer is told) the client gets the
 *    protocol_version alert (S2N_ERR_ALERT, s2n_connection_get_alert == 70)
 *  - garbage instead of a ClientHello           -> server S2N_ERR_BAD_MESSAGE
 *  - peer gone mid-handshake                    -> server S2N_ERR_CLOSED
 *  - self-service blinding: s2n_connection_get_delay after a failure, as
 *    measured on the config's monotonic clock
 *
 * After a failure the failing side calls s2n_shutdown and the other side is
 * driven until it fails too; what it reports is printed. s2n itself sends a
 * generic close_notify for most errors (only protocol_version and
 * handshake_failure are sent as specific alerts), so the peer may see
 * S2N_ERR_CLOSED or S2N_ERR_ALERT.
 */
#include <time.h>

#include "harness/selftalk.h"

#define POLICY_TLS13 "default_tls13"
#define POLICY_TLS12 "ELBSecurityPolicy-TLS-1-2-Ext-2018-06"
#define POLICY_TLS13_ONLY "AWS-CRT-SDK-TLSv1.3" /* min_version S2N_TLS13 */

#define TLS_ALERT_PROTOCOL_VERSION 70

static struct s2n_cert_chain_and_key *server_chain;

struct outcome {
    struct s2nrs_negotiation n;
    int peer_err; /* what the other side saw after the failing side's s2n_shutdown (0: it finished) */
    int peer_alert;
};

/* Runs the handshake; the side `expected_side` must fail with `expected_err`
 * (0: any error of type `expected_type`). Then the failing side shuts down
 * and the other side is driven until it finishes or fails. */
static struct outcome run_failure(const char *label, struct s2n_config *client_config,
        struct s2n_config *server_config, const char *server_name, int expected_side, int expected_err,
        int expected_type)
{
    printf("== %s\n", label);
    struct outcome o;
    memset(&o, 0, sizeof(o));
    struct s2nrs_pair p;
    if (s2nrs_pair_init(&p, client_config, server_config, server_name) != 0) {
        s2nrs_pair_free(&p);
        return o;
    }
    o.n = s2nrs_negotiate_pair(p.client, p.server);
    s2nrs_print_negotiation("handshake", &o.n);
    if (o.n.failed != expected_side) {
        S2NRS_FAIL_AT("%s: expected the %s to fail, got failed=%s", label, s2nrs_side_name(expected_side),
                s2nrs_side_name(o.n.failed));
    } else {
        if (expected_err) {
            EXPECT_ERR(o.n.err, expected_err);
        }
        EXPECT_ERR_TYPE(o.n.err, expected_type);
    }

    if (o.n.failed == S2NRS_CLIENT || o.n.failed == S2NRS_SERVER) {
        struct s2n_connection *failed = o.n.failed == S2NRS_CLIENT ? p.client : p.server;
        struct s2n_connection *other = o.n.failed == S2NRS_CLIENT ? p.server : p.client;
        bool other_done = o.n.failed == S2NRS_CLIENT ? o.n.server_done : o.n.client_done;
        /* The connection is dead: a second s2n_negotiate fails again. */
        s2n_blocked_status blocked = S2N_NOT_BLOCKED;
        EXPECT_FAILURE(s2n_negotiate(failed, &blocked));
        s2n_shutdown(failed, &blocked);
        if (other_done) {
            uint8_t byte;
            o.peer_err = 0;
            ssize_t r = s2n_recv(other, &byte, 1, &blocked);
            o.peer_err = r == 0 ? S2NRS_E_CLOSED : (r < 0 ? s2n_errno : 0);
        } else {
            o.peer_err = s2nrs_negotiate_one(other, 50);
        }
        if (s2n_error_get_type(o.peer_err) == S2N_ERR_T_ALERT) {
            o.peer_alert = s2n_connection_get_alert(other);
        }
        printf("    then the %s: %s%s", o.n.failed == S2NRS_CLIENT ? "server" : "client",
                o.peer_err ? s2nrs_err_name(o.peer_err) : "finished",
                s2n_error_get_type(o.peer_err) == S2N_ERR_T_ALERT ? ", alert " : "");
        if (s2n_error_get_type(o.peer_err) == S2N_ERR_T_ALERT) {
            printf("%d", o.peer_alert);
        }
        printf("\n");
        /* It must not hang: it ends one way or another. */
        EXPECT(s2n_error_get_type(o.peer_err) != S2N_ERR_T_BLOCKED);
    }
    s2nrs_pair_free(&p);
    return o;
}

static void cert_failures(const char *policy)
{
    struct s2n_config *client_config = s2nrs_client_config(policy, "ca-ecdsa.pem");

    /* Unknown issuer. */
    struct s2n_cert_chain_and_key *untrusted = s2nrs_load_chain("untrusted.pem", "untrusted-key.pem");
    struct s2n_config *untrusted_server = s2nrs_server_config(policy, &untrusted, 1);
    char label[256];
    snprintf(label, sizeof(label), "untrusted server certificate (%s)", policy);
    run_failure(label, client_config, untrusted_server, "localhost", S2NRS_CLIENT, S2NRS_E_CERT_UNTRUSTED,
            S2N_ERR_T_PROTO);

    /* Wrong host name. */
    struct s2n_config *good_server = s2nrs_server_config(policy, &server_chain, 1);
    snprintf(label, sizeof(label), "wrong host name wrong.test (%s)", policy);
    run_failure(label, client_config, good_server, "wrong.test", S2NRS_CLIENT, S2NRS_E_CERT_INVALID_HOSTNAME,
            S2N_ERR_T_PROTO);

    /* Expired. */
    struct s2n_cert_chain_and_key *expired = s2nrs_load_chain("expired-chain.pem", "expired-key.pem");
    struct s2n_config *expired_server = s2nrs_server_config(policy, &expired, 1);
    snprintf(label, sizeof(label), "expired server certificate (%s)", policy);
    run_failure(label, client_config, expired_server, "localhost", S2NRS_CLIENT, S2NRS_E_CERT_EXPIRED,
            S2N_ERR_T_PROTO);

    /* Expired, but the client does not check times. */
    printf("== expired certificate, client without time verification (%s)\n", policy);
    struct s2n_config *no_time = s2nrs_client_config(policy, "ca-ecdsa.pem");
    bool have_no_time = EXPECT_SUCCESS_OR_SKIP(s2n_config_disable_x509_time_verification(no_time),
            "s2n_config_disable_x509_time_verification");
    struct s2nrs_pair p;
    memset(&p, 0, sizeof(p));
    p.fds[0] = p.fds[1] = -1;
    if (have_no_time && s2nrs_pair_init(&p, no_time, expired_server, "localhost") == 0) {
        EXPECT_HANDSHAKE_OK(p.client, p.server);
    }
    s2nrs_pair_free(&p);
    /* ... which only turns off the time check: other checks still apply. */
    if (have_no_time) {
        snprintf(label, sizeof(label), "no time verification, still untrusted (%s)", policy);
        run_failure(label, no_time, untrusted_server, "localhost", S2NRS_CLIENT, S2NRS_E_CERT_UNTRUSTED,
                S2N_ERR_T_PROTO);
        snprintf(label, sizeof(label), "no time verification, still the wrong name (%s)", policy);
        run_failure(label, no_time, expired_server, "wrong.test", S2NRS_CLIENT, S2NRS_E_CERT_INVALID_HOSTNAME,
                S2N_ERR_T_PROTO);
    }

    EXPECT_SUCCESS(s2n_config_free(no_time));
    EXPECT_SUCCESS(s2n_config_free(expired_server));
    EXPECT_SUCCESS(s2n_cert_chain_and_key_free(expired));
    EXPECT_SUCCESS(s2n_config_free(untrusted_server));
    EXPECT_SUCCESS(s2n_cert_chain_and_key_free(untrusted));
    EXPECT_SUCCESS(s2n_config_free(good_server));
    EXPECT_SUCCESS(s2n_config_free(client_config));
}

static int host_calls;

static uint8_t accept_everything(const char *host_name, size_t len, void *data)
{
    (void) host_name;
    (void) len;
    int *calls = data;
    (*calls)++;
    return 1;
}

static void verify_host_callback(const char *policy)
{
    struct s2n_config *probe = s2n_config_new_minimal();
    bool have = EXPECT_SUCCESS_OR_SKIP(s2n_config_set_verify_host_callback(probe, accept_everything, &host_calls),
            "verify-host callback");
    EXPECT_SUCCESS(s2n_config_free(probe));
    if (!have) {
        return;
    }
    struct s2n_config *server_config = s2nrs_server_config(policy, &server_chain, 1);

    printf("== wrong host name, config verify-host callback accepting everything (%s)\n", policy);
    struct s2n_config *client_config = s2nrs_client_config(policy, "ca-ecdsa.pem");
    host_calls = 0;
    EXPECT_SUCCESS(s2n_config_set_verify_host_callback(client_config, accept_everything, &host_calls));
    struct s2nrs_pair p;
    if (s2nrs_pair_init(&p, client_config, server_config, "wrong.test") == 0) {
        EXPECT_HANDSHAKE_OK(p.client, p.server);
        EXPECT(host_calls > 0);
    }
    s2nrs_pair_free(&p);
    EXPECT_SUCCESS(s2n_config_free(client_config));

    printf("== wrong host name, connection verify-host callback accepting everything (%s)\n", policy);
    client_config = s2nrs_client_config(policy, "ca-ecdsa.pem");
    host_calls = 0;
    if (s2nrs_pair_init(&p, client_config, server_config, "wrong.test") == 0) {
        EXPECT_SUCCESS(s2n_connection_set_verify_host_callback(p.client, accept_everything, &host_calls));
        EXPECT_HANDSHAKE_OK(p.client, p.server);
        EXPECT(host_calls > 0);
    }
    s2nrs_pair_free(&p);
    EXPECT_SUCCESS(s2n_config_free(client_config));

    /* The callback replaces the name check only: an untrusted chain still fails. */
    struct s2n_cert_chain_and_key *untrusted = s2nrs_load_chain("untrusted.pem", "untrusted-key.pem");
    struct s2n_config *untrusted_server = s2nrs_server_config(policy, &untrusted, 1);
    client_config = s2nrs_client_config(policy, "ca-ecdsa.pem");
    EXPECT_SUCCESS(s2n_config_set_verify_host_callback(client_config, accept_everything, &host_calls));
    char label[256];
    snprintf(label, sizeof(label), "verify-host callback accepting everything, untrusted chain (%s)", policy);
    run_failure(label, client_config, untrusted_server, "wrong.test", S2NRS_CLIENT, S2NRS_E_CERT_UNTRUSTED,
            S2N_ERR_T_PROTO);
    EXPECT_SUCCESS(s2n_config_free(client_config));
    EXPECT_SUCCESS(s2n_config_free(untrusted_server));
    EXPECT_SUCCESS(s2n_cert_chain_and_key_free(untrusted));
    EXPECT_SUCCESS(s2n_config_free(server_config));
}

static void version_mismatch(void)
{
    /* A TLS1.2-only client meets a TLS1.3-only server: the server rejects
     * the ClientHello (S2N_ERR_PROTOCOL_VERSION_UNSUPPORTED) and its
     * s2n_shutdown sends the protocol_version alert. */
    struct s2n_config *server13 = s2nrs_server_config(POLICY_TLS13_ONLY, &server_chain, 1);
    struct s2n_config *client12 = s2nrs_client_config(POLICY_TLS12, "ca-ecdsa.pem");
    struct outcome o = run_failure("TLS1.2-only client, TLS1.3-only server", client12, server13, "localhost",
            S2NRS_SERVER, S2NRS_E_PROTOCOL_VERSION_UNSUPPORTED, S2N_ERR_T_PROTO);
    EXPECT_ERR(o.peer_err, S2NRS_E_ALERT);
    EXPECT_EQ_INT(o.peer_alert, TLS_ALERT_PROTOCOL_VERSION);

    /* The reverse: a TLS1.3-only client offers only TLS1.3 suites and
     * versions to a TLS1.2-only server. s2n fails the server (no common
     * cipher suite or version: a PROTO error) and the client sees the
     * server's alert or close. */
    struct s2n_config *server12 = s2nrs_server_config(POLICY_TLS12, &server_chain, 1);
    struct s2n_config *client13 = s2nrs_client_config(POLICY_TLS13_ONLY, "ca-ecdsa.pem");
    o = run_failure("TLS1.3-only client, TLS1.2-only server", client13, server12, "localhost", S2NRS_SERVER, 0,
            S2N_ERR_T_PROTO);
    EXPECT(o.peer_err != 0);
    EXPECT(s2n_error_get_type(o.peer_err) == S2N_ERR_T_ALERT || s2n_error_get_type(o.peer_err) == S2N_ERR_T_CLOSED
            || s2n_error_get_type(o.peer_err) == S2N_ERR_T_PROTO);

    /* No alert on a connection that did not receive one. */
    struct s2nrs_pair p;
    struct s2n_config *client_ok = s2nrs_client_config(POLICY_TLS13, "ca-ecdsa.pem");
    if (s2nrs_pair_init(&p, client_ok, server13, "localhost") == 0 && EXPECT_HANDSHAKE_OK(p.client, p.server)) {
        EXPECT_FAILURE_WITH_ERRNO(s2n_connection_get_alert(p.client), S2NRS_E_NO_ALERT);
        EXPECT_FAILURE_WITH_ERRNO(s2n_connection_get_alert(p.server), S2NRS_E_NO_ALERT);
    }
    s2nrs_pair_free(&p);

    EXPECT_SUCCESS(s2n_config_free(client_ok));
    EXPECT_SUCCESS(s2n_config_free(server13));
    EXPECT_SUCCESS(s2n_config_free(client12));
    EXPECT_SUCCESS(s2n_config_free(server12));
    EXPECT_SUCCESS(s2n_config_free(client13));
}

/* ------------------------------------------------------------------------- */
/* Garbage and vanishing peers (raw bytes on the server's socket) */

static int server_only(struct s2n_config *server_config, const uint8_t *bytes, size_t len, int how_to_end,
        int rounds)
{
    /* how_to_end: 0 leave the client end open, 1 close() it, 2 shutdown(SHUT_WR) */
    int fds[2];
    if (s2nrs_socketpair(fds, true) != 0) {
        return 0;
    }
    struct s2n_connection *server = s2n_connection_new(S2N_SERVER);
    EXPECT_SUCCESS(s2n_connection_set_config(server, server_config));
    EXPECT_SUCCESS(s2n_connection_set_fd(server, fds[1]));
    if (len > 0) {
        EXPECT_EQ_INT(write(fds[0], bytes, len), (ssize_t) len);
    }
    if (how_to_end == 1) {
        close(fds[0]);
        fds[0] = -1;
    } else if (how_to_end == 2) {
        shutdown(fds[0], SHUT_WR);
    }
    int err = s2nrs_negotiate_one(server, rounds);
    EXPECT_SUCCESS(s2n_connection_free(server));
    if (fds[0] >= 0) {
        close(fds[0]);
    }
    close(fds[1]);
    return err;
}

/* The first flight of a real client, captured through custom I/O. */
static size_t capture_client_hello(struct s2n_config *client_config, uint8_t *out, size_t cap)
{
    struct s2nrs_pipe c2s, s2c;
    s2nrs_pipe_init(&c2s, 64 * 1024, 0);
    s2nrs_pipe_init(&s2c, 1024, 0);
    struct s2n_connection *client = s2n_connection_new(S2N_CLIENT);
    EXPECT_SUCCESS(s2n_connection_set_config(client, client_config));
    EXPECT_SUCCESS(s2n_set_server_name(client, "localhost"));
    s2nrs_mem_attach_one(client, &s2c, &c2s);
    s2n_blocked_status blocked = S2N_NOT_BLOCKED;
    EXPECT_FAILURE_WITH_ERRNO(s2n_negotiate(client, &blocked), S2NRS_E_IO_BLOCKED);
    EXPECT_EQ_INT(blocked, S2N_BLOCKED_ON_READ);
    int n = s2nrs_pipe_recv(&c2s, out, (uint32_t) cap);
    EXPECT(n > 0);
    EXPECT_SUCCESS(s2n_connection_free(client));
    s2nrs_pipe_free(&c2s);
    s2nrs_pipe_free(&s2c);
    return n > 0 ? (size_t) n : 0;
}

static void garbage_and_eof(const char *policy)
{
    struct s2n_config *server_config = s2nrs_server_config(policy, &server_chain, 1);
    struct s2n_config *client_config = s2nrs_client_config(policy, "ca-ecdsa.pem");
    int err;

    /* 100 bytes of noise, framed so that a reader trusting the record and
     * message lengths (as s2n does) has the whole message and does not wait
     * for more: a handshake record with a ClientHello whose body is noise
     * with an impossible session id length (255 > 32). */
    uint8_t garbage[100];
    s2nrs_fill_pattern(garbage, sizeof(garbage), 0xBAD);
    const uint8_t head[] = { 0x16, 0x03, 0x01, 0x00, 95, 0x01, 0x00, 0x00, 91, 0x03, 0x03 };
    memcpy(garbage, head, sizeof(head));
    garbage[sizeof(head) + 32] = 0xFF; /* legacy_session_id length */
    printf("== garbage ClientHello (%s)\n", policy);
    err = server_only(server_config, garbage, sizeof(garbage), 0, 50);
    printf("    server: %s\n", s2nrs_err_name(err));
    EXPECT_ERR(err, S2NRS_E_BAD_MESSAGE);
    EXPECT_ERR_TYPE(err, S2N_ERR_T_PROTO);

    /* A framed handshake message that cannot come first (a Certificate). */
    s2nrs_fill_pattern(garbage, sizeof(garbage), 0xF00D);
    const uint8_t head2[] = { 0x16, 0x03, 0x01, 0x00, 95, 0x0B, 0x00, 0x00, 91 };
    memcpy(garbage, head2, sizeof(head2));
    printf("== a Certificate message instead of a ClientHello (%s)\n", policy);
    err = server_only(server_config, garbage, sizeof(garbage), 0, 50);
    printf("    server: %s\n", s2nrs_err_name(err));
    EXPECT_ERR_TYPE(err, S2N_ERR_T_PROTO);

    /* An application data record before any handshake. */
    s2nrs_fill_pattern(garbage, sizeof(garbage), 0xCAFE);
    const uint8_t head3[] = { 0x17, 0x03, 0x03, 0x00, 95 };
    memcpy(garbage, head3, sizeof(head3));
    printf("== application data instead of a ClientHello (%s)\n", policy);
    err = server_only(server_config, garbage, sizeof(garbage), 0, 50);
    printf("    server: %s\n", s2nrs_err_name(err));
    EXPECT_ERR_TYPE(err, S2N_ERR_T_PROTO);

    /* 100 unframed random bytes, then close(): a reader that trusts the
     * record length (s2n) may wait for more and then hit end of stream
     * (CLOSED); one that checks the header rejects it (PROTO). Never success,
     * never a hang. */
    s2nrs_fill_pattern(garbage, sizeof(garbage), 0x5EED);
    printf("== 100 random bytes then close (%s)\n", policy);
    err = server_only(server_config, garbage, sizeof(garbage), 1, 50);
    printf("    server: %s\n", s2nrs_err_name(err));
    EXPECT(err != 0);
    EXPECT(s2n_error_get_type(err) == S2N_ERR_T_PROTO || s2n_error_get_type(err) == S2N_ERR_T_CLOSED);

    /* Nothing at all, then the client end closes: end of stream. */
    printf("== client closes before sending anything (%s)\n", policy);
    err = server_only(server_config, NULL, 0, 1, 50);
    printf("    server: %s\n", s2nrs_err_name(err));
    EXPECT_ERR(err, S2NRS_E_CLOSED);
    EXPECT_ERR_TYPE(err, S2N_ERR_T_CLOSED);

    /* A real ClientHello, cut in the middle, then close(). */
    uint8_t hello[4096];
    size_t hello_len = capture_client_hello(client_config, hello, sizeof(hello));
    printf("== half a ClientHello (%zu of %zu bytes) then close (%s)\n", hello_len / 2, hello_len, policy);
    err = server_only(server_config, hello, hello_len / 2, 1, 50);
    printf("    server: %s\n", s2nrs_err_name(err));
    EXPECT_ERR(err, S2NRS_E_CLOSED);
    EXPECT_ERR_TYPE(err, S2N_ERR_T_CLOSED);

    /* Only the record header, then close(). */
    printf("== a ClientHello's record header only, then close (%s)\n", policy);
    err = server_only(server_config, hello, 5, 1, 50);
    printf("    server: %s\n", s2nrs_err_name(err));
    EXPECT_ERR(err, S2NRS_E_CLOSED);

    /* The whole ClientHello, then the client stops writing (SHUT_WR): the
     * server sends its flight and then reads end of stream. */
    printf("== a whole ClientHello then shutdown(SHUT_WR) (%s)\n", policy);
    err = server_only(server_config, hello, hello_len, 2, 50);
    printf("    server: %s\n", s2nrs_err_name(err));
    EXPECT_ERR(err, S2NRS_E_CLOSED);
    EXPECT_ERR_TYPE(err, S2N_ERR_T_CLOSED);

    /* The whole ClientHello, then close(): the server's flight may already
     * fail to be written (EPIPE: an IO error) or it reads end of stream. */
    printf("== a whole ClientHello then close (%s)\n", policy);
    err = server_only(server_config, hello, hello_len, 1, 50);
    printf("    server: %s\n", s2nrs_err_name(err));
    EXPECT(s2n_error_get_type(err) == S2N_ERR_T_CLOSED || s2n_error_get_type(err) == S2N_ERR_T_IO);

    EXPECT_SUCCESS(s2n_config_free(client_config));
    EXPECT_SUCCESS(s2n_config_free(server_config));
}

/* ------------------------------------------------------------------------- */
/* Self-service blinding */

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double) ts.tv_sec + (double) ts.tv_nsec / 1e9;
}

static uint64_t fake_now;

static int fake_clock(void *ctx, uint64_t *nanoseconds)
{
    *nanoseconds = *(uint64_t *) ctx;
    return 0;
}

static void blinding(void)
{
    struct s2n_connection *probe = s2n_connection_new(S2N_CLIENT);
    bool have = EXPECT_SUCCESS_OR_SKIP(s2n_connection_set_blinding(probe, S2N_SELF_SERVICE_BLINDING),
            "self-service blinding");
    EXPECT_SUCCESS(s2n_connection_free(probe));
    if (!have) {
        return;
    }
    struct s2n_cert_chain_and_key *untrusted = s2nrs_load_chain("untrusted.pem", "untrusted-key.pem");
    struct s2n_config *untrusted_server = s2nrs_server_config(POLICY_TLS13, &untrusted, 1);
    const uint32_t max_delays[] = { 0, 1 };
    for (int i = 0; i < 2; i++) {
        printf("== self-service blinding, max delay %us: client rejects an untrusted certificate\n", max_delays[i]);
        struct s2n_config *client_config = s2nrs_client_config(POLICY_TLS13, "ca-ecdsa.pem");
        EXPECT_SUCCESS(s2n_config_set_max_blinding_delay(client_config, max_delays[i]));
        struct s2nrs_pair p;
        if (s2nrs_pair_init(&p, client_config, untrusted_server, "localhost") == 0) {
            EXPECT_SUCCESS(s2n_connection_set_blinding(p.client, S2N_SELF_SERVICE_BLINDING));
            EXPECT_EQ_INT(s2n_connection_get_delay(p.client), 0);
            double start = now_seconds();
            struct s2nrs_negotiation n = s2nrs_negotiate_pair(p.client, p.server);
            double elapsed = now_seconds() - start;
            uint64_t delay = s2n_connection_get_delay(p.client);
            printf("    client %s after %.3fs; s2n_connection_get_delay = %llu ns\n", s2nrs_err_name(n.err), elapsed,
                    (unsigned long long) delay);
            EXPECT_EQ_INT(n.failed, S2NRS_CLIENT);
            EXPECT_ERR(n.err, S2NRS_E_CERT_UNTRUSTED);
            /* Self-service: the library did not sleep. */
            EXPECT(elapsed < 0.3);
            if (max_delays[i] == 0) {
                EXPECT_EQ_INT(delay, 0);
            } else {
                /* s2n picks a delay in [max/3, max) and reports what is left. */
                EXPECT(delay > 250000000ull);
                EXPECT(delay <= 1000000000ull);
            }
            /* The server was not blinded. */
            EXPECT_EQ_INT(s2n_connection_get_delay(p.server), 0);
        }
        s2nrs_pair_free(&p);
        EXPECT_SUCCESS(s2n_config_free(client_config));
    }

    /* The delay is measured on the config's monotonic clock: time that
     * clock says has passed counts, whatever the real time. */
    printf("== self-service blinding on the config's monotonic clock\n");
    struct s2n_config *clocked = s2nrs_client_config(POLICY_TLS13, "ca-ecdsa.pem");
    EXPECT_SUCCESS(s2n_config_set_max_blinding_delay(clocked, 30));
    EXPECT_SUCCESS(s2n_config_set_monotonic_clock(clocked, fake_clock, &fake_now));
    struct s2nrs_pair cp;
    if (s2nrs_pair_init(&cp, clocked, untrusted_server, "localhost") == 0) {
        EXPECT_SUCCESS(s2n_connection_set_blinding(cp.client, S2N_SELF_SERVICE_BLINDING));
        fake_now = 1000000000000ull;
        struct s2nrs_negotiation n = s2nrs_negotiate_pair(cp.client, cp.server);
        EXPECT_EQ_INT(n.failed, S2NRS_CLIENT);
        uint64_t first = s2n_connection_get_delay(cp.client);
        /* s2n picks a delay in [max/3, max): 10 to 30 s. */
        EXPECT(first >= 10000000000ull && first <= 30000000000ull);
        EXPECT_EQ_INT(s2n_connection_get_delay(cp.client), first);
        fake_now += 5000000000ull;
        EXPECT_EQ_INT(s2n_connection_get_delay(cp.client), first - 5000000000ull);
        fake_now += first;
        EXPECT_EQ_INT(s2n_connection_get_delay(cp.client), 0);
    }
    s2nrs_pair_free(&cp);
    EXPECT_SUCCESS(s2n_config_free(clocked));

    /* s2n does not blind the common, non-secret errors such as
     * S2N_ERR_PROTOCOL_VERSION_UNSUPPORTED: no delay even with a max. */
    printf("== self-service blinding, max delay 1s: server rejects the protocol version (no blinding)\n");
    struct s2n_config *server13 = s2nrs_server_config(POLICY_TLS13_ONLY, &server_chain, 1);
    EXPECT_SUCCESS(s2n_config_set_max_blinding_delay(server13, 1));
    struct s2n_config *client12 = s2nrs_client_config(POLICY_TLS12, "ca-ecdsa.pem");
    struct s2nrs_pair p;
    if (s2nrs_pair_init(&p, client12, server13, "localhost") == 0) {
        EXPECT_SUCCESS(s2n_connection_set_blinding(p.server, S2N_SELF_SERVICE_BLINDING));
        struct s2nrs_negotiation n = s2nrs_negotiate_pair(p.client, p.server);
        s2nrs_print_negotiation("handshake", &n);
        EXPECT_EQ_INT(n.failed, S2NRS_SERVER);
        EXPECT_ERR(n.err, S2NRS_E_PROTOCOL_VERSION_UNSUPPORTED);
        EXPECT_EQ_INT(s2n_connection_get_delay(p.server), 0);
    }
    s2nrs_pair_free(&p);

    /* Nor S2N_ERR_CLOSED (the peer went away). */
    printf("== self-service blinding, max delay 1s: the client closes mid-handshake (no blinding)\n");
    if (s2nrs_pair_init(&p, client12, server13, "localhost") == 0) {
        EXPECT_SUCCESS(s2n_connection_set_blinding(p.server, S2N_SELF_SERVICE_BLINDING));
        close(p.fds[0]);
        p.fds[0] = -1;
        int err = s2nrs_negotiate_one(p.server, 50);
        printf("    server: %s, delay %llu ns\n", s2nrs_err_name(err),
                (unsigned long long) s2n_connection_get_delay(p.server));
        EXPECT_ERR(err, S2NRS_E_CLOSED);
        EXPECT_EQ_INT(s2n_connection_get_delay(p.server), 0);
    }
    s2nrs_pair_free(&p);
    EXPECT_SUCCESS(s2n_config_free(server13));
    EXPECT_SUCCESS(s2n_config_free(client12));
    EXPECT_SUCCESS(s2n_config_free(untrusted_server));
    EXPECT_SUCCESS(s2n_cert_chain_and_key_free(untrusted));
}

int main(void)
{
    s2nrs_tls_setup(60);
    server_chain = s2nrs_load_chain("server-ecdsa-chain.pem", "server-ecdsa-key.pem");

    const char *policies[] = { POLICY_TLS13, POLICY_TLS12 };
    for (int i = 0; i < 2; i++) {
        cert_failures(policies[i]);
        verify_host_callback(policies[i]);
        garbage_and_eof(policies[i]);
    }
    version_mismatch();
    blinding();

    EXPECT_SUCCESS(s2n_cert_chain_and_key_free(server_chain));
    s2nrs_tls_teardown();
    return S2NRS_TEST_RESULT();
}
