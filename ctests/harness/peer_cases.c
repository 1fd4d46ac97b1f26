/* The harness's cases against peer processes; see peer_cases.h. */
#include "harness/peer_cases.h"

/* Results of the run, for the summary. */
static int case_count, case_failed;

/* Checks what a successful handshake negotiated. */
static void check_negotiated(const struct s2nrs_case *c, struct s2n_connection *conn)
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
            S2NRS_FAIL_AT("[%s] our protocol version %s (%d), expected TLS1.3", c->name, s2nrs_version_name(ours),
                    ours);
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
static void check_peer(const struct s2nrs_case *c, struct s2nrs_peer *peer, int failures_before)
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

int s2nrs_case_selected(const struct s2nrs_case *c)
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

void s2nrs_case_begin(const struct s2nrs_case *c)
{
    case_count++;
    printf("case %s\n", c->name);
    s2nrs_rearm_alarm(S2NRS_ALARM_SECONDS);
}

void s2nrs_case_end(const struct s2nrs_case *c, int failures_before)
{
    if (s2nrs_failure_count() != failures_before) {
        case_failed++;
        printf("case %s: FAILED\n", c->name);
    } else {
        printf("case %s: ok\n", c->name);
    }
}

/* Expects our side's failure (rc, err) to match the case; prints the alert. */
static void check_expected_failure(const struct s2nrs_case *c, struct s2n_connection *conn, int rc, int err,
        const char *what)
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

/* The handshake (s2nrs_io_negotiate): true if it succeeded as the case
 * wants; false, with what went wrong recorded, if the case ends here. */
static bool negotiate(const struct s2nrs_case *c, struct s2n_connection *conn, int fd, struct s2nrs_peer *peer)
{
    s2n_errno = 0;
    int rc = s2nrs_io_negotiate(conn, fd, S2NRS_IO_TIMEOUT_MS);
    int err = s2n_errno;
    if (c->expect_error) {
        if (rc == S2N_SUCCESS && s2n_connection_get_mode(conn) == S2N_CLIENT) {
            /* The peer may reject us only after our handshake completed (TLS1.3
             * client auth): the failure then comes with the first read. */
            char buf[256];
            s2n_errno = 0;
            /* A peer's alert comes within milliseconds: 3 s is plenty. */
            ssize_t n = s2nrs_io_recv_until(conn, fd, buf, sizeof(buf), NULL, NULL, 3000);
            err = s2n_errno;
            printf("  [%s] handshake completed; the first s2n_recv returned %zd\n", c->name, n);
            check_expected_failure(c, conn, n < 0 ? S2N_FAILURE : S2N_SUCCESS, err, "s2n_recv after the handshake");
        } else {
            check_expected_failure(c, conn, rc, err, "s2n_negotiate");
        }
        return false;
    }
    if (rc != S2N_SUCCESS) {
        S2NRS_FAIL_AT("[%s] s2n_negotiate failed", c->name);
        s2nrs_print_s2n_error(err);
        return false;
    }
    check_negotiated(c, conn);
    if (c->extra_check) {
        c->extra_check(conn, peer);
    }
    return true;
}

/* Receives until `expected` arrived; it must be all that came. */
static void expect_received(const struct s2nrs_case *c, struct s2n_connection *conn, int fd, const char *expected,
        const char *what)
{
    char buf[4096];
    s2n_errno = 0;
    ssize_t n = s2nrs_io_recv_until(conn, fd, buf, sizeof(buf), expected, NULL, S2NRS_IO_TIMEOUT_MS);
    if (n < 0) {
        S2NRS_FAIL_AT("[%s] receiving %s failed", c->name, what);
        s2nrs_print_s2n_error(s2n_errno);
    } else if (strcmp(buf, expected) != 0) {
        S2NRS_FAIL_AT("[%s] received \"%s\", expected \"%s\"", c->name, buf, expected);
    }
}

static void check_shutdown(const struct s2nrs_case *c, struct s2n_connection *conn, int fd)
{
    if (c->shutdown_error == S2NRS_DONT_CHECK) {
        return;
    }
    s2n_errno = 0;
    int rc = s2nrs_io_shutdown(conn, fd, S2NRS_IO_TIMEOUT_MS);
    int err = s2n_errno;
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

/* A new connection of the mode with the case's config on fd, or NULL. */
static struct s2n_connection *new_connection(const struct s2nrs_case *c, s2n_mode mode, int fd)
{
    struct s2n_connection *conn = s2n_connection_new(mode);
    EXPECT(conn != NULL);
    if (conn == NULL) {
        return NULL;
    }
    EXPECT_SUCCESS(s2n_connection_set_config(conn, c->config));
    EXPECT_SUCCESS(s2n_connection_set_fd(conn, fd));
    if (mode == S2N_CLIENT && c->server_name) {
        EXPECT_SUCCESS(s2n_set_server_name(conn, c->server_name));
    }
    return conn;
}

/* The end of a case: the connection freed, the peer checked. */
static void finish_case(const struct s2nrs_case *c, struct s2n_connection *conn, int fd, struct s2nrs_peer *peer,
        int failures_before)
{
    if (conn) {
        EXPECT_SUCCESS(s2n_connection_free(conn));
    }
    if (fd >= 0) {
        close(fd);
    }
    s2nrs_peer_close_stdin(peer);
    check_peer(c, peer, failures_before);
    s2nrs_case_end(c, failures_before);
}

struct s2nrs_peer *s2nrs_start_server_peer(const struct s2nrs_case *c, int with_stdin, uint16_t *port)
{
    char store[S2NRS_MAX_ARGS][256];
    const char *argv[S2NRS_MAX_ARGS];
    for (int attempt = 0; attempt < 3; attempt++) {
        *port = s2nrs_free_port();
        if (*port == 0) {
            S2NRS_FAIL_AT("[%s] no free port on 127.0.0.1", c->name);
            return NULL;
        }
        s2nrs_subst_port(c->argv, *port, store, argv);
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

void s2nrs_run_client_case(const struct s2nrs_case *c)
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
    struct s2n_connection *conn = fd < 0 ? NULL : new_connection(c, S2N_CLIENT, fd);
    if (conn == NULL) {
        S2NRS_FAIL_AT("[%s] no connection to the peer", c->name);
    } else if (negotiate(c, conn, fd, peer)) {
        if (c->send) {
            EXPECT_SUCCESS(s2nrs_io_send_all(conn, fd, c->send, strlen(c->send), S2NRS_IO_TIMEOUT_MS));
        }
        if (c->reply) {
            expect_received(c, conn, fd, c->reply, "the reply");
        }
        check_shutdown(c, conn, fd);
    }
    finish_case(c, conn, fd, peer, failures_before);
}

void s2nrs_run_server_case(const struct s2nrs_case *c)
{
    if (!s2nrs_case_selected(c)) {
        return;
    }
    int failures_before = s2nrs_failure_count();
    s2nrs_case_begin(c);

    struct s2nrs_peer *peer = NULL;
    int fd = s2nrs_accept_peer(c->name, c->argv, S2NRS_IO_TIMEOUT_MS, &peer);
    if (peer == NULL) {
        s2nrs_case_end(c, failures_before);
        return;
    }
    struct s2n_connection *conn = NULL;
    if (fd < 0) {
        S2NRS_FAIL_AT("[%s] the peer did not connect", c->name);
    } else if ((conn = new_connection(c, S2N_SERVER, fd)) != NULL && negotiate(c, conn, fd, peer)) {
        if (c->send) {
            EXPECT_SUCCESS(s2nrs_io_send_all(conn, fd, c->send, strlen(c->send), S2NRS_IO_TIMEOUT_MS));
            /* The peer prints what it received: look for the first line. */
            char line[256];
            snprintf(line, sizeof(line), "%.*s", (int) strcspn(c->send, "\r\n"), c->send);
            if (!s2nrs_peer_wait_output(peer, line, S2NRS_IO_TIMEOUT_MS)) {
                S2NRS_FAIL_AT("[%s] %s did not print what we sent (\"%s\")", c->name, peer->label, line);
            }
        }
        if (c->peer_send) {
            EXPECT_EQ_INT(s2nrs_peer_write(peer, c->peer_send), 0);
            expect_received(c, conn, fd, c->peer_send, "the peer's data");
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
                S2NRS_FAIL_AT("[%s] s2n_recv gave %zd byte(s) (\"%s\") and closed=%d, expected 0 (close_notify)",
                        c->name, n, buf, closed);
            }
        }
        check_shutdown(c, conn, fd);
    }
    finish_case(c, conn, fd, peer, failures_before);
}

void s2nrs_cases_summary(const char *file)
{
    printf("%s: %d case(s), %d failed, %d s2n call(s) hung\n", file, case_count, case_failed, s2nrs_hung_calls);
}

/* ------------------------------------------------------------------------- */
/* Owned configs and certificates */

#define MAX_OWNED 64
static struct s2n_config *owned_configs[MAX_OWNED];
static struct s2n_cert_chain_and_key *owned_chains[MAX_OWNED];
static int n_configs, n_chains;

void s2nrs_own_chain(struct s2n_cert_chain_and_key *chain)
{
    if (n_chains < MAX_OWNED) {
        owned_chains[n_chains++] = chain;
    }
}

struct s2n_cert_chain_and_key *s2nrs_load_owned_chain(const char *chain_file, const char *key_file)
{
    struct s2n_cert_chain_and_key *chain = s2nrs_load_chain(chain_file, key_file);
    s2nrs_own_chain(chain);
    return chain;
}

struct s2n_config *s2nrs_owned_config(void)
{
    struct s2n_config *config = s2nrs_minimal_config("default");
    if (n_configs < MAX_OWNED) {
        owned_configs[n_configs++] = config;
    }
    return config;
}

struct s2n_config *s2nrs_owned_client_config(const char *ca_file, int with_alpn,
        struct s2n_cert_chain_and_key *client_cert)
{
    struct s2n_config *config = s2nrs_owned_config();
    s2nrs_add_trust(config, ca_file);
    if (with_alpn) {
        s2nrs_offer_alpn_h2_http11(config);
    }
    if (client_cert) {
        EXPECT_SUCCESS(s2n_config_add_cert_chain_and_key_to_store(config, client_cert));
    }
    return config;
}

uint8_t s2nrs_host_check_cb(const char *host_name, size_t len, void *data)
{
    struct s2nrs_host_check *hc = data;
    if (hc->calls < 8) {
        snprintf(hc->seen[hc->calls], sizeof(hc->seen[0]), "%.*s", (int) len, host_name);
    }
    hc->calls++;
    return len == strlen(hc->accept) && memcmp(host_name, hc->accept, len) == 0;
}

void s2nrs_expect_host_check_saw(struct s2nrs_host_check *hc)
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

struct s2n_config *s2nrs_owned_server_config(struct s2n_cert_chain_and_key *a, struct s2n_cert_chain_and_key *b,
        int client_auth, struct s2nrs_host_check *host_check)
{
    struct s2n_config *config = s2nrs_owned_config();
    EXPECT_SUCCESS(s2n_config_add_cert_chain_and_key_to_store(config, a));
    if (b) {
        EXPECT_SUCCESS(s2n_config_add_cert_chain_and_key_to_store(config, b));
    }
    s2nrs_offer_alpn_h2_http11(config);
    if (client_auth != S2NRS_NO_CLIENT_AUTH) {
        EXPECT_SUCCESS(s2n_config_set_client_auth_type(config, S2N_CERT_AUTH_REQUIRED));
        s2nrs_add_trust(config, "ca-ecdsa.pem");
        if (client_auth == S2NRS_CLIENT_AUTH_REQUIRED && host_check) {
            EXPECT_SUCCESS(s2n_config_set_verify_host_callback(config, s2nrs_host_check_cb, host_check));
        }
    }
    return config;
}

void s2nrs_owned_client_configs(struct s2n_config **ecdsa, struct s2n_config **ecdsa_alpn, struct s2n_config **rsa,
        struct s2n_config **mtls)
{
    struct s2n_cert_chain_and_key *client_cert =
            s2nrs_load_owned_chain("client-ecdsa-chain.pem", "client-ecdsa-key.pem");
    *ecdsa = s2nrs_owned_client_config("ca-ecdsa.pem", 0, NULL);
    *ecdsa_alpn = s2nrs_owned_client_config("ca-ecdsa.pem", 1, NULL);
    *rsa = s2nrs_owned_client_config("ca-rsa.pem", 0, NULL);
    *mtls = s2nrs_owned_client_config("ca-ecdsa.pem", 0, client_cert);
}

void s2nrs_owned_server_configs(struct s2nrs_host_check *host_check, struct s2n_config **ecdsa,
        struct s2n_config **rsa, struct s2n_config **mtls, struct s2n_config **mtls_default_host)
{
    struct s2n_cert_chain_and_key *server_ecdsa =
            s2nrs_load_owned_chain("server-ecdsa-chain.pem", "server-ecdsa-key.pem");
    struct s2n_cert_chain_and_key *other_ecdsa = s2nrs_load_owned_chain("other-ecdsa-chain.pem", "other-ecdsa-key.pem");
    struct s2n_cert_chain_and_key *server_rsa = s2nrs_load_owned_chain("server-rsa-chain.pem", "server-rsa-key.pem");
    *ecdsa = s2nrs_owned_server_config(server_ecdsa, other_ecdsa, S2NRS_NO_CLIENT_AUTH, NULL);
    *rsa = s2nrs_owned_server_config(server_rsa, NULL, S2NRS_NO_CLIENT_AUTH, NULL);
    *mtls = s2nrs_owned_server_config(server_ecdsa, NULL, S2NRS_CLIENT_AUTH_REQUIRED, host_check);
    *mtls_default_host =
            s2nrs_owned_server_config(server_ecdsa, NULL, S2NRS_CLIENT_AUTH_REQUIRED_DEFAULT_HOST_CHECK, NULL);
}

void s2nrs_expect_client_cert_chain(struct s2n_connection *conn)
{
    uint8_t *der = NULL;
    uint32_t len = 0;
    EXPECT_SUCCESS(s2n_connection_get_client_cert_chain(conn, &der, &len));
    EXPECT(der != NULL && len > 4);
    if (der && len > 4) {
        EXPECT_EQ_INT(der[3], 0x30);
    }
}

void s2nrs_expect_peer_cert_chain(struct s2n_connection *conn)
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

void s2nrs_free_owned(void)
{
    for (int i = 0; i < n_configs; i++) {
        EXPECT_SUCCESS(s2n_config_free(owned_configs[i]));
    }
    for (int i = 0; i < n_chains; i++) {
        EXPECT_SUCCESS(s2n_cert_chain_and_key_free(owned_chains[i]));
    }
    n_configs = n_chains = 0;
}
