/* The harness's connections to peer processes; see peer_io.h. */
#define _GNU_SOURCE

#include "harness/peer_io.h"

#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <sys/ioctl.h>

/* ------------------------------------------------------------------------- */
/* Sockets (127.0.0.1 only) */

static void loopback_addr(struct sockaddr_in *sa, uint16_t port)
{
    memset(sa, 0, sizeof(*sa));
    sa->sin_family = AF_INET;
    sa->sin_port = htons(port);
    sa->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
}

uint16_t s2nrs_free_port(void)
{
    for (int attempt = 0; attempt < 20; attempt++) {
        int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0) {
            return 0;
        }
        struct sockaddr_in sa;
        loopback_addr(&sa, 0);
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

int s2nrs_listen_loopback(uint16_t *port)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        return -1;
    }
    struct sockaddr_in sa;
    loopback_addr(&sa, 0);
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

int s2nrs_set_nonblocking(int fd)
{
    int fl = fcntl(fd, F_GETFL);
    return fl < 0 ? -1 : fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

int s2nrs_accept_timeout(int lfd, int timeout_ms, struct s2nrs_peer *peer)
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

int s2nrs_accept_peer(const char *label, const char *const *argv, int timeout_ms, struct s2nrs_peer **peer)
{
    *peer = NULL;
    uint16_t port = 0;
    int lfd = s2nrs_listen_loopback(&port);
    if (lfd < 0) {
        S2NRS_FAIL_AT("[%s] cannot listen on 127.0.0.1", label);
        return -1;
    }
    s2nrs_set_nonblocking(lfd);
    char store[S2NRS_MAX_ARGS][256];
    const char *args[S2NRS_MAX_ARGS];
    s2nrs_subst_port(argv, port, store, args);
    *peer = s2nrs_peer_spawn(label, args, 1);
    int fd = *peer ? s2nrs_accept_timeout(lfd, timeout_ms, *peer) : -1;
    close(lfd);
    return fd;
}

int s2nrs_connect_loopback(uint16_t port, int timeout_ms)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0) {
        return -1;
    }
    struct sockaddr_in sa;
    loopback_addr(&sa, port);
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
static int port_listening(uint16_t port)
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

int s2nrs_peer_wait_listening(struct s2nrs_peer *p, uint16_t port, int timeout_ms)
{
    int64_t deadline = s2nrs_now_ms() + timeout_ms;
    for (;;) {
        if (s2nrs_peer_poll_exit(p)) {
            printf("  [%s] exited (code %d) before listening on port %u\n", p->label, s2nrs_peer_exit_code(p),
                    port);
            return 0;
        }
        int l = port_listening(port);
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

int s2nrs_enter_private_netns(char *why, size_t why_len)
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

int s2nrs_hung_calls;

static pthread_mutex_t wd_lock = PTHREAD_MUTEX_INITIALIZER;
static int wd_fd = -1;
static int64_t wd_deadline;
static int wd_fired;
static int wd_started;

static void *wd_main(void *arg)
{
    (void) arg;
    sigset_t all;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, NULL); /* SIGALRM goes to the main thread */
    for (;;) {
        pthread_mutex_lock(&wd_lock);
        if (wd_fd >= 0 && !wd_fired && s2nrs_now_ms() >= wd_deadline) {
            int devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
            if (devnull >= 0) {
                dup3(devnull, wd_fd, O_CLOEXEC);
                close(devnull);
            }
            wd_fired = 1;
        }
        pthread_mutex_unlock(&wd_lock);
        s2nrs_sleep_ms(50);
    }
    return NULL;
}

static void watch(int fd)
{
    pthread_mutex_lock(&wd_lock);
    if (!wd_started) {
        pthread_t t;
        if (pthread_create(&t, NULL, wd_main, NULL) == 0) {
            pthread_detach(t);
            wd_started = 1;
        }
    }
    wd_fd = fd;
    wd_fired = 0;
    wd_deadline = s2nrs_now_ms() + S2NRS_CALL_LIMIT_MS;
    pthread_mutex_unlock(&wd_lock);
}

/* 1 if the watched call overran (the fd was replaced). */
static int unwatch(void)
{
    pthread_mutex_lock(&wd_lock);
    int fired = wd_fired;
    wd_fd = -1;
    wd_fired = 0;
    pthread_mutex_unlock(&wd_lock);
    return fired;
}

/* Runs one s2n call under the watchdog; rc and err (s2n_errno) out. A call
 * the watchdog broke off fails the enclosing function (S2N_FAILURE). */
#define WATCHED(fd, what, call, rc_out, err_out)                                                         \
    do {                                                                                                \
        watch(fd);                                                                                      \
        (rc_out) = (call);                                                                              \
        (err_out) = s2n_errno;                                                                          \
        if (unwatch()) {                                                                                \
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

/* ------------------------------------------------------------------------- */
/* s2n I/O with deadlines over a nonblocking fd */

/* Waits for the fd in the direction s2n is blocked on; -1 on timeout. */
static int io_wait(int fd, s2n_blocked_status blocked, int64_t deadline)
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
static int io_timed_out(const char *what, int fd)
{
    printf("  %s on fd %d timed out (s2n_errno is the last blocked error)\n", what, fd);
    return S2N_FAILURE;
}

/* s2n_negotiate and s2n_shutdown: called again until done, failed or timed out. */
typedef int (*step_fn)(struct s2n_connection *conn, s2n_blocked_status *blocked);

static int io_repeat(step_fn step, const char *what, struct s2n_connection *conn, int fd, int timeout_ms)
{
    int64_t deadline = s2nrs_now_ms() + timeout_ms;
    for (;;) {
        s2n_blocked_status blocked = S2N_NOT_BLOCKED;
        int rc, err;
        WATCHED(fd, what, step(conn, &blocked), rc, err);
        if (rc == S2N_SUCCESS) {
            return S2N_SUCCESS;
        }
        if (s2n_error_get_type(err) != S2N_ERR_T_BLOCKED) {
            return S2N_FAILURE;
        }
        if (io_wait(fd, blocked, deadline) != 0) {
            return io_timed_out(what, fd);
        }
    }
}

int s2nrs_io_negotiate(struct s2n_connection *conn, int fd, int timeout_ms)
{
    return io_repeat(s2n_negotiate, "s2n_negotiate", conn, fd, timeout_ms);
}

int s2nrs_io_shutdown(struct s2n_connection *conn, int fd, int timeout_ms)
{
    return io_repeat(s2n_shutdown, "s2n_shutdown", conn, fd, timeout_ms);
}

int s2nrs_io_send_all(struct s2n_connection *conn, int fd, const void *data, size_t len, int timeout_ms)
{
    int64_t deadline = s2nrs_now_ms() + timeout_ms;
    size_t off = 0;
    while (off < len) {
        s2n_blocked_status blocked = S2N_NOT_BLOCKED;
        ssize_t n;
        int err;
        WATCHED(fd, "s2n_send", s2n_send(conn, (const uint8_t *) data + off, (ssize_t) (len - off), &blocked), n,
                err);
        if (n >= 0) {
            off += (size_t) n;
            continue;
        }
        if (s2n_error_get_type(err) != S2N_ERR_T_BLOCKED) {
            return S2N_FAILURE;
        }
        if (io_wait(fd, blocked, deadline) != 0) {
            return io_timed_out("s2n_send", fd);
        }
    }
    return S2N_SUCCESS;
}

ssize_t s2nrs_io_recv_until(struct s2n_connection *conn, int fd, char *buf, size_t cap, const char *needle,
        int *closed, int timeout_ms)
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
        WATCHED(fd, "s2n_recv", s2n_recv(conn, buf + len, (ssize_t) (cap - 1 - len), &blocked), n, err);
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
        if (io_wait(fd, blocked, deadline) != 0) {
            io_timed_out("s2n_recv", fd);
            return -1;
        }
    }
    return (ssize_t) len;
}
