/*
 * Certificate set-up of s2n.h over real handshakes:
 *   - s2n_cert_chain_and_key_load_pem_bytes, and an SCT list kept with it;
 *   - s2n_config_set_cert_chain_and_key_defaults: a client whose server
 *     name matches no chain gets the default set, and the rules on what may
 *     be set (count, one per key type, not on library-owned chains);
 *   - s2n_config_free_cert_chain_and_key: frees the chains the config owns
 *     (s2n_config_add_cert_chain_and_key), after which a server has none;
 *     a no-op for chains the application owns;
 *   - the extension getters on the certificate the client received
 *     (subjectAltName by OID and by name, a missing one, too small a buffer;
 *     a private extension holding a UTF8String, and the UTF8String getters);
 *   - s2n_config_load_system_certs: once, and only on a minimal config;
 *   - s2n_connection_get_kem_name after a TLS1.3 handshake ("NONE");
 *   - s2n_connection_get_peer_cert_chain: only a validated chain.
 * Every expectation is s2n-tls's behaviour; the program also runs against it.
 */
#include "harness/selftalk.h"

#define POLICY "default_tls13"

static bool handshake(struct s2n_config *client, struct s2n_config *server, const char *name,
        uint8_t *san, uint32_t *san_len)
{
    struct s2nrs_pair p;
    if (s2nrs_pair_init(&p, client, server, name) != 0) {
        return false;
    }
    struct s2nrs_negotiation n = s2nrs_negotiate_pair(p.client, p.server);
    bool ok = n.failed == S2NRS_NONE;
    if (ok && san != NULL) {
        struct s2n_cert_chain_and_key *peer = s2n_cert_chain_and_key_new();
        struct s2n_cert *leaf = NULL;
        EXPECT_SUCCESS(s2n_connection_get_peer_cert_chain(p.client, peer));
        EXPECT_SUCCESS(s2n_cert_chain_get_cert(peer, &leaf, 0));
        uint32_t len = 0;
        bool critical = true;
        EXPECT_SUCCESS(s2n_cert_get_x509_extension_value_length(leaf, (const uint8_t *) "2.5.29.17", &len));
        EXPECT(len > 0 && len <= *san_len);
        *san_len = len;
        EXPECT_SUCCESS(s2n_cert_get_x509_extension_value(leaf, (const uint8_t *) "2.5.29.17", san, san_len, &critical));
        EXPECT_EQ_INT(*san_len, len);
        EXPECT(!critical);
        /* By its name, too. */
        uint8_t again[256];
        uint32_t again_len = sizeof(again);
        EXPECT_SUCCESS(s2n_cert_get_x509_extension_value(leaf, (const uint8_t *) "subjectAltName", again, &again_len,
                &critical));
        EXPECT(again_len == len && memcmp(again, san, len) == 0);
        /* Too small a buffer, and an extension the certificate lacks. */
        uint32_t small = len - 1;
        EXPECT_FAILURE_WITH_ERRNO(s2n_cert_get_x509_extension_value(leaf, (const uint8_t *) "2.5.29.17", again,
                                          &small, &critical),
                S2NRS_E_INSUFFICIENT_MEM_SIZE);
        EXPECT_FAILURE_WITH_ERRNO(
                s2n_cert_get_x509_extension_value_length(leaf, (const uint8_t *) "1.3.6.1.5.5.7.1.24", &len),
                S2NRS_E_X509_EXTENSION_VALUE_NOT_FOUND);
        EXPECT_STREQ(s2n_connection_get_kem_name(p.client), "NONE");
        EXPECT_SUCCESS(s2n_cert_chain_and_key_free(peer));
    }
    s2nrs_pair_free(&p);
    return ok;
}

/* Whether the DER of a subjectAltName holds `name` as a dNSName. */
static bool san_has(const uint8_t *san, uint32_t len, const char *name)
{
    size_t n = strlen(name);
    for (uint32_t i = 0; i + 2 + n <= len; i++) {
        if (san[i] == 0x82 && san[i + 1] == n && memcmp(san + i + 2, name, n) == 0) {
            return true;
        }
    }
    return false;
}

static void pem_bytes_and_sct(struct s2n_config *client)
{
    printf("== chain loaded from PEM bytes, with an SCT list\n");
    size_t chain_len = 0, key_len = 0;
    char *chain_pem = s2nrs_read_file(s2nrs_cert_path("server-ecdsa-chain.pem"), &chain_len);
    char *key_pem = s2nrs_read_file(s2nrs_cert_path("server-ecdsa-key.pem"), &key_len);
    struct s2n_cert_chain_and_key *chain = s2n_cert_chain_and_key_new();
    EXPECT_SUCCESS(s2n_cert_chain_and_key_load_pem_bytes(chain, (uint8_t *) chain_pem, (uint32_t) chain_len,
            (uint8_t *) key_pem, (uint32_t) key_len));
    uint8_t sct[] = { 0x00, 0x04, 0x00, 0x02, 0xab, 0xcd };
    EXPECT_SUCCESS(s2n_cert_chain_and_key_set_sct_list(chain, sct, sizeof(sct)));
    struct s2n_config *server = s2nrs_server_config(POLICY, &chain, 1);
    uint8_t san[256];
    uint32_t san_len = sizeof(san);
    EXPECT(handshake(client, server, "localhost", san, &san_len));
    EXPECT(san_has(san, san_len, "localhost"));
    EXPECT_SUCCESS(s2n_config_free(server));
    EXPECT_SUCCESS(s2n_cert_chain_and_key_free(chain));
    free(chain_pem);
    free(key_pem);
}

static void defaults(struct s2n_config *client)
{
    printf("== default chains\n");
    struct s2n_cert_chain_and_key *local = s2nrs_load_chain("server-ecdsa-chain.pem", "server-ecdsa-key.pem");
    struct s2n_cert_chain_and_key *other = s2nrs_load_chain("other-ecdsa-chain.pem", "other-ecdsa-key.pem");
    struct s2n_cert_chain_and_key *both[] = { local, other };
    struct s2n_config *server = s2nrs_server_config(POLICY, both, 2);
    uint8_t san[256];
    uint32_t san_len = sizeof(san);
    /* No chain for this name: the first chain added is the default. */
    EXPECT(handshake(client, server, "unknown.test", san, &san_len));
    EXPECT(san_has(san, san_len, "localhost"));
    struct s2n_cert_chain_and_key *defaults[] = { other };
    EXPECT_SUCCESS(s2n_config_set_cert_chain_and_key_defaults(server, defaults, 1));
    san_len = sizeof(san);
    EXPECT(handshake(client, server, "unknown.test", san, &san_len));
    EXPECT(san_has(san, san_len, "other.test"));
    /* A name that matches still gets its own chain. */
    san_len = sizeof(san);
    EXPECT(handshake(client, server, "localhost", san, &san_len));
    EXPECT(san_has(san, san_len, "localhost"));

    EXPECT_FAILURE_WITH_ERRNO(s2n_config_set_cert_chain_and_key_defaults(server, both, 2),
            S2NRS_E_MULTIPLE_DEFAULT_CERTIFICATES_PER_AUTH_TYPE);
    EXPECT_FAILURE_WITH_ERRNO(s2n_config_set_cert_chain_and_key_defaults(server, defaults, 0),
            S2NRS_E_NUM_DEFAULT_CERTIFICATES);
    EXPECT_FAILURE_WITH_ERRNO(s2n_config_set_cert_chain_and_key_defaults(server, NULL, 1), S2NRS_E_NULL);
    /* The chains are the application's: freeing the config's is a no-op. */
    EXPECT_SUCCESS(s2n_config_free_cert_chain_and_key(server));
    san_len = sizeof(san);
    EXPECT(handshake(client, server, "unknown.test", san, &san_len));
    EXPECT_SUCCESS(s2n_config_free(server));
    EXPECT_SUCCESS(s2n_cert_chain_and_key_free(local));
    EXPECT_SUCCESS(s2n_cert_chain_and_key_free(other));
}

static void library_owned(struct s2n_config *client)
{
    printf("== chains the config owns\n");
    char *chain_pem = s2nrs_read_cert_or_exit("server-ecdsa-chain.pem");
    char *key_pem = s2nrs_read_cert_or_exit("server-ecdsa-key.pem");
    struct s2n_config *server = s2nrs_minimal_config(POLICY);
    EXPECT_SUCCESS(s2n_config_add_cert_chain_and_key(server, chain_pem, key_pem));
    EXPECT(handshake(client, server, "localhost", NULL, NULL));
    struct s2n_cert_chain_and_key *chain = s2nrs_load_chain("server-ecdsa-chain.pem", "server-ecdsa-key.pem");
    EXPECT_FAILURE_WITH_ERRNO(s2n_config_set_cert_chain_and_key_defaults(server, &chain, 1), S2NRS_E_CERT_OWNERSHIP);
    EXPECT_SUCCESS(s2n_config_free_cert_chain_and_key(server));
    /* Without a chain the server cannot answer: s2nrs fails the handshake
     * (s2n-tls 1.7.7 dereferences NULL in s2n_signature_algorithm_select). */
    if (s2nrs_library_is_s2nrs()) {
        EXPECT(!handshake(client, server, "localhost", NULL, NULL));
    }
    EXPECT_SUCCESS(s2n_config_free(server));
    EXPECT_SUCCESS(s2n_cert_chain_and_key_free(chain));
    free(chain_pem);
    free(key_pem);
}

/* A private extension holding a UTF8String, read from the received leaf. */
static void utf8_extension(struct s2n_config *client)
{
    printf("== a UTF8String extension of the received leaf\n");
    static const uint8_t oid[] = "1.3.6.1.4.1.99999.1";
    static const char text[] = "s2nrs utf8 value";
    struct s2n_cert_chain_and_key *chain = s2nrs_load_chain("utf8ext-ecdsa-chain.pem", "utf8ext-ecdsa-key.pem");
    struct s2n_config *server = s2nrs_server_config(POLICY, &chain, 1);
    struct s2nrs_pair p;
    if (s2nrs_pair_init(&p, client, server, "localhost") == 0) {
        EXPECT_HANDSHAKE_OK(p.client, p.server);
        struct s2n_cert_chain_and_key *peer = s2n_cert_chain_and_key_new();
        struct s2n_cert *leaf = NULL;
        EXPECT_SUCCESS(s2n_connection_get_peer_cert_chain(p.client, peer));
        EXPECT_SUCCESS(s2n_cert_chain_get_cert(peer, &leaf, 0));
        uint8_t value[64];
        uint32_t value_len = sizeof(value);
        bool critical = true;
        EXPECT_SUCCESS(s2n_cert_get_x509_extension_value(leaf, oid, value, &value_len, &critical));
        EXPECT(!critical);
        /* The extension's value: a DER UTF8String. */
        EXPECT_EQ_INT(value_len, 2 + strlen(text));
        EXPECT_EQ_INT(value[0], 0x0c);
        uint32_t utf8_len = 0;
        EXPECT_SUCCESS(s2n_cert_get_utf8_string_from_extension_data_length(value, value_len, &utf8_len));
        EXPECT_EQ_INT(utf8_len, strlen(text));
        uint8_t utf8[64] = { 0 };
        uint32_t out_len = sizeof(utf8);
        EXPECT_SUCCESS(s2n_cert_get_utf8_string_from_extension_data(value, value_len, utf8, &out_len));
        EXPECT_EQ_INT(out_len, strlen(text));
        EXPECT(memcmp(utf8, text, strlen(text)) == 0);
        /* Too small an output, and data that is not a UTF8String. */
        out_len = 4;
        EXPECT_FAILURE_WITH_ERRNO(s2n_cert_get_utf8_string_from_extension_data(value, value_len, utf8, &out_len),
                S2NRS_E_INSUFFICIENT_MEM_SIZE);
        value[0] = 0x04;
        EXPECT_FAILURE_WITH_ERRNO(s2n_cert_get_utf8_string_from_extension_data_length(value, value_len, &utf8_len),
                S2NRS_E_INVALID_X509_EXTENSION_TYPE);
        EXPECT_SUCCESS(s2n_cert_chain_and_key_free(peer));
        s2nrs_pair_free(&p);
    }
    EXPECT_SUCCESS(s2n_config_free(server));
    EXPECT_SUCCESS(s2n_cert_chain_and_key_free(chain));
}

static void system_certs(void)
{
    printf("== system certificates\n");
    struct s2n_config *minimal = s2n_config_new_minimal();
    EXPECT_SUCCESS(s2n_config_load_system_certs(minimal));
    EXPECT_FAILURE_WITH_ERRNO(s2n_config_load_system_certs(minimal), S2NRS_E_X509_TRUST_STORE);
    EXPECT_SUCCESS(s2n_config_free(minimal));
    struct s2n_config *full = s2n_config_new();
    EXPECT_FAILURE_WITH_ERRNO(s2n_config_load_system_certs(full), S2NRS_E_X509_TRUST_STORE);
    EXPECT_SUCCESS(s2n_config_free(full));
}

static uint8_t any_host(const char *host_name, size_t host_name_len, void *data)
{
    (void) host_name;
    (void) host_name_len;
    (void) data;
    return 1;
}

/* The length of the peer chain a client with `client_config` gets from a
 * server sending `cert` (with `key`); -1 if the handshake failed. */
static int peer_chain_length(struct s2n_config *client_config, const char *cert, const char *key)
{
    struct s2n_cert_chain_and_key *chain = s2nrs_load_chain(cert, key);
    struct s2n_config *server = s2nrs_server_config(POLICY, &chain, 1);
    int length = -1;
    struct s2nrs_pair p;
    if (s2nrs_pair_init(&p, client_config, server, "localhost") == 0) {
        if (EXPECT_HANDSHAKE_OK(p.client, p.server)) {
            struct s2n_cert_chain_and_key *peer = s2n_cert_chain_and_key_new();
            uint32_t n = 0;
            EXPECT_SUCCESS(s2n_connection_get_peer_cert_chain(p.client, peer));
            EXPECT_SUCCESS(s2n_cert_chain_get_length(peer, &n));
            length = (int) n;
            EXPECT_SUCCESS(s2n_cert_chain_and_key_free(peer));
        }
        s2nrs_pair_free(&p);
    }
    EXPECT_SUCCESS(s2n_config_free(server));
    EXPECT_SUCCESS(s2n_cert_chain_and_key_free(chain));
    return length;
}

/* The peer chain is the validated one: from the leaf up to the trust
 * anchor, whether or not the peer sent the anchor. */
static void validated_chain(struct s2n_config *client)
{
    printf("== the validated peer chain\n");
    const char *sent[] = { "server-ecdsa.pem", "server-ecdsa-chain.pem" };
    for (size_t i = 0; i < 2; i++) {
        int length = peer_chain_length(client, sent[i], "server-ecdsa-key.pem");
        printf("  server sends %s: the client's chain has %d certificate(s)\n", sent[i], length);
        EXPECT_EQ_INT(length, 2);
    }

    /* A self-signed leaf the client trusts is its own anchor: one
     * certificate, whether it is an end-entity certificate or a CA's. */
    const char *self_signed[][2] = { { "selfsigned-leaf.pem", "selfsigned-leaf-key.pem" },
        { "selfsigned-ca.pem", "selfsigned-ca-key.pem" } };
    for (size_t i = 0; i < 2; i++) {
        struct s2n_config *trusting = s2nrs_client_config(POLICY, self_signed[i][0]);
        EXPECT_EQ_INT(peer_chain_length(trusting, self_signed[i][0], self_signed[i][1]), 1);
        EXPECT_SUCCESS(s2n_config_free(trusting));
    }
}

/* A client that skips certificate checks gets no peer chain: s2n hands out
 * only a validated one. */
static void unvalidated(void)
{
    printf("== the peer chain of a client that does not verify\n");
    struct s2n_cert_chain_and_key *chain = s2nrs_load_chain("server-ecdsa-chain.pem", "server-ecdsa-key.pem");
    struct s2n_config *server = s2nrs_server_config(POLICY, &chain, 1);
    struct s2n_config *client = s2nrs_client_config(POLICY, NULL);
    struct s2nrs_pair p;
    if (s2nrs_pair_init(&p, client, server, "localhost") == 0) {
        EXPECT_HANDSHAKE_OK(p.client, p.server);
        struct s2n_cert_chain_and_key *peer = s2n_cert_chain_and_key_new();
        EXPECT_FAILURE_WITH_ERRNO(s2n_connection_get_peer_cert_chain(p.client, peer), S2NRS_E_CERT_NOT_VALIDATED);
        EXPECT_SUCCESS(s2n_cert_chain_and_key_free(peer));
        s2nrs_pair_free(&p);
    }
    EXPECT_SUCCESS(s2n_config_free(server));
    EXPECT_SUCCESS(s2n_config_free(client));
    EXPECT_SUCCESS(s2n_cert_chain_and_key_free(chain));
}

int main(void)
{
    s2nrs_tls_setup(60);
    /* Verifies the chain; any name will do (the tests choose chains by name). */
    struct s2n_config *client = s2nrs_client_config(POLICY, "ca-ecdsa.pem");
    EXPECT_SUCCESS(s2n_config_set_verify_host_callback(client, any_host, NULL));
    unvalidated();
    validated_chain(client);
    pem_bytes_and_sct(client);
    defaults(client);
    library_owned(client);
    utf8_extension(client);
    system_certs();
    EXPECT_SUCCESS(s2n_config_free(client));
    s2nrs_tls_teardown();
    return S2NRS_TEST_RESULT();
}
