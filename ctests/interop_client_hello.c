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
 * The peers are the harness's (harness/peers.h): killed when they outlive
 * their deadline or the test; loopback only.
 */
#define _GNU_SOURCE

#include "harness/peer_io.h"

#define POLICY "default_tls13"
#define TIMEOUT_MS 10000
#define EXT_KEY_SHARE 51
#define EXT_EXTENDED_MASTER_SECRET 23

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
            s2nrs_version_name(h->legacy_version),
            h->record_version_rc == 0 ? s2nrs_version_name(h->record_version) : "(error)",
            s2nrs_version_name(h->hello_version));
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
    const char *argv[24]; /* NULL-terminated; "{PORT}" is replaced */
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
    printf("  negotiated %s, %s, group %s, ALPN %s\n",
            s2nrs_version_name(s2n_connection_get_actual_protocol_version(conn)),
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

    struct s2nrs_peer *peer = NULL;
    int fd = s2nrs_accept_peer(c->name, c->argv, TIMEOUT_MS, &peer);
    if (peer == NULL) {
        g_failed++;
        return;
    }
    struct s2n_connection *conn = NULL;
    if (fd < 0) {
        S2NRS_FAIL_AT("%s did not connect", c->tool);
        goto done;
    }
    conn = s2n_connection_new(S2N_SERVER);
    EXPECT(conn != NULL);
    if (conn == NULL) {
        goto done;
    }
    EXPECT_SUCCESS(s2n_connection_set_config(conn, g_config));
    EXPECT_SUCCESS(s2n_connection_set_fd(conn, fd));
    EXPECT(s2n_connection_get_client_hello(conn) == NULL);

    s2n_errno = 0;
    int rc = s2nrs_io_negotiate(conn, fd, TIMEOUT_MS);
    int err = s2n_errno;
    if (g_info.calls > 0) {
        print_info(&g_info);
        check_hello(c, &g_info);
    } else {
        S2NRS_FAIL_AT("the ClientHello callback was not called");
    }
    if (rc != S2N_SUCCESS) {
        S2NRS_FAIL_AT("s2n_negotiate with %s failed: %s", c->tool, s2nrs_err_name(err));
        s2nrs_print_s2n_error(err);
    } else {
        check_connection(c, conn);
        /* close: our close_notify; the peer's stdin reaches EOF too */
        s2nrs_peer_close_stdin(peer);
        s2nrs_io_shutdown(conn, fd, 2000);
    }

done:
    if (conn) {
        EXPECT_SUCCESS(s2n_connection_free(conn));
    }
    if (fd >= 0) {
        close(fd);
    }
    if (s2nrs_peer_wait_exit(peer, 5000) == 127) {
        S2NRS_FAIL_AT("could not run %s", c->tool);
    }
    bool failed = s2nrs_failure_count() != failures_before;
    if (failed || getenv("S2NRS_VERBOSE")) {
        s2nrs_peer_dump(peer);
    }
    if (failed) {
        g_failed++;
        printf("  case %s FAILED\n", c->name);
    }
}

int main(void)
{
    s2nrs_interop_init(120);

    bool have_openssl = s2nrs_find_tool("openssl") != NULL;
    bool have_gnutls = s2nrs_find_tool("gnutls-cli") != NULL;
    if (!have_openssl && !have_gnutls) {
        printf("skip: neither openssl nor gnutls-cli is installed\n");
        return 77;
    }
    if (s2n_init() != S2N_SUCCESS) {
        printf("s2n_init failed: %s\n", s2nrs_err_name(s2n_errno));
        return 1;
    }

    const char *ca_path = s2nrs_cert_path("ca-ecdsa.pem");
    struct s2n_cert_chain_and_key *chain = s2nrs_load_chain("server-ecdsa-chain.pem", "server-ecdsa-key.pem");
    g_config = s2nrs_server_config(POLICY, &chain, 1);
    s2nrs_offer_alpn_h2_http11(g_config);
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
    s2nrs_tls_teardown();
    int rc = S2NRS_TEST_RESULT();
    if (rc == 0 && g_cases == 0) {
        return 77;
    }
    return rc;
}
