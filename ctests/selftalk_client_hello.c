/*
 * Self-talk tests of the ClientHello callback and the s2n_client_hello_* API:
 * a client and a server connection of the library under test on nonblocking
 * AF_UNIX socketpairs, through the public s2n API only (so this file also
 * builds and passes against s2n-tls itself).
 *
 *   inspect          blocking-mode callback reading the ClientHello: server
 *                    name, cipher suites, extensions, ALPN bytes, session id,
 *                    supported groups, versions, random, raw message;
 *                    s2n_connection_get_client_hello is NULL before it arrived
 *   parse            s2n_client_hello_parse_message on the raw message the
 *                    callback copied (header rebuilt), s2n_client_hello_free
 *   config_swap      the callback swaps the config by SNI (other.test -> B)
 *   cb_failure       the callback returns -1: S2N_ERR_CANCELLED on the
 *                    server, a handshake_failure alert on the client
 *   nonblocking_*    S2N_CLIENT_HELLO_CB_NONBLOCKING: the handshake pauses
 *                    (S2N_BLOCKED_ON_APPLICATION_INPUT) until
 *                    s2n_client_hello_cb_done, from the same thread, another
 *                    thread, or the callback itself
 *   cb_done_errors   s2n_client_hello_cb_done in blocking mode and before the
 *                    callback ran
 */
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <s2n.h>

#include "harness/common.h"

#ifndef S2NRS_CERTS_DIR
    #error "S2NRS_CERTS_DIR must be defined (the tests/certs directory)"
#endif

#define POLICY "default_tls13"
#define EXT_KEY_SHARE 51

/* ------------------------------------------------------------------------- */
/* Small helpers (own copies, so this file depends only on s2nrs_test.h) */

static const char *err_name(int err)
{
    const char *n = s2n_strerror_name(err);
    return n ? n : "(unknown error)";
}

/* A recorded s2n error must have the given name ("S2N_ERR_..."). */
#define EXPECT_ERR_NAME(err, name)                                                              \
    do {                                                                                        \
        int ch_e_ = (err);                                                                      \
        if (strcmp(err_name(ch_e_), (name)) != 0) {                                             \
            S2NRS_FAIL_AT("%s is %s, expected %s", #err, err_name(ch_e_), (name));              \
            s2nrs_print_s2n_error(ch_e_);                                                       \
        }                                                                                       \
    } while (0)

/* An s2n call that must fail with the named error. */
#define EXPECT_FAILURE_NAMED(call, name)                                                        \
    do {                                                                                        \
        s2n_errno = 0;                                                                          \
        int ch_rc_ = (int) (call);                                                              \
        int ch_e_ = s2n_errno;                                                                  \
        if (ch_rc_ != S2N_FAILURE) {                                                            \
            S2NRS_FAIL_AT("%s returned %d, expected S2N_FAILURE with %s", #call, ch_rc_, (name)); \
        } else if (strcmp(err_name(ch_e_), (name)) != 0) {                                      \
            S2NRS_FAIL_AT("%s failed with %s, expected %s", #call, err_name(ch_e_), (name));    \
            s2nrs_print_s2n_error(ch_e_);                                                       \
        }                                                                                       \
    } while (0)

static char *read_cert(const char *name)
{
    char path[1024];
    snprintf(path, sizeof(path), "%s/%s", S2NRS_CERTS_DIR, name);
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        S2NRS_FAIL_AT("cannot open %s", path);
        return NULL;
    }
    size_t cap = 1 << 16;
    char *buf = malloc(cap + 1);
    size_t n = buf ? fread(buf, 1, cap, f) : 0;
    fclose(f);
    if (buf) {
        buf[n] = '\0';
    }
    return buf;
}

static struct s2n_cert_chain_and_key *load_chain(const char *chain_file, const char *key_file)
{
    char *chain_pem = read_cert(chain_file);
    char *key_pem = read_cert(key_file);
    struct s2n_cert_chain_and_key *ck = s2n_cert_chain_and_key_new();
    EXPECT(ck != NULL);
    if (ck && chain_pem && key_pem) {
        EXPECT_SUCCESS(s2n_cert_chain_and_key_load_pem(ck, chain_pem, key_pem));
    }
    free(chain_pem);
    free(key_pem);
    return ck;
}

/* DER of the leaf of a chain (borrowed), or NULL. */
static const uint8_t *leaf_der(struct s2n_cert_chain_and_key *chain, uint32_t *len)
{
    struct s2n_cert *cert = NULL;
    const uint8_t *der = NULL;
    *len = 0;
    if (s2n_cert_chain_get_cert(chain, &cert, 0) != S2N_SUCCESS || cert == NULL) {
        return NULL;
    }
    if (s2n_cert_get_der(cert, &der, len) != S2N_SUCCESS) {
        return NULL;
    }
    return der;
}

static const char *alpn_list[] = { "h2", "http/1.1" };

static struct s2n_config *server_config(struct s2n_cert_chain_and_key *chain)
{
    struct s2n_config *cfg = s2n_config_new_minimal();
    EXPECT(cfg != NULL);
    if (cfg == NULL) {
        return NULL;
    }
    EXPECT_SUCCESS(s2n_config_set_cipher_preferences(cfg, POLICY));
    EXPECT_SUCCESS(s2n_config_set_max_blinding_delay(cfg, 0));
    EXPECT_SUCCESS(s2n_config_add_cert_chain_and_key_to_store(cfg, chain));
    EXPECT_SUCCESS(s2n_config_set_protocol_preferences(cfg, alpn_list, 2));
    return cfg;
}

static struct s2n_config *client_config(void)
{
    struct s2n_config *cfg = s2n_config_new_minimal();
    EXPECT(cfg != NULL);
    if (cfg == NULL) {
        return NULL;
    }
    EXPECT_SUCCESS(s2n_config_set_cipher_preferences(cfg, POLICY));
    EXPECT_SUCCESS(s2n_config_set_max_blinding_delay(cfg, 0));
    char *ca = read_cert("ca-ecdsa.pem");
    if (ca) {
        EXPECT_SUCCESS(s2n_config_add_pem_to_trust_store(cfg, ca));
    }
    free(ca);
    EXPECT_SUCCESS(s2n_config_set_protocol_preferences(cfg, alpn_list, 2));
    return cfg;
}

struct pair {
    struct s2n_connection *client;
    struct s2n_connection *server;
    int fds[2];
};

static bool pair_init(struct pair *p, struct s2n_config *ccfg, struct s2n_config *scfg, const char *sni)
{
    memset(p, 0, sizeof(*p));
    p->fds[0] = p->fds[1] = -1;
    p->client = s2n_connection_new(S2N_CLIENT);
    p->server = s2n_connection_new(S2N_SERVER);
    EXPECT(p->client != NULL && p->server != NULL);
    if (!p->client || !p->server) {
        return false;
    }
    EXPECT_SUCCESS(s2n_connection_set_config(p->client, ccfg));
    EXPECT_SUCCESS(s2n_connection_set_config(p->server, scfg));
    if (sni) {
        EXPECT_SUCCESS(s2n_set_server_name(p->client, sni));
    }
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, p->fds) != 0) {
        S2NRS_FAIL_AT("socketpair failed");
        return false;
    }
    for (int i = 0; i < 2; i++) {
        fcntl(p->fds[i], F_SETFL, fcntl(p->fds[i], F_GETFL, 0) | O_NONBLOCK);
    }
    EXPECT_SUCCESS(s2n_connection_set_fd(p->client, p->fds[0]));
    EXPECT_SUCCESS(s2n_connection_set_fd(p->server, p->fds[1]));
    return true;
}

static void pair_free(struct pair *p)
{
    if (p->client) {
        EXPECT_SUCCESS(s2n_connection_free(p->client));
    }
    if (p->server) {
        EXPECT_SUCCESS(s2n_connection_free(p->server));
    }
    for (int i = 0; i < 2; i++) {
        if (p->fds[i] >= 0) {
            close(p->fds[i]);
        }
    }
    memset(p, 0, sizeof(*p));
}

/* Result of driving a handshake. */
struct drive {
    bool client_done, server_done;
    int client_err, server_err;       /* non-blocking error that stopped it (0: none) */
    s2n_blocked_status server_blocked; /* the server's last blocked status */
    int server_last_err;              /* the server's last s2n_errno (blocked or not) */
    int app_input_blocks;             /* times the server returned S2N_BLOCKED_ON_APPLICATION_INPUT */
    bool stopped_on_app_input;
};

/* Alternates s2n_negotiate (client, then server) until both finish, one
 * fails with a non-blocking error, or (stop_on_app_input) the server blocks
 * on application input. */
static struct drive drive_pair(struct pair *p, bool stop_on_app_input, int max_rounds)
{
    struct drive d;
    memset(&d, 0, sizeof(d));
    for (int round = 0; round < max_rounds && !(d.client_done && d.server_done); round++) {
        s2n_blocked_status blocked = S2N_NOT_BLOCKED;
        if (!d.client_done) {
            s2n_errno = 0;
            if (s2n_negotiate(p->client, &blocked) == S2N_SUCCESS) {
                d.client_done = true;
            } else if (s2n_error_get_type(s2n_errno) != S2N_ERR_T_BLOCKED) {
                d.client_err = s2n_errno;
                return d;
            }
        }
        if (!d.server_done) {
            blocked = S2N_NOT_BLOCKED;
            s2n_errno = 0;
            if (s2n_negotiate(p->server, &blocked) == S2N_SUCCESS) {
                d.server_done = true;
            } else {
                d.server_last_err = s2n_errno;
                d.server_blocked = blocked;
                if (s2n_error_get_type(s2n_errno) != S2N_ERR_T_BLOCKED) {
                    d.server_err = s2n_errno;
                    return d;
                }
                if (blocked == S2N_BLOCKED_ON_APPLICATION_INPUT) {
                    d.app_input_blocks++;
                    if (stop_on_app_input) {
                        d.stopped_on_app_input = true;
                        return d;
                    }
                }
            }
        }
    }
    return d;
}

static bool expect_done(const struct drive *d, const char *what, int line)
{
    if (d->client_done && d->server_done) {
        return true;
    }
    printf("%s:%d: FAIL: handshake %s did not complete (client %s, server %s)\n", __FILE__, line, what,
            d->client_done ? "done" : (d->client_err ? err_name(d->client_err) : "blocked"),
            d->server_done ? "done" : (d->server_err ? err_name(d->server_err) : "blocked"));
    if (d->client_err) {
        s2nrs_print_s2n_error(d->client_err);
    }
    if (d->server_err) {
        s2nrs_print_s2n_error(d->server_err);
    }
    if (!d->server_done && !d->server_err && d->server_last_err) {
        printf("    server last: %s, blocked=%d\n", err_name(d->server_last_err), (int) d->server_blocked);
    }
    s2nrs_record_failure();
    return false;
}

#define EXPECT_DONE(d, what) expect_done(&(d), (what), __LINE__)

static bool bytes_all_zero(const uint8_t *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (b[i]) {
            return false;
        }
    }
    return true;
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
    const uint8_t *got = leaf_der(peer, &got_len);
    const uint8_t *want = leaf_der(expected, &want_len);
    if (got == NULL || want == NULL || got_len != want_len || memcmp(got, want, got_len) != 0) {
        S2NRS_FAIL_AT("%s: the client's peer leaf (%u bytes) is not the expected leaf (%u bytes)", what, got_len,
                want_len);
    }
    EXPECT_SUCCESS(s2n_cert_chain_and_key_free(peer));
}

/* ------------------------------------------------------------------------- */
/* What a callback saw */

#define RAW_MAX 8192

struct seen {
    int calls;
    /* inspect */
    bool hello_was_available;
    char server_name[256];
    uint16_t server_name_len;
    uint8_t cipher_suites[1024];
    ssize_t cipher_suites_len;
    uint8_t raw[RAW_MAX];
    ssize_t raw_len;
    uint8_t random[32];
    uint32_t session_id_len;
    uint8_t legacy_version;
    int hello_version_in_cb;
    char server_name_via_conn[256];
    /* behaviour */
    int return_value;         /* what the callback returns */
    bool call_done_inside;    /* nonblocking (c) */
    int done_inside_rc;
    int done_inside_err;
    int done_in_blocking_err; /* cb_done called in blocking mode */
    /* config swap */
    struct s2n_config *swap_to;
    const char *swap_for;
    bool swapped;
};

/* Blocking-mode callback that reads everything and checks it. */
static int inspect_cb(struct s2n_connection *conn, void *ctx)
{
    struct seen *s = ctx;
    s->calls++;
    struct s2n_client_hello *ch = s2n_connection_get_client_hello(conn);
    s->hello_was_available = ch != NULL;
    EXPECT(ch != NULL);
    if (ch == NULL) {
        return 0;
    }

    /* server name */
    uint16_t len = 0;
    EXPECT_SUCCESS(s2n_client_hello_get_server_name_length(ch, &len));
    EXPECT_EQ_INT(len, strlen("s2nrs.test"));
    uint16_t out_len = 0;
    memset(s->server_name, 0, sizeof(s->server_name));
    EXPECT_SUCCESS(s2n_client_hello_get_server_name(ch, (uint8_t *) s->server_name, sizeof(s->server_name) - 1, &out_len));
    EXPECT_EQ_INT(out_len, len);
    s->server_name_len = out_len;
    EXPECT_STREQ(s->server_name, "s2nrs.test");
    /* a buffer too small for the name */
    uint8_t small[4];
    EXPECT_FAILURE(s2n_client_hello_get_server_name(ch, small, sizeof(small), &out_len));
    /* s2n_get_server_name works inside the callback too */
    const char *via_conn = s2n_get_server_name(conn);
    snprintf(s->server_name_via_conn, sizeof(s->server_name_via_conn), "%s", via_conn ? via_conn : "(null)");

    /* cipher suites */
    s->cipher_suites_len = s2n_client_hello_get_cipher_suites_length(ch);
    EXPECT(s->cipher_suites_len > 0);
    EXPECT_EQ_INT(s->cipher_suites_len % 2, 0);
    if (s->cipher_suites_len > 0 && s->cipher_suites_len <= (ssize_t) sizeof(s->cipher_suites)) {
        EXPECT_EQ_INT(s2n_client_hello_get_cipher_suites(ch, s->cipher_suites, sizeof(s->cipher_suites)),
                s->cipher_suites_len);
        bool has_aes128_13 = false;
        for (ssize_t i = 0; i + 1 < s->cipher_suites_len; i += 2) {
            has_aes128_13 |= s->cipher_suites[i] == 0x13 && s->cipher_suites[i + 1] == 0x01;
        }
        EXPECT(has_aes128_13); /* TLS_AES_128_GCM_SHA256 */
        /* a short buffer gets the first bytes */
        uint8_t two[2];
        EXPECT_EQ_INT(s2n_client_hello_get_cipher_suites(ch, two, 2), 2);
        EXPECT(memcmp(two, s->cipher_suites, 2) == 0);
    }

    /* extensions */
    bool exists = false;
    EXPECT_SUCCESS(s2n_client_hello_has_extension(ch, S2N_EXTENSION_SERVER_NAME, &exists));
    EXPECT(exists);
    exists = false;
    EXPECT_SUCCESS(s2n_client_hello_has_extension(ch, S2N_EXTENSION_SUPPORTED_VERSIONS, &exists));
    EXPECT(exists);
    exists = false;
    EXPECT_SUCCESS(s2n_client_hello_has_extension(ch, S2N_EXTENSION_SUPPORTED_GROUPS, &exists));
    EXPECT(exists);
    exists = false;
    EXPECT_SUCCESS(s2n_client_hello_has_extension(ch, EXT_KEY_SHARE, &exists));
    EXPECT(exists);
    exists = true;
    EXPECT_SUCCESS(s2n_client_hello_has_extension(ch, 0x7A7A, &exists)); /* nobody sends it */
    EXPECT(!exists);
    exists = true;
    EXPECT_SUCCESS(s2n_client_hello_has_extension(ch, S2N_EXTENSION_CERTIFICATE_TRANSPARENCY, &exists));
    EXPECT(!exists);
    ssize_t ext_total = s2n_client_hello_get_extensions_length(ch);
    EXPECT(ext_total > 0);
    if (ext_total > 0) {
        uint8_t *exts = malloc((size_t) ext_total);
        EXPECT_EQ_INT(s2n_client_hello_get_extensions(ch, exts, (uint32_t) ext_total), ext_total);
        free(exts);
    }

    /* ALPN: exactly the client's list, "h2", "http/1.1" */
    static const uint8_t want_alpn[] = { 0x00, 0x0c, 0x02, 'h', '2', 0x08, 'h', 't', 't', 'p', '/', '1', '.', '1' };
    EXPECT_EQ_INT(s2n_client_hello_get_extension_length(ch, S2N_EXTENSION_ALPN), sizeof(want_alpn));
    uint8_t alpn[64] = { 0 };
    ssize_t alpn_len = s2n_client_hello_get_extension_by_id(ch, S2N_EXTENSION_ALPN, alpn, sizeof(alpn));
    EXPECT_EQ_INT(alpn_len, sizeof(want_alpn));
    if (alpn_len == (ssize_t) sizeof(want_alpn) && memcmp(alpn, want_alpn, sizeof(want_alpn)) != 0) {
        S2NRS_FAIL_AT("the ALPN extension is not 00 0c 02 'h2' 08 'http/1.1'");
    }
    /* an absent extension: 0 bytes */
    EXPECT_EQ_INT(s2n_client_hello_get_extension_length(ch, S2N_EXTENSION_CERTIFICATE_TRANSPARENCY), 0);
    EXPECT_EQ_INT(s2n_client_hello_get_extension_by_id(ch, S2N_EXTENSION_CERTIFICATE_TRANSPARENCY, alpn, sizeof(alpn)),
            0);

    /* session id: 32 bytes (TLS1.3 middlebox compatibility mode) */
    EXPECT_SUCCESS(s2n_client_hello_get_session_id_length(ch, &s->session_id_len));
    EXPECT_EQ_INT(s->session_id_len, 32);
    uint8_t sid[32] = { 0 };
    uint32_t sid_len = 0;
    EXPECT_SUCCESS(s2n_client_hello_get_session_id(ch, sid, &sid_len, sizeof(sid)));
    EXPECT_EQ_INT(sid_len, 32);
    EXPECT(!bytes_all_zero(sid, sizeof(sid)));

    /* compression methods: just "null" */
    uint32_t comp_len = 0;
    EXPECT_SUCCESS(s2n_client_hello_get_compression_methods_length(ch, &comp_len));
    EXPECT_EQ_INT(comp_len, 1);
    uint8_t comp[4] = { 0xff };
    uint32_t comp_out = 0;
    EXPECT_SUCCESS(s2n_client_hello_get_compression_methods(ch, comp, sizeof(comp), &comp_out));
    EXPECT_EQ_INT(comp_out, 1);
    EXPECT_EQ_INT(comp[0], 0);

    /* supported groups: non-empty, the count matches the extension length */
    uint16_t groups[64];
    uint16_t ngroups = 0;
    EXPECT_SUCCESS(s2n_client_hello_get_supported_groups(ch, groups, 64, &ngroups));
    EXPECT(ngroups > 0);
    ssize_t groups_ext_len = s2n_client_hello_get_extension_length(ch, S2N_EXTENSION_SUPPORTED_GROUPS);
    EXPECT_EQ_INT(groups_ext_len, 2 + 2 * (ssize_t) ngroups);
    bool has_x25519_or_p256 = false;
    for (int i = 0; i < ngroups; i++) {
        has_x25519_or_p256 |= groups[i] == 29 || groups[i] == 23;
    }
    EXPECT(has_x25519_or_p256);
    if (ngroups > 1) {
        uint16_t one[1];
        uint16_t n1 = 99;
        /* too small an array is an error */
        EXPECT_FAILURE(s2n_client_hello_get_supported_groups(ch, one, 1, &n1));
    }

    /* versions */
    s->legacy_version = 0;
    EXPECT_SUCCESS(s2n_client_hello_get_legacy_protocol_version(ch, &s->legacy_version));
    EXPECT_EQ_INT(s->legacy_version, S2N_TLS12);
    uint8_t record_version = 0;
    EXPECT_SUCCESS(s2n_client_hello_get_legacy_record_version(ch, &record_version));
    EXPECT_EQ_INT(record_version, S2N_TLS10);
    s->hello_version_in_cb = s2n_connection_get_client_hello_version(conn);
    EXPECT_EQ_INT(s->hello_version_in_cb, S2N_TLS12);

    /* random: 32 bytes, not all zero */
    EXPECT_SUCCESS(s2n_client_hello_get_random(ch, s->random, sizeof(s->random)));
    EXPECT(!bytes_all_zero(s->random, sizeof(s->random)));

    /* raw message: no handshake header; starts with legacy_version 03 03, random zeroed */
    s->raw_len = s2n_client_hello_get_raw_message_length(ch);
    EXPECT(s->raw_len > 0);
    if (s->raw_len > 0 && s->raw_len <= RAW_MAX) {
        EXPECT_EQ_INT(s2n_client_hello_get_raw_message(ch, s->raw, RAW_MAX), s->raw_len);
        EXPECT_EQ_INT(s->raw[0], 0x03);
        EXPECT_EQ_INT(s->raw[1], 0x03);
        EXPECT(s->raw_len > 35 && bytes_all_zero(s->raw + 2, 32));
        /* then the session id */
        if (s->raw_len > 35) {
            EXPECT_EQ_INT(s->raw[34], 32);
        }
        /* a short buffer: the first bytes */
        uint8_t head[4] = { 0 };
        EXPECT_EQ_INT(s2n_client_hello_get_raw_message(ch, head, sizeof(head)), 4);
        EXPECT(memcmp(head, s->raw, 4) == 0);
    }

    /* the connection's hello is not the application's to free */
    struct s2n_client_hello *borrowed = ch;
    EXPECT_FAILURE(s2n_client_hello_free(&borrowed));
    EXPECT(borrowed == ch);
    EXPECT(s2n_connection_get_client_hello(conn) == ch);

    /* blocking mode: s2n_client_hello_cb_done is a usage error */
    s2n_errno = 0;
    if (s2n_client_hello_cb_done(conn) == S2N_SUCCESS) {
        S2NRS_FAIL_AT("s2n_client_hello_cb_done succeeded in blocking mode inside the callback");
    } else {
        s->done_in_blocking_err = s2n_errno;
    }
    return s->return_value;
}

static void test_inspect(struct s2n_cert_chain_and_key *chain_a)
{
    printf("== inspect (blocking-mode callback)\n");
    struct seen s;
    memset(&s, 0, sizeof(s));
    struct s2n_config *scfg = server_config(chain_a);
    struct s2n_config *ccfg = client_config();
    EXPECT_SUCCESS(s2n_config_set_client_hello_cb(scfg, inspect_cb, &s));

    struct pair p;
    if (pair_init(&p, ccfg, scfg, "s2nrs.test")) {
        /* before any ClientHello arrived */
        EXPECT(s2n_connection_get_client_hello(p.server) == NULL);
        /* s2n_client_hello_cb_done: blocking mode is checked first */
        EXPECT_FAILURE_NAMED(s2n_client_hello_cb_done(p.server), "S2N_ERR_INVALID_STATE");

        /* the client sent its ClientHello, the server has not read it yet */
        s2n_blocked_status blocked = S2N_NOT_BLOCKED;
        s2n_errno = 0;
        EXPECT_EQ_INT(s2n_negotiate(p.client, &blocked), S2N_FAILURE);
        EXPECT_EQ_INT(s2n_error_get_type(s2n_errno), S2N_ERR_T_BLOCKED);
        EXPECT_EQ_INT(blocked, S2N_BLOCKED_ON_READ);
        EXPECT(s2n_connection_get_client_hello(p.server) == NULL);
        EXPECT_EQ_INT(s.calls, 0);

        struct drive d = drive_pair(&p, false, 200);
        if (EXPECT_DONE(d, "inspect")) {
            EXPECT_EQ_INT(s.calls, 1);
            EXPECT(s.hello_was_available);
            EXPECT_ERR_NAME(s.done_in_blocking_err, "S2N_ERR_INVALID_STATE");
            EXPECT_STREQ(s.server_name_via_conn, "s2nrs.test");
            EXPECT_STREQ(s2n_get_server_name(p.server), "s2nrs.test");
            EXPECT_STREQ(s2n_get_application_protocol(p.server), "h2");
            EXPECT_STREQ(s2n_get_application_protocol(p.client), "h2");
            EXPECT_EQ_INT(s2n_connection_get_client_hello_version(p.server), S2N_TLS12);
            EXPECT_EQ_INT(s2n_connection_get_client_protocol_version(p.server), S2N_TLS13);
            EXPECT_EQ_INT(s2n_connection_get_actual_protocol_version(p.server), S2N_TLS13);
            EXPECT_EQ_INT(s2n_connection_get_actual_protocol_version(p.client), S2N_TLS13);
            /* after the handshake the hello is still there, unchanged */
            struct s2n_client_hello *ch = s2n_connection_get_client_hello(p.server);
            EXPECT(ch != NULL);
            if (ch) {
                EXPECT_EQ_INT(s2n_client_hello_get_raw_message_length(ch), s.raw_len);
                uint8_t random[32];
                EXPECT_SUCCESS(s2n_client_hello_get_random(ch, random, sizeof(random)));
                EXPECT(memcmp(random, s.random, 32) == 0);
            }
            /* blocking mode after the callback ran: still a usage error */
            EXPECT_FAILURE_NAMED(s2n_client_hello_cb_done(p.server), "S2N_ERR_INVALID_STATE");
            printf("  server name %s, %zd cipher suite bytes, session id %u bytes, raw %zd bytes\n", s.server_name,
                    s.cipher_suites_len, s.session_id_len, s.raw_len);
        }
    }
    pair_free(&p);

    /* ------------------------------------------------------------------ */
    printf("== parse (s2n_client_hello_parse_message on the copied raw message)\n");
    if (s.raw_len > 0 && s.raw_len <= RAW_MAX) {
        uint32_t n = (uint32_t) s.raw_len;
        uint8_t *msg = malloc(n + 4);
        msg[0] = 1; /* client_hello */
        msg[1] = (uint8_t) (n >> 16);
        msg[2] = (uint8_t) (n >> 8);
        msg[3] = (uint8_t) n;
        memcpy(msg + 4, s.raw, n);

        struct s2n_client_hello *parsed = s2n_client_hello_parse_message(msg, n + 4);
        if (parsed == NULL) {
            S2NRS_FAIL_AT("s2n_client_hello_parse_message failed on a %u-byte ClientHello", n + 4);
            s2nrs_print_s2n_error(s2n_errno);
        } else {
            EXPECT_EQ_INT(s2n_client_hello_get_cipher_suites_length(parsed), s.cipher_suites_len);
            uint8_t suites[1024];
            ssize_t got = s2n_client_hello_get_cipher_suites(parsed, suites, sizeof(suites));
            EXPECT_EQ_INT(got, s.cipher_suites_len);
            EXPECT(got == s.cipher_suites_len && got > 0 && memcmp(suites, s.cipher_suites, (size_t) got) == 0);
            char name[256] = { 0 };
            uint16_t name_len = 0;
            EXPECT_SUCCESS(s2n_client_hello_get_server_name(parsed, (uint8_t *) name, sizeof(name) - 1, &name_len));
            EXPECT_STREQ(name, "s2nrs.test");
            uint32_t sid_len = 0;
            EXPECT_SUCCESS(s2n_client_hello_get_session_id_length(parsed, &sid_len));
            EXPECT_EQ_INT(sid_len, 32);
            uint8_t legacy = 0;
            EXPECT_SUCCESS(s2n_client_hello_get_legacy_protocol_version(parsed, &legacy));
            EXPECT_EQ_INT(legacy, S2N_TLS12);
            bool exists = false;
            EXPECT_SUCCESS(s2n_client_hello_has_extension(parsed, S2N_EXTENSION_SUPPORTED_VERSIONS, &exists));
            EXPECT(exists);
            uint16_t groups[64];
            uint16_t ngroups = 0;
            EXPECT_SUCCESS(s2n_client_hello_get_supported_groups(parsed, groups, 64, &ngroups));
            EXPECT(ngroups > 0);
            /* the raw message of the parsed hello is what we gave it (header excluded) */
            EXPECT_EQ_INT(s2n_client_hello_get_raw_message_length(parsed), s.raw_len);
            /* the random was zeroed in the bytes we gave it */
            uint8_t random[32] = { 1 };
            EXPECT_SUCCESS(s2n_client_hello_get_random(parsed, random, sizeof(random)));
            EXPECT(bytes_all_zero(random, sizeof(random)));

            EXPECT_SUCCESS(s2n_client_hello_free(&parsed));
            EXPECT(parsed == NULL);
            /* freeing NULL again is a no-op */
            EXPECT_SUCCESS(s2n_client_hello_free(&parsed));
        }

        /* without the handshake header it is not a ClientHello (type 3) */
        s2n_errno = 0;
        struct s2n_client_hello *bad = s2n_client_hello_parse_message(s.raw, n);
        EXPECT(bad == NULL);
        if (bad) {
            s2n_client_hello_free(&bad);
        } else {
            EXPECT(s2n_errno != 0);
        }
        /* truncated */
        s2n_errno = 0;
        bad = s2n_client_hello_parse_message(msg, n / 2);
        EXPECT(bad == NULL);
        if (bad) {
            s2n_client_hello_free(&bad);
        } else {
            EXPECT(s2n_errno != 0);
        }
        free(msg);
    } else {
        S2NRS_FAIL_AT("no raw message was captured (raw_len %zd)", s.raw_len);
    }

    EXPECT_SUCCESS(s2n_config_free(scfg));
    EXPECT_SUCCESS(s2n_config_free(ccfg));
}

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

    struct pair p;
    if (pair_init(&p, ccfg, a, "other.test")) {
        struct drive d = drive_pair(&p, false, 200);
        if (EXPECT_DONE(d, "SNI other.test")) {
            EXPECT_EQ_INT(s.calls, 1);
            EXPECT(s.swapped);
            EXPECT_STREQ(s.server_name, "other.test");
            EXPECT_STREQ(s2n_get_server_name(p.server), "other.test");
            expect_peer_leaf(p.client, chain_b, "SNI other.test");
            /* the server reports the config it was switched to ... */
            EXPECT_STREQ(s2n_get_application_protocol(p.client), "h2");
        }
    }
    pair_free(&p);

    memset(&s, 0, sizeof(s));
    s.swap_to = b;
    s.swap_for = "other.test";
    if (pair_init(&p, ccfg, a, "s2nrs.test")) {
        struct drive d = drive_pair(&p, false, 200);
        if (EXPECT_DONE(d, "SNI s2nrs.test")) {
            EXPECT_EQ_INT(s.calls, 1);
            EXPECT(!s.swapped);
            EXPECT_STREQ(s.server_name, "s2nrs.test");
            expect_peer_leaf(p.client, chain_a, "SNI s2nrs.test");
        }
    }
    pair_free(&p);

    /* other.test against config A alone (no callback): the client rejects
     * server-ecdsa's certificate for that name */
    struct s2n_config *a_plain = server_config(chain_a);
    if (pair_init(&p, ccfg, a_plain, "other.test")) {
        struct drive d = drive_pair(&p, false, 200);
        EXPECT(!(d.client_done && d.server_done));
        EXPECT(d.client_err != 0);
        if (d.client_err) {
            printf("  without the swap the client fails with %s (as expected)\n", err_name(d.client_err));
        }
    }
    pair_free(&p);

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

    struct pair p;
    if (pair_init(&p, ccfg, scfg, "s2nrs.test")) {
        struct drive d = drive_pair(&p, false, 200);
        EXPECT(!d.server_done);
        EXPECT(d.server_err != 0);
        EXPECT_ERR_NAME(d.server_err, "S2N_ERR_CANCELLED");
        EXPECT_EQ_INT(s.calls, 1);
        if (d.server_err) {
            printf("  server: %s (type %d)\n", err_name(d.server_err), s2n_error_get_type(d.server_err));
            /* s2n queues the handshake_failure alert; s2n_shutdown sends it */
            s2n_blocked_status sblocked = S2N_NOT_BLOCKED;
            s2n_errno = 0;
            int src = s2n_shutdown(p.server, &sblocked);
            printf("  server s2n_shutdown: %d %s blocked=%d\n", src, src ? err_name(s2n_errno) : "", (int) sblocked);
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
                printf("  client: %s (type %d), alert %d\n", err_name(cerr), s2n_error_get_type(cerr),
                        s2n_connection_get_alert(p.client));
                EXPECT_EQ_INT(s2n_error_get_type(cerr), S2N_ERR_T_ALERT);
                EXPECT_ERR_NAME(cerr, "S2N_ERR_ALERT");
                EXPECT_EQ_INT(s2n_connection_get_alert(p.client), 40); /* handshake_failure */
            }
            /* the server stays failed */
            s2n_blocked_status blocked = S2N_NOT_BLOCKED;
            EXPECT_EQ_INT(s2n_negotiate(p.server, &blocked), S2N_FAILURE);
            EXPECT_EQ_INT(s.calls, 1);
        }
    }
    pair_free(&p);
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
static bool reach_pause(struct pair *p, struct seen *s)
{
    struct drive d = drive_pair(p, true, 200);
    if (!d.stopped_on_app_input) {
        S2NRS_FAIL_AT("the server did not block on application input (client %s, server %s, last %s blocked=%d)",
                d.client_done ? "done" : err_name(d.client_err), d.server_done ? "done" : err_name(d.server_err),
                err_name(d.server_last_err), (int) d.server_blocked);
        return false;
    }
    EXPECT_EQ_INT(s2n_error_get_type(d.server_last_err), S2N_ERR_T_BLOCKED);
    EXPECT_ERR_NAME(d.server_last_err, "S2N_ERR_ASYNC_BLOCKED");
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

static void check_completed(struct pair *p, struct seen *s)
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
    struct pair p;

    /* (a) s2n_client_hello_cb_done later on the same thread */
    printf("== nonblocking_same_thread\n");
    memset(&s, 0, sizeof(s));
    if (pair_init(&p, ccfg, scfg, "s2nrs.test")) {
        /* before the callback ran */
        EXPECT_FAILURE_NAMED(s2n_client_hello_cb_done(p.server), "S2N_ERR_ASYNC_NOT_PERFORMED");
        if (reach_pause(&p, &s)) {
            EXPECT_SUCCESS(s2n_client_hello_cb_done(p.server));
            struct drive d = drive_pair(&p, false, 200);
            if (EXPECT_DONE(d, "non-blocking, done on the same thread")) {
                EXPECT_EQ_INT(d.app_input_blocks, 0);
                check_completed(&p, &s);
            }
        }
    }
    pair_free(&p);

    /* (b) another thread calls s2n_client_hello_cb_done while we poll */
    printf("== nonblocking_other_thread\n");
    memset(&s, 0, sizeof(s));
    if (pair_init(&p, ccfg, scfg, "s2nrs.test")) {
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
                    S2NRS_FAIL_AT("s2n_negotiate failed while paused: %s", err_name(err));
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
            struct drive d = drive_pair(&p, false, 200);
            if (EXPECT_DONE(d, "non-blocking, done on another thread")) {
                EXPECT_EQ_INT(d.app_input_blocks, 0);
                check_completed(&p, &s);
            }
        }
    }
    pair_free(&p);

    /* (c) s2n_client_hello_cb_done inside the callback: no pause at all */
    printf("== nonblocking_done_inside\n");
    memset(&s, 0, sizeof(s));
    s.call_done_inside = true;
    s.done_inside_rc = -2;
    if (pair_init(&p, ccfg, scfg, "s2nrs.test")) {
        struct drive d = drive_pair(&p, false, 200);
        if (EXPECT_DONE(d, "non-blocking, done inside the callback")) {
            EXPECT_EQ_INT(d.app_input_blocks, 0);
            EXPECT_EQ_INT(s.done_inside_rc, S2N_SUCCESS);
            if (s.done_inside_rc != S2N_SUCCESS) {
                s2nrs_print_s2n_error(s.done_inside_err);
            }
            check_completed(&p, &s);
        }
    }
    pair_free(&p);

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
    EXPECT_FAILURE_NAMED(s2n_client_hello_cb_done(conn), "S2N_ERR_INVALID_STATE");
    EXPECT(s2n_connection_get_client_hello(conn) == NULL);
    EXPECT_SUCCESS(s2n_connection_free(conn));

    /* non-blocking mode, before any callback ran */
    struct s2n_config *nonblocking = server_config(chain_a);
    EXPECT_SUCCESS(s2n_config_set_client_hello_cb(nonblocking, noop_cb, NULL));
    EXPECT_SUCCESS(s2n_config_set_client_hello_cb_mode(nonblocking, S2N_CLIENT_HELLO_CB_NONBLOCKING));
    conn = s2n_connection_new(S2N_SERVER);
    EXPECT(conn != NULL);
    EXPECT_SUCCESS(s2n_connection_set_config(conn, nonblocking));
    EXPECT_FAILURE_NAMED(s2n_client_hello_cb_done(conn), "S2N_ERR_ASYNC_NOT_PERFORMED");
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
    setvbuf(stdout, NULL, _IOLBF, 0);
    signal(SIGPIPE, SIG_IGN);
    alarm(120);
    if (s2n_init() != S2N_SUCCESS) {
        printf("s2n_init failed: %s\n", err_name(s2n_errno));
        return 1;
    }
    struct s2n_cert_chain_and_key *chain_a = load_chain("server-ecdsa-chain.pem", "server-ecdsa-key.pem");
    struct s2n_cert_chain_and_key *chain_b = load_chain("other-ecdsa-chain.pem", "other-ecdsa-key.pem");

    test_inspect(chain_a);
    test_config_swap(chain_a, chain_b);
    test_cb_failure(chain_a, S2N_CLIENT_HELLO_CB_BLOCKING);
    test_cb_failure(chain_a, S2N_CLIENT_HELLO_CB_NONBLOCKING);
    test_nonblocking(chain_a);
    test_cb_done_errors(chain_a);

    EXPECT_SUCCESS(s2n_cert_chain_and_key_free(chain_a));
    EXPECT_SUCCESS(s2n_cert_chain_and_key_free(chain_b));
    EXPECT_SUCCESS(s2n_cleanup_final());
    return S2NRS_TEST_RESULT();
}
