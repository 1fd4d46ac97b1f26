/*
 * The ClientHello callback and the s2n_client_hello_* getters on ClientHellos
 * from other TLS stacks: `openssl s_client` and `gnutls-cli` connect to our
 * server on 127.0.0.1 (an ephemeral port); the callback reads the server
 * name, the ALPN extension, the supported groups, the legacy versions,
 * extension presence and the cipher suites, prints them, and each case
 * asserts what its command-line options imply. The handshake must then
 * complete.
 *
 * A missing tool skips its cases; if neither exists the test exits 77.
 * Every peer runs in its own process group with a deadline and is killed
 * (SIGKILL to its group) if it outlives it; loopback only.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <time.h>
#include <unistd.h>

#include <s2n.h>

#include "harness/common.h"

#ifndef S2NRS_CERTS_DIR
    #error "S2NRS_CERTS_DIR must be defined (the tests/certs directory)"
#endif

#define POLICY "default_tls13"
#define TIMEOUT_MS 10000
#define EXT_KEY_SHARE 51
#define EXT_EXTENDED_MASTER_SECRET 23

static const char *err_name(int err)
{
    const char *n = s2n_strerror_name(err);
    return n ? n : "(unknown error)";
}

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static const char *version_name(int v)
{
    switch (v) {
        case S2N_SSLv2: return "SSLv2";
        case S2N_SSLv3: return "SSLv3";
        case S2N_TLS10: return "TLS1.0";
        case S2N_TLS11: return "TLS1.1";
        case S2N_TLS12: return "TLS1.2";
        case S2N_TLS13: return "TLS1.3";
        default: return "?";
    }
}

/* ------------------------------------------------------------------------- */
/* Tools and peers */

struct peer {
    pid_t pid;
    int stdin_fd;     /* our end of its stdin (-1 once closed) */
    char out_path[64]; /* its stdout+stderr */
};

static bool peer_spawn(struct peer *p, char *const argv[])
{
    memset(p, 0, sizeof(*p));
    p->pid = -1;
    p->stdin_fd = -1;
    snprintf(p->out_path, sizeof(p->out_path), "/tmp/s2nrs-ch-peer-XXXXXX");
    int out = mkstemp(p->out_path);
    if (out < 0) {
        S2NRS_FAIL_AT("mkstemp: %s", strerror(errno));
        return false;
    }
    int in[2];
    if (pipe(in) != 0) {
        S2NRS_FAIL_AT("pipe: %s", strerror(errno));
        close(out);
        return false;
    }
    pid_t pid = fork();
    if (pid < 0) {
        S2NRS_FAIL_AT("fork: %s", strerror(errno));
        close(out);
        close(in[0]);
        close(in[1]);
        return false;
    }
    if (pid == 0) {
        setpgid(0, 0);
        dup2(in[0], 0);
        dup2(out, 1);
        dup2(out, 2);
        close(in[0]);
        close(in[1]);
        close(out);
        execvp(argv[0], argv);
        _exit(127);
    }
    setpgid(pid, pid);
    close(in[0]);
    close(out);
    fcntl(in[1], F_SETFD, FD_CLOEXEC);
    p->pid = pid;
    p->stdin_fd = in[1];
    return true;
}

static void peer_close_stdin(struct peer *p)
{
    if (p->stdin_fd >= 0) {
        close(p->stdin_fd);
        p->stdin_fd = -1;
    }
}

/* True if the peer already exited (status stored). */
static bool peer_exited(struct peer *p, int *status)
{
    if (p->pid <= 0) {
        return true;
    }
    pid_t r = waitpid(p->pid, status, WNOHANG);
    if (r == p->pid) {
        p->pid = 0;
        return true;
    }
    return false;
}

/* Waits up to timeout_ms for the peer, then kills its process group; returns
 * its wait status (or -1 if it had to be killed). */
static int peer_finish(struct peer *p, int timeout_ms)
{
    peer_close_stdin(p);
    int status = 0;
    long long deadline = now_ms() + timeout_ms;
    while (p->pid > 0) {
        if (peer_exited(p, &status)) {
            return status;
        }
        if (now_ms() > deadline) {
            printf("  peer %d still running after %d ms: killed\n", (int) p->pid, timeout_ms);
            killpg(p->pid, SIGKILL);
            kill(p->pid, SIGKILL);
            waitpid(p->pid, &status, 0);
            p->pid = 0;
            return -1;
        }
        usleep(10 * 1000);
    }
    return status;
}

static void peer_print_output(struct peer *p)
{
    FILE *f = fopen(p->out_path, "r");
    if (f == NULL) {
        return;
    }
    printf("  ---- peer output ----\n");
    char line[512];
    int n = 0;
    while (fgets(line, sizeof(line), f) && n++ < 60) {
        printf("  | %s", line);
        if (!strchr(line, '\n')) {
            printf("\n");
        }
    }
    printf("  ---------------------\n");
    fclose(f);
}

static void peer_cleanup(struct peer *p)
{
    if (p->pid > 0) {
        peer_finish(p, 0);
    }
    peer_close_stdin(p);
    unlink(p->out_path);
}

/* ------------------------------------------------------------------------- */
/* Sockets */

static int listen_loopback(uint16_t *port)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        return -1;
    }
    struct sockaddr_in addr;
    memset(&addr, 0, sizeof(addr));
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    socklen_t len = sizeof(addr);
    if (bind(fd, (struct sockaddr *) &addr, sizeof(addr)) != 0 || listen(fd, 4) != 0
            || getsockname(fd, (struct sockaddr *) &addr, &len) != 0) {
        close(fd);
        return -1;
    }
    *port = ntohs(addr.sin_port);
    return fd;
}

static int accept_timeout(int lfd, struct peer *p, int timeout_ms)
{
    long long deadline = now_ms() + timeout_ms;
    while (now_ms() < deadline) {
        struct pollfd pfd = { .fd = lfd, .events = POLLIN };
        int r = poll(&pfd, 1, 50);
        if (r > 0) {
            int fd = accept(lfd, NULL, NULL);
            if (fd >= 0) {
                fcntl(fd, F_SETFD, FD_CLOEXEC);
                return fd;
            }
        }
        int status;
        if (peer_exited(p, &status)) {
            printf("  the peer exited (status 0x%x) before connecting\n", status);
            return -1;
        }
    }
    return -1;
}

/* s2n_negotiate on a nonblocking fd with poll(), until done, error or deadline. */
static int negotiate_until(struct s2n_connection *conn, int fd, int timeout_ms, int *err)
{
    long long deadline = now_ms() + timeout_ms;
    *err = 0;
    for (;;) {
        s2n_blocked_status blocked = S2N_NOT_BLOCKED;
        s2n_errno = 0;
        if (s2n_negotiate(conn, &blocked) == S2N_SUCCESS) {
            return 0;
        }
        *err = s2n_errno;
        if (s2n_error_get_type(*err) != S2N_ERR_T_BLOCKED) {
            return -1;
        }
        long long left = deadline - now_ms();
        if (left <= 0) {
            return -1;
        }
        struct pollfd pfd = { .fd = fd, .events = blocked == S2N_BLOCKED_ON_WRITE ? POLLOUT : POLLIN };
        poll(&pfd, 1, (int) (left > 100 ? 100 : left));
    }
}

/* ------------------------------------------------------------------------- */
/* What the callback saw */

struct hello_info {
    int calls;
    bool ch_available;
    bool has_sni;
    char sni[256];
    bool has_alpn;
    uint8_t alpn[256];
    ssize_t alpn_len;
    int groups_rc;
    uint16_t groups[64];
    uint16_t ngroups;
    uint8_t legacy_version;
    uint8_t record_version;
    int record_version_rc;
    int hello_version;
    bool has_supported_versions;
    bool has_key_share;
    bool has_sig_algs;
    bool has_ems;
    bool has_reneg_info;
    uint8_t suites[1024];
    ssize_t suites_len;
    uint32_t sid_len;
    ssize_t raw_len;
};

static bool has_ext(struct s2n_client_hello *ch, uint16_t iana)
{
    bool exists = false;
    EXPECT_SUCCESS(s2n_client_hello_has_extension(ch, iana, &exists));
    return exists;
}

static int record_cb(struct s2n_connection *conn, void *ctx)
{
    struct hello_info *h = ctx;
    h->calls++;
    struct s2n_client_hello *ch = s2n_connection_get_client_hello(conn);
    h->ch_available = ch != NULL;
    if (ch == NULL) {
        return 0;
    }
    h->has_sni = has_ext(ch, S2N_EXTENSION_SERVER_NAME);
    if (h->has_sni) {
        uint16_t len = 0, out_len = 0;
        EXPECT_SUCCESS(s2n_client_hello_get_server_name_length(ch, &len));
        EXPECT(len < sizeof(h->sni));
        EXPECT_SUCCESS(s2n_client_hello_get_server_name(ch, (uint8_t *) h->sni, sizeof(h->sni) - 1, &out_len));
        EXPECT_EQ_INT(out_len, len);
    } else {
        /* no server_name: the getters fail */
        uint16_t len = 99;
        EXPECT_FAILURE(s2n_client_hello_get_server_name_length(ch, &len));
    }
    h->has_alpn = has_ext(ch, S2N_EXTENSION_ALPN);
    h->alpn_len = s2n_client_hello_get_extension_by_id(ch, S2N_EXTENSION_ALPN, h->alpn, sizeof(h->alpn));
    EXPECT_EQ_INT(h->alpn_len, s2n_client_hello_get_extension_length(ch, S2N_EXTENSION_ALPN));
    s2n_errno = 0;
    h->groups_rc = s2n_client_hello_get_supported_groups(ch, h->groups, 64, &h->ngroups);
    EXPECT_SUCCESS(s2n_client_hello_get_legacy_protocol_version(ch, &h->legacy_version));
    h->record_version_rc = s2n_client_hello_get_legacy_record_version(ch, &h->record_version);
    h->hello_version = s2n_connection_get_client_hello_version(conn);
    h->has_supported_versions = has_ext(ch, S2N_EXTENSION_SUPPORTED_VERSIONS);
    h->has_key_share = has_ext(ch, EXT_KEY_SHARE);
    h->has_sig_algs = has_ext(ch, S2N_EXTENSION_SIGNATURE_ALGORITHMS);
    h->has_ems = has_ext(ch, EXT_EXTENDED_MASTER_SECRET);
    h->has_reneg_info = has_ext(ch, S2N_EXTENSION_RENEGOTIATION_INFO);
    h->suites_len = s2n_client_hello_get_cipher_suites_length(ch);
    if (h->suites_len > 0 && h->suites_len <= (ssize_t) sizeof(h->suites)) {
        EXPECT_EQ_INT(s2n_client_hello_get_cipher_suites(ch, h->suites, sizeof(h->suites)), h->suites_len);
    }
    EXPECT_SUCCESS(s2n_client_hello_get_session_id_length(ch, &h->sid_len));
    h->raw_len = s2n_client_hello_get_raw_message_length(ch);
    return 0;
}

static void print_info(const struct hello_info *h)
{
    printf("  ClientHello: server_name %s%s%s, legacy_version %s, record version %s, hello version %s\n",
            h->has_sni ? "\"" : "", h->has_sni ? h->sni : "(absent)", h->has_sni ? "\"" : "",
            version_name(h->legacy_version), h->record_version_rc == 0 ? version_name(h->record_version) : "(error)",
            version_name(h->hello_version));
    printf("  ALPN extension (%zd bytes):", h->alpn_len);
    for (ssize_t i = 0; i < h->alpn_len; i++) {
        printf(" %02x", h->alpn[i]);
    }
    printf("%s\n", h->has_alpn ? "" : " (absent)");
    printf("  supported groups (%s):", h->groups_rc == 0 ? "ok" : "error");
    for (int i = 0; i < h->ngroups; i++) {
        printf(" %u", h->groups[i]);
    }
    printf("\n  extensions: supported_versions %d, key_share %d, signature_algorithms %d, extended_master_secret %d, "
           "renegotiation_info %d\n",
            h->has_supported_versions, h->has_key_share, h->has_sig_algs, h->has_ems, h->has_reneg_info);
    printf("  cipher suites (%zd bytes):", h->suites_len);
    for (ssize_t i = 0; i + 1 < h->suites_len && i < 80; i += 2) {
        printf(" %02x%02x", h->suites[i], h->suites[i + 1]);
    }
    printf("%s\n  session id %u bytes, raw message %zd bytes\n", h->suites_len > 80 ? " ..." : "", h->sid_len,
            h->raw_len);
}

/* ------------------------------------------------------------------------- */
/* Cases */

#define DONT_CHECK (-1)
#define MAX_GROUPS 8

struct ch_case {
    const char *name;
    const char *tool;
    const char *argv[24]; /* "{PORT}" is replaced */
    /* expectations */
    const char *sni;      /* NULL: absent; "" : not checked */
    int alpn;             /* 1: exactly 00 0c 02 h2 08 http/1.1, 0: absent, DONT_CHECK */
    uint16_t groups[MAX_GROUPS]; /* exact list if ngroups > 0 */
    int ngroups;
    int supported_versions; /* 1, 0 or DONT_CHECK */
    int key_share;          /* 1, 0 or DONT_CHECK */
    bool tls13_suites_only; /* only 0x13xx (and the SCSV 0x00ff) */
    int version;            /* negotiated: S2N_TLS12 / S2N_TLS13 */
    int client_version;     /* s2n_connection_get_client_protocol_version */
    const char *negotiated_alpn; /* NULL: none */
};

static struct s2n_config *g_config;
static struct hello_info g_info;
static int g_cases, g_failed, g_skipped;

static void expect_alpn_bytes(const struct hello_info *h)
{
    static const uint8_t want[] = { 0x00, 0x0c, 0x02, 'h', '2', 0x08, 'h', 't', 't', 'p', '/', '1', '.', '1' };
    EXPECT(h->has_alpn);
    EXPECT_EQ_INT(h->alpn_len, sizeof(want));
    if (h->alpn_len == (ssize_t) sizeof(want) && memcmp(h->alpn, want, sizeof(want)) != 0) {
        S2NRS_FAIL_AT("the ALPN extension is not 00 0c 02 'h2' 08 'http/1.1'");
    }
}

static void check_hello(const struct ch_case *c, const struct hello_info *h)
{
    EXPECT_EQ_INT(h->calls, 1);
    EXPECT(h->ch_available);
    /* every modern client: legacy_version TLS1.2, ClientHello version TLS1.2 */
    EXPECT_EQ_INT(h->legacy_version, S2N_TLS12);
    EXPECT_EQ_INT(h->hello_version, S2N_TLS12);
    EXPECT_SUCCESS(h->record_version_rc);
    EXPECT(h->record_version >= S2N_TLS10 && h->record_version <= S2N_TLS12);
    EXPECT(h->suites_len > 0 && h->suites_len % 2 == 0);
    EXPECT(h->raw_len > 0);
    EXPECT(h->has_sig_algs);
    EXPECT(h->sid_len <= 32);

    if (c->sni == NULL) {
        EXPECT(!h->has_sni);
    } else if (c->sni[0]) {
        EXPECT(h->has_sni);
        EXPECT_STREQ(h->sni, c->sni);
    }
    if (c->alpn == 1) {
        expect_alpn_bytes(h);
    } else if (c->alpn == 0) {
        EXPECT(!h->has_alpn);
        EXPECT_EQ_INT(h->alpn_len, 0);
    }
    EXPECT_SUCCESS(h->groups_rc);
    EXPECT(h->ngroups > 0);
    if (c->ngroups > 0) {
        bool same = h->ngroups == c->ngroups;
        for (int i = 0; same && i < c->ngroups; i++) {
            same = h->groups[i] == c->groups[i];
        }
        if (!same) {
            char want[128] = "", got[256] = "";
            for (int i = 0; i < c->ngroups; i++) {
                snprintf(want + strlen(want), sizeof(want) - strlen(want), " %u", c->groups[i]);
            }
            for (int i = 0; i < h->ngroups; i++) {
                snprintf(got + strlen(got), sizeof(got) - strlen(got), " %u", h->groups[i]);
            }
            S2NRS_FAIL_AT("supported groups are {%s }, expected {%s }", got, want);
        }
    }
    if (c->supported_versions != DONT_CHECK) {
        EXPECT_EQ_INT(h->has_supported_versions, c->supported_versions);
    }
    if (c->key_share != DONT_CHECK) {
        EXPECT_EQ_INT(h->has_key_share, c->key_share);
    }
    if (c->tls13_suites_only) {
        for (ssize_t i = 0; i + 1 < h->suites_len; i += 2) {
            if (!(h->suites[i] == 0x13 || (h->suites[i] == 0x00 && h->suites[i + 1] == 0xff))) {
                S2NRS_FAIL_AT("cipher suite %02x%02x in a TLS1.3-only ClientHello", h->suites[i], h->suites[i + 1]);
            }
        }
    }
}

static void check_connection(const struct ch_case *c, struct s2n_connection *conn)
{
    EXPECT_EQ_INT(s2n_connection_get_actual_protocol_version(conn), c->version);
    EXPECT_EQ_INT(s2n_connection_get_client_protocol_version(conn), c->client_version);
    EXPECT_EQ_INT(s2n_connection_get_client_hello_version(conn), S2N_TLS12);
    const char *sni = s2n_get_server_name(conn);
    if (c->sni == NULL) {
        EXPECT(sni == NULL);
    } else if (c->sni[0]) {
        EXPECT_STREQ(sni, c->sni);
    }
    const char *alpn = s2n_get_application_protocol(conn);
    if (c->negotiated_alpn) {
        EXPECT_STREQ(alpn, c->negotiated_alpn);
    } else {
        EXPECT(alpn == NULL);
    }
    const char *group = NULL;
    s2n_connection_get_key_exchange_group(conn, &group);
    printf("  negotiated %s, %s, group %s, ALPN %s\n", version_name(s2n_connection_get_actual_protocol_version(conn)),
            s2nrs_safe_str(s2n_connection_get_cipher(conn)), s2nrs_safe_str(group), s2nrs_safe_str(alpn));
    /* the ClientHello is still readable after the handshake */
    struct s2n_client_hello *ch = s2n_connection_get_client_hello(conn);
    EXPECT(ch != NULL);
    if (ch) {
        EXPECT_EQ_INT(s2n_client_hello_get_raw_message_length(ch), g_info.raw_len);
    }
}

static void run_case(const struct ch_case *c, bool tool_present)
{
    const char *only = getenv("S2NRS_CASE");
    if (only && *only && strstr(c->name, only) == NULL) {
        return;
    }
    printf("== %s\n", c->name);
    if (!tool_present) {
        printf("SKIP %s: %s not installed\n", c->name, c->tool);
        g_skipped++;
        return;
    }
    g_cases++;
    int failures_before = s2nrs_failure_count();
    memset(&g_info, 0, sizeof(g_info));

    uint16_t port = 0;
    int lfd = listen_loopback(&port);
    if (lfd < 0) {
        S2NRS_FAIL_AT("cannot listen on 127.0.0.1: %s", strerror(errno));
        g_failed++;
        return;
    }
    char port_str[16];
    snprintf(port_str, sizeof(port_str), "%u", port);
    char store[24][256];
    char *argv[25];
    int argc = 0;
    for (; argc < 24 && c->argv[argc]; argc++) {
        const char *a = c->argv[argc];
        const char *at = strstr(a, "{PORT}");
        if (at) {
            snprintf(store[argc], sizeof(store[argc]), "%.*s%s%s", (int) (at - a), a, port_str, at + 6);
        } else {
            snprintf(store[argc], sizeof(store[argc]), "%s", a);
        }
        argv[argc] = store[argc];
    }
    argv[argc] = NULL;
    printf("  $");
    for (int i = 0; i < argc; i++) {
        printf(" %s", argv[i]);
    }
    printf("\n");

    struct peer peer;
    struct s2n_connection *conn = NULL;
    int fd = -1;
    if (!peer_spawn(&peer, argv)) {
        close(lfd);
        g_failed++;
        return;
    }
    fd = accept_timeout(lfd, &peer, TIMEOUT_MS);
    close(lfd);
    if (fd < 0) {
        S2NRS_FAIL_AT("%s did not connect", c->tool);
        goto done;
    }
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL, 0) | O_NONBLOCK);
    conn = s2n_connection_new(S2N_SERVER);
    EXPECT(conn != NULL);
    if (conn == NULL) {
        goto done;
    }
    EXPECT_SUCCESS(s2n_connection_set_config(conn, g_config));
    EXPECT_SUCCESS(s2n_connection_set_fd(conn, fd));
    EXPECT(s2n_connection_get_client_hello(conn) == NULL);

    int err = 0;
    int rc = negotiate_until(conn, fd, TIMEOUT_MS, &err);
    if (g_info.calls > 0) {
        print_info(&g_info);
        check_hello(c, &g_info);
    } else {
        S2NRS_FAIL_AT("the ClientHello callback was not called");
    }
    if (rc != 0) {
        S2NRS_FAIL_AT("s2n_negotiate with %s failed: %s", c->tool, err_name(err));
        s2nrs_print_s2n_error(err);
    } else {
        check_connection(c, conn);
        /* close: our close_notify; the peer's stdin reaches EOF too */
        s2n_blocked_status blocked;
        peer_close_stdin(&peer);
        long long deadline = now_ms() + 2000;
        while (now_ms() < deadline) {
            s2n_errno = 0;
            if (s2n_shutdown(conn, &blocked) == S2N_SUCCESS || s2n_error_get_type(s2n_errno) != S2N_ERR_T_BLOCKED) {
                break;
            }
            struct pollfd pfd = { .fd = fd, .events = blocked == S2N_BLOCKED_ON_WRITE ? POLLOUT : POLLIN };
            poll(&pfd, 1, 50);
        }
    }

done:
    if (conn) {
        EXPECT_SUCCESS(s2n_connection_free(conn));
    }
    if (fd >= 0) {
        close(fd);
    }
    int status = peer_finish(&peer, 5000);
    if (status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == 127) {
        S2NRS_FAIL_AT("could not run %s", c->tool);
    }
    bool failed = s2nrs_failure_count() != failures_before;
    if (failed || getenv("S2NRS_VERBOSE")) {
        peer_print_output(&peer);
    }
    peer_cleanup(&peer);
    if (failed) {
        g_failed++;
        printf("  case %s FAILED\n", c->name);
    }
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    signal(SIGPIPE, SIG_IGN);
    alarm(120);

    bool have_openssl = s2nrs_find_tool("openssl") != NULL;
    bool have_gnutls = s2nrs_find_tool("gnutls-cli") != NULL;
    if (!have_openssl && !have_gnutls) {
        printf("skip: neither openssl nor gnutls-cli is installed\n");
        return 77;
    }
    if (s2n_init() != S2N_SUCCESS) {
        printf("s2n_init failed: %s\n", err_name(s2n_errno));
        return 1;
    }

    char ca_path[1024], chain_path[1024], key_path[1024];
    snprintf(ca_path, sizeof(ca_path), "%s/ca-ecdsa.pem", S2NRS_CERTS_DIR);
    snprintf(chain_path, sizeof(chain_path), "%s/server-ecdsa-chain.pem", S2NRS_CERTS_DIR);
    snprintf(key_path, sizeof(key_path), "%s/server-ecdsa-key.pem", S2NRS_CERTS_DIR);
    char *chain_pem = NULL, *key_pem = NULL;
    {
        FILE *f = fopen(chain_path, "rb");
        FILE *g = fopen(key_path, "rb");
        EXPECT(f != NULL && g != NULL);
        if (f == NULL || g == NULL) {
            return 1;
        }
        chain_pem = calloc(1, 65536);
        key_pem = calloc(1, 65536);
        (void) !fread(chain_pem, 1, 65535, f);
        (void) !fread(key_pem, 1, 65535, g);
        fclose(f);
        fclose(g);
    }
    struct s2n_cert_chain_and_key *chain = s2n_cert_chain_and_key_new();
    EXPECT_SUCCESS(s2n_cert_chain_and_key_load_pem(chain, chain_pem, key_pem));
    free(chain_pem);
    free(key_pem);

    static const char *alpn[] = { "h2", "http/1.1" };
    g_config = s2n_config_new_minimal();
    EXPECT(g_config != NULL);
    EXPECT_SUCCESS(s2n_config_set_cipher_preferences(g_config, POLICY));
    EXPECT_SUCCESS(s2n_config_set_max_blinding_delay(g_config, 0));
    EXPECT_SUCCESS(s2n_config_add_cert_chain_and_key_to_store(g_config, chain));
    EXPECT_SUCCESS(s2n_config_set_protocol_preferences(g_config, alpn, 2));
    EXPECT_SUCCESS(s2n_config_set_client_hello_cb(g_config, record_cb, &g_info));

#define OSSL "openssl", "s_client", "-connect", "127.0.0.1:{PORT}", "-CAfile", ca_path
#define GNUTLS "gnutls-cli", "-p", "{PORT}", "--x509cafile", ca_path
    const struct ch_case cases[] = {
        {
                .name = "openssl_default",
                .tool = "openssl",
                .argv = { OSSL },
                .sni = "", /* s_client's default for an IP address: printed, not checked */
                .alpn = 0,
                .supported_versions = 1,
                .key_share = 1,
                .version = S2N_TLS13,
                .client_version = S2N_TLS13,
        },
        {
                .name = "openssl_tls1_2",
                .tool = "openssl",
                .argv = { OSSL, "-tls1_2", "-servername", "s2nrs.test" },
                .sni = "s2nrs.test",
                .alpn = 0,
                .supported_versions = 0,
                .key_share = 0,
                .version = S2N_TLS12,
                .client_version = S2N_TLS12,
        },
        {
                .name = "openssl_tls1_3",
                .tool = "openssl",
                .argv = { OSSL, "-tls1_3", "-servername", "s2nrs.test" },
                .sni = "s2nrs.test",
                .alpn = 0,
                .supported_versions = 1,
                .key_share = 1,
                .tls13_suites_only = true,
                .version = S2N_TLS13,
                .client_version = S2N_TLS13,
        },
        {
                .name = "openssl_servername",
                .tool = "openssl",
                .argv = { OSSL, "-servername", "foo.test" },
                .sni = "foo.test",
                .alpn = 0,
                .supported_versions = DONT_CHECK,
                .key_share = DONT_CHECK,
                .version = S2N_TLS13,
                .client_version = S2N_TLS13,
        },
        {
                .name = "openssl_noservername",
                .tool = "openssl",
                .argv = { OSSL, "-noservername" },
                .sni = NULL,
                .alpn = 0,
                .supported_versions = DONT_CHECK,
                .key_share = DONT_CHECK,
                .version = S2N_TLS13,
                .client_version = S2N_TLS13,
        },
        {
                .name = "openssl_alpn",
                .tool = "openssl",
                .argv = { OSSL, "-servername", "s2nrs.test", "-alpn", "h2,http/1.1" },
                .sni = "s2nrs.test",
                .alpn = 1,
                .supported_versions = DONT_CHECK,
                .key_share = DONT_CHECK,
                .version = S2N_TLS13,
                .client_version = S2N_TLS13,
                .negotiated_alpn = "h2",
        },
        {
                .name = "openssl_groups",
                .tool = "openssl",
                .argv = { OSSL, "-servername", "s2nrs.test", "-groups", "X25519:P-256" },
                .sni = "s2nrs.test",
                .alpn = 0,
                .groups = { 29, 23 },
                .ngroups = 2,
                .supported_versions = 1,
                .key_share = 1,
                .version = S2N_TLS13,
                .client_version = S2N_TLS13,
        },
        {
                .name = "openssl_groups_tls1_2",
                .tool = "openssl",
                .argv = { OSSL, "-servername", "s2nrs.test", "-tls1_2", "-groups", "P-256" },
                .sni = "s2nrs.test",
                .alpn = 0,
                .groups = { 23 },
                .ngroups = 1,
                .supported_versions = 0,
                .key_share = 0,
                .version = S2N_TLS12,
                .client_version = S2N_TLS12,
        },
        {
                .name = "gnutls_default",
                .tool = "gnutls-cli",
                .argv = { GNUTLS, "--sni-hostname", "s2nrs.test", "--verify-hostname", "s2nrs.test", "127.0.0.1" },
                .sni = "s2nrs.test",
                .alpn = 0,
                .supported_versions = 1,
                .key_share = 1,
                .version = S2N_TLS13,
                .client_version = S2N_TLS13,
        },
        {
                .name = "gnutls_tls1_2",
                .tool = "gnutls-cli",
                .argv = { GNUTLS, "--sni-hostname", "s2nrs.test", "--verify-hostname", "s2nrs.test",
                        "--priority", "NORMAL:-VERS-ALL:+VERS-TLS1.2", "127.0.0.1" },
                .sni = "s2nrs.test",
                .alpn = 0,
                .supported_versions = DONT_CHECK,
                .key_share = 0,
                .version = S2N_TLS12,
                .client_version = S2N_TLS12,
        },
        {
                .name = "gnutls_tls1_3_alpn",
                .tool = "gnutls-cli",
                .argv = { GNUTLS, "--sni-hostname", "s2nrs.test", "--verify-hostname", "s2nrs.test",
                        "--priority", "NORMAL:-VERS-ALL:+VERS-TLS1.3", "--alpn", "h2", "--alpn", "http/1.1",
                        "127.0.0.1" },
                .sni = "s2nrs.test",
                .alpn = 1,
                .supported_versions = 1,
                .key_share = 1,
                .tls13_suites_only = true,
                .version = S2N_TLS13,
                .client_version = S2N_TLS13,
                .negotiated_alpn = "h2",
        },
        {
                .name = "gnutls_groups_no_sni",
                .tool = "gnutls-cli",
                .argv = { GNUTLS, "--verify-hostname", "s2nrs.test", "--disable-sni",
                        "--priority", "NORMAL:-GROUP-ALL:+GROUP-X25519:+GROUP-SECP256R1", "127.0.0.1" },
                .sni = NULL,
                .alpn = 0,
                .groups = { 29, 23 },
                .ngroups = 2,
                .supported_versions = 1,
                .key_share = 1,
                .version = S2N_TLS13,
                .client_version = S2N_TLS13,
        },
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        bool present = strcmp(cases[i].tool, "openssl") == 0 ? have_openssl : have_gnutls;
        run_case(&cases[i], present);
    }
    printf("%d case(s) run, %d failed, %d skipped\n", g_cases, g_failed, g_skipped);

    EXPECT_SUCCESS(s2n_config_free(g_config));
    EXPECT_SUCCESS(s2n_cert_chain_and_key_free(chain));
    EXPECT_SUCCESS(s2n_cleanup_final());
    int rc = S2NRS_TEST_RESULT();
    if (rc == 0 && g_cases == 0) {
        return 77;
    }
    return rc;
}
