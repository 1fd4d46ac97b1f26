/* The harness's self-talk part; see selftalk.h. */
#include "harness/selftalk.h"

/* ------------------------------------------------------------------------- */
/* Sockets */

int s2nrs_socketpair(int fds[2], bool nonblocking)
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

struct s2n_connection *s2nrs_raw_server(struct s2n_config *config, const uint8_t *bytes, size_t len, int fds[2])
{
    struct s2n_connection *server = s2n_connection_new(S2N_SERVER);
    if (server == NULL || s2nrs_socketpair(fds, true) != 0) {
        S2NRS_FAIL_AT("no server connection for raw bytes");
        return server;
    }
    EXPECT_SUCCESS(s2n_connection_set_config(server, config));
    EXPECT_SUCCESS(s2n_connection_set_blinding(server, S2N_SELF_SERVICE_BLINDING));
    EXPECT_SUCCESS(s2n_connection_set_fd(server, fds[1]));
    EXPECT_EQ_INT(write(fds[0], bytes, len), (ssize_t) len);
    return server;
}

void s2nrs_raw_server_free(struct s2n_connection *server, int fds[2])
{
    if (server != NULL) {
        EXPECT_SUCCESS(s2n_connection_free(server));
    }
    for (int i = 0; i < 2; i++) {
        if (fds[i] >= 0) {
            close(fds[i]);
        }
    }
}

/* ------------------------------------------------------------------------- */
/* A client and a server connection over a socketpair */

int s2nrs_pair_init_ex(struct s2nrs_pair *p, struct s2n_config *client_config, struct s2n_config *server_config,
        const char *server_name, bool nonblocking)
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

int s2nrs_pair_init(struct s2nrs_pair *p, struct s2n_config *client_config, struct s2n_config *server_config,
        const char *server_name)
{
    return s2nrs_pair_init_ex(p, client_config, server_config, server_name, true);
}

void s2nrs_pair_close_fds(struct s2nrs_pair *p)
{
    for (int i = 0; i < 2; i++) {
        if (p->fds[i] >= 0) {
            close(p->fds[i]);
            p->fds[i] = -1;
        }
    }
}

void s2nrs_pair_free(struct s2nrs_pair *p)
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

const char *s2nrs_side_name(int side)
{
    switch (side) {
        case S2NRS_NONE: return "none";
        case S2NRS_CLIENT: return "client";
        case S2NRS_SERVER: return "server";
        case S2NRS_STUCK: return "stuck (round limit)";
        case S2NRS_PAUSED: return "paused (the server awaits the application)";
        default: return "?";
    }
}

bool s2nrs_negotiate_step(struct s2n_connection *conn, bool *done, int *err, s2n_blocked_status *blocked)
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

/* Whether the last call of a side that is not done blocked on application input. */
static bool awaits_application(bool done, s2n_blocked_status blocked)
{
    return !done && blocked == S2N_BLOCKED_ON_APPLICATION_INPUT;
}

static struct s2nrs_negotiation negotiate_pair(struct s2n_connection *client, struct s2n_connection *server,
        bool stop_at_pause)
{
    struct s2nrs_negotiation r;
    memset(&r, 0, sizeof(r));
    for (r.rounds = 0; r.rounds < S2NRS_MAX_ROUNDS; r.rounds++) {
        bool client_was_done = r.client_done;
        if (s2nrs_negotiate_step(client, &r.client_done, &r.client_err, &r.client_blocked)) {
            r.failed = S2NRS_CLIENT;
            r.err = r.client_err;
            return r;
        }
        r.app_input_blocks += !client_was_done && awaits_application(r.client_done, r.client_blocked);
        bool server_was_done = r.server_done;
        if (s2nrs_negotiate_step(server, &r.server_done, &r.server_err, &r.server_blocked)) {
            r.failed = S2NRS_SERVER;
            r.err = r.server_err;
            return r;
        }
        if (!server_was_done && awaits_application(r.server_done, r.server_blocked)) {
            r.app_input_blocks++;
            if (stop_at_pause) {
                r.failed = S2NRS_PAUSED;
                return r;
            }
        }
        if (r.client_done && r.server_done) {
            r.failed = S2NRS_NONE;
            return r;
        }
    }
    r.failed = S2NRS_STUCK;
    return r;
}

struct s2nrs_negotiation s2nrs_negotiate_pair(struct s2n_connection *client, struct s2n_connection *server)
{
    return negotiate_pair(client, server, false);
}

struct s2nrs_negotiation s2nrs_negotiate_pair_to_pause(struct s2n_connection *client,
        struct s2n_connection *server)
{
    return negotiate_pair(client, server, true);
}

int s2nrs_negotiate_one(struct s2n_connection *conn, int max_rounds)
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

void s2nrs_print_negotiation(const char *what, const struct s2nrs_negotiation *r)
{
    printf("  %s: failed=%s after %d round(s)", what, s2nrs_side_name(r->failed), r->rounds);
    if (r->failed == S2NRS_CLIENT || r->failed == S2NRS_SERVER) {
        printf(", error %s (%s)", s2nrs_err_name(r->err), s2nrs_err_type_name(s2n_error_get_type(r->err)));
    }
    printf("; client %s%s%s, server %s%s%s\n", r->client_done ? "done" : "not done",
            r->client_err ? " last=" : "", r->client_err ? s2nrs_err_name(r->client_err) : "",
            r->server_done ? "done" : "not done", r->server_err ? " last=" : "",
            r->server_err ? s2nrs_err_name(r->server_err) : "");
    if (r->failed == S2NRS_CLIENT || r->failed == S2NRS_SERVER) {
        printf("    debug: %s\n", s2nrs_safe_str(s2n_strerror_debug(r->err, "EN")));
    }
}

bool s2nrs_expect_negotiated(const struct s2nrs_negotiation *n, const char *what, const char *file, int line)
{
    if (n->failed != S2NRS_NONE) {
        printf("%s:%d: FAIL: handshake %s did not succeed\n", file, line, what);
        s2nrs_record_failure();
        s2nrs_print_negotiation("handshake", n);
    }
    return n->failed == S2NRS_NONE;
}

bool s2nrs_expect_handshake_ok(struct s2n_connection *client, struct s2n_connection *server, const char *what,
        const char *file, int line)
{
    struct s2nrs_negotiation n = s2nrs_negotiate_pair(client, server);
    return s2nrs_expect_negotiated(&n, what, file, line);
}

/* ------------------------------------------------------------------------- */
/* Application data */

long s2nrs_send_all(struct s2n_connection *conn, const void *buf, size_t len, int *err)
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

long s2nrs_recv_some(struct s2n_connection *conn, void *buf, size_t len, int *err)
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

bool s2nrs_transfer(struct s2n_connection *from, struct s2n_connection *to, const uint8_t *data, size_t len)
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
/* In-memory pipes */

void s2nrs_pipe_init(struct s2nrs_pipe *p, size_t cap, size_t max_per_call)
{
    memset(p, 0, sizeof(*p));
    pthread_mutex_init(&p->lock, NULL);
    p->buf = malloc(cap);
    p->cap = cap;
    p->max_per_call = max_per_call;
}

void s2nrs_pipe_free(struct s2nrs_pipe *p)
{
    free(p->buf);
    p->buf = NULL;
    pthread_mutex_destroy(&p->lock);
}

void s2nrs_pipe_set_limit(struct s2nrs_pipe *p, size_t max_per_call)
{
    pthread_mutex_lock(&p->lock);
    p->max_per_call = max_per_call;
    pthread_mutex_unlock(&p->lock);
}

size_t s2nrs_pipe_available(struct s2nrs_pipe *p)
{
    pthread_mutex_lock(&p->lock);
    size_t n = p->len;
    pthread_mutex_unlock(&p->lock);
    return n;
}

/* Appends up to len bytes where they fit; the caller holds the lock. */
static size_t pipe_append(struct s2nrs_pipe *p, const void *data, size_t len)
{
    if (p->head + p->len + len > p->cap) {
        memmove(p->buf, p->buf + p->head, p->len);
        p->head = 0;
    }
    size_t n = len < p->cap - p->len ? len : p->cap - p->len;
    memcpy(p->buf + p->head + p->len, data, n);
    p->len += n;
    return n;
}

size_t s2nrs_pipe_inject(struct s2nrs_pipe *p, const void *data, size_t len)
{
    pthread_mutex_lock(&p->lock);
    size_t n = pipe_append(p, data, len);
    pthread_mutex_unlock(&p->lock);
    return n;
}

void s2nrs_pipe_close(struct s2nrs_pipe *p)
{
    pthread_mutex_lock(&p->lock);
    p->closed = true;
    pthread_mutex_unlock(&p->lock);
}

int s2nrs_pipe_recv(void *ctx, uint8_t *buf, uint32_t len)
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

int s2nrs_pipe_send(void *ctx, const uint8_t *buf, uint32_t len)
{
    struct s2nrs_pipe *p = ctx;
    pthread_mutex_lock(&p->lock);
    p->writes++;
    if (p->closed) {
        pthread_mutex_unlock(&p->lock);
        errno = EPIPE;
        return -1;
    }
    if (p->len == p->cap) {
        p->write_eagain++;
        pthread_mutex_unlock(&p->lock);
        errno = EAGAIN;
        return -1;
    }
    size_t n = len;
    if (p->max_per_call && n > p->max_per_call) {
        n = p->max_per_call;
    }
    n = pipe_append(p, buf, n);
    p->total_written += n;
    pthread_mutex_unlock(&p->lock);
    return (int) n;
}

void s2nrs_mem_link_init(struct s2nrs_mem_link *l, size_t cap, size_t max_per_call)
{
    s2nrs_pipe_init(&l->c2s, cap, max_per_call);
    s2nrs_pipe_init(&l->s2c, cap, max_per_call);
}

void s2nrs_mem_link_free(struct s2nrs_mem_link *l)
{
    s2nrs_pipe_free(&l->c2s);
    s2nrs_pipe_free(&l->s2c);
}

void s2nrs_mem_attach_one(struct s2n_connection *conn, struct s2nrs_pipe *in, struct s2nrs_pipe *out)
{
    EXPECT_SUCCESS(s2n_connection_set_recv_cb(conn, s2nrs_pipe_recv));
    EXPECT_SUCCESS(s2n_connection_set_send_cb(conn, s2nrs_pipe_send));
    EXPECT_SUCCESS(s2n_connection_set_recv_ctx(conn, in));
    EXPECT_SUCCESS(s2n_connection_set_send_ctx(conn, out));
}

void s2nrs_mem_attach(struct s2n_connection *client, struct s2n_connection *server, struct s2nrs_mem_link *l)
{
    s2nrs_mem_attach_one(client, &l->s2c, &l->c2s);
    s2nrs_mem_attach_one(server, &l->c2s, &l->s2c);
}
