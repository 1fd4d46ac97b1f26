/*
 * TLS1.3 tickets with early data across server processes, as a pre-fork or
 * restarted server meets them: every connection is served by a new process
 * (this program run again with "serve"), whose config holds the same ticket
 * key. `openssl s_client` keeps its session in a file between connections.
 *
 *   first     a full handshake; s_client saves the session (-sess_out)
 *   resumed   another process resumes it and accepts s_client's early data
 *   again     a third process accepts the same ticket with early data again
 *             (s2n's tickets carry the session; it adds no anti-replay)
 *   new key   a process with another ticket key: a full handshake, the
 *             early data rejected (s2n_recv_early_data then fails with
 *             S2N_ERR_MAX_EARLY_DATA_SIZE in s2n-tls: a known difference)
 *
 * Every expectation is s2n-tls's behaviour (api/s2n.h, usage guide's early
 * data chapter); the program also runs against s2n-tls itself.
 */
#define _GNU_SOURCE

#include <poll.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>

#include "harness/peer_io.h"

#define EARLY_DATA "early data from openssl\n"
#define SERVER_SAYS "served by s2n\n"
#define CLIENT_SAYS "bye from openssl\n"
#define MAX_EARLY 4096

/* ------------------------------------------------------------------------- */
/* The server process: one connection on the inherited listening socket. */

/* s2n_recv_early_data until the client is done with early data; -1 on
 * failure (s2n_errno set), -2 on a timeout. */
static ssize_t recv_early(struct s2n_connection *conn, int fd, char *buf, size_t cap)
{
    size_t total = 0;
    int64_t deadline = s2nrs_now_ms() + S2NRS_IO_TIMEOUT_MS;
    for (;;) {
        ssize_t got = 0;
        s2n_blocked_status blocked = S2N_NOT_BLOCKED;
        int rc = s2n_recv_early_data(conn, (uint8_t *) buf + total, cap - 1 - total, &got, &blocked);
        total += (size_t) got;
        if (rc == S2N_SUCCESS) {
            buf[total] = '\0';
            return (ssize_t) total;
        }
        if (s2n_error_get_type(s2n_errno) != S2N_ERR_T_BLOCKED) {
            return -1;
        }
        if (s2nrs_remaining_ms(deadline) == 0) {
            return -2;
        }
        struct pollfd pfd = { fd, blocked == S2N_BLOCKED_ON_WRITE ? POLLOUT : POLLIN, 0 };
        poll(&pfd, 1, 100);
    }
}

/* argv: serve <fd> <ticket key byte> <expect resumed> <expect early data status> */
static int serve(char **argv)
{
    int lfd = atoi(argv[2]);
    uint8_t key[32];
    memset(key, atoi(argv[3]), sizeof(key));
    int expect_resumed = atoi(argv[4]);
    int expect_early = atoi(argv[5]);

    s2nrs_tls_setup(30);
    struct s2n_cert_chain_and_key *chain = s2nrs_load_chain("server-ecdsa-chain.pem", "server-ecdsa-key.pem");
    struct s2n_config *config = s2nrs_server_config("default_tls13", &chain, 1);
    EXPECT_SUCCESS(s2n_config_set_session_tickets_onoff(config, 1));
    uint64_t intro = (uint64_t) time(NULL) - 60;
    EXPECT_SUCCESS(s2n_config_add_ticket_crypto_key(config, (const uint8_t *) "pre-fork", 8, key, sizeof(key), intro));
    EXPECT_SUCCESS(s2n_config_set_server_max_early_data_size(config, MAX_EARLY));

    int fd = s2nrs_accept_timeout(lfd, S2NRS_IO_TIMEOUT_MS, NULL);
    struct s2n_connection *conn = s2n_connection_new(S2N_SERVER);
    EXPECT(fd >= 0 && conn != NULL);
    if (fd >= 0 && conn != NULL) {
        EXPECT_SUCCESS(s2n_connection_set_config(conn, config));
        EXPECT_SUCCESS(s2n_connection_set_fd(conn, fd));
        char early[MAX_EARLY + 1];
        ssize_t n = recv_early(conn, fd, early, sizeof(early));
        int recv_errno = n == -1 ? s2n_errno : 0;
        EXPECT_SUCCESS(s2nrs_io_negotiate(conn, fd, S2NRS_IO_TIMEOUT_MS));
        s2n_early_data_status_t status = 0;
        EXPECT_SUCCESS(s2n_connection_get_early_data_status(conn, &status));
        int resumed = s2n_connection_is_session_resumed(conn);
        printf("  served: resumed %d, early data status %d, %zd early byte(s)\n", resumed, (int) status, n);
        EXPECT_EQ_INT(resumed, expect_resumed);
        EXPECT_EQ_INT(status, expect_early);
        if (expect_early == S2N_EARLY_DATA_STATUS_END) {
            EXPECT(n >= 0 && strcmp(early, EARLY_DATA) == 0);
        } else if (expect_early == S2N_EARLY_DATA_STATUS_NOT_REQUESTED
                || s2nrs_known_difference("rejected-early-data-bytes")) {
            EXPECT_EQ_INT(n, 0);
        } else {
            /* The early data s2n skipped counts against a limit of 0; the handshake goes on. */
            EXPECT_EQ_INT(n, -1);
            EXPECT_EQ_INT(recv_errno, S2NRS_E_MAX_EARLY_DATA_SIZE);
        }
        EXPECT_SUCCESS(s2nrs_io_send_all(conn, fd, SERVER_SAYS, strlen(SERVER_SAYS), S2NRS_IO_TIMEOUT_MS));
        char buf[256];
        int closed = 0;
        ssize_t got = s2nrs_io_recv_until(conn, fd, buf, sizeof(buf), CLIENT_SAYS, &closed, S2NRS_IO_TIMEOUT_MS);
        EXPECT(got > 0 && strcmp(buf, CLIENT_SAYS) == 0);
        s2nrs_io_shutdown(conn, fd, S2NRS_IO_TIMEOUT_MS);
    }
    if (conn) {
        EXPECT_SUCCESS(s2n_connection_free(conn));
    }
    if (fd >= 0) {
        close(fd);
    }
    EXPECT_SUCCESS(s2n_config_free(config));
    EXPECT_SUCCESS(s2n_cert_chain_and_key_free(chain));
    s2nrs_tls_teardown();
    return s2nrs_failure_count() == 0 ? 0 : 1;
}

/* ------------------------------------------------------------------------- */
/* The test: s_client against a new server process per connection. */

static const char *self;
static char session_path[256];
static char early_path[256];

/* Starts this program as a server process on lfd. */
static pid_t start_server(int lfd, int key_byte, int expect_resumed, int expect_early)
{
    char fd_arg[16], key_arg[16], resumed_arg[16], early_arg[16];
    snprintf(fd_arg, sizeof(fd_arg), "%d", lfd);
    snprintf(key_arg, sizeof(key_arg), "%d", key_byte);
    snprintf(resumed_arg, sizeof(resumed_arg), "%d", expect_resumed);
    snprintf(early_arg, sizeof(early_arg), "%d", expect_early);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        fcntl(lfd, F_SETFD, 0);
        execl(self, self, "serve", fd_arg, key_arg, resumed_arg, early_arg, (char *) NULL);
        _exit(127);
    }
    return pid;
}

/* The server process's exit code, or -1 if it did not exit in time (then it is killed). */
static int wait_server(pid_t pid)
{
    int64_t deadline = s2nrs_now_ms() + 2 * S2NRS_IO_TIMEOUT_MS;
    for (;;) {
        int status = 0;
        if (waitpid(pid, &status, WNOHANG) == pid) {
            return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        }
        if (s2nrs_remaining_ms(deadline) == 0) {
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            return -1;
        }
        s2nrs_sleep_ms(20);
    }
}

/* One connection: a new server process, s_client with `extra` arguments. */
static void connection(const char *name, int key_byte, const char *const *extra, int expect_resumed,
        int expect_early, const char *client_prints)
{
    printf("case %s\n", name);
    uint16_t port = 0;
    int lfd = s2nrs_listen_loopback(&port);
    EXPECT(lfd >= 0);
    if (lfd < 0) {
        return;
    }
    pid_t server = start_server(lfd, key_byte, expect_resumed, expect_early);
    close(lfd);
    char connect[32];
    snprintf(connect, sizeof(connect), "127.0.0.1:%u", port);
    const char *argv[24] = { "openssl", "s_client", "-connect", connect, "-tls1_3", "-servername", "localhost",
        "-CAfile", s2nrs_cert_path("ca-ecdsa.pem"), "-verify_return_error" };
    size_t argc = 10;
    for (size_t i = 0; extra[i] != NULL && argc < 23; i++) {
        argv[argc++] = extra[i];
    }
    struct s2nrs_peer *client = s2nrs_peer_spawn(name, argv, 1);
    if (client != NULL) {
        EXPECT(s2nrs_peer_wait_output(client, SERVER_SAYS, S2NRS_IO_TIMEOUT_MS));
        EXPECT(s2nrs_peer_write(client, CLIENT_SAYS) == 0);
        EXPECT_EQ_INT(wait_server(server), 0);
        if (client_prints != NULL) {
            EXPECT(s2nrs_peer_output_has(client, client_prints));
        }
        s2nrs_peer_stop(client);
    } else {
        kill(server, SIGKILL);
        wait_server(server);
    }
}

int main(int argc, char **argv)
{
    if (argc == 6 && strcmp(argv[1], "serve") == 0) {
        return serve(argv);
    }
    self = argv[0];
    s2nrs_require_tool("openssl");
    s2nrs_interop_init(120);
    snprintf(session_path, sizeof(session_path), "/tmp/s2nrs-tickets-%d.pem", (int) getpid());
    snprintf(early_path, sizeof(early_path), "/tmp/s2nrs-early-%d.txt", (int) getpid());
    FILE *f = fopen(early_path, "w");
    EXPECT(f != NULL);
    if (f != NULL) {
        fputs(EARLY_DATA, f);
        fclose(f);
    }

    const char *save[] = { "-sess_out", session_path, NULL };
    connection("first", 1, save, 0, S2N_EARLY_DATA_STATUS_NOT_REQUESTED, NULL);

    const char *resume[] = { "-sess_in", session_path, "-early_data", early_path, NULL };
    connection("resumed", 1, resume, 1, S2N_EARLY_DATA_STATUS_END, "Early data was accepted");
    connection("again", 1, resume, 1, S2N_EARLY_DATA_STATUS_END, "Early data was accepted");
    connection("new key", 2, resume, 0, S2N_EARLY_DATA_STATUS_REJECTED, "Early data was rejected");

    unlink(session_path);
    unlink(early_path);
    return S2NRS_TEST_RESULT();
}
