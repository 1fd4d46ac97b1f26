/*
 * Self-talk with threads.
 *
 * 1. One connection, two threads: s2n documents that one thread may call
 *    s2n_send while another calls s2n_recv on the same connection. Over a
 *    blocking socketpair the client's writer thread sends 256 KiB while its
 *    reader thread receives the server's echo of it; both must complete
 *    (a library holding one lock across blocking I/O would deadlock here:
 *    a watchdog turns that into a failure instead of a hang).
 * 2. One client config and one server config shared by 8 connection pairs
 *    handshaking on 4 threads at once; each thread ends with
 *    s2n_cleanup_thread.
 */
#include <time.h>

#include "harness/selftalk.h"

#include <s2n/unstable/cleanup.h>

#define POLICY_TLS13 "default_tls13"
#define POLICY_TLS12 "ELBSecurityPolicy-TLS-1-2-Ext-2018-06"
#define ECHO_LEN (256 * 1024)

static struct s2n_cert_chain_and_key *chain;

/* ------------------------------------------------------------------------- */
/* Watchdog: fail instead of hanging. */

static pthread_mutex_t watchdog_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t watchdog_cond = PTHREAD_COND_INITIALIZER;
static int watchdog_done;

/* Waits until `expected` workers called worker_done(), or fails the test
 * and exits after `seconds`. */
static void watchdog_wait(int expected, int seconds, const char *what)
{
    struct timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += seconds;
    pthread_mutex_lock(&watchdog_lock);
    while (watchdog_done < expected) {
        if (pthread_cond_timedwait(&watchdog_cond, &watchdog_lock, &deadline) != 0) {
            int done = watchdog_done;
            pthread_mutex_unlock(&watchdog_lock);
            S2NRS_FAIL_AT("%s: only %d of %d threads finished within %d s (deadlock?)", what, done, expected,
                    seconds);
            printf("%s: exiting without cleanup\n", __FILE__);
            fflush(stdout);
            _exit(1);
        }
    }
    watchdog_done = 0;
    pthread_mutex_unlock(&watchdog_lock);
}

static void worker_done(void)
{
    pthread_mutex_lock(&watchdog_lock);
    watchdog_done++;
    pthread_cond_broadcast(&watchdog_cond);
    pthread_mutex_unlock(&watchdog_lock);
}

/* ------------------------------------------------------------------------- */
/* 1. Concurrent s2n_send and s2n_recv on one connection */

static uint8_t sent_data[ECHO_LEN];
static uint8_t echoed_data[ECHO_LEN];

struct echo_ctx {
    struct s2n_connection *client;
    struct s2n_connection *server;
    size_t sent;
    size_t received;
    size_t echoed;
};

static void *echo_server(void *arg)
{
    struct echo_ctx *e = arg;
    s2n_blocked_status blocked = S2N_NOT_BLOCKED;
    if (s2n_negotiate(e->server, &blocked) != S2N_SUCCESS) {
        S2NRS_FAIL_AT("server s2n_negotiate failed");
        s2nrs_print_s2n_error(s2n_errno);
        worker_done();
        return NULL;
    }
    static uint8_t buf[32 * 1024];
    while (e->echoed < ECHO_LEN) {
        ssize_t r = s2n_recv(e->server, buf, sizeof(buf), &blocked);
        if (r <= 0) {
            S2NRS_FAIL_AT("server s2n_recv returned %zd after echoing %zu bytes", r, e->echoed);
            if (r < 0) {
                s2nrs_print_s2n_error(s2n_errno);
            }
            break;
        }
        size_t off = 0;
        while (off < (size_t) r) {
            ssize_t w = s2n_send(e->server, buf + off, r - (ssize_t) off, &blocked);
            if (w < 0) {
                S2NRS_FAIL_AT("server s2n_send failed after echoing %zu bytes", e->echoed + off);
                s2nrs_print_s2n_error(s2n_errno);
                worker_done();
                return NULL;
            }
            off += (size_t) w;
        }
        e->echoed += (size_t) r;
    }
    worker_done();
    return NULL;
}

static void *client_writer(void *arg)
{
    struct echo_ctx *e = arg;
    s2n_blocked_status blocked = S2N_NOT_BLOCKED;
    while (e->sent < ECHO_LEN) {
        size_t chunk = ECHO_LEN - e->sent;
        if (chunk > 10000) {
            chunk = 10000; /* several records per call, not aligned to records */
        }
        ssize_t w = s2n_send(e->client, sent_data + e->sent, (ssize_t) chunk, &blocked);
        if (w < 0) {
            S2NRS_FAIL_AT("client writer: s2n_send failed after %zu bytes", e->sent);
            s2nrs_print_s2n_error(s2n_errno);
            break;
        }
        e->sent += (size_t) w;
    }
    worker_done();
    return NULL;
}

static void *client_reader(void *arg)
{
    struct echo_ctx *e = arg;
    s2n_blocked_status blocked = S2N_NOT_BLOCKED;
    while (e->received < ECHO_LEN) {
        ssize_t r = s2n_recv(e->client, echoed_data + e->received, ECHO_LEN - e->received, &blocked);
        if (r <= 0) {
            S2NRS_FAIL_AT("client reader: s2n_recv returned %zd after %zu bytes", r, e->received);
            if (r < 0) {
                s2nrs_print_s2n_error(s2n_errno);
            }
            break;
        }
        e->received += (size_t) r;
    }
    worker_done();
    return NULL;
}

static void *server_shutdown(void *arg)
{
    s2n_blocked_status blocked = S2N_NOT_BLOCKED;
    if (s2n_shutdown(arg, &blocked) != S2N_SUCCESS) {
        S2NRS_FAIL_AT("server s2n_shutdown failed");
        s2nrs_print_s2n_error(s2n_errno);
    }
    worker_done();
    return NULL;
}

static void concurrent_send_recv(const char *policy)
{
    printf("== one connection: s2n_send and s2n_recv on two threads, 256 KiB echoed (%s)\n", policy);
    struct s2n_config *server_config = s2nrs_server_config(policy, &chain, 1);
    struct s2n_config *client_config = s2nrs_client_config(policy, "ca-ecdsa.pem");
    struct s2nrs_pair p;
    if (s2nrs_pair_init_ex(&p, client_config, server_config, "localhost", false) == 0) {
        s2nrs_fill_pattern(sent_data, sizeof(sent_data), 77);
        memset(echoed_data, 0, sizeof(echoed_data));
        static struct echo_ctx e;
        memset(&e, 0, sizeof(e));
        e.client = p.client;
        e.server = p.server;

        pthread_t server_thread, writer, reader;
        EXPECT_EQ_INT(pthread_create(&server_thread, NULL, echo_server, &e), 0);
        s2n_blocked_status blocked = S2N_NOT_BLOCKED;
        EXPECT_SUCCESS(s2n_negotiate(p.client, &blocked));
        EXPECT_EQ_INT(pthread_create(&reader, NULL, client_reader, &e), 0);
        EXPECT_EQ_INT(pthread_create(&writer, NULL, client_writer, &e), 0);
        watchdog_wait(3, 60, "concurrent s2n_send/s2n_recv");
        pthread_join(server_thread, NULL);
        pthread_join(reader, NULL);
        pthread_join(writer, NULL);

        printf("    sent %zu, echoed %zu, received %zu\n", e.sent, e.echoed, e.received);
        EXPECT_EQ_INT(e.sent, ECHO_LEN);
        EXPECT_EQ_INT(e.echoed, ECHO_LEN);
        EXPECT_EQ_INT(e.received, ECHO_LEN);
        EXPECT(memcmp(sent_data, echoed_data, ECHO_LEN) == 0);

        /* Close: the two blocking shutdowns run on two threads. */
        pthread_t closer;
        EXPECT_EQ_INT(pthread_create(&closer, NULL, server_shutdown, p.server), 0);
        int rc = s2n_shutdown(p.client, &blocked);
        int err = s2n_errno;
        worker_done();
        watchdog_wait(2, 30, "s2n_shutdown on both sides");
        pthread_join(closer, NULL);
        if (rc != S2N_SUCCESS) {
            S2NRS_FAIL_AT("client s2n_shutdown failed");
            s2nrs_print_s2n_error(err);
        }
    }
    s2nrs_pair_free(&p);
    EXPECT_SUCCESS(s2n_config_free(server_config));
    EXPECT_SUCCESS(s2n_config_free(client_config));
}

/* ------------------------------------------------------------------------- */
/* 2. Shared configs, 8 connection pairs on 4 threads */

#define THREADS 4
#define PAIRS_PER_THREAD 2

static struct s2n_config *shared_server_config;
static struct s2n_config *shared_client_config;
static pthread_barrier_t start_barrier;

struct worker {
    int id;
    int ok;
    char cipher[PAIRS_PER_THREAD][64];
};

static void *handshake_worker(void *arg)
{
    struct worker *w = arg;
    struct s2nrs_pair pairs[PAIRS_PER_THREAD];
    memset(pairs, 0, sizeof(pairs));
    struct s2nrs_negotiation n[PAIRS_PER_THREAD];
    memset(n, 0, sizeof(n));
    bool done[PAIRS_PER_THREAD][2] = { { false } };
    int err[PAIRS_PER_THREAD][2] = { { 0 } };
    bool failed = false;

    for (int i = 0; i < PAIRS_PER_THREAD; i++) {
        if (s2nrs_pair_init(&pairs[i], shared_client_config, shared_server_config, "localhost") != 0) {
            failed = true;
        }
    }
    int rc = pthread_barrier_wait(&start_barrier);
    EXPECT(rc == 0 || rc == PTHREAD_BARRIER_SERIAL_THREAD);

    /* Interleave the handshakes of this thread's pairs. */
    for (int round = 0; !failed && round < S2NRS_MAX_ROUNDS; round++) {
        bool all_done = true;
        for (int i = 0; i < PAIRS_PER_THREAD && !failed; i++) {
            s2n_blocked_status blocked;
            if (s2nrs_negotiate_step(pairs[i].client, &done[i][0], &err[i][0], &blocked)
                    || s2nrs_negotiate_step(pairs[i].server, &done[i][1], &err[i][1], &blocked)) {
                S2NRS_FAIL_AT("thread %d pair %d: handshake failed: client %s, server %s", w->id, i,
                        err[i][0] ? s2nrs_err_name(err[i][0]) : "ok", err[i][1] ? s2nrs_err_name(err[i][1]) : "ok");
                failed = true;
            }
            all_done = all_done && done[i][0] && done[i][1];
        }
        if (all_done) {
            break;
        }
    }
    for (int i = 0; i < PAIRS_PER_THREAD && !failed; i++) {
        if (!(done[i][0] && done[i][1])) {
            S2NRS_FAIL_AT("thread %d pair %d: handshake did not finish", w->id, i);
            failed = true;
            break;
        }
        snprintf(w->cipher[i], sizeof(w->cipher[i]), "%s", s2nrs_safe_str(s2n_connection_get_cipher(pairs[i].client)));
        uint8_t msg[4096];
        s2nrs_fill_pattern(msg, sizeof(msg), (uint32_t) (w->id * 10 + i + 1));
        if (!s2nrs_transfer(pairs[i].client, pairs[i].server, msg, sizeof(msg))
                || !s2nrs_transfer(pairs[i].server, pairs[i].client, msg, sizeof(msg))) {
            failed = true;
        }
        /* Each connection reports its own state, not another thread's. */
        if (strcmp(s2nrs_safe_str(s2n_get_server_name(pairs[i].server)), "localhost") != 0) {
            S2NRS_FAIL_AT("thread %d pair %d: server name %s", w->id, i,
                    s2nrs_safe_str(s2n_get_server_name(pairs[i].server)));
            failed = true;
        }
    }
    for (int i = 0; i < PAIRS_PER_THREAD; i++) {
        s2nrs_pair_free(&pairs[i]);
    }
    /* A thread that used the library releases its thread-local state on exit;
     * the configs, shared with the other threads, stay usable. */
    if (s2n_cleanup_thread() != S2N_SUCCESS) {
        S2NRS_FAIL_AT("thread %d: s2n_cleanup_thread: %s", w->id, s2nrs_err_name(s2n_errno));
        failed = true;
    }
    w->ok = !failed;
    worker_done();
    return NULL;
}

static void shared_config(const char *policy)
{
    printf("== one config pair shared by %d connection pairs on %d threads (%s)\n", THREADS * PAIRS_PER_THREAD,
            THREADS, policy);
    shared_server_config = s2nrs_server_config(policy, &chain, 1);
    shared_client_config = s2nrs_client_config(policy, "ca-ecdsa.pem");
    pthread_barrier_init(&start_barrier, NULL, THREADS);
    pthread_t threads[THREADS];
    struct worker workers[THREADS];
    memset(workers, 0, sizeof(workers));
    for (int t = 0; t < THREADS; t++) {
        workers[t].id = t;
        EXPECT_EQ_INT(pthread_create(&threads[t], NULL, handshake_worker, &workers[t]), 0);
    }
    watchdog_wait(THREADS, 60, "shared config handshakes");
    int ok = 0;
    for (int t = 0; t < THREADS; t++) {
        pthread_join(threads[t], NULL);
        ok += workers[t].ok;
        for (int i = 0; i < PAIRS_PER_THREAD && workers[t].ok; i++) {
            EXPECT_STREQ(workers[t].cipher[i], workers[0].cipher[0]);
        }
    }
    printf("    %d of %d threads completed their handshakes (cipher %s)\n", ok, THREADS, workers[0].cipher[0]);
    EXPECT_EQ_INT(ok, THREADS);
    pthread_barrier_destroy(&start_barrier);
    EXPECT_SUCCESS(s2n_config_free(shared_server_config));
    EXPECT_SUCCESS(s2n_config_free(shared_client_config));
}

int main(void)
{
    s2nrs_tls_setup(240);
    chain = s2nrs_load_chain("server-ecdsa-chain.pem", "server-ecdsa-key.pem");

    const char *policies[] = { POLICY_TLS13, POLICY_TLS12 };
    for (int i = 0; i < 2; i++) {
        concurrent_send_recv(policies[i]);
        shared_config(policies[i]);
    }

    EXPECT_SUCCESS(s2n_cert_chain_and_key_free(chain));
    s2nrs_tls_teardown();
    return S2NRS_TEST_RESULT();
}
