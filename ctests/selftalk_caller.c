/*
 * A misbehaving caller: API misuse that C allows and s2n defines (double free
 * and oversized sizes with tiny buffers are UB, so they are not here).
 *
 *  - getters after s2n_connection_wipe give what a new connection gives
 *    (s2n's pre-handshake values), and the wiped connection handshakes again
 *  - s2n_send after s2n_shutdown                   -> S2N_ERR_T_CLOSED
 *  - s2n_recv after s2n_shutdown, s2n_recv of 0 bytes, s2n_send of 0 bytes
 *  - one s2n_send of 64 MiB (a real buffer) to a peer that reads as it goes
 *  - s2n_send with a negative size
 *  - invalid enum values passed as ints (s2n-tls stores most unchecked;
 *    s2nrs refuses them, guarded by the "invalid-enum-values" difference): s2n_connection_new((s2n_mode) 7),
 *    s2n_config_set_client_auth_type(config, 99), s2n_connection_set_blinding
 *    (conn, 5), s2n_config_set_status_request_type(config, 9)
 *  - callbacks that fail: verify host returning 0 (-> S2N_ERR_CERT_INVALID_HOSTNAME), a recv callback returning
 *    -1 with errno EIO (-> S2N_ERR_IO), a send callback failing with EPIPE
 *  - callbacks that re-enter: recv/send callbacks calling getters on their own
 *    connection (wire bytes, protocol versions, last message name) must not
 *    deadlock, and the handshake completes
 *
 * Whatever the two libraries report differently is printed.
 */
#include "harness/selftalk.h"

#define POLICY "default_tls13"

static struct s2n_cert_chain_and_key *chain;
static struct s2n_config *server_config;
static struct s2n_config *client_config;

static void print_err(const char *what, int rc, int err)
{
    printf("  %s -> %d", what, rc);
    if (rc < 0) {
        printf(" %s (%s)", s2nrs_err_name(err), s2nrs_err_type_name(s2n_error_get_type(err)));
    }
    printf("\n");
}

/* ------------------------------------------------------------------------- */
/* Getters after wipe */

struct snapshot {
    int actual, client, server, hello_version;
    const char *cipher, *curve, *kem_group, *handshake_name, *last_message, *server_name, *alpn;
    int resumed, ocsp_stapled, client_cert_used, alert;
    uint64_t wire_in, wire_out;
};

static const char *copy_str(const char *s)
{
    return s ? s : "(null)";
}

static struct snapshot snap(struct s2n_connection *conn)
{
    struct snapshot s;
    memset(&s, 0, sizeof(s));
    s.actual = s2n_connection_get_actual_protocol_version(conn);
    s.client = s2n_connection_get_client_protocol_version(conn);
    s.server = s2n_connection_get_server_protocol_version(conn);
    s.hello_version = s2n_connection_get_client_hello_version(conn);
    s.cipher = copy_str(s2n_connection_get_cipher(conn));
    s.curve = copy_str(s2n_connection_get_curve(conn));
    s.kem_group = copy_str(s2n_connection_get_kem_group_name(conn));
    s.handshake_name = copy_str(s2n_connection_get_handshake_type_name(conn));
    s.last_message = copy_str(s2n_connection_get_last_message_name(conn));
    s.server_name = copy_str(s2n_get_server_name(conn));
    s.alpn = copy_str(s2n_get_application_protocol(conn));
    s.resumed = s2n_connection_is_session_resumed(conn);
    s.ocsp_stapled = s2n_connection_is_ocsp_stapled(conn);
    s.client_cert_used = s2n_connection_client_cert_used(conn);
    s.alert = s2n_connection_get_alert(conn);
    s.wire_in = s2n_connection_get_wire_bytes_in(conn);
    s.wire_out = s2n_connection_get_wire_bytes_out(conn);
    return s;
}

static void compare_snapshots(const char *who, const struct snapshot *got, const struct snapshot *fresh)
{
    printf("  %s after wipe: version %d/%d/%d hello %d, cipher %s, curve %s, kem %s, handshake %s, last %s, "
           "sni %s, alpn %s, wire %llu/%llu\n",
            who, got->actual, got->client, got->server, got->hello_version, got->cipher, got->curve, got->kem_group,
            got->handshake_name, got->last_message, got->server_name, got->alpn,
            (unsigned long long) got->wire_in, (unsigned long long) got->wire_out);
#define SAME_INT(f) EXPECT_EQ_INT(got->f, fresh->f)
#define SAME_STR(f) EXPECT_STREQ(got->f, fresh->f)
    SAME_INT(actual);
    SAME_INT(client);
    SAME_INT(server);
    SAME_INT(hello_version);
    SAME_STR(cipher);
    SAME_STR(curve);
    SAME_STR(kem_group);
    SAME_STR(handshake_name);
    SAME_STR(last_message);
    SAME_STR(server_name);
    SAME_STR(alpn);
    SAME_INT(resumed);
    SAME_INT(ocsp_stapled);
    SAME_INT(client_cert_used);
    SAME_INT(alert);
    SAME_INT(wire_in);
    SAME_INT(wire_out);
#undef SAME_INT
#undef SAME_STR
}

static void case_use_after_wipe(void)
{
    printf("== getters after s2n_connection_wipe\n");
    struct s2n_connection *fresh_client = s2n_connection_new(S2N_CLIENT);
    struct s2n_connection *fresh_server = s2n_connection_new(S2N_SERVER);
    EXPECT(fresh_client && fresh_server);
    if (!fresh_client || !fresh_server) {
        return;
    }
    struct snapshot fc = snap(fresh_client);
    struct snapshot fs = snap(fresh_server);

    struct s2nrs_pair p;
    if (s2nrs_pair_init(&p, client_config, server_config, "localhost") == 0 && EXPECT_HANDSHAKE_OK(p.client, p.server)) {
        EXPECT_EQ_INT(s2n_connection_get_actual_protocol_version(p.client), S2N_TLS13);
        EXPECT_SUCCESS(s2n_connection_wipe(p.client));
        EXPECT_SUCCESS(s2n_connection_wipe(p.server));
        struct snapshot wc = snap(p.client);
        struct snapshot ws = snap(p.server);
        compare_snapshots("client", &wc, &fc);
        compare_snapshots("server", &ws, &fs);
        /* s2n_recv/s2n_send on a wiped connection with no transport: errors, not crashes. */
        uint8_t byte = 0;
        s2n_blocked_status blocked = S2N_NOT_BLOCKED;
        s2n_errno = 0;
        ssize_t r = s2n_recv(p.client, &byte, 1, &blocked);
        print_err("s2n_recv on a wiped connection", (int) r, s2n_errno);
        EXPECT(r < 0);
        s2n_errno = 0;
        r = s2n_send(p.client, &byte, 1, &blocked);
        print_err("s2n_send on a wiped connection", (int) r, s2n_errno);
        EXPECT(r < 0);
        /* A wipe twice in a row is fine. */
        EXPECT_SUCCESS(s2n_connection_wipe(p.client));
        /* And the wiped connections handshake again on a new socketpair. */
        s2nrs_pair_close_fds(&p);
        if (s2nrs_socketpair(p.fds, true) == 0) {
            EXPECT_SUCCESS(s2n_connection_set_config(p.client, client_config));
            EXPECT_SUCCESS(s2n_connection_set_config(p.server, server_config));
            EXPECT_SUCCESS(s2n_set_server_name(p.client, "localhost"));
            EXPECT_SUCCESS(s2n_connection_set_fd(p.client, p.fds[0]));
            EXPECT_SUCCESS(s2n_connection_set_fd(p.server, p.fds[1]));
            EXPECT_HANDSHAKE_OK(p.client, p.server);
        }
    }
    s2nrs_pair_free(&p);
    EXPECT_SUCCESS(s2n_connection_free(fresh_client));
    EXPECT_SUCCESS(s2n_connection_free(fresh_server));
}

/* ------------------------------------------------------------------------- */
/* After shutdown; zero sizes; negative size */

static void case_after_shutdown(void)
{
    printf("== s2n_send / s2n_recv after s2n_shutdown, zero-size calls\n");
    struct s2nrs_pair p;
    if (s2nrs_pair_init(&p, client_config, server_config, "localhost") == 0 && EXPECT_HANDSHAKE_OK(p.client, p.server)) {
        uint8_t buf[16] = "payload";
        s2n_blocked_status blocked = S2N_NOT_BLOCKED;

        /* Zero-byte calls on a live connection. */
        s2n_errno = 0;
        ssize_t r = s2n_recv(p.client, buf, 0, &blocked);
        print_err("s2n_recv(size 0) with nothing to read", (int) r, s2n_errno);
        EXPECT_EQ_INT(r, 0);
        EXPECT_EQ_INT(blocked, S2N_NOT_BLOCKED);
        s2n_errno = 0;
        r = s2n_send(p.client, buf, 0, &blocked);
        print_err("s2n_send(size 0)", (int) r, s2n_errno);
        EXPECT_EQ_INT(r, 0);
        /* A zero-byte receive with data pending leaves the data. */
        EXPECT(s2nrs_transfer(p.server, p.client, (const uint8_t *) "abc", 3) );
        int err = 0;
        long w = s2nrs_send_all(p.server, "xyz", 3, &err);
        EXPECT_EQ_INT(w, 3);
        s2n_errno = 0;
        r = s2n_recv(p.client, buf, 0, &blocked);
        print_err("s2n_recv(size 0) with a record waiting", (int) r, s2n_errno);
        EXPECT_EQ_INT(r, 0);
        memset(buf, 0, sizeof(buf));
        EXPECT_EQ_INT(s2nrs_recv_some(p.client, buf, 3, &err), 3);
        EXPECT(memcmp(buf, "xyz", 3) == 0);

        /* Negative size. */
        s2n_errno = 0;
        r = s2n_send(p.client, buf, -1, &blocked);
        err = s2n_errno;
        print_err("s2n_send(size -1)", (int) r, err);
        EXPECT_EQ_INT(r, -1);
        EXPECT_ERR(err, S2NRS_E_INVALID_ARGUMENT);
        s2n_errno = 0;
        r = s2n_recv(p.client, buf, -1, &blocked);
        err = s2n_errno;
        print_err("s2n_recv(size -1)", (int) r, err);
        EXPECT_EQ_INT(r, -1);
        /* s2n-tls: S2N_ERR_SAFETY (INTERNAL, POSIX_ENSURE_GTE); s2nrs: S2N_ERR_INVALID_ARGUMENT (USAGE) */
        EXPECT(s2n_error_get_type(err) == S2N_ERR_T_INTERNAL || s2n_error_get_type(err) == S2N_ERR_T_USAGE);

        /* Full shutdown: client sends close_notify, server answers. */
        s2n_errno = 0;
        int rc = s2n_shutdown(p.client, &blocked);
        print_err("client s2n_shutdown (first)", rc, s2n_errno);
        for (int i = 0; i < 20 && rc != S2N_SUCCESS; i++) {
            s2n_blocked_status sb = S2N_NOT_BLOCKED;
            s2n_shutdown(p.server, &sb);
            s2n_errno = 0;
            rc = s2n_shutdown(p.client, &blocked);
            if (rc != S2N_SUCCESS && s2n_error_get_type(s2n_errno) != S2N_ERR_T_BLOCKED) {
                break;
            }
        }
        print_err("client s2n_shutdown (done)", rc, s2n_errno);
        EXPECT_EQ_INT(rc, S2N_SUCCESS);

        s2n_errno = 0;
        r = s2n_send(p.client, buf, 4, &blocked);
        err = s2n_errno;
        print_err("s2n_send after s2n_shutdown", (int) r, err);
        EXPECT_EQ_INT(r, -1);
        EXPECT_ERR_TYPE(err, S2N_ERR_T_CLOSED);
        EXPECT_ERR(err, S2NRS_E_CLOSED);

        s2n_errno = 0;
        r = s2n_recv(p.client, buf, sizeof(buf), &blocked);
        err = s2n_errno;
        print_err("s2n_recv after s2n_shutdown (close_notify received)", (int) r, err);
        EXPECT_EQ_INT(r, 0);

        /* Shutdown again: already closed, succeeds. */
        s2n_errno = 0;
        rc = s2n_shutdown(p.client, &blocked);
        print_err("client s2n_shutdown (again)", rc, s2n_errno);
        EXPECT_EQ_INT(rc, S2N_SUCCESS);
    }
    s2nrs_pair_free(&p);
}

/* ------------------------------------------------------------------------- */
/* One huge s2n_send */

struct reader_arg {
    struct s2n_connection *conn;
    size_t want;
    size_t got;
    uint64_t sum;
    int err;
};

static void *reader_thread(void *p)
{
    struct reader_arg *a = p;
    static uint8_t buf[65536];
    while (a->got < a->want) {
        s2n_blocked_status blocked = S2N_NOT_BLOCKED;
        ssize_t r = s2n_recv(a->conn, buf, sizeof(buf), &blocked);
        if (r <= 0) {
            a->err = r == 0 ? S2NRS_E_CLOSED : s2n_errno;
            break;
        }
        for (ssize_t i = 0; i < r; i++) {
            a->sum += buf[i];
        }
        a->got += (size_t) r;
    }
    return NULL;
}

static void case_huge_send(void)
{
    const size_t len = 64u << 20;
    printf("== one s2n_send of %zu MiB, the peer reading in a thread\n", len >> 20);
    struct s2nrs_pair p;
    /* Blocking sockets: s2n_send must send it all in one call. */
    if (s2nrs_pair_init_ex(&p, client_config, server_config, "localhost", true) != 0) {
        s2nrs_pair_free(&p);
        return;
    }
    if (!EXPECT_HANDSHAKE_OK(p.client, p.server)) {
        s2nrs_pair_free(&p);
        return;
    }
    for (int i = 0; i < 2; i++) {
        int flags = fcntl(p.fds[i], F_GETFL, 0);
        fcntl(p.fds[i], F_SETFL, flags & ~O_NONBLOCK);
    }
    uint8_t *data = malloc(len);
    if (!data) {
        s2nrs_skip_part("huge send", "no 64 MiB of memory");
        s2nrs_pair_free(&p);
        return;
    }
    uint64_t sum = 0;
    for (size_t i = 0; i < len; i++) {
        data[i] = (uint8_t) (i * 2654435761u >> 13);
        sum += data[i];
    }
    struct reader_arg a = { .conn = p.server, .want = len };
    pthread_t t;
    EXPECT_EQ_INT(pthread_create(&t, NULL, reader_thread, &a), 0);
    s2n_blocked_status blocked = S2N_NOT_BLOCKED;
    s2n_errno = 0;
    ssize_t w = s2n_send(p.client, data, (ssize_t) len, &blocked);
    int err = s2n_errno;
    print_err("s2n_send(64 MiB)", (int) (w < 0 ? -1 : 0), err);
    printf("  s2n_send returned %zd\n", w);
    EXPECT_EQ_INT(w, (ssize_t) len);
    if (w != (ssize_t) len) {
        /* Unblock the reader. */
        shutdown(p.fds[0], SHUT_RDWR);
    }
    pthread_join(t, NULL);
    printf("  the peer read %zu bytes (err %s)\n", a.got, a.err ? s2nrs_err_name(a.err) : "-");
    EXPECT_EQ_INT(a.got, len);
    EXPECT(a.sum == sum);
    free(data);
    s2nrs_pair_free(&p);
}

/* ------------------------------------------------------------------------- */
/* Invalid enum values */

/* An invalid enum value: s2n-tls stores most of them unchecked (rc 0),
 * s2nrs refuses them all (S2N_ERR_INVALID_ARGUMENT, nothing changed). The
 * s2n-tls behaviour is asserted unless the difference is listed. */
static void expect_enum_call(const char *what, int rc, int err, bool s2n_accepts)
{
    print_err(what, rc, err);
    if (!s2n_accepts || s2nrs_known_difference("invalid-enum-values")) {
        EXPECT_EQ_INT(rc, S2N_FAILURE);
        if (rc == S2N_FAILURE) {
            EXPECT_ERR(err, S2NRS_E_INVALID_ARGUMENT);
        }
    } else if (rc != S2N_SUCCESS) {
        S2NRS_FAIL_AT("%s: s2n-tls accepts the value (rc 0), got %d (%s)", what, rc, s2nrs_err_name(err));
    }
}

static void case_invalid_enums(void)
{
    printf("== invalid enum values passed as ints\n");
    s2n_errno = 0;
    struct s2n_connection *bad = s2n_connection_new((s2n_mode) 7);
    int err = s2n_errno;
    printf("  s2n_connection_new((s2n_mode) 7) -> %p, %s\n", (void *) bad, bad ? "-" : s2nrs_err_name(err));
    if (bad) {
        EXPECT_SUCCESS(s2n_connection_free(bad));
    }
    if (s2nrs_known_difference("invalid-enum-values")) {
        EXPECT(bad == NULL);
        EXPECT_ERR(err, S2NRS_E_INVALID_ARGUMENT);
    } else if (bad == NULL) {
        S2NRS_FAIL_AT("s2n_connection_new((s2n_mode) 7): s2n-tls makes a connection, got NULL (%s)",
                s2nrs_err_name(err));
    }

    struct s2n_config *config = s2n_config_new_minimal();
    struct s2n_connection *conn = s2n_connection_new(S2N_SERVER);
    EXPECT(config && conn);
    if (!config || !conn) {
        return;
    }
    s2n_errno = 0;
    int rc = s2n_config_set_client_auth_type(config, (s2n_cert_auth_type) 99);
    expect_enum_call("s2n_config_set_client_auth_type(config, 99)", rc, s2n_errno, true);
    s2n_cert_auth_type auth = S2N_CERT_AUTH_NONE;
    EXPECT_SUCCESS(s2n_config_get_client_auth_type(config, &auth));
    printf("    client auth type now %d\n", (int) auth);
    EXPECT_EQ_INT(auth, rc == S2N_SUCCESS ? 99 : S2N_CERT_AUTH_NONE);

    s2n_errno = 0;
    rc = s2n_connection_set_client_auth_type(conn, (s2n_cert_auth_type) 99);
    expect_enum_call("s2n_connection_set_client_auth_type(conn, 99)", rc, s2n_errno, true);

    s2n_errno = 0;
    rc = s2n_connection_set_blinding(conn, (s2n_blinding) 5);
    expect_enum_call("s2n_connection_set_blinding(conn, 5)", rc, s2n_errno, true);

    s2n_errno = 0;
    rc = s2n_config_set_status_request_type(config, (s2n_status_request_type) 9);
    expect_enum_call("s2n_config_set_status_request_type(config, 9)", rc, s2n_errno, true);

    s2n_errno = 0;
    rc = s2n_config_set_ct_support_level(config, (s2n_ct_support_level) 9);
    expect_enum_call("s2n_config_set_ct_support_level(config, 9)", rc, s2n_errno, true);

    /* This one s2n-tls checks too. */
    s2n_errno = 0;
    rc = s2n_config_set_alert_behavior(config, (s2n_alert_behavior) 9);
    expect_enum_call("s2n_config_set_alert_behavior(config, 9)", rc, s2n_errno, false);

    EXPECT_SUCCESS(s2n_connection_free(conn));
    EXPECT_SUCCESS(s2n_config_free(config));
}

/* ------------------------------------------------------------------------- */
/* Failing and re-entering callbacks */

static uint8_t reject_host(const char *host, size_t len, void *data)
{
    (void) host;
    (void) len;
    (*(int *) data)++;
    return 0;
}

static void case_verify_host_rejects(void)
{
    printf("== verify host callback returning 0\n");
    struct s2n_config *cc = s2nrs_client_config(POLICY, "ca-ecdsa.pem");
    int calls = 0;
    EXPECT_SUCCESS(s2n_config_set_verify_host_callback(cc, reject_host, &calls));
    struct s2nrs_pair p;
    if (s2nrs_pair_init(&p, cc, server_config, "localhost") == 0) {
        struct s2nrs_negotiation n = s2nrs_negotiate_pair(p.client, p.server);
        s2nrs_print_negotiation("handshake", &n);
        printf("  the callback ran %d time(s)\n", calls);
        EXPECT_EQ_INT(n.failed, S2NRS_CLIENT);
        EXPECT_ERR(n.err, S2NRS_E_CERT_INVALID_HOSTNAME);
        EXPECT(calls >= 1);
    }
    s2nrs_pair_free(&p);
    EXPECT_SUCCESS(s2n_config_free(cc));
}

struct cb_ctx {
    struct s2n_connection *conn;
    int fd;
    int fail_errno; /* 0: pass through */
    int calls;
    int reentered;
};

static int reentrant_recv(void *io_context, uint8_t *buf, uint32_t len)
{
    struct cb_ctx *c = io_context;
    c->calls++;
    if (c->conn) {
        /* Getters on the very connection that is inside s2n_negotiate/s2n_recv. */
        (void) s2n_connection_get_wire_bytes_in(c->conn);
        (void) s2n_connection_get_wire_bytes_out(c->conn);
        (void) s2n_connection_get_actual_protocol_version(c->conn);
        (void) s2n_connection_get_client_protocol_version(c->conn);
        (void) s2n_connection_get_last_message_name(c->conn);
        (void) s2n_connection_get_handshake_type_name(c->conn);
        (void) s2n_connection_get_cipher(c->conn);
        (void) s2n_get_server_name(c->conn);
        (void) s2n_connection_get_delay(c->conn);
        c->reentered++;
    }
    if (c->fail_errno) {
        errno = c->fail_errno;
        return -1;
    }
    ssize_t r = read(c->fd, buf, len);
    return (int) r;
}

static int reentrant_send(void *io_context, const uint8_t *buf, uint32_t len)
{
    struct cb_ctx *c = io_context;
    c->calls++;
    if (c->conn) {
        (void) s2n_connection_get_wire_bytes_out(c->conn);
        (void) s2n_connection_get_actual_protocol_version(c->conn);
        (void) s2n_connection_get_last_message_name(c->conn);
        c->reentered++;
    }
    if (c->fail_errno) {
        errno = c->fail_errno;
        return -1;
    }
    ssize_t w = write(c->fd, buf, len);
    return (int) w;
}

static void case_callbacks(bool reenter, int recv_errno, int send_errno)
{
    printf("== client with recv/send callbacks: %s, recv %s, send %s\n", reenter ? "calling getters" : "plain",
            recv_errno ? strerror(recv_errno) : "ok", send_errno ? strerror(send_errno) : "ok");
    struct s2nrs_pair p;
    if (s2nrs_pair_init(&p, client_config, server_config, "localhost") != 0) {
        s2nrs_pair_free(&p);
        return;
    }
    struct cb_ctx rc = { .conn = reenter ? p.client : NULL, .fd = p.fds[0], .fail_errno = recv_errno };
    struct cb_ctx sc = { .conn = reenter ? p.client : NULL, .fd = p.fds[0], .fail_errno = send_errno };
    EXPECT_SUCCESS(s2n_connection_set_recv_cb(p.client, reentrant_recv));
    EXPECT_SUCCESS(s2n_connection_set_recv_ctx(p.client, &rc));
    EXPECT_SUCCESS(s2n_connection_set_send_cb(p.client, reentrant_send));
    EXPECT_SUCCESS(s2n_connection_set_send_ctx(p.client, &sc));
    struct s2nrs_negotiation n = s2nrs_negotiate_pair(p.client, p.server);
    s2nrs_print_negotiation("handshake", &n);
    printf("  recv callback: %d call(s), %d re-entered; send callback: %d call(s), %d re-entered\n", rc.calls,
            rc.reentered, sc.calls, sc.reentered);
    if (send_errno) {
        EXPECT_EQ_INT(n.failed, S2NRS_CLIENT);
        EXPECT_ERR(n.err, S2NRS_E_IO);
        EXPECT(sc.calls >= 1);
    } else if (recv_errno) {
        EXPECT_EQ_INT(n.failed, S2NRS_CLIENT);
        EXPECT_ERR(n.err, S2NRS_E_IO);
        EXPECT(sc.calls >= 1);
    } else {
        EXPECT_EQ_INT(n.failed, S2NRS_NONE);
        if (n.failed == S2NRS_NONE) {
            EXPECT(s2nrs_transfer(p.server, p.client, (const uint8_t *) "ping", 4));
            EXPECT(s2nrs_transfer(p.client, p.server, (const uint8_t *) "pong", 4));
        }
        if (reenter) {
            EXPECT(rc.reentered >= 1);
            EXPECT(sc.reentered >= 1);
        }
    }
    s2nrs_pair_free(&p);
}

int main(void)
{
    s2nrs_tls_setup(240);

    chain = s2nrs_load_chain("server-ecdsa-chain.pem", "server-ecdsa-key.pem");
    if (chain == NULL) {
        return S2NRS_TEST_RESULT();
    }
    server_config = s2nrs_server_config(POLICY, &chain, 1);
    client_config = s2nrs_client_config(POLICY, "ca-ecdsa.pem");
    if (!server_config || !client_config) {
        return S2NRS_TEST_RESULT();
    }

    case_use_after_wipe();
    case_after_shutdown();
    case_invalid_enums();
    case_verify_host_rejects();
    case_callbacks(false, 0, 0);
    case_callbacks(true, 0, 0);
    case_callbacks(true, EIO, 0);
    case_callbacks(false, 0, EPIPE);
    case_huge_send();

    EXPECT_SUCCESS(s2n_config_free(server_config));
    EXPECT_SUCCESS(s2n_config_free(client_config));
    EXPECT_SUCCESS(s2n_cert_chain_and_key_free(chain));
    s2nrs_tls_teardown();
    return S2NRS_TEST_RESULT();
}
