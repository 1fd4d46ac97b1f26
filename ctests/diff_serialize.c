/*
 * Differential: connection serialization (s2n_config_set_serialization_version,
 * s2n_connection_serialization_length, s2n_connection_serialize,
 * s2n_connection_deserialize). For each case, over a socketpair:
 *
 *   - the errors of calls made too early or with too little room, of a
 *     config without a version, of unread data, of damaged blobs;
 *   - the serialized length and the blob's fixed fields (format version,
 *     protocol, suite, sequence numbers, record size);
 *   - the client, then the server, serialized and restored into a new
 *     connection on the same socket: data both ways, TLS1.3 key updates
 *     both ways, a restored connection serialized again.
 *
 * Printed as "<case> <what> -> <value>" for ctests/diff/compare.py.
 *
 * With "--handoff OTHER", the connection crosses libraries: this process
 * makes the handshake, serializes its client and a process of OTHER (this
 * program built against the other library) restores it on the same socket
 * and talks to our server; then the same with our server. Each side requests
 * a key update (TLS1.3), so both key schedules must agree.
 */
#include "harness/selftalk.h"

#include <s2n/unstable/ktls.h>

#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>

struct serialize_case {
    const char *name;
    const char *server_policy;
    const char *client_policy;
    const char *chain;
    const char *key;
    const char *ca;
    bool tls13;
};

static const struct serialize_case CASES[] = {
    { "tls13-aes128", "default_tls13", "default_tls13", "server-ecdsa-chain.pem", "server-ecdsa-key.pem",
            "ca-ecdsa.pem", true },
    { "tls13-aes256", "20190801", "default_tls13", "server-ecdsa-chain.pem", "server-ecdsa-key.pem", "ca-ecdsa.pem",
            true },
    { "tls12-aes128", "ELBSecurityPolicy-TLS-1-2-Ext-2018-06", "ELBSecurityPolicy-TLS-1-2-Ext-2018-06",
            "server-ecdsa-chain.pem", "server-ecdsa-key.pem", "ca-ecdsa.pem", false },
    { "tls12-chacha20", "20190122", "20190122", "server-rsa-chain.pem", "server-rsa-key.pem", "ca-rsa.pem", false },
};

static const char *result(int rc)
{
    return rc == S2N_SUCCESS ? "ok" : s2nrs_err_name(s2n_errno);
}

static uint64_t be64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++) {
        v = (v << 8) | p[i];
    }
    return v;
}

/* Waits for fd to be readable (bounded). */
static void wait_readable(int fd)
{
    struct pollfd pfd = { .fd = fd, .events = POLLIN };
    poll(&pfd, 1, 2000);
}

/* Sends all of msg, then receives exactly strlen(want) bytes and compares. */
static bool say(struct s2n_connection *conn, const char *msg)
{
    int err = 0;
    return s2nrs_send_all(conn, msg, strlen(msg), &err) == (long) strlen(msg);
}

static bool hear(struct s2n_connection *conn, int fd, const char *want)
{
    char buf[256] = { 0 };
    size_t got = 0, len = strlen(want);
    for (int round = 0; round < 200 && got < len; round++) {
        int err = 0;
        long n = s2nrs_recv_some(conn, buf + got, len - got, &err);
        if (n > 0) {
            got += (size_t) n;
        } else if (err == 0 || s2n_error_get_type(err) != S2N_ERR_T_BLOCKED) {
            return false;
        } else {
            wait_readable(fd);
        }
    }
    return got == len && memcmp(buf, want, len) == 0;
}

/* Serializes conn into blob (sized by s2n_connection_serialization_length). */
static uint32_t serialize(struct s2n_connection *conn, uint8_t *blob, uint32_t cap)
{
    uint32_t len = 0;
    if (s2n_connection_serialization_length(conn, &len) != S2N_SUCCESS || len > cap) {
        return 0;
    }
    if (s2n_connection_serialize(conn, blob, len) != S2N_SUCCESS) {
        return 0;
    }
    return len;
}

/* A new connection of `mode` restored from blob on fd. */
static struct s2n_connection *restore(s2n_mode mode, struct s2n_config *config, int fd, uint8_t *blob,
        uint32_t len)
{
    struct s2n_connection *conn = s2n_connection_new(mode);
    if (conn == NULL) {
        return NULL;
    }
    if ((config && s2n_connection_set_config(conn, config) != S2N_SUCCESS)
            || s2n_connection_set_fd(conn, fd) != S2N_SUCCESS
            || s2n_connection_deserialize(conn, blob, len) != S2N_SUCCESS) {
        printf("restore failed: %s\n", s2nrs_err_name(s2n_errno));
        s2n_connection_free(conn);
        return NULL;
    }
    return conn;
}

struct setup {
    struct s2n_cert_chain_and_key *chain;
    struct s2n_config *server;
    struct s2n_config *client;
    struct s2nrs_pair pair;
};

static void teardown(struct setup *s)
{
    s2nrs_pair_free(&s->pair);
    s2n_config_free(s->server);
    s2n_config_free(s->client);
    s2n_cert_chain_and_key_free(s->chain);
}

/* Configs and a connection pair for the case; on failure (recorded) nothing
 * is left to free. */
static bool setup(struct setup *s, const struct serialize_case *c)
{
    memset(s, 0, sizeof(*s));
    s->pair.fds[0] = s->pair.fds[1] = -1;
    s->chain = s2nrs_load_chain(c->chain, c->key);
    s->server = s2nrs_server_config(c->server_policy, &s->chain, 1);
    s->client = s2nrs_client_config(c->client_policy, c->ca);
    if (s->chain && s->server && s->client) {
        EXPECT_SUCCESS(s2n_config_set_serialization_version(s->server, S2N_SERIALIZED_CONN_V1));
        EXPECT_SUCCESS(s2n_config_set_serialization_version(s->client, S2N_SERIALIZED_CONN_V1));
        if (s2nrs_pair_init(&s->pair, s->client, s->server, "localhost") == 0) {
            return true;
        }
    }
    S2NRS_FAIL_AT("[%s] setup failed", c->name);
    teardown(s);
    return false;
}

/* Data both ways between a and b (and key updates requested first). */
static const char *talk(struct s2n_connection *a, int a_fd, struct s2n_connection *b, int b_fd, bool key_update)
{
    if (key_update) {
        EXPECT_SUCCESS(s2n_connection_request_key_update(a, S2N_KEY_UPDATE_NOT_REQUESTED));
        EXPECT_SUCCESS(s2n_connection_request_key_update(b, S2N_KEY_UPDATE_NOT_REQUESTED));
    }
    if (!say(a, "ping") || !hear(b, b_fd, "ping")) {
        return "ping lost";
    }
    if (!say(b, "pong!") || !hear(a, a_fd, "pong!")) {
        return "pong lost";
    }
    return "ok";
}

static void run_case(const struct serialize_case *c)
{
    struct setup s;
    if (!setup(&s, c)) {
        return;
    }
    struct s2nrs_pair *p = &s.pair;
    uint8_t blob[512];
    uint32_t len = 0;
    int rc = s2n_connection_serialization_length(p->client, &len);
    printf("%s length before handshake -> %s %u\n", c->name, result(rc), rc == S2N_SUCCESS ? len : 0);
    printf("%s serialize before handshake -> %s\n", c->name, result(s2n_connection_serialize(p->client, blob, 512)));
    struct s2nrs_negotiation n = s2nrs_negotiate_pair(p->client, p->server);
    if (!EXPECT_NEGOTIATED(n, c->name)) {
        teardown(&s);
        return;
    }
    printf("%s cipher -> %s\n", c->name, s2n_connection_get_cipher(p->client));
    EXPECT_SUCCESS(s2n_connection_serialization_length(p->client, &len));
    printf("%s length -> %u\n", c->name, len);
    printf("%s serialize into too little -> %s\n", c->name,
            result(s2n_connection_serialize(p->client, blob, len - 1)));

    /* Unread data: refused until it is read. */
    EXPECT(say(p->server, "early"));
    wait_readable(p->fds[0]);
    char peek[2];
    int err = 0;
    s2nrs_recv_some(p->client, peek, 1, &err);
    printf("%s serialize with unread data -> %s\n", c->name, result(s2n_connection_serialize(p->client, blob, len)));
    EXPECT(hear(p->client, p->fds[0], "arly"));

    EXPECT_SUCCESS(s2n_connection_serialize(p->client, blob, len));
    printf("%s blob format -> %llu\n", c->name, (unsigned long long) be64(blob));
    printf("%s blob protocol -> %u.%u\n", c->name, blob[8], blob[9]);
    printf("%s blob suite -> %02x%02x\n", c->name, blob[10], blob[11]);
    printf("%s blob sequence numbers -> %llu %llu\n", c->name, (unsigned long long) be64(blob + 12),
            (unsigned long long) be64(blob + 20));
    printf("%s blob record size -> %u\n", c->name, (blob[28] << 8) | blob[29]);
    printf("%s send after serialize -> %s\n", c->name, result(s2n_send(p->client, "x", 1, &(s2n_blocked_status){ 0 })));

    struct s2n_connection *client = restore(S2N_CLIENT, s.client, p->fds[0], blob, len);
    printf("%s restored client -> %s\n", c->name,
            client ? talk(client, p->fds[0], p->server, p->fds[1], c->tls13) : "failed");
    printf("%s restored cipher -> %s\n", c->name, client ? s2n_connection_get_cipher(client) : "none");
    printf("%s restored version -> %s\n", c->name,
            client ? s2nrs_version_name(s2n_connection_get_actual_protocol_version(client)) : "none");

    /* The server too, and the restored client once more. */
    uint8_t blob2[512];
    uint32_t len2 = serialize(p->server, blob2, sizeof(blob2));
    struct s2n_connection *server = len2 ? restore(S2N_SERVER, s.server, p->fds[1], blob2, len2) : NULL;
    printf("%s restored server -> %s\n", c->name,
            server && client ? talk(client, p->fds[0], server, p->fds[1], c->tls13) : "failed");
    uint32_t len3 = client ? serialize(client, blob, sizeof(blob)) : 0;
    struct s2n_connection *again = len3 ? restore(S2N_CLIENT, NULL, p->fds[0], blob, len3) : NULL;
    printf("%s restored twice -> %s\n", c->name,
            again && server ? talk(again, p->fds[0], server, p->fds[1], c->tls13) : "failed");

    /* Damaged blobs. */
    uint8_t bad[512];
    memcpy(bad, blob2, len2);
    bad[7] = 2;
    struct s2n_connection *fresh = s2n_connection_new(S2N_SERVER);
    printf("%s restore format 2 -> %s\n", c->name, result(s2n_connection_deserialize(fresh, bad, len2)));
    memcpy(bad, blob2, len2);
    bad[9] = 5;
    printf("%s restore protocol 3.5 -> %s\n", c->name, result(s2n_connection_deserialize(fresh, bad, len2)));
    memcpy(bad, blob2, len2);
    bad[10] = 0xff;
    bad[11] = 0xfe;
    printf("%s restore unknown suite -> %s\n", c->name, result(s2n_connection_deserialize(fresh, bad, len2)));
    printf("%s restore truncated -> %s\n", c->name, result(s2n_connection_deserialize(fresh, blob2, 20)));
    s2n_connection_free(fresh);

    s2n_connection_free(client);
    s2n_connection_free(server);
    s2n_connection_free(again);
    teardown(&s);
}

/* ------------------------------------------------------------------------- */
/* Across libraries */

static void hex_encode(const uint8_t *in, uint32_t len, char *out)
{
    for (uint32_t i = 0; i < len; i++) {
        sprintf(out + 2 * i, "%02x", in[i]);
    }
}

static uint32_t hex_decode(const char *in, uint8_t *out, uint32_t cap)
{
    uint32_t n = 0;
    for (; in[2 * n] && in[2 * n + 1] && n < cap; n++) {
        unsigned byte = 0;
        sscanf(in + 2 * n, "%2x", &byte);
        out[n] = (uint8_t) byte;
    }
    return n;
}

/* The restoring process: argv = --restore client|server FD HEX. */
static int restore_main(const char *mode, int fd, const char *hex)
{
    uint8_t blob[512];
    uint32_t len = hex_decode(hex, blob, sizeof(blob));
    bool client = strcmp(mode, "client") == 0;
    struct s2n_connection *conn = restore(client ? S2N_CLIENT : S2N_SERVER, NULL, fd, blob, len);
    if (conn == NULL) {
        return 1;
    }
    bool tls13 = s2n_connection_get_actual_protocol_version(conn) == S2N_TLS13;
    if (tls13) {
        EXPECT_SUCCESS(s2n_connection_request_key_update(conn, S2N_KEY_UPDATE_NOT_REQUESTED));
    }
    bool ok = client ? say(conn, "ping") && hear(conn, fd, "pong!") : hear(conn, fd, "ping") && say(conn, "pong!");
    uint8_t sent = 0, received = 0;
    if (tls13) {
        s2n_connection_get_key_update_counts(conn, &sent, &received);
    }
    printf("restored %s in the other library: %s (key updates sent %u, received %u)\n", mode, ok ? "ok" : "FAILED",
            sent, received);
    s2n_connection_free(conn);
    return ok && (!tls13 || (sent == 1 && received == 1)) ? 0 : 1;
}

static pid_t spawn_restore(const char *other, const char *mode, int fd, const uint8_t *blob, uint32_t len)
{
    static char hex[1100];
    char fdarg[16];
    hex_encode(blob, len, hex);
    snprintf(fdarg, sizeof(fdarg), "%d", fd);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        /* The socket stays blocking in the child: restore_main waits on it. */
        fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
        /* The other program finds its own library (its run path). */
        unsetenv("LD_LIBRARY_PATH");
        execl(other, other, "--restore", mode, fdarg, hex, (char *) NULL);
        _exit(127);
    }
    return pid;
}

static void handoff_case(const struct serialize_case *c, const char *other)
{
    struct setup s;
    if (!setup(&s, c)) {
        return;
    }
    struct s2nrs_pair *p = &s.pair;
    struct s2nrs_negotiation n = s2nrs_negotiate_pair(p->client, p->server);
    if (EXPECT_NEGOTIATED(n, c->name)) {
        for (int side = 0; side < 2; side++) {
            struct s2n_connection *ours = side == 0 ? p->server : p->client;
            struct s2n_connection *handed = side == 0 ? p->client : p->server;
            int our_fd = p->fds[side == 0 ? 1 : 0];
            uint8_t blob[512];
            uint32_t len = serialize(handed, blob, sizeof(blob));
            if (len == 0) {
                S2NRS_FAIL_AT("[%s] serialize failed: %s", c->name, s2nrs_err_name(s2n_errno));
                break;
            }
            if (c->tls13) {
                EXPECT_SUCCESS(s2n_connection_request_key_update(ours, S2N_KEY_UPDATE_NOT_REQUESTED));
            }
            pid_t pid = spawn_restore(other, side == 0 ? "client" : "server", p->fds[side], blob, len);
            bool ok = side == 0 ? hear(ours, our_fd, "ping") && say(ours, "pong!")
                                : say(ours, "ping") && hear(ours, our_fd, "pong!");
            int status = 0;
            waitpid(pid, &status, 0);
            printf("[%s] %s restored by the other library: ours %s, theirs exit %d\n", c->name,
                    side == 0 ? "client" : "server", ok ? "ok" : "FAILED", WEXITSTATUS(status));
            EXPECT(ok);
            EXPECT(WIFEXITED(status) && WEXITSTATUS(status) == 0);
            if (!ok) {
                break;
            }
            /* The next side is handed from a fresh handshake. */
            if (side == 0) {
                s2nrs_pair_free(&s.pair);
                if (s2nrs_pair_init(&s.pair, s.client, s.server, "localhost") != 0) {
                    break;
                }
                n = s2nrs_negotiate_pair(p->client, p->server);
                if (!EXPECT_NEGOTIATED(n, c->name)) {
                    break;
                }
            }
        }
    }
    teardown(&s);
}

int main(int argc, char **argv)
{
    if (argc == 5 && strcmp(argv[1], "--restore") == 0) {
        EXPECT_SUCCESS(s2n_init());
        int rc = restore_main(argv[2], atoi(argv[3]), argv[4]);
        s2n_cleanup();
        return rc;
    }
    s2nrs_tls_setup(120);
    for (size_t i = 0; i < sizeof(CASES) / sizeof(CASES[0]); i++) {
        if (argc == 3 && strcmp(argv[1], "--handoff") == 0) {
            handoff_case(&CASES[i], argv[2]);
        } else {
            run_case(&CASES[i]);
        }
    }
    s2nrs_tls_teardown();
    return S2NRS_TEST_RESULT();
}
