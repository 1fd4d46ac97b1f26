/*
 * The C tests' harness, connections to peer processes (harness/peer_io.c):
 * loopback sockets and deadline-bounded s2n I/O over nonblocking sockets.
 *
 * - s2nrs_free_port() / s2nrs_listen_loopback(): 127.0.0.1 only, port 0.
 * - s2nrs_peer_wait_listening(): polls /proc/net/tcp{,6} until the peer
 *   listens on the port (a probe connect would use up s_server -naccept 1);
 *   it falls back to a probe connect where /proc is unavailable.
 * - s2nrs_enter_private_netns(): a private network namespace (only lo),
 *   for peers such as gnutls-serv that can only listen on every address.
 * - s2nrs_io_*: s2n_negotiate/send/recv/shutdown driven with poll() and a
 *   deadline; on failure s2n_errno is the one of the failing s2n call. Each
 *   single s2n call runs under a watchdog (S2NRS_CALL_LIMIT_MS): a call that
 *   loops inside the library is broken out of and recorded as a failure.
 */
#pragma once

#include "harness/peers.h"

/* ------------------------------------------------------------------------- */
/* Sockets (127.0.0.1 only) */

/* A port that was free on 127.0.0.1 a moment ago (bind :0, read, close); 0 on error. */
uint16_t s2nrs_free_port(void);

/* A listening socket on 127.0.0.1:0 (port returned in *port); -1 on error. */
int s2nrs_listen_loopback(uint16_t *port);

int s2nrs_set_nonblocking(int fd);

/* Accepts one connection within timeout_ms (nonblocking fd); -1 on timeout/error.
 * If peer is given and exits first, gives up early. */
int s2nrs_accept_timeout(int lfd, int timeout_ms, struct s2nrs_peer *peer);

/* Listens on 127.0.0.1, starts the client peer argv ("{PORT}" replaced; its
 * stdin a pipe) and accepts its connection within timeout_ms: the connected
 * nonblocking fd, or -1. *peer is the peer, or NULL if it did not start
 * (failure recorded). */
int s2nrs_accept_peer(const char *label, const char *const *argv, int timeout_ms, struct s2nrs_peer **peer);

/* A nonblocking connection to 127.0.0.1:port within timeout_ms; -1 on error. */
int s2nrs_connect_loopback(uint16_t port, int timeout_ms);

/* Waits until the peer listens on port; 0 if it exits or times out first. */
int s2nrs_peer_wait_listening(struct s2nrs_peer *p, uint16_t port, int timeout_ms);

/*
 * Moves this process into a new network namespace holding only lo (brought
 * up), so that peers which listen on every address stay unreachable from
 * outside. Must run before any thread is created. Returns 0 on success,
 * -1 (with a reason in why) when namespaces are unavailable.
 */
int s2nrs_enter_private_netns(char *why, size_t why_len);

/* ------------------------------------------------------------------------- */
/* s2n I/O with deadlines over a nonblocking fd */

/* How long one s2n call may take before the watchdog breaks it off. */
#define S2NRS_CALL_LIMIT_MS 5000

/* s2n calls the watchdog had to break off. */
extern int s2nrs_hung_calls;

/* s2n_negotiate until done, failed or timed out. S2N_SUCCESS/S2N_FAILURE. */
int s2nrs_io_negotiate(struct s2n_connection *conn, int fd, int timeout_ms);

/* Sends all len bytes. S2N_SUCCESS/S2N_FAILURE. */
int s2nrs_io_send_all(struct s2n_connection *conn, int fd, const void *data, size_t len, int timeout_ms);

/*
 * Receives into buf (NUL-terminated, at most cap - 1 bytes) until it holds
 * needle (NULL: until the peer closes), the peer closes (s2n_recv returns 0)
 * or cap - 1 bytes. Returns the byte count, or -1 on an s2n failure or
 * timeout (s2n_errno set by the failing call). *closed: whether s2n_recv
 * returned 0 (close_notify received).
 */
ssize_t s2nrs_io_recv_until(struct s2n_connection *conn, int fd, char *buf, size_t cap, const char *needle,
        int *closed, int timeout_ms);

/* s2n_shutdown until done, failed or timed out. S2N_SUCCESS/S2N_FAILURE. */
int s2nrs_io_shutdown(struct s2n_connection *conn, int fd, int timeout_ms);
