/*
 * Every security policy of data/policies.tsv (read at run time):
 *
 *  - a deprecated name (the `deprecated` column set) is refused by
 *    s2n_config_set_cipher_preferences with S2N_ERR_DEPRECATED_SECURITY_POLICY;
 *  - every other name is accepted, as by s2n-tls; of the six whose suites
 *    rustls cannot offer at all (20140601, 20141001, 20150202, 20150214,
 *    test_all_rsa_kex, null), s2nrs fails the handshake at once with
 *    S2N_ERR_CIPHER_NOT_SUPPORTED;
 *  - for every accepted policy, a self-talk handshake where both sides use it
 *    succeeds and negotiates a cipher listed in the policy's cipher_suites
 *    column, with a protocol version the policy allows. The server has the
 *    ECDSA certificate, plus the RSA one when the policy has no ECDSA-capable
 *    suite; policies whose (certificate) signature schemes exclude both test
 *    certificates (ECDSA P-256 and RSA-2048, both CA-signed with SHA-256) are
 *    skipped and counted.
 */
#include "harness/selftalk.h"

#define POLICIES_TSV S2NRS_CERTS_DIR "/../../data/policies.tsv"
#define MAX_COLS 16

static const char *const no_rustls_suite[] = {
    "20140601", "20141001", "20150202", "20150214", "test_all_rsa_kex", "null",
};

struct row {
    char *cols[MAX_COLS];
    int ncols;
};

static int col_name, col_min, col_tls13, col_suites, col_sigs, col_cert_sigs, col_deprecated;

/* Splits a line in place on tabs. */
static int split_tabs(char *line, char **cols, int max)
{
    int n = 0;
    cols[n++] = line;
    for (char *p = line; *p && n < max; p++) {
        if (*p == '\t') {
            *p = '\0';
            cols[n++] = p + 1;
        }
    }
    return n;
}

/* True if the comma-separated list contains item. */
static bool list_has(const char *list, const char *item)
{
    size_t n = strlen(item);
    const char *p = list;
    while (p && *p) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t) (comma - p) : strlen(p);
        if (len == n && strncmp(p, item, n) == 0) {
            return true;
        }
        p = comma ? comma + 1 : NULL;
    }
    return false;
}

/* True if some item of the list starts with prefix. */
static bool list_has_prefix(const char *list, const char *prefix)
{
    size_t n = strlen(prefix);
    const char *p = list;
    while (p && *p) {
        if (strncmp(p, prefix, n) == 0) {
            return true;
        }
        const char *comma = strchr(p, ',');
        p = comma ? comma + 1 : NULL;
    }
    return false;
}

static int version_of(const char *name)
{
    if (strcmp(name, "S2N_SSLv3") == 0) {
        return S2N_SSLv3;
    } else if (strcmp(name, "S2N_TLS10") == 0) {
        return S2N_TLS10;
    } else if (strcmp(name, "S2N_TLS11") == 0) {
        return S2N_TLS11;
    } else if (strcmp(name, "S2N_TLS12") == 0) {
        return S2N_TLS12;
    } else if (strcmp(name, "S2N_TLS13") == 0) {
        return S2N_TLS13;
    }
    return -1;
}

static bool is_tls13_suite(const char *suite_list)
{
    return list_has_prefix(suite_list, "TLS_AES_") || list_has_prefix(suite_list, "TLS_CHACHA20_");
}

static struct s2n_cert_chain_and_key *ecdsa_chain, *rsa_chain;

struct counts {
    int rows, deprecated_ok, unsupported_ok, accepted, handshakes_ok, skipped, failed;
};

static void run_policy(struct row *r, struct counts *c)
{
    const char *name = r->cols[col_name];
    const char *suites = r->cols[col_suites];
    const char *sigs = r->cols[col_sigs];
    const char *cert_sigs = r->cols[col_cert_sigs]; /* empty: no restriction on certificates */
    bool tls13 = r->cols[col_tls13][0] != '\0';
    int min_version = version_of(r->cols[col_min]);

    /* Which test certificate can this policy use (s2n's rules)? TLS1.3 is
     * chosen whenever both sides have it, and then the P-256 key needs
     * ecdsa_sha256 (ecdsa_secp256r1_sha256) and the RSA key rsa_pss_rsae_*;
     * in TLS1.2 a suite of the key's type and any scheme of the key's type
     * (or RSA key exchange, which signs nothing). The certificates themselves
     * are CA-signed with SHA-256: the certificate signature schemes, when
     * set, must allow that. */
    bool tls13_usable = tls13 && is_tls13_suite(suites);
    bool ecdsa_suite = list_has_prefix(suites, "ECDHE-ECDSA-");
    bool rsa_sig_suite = list_has_prefix(suites, "ECDHE-RSA-") || list_has_prefix(suites, "DHE-RSA-");
    bool rsa_kex_suite = list_has_prefix(suites, "AES") || list_has_prefix(suites, "DES-CBC3")
            || list_has_prefix(suites, "RC4") || list_has_prefix(suites, "CAMELLIA");
    bool ecdsa_cert_allowed = cert_sigs[0] == '\0' || list_has(cert_sigs, "ecdsa_sha256");
    bool rsa_cert_allowed = cert_sigs[0] == '\0' || list_has(cert_sigs, "rsa_pkcs1_sha256");
    bool ecdsa_ok, rsa_ok;
    if (tls13_usable) {
        ecdsa_ok = ecdsa_cert_allowed && list_has(sigs, "ecdsa_sha256");
        rsa_ok = rsa_cert_allowed && list_has_prefix(sigs, "rsa_pss_rsae_");
    } else {
        ecdsa_ok = ecdsa_cert_allowed && ecdsa_suite && list_has_prefix(sigs, "ecdsa_");
        rsa_ok = rsa_cert_allowed
                && ((rsa_sig_suite && (list_has_prefix(sigs, "rsa_pkcs1_") || list_has_prefix(sigs, "rsa_pss_rsae_")))
                        || rsa_kex_suite);
    }

    struct s2n_cert_chain_and_key *chains[2];
    int nchains = 0;
    if (ecdsa_ok) {
        chains[nchains++] = ecdsa_chain;
    } else if (rsa_ok) {
        /* No ECDSA-capable suite (or ECDSA excluded): the RSA certificate,
         * next to the ECDSA one when its signature is still acceptable. */
        if (ecdsa_cert_allowed) {
            chains[nchains++] = ecdsa_chain;
        }
        chains[nchains++] = rsa_chain;
    }
    if (nchains == 0) {
        printf("  skip %s: its signature schemes exclude both test certificates\n", name);
        c->skipped++;
        return;
    }

    struct s2n_config *server_config = s2nrs_server_config(NULL, chains, nchains);
    struct s2n_config *client_config = s2nrs_client_config(NULL, "ca-ecdsa.pem");
    s2nrs_add_trust(client_config, "ca-rsa.pem");
    EXPECT_SUCCESS(s2n_config_set_cipher_preferences(server_config, name));
    EXPECT_SUCCESS(s2n_config_set_cipher_preferences(client_config, name));

    struct s2nrs_pair p;
    bool ok = false;
    bool skipped = false;
    if (s2nrs_pair_init(&p, client_config, server_config, "localhost") == 0) {
        struct s2nrs_negotiation n = s2nrs_negotiate_pair(p.client, p.server);
        bool p256_hash = strcmp(name, "20210816") == 0 || strcmp(name, "20210816_GCM") == 0;
        if (n.failed != S2NRS_NONE && p256_hash && s2nrs_known_difference("ecdsa-hash-by-curve")) {
            skipped = true;
        } else if (n.failed != S2NRS_NONE && !s2nrs_library_is_s2nrs()) {
            /* s2n-tls's own client and server fail some of these (a CBC
             * composite cipher's decryption, P-256 keys under policies
             * without ecdsa_sha256); diff_policies lists them. */
            printf("  s2n-tls fails policy %s with itself: %s\n", name, s2nrs_err_name(n.err));
            skipped = true;
        } else if (n.failed != S2NRS_NONE) {
            S2NRS_FAIL_AT("policy %s (server cert %s): handshake failed", name, ecdsa_ok ? "ecdsa" : "rsa");
            s2nrs_print_negotiation(name, &n);
        } else {
            const char *cipher = s2n_connection_get_cipher(p.client);
            int version = s2n_connection_get_actual_protocol_version(p.client);
            ok = true;
            if (cipher == NULL || !list_has(suites, cipher)) {
                S2NRS_FAIL_AT("policy %s negotiated %s, not in its cipher_suites", name, s2nrs_safe_str(cipher));
                ok = false;
            }
            if (!s2n_connection_get_cipher(p.server) || !cipher
                    || strcmp(s2n_connection_get_cipher(p.server), cipher) != 0) {
                S2NRS_FAIL_AT("policy %s: client and server report different ciphers", name);
                ok = false;
            }
            if (version < min_version || (!tls13 && version == S2N_TLS13)) {
                S2NRS_FAIL_AT("policy %s negotiated %s (min %s, tls13 %s)", name, s2nrs_version_name(version),
                        r->cols[col_min], tls13 ? "yes" : "no");
                ok = false;
            }
            if (tls13_usable && version != S2N_TLS13) {
                S2NRS_FAIL_AT("policy %s supports TLS1.3 on both sides but negotiated %s", name,
                        s2nrs_version_name(version));
                ok = false;
            }
        }
    }
    s2nrs_pair_free(&p);
    if (skipped) {
        c->skipped++;
    } else if (ok) {
        c->handshakes_ok++;
    } else {
        c->failed++;
    }
    EXPECT_SUCCESS(s2n_config_free(server_config));
    EXPECT_SUCCESS(s2n_config_free(client_config));
}

int main(void)
{
    s2nrs_tls_setup(240);

    ecdsa_chain = s2nrs_load_chain("server-ecdsa-chain.pem", "server-ecdsa-key.pem");
    rsa_chain = s2nrs_load_chain("server-rsa-chain.pem", "server-rsa-key.pem");

    char *tsv = s2nrs_read_file(POLICIES_TSV, NULL);
    if (tsv == NULL) {
        return S2NRS_TEST_RESULT();
    }

    /* Header: the first line that does not start with '#'. */
    struct row rows[512];
    int nrows = 0;
    bool have_header = false;
    char *save = NULL;
    for (char *line = strtok_r(tsv, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        if (line[0] == '#' || line[0] == '\0') {
            continue;
        }
        char *cols[MAX_COLS];
        int n = split_tabs(line, cols, MAX_COLS);
        if (!have_header) {
            col_name = col_min = col_tls13 = col_suites = col_sigs = col_cert_sigs = col_deprecated = -1;
            for (int i = 0; i < n; i++) {
                if (strcmp(cols[i], "name") == 0) col_name = i;
                if (strcmp(cols[i], "min_version") == 0) col_min = i;
                if (strcmp(cols[i], "tls13") == 0) col_tls13 = i;
                if (strcmp(cols[i], "cipher_suites") == 0) col_suites = i;
                if (strcmp(cols[i], "signature_schemes") == 0) col_sigs = i;
                if (strcmp(cols[i], "cert_signature_schemes") == 0) col_cert_sigs = i;
                if (strcmp(cols[i], "deprecated") == 0) col_deprecated = i;
            }
            if (col_name < 0 || col_min < 0 || col_tls13 < 0 || col_suites < 0 || col_sigs < 0
                    || col_cert_sigs < 0 || col_deprecated < 0) {
                S2NRS_FAIL_AT("%s: unexpected header", POLICIES_TSV);
                free(tsv);
                return S2NRS_TEST_RESULT();
            }
            have_header = true;
            continue;
        }
        if (nrows >= (int) (sizeof(rows) / sizeof(rows[0]))) {
            S2NRS_FAIL_AT("too many rows in %s", POLICIES_TSV);
            break;
        }
        /* Trailing empty columns may be cut: pad with "". */
        for (int i = n; i < MAX_COLS; i++) {
            cols[i] = "";
        }
        memcpy(rows[nrows].cols, cols, sizeof(cols));
        rows[nrows].ncols = n;
        nrows++;
    }

    struct counts c = { 0 };
    c.rows = nrows;
    EXPECT(nrows > 100);

    for (int i = 0; i < nrows; i++) {
        struct row *r = &rows[i];
        const char *name = r->cols[col_name];
        bool deprecated = r->cols[col_deprecated][0] != '\0';
        bool unsupported = false;
        for (size_t k = 0; k < sizeof(no_rustls_suite) / sizeof(no_rustls_suite[0]); k++) {
            if (strcmp(name, no_rustls_suite[k]) == 0) {
                unsupported = true;
            }
        }

        struct s2n_config *config = s2n_config_new_minimal();
        s2n_errno = 0;
        int rc = s2n_config_set_cipher_preferences(config, name);
        int err = s2n_errno;
        if (unsupported && rc == S2N_SUCCESS && s2nrs_known_difference("no-rustls-suite")) {
            /* Accepted as by s2n-tls; no handshake can use it. */
            struct s2n_connection *conn = s2n_connection_new(S2N_CLIENT);
            EXPECT_SUCCESS(s2n_connection_set_config(conn, config));
            s2n_blocked_status blocked = S2N_NOT_BLOCKED;
            s2n_errno = 0;
            if (s2n_negotiate(conn, &blocked) == S2N_FAILURE && s2n_errno == S2NRS_E_CIPHER_NOT_SUPPORTED) {
                c.unsupported_ok++;
            } else {
                S2NRS_FAIL_AT("policy %s (no rustls suite): the handshake did not fail with S2N_ERR_CIPHER_NOT_SUPPORTED (%s)",
                        name, s2nrs_err_name(s2n_errno));
            }
            EXPECT_SUCCESS(s2n_connection_free(conn));
            EXPECT_SUCCESS(s2n_config_free(config));
            continue;
        }
        EXPECT_SUCCESS(s2n_config_free(config));

        if (deprecated) {
            if (rc == S2N_FAILURE && err == S2NRS_E_DEPRECATED_SECURITY_POLICY) {
                c.deprecated_ok++;
            } else {
                S2NRS_FAIL_AT("deprecated policy %s: rc %d, %s; expected S2N_ERR_DEPRECATED_SECURITY_POLICY", name,
                        rc, s2nrs_err_name(err));
            }
            continue;
        }
        if (unsupported && s2nrs_known_difference("no-rustls-suite")) {
            S2NRS_FAIL_AT("policy %s (no rustls suite) refused: %s", name, s2nrs_err_name(err));
            continue;
        }
        if (unsupported) {
            continue;
        }
        if (rc != S2N_SUCCESS) {
            S2NRS_FAIL_AT("policy %s refused: %s", name, s2nrs_err_name(err));
            s2nrs_print_s2n_error(err);
            c.failed++;
            continue;
        }
        c.accepted++;
        run_policy(r, &c);
    }

    /* Names that are no policy at all. */
    struct s2n_config *config = s2n_config_new_minimal();
    EXPECT_FAILURE_WITH_ERRNO(s2n_config_set_cipher_preferences(config, "no-such-policy"),
            S2NRS_E_INVALID_SECURITY_POLICY);
    EXPECT_FAILURE_WITH_ERRNO(s2n_config_set_cipher_preferences(config, ""), S2NRS_E_INVALID_SECURITY_POLICY);
    EXPECT_FAILURE_WITH_ERRNO(s2n_config_set_cipher_preferences(config, "default "),
            S2NRS_E_INVALID_SECURITY_POLICY);
    /* s2n compares names case-insensitively (strcasecmp). */
    EXPECT_SUCCESS(s2n_config_set_cipher_preferences(config, "DEFAULT_TLS13"));
    EXPECT_SUCCESS(s2n_config_set_cipher_preferences(config, "elbsecuritypolicy-tls-1-2-ext-2018-06"));
    EXPECT_FAILURE_WITH_ERRNO(s2n_config_set_cipher_preferences(config, "pq-tls-1-0-2020-12"),
            S2NRS_E_DEPRECATED_SECURITY_POLICY);
    EXPECT_SUCCESS(s2n_config_free(config));

    printf("policies: %d rows; deprecated refused %d; no-rustls-suite accepted, handshake refused %d/%zu; accepted %d; "
           "handshakes ok %d; skipped (cert schemes) %d; failed %d\n",
            c.rows, c.deprecated_ok, c.unsupported_ok, sizeof(no_rustls_suite) / sizeof(no_rustls_suite[0]),
            c.accepted, c.handshakes_ok, c.skipped, c.failed);
    if (s2nrs_library_is_s2nrs()) {
        EXPECT_EQ_INT(c.unsupported_ok, sizeof(no_rustls_suite) / sizeof(no_rustls_suite[0]));
    }
    EXPECT_EQ_INT(c.accepted, c.handshakes_ok + c.skipped + c.failed);

    free(tsv);
    EXPECT_SUCCESS(s2n_cert_chain_and_key_free(ecdsa_chain));
    EXPECT_SUCCESS(s2n_cert_chain_and_key_free(rsa_chain));
    s2nrs_tls_teardown();
    return S2NRS_TEST_RESULT();
}
