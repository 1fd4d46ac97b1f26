/*
 * Self-talk mutual TLS (client authentication), TLS1.3 and TLS1.2.
 *
 * s2n semantics used here:
 *  - client auth is configured on both sides (s2n_config_set_client_auth_type):
 *    a client defaults to OPTIONAL (answers a CertificateRequest), a client
 *    set to NONE aborts on a CertificateRequest (S2N_ERR_UNEXPECTED_CERT_REQUEST),
 *    a client set to REQUIRED aborts without a certificate to send;
 *  - a client at OPTIONAL without a certificate answers with an empty
 *    Certificate (handshake flag NO_CLIENT_CERT); a server at REQUIRED then
 *    fails with S2N_ERR_MISSING_CLIENT_CERT;
 *  - the server checks the client certificate's names with its verify-host
 *    callback (the usage guide says servers doing client auth MUST set one:
 *    the default compares them with the SNI the server received, so it
 *    rejects client.test when the client asked for localhost), failing with
 *    S2N_ERR_CERT_INVALID_HOSTNAME when the callback says no;
 *  - s2n_connection_get_client_cert_chain gives, on the server, the raw chain:
 *    for each certificate a 3-byte length then the DER;
 *  - with TLS1.3 the client may finish its handshake before the server
 *    rejects its certificate.
 */
#include "harness/selftalk.h"

#define POLICY_TLS13 "default_tls13"
#define POLICY_TLS12 "ELBSecurityPolicy-TLS-1-2-Ext-2018-06"

static int server_verify_calls;
static int server_verify_accepted;

#define DEFAULT_AUTH ((s2n_cert_auth_type) -1) /* leave the client's auth type alone */

static uint8_t reject_all_hosts(const char *host_name, size_t len, void *data)
{
    (void) host_name;
    (void) len;
    (void) data;
    __atomic_fetch_add(&server_verify_calls, 1, __ATOMIC_SEQ_CST);
    return 0;
}

/* The server's check of the client certificate's names: only client.test. */
static uint8_t accept_client_test(const char *host_name, size_t len, void *data)
{
    (void) data;
    __atomic_fetch_add(&server_verify_calls, 1, __ATOMIC_SEQ_CST);
    if (len == strlen("client.test") && memcmp(host_name, "client.test", len) == 0) {
        __atomic_fetch_add(&server_verify_accepted, 1, __ATOMIC_SEQ_CST);
        return 1;
    }
    return 0;
}

static struct s2n_cert_chain_and_key *server_chain;
static struct s2n_cert_chain_and_key *client_chain;
static struct s2n_cert_chain_and_key *untrusted_chain;

static struct s2n_config *make_server_config_with(const char *policy, s2n_cert_auth_type auth,
        s2n_verify_host_fn verify_host)
{
    struct s2n_config *config = s2nrs_server_config(policy, &server_chain, 1);
    EXPECT_SUCCESS(s2n_config_set_client_auth_type(config, auth));
    s2nrs_add_trust(config, "ca-ecdsa.pem");
    if (verify_host) {
        EXPECT_SUCCESS(s2n_config_set_verify_host_callback(config, verify_host, NULL));
    }
    return config;
}

static struct s2n_config *make_server_config(const char *policy, s2n_cert_auth_type auth)
{
    return make_server_config_with(policy, auth, accept_client_test);
}

static struct s2n_config *make_client_config(const char *policy, s2n_cert_auth_type auth,
        struct s2n_cert_chain_and_key *chain)
{
    struct s2n_config *config = s2nrs_client_config(policy, "ca-ecdsa.pem");
    if (auth != DEFAULT_AUTH) {
        EXPECT_SUCCESS(s2n_config_set_client_auth_type(config, auth));
    }
    if (chain) {
        EXPECT_SUCCESS(s2n_config_add_cert_chain_and_key_to_store(config, chain));
    }
    return config;
}

static bool contains(const char *haystack, const char *needle)
{
    return haystack && strstr(haystack, needle) != NULL;
}

/* Parses s2n's client cert chain format; returns the number of certificates
 * (-1 if malformed) and the first certificate. */
static int parse_client_chain(const uint8_t *data, uint32_t len, const uint8_t **first, uint32_t *first_len)
{
    int count = 0;
    uint32_t off = 0;
    *first = NULL;
    *first_len = 0;
    while (off < len) {
        if (len - off < 3) {
            return -1;
        }
        uint32_t n = ((uint32_t) data[off] << 16) | ((uint32_t) data[off + 1] << 8) | data[off + 2];
        off += 3;
        if (n == 0 || n > len - off) {
            return -1;
        }
        if (count == 0) {
            *first = data + off;
            *first_len = n;
        }
        off += n;
        count++;
    }
    return count;
}

static const char *auth_name(s2n_cert_auth_type t)
{
    switch ((int) t) {
        case S2N_CERT_AUTH_NONE: return "NONE";
        case S2N_CERT_AUTH_REQUIRED: return "REQUIRED";
        case S2N_CERT_AUTH_OPTIONAL: return "OPTIONAL";
        case -1: return "default";
        default: return "?";
    }
}

static void with_client_cert(const char *policy, s2n_cert_auth_type server_auth, s2n_cert_auth_type client_auth)
{
    printf("== %s: server %s, client %s with a certificate\n", policy, auth_name(server_auth),
            auth_name(client_auth));
    struct s2n_config *server_config = make_server_config(policy, server_auth);
    struct s2n_config *client_config = make_client_config(policy, client_auth, client_chain);
    server_verify_calls = server_verify_accepted = 0;

    struct s2nrs_pair p;
    if (s2nrs_pair_init(&p, client_config, server_config, "localhost") == 0 && EXPECT_HANDSHAKE_OK(p.client, p.server)) {
        const char *client_type = s2n_connection_get_handshake_type_name(p.client);
        const char *server_type = s2n_connection_get_handshake_type_name(p.server);
        printf("    handshake: client %s, server %s\n", s2nrs_safe_str(client_type), s2nrs_safe_str(server_type));
        EXPECT_EQ_INT(s2n_connection_client_cert_used(p.client), 1);
        EXPECT_EQ_INT(s2n_connection_client_cert_used(p.server), 1);
        EXPECT(contains(client_type, "CLIENT_AUTH"));
        EXPECT(contains(server_type, "CLIENT_AUTH"));
        EXPECT(!contains(client_type, "NO_CLIENT_CERT"));
        EXPECT(!contains(server_type, "NO_CLIENT_CERT"));
        if (server_verify_accepted == 0) {
            S2NRS_FAIL_AT("the server's verify-host callback accepted nothing (%d call(s)); s2n checks the "
                          "client certificate's names with it",
                    server_verify_calls);
        }

        uint8_t *der_chain = NULL;
        uint32_t der_chain_len = 0;
        EXPECT_SUCCESS(s2n_connection_get_client_cert_chain(p.server, &der_chain, &der_chain_len));
        EXPECT(der_chain != NULL);
        EXPECT(der_chain_len > 0);
        if (der_chain && der_chain_len > 0) {
            const uint8_t *first = NULL;
            uint32_t first_len = 0;
            int count = parse_client_chain(der_chain, der_chain_len, &first, &first_len);
            printf("    client cert chain on the server: %u bytes, %d certificate(s)\n", der_chain_len, count);
            EXPECT_EQ_INT(count, 2); /* client-ecdsa-chain.pem: leaf + CA */
            uint32_t want_len = 0;
            const uint8_t *want = s2nrs_chain_cert_der(client_chain, 0, &want_len);
            EXPECT(first != NULL && want != NULL && first_len == want_len && memcmp(first, want, want_len) == 0);
        }

        /* The server's view of the peer chain is the client's chain. */
        struct s2n_cert_chain_and_key *peer = s2n_cert_chain_and_key_new();
        EXPECT_SUCCESS(s2n_connection_get_peer_cert_chain(p.server, peer));
        uint32_t peer_len = 0;
        EXPECT_SUCCESS(s2n_cert_chain_get_length(peer, &peer_len));
        EXPECT_EQ_INT(peer_len, 2);
        EXPECT_SUCCESS(s2n_cert_chain_and_key_free(peer));

        s2n_tls_signature_algorithm alg = S2N_TLS_SIGNATURE_ANONYMOUS;
        EXPECT_SUCCESS(s2n_connection_get_selected_client_cert_signature_algorithm(p.server, &alg));
        EXPECT_EQ_INT(alg, S2N_TLS_SIGNATURE_ECDSA);
        alg = S2N_TLS_SIGNATURE_ANONYMOUS;
        EXPECT_SUCCESS(s2n_connection_get_selected_client_cert_signature_algorithm(p.client, &alg));
        EXPECT_EQ_INT(alg, S2N_TLS_SIGNATURE_ECDSA);

        /* Data flows after mutual authentication. */
        uint8_t msg[64];
        s2nrs_fill_pattern(msg, sizeof(msg), 3);
        EXPECT(s2nrs_transfer(p.client, p.server, msg, sizeof(msg)));
        EXPECT(s2nrs_transfer(p.server, p.client, msg, sizeof(msg)));
    }
    s2nrs_pair_free(&p);
    EXPECT_SUCCESS(s2n_config_free(server_config));
    EXPECT_SUCCESS(s2n_config_free(client_config));
}

static void optional_without_cert(const char *policy)
{
    printf("== %s: server OPTIONAL, client OPTIONAL without a certificate\n", policy);
    struct s2n_config *server_config = make_server_config(policy, S2N_CERT_AUTH_OPTIONAL);
    struct s2n_config *client_config = make_client_config(policy, S2N_CERT_AUTH_OPTIONAL, NULL);

    struct s2nrs_pair p;
    if (s2nrs_pair_init(&p, client_config, server_config, "localhost") == 0 && EXPECT_HANDSHAKE_OK(p.client, p.server)) {
        const char *client_type = s2n_connection_get_handshake_type_name(p.client);
        const char *server_type = s2n_connection_get_handshake_type_name(p.server);
        printf("    handshake: client %s, server %s\n", s2nrs_safe_str(client_type), s2nrs_safe_str(server_type));
        EXPECT_EQ_INT(s2n_connection_client_cert_used(p.client), 0);
        EXPECT_EQ_INT(s2n_connection_client_cert_used(p.server), 0);
        /* The server asked, the client had nothing to send. */
        EXPECT(contains(server_type, "CLIENT_AUTH|NO_CLIENT_CERT"));
        EXPECT(contains(client_type, "CLIENT_AUTH|NO_CLIENT_CERT"));
        uint8_t msg[16] = "no client cert!";
        EXPECT(s2nrs_transfer(p.client, p.server, msg, sizeof(msg)));
    }
    s2nrs_pair_free(&p);
    EXPECT_SUCCESS(s2n_config_free(server_config));
    EXPECT_SUCCESS(s2n_config_free(client_config));
}

static void server_none_client_optional(const char *policy)
{
    printf("== %s: server NONE, client OPTIONAL with a certificate: no client auth\n", policy);
    struct s2n_config *server_config = make_server_config(policy, S2N_CERT_AUTH_NONE);
    struct s2n_config *client_config = make_client_config(policy, S2N_CERT_AUTH_OPTIONAL, client_chain);
    struct s2nrs_pair p;
    if (s2nrs_pair_init(&p, client_config, server_config, "localhost") == 0 && EXPECT_HANDSHAKE_OK(p.client, p.server)) {
        EXPECT_EQ_INT(s2n_connection_client_cert_used(p.client), 0);
        EXPECT_EQ_INT(s2n_connection_client_cert_used(p.server), 0);
        EXPECT(!contains(s2n_connection_get_handshake_type_name(p.server), "CLIENT_AUTH"));
    }
    s2nrs_pair_free(&p);
    EXPECT_SUCCESS(s2n_config_free(server_config));
    EXPECT_SUCCESS(s2n_config_free(client_config));
}

/* The server rejects the client: it fails with `expected`; the client (TLS1.3)
 * may have finished already, but must then see the failure on s2n_recv. */
static void server_rejects(const char *label, const char *policy, s2n_cert_auth_type client_auth,
        struct s2n_cert_chain_and_key *chain, s2n_verify_host_fn server_verify_host, int expected)
{
    printf("== %s: %s\n", policy, label);
    struct s2n_config *server_config = make_server_config_with(policy, S2N_CERT_AUTH_REQUIRED, server_verify_host);
    server_verify_calls = server_verify_accepted = 0;
    struct s2n_config *client_config = make_client_config(policy, client_auth, chain);

    struct s2nrs_pair p;
    if (s2nrs_pair_init(&p, client_config, server_config, "localhost") == 0) {
        struct s2nrs_negotiation n = s2nrs_negotiate_pair(p.client, p.server);
        s2nrs_print_negotiation("handshake", &n);
        EXPECT_EQ_INT(n.failed, S2NRS_SERVER);
        if (n.failed == S2NRS_SERVER) {
            EXPECT_ERR(n.err, expected);
            EXPECT_ERR_TYPE(n.err, S2N_ERR_T_PROTO);
        }
        EXPECT(!n.server_done);

        /* As the usage guide says: s2n_shutdown after an error, so the
         * peer is told. The result does not matter here. */
        s2n_blocked_status blocked = S2N_NOT_BLOCKED;
        s2n_shutdown(p.server, &blocked);

        if (n.client_done) {
            /* TLS1.3: the client finished first; the rejection shows up
             * on its next read, as an alert or as end of data. */
            uint8_t buf[16];
            int err = 0;
            long r = s2nrs_recv_some(p.client, buf, sizeof(buf), &err);
            printf("    client s2n_recv after the rejection: %ld bytes, %s\n", r, err ? s2nrs_err_name(err) : "ok");
            EXPECT_EQ_INT(r, 0);
            EXPECT(err != 0 && s2n_error_get_type(err) != S2N_ERR_T_BLOCKED);
            if (s2n_error_get_type(err) == S2N_ERR_T_ALERT) {
                printf("    client got alert %d\n", s2n_connection_get_alert(p.client));
            }
        } else {
            int err = s2nrs_negotiate_one(p.client, 50);
            printf("    client s2n_negotiate after the rejection: %s\n", err ? s2nrs_err_name(err) : "success");
            EXPECT(err != 0 && s2n_error_get_type(err) != S2N_ERR_T_BLOCKED);
            if (s2n_error_get_type(err) == S2N_ERR_T_ALERT) {
                printf("    client got alert %d\n", s2n_connection_get_alert(p.client));
            }
        }
    }
    s2nrs_pair_free(&p);
    EXPECT_SUCCESS(s2n_config_free(server_config));
    EXPECT_SUCCESS(s2n_config_free(client_config));
}

/* A client at REQUIRED without a certificate cannot answer the request:
 * s2n fails it on the client with S2N_ERR_MISSING_CLIENT_CERT. */
static void client_required_without_cert(const char *policy)
{
    printf("== %s: client REQUIRED without a certificate\n", policy);
    struct s2n_config *server_config = make_server_config(policy, S2N_CERT_AUTH_REQUIRED);
    struct s2n_config *client_config = make_client_config(policy, S2N_CERT_AUTH_REQUIRED, NULL);
    struct s2nrs_pair p;
    if (s2nrs_pair_init(&p, client_config, server_config, "localhost") == 0) {
        struct s2nrs_negotiation n = s2nrs_negotiate_pair(p.client, p.server);
        s2nrs_print_negotiation("handshake", &n);
        EXPECT_EQ_INT(n.failed, S2NRS_CLIENT);
        if (n.failed == S2NRS_CLIENT) {
            EXPECT_ERR(n.err, S2NRS_E_MISSING_CLIENT_CERT);
        }
    }
    s2nrs_pair_free(&p);
    EXPECT_SUCCESS(s2n_config_free(server_config));
    EXPECT_SUCCESS(s2n_config_free(client_config));
}

/* A client at REQUIRED aborts when the server does not ask for a certificate. */
static void client_required_server_does_not_ask(const char *policy)
{
    printf("== %s: server NONE, client REQUIRED with a certificate\n", policy);
    struct s2n_config *server_config = make_server_config(policy, S2N_CERT_AUTH_NONE);
    struct s2n_config *client_config = make_client_config(policy, S2N_CERT_AUTH_REQUIRED, client_chain);
    struct s2nrs_pair p;
    if (s2nrs_pair_init(&p, client_config, server_config, "localhost") == 0) {
        struct s2nrs_negotiation n = s2nrs_negotiate_pair(p.client, p.server);
        s2nrs_print_negotiation("handshake", &n);
        EXPECT_EQ_INT(n.failed, S2NRS_CLIENT);
        if (n.failed == S2NRS_CLIENT) {
            EXPECT_ERR_TYPE(n.err, S2N_ERR_T_PROTO);
        }
    }
    s2nrs_pair_free(&p);
    EXPECT_SUCCESS(s2n_config_free(server_config));
    EXPECT_SUCCESS(s2n_config_free(client_config));
}

/* A client set to NONE does not accept a CertificateRequest. */
static void client_none_gets_request(const char *policy)
{
    printf("== %s: server REQUIRED, client NONE\n", policy);
    struct s2n_config *server_config = make_server_config(policy, S2N_CERT_AUTH_REQUIRED);
    struct s2n_config *client_config = make_client_config(policy, S2N_CERT_AUTH_NONE, client_chain);
    struct s2nrs_pair p;
    if (s2nrs_pair_init(&p, client_config, server_config, "localhost") == 0) {
        struct s2nrs_negotiation n = s2nrs_negotiate_pair(p.client, p.server);
        s2nrs_print_negotiation("handshake", &n);
        EXPECT_EQ_INT(n.failed, S2NRS_CLIENT);
        if (n.failed == S2NRS_CLIENT) {
            EXPECT_ERR(n.err, S2NRS_E_UNEXPECTED_CERT_REQUEST);
        }
    }
    s2nrs_pair_free(&p);
    EXPECT_SUCCESS(s2n_config_free(server_config));
    EXPECT_SUCCESS(s2n_config_free(client_config));
}

int main(void)
{
    s2nrs_tls_setup(120);

    server_chain = s2nrs_load_chain("server-ecdsa-chain.pem", "server-ecdsa-key.pem");
    client_chain = s2nrs_load_chain("client-ecdsa-chain.pem", "client-ecdsa-key.pem");
    untrusted_chain = s2nrs_load_chain("untrusted.pem", "untrusted-key.pem");

    /* The features every part needs (S2N_ERR_UNIMPLEMENTED: skip). */
    struct s2n_config *probe = s2n_config_new_minimal();
    bool have_mtls = EXPECT_SUCCESS_OR_SKIP(s2n_config_set_client_auth_type(probe, S2N_CERT_AUTH_REQUIRED), "mTLS")
            && EXPECT_SUCCESS_OR_SKIP(s2n_config_set_verify_host_callback(probe, accept_client_test, NULL), "mTLS");
    EXPECT_SUCCESS(s2n_config_free(probe));

    const char *policies[] = { POLICY_TLS13, POLICY_TLS12 };
    for (int i = 0; i < 2 && have_mtls; i++) {
        const char *policy = policies[i];
        with_client_cert(policy, S2N_CERT_AUTH_REQUIRED, S2N_CERT_AUTH_OPTIONAL);
        with_client_cert(policy, S2N_CERT_AUTH_REQUIRED, S2N_CERT_AUTH_REQUIRED);
        with_client_cert(policy, S2N_CERT_AUTH_OPTIONAL, S2N_CERT_AUTH_OPTIONAL);
        optional_without_cert(policy);
        server_none_client_optional(policy);
        with_client_cert(policy, S2N_CERT_AUTH_REQUIRED, DEFAULT_AUTH);
        server_rejects("server REQUIRED, client OPTIONAL without a certificate", policy, S2N_CERT_AUTH_OPTIONAL,
                NULL, accept_client_test, S2NRS_E_MISSING_CLIENT_CERT);
        /* s2n checks the names before the chain: the callback (which wants
         * client.test) refuses the untrusted certificate's name first. */
        server_rejects("server REQUIRED, client certificate from an untrusted issuer", policy,
                S2N_CERT_AUTH_OPTIONAL, untrusted_chain, accept_client_test, S2NRS_E_CERT_INVALID_HOSTNAME);
        server_rejects("server verify-host callback rejects the client certificate", policy,
                S2N_CERT_AUTH_OPTIONAL, client_chain, reject_all_hosts, S2NRS_E_CERT_INVALID_HOSTNAME);
        server_rejects("server without verify-host callback: client.test is not the SNI (localhost)", policy,
                S2N_CERT_AUTH_OPTIONAL, client_chain, NULL, S2NRS_E_CERT_INVALID_HOSTNAME);
        client_required_server_does_not_ask(policy);
        client_required_without_cert(policy);
        client_none_gets_request(policy);
    }

    EXPECT_SUCCESS(s2n_cert_chain_and_key_free(server_chain));
    EXPECT_SUCCESS(s2n_cert_chain_and_key_free(client_chain));
    EXPECT_SUCCESS(s2n_cert_chain_and_key_free(untrusted_chain));
    s2nrs_tls_teardown();
    return S2NRS_TEST_RESULT();
}
