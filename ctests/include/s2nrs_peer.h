/*
 * Harness of the interop tests (ctests/interop_*.c): real peer processes
 * (openssl s_server/s_client, gnutls-serv/gnutls-cli) on loopback, and
 * deadline-bounded s2n I/O over nonblocking sockets.
 *
 * - s2nrs_require_tool("gnutls-serv"): the tool's path on PATH, or the test
 *   exits 77 ("skip: gnutls-serv not installed").
 * - s2nrs_peer_spawn(): fork/exec with stdout and stderr captured in one temp
 *   file, stdin from a pipe (or /dev/null), every other fd closed, and
 *   PR_SET_PDEATHSIG so a peer never outlives the test. Every peer is
 *   registered: s2nrs_peer_stop_all() (atexit, and the alarm(60) backstop
 *   of s2nrs_interop_init) kills and reaps those still running, by pid.
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
 * - struct s2nrs_case + s2nrs_run_client_case()/s2nrs_run_server_case(): one
 *   connection against one peer, with what s2n must report (version, cipher,
 *   ALPN, server name, client cert, data both ways, shutdown, or the error)
 *   and what the peer must print and exit with. S2NRS_CASE=<substring> in the
 *   environment runs only the matching cases.
 *
 * Define _GNU_SOURCE before any include in the test file.
 */
#pragma once

#include "s2nrs_differences.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <s2n.h>

#include "s2nrs_test.h"

#ifndef S2NRS_CERTS_DIR
#error "S2NRS_CERTS_DIR must be defined (the CMake project defines it)"
#endif

/* Per-operation deadline of a peer interaction, and the whole-test backstop. */
#define S2NRS_IO_TIMEOUT_MS 10000
#define S2NRS_ALARM_SECONDS 60

/* ------------------------------------------------------------------------- */
/* Time */

static inline int64_t s2nrs_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static inline void s2nrs_sleep_ms(int ms)
{
    struct timespec ts = { ms / 1000, (long) (ms % 1000) * 1000000L };
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

static inline int s2nrs_remaining_ms(int64_t deadline)
{
    int64_t left = deadline - s2nrs_now_ms();
    if (left <= 0) {
        return 0;
    }
    return left > 1000000 ? 1000000 : (int) left;
}

/* ------------------------------------------------------------------------- */
/* Files */

/* The absolute path of tests/certs/<name>; interned (stable for the whole run). */
static inline const char *s2nrs_cert_path(const char *name)
{
    static char names[128][128];
    static char paths[128][512];
    static int count;
    for (int i = 0; i < count; i++) {
        if (strcmp(names[i], name) == 0) {
            return paths[i];
        }
    }
    if (count == 128) {
        printf("s2nrs_cert_path: too many names\n");
        exit(1);
    }
    snprintf(names[count], sizeof(names[0]), "%s", name);
    snprintf(paths[count], sizeof(paths[0]), "%s/%s", S2NRS_CERTS_DIR, name);
    return paths[count++];
}

/* The whole file, NUL-terminated, malloc'd; NULL if it cannot be read. */
static inline char *s2nrs_slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        return NULL;
    }
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap);
    if (buf == NULL) {
        fclose(f);
        return NULL;
    }
    for (;;) {
        if (cap - len < 2048) {
            char *bigger = realloc(buf, cap * 2);
            if (bigger == NULL) {
                free(buf);
                fclose(f);
                return NULL;
            }
            buf = bigger;
            cap *= 2;
        }
        size_t n = fread(buf + len, 1, cap - len - 1, f);
        len += n;
        if (n == 0) {
            break;
        }
    }
    buf[len] = '\0';
    fclose(f);
    return buf;
}

/* tests/certs/<name> as a string; a missing file fails the test and exits. */
static inline char *s2nrs_read_cert(const char *name)
{
    char *pem = s2nrs_slurp(s2nrs_cert_path(name));
    if (pem == NULL) {
        printf("cannot read %s: %s\n", s2nrs_cert_path(name), strerror(errno));
        exit(1);
    }
    return pem;
}

/* ------------------------------------------------------------------------- */
/* Tools */

/* The tool's path, or exit 77 (skipped). */
static inline const char *s2nrs_require_tool(const char *name)
{
    const char *p = s2nrs_find_tool(name);
    if (p == NULL) {
        printf("skip: %s not installed\n", name);
        fflush(stdout);
        exit(S2NRS_SKIP);
    }
    return p;
}

/* The first line of `tool args` (for example its version), or "(unknown)". */
static inline void s2nrs_tool_first_line(const char *cmdline, char *out, size_t n)
{
    snprintf(out, n, "(unknown)");
    FILE *p = popen(cmdline, "r");
    if (p == NULL) {
        return;
    }
    if (fgets(out, (int) n, p) != NULL) {
        out[strcspn(out, "\r\n")] = '\0';
    }
    pclose(p);
}

/* ------------------------------------------------------------------------- */
/* Peers */

#define S2NRS_MAX_PEERS 64

struct s2nrs_peer {
    char label[64];
    pid_t pid;        /* > 0 until reaped */
    int stdin_fd;     /* write end of the peer's stdin, or -1 */
    int exited;       /* reaped */
    int status;       /* wait status once reaped */
    char out_path[256];
    char *out;        /* last s2nrs_peer_output() */
};

static struct s2nrs_peer s2nrs_peers[S2NRS_MAX_PEERS];
static volatile sig_atomic_t s2nrs_peer_count;

static inline void s2nrs_close_fd(int *fd)
{
    if (*fd >= 0) {
        close(*fd);
        *fd = -1;
    }
}

/* Kills (SIGKILL, by pid) and reaps every peer still running; async-signal-safe. */
static void s2nrs_peer_stop_all(void)
{
    for (int i = 0; i < s2nrs_peer_count; i++) {
        struct s2nrs_peer *p = &s2nrs_peers[i];
        if (p->pid > 0 && !p->exited) {
            kill(p->pid, SIGKILL);
            int st = 0;
            while (waitpid(p->pid, &st, 0) < 0 && errno == EINTR) {
            }
            p->exited = 1;
            p->status = st;
        }
    }
}

static void s2nrs_peer_cleanup_files(void)
{
    for (int i = 0; i < s2nrs_peer_count; i++) {
        if (s2nrs_peers[i].out_path[0]) {
            unlink(s2nrs_peers[i].out_path);
        }
    }
}

static void s2nrs_atexit(void)
{
    s2nrs_peer_stop_all();
    s2nrs_peer_cleanup_files();
}

static void s2nrs_on_alarm(int sig)
{
    (void) sig;
    static const char msg[] = "FAIL: interop test exceeded its time budget (alarm); killing peers\n";
    ssize_t ignored = write(STDOUT_FILENO, msg, sizeof(msg) - 1);
    (void) ignored;
    s2nrs_peer_stop_all();
    s2nrs_peer_cleanup_files();
    _exit(1);
}

/* Call first in main(): SIGPIPE ignored, peers stopped at exit, alarm backstop. */
static inline void s2nrs_interop_init(unsigned alarm_seconds)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    signal(SIGPIPE, SIG_IGN);
    atexit(s2nrs_atexit);
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = s2nrs_on_alarm;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGALRM, &sa, NULL);
    alarm(alarm_seconds ? alarm_seconds : S2NRS_ALARM_SECONDS);
}

/* Restarts the backstop (e.g. between groups of cases). */
static inline void s2nrs_rearm_alarm(unsigned seconds)
{
    alarm(seconds ? seconds : S2NRS_ALARM_SECONDS);
}

static inline void s2nrs_print_argv(const char *label, const char *const *argv)
{
    printf("  [%s] $", label);
    for (int i = 0; argv[i]; i++) {
        printf(" %s", argv[i]);
    }
    printf("\n");
}

/*
 * Starts argv (argv[0] looked up on PATH). with_stdin: the peer's stdin is a
 * pipe written with s2nrs_peer_write(), else /dev/null. Returns NULL (and
 * records a failure) if the peer cannot be started.
 */
static inline struct s2nrs_peer *s2nrs_peer_spawn(const char *label, const char *const *argv, int with_stdin)
{
    if (s2nrs_peer_count >= S2NRS_MAX_PEERS) {
        S2NRS_FAIL_AT("too many peers");
        return NULL;
    }
    const char *exe = s2nrs_find_tool(argv[0]);
    if (exe == NULL) {
        S2NRS_FAIL_AT("%s not found on PATH", argv[0]);
        return NULL;
    }
    struct s2nrs_peer *p = &s2nrs_peers[s2nrs_peer_count];
    memset(p, 0, sizeof(*p));
    snprintf(p->label, sizeof(p->label), "%s", label);
    p->stdin_fd = -1;

    const char *tmp = getenv("TMPDIR");
    snprintf(p->out_path, sizeof(p->out_path), "%s/s2nrs-peer-XXXXXX", (tmp && *tmp) ? tmp : "/tmp");
    int out_fd = mkostemp(p->out_path, O_CLOEXEC);
    if (out_fd < 0) {
        S2NRS_FAIL_AT("mkostemp(%s): %s", p->out_path, strerror(errno));
        p->out_path[0] = '\0';
        return NULL;
    }
    int in_pipe[2] = { -1, -1 };
    if (with_stdin && pipe2(in_pipe, O_CLOEXEC) != 0) {
        S2NRS_FAIL_AT("pipe2: %s", strerror(errno));
        close(out_fd);
        return NULL;
    }
    s2nrs_print_argv(label, argv);
    fflush(stdout);

    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid < 0) {
        S2NRS_FAIL_AT("fork: %s", strerror(errno));
        close(out_fd);
        if (with_stdin) {
            close(in_pipe[0]);
            close(in_pipe[1]);
        }
        return NULL;
    }
    if (pid == 0) {
        /* Child: die with the test; stdin, stdout, stderr; nothing else open. */
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent) {
            _exit(127);
        }
        signal(SIGPIPE, SIG_DFL);
        signal(SIGALRM, SIG_DFL);
        alarm(0);
        int in_fd = with_stdin ? in_pipe[0] : open("/dev/null", O_RDONLY);
        if (in_fd < 0 || dup2(in_fd, STDIN_FILENO) < 0 || dup2(out_fd, STDOUT_FILENO) < 0
                || dup2(out_fd, STDERR_FILENO) < 0) {
            _exit(127);
        }
        long maxfd = sysconf(_SC_OPEN_MAX);
        if (maxfd < 0 || maxfd > 65536) {
            maxfd = 65536;
        }
        for (int fd = 3; fd < maxfd; fd++) {
            close(fd);
        }
        execv(exe, (char *const *) argv);
        _exit(127);
    }
    close(out_fd);
    if (with_stdin) {
        close(in_pipe[0]);
        p->stdin_fd = in_pipe[1];
    }
    p->pid = pid;
    s2nrs_peer_count = s2nrs_peer_count + 1;
    return p;
}

/* Whether the peer has exited (reaps it if so). */
static inline int s2nrs_peer_poll_exit(struct s2nrs_peer *p)
{
    if (p->exited) {
        return 1;
    }
    int st = 0;
    pid_t r = waitpid(p->pid, &st, WNOHANG);
    if (r == p->pid) {
        p->exited = 1;
        p->status = st;
        return 1;
    }
    return 0;
}

/* The exit code (or 128 + signal) of a reaped peer. */
static inline int s2nrs_peer_exit_code(const struct s2nrs_peer *p)
{
    if (!p->exited) {
        return -1;
    }
    if (WIFEXITED(p->status)) {
        return WEXITSTATUS(p->status);
    }
    if (WIFSIGNALED(p->status)) {
        return 128 + WTERMSIG(p->status);
    }
    return -1;
}

/* Waits for the peer to exit; returns its exit code, or -1 after timeout_ms
 * (then the peer is killed). */
static inline int s2nrs_peer_wait_exit(struct s2nrs_peer *p, int timeout_ms)
{
    int64_t deadline = s2nrs_now_ms() + timeout_ms;
    while (!s2nrs_peer_poll_exit(p)) {
        if (s2nrs_now_ms() >= deadline) {
            printf("  [%s] did not exit within %d ms; killing pid %d\n", p->label, timeout_ms, (int) p->pid);
            kill(p->pid, SIGKILL);
            int st = 0;
            while (waitpid(p->pid, &st, 0) < 0 && errno == EINTR) {
            }
            p->exited = 1;
            p->status = st;
            s2nrs_close_fd(&p->stdin_fd);
            return -1;
        }
        s2nrs_sleep_ms(10);
    }
    s2nrs_close_fd(&p->stdin_fd);
    return s2nrs_peer_exit_code(p);
}

/* Stops a peer that may still run: SIGTERM, then SIGKILL after 2 s; reaps it. */
static inline void s2nrs_peer_stop(struct s2nrs_peer *p)
{
    if (p == NULL) {
        return;
    }
    s2nrs_close_fd(&p->stdin_fd);
    if (!s2nrs_peer_poll_exit(p)) {
        kill(p->pid, SIGTERM);
        int64_t deadline = s2nrs_now_ms() + 2000;
        while (!s2nrs_peer_poll_exit(p)) {
            if (s2nrs_now_ms() >= deadline) {
                kill(p->pid, SIGKILL);
                int st = 0;
                while (waitpid(p->pid, &st, 0) < 0 && errno == EINTR) {
                }
                p->exited = 1;
                p->status = st;
                break;
            }
            s2nrs_sleep_ms(10);
        }
    }
}

/* What the peer printed so far (stdout and stderr); owned by the peer. */
static inline const char *s2nrs_peer_output(struct s2nrs_peer *p)
{
    free(p->out);
    p->out = s2nrs_slurp(p->out_path);
    if (p->out == NULL) {
        p->out = strdup("");
    }
    return p->out ? p->out : "";
}

static inline int s2nrs_peer_output_has(struct s2nrs_peer *p, const char *needle)
{
    return strstr(s2nrs_peer_output(p), needle) != NULL;
}

/* Waits until the output holds needle; 0 if the peer exits or time runs out first. */
static inline int s2nrs_peer_wait_output(struct s2nrs_peer *p, const char *needle, int timeout_ms)
{
    int64_t deadline = s2nrs_now_ms() + timeout_ms;
    for (;;) {
        int exited = s2nrs_peer_poll_exit(p);
        if (s2nrs_peer_output_has(p, needle)) {
            return 1;
        }
        if (exited || s2nrs_now_ms() >= deadline) {
            return 0;
        }
        s2nrs_sleep_ms(10);
    }
}

/* Prints the peer's output, indented (for a failure's diagnosis). */
static inline void s2nrs_peer_dump(struct s2nrs_peer *p)
{
    if (p == NULL) {
        return;
    }
    const char *out = s2nrs_peer_output(p);
    printf("  ---- [%s] output (pid %d, exit %d) ----\n", p->label, (int) p->pid, s2nrs_peer_exit_code(p));
    const char *line = out;
    int lines = 0;
    while (*line && lines < 200) {
        const char *nl = strchr(line, '\n');
        int len = nl ? (int) (nl - line) : (int) strlen(line);
        printf("  | %.*s\n", len, line);
        lines++;
        line = nl ? nl + 1 : line + len;
    }
    if (*line) {
        printf("  | ... (truncated)\n");
    }
    printf("  ---- end [%s] ----\n", p->label);
}

/* Writes all of data to the peer's stdin; 0 on success. */
static inline int s2nrs_peer_write(struct s2nrs_peer *p, const char *data)
{
    size_t len = strlen(data), off = 0;
    while (off < len) {
        ssize_t n = write(p->stdin_fd, data + off, len - off);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            printf("  [%s] write to stdin: %s\n", p->label, strerror(errno));
            return -1;
        }
        off += (size_t) n;
    }
    return 0;
}

static inline void s2nrs_peer_close_stdin(struct s2nrs_peer *p)
{
    s2nrs_close_fd(&p->stdin_fd);
}

/* ------------------------------------------------------------------------- */
/* Sockets (127.0.0.1 only) */

static inline void s2nrs_loopback_addr(struct sockaddr_in *sa, uint16_t port)
{
    memset(sa, 0, sizeof(*sa));
    sa->sin_family = AF_INET;
    sa->sin_port = htons(port);
    sa->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
}

/* A port that was free on 127.0.0.1 a moment ago (bind :0, read, close); 0 on error. */
static inline uint16_t s2nrs_free_port(void)
{
    for (int attempt = 0; attempt < 20; attempt++) {
        int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0) {
            return 0;
        }
        struct sockaddr_in sa;
        s2nrs_loopback_addr(&sa, 0);
        socklen_t len = sizeof(sa);
        if (bind(fd, (struct sockaddr *) &sa, sizeof(sa)) != 0) {
            int e = errno;
            close(fd);
            if (e == EADDRINUSE) {
                continue;
            }
            return 0;
        }
        if (getsockname(fd, (struct sockaddr *) &sa, &len) != 0) {
            close(fd);
            return 0;
        }
        close(fd);
        return ntohs(sa.sin_port);
    }
    return 0;
}

/* A listening socket on 127.0.0.1:0 (port returned in *port); -1 on error. */
static inline int s2nrs_listen_loopback(uint16_t *port)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        return -1;
    }
    struct sockaddr_in sa;
    s2nrs_loopback_addr(&sa, 0);
    socklen_t len = sizeof(sa);
    if (bind(fd, (struct sockaddr *) &sa, sizeof(sa)) != 0 || listen(fd, 8) != 0
            || getsockname(fd, (struct sockaddr *) &sa, &len) != 0) {
        printf("  listen on 127.0.0.1:0: %s\n", strerror(errno));
        close(fd);
        return -1;
    }
    *port = ntohs(sa.sin_port);
    return fd;
}

static inline int s2nrs_set_nonblocking(int fd)
{
    int fl = fcntl(fd, F_GETFL);
    return fl < 0 ? -1 : fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

/* Accepts one connection within timeout_ms (nonblocking fd); -1 on timeout/error.
 * If peer is given and exits first, gives up early. */
static inline int s2nrs_accept_timeout(int lfd, int timeout_ms, struct s2nrs_peer *peer)
{
    int64_t deadline = s2nrs_now_ms() + timeout_ms;
    for (;;) {
        struct pollfd pfd = { lfd, POLLIN, 0 };
        int left = s2nrs_remaining_ms(deadline);
        int r = poll(&pfd, 1, left < 100 ? left : 100);
        if (r > 0) {
            int fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
            if (fd >= 0) {
                return fd;
            }
            if (errno != EAGAIN && errno != EINTR && errno != ECONNABORTED) {
                printf("  accept: %s\n", strerror(errno));
                return -1;
            }
        } else if (r < 0 && errno != EINTR) {
            printf("  poll(listen): %s\n", strerror(errno));
            return -1;
        }
        if (peer && s2nrs_peer_poll_exit(peer)) {
            /* one last look: the peer may have connected and exited */
            struct pollfd last = { lfd, POLLIN, 0 };
            if (poll(&last, 1, 0) > 0) {
                int fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
                if (fd >= 0) {
                    return fd;
                }
            }
            printf("  [%s] exited (code %d) before connecting\n", peer->label, s2nrs_peer_exit_code(peer));
            return -1;
        }
        if (s2nrs_now_ms() >= deadline) {
            printf("  no connection within %d ms\n", timeout_ms);
            return -1;
        }
    }
}

/* A nonblocking connection to 127.0.0.1:port within timeout_ms; -1 on error. */
static inline int s2nrs_connect_loopback(uint16_t port, int timeout_ms)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0) {
        return -1;
    }
    struct sockaddr_in sa;
    s2nrs_loopback_addr(&sa, port);
    if (connect(fd, (struct sockaddr *) &sa, sizeof(sa)) == 0) {
        return fd;
    }
    if (errno != EINPROGRESS) {
        printf("  connect 127.0.0.1:%u: %s\n", port, strerror(errno));
        close(fd);
        return -1;
    }
    struct pollfd pfd = { fd, POLLOUT, 0 };
    int r;
    do {
        r = poll(&pfd, 1, timeout_ms);
    } while (r < 0 && errno == EINTR);
    int err = 0;
    socklen_t len = sizeof(err);
    if (r <= 0 || getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0 || err != 0) {
        printf("  connect 127.0.0.1:%u: %s\n", port, r <= 0 ? "timed out" : strerror(err));
        close(fd);
        return -1;
    }
    return fd;
}

/* 1 if something listens on TCP port (any local address of this network
 * namespace) per /proc/net/tcp{,6}; 0 if not; -1 if /proc cannot tell. */
static inline int s2nrs_port_listening(uint16_t port)
{
    const char *files[] = { "/proc/net/tcp", "/proc/net/tcp6" };
    int readable = 0;
    for (int i = 0; i < 2; i++) {
        FILE *f = fopen(files[i], "r");
        if (f == NULL) {
            continue;
        }
        readable = 1;
        char line[512];
        if (fgets(line, sizeof(line), f) == NULL) { /* header */
            fclose(f);
            continue;
        }
        while (fgets(line, sizeof(line), f)) {
            char local[128];
            unsigned state = 0;
            if (sscanf(line, " %*d: %127s %*s %x", local, &state) != 2) {
                continue;
            }
            char *colon = strrchr(local, ':');
            if (colon == NULL) {
                continue;
            }
            unsigned p = (unsigned) strtoul(colon + 1, NULL, 16);
            if (p == port && state == 0x0A) {
                fclose(f);
                return 1;
            }
        }
        fclose(f);
    }
    return readable ? 0 : -1;
}

/* Waits until the peer listens on port; 0 if it exits or times out first. */
static inline int s2nrs_peer_wait_listening(struct s2nrs_peer *p, uint16_t port, int timeout_ms)
{
    int64_t deadline = s2nrs_now_ms() + timeout_ms;
    for (;;) {
        if (s2nrs_peer_poll_exit(p)) {
            printf("  [%s] exited (code %d) before listening on port %u\n", p->label,
                    s2nrs_peer_exit_code(p), port);
            return 0;
        }
        int l = s2nrs_port_listening(port);
        if (l == 1) {
            return 1;
        }
        if (l < 0) {
            /* No /proc: a probe connect (the peer sees one aborted connection). */
            int fd = s2nrs_connect_loopback(port, 200);
            if (fd >= 0) {
                close(fd);
                return 1;
            }
        }
        if (s2nrs_now_ms() >= deadline) {
            printf("  [%s] not listening on port %u after %d ms\n", p->label, port, timeout_ms);
            return 0;
        }
        s2nrs_sleep_ms(20);
    }
}

/*
 * Moves this process into a new network namespace holding only lo (brought
 * up), so that peers which listen on every address stay unreachable from
 * outside. Must run before any thread is created. Returns 0 on success,
 * -1 (with a reason in why) when namespaces are unavailable.
 */
static inline int s2nrs_enter_private_netns(char *why, size_t why_len)
{
    if (unshare(CLONE_NEWNET) != 0) {
        int first = errno;
        uid_t uid = getuid();
        gid_t gid = getgid();
        if (unshare(CLONE_NEWUSER | CLONE_NEWNET) != 0) {
            snprintf(why, why_len, "unshare(CLONE_NEWNET): %s; with CLONE_NEWUSER: %s", strerror(first),
                    strerror(errno));
            return -1;
        }
        char map[64];
        const char *files[3] = { "/proc/self/setgroups", "/proc/self/uid_map", "/proc/self/gid_map" };
        for (int i = 0; i < 3; i++) {
            if (i == 0) {
                snprintf(map, sizeof(map), "deny");
            } else {
                snprintf(map, sizeof(map), "0 %u 1", i == 1 ? (unsigned) uid : (unsigned) gid);
            }
            int fd = open(files[i], O_WRONLY | O_CLOEXEC);
            if (fd < 0) {
                if (i == 0 && errno == ENOENT) {
                    continue;
                }
                snprintf(why, why_len, "open %s: %s", files[i], strerror(errno));
                return -1;
            }
            ssize_t n = write(fd, map, strlen(map));
            close(fd);
            if (n != (ssize_t) strlen(map)) {
                snprintf(why, why_len, "write %s: %s", files[i], strerror(errno));
                return -1;
            }
        }
    }
    int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (s < 0) {
        snprintf(why, why_len, "socket: %s", strerror(errno));
        return -1;
    }
    struct ifreq ifr;
    memset(&ifr, 0, sizeof(ifr));
    snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "lo");
    if (ioctl(s, SIOCGIFFLAGS, &ifr) != 0) {
        snprintf(why, why_len, "SIOCGIFFLAGS lo: %s", strerror(errno));
        close(s);
        return -1;
    }
    ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
    if (ioctl(s, SIOCSIFFLAGS, &ifr) != 0) {
        snprintf(why, why_len, "SIOCSIFFLAGS lo up: %s", strerror(errno));
        close(s);
        return -1;
    }
    close(s);
    return 0;
}

/* ------------------------------------------------------------------------- */
/* Watchdog of single s2n calls
 *
 * Over a nonblocking fd no s2n call should take long. Should one loop inside
 * the library (say, on a read that keeps returning 0), the watchdog thread
 * atomically replaces the fd with a write-only /dev/null (dup3), so that the
 * library's next read fails with EBADF and the call returns; the wrapper then
 * records the hang as a failure and the test goes on. */

#define S2NRS_CALL_LIMIT_MS 5000

static pthread_mutex_t s2nrs_wd_lock = PTHREAD_MUTEX_INITIALIZER;
static int s2nrs_wd_fd = -1;
static int64_t s2nrs_wd_deadline;
static int s2nrs_wd_fired;
static int s2nrs_wd_started;

static void *s2nrs_wd_main(void *arg)
{
    (void) arg;
    sigset_t all;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, NULL); /* SIGALRM goes to the main thread */
    for (;;) {
        pthread_mutex_lock(&s2nrs_wd_lock);
        if (s2nrs_wd_fd >= 0 && !s2nrs_wd_fired && s2nrs_now_ms() >= s2nrs_wd_deadline) {
            int devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
            if (devnull >= 0) {
                dup3(devnull, s2nrs_wd_fd, O_CLOEXEC);
                close(devnull);
            }
            s2nrs_wd_fired = 1;
        }
        pthread_mutex_unlock(&s2nrs_wd_lock);
        s2nrs_sleep_ms(50);
    }
    return NULL;
}

static inline void s2nrs_watch(int fd)
{
    pthread_mutex_lock(&s2nrs_wd_lock);
    if (!s2nrs_wd_started) {
        pthread_t t;
        if (pthread_create(&t, NULL, s2nrs_wd_main, NULL) == 0) {
            pthread_detach(t);
            s2nrs_wd_started = 1;
        }
    }
    s2nrs_wd_fd = fd;
    s2nrs_wd_fired = 0;
    s2nrs_wd_deadline = s2nrs_now_ms() + S2NRS_CALL_LIMIT_MS;
    pthread_mutex_unlock(&s2nrs_wd_lock);
}

/* 1 if the watched call overran (the fd was replaced). */
static inline int s2nrs_unwatch(void)
{
    pthread_mutex_lock(&s2nrs_wd_lock);
    int fired = s2nrs_wd_fired;
    s2nrs_wd_fd = -1;
    s2nrs_wd_fired = 0;
    pthread_mutex_unlock(&s2nrs_wd_lock);
    return fired;
}

/* Runs one s2n call under the watchdog; rc and err (s2n_errno) out. */
#define S2NRS_WATCHED(fd, what, call, rc_out, err_out)                                                   \
    do {                                                                                                \
        s2nrs_watch(fd);                                                                                \
        (rc_out) = (call);                                                                              \
        (err_out) = s2n_errno;                                                                          \
        if (s2nrs_unwatch()) {                                                                          \
            S2NRS_FAIL_AT("%s did not return within %d ms: it loops inside the library (the "           \
                          "watchdog replaced fd %d with /dev/null to break the loop; it then returned " \
                          "%d, %s)",                                                                    \
                    what, S2NRS_CALL_LIMIT_MS, fd, (int) (rc_out), s2nrs_safe_str(s2n_strerror_name(err_out))); \
            s2nrs_hung_calls++;                                                                         \
            s2n_errno = (err_out);                                                                      \
            return S2N_FAILURE;                                                                         \
        }                                                                                               \
        s2n_errno = (err_out);                                                                          \
    } while (0)

static int s2nrs_hung_calls;

/* ------------------------------------------------------------------------- */
/* s2n I/O with deadlines over a nonblocking fd */

/* Waits for the fd in the direction s2n is blocked on; -1 on timeout. */
static inline int s2nrs_io_wait(int fd, s2n_blocked_status blocked, int64_t deadline)
{
    short events = POLLIN;
    if (blocked == S2N_BLOCKED_ON_WRITE) {
        events = POLLOUT;
    } else if (blocked != S2N_BLOCKED_ON_READ) {
        events = POLLIN | POLLOUT;
    }
    for (;;) {
        int left = s2nrs_remaining_ms(deadline);
        if (left <= 0) {
            return -1;
        }
        struct pollfd pfd = { fd, events, 0 };
        int r = poll(&pfd, 1, left);
        if (r > 0) {
            return 0;
        }
        if (r == 0) {
            return -1;
        }
        if (errno != EINTR) {
            return -1;
        }
    }
}

/* Marks a deadline expiry: the caller's failure then reads S2N_ERR_IO_BLOCKED. */
static inline int s2nrs_io_timed_out(const char *what, int fd)
{
    printf("  %s on fd %d timed out (s2n_errno is the last blocked error)\n", what, fd);
    return S2N_FAILURE;
}

/* s2n_negotiate until done, failed or timed out. S2N_SUCCESS/S2N_FAILURE. */
static inline int s2nrs_io_negotiate(struct s2n_connection *conn, int fd, int timeout_ms)
{
    int64_t deadline = s2nrs_now_ms() + timeout_ms;
    for (;;) {
        s2n_blocked_status blocked = S2N_NOT_BLOCKED;
        int rc, err;
        S2NRS_WATCHED(fd, "s2n_negotiate", s2n_negotiate(conn, &blocked), rc, err);
        if (rc == S2N_SUCCESS) {
            return S2N_SUCCESS;
        }
        if (s2n_error_get_type(err) != S2N_ERR_T_BLOCKED) {
            return S2N_FAILURE;
        }
        if (s2nrs_io_wait(fd, blocked, deadline) != 0) {
            return s2nrs_io_timed_out("s2n_negotiate", fd);
        }
    }
}

/* Sends all len bytes. S2N_SUCCESS/S2N_FAILURE. */
static inline int s2nrs_io_send_all(struct s2n_connection *conn, int fd, const void *data, size_t len, int timeout_ms)
{
    int64_t deadline = s2nrs_now_ms() + timeout_ms;
    size_t off = 0;
    while (off < len) {
        s2n_blocked_status blocked = S2N_NOT_BLOCKED;
        ssize_t n;
        int err;
        S2NRS_WATCHED(fd, "s2n_send", s2n_send(conn, (const uint8_t *) data + off, (ssize_t) (len - off), &blocked),
                n, err);
        if (n >= 0) {
            off += (size_t) n;
            continue;
        }
        if (s2n_error_get_type(err) != S2N_ERR_T_BLOCKED) {
            return S2N_FAILURE;
        }
        if (s2nrs_io_wait(fd, blocked, deadline) != 0) {
            return s2nrs_io_timed_out("s2n_send", fd);
        }
    }
    return S2N_SUCCESS;
}

/*
 * Receives into buf (NUL-terminated, at most cap - 1 bytes) until it holds
 * needle (NULL: until the peer closes), the peer closes (s2n_recv returns 0)
 * or cap - 1 bytes. Returns the byte count, or -1 on an s2n failure or
 * timeout (s2n_errno set by the failing call). *closed: whether s2n_recv
 * returned 0 (close_notify received).
 */
static inline ssize_t s2nrs_io_recv_until(struct s2n_connection *conn, int fd, char *buf, size_t cap,
        const char *needle, int *closed, int timeout_ms)
{
    int64_t deadline = s2nrs_now_ms() + timeout_ms;
    size_t len = 0;
    buf[0] = '\0';
    if (closed) {
        *closed = 0;
    }
    while (len + 1 < cap) {
        if (needle && strstr(buf, needle)) {
            break;
        }
        s2n_blocked_status blocked = S2N_NOT_BLOCKED;
        ssize_t n;
        int err;
        S2NRS_WATCHED(fd, "s2n_recv", s2n_recv(conn, buf + len, (ssize_t) (cap - 1 - len), &blocked), n, err);
        if (n > 0) {
            len += (size_t) n;
            buf[len] = '\0';
            continue;
        }
        if (n == 0) {
            if (closed) {
                *closed = 1;
            }
            break;
        }
        if (s2n_error_get_type(err) != S2N_ERR_T_BLOCKED) {
            return -1;
        }
        if (s2nrs_io_wait(fd, blocked, deadline) != 0) {
            s2nrs_io_timed_out("s2n_recv", fd);
            return -1;
        }
    }
    return (ssize_t) len;
}

/* s2n_shutdown until done, failed or timed out. S2N_SUCCESS/S2N_FAILURE. */
static inline int s2nrs_io_shutdown(struct s2n_connection *conn, int fd, int timeout_ms)
{
    int64_t deadline = s2nrs_now_ms() + timeout_ms;
    for (;;) {
        s2n_blocked_status blocked = S2N_NOT_BLOCKED;
        int rc, err;
        S2NRS_WATCHED(fd, "s2n_shutdown", s2n_shutdown(conn, &blocked), rc, err);
        if (rc == S2N_SUCCESS) {
            return S2N_SUCCESS;
        }
        if (s2n_error_get_type(err) != S2N_ERR_T_BLOCKED) {
            return S2N_FAILURE;
        }
        if (s2nrs_io_wait(fd, blocked, deadline) != 0) {
            return s2nrs_io_timed_out("s2n_shutdown", fd);
        }
    }
}

/* ------------------------------------------------------------------------- */
/* Names */

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


/* ------------------------------------------------------------------------- */
/* Case runners: one s2n connection against one peer process */

#define S2NRS_MAX_ARGS 48
#define S2NRS_DONT_CHECK (-2)
#define S2NRS_NONZERO (-1)
#define S2NRS_ANY_EXIT (-3)

struct s2nrs_case {
    const char *name;
    /* The peer's argv, NULL-terminated; "{PORT}" in an argument becomes the port. */
    const char *argv[S2NRS_MAX_ARGS];
    struct s2n_config *config; /* our side's config */
    const char *server_name;   /* client mode: s2n_set_server_name (NULL: not set) */

    /* Our side's outcome. expect_error 0: the handshake succeeds. Otherwise
     * s2n_negotiate (or, when the peer only fails after its own handshake
     * completed, as a TLS1.3 server rejecting our client certificate, the
     * first s2n_recv) fails with that s2n error code. */
    int expect_error;
    int expect_alert; /* with expect_error: s2n_connection_get_alert, 0 = not checked */
    int version;      /* S2N_TLS12/S2N_TLS13; 0 = not checked */
    const char *cipher; /* s2n cipher name; NULL = not checked */
    uint8_t iana[2];    /* checked with cipher */
    const char *alpn;   /* expected ALPN; "" = none negotiated; NULL = not checked */
    const char *sni;    /* server mode: s2n_get_server_name; "" = NULL; NULL = not checked */
    int client_cert_used; /* s2n_connection_client_cert_used (0 unless set); S2NRS_DONT_CHECK */
    int cert_match;       /* server mode: s2n_connection_get_certificate_match; 0 = not checked */

    /* Data: client mode sends `send` and expects `reply` back (peer echo or
     * reverse); server mode sends `send` (the peer prints it) and writes
     * `peer_send` to the peer's stdin (the peer sends it, we expect it). */
    const char *send;
    const char *reply;
    const char *peer_send;

    /* Server mode: after the data, close the peer's stdin so that the peer
     * sends close_notify first; s2n_recv must then return 0. */
    int peer_closes_first;

    /* Shutdown: 0 = s2n_shutdown succeeds; else the error code expected;
     * S2NRS_DONT_CHECK = not called. */
    int shutdown_error;

    /* The peer: exit code (S2NRS_NONZERO: any failure; S2NRS_ANY_EXIT: it
     * must exit by itself, with any code; S2NRS_DONT_CHECK: stopped with
     * SIGTERM, e.g. a server that runs on); what its output must and must
     * not hold. */
    int peer_exit;
    const char *peer_needles[8];
    const char *peer_absent[4];

    /* Anything else to check on a successful connection. */
    void (*extra_check)(struct s2n_connection *conn, struct s2nrs_peer *peer);

    /* An id of s2nrs_differences.h: against s2nrs the case is skipped. */
    const char *known_difference;
};

/* Results of the run (for tests that look further). */
static int s2nrs_case_count, s2nrs_case_failed;

static inline void s2nrs_subst_argv(const struct s2nrs_case *c, uint16_t port, char store[][256], const char **out)
{
    int i = 0;
    for (; c->argv[i] && i < S2NRS_MAX_ARGS - 1; i++) {
        const char *a = c->argv[i];
        const char *hole = strstr(a, "{PORT}");
        if (hole) {
            snprintf(store[i], 256, "%.*s%u%s", (int) (hole - a), a, port, hole + 6);
            out[i] = store[i];
        } else {
            out[i] = a;
        }
    }
    out[i] = NULL;
}

/* Checks what a successful handshake negotiated. */
static inline void s2nrs_check_negotiated(const struct s2nrs_case *c, struct s2n_connection *conn)
{
    int v = s2n_connection_get_actual_protocol_version(conn);
    if (c->version) {
        if (v != c->version) {
            S2NRS_FAIL_AT("[%s] actual protocol version %s (%d), expected %s (%d)", c->name, s2nrs_version_name(v), v,
                    s2nrs_version_name(c->version), c->version);
        }
    }
    if (c->version) {
        /* Our side offers up to TLS1.3; every peer here is held to one version. */
        int ours = s2n_connection_get_mode(conn) == S2N_CLIENT ? s2n_connection_get_client_protocol_version(conn)
                                                              : s2n_connection_get_server_protocol_version(conn);
        int theirs = s2n_connection_get_mode(conn) == S2N_CLIENT ? s2n_connection_get_server_protocol_version(conn)
                                                                : s2n_connection_get_client_protocol_version(conn);
        if (ours != S2N_TLS13) {
            S2NRS_FAIL_AT("[%s] our protocol version %s (%d), expected TLS1.3", c->name, s2nrs_version_name(ours), ours);
        }
        if (theirs != c->version) {
            S2NRS_FAIL_AT("[%s] the peer's protocol version %s (%d), expected %s", c->name, s2nrs_version_name(theirs),
                    theirs, s2nrs_version_name(c->version));
        }
    }
    const char *cipher = s2n_connection_get_cipher(conn);
    if (c->cipher) {
        if (cipher == NULL || strcmp(cipher, c->cipher) != 0) {
            S2NRS_FAIL_AT("[%s] cipher %s, expected %s", c->name, s2nrs_safe_str(cipher), c->cipher);
        }
        uint8_t first = 0, second = 0;
        EXPECT_SUCCESS(s2n_connection_get_cipher_iana_value(conn, &first, &second));
        if (first != c->iana[0] || second != c->iana[1]) {
            S2NRS_FAIL_AT("[%s] cipher IANA value 0x%02X,0x%02X, expected 0x%02X,0x%02X", c->name, first, second,
                    c->iana[0], c->iana[1]);
        }
    }
    const char *alpn = s2n_get_application_protocol(conn);
    if (c->alpn) {
        if (c->alpn[0] == '\0' ? alpn != NULL : (alpn == NULL || strcmp(alpn, c->alpn) != 0)) {
            S2NRS_FAIL_AT("[%s] ALPN \"%s\", expected \"%s\"", c->name, s2nrs_safe_str(alpn),
                    c->alpn[0] ? c->alpn : "(null)");
        }
    }
    if (c->sni) {
        const char *sni = s2n_get_server_name(conn);
        if (c->sni[0] == '\0' ? sni != NULL : (sni == NULL || strcmp(sni, c->sni) != 0)) {
            S2NRS_FAIL_AT("[%s] s2n_get_server_name \"%s\", expected \"%s\"", c->name, s2nrs_safe_str(sni),
                    c->sni[0] ? c->sni : "(null)");
        }
    }
    if (c->client_cert_used != S2NRS_DONT_CHECK) {
        int used = s2n_connection_client_cert_used(conn);
        if (used != c->client_cert_used) {
            S2NRS_FAIL_AT("[%s] s2n_connection_client_cert_used %d, expected %d", c->name, used, c->client_cert_used);
        }
    }
    if (c->cert_match) {
        s2n_cert_sni_match match = 0;
        EXPECT_SUCCESS(s2n_connection_get_certificate_match(conn, &match));
        if ((int) match != c->cert_match) {
            S2NRS_FAIL_AT("[%s] s2n_connection_get_certificate_match %d, expected %d", c->name, (int) match,
                    c->cert_match);
        }
    }
    const char *group = NULL;
    if (s2n_connection_get_key_exchange_group(conn, &group) != S2N_SUCCESS) {
        group = NULL;
    }
    printf("  [%s] negotiated %s %s, group %s, ALPN %s, server name %s, client cert used %d\n", c->name,
            s2nrs_version_name(v), s2nrs_safe_str(cipher), s2nrs_safe_str(group),
            s2nrs_safe_str(s2n_get_application_protocol(conn)), s2nrs_safe_str(s2n_get_server_name(conn)),
            s2n_connection_client_cert_used(conn));
}

/* Checks the peer's exit code and output; dumps the output on any failure. */
static inline void s2nrs_check_peer(const struct s2nrs_case *c, struct s2nrs_peer *peer, int failures_before)
{
    if (c->peer_exit == S2NRS_DONT_CHECK) {
        s2nrs_peer_stop(peer);
    } else {
        int code = s2nrs_peer_wait_exit(peer, S2NRS_IO_TIMEOUT_MS);
        if (code == -1) {
            S2NRS_FAIL_AT("[%s] %s did not exit by itself", c->name, peer->label);
        } else if (c->peer_exit == S2NRS_ANY_EXIT) {
            printf("  [%s] %s exited %d\n", c->name, peer->label, code);
        } else if (c->peer_exit == S2NRS_NONZERO) {
            if (code == 0) {
                S2NRS_FAIL_AT("[%s] %s exited 0, expected a failure", c->name, peer->label);
            }
        } else if (code != c->peer_exit) {
            S2NRS_FAIL_AT("[%s] %s exited %d, expected %d", c->name, peer->label, code, c->peer_exit);
        }
    }
    const char *out = s2nrs_peer_output(peer);
    for (int i = 0; i < 8 && c->peer_needles[i]; i++) {
        if (strstr(out, c->peer_needles[i]) == NULL) {
            S2NRS_FAIL_AT("[%s] %s output lacks \"%s\"", c->name, peer->label, c->peer_needles[i]);
        }
    }
    for (int i = 0; i < 4 && c->peer_absent[i]; i++) {
        if (strstr(out, c->peer_absent[i]) != NULL) {
            S2NRS_FAIL_AT("[%s] %s output holds \"%s\"", c->name, peer->label, c->peer_absent[i]);
        }
    }
    if (s2nrs_failure_count() != failures_before) {
        s2nrs_peer_dump(peer);
    }
}

/* S2NRS_CASE=<substring> in the environment runs only the matching cases. */
static inline int s2nrs_case_selected(const struct s2nrs_case *c)
{
    const char *only = getenv("S2NRS_CASE");
    if (only != NULL && *only != '\0' && strstr(c->name, only) == NULL) {
        return 0;
    }
    if (c->known_difference && s2nrs_known_difference(c->known_difference)) {
        printf("case %s: skipped (known difference)\n", c->name);
        return 0;
    }
    return 1;
}

static inline void s2nrs_case_begin(const struct s2nrs_case *c)
{
    s2nrs_case_count++;
    printf("case %s\n", c->name);
    s2nrs_rearm_alarm(S2NRS_ALARM_SECONDS);
}

static inline void s2nrs_case_end(const struct s2nrs_case *c, int failures_before)
{
    if (s2nrs_failure_count() != failures_before) {
        s2nrs_case_failed++;
        printf("case %s: FAILED\n", c->name);
    } else {
        printf("case %s: ok\n", c->name);
    }
}

/* Expects our side's failure (rc, err) to match the case; prints the alert. */
static inline void s2nrs_check_expected_failure(const struct s2nrs_case *c, struct s2n_connection *conn, int rc,
        int err, const char *what)
{
    if (rc == S2N_SUCCESS) {
        S2NRS_FAIL_AT("[%s] %s succeeded, expected %s (%d)", c->name, what,
                s2nrs_safe_str(s2n_strerror_name(c->expect_error)), c->expect_error);
        return;
    }
    printf("  [%s] %s failed: %s (%s)\n", c->name, what, s2nrs_safe_str(s2n_strerror_name(err)),
            s2nrs_safe_str(s2n_strerror_debug(err, "EN")));
    /* s2n_connection_get_alert fails (S2N_ERR_NO_ALERT) when no alert came:
     * that overwrites s2n_errno and its debug string, printed above. */
    int alert = s2n_connection_get_alert(conn);
    printf("  [%s] alert received: %d\n", c->name, alert);
    if (err != c->expect_error) {
        S2NRS_FAIL_AT("[%s] %s failed with %s (%d), expected %s (%d)", c->name, what,
                s2nrs_safe_str(s2n_strerror_name(err)), err, s2nrs_safe_str(s2n_strerror_name(c->expect_error)),
                c->expect_error);
    }
    if (c->expect_alert && alert != c->expect_alert) {
        S2NRS_FAIL_AT("[%s] s2n_connection_get_alert %d, expected %d", c->name, alert, c->expect_alert);
    }
}

/*
 * We are the client; the peer is a server listening on 127.0.0.1:{PORT}.
 */
/*
 * Starts the case's peer server (argv with "{PORT}") on a free loopback port,
 * trying another port if the one picked was taken meanwhile, and waits until
 * it listens. with_stdin: as s2nrs_peer_spawn. NULL (failure recorded) if it
 * does not start.
 */
static inline struct s2nrs_peer *s2nrs_start_server_peer(const struct s2nrs_case *c, int with_stdin,
        uint16_t *port)
{
    char store[S2NRS_MAX_ARGS][256];
    const char *argv[S2NRS_MAX_ARGS];
    for (int attempt = 0; attempt < 3; attempt++) {
        *port = s2nrs_free_port();
        if (*port == 0) {
            S2NRS_FAIL_AT("[%s] no free port on 127.0.0.1", c->name);
            return NULL;
        }
        s2nrs_subst_argv(c, *port, store, argv);
        struct s2nrs_peer *peer = s2nrs_peer_spawn(c->name, argv, with_stdin);
        if (peer == NULL) {
            return NULL;
        }
        if (s2nrs_peer_wait_listening(peer, *port, S2NRS_IO_TIMEOUT_MS)) {
            return peer;
        }
        s2nrs_peer_stop(peer);
        if (strstr(s2nrs_peer_output(peer), "in use") && attempt < 2) {
            printf("  [%s] port %u was taken; retrying\n", c->name, *port);
            continue;
        }
        S2NRS_FAIL_AT("[%s] the peer server did not start", c->name);
        s2nrs_peer_dump(peer);
        return NULL;
    }
    return NULL;
}

static inline void s2nrs_run_client_case(const struct s2nrs_case *c)
{
    if (!s2nrs_case_selected(c)) {
        return;
    }
    int failures_before = s2nrs_failure_count();
    s2nrs_case_begin(c);

    uint16_t port = 0;
    struct s2nrs_peer *peer = s2nrs_start_server_peer(c, 0, &port);
    if (peer == NULL) {
        s2nrs_case_end(c, failures_before);
        return;
    }

    int fd = s2nrs_connect_loopback(port, S2NRS_IO_TIMEOUT_MS);
    struct s2n_connection *conn = s2n_connection_new(S2N_CLIENT);
    EXPECT(conn != NULL);
    if (fd < 0 || conn == NULL) {
        S2NRS_FAIL_AT("[%s] no connection to the peer", c->name);
        goto done;
    }
    EXPECT_SUCCESS(s2n_connection_set_config(conn, c->config));
    EXPECT_SUCCESS(s2n_connection_set_fd(conn, fd));
    if (c->server_name) {
        EXPECT_SUCCESS(s2n_set_server_name(conn, c->server_name));
    }

    s2n_errno = 0;
    int rc = s2nrs_io_negotiate(conn, fd, S2NRS_IO_TIMEOUT_MS);
    int err = s2n_errno;

    if (c->expect_error) {
        if (rc == S2N_SUCCESS) {
            /* The peer may reject us only after our handshake completed (TLS1.3
             * client auth): the failure then comes with the first read. */
            char buf[256];
            s2n_errno = 0;
            /* A peer's alert comes within milliseconds: 3 s is plenty. */
            ssize_t n = s2nrs_io_recv_until(conn, fd, buf, sizeof(buf), NULL, NULL, 3000);
            err = s2n_errno;
            printf("  [%s] handshake completed; the first s2n_recv returned %zd\n", c->name, n);
            s2nrs_check_expected_failure(c, conn, n < 0 ? S2N_FAILURE : S2N_SUCCESS, err, "s2n_recv after the handshake");
        } else {
            s2nrs_check_expected_failure(c, conn, rc, err, "s2n_negotiate");
        }
        goto done;
    }
    if (rc != S2N_SUCCESS) {
        S2NRS_FAIL_AT("[%s] s2n_negotiate failed", c->name);
        s2nrs_print_s2n_error(err);
        goto done;
    }
    s2nrs_check_negotiated(c, conn);
    if (c->extra_check) {
        c->extra_check(conn, peer);
    }

    if (c->send) {
        EXPECT_SUCCESS(s2nrs_io_send_all(conn, fd, c->send, strlen(c->send), S2NRS_IO_TIMEOUT_MS));
    }
    if (c->reply) {
        char buf[4096];
        s2n_errno = 0;
        ssize_t n = s2nrs_io_recv_until(conn, fd, buf, sizeof(buf), c->reply, NULL, S2NRS_IO_TIMEOUT_MS);
        if (n < 0) {
            S2NRS_FAIL_AT("[%s] receiving the reply failed", c->name);
            s2nrs_print_s2n_error(s2n_errno);
        } else if (strcmp(buf, c->reply) != 0) {
            S2NRS_FAIL_AT("[%s] received \"%s\", expected \"%s\"", c->name, buf, c->reply);
        }
    }
    if (c->shutdown_error != S2NRS_DONT_CHECK) {
        s2n_errno = 0;
        rc = s2nrs_io_shutdown(conn, fd, S2NRS_IO_TIMEOUT_MS);
        err = s2n_errno;
        if (c->shutdown_error == 0) {
            if (rc != S2N_SUCCESS) {
                S2NRS_FAIL_AT("[%s] s2n_shutdown failed", c->name);
                s2nrs_print_s2n_error(err);
            }
        } else if (rc != S2N_FAILURE || err != c->shutdown_error) {
            S2NRS_FAIL_AT("[%s] s2n_shutdown returned %d with %s, expected S2N_FAILURE with %s", c->name, rc,
                    rc == S2N_FAILURE ? s2nrs_safe_str(s2n_strerror_name(err)) : "-",
                    s2nrs_safe_str(s2n_strerror_name(c->shutdown_error)));
        }
    }

done:
    if (conn) {
        EXPECT_SUCCESS(s2n_connection_free(conn));
    }
    if (fd >= 0) {
        close(fd);
    }
    s2nrs_check_peer(c, peer, failures_before);
    s2nrs_case_end(c, failures_before);
}

/* The text up to its first newline, for looking for it in a peer's output. */
static inline void s2nrs_first_line(const char *s, char *out, size_t n)
{
    snprintf(out, n, "%.*s", (int) strcspn(s, "\r\n"), s);
}

/*
 * We are the server on 127.0.0.1:{PORT}; the peer is a client that sends its
 * stdin and prints what it receives.
 */
static inline void s2nrs_run_server_case(const struct s2nrs_case *c)
{
    if (!s2nrs_case_selected(c)) {
        return;
    }
    int failures_before = s2nrs_failure_count();
    s2nrs_case_begin(c);

    uint16_t port = 0;
    int lfd = s2nrs_listen_loopback(&port);
    if (lfd < 0) {
        S2NRS_FAIL_AT("[%s] cannot listen on 127.0.0.1", c->name);
        s2nrs_case_end(c, failures_before);
        return;
    }
    s2nrs_set_nonblocking(lfd);
    char store[S2NRS_MAX_ARGS][256];
    const char *argv[S2NRS_MAX_ARGS];
    s2nrs_subst_argv(c, port, store, argv);
    struct s2nrs_peer *peer = s2nrs_peer_spawn(c->name, argv, 1);
    if (peer == NULL) {
        close(lfd);
        s2nrs_case_end(c, failures_before);
        return;
    }
    int fd = s2nrs_accept_timeout(lfd, S2NRS_IO_TIMEOUT_MS, peer);
    close(lfd);
    struct s2n_connection *conn = NULL;
    if (fd < 0) {
        S2NRS_FAIL_AT("[%s] the peer did not connect", c->name);
        goto done;
    }
    conn = s2n_connection_new(S2N_SERVER);
    EXPECT(conn != NULL);
    if (conn == NULL) {
        goto done;
    }
    EXPECT_SUCCESS(s2n_connection_set_config(conn, c->config));
    EXPECT_SUCCESS(s2n_connection_set_fd(conn, fd));

    s2n_errno = 0;
    int rc = s2nrs_io_negotiate(conn, fd, S2NRS_IO_TIMEOUT_MS);
    int err = s2n_errno;
    if (c->expect_error) {
        s2nrs_check_expected_failure(c, conn, rc, err, "s2n_negotiate");
        goto done;
    }
    if (rc != S2N_SUCCESS) {
        S2NRS_FAIL_AT("[%s] s2n_negotiate failed", c->name);
        s2nrs_print_s2n_error(err);
        goto done;
    }
    s2nrs_check_negotiated(c, conn);
    if (c->extra_check) {
        c->extra_check(conn, peer);
    }

    if (c->send) {
        EXPECT_SUCCESS(s2nrs_io_send_all(conn, fd, c->send, strlen(c->send), S2NRS_IO_TIMEOUT_MS));
        char line[256];
        s2nrs_first_line(c->send, line, sizeof(line));
        if (!s2nrs_peer_wait_output(peer, line, S2NRS_IO_TIMEOUT_MS)) {
            S2NRS_FAIL_AT("[%s] %s did not print what we sent (\"%s\")", c->name, peer->label, line);
        }
    }
    if (c->peer_send) {
        EXPECT_EQ_INT(s2nrs_peer_write(peer, c->peer_send), 0);
        char buf[4096];
        s2n_errno = 0;
        ssize_t n = s2nrs_io_recv_until(conn, fd, buf, sizeof(buf), c->peer_send, NULL, S2NRS_IO_TIMEOUT_MS);
        if (n < 0) {
            S2NRS_FAIL_AT("[%s] receiving the peer's data failed", c->name);
            s2nrs_print_s2n_error(s2n_errno);
        } else if (strcmp(buf, c->peer_send) != 0) {
            S2NRS_FAIL_AT("[%s] received \"%s\", expected \"%s\"", c->name, buf, c->peer_send);
        }
    }
    if (c->peer_closes_first) {
        s2nrs_peer_close_stdin(peer);
        char buf[256];
        int closed = 0;
        s2n_errno = 0;
        ssize_t n = s2nrs_io_recv_until(conn, fd, buf, sizeof(buf), NULL, &closed, S2NRS_IO_TIMEOUT_MS);
        if (n < 0) {
            S2NRS_FAIL_AT("[%s] waiting for the peer's close_notify: s2n_recv failed", c->name);
            s2nrs_print_s2n_error(s2n_errno);
        } else if (!closed || n != 0) {
            S2NRS_FAIL_AT("[%s] s2n_recv gave %zd byte(s) (\"%s\") and closed=%d, expected 0 (close_notify)", c->name,
                    n, buf, closed);
        }
    }
    if (c->shutdown_error != S2NRS_DONT_CHECK) {
        s2n_errno = 0;
        rc = s2nrs_io_shutdown(conn, fd, S2NRS_IO_TIMEOUT_MS);
        err = s2n_errno;
        if (c->shutdown_error == 0) {
            if (rc != S2N_SUCCESS) {
                S2NRS_FAIL_AT("[%s] s2n_shutdown failed", c->name);
                s2nrs_print_s2n_error(err);
            }
        } else if (rc != S2N_FAILURE || err != c->shutdown_error) {
            S2NRS_FAIL_AT("[%s] s2n_shutdown returned %d with %s, expected S2N_FAILURE with %s", c->name, rc,
                    rc == S2N_FAILURE ? s2nrs_safe_str(s2n_strerror_name(err)) : "-",
                    s2nrs_safe_str(s2n_strerror_name(c->shutdown_error)));
        }
    }

done:
    if (conn) {
        EXPECT_SUCCESS(s2n_connection_free(conn));
    }
    if (fd >= 0) {
        close(fd);
    }
    s2nrs_peer_close_stdin(peer);
    s2nrs_check_peer(c, peer, failures_before);
    s2nrs_case_end(c, failures_before);
}

/* Prints the summary line of the cases run. */
static inline void s2nrs_cases_summary(const char *file)
{
    printf("%s: %d case(s), %d failed, %d s2n call(s) hung\n", file, s2nrs_case_count, s2nrs_case_failed,
            s2nrs_hung_calls);
}

/* ------------------------------------------------------------------------- */
/* Constants shared by the interop tests */

/* s2n cipher name, then its IANA value (for struct s2nrs_case .cipher/.iana). */
#define S2NRS_AES128_13 "TLS_AES_128_GCM_SHA256", { 0x13, 0x01 }
#define S2NRS_AES256_13 "TLS_AES_256_GCM_SHA384", { 0x13, 0x02 }
#define S2NRS_CHACHA_13 "TLS_CHACHA20_POLY1305_SHA256", { 0x13, 0x03 }
#define S2NRS_ECDSA_AES128_12 "ECDHE-ECDSA-AES128-GCM-SHA256", { 0xC0, 0x2B }
#define S2NRS_ECDSA_AES256_12 "ECDHE-ECDSA-AES256-GCM-SHA384", { 0xC0, 0x2C }
#define S2NRS_RSA_AES128_12 "ECDHE-RSA-AES128-GCM-SHA256", { 0xC0, 0x2F }
#define S2NRS_RSA_AES256_12 "ECDHE-RSA-AES256-GCM-SHA384", { 0xC0, 0x30 }

/* TLS alert descriptions (RFC 8446 6.2). */
#define S2NRS_ALERT_HANDSHAKE_FAILURE 40
#define S2NRS_ALERT_BAD_CERTIFICATE 42
#define S2NRS_ALERT_UNKNOWN_CA 48
#define S2NRS_ALERT_UNRECOGNIZED_NAME 112
#define S2NRS_ALERT_CERTIFICATE_REQUIRED 116

/* ------------------------------------------------------------------------- */
/* OpenSSL peers on loopback: `s_server` answering one connection and
 * echoing each line reversed, and `s_client` verifying our chain against
 * the CA file and the host name (argv elements, for struct s2nrs_case). */
#define S2NRS_S_SERVER(cert, key) \
    "openssl", "s_server", "-accept", "127.0.0.1:{PORT}", "-naccept", "1", "-rev", "-no-CAfile", "-cert", \
            s2nrs_cert_path(cert), "-key", s2nrs_cert_path(key)

#define S2NRS_S_CLIENT(ca, name) \
    "openssl", "s_client", "-connect", "127.0.0.1:{PORT}", "-no-CAfile", "-CAfile", s2nrs_cert_path(ca), \
            "-verify_return_error", "-verify_hostname", name

/* ------------------------------------------------------------------------- */
/* Configs and certificates (freed by s2nrs_free_owned) */

#define S2NRS_MAX_OWNED 64
static struct s2n_config *s2nrs_owned_configs[S2NRS_MAX_OWNED];
static struct s2n_cert_chain_and_key *s2nrs_owned_chains[S2NRS_MAX_OWNED];
static int s2nrs_n_configs, s2nrs_n_chains;

static inline struct s2n_cert_chain_and_key *s2nrs_load_chain(const char *chain_file, const char *key_file)
{
    char *chain = s2nrs_read_cert(chain_file);
    char *key = s2nrs_read_cert(key_file);
    struct s2n_cert_chain_and_key *ck = s2n_cert_chain_and_key_new();
    EXPECT(ck != NULL);
    EXPECT_SUCCESS(s2n_cert_chain_and_key_load_pem(ck, chain, key));
    free(chain);
    free(key);
    if (s2nrs_n_chains < S2NRS_MAX_OWNED) {
        s2nrs_owned_chains[s2nrs_n_chains++] = ck;
    }
    return ck;
}

/* A minimal config with the "default" policy and no blinding delay. */
static inline struct s2n_config *s2nrs_new_config(void)
{
    struct s2n_config *config = s2n_config_new_minimal();
    EXPECT(config != NULL);
    EXPECT_SUCCESS(s2n_config_set_cipher_preferences(config, "default"));
    /* Failure cases must not sleep 10-30 s. */
    EXPECT_SUCCESS(s2n_config_set_max_blinding_delay(config, 0));
    if (s2nrs_n_configs < S2NRS_MAX_OWNED) {
        s2nrs_owned_configs[s2nrs_n_configs++] = config;
    }
    return config;
}

static inline void s2nrs_trust(struct s2n_config *config, const char *ca_file)
{
    char *pem = s2nrs_read_cert(ca_file);
    EXPECT_SUCCESS(s2n_config_add_pem_to_trust_store(config, pem));
    free(pem);
}

static const char *const s2nrs_alpn_both[] = { "h2", "http/1.1" };

/* Our client: trusts ca_file; ALPN h2, http/1.1 if with_alpn; optional client certificate. */
static inline struct s2n_config *s2nrs_client_config(const char *ca_file, int with_alpn,
        struct s2n_cert_chain_and_key *client_cert)
{
    struct s2n_config *config = s2nrs_new_config();
    s2nrs_trust(config, ca_file);
    if (with_alpn) {
        EXPECT_SUCCESS(s2n_config_set_protocol_preferences(config, s2nrs_alpn_both, 2));
    }
    if (client_cert) {
        EXPECT_SUCCESS(s2n_config_add_cert_chain_and_key_to_store(config, client_cert));
    }
    return config;
}

/* A verify-host callback that accepts one name and records the names it is given. */
struct s2nrs_host_check {
    const char *accept;
    int calls;
    char seen[8][128];
};

static inline uint8_t s2nrs_host_check_cb(const char *host_name, size_t len, void *data)
{
    struct s2nrs_host_check *hc = data;
    if (hc->calls < 8) {
        snprintf(hc->seen[hc->calls], sizeof(hc->seen[0]), "%.*s", (int) len, host_name);
    }
    hc->calls++;
    return len == strlen(hc->accept) && memcmp(host_name, hc->accept, len) == 0;
}

/* Expects the callback to have been given hc->accept; then resets it. */
static inline void s2nrs_expect_host_check_saw(struct s2nrs_host_check *hc)
{
    int saw = 0;
    for (int i = 0; i < hc->calls && i < 8; i++) {
        saw |= strcmp(hc->seen[i], hc->accept) == 0;
    }
    if (!saw) {
        S2NRS_FAIL_AT("the verify-host callback was never given \"%s\" (%d call(s)%s%s%s%s)", hc->accept, hc->calls,
                hc->calls > 0 ? ": " : "", hc->calls > 0 ? hc->seen[0] : "", hc->calls > 1 ? ", " : "",
                hc->calls > 1 ? hc->seen[1] : "");
    }
    hc->calls = 0;
}

enum {
    S2NRS_NO_CLIENT_AUTH,
    /* client auth required, trust ca-ecdsa, host check: the given s2nrs_host_check */
    S2NRS_CLIENT_AUTH_REQUIRED,
    /* client auth required, trust ca-ecdsa, s2n's default host check */
    S2NRS_CLIENT_AUTH_REQUIRED_DEFAULT_HOST_CHECK,
};

/* Our server: certificates a then b (a is the default), ALPN h2 then http/1.1. */
static inline struct s2n_config *s2nrs_server_config(struct s2n_cert_chain_and_key *a,
        struct s2n_cert_chain_and_key *b, int client_auth, struct s2nrs_host_check *host_check)
{
    struct s2n_config *config = s2nrs_new_config();
    EXPECT_SUCCESS(s2n_config_add_cert_chain_and_key_to_store(config, a));
    if (b) {
        EXPECT_SUCCESS(s2n_config_add_cert_chain_and_key_to_store(config, b));
    }
    EXPECT_SUCCESS(s2n_config_set_protocol_preferences(config, s2nrs_alpn_both, 2));
    if (client_auth != S2NRS_NO_CLIENT_AUTH) {
        EXPECT_SUCCESS(s2n_config_set_client_auth_type(config, S2N_CERT_AUTH_REQUIRED));
        s2nrs_trust(config, "ca-ecdsa.pem");
        if (client_auth == S2NRS_CLIENT_AUTH_REQUIRED && host_check) {
            EXPECT_SUCCESS(s2n_config_set_verify_host_callback(config, s2nrs_host_check_cb, host_check));
        }
    }
    return config;
}

/* The server saw a client certificate chain (TLS form: uint24 length, then DER). */
static inline void s2nrs_expect_client_cert_chain(struct s2n_connection *conn)
{
    uint8_t *der = NULL;
    uint32_t len = 0;
    EXPECT_SUCCESS(s2n_connection_get_client_cert_chain(conn, &der, &len));
    EXPECT(der != NULL && len > 4);
    if (der && len > 4) {
        EXPECT_EQ_INT(der[3], 0x30);
    }
}

/* The client can read the server's chain; its leaf is DER. */
static inline void s2nrs_expect_peer_cert_chain(struct s2n_connection *conn)
{
    struct s2n_cert_chain_and_key *chain = s2n_cert_chain_and_key_new();
    EXPECT(chain != NULL);
    EXPECT_SUCCESS(s2n_connection_get_peer_cert_chain(conn, chain));
    uint32_t length = 0;
    EXPECT_SUCCESS(s2n_cert_chain_get_length(chain, &length));
    EXPECT(length >= 1);
    struct s2n_cert *leaf = NULL;
    EXPECT_SUCCESS(s2n_cert_chain_get_cert(chain, &leaf, 0));
    if (leaf) {
        const uint8_t *der = NULL;
        uint32_t der_len = 0;
        EXPECT_SUCCESS(s2n_cert_get_der(leaf, &der, &der_len));
        EXPECT(der != NULL && der_len > 100);
        if (der && der_len > 0) {
            EXPECT_EQ_INT(der[0], 0x30);
        }
    }
    EXPECT_SUCCESS(s2n_cert_chain_and_key_free(chain));
}

static inline void s2nrs_free_owned(void)
{
    for (int i = 0; i < s2nrs_n_configs; i++) {
        EXPECT_SUCCESS(s2n_config_free(s2nrs_owned_configs[i]));
    }
    for (int i = 0; i < s2nrs_n_chains; i++) {
        EXPECT_SUCCESS(s2n_cert_chain_and_key_free(s2nrs_owned_chains[i]));
    }
    s2nrs_n_configs = s2nrs_n_chains = 0;
}
