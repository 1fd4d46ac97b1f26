/*
 * Interop of the secrets s2n exposes, against OpenSSL's command-line peers,
 * on 127.0.0.1 only:
 *
 *   key log    s2n_config_set_key_log_cb: every NSS key log line our side
 *              reports (TLS1.3: CLIENT/SERVER_HANDSHAKE_TRAFFIC_SECRET,
 *              CLIENT/SERVER_TRAFFIC_SECRET_0, EXPORTER_SECRET; TLS1.2:
 *              CLIENT_RANDOM) is in the key log file of `openssl s_server
 *              -keylogfile` / `openssl s_client -keylogfile`, and back;
 *   exporter   s2n_connection_tls_exporter (empty context: what OpenSSL's
 *              -keymatexport uses, SSL_export_keying_material with
 *              use_context = 0, which TLS1.3 defines as the empty context)
 *              equals the "Keying material:" OpenSSL prints; TLS1.2 fails
 *              with S2N_ERR_INVALID_STATE (s2n-tls: TLS1.3 only);
 *   OCSP       our server staples tests/certs/ocsp/server-ecdsa-good.der
 *              (s2n_cert_chain_and_key_set_ocsp_data) to `openssl s_client
 *              -status`; our client (S2N_STATUS_REQUEST_OCSP) gets the bytes
 *              of `openssl s_server -status_file` from
 *              s2n_connection_get_ocsp_response.
 *
 * Every expectation is s2n-tls's behaviour (api/s2n.h and s2n-tls's sources);
 * a difference is a bug of the library under test.
 */
#define _GNU_SOURCE

#include "errors_table.h"
#include "harness/peer_cases.h"

#include <ctype.h>

#define CLIENT_SAYS "hello from the s2n client\n"
#define CLIENT_SAYS_REVERSED "tneilc n2s eht morf olleh\n"
#define SERVER_SAYS "hello from the s2n server\n"
#define PEER_SAYS "hello from the openssl peer\n"

#define EXPORT_LABEL "EXPERIMENTAL-s2nrs-interop"
#define EXPORT_LEN 32
#define OCSP_RESPONSE "ocsp/server-ecdsa-good.der"

/* ------------------------------------------------------------------------- */
/* Key log callback */

#define KEYLOG_MAX 16

struct keylog {
    int n;
    int overflow;
    char lines[KEYLOG_MAX][512];
};

static int keylog_cb(void *ctx, struct s2n_connection *conn, uint8_t *logline, size_t len)
{
    (void) conn;
    struct keylog *kl = ctx;
    if (kl->n >= KEYLOG_MAX || len >= sizeof(kl->lines[0])) {
        kl->overflow++;
        return S2N_SUCCESS;
    }
    memcpy(kl->lines[kl->n], logline, len);
    kl->lines[kl->n][len] = '\0';
    kl->n++;
    return S2N_SUCCESS;
}

static struct keylog client_keylog, server_keylog;

/* ------------------------------------------------------------------------- */
/* Temp files */

static char temp_paths[16][256];
static int temp_count;

/* An empty temp file (removed at the end of main). */
static const char *temp_file(const char *what)
{
    const char *tmp = getenv("TMPDIR");
    char *path = temp_paths[temp_count++];
    snprintf(path, sizeof(temp_paths[0]), "%s/s2nrs-%s-XXXXXX", (tmp && *tmp) ? tmp : "/tmp", what);
    int fd = mkostemp(path, O_CLOEXEC);
    if (fd < 0) {
        printf("mkostemp(%s): %s\n", path, strerror(errno));
        exit(1);
    }
    close(fd);
    return path;
}

static void remove_temp_files(void)
{
    for (int i = 0; i < temp_count; i++) {
        unlink(temp_paths[i]);
    }
}

/* The whole binary file; *len its size. NULL if unreadable. */
static uint8_t *read_binary(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        return NULL;
    }
    uint8_t *buf = malloc(65536);
    *len = buf ? fread(buf, 1, 65536, f) : 0;
    fclose(f);
    return buf;
}

/* ------------------------------------------------------------------------- */
/* One connection against one peer */

struct session {
    struct s2nrs_case c; /* only the name: selection, begin/end lines */
    int failures_before;
    struct s2nrs_peer *peer;
    struct s2n_connection *conn;
    int fd;
};

static void subst_port(const char *const *tmpl, uint16_t port, char store[][256], const char **out)
{
    int i = 0;
    for (; tmpl[i] && i < S2NRS_MAX_ARGS - 1; i++) {
        const char *hole = strstr(tmpl[i], "{PORT}");
        if (hole) {
            snprintf(store[i], 256, "%.*s%u%s", (int) (hole - tmpl[i]), tmpl[i], port, hole + 6);
            out[i] = store[i];
        } else {
            out[i] = tmpl[i];
        }
    }
    out[i] = NULL;
}

/* 0 if the case is filtered out by S2NRS_CASE; else starts it. */
static int session_begin(struct session *s, const char *name)
{
    memset(s, 0, sizeof(*s));
    s->fd = -1;
    s->c.name = name;
    if (!s2nrs_case_selected(&s->c)) {
        return 0;
    }
    s->failures_before = s2nrs_failure_count();
    s2nrs_case_begin(&s->c);
    return 1;
}

static int negotiate(struct session *s, struct s2n_config *config, s2n_mode mode, const char *server_name)
{
    s->conn = s2n_connection_new(mode);
    EXPECT(s->conn != NULL);
    if (s->conn == NULL) {
        return -1;
    }
    EXPECT_SUCCESS(s2n_connection_set_config(s->conn, config));
    EXPECT_SUCCESS(s2n_connection_set_fd(s->conn, s->fd));
    if (server_name) {
        EXPECT_SUCCESS(s2n_set_server_name(s->conn, server_name));
    }
    s2n_errno = 0;
    if (s2nrs_io_negotiate(s->conn, s->fd, S2NRS_IO_TIMEOUT_MS) != S2N_SUCCESS) {
        int err = s2n_errno;
        S2NRS_FAIL_AT("[%s] s2n_negotiate failed", s->c.name);
        s2nrs_print_s2n_error(err);
        return -1;
    }
    int v = s2n_connection_get_actual_protocol_version(s->conn);
    printf("  [%s] negotiated %s %s\n", s->c.name, s2nrs_version_name(v),
            s2nrs_safe_str(s2n_connection_get_cipher(s->conn)));
    return 0;
}

/* We are the client of an openssl s_server (argv with {PORT}); its stdin is a pipe. */
static int client_session(struct session *s, const char *const *tmpl, struct s2n_config *config)
{
    uint16_t port = 0;
    char store[S2NRS_MAX_ARGS][256];
    const char *argv[S2NRS_MAX_ARGS];
    for (int attempt = 0; attempt < 3 && s->peer == NULL; attempt++) {
        port = s2nrs_free_port();
        if (port == 0) {
            S2NRS_FAIL_AT("[%s] no free port on 127.0.0.1", s->c.name);
            return -1;
        }
        subst_port(tmpl, port, store, argv);
        s->peer = s2nrs_peer_spawn(s->c.name, argv, 1);
        if (s->peer == NULL) {
            return -1;
        }
        if (!s2nrs_peer_wait_listening(s->peer, port, S2NRS_IO_TIMEOUT_MS)) {
            s2nrs_peer_stop(s->peer);
            if (strstr(s2nrs_peer_output(s->peer), "in use") && attempt < 2) {
                printf("  [%s] port %u was taken; retrying\n", s->c.name, port);
                s->peer = NULL;
                continue;
            }
            S2NRS_FAIL_AT("[%s] the peer server did not start", s->c.name);
            return -1;
        }
    }
    s->fd = s2nrs_connect_loopback(port, S2NRS_IO_TIMEOUT_MS);
    if (s->fd < 0) {
        S2NRS_FAIL_AT("[%s] no connection to the peer", s->c.name);
        return -1;
    }
    return negotiate(s, config, S2N_CLIENT, "s2nrs.test");
}

/* We are the server of an openssl s_client (argv with {PORT}); its stdin is a pipe. */
static int server_session(struct session *s, const char *const *tmpl, struct s2n_config *config)
{
    uint16_t port = 0;
    int lfd = s2nrs_listen_loopback(&port);
    if (lfd < 0) {
        S2NRS_FAIL_AT("[%s] cannot listen on 127.0.0.1", s->c.name);
        return -1;
    }
    s2nrs_set_nonblocking(lfd);
    char store[S2NRS_MAX_ARGS][256];
    const char *argv[S2NRS_MAX_ARGS];
    subst_port(tmpl, port, store, argv);
    s->peer = s2nrs_peer_spawn(s->c.name, argv, 1);
    if (s->peer == NULL) {
        close(lfd);
        return -1;
    }
    s->fd = s2nrs_accept_timeout(lfd, S2NRS_IO_TIMEOUT_MS, s->peer);
    close(lfd);
    if (s->fd < 0) {
        S2NRS_FAIL_AT("[%s] the peer did not connect", s->c.name);
        return -1;
    }
    return negotiate(s, config, S2N_SERVER, NULL);
}

/* Client against s_server -rev: a line there, the reversed line back, shutdown. */
static void exchange_client_rev(struct session *s)
{
    char buf[512];
    EXPECT_SUCCESS(s2nrs_io_send_all(s->conn, s->fd, CLIENT_SAYS, strlen(CLIENT_SAYS), S2NRS_IO_TIMEOUT_MS));
    ssize_t n = s2nrs_io_recv_until(s->conn, s->fd, buf, sizeof(buf), CLIENT_SAYS_REVERSED, NULL,
            S2NRS_IO_TIMEOUT_MS);
    if (n < 0 || strcmp(buf, CLIENT_SAYS_REVERSED) != 0) {
        S2NRS_FAIL_AT("[%s] expected the reversed line back, got %zd byte(s) \"%s\"", s->c.name, n, n < 0 ? "" : buf);
    }
    if (s2nrs_io_shutdown(s->conn, s->fd, S2NRS_IO_TIMEOUT_MS) != S2N_SUCCESS) {
        S2NRS_FAIL_AT("[%s] s2n_shutdown failed", s->c.name);
        s2nrs_print_s2n_error(s2n_errno);
    }
}

/* Client against a plain s_server: a line there (it prints it), a line from
 * its stdin back, shutdown (s_server answers close_notify and exits). */
static void exchange_client_plain(struct session *s)
{
    char buf[512];
    EXPECT_SUCCESS(s2nrs_io_send_all(s->conn, s->fd, CLIENT_SAYS, strlen(CLIENT_SAYS), S2NRS_IO_TIMEOUT_MS));
    if (!s2nrs_peer_wait_output(s->peer, CLIENT_SAYS, S2NRS_IO_TIMEOUT_MS)) {
        S2NRS_FAIL_AT("[%s] s_server did not print what we sent", s->c.name);
    }
    EXPECT_EQ_INT(s2nrs_peer_write(s->peer, PEER_SAYS), 0);
    ssize_t n = s2nrs_io_recv_until(s->conn, s->fd, buf, sizeof(buf), PEER_SAYS, NULL, S2NRS_IO_TIMEOUT_MS);
    if (n < 0 || strcmp(buf, PEER_SAYS) != 0) {
        S2NRS_FAIL_AT("[%s] expected \"%s\" from s_server, got %zd byte(s) \"%s\"", s->c.name, PEER_SAYS, n,
                n < 0 ? "" : buf);
    }
    if (s2nrs_io_shutdown(s->conn, s->fd, S2NRS_IO_TIMEOUT_MS) != S2N_SUCCESS) {
        S2NRS_FAIL_AT("[%s] s2n_shutdown failed", s->c.name);
        s2nrs_print_s2n_error(s2n_errno);
    }
}

/* Server against s_client: a line there, a line from its stdin back, then
 * its stdin closed: close_notify from it, our shutdown. */
static void exchange_server(struct session *s)
{
    char buf[512];
    EXPECT_SUCCESS(s2nrs_io_send_all(s->conn, s->fd, SERVER_SAYS, strlen(SERVER_SAYS), S2NRS_IO_TIMEOUT_MS));
    if (!s2nrs_peer_wait_output(s->peer, SERVER_SAYS, S2NRS_IO_TIMEOUT_MS)) {
        S2NRS_FAIL_AT("[%s] s_client did not print what we sent", s->c.name);
    }
    EXPECT_EQ_INT(s2nrs_peer_write(s->peer, PEER_SAYS), 0);
    ssize_t n = s2nrs_io_recv_until(s->conn, s->fd, buf, sizeof(buf), PEER_SAYS, NULL, S2NRS_IO_TIMEOUT_MS);
    if (n < 0 || strcmp(buf, PEER_SAYS) != 0) {
        S2NRS_FAIL_AT("[%s] expected \"%s\" from s_client, got %zd byte(s) \"%s\"", s->c.name, PEER_SAYS, n,
                n < 0 ? "" : buf);
    }
    s2nrs_peer_close_stdin(s->peer);
    int closed = 0;
    n = s2nrs_io_recv_until(s->conn, s->fd, buf, sizeof(buf), NULL, &closed, S2NRS_IO_TIMEOUT_MS);
    if (n != 0 || !closed) {
        S2NRS_FAIL_AT("[%s] expected s_client's close_notify, s2n_recv gave %zd (closed=%d)", s->c.name, n, closed);
    }
    if (s2nrs_io_shutdown(s->conn, s->fd, S2NRS_IO_TIMEOUT_MS) != S2N_SUCCESS) {
        S2NRS_FAIL_AT("[%s] s2n_shutdown failed", s->c.name);
        s2nrs_print_s2n_error(s2n_errno);
    }
}

/* Frees the connection; the peer must exit 0 by itself (or, if a failure came
 * first, is stopped). */
static void session_close(struct session *s)
{
    if (s->conn) {
        EXPECT_SUCCESS(s2n_connection_free(s->conn));
        s->conn = NULL;
    }
    if (s->fd >= 0) {
        close(s->fd);
        s->fd = -1;
    }
    if (s->peer) {
        s2nrs_peer_close_stdin(s->peer);
        if (s2nrs_failure_count() != s->failures_before) {
            s2nrs_peer_stop(s->peer);
        } else {
            int code = s2nrs_peer_wait_exit(s->peer, S2NRS_IO_TIMEOUT_MS);
            if (code != 0) {
                S2NRS_FAIL_AT("[%s] %s exited %d, expected 0", s->c.name, s->peer->label, code);
            }
        }
    }
}

static void session_end(struct session *s)
{
    session_close(s);
    if (s->peer && s2nrs_failure_count() != s->failures_before) {
        s2nrs_peer_dump(s->peer);
    }
    s2nrs_case_end(&s->c, s->failures_before);
}

/* ------------------------------------------------------------------------- */
/* Checks */

/* Whether text holds line as a whole line. */
static int has_line(const char *text, const char *line)
{
    size_t len = strlen(line);
    for (const char *p = strstr(text, line); p; p = strstr(p + 1, line)) {
        if ((p == text || p[-1] == '\n') && (p[len] == '\n' || p[len] == '\r' || p[len] == '\0')) {
            return 1;
        }
    }
    return 0;
}

static const char *const tls13_labels[] = { "CLIENT_HANDSHAKE_TRAFFIC_SECRET", "SERVER_HANDSHAKE_TRAFFIC_SECRET",
    "CLIENT_TRAFFIC_SECRET_0", "SERVER_TRAFFIC_SECRET_0", "EXPORTER_SECRET", NULL };
static const char *const tls12_labels[] = { "CLIENT_RANDOM", NULL };

/*
 * Our key log lines: each expected label exactly once, NSS format
 * "LABEL <64 hex: client random> <hex secret>", one client random; each line
 * in OpenSSL's key log file, and each line of that file among ours.
 */
static void check_keylog(const char *name, const struct keylog *kl, const char *path, const char *const *labels)
{
    printf("  [%s] our key log callback got %d line(s)\n", name, kl->n);
    for (int i = 0; i < kl->n; i++) {
        printf("  [%s]   %s\n", name, kl->lines[i]);
    }
    if (kl->overflow) {
        S2NRS_FAIL_AT("[%s] %d key log line(s) did not fit (too many or too long)", name, kl->overflow);
    }
    int expected = 0;
    for (; labels[expected]; expected++) {
        int count = 0;
        size_t ll = strlen(labels[expected]);
        for (int i = 0; i < kl->n; i++) {
            count += strncmp(kl->lines[i], labels[expected], ll) == 0 && kl->lines[i][ll] == ' ';
        }
        if (count != 1) {
            S2NRS_FAIL_AT("[%s] our key log has %d %s line(s), expected 1", name, count, labels[expected]);
        }
    }
    if (kl->n != expected) {
        S2NRS_FAIL_AT("[%s] our key log has %d line(s), expected %d", name, kl->n, expected);
    }
    char random[65] = "";
    for (int i = 0; i < kl->n; i++) {
        const char *line = kl->lines[i];
        const char *sp1 = strchr(line, ' ');
        const char *sp2 = sp1 ? strchr(sp1 + 1, ' ') : NULL;
        int ok = sp1 && sp2 && sp2 - sp1 - 1 == 64 && strlen(sp2 + 1) >= 64 && strlen(sp2 + 1) % 2 == 0;
        for (const char *p = sp1 ? sp1 + 1 : line; ok && *p; p++) {
            ok = p == sp2 || isxdigit((unsigned char) *p);
        }
        if (!ok) {
            S2NRS_FAIL_AT("[%s] key log line \"%s\" is not \"LABEL <64 hex> <hex>\"", name, line);
            continue;
        }
        if (random[0] == '\0') {
            snprintf(random, sizeof(random), "%.64s", sp1 + 1);
        } else if (strncmp(random, sp1 + 1, 64) != 0) {
            S2NRS_FAIL_AT("[%s] key log lines with two client randoms: %s and %.64s", name, random, sp1 + 1);
        }
    }

    char *theirs = s2nrs_try_read_file(path);
    if (theirs == NULL) {
        S2NRS_FAIL_AT("[%s] cannot read OpenSSL's key log file %s", name, path);
        return;
    }
    int failures_before = s2nrs_failure_count();
    for (int i = 0; i < kl->n; i++) {
        if (!has_line(theirs, kl->lines[i])) {
            S2NRS_FAIL_AT("[%s] our key log line \"%s\" is not in OpenSSL's key log file", name, kl->lines[i]);
        }
    }
    int their_lines = 0;
    for (char *line = theirs; *line;) {
        char *nl = strchr(line, '\n');
        if (nl) {
            *nl = '\0';
        }
        if (*line && *line != '#') {
            their_lines++;
            int found = 0;
            for (int i = 0; i < kl->n && !found; i++) {
                found = strcmp(kl->lines[i], line) == 0;
            }
            if (!found) {
                S2NRS_FAIL_AT("[%s] OpenSSL's key log line \"%s\" is not among ours", name, line);
            }
        }
        line = nl ? nl + 1 : line + strlen(line);
    }
    printf("  [%s] OpenSSL's key log file has %d line(s)\n", name, their_lines);
    if (s2nrs_failure_count() != failures_before) {
        char *again = s2nrs_try_read_file(path);
        printf("  ---- OpenSSL's key log file ----\n%s  ---- end ----\n", again ? again : "");
        free(again);
    }
    free(theirs);
}

/* The hex after "Keying material: " in the peer's output, waiting for its line. */
static int peer_keying_material(struct s2nrs_peer *peer, char *hex, size_t n)
{
    static const char needle[] = "Keying material: ";
    int64_t deadline = s2nrs_now_ms() + S2NRS_IO_TIMEOUT_MS;
    for (;;) {
        int exited = s2nrs_peer_poll_exit(peer);
        const char *out = s2nrs_peer_output(peer);
        const char *p = strstr(out, needle);
        if (p && strchr(p, '\n')) {
            p += strlen(needle);
            snprintf(hex, n, "%.*s", (int) strcspn(p, "\r\n"), p);
            return 0;
        }
        if (exited || s2nrs_now_ms() >= deadline) {
            return -1;
        }
        s2nrs_sleep_ms(10);
    }
}

/* s2n_connection_tls_exporter(EXPORT_LABEL, empty context) == OpenSSL's -keymatexport. */
static void check_exporter(struct session *s)
{
    uint8_t out[EXPORT_LEN];
    memset(out, 0, sizeof(out));
    static const uint8_t empty[1] = { 0 };
    EXPECT_SUCCESS(s2n_connection_tls_exporter(s->conn, (const uint8_t *) EXPORT_LABEL, strlen(EXPORT_LABEL), empty,
            0, out, sizeof(out)));
    char ours[2 * EXPORT_LEN + 1];
    for (int i = 0; i < EXPORT_LEN; i++) {
        snprintf(ours + 2 * i, 3, "%02X", out[i]);
    }
    char theirs[256];
    if (peer_keying_material(s->peer, theirs, sizeof(theirs)) != 0) {
        S2NRS_FAIL_AT("[%s] %s printed no \"Keying material:\" line", s->c.name, s->peer->label);
        return;
    }
    printf("  [%s] exporter: ours %s, OpenSSL's %s\n", s->c.name, ours, theirs);
    if (strcasecmp(ours, theirs) != 0) {
        S2NRS_FAIL_AT("[%s] s2n_connection_tls_exporter gave %s, OpenSSL's keying material is %s", s->c.name, ours,
                theirs);
    }
}

/* TLS1.2: s2n-tls's exporter is TLS1.3 only (S2N_ERR_INVALID_STATE). */
static void check_exporter_refused(struct session *s)
{
    uint8_t out[EXPORT_LEN];
    static const uint8_t empty[1] = { 0 };
    EXPECT_FAILURE_WITH_ERRNO(s2n_connection_tls_exporter(s->conn, (const uint8_t *) EXPORT_LABEL,
                                      strlen(EXPORT_LABEL), empty, 0, out, sizeof(out)),
            S2NRS_E_INVALID_STATE);
}

/* Our client's view of a stapled (or absent) OCSP response. */
static void check_client_ocsp(struct session *s, const uint8_t *expected, size_t expected_len)
{
    uint32_t len = 12345;
    const uint8_t *resp = s2n_connection_get_ocsp_response(s->conn, &len);
    int stapled = s2n_connection_is_ocsp_stapled(s->conn);
    printf("  [%s] s2n_connection_is_ocsp_stapled %d, OCSP response %u byte(s)\n", s->c.name, stapled,
            resp ? len : 0);
    if (expected) {
        EXPECT_EQ_INT(stapled, 1);
        if (resp == NULL || len != expected_len || memcmp(resp, expected, expected_len) != 0) {
            S2NRS_FAIL_AT("[%s] s2n_connection_get_ocsp_response gave %s%u byte(s), expected the %zu of %s", s->c.name,
                    resp ? "" : "NULL, ", len, expected_len, OCSP_RESPONSE);
        }
    } else {
        EXPECT_EQ_INT(stapled, 0);
        if (resp != NULL && len != 0) {
            S2NRS_FAIL_AT("[%s] s2n_connection_get_ocsp_response gave %u byte(s), expected none", s->c.name, len);
        }
    }
}

/* ------------------------------------------------------------------------- */
/* Peer command lines */

#define S_SERVER \
    "openssl", "s_server", "-accept", "127.0.0.1:{PORT}", "-naccept", "1", "-no-CAfile", "-cert", \
            s2nrs_cert_path("server-ecdsa-chain.pem"), "-key", s2nrs_cert_path("server-ecdsa-key.pem")

#define S_CLIENT \
    "openssl", "s_client", "-connect", "127.0.0.1:{PORT}", "-no-CAfile", "-CAfile", s2nrs_cert_path("ca-ecdsa.pem"), \
            "-verify_return_error", "-verify_hostname", "s2nrs.test", "-servername", "s2nrs.test"

static struct s2n_config *client_config(void)
{
    return s2nrs_owned_client_config("ca-ecdsa.pem", 0, NULL);
}

static struct s2n_config *server_config(struct s2n_cert_chain_and_key *chain)
{
    struct s2n_config *config = s2nrs_owned_config();
    EXPECT_SUCCESS(s2n_config_add_cert_chain_and_key_to_store(config, chain));
    return config;
}

/* ------------------------------------------------------------------------- */
/* Cases */

static void keylog_client_case(const char *name, const char *version_flag, const char *const *labels, int version)
{
    struct session s;
    if (!session_begin(&s, name)) {
        return;
    }
    struct s2n_config *config = client_config();
    memset(&client_keylog, 0, sizeof(client_keylog));
    EXPECT_SUCCESS(s2n_config_set_key_log_cb(config, keylog_cb, &client_keylog));
    const char *file = temp_file("keylog");
    const char *const argv[] = { S_SERVER, "-rev", version_flag, "-keylogfile", file, NULL };
    if (client_session(&s, argv, config) == 0) {
        EXPECT_EQ_INT(s2n_connection_get_actual_protocol_version(s.conn), version);
        if (version == S2N_TLS12) {
            check_exporter_refused(&s);
        }
        exchange_client_rev(&s);
    }
    session_close(&s);
    if (s2nrs_failure_count() == s.failures_before) {
        check_keylog(name, &client_keylog, file, labels);
    }
    session_end(&s);
}

static void keylog_server_case(const char *name, const char *version_flag, const char *const *labels, int version,
        struct s2n_cert_chain_and_key *chain)
{
    struct session s;
    if (!session_begin(&s, name)) {
        return;
    }
    struct s2n_config *config = server_config(chain);
    memset(&server_keylog, 0, sizeof(server_keylog));
    EXPECT_SUCCESS(s2n_config_set_key_log_cb(config, keylog_cb, &server_keylog));
    const char *file = temp_file("keylog");
    const char *const argv[] = { S_CLIENT, version_flag, "-keylogfile", file, NULL };
    if (server_session(&s, argv, config) == 0) {
        EXPECT_EQ_INT(s2n_connection_get_actual_protocol_version(s.conn), version);
        exchange_server(&s);
    }
    session_close(&s);
    if (s2nrs_failure_count() == s.failures_before) {
        check_keylog(name, &server_keylog, file, labels);
    }
    session_end(&s);
}

static void exporter_client_case(void)
{
    struct session s;
    if (!session_begin(&s, "exporter_client_tls13")) {
        return;
    }
    struct s2n_config *config = client_config();
    /* Not -rev: only s_server's plain mode prints the keying material. */
    const char *const argv[] = { S_SERVER, "-tls1_3", "-keymatexport", EXPORT_LABEL, "-keymatexportlen", "32", NULL };
    if (client_session(&s, argv, config) == 0) {
        EXPECT_EQ_INT(s2n_connection_get_actual_protocol_version(s.conn), S2N_TLS13);
        check_exporter(&s);
        exchange_client_plain(&s);
    }
    session_end(&s);
}

static void exporter_server_case(struct s2n_cert_chain_and_key *chain)
{
    struct session s;
    if (!session_begin(&s, "exporter_server_tls13")) {
        return;
    }
    struct s2n_config *config = server_config(chain);
    const char *const argv[] = { S_CLIENT, "-tls1_3", "-keymatexport", EXPORT_LABEL, "-keymatexportlen", "32", NULL };
    if (server_session(&s, argv, config) == 0) {
        EXPECT_EQ_INT(s2n_connection_get_actual_protocol_version(s.conn), S2N_TLS13);
        check_exporter(&s);
        exchange_server(&s);
    }
    session_end(&s);
}

/* Our server, with or without a stapled response, against s_client with or without -status. */
static void ocsp_server_case(const char *name, const char *version_flag, struct s2n_cert_chain_and_key *chain,
        int client_asks, int expect_stapled)
{
    struct session s;
    if (!session_begin(&s, name)) {
        return;
    }
    struct s2n_config *config = server_config(chain);
    const char *const argv_status[] = { S_CLIENT, version_flag, "-status", NULL };
    const char *const argv_plain[] = { S_CLIENT, version_flag, NULL };
    if (server_session(&s, client_asks ? argv_status : argv_plain, config) == 0) {
        int stapled = s2n_connection_is_ocsp_stapled(s.conn);
        printf("  [%s] s2n_connection_is_ocsp_stapled %d\n", name, stapled);
        EXPECT_EQ_INT(stapled, expect_stapled);
        exchange_server(&s);
    }
    session_close(&s);
    const char *out = s.peer ? s2nrs_peer_output(s.peer) : "";
    if (s.peer && expect_stapled) {
        if (!strstr(out, "OCSP Response Status: successful") || !strstr(out, "Cert Status: good")) {
            S2NRS_FAIL_AT("[%s] s_client did not print a successful OCSP response with \"Cert Status: good\"", name);
        }
        if (!strstr(out, "Serial Number: 760C6AC4376074D86C5BD16E795B2EE57234A93B")) {
            S2NRS_FAIL_AT("[%s] s_client's OCSP response is not about server-ecdsa.pem's serial", name);
        }
    } else if (s.peer && client_asks) {
        if (!strstr(out, "OCSP response: no response sent")) {
            S2NRS_FAIL_AT("[%s] s_client did not print \"OCSP response: no response sent\"", name);
        }
    }
    session_end(&s);
}

/* Our client (requesting OCSP) against s_server with or without -status_file. */
static void ocsp_client_case(const char *name, const char *version_flag, int staple, const uint8_t *der,
        size_t der_len)
{
    struct session s;
    if (!session_begin(&s, name)) {
        return;
    }
    struct s2n_config *config = client_config();
    EXPECT_SUCCESS(s2n_config_set_status_request_type(config, S2N_STATUS_REQUEST_OCSP));
    const char *const argv_status[] = { S_SERVER, "-rev", version_flag, "-status_file",
        s2nrs_cert_path(OCSP_RESPONSE), NULL };
    const char *const argv_plain[] = { S_SERVER, "-rev", version_flag, NULL };
    if (client_session(&s, staple ? argv_status : argv_plain, config) == 0) {
        check_client_ocsp(&s, staple ? der : NULL, der_len);
        exchange_client_rev(&s);
    }
    session_end(&s);
}

int main(void)
{
    s2nrs_interop_init(S2NRS_ALARM_SECONDS);
    s2nrs_require_tool("openssl");
    char version[256];
    s2nrs_tool_first_line("openssl version 2>&1", version, sizeof(version));
    printf("peer: %s\n", version);

    size_t der_len = 0;
    uint8_t *der = read_binary(s2nrs_cert_path(OCSP_RESPONSE), &der_len);
    if (der == NULL || der_len == 0) {
        printf("cannot read %s (made by tests/certs/ocsp/make.sh)\n", s2nrs_cert_path(OCSP_RESPONSE));
        return 1;
    }

    EXPECT_SUCCESS(s2n_init());
    struct s2n_cert_chain_and_key *plain = s2nrs_load_owned_chain("server-ecdsa-chain.pem", "server-ecdsa-key.pem");
    struct s2n_cert_chain_and_key *with_ocsp = s2nrs_load_owned_chain("server-ecdsa-chain.pem", "server-ecdsa-key.pem");
    EXPECT_SUCCESS(s2n_cert_chain_and_key_set_ocsp_data(with_ocsp, der, (uint32_t) der_len));

    keylog_client_case("keylog_client_tls13", "-tls1_3", tls13_labels, S2N_TLS13);
    keylog_client_case("keylog_client_tls12", "-tls1_2", tls12_labels, S2N_TLS12);
    keylog_server_case("keylog_server_tls13", "-tls1_3", tls13_labels, S2N_TLS13, plain);
    keylog_server_case("keylog_server_tls12", "-tls1_2", tls12_labels, S2N_TLS12, plain);

    exporter_client_case();
    exporter_server_case(plain);

    ocsp_server_case("ocsp_server_tls13", "-tls1_3", with_ocsp, 1, 1);
    ocsp_server_case("ocsp_server_tls12", "-tls1_2", with_ocsp, 1, 1);
    ocsp_server_case("ocsp_server_tls13_not_requested", "-tls1_3", with_ocsp, 0, 0);
    ocsp_server_case("ocsp_server_tls12_not_requested", "-tls1_2", with_ocsp, 0, 0);
    ocsp_server_case("ocsp_server_tls13_no_data", "-tls1_3", plain, 1, 0);
    ocsp_client_case("ocsp_client_tls13", "-tls1_3", 1, der, der_len);
    ocsp_client_case("ocsp_client_tls12", "-tls1_2", 1, der, der_len);
    ocsp_client_case("ocsp_client_tls13_none", "-tls1_3", 0, der, der_len);

    s2nrs_free_owned();
    free(der);
    EXPECT_SUCCESS(s2n_cleanup_final());
    remove_temp_files();
    s2nrs_cases_summary(__FILE__);
    return S2NRS_TEST_RESULT();
}
