/* The harness's common part; see common.h. */
#include "harness/common.h"

#include <time.h>

/* ------------------------------------------------------------------------- */
/* Failures */

static int s2nrs_failures;
static int s2nrs_skipped_parts;

void s2nrs_record_failure(void)
{
    __atomic_fetch_add(&s2nrs_failures, 1, __ATOMIC_SEQ_CST);
}

int s2nrs_failure_count(void)
{
    return __atomic_load_n(&s2nrs_failures, __ATOMIC_SEQ_CST);
}

void s2nrs_reset_failures(void)
{
    __atomic_store_n(&s2nrs_failures, 0, __ATOMIC_SEQ_CST);
}

const char *s2nrs_safe_str(const char *s)
{
    return s ? s : "(null)";
}

void s2nrs_print_s2n_error(int err)
{
    printf("    s2n_errno=%d (0x%08X) name=%s type=%d\n", err, (unsigned) err,
            s2nrs_safe_str(s2n_strerror_name(err)), s2n_error_get_type(err));
    printf("    message=%s\n", s2nrs_safe_str(s2n_strerror(err, "EN")));
    printf("    debug=%s\n", s2nrs_safe_str(s2n_strerror_debug(err, "EN")));
}

/* ------------------------------------------------------------------------- */
/* s2n errors */

const char *s2nrs_err_name(int err)
{
    const char *name = s2n_strerror_name(err);
    return name ? name : "(unknown error)";
}

const char *s2nrs_err_type_name(int type)
{
    switch (type) {
        case S2N_ERR_T_OK: return "S2N_ERR_T_OK";
        case S2N_ERR_T_IO: return "S2N_ERR_T_IO";
        case S2N_ERR_T_CLOSED: return "S2N_ERR_T_CLOSED";
        case S2N_ERR_T_BLOCKED: return "S2N_ERR_T_BLOCKED";
        case S2N_ERR_T_ALERT: return "S2N_ERR_T_ALERT";
        case S2N_ERR_T_PROTO: return "S2N_ERR_T_PROTO";
        case S2N_ERR_T_INTERNAL: return "S2N_ERR_T_INTERNAL";
        case S2N_ERR_T_USAGE: return "S2N_ERR_T_USAGE";
        default: return "(unknown type)";
    }
}

/* ------------------------------------------------------------------------- */
/* Skipped parts and the result */

void s2nrs_skip_part(const char *part, const char *why)
{
    __atomic_fetch_add(&s2nrs_skipped_parts, 1, __ATOMIC_SEQ_CST);
    printf("SKIP %s: %s\n", part, why);
    fflush(stdout);
}

bool s2nrs_unimplemented(int err, const char *part)
{
    if (err != S2NRS_E_UNIMPLEMENTED) {
        return false;
    }
    char why[512];
    snprintf(why, sizeof(why), "the library reports S2N_ERR_UNIMPLEMENTED (%s)",
            s2nrs_safe_str(s2n_strerror_debug(err, "EN")));
    s2nrs_skip_part(part, why);
    return true;
}

bool s2nrs_feature_check(int rc, const char *expr, const char *part, const char *file, int line)
{
    int err = s2n_errno;
    if (rc == S2N_SUCCESS) {
        return true;
    }
    if (s2nrs_unimplemented(err, part)) {
        return false;
    }
    printf("%s:%d: FAIL: %s returned %d, expected S2N_SUCCESS\n", file, line, expr, rc);
    s2nrs_record_failure();
    s2nrs_print_s2n_error(err);
    return false;
}

int s2nrs_test_result(const char *file)
{
    int n = s2nrs_failure_count();
    if (n != 0) {
        printf("%s: %d check(s) failed\n", file, n);
        return 1;
    }
    printf("%s: all checks passed\n", file);
    int skipped = __atomic_load_n(&s2nrs_skipped_parts, __ATOMIC_SEQ_CST);
    if (skipped > 0) {
        printf("%s: %d part(s) skipped (see SKIP lines), exit 77\n", file, skipped);
        return S2NRS_SKIP;
    }
    return 0;
}

/* ------------------------------------------------------------------------- */
/* Setup */

void s2nrs_tls_setup(unsigned alarm_seconds)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    signal(SIGPIPE, SIG_IGN);
    if (alarm_seconds) {
        alarm(alarm_seconds);
    }
    if (s2n_init() != S2N_SUCCESS) {
        printf("s2n_init failed: %s\n", s2nrs_err_name(s2n_errno));
        exit(1);
    }
}

void s2nrs_tls_teardown(void)
{
    EXPECT_SUCCESS(s2n_cleanup_final());
}

/* ------------------------------------------------------------------------- */
/* Time */

int64_t s2nrs_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void s2nrs_sleep_ms(int ms)
{
    struct timespec ts = { ms / 1000, (long) (ms % 1000) * 1000000L };
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

int s2nrs_remaining_ms(int64_t deadline)
{
    int64_t left = deadline - s2nrs_now_ms();
    if (left <= 0) {
        return 0;
    }
    return left > 1000000 ? 1000000 : (int) left;
}

/* ------------------------------------------------------------------------- */
/* Files and certificates */

/* The whole file or NULL; *why: what went wrong. */
static char *read_whole_file(const char *path, size_t *len_out, const char **why)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        *why = strerror(errno);
        return NULL;
    }
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap + 1);
    size_t n;
    while (buf && (n = fread(buf + len, 1, cap - len, f)) > 0) {
        len += n;
        if (len == cap) {
            cap *= 2;
            char *bigger = realloc(buf, cap + 1);
            if (bigger == NULL) {
                free(buf);
            }
            buf = bigger;
        }
    }
    fclose(f);
    if (buf == NULL) {
        *why = "out of memory";
        return NULL;
    }
    buf[len] = '\0';
    if (len_out) {
        *len_out = len;
    }
    return buf;
}

char *s2nrs_read_file(const char *path, size_t *len_out)
{
    const char *why = NULL;
    char *buf = read_whole_file(path, len_out, &why);
    if (buf == NULL) {
        S2NRS_FAIL_AT("cannot read %s: %s", path, why);
    }
    return buf;
}

char *s2nrs_try_read_file(const char *path)
{
    const char *why = NULL;
    return read_whole_file(path, NULL, &why);
}

const char *s2nrs_cert_path(const char *name)
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

char *s2nrs_read_cert(const char *name)
{
    return s2nrs_read_file(s2nrs_cert_path(name), NULL);
}

char *s2nrs_read_cert_or_exit(const char *name)
{
    const char *why = NULL;
    char *pem = read_whole_file(s2nrs_cert_path(name), NULL, &why);
    if (pem == NULL) {
        printf("cannot read %s: %s\n", s2nrs_cert_path(name), why);
        exit(1);
    }
    return pem;
}

struct s2n_cert_chain_and_key *s2nrs_load_chain(const char *chain_file, const char *key_file)
{
    char *chain_pem = s2nrs_read_cert(chain_file);
    char *key_pem = s2nrs_read_cert(key_file);
    struct s2n_cert_chain_and_key *chain = s2n_cert_chain_and_key_new();
    EXPECT(chain != NULL);
    if (chain && chain_pem && key_pem) {
        if (s2n_cert_chain_and_key_load_pem(chain, chain_pem, key_pem) != S2N_SUCCESS) {
            S2NRS_FAIL_AT("s2n_cert_chain_and_key_load_pem(%s, %s) failed", chain_file, key_file);
            s2nrs_print_s2n_error(s2n_errno);
        }
    }
    free(chain_pem);
    free(key_pem);
    return chain;
}

const uint8_t *s2nrs_chain_cert_der(struct s2n_cert_chain_and_key *chain, uint32_t index, uint32_t *len)
{
    struct s2n_cert *cert = NULL;
    const uint8_t *der = NULL;
    *len = 0;
    if (s2n_cert_chain_get_cert(chain, &cert, index) != S2N_SUCCESS || cert == NULL) {
        return NULL;
    }
    if (s2n_cert_get_der(cert, &der, len) != S2N_SUCCESS) {
        return NULL;
    }
    return der;
}

/* ------------------------------------------------------------------------- */
/* Configs */

void s2nrs_set_policy(struct s2n_config *config, const char *policy)
{
    if (policy && s2n_config_set_cipher_preferences(config, policy) != S2N_SUCCESS) {
        S2NRS_FAIL_AT("s2n_config_set_cipher_preferences(\"%s\") failed", policy);
        s2nrs_print_s2n_error(s2n_errno);
    }
}

/* s2n_config_new_minimal without blinding delay: failures must not sleep 10-30 s. */
static struct s2n_config *new_minimal_config(void)
{
    struct s2n_config *config = s2n_config_new_minimal();
    EXPECT(config != NULL);
    if (config != NULL) {
        EXPECT_SUCCESS(s2n_config_set_max_blinding_delay(config, 0));
    }
    return config;
}

struct s2n_config *s2nrs_minimal_config(const char *policy)
{
    struct s2n_config *config = new_minimal_config();
    if (config != NULL) {
        s2nrs_set_policy(config, policy);
    }
    return config;
}

struct s2n_config *s2nrs_server_config(const char *policy, struct s2n_cert_chain_and_key *const *chains,
        int chain_count)
{
    struct s2n_config *config = new_minimal_config();
    if (config == NULL) {
        return NULL;
    }
    for (int i = 0; i < chain_count; i++) {
        EXPECT_SUCCESS(s2n_config_add_cert_chain_and_key_to_store(config, chains[i]));
    }
    s2nrs_set_policy(config, policy);
    return config;
}

struct s2n_config *s2nrs_client_config(const char *policy, const char *ca_file)
{
    struct s2n_config *config = new_minimal_config();
    if (config == NULL) {
        return NULL;
    }
    if (ca_file) {
        s2nrs_add_trust(config, ca_file);
    } else {
        EXPECT_SUCCESS(s2n_config_disable_x509_verification(config));
    }
    s2nrs_set_policy(config, policy);
    return config;
}

void s2nrs_add_trust(struct s2n_config *config, const char *ca_file)
{
    char *ca = s2nrs_read_cert(ca_file);
    if (ca) {
        EXPECT_SUCCESS(s2n_config_add_pem_to_trust_store(config, ca));
    }
    free(ca);
}

const char *const s2nrs_alpn_h2_http11[2] = { "h2", "http/1.1" };

void s2nrs_offer_alpn_h2_http11(struct s2n_config *config)
{
    EXPECT_SUCCESS(s2n_config_set_protocol_preferences(config, s2nrs_alpn_h2_http11, 2));
}

/* ------------------------------------------------------------------------- */
/* Known differences: one list, each entry with the reason. */

struct s2nrs_difference {
    const char *id;
    const char *why;
};

static const struct s2nrs_difference s2nrs_differences[] = {
    { "tls12-warning-alerts",
            "rustls ignores TLS1.2 warning alerts (e.g. unrecognized_name); "
            "S2N_ALERT_FAIL_ON_WARNINGS cannot make them fatal" },
    { "ecdsa-hash-by-curve",
            "rustls's ECDSA keys sign only with their curve's hash (P-256: SHA-256), so a "
            "policy whose TLS1.2 signature schemes lack ecdsa_sha256 cannot use a P-256 key" },
    { "no-rustls-suite",
            "6 policies list only suites rustls lacks (static RSA, DHE, CBC, 3DES, RC4, NULL); "
            "s2nrs accepts them, as s2n-tls does, but fails their handshakes with "
            "S2N_ERR_CIPHER_NOT_SUPPORTED" },
    { "unknown-record-type",
            "rustls refuses a record of unknown content type during the handshake "
            "(S2N_ERR_BAD_MESSAGE); s2n-tls skips it" },
    { "rejected-early-data-bytes",
            "s2n-tls's s2n_recv_early_data fails with S2N_ERR_MAX_EARLY_DATA_SIZE when it skips "
            "early data sent under a ticket it cannot open (its limit is then 0), and the handshake "
            "goes on; rustls skips such records without counting them, so s2nrs's succeeds" },
    { "tls13-session-once",
            "a TLS1.3 session blob names a rustls session held in the process; rustls gives its "
            "ticket up when offering it and cannot copy or serialize it, so the blob resumes once" },
    { "invalid-enum-values",
            "s2nrs refuses out-of-range enum arguments with S2N_ERR_INVALID_ARGUMENT; "
            "s2n-tls stores them unchecked" },
};

bool s2nrs_library_is_s2nrs(void)
{
#ifdef S2NRS_LIBRARY_IS_S2NRS
    /* Linked statically (lib/libs2n.a): no library file to look for. */
    return true;
#endif
    static int known = -1;
    if (known < 0) {
        known = 0;
        FILE *maps = fopen("/proc/self/maps", "r");
        char line[4096];
        while (maps && fgets(line, sizeof(line), maps)) {
            if (strstr(line, "/libs2nrs.so")) {
                known = 1;
                break;
            }
        }
        if (maps) {
            fclose(maps);
        }
    }
    return known == 1;
}

const char *s2nrs_known_difference(const char *id)
{
    if (!s2nrs_library_is_s2nrs()) {
        return NULL;
    }
    for (size_t i = 0; i < sizeof(s2nrs_differences) / sizeof(s2nrs_differences[0]); i++) {
        if (strcmp(s2nrs_differences[i].id, id) == 0) {
            printf("  known difference %s: %s\n", id, s2nrs_differences[i].why);
            return s2nrs_differences[i].why;
        }
    }
    return NULL;
}

/* ------------------------------------------------------------------------- */
/* Misc */

const char *s2nrs_version_name(int v)
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

bool s2nrs_starts_with(const char *s, const char *prefix)
{
    return s && strncmp(s, prefix, strlen(prefix)) == 0;
}

void s2nrs_fill_pattern(uint8_t *buf, size_t len, uint32_t seed)
{
    uint32_t x = seed ? seed : 0x9E3779B9u;
    for (size_t i = 0; i < len; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        buf[i] = (uint8_t) x;
    }
}

const char *s2nrs_find_tool(const char *name)
{
    static char found[8][1024];
    static unsigned next;
    const char *path = getenv("PATH");
    if (path == NULL || *path == '\0') {
        path = "/usr/local/bin:/usr/bin:/bin";
    }
    while (*path) {
        const char *colon = strchr(path, ':');
        size_t dirlen = colon ? (size_t) (colon - path) : strlen(path);
        char *out = found[next % 8];
        if (dirlen == 0) {
            snprintf(out, sizeof(found[0]), "./%s", name);
        } else {
            snprintf(out, sizeof(found[0]), "%.*s/%s", (int) dirlen, path, name);
        }
        struct stat st;
        if (stat(out, &st) == 0 && S_ISREG(st.st_mode) && access(out, X_OK) == 0) {
            next++;
            return out;
        }
        if (!colon) {
            break;
        }
        path = colon + 1;
    }
    return NULL;
}
