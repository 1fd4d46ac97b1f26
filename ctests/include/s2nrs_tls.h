/*
 * Shared harness for the self-talk ctests (ctests/selftalk_*.c): a client and
 * a server connection of the library under test talking to each other through
 * the public s2n API only (so the tests also build against s2n-tls).
 *
 *   s2nrs_tls_setup()          s2n_init, SIGPIPE ignored, alarm() backstop
 *   s2nrs_read_cert(name)      a file of S2NRS_CERTS_DIR (malloc'd, NUL-terminated)
 *   s2nrs_load_chain(c, k)     an s2n_cert_chain_and_key from two PEM files
 *   s2nrs_server_config(...)   s2n_config_new_minimal + chains + policy
 *   s2nrs_client_config(...)   s2n_config_new_minimal + trust store + policy
 *   s2nrs_socketpair(...)      AF_UNIX stream pair, optionally O_NONBLOCK
 *   s2nrs_pair_*               a client+server connection pair on a socketpair
 *   s2nrs_negotiate_pair(...)  alternate s2n_negotiate until both finish or one
 *                              fails with a non-blocking error (bounded rounds)
 *   s2nrs_pipe / s2nrs_mem_*   custom s2n_recv_fn/s2n_send_fn over in-memory
 *                              buffers that move at most N bytes per call and
 *                              report EAGAIN when empty/full
 *
 * Every config made here has max blinding delay 0, so failures never sleep.
 *
 * A part of a test that needs a feature the library reports as
 * S2N_ERR_UNIMPLEMENTED calls s2nrs_skip_part(); S2NRS_TLS_RESULT() then
 * exits 77 (skipped) if nothing failed.
 */
#pragma once

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <s2n.h>

#include "errors_table.h"
#include "s2nrs_test.h"

#ifndef S2NRS_CERTS_DIR
    #error "S2NRS_CERTS_DIR must be defined (the tests/certs directory)"
#endif

/* ------------------------------------------------------------------------- */
/* Errors */

static inline const char *s2nrs_err_name(int err)
{
    const char *name = s2n_strerror_name(err);
    return name ? name : "(unknown error)";
}

static inline const char *s2nrs_err_type_name(int type)
{
    switch (type) {
        case S2N_ERR_T_OK: return "S2N_ERR_T_OK";
        case S2N_ERR_T_IO: return "S2N_ERR_T_IO";
        case S2N_ERR_T_CLOSED: return "S2N_ERR_T_CLOSED";
        case S2N_ERR_T_BLOCKED: return "S2N_ERR_T_BLOCKED";
        case S2N_ERR_T_ALERT: return "S2N_ERR_T_ALERT";
        case S2N_ERR_T_PROTO: return "S2N_ERR_T_PROTO";
        case S2N_ERR_T_INTERNAL: return "S2N_ERR_T_INTERNAL";
        case S2N_ERR_T_USAGE: return "S2N_ERR_T_USAGE";
        default: return "(unknown type)";
    }
}

/* A recorded s2n error value must be the given code (S2NRS_E_*). */
#define EXPECT_ERR(err, code)                                                                   \
    do {                                                                                        \
        int s2nrs_ee_ = (err);                                                                  \
        if (s2nrs_ee_ != (code)) {                                                              \
            S2NRS_FAIL_AT("%s is %d (%s), expected %s (%s)", #err, s2nrs_ee_,                   \
                    s2nrs_err_name(s2nrs_ee_), #code, s2nrs_err_name(code));                    \
            s2nrs_print_s2n_error(s2nrs_ee_);                                                   \
        }                                                                                       \
    } while (0)

/* A recorded s2n error value must be of the given type (S2N_ERR_T_*). */
#define EXPECT_ERR_TYPE(err, type)                                                              \
    do {                                                                                        \
        int s2nrs_ee_ = (err);                                                                  \
        if (s2n_error_get_type(s2nrs_ee_) != (type)) {                                          \
            S2NRS_FAIL_AT("%s is %d (%s, %s), expected type %s", #err, s2nrs_ee_,               \
                    s2nrs_err_name(s2nrs_ee_), s2nrs_err_type_name(s2n_error_get_type(s2nrs_ee_)), \
                    #type);                                                                     \
            s2nrs_print_s2n_error(s2nrs_ee_);                                                   \
        }                                                                                       \
    } while (0)

/* ------------------------------------------------------------------------- */
/* Skipped parts (S2N_ERR_UNIMPLEMENTED) */

static int s2nrs_skipped_parts;

static inline void s2nrs_skip_part(const char *part, const char *why)
{
    __atomic_fetch_add(&s2nrs_skipped_parts, 1, __ATOMIC_SEQ_CST);
    printf("SKIP %s: %s\n", part, why);
    fflush(stdout);
}

/* True (and the part is recorded as skipped) if err is S2N_ERR_UNIMPLEMENTED. */
static inline bool s2nrs_unimplemented(int err, const char *part)
{
    if (err != S2NRS_E_UNIMPLEMENTED) {
        return false;
    }
    char why[512];
    snprintf(why, sizeof(why), "the library reports S2N_ERR_UNIMPLEMENTED (%s)",
            s2nrs_safe_str(s2n_strerror_debug(err, "EN")));
    s2nrs_skip_part(part, why);
    return true;
}

/* The result of an s2n call that turns on a feature a part of a test needs:
 * true on success; S2N_ERR_UNIMPLEMENTED skips the part (false, no failure);
 * any other failure is a test failure (false). */
static inline bool s2nrs_feature_check(int rc, const char *expr, const char *part, const char *file, int line)
{
    int err = s2n_errno;
    if (rc == S2N_SUCCESS) {
        return true;
    }
    if (s2nrs_unimplemented(err, part)) {
        return false;
    }
    printf("%s:%d: FAIL: %s returned %d, expected S2N_SUCCESS\n", file, line, expr, rc);
    s2nrs_record_failure();
    s2nrs_print_s2n_error(err);
    return false;
}

#define EXPECT_SUCCESS_OR_SKIP(call, part) s2nrs_feature_check((int) (call), #call, (part), __FILE__, __LINE__)

#define S2NRS_TLS_RESULT() s2nrs_tls_result(__FILE__)

static inline int s2nrs_tls_result(const char *file)
{
    int rc = s2nrs_test_result(file);
    if (rc == 0 && __atomic_load_n(&s2nrs_skipped_parts, __ATOMIC_SEQ_CST) > 0) {
        printf("%s: %d part(s) skipped (see SKIP lines), exit 77\n", file, s2nrs_skipped_parts);
        return S2NRS_SKIP;
    }
    return rc;
}

/* ------------------------------------------------------------------------- */
/* Setup */

/* s2n_init, SIGPIPE ignored (s2n does not handle it), and an alarm() backstop
 * so that a hang ends the test instead of waiting for ctest's timeout. */
static inline void s2nrs_tls_setup(unsigned alarm_seconds)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    signal(SIGPIPE, SIG_IGN);
    if (alarm_seconds) {
        alarm(alarm_seconds);
    }
    if (s2n_init() != S2N_SUCCESS) {
        printf("s2n_init failed: %s\n", s2nrs_err_name(s2n_errno));
        exit(1);
    }
}

static inline void s2nrs_tls_teardown(void)
{
    EXPECT_SUCCESS(s2n_cleanup_final());
}

/* ------------------------------------------------------------------------- */
/* Certificates */

/* The contents of S2NRS_CERTS_DIR/name, NUL-terminated (free() it), or NULL. */
static inline char *s2nrs_read_file(const char *path, size_t *len_out)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        S2NRS_FAIL_AT("cannot open %s: %s", path, strerror(errno));
        return NULL;
    }
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap + 1);
    size_t n;
    while (buf && (n = fread(buf + len, 1, cap - len, f)) > 0) {
        len += n;
        if (len == cap) {
            cap *= 2;
            char *bigger = realloc(buf, cap + 1);
            if (bigger == NULL) {
                free(buf);
                buf = NULL;
            }
            buf = bigger;
        }
    }
    fclose(f);
    if (buf == NULL) {
        S2NRS_FAIL_AT("out of memory reading %s", path);
        return NULL;
    }
    buf[len] = '\0';
    if (len_out) {
        *len_out = len;
    }
    return buf;
}

static inline char *s2nrs_read_cert(const char *name)
{
    char path[1024];
    snprintf(path, sizeof(path), "%s/%s", S2NRS_CERTS_DIR, name);
    return s2nrs_read_file(path, NULL);
}

/* An s2n_cert_chain_and_key loaded from two files of S2NRS_CERTS_DIR. */
static inline struct s2n_cert_chain_and_key *s2nrs_load_chain(const char *chain_file, const char *key_file)
{
    char *chain_pem = s2nrs_read_cert(chain_file);
    char *key_pem = s2nrs_read_cert(key_file);
    struct s2n_cert_chain_and_key *chain = s2n_cert_chain_and_key_new();
    EXPECT(chain != NULL);
    if (chain && chain_pem && key_pem) {
        if (s2n_cert_chain_and_key_load_pem(chain, chain_pem, key_pem) != S2N_SUCCESS) {
            S2NRS_FAIL_AT("s2n_cert_chain_and_key_load_pem(%s, %s) failed", chain_file, key_file);
            s2nrs_print_s2n_error(s2n_errno);
        }
    }
    free(chain_pem);
    free(key_pem);
    return chain;
}

/* The DER of certificate `index` of a chain (borrowed), or NULL. */
static inline const uint8_t *s2nrs_chain_cert_der(struct s2n_cert_chain_and_key *chain, uint32_t index,
        uint32_t *len)
{
    struct s2n_cert *cert = NULL;
    const uint8_t *der = NULL;
    *len = 0;
    if (s2n_cert_chain_get_cert(chain, &cert, index) != S2N_SUCCESS || cert == NULL) {
        return NULL;
    }
    if (s2n_cert_get_der(cert, &der, len) != S2N_SUCCESS) {
        return NULL;
    }
    return der;
}

/* ------------------------------------------------------------------------- */
/* Configs */

static inline void s2nrs_set_policy(struct s2n_config *config, const char *policy)
{
    if (policy && s2n_config_set_cipher_preferences(config, policy) != S2N_SUCCESS) {
        S2NRS_FAIL_AT("s2n_config_set_cipher_preferences(\"%s\") failed", policy);
        s2nrs_print_s2n_error(s2n_errno);
    }
}

/* A server config: s2n_config_new_minimal, the chains (first = default),
 * the policy (NULL: the library default) and no blinding delay. */
static inline struct s2n_config *s2nrs_server_config(const char *policy,
        struct s2n_cert_chain_and_key *const *chains, int chain_count)
{
    struct s2n_config *config = s2n_config_new_minimal();
    EXPECT(config != NULL);
    if (config == NULL) {
        return NULL;
    }
    EXPECT_SUCCESS(s2n_config_set_max_blinding_delay(config, 0));
    for (int i = 0; i < chain_count; i++) {
        EXPECT_SUCCESS(s2n_config_add_cert_chain_and_key_to_store(config, chains[i]));
    }
    s2nrs_set_policy(config, policy);
    return config;
}

/* A client config trusting the PEM file ca_file of S2NRS_CERTS_DIR (NULL:
 * x509 verification disabled), with the policy (NULL: default). */
static inline struct s2n_config *s2nrs_client_config(const char *policy, const char *ca_file)
{
    struct s2n_config *config = s2n_config_new_minimal();
    EXPECT(config != NULL);
    if (config == NULL) {
        return NULL;
    }
    EXPECT_SUCCESS(s2n_config_set_max_blinding_delay(config, 0));
    if (ca_file) {
        char *ca = s2nrs_read_cert(ca_file);
        if (ca) {
            EXPECT_SUCCESS(s2n_config_add_pem_to_trust_store(config, ca));
        }
        free(ca);
    } else {
        EXPECT_SUCCESS(s2n_config_disable_x509_verification(config));
    }
    s2nrs_set_policy(config, policy);
    return config;
}

static inline void s2nrs_add_trust(struct s2n_config *config, const char *ca_file)
{
    char *ca = s2nrs_read_cert(ca_file);
    if (ca) {
        EXPECT_SUCCESS(s2n_config_add_pem_to_trust_store(config, ca));
    }
    free(ca);
}

/* ------------------------------------------------------------------------- */
/* Sockets */

/* fds[0] for the client, fds[1] for the server. */
static inline int s2nrs_socketpair(int fds[2], bool nonblocking)
{
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, fds) != 0) {
        S2NRS_FAIL_AT("socketpair: %s", strerror(errno));
        fds[0] = fds[1] = -1;
        return -1;
    }
    if (nonblocking) {
        for (int i = 0; i < 2; i++) {
            int flags = fcntl(fds[i], F_GETFL, 0);
            if (flags < 0 || fcntl(fds[i], F_SETFL, flags | O_NONBLOCK) != 0) {
                S2NRS_FAIL_AT("fcntl(O_NONBLOCK): %s", strerror(errno));
                return -1;
            }
        }
    }
    return 0;
}

/* ------------------------------------------------------------------------- */
/* A client and a server connection over a socketpair */

struct s2nrs_pair {
    struct s2n_connection *client;
    struct s2n_connection *server;
    int fds[2]; /* [0] client end, [1] server end; -1 once closed */
};

/* New connections with the configs, on a (nonblocking unless told) socketpair;
 * server_name (may be NULL) is set on the client. */
static inline int s2nrs_pair_init_ex(struct s2nrs_pair *p, struct s2n_config *client_config,
        struct s2n_config *server_config, const char *server_name, bool nonblocking)
{
    memset(p, 0, sizeof(*p));
    p->fds[0] = p->fds[1] = -1;
    p->client = s2n_connection_new(S2N_CLIENT);
    p->server = s2n_connection_new(S2N_SERVER);
    EXPECT(p->client != NULL);
    EXPECT(p->server != NULL);
    if (!p->client || !p->server) {
        return -1;
    }
    EXPECT_SUCCESS(s2n_connection_set_config(p->client, client_config));
    EXPECT_SUCCESS(s2n_connection_set_config(p->server, server_config));
    if (server_name) {
        EXPECT_SUCCESS(s2n_set_server_name(p->client, server_name));
    }
    if (s2nrs_socketpair(p->fds, nonblocking) != 0) {
        return -1;
    }
    EXPECT_SUCCESS(s2n_connection_set_fd(p->client, p->fds[0]));
    EXPECT_SUCCESS(s2n_connection_set_fd(p->server, p->fds[1]));
    return 0;
}

static inline int s2nrs_pair_init(struct s2nrs_pair *p, struct s2n_config *client_config,
        struct s2n_config *server_config, const char *server_name)
{
    return s2nrs_pair_init_ex(p, client_config, server_config, server_name, true);
}

static inline void s2nrs_pair_close_fds(struct s2nrs_pair *p)
{
    for (int i = 0; i < 2; i++) {
        if (p->fds[i] >= 0) {
            close(p->fds[i]);
            p->fds[i] = -1;
        }
    }
}

static inline void s2nrs_pair_free(struct s2nrs_pair *p)
{
    if (p->client) {
        EXPECT_SUCCESS(s2n_connection_free(p->client));
    }
    if (p->server) {
        EXPECT_SUCCESS(s2n_connection_free(p->server));
    }
    p->client = p->server = NULL;
    s2nrs_pair_close_fds(p);
}

/* ------------------------------------------------------------------------- */
/* Handshake driver */

enum s2nrs_side {
    S2NRS_NONE = 0,   /* both finished */
    S2NRS_CLIENT = 1, /* the client failed */
    S2NRS_SERVER = 2, /* the server failed */
    S2NRS_STUCK = 3,  /* the round limit was reached with both sides blocked */
};

static inline const char *s2nrs_side_name(int side)
{
    switch (side) {
        case S2NRS_NONE: return "none";
        case S2NRS_CLIENT: return "client";
        case S2NRS_SERVER: return "server";
        case S2NRS_STUCK: return "stuck (round limit)";
        default: return "?";
    }
}

struct s2nrs_negotiation {
    int failed;      /* enum s2nrs_side */
    int err;         /* s2n_errno of the side that failed (0 if none) */
    bool client_done;
    bool server_done;
    int client_err;  /* last s2n_errno of each side (0: finished) */
    int server_err;
    s2n_blocked_status client_blocked;
    s2n_blocked_status server_blocked;
    int rounds;
};

#define S2NRS_MAX_ROUNDS 500

/* One s2n_negotiate on conn unless it is done; returns true if it failed with a
 * non-blocking error. */
static inline bool s2nrs_negotiate_step(struct s2n_connection *conn, bool *done, int *err,
        s2n_blocked_status *blocked)
{
    if (*done) {
        return false;
    }
    s2n_errno = 0;
    *blocked = S2N_NOT_BLOCKED;
    if (s2n_negotiate(conn, blocked) == S2N_SUCCESS) {
        *done = true;
        *err = 0;
        return false;
    }
    *err = s2n_errno;
    return s2n_error_get_type(*err) != S2N_ERR_T_BLOCKED;
}

/* Alternates s2n_negotiate (client first) until both finish or one fails with
 * a non-blocking error; a side that finished is not called again. Needs
 * nonblocking I/O. */
static inline struct s2nrs_negotiation s2nrs_negotiate_pair(struct s2n_connection *client,
        struct s2n_connection *server)
{
    struct s2nrs_negotiation r;
    memset(&r, 0, sizeof(r));
    for (r.rounds = 0; r.rounds < S2NRS_MAX_ROUNDS; r.rounds++) {
        if (s2nrs_negotiate_step(client, &r.client_done, &r.client_err, &r.client_blocked)) {
            r.failed = S2NRS_CLIENT;
            r.err = r.client_err;
            return r;
        }
        if (s2nrs_negotiate_step(server, &r.server_done, &r.server_err, &r.server_blocked)) {
            r.failed = S2NRS_SERVER;
            r.err = r.server_err;
            return r;
        }
        if (r.client_done && r.server_done) {
            r.failed = S2NRS_NONE;
            return r;
        }
    }
    r.failed = S2NRS_STUCK;
    return r;
}

/* Keeps calling s2n_negotiate on one side (the other side is left alone)
 * until it finishes (returns 0) or fails with a non-blocking error (returns
 * that s2n_errno); S2N_ERR_IO_BLOCKED if it is still blocked after
 * max_rounds calls. */
static inline int s2nrs_negotiate_one(struct s2n_connection *conn, int max_rounds)
{
    int err = S2NRS_E_IO_BLOCKED;
    for (int i = 0; i < max_rounds; i++) {
        s2n_blocked_status blocked = S2N_NOT_BLOCKED;
        s2n_errno = 0;
        if (s2n_negotiate(conn, &blocked) == S2N_SUCCESS) {
            return 0;
        }
        err = s2n_errno;
        if (s2n_error_get_type(err) != S2N_ERR_T_BLOCKED) {
            return err;
        }
    }
    return err;
}

static inline void s2nrs_print_negotiation(const char *what, const struct s2nrs_negotiation *r)
{
    printf("  %s: failed=%s after %d round(s)", what, s2nrs_side_name(r->failed), r->rounds);
    if (r->failed == S2NRS_CLIENT || r->failed == S2NRS_SERVER) {
        printf(", error %s (%s)", s2nrs_err_name(r->err),
                s2nrs_err_type_name(s2n_error_get_type(r->err)));
    }
    printf("; client %s%s%s, server %s%s%s\n", r->client_done ? "done" : "not done",
            r->client_err ? " last=" : "", r->client_err ? s2nrs_err_name(r->client_err) : "",
            r->server_done ? "done" : "not done", r->server_err ? " last=" : "",
            r->server_err ? s2nrs_err_name(r->server_err) : "");
    if (r->failed == S2NRS_CLIENT || r->failed == S2NRS_SERVER) {
        printf("    debug: %s\n", s2nrs_safe_str(s2n_strerror_debug(r->err, "EN")));
    }
}

/* A handshake that must succeed on both sides; prints the details if not.
 * Evaluates to true on success. */
static inline bool s2nrs_expect_handshake_ok(struct s2n_connection *client, struct s2n_connection *server,
        const char *what, const char *file, int line)
{
    struct s2nrs_negotiation n = s2nrs_negotiate_pair(client, server);
    if (n.failed != S2NRS_NONE) {
        printf("%s:%d: FAIL: handshake %s did not succeed\n", file, line, what);
        s2nrs_record_failure();
        s2nrs_print_negotiation("handshake", &n);
    }
    return n.failed == S2NRS_NONE;
}

#define EXPECT_HANDSHAKE_OK(client, server) \
    s2nrs_expect_handshake_ok((client), (server), #client " / " #server, __FILE__, __LINE__)

/* ------------------------------------------------------------------------- */
/* Application data helpers (nonblocking, bounded) */

/* s2n_send as much of buf as possible now, following s2n's rule (call again
 * with the rest of the buffer until it is all sent or s2n_send blocks).
 * Returns the bytes sent (err = 0, or the BLOCKED code if it blocked), or -1
 * on another error (err set). */
static inline long s2nrs_send_all(struct s2n_connection *conn, const void *buf, size_t len, int *err)
{
    size_t done = 0;
    *err = 0;
    for (int spins = 0; done < len && spins < 100000; spins++) {
        s2n_blocked_status blocked = S2N_NOT_BLOCKED;
        s2n_errno = 0;
        ssize_t w = s2n_send(conn, (const uint8_t *) buf + done, (ssize_t) (len - done), &blocked);
        if (w >= 0) {
            done += (size_t) w;
            continue;
        }
        *err = s2n_errno;
        if (s2n_error_get_type(*err) != S2N_ERR_T_BLOCKED) {
            return -1;
        }
        return (long) done; /* blocked: the caller pumps the peer and calls again */
    }
    return (long) done;
}

/* s2n_recv until len bytes arrived, the peer closed (0), an error, or it
 * blocks. Returns bytes received; *err is 0, the error, or a BLOCKED code. */
static inline long s2nrs_recv_some(struct s2n_connection *conn, void *buf, size_t len, int *err)
{
    size_t done = 0;
    *err = 0;
    while (done < len) {
        s2n_blocked_status blocked = S2N_NOT_BLOCKED;
        s2n_errno = 0;
        ssize_t r = s2n_recv(conn, (uint8_t *) buf + done, (ssize_t) (len - done), &blocked);
        if (r > 0) {
            done += (size_t) r;
            continue;
        }
        if (r == 0) {
            *err = S2NRS_E_CLOSED;
            break;
        }
        *err = s2n_errno;
        break;
    }
    return (long) done;
}

/* Moves len bytes from `from` to `to`, alternating sends and receives on the
 * two (nonblocking) connections. Returns true if all arrived intact. */
static inline bool s2nrs_transfer(struct s2n_connection *from, struct s2n_connection *to,
        const uint8_t *data, size_t len)
{
    uint8_t *got = malloc(len ? len : 1);
    size_t sent = 0, recvd = 0;
    bool ok = true;
    for (int round = 0; (sent < len || recvd < len) && round < 1000000; round++) {
        if (sent < len) {
            int err = 0;
            long w = s2nrs_send_all(from, data + sent, len - sent, &err);
            if (w < 0) {
                S2NRS_FAIL_AT("s2n_send failed after %zu bytes: %s", sent, s2nrs_err_name(err));
                s2nrs_print_s2n_error(err);
                ok = false;
                break;
            }
            sent += (size_t) w;
        }
        if (recvd < len) {
            int err = 0;
            long r = s2nrs_recv_some(to, got + recvd, len - recvd, &err);
            recvd += (size_t) r;
            if (err && s2n_error_get_type(err) != S2N_ERR_T_BLOCKED) {
                S2NRS_FAIL_AT("s2n_recv failed after %zu bytes: %s", recvd, s2nrs_err_name(err));
                s2nrs_print_s2n_error(err);
                ok = false;
                break;
            }
        }
    }
    if (ok && (sent != len || recvd != len)) {
        S2NRS_FAIL_AT("transfer stalled: sent %zu, received %zu of %zu", sent, recvd, len);
        ok = false;
    }
    if (ok && len && memcmp(got, data, len) != 0) {
        S2NRS_FAIL_AT("transfer of %zu bytes arrived corrupted", len);
        ok = false;
    }
    free(got);
    return ok;
}

/* ------------------------------------------------------------------------- */
/* In-memory pipes for custom I/O callbacks */

struct s2nrs_pipe {
    pthread_mutex_t lock;
    uint8_t *buf;
    size_t cap;          /* bytes it can hold; a write into a full pipe blocks (EAGAIN) */
    size_t head;         /* read position */
    size_t len;          /* bytes held */
    size_t max_per_call; /* at most this many bytes per callback (0: no limit) */
    bool closed;         /* writer closed: reads of an empty pipe return 0 */
    /* statistics */
    unsigned long reads, writes, read_eagain, write_eagain;
    unsigned long long total_written;
};

static inline void s2nrs_pipe_init(struct s2nrs_pipe *p, size_t cap, size_t max_per_call)
{
    memset(p, 0, sizeof(*p));
    pthread_mutex_init(&p->lock, NULL);
    p->buf = malloc(cap);
    p->cap = cap;
    p->max_per_call = max_per_call;
}

static inline void s2nrs_pipe_free(struct s2nrs_pipe *p)
{
    free(p->buf);
    p->buf = NULL;
    pthread_mutex_destroy(&p->lock);
}

static inline void s2nrs_pipe_set_limit(struct s2nrs_pipe *p, size_t max_per_call)
{
    pthread_mutex_lock(&p->lock);
    p->max_per_call = max_per_call;
    pthread_mutex_unlock(&p->lock);
}

static inline size_t s2nrs_pipe_available(struct s2nrs_pipe *p)
{
    pthread_mutex_lock(&p->lock);
    size_t n = p->len;
    pthread_mutex_unlock(&p->lock);
    return n;
}

/* Appends raw bytes (not through s2n): for injecting garbage. */
static inline size_t s2nrs_pipe_inject(struct s2nrs_pipe *p, const void *data, size_t len)
{
    pthread_mutex_lock(&p->lock);
    if (p->head + p->len + len > p->cap) {
        memmove(p->buf, p->buf + p->head, p->len);
        p->head = 0;
    }
    size_t n = len < p->cap - p->len ? len : p->cap - p->len;
    memcpy(p->buf + p->head + p->len, data, n);
    p->len += n;
    pthread_mutex_unlock(&p->lock);
    return n;
}

static inline void s2nrs_pipe_close(struct s2nrs_pipe *p)
{
    pthread_mutex_lock(&p->lock);
    p->closed = true;
    pthread_mutex_unlock(&p->lock);
}

/* s2n_recv_fn */
static inline int s2nrs_pipe_recv(void *ctx, uint8_t *buf, uint32_t len)
{
    struct s2nrs_pipe *p = ctx;
    pthread_mutex_lock(&p->lock);
    p->reads++;
    if (p->len == 0) {
        bool closed = p->closed;
        if (!closed) {
            p->read_eagain++;
        }
        pthread_mutex_unlock(&p->lock);
        if (closed) {
            return 0;
        }
        errno = EAGAIN;
        return -1;
    }
    size_t n = len;
    if (n > p->len) {
        n = p->len;
    }
    if (p->max_per_call && n > p->max_per_call) {
        n = p->max_per_call;
    }
    memcpy(buf, p->buf + p->head, n);
    p->head += n;
    p->len -= n;
    if (p->len == 0) {
        p->head = 0;
    }
    pthread_mutex_unlock(&p->lock);
    return (int) n;
}

/* s2n_send_fn */
static inline int s2nrs_pipe_send(void *ctx, const uint8_t *buf, uint32_t len)
{
    struct s2nrs_pipe *p = ctx;
    pthread_mutex_lock(&p->lock);
    p->writes++;
    if (p->closed) {
        pthread_mutex_unlock(&p->lock);
        errno = EPIPE;
        return -1;
    }
    size_t space = p->cap - p->len;
    if (space == 0) {
        p->write_eagain++;
        pthread_mutex_unlock(&p->lock);
        errno = EAGAIN;
        return -1;
    }
    size_t n = len;
    if (n > space) {
        n = space;
    }
    if (p->max_per_call && n > p->max_per_call) {
        n = p->max_per_call;
    }
    if (p->head + p->len + n > p->cap) {
        memmove(p->buf, p->buf + p->head, p->len);
        p->head = 0;
    }
    memcpy(p->buf + p->head + p->len, buf, n);
    p->len += n;
    p->total_written += n;
    pthread_mutex_unlock(&p->lock);
    return (int) n;
}

/* Two pipes: client -> server and server -> client. */
struct s2nrs_mem_link {
    struct s2nrs_pipe c2s;
    struct s2nrs_pipe s2c;
};

static inline void s2nrs_mem_link_init(struct s2nrs_mem_link *l, size_t cap, size_t max_per_call)
{
    s2nrs_pipe_init(&l->c2s, cap, max_per_call);
    s2nrs_pipe_init(&l->s2c, cap, max_per_call);
}

static inline void s2nrs_mem_link_free(struct s2nrs_mem_link *l)
{
    s2nrs_pipe_free(&l->c2s);
    s2nrs_pipe_free(&l->s2c);
}

static inline void s2nrs_mem_attach_one(struct s2n_connection *conn, struct s2nrs_pipe *in,
        struct s2nrs_pipe *out)
{
    EXPECT_SUCCESS(s2n_connection_set_recv_cb(conn, s2nrs_pipe_recv));
    EXPECT_SUCCESS(s2n_connection_set_send_cb(conn, s2nrs_pipe_send));
    EXPECT_SUCCESS(s2n_connection_set_recv_ctx(conn, in));
    EXPECT_SUCCESS(s2n_connection_set_send_ctx(conn, out));
}

/* The client reads s2c and writes c2s; the server the reverse. */
static inline void s2nrs_mem_attach(struct s2n_connection *client, struct s2n_connection *server,
        struct s2nrs_mem_link *l)
{
    s2nrs_mem_attach_one(client, &l->s2c, &l->c2s);
    s2nrs_mem_attach_one(server, &l->c2s, &l->s2c);
}

/* ------------------------------------------------------------------------- */
/* Misc */

static inline const char *s2nrs_version_name(int v)
{
    switch (v) {
        case S2N_SSLv2: return "SSLv2";
        case S2N_SSLv3: return "SSLv3";
        case S2N_TLS10: return "TLS1.0";
        case S2N_TLS11: return "TLS1.1";
        case S2N_TLS12: return "TLS1.2";
        case S2N_TLS13: return "TLS1.3";
        case S2N_UNKNOWN_PROTOCOL_VERSION: return "unknown";
        default: return "?";
    }
}

static inline bool s2nrs_starts_with(const char *s, const char *prefix)
{
    return s && strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Deterministic pseudo-random bytes (xorshift), for payloads. */
static inline void s2nrs_fill_pattern(uint8_t *buf, size_t len, uint32_t seed)
{
    uint32_t x = seed ? seed : 0x9E3779B9u;
    for (size_t i = 0; i < len; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        buf[i] = (uint8_t) x;
    }
}
