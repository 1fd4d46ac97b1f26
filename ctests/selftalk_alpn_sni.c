/*
 * Self-talk ALPN and SNI.
 *
 * ALPN (s2n semantics): the server picks the first protocol of ITS list that
 * the client offered; per-connection s2n_connection_set_protocol_preferences
 * overrides the config's list; when the lists do not overlap s2n does not
 * fail the handshake, it simply negotiates no protocol
 * (s2n_get_application_protocol returns NULL on both sides; s2n-tls has no
 * no_application_protocol alert path: S2N_ERR_NO_APPLICATION_PROTOCOL is
 * never raised by its ALPN extension code).
 *
 * SNI: one server config holding server-ecdsa (first: the default),
 * wildcard-ecdsa (*.wild.test) and other-ecdsa (other.test). The name the
 * client sends selects the chain (s2n_connection_get_selected_cert) and the
 * match kind (s2n_connection_get_certificate_match). Two chains of one key
 * type for the same names: the cert tiebreak callback picks one.
 */
#include "harness/selftalk.h"

#define POLICY_TLS13 "default_tls13"
#define POLICY_TLS12 "ELBSecurityPolicy-TLS-1-2-Ext-2018-06"

/* ------------------------------------------------------------------------- */
/* ALPN */

struct alpn_case {
    const char *label;
    const char *server[3];
    int server_count;
    const char *client[3];
    int client_count;
    /* per-connection overrides (count -1: none) */
    const char *server_conn[3];
    int server_conn_count;
    const char *client_conn[3];
    int client_conn_count;
    const char *expected; /* NULL: nothing negotiated */
};

static const struct alpn_case alpn_cases[] = {
    { "client offers http/1.1 only", { "h2", "http/1.1" }, 2, { "http/1.1" }, 1, { 0 }, -1, { 0 }, -1, "http/1.1" },
    { "server preference wins", { "h2", "http/1.1" }, 2, { "http/1.1", "h2" }, 2, { 0 }, -1, { 0 }, -1, "h2" },
    { "no overlap: no protocol, handshake ok", { "h2", "http/1.1" }, 2, { "spdy/3", "foo" }, 2, { 0 }, -1, { 0 }, -1,
            NULL },
    { "server has no ALPN", { 0 }, 0, { "h2", "http/1.1" }, 2, { 0 }, -1, { 0 }, -1, NULL },
    { "client has no ALPN", { "h2", "http/1.1" }, 2, { 0 }, 0, { 0 }, -1, { 0 }, -1, NULL },
    { "client connection overrides config", { "h2", "http/1.1" }, 2, { "http/1.1" }, 1, { 0 }, -1, { "h2" }, 1,
            "h2" },
    { "server connection overrides config", { "h2", "http/1.1" }, 2, { "h2", "http/1.1" }, 2, { "http/1.1" }, 1,
            { 0 }, -1, "http/1.1" },
    { "server connection override without overlap", { "h2", "http/1.1" }, 2, { "h2" }, 1, { "http/1.1" }, 1, { 0 },
            -1, NULL },
};

static void run_alpn_case(const struct alpn_case *c, const char *policy, struct s2n_cert_chain_and_key *chain)
{
    printf("== ALPN (%s): %s\n", policy, c->label);
    struct s2n_config *server_config = s2nrs_server_config(policy, &chain, 1);
    struct s2n_config *client_config = s2nrs_client_config(policy, "ca-ecdsa.pem");
    if (c->server_count > 0) {
        EXPECT_SUCCESS(s2n_config_set_protocol_preferences(server_config, c->server, c->server_count));
    }
    if (c->client_count > 0) {
        EXPECT_SUCCESS(s2n_config_set_protocol_preferences(client_config, c->client, c->client_count));
    }

    struct s2nrs_pair p;
    if (s2nrs_pair_init(&p, client_config, server_config, "localhost") == 0) {
        if (c->server_conn_count >= 0) {
            EXPECT_SUCCESS(s2n_connection_set_protocol_preferences(p.server, c->server_conn, c->server_conn_count));
        }
        if (c->client_conn_count >= 0) {
            EXPECT_SUCCESS(s2n_connection_set_protocol_preferences(p.client, c->client_conn, c->client_conn_count));
        }
        /* Nothing before the handshake. */
        EXPECT(s2n_get_application_protocol(p.server) == NULL);

        if (EXPECT_HANDSHAKE_OK(p.client, p.server)) {
            const char *got_client = s2n_get_application_protocol(p.client);
            const char *got_server = s2n_get_application_protocol(p.server);
            printf("    negotiated: client %s, server %s\n", s2nrs_safe_str(got_client),
                    s2nrs_safe_str(got_server));
            if (c->expected) {
                EXPECT_STREQ(got_client, c->expected);
                EXPECT_STREQ(got_server, c->expected);
            } else {
                EXPECT(got_client == NULL);
                EXPECT(got_server == NULL);
            }
        }
    }
    s2nrs_pair_free(&p);
    EXPECT_SUCCESS(s2n_config_free(server_config));
    EXPECT_SUCCESS(s2n_config_free(client_config));
}

/* Usage errors of the preference setters. */
static void alpn_usage(void)
{
    printf("== ALPN usage\n");
    struct s2n_config *config = s2n_config_new_minimal();
    /* A protocol name must be 1..255 bytes. */
    const char *empty[] = { "" };
    EXPECT_FAILURE(s2n_config_set_protocol_preferences(config, empty, 1));
    char long_name[300];
    memset(long_name, 'a', sizeof(long_name) - 1);
    long_name[sizeof(long_name) - 1] = '\0';
    const char *too_long[] = { long_name };
    EXPECT_FAILURE(s2n_config_set_protocol_preferences(config, too_long, 1));
    /* Clearing with an empty list is fine. */
    EXPECT_SUCCESS(s2n_config_set_protocol_preferences(config, NULL, 0));
    const char *ok[] = { "h2" };
    EXPECT_SUCCESS(s2n_config_set_protocol_preferences(config, ok, 1));
    EXPECT_SUCCESS(s2n_config_append_protocol_preference(config, (const uint8_t *) "http/1.1", 8));
    EXPECT_SUCCESS(s2n_config_free(config));
}

/* ------------------------------------------------------------------------- */
/* SNI */

static int verify_host_calls;
static char verify_host_last[256];

/* Accepts every name (records what it was asked). */
static uint8_t accept_any_host(const char *host_name, size_t host_name_len, void *data)
{
    (void) data;
    __atomic_fetch_add(&verify_host_calls, 1, __ATOMIC_SEQ_CST);
    size_t n = host_name_len < sizeof(verify_host_last) - 1 ? host_name_len : sizeof(verify_host_last) - 1;
    memcpy(verify_host_last, host_name, n);
    verify_host_last[n] = '\0';
    return 1;
}

struct sni_case {
    const char *label;
    const char *server_name; /* NULL: no SNI */
    int expected_chain;      /* index into chains[] */
    s2n_cert_sni_match expected_match;
    bool needs_host_callback; /* the leaf does not cover the name */
};

static void run_sni_case(const struct sni_case *c, const char *policy, struct s2n_cert_chain_and_key **chains,
        int chain_count, struct s2n_config *server_config)
{
    printf("== SNI (%s): %s\n", policy, c->label);
    struct s2n_config *client_config = s2nrs_client_config(policy, "ca-ecdsa.pem");
    if (c->needs_host_callback) {
        EXPECT_SUCCESS(s2n_config_set_verify_host_callback(client_config, accept_any_host, NULL));
    }
    verify_host_calls = 0;
    verify_host_last[0] = '\0';

    struct s2nrs_pair p;
    if (s2nrs_pair_init(&p, client_config, server_config, c->server_name) == 0) {
        s2n_cert_sni_match match = 0;
        /* Server only, and only once a certificate was selected. */
        EXPECT_FAILURE_WITH_ERRNO(s2n_connection_get_certificate_match(p.client, &match), S2NRS_E_CLIENT_MODE);
        EXPECT_FAILURE_WITH_ERRNO(s2n_connection_get_certificate_match(p.server, &match), S2NRS_E_NO_CERT_FOUND);

        if (EXPECT_HANDSHAKE_OK(p.client, p.server)) {
            struct s2n_cert_chain_and_key *selected = s2n_connection_get_selected_cert(p.server);
            int selected_index = -1;
            for (int i = 0; i < chain_count; i++) {
                if (selected == chains[i]) {
                    selected_index = i;
                }
            }
            EXPECT_SUCCESS(s2n_connection_get_certificate_match(p.server, &match));
            printf("    selected chain #%d, match %d, server name seen: %s\n", selected_index, (int) match,
                    s2nrs_safe_str(s2n_get_server_name(p.server)));
            EXPECT(selected == chains[c->expected_chain]);
            EXPECT_EQ_INT(match, c->expected_match);
            if (c->server_name) {
                EXPECT_STREQ(s2n_get_server_name(p.server), c->server_name);
            } else {
                EXPECT(s2n_get_server_name(p.server) == NULL);
            }

            /* The client received that chain's leaf. */
            struct s2n_cert_chain_and_key *peer = s2n_cert_chain_and_key_new();
            EXPECT_SUCCESS(s2n_connection_get_peer_cert_chain(p.client, peer));
            uint32_t got_len = 0, want_len = 0;
            const uint8_t *got = s2nrs_chain_cert_der(peer, 0, &got_len);
            const uint8_t *want = s2nrs_chain_cert_der(chains[c->expected_chain], 0, &want_len);
            EXPECT(got != NULL && want != NULL && got_len == want_len && memcmp(got, want, got_len) == 0);
            EXPECT_SUCCESS(s2n_cert_chain_and_key_free(peer));

            if (c->needs_host_callback) {
                /* The callback replaced the name check and was asked about
                 * the certificate's names. */
                EXPECT(verify_host_calls > 0);
                printf("    verify-host callback: %d call(s), last name \"%s\"\n", verify_host_calls,
                        verify_host_last);
            }
        }
    }
    s2nrs_pair_free(&p);
    EXPECT_SUCCESS(s2n_config_free(client_config));
}

static void sni_tests(const char *policy)
{
    struct s2n_cert_chain_and_key *chains[3] = {
        s2nrs_load_chain("server-ecdsa-chain.pem", "server-ecdsa-key.pem"),
        s2nrs_load_chain("wildcard-ecdsa-chain.pem", "wildcard-ecdsa-key.pem"),
        s2nrs_load_chain("other-ecdsa-chain.pem", "other-ecdsa-key.pem"),
    };
    struct s2n_config *server_config = s2nrs_server_config(policy, chains, 3);

    const struct sni_case sni_cases[] = {
        { "exact: other.test", "other.test", 2, S2N_SNI_EXACT_MATCH, false },
        { "exact: localhost (the default chain)", "localhost", 0, S2N_SNI_EXACT_MATCH, false },
        { "exact: s2nrs.test", "s2nrs.test", 0, S2N_SNI_EXACT_MATCH, false },
        { "wildcard: a.wild.test", "a.wild.test", 1, S2N_SNI_WILDCARD_MATCH, false },
        { "wildcard: upper case A.WILD.TEST", "A.WILD.TEST", 1, S2N_SNI_WILDCARD_MATCH, false },
        { "unknown name: default chain", "unknown.test", 0, S2N_SNI_NO_MATCH, true },
        { "wildcard covers one label only: a.b.wild.test", "a.b.wild.test", 0, S2N_SNI_NO_MATCH, true },
        { "no SNI: default chain", NULL, 0, S2N_SNI_NONE, true },
    };
    for (size_t i = 0; i < sizeof(sni_cases) / sizeof(sni_cases[0]); i++) {
        run_sni_case(&sni_cases[i], policy, chains, 3, server_config);
    }

    EXPECT_SUCCESS(s2n_config_free(server_config));
    for (int i = 0; i < 3; i++) {
        EXPECT_SUCCESS(s2n_cert_chain_and_key_free(chains[i]));
    }
}

/* An IP address as the server name. Both libraries check the server's
 * certificate against it (its IP SAN); s2n-tls also sends it as SNI, which
 * the server then reports, while rustls sends server_name only for DNS names
 * (RFC 6066 forbids literal addresses), so an s2nrs server sees none. */
static void ip_server_name(const char *policy)
{
    printf("== SNI (%s): an IP address as the server name\n", policy);
    struct s2n_cert_chain_and_key *chain = s2nrs_load_chain("server-ecdsa-chain.pem", "server-ecdsa-key.pem");
    struct s2n_config *server_config = s2nrs_server_config(policy, &chain, 1);
    struct s2n_config *client_config = s2nrs_client_config(policy, "ca-ecdsa.pem");
    struct s2nrs_pair p;
    if (s2nrs_pair_init(&p, client_config, server_config, "127.0.0.1") == 0 && EXPECT_HANDSHAKE_OK(p.client, p.server)) {
        EXPECT_STREQ(s2n_get_server_name(p.client), "127.0.0.1");
        const char *seen = s2n_get_server_name(p.server);
        printf("    server name seen by the server: %s\n", s2nrs_safe_str(seen));
        if (s2nrs_library_is_s2nrs()) {
            EXPECT(seen == NULL);
        } else {
            EXPECT_STREQ(seen, "127.0.0.1");
        }
    }
    s2nrs_pair_free(&p);
    EXPECT_SUCCESS(s2n_config_free(client_config));
    EXPECT_SUCCESS(s2n_config_free(server_config));
    EXPECT_SUCCESS(s2n_cert_chain_and_key_free(chain));
}

/* Two chains of one key type for the same names: the tiebreak callback,
 * set before the chains are added, decides which one serves them. */
static int tiebreak_calls;
static bool tiebreak_saw_localhost;

static struct s2n_cert_chain_and_key *prefer_second(struct s2n_cert_chain_and_key *a,
        struct s2n_cert_chain_and_key *b, uint8_t *name, uint32_t name_len)
{
    (void) a;
    tiebreak_calls++;
    if (name_len == strlen("localhost") && memcmp(name, "localhost", name_len) == 0) {
        tiebreak_saw_localhost = true;
    }
    return b;
}

static void tiebreak_test(const char *policy)
{
    printf("== cert tiebreak (%s)\n", policy);
    struct s2n_cert_chain_and_key *chains[2] = {
        s2nrs_load_chain("server-ecdsa-chain.pem", "server-ecdsa-key.pem"),
        s2nrs_load_chain("server-ecdsa-chain.pem", "server-ecdsa-key.pem"),
    };
    struct s2n_config *server_config = s2n_config_new_minimal();
    struct s2n_config *client_config = s2nrs_client_config(policy, "ca-ecdsa.pem");
    EXPECT_SUCCESS(s2n_config_set_max_blinding_delay(server_config, 0));
    EXPECT_SUCCESS(s2n_config_set_cert_tiebreak_callback(server_config, prefer_second));
    /* s2n-tls asks while the chains are added, s2nrs during the handshake. */
    tiebreak_calls = 0;
    tiebreak_saw_localhost = false;
    for (int i = 0; i < 2; i++) {
        EXPECT_SUCCESS(s2n_config_add_cert_chain_and_key_to_store(server_config, chains[i]));
    }
    s2nrs_set_policy(server_config, policy);

    struct s2nrs_pair p;
    if (s2nrs_pair_init(&p, client_config, server_config, "localhost") == 0 && EXPECT_HANDSHAKE_OK(p.client, p.server)) {
        printf("    tiebreak calls: %s, selected chain #%d\n", tiebreak_calls > 0 ? "yes" : "no",
                s2n_connection_get_selected_cert(p.server) == chains[1] ? 1 : 0);
        EXPECT(tiebreak_calls > 0);
        EXPECT(tiebreak_saw_localhost);
        EXPECT(s2n_connection_get_selected_cert(p.server) == chains[1]);
    }
    s2nrs_pair_free(&p);
    EXPECT_SUCCESS(s2n_config_free(client_config));
    EXPECT_SUCCESS(s2n_config_free(server_config));
    for (int i = 0; i < 2; i++) {
        EXPECT_SUCCESS(s2n_cert_chain_and_key_free(chains[i]));
    }
}

/* Whether the library has the features a part needs (S2N_ERR_UNIMPLEMENTED: skip). */
static bool have_alpn(void)
{
    const char *protocols[] = { "h2" };
    struct s2n_config *config = s2n_config_new_minimal();
    struct s2n_connection *conn = s2n_connection_new(S2N_SERVER);
    bool ok = EXPECT_SUCCESS_OR_SKIP(s2n_config_set_protocol_preferences(config, protocols, 1), "ALPN")
            && EXPECT_SUCCESS_OR_SKIP(s2n_connection_set_protocol_preferences(conn, protocols, 1), "ALPN");
    EXPECT_SUCCESS(s2n_connection_free(conn));
    EXPECT_SUCCESS(s2n_config_free(config));
    return ok;
}

static bool have_sni_inspection(void)
{
    struct s2n_config *config = s2n_config_new_minimal();
    bool ok = EXPECT_SUCCESS_OR_SKIP(s2n_config_set_verify_host_callback(config, accept_any_host, NULL), "SNI");
    EXPECT_SUCCESS(s2n_config_free(config));
    return ok;
}

int main(void)
{
    s2nrs_tls_setup(120);

    struct s2n_cert_chain_and_key *chain = s2nrs_load_chain("server-ecdsa-chain.pem", "server-ecdsa-key.pem");
    const char *policies[] = { POLICY_TLS13, POLICY_TLS12 };
    for (int pi = 0; pi < 2 && have_alpn(); pi++) {
        for (size_t i = 0; i < sizeof(alpn_cases) / sizeof(alpn_cases[0]); i++) {
            run_alpn_case(&alpn_cases[i], policies[pi], chain);
        }
    }
    EXPECT_SUCCESS(s2n_cert_chain_and_key_free(chain));
    alpn_usage();

    if (have_sni_inspection()) {
        sni_tests(POLICY_TLS13);
        sni_tests(POLICY_TLS12);
        tiebreak_test(POLICY_TLS13);
        tiebreak_test(POLICY_TLS12);
        ip_server_name(POLICY_TLS13);
        ip_server_name(POLICY_TLS12);
    }

    s2nrs_tls_teardown();
    return S2NRS_TEST_RESULT();
}
