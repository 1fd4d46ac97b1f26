/*
 * Differential: the JA3/JA4 fingerprint API of s2n/unstable/fingerprint.h.
 * JA3 and JA4 are fixed functions of the ClientHello bytes, so s2nrs and
 * s2n-tls must print the same fingerprints for the same ClientHello. One
 * line per fact, "<source> <type> <what> -> <value>":
 *
 *   ... obj hash_size|hash|raw_size|raw -> rc=<rc> size=<n> value=<...>
 *       (the s2n_fingerprint object: new, set_client_hello, get_*)
 *   ... ch hash|string -> rc=<rc> ...  (s2n_client_hello_get_fingerprint_*)
 *   failures: rc=-1 err=<s2n_strerror_name>
 *
 * Sources:
 *   handshake  `openssl s_client` (a peer we did not write) connects to our
 *              server with fixed options (-tls1_3 / -tls1_2, -servername,
 *              -alpn); the fingerprints are taken in the ClientHello
 *              callback. Key shares and randoms differ per run, but JA3/JA4
 *              do not include them. Skipped (SKIP lines) without openssl.
 *   file       each captured ClientHello in tests/data/client_hello/<name>.hex,
 *              parsed with s2n_client_hello_parse_message.
 *   error      NULL arguments, too-small output buffers, getters before
 *              s2n_fingerprint_set_client_hello and after s2n_fingerprint_wipe.
 *
 * Both APIs must agree where both succeed (EXPECT). ctests/diff/compare.py
 * diffs this output between s2nrs and s2n-tls.
 */
#include <dirent.h>
#include <poll.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <time.h>

#include "harness/selftalk.h"

#include <s2n/unstable/fingerprint.h>

#define POLICY "default_tls13"
#define TIMEOUT_MS 10000
#define MAX_OUT 4096

static const char *type_name(s2n_fingerprint_type type)
{
    return type == S2N_FINGERPRINT_JA3 ? "ja3" : type == S2N_FINGERPRINT_JA4 ? "ja4" : "type?";
}

static const char *rc_err(int rc)
{
    return rc < 0 ? s2nrs_err_name(s2n_errno) : "-";
}

/* The bytes as text if they are printable ASCII, else "hex:<hex>". */
static void format_bytes(char *out, size_t cap, const uint8_t *buf, uint32_t len)
{
    bool printable = true;
    for (uint32_t i = 0; i < len; i++) {
        printable = printable && buf[i] >= 0x20 && buf[i] < 0x7f;
    }
    size_t at = 0;
    out[0] = '\0';
    if (!printable) {
        at += snprintf(out, cap, "hex:");
    }
    for (uint32_t i = 0; i < len && at + 3 < cap; i++) {
        at += snprintf(out + at, cap - at, printable ? "%c" : "%02x", buf[i]);
    }
}

static void hex_encode(char *out, const uint8_t *buf, uint32_t len)
{
    for (uint32_t i = 0; i < len; i++) {
        sprintf(out + 2 * i, "%02x", buf[i]);
    }
    out[2 * len] = '\0';
}

/* ------------------------------------------------------------------------- */
/* The fingerprints of one ClientHello */

static void fingerprint_type(const char *source, struct s2n_client_hello *ch, s2n_fingerprint_type type)
{
    const char *t = type_name(type);
    static char text[2 * MAX_OUT + 16];
    uint8_t obj_hash[MAX_OUT], obj_raw[MAX_OUT], ch_hash[MAX_OUT], ch_str[MAX_OUT];
    uint32_t obj_hash_len = 0, obj_raw_len = 0, ch_hash_len = 0, ch_str_len = 0;
    int rc;

    /* The object API */
    struct s2n_fingerprint *fp = s2n_fingerprint_new(type);
    EXPECT(fp != NULL);
    if (fp == NULL) {
        return;
    }
    s2n_errno = 0;
    rc = s2n_fingerprint_set_client_hello(fp, ch);
    printf("%s %s obj set_client_hello -> rc=%d err=%s\n", source, t, rc, rc_err(rc));

    uint32_t hash_size = 0;
    s2n_errno = 0;
    rc = s2n_fingerprint_get_hash_size(fp, &hash_size);
    printf("%s %s obj hash_size -> rc=%d err=%s size=%u\n", source, t, rc, rc_err(rc), hash_size);

    s2n_errno = 0;
    int hash_rc = s2n_fingerprint_get_hash(fp, sizeof(obj_hash), obj_hash, &obj_hash_len);
    format_bytes(text, sizeof(text), obj_hash, hash_rc == 0 ? obj_hash_len : 0);
    printf("%s %s obj hash -> rc=%d err=%s size=%u value=%s\n", source, t, hash_rc, rc_err(hash_rc),
            obj_hash_len, text);
    if (hash_rc == 0) {
        EXPECT_EQ_INT(obj_hash_len, hash_size);
    }

    uint32_t raw_size = 0;
    s2n_errno = 0;
    rc = s2n_fingerprint_get_raw_size(fp, &raw_size);
    printf("%s %s obj raw_size -> rc=%d err=%s size=%u\n", source, t, rc, rc_err(rc), raw_size);

    s2n_errno = 0;
    int raw_rc = s2n_fingerprint_get_raw(fp, sizeof(obj_raw), obj_raw, &obj_raw_len);
    format_bytes(text, sizeof(text), obj_raw, raw_rc == 0 ? obj_raw_len : 0);
    printf("%s %s obj raw -> rc=%d err=%s size=%u value=%s\n", source, t, raw_rc, rc_err(raw_rc), obj_raw_len,
            text);
    if (raw_rc == 0) {
        EXPECT_EQ_INT(obj_raw_len, raw_size);
    }
    EXPECT_SUCCESS(s2n_fingerprint_free(&fp));
    EXPECT(fp == NULL);

    /* The s2n_client_hello_get_fingerprint_* API */
    uint32_t str_size = 0;
    s2n_errno = 0;
    int ch_hash_rc = s2n_client_hello_get_fingerprint_hash(ch, type, sizeof(ch_hash), ch_hash, &ch_hash_len,
            &str_size);
    format_bytes(text, sizeof(text), ch_hash, ch_hash_rc == 0 ? ch_hash_len : 0);
    printf("%s %s ch hash -> rc=%d err=%s size=%u str_size=%u value=%s\n", source, t, ch_hash_rc,
            rc_err(ch_hash_rc), ch_hash_len, str_size, text);

    s2n_errno = 0;
    int ch_str_rc = s2n_client_hello_get_fingerprint_string(ch, type, sizeof(ch_str), ch_str, &ch_str_len);
    format_bytes(text, sizeof(text), ch_str, ch_str_rc == 0 ? ch_str_len : 0);
    printf("%s %s ch string -> rc=%d err=%s size=%u value=%s\n", source, t, ch_str_rc, rc_err(ch_str_rc),
            ch_str_len, text);

    /* Both APIs agree */
    if (raw_rc == 0 && ch_str_rc == 0) {
        EXPECT_EQ_INT(ch_str_len, obj_raw_len);
        EXPECT(ch_str_len == obj_raw_len && memcmp(ch_str, obj_raw, ch_str_len) == 0);
    }
    if (raw_rc == 0 && ch_hash_rc == 0) {
        EXPECT_EQ_INT(str_size, obj_raw_len);
    }
    if (hash_rc == 0 && ch_hash_rc == 0) {
        /* the legacy call gives the binary digest, the object its hex form */
        static char hex[2 * MAX_OUT + 1];
        hex_encode(hex, ch_hash, ch_hash_len);
        EXPECT_EQ_INT(2 * ch_hash_len, obj_hash_len);
        if (2 * ch_hash_len == obj_hash_len && memcmp(hex, obj_hash, obj_hash_len) != 0) {
            S2NRS_FAIL_AT("%s %s: s2n_client_hello_get_fingerprint_hash %s != s2n_fingerprint_get_hash %.*s",
                    source, t, hex, (int) obj_hash_len, (const char *) obj_hash);
        }
    }
}

static void fingerprints(const char *source, struct s2n_client_hello *ch)
{
    fingerprint_type(source, ch, S2N_FINGERPRINT_JA3);
    fingerprint_type(source, ch, S2N_FINGERPRINT_JA4);
}

/* ------------------------------------------------------------------------- */
/* 1. A handshake with openssl s_client */

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

struct hello_cb_ctx {
    const char *source;
    int calls;
};

static int hello_cb(struct s2n_connection *conn, void *ctx)
{
    struct hello_cb_ctx *c = ctx;
    c->calls++;
    struct s2n_client_hello *ch = s2n_connection_get_client_hello(conn);
    EXPECT(ch != NULL);
    if (ch) {
        fingerprints(c->source, ch);
    }
    return 0;
}

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
    socklen_t len = sizeof(addr);
    if (bind(fd, (struct sockaddr *) &addr, sizeof(addr)) != 0 || listen(fd, 4) != 0
            || getsockname(fd, (struct sockaddr *) &addr, &len) != 0) {
        close(fd);
        return -1;
    }
    *port = ntohs(addr.sin_port);
    return fd;
}

/* Runs `openssl s_client -connect 127.0.0.1:<port> <extra...>` against our
 * server; the ClientHello callback prints the fingerprints as <source>. */
static void handshake_case(struct s2n_config *config, const char *source, const char *const *extra)
{
    struct hello_cb_ctx ctx = { .source = source };
    EXPECT_SUCCESS(s2n_config_set_client_hello_cb(config, hello_cb, &ctx));

    uint16_t port = 0;
    int lfd = listen_loopback(&port);
    if (lfd < 0) {
        S2NRS_FAIL_AT("cannot listen on 127.0.0.1: %s", strerror(errno));
        return;
    }
    char connect[32];
    snprintf(connect, sizeof(connect), "127.0.0.1:%u", port);
    const char *argv[24] = { "openssl", "s_client", "-connect", connect };
    int argc = 4;
    for (int i = 0; extra[i] && argc < 23; i++) {
        argv[argc++] = extra[i];
    }
    argv[argc] = NULL;

    int in[2];
    if (pipe(in) != 0) {
        S2NRS_FAIL_AT("pipe: %s", strerror(errno));
        close(lfd);
        return;
    }
    pid_t pid = fork();
    if (pid == 0) {
        setpgid(0, 0);
        int devnull = open("/dev/null", O_WRONLY);
        dup2(in[0], 0);
        dup2(devnull, 1);
        dup2(devnull, 2);
        close(in[0]);
        close(in[1]);
        close(lfd);
        execvp(argv[0], (char *const *) argv);
        _exit(127);
    }
    close(in[0]);
    if (pid < 0) {
        S2NRS_FAIL_AT("fork: %s", strerror(errno));
        close(in[1]);
        close(lfd);
        return;
    }
    setpgid(pid, pid);

    int fd = -1;
    long long deadline = now_ms() + TIMEOUT_MS;
    while (fd < 0 && now_ms() < deadline) {
        struct pollfd pfd = { .fd = lfd, .events = POLLIN };
        if (poll(&pfd, 1, 50) > 0) {
            fd = accept(lfd, NULL, NULL);
        }
        int status;
        if (fd < 0 && waitpid(pid, &status, WNOHANG) == pid) {
            pid = 0;
            break;
        }
    }
    close(lfd);

    struct s2n_connection *conn = NULL;
    if (fd < 0) {
        S2NRS_FAIL_AT("%s: openssl s_client did not connect", source);
        goto done;
    }
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL, 0) | O_NONBLOCK);
    conn = s2n_connection_new(S2N_SERVER);
    EXPECT(conn != NULL);
    if (conn == NULL) {
        goto done;
    }
    EXPECT_SUCCESS(s2n_connection_set_config(conn, config));
    EXPECT_SUCCESS(s2n_connection_set_fd(conn, fd));
    int err = 0;
    bool ok = false;
    while (now_ms() < deadline) {
        s2n_blocked_status blocked = S2N_NOT_BLOCKED;
        s2n_errno = 0;
        if (s2n_negotiate(conn, &blocked) == S2N_SUCCESS) {
            ok = true;
            break;
        }
        err = s2n_errno;
        if (s2n_error_get_type(err) != S2N_ERR_T_BLOCKED) {
            break;
        }
        struct pollfd pfd = { .fd = fd, .events = blocked == S2N_BLOCKED_ON_WRITE ? POLLOUT : POLLIN };
        poll(&pfd, 1, 100);
    }
    printf("%s handshake -> %s\n", source, ok ? "ok" : s2nrs_err_name(err));
    printf("%s callback calls -> %d\n", source, ctx.calls);
    EXPECT(ok);
    EXPECT_EQ_INT(ctx.calls, 1);
    if (ok) {
        /* the ClientHello stays readable after the handshake (the
         * s2n_client_hello_get_fingerprint_* calls support JA3 only) */
        struct s2n_client_hello *ch = s2n_connection_get_client_hello(conn);
        EXPECT(ch != NULL);
        uint8_t out[MAX_OUT];
        uint32_t out_len = 0;
        EXPECT_SUCCESS(s2n_client_hello_get_fingerprint_string(ch, S2N_FINGERPRINT_JA3, sizeof(out), out, &out_len));
        s2n_blocked_status blocked;
        close(in[1]);
        in[1] = -1;
        long long end = now_ms() + 2000;
        while (now_ms() < end) {
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
    if (in[1] >= 0) {
        close(in[1]);
    }
    if (pid > 0) {
        int status = 0;
        long long end = now_ms() + 5000;
        while (waitpid(pid, &status, WNOHANG) != pid) {
            if (now_ms() > end) {
                killpg(pid, SIGKILL);
                kill(pid, SIGKILL);
                waitpid(pid, &status, 0);
                break;
            }
            usleep(10 * 1000);
        }
    }
    EXPECT_SUCCESS(s2n_config_set_client_hello_cb(config, NULL, NULL));
}

static void handshakes(void)
{
    if (s2nrs_find_tool("openssl") == NULL) {
        printf("SKIP handshake: openssl not installed\n");
        return;
    }
    struct s2n_cert_chain_and_key *chain = s2nrs_load_chain("server-ecdsa-chain.pem", "server-ecdsa-key.pem");
    struct s2n_config *config = s2nrs_server_config(POLICY, &chain, 1);
    static const char *alpn[] = { "h2", "http/1.1" };
    EXPECT_SUCCESS(s2n_config_set_protocol_preferences(config, alpn, 2));

    char ca[1024];
    snprintf(ca, sizeof(ca), "%s/ca-ecdsa.pem", S2NRS_CERTS_DIR);
    const char *tls13[] = { "-CAfile", ca, "-tls1_3", "-servername", "fp.example", "-alpn", "h2,http/1.1", NULL };
    const char *tls12[] = { "-CAfile", ca, "-tls1_2", "-servername", "fp.example", "-alpn", "h2,http/1.1", NULL };
    const char *tls12_plain[] = { "-CAfile", ca, "-tls1_2", "-noservername", NULL };
    handshake_case(config, "handshake-openssl-tls1_3", tls13);
    handshake_case(config, "handshake-openssl-tls1_2", tls12);
    handshake_case(config, "handshake-openssl-tls1_2-nosni", tls12_plain);

    EXPECT_SUCCESS(s2n_config_free(config));
    EXPECT_SUCCESS(s2n_cert_chain_and_key_free(chain));
}

/* ------------------------------------------------------------------------- */
/* 2. Captured ClientHellos (tests/data/client_hello/<name>.hex) */

static char g_data_dir[1024];

/* The ClientHello of a .hex file, parsed (NULL on failure, printed). */
static struct s2n_client_hello *parse_file(const char *name)
{
    char path[2048];
    snprintf(path, sizeof(path), "%s/%s", g_data_dir, name);
    size_t len = 0;
    char *text = s2nrs_read_file(path, &len);
    if (text == NULL) {
        return NULL;
    }
    uint8_t *bytes = malloc(len / 2 + 1);
    uint32_t n = 0;
    for (size_t i = 0; i + 1 < len; i += 2) {
        unsigned v;
        if (sscanf(text + i, "%2x", &v) != 1) {
            break;
        }
        bytes[n++] = (uint8_t) v;
    }
    free(text);
    s2n_errno = 0;
    struct s2n_client_hello *ch = s2n_client_hello_parse_message(bytes, n);
    printf("file %s parse -> %s\n", name, ch ? "ok" : s2nrs_err_name(s2n_errno));
    free(bytes);
    return ch;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *) a, *(char *const *) b);
}

static void files(void)
{
    DIR *dir = opendir(g_data_dir);
    EXPECT(dir != NULL);
    if (dir == NULL) {
        printf("cannot open %s\n", g_data_dir);
        return;
    }
    char *names[128];
    int count = 0;
    struct dirent *e;
    while ((e = readdir(dir)) != NULL && count < 128) {
        size_t l = strlen(e->d_name);
        if (l > 4 && strcmp(e->d_name + l - 4, ".hex") == 0) {
            names[count++] = strdup(e->d_name);
        }
    }
    closedir(dir);
    qsort(names, count, sizeof(names[0]), cmp_names);
    printf("files count -> %d\n", count);
    EXPECT(count > 0);
    for (int i = 0; i < count; i++) {
        struct s2n_client_hello *ch = parse_file(names[i]);
        EXPECT(ch != NULL);
        if (ch) {
            char source[256];
            snprintf(source, sizeof(source), "file %s", names[i]);
            fingerprints(source, ch);
            EXPECT_SUCCESS(s2n_client_hello_free(&ch));
        }
        free(names[i]);
    }
}

/* ------------------------------------------------------------------------- */
/* 3. Error cases */

#define CALL(what, expr)                                                              \
    do {                                                                              \
        s2n_errno = 0;                                                                \
        int rc_ = (int) (expr);                                                       \
        printf("error %s -> rc=%d err=%s\n", (what), rc_, rc_err(rc_));               \
    } while (0)

/* A call that writes *size: also prints it. */
#define CALL_SIZE(what, expr, size)                                                   \
    do {                                                                              \
        s2n_errno = 0;                                                                \
        (size) = 12345;                                                               \
        int rc_ = (int) (expr);                                                       \
        printf("error %s -> rc=%d err=%s size=%u\n", (what), rc_, rc_err(rc_), (size)); \
    } while (0)

static void errors(void)
{
    struct s2n_client_hello *ch = parse_file("openssl_tls12.hex");
    EXPECT(ch != NULL);
    if (ch == NULL) {
        return;
    }
    uint8_t out[MAX_OUT];
    uint32_t size = 0, size2 = 0;

    s2n_errno = 0;
    struct s2n_fingerprint *bad = s2n_fingerprint_new((s2n_fingerprint_type) 7);
    printf("error new(7) -> %s err=%s\n", bad ? "non-NULL" : "NULL", bad ? "-" : s2nrs_err_name(s2n_errno));
    if (bad) {
        s2n_fingerprint_free(&bad);
    }
    CALL("free(NULL)", s2n_fingerprint_free(NULL));
    struct s2n_fingerprint *null_fp = NULL;
    CALL("free(&NULL)", s2n_fingerprint_free(&null_fp));
    CALL("wipe(NULL)", s2n_fingerprint_wipe(NULL));
    CALL("set_client_hello(NULL, ch)", s2n_fingerprint_set_client_hello(NULL, ch));
    CALL_SIZE("get_hash_size(NULL)", s2n_fingerprint_get_hash_size(NULL, &size), size);
    CALL_SIZE("get_raw_size(NULL)", s2n_fingerprint_get_raw_size(NULL, &size), size);
    CALL_SIZE("get_hash(NULL)", s2n_fingerprint_get_hash(NULL, sizeof(out), out, &size), size);
    CALL_SIZE("get_raw(NULL)", s2n_fingerprint_get_raw(NULL, sizeof(out), out, &size), size);

    for (int t = 0; t < 2; t++) {
        s2n_fingerprint_type type = t == 0 ? S2N_FINGERPRINT_JA3 : S2N_FINGERPRINT_JA4;
        char what[128];
#define W(s) (snprintf(what, sizeof(what), "%s %s", type_name(type), (s)), what)
        struct s2n_fingerprint *fp = s2n_fingerprint_new(type);
        EXPECT(fp != NULL);
        if (fp == NULL) {
            continue;
        }
        /* before set_client_hello */
        CALL_SIZE(W("hash_size before set"), s2n_fingerprint_get_hash_size(fp, &size), size);
        CALL_SIZE(W("hash before set"), s2n_fingerprint_get_hash(fp, sizeof(out), out, &size), size);
        CALL_SIZE(W("raw_size before set"), s2n_fingerprint_get_raw_size(fp, &size), size);
        CALL_SIZE(W("raw before set"), s2n_fingerprint_get_raw(fp, sizeof(out), out, &size), size);
        CALL(W("set_client_hello(fp, NULL)"), s2n_fingerprint_set_client_hello(fp, NULL));
        CALL(W("hash_size(fp, NULL)"), s2n_fingerprint_get_hash_size(fp, NULL));
        CALL(W("raw_size(fp, NULL)"), s2n_fingerprint_get_raw_size(fp, NULL));

        CALL(W("set_client_hello"), s2n_fingerprint_set_client_hello(fp, ch));
        CALL_SIZE(W("raw_size before get_raw"), s2n_fingerprint_get_raw_size(fp, &size), size);
        CALL(W("hash(NULL output)"), s2n_fingerprint_get_hash(fp, sizeof(out), NULL, &size));
        CALL(W("hash(NULL size)"), s2n_fingerprint_get_hash(fp, sizeof(out), out, NULL));
        CALL(W("raw(NULL output)"), s2n_fingerprint_get_raw(fp, sizeof(out), NULL, &size));
        CALL(W("raw(NULL size)"), s2n_fingerprint_get_raw(fp, sizeof(out), out, NULL));
        CALL_SIZE(W("hash(max 0)"), s2n_fingerprint_get_hash(fp, 0, out, &size), size);
        CALL_SIZE(W("hash(max 1)"), s2n_fingerprint_get_hash(fp, 1, out, &size), size);
        CALL_SIZE(W("raw(max 1)"), s2n_fingerprint_get_raw(fp, 1, out, &size), size);
        CALL_SIZE(W("raw(max 16)"), s2n_fingerprint_get_raw(fp, 16, out, &size), size);
        CALL_SIZE(W("hash_size"), s2n_fingerprint_get_hash_size(fp, &size2), size2);
        CALL_SIZE(W("hash(max hash_size)"), s2n_fingerprint_get_hash(fp, size2, out, &size), size);
        CALL_SIZE(W("hash(max hash_size-1)"), s2n_fingerprint_get_hash(fp, size2 - 1, out, &size), size);
        CALL_SIZE(W("raw"), s2n_fingerprint_get_raw(fp, sizeof(out), out, &size), size);
        uint32_t raw_len = size;
        CALL_SIZE(W("raw_size after get_raw"), s2n_fingerprint_get_raw_size(fp, &size), size);
        CALL_SIZE(W("raw(max raw_size)"), s2n_fingerprint_get_raw(fp, raw_len, out, &size), size);
        CALL_SIZE(W("raw(max raw_size-1)"), s2n_fingerprint_get_raw(fp, raw_len - 1, out, &size), size);
        CALL_SIZE(W("hash again"), s2n_fingerprint_get_hash(fp, sizeof(out), out, &size), size);

        /* after wipe */
        CALL(W("wipe"), s2n_fingerprint_wipe(fp));
        CALL_SIZE(W("hash after wipe"), s2n_fingerprint_get_hash(fp, sizeof(out), out, &size), size);
        CALL_SIZE(W("raw_size after wipe"), s2n_fingerprint_get_raw_size(fp, &size), size);
        CALL_SIZE(W("raw after wipe"), s2n_fingerprint_get_raw(fp, sizeof(out), out, &size), size);
        CALL(W("set_client_hello after wipe"), s2n_fingerprint_set_client_hello(fp, ch));
        CALL_SIZE(W("hash after wipe+set"), s2n_fingerprint_get_hash(fp, sizeof(out), out, &size), size);

        CALL(W("free"), s2n_fingerprint_free(&fp));
        printf("error %s -> %s\n", W("pointer after free"), fp ? "non-NULL" : "NULL");

        /* s2n_client_hello_get_fingerprint_* */
        uint32_t str_size = 0;
        CALL(W("ch hash(NULL ch)"), s2n_client_hello_get_fingerprint_hash(NULL, type, sizeof(out), out, &size, &str_size));
        CALL(W("ch hash(NULL hash)"), s2n_client_hello_get_fingerprint_hash(ch, type, sizeof(out), NULL, &size, &str_size));
        CALL(W("ch hash(NULL hash_size)"), s2n_client_hello_get_fingerprint_hash(ch, type, sizeof(out), out, NULL, &str_size));
        CALL(W("ch hash(NULL str_size)"), s2n_client_hello_get_fingerprint_hash(ch, type, sizeof(out), out, &size, NULL));
        CALL_SIZE(W("ch hash(max 0)"), s2n_client_hello_get_fingerprint_hash(ch, type, 0, out, &size, &str_size), size);
        CALL_SIZE(W("ch hash(max 15)"), s2n_client_hello_get_fingerprint_hash(ch, type, 15, out, &size, &str_size), size);
        CALL_SIZE(W("ch hash(max 16)"), s2n_client_hello_get_fingerprint_hash(ch, type, 16, out, &size, &str_size), size);
        CALL(W("ch string(NULL ch)"), s2n_client_hello_get_fingerprint_string(NULL, type, sizeof(out), out, &size));
        CALL(W("ch string(NULL output)"), s2n_client_hello_get_fingerprint_string(ch, type, sizeof(out), NULL, &size));
        CALL(W("ch string(NULL size)"), s2n_client_hello_get_fingerprint_string(ch, type, sizeof(out), out, NULL));
        CALL_SIZE(W("ch string(max 0)"), s2n_client_hello_get_fingerprint_string(ch, type, 0, out, &size), size);
        CALL_SIZE(W("ch string(max 1)"), s2n_client_hello_get_fingerprint_string(ch, type, 1, out, &size), size);
        CALL_SIZE(W("ch string(max raw_size)"),
                s2n_client_hello_get_fingerprint_string(ch, type, raw_len, out, &size), size);
        CALL_SIZE(W("ch string(max raw_size-1)"),
                s2n_client_hello_get_fingerprint_string(ch, type, raw_len - 1, out, &size), size);
#undef W
    }
    EXPECT_SUCCESS(s2n_client_hello_free(&ch));
}

int main(void)
{
    s2nrs_tls_setup(120);
    snprintf(g_data_dir, sizeof(g_data_dir), "%s/../data/client_hello", S2NRS_CERTS_DIR);

    handshakes();
    files();
    errors();

    s2nrs_tls_teardown();
    return S2NRS_TEST_RESULT();
}
