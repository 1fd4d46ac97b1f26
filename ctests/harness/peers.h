/*
 * The C tests' harness, peer processes (harness/peers.c): other TLS stacks'
 * command-line tools (openssl s_server/s_client, gnutls-serv/gnutls-cli)
 * run beside the test.
 *
 * - s2nrs_require_tool("gnutls-serv"): the tool's path on PATH, or the test
 *   exits 77 ("skip: gnutls-serv not installed").
 * - s2nrs_peer_spawn(): fork/exec with stdout and stderr captured in one temp
 *   file, stdin from a pipe (or /dev/null), every other fd closed, and
 *   PR_SET_PDEATHSIG so a peer never outlives the test. Every peer is
 *   registered: s2nrs_peer_stop_all() (atexit, and the alarm backstop of
 *   s2nrs_interop_init) kills and reaps those still running, by pid.
 */
#pragma once

#include <sys/types.h>

#include "harness/common.h"

/* Per-operation deadline of a peer interaction, and the whole-test backstop. */
#define S2NRS_IO_TIMEOUT_MS 10000
#define S2NRS_ALARM_SECONDS 60

/* Call first in main(): SIGPIPE ignored, peers stopped at exit, and an
 * alarm backstop (0: S2NRS_ALARM_SECONDS) that kills the peers and fails. */
void s2nrs_interop_init(unsigned alarm_seconds);

/* Restarts the backstop (e.g. between groups of cases). */
void s2nrs_rearm_alarm(unsigned seconds);

/* ------------------------------------------------------------------------- */
/* Tools */

/* The tool's path, or exit 77 (skipped). */
const char *s2nrs_require_tool(const char *name);

/* The first line of `cmdline`'s output (for example a version), or "(unknown)". */
void s2nrs_tool_first_line(const char *cmdline, char *out, size_t n);

/* ------------------------------------------------------------------------- */
/* Peers */

struct s2nrs_peer {
    char label[64];
    pid_t pid;        /* > 0 until reaped */
    int stdin_fd;     /* write end of the peer's stdin, or -1 */
    int exited;       /* reaped */
    int status;       /* wait status once reaped */
    char out_path[256];
    char *out;        /* last s2nrs_peer_output() */
};

/*
 * Starts argv (argv[0] looked up on PATH). with_stdin: the peer's stdin is a
 * pipe written with s2nrs_peer_write(), else /dev/null. Returns NULL (and
 * records a failure) if the peer cannot be started.
 */
struct s2nrs_peer *s2nrs_peer_spawn(const char *label, const char *const *argv, int with_stdin);

/* Whether the peer has exited (reaps it if so). */
int s2nrs_peer_poll_exit(struct s2nrs_peer *p);

/* The exit code (or 128 + signal) of a reaped peer, else -1. */
int s2nrs_peer_exit_code(const struct s2nrs_peer *p);

/* Waits for the peer to exit; returns its exit code, or -1 after timeout_ms
 * (then the peer is killed). */
int s2nrs_peer_wait_exit(struct s2nrs_peer *p, int timeout_ms);

/* Stops a peer that may still run: SIGTERM, then SIGKILL after 2 s; reaps it. */
void s2nrs_peer_stop(struct s2nrs_peer *p);

/* Kills (SIGKILL, by pid) and reaps every peer still running; async-signal-safe. */
void s2nrs_peer_stop_all(void);

/* What the peer printed so far (stdout and stderr); owned by the peer. */
const char *s2nrs_peer_output(struct s2nrs_peer *p);
int s2nrs_peer_output_has(struct s2nrs_peer *p, const char *needle);

/* Waits until the output holds needle; 0 if the peer exits or time runs out first. */
int s2nrs_peer_wait_output(struct s2nrs_peer *p, const char *needle, int timeout_ms);

/* Prints the peer's output, indented (for a failure's diagnosis). */
void s2nrs_peer_dump(struct s2nrs_peer *p);

/* Most arguments of a peer's command line, NULL included. */
#define S2NRS_MAX_ARGS 48

/* argv (NULL-terminated) with "{PORT}" in an argument replaced by the port:
 * out[i] is argv[i] or store[i]; out is NULL-terminated. */
void s2nrs_subst_port(const char *const *argv, uint16_t port, char store[][256], const char **out);

/* Writes all of data to the peer's stdin; 0 on success. */
int s2nrs_peer_write(struct s2nrs_peer *p, const char *data);
void s2nrs_peer_close_stdin(struct s2nrs_peer *p);
