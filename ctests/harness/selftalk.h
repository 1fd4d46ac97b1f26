/*
 * The C tests' harness, self-talk part (harness/selftalk.c): a client and a
 * server connection of the library under test talking to each other in
 * process, through the public s2n API only.
 *
 *   s2nrs_socketpair(...)      AF_UNIX stream pair, optionally O_NONBLOCK
 *   s2nrs_raw_server(...)      a server connection fed raw bytes (ClientHellos)
 *   s2nrs_pair_*               a client+server connection pair on a socketpair
 *   s2nrs_negotiate_pair(...)  alternate s2n_negotiate until both finish or one
 *                              fails with a non-blocking error (bounded rounds)
 *   s2nrs_send_all/recv_some/transfer
 *                              application data over nonblocking connections
 *   s2nrs_pipe / s2nrs_mem_*   custom s2n_recv_fn/s2n_send_fn over in-memory
 *                              buffers that move at most N bytes per call and
 *                              report EAGAIN when empty/full
 */
#pragma once

#include "harness/common.h"

/* ------------------------------------------------------------------------- */
/* Sockets */

/* fds[0] for the client, fds[1] for the server; 0, or -1 (failure recorded). */
int s2nrs_socketpair(int fds[2], bool nonblocking);

/* A server connection with `config` and self-service blinding on a
 * nonblocking socketpair whose other end (fds[0]) has sent `bytes`: for
 * raw ClientHellos. s2nrs_raw_server_free frees it and closes both ends. */
struct s2n_connection *s2nrs_raw_server(struct s2n_config *config, const uint8_t *bytes, size_t len, int fds[2]);
void s2nrs_raw_server_free(struct s2n_connection *server, int fds[2]);

/* ------------------------------------------------------------------------- */
/* A client and a server connection over a socketpair */

struct s2nrs_pair {
    struct s2n_connection *client;
    struct s2n_connection *server;
    int fds[2]; /* [0] client end, [1] server end; -1 once closed */
};

/* New connections with the configs, on a (nonblocking unless told) socketpair;
 * server_name (may be NULL) is set on the client. 0, or -1 (failure recorded). */
int s2nrs_pair_init_ex(struct s2nrs_pair *p, struct s2n_config *client_config, struct s2n_config *server_config,
        const char *server_name, bool nonblocking);
int s2nrs_pair_init(struct s2nrs_pair *p, struct s2n_config *client_config, struct s2n_config *server_config,
        const char *server_name);
void s2nrs_pair_close_fds(struct s2nrs_pair *p);
/* Frees both connections (expected to succeed) and closes the fds. */
void s2nrs_pair_free(struct s2nrs_pair *p);

/* ------------------------------------------------------------------------- */
/* Handshake driver */

enum s2nrs_side {
    S2NRS_NONE = 0,   /* both finished */
    S2NRS_CLIENT = 1, /* the client failed */
    S2NRS_SERVER = 2, /* the server failed */
    S2NRS_STUCK = 3,  /* the round limit was reached with both sides blocked */
    S2NRS_PAUSED = 4, /* s2nrs_negotiate_pair_to_pause: the server awaits the application */
};

const char *s2nrs_side_name(int side);

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
    int app_input_blocks; /* calls that returned S2N_BLOCKED_ON_APPLICATION_INPUT */
};

#define S2NRS_MAX_ROUNDS 500

/* One s2n_negotiate on conn unless it is done; returns true if it failed with a
 * non-blocking error. */
bool s2nrs_negotiate_step(struct s2n_connection *conn, bool *done, int *err, s2n_blocked_status *blocked);

/* Alternates s2n_negotiate (client first) until both finish or one fails with
 * a non-blocking error; a side that finished is not called again. Needs
 * nonblocking I/O. */
struct s2nrs_negotiation s2nrs_negotiate_pair(struct s2n_connection *client, struct s2n_connection *server);

/* The same, but it also stops (failed = S2NRS_PAUSED) as soon as the server
 * blocks on application input (an asynchronous callback's pause). */
struct s2nrs_negotiation s2nrs_negotiate_pair_to_pause(struct s2n_connection *client,
        struct s2n_connection *server);

/* Keeps calling s2n_negotiate on one side (the other side is left alone)
 * until it finishes (returns 0) or fails with a non-blocking error (returns
 * that s2n_errno); S2N_ERR_IO_BLOCKED if it is still blocked after
 * max_rounds calls. */
int s2nrs_negotiate_one(struct s2n_connection *conn, int max_rounds);

void s2nrs_print_negotiation(const char *what, const struct s2nrs_negotiation *r);

/* A negotiation must have finished on both sides; prints the details if not.
 * Evaluates to true if it did. */
bool s2nrs_expect_negotiated(const struct s2nrs_negotiation *n, const char *what, const char *file, int line);
#define EXPECT_NEGOTIATED(n, what) s2nrs_expect_negotiated(&(n), (what), __FILE__, __LINE__)

/* A handshake (s2nrs_negotiate_pair) that must succeed on both sides. */
bool s2nrs_expect_handshake_ok(struct s2n_connection *client, struct s2n_connection *server, const char *what,
        const char *file, int line);
#define EXPECT_HANDSHAKE_OK(client, server) \
    s2nrs_expect_handshake_ok((client), (server), #client " / " #server, __FILE__, __LINE__)

/* ------------------------------------------------------------------------- */
/* Application data (nonblocking, bounded) */

/* s2n_send as much of buf as possible now, following s2n's rule (call again
 * with the rest of the buffer until it is all sent or s2n_send blocks).
 * Returns the bytes sent (err = 0, or the BLOCKED code if it blocked), or -1
 * on another error (err set). */
long s2nrs_send_all(struct s2n_connection *conn, const void *buf, size_t len, int *err);

/* s2n_recv until len bytes arrived, the peer closed (0), an error, or it
 * blocks. Returns bytes received; *err is 0, the error, or a BLOCKED code. */
long s2nrs_recv_some(struct s2n_connection *conn, void *buf, size_t len, int *err);

/* Moves len bytes from `from` to `to`, alternating sends and receives on the
 * two (nonblocking) connections. Returns true if all arrived intact. */
bool s2nrs_transfer(struct s2n_connection *from, struct s2n_connection *to, const uint8_t *data, size_t len);

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

void s2nrs_pipe_init(struct s2nrs_pipe *p, size_t cap, size_t max_per_call);
void s2nrs_pipe_free(struct s2nrs_pipe *p);
void s2nrs_pipe_set_limit(struct s2nrs_pipe *p, size_t max_per_call);
size_t s2nrs_pipe_available(struct s2nrs_pipe *p);
/* Appends raw bytes (not through s2n): for injecting garbage. */
size_t s2nrs_pipe_inject(struct s2nrs_pipe *p, const void *data, size_t len);
void s2nrs_pipe_close(struct s2nrs_pipe *p);
/* s2n_recv_fn and s2n_send_fn; ctx is the pipe. */
int s2nrs_pipe_recv(void *ctx, uint8_t *buf, uint32_t len);
int s2nrs_pipe_send(void *ctx, const uint8_t *buf, uint32_t len);

/* Two pipes: client -> server and server -> client. */
struct s2nrs_mem_link {
    struct s2nrs_pipe c2s;
    struct s2nrs_pipe s2c;
};

void s2nrs_mem_link_init(struct s2nrs_mem_link *l, size_t cap, size_t max_per_call);
void s2nrs_mem_link_free(struct s2nrs_mem_link *l);
/* conn reads `in` and writes `out`. */
void s2nrs_mem_attach_one(struct s2n_connection *conn, struct s2nrs_pipe *in, struct s2nrs_pipe *out);
/* The client reads s2c and writes c2s; the server the reverse. */
void s2nrs_mem_attach(struct s2n_connection *client, struct s2n_connection *server, struct s2nrs_mem_link *l);
