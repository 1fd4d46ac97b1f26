/*
 * Self-talk I/O: blocking sockets (client and server in two threads);
 * nonblocking custom I/O callbacks over in-memory pipes that move at most a
 * few bytes per call and report EAGAIN when empty or full, so the handshake,
 * s2n_send and s2n_recv all block repeatedly (S2N_ERR_T_BLOCKED with
 * S2N_BLOCKED_ON_READ / S2N_BLOCKED_ON_WRITE) and the data still arrives
 * intact; a 1 MiB write across blocked s2n_send calls (s2n's rule: call again
 * with the rest of the buffer, a partial return means that many bytes went
 * out); s2n_sendv and s2n_sendv_with_offset; s2n_peek after a partial read;
 * s2n_shutdown on both sides then s2n_recv returning 0; s2n_send after
 * s2n_shutdown_send failing with S2N_ERR_CLOSED (and TLS1.3 half-close);
 * s2n_connection_release_buffers; s2n_connection_wipe and a second handshake
 * on the same connection objects.
 */
#include <sys/uio.h>

#include "harness/selftalk.h"

#define POLICY_TLS13 "default_tls13"
#define POLICY_TLS12 "ELBSecurityPolicy-TLS-1-2-Ext-2018-06"

static struct s2n_cert_chain_and_key *chain;

struct configs {
    struct s2n_config *server;
    struct s2n_config *client;
};

static struct configs make_configs(const char *policy)
{
    struct configs c;
    c.server = s2nrs_server_config(policy, &chain, 1);
    c.client = s2nrs_client_config(policy, "ca-ecdsa.pem");
    return c;
}

static void free_configs(struct configs *c)
{
    EXPECT_SUCCESS(s2n_config_free(c->server));
    EXPECT_SUCCESS(s2n_config_free(c->client));
}

/* ------------------------------------------------------------------------- */
/* Blocking sockets, two threads */

#define BLOCKING_LEN 50000

struct blocking_server {
    struct s2n_connection *conn;
    uint8_t data[BLOCKING_LEN];
};

static void *blocking_server_main(void *arg)
{
    struct blocking_server *s = arg;
    s2n_blocked_status blocked = S2N_NOT_BLOCKED;
    if (s2n_negotiate(s->conn, &blocked) != S2N_SUCCESS) {
        S2NRS_FAIL_AT("server s2n_negotiate (blocking) failed");
        s2nrs_print_s2n_error(s2n_errno);
        return NULL;
    }
    EXPECT_EQ_INT(blocked, S2N_NOT_BLOCKED);
    size_t got = 0;
    while (got < BLOCKING_LEN) {
        ssize_t r = s2n_recv(s->conn, s->data + got, BLOCKING_LEN - got, &blocked);
        if (r <= 0) {
            S2NRS_FAIL_AT("server s2n_recv (blocking) returned %zd after %zu bytes", r, got);
            if (r < 0) {
                s2nrs_print_s2n_error(s2n_errno);
            }
            return NULL;
        }
        got += (size_t) r;
    }
    size_t sent = 0;
    while (sent < BLOCKING_LEN) {
        ssize_t w = s2n_send(s->conn, s->data + sent, BLOCKING_LEN - sent, &blocked);
        if (w < 0) {
            S2NRS_FAIL_AT("server s2n_send (blocking) failed after %zu bytes", sent);
            s2nrs_print_s2n_error(s2n_errno);
            return NULL;
        }
        sent += (size_t) w;
    }
    EXPECT_SUCCESS(s2n_shutdown(s->conn, &blocked));
    return NULL;
}

static void blocking_sockets(const char *policy)
{
    printf("== blocking sockets, two threads (%s)\n", policy);
    struct configs cfg = make_configs(policy);
    struct s2nrs_pair p;
    if (s2nrs_pair_init_ex(&p, cfg.client, cfg.server, "localhost", false) == 0) {
        static struct blocking_server server;
        server.conn = p.server;
        pthread_t thread;
        EXPECT_EQ_INT(pthread_create(&thread, NULL, blocking_server_main, &server), 0);

        s2n_blocked_status blocked = S2N_NOT_BLOCKED;
        EXPECT_SUCCESS(s2n_negotiate(p.client, &blocked));
        EXPECT_EQ_INT(blocked, S2N_NOT_BLOCKED);
        static uint8_t out[BLOCKING_LEN], in[BLOCKING_LEN];
        s2nrs_fill_pattern(out, sizeof(out), 11);
        size_t sent = 0, got = 0;
        while (sent < sizeof(out)) {
            ssize_t w = s2n_send(p.client, out + sent, sizeof(out) - sent, &blocked);
            if (w < 0) {
                S2NRS_FAIL_AT("client s2n_send (blocking) failed after %zu bytes", sent);
                s2nrs_print_s2n_error(s2n_errno);
                break;
            }
            sent += (size_t) w;
        }
        while (got < sizeof(in)) {
            ssize_t r = s2n_recv(p.client, in + got, sizeof(in) - got, &blocked);
            if (r <= 0) {
                S2NRS_FAIL_AT("client s2n_recv (blocking) returned %zd after %zu bytes", r, got);
                if (r < 0) {
                    s2nrs_print_s2n_error(s2n_errno);
                }
                break;
            }
            got += (size_t) r;
        }
        EXPECT_EQ_INT(got, sizeof(in));
        EXPECT(memcmp(in, out, sizeof(in)) == 0);
        EXPECT_SUCCESS(s2n_shutdown(p.client, &blocked));
        pthread_join(thread, NULL);

        /* Both ends saw the other's close_notify: end of data. */
        uint8_t byte;
        EXPECT_EQ_INT(s2n_recv(p.client, &byte, 1, &blocked), 0);
        EXPECT_EQ_INT(s2n_recv(p.server, &byte, 1, &blocked), 0);
    }
    s2nrs_pair_free(&p);
    free_configs(&cfg);
}

/* ------------------------------------------------------------------------- */
/* Custom I/O over in-memory pipes */

struct mem_pair {
    struct s2n_connection *client;
    struct s2n_connection *server;
    struct s2nrs_mem_link link;
};

static int mem_pair_init(struct mem_pair *m, struct configs *cfg, size_t cap, size_t max_per_call)
{
    m->client = s2n_connection_new(S2N_CLIENT);
    m->server = s2n_connection_new(S2N_SERVER);
    EXPECT(m->client && m->server);
    if (!m->client || !m->server) {
        return -1;
    }
    s2nrs_mem_link_init(&m->link, cap, max_per_call);
    if (!EXPECT_SUCCESS_OR_SKIP(s2n_connection_set_recv_cb(m->client, s2nrs_pipe_recv), "custom I/O callbacks")) {
        return -1;
    }
    EXPECT_SUCCESS(s2n_connection_set_config(m->client, cfg->client));
    EXPECT_SUCCESS(s2n_connection_set_config(m->server, cfg->server));
    EXPECT_SUCCESS(s2n_set_server_name(m->client, "localhost"));
    s2nrs_mem_attach(m->client, m->server, &m->link);
    return 0;
}

static void mem_pair_free(struct mem_pair *m)
{
    if (m->client) {
        EXPECT_SUCCESS(s2n_connection_free(m->client));
    }
    if (m->server) {
        EXPECT_SUCCESS(s2n_connection_free(m->server));
    }
    s2nrs_mem_link_free(&m->link);
}

struct block_counts {
    int on_read;
    int on_write;
    int other;
};

/* Handles a failed I/O call: must be a BLOCKED error with a read/write status. */
static bool note_blocked(int err, s2n_blocked_status blocked, struct block_counts *counts, const char *what)
{
    if (s2n_error_get_type(err) != S2N_ERR_T_BLOCKED) {
        S2NRS_FAIL_AT("%s failed: %s (%s)", what, s2nrs_err_name(err),
                s2nrs_err_type_name(s2n_error_get_type(err)));
        s2nrs_print_s2n_error(err);
        return false;
    }
    if (err != S2NRS_E_IO_BLOCKED) {
        /* Another BLOCKED code (e.g. async/early data) is not expected here. */
        S2NRS_FAIL_AT("%s blocked with %s, expected S2N_ERR_IO_BLOCKED", what, s2nrs_err_name(err));
    }
    if (blocked == S2N_BLOCKED_ON_READ) {
        counts->on_read++;
    } else if (blocked == S2N_BLOCKED_ON_WRITE) {
        counts->on_write++;
    } else {
        counts->other++;
        S2NRS_FAIL_AT("%s blocked with status %d, expected S2N_BLOCKED_ON_READ/WRITE", what, (int) blocked);
    }
    return true;
}

/* A handshake over the pipes, counting how each side blocked. */
static bool mem_handshake(struct mem_pair *m, struct block_counts *client_counts, struct block_counts *server_counts)
{
    bool client_done = false, server_done = false;
    for (int round = 0; round < 20000 && !(client_done && server_done); round++) {
        s2n_blocked_status blocked;
        if (!client_done) {
            blocked = S2N_NOT_BLOCKED;
            s2n_errno = 0;
            if (s2n_negotiate(m->client, &blocked) == S2N_SUCCESS) {
                client_done = true;
                EXPECT_EQ_INT(blocked, S2N_NOT_BLOCKED);
            } else if (!note_blocked(s2n_errno, blocked, client_counts, "client s2n_negotiate")) {
                return false;
            }
        }
        if (!server_done) {
            blocked = S2N_NOT_BLOCKED;
            s2n_errno = 0;
            if (s2n_negotiate(m->server, &blocked) == S2N_SUCCESS) {
                server_done = true;
                EXPECT_EQ_INT(blocked, S2N_NOT_BLOCKED);
            } else if (!note_blocked(s2n_errno, blocked, server_counts, "server s2n_negotiate")) {
                return false;
            }
        }
    }
    if (!(client_done && server_done)) {
        S2NRS_FAIL_AT("handshake over pipes did not finish (client %d, server %d)", client_done, server_done);
        return false;
    }
    return true;
}

/* Drains everything `to` can read now into dst (bounded by cap); counts
 * read blocks. Returns false on a non-blocking error. */
static bool drain(struct s2n_connection *to, uint8_t *dst, size_t cap, size_t *got, struct block_counts *counts)
{
    for (;;) {
        if (*got >= cap) {
            return true;
        }
        s2n_blocked_status blocked = S2N_NOT_BLOCKED;
        s2n_errno = 0;
        ssize_t r = s2n_recv(to, dst + *got, (ssize_t) (cap - *got), &blocked);
        if (r > 0) {
            *got += (size_t) r;
            continue;
        }
        if (r == 0) {
            S2NRS_FAIL_AT("s2n_recv returned 0 (end of data) after %zu bytes", *got);
            return false;
        }
        if (!note_blocked(s2n_errno, blocked, counts, "s2n_recv")) {
            return false;
        }
        if (blocked != S2N_BLOCKED_ON_READ) {
            S2NRS_FAIL_AT("s2n_recv blocked with %d, expected S2N_BLOCKED_ON_READ", (int) blocked);
        }
        return true;
    }
}

/* Sends len bytes from `from` to `to` with s2n_send, following s2n's retry
 * rule, draining the receiver whenever the sender blocks. */
static bool mem_transfer(struct s2n_connection *from, struct s2n_connection *to, const uint8_t *data, size_t len,
        struct block_counts *send_counts, struct block_counts *recv_counts, int *partial_returns)
{
    uint8_t *got = malloc(len);
    size_t sent = 0, received = 0;
    bool ok = true;
    for (int round = 0; ok && (sent < len || received < len) && round < 1000000; round++) {
        /* As the usage guide says: keep calling s2n_send with the rest of
         * the buffer until everything is sent or it reports BLOCKED. */
        while (ok && sent < len) {
            s2n_blocked_status blocked = S2N_NOT_BLOCKED;
            s2n_errno = 0;
            ssize_t w = s2n_send(from, data + sent, (ssize_t) (len - sent), &blocked);
            if (w >= 0) {
                if ((size_t) w < len - sent && partial_returns) {
                    (*partial_returns)++;
                }
                EXPECT(w > 0);
                if (w == 0) {
                    ok = false;
                }
                sent += (size_t) w;
            } else {
                ok = note_blocked(s2n_errno, blocked, send_counts, "s2n_send");
                if (ok && blocked != S2N_BLOCKED_ON_WRITE) {
                    S2NRS_FAIL_AT("s2n_send blocked with %d, expected S2N_BLOCKED_ON_WRITE", (int) blocked);
                }
                break;
            }
        }
        if (ok) {
            ok = drain(to, got, len, &received, recv_counts);
        }
    }
    if (ok && (sent != len || received != len)) {
        S2NRS_FAIL_AT("transfer stalled: sent %zu, received %zu of %zu", sent, received, len);
        ok = false;
    }
    if (ok && memcmp(got, data, len) != 0) {
        S2NRS_FAIL_AT("transfer of %zu bytes arrived corrupted", len);
        ok = false;
    }
    free(got);
    return ok;
}

static void custom_io(const char *policy)
{
    printf("== custom I/O callbacks: 7 bytes per call, 512-byte pipes (%s)\n", policy);
    struct configs cfg = make_configs(policy);
    struct mem_pair m = { 0 };
    if (mem_pair_init(&m, &cfg, 512, 7) == 0) {
        struct block_counts cc = { 0 }, sc = { 0 };
        if (mem_handshake(&m, &cc, &sc)) {
            printf("    handshake blocked: client read %d write %d, server read %d write %d; "
                   "callbacks: c2s %lu writes, s2c %lu writes\n",
                    cc.on_read, cc.on_write, sc.on_read, sc.on_write, m.link.c2s.writes, m.link.s2c.writes);
            EXPECT(cc.on_read > 0);
            EXPECT(sc.on_read > 0);
            /* The server's flight (certificate chain) is larger than the pipe. */
            EXPECT(sc.on_write > 0);
            EXPECT(m.link.s2c.write_eagain > 0);
            /* Split I/O: far more callback calls than records. */
            EXPECT(m.link.c2s.writes > 20);

            uint8_t data[20000];
            s2nrs_fill_pattern(data, sizeof(data), 5);
            struct block_counts send_counts = { 0 }, recv_counts = { 0 };
            EXPECT(mem_transfer(m.client, m.server, data, sizeof(data), &send_counts, &recv_counts, NULL));
            printf("    20000 bytes client->server: s2n_send blocked %d time(s), s2n_recv blocked %d time(s)\n",
                    send_counts.on_write, recv_counts.on_read);
            EXPECT(send_counts.on_write > 1);
            EXPECT(recv_counts.on_read > 1);

            memset(&send_counts, 0, sizeof(send_counts));
            memset(&recv_counts, 0, sizeof(recv_counts));
            EXPECT(mem_transfer(m.server, m.client, data, sizeof(data), &send_counts, &recv_counts, NULL));
            EXPECT(send_counts.on_write > 1);
            EXPECT(recv_counts.on_read > 1);

            /* An empty pipe: s2n_recv blocks on read with S2N_ERR_IO_BLOCKED. */
            uint8_t byte;
            s2n_blocked_status blocked = S2N_NOT_BLOCKED;
            s2n_errno = 0;
            EXPECT_EQ_INT(s2n_recv(m.client, &byte, 1, &blocked), S2N_FAILURE);
            EXPECT_ERR(s2n_errno, S2NRS_E_IO_BLOCKED);
            EXPECT_ERR_TYPE(s2n_errno, S2N_ERR_T_BLOCKED);
            EXPECT_EQ_INT(blocked, S2N_BLOCKED_ON_READ);
        }
    }
    mem_pair_free(&m);
    free_configs(&cfg);
}

/* 1 MiB through a 64 KiB pipe: s2n_send blocks many times and returns
 * partial counts; the sender retries with the rest of its buffer. */
static void large_write(const char *policy)
{
    printf("== 1 MiB write across blocked s2n_send calls (%s)\n", policy);
    struct configs cfg = make_configs(policy);
    struct mem_pair m = { 0 };
    if (mem_pair_init(&m, &cfg, 64 * 1024, 0) == 0) {
        struct block_counts cc = { 0 }, sc = { 0 };
        if (mem_handshake(&m, &cc, &sc)) {
            size_t len = 1024 * 1024;
            uint8_t *data = malloc(len);
            s2nrs_fill_pattern(data, len, 1234);
            struct block_counts send_counts = { 0 }, recv_counts = { 0 };
            int partial = 0;
            EXPECT(mem_transfer(m.client, m.server, data, len, &send_counts, &recv_counts, &partial));
            printf("    s2n_send blocked %d time(s), %d partial return(s); s2n_recv blocked %d time(s)\n",
                    send_counts.on_write, partial, recv_counts.on_read);
            EXPECT(send_counts.on_write >= 5);
            EXPECT(partial >= 5);
            free(data);
        }
    }
    mem_pair_free(&m);
    free_configs(&cfg);
}

/* ------------------------------------------------------------------------- */
/* s2n_sendv / s2n_sendv_with_offset */

static void sendv_tests(const char *policy)
{
    printf("== s2n_sendv / s2n_sendv_with_offset (%s)\n", policy);
    struct configs cfg = make_configs(policy);
    struct mem_pair m = { 0 };
    if (mem_pair_init(&m, &cfg, 8 * 1024, 0) == 0) {
        struct block_counts cc = { 0 }, sc = { 0 };
        if (mem_handshake(&m, &cc, &sc)) {
            static uint8_t a[3] = { 'a', 'b', 'c' }, b[1000], c[1], d[20000], e[5] = { 1, 2, 3, 4, 5 };
            s2nrs_fill_pattern(b, sizeof(b), 21);
            s2nrs_fill_pattern(d, sizeof(d), 22);
            struct iovec iov[5] = {
                { a, sizeof(a) }, { b, sizeof(b) }, { c, 0 }, { d, sizeof(d) }, { e, sizeof(e) },
            };
            size_t total = sizeof(a) + sizeof(b) + sizeof(d) + sizeof(e);
            uint8_t *flat = malloc(total);
            size_t off = 0;
            for (int i = 0; i < 5; i++) {
                memcpy(flat + off, iov[i].iov_base, iov[i].iov_len);
                off += iov[i].iov_len;
            }
            uint8_t *got = malloc(total);

            /* s2n_sendv: small vectors that fit, so no partial writes. */
            {
                struct iovec small[3] = { { a, sizeof(a) }, { c, 0 }, { e, sizeof(e) } };
                s2n_blocked_status blocked = S2N_NOT_BLOCKED;
                ssize_t w = s2n_sendv(m.client, small, 3, &blocked);
                EXPECT_EQ_INT(w, sizeof(a) + sizeof(e));
                size_t received = 0;
                struct block_counts rc = { 0 };
                EXPECT(drain(m.server, got, sizeof(a) + sizeof(e), &received, &rc));
                EXPECT_EQ_INT(received, sizeof(a) + sizeof(e));
                EXPECT(memcmp(got, "abc", 3) == 0 && memcmp(got + 3, e, sizeof(e)) == 0);
            }

            /* s2n_sendv_with_offset from several starting offsets (inside the
             * first vector, at a boundary, inside the big one), retrying with
             * offset += written as s2n requires. */
            const size_t starts[] = { 0, 2, 3, 500, 1003, 15000, total - 1 };
            for (size_t si = 0; si < sizeof(starts) / sizeof(starts[0]); si++) {
                size_t start = starts[si];
                size_t want = total - start;
                size_t offset = start, received = 0;
                struct block_counts send_counts = { 0 }, recv_counts = { 0 };
                bool ok = true;
                for (int round = 0; ok && (offset < total || received < want) && round < 100000; round++) {
                    if (offset < total) {
                        s2n_blocked_status blocked = S2N_NOT_BLOCKED;
                        s2n_errno = 0;
                        ssize_t w = s2n_sendv_with_offset(m.client, iov, 5, (ssize_t) offset, &blocked);
                        if (w >= 0) {
                            offset += (size_t) w;
                        } else {
                            ok = note_blocked(s2n_errno, blocked, &send_counts, "s2n_sendv_with_offset");
                        }
                    }
                    if (ok) {
                        ok = drain(m.server, got, want, &received, &recv_counts);
                    }
                }
                EXPECT_EQ_INT(offset, total);
                EXPECT_EQ_INT(received, want);
                if (received == want && memcmp(got, flat + start, want) != 0) {
                    S2NRS_FAIL_AT("s2n_sendv_with_offset(offset %zu): received bytes differ", start);
                }
                if (start == 0) {
                    printf("    sendv_with_offset of %zu bytes blocked %d time(s)\n", total, send_counts.on_write);
                }
            }

            /* An offset past the data is a usage error. */
            s2n_blocked_status blocked = S2N_NOT_BLOCKED;
            EXPECT_FAILURE(s2n_sendv_with_offset(m.client, iov, 5, (ssize_t) total + 1, &blocked));
            free(flat);
            free(got);
        }
    }
    mem_pair_free(&m);
    free_configs(&cfg);
}

/* ------------------------------------------------------------------------- */
/* s2n_peek, s2n_connection_release_buffers */

static void peek_and_release(const char *policy)
{
    printf("== s2n_peek and s2n_connection_release_buffers (%s)\n", policy);
    struct configs cfg = make_configs(policy);
    struct mem_pair m = { 0 };
    if (mem_pair_init(&m, &cfg, 64 * 1024, 0) == 0) {
        struct block_counts cc = { 0 }, sc = { 0 };
        if (mem_handshake(&m, &cc, &sc)) {
            uint8_t msg[100], got[100];
            s2nrs_fill_pattern(msg, sizeof(msg), 99);
            s2n_blocked_status blocked = S2N_NOT_BLOCKED;
            EXPECT_EQ_INT(s2n_peek(m.server), 0);
            EXPECT_EQ_INT(s2n_send(m.client, msg, sizeof(msg), &blocked), sizeof(msg));
            EXPECT_EQ_INT(s2n_recv(m.server, got, 1, &blocked), 1);
            EXPECT_EQ_INT(s2n_peek(m.server), 99);
            /* Unread data is held: the buffers cannot be released. */
            EXPECT_FAILURE_WITH_ERRNO(s2n_connection_release_buffers(m.server), S2NRS_E_STUFFER_HAS_UNPROCESSED_DATA);
            EXPECT_EQ_INT(s2n_recv(m.server, got + 1, 40, &blocked), 40);
            EXPECT_EQ_INT(s2n_peek(m.server), 59);
            EXPECT_EQ_INT(s2n_recv(m.server, got + 41, sizeof(got) - 41, &blocked), 59);
            EXPECT_EQ_INT(s2n_peek(m.server), 0);
            EXPECT(memcmp(got, msg, sizeof(msg)) == 0);

            /* All read: release, then more data flows both ways. */
            EXPECT_SUCCESS(s2n_connection_release_buffers(m.server));
            EXPECT_SUCCESS(s2n_connection_release_buffers(m.client));
            uint8_t more[3000];
            s2nrs_fill_pattern(more, sizeof(more), 100);
            struct block_counts a = { 0 }, b = { 0 };
            EXPECT(mem_transfer(m.client, m.server, more, sizeof(more), &a, &b, NULL));
            EXPECT(mem_transfer(m.server, m.client, more, sizeof(more), &a, &b, NULL));
            EXPECT_SUCCESS(s2n_connection_release_buffers(m.server));
            EXPECT_SUCCESS(s2n_connection_release_buffers(m.client));
            EXPECT(mem_transfer(m.client, m.server, more, 10, &a, &b, NULL));
        }
    }
    mem_pair_free(&m);
    free_configs(&cfg);
}

/* ------------------------------------------------------------------------- */
/* Shutdown */

/* Calls s2n_shutdown on conn; returns 0 on success, else the s2n_errno. */
static int try_shutdown(struct s2n_connection *conn, s2n_blocked_status *blocked)
{
    *blocked = S2N_NOT_BLOCKED;
    s2n_errno = 0;
    if (s2n_shutdown(conn, blocked) == S2N_SUCCESS) {
        return 0;
    }
    return s2n_errno;
}

static void shutdown_both(const char *policy)
{
    printf("== s2n_shutdown on both sides at once (%s)\n", policy);
    struct configs cfg = make_configs(policy);
    struct s2nrs_pair p;
    if (s2nrs_pair_init(&p, cfg.client, cfg.server, "localhost") == 0 && EXPECT_HANDSHAKE_OK(p.client, p.server)) {
        s2n_blocked_status blocked;
        /* The client sends close_notify and waits for the server's. */
        int err = try_shutdown(p.client, &blocked);
        EXPECT_ERR(err, S2NRS_E_IO_BLOCKED);
        EXPECT_EQ_INT(blocked, S2N_BLOCKED_ON_READ);
        /* The server shuts down too: sends its close_notify, reads the client's. */
        EXPECT_EQ_INT(try_shutdown(p.server, &blocked), 0);
        EXPECT_EQ_INT(try_shutdown(p.client, &blocked), 0);
        /* Both saw close_notify: s2n_recv reports end of data. */
        uint8_t byte;
        EXPECT_EQ_INT(s2n_recv(p.client, &byte, 1, &blocked), 0);
        EXPECT_EQ_INT(s2n_recv(p.server, &byte, 1, &blocked), 0);
        /* And writing is over. */
        EXPECT_FAILURE_WITH_ERRNO(s2n_send(p.client, "x", 1, &blocked), S2NRS_E_CLOSED);
    }
    s2nrs_pair_free(&p);

    printf("== s2n_shutdown answered by s2n_recv == 0 then s2n_shutdown (%s)\n", policy);
    if (s2nrs_pair_init(&p, cfg.client, cfg.server, "localhost") == 0 && EXPECT_HANDSHAKE_OK(p.client, p.server)) {
        s2n_blocked_status blocked;
        /* Data sent before the close is still delivered. */
        EXPECT_EQ_INT(s2n_send(p.client, "last words", 10, &blocked), 10);
        EXPECT_ERR(try_shutdown(p.client, &blocked), S2NRS_E_IO_BLOCKED);
        uint8_t buf[32];
        EXPECT_EQ_INT(s2n_recv(p.server, buf, sizeof(buf), &blocked), 10);
        EXPECT(memcmp(buf, "last words", 10) == 0);
        EXPECT_EQ_INT(s2n_recv(p.server, buf, sizeof(buf), &blocked), 0);
        EXPECT_EQ_INT(try_shutdown(p.server, &blocked), 0);
        EXPECT_EQ_INT(try_shutdown(p.client, &blocked), 0);
    }
    s2nrs_pair_free(&p);

    printf("== s2n_shutdown_send then s2n_send (%s)\n", policy);
    if (s2nrs_pair_init(&p, cfg.client, cfg.server, "localhost") == 0 && EXPECT_HANDSHAKE_OK(p.client, p.server)) {
        s2n_blocked_status blocked = S2N_NOT_BLOCKED;
        EXPECT_SUCCESS(s2n_shutdown_send(p.client, &blocked));
        s2n_errno = 0;
        EXPECT_EQ_INT(s2n_send(p.client, "x", 1, &blocked), S2N_FAILURE);
        EXPECT_ERR(s2n_errno, S2NRS_E_CLOSED);
        EXPECT_ERR_TYPE(s2n_errno, S2N_ERR_T_CLOSED);
        /* The server sees end of data. */
        uint8_t buf[16];
        EXPECT_EQ_INT(s2n_recv(p.server, buf, sizeof(buf), &blocked), 0);
        if (s2n_connection_get_actual_protocol_version(p.client) == S2N_TLS13) {
            /* TLS1.3 half-close: the server can still send, the client still reads. */
            EXPECT_EQ_INT(s2n_send(p.server, "after", 5, &blocked), 5);
            memset(buf, 0, sizeof(buf));
            EXPECT_EQ_INT(s2n_recv(p.client, buf, sizeof(buf), &blocked), 5);
            EXPECT(memcmp(buf, "after", 5) == 0);
        }
        EXPECT_EQ_INT(try_shutdown(p.server, &blocked), 0);
        if (s2n_connection_get_actual_protocol_version(p.client) == S2N_TLS13) {
            EXPECT_EQ_INT(s2n_recv(p.client, buf, sizeof(buf), &blocked), 0);
        } else {
            /* TLS1.2 has no half-close: after its own close_notify the
             * client reads nothing more, the server's close_notify included. */
            EXPECT_FAILURE_WITH_ERRNO(s2n_recv(p.client, buf, sizeof(buf), &blocked), S2NRS_E_CLOSED);
        }
    }
    s2nrs_pair_free(&p);
    free_configs(&cfg);
}

/* ------------------------------------------------------------------------- */
/* s2n_connection_wipe and a second handshake */

static void wipe_and_reuse(const char *policy)
{
    printf("== s2n_connection_wipe then a second handshake on the same connections (%s)\n", policy);
    struct configs cfg = make_configs(policy);
    struct s2nrs_pair p;
    if (s2nrs_pair_init(&p, cfg.client, cfg.server, "localhost") == 0) {
        for (int round = 0; round < 3; round++) {
            if (!EXPECT_HANDSHAKE_OK(p.client, p.server)) {
                break;
            }
            uint8_t msg[777];
            s2nrs_fill_pattern(msg, sizeof(msg), 40 + round);
            EXPECT(s2nrs_transfer(p.client, p.server, msg, sizeof(msg)));
            EXPECT(s2nrs_transfer(p.server, p.client, msg, sizeof(msg)));
            EXPECT_STREQ(s2n_get_server_name(p.server), round == 0 ? "localhost" : "s2nrs.test");
            uint64_t bytes = s2n_connection_get_wire_bytes_in(p.server);
            if (round == 2) {
                break;
            }

            EXPECT_SUCCESS(s2n_connection_wipe(p.client));
            EXPECT_SUCCESS(s2n_connection_wipe(p.server));
            /* Wiped: nothing negotiated, counters reset. */
            EXPECT(bytes > 0);
            EXPECT_EQ_INT(s2n_connection_get_wire_bytes_in(p.server), 0);
            EXPECT_EQ_INT(s2n_connection_get_wire_bytes_out(p.client), 0);
            EXPECT(s2n_get_server_name(p.server) == NULL);

            /* Reuse: config, transport and server name again, on a fresh socketpair. */
            s2nrs_pair_close_fds(&p);
            if (s2nrs_socketpair(p.fds, true) != 0) {
                break;
            }
            EXPECT_SUCCESS(s2n_connection_set_config(p.client, cfg.client));
            EXPECT_SUCCESS(s2n_connection_set_config(p.server, cfg.server));
            EXPECT_SUCCESS(s2n_connection_set_fd(p.client, p.fds[0]));
            EXPECT_SUCCESS(s2n_connection_set_fd(p.server, p.fds[1]));
            EXPECT_SUCCESS(s2n_set_server_name(p.client, "s2nrs.test"));
        }
    }
    s2nrs_pair_free(&p);
    free_configs(&cfg);
}

int main(void)
{
    s2nrs_tls_setup(240);
    chain = s2nrs_load_chain("server-ecdsa-chain.pem", "server-ecdsa-key.pem");

    const char *policies[] = { POLICY_TLS13, POLICY_TLS12 };
    for (int i = 0; i < 2; i++) {
        blocking_sockets(policies[i]);
        custom_io(policies[i]);
        large_write(policies[i]);
        sendv_tests(policies[i]);
        peek_and_release(policies[i]);
        shutdown_both(policies[i]);
        wipe_and_reuse(policies[i]);
    }

    EXPECT_SUCCESS(s2n_cert_chain_and_key_free(chain));
    s2nrs_tls_teardown();
    return S2NRS_TEST_RESULT();
}
