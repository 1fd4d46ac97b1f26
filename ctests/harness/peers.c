/* The harness's peer processes; see peers.h. */
#define _GNU_SOURCE

#include "harness/peers.h"

#include <sys/prctl.h>
#include <sys/wait.h>

#define S2NRS_MAX_PEERS 64

static struct s2nrs_peer s2nrs_peers[S2NRS_MAX_PEERS];
static volatile sig_atomic_t s2nrs_peer_count;

static void close_fd(int *fd)
{
    if (*fd >= 0) {
        close(*fd);
        *fd = -1;
    }
}

/* SIGKILL, then reap: for a peer that must go now. */
static void kill_and_reap(struct s2nrs_peer *p)
{
    kill(p->pid, SIGKILL);
    int st = 0;
    while (waitpid(p->pid, &st, 0) < 0 && errno == EINTR) {
    }
    p->exited = 1;
    p->status = st;
}

void s2nrs_peer_stop_all(void)
{
    for (int i = 0; i < s2nrs_peer_count; i++) {
        struct s2nrs_peer *p = &s2nrs_peers[i];
        if (p->pid > 0 && !p->exited) {
            kill_and_reap(p);
        }
    }
}

static void cleanup_files(void)
{
    for (int i = 0; i < s2nrs_peer_count; i++) {
        if (s2nrs_peers[i].out_path[0]) {
            unlink(s2nrs_peers[i].out_path);
        }
    }
}

static void at_exit(void)
{
    s2nrs_peer_stop_all();
    cleanup_files();
}

static void on_alarm(int sig)
{
    (void) sig;
    static const char msg[] = "FAIL: interop test exceeded its time budget (alarm); killing peers\n";
    ssize_t ignored = write(STDOUT_FILENO, msg, sizeof(msg) - 1);
    (void) ignored;
    s2nrs_peer_stop_all();
    cleanup_files();
    _exit(1);
}

void s2nrs_interop_init(unsigned alarm_seconds)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    signal(SIGPIPE, SIG_IGN);
    atexit(at_exit);
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_alarm;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGALRM, &sa, NULL);
    alarm(alarm_seconds ? alarm_seconds : S2NRS_ALARM_SECONDS);
}

void s2nrs_rearm_alarm(unsigned seconds)
{
    alarm(seconds ? seconds : S2NRS_ALARM_SECONDS);
}

/* ------------------------------------------------------------------------- */
/* Tools */

const char *s2nrs_require_tool(const char *name)
{
    const char *p = s2nrs_find_tool(name);
    if (p == NULL) {
        printf("skip: %s not installed\n", name);
        fflush(stdout);
        exit(S2NRS_SKIP);
    }
    return p;
}

void s2nrs_tool_first_line(const char *cmdline, char *out, size_t n)
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

void s2nrs_subst_port(const char *const *argv, uint16_t port, char store[][256], const char **out)
{
    int i = 0;
    for (; argv[i] && i < S2NRS_MAX_ARGS - 1; i++) {
        const char *a = argv[i];
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

static void print_argv(const char *label, const char *const *argv)
{
    printf("  [%s] $", label);
    for (int i = 0; argv[i]; i++) {
        printf(" %s", argv[i]);
    }
    printf("\n");
}

struct s2nrs_peer *s2nrs_peer_spawn(const char *label, const char *const *argv, int with_stdin)
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
    print_argv(label, argv);
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

int s2nrs_peer_poll_exit(struct s2nrs_peer *p)
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

int s2nrs_peer_exit_code(const struct s2nrs_peer *p)
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

int s2nrs_peer_wait_exit(struct s2nrs_peer *p, int timeout_ms)
{
    int64_t deadline = s2nrs_now_ms() + timeout_ms;
    while (!s2nrs_peer_poll_exit(p)) {
        if (s2nrs_now_ms() >= deadline) {
            printf("  [%s] did not exit within %d ms; killing pid %d\n", p->label, timeout_ms, (int) p->pid);
            kill_and_reap(p);
            close_fd(&p->stdin_fd);
            return -1;
        }
        s2nrs_sleep_ms(10);
    }
    close_fd(&p->stdin_fd);
    return s2nrs_peer_exit_code(p);
}

void s2nrs_peer_stop(struct s2nrs_peer *p)
{
    if (p == NULL) {
        return;
    }
    close_fd(&p->stdin_fd);
    if (!s2nrs_peer_poll_exit(p)) {
        kill(p->pid, SIGTERM);
        int64_t deadline = s2nrs_now_ms() + 2000;
        while (!s2nrs_peer_poll_exit(p)) {
            if (s2nrs_now_ms() >= deadline) {
                kill_and_reap(p);
                break;
            }
            s2nrs_sleep_ms(10);
        }
    }
}

const char *s2nrs_peer_output(struct s2nrs_peer *p)
{
    free(p->out);
    p->out = s2nrs_try_read_file(p->out_path);
    if (p->out == NULL) {
        p->out = strdup("");
    }
    return p->out ? p->out : "";
}

int s2nrs_peer_output_has(struct s2nrs_peer *p, const char *needle)
{
    return strstr(s2nrs_peer_output(p), needle) != NULL;
}

int s2nrs_peer_wait_output(struct s2nrs_peer *p, const char *needle, int timeout_ms)
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

void s2nrs_peer_dump(struct s2nrs_peer *p)
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

int s2nrs_peer_write(struct s2nrs_peer *p, const char *data)
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

void s2nrs_peer_close_stdin(struct s2nrs_peer *p)
{
    close_fd(&p->stdin_fd);
}
